// The HTML parser (spec 3.2), as TDLib's parse_html.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/ascii.h"
#include "common/utf8.h"
#include "text/entity_kinds.h"
#include "text/links.h"
#include "text/numbers.h"
#include "text/parse_internal.h"
#include "text/utf16.h"

namespace tgi::text::parse_internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexValue(char c) { return IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

// Reads `s` with TDLib's view of a C string: '\0' at and after the end.
struct Reader {
  std::string_view s;
  char operator[](size_t i) const { return i < s.size() ? s[i] : '\0'; }
};

// Decodes the character reference at text[*pos] == '&': &lt; &gt; &amp; &quot; and &#N; &#xH;
// (the ';' optional). Returns 0, leaving *pos alone, for anything else (kept literally),
// including numeric references of 0, >= 0x10FFFF or 10 or more bytes long.
char32_t DecodeCharacterReference(Reader text, size_t* pos) {
  size_t end = *pos + 1;
  uint32_t code = 0;
  if (text[*pos + 1] == '#') {
    ++end;
    if (text[*pos + 2] == 'x') {
      ++end;
      while (IsHexDigit(text[end])) code = code * 16 + static_cast<uint32_t>(HexValue(text[end++]));
    } else {
      while (IsDigit(text[end])) code = code * 10 + static_cast<uint32_t>(text[end++] - '0');
    }
    if (code == 0 || code >= 0x10FFFF || end - *pos >= 10) return 0;
  } else {
    while (IsAlpha(text[end])) ++end;
    std::string_view name = text.s.substr(*pos + 1, end - *pos - 1);
    if (name == "lt") {
      code = '<';
    } else if (name == "gt") {
      code = '>';
    } else if (name == "amp") {
      code = '&';
    } else if (name == "quot") {
      code = '"';
    } else {
      return 0;
    }
  }
  *pos = text[end] == ';' ? end + 1 : end;
  return code;
}

bool IsSupportedTag(std::string_view tag) {
  static constexpr std::string_view kTags[] = {
      "a",   "b",          "strong",   "i",       "em",   "s",   "strike", "del",       "u",
      "ins", "tg-spoiler", "tg-emoji", "tg-time", "span", "pre", "code",   "blockquote"};
  for (std::string_view known : kTags) {
    if (tag == known) return true;
  }
  return false;
}

}  // namespace

