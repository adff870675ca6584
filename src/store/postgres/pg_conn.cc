#include "store/postgres/pg_conn.h"

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace tgi::store::pg {
namespace {

void IgnoreNotice(void*, const PGresult*) {}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// libpq's messages end with a newline.
std::string Trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

std::string ErrorText(const PGresult* r, std::string_view what) {
  std::string out(what);
  out += ": ";
  const char* primary = r != nullptr ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary != nullptr) {
    out += primary;
    if (const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE); state != nullptr) {
      out += " (SQLSTATE ";
      out += state;
      out += ")";
    }
  } else if (r != nullptr) {
    out += Trimmed(PQresultErrorMessage(r));  // from libpq itself: no row values
  } else {
    out += "no result";
  }
  return out;
}

std::string ConnErrorText(const PGconn* c, std::string_view what) {
  std::string out(what);
  out += ": ";
  out += c != nullptr ? Trimmed(PQerrorMessage(c)) : "out of memory";
  return out;
}

std::string SqlState(const PGresult* r) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

Result<ConnPtr> Connect(const std::string& conninfo, std::string_view name) {
  // Defaults first, then the caller's string (expanded: a URI or key=value pairs), whose own
  // settings win: a connection attempt gives up after 10 s, and TCP keepalives notice a server
  // that vanished (a Unix socket needs neither).
  const char* keys[] = {
      "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
      "dbname",          nullptr};
  const char* values[] = {"10", "1", "10", "5", "3", conninfo.c_str(), nullptr};
  ConnPtr c(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (c == nullptr || PQstatus(c.get()) != CONNECTION_OK) {
    return Fail(ConnErrorText(c.get(), "cannot connect to PostgreSQL"));
  }
  PQsetNoticeReceiver(c.get(), IgnoreNotice, nullptr);
  // A name of ours, never a user's text: no quoting needed beyond the literal's.
  if (Status st = Exec(c.get(), "SET application_name TO '" + std::string(name) + "'",
                       "cannot name the PostgreSQL session");
      !st.ok()) {
    return Unexpected{st.error()};
  }
  // Named decision: nothing of ours waits for ever. A round waits at most 30 s for the
  // cluster's lock (an instance stuck while holding it fails others' rounds with an error rather
  // than hanging them), and a session left idle inside a transaction for 30 s (a process stopped
  // mid-round) is ended by the server, which lets the lock go.
  constexpr std::string_view kSession =
      "SET TIME ZONE 'UTC'; SET client_min_messages TO warning; SET synchronous_commit TO on; "
      "SET lock_timeout TO '30s'; SET idle_in_transaction_session_timeout TO '30s'";
  // lc_messages needs a superuser on some servers: without it, the server's language stays.
  if (!Exec(c.get(), std::string(kSession) + "; SET lc_messages TO 'C'",
            "cannot set up the PostgreSQL session")
           .ok()) {
    if (Status again = Exec(c.get(), kSession, "cannot set up the PostgreSQL session");
        !again.ok()) {
      return Unexpected{again.error()};
    }
  }
  return c;
}

Status Exec(PGconn* c, std::string_view sql, std::string_view what) {
  std::string text(sql);
  ResultPtr r(PQexec(c, text.c_str()));
  if (r == nullptr) return Fail(ConnErrorText(c, what));
  ExecStatusType s = PQresultStatus(r.get());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return Fail(ErrorText(r.get(), what));
  return {};
}

Result<ResultPtr> Query(PGconn* c, std::string_view sql, std::string_view what) {
  std::string text(sql);
  ResultPtr r(PQexecParams(c, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0));
  if (r == nullptr) return Fail(ConnErrorText(c, what));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Fail(ErrorText(r.get(), what));
  return r;
}

Result<ResultPtr> QueryWithInt(PGconn* c, std::string_view sql, std::string_view what,
                               int64_t param) {
  std::string text(sql);
  const std::string value = std::to_string(param);
  const char* values[] = {value.c_str()};
  ResultPtr r(PQexecParams(c, text.c_str(), 1, nullptr, values, nullptr, nullptr, 0));
  if (r == nullptr) return Fail(ConnErrorText(c, what));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Fail(ErrorText(r.get(), what));
  return r;
}

void Params::Int(int64_t v) {
  std::string& s = owned_.emplace_back(8, '\0');
  const uint64_t u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(u >> (56 - 8 * i));  // big-endian
  values_.push_back(s.data());
  lengths_.push_back(8);
  formats_.push_back(1);
  types_.push_back(kInt8Oid);
}

void Params::Bool(bool v) {
  static constexpr char kTrue = 1, kFalse = 0;
  values_.push_back(v ? &kTrue : &kFalse);
  lengths_.push_back(1);
  formats_.push_back(1);
  types_.push_back(kBoolOid);
}

void Params::NullInt() {
  values_.push_back(nullptr);
  lengths_.push_back(0);
  formats_.push_back(1);
  types_.push_back(kInt8Oid);
}

namespace {

void PutInt32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>(v >> (24 - 8 * i));  // big-endian
}

// The binary array format (array_recv): dimensions, no null bitmap, the element type, the
// size and lower bound of the one dimension, then each element as its length and its bytes.
template <typename T, typename Put>
std::string BinaryArray(const std::vector<T>& v, Oid element, Put put) {
  std::string out;
  PutInt32(out, 1);  // dimensions
  PutInt32(out, 0);  // no nulls
  PutInt32(out, element);
  PutInt32(out, static_cast<uint32_t>(v.size()));
  PutInt32(out, 1);  // lower bound
  for (const T& e : v) put(out, e);
  return out;
}

}  // namespace

