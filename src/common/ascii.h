// Small helpers over ASCII text, shared by the server and the tginvite command: case folding for
// the protocol's case-insensitive names (header names, content types, method names, usernames),
// trimming, and strict decimal integers. Bytes outside ASCII are left as they are, so UTF-8
// passes through.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace tgi::ascii {

constexpr char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Lower(std::string_view s);

// True if `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

// What Trim removes: HTTP's optional whitespace (RFC 9110 5.6.3), or every ASCII blank.
inline constexpr std::string_view kSpaceTab = " \t";
inline constexpr std::string_view kWhitespace = " \t\r\n\v\f";

// `s` without the characters of `blanks` at its start and end.
std::string_view Trim(std::string_view s, std::string_view blanks = kSpaceTab);

// A plain decimal integer: all of `s` is an optional '-' and then one or more digits, and the
// value fits in Int. Nothing else is accepted: no '+', no spaces, no hex. (The Bot API's own
// lenient rules for parameters are in botapi/args.h.)
template <class Int>
std::optional<Int> ParseDecimal(std::string_view s) {
  std::string_view digits = s.starts_with('-') ? s.substr(1) : s;
  if (digits.empty()) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  Int value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace tgi::ascii
