// The MarkdownV2 parser (spec 3.3), as TDLib's parse_markdown_v2. Like TDLib, it writes its
// output over its input as it goes (the output never overtakes the reading position), so `text`
// is both.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "text/entity_kinds.h"
#include "text/links.h"
#include "text/parse_internal.h"
#include "text/utf16.h"

namespace tgi::text::parse_internal {
namespace {

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

}  // namespace

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

}  // namespace tgi::text::parse_internal
