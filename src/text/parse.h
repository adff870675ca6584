// The three parse_mode parsers of the Bot API (spec 3.2 to 3.4): HTML, MarkdownV2 and the legacy
// Markdown, as TDLib's parse_html, parse_markdown_v2 and parse_markdown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "text/formatted_text.h"

namespace tgi::text {

enum class ParseMode { kHtml, kMarkdownV2, kMarkdown };

// The Bot API's parse_mode parameter: lowercased, "html", "markdownv2" or "markdown". nullopt
// for "" and "none" (no parsing); an unknown name is an error "unsupported parse_mode" at the
// Bot API layer, told apart here by `*unknown` set to true.
std::optional<ParseMode> ParseModeFromName(std::string_view name, bool* unknown);

// Parses `text` in `mode` into its plain text and entities, exactly as TDLib's parser does (its
// parseTextEntities, before any normalisation: no cleaning, no trimming, nesting left as
// written, entities sorted as in spec 1.4). On failure returns TDLib's detail text, e.g.
// `Unsupported start tag "br" at byte offset 0`; byte offsets in it are offsets into `text`.
// The Bot API says "can't parse entities: <detail>".
//
// Entities made: bold, italic, underline, strikethrough, spoiler, code, pre (argument = the
// language, "" for none), text_link (argument = the normalised URL; links that NormalizeLink
// refuses are dropped), text_mention (user_id, from tg://user?id=N), custom_emoji (argument =
// the id in decimal), date_time (unix_time, argument = the canonical format), blockquote and
// expandable_blockquote. Empty entities are dropped.
//
// `text` should be well-formed UTF-8 (TDLib refuses anything else before parsing, see
// PrepareMessageText); any bytes are read safely. More than 65536 code points: "Text is too long".
Result<FormattedText, std::string> ParseMarkup(std::string_view text, ParseMode mode);

}  // namespace tgi::text
