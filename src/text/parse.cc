#include "text/parse.h"

#include <cstdint>
#include <vector>

#include "common/ascii.h"
#include "common/utf8.h"
#include "text/entity_kinds.h"
#include "text/links.h"
#include "text/numbers.h"
#include "text/utf16.h"

namespace tgi::text {
namespace {

using ParseResult = Result<FormattedText, std::string>;

Unexpected<std::string> ParseError(std::string detail) { return {std::move(detail)}; }

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexValue(char c) { return IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }
// TDLib's is_space: the end of the text ('\0') counts, '\f' does not.
bool IsTdSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0' || c == '\v';
}

// Reads `s` with TDLib's view of a C string: '\0' at and after the end.
struct Reader {
  std::string_view s;
  char operator[](size_t i) const { return i < s.size() ? s[i] : '\0'; }
};

Entity MakeEntity(EntityType type, int32_t offset, int32_t length, std::string argument = {}) {
  Entity entity;
  entity.type = type;
  entity.offset = offset;
  entity.length = length;
  entity.argument = std::move(argument);
  return entity;
}

// A link of [text](url) or <a href>: text_mention for tg://user?id=N, else text_link with the
// normalised URL; nothing (false) for a URL NormalizeLink refuses.
bool MakeLinkEntity(std::string_view url, int32_t offset, int32_t length, Entity* entity) {
  if (auto user_id = LinkUserId(url)) {
    *entity = MakeEntity(EntityType::kTextMention, offset, length);
    entity->user_id = *user_id;
    return true;
  }
  auto link = NormalizeLink(url);
  if (!link) return false;
  *entity = MakeEntity(EntityType::kTextLink, offset, length, std::move(*link));
  return true;
}

// The link of the last <a> or [text] that used its own text as the URL, by the range of that
// text in the output (which never changes once written): nested ones with nothing between their
// starts share the text, and checking it once keeps "[[[[...]]]]" linear.
class OwnTextLinks {
 public:
  bool Make(std::string_view output, size_t begin, int32_t offset, int32_t length, Entity* entity) {
    if (begin != begin_ || output.size() != end_) {
      begin_ = begin;
      end_ = output.size();
      ok_ = MakeLinkEntity(output.substr(begin), 0, 0, &entity_);
    }
    if (!ok_) return false;
    *entity = entity_;
    entity->offset = offset;
    entity->length = length;
    return true;
  }

 private:
  size_t begin_ = std::string_view::npos;
  size_t end_ = std::string_view::npos;
  bool ok_ = false;
  Entity entity_;
};

// ---------------------------------------------------------------------------------------------
// HTML (spec 3.2)

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

std::string ByteOffset(size_t offset) { return " at byte offset " + std::to_string(offset); }

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

// ---------------------------------------------------------------------------------------------
// MarkdownV2 (spec 3.3). Like TDLib, it writes its output over its input as it goes (the output
// never overtakes the reading position), so `text` is both.

enum class V2Type {
  kBold,
  kItalic,
  kUnderline,
  kStrikethrough,
  kSpoiler,
  kCode,
  kPre,
  kPreCode,
  kTextUrl,
  kCustomEmoji,
  kBlockQuote,
  kExpandableBlockQuote,
};

// TDLib's names of the entity types, as its errors print them.
const char* V2TypeName(V2Type type) {
  switch (type) {
    case V2Type::kBold:
      return "Bold";
    case V2Type::kItalic:
      return "Italic";
    case V2Type::kUnderline:
      return "Underline";
    case V2Type::kStrikethrough:
      return "Strikethrough";
    case V2Type::kSpoiler:
      return "Spoiler";
    case V2Type::kCode:
      return "Code";
    case V2Type::kPre:
      return "Pre";
    case V2Type::kPreCode:
      return "PreCode";
    case V2Type::kTextUrl:
      return "TextUrl";
    case V2Type::kCustomEmoji:
      return "CustomEmoji";
    case V2Type::kBlockQuote:
      return "BlockQuote";
    case V2Type::kExpandableBlockQuote:
      return "ExpandableBlockQuote";
  }
  return "";
}

std::string ReservedError(char c) {
  return std::string("Character '") + c +
         "' is reserved and must be escaped with the preceding '\\'";
}

bool IsEscapable(char c) { return c > 0 && c <= 126; }  // as a signed char: bytes 1 to 126

ParseResult ParseMarkdownV2(std::string_view input) {
  std::string text(input);
  auto at = [&text](size_t i) -> char { return i < text.size() ? text[i] : '\0'; };
  size_t result_size = 0;
  std::vector<Entity> entities;
  int32_t utf16_offset = 0;

  struct Open {
    V2Type type;
    std::string argument;
    int32_t utf16_offset;
    size_t byte_offset;  // in the input, for errors
    size_t begin_pos;    // in the output
  };
  std::vector<Open> nested;
  OwnTextLinks own_text_links;
  auto cant_find_end = [&nested]() {
    return ParseError(std::string("Can't find end of ") + V2TypeName(nested.back().type) +
                      " entity" + ByteOffset(nested.back().byte_offset));
  };
  // The URL of "(...)" starting at text[*i] == '(' ; *i ends on the ')' (or the end).
  auto read_url = [&](size_t* i, std::string* url) -> Status {
    *i += 2;
    size_t url_begin = *i;
    while (*i < text.size() && text[*i] != ')') {
      if (text[*i] == '\\' && IsEscapable(at(*i + 1))) {
        url->push_back(text[*i + 1]);
        *i += 2;
        continue;
      }
      url->push_back(text[(*i)++]);
    }
    if (at(*i) != ')') return Fail("Can't find end of a URL" + ByteOffset(url_begin));
    return {};
  };

  bool have_blockquote = false;
  bool can_start_blockquote = true;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' && IsEscapable(at(i + 1))) {
      ++i;
      utf16_offset += 1;
      text[result_size++] = text[i];
      if (text[i] != '\r') can_start_blockquote = text[i] == '\n';
      continue;
    }

