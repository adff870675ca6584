// The parameters of the message methods (spec bot-api-messages.md), read as the reference's
// Client.cpp reads them, in its order and with its texts (errors.h, section Messages): the text
// and its formatting (sendMessage steps 3-5, 3.1, 3.6), link_preview_options (step 2, 2.6),
// reply_parameters (step 6), message ids (7.1, 7.7), sendChatAction's action (8.1) and
// answerCallbackQuery's parameters (6.3). Pure functions of the parameters' text; what needs the
// chat or the world is the method's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "botapi/args.h"
#include "botapi/errors.h"
#include "common/result.h"
#include "text/formatted_text.h"

namespace tgi::botapi {

enum class ParseMode : uint8_t { kMarkdown, kMarkdownV2, kHtml };

// parse_mode, lowercased: "markdown", "markdownv2" or "html"; "" and "none" are no parse mode
// (nullopt); anything else is "Bad Request: unsupported parse_mode". (The reference looks at it
// only when the text is not empty: see ParseTextArgs.)
Result<std::optional<ParseMode>, ApiError> ParseParseMode(std::string_view parse_mode);

// Spec 3.6: the `entities` parameter (also caption_entities). Text that is not JSON, or JSON that
// is not an array, is silently no entities; so is "". An element that is not an object, or has a
// field of the wrong type, is "Bad Request: can't parse MessageEntity: <detail>" (offset, length,
// type, then the type's fields: pre's language, text_link's url, text_mention's user.id,
// custom_emoji's custom_emoji_id, date_time's unix_time and date_time_format). The types found
// automatically (mention, hashtag, cashtag, bot_command, url, email, phone_number,
// bank_card_number) are accepted and left out. Nothing is checked against the text here (offsets,
// URLs, custom emoji ids, dates: the text library's normalisation does that later).
// The entities keep the reference's values: Entity::argument is a pre's language (may be ""), a
// text_link's url as given, a custom_emoji's id in decimal, and a date_time's format in the
// reference's own spelling ("" none, "r" relative, else "w" then "d"/"D" then "t"/"T", from any
// mix of "tTdDwW" in which the last of each kind counts).
// There is no "absent" value: the reference treats a missing, broken and empty list alike.
Result<std::vector<text::Entity>, ApiError> ParseEntities(std::string_view json);

// The text library's parser (parseTextEntities: HTML, MarkdownV2, Markdown), injected because
// src/text is written apart from this file. Its errors are the bot's ("Bad Request: can't parse
// entities: ...", "Bad Request: text must be encoded in UTF-8").
using TextParser =
    std::function<Result<text::FormattedText, ApiError>(std::string_view text, ParseMode mode)>;

// A text parameter with its formatting parameters, before TDLib's normalisation (spec 3.7).
struct TextArgs {
  std::string text;
  // Set when a parse mode applies and no parser was given: `text` is still markup, and
  // `entities` is empty (the `entities` parameter is ignored then).
  std::optional<ParseMode> parse_mode;
  std::vector<text::Entity> entities;
  bool operator==(const TextArgs&) const = default;
};

// Client::get_formatted_text: a text over 32,768 bytes is "Bad Request: text is too long"; then,
// for a non-empty text with a parse mode (ParseParseMode's error if unknown), the parser runs and
// `entities_json` is ignored; otherwise `entities_json` is read (ParseEntities). With a `parser`
// its result is returned (parse_mode unset); without one, the parse mode is returned for the
// caller to run.
Result<TextArgs, ApiError> ParseTextArgs(std::string_view text, std::string_view parse_mode,
                                         std::string_view entities_json,
                                         const TextParser& parser = {});

// get_input_message_text (sendMessage steps 3-5, editMessageText): an empty text is "Bad Request:
// message text is empty", then ParseTextArgs.
Result<TextArgs, ApiError> ParseMessageText(std::string_view text, std::string_view parse_mode,
                                            std::string_view entities_json,
                                            const TextParser& parser = {});

// Spec 2.6 input. Only true flags and a non-empty url mean anything; all false and "" is the
// reference's "no options".
struct LinkPreviewOptions {
  bool is_disabled = false;
  std::string url;  // as given (a JSON number as its text)
  bool prefer_small_media = false;
  bool prefer_large_media = false;
  bool show_above_text = false;
  bool operator==(const LinkPreviewOptions&) const = default;
};

// sendMessage step 2: `link_preview_options` if not empty ("Bad Request: can't parse link preview
// options JSON object", "Bad Request: object expected as link preview options", then the field
// texts in the order is_disabled, url, prefer_small_media, prefer_large_media, show_above_text);
// else the legacy `disable_web_page_preview` (a lenient boolean) as is_disabled.
Result<LinkPreviewOptions, ApiError> ParseLinkPreviewOptions(
    std::string_view link_preview_options, std::string_view disable_web_page_preview);

struct ReplyParameters {
  int32_t message_id = 0;  // 0: not a reply
  // The chat of the replied-to message as given, for the method to resolve like chat_id ("@name"
  // or an integer); "" is the chat of the call. A JSON number is read as its text.
  std::string chat_id;
  bool allow_sending_without_reply = false;
  // quote, quote_parse_mode, quote_entities: read (and refused) like a text, otherwise unused.
  TextArgs quote;
  int32_t quote_position = 0;
  int32_t checklist_task_id = 0;
  std::string poll_option_id;
  bool operator==(const ReplyParameters&) const = default;
};

// sendMessage step 6. If the `reply_parameters` parameter is present at all (`reply_parameters`
// is not nullopt, even ""), the legacy pair is ignored: "" and {} are no reply, text that is not
// JSON is "Bad Request: can't parse reply parameters JSON object", a non-object "Bad Request:
// object expected as reply parameters", then the fields in the reference's order: chat_id,
// message_id (required: "Bad Request: can't find field "message_id""; negative is 0),
// allow_sending_without_reply, quote, quote_parse_mode, quote_entities (ParseTextArgs' rules and
// texts; quote_entities is the JSON value itself, used only if it is an array), quote_position,
// checklist_task_id, poll_option_id. Otherwise the legacy `reply_to_message_id` (ParseMessageId)
// and `allow_sending_without_reply` (a lenient boolean). `quote_parser` runs a quote's markup at
// the reference's point, so its errors come before those of the later fields.
Result<ReplyParameters, ApiError> ParseReplyParameters(
    std::optional<std::string_view> reply_parameters, std::string_view reply_to_message_id,
    std::string_view allow_sending_without_reply, const TextParser& quote_parser = {});

// Spec 7.1, get_message_id: a lenient int32 (args.h); missing, not a number or negative is 0.
int32_t ParseMessageId(std::string_view message_id);

// The message an editMessage* call is about (spec 7.1): chat_id empty and message_id 0 is an
// inline message, whose inline_message_id must be non-empty ("Bad Request: message identifier is
// not specified"); anything else is a message in a chat, for check_message.
struct EditedMessage {
  bool is_inline = false;
  std::string chat_id;  // as given, to resolve like any chat_id
  int32_t message_id = 0;
  std::string inline_message_id;
  bool operator==(const EditedMessage&) const = default;
};
Result<EditedMessage, ApiError> ParseEditedMessage(std::string_view chat_id,
                                                   std::string_view message_id,
                                                   std::string_view inline_message_id);

// Spec 7.7, get_message_ids (deleteMessages, forwardMessages, copyMessages): a JSON array of 1 to
// 100 message ids, each a JSON number or string holding a positive int32 in its canonical form.
// The texts: "message identifiers are not specified" (missing, "" or []), "can't parse
// <name> JSON object", "expected an Array of message identifiers", "too many message identifiers
// specified", "message identifier must be a Number", "can't parse message identifier as a
// Number", "invalid message identifier specified" (<= 0); the first bad element decides.
Result<std::vector<int32_t>, ApiError> ParseMessageIds(std::string_view message_ids,
                                                       std::string_view name = "message_ids");

enum class ChatAction : uint8_t {
  kTyping,
  kUploadPhoto,
  kRecordVideo,
  kUploadVideo,
  kRecordVoice,
  kUploadVoice,
  kUploadDocument,
  kChooseSticker,
  kFindLocation,
  kRecordVideoNote,
  kUploadVideoNote,
  kCancel,  // undocumented: ends the shown action
};

// Spec 8.1: `action`, lowercased; the legacy names record_audio, upload_audio and
// pick_up_location are record_voice, upload_voice and find_location. Anything else is "Bad
// Request: wrong parameter action in request" (checked before the chat).
Result<ChatAction, ApiError> ParseChatAction(std::string_view action);
// The documented name ("typing", ..., "cancel").
std::string_view ChatActionName(ChatAction action);

// Spec 6.3: answerCallbackQuery's parameters. The Bot API layer refuses none of them.
struct CallbackAnswer {
  int64_t callback_query_id = 0;  // a lenient int64: "abc" is 0, which no query has
  std::string text;
  bool show_alert = false;
  std::string url;
  int32_t cache_time = 0;  // a lenient int32 clamped to 0..2,592,000 (30 days); default 0
  bool operator==(const CallbackAnswer&) const = default;
};
CallbackAnswer ParseCallbackAnswer(const Args& args);

// TDLib's step (Requests.cpp): text and url cleaned (CleanInputString); either not UTF-8 is
// "Bad Request: strings must be encoded in UTF-8".
Result<void, ApiError> CleanCallbackAnswer(CallbackAnswer& answer);

// The server's check of the answer's own values: a text over 200 characters is "Bad Request:
// MESSAGE_TOO_LONG". Named decision: characters are code points of the cleaned text (the server's
// unit is not known). The query itself (unknown, expired, answered: CallbackQueryTooOld) and the
// url (CallbackUrlInvalid) are the method's to check.
Result<void, ApiError> CheckCallbackAnswerAtServer(const CallbackAnswer& answer);

}  // namespace tgi::botapi
