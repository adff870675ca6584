// One line per event on stderr: "2026-11-25T21:00:00.123Z LEVEL component: message".
// Never pass a bot token or the control token to these functions; use Redact() on anything
// that may hold one (request targets, for example).
#pragma once

#include <string>
#include <string_view>

namespace tgi::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void SetMinLevel(Level level);
void Write(Level level, std::string_view component, std::string_view message);

inline void Info(std::string_view c, std::string_view m) { Write(Level::kInfo, c, m); }
inline void Warn(std::string_view c, std::string_view m) { Write(Level::kWarn, c, m); }
inline void Error(std::string_view c, std::string_view m) { Write(Level::kError, c, m); }

// Replaces the secret part of "/bot<id>:<secret>/..." with "***", keeping the bot id, and cuts
// the text to a sane length. Safe on any input.
std::string RedactTarget(std::string_view target);

}  // namespace tgi::log
