// ASCII case folding, for the protocol's case-insensitive names (header names, content types,
// method names, usernames). Bytes outside 'A'-'Z' are left as they are, so UTF-8 passes through.
#pragma once

#include <string>
#include <string_view>

namespace tginvite::ascii {

constexpr char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Lower(std::string_view s);

// True if `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace tginvite::ascii