ParseResult ParseHtml(std::string_view input) {
  Reader text{input};
  FormattedText result;
  std::string& out = result.text;
  out.reserve(input.size());
  std::vector<Entity>& entities = result.entities;
  int32_t utf16_offset = 0;
  bool need_recheck_utf8 = false;

  struct OpenTag {
    std::string name;
    std::string argument;
    int32_t date;
    int32_t utf16_offset;
    size_t out_offset;
  };
  std::vector<OpenTag> open_tags;
  OwnTextLinks own_text_links;

  for (size_t i = 0; i < input.size(); ++i) {
    auto c = static_cast<unsigned char>(input[i]);
    if (c == '&') {
      size_t pos = i;
      char32_t code = DecodeCharacterReference(text, &pos);
      if (code != 0) {
        i = pos - 1;
        utf16_offset += 1 + (code > 0xFFFF);
        if (code >= 0xD800 && code <= 0xDFFF) need_recheck_utf8 = true;  // half of a pair
        utf8::Append(out, code);
        continue;
      }
    }
    if (c != '<') {
      if (IsLeadByte(c)) utf16_offset += Utf16Units(c);
      out.push_back(static_cast<char>(c));
      continue;
    }

    size_t begin_pos = i++;
    if (text[i] != '/') {
      // A start tag.
      while (!IsTdSpace(text[i]) && text[i] != '>') ++i;
      if (text[i] == '\0') return ParseError("Unclosed start tag" + ByteOffset(begin_pos));
      std::string tag_name = ascii::Lower(input.substr(begin_pos + 1, i - begin_pos - 1));
      if (!IsSupportedTag(tag_name)) {
        return ParseError("Unsupported start tag \"" + tag_name + "\"" + ByteOffset(begin_pos));
      }

      std::string argument;
      int32_t date = 0;
      while (text[i] != '>') {
        while (text[i] != '\0' && IsTdSpace(text[i])) ++i;
        if (text[i] == '>') break;
        size_t name_begin = i;
        while (!IsTdSpace(text[i]) && text[i] != '=' && text[i] != '>' && text[i] != '/' &&
               text[i] != '"' && text[i] != '\'') {
          ++i;
        }
        std::string_view attribute_name = input.substr(name_begin, i - name_begin);
        if (attribute_name.empty()) {
          return ParseError("Empty attribute name in the tag \"" + tag_name + "\"" +
                            ByteOffset(begin_pos));
        }
        while (text[i] != '\0' && IsTdSpace(text[i])) ++i;
        if (text[i] != '=') {
          if (text[i] == '\0') {
            return ParseError("Unclosed start tag \"" + tag_name + "\"" + ByteOffset(begin_pos));
          }
          if (tag_name == "blockquote" && attribute_name == "expandable")
            argument.assign(1, '1');  // (not = "1": GCC 12 warns wrongly)
          continue;
        }
        ++i;
        while (text[i] != '\0' && IsTdSpace(text[i])) ++i;
        if (text[i] == '\0') {
          return ParseError("Unclosed start tag \"" + tag_name + "\"" + ByteOffset(begin_pos));
        }

        std::string value;
        if (text[i] != '\'' && text[i] != '"') {
          // A name token: letters, digits, '.' and '-', not case-sensitive.
          size_t token_begin = i;
          while (IsAlnum(text[i]) || text[i] == '.' || text[i] == '-') ++i;
          value = ascii::Lower(input.substr(token_begin, i - token_begin));
          if (!IsTdSpace(text[i]) && text[i] != '>') {
            return ParseError("Unexpected end of name token" + ByteOffset(token_begin));
          }
        } else {
          char quote = text[i++];
          while (text[i] != quote && text[i] != '\0') {
            if (text[i] == '&') {
              size_t pos = i;
              char32_t code = DecodeCharacterReference(text, &pos);
              if (code != 0) {
                utf8::Append(value, code);
                i = pos;
                continue;
              }
            }
            value.push_back(text[i++]);
          }
          if (text[i] == quote) ++i;
        }
        if (text[i] == '\0') return ParseError("Unclosed start tag" + ByteOffset(begin_pos));

        if (tag_name == "a" && attribute_name == "href") {
          argument = std::move(value);
        } else if (tag_name == "code" && attribute_name == "class" &&
                   value.starts_with("language-")) {
          argument = value.substr(9);
        } else if (tag_name == "span" && attribute_name == "class" && value.starts_with("tg-")) {
          argument = value.substr(3);
        } else if (tag_name == "tg-emoji" && attribute_name == "emoji-id") {
          argument = std::move(value);
        } else if (tag_name == "blockquote" && attribute_name == "expandable") {
          argument.assign(1, '1');  // (not = "1": GCC 12 warns wrongly)
        } else if (tag_name == "tg-time" && attribute_name == "unix") {
          date = LenientInteger<int32_t>(value);
        } else if (tag_name == "tg-time" && attribute_name == "format") {
          argument = std::move(value);
        }
      }

      if (tag_name == "span" && argument != "spoiler") {
        return ParseError("Tag \"span\" must have class \"tg-spoiler\"" + ByteOffset(begin_pos));
      }
      open_tags.push_back(
          {std::move(tag_name), std::move(argument), date, utf16_offset, out.size()});
      continue;
    }

    // An end tag.
    if (open_tags.empty()) return ParseError("Unexpected end tag" + ByteOffset(begin_pos));
    while (!IsTdSpace(text[i]) && text[i] != '>') ++i;
    std::string end_tag_name = ascii::Lower(input.substr(begin_pos + 2, i - begin_pos - 2));
    while (IsTdSpace(text[i]) && text[i] != '\0') ++i;
    if (text[i] != '>') return ParseError("Unclosed end tag" + ByteOffset(begin_pos));

    OpenTag& tag = open_tags.back();
    if (!end_tag_name.empty() && end_tag_name != tag.name) {
      return ParseError("Unmatched end tag" + ByteOffset(begin_pos) + ", expected \"</" + tag.name +
                        ">\", found \"</" + end_tag_name + ">\"");
    }

    if (utf16_offset > tag.utf16_offset) {
      int32_t offset = tag.utf16_offset;
      int32_t length = utf16_offset - offset;
      const std::string& name = tag.name;
      if (name == "i" || name == "em") {
        entities.push_back(MakeEntity(EntityType::kItalic, offset, length));
      } else if (name == "b" || name == "strong") {
        entities.push_back(MakeEntity(EntityType::kBold, offset, length));
      } else if (name == "s" || name == "strike" || name == "del") {
        entities.push_back(MakeEntity(EntityType::kStrikethrough, offset, length));
      } else if (name == "u" || name == "ins") {
        entities.push_back(MakeEntity(EntityType::kUnderline, offset, length));
      } else if (name == "tg-spoiler" || name == "span") {
        entities.push_back(MakeEntity(EntityType::kSpoiler, offset, length));
      } else if (name == "tg-emoji") {
        auto id = StrictInteger<int64_t>(tag.argument);
        if (!id || *id == 0) return ParseError("Invalid custom emoji identifier specified");
        entities.push_back(
            MakeEntity(EntityType::kCustomEmoji, offset, length, std::to_string(*id)));
      } else if (name == "tg-time") {
        auto format = CanonicalDateTimeFormat(tag.argument);
        if (!format) return ParseError("Invalid date format used");
        if (tag.date > 0) {
          Entity entity = MakeEntity(EntityType::kDateTime, offset, length, std::move(*format));
          entity.unix_time = tag.date;
          entities.push_back(std::move(entity));
        }
      } else if (name == "a") {
        Entity entity;
        bool made = tag.argument.empty()
                        ? own_text_links.Make(out, tag.out_offset, offset, length, &entity)
                        : MakeLinkEntity(tag.argument, offset, length, &entity);
        if (made) entities.push_back(std::move(entity));
      } else if (name == "pre") {
        // <pre><code class="language-x"> (the code closed first, with the same range).
        if (!entities.empty() && entities.back().type == EntityType::kCode &&
            entities.back().offset == offset && entities.back().length == length &&
            !entities.back().argument.empty()) {
          entities.back().type = EntityType::kPre;
        } else {
          entities.push_back(MakeEntity(EntityType::kPre, offset, length));
        }
      } else if (name == "code") {
        // <code class="language-x"><pre> (the pre closed first, with the same range).
        if (!entities.empty() && entities.back().type == EntityType::kPre &&
            entities.back().argument.empty() && entities.back().offset == offset &&
            entities.back().length == length && !tag.argument.empty()) {
          entities.back().argument = std::move(tag.argument);
        } else {
          // The language is kept until the end for a <pre> around it, then dropped.
          entities.push_back(
              MakeEntity(EntityType::kCode, offset, length, std::move(tag.argument)));
        }
      } else {  // blockquote
        entities.push_back(MakeEntity(
            tag.argument.empty() ? EntityType::kBlockquote : EntityType::kExpandableBlockquote,
            offset, length));
      }
    }
    open_tags.pop_back();
  }
  if (!open_tags.empty()) {
    return ParseError("Can't find end tag corresponding to start tag \"" + open_tags.back().name +
                      "\"");
  }
  for (Entity& entity : entities) {
    if (entity.type == EntityType::kCode) entity.argument.clear();
  }
  SortEntities(entities);
  if (need_recheck_utf8 && !utf8::IsValid(out)) {
    return ParseError(
        "Text contains invalid Unicode characters after decoding HTML entities, check for "
        "unmatched surrogate code units");
  }
  return result;
}

}  // namespace tgi::text::parse_internal
