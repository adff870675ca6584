// UTF-16 offsets over UTF-8 text. The Bot API counts entity offsets and lengths in UTF-16 code
// units: 1 per code point, 2 for a code point above U+FFFF. Like TDLib, these functions count
// lead bytes (any byte that is not 10xxxxxx) and treat a lead byte >= 0xF0 as a 4-byte sequence,
// so they are defined (and cheap) for any bytes, and exact for well-formed UTF-8.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace tgi::text {

// True if `c` starts a UTF-8 sequence (is not a continuation byte 10xxxxxx).
constexpr bool IsLeadByte(unsigned char c) { return (c & 0xC0) != 0x80; }

// UTF-16 code units a sequence starting with lead byte `c` takes: 2 for 0xF0 and above, else 1.
constexpr int Utf16Units(unsigned char c) { return c >= 0xF0 ? 2 : 1; }

// The length of `utf8` in UTF-16 code units.
size_t Utf16Length(std::string_view utf8);

// The number of code points of `utf8` (its lead bytes). The unit of "message is too long".
size_t CodePointLength(std::string_view utf8);

// The byte offset in `utf8` of UTF-16 offset `utf16_offset`: nullopt if the offset falls inside
// a surrogate pair (the middle of a 4-byte sequence) or beyond the end of the text.
std::optional<size_t> Utf16ToByteOffset(std::string_view utf8, size_t utf16_offset);

// The UTF-16 offset of byte `byte_offset` of `utf8`. REQUIRES: byte_offset <= utf8.size().
size_t ByteToUtf16Offset(std::string_view utf8, size_t byte_offset);

// The part of `utf8` from UTF-16 offset `offset`, `length` units long, clamped to the text. A
// bound that falls inside a surrogate pair takes in that whole code point.
std::string_view Utf16Substr(std::string_view utf8, size_t offset, size_t length);

}  // namespace tgi::text
