#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace tgi::log {
namespace {

std::atomic<Level> g_min_level{Level::kInfo};

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

}  // namespace

void SetMinLevel(Level level) { g_min_level = level; }

void Write(Level level, std::string_view component, std::string_view message) {
  if (level < g_min_level.load(std::memory_order_relaxed)) return;
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[96];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
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
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string RedactTarget(std::string_view target) {
  constexpr size_t kMaxShown = 200;
  std::string out;
  size_t bot = target.find("/bot");
  if (bot == std::string_view::npos) {
    out = std::string(target.substr(0, kMaxShown));
  } else {
    size_t colon = target.find(':', bot);
    size_t slash = target.find('/', bot + 4);
    out = std::string(target.substr(0, bot + 4));
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
      out += target.substr(bot + 4, colon - bot - 4);
      out += ":***";
    } else {
      out += "***";
    }
    if (slash != std::string_view::npos) out += target.substr(slash, kMaxShown);
  }
  // Query strings may hold anything; keep only the path.
  if (size_t q = out.find('?'); q != std::string::npos) out.resize(q), out += "?...";
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return out;
}

}  // namespace tgi::log
