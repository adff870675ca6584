// Test helpers for the PostgreSQL store: the test server named by TGINVITE_TEST_POSTGRES (a
// libpq keyword/value connection string; scripts/test.sh starts one with scripts/pg.sh), and a
// fresh schema per test, so that tests running at once never see each other's tables. Without a
// server the PostgreSQL tests are skipped, or fail with TGINVITE_REQUIRE_POSTGRES=1 (which
// scripts/test.sh sets, so that CI cannot pass with them skipped).
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace tgi::store::testing {

// The test server's connection string, or "" when none is configured.
inline std::string TestPostgres() {
  const char* v = std::getenv("TGINVITE_TEST_POSTGRES");
  return v != nullptr ? v : "";
}

// Whether a missing test server fails the PostgreSQL tests instead of skipping them:
// TGINVITE_REQUIRE_POSTGRES=1.
inline bool PostgresRequired() {
  const char* v = std::getenv("TGINVITE_REQUIRE_POSTGRES");
  return v != nullptr && std::string(v) == "1";
}

// Why a PostgreSQL test does not run here, for its skip or failure.
inline std::string NoTestPostgres() {
  std::string why =
      "TGINVITE_TEST_POSTGRES is not set (scripts/test.sh starts a server with scripts/pg.sh)";
  if (PostgresRequired()) why += ", and TGINVITE_REQUIRE_POSTGRES=1 makes that a failure";
  return why;
}

namespace internal {

// The schemas FreshPostgresSchema made for the running test.
inline std::mutex schemas_mu;
inline std::vector<std::string> schemas_of_test;

// Drops the running test's schemas when it ends: gtest calls OnTestEnd once the fixture is
// destroyed, and with it every store, engine and connection the test held.
class DropSchemasAtTestEnd : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& /*test*/) override {
    std::vector<std::string> schemas;
    {
      std::lock_guard lock(schemas_mu);
      schemas.swap(schemas_of_test);
    }
    if (schemas.empty()) return;
    PGconn* c = PQconnectdb(TestPostgres().c_str());
    // A connection the test left inside a transaction holds locks the drop would wait for: the
    // schema then stays, and the run goes on. (No notice of the objects the drop cascades to.)
    PQclear(PQexec(c, "SET lock_timeout = '10s'; SET client_min_messages = warning"));
    for (const std::string& schema : schemas) {
      PGresult* r = PQexec(c, ("DROP SCHEMA IF EXISTS " + schema + " CASCADE").c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK)
        std::fprintf(stderr, "left the test schema %s behind: %s", schema.c_str(),
                     PQerrorMessage(c));
      PQclear(r);
    }
    PQfinish(c);
  }
};

}  // namespace internal

// Creates a new, empty schema on the test server and returns a connection string whose
// search_path is that schema. Fails the test (and returns "") if the server cannot be reached.
// The schema is dropped when the test ends.
inline std::string FreshPostgresSchema() {
  const std::string base = TestPostgres();
  if (base.empty()) return "";
  static std::atomic<int> counter{0};
  std::random_device rd;
  const std::string schema = "t_" + std::to_string(rd()) + "_" + std::to_string(counter++);
  PGconn* c = PQconnectdb(base.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot reach the test PostgreSQL: " << PQerrorMessage(c);
    PQfinish(c);
    return "";
  }
  PGresult* r = PQexec(c, ("CREATE SCHEMA " + schema).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) ADD_FAILURE() << "cannot create schema " << schema << ": " << PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (ok) {
    // Registered at the first schema, from the test's SetUp or body: gtest reads its listeners
    // only at the test's events.
    static const bool listening = [] {
      ::testing::UnitTest::GetInstance()->listeners().Append(new internal::DropSchemasAtTestEnd);
      return true;
    }();
    (void)listening;
    std::lock_guard lock(internal::schemas_mu);
    internal::schemas_of_test.push_back(schema);
  }
  return ok ? base + " options='-csearch_path=" + schema + "'" : "";
}

}  // namespace tgi::store::testing
