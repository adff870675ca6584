// The legacy Markdown parser (spec 3.4), as TDLib's parse_markdown. Also writes over its input,
// and one of its quirks comes from that: [text] without (url) reads its URL from the
// half-overwritten buffer.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/parse_internal.h"
#include "text/utf16.h"

namespace tgi::text::parse_internal {

ParseResult ParseMarkdownV1(std::string_view input) {
  std::string text(input);
  auto at = [&text](size_t i) -> char { return i < text.size() ? text[i] : '\0'; };
  size_t size = text.size();
  size_t result_size = 0;
  std::vector<Entity> entities;
  int32_t utf16_offset = 0;
  for (size_t i = 0; i < size; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    char next = at(i + 1);
    if (c == '\\' && (next == '_' || next == '*' || next == '`' || next == '[')) {
      ++i;
      text[result_size++] = text[i];
      ++utf16_offset;
      continue;
    }
    if (c != '_' && c != '*' && c != '`' && c != '[') {
      if (IsLeadByte(c)) utf16_offset += Utf16Units(c);
      text[result_size++] = text[i];
      continue;
    }

    size_t begin_pos = i;
    char end_character = c == '[' ? ']' : static_cast<char>(c);
    bool is_pre = false;
    ++i;
    std::string language;
    if (c == '`' && at(i) == '`' && at(i + 1) == '`') {
      i += 2;
      is_pre = true;
      size_t language_end = i;
      while (!IsTdSpace(at(language_end)) && at(language_end) != '`') ++language_end;
      if (i != language_end && language_end < size && text[language_end] != '`') {
        language = text.substr(i, language_end - i);
        i = language_end;
      }
      if (at(i) == '\n' || at(i) == '\r') {
        if ((at(i + 1) == '\n' || at(i + 1) == '\r') && at(i) != at(i + 1)) {
          i += 2;
        } else {
          ++i;
        }
      }
    }

    int32_t entity_offset = utf16_offset;
    while (i < size &&
           (text[i] != end_character || (is_pre && !(at(i + 1) == '`' && at(i + 2) == '`')))) {
      auto cur = static_cast<unsigned char>(text[i]);
      if (IsLeadByte(cur)) utf16_offset += Utf16Units(cur);
      text[result_size++] = text[i++];
    }
    if (i >= size) {
      return ParseError("Can't find end of the entity starting" + ByteOffset(begin_pos));
    }

    if (entity_offset != utf16_offset) {
      int32_t length = utf16_offset - entity_offset;
      switch (c) {
        case '_':
          entities.push_back(MakeEntity(EntityType::kItalic, entity_offset, length));
          break;
        case '*':
          entities.push_back(MakeEntity(EntityType::kBold, entity_offset, length));
          break;
        case '[': {
          std::string url;
          if (at(i + 1) != '(') {
            url = text.substr(begin_pos + 1, i - begin_pos - 1);  // the quirk: see above
          } else {
            i += 2;
            while (i < size && text[i] != ')') url.push_back(text[i++]);
          }
          Entity entity;
          if (MakeLinkEntity(url, entity_offset, length, &entity)) {
            entities.push_back(std::move(entity));
          }
          break;
        }
        default:  // '`'
          if (is_pre) {
            entities.push_back(MakeEntity(EntityType::kPre, entity_offset, length, language));
          } else {
            entities.push_back(MakeEntity(EntityType::kCode, entity_offset, length));
          }
          break;
      }
    }
    if (is_pre) i += 2;
  }
  text.resize(result_size);
  return FormattedText{std::move(text), std::move(entities)};
}

}  // namespace tgi::text::parse_internal
