#include "text/parse.h"

#include <string>

#include "common/ascii.h"
#include "text/links.h"
#include "text/parse_internal.h"
#include "text/utf16.h"

namespace tgi::text {

namespace parse_internal {

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

}  // namespace parse_internal

using parse_internal::ParseError;

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
      return parse_internal::ParseHtml(text);
    case ParseMode::kMarkdownV2:
      return parse_internal::ParseMarkdownV2(text);
    case ParseMode::kMarkdown:
      return parse_internal::ParseMarkdownV1(text);
  }
  return ParseError("Unsupported parse mode");
}

}  // namespace tgi::text