    std::string_view reserved = "_*[]()~`>#+-=|{}.!\n";
    if (!nested.empty()) {
      V2Type top = nested.back().type;
      if (top == V2Type::kCode || top == V2Type::kPre || top == V2Type::kPreCode) reserved = "`";
    }
    if (reserved.find(static_cast<char>(c)) == std::string_view::npos) {
      if (IsLeadByte(c)) {
        utf16_offset += Utf16Units(c);
        if (c != '\r') can_start_blockquote = false;
      }
      text[result_size++] = text[i];
      continue;
    }

    bool is_end_of_entity = [&] {
      if (nested.empty()) return false;
      if (have_blockquote && c == '\n' && (i + 1 == text.size() || text[i + 1] != '>')) {
        return true;
      }
      switch (nested.back().type) {
        case V2Type::kBold:
          return c == '*';
        case V2Type::kItalic:
          return c == '_' && at(i + 1) != '_';
        case V2Type::kCode:
          return c == '`';
        case V2Type::kPre:
        case V2Type::kPreCode:
          return c == '`' && at(i + 1) == '`' && at(i + 2) == '`';
        case V2Type::kTextUrl:
          return c == ']';
        case V2Type::kUnderline:
          return c == '_' && at(i + 1) == '_';
        case V2Type::kStrikethrough:
          return c == '~';
        case V2Type::kSpoiler:
          return c == '|' && at(i + 1) == '|';
        case V2Type::kCustomEmoji:
          return c == ']';
        default:
          return false;
      }
    }();

    if (!is_end_of_entity) {
      // The start of an entity.
      V2Type type;
      std::string argument;
      size_t byte_offset = i;
      switch (c) {
        case '_':
          if (at(i + 1) == '_') {
            type = V2Type::kUnderline;
            ++i;
          } else {
            type = V2Type::kItalic;
          }
          break;
        case '*':
          type = V2Type::kBold;
          break;
        case '~':
          type = V2Type::kStrikethrough;
          break;
        case '|':
          if (at(i + 1) != '|') return ParseError(ReservedError(text[i]));
          ++i;
          type = V2Type::kSpoiler;
          break;
        case '[':
          type = V2Type::kTextUrl;
          break;
        case '`':
          if (at(i + 1) == '`' && at(i + 2) == '`') {
            i += 3;
            type = V2Type::kPre;
            size_t language_end = i;
            while (!IsTdSpace(at(language_end)) && at(language_end) != '`') ++language_end;
            if (i != language_end && language_end < text.size() && text[language_end] != '`') {
              type = V2Type::kPreCode;
              argument = text.substr(i, language_end - i);
              i = language_end;
            }
            // One newline at the start of the text is skipped.
            if (at(i) == '\n' || at(i) == '\r') {
              if ((at(i + 1) == '\n' || at(i + 1) == '\r') && at(i) != at(i + 1)) {
                i += 2;
              } else {
                ++i;
              }
            }
            --i;
          } else {
            type = V2Type::kCode;
          }
          break;
        case '!':
          if (at(i + 1) != '[') return ParseError(ReservedError(text[i]));
          ++i;
          type = V2Type::kCustomEmoji;
          break;
        case '\n':
          utf16_offset += 1;
          text[result_size++] = '\n';
          can_start_blockquote = true;
          continue;
        case '>':
          if (!can_start_blockquote) return ParseError(ReservedError(text[i]));
          if (have_blockquote) continue;  // the '>' of a following line of the quote
          type = V2Type::kBlockQuote;
          have_blockquote = true;
          break;
        default:
          return ParseError(ReservedError(text[i]));
      }
      nested.push_back({type, std::move(argument), utf16_offset, byte_offset, result_size});
      continue;
    }

