// UTF-8, the one decoder and the one encoder of the server. "Well-formed" is Unicode's Table 3-7
// (RFC 3629): the shortest form only (no overlongs), no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF, no sequence cut short. What to do with text that is not well-formed is each caller's
// choice: IsValid refuses it, the JSON writer (botapi/json_writer.cc) writes \ufffd per bad byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tgi::utf8 {

// Decodes the sequence that starts at s[pos]: returns its length in bytes (1 to 4) and sets
// *code_point, or returns 0 (and leaves *code_point alone) if no well-formed sequence starts
// there. REQUIRES: pos < s.size().
// Returns 0 if s[pos] is a continuation byte (0x80..0xBF) or a byte that never starts a sequence
// (0xC0, 0xC1, 0xF5..0xFF), or if the sequence is an overlong form, a surrogate, above U+10FFFF,
// or cut short (by the end of `s` or by a byte that is not a continuation byte). Reads at most
// the sequence's own bytes and says nothing about what follows. A caller that goes on after a
// bad byte goes on at pos + 1, so a valid sequence right after the bad byte is still decoded.
// Defined below, in the header, so that the JSON writer's loop inlines it. (An out-parameter:
// returning a struct made GCC 12 compile that loop 6-8% slower on non-ASCII text.)
inline size_t Decode(std::string_view s, size_t pos, char32_t* code_point);

// True if `s` is well-formed UTF-8: Decode succeeds from its start to its end.
bool IsValid(std::string_view s);

// Number of code points. REQUIRES: IsValid(s).
size_t CodePointCount(std::string_view s);

// The first `max_code_points` code points of `s`. REQUIRES: IsValid(s).
std::string_view Truncate(std::string_view s, size_t max_code_points);

// Appends the UTF-8 encoding of `cp` to `out` (1 to 4 bytes). REQUIRES: cp <= 0x10FFFF. A
// surrogate is not refused but gets its 3-byte form, which is not well-formed: callers pass
// Unicode scalar values (ParseJsonParams joins an escaped surrogate pair first).
void Append(std::string& out, char32_t cp);

inline size_t Decode(std::string_view s, size_t pos, char32_t* code_point) {
  auto c = static_cast<unsigned char>(s[pos]);
  size_t length;
  char32_t cp;
  if (c < 0xC2) {  // ASCII, a continuation byte, or 0xC0/0xC1 (only ever overlong)
    if (c >= 0x80) return 0;
    *code_point = c;
    return 1;
  }
  if (c < 0xE0) {
    length = 2, cp = c & 0x1F;
  } else if (c < 0xF0) {
    length = 3, cp = c & 0x0F;
  } else if (c < 0xF5) {
    length = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (pos + length > s.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    auto cc = static_cast<unsigned char>(s[pos + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Two-byte overlongs were refused with their lead byte above.
  if ((length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  *code_point = cp;
  return length;
}

}  // namespace tgi::utf8
