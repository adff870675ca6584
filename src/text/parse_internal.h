// What the three parsers of parse.h share: their result, their error texts, the making of
// entities and links. Internal to src/text: parse.cc (ParseMarkup picks a parser and holds the
// shared definitions), parse_html.cc, parse_markdown_v2.cc and parse_markdown.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "text/formatted_text.h"

namespace tgi::text::parse_internal {

using ParseResult = Result<FormattedText, std::string>;

inline Unexpected<std::string> ParseError(std::string detail) { return {std::move(detail)}; }

// TDLib's is_space: the end of the text ('\0') counts, '\f' does not.
inline bool IsTdSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0' || c == '\v';
}

inline std::string ByteOffset(size_t offset) { return " at byte offset " + std::to_string(offset); }

inline Entity MakeEntity(EntityType type, int32_t offset, int32_t length,
                         std::string argument = {}) {
  Entity entity;
  entity.type = type;
  entity.offset = offset;
  entity.length = length;
  entity.argument = std::move(argument);
  return entity;
}

// A link of [text](url) or <a href>: text_mention for tg://user?id=N, else text_link with the
// normalised URL; nothing (false) for a URL NormalizeLink refuses.
bool MakeLinkEntity(std::string_view url, int32_t offset, int32_t length, Entity* entity);

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

// The parsers, for ParseMarkup (parse.h), which checks the length of `input` first.
ParseResult ParseHtml(std::string_view input);        // spec 3.2, parse_html.cc
ParseResult ParseMarkdownV2(std::string_view input);  // spec 3.3, parse_markdown_v2.cc
ParseResult ParseMarkdownV1(std::string_view input);  // spec 3.4, parse_markdown.cc

}  // namespace tgi::text::parse_internal
