// One line per event on stderr: "2026-11-25T21:00:00.123Z LEVEL component: message", or with
// Format::kJson one JSON object per line:
//   {"time":"2026-11-25T21:00:00.123Z","level":"info","component":"http","message":"...",
//    "request_id":"Xa9_kQ-17"}
// ("request_id" only on the lines of a request, see RequestScope).
// Never pass a bot token or the control token to these functions; use Redact() on anything
// that may hold one (request targets, for example).
#pragma once

#include <string>
#include <string_view>

namespace tgi::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kText, kJson };

void SetMinLevel(Level level);
void SetFormat(Format format);
// Whether Write(level, ...) writes anything: lets a caller skip building a message nobody reads.
bool Enabled(Level level);
void Write(Level level, std::string_view component, std::string_view message);

inline void Info(std::string_view c, std::string_view m) { Write(Level::kInfo, c, m); }
inline void Warn(std::string_view c, std::string_view m) { Write(Level::kWarn, c, m); }
inline void Error(std::string_view c, std::string_view m) { Write(Level::kError, c, m); }

// A new request id, unique in this process and unlikely to repeat across restarts: a random
// prefix drawn once per process, '-', and a counter ("Xa9_kQ-17"). Thread-safe.
std::string NewRequestId();

// While one is alive on a thread, the lines that thread writes carry its request id (JSON
// format only). Scopes nest; the innermost wins.
class RequestScope {
 public:
  explicit RequestScope(std::string_view request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string_view previous_;
};

// Replaces the secret part of "/bot<id>:<secret>/..." with "***", keeping the bot id, in every
// "/bot" segment and whatever the case of "bot" (a segment without ':' is hidden whole), drops
// the query string (shown as "?..."), and cuts the text to a sane length. Paths under
// "/control/" keep their "/bot..." segments ("/control/v1/bots/7"). Safe on any input.
std::string RedactTarget(std::string_view target);

}  // namespace tgi::log
