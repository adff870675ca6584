// The normalisation of a formatted text (spec 2.5 and 3.7), TDLib's fix_formatted_text: what
// every text goes through after parsing or with the explicit `entities` parameter, before it is
// sent. Errors are TDLib's texts, with their capital letter (the Bot API layer lowercases the
// first letter by its own rule, spec 0).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "text/formatted_text.h"

namespace tgi::text {

struct FixOptions {
  // An empty (or invisible) result is allowed instead of "Text must be non-empty": a text left
  // with no visible character becomes "" with no entities, an invisible one is kept.
  bool allow_empty = false;
  // Leading and trailing spaces and newlines are kept.
  bool skip_trim = false;
  // The entities found in the text (FindEntities) are added where they fit.
  bool find_entities = true;
  bool skip_bot_commands = false;
};

// Normalises `text`:
// 1. Checks: well-formed UTF-8 ("Strings must be encoded in UTF-8"); each entity's offset and
//    length in 0..1000000 ("Receive an entity with incorrect offset N" / "... length N").
//    Entities of length 0 (and text_links without URL, text_mentions without user, custom
//    emoji with id 0, dates <= 0) are dropped.
// 2. Nesting repair (spec 3.7): continuous entities (links, mentions, code, pre, date_time,
//    custom emoji) never intersect (of two, the first in sort order stays); code, pre and
//    date_time contain nothing; blockquotes neither nest nor overlap (nor cut a continuous one);
//    bold, italic, underline, strikethrough and spoiler are split at other entities' borders
//    and merged when touching.
// 3. Cleaning: bytes 0-9, 11, 12, 14-31 become spaces, '\r' and U+2028-U+202E and the combining
//    marks U+0333, U+033F, U+030A are removed (entities shifted), and in a run of U+200E/U+200F
//    every mark but the last becomes U+200C. An entity that no longer lines up with the text:
//    "Entity begins after the end of the text at UTF-16 offset N", "Entity beginning at UTF-16
//    offset N ends after the end of the text at UTF-16 offset M", "Entity begins in a middle of
//    a UTF-16 symbol at byte offset N", "Entity beginning at UTF-16 offset N ends in a middle
//    of a UTF-16 symbol at byte offset M".
// 4. Nothing but spaces and newlines: "Text must be non-empty".
// 5. Trimming: trailing spaces and newlines go (entities cut back or dropped); leading ones go
//    up to the first entity only.
// 6. Only invisible characters left (spaces, newlines, U+200B-U+200F, U+202E, U+FEFF, U+00A0,
//    U+1680, U+180E, U+2000-U+200A, U+202F, U+205F, U+2800, U+3000, U+FFFC, U+E0000-U+E007F):
//    "Text must be non-empty".
// 7. Longer than 35000 bytes: cut at a character boundary.
// 8. The found entities are merged in (FixOptions::find_entities).
// The result's entities are sorted as in spec 1.4.
Result<FormattedText, std::string> FixFormattedText(FormattedText text,
                                                    const FixOptions& options = {});

// The explicit entities of a message (TDLib's get_message_entities, applied to what the Bot API
// layer parsed from the `entities` parameter), in their order, before FixFormattedText:
// - types found automatically (mention, url, ...) are dropped;
// - a pre language and a text_link URL are cleaned as text is (not UTF-8:
//   "MessageEntityPreCode.language must be encoded in UTF-8" /
//   "MessageEntityTextUrl.url must be encoded in UTF-8");
// - a text_link to tg://user?id=N becomes a text_mention of user N; any other URL is
//   normalised by CheckLink, or fails with "Entity URL '<url>' is invalid: <reason>";
// - custom_emoji with id 0: "Invalid custom emoji identifier specified";
// - date_time with unix_time <= 0: "Invalid date specified".
// (Whether a text_mention's user exists is the caller's to check.)
Result<std::vector<Entity>, std::string> PrepareInputEntities(std::vector<Entity> entities);

// TDLib's clean_input_string for a lone string (button texts, a link preview URL...): false if
// not well-formed UTF-8; otherwise cleans as step 3 above, and cuts it below 35000 bytes.
bool CleanInputString(std::string& text);

// TDLib's strip_empty_characters(text, max_code_points) (td/telegram/misc.cpp): the space
// characters U+1680, U+180E, U+2000-U+200A, U+202F, U+205F, U+2800, U+3000, U+FFFC and the tags
// U+E0000-U+E007F become ' '; then the text is trimmed (' ', '\t', '\r', '\n', '\v', '\0'), cut
// to `max_code_points` code points and trimmed again. Returns "" if every character left is an
// empty one: ' ', '\n', U+200B-U+200F, U+202E, U+FEFF (BOM) or U+00A0 (NBSP). Empty characters
// elsewhere are kept. Safe on any input; code points are counted by their lead bytes.
std::string StripEmptyCharacters(std::string_view text, size_t max_code_points);

// TDLib's clean_name(text, max_code_points), for names such as an invite link's:
// StripEmptyCharacters first (so the cut comes before the collapse), then every run of ' ', '\n'
// and U+00A0 becomes one ' ', then the result is trimmed. Other characters ('\t' among them)
// are kept: callers pass text that CleanInputString already cleaned.
std::string CleanName(std::string_view text, size_t max_code_points);

// True if `text` has no visible character (step 6's set). TDLib's is_empty_string.
bool IsInvisibleText(std::string_view text);

// The server keeps at most this many formatting entities of a message (custom emoji not
// counted); the rest are dropped silently (TDLib's get_input_message_entities).
inline constexpr size_t kMaxFormattingEntities = 100;

// Drops formatting entities past kMaxFormattingEntities the way TDLib does: first the
// non-splittable ones in sort order, then bold, italic, underline, strikethrough and spoiler
// (the pieces of one that fixing split around other entities counting once, as TDLib sends them
// merged). Entities found in the text and custom emoji are kept. Keeps the sort order.
void CapFormattingEntities(std::vector<Entity>& entities);

}  // namespace tgi::text
