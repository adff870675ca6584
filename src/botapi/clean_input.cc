#include "botapi/clean_input.h"

#include "common/utf8.h"

namespace tgi::botapi {
namespace {

constexpr size_t kLengthLimit = 35000;  // td: the server's limit

unsigned char At(const std::string& s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

// td's replace_offending_characters: "(U+200E|U+200F){N}(U+200E|U+200F)" -> "(U+200C){N}$2".
void ReplaceOffendingCharacters(std::string& s) {
  auto is_mark = [&s](size_t i) {
    return At(s, i) == 0xE2 && At(s, i + 1) == 0x80 &&
           (At(s, i + 2) == 0x8E || At(s, i + 2) == 0x8F);
  };
  for (size_t pos = 0; pos < s.size(); ++pos) {
    if (!is_mark(pos)) continue;
    while (is_mark(pos + 3)) {
      s[pos + 2] = static_cast<char>(0x8C);
      pos += 3;
    }
    pos += 2;
  }
}

}  // namespace

bool CleanInputString(std::string& s) {
  if (!utf8::IsValid(s)) return false;
  size_t size = s.size();
  size_t out = 0;
  for (size_t pos = 0; pos < size; ++pos) {
    auto c = static_cast<unsigned char>(s[pos]);
    if (c <= 32 && c != '\n' && c != '\r') {
      s[out++] = ' ';
    } else if (c == '\r') {
      // removed
    } else if (c == 0xE2 && pos + 2 < size && At(s, pos + 1) == 0x80 && At(s, pos + 2) >= 0xA8 &&
               At(s, pos + 2) <= 0xAE) {
      pos += 2;  // U+2028..U+202E
    } else if (c == 0xCC && pos + 1 < size &&
               (At(s, pos + 1) == 0xB3 || At(s, pos + 1) == 0xBF || At(s, pos + 1) == 0x8A)) {
      pos += 1;  // U+0333, U+033F, U+030A
    } else {
      s[out++] = s[pos];
    }
    // td stops once the output nears the limit and the last byte starts a character, which it
    // drops: the text ends on a character boundary.
    if (out >= kLengthLimit - 3 && (At(s, out - 1) & 0xC0) != 0x80) {
      --out;
      break;
    }
  }
  s.resize(out);
  ReplaceOffendingCharacters(s);
  return true;
}

}  // namespace tgi::botapi
