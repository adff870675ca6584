// Internal to tginvite_store_postgres: RAII handles and small helpers over libpq.
//
// Every parameter goes over the wire in binary with an explicit type (Params), so that a text
// needs no terminating NUL and an integer no formatting; results come back as text (Load's
// decoders, pg_read.cc). Error texts carry PostgreSQL's primary message and SQLSTATE, never its
// DETAIL (which quotes the values of a failing row) and never the connection string (which may
// hold a password).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tgi::store::pg {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;

struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

// PostgreSQL's type OIDs (catalog/pg_type.h, stable since forever) for the parameters we send.
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kTextOid = 25;
inline constexpr Oid kBoolArrayOid = 1000;
inline constexpr Oid kTextArrayOid = 1009;
inline constexpr Oid kInt8ArrayOid = 1016;

// "<what>: <PostgreSQL's primary message> (SQLSTATE xxxxx)", or libpq's connection message.
std::string ErrorText(const PGresult* r, std::string_view what);
std::string ConnErrorText(const PGconn* c, std::string_view what);
// The SQLSTATE of a failed result ("" if none).
std::string SqlState(const PGresult* r);

// Connects, blocking, with the session settings every connection of ours has: UTC, the server's
// messages in English, no notices on stderr. Fails with libpq's message (which names the host,
// never the password).
// `name` becomes the session's application_name (pg_stat_activity shows which connection of an
// instance is which).
Result<ConnPtr> Connect(const std::string& conninfo, std::string_view name = "tginvited");

// Runs `sql` (one or more statements, no parameters); ok if every one succeeded.
Status Exec(PGconn* c, std::string_view sql, std::string_view what);

// Runs one statement without parameters and returns its rows (text format).
Result<ResultPtr> Query(PGconn* c, std::string_view sql, std::string_view what);

// The same with one integer parameter $1.
Result<ResultPtr> QueryWithInt(PGconn* c, std::string_view sql, std::string_view what,
                               int64_t param);

// A statement's parameters, each binary with its type. Texts and bytes are referred to, not
// copied: they must outlive the send. Integers are kept here (in a deque: their addresses stay).
class Params {
 public:
  void Int(int64_t v);
  void Bool(bool v);
  void Text(std::string_view v) { Ref(v, kTextOid); }
  void Bytes(std::string_view v) { Ref(v, kByteaOid); }
  void NullInt();
  // A one-dimensional array without nulls, in PostgreSQL's binary array format, kept here.
  void IntArray(const std::vector<int64_t>& v);
  void BoolArray(const std::vector<bool>& v);
  void TextArray(const std::vector<std::string_view>& v);

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }
  const Oid* types() const { return types_.data(); }
  void Clear();

 private:
  void Ref(std::string_view v, Oid type);
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<Oid> types_;
  std::deque<std::string> owned_;
};

// Prepares `sql` as `name` on `c`, with the parameter types `types`.
Status Prepare(PGconn* c, const char* name, std::string_view sql, const std::vector<Oid>& types);

// Decoders of text-format result values.
int64_t GetInt(const PGresult* r, int row, int col);
bool GetBool(const PGresult* r, int row, int col);
std::string GetText(const PGresult* r, int row, int col);
bool IsNull(const PGresult* r, int row, int col);
// A bytea column in PostgreSQL's hex output ("\x0a1b..."); false if it is not in that form.
bool GetBytes(const PGresult* r, int row, int col, std::string* out);

// A pipeline (libpq's pipeline mode): statements are queued with Send*, then Run sends them
// all with one sync and reads every result, so a batch costs one round trip. The connection is
// switched to non-blocking for the run, so that a large batch cannot deadlock on full socket
// buffers.
class Pipeline {
 public:
  explicit Pipeline(PGconn* c) : c_(c) {}
  // Queues a prepared statement / a statement without parameters. Returns false (the
  // connection's error) if libpq refuses it.
  bool SendPrepared(const char* name, const Params& p);
  bool SendSql(const char* sql);
  // Sends a sync, flushes, and reads the results of everything queued. Returns the index of the
  // first statement that failed (-1 if none) and its error in *error; on a broken connection,
  // every statement is reported failed (index 0) with the connection's message.
  // `what` prefixes error texts.
  struct Outcome {
    int failed_index = -1;
    std::string error;
    std::string sqlstate;
    bool connection_lost = false;
  };
  Outcome Run(std::string_view what);
  int queued() const { return queued_; }

 private:
  PGconn* c_;
  int queued_ = 0;
  bool entered_ = false;
  bool Enter();
};

}  // namespace tgi::store::pg
