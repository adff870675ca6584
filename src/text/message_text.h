// The whole way of a message text from the Bot API's parameters to what the server stores and
// the bot sees in the result (spec 2.2 steps 4, 5 and 14; 3.1; 4.1):
//
//   text (+ parse_mode | + entities)
//     -> more than 32768 bytes: "Text is too long"
//     -> parse_mode given (and text non-empty): not UTF-8 -> "Text must be encoded in UTF-8";
//        ParseMarkup -> "Can't parse entities: <detail>"; the `entities` parameter is ignored
//        otherwise the given entities (already read from JSON by the Bot API layer)
//     -> PrepareInputEntities (text_link URLs checked, tg://user links made text_mentions...)
//     -> FixFormattedText with the entities found in the text merged in (the server finds them
//        again on its side, spec 4.1; its detection is modelled by FindEntities)
//     -> more than max_length code points: "Message is too long"
//     -> at most 100 formatting entities kept (CapFormattingEntities)
//
// Errors are TDLib's texts with their capital letter; the Bot API layer lowercases the first
// letter and adds "Bad Request: " (spec 0), and wraps the entities' JSON errors itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "text/formatted_text.h"
#include "text/parse.h"

namespace tgi::text {

// Named decision: the server's message_text_length_max is 4096 code points (TDLib clamps the
// server's value to at least 4096; the public server uses 4096).
inline constexpr size_t kMaxMessageLength = 4096;
// The Bot API's limit on a text parameter, in bytes, checked before parsing (Client.cpp).
inline constexpr size_t kMaxTextParameterBytes = 32768;

struct MessageTextOptions {
  // Allow an empty result (a message with a link preview URL of its own); see FixOptions.
  bool allow_empty = false;
  bool skip_bot_commands = false;
  size_t max_length = kMaxMessageLength;
};

// The text of sendMessage and editMessageText as the server would store it.
Result<FormattedText, std::string> PrepareMessageText(std::string_view text,
                                                      std::optional<ParseMode> parse_mode,
                                                      std::vector<Entity> entities,
                                                      const MessageTextOptions& options = {});

}  // namespace tgi::text
