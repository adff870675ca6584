#include "botapi/args.h"

#include <algorithm>
#include <limits>

namespace tgi::botapi {

int64_t ParseLenientInt64(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') negative = true, ++i;
  uint64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
    v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  if (negative) v = ~v + 1;  // two's complement negation, wrapping like the reference
  return static_cast<int64_t>(v);
}

int32_t ParseLenientInt32(std::string_view s) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(ParseLenientInt64(s))));
}

bool ParseLenientBool(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  if (s.size() > 4) return false;
  std::string lower(s);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower == "true" || lower == "yes" || lower == "1";
}

bool ParseExactInt64(std::string_view s, int64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') negative = true, ++i;
  if (i == s.size()) return false;
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = negative ? static_cast<int64_t>(~v + 1) : static_cast<int64_t>(v);
  return true;
}

std::string_view Args::Get(std::string_view name) const {
  const std::string* v = params_.Find(name);
  return v ? std::string_view(*v) : std::string_view();
}

Result<domain::ChatRef, ApiError> Args::ChatRef(std::string_view name) const {
  std::string_view v = Get(name);
  if (v.empty()) return Unexpected{ParameterEmpty(name)};
  return ParseChatRef(v);
}

domain::ChatRef Args::ParseChatRef(std::string_view v) {
  if (!v.empty() && v[0] == '@') return domain::ChatRef{.username = std::string(v.substr(1))};
  return domain::ChatRef{.id = ParseLenientInt64(v)};
}

Result<UserId, ApiError> Args::PositiveUserId(std::string_view name) const {
  int64_t id = ParseLenientInt64(Get(name));
  if (id <= 0) return Unexpected{InvalidParameter(name)};
  return UserId(id);
}

int32_t Args::Int32(std::string_view name, int32_t default_value, int32_t min, int32_t max) const {
  std::string_view v = Get(name);
  int32_t n = v.empty() ? default_value : ParseLenientInt32(v);
  return std::clamp(n, min, max);
}

}  // namespace tgi::botapi
