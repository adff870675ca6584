// TDLib's two ways of reading a decimal integer, which the formatting rules depend on.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace tgi::text {

// TDLib's to_integer: an optional '-', then the digits up to the first non-digit (none gives 0),
// wrapping around on overflow. Never fails.
template <typename Int>
Int LenientInteger(std::string_view s) {
  static_assert(std::is_signed_v<Int>);
  using U = std::make_unsigned_t<Int>;
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') negative = true, ++i;
  U value = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    value = static_cast<U>(value * 10 + static_cast<U>(s[i] - '0'));
  }
  if (value > static_cast<U>(std::numeric_limits<Int>::max())) {
    value = static_cast<U>(~value + 1);
    negative = !negative;
    if (value > static_cast<U>(std::numeric_limits<Int>::max())) {
      return std::numeric_limits<Int>::min();
    }
  }
  Int result = static_cast<Int>(value);
  return negative ? static_cast<Int>(-result) : result;
}

// TDLib's to_integer_safe: LenientInteger, accepted only if it prints back as `s` exactly (so no
// '+', no leading zero, no "-0", no overflow, nothing after the digits).
template <typename Int>
std::optional<Int> StrictInteger(std::string_view s) {
  Int value = LenientInteger<Int>(s);
  if (std::to_string(value) != s) return std::nullopt;
  return value;
}

}  // namespace tgi::text