    // The end of an entity.
    V2Type type = nested.back().type;
    if (c == '\n' && type != V2Type::kBlockQuote) {
      // Only the "||" of an expandable quote may stand open at the quote's end.
      const Open& top = nested.back();
      bool expandable_mark =
          type == V2Type::kSpoiler &&
          (top.byte_offset + 2 == i ||
           (top.byte_offset + 3 == i && result_size != 0 && text[result_size - 1] == '\r'));
      if (!expandable_mark) return cant_find_end();
      nested.pop_back();
      type = nested.back().type;
      if (type != V2Type::kBlockQuote) return cant_find_end();
      type = V2Type::kExpandableBlockQuote;
    }
    Open& open = nested.back();
    bool skip_entity = utf16_offset == open.utf16_offset;
    Entity entity = MakeEntity(EntityType::kBold, open.utf16_offset, 0);
    switch (type) {
      case V2Type::kBold:
        entity.type = EntityType::kBold;
        break;
      case V2Type::kItalic:
        entity.type = EntityType::kItalic;
        break;
      case V2Type::kCode:
        entity.type = EntityType::kCode;
        break;
      case V2Type::kStrikethrough:
        entity.type = EntityType::kStrikethrough;
        break;
      case V2Type::kUnderline:
        entity.type = EntityType::kUnderline;
        ++i;
        break;
      case V2Type::kSpoiler:
        entity.type = EntityType::kSpoiler;
        ++i;
        break;
      case V2Type::kPre:
      case V2Type::kPreCode:
        entity.type = EntityType::kPre;
        entity.argument = std::move(open.argument);
        i += 2;
        break;
      case V2Type::kTextUrl: {
        bool made;
        if (at(i + 1) != '(') {  // the text itself is the URL
          made = own_text_links.Make(std::string_view(text).substr(0, result_size), open.begin_pos,
                                     open.utf16_offset, 0, &entity);
        } else {
          std::string url;
          if (auto status = read_url(&i, &url); !status) return ParseError(status.error().message);
          made = MakeLinkEntity(url, open.utf16_offset, 0, &entity);
        }
        if (!made) skip_entity = true;
        break;
      }
      case V2Type::kCustomEmoji: {
        if (at(i + 1) != '(') {
          return ParseError("The entity must contain a tg://emoji or tg://time URL");
        }
        std::string url;
        if (auto status = read_url(&i, &url); !status) return ParseError(status.error().message);
        if (auto id = LinkCustomEmojiId(url)) {
          entity.type = EntityType::kCustomEmoji;
          entity.argument = std::to_string(*id);
        } else if (auto date = LinkFormattedDate(url)) {
          entity.type = EntityType::kDateTime;
          entity.unix_time = date->unix_time;
          entity.argument = std::move(date->format);
        } else {
          return ParseError("Invalid tg://emoji or tg://time URL specified");
        }
        break;
      }
      case V2Type::kBlockQuote:
      case V2Type::kExpandableBlockQuote:
        entity.type = type == V2Type::kBlockQuote ? EntityType::kBlockquote
                                                  : EntityType::kExpandableBlockquote;
        have_blockquote = false;
        text[result_size++] = text[i];
        can_start_blockquote = true;
        utf16_offset += 1;
        skip_entity = false;
        break;
    }
    if (!skip_entity) {
      entity.length = utf16_offset - entity.offset;
      entities.push_back(std::move(entity));
    }
    nested.pop_back();
  }

  if (have_blockquote) {
    EntityType type = EntityType::kBlockquote;
    if (nested.back().type == V2Type::kSpoiler && nested.back().byte_offset + 2 == text.size()) {
      nested.pop_back();
      type = EntityType::kExpandableBlockquote;
    }
    if (nested.back().type == V2Type::kBlockQuote) {
      int32_t offset = nested.back().utf16_offset;
      if (utf16_offset != offset)
        entities.push_back(MakeEntity(type, offset, utf16_offset - offset));
      nested.pop_back();
    }
  }
  if (!nested.empty()) return cant_find_end();

  SortEntities(entities);
  text.resize(result_size);
  return FormattedText{std::move(text), std::move(entities)};
}

// ---------------------------------------------------------------------------------------------
// Markdown, the legacy one (spec 3.4). Also writes over its input, and one of its quirks comes
// from that: [text] without (url) reads its URL from the half-overwritten buffer.

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

}  // namespace

std::optional<ParseMode> ParseModeFromName(std::string_view name, bool* unknown) {
  *unknown = false;
  std::string lower = ascii::Lower(name);
  if (lower == "html") return ParseMode::kHtml;
  if (lower == "markdownv2") return ParseMode::kMarkdownV2;
  if (lower == "markdown") return ParseMode::kMarkdown;
  if (!lower.empty() && lower != "none") *unknown = true;
  return std::nullopt;
}

Result<FormattedText, std::string> ParseMarkup(std::string_view text, ParseMode mode) {
  // Named decision: the limit is checked here, as TDLib's parseTextEntities does before parsing
  // (the Bot API's own 32768-byte limit makes it unreachable there).
  constexpr size_t kMaxCodePoints = 65536;
  if (CodePointLength(text) > kMaxCodePoints) return ParseError("Text is too long");
  switch (mode) {
    case ParseMode::kHtml:
      return ParseHtml(text);
    case ParseMode::kMarkdownV2:
      return ParseMarkdownV2(text);
    case ParseMode::kMarkdown:
      return ParseMarkdownV1(text);
  }
  return ParseError("Unsupported parse mode");
}

}  // namespace tgi::text
