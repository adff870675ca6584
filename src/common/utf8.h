#pragma once

#include <string>
#include <string_view>

namespace tgi::utf8 {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValid(std::string_view s);

// Number of code points. REQUIRES: IsValid(s).
size_t CodePointCount(std::string_view s);

// The first `max_code_points` code points of `s`. REQUIRES: IsValid(s).
std::string_view Truncate(std::string_view s, size_t max_code_points);

// Appends the UTF-8 encoding of `cp` (<= 0x10FFFF) to `out`.
void Append(std::string& out, char32_t cp);

}  // namespace tgi::utf8