void Params::IntArray(const std::vector<int64_t>& v) {
  std::string& s = owned_.emplace_back(BinaryArray(v, kInt8Oid, [](std::string& out, int64_t e) {
    PutInt32(out, 8);
    const uint64_t u = static_cast<uint64_t>(e);
    for (int i = 0; i < 8; ++i) out += static_cast<char>(u >> (56 - 8 * i));
  }));
  Ref(s, kInt8ArrayOid);
}

void Params::BoolArray(const std::vector<bool>& v) {
  std::string& s = owned_.emplace_back(BinaryArray(v, kBoolOid, [](std::string& out, bool e) {
    PutInt32(out, 1);
    out += static_cast<char>(e ? 1 : 0);
  }));
  Ref(s, kBoolArrayOid);
}

void Params::TextArray(const std::vector<std::string_view>& v) {
  std::string& s =
      owned_.emplace_back(BinaryArray(v, kTextOid, [](std::string& out, std::string_view e) {
        PutInt32(out, static_cast<uint32_t>(e.size()));
        out.append(e);
      }));
  Ref(s, kTextArrayOid);
}

void Params::Ref(std::string_view v, Oid type) {
  // A zero-length value needs a non-null pointer: null is SQL NULL.
  values_.push_back(v.data() != nullptr ? v.data() : "");
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(1);
  types_.push_back(type);
}

void Params::Clear() {
  values_.clear();
  lengths_.clear();
  formats_.clear();
  types_.clear();
  owned_.clear();
}

Status Prepare(PGconn* c, const char* name, std::string_view sql, const std::vector<Oid>& types) {
  std::string text(sql);
  ResultPtr r(PQprepare(c, name, text.c_str(), static_cast<int>(types.size()), types.data()));
  if (r == nullptr) return Fail(ConnErrorText(c, "cannot prepare a statement"));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    return Fail(ErrorText(r.get(), std::string("cannot prepare ") + name));
  }
  return {};
}

int64_t GetInt(const PGresult* r, int row, int col) {
  const char* v = PQgetvalue(r, row, col);
  int64_t out = 0;
  std::from_chars(v, v + PQgetlength(r, row, col), out);
  return out;
}

bool GetBool(const PGresult* r, int row, int col) { return PQgetvalue(r, row, col)[0] == 't'; }

std::string GetText(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

bool IsNull(const PGresult* r, int row, int col) { return PQgetisnull(r, row, col) != 0; }

bool GetBytes(const PGresult* r, int row, int col, std::string* out) {
  const char* v = PQgetvalue(r, row, col);
  const int n = PQgetlength(r, row, col);
  if (PQgetisnull(r, row, col) || n < 2 || v[0] != '\\' || v[1] != 'x' || n % 2 != 0) return false;
  out->resize((n - 2) / 2);
  for (int i = 2, o = 0; i < n; i += 2, ++o) {
    const int hi = HexValue(v[i]), lo = HexValue(v[i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[o] = static_cast<char>(hi * 16 + lo);
  }
  return true;
}

bool Pipeline::Enter() {
  if (entered_) return true;
  if (PQsetnonblocking(c_, 1) != 0 || PQenterPipelineMode(c_) != 1) return false;
  entered_ = true;
  return true;
}

bool Pipeline::SendPrepared(const char* name, const Params& p) {
  if (!Enter()) return false;
  if (PQsendQueryPrepared(c_, name, p.size(), p.values(), p.lengths(), p.formats(), 0) != 1) {
    return false;
  }
  ++queued_;
  return true;
}

bool Pipeline::SendSql(const char* sql) {
  if (!Enter()) return false;
  if (PQsendQueryParams(c_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) return false;
  ++queued_;
  return true;
}

Pipeline::Outcome Pipeline::Run(std::string_view what) {
  Outcome out;
  auto lost = [&]() {
    out.failed_index = 0;
    out.connection_lost = true;
    out.error = ConnErrorText(c_, what);
    return out;
  };
  if (!Enter() || PQpipelineSync(c_) != 1) return lost();
  int index = 0;  // the statement whose results are being read
  bool synced = false;
  while (!synced) {
    const int flushed = PQflush(c_);  // 0: all sent, 1: more to send, -1: error
    if (flushed < 0) return lost();
    if (PQconsumeInput(c_) != 1) return lost();
    while (!synced && PQisBusy(c_) == 0) {
      ResultPtr r(PQgetResult(c_));
      if (r == nullptr) {
        ++index;  // the end of one statement's results
        continue;
      }
      switch (PQresultStatus(r.get())) {
        case PGRES_PIPELINE_SYNC:
          synced = true;
          break;
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_PIPELINE_ABORTED:  // after a failure: the rest is skipped
          break;
        default:
          if (out.failed_index < 0) {
            out.failed_index = index;
            out.error = ErrorText(r.get(), what);
            out.sqlstate = SqlState(r.get());
          }
          break;
      }
    }
    if (synced) break;
    if (PQstatus(c_) != CONNECTION_OK) return lost();
    pollfd p{.fd = PQsocket(c_),
             .events = static_cast<short>(POLLIN | (flushed == 1 ? POLLOUT : 0)),
             .revents = 0};
    if (p.fd < 0) return lost();
    if (poll(&p, 1, -1) < 0 && errno != EINTR) return lost();
  }
  queued_ = 0;
  if (PQexitPipelineMode(c_) == 1) entered_ = false;
  PQsetnonblocking(c_, 0);
  return out;
}

}  // namespace tgi::store::pg
