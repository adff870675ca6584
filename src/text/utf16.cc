#include "text/utf16.h"

namespace tgi::text {

size_t Utf16Length(std::string_view utf8) {
  size_t units = 0;
  for (char ch : utf8) {
    auto c = static_cast<unsigned char>(ch);
    units += IsLeadByte(c) + ((c & 0xF8) == 0xF0);
  }
  return units;
}

size_t CodePointLength(std::string_view utf8) {
  size_t count = 0;
  for (char ch : utf8) count += IsLeadByte(static_cast<unsigned char>(ch));
  return count;
}

std::optional<size_t> Utf16ToByteOffset(std::string_view utf8, size_t utf16_offset) {
  size_t units = 0;
  for (size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (!IsLeadByte(c)) continue;
    if (units == utf16_offset) return i;
    if (units > utf16_offset) return std::nullopt;
    units += Utf16Units(c);
  }
  if (units == utf16_offset) return utf8.size();
  return std::nullopt;
}

size_t ByteToUtf16Offset(std::string_view utf8, size_t byte_offset) {
  return Utf16Length(utf8.substr(0, byte_offset));
}

namespace {

// The first bytes of `utf8` that hold `length` UTF-16 units (a split pair is taken whole).
std::string_view Utf16Truncate(std::string_view utf8, size_t length) {
  size_t left = length;
  for (size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (!IsLeadByte(c)) continue;
    if (left == 0) return utf8.substr(0, i);
    size_t units = static_cast<size_t>(Utf16Units(c));
    left = left >= units ? left - units : 0;
  }
  return utf8;
}

}  // namespace

std::string_view Utf16Substr(std::string_view utf8, size_t offset, size_t length) {
  if (offset != 0) utf8.remove_prefix(Utf16Truncate(utf8, offset).size());
  return Utf16Truncate(utf8, length);
}

}  // namespace tgi::text
