#include "text/unicode.h"

#include <algorithm>
#include <iterator>

#include "common/utf8.h"

namespace tgi::text {
namespace {

#include "text/unicode_data.inc"

}  // namespace

CharCategory GetCharCategory(char32_t code_point) {
  auto it = std::upper_bound(std::begin(kCategoryStarts), std::end(kCategoryStarts), code_point);
  return static_cast<CharCategory>(kCategoryValues[it - std::begin(kCategoryStarts) - 1]);
}

char32_t ToLowerSimple(char32_t code_point) {
  if (code_point < 0x80) {
    return code_point >= 'A' && code_point <= 'Z' ? code_point + ('a' - 'A') : code_point;
  }
  auto it = std::lower_bound(std::begin(kLowercasePairs), std::end(kLowercasePairs), code_point,
                             [](const char32_t(&pair)[2], char32_t c) { return pair[0] < c; });
  if (it != std::end(kLowercasePairs) && (*it)[0] == code_point) return (*it)[1];
  return code_point;
}

std::string Utf8ToLower(std::string_view s) {
  std::string result;
  result.reserve(s.size());
  for (size_t pos = 0; pos < s.size();) {
    char32_t c;
    pos = DecodeNext(s, pos, &c);
    utf8::Append(result, ToLowerSimple(c));
  }
  return result;
}

size_t DecodeNext(std::string_view s, size_t pos, char32_t* code_point) {
  auto a = static_cast<unsigned char>(s[pos]);
  auto at = [&](size_t k) -> char32_t {
    return pos + k < s.size() ? static_cast<unsigned char>(s[pos + k]) & 0x3F : 0;
  };
  if (a < 0x80) {
    *code_point = a;
    return pos + 1;
  }
  if (a < 0xE0) {
    *code_point = ((a & 0x1F) << 6) | at(1);
    return pos + 2;
  }
  if (a < 0xF0) {
    *code_point = ((a & 0x0F) << 12) | (at(1) << 6) | at(2);
    return pos + 3;
  }
  *code_point = ((a & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3);
  return pos + 4;
}

size_t PrevStart(std::string_view s, size_t pos) {
  do {
    --pos;
  } while (pos > 0 && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80);
  return pos;
}

char32_t DecodePrev(std::string_view s, size_t pos) {
  char32_t c;
  DecodeNext(s, PrevStart(s, pos), &c);
  return c;
}

}  // namespace tgi::text
