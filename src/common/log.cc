#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "common/crypto.h"
#include "common/utf8.h"

namespace tgi::log {
namespace {

std::atomic<Level> g_min_level{Level::kInfo};
std::atomic<Format> g_format{Format::kText};
thread_local std::string_view t_request_id;

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}

const char* JsonLevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "?";
}

// A JSON string of `text`: quotes, backslashes and control characters escaped, and every byte
// that is not part of valid UTF-8 written as U+FFFD, so that each line parses whatever a message
// holds (messages quote client input, e.g. an error's text).
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7f) {
        char esc[8];
        std::snprintf(esc, sizeof esc, "\\u%04x", c);
        out += esc;
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    char32_t code_point = 0;
    const size_t length = utf8::Decode(text, i, &code_point);
    if (length == 0) {
      out += "\\ufffd";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out += '"';
}

std::string TextLine(const char* stamp, Level level, std::string_view component,
                     std::string_view message) {
  std::string line;
  line.reserve(64 + component.size() + message.size());
  line += stamp;
  line += ' ';
  line += LevelName(level);
  line += ' ';
  line += component;
  line += ": ";
  // One event, one line: newlines in a message would let input forge log lines.
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  return line;
}

std::string JsonLine(const char* stamp, Level level, std::string_view component,
                     std::string_view message) {
  std::string line;
  line.reserve(96 + component.size() + message.size());
  line += "{\"time\":\"";
  line += stamp;
  line += "\",\"level\":\"";
  line += JsonLevelName(level);
  line += "\",\"component\":";
  AppendJsonString(line, component);
  line += ",\"message\":";
  AppendJsonString(line, message);
  if (!t_request_id.empty()) {
    line += ",\"request_id\":";
    AppendJsonString(line, t_request_id);
  }
  line += "}\n";
  return line;
}

}  // namespace

void SetMinLevel(Level level) { g_min_level = level; }

void SetFormat(Format format) { g_format = format; }

std::string NewRequestId() {
  static const std::string prefix = crypto::RandomBase64Url(6);
  static std::atomic<uint64_t> next{1};
  return prefix + '-' + std::to_string(next.fetch_add(1, std::memory_order_relaxed));
}

RequestScope::RequestScope(std::string_view request_id) : previous_(t_request_id) {
  t_request_id = request_id;
}

RequestScope::~RequestScope() { t_request_id = previous_; }

bool Enabled(Level level) { return level >= g_min_level.load(std::memory_order_relaxed); }

void Write(Level level, std::string_view component, std::string_view message) {
  if (!Enabled(level)) return;
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[96];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  const std::string line = g_format.load(std::memory_order_relaxed) == Format::kJson
                               ? JsonLine(stamp, level, component, message)
                               : TextLine(stamp, level, component, message);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string RedactTarget(std::string_view target) {
  constexpr size_t kMaxShown = 200;
  // Query strings may hold anything; keep only the path.
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string out;
  // Every "/bot" segment, in any ASCII case (a "/Bot<token>" is answered 404 but is still a
  // token): the part after "/bot" up to the next '/' is hidden, but for the bot id before a ':'.
  // The control plane's paths never hold a token and are shown whole ("/control/v1/bots/7").
  size_t pos = path.substr(0, 9) == "/control/" ? path.size() : 0;
  if (pos != 0) out = path;
  while (pos < path.size()) {
    size_t bot = pos;
    while (bot + 4 <= path.size() &&
           !(path[bot] == '/' && (path[bot + 1] | 0x20) == 'b' && (path[bot + 2] | 0x20) == 'o' &&
             (path[bot + 3] | 0x20) == 't'))
      ++bot;
    if (bot + 4 > path.size()) {
      out += path.substr(pos);
      break;
    }
    out += path.substr(pos, bot + 4 - pos);
    size_t slash = path.find('/', bot + 4);
    std::string_view segment =
        path.substr(bot + 4, slash == std::string_view::npos ? slash : slash - bot - 4);
    size_t colon = segment.find(':');
    if (colon != std::string_view::npos) {
      out += segment.substr(0, colon);
      out += ":***";
    } else if (!segment.empty()) {
      out += "***";
    }
    if (slash == std::string_view::npos) break;
    pos = slash;
  }
  if (out.size() > kMaxShown) out.resize(kMaxShown);
  if (q != std::string_view::npos) out += "?...";
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return out;
}

}  // namespace tgi::log
