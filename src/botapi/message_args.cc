#include "botapi/message_args.h"

#include <algorithm>

#include "botapi/json_reader.h"
#include "common/ascii.h"
#include "common/utf8.h"
#include "text/fix.h"

namespace tgi::botapi {
namespace {

using Detail = std::string;
using text::Entity;
using text::EntityType;

constexpr size_t kMaxTextBytes = size_t{1} << 15;     // get_formatted_text
constexpr size_t kMaxMessageIds = 100;                // get_message_ids' max_count
constexpr int32_t kMaxCacheTime = 30 * 24 * 60 * 60;  // answerCallbackQuery's cache_time
constexpr size_t kMaxCallbackAnswerCharacters = 200;  // the docs' 0-200 characters

// date_time_format as the reference writes it back (JsonEntity): the parse into TDLib's
// DateTimeFormattingType and out again, so an input the reference accepts gives its output.
Result<std::string, Detail> DateTimeFormat(std::string_view format) {
  if (format.empty()) return std::string();
  if (format == "r" || format == "R") return std::string("r");
  bool day_of_week = false;
  char date = 0;
  char time = 0;
  bool invalid = false;
  for (char c : format) {
    switch (c) {
      case 't':
      case 'T':
        time = c;
        break;
      case 'd':
      case 'D':
        date = c;
        break;
      case 'w':
      case 'W':
        day_of_week = true;
        break;
      default:
        invalid = true;
    }
  }
  if (invalid) return Unexpected{Detail(kEntityDateTimeFormatInvalid)};
  std::string out;
  if (day_of_week) out += 'w';
  if (date) out += date;
  if (time) out += time;
  return out;
}

// get_text_entity_type: the type's extra fields. nullopt for the types found automatically.
Result<std::optional<Entity>, Detail> ParseEntityType(const JsonObject& o, Entity e) {
  auto type = o.RequiredString("type");
  if (!type) return Unexpected{type.error()};
  const std::string& t = *type;
  if (t.empty()) return Unexpected{Detail(kEntityTypeNotSpecified)};
  struct Plain {
    std::string_view name;
    EntityType type;
  };
  static constexpr Plain kPlain[] = {
      {"bold", EntityType::kBold},
      {"italic", EntityType::kItalic},
      {"underline", EntityType::kUnderline},
      {"strikethrough", EntityType::kStrikethrough},
      {"spoiler", EntityType::kSpoiler},
      {"code", EntityType::kCode},
      {"blockquote", EntityType::kBlockquote},
      {"expandable_blockquote", EntityType::kExpandableBlockquote},
  };
  for (const Plain& p : kPlain) {
    if (t == p.name) {
      e.type = p.type;
      return std::optional<Entity>(std::move(e));
    }
  }
  if (t == "pre") {
    auto language = o.OptionalString("language");
    if (!language) return Unexpected{language.error()};
    e.type = EntityType::kPre;
    e.argument = std::move(*language);
    return std::optional<Entity>(std::move(e));
  }
  if (t == "text_link") {
    auto url = o.RequiredString("url");
    if (!url) return Unexpected{url.error()};
    e.type = EntityType::kTextLink;
    e.argument = std::move(*url);
    return std::optional<Entity>(std::move(e));
  }
  if (t == "text_mention") {
    auto user = o.RequiredField("user", JsonType::kObject);
    if (!user) return Unexpected{user.error()};
    auto id = (*user)->object().RequiredLong("id");
    if (!id) return Unexpected{id.error()};
    e.type = EntityType::kTextMention;
    e.user_id = *id;
    return std::optional<Entity>(std::move(e));
  }
  if (t == "custom_emoji") {
    auto id = o.RequiredLong("custom_emoji_id");
    if (!id) return Unexpected{id.error()};
    e.type = EntityType::kCustomEmoji;
    e.argument = std::to_string(*id);
    return std::optional<Entity>(std::move(e));
  }
  if (t == "date_time") {
    auto unix_time = o.RequiredInt("unix_time");
    if (!unix_time) return Unexpected{unix_time.error()};
    auto format = o.OptionalString("date_time_format");
    if (!format) return Unexpected{format.error()};
    auto spelled = DateTimeFormat(*format);
    if (!spelled) return Unexpected{spelled.error()};
    e.type = EntityType::kDateTime;
    e.unix_time = *unix_time;
    e.argument = std::move(*spelled);
    return std::optional<Entity>(std::move(e));
  }
  for (std::string_view found : {"mention", "hashtag", "cashtag", "bot_command", "url", "email",
                                 "phone_number", "bank_card_number"}) {
    if (t == found) return std::optional<Entity>();
  }
  return Unexpected{Detail(kEntityTypeUnsupported)};
}

// get_text_entity: offset, length, then the type.
Result<std::optional<Entity>, Detail> ParseEntity(const JsonValue& v) {
  if (v.type() != JsonType::kObject) return Unexpected{Detail(kEntityNotObject)};
  const JsonObject& o = v.object();
  auto offset = o.RequiredInt("offset");
  if (!offset) return Unexpected{offset.error()};
  auto length = o.RequiredInt("length");
  if (!length) return Unexpected{length.error()};
  return ParseEntityType(o, Entity{.offset = *offset, .length = *length});
}

// The entities of an already decoded value: nothing unless it is an array.
Result<std::vector<Entity>, ApiError> EntitiesOf(const JsonValue& v) {
  std::vector<Entity> entities;
  if (v.type() != JsonType::kArray) return entities;
  for (const JsonValue& element : v.array()) {
    auto e = ParseEntity(element);
    if (!e) return Unexpected{CantParseMessageEntity(e.error())};
    if (*e) entities.push_back(std::move(**e));
  }
  return entities;
}

// get_formatted_text over entities given as a decoded value (the `entities` parameter decoded,
// or reply_parameters' quote_entities as it stands in the object).
Result<TextArgs, ApiError> FormattedText(std::string_view text, std::string_view parse_mode,
                                         const JsonValue& entities, const TextParser& parser) {
  if (text.size() > kMaxTextBytes) return Unexpected{TextTooLong()};
  TextArgs args{.text = std::string(text)};
  if (!text.empty()) {
    auto mode = ParseParseMode(parse_mode);
    if (!mode) return Unexpected{mode.error()};
    if (*mode) {
      if (!parser) {
        args.parse_mode = *mode;
        return args;
      }
      auto parsed = parser(text, **mode);
      if (!parsed) return Unexpected{parsed.error()};
      args.text = std::move(parsed->text);
      args.entities = std::move(parsed->entities);
      return args;
    }
  }
  auto list = EntitiesOf(entities);
  if (!list) return Unexpected{list.error()};
  args.entities = std::move(*list);
  return args;
}

JsonValue DecodeOrNull(std::string_view json) {
  if (json.empty()) return JsonValue();
  std::optional<JsonValue> v = DecodeJson(json);
  return v ? std::move(*v) : JsonValue();
}

}  // namespace

Result<std::optional<ParseMode>, ApiError> ParseParseMode(std::string_view parse_mode) {
  std::string mode = ascii::Lower(parse_mode);
  if (mode.empty() || mode == "none") return std::optional<ParseMode>();
  if (mode == "markdown") return std::optional<ParseMode>(ParseMode::kMarkdown);
  if (mode == "markdownv2") return std::optional<ParseMode>(ParseMode::kMarkdownV2);
  if (mode == "html") return std::optional<ParseMode>(ParseMode::kHtml);
  return Unexpected{UnsupportedParseMode()};
}

Result<std::vector<text::Entity>, ApiError> ParseEntities(std::string_view json) {
  return EntitiesOf(DecodeOrNull(json));
}

Result<TextArgs, ApiError> ParseTextArgs(std::string_view text, std::string_view parse_mode,
                                         std::string_view entities_json, const TextParser& parser) {
  // The reference decodes the entities before it looks at anything else, but only their
  // elements can fail, and those are read last; decoding first changes no answer.
  return FormattedText(text, parse_mode, DecodeOrNull(entities_json), parser);
}

Result<TextArgs, ApiError> ParseMessageText(std::string_view text, std::string_view parse_mode,
                                            std::string_view entities_json,
                                            const TextParser& parser) {
  if (text.empty()) return Unexpected{MessageTextEmpty()};
  return ParseTextArgs(text, parse_mode, entities_json, parser);
}

Result<LinkPreviewOptions, ApiError> ParseLinkPreviewOptions(
    std::string_view link_preview_options, std::string_view disable_web_page_preview) {
  LinkPreviewOptions options;
  if (link_preview_options.empty()) {
    options.is_disabled = ParseLenientBool(disable_web_page_preview);
    return options;
  }
  std::optional<JsonValue> v = DecodeJson(link_preview_options);
  if (!v) return Unexpected{LinkPreviewOptionsNotJson()};
  if (v->type() != JsonType::kObject) return Unexpected{LinkPreviewOptionsNotObject()};
  const JsonObject& o = v->object();
  auto is_disabled = o.OptionalBool("is_disabled");
  if (!is_disabled) return Unexpected{JsonFieldError(is_disabled.error())};
  auto url = o.OptionalString("url");
  if (!url) return Unexpected{JsonFieldError(url.error())};
  auto small = o.OptionalBool("prefer_small_media");
  if (!small) return Unexpected{JsonFieldError(small.error())};
  auto large = o.OptionalBool("prefer_large_media");
  if (!large) return Unexpected{JsonFieldError(large.error())};
  auto above = o.OptionalBool("show_above_text");
  if (!above) return Unexpected{JsonFieldError(above.error())};
  options.is_disabled = *is_disabled;
  options.url = std::move(*url);
  options.prefer_small_media = *small;
  options.prefer_large_media = *large;
  options.show_above_text = *above;
  return options;
}

Result<ReplyParameters, ApiError> ParseReplyParameters(
    std::optional<std::string_view> reply_parameters, std::string_view reply_to_message_id,
    std::string_view allow_sending_without_reply, const TextParser& quote_parser) {
  ReplyParameters r;
  if (!reply_parameters) {
    r.message_id = ParseMessageId(reply_to_message_id);
    r.allow_sending_without_reply = ParseLenientBool(allow_sending_without_reply);
    return r;
  }
  if (reply_parameters->empty()) return r;
  std::optional<JsonValue> v = DecodeJson(*reply_parameters);
  if (!v) return Unexpected{ReplyParametersNotJson()};
  if (v->type() != JsonType::kObject) return Unexpected{ReplyParametersNotObject()};
  const JsonObject& o = v->object();
  if (o.size() == 0) return r;

  auto chat_id = o.OptionalString("chat_id");
  if (!chat_id) return Unexpected{JsonFieldError(chat_id.error())};
  auto message_id = o.RequiredInt("message_id");
  if (!message_id) return Unexpected{JsonFieldError(message_id.error())};
  auto allow = o.OptionalBool("allow_sending_without_reply");
  if (!allow) return Unexpected{JsonFieldError(allow.error())};
  auto quote = o.OptionalString("quote");
  if (!quote) return Unexpected{JsonFieldError(quote.error())};
  auto quote_parse_mode = o.OptionalString("quote_parse_mode");
  if (!quote_parse_mode) return Unexpected{JsonFieldError(quote_parse_mode.error())};
  static const JsonValue kAbsent;  // null: no entities
  const JsonValue* quote_entities = o.Find("quote_entities");
  auto quote_text = FormattedText(*quote, *quote_parse_mode,
                                  quote_entities ? *quote_entities : kAbsent, quote_parser);
  if (!quote_text) return Unexpected{quote_text.error()};
  auto quote_position = o.OptionalInt("quote_position");
  if (!quote_position) return Unexpected{JsonFieldError(quote_position.error())};
  auto checklist_task_id = o.OptionalInt("checklist_task_id");
  if (!checklist_task_id) return Unexpected{JsonFieldError(checklist_task_id.error())};
  auto poll_option_id = o.OptionalString("poll_option_id");
  if (!poll_option_id) return Unexpected{JsonFieldError(poll_option_id.error())};

  r.chat_id = std::move(*chat_id);
  r.message_id = std::max(*message_id, 0);
  r.allow_sending_without_reply = *allow;
  r.quote = std::move(*quote_text);
  r.quote_position = *quote_position;
  r.checklist_task_id = *checklist_task_id;
  r.poll_option_id = std::move(*poll_option_id);
  return r;
}

int32_t ParseMessageId(std::string_view message_id) {
  int32_t id = ParseLenientInt32(message_id);
  return id < 0 ? 0 : id;
}

Result<EditedMessage, ApiError> ParseEditedMessage(std::string_view chat_id,
                                                   std::string_view message_id,
                                                   std::string_view inline_message_id) {
  EditedMessage m{.chat_id = std::string(chat_id), .message_id = ParseMessageId(message_id)};
  if (chat_id.empty() && m.message_id == 0) {
    if (inline_message_id.empty()) return Unexpected{MessageIdNotSpecified()};
    m.is_inline = true;
    m.inline_message_id = std::string(inline_message_id);
  }
  return m;
}

Result<std::vector<int32_t>, ApiError> ParseMessageIds(std::string_view message_ids,
                                                       std::string_view name) {
  if (message_ids.empty()) return Unexpected{MessageIdsNotSpecified()};
  std::optional<JsonValue> v = DecodeJson(message_ids);
  if (!v) return Unexpected{MessageIdsNotJson(name)};
  if (v->type() != JsonType::kArray) return Unexpected{MessageIdsNotArray()};
  if (v->array().size() > kMaxMessageIds) return Unexpected{TooManyMessageIds()};
  std::vector<int32_t> ids;
  ids.reserve(v->array().size());
  for (const JsonValue& element : v->array()) {
    if (element.type() != JsonType::kNumber && element.type() != JsonType::kString)
      return Unexpected{MessageIdNotNumber()};
    std::optional<int32_t> id = ParseCanonicalInt32(element.text());
    if (!id) return Unexpected{MessageIdNotParsable()};
    if (*id <= 0) return Unexpected{InvalidMessageId()};
    ids.push_back(*id);
  }
  // Every caller (deleteMessages, forwardMessages, copyMessages) refuses an empty list alike.
  if (ids.empty()) return Unexpected{MessageIdsNotSpecified()};
  return ids;
}

namespace {

struct ActionName {
  std::string_view name;
  ChatAction action;
};
// The documented names first: ChatActionName takes the first match.
constexpr ActionName kActions[] = {
    {"typing", ChatAction::kTyping},
    {"upload_photo", ChatAction::kUploadPhoto},
    {"record_video", ChatAction::kRecordVideo},
    {"upload_video", ChatAction::kUploadVideo},
    {"record_voice", ChatAction::kRecordVoice},
    {"upload_voice", ChatAction::kUploadVoice},
    {"upload_document", ChatAction::kUploadDocument},
    {"choose_sticker", ChatAction::kChooseSticker},
    {"find_location", ChatAction::kFindLocation},
    {"record_video_note", ChatAction::kRecordVideoNote},
    {"upload_video_note", ChatAction::kUploadVideoNote},
    {"cancel", ChatAction::kCancel},
    {"record_audio", ChatAction::kRecordVoice},
    {"upload_audio", ChatAction::kUploadVoice},
    {"pick_up_location", ChatAction::kFindLocation},
};

}  // namespace

Result<ChatAction, ApiError> ParseChatAction(std::string_view action) {
  std::string lower = ascii::Lower(action);
  for (const ActionName& a : kActions)
    if (lower == a.name) return a.action;
  return Unexpected{WrongChatAction()};
}

std::string_view ChatActionName(ChatAction action) {
  for (const ActionName& a : kActions)
    if (a.action == action) return a.name;
  return "";
}

CallbackAnswer ParseCallbackAnswer(const Args& args) {
  return CallbackAnswer{.callback_query_id = ParseLenientInt64(args.Get("callback_query_id")),
                        .text = std::string(args.Get("text")),
                        .show_alert = args.Bool("show_alert"),
                        .url = std::string(args.Get("url")),
                        .cache_time = args.Int32("cache_time", 0, 0, kMaxCacheTime)};
}

Result<void, ApiError> CleanCallbackAnswer(CallbackAnswer& answer) {
  if (!text::CleanInputString(answer.text) || !text::CleanInputString(answer.url))
    return Unexpected{StringsMustBeUtf8()};
  return {};
}

Result<void, ApiError> CheckCallbackAnswerAtServer(const CallbackAnswer& answer) {
  // REQUIRES (CleanCallbackAnswer): the text is UTF-8, so counting lead bytes counts characters.
  if (utf8::CodePointCount(answer.text) > kMaxCallbackAnswerCharacters)
    return Unexpected{RawMessageTooLong()};
  return {};
}

}  // namespace tgi::botapi
