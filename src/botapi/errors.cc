#include "botapi/errors.h"

#include "botapi/json_writer.h"
#include "common/utf8.h"

namespace tgi::botapi {
namespace {

bool IsRawCode(std::string_view m) {
  if (m.empty()) return false;
  for (char c : m)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

ApiError FromTdlib(int code, std::string_view message) {
  if (code == 429) {
    constexpr std::string_view kPrefix = "Too Many Requests: retry after ";
    if (message.substr(0, kPrefix.size()) == kPrefix) {
      int64_t n = 0;
      bool digits = message.size() > kPrefix.size();
      for (char c : message.substr(kPrefix.size())) {
        if (c < '0' || c > '9' || n > 1'000'000'000) {
          digits = false;
          break;
        }
        n = n * 10 + (c - '0');
      }
      if (digits && n > 0) return TooManyRequests(n);
    }
    return InternalError(message);
  }
  if (code < 400 || code == 404) code = 400;
  if (code == 403 && IsRawCode(message)) code = 400;
  std::string text(message);
  if (code == 400) {
    if (message == "INPUT_USER_DEACTIVATED") {
      code = 403, text = "user is deactivated";
    } else if (message == "USER_IS_BLOCKED") {
      code = 403, text = "bot was blocked by the user";
    } else if (message == "USER_ADMIN_INVALID") {
      text = "user is an administrator of the chat";
    } else if (message == "MESSAGE_NOT_MODIFIED") {
      text =
          "message is not modified: specified new message content and reply markup are exactly "
          "the same as a current content and reply markup of the message";
    } else if (message == "QUERY_ID_INVALID") {
      text = "query is too old and response timeout expired or query ID is invalid";
    } else if (message == "MESSAGE_DELETE_FORBIDDEN") {
      text = "message can't be deleted";
    } else if (message == "REPLY_MARKUP_TOO_LONG") {
      text = "reply markup is too long";
    }
  }
  std::string_view prefix;
  switch (code) {
    case 400:
      prefix = "Bad Request";
      break;
    case 401:
      prefix = "Unauthorized";
      break;
    case 403:
      prefix = "Forbidden";
      break;
    case 500:
      prefix = "Internal Server Error";
      break;
    default:
      code = 400, prefix = "Bad Request";
  }
  ApiError e{.code = code};
  if (text.compare(0, prefix.size(), prefix) == 0) {
    e.description = std::move(text);
    return e;
  }
  // Sentences start lowercase after the prefix; raw codes and acronyms keep their case.
  if (text.size() >= 2) {
    char second = text[1];
    bool keep = (second >= 'A' && second <= 'Z') || second == '_';
    if (!keep && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  e.description = std::string(prefix) + ": " + text;
  return e;
}

ApiError BadRequest(std::string_view message) { return FromTdlib(400, message); }

ApiError FromDomain(const domain::DomainError& e) {
  using domain::Err;
  std::string kind = domain::ChatTypeName(e.chat_type);
  switch (e.kind) {
    case Err::kChatNotFound:
      return FromTdlib(400, "Chat not found");
    case Err::kUserNotFound:
      return FromTdlib(400, "User not found");
    case Err::kGroupUpgraded: {
      ApiError a = FromTdlib(400, "Group chat was upgraded to a supergroup chat");
      if (e.migrate_to) a.migrate_to_chat_id = e.migrate_to->value;
      return a;
    }
    case Err::kBotKicked:
      return FromTdlib(403, "Bot was kicked from the " + kind + " chat");
    case Err::kBotNotMember:
      return FromTdlib(403, "Bot is not a member of the " + kind + " chat");
    case Err::kPrivateChatNoInvite:
      return FromTdlib(400, "Can't invite members to a private chat");
    case Err::kNotEnoughRightsInviteLink:
      return FromTdlib(400, "Not enough rights to manage chat invite link");
    case Err::kNoAdministratorsInPrivate:
      return FromTdlib(400, "There are no administrators in the private chat");
    case Err::kInviteHashExpired:
      return FromTdlib(400, "INVITE_HASH_EXPIRED");
    case Err::kUserAlreadyParticipant:
      return FromTdlib(400, "USER_ALREADY_PARTICIPANT");
    case Err::kBannedFromChat:
      // The MTProto join of a banned user fails as for a private chat it cannot see
      // (bot-api-moderation.md 2.4); USER_BANNED_IN_CHANNEL is about sending messages.
      return FromTdlib(400, "CHANNEL_PRIVATE");
    case Err::kMemberLimitWithApproval:
      return FromTdlib(
          400, "Member limit can't be specified for links requiring administrator approval");
    case Err::kInviteLinkEmpty:
      return FromTdlib(400, "Invite link must be non-empty");
    case Err::kInvalidSubscriptionPricing:
      return FromTdlib(400, "Invalid subscription pricing specified");
    case Err::kExpireDateInvalid:
      return FromTdlib(400, "EXPIRE_DATE_INVALID");
    case Err::kUsageLimitInvalid:
      return FromTdlib(400, "USAGE_LIMIT_INVALID");
    case Err::kChatInvitePermanent:
      return FromTdlib(400, "CHAT_INVITE_PERMANENT");
    case Err::kSubscriptionPeriodInvalid:
      return FromTdlib(400, "SUBSCRIPTION_PERIOD_INVALID");
    case Err::kPricingChatInvalid:
      return FromTdlib(400, "PRICING_CHAT_INVALID");
    case Err::kPeerIdInvalid:
      return FromTdlib(400, "PEER_ID_INVALID");
    case Err::kNoJoinRequestsInPrivate:
      return FromTdlib(400, "The chat can't have join requests");
    case Err::kChatDeactivated:
      return FromTdlib(400, "Chat is deactivated");
    case Err::kNotEnoughRightsJoinRequests:
      return FromTdlib(400, "Not enough rights to manage chat join requests");
    case Err::kHideRequesterMissing:
      return FromTdlib(400, "HIDE_REQUESTER_MISSING");
    case Err::kInviteRequestSent:
      return FromTdlib(400, "INVITE_REQUEST_SENT");
    case Err::kUserNotParticipant:
      return FromTdlib(400, "USER_NOT_PARTICIPANT");
    case Err::kBotCannotJoinByLink:
      // MTProto answers a bot's messages.importChatInvite with BOT_METHOD_INVALID.
      return FromTdlib(400, "BOT_METHOD_INVALID");
    // Messages (bot-api-messages.md 2.2-2.4, 6.3, 7).
    case Err::kBotCantInitiateConversation:
      return FromTdlib(403, "Bot can't initiate conversation with a user");
    case Err::kBotBlockedByUser:
      return FromTdlib(400, "USER_IS_BLOCKED");
    case Err::kBotCantMessageBot:
      return FromTdlib(403, "The bot can't send messages to the bot");
    case Err::kNeedAdminRightsInChannel:
      return FromTdlib(400, "Need administrator rights in the channel chat");
    case Err::kOnlyForSupergroups:
      return FromTdlib(400, "Method is available only for supergroups");
    case Err::kCantUnrestrictSelf:
      return FromTdlib(400, "Can't unrestrict self");
    case Err::kCantChangePrivatePermissions:
      return FromTdlib(400, "Can't change private chat permissions");
    case Err::kCantChangeChannelPermissions:
      return FromTdlib(400, "Can't change channel chat permissions");
    case Err::kNotEnoughRightsToChangePermissions:
      return FromTdlib(400, "Not enough rights to change chat permissions");
    // banChatSenderChat, unbanChatSenderChat (bot-api-moderation.md 6.3, 1.3 step 8).
    case Err::kInvalidChatIdentifier:
      return FromTdlib(400, "Invalid chat identifier specified");
    case Err::kCantBanChatsInBasicGroups:
      return FromTdlib(400, "Can't ban chats in basic groups");
    case Err::kMemberNotFound:
      return FromTdlib(400, "Member not found");
    case Err::kCantRestrictTheChat:
      return FromTdlib(400, "Can't restrict the chat");
    case Err::kNotEnoughRightsToSendText:
      return FromTdlib(400, "Not enough rights to send text messages to the chat");
    case Err::kMessageNotFound:
      switch (e.use) {
        case domain::MessageUseKind::kReply:
          return FromTdlib(400, "Message to be replied not found");
        case domain::MessageUseKind::kEdit:
          return FromTdlib(400, "Message to edit not found");
        case domain::MessageUseKind::kDelete:
          return FromTdlib(400, "Message to delete not found");
        case domain::MessageUseKind::kForward:
          return FromTdlib(400, "Message to forward not found");
        case domain::MessageUseKind::kCopy:
          return FromTdlib(400, "Message to copy not found");
        case domain::MessageUseKind::kPin:
          return FromTdlib(400, "Message to pin not found");
        case domain::MessageUseKind::kUnpin:
          return FromTdlib(400, "Message to unpin not found");
      }
      break;
    case Err::kMessageCantBeEdited:
      return FromTdlib(400, "Message can't be edited");
    case Err::kNoTextInMessage:
      return FromTdlib(400, "There is no text in the message to edit");
    case Err::kMessageNotModified:
      return FromTdlib(400, "MESSAGE_NOT_MODIFIED");
    case Err::kMessageCantBeDeleted:
      return FromTdlib(400, "Message can't be deleted");
    case Err::kMessageCantBeDeletedForEveryone:
      return FromTdlib(400, "Message can't be deleted for everyone");
    case Err::kMessageCantBeForwarded:
      return FromTdlib(400, "The message can't be forwarded");
    case Err::kMessageCantBeCopied:
      return FromTdlib(400, "The message can't be copied");
    case Err::kProtectedContent:
      return FromTdlib(400, "Message has protected content and can't be forwarded");
    case Err::kQueryIdInvalid:
      return FromTdlib(400, "QUERY_ID_INVALID");
    case Err::kNotEnoughRightsToPin:
      return FromTdlib(400, "Not enough rights to manage pinned messages in the chat");
    case Err::kServiceMessageCantBePinned:
      return FromTdlib(400, "Service messages can't be pinned");
    case Err::kBusinessConnectionNotFound:
      return FromTdlib(400, "Business connection not found");
    // Moderation (bot-api-moderation.md 1-3, 5, 6.2).
    case Err::kInvalidUserIdentifier:
      return FromTdlib(400, "Invalid user identifier specified");
    case Err::kCantBanInPrivate:
      return FromTdlib(400, "Can't ban members in private chats");
    case Err::kSupergroupOrChannelOnly:
      return FromTdlib(400, "Method is available for supergroup and channel chats only");
    case Err::kGroupsOnly:
      return FromTdlib(400, "Method is available only for groups and supergroups");
    case Err::kStatusInPrivate:
      return FromTdlib(400, "Chat member status can't be changed in private chats");
    case Err::kParticipantIdInvalid:
      return FromTdlib(400, "PARTICIPANT_ID_INVALID");
    case Err::kUserIdInvalid:
      return FromTdlib(400, "USER_ID_INVALID");
    case Err::kMemberListInaccessible:
      return FromTdlib(400, "Member list is inaccessible");
    case Err::kCantRemoveChatOwner:
      return FromTdlib(400, "Can't remove chat owner");
    case Err::kCantRestrictSelf:
      return FromTdlib(400, "Can't restrict self");
    case Err::kCantPromoteSelf:
      return FromTdlib(400, "Can't promote self");
    case Err::kNotEnoughRightsToRestrict:
      return FromTdlib(400, "Not enough rights to restrict/unrestrict chat member");
    case Err::kNotEnoughRights:
      return FromTdlib(400, "Not enough rights");
    case Err::kUserIsAdministrator:
      return FromTdlib(400, "USER_ADMIN_INVALID");
    case Err::kChatAdminRequired:
      return FromTdlib(403, "CHAT_ADMIN_REQUIRED");
    case Err::kRightForbidden:
      return FromTdlib(403, "RIGHT_FORBIDDEN");
    case Err::kOnlyOwnerEditsTitle:
      return FromTdlib(400, "Only the owner can edit their custom title");
    case Err::kUserNotAdministrator:
      return FromTdlib(400, "User is not an administrator");
    case Err::kNotEnoughRightsToEditTitle:
      return FromTdlib(400, "Not enough rights to change custom title of the user");
    case Err::kStringsMustBeUtf8:
      return FromTdlib(400, "Strings must be encoded in UTF-8");
    case Err::kCustomTitleEmojiNotAllowed:
      return FromTdlib(400, "CUSTOM_TITLE_EMOJI_NOT_ALLOWED");
    case Err::kTagEmojiNotAllowed:
      return FromTdlib(400, "TAG_EMOJI_NOT_ALLOWED");
    case Err::kTagChangeForbidden:
      return FromTdlib(400, "TAG_CHANGE_FORBIDDEN");
  }
  return InternalError("unknown error");
}

ApiError TooManyRequests(int64_t retry_after) {
  if (retry_after < 1) retry_after = 1;
  return ApiError{.code = 429,
                  .description = "Too Many Requests: retry after " + std::to_string(retry_after),
                  .retry_after = retry_after};
}

ApiError NotFound() { return ApiError{.code = 404, .description = "Not Found"}; }
ApiError MethodNotFound() {
  return ApiError{.code = 404, .description = "Not Found: method not found"};
}
ApiError AbsoluteUriNotFound() {
  return ApiError{.code = 404,
                  .description = "Not Found: absolute URI is specified in the Request-Line"};
}
ApiError InvalidTokenSpecified() {
  return ApiError{.code = 401, .description = "Unauthorized: invalid token specified"};
}
ApiError UnallowedTokenSpecified() {
  return ApiError{.code = 421, .description = "Misdirected Request: unallowed token specified"};
}
ApiError Unauthorized() { return ApiError{.code = 401, .description = "Unauthorized"}; }
ApiError LoggedOut() { return ApiError{.code = 400, .description = "Logged out"}; }
ApiError InternalError(std::string_view message) {
  return ApiError{.code = 500, .description = "Internal Server Error: " + std::string(message)};
}

ApiError StorageFailure() { return InternalError("storage failure"); }

ApiError ParameterEmpty(std::string_view name) {
  return BadRequest(std::string(name) + " is empty");
}
ApiError NotAValidInteger(std::string_view name) {
  return BadRequest(std::string(name) + " is not a valid Integer");
}
ApiError InvalidParameter(std::string_view name) {
  return BadRequest("Invalid " + std::string(name) + " specified");
}

ApiError TerminatedByOtherGetUpdates() {
  return ApiError{.code = 409,
                  .description =
                      "Conflict: terminated by other getUpdates request; make sure "
                      "that only one bot instance is running"};
}
ApiError TerminatedBySetWebhook() {
  return ApiError{.code = 409, .description = "Conflict: terminated by setWebhook request"};
}
ApiError GetUpdatesWhileWebhookActive() {
  return ApiError{.code = 409,
                  .description =
                      "Conflict: can't use getUpdates method while webhook is active; "
                      "use deleteWebhook to delete the webhook first"};
}
ApiError InvalidWebhookUrl() { return BadRequest("invalid webhook URL specified"); }
ApiError SecretTokenTooLong() { return BadRequest("secret token is too long"); }
ApiError SecretTokenUnallowedCharacters() {
  return BadRequest("secret token contains unallowed characters");
}
ApiError WebhookNotHttps() {
  return BadRequest("bad webhook: An HTTPS URL must be provided for webhook");
}
ApiError WebhookPortNotAllowed() {
  return BadRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
}

std::string WebhookWrongResponse(std::string_view what) {
  return "Wrong response from the webhook: " + std::string(what);
}
std::string WebhookFailedToResolve(std::string_view why) {
  return "Failed to resolve host: " + std::string(why);
}
std::string WebhookSslError(std::string_view openssl_error) {
  return "SSL error {" + std::string(openssl_error) + "}";
}

http::Response ErrorResponse(const ApiError& e) {
  JsonWriter w;
  w.BeginObject().Field("ok", false).Field("error_code", int64_t{e.code});
  w.Field("description", e.description);
  if (e.migrate_to_chat_id || e.retry_after) {
    w.Key("parameters").BeginObject();
    if (e.migrate_to_chat_id) w.Field("migrate_to_chat_id", *e.migrate_to_chat_id);
    if (e.retry_after) w.Field("retry_after", *e.retry_after);
    w.EndObject();
  }
  w.EndObject();
  http::Response r{.status = e.code, .body = w.Take()};
  if (e.code == 429 && e.retry_after && *e.retry_after > 0)
    r.extra_headers.push_back({"Retry-After", std::to_string(*e.retry_after)});
  return r;
}

http::Response OkResponse(std::string_view result_json) {
  std::string body;
  body.reserve(result_json.size() + 22);
  body += "{\"ok\":true,\"result\":";
  body += result_json;
  body += '}';
  return http::Response{.status = 200, .body = std::move(body)};
}

http::Response OkTrueWithDescription(std::string_view description) {
  std::string body = R"({"ok":true,"result":true,"description":)";
  AppendJsonString(body, description);
  body += '}';
  return http::Response{.status = 200, .body = std::move(body)};
}

// ---------------------------------------------------------------------------------------------
// Messages.

std::string JsonFieldText(JsonField problem, std::string_view field) {
  std::string_view what;
  switch (problem) {
    case JsonField::kMissing: {
      std::string text = "Can't find field \"";
      return text.append(field).append("\"");
    }
    case JsonField::kNotString:
      what = " must be of type String";
      break;
    case JsonField::kNotBoolean:
      what = " must be of type Boolean";
      break;
    case JsonField::kNotArray:
      what = " must be of type Array";
      break;
    case JsonField::kNotObject:
      what = " must be of type Object";
      break;
    case JsonField::kNotNumberType:
      what = " must be of type Number";
      break;
    case JsonField::kNotNumber:
      what = " must be a Number";
      break;
    case JsonField::kNotValidNumber:
      what = " must be a valid Number";
      break;
  }
  std::string text = "Field \"";
  return text.append(field).append("\"").append(what);
}

ApiError JsonFieldError(std::string_view detail) { return BadRequest(detail); }

ApiError MessageTextEmpty() { return BadRequest("Message text is empty"); }
ApiError TextTooLong() { return BadRequest("Text is too long"); }
ApiError UnsupportedParseMode() { return BadRequest("Unsupported parse_mode"); }
ApiError CantParseMessageEntity(std::string_view detail) {
  return BadRequest("Can't parse MessageEntity: " + std::string(detail));
}

ApiError LinkPreviewOptionsNotJson() {
  return BadRequest("Can't parse link preview options JSON object");
}
ApiError LinkPreviewOptionsNotObject() {
  return BadRequest("Object expected as link preview options");
}
ApiError ReplyParametersNotJson() { return BadRequest("Can't parse reply parameters JSON object"); }
ApiError ReplyParametersNotObject() { return BadRequest("Object expected as reply parameters"); }

ApiError ChatIdNotSpecified() { return BadRequest("Chat identifier is not specified"); }
ApiError MessageIdNotSpecified() { return BadRequest("Message identifier is not specified"); }
ApiError MessageIdsNotSpecified() { return BadRequest("Message identifiers are not specified"); }
ApiError MessageIdsNotJson(std::string_view name) {
  return BadRequest("Can't parse " + std::string(name) + " JSON object");
}
ApiError MessageIdsNotArray() { return BadRequest("Expected an Array of message identifiers"); }
ApiError TooManyMessageIds() { return BadRequest("Too many message identifiers specified"); }
ApiError MessageIdNotNumber() { return BadRequest("Message identifier must be a Number"); }
ApiError MessageIdNotParsable() { return BadRequest("Can't parse message identifier as a Number"); }
ApiError InvalidMessageId() { return BadRequest("Invalid message identifier specified"); }
ApiError MessageNotFound(std::string_view what) {
  return BadRequest(std::string(what) + " not found");
}

ApiError WrongChatAction() { return BadRequest("Wrong parameter action in request"); }

ApiError StringsMustBeUtf8() { return BadRequest("Strings must be encoded in UTF-8"); }
ApiError CallbackQueryTooOld() {
  return BadRequest("query is too old and response timeout expired or query ID is invalid");
}
ApiError CallbackUrlInvalid() { return BadRequest("URL_INVALID"); }
ApiError RawMessageTooLong() { return BadRequest("MESSAGE_TOO_LONG"); }

ApiError ReplyMarkupNotJson() {
  return BadRequest("Can't parse reply keyboard markup JSON object");
}
ApiError ReplyMarkupNotObject() { return BadRequest("Object expected as reply markup"); }
ApiError KeyboardNotArrayOfArrays() {
  return BadRequest("Field \"keyboard\" must be an Array of Arrays");
}
ApiError InlineKeyboardNotArrayOfArrays() {
  return BadRequest(
      "Field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays");
}
ApiError CantParseKeyboardButton(std::string_view detail) {
  return BadRequest("Can't parse keyboard button: " + std::string(detail));
}
ApiError CantParseInlineKeyboardButton(std::string_view detail) {
  return BadRequest("Can't parse inline keyboard button: " + std::string(detail));
}
ApiError FromChatIdRequired() {
  return ApiError{.code = 400,
                  .description = "Bad Request: parameter \"from_chat_id\" is required"};
}

ApiError BotNotFound(std::string_view username) {
  // The reference writes the whole description itself (fail_query), past the case rules.
  std::string text = "Bad Request: bot \"";
  return ApiError{.code = 400, .description = text.append(username).append("\" not found")};
}

ApiError InlineKeyboardExpected() { return BadRequest("Inline keyboard expected"); }
ApiError KeyboardButtonTextNotUtf8() {
  return BadRequest("Keyboard button text must be encoded in UTF-8");
}
ApiError KeyboardButtonTextEmpty() { return BadRequest("Keyboard button text must be non-empty"); }
ApiError PhoneNumberRequestNotInPrivate() {
  return BadRequest("Phone number can be requested in private chats only");
}
ApiError LocationRequestNotInPrivate() {
  return BadRequest("Location can be requested in private chats only");
}
ApiError PollRequestNotInPrivate() {
  return BadRequest("Poll can be requested in private chats only");
}
ApiError WebAppButtonNotInPrivate() {
  return BadRequest("Web App buttons can be used in private chats only");
}
ApiError UsersRequestNotInPrivate() {
  return BadRequest("Users can be requested in private chats only");
}
ApiError ChatsRequestNotInPrivate() {
  return BadRequest("Chats can be requested in private chats only");
}
ApiError ManagedBotsRequestNotInPrivate() {
  return BadRequest("Managed bots can be requested in private chats only");
}
ApiError LinkToUserInWebAppButton() {
  return BadRequest("Link to a user can't be used in Web App URL buttons");
}
ApiError LinkToUserInLoginUrlButton() {
  return BadRequest("Link to a user can't be used in login URL buttons");
}
std::string UrlInvalidText(std::string_view url, std::string_view reason) {
  std::string text = "URL ";
  if (utf8::IsValid(url)) text.append("'").append(url).append("' ");
  return text.append("is invalid: ").append(reason);
}
ApiError KeyboardButtonWebAppUrlInvalid(std::string_view url_text) {
  return BadRequest("Keyboard button Web App " + std::string(url_text));
}
ApiError InlineButtonTextNotUtf8() {
  return BadRequest("Inline keyboard button text must be encoded in UTF-8");
}
ApiError InlineButtonTextEmpty() {
  return BadRequest("Inline keyboard button text must be non-empty");
}
ApiError InlineButtonUrlInvalid(std::string_view url_text) {
  return BadRequest("Inline keyboard button " + std::string(url_text));
}
ApiError InlineButtonUrlNotUtf8() {
  return BadRequest("Inline keyboard button URL must be encoded in UTF-8");
}
ApiError NoChatTypeAllowed() { return BadRequest("At least one chat type must be allowed"); }
ApiError SwitchInlineInChannel(bool current_chat) {
  std::string text = "Can't use ";
  text.append(current_chat ? "switch_inline_query_current_chat" : "switch_inline_query");
  return BadRequest(text.append(
      " button in a channel chat, because users will not be able to use the button without "
      "knowing bot's username"));
}
ApiError InlineButtonQueryNotUtf8() {
  return BadRequest("Inline keyboard button switch inline query must be encoded in UTF-8");
}
ApiError InlineButtonLoginUrlInvalid(std::string_view url_text) {
  return BadRequest("Inline keyboard button login " + std::string(url_text));
}
ApiError InlineButtonLoginUrlNotUtf8() {
  return BadRequest("Inline keyboard button login URL must be encoded in UTF-8");
}
ApiError InlineButtonForwardTextNotUtf8() {
  return BadRequest("Inline keyboard button forward text must be encoded in UTF-8");
}
ApiError InlineButtonWebAppUrlInvalid(std::string_view url_text) {
  return BadRequest("Inline keyboard button Web App " + std::string(url_text));
}
ApiError InlineButtonWebAppUrlNotUtf8() {
  return BadRequest("Inline keyboard button Web App URL must be encoded in UTF-8");
}
ApiError InlineButtonCopiedTextNotUtf8() {
  return BadRequest("Inline keyboard button copied text must be encoded in UTF-8");
}

ApiError ButtonDataInvalid() { return BadRequest("BUTTON_DATA_INVALID"); }
ApiError ButtonTypeInvalid() { return BadRequest("BUTTON_TYPE_INVALID"); }
ApiError ButtonPosInvalid() { return BadRequest("BUTTON_POS_INVALID"); }

// ---------------------------------------------------------------------------------------------
// Bot settings.

ApiError InvalidLanguageCode() { return BadRequest("Invalid language code specified"); }

ApiError CommandsNotJson() { return BadRequest("Can't parse commands JSON object"); }
ApiError CommandsNotArray() { return BadRequest("Expected an Array of BotCommand"); }
ApiError CantParseBotCommand(std::string_view detail) {
  return BadRequest("Can't parse BotCommand: " + std::string(detail));
}
ApiError CommandScopeNotJson() { return BadRequest("Can't parse BotCommandScope JSON object"); }
ApiError CantParseBotCommandScope(std::string_view detail) {
  return BadRequest("Can't parse BotCommandScope: " + std::string(detail));
}
ApiError CantUseScopeInPrivateChats() {
  return BadRequest("Can't use specified scope in private chats");
}
ApiError CantChangeCommandsInChannels() {
  return BadRequest("Can't change commands in channel chats");
}
ApiError CommandScopeUserNotFound() { return BadRequest("User not found"); }
ApiError CommandNotUtf8() { return BadRequest("Command must be encoded in UTF-8"); }
ApiError CommandDescriptionNotUtf8() {
  return BadRequest("Command description must be encoded in UTF-8");
}
ApiError CommandEmpty() { return BadRequest("Command must be non-empty"); }
ApiError CommandTooLong() { return BadRequest("Command length must not exceed 32"); }
ApiError CommandDescriptionEmpty() { return BadRequest("Command description must be non-empty"); }
ApiError CommandDescriptionTooLong() {
  return BadRequest("Command description length must not exceed 256");
}
ApiError BotCommandInvalid() { return BadRequest("BOT_COMMAND_INVALID"); }
ApiError BotCommandsTooMuch() { return BadRequest("BOT_COMMANDS_TOO_MUCH"); }

ApiError BotNameInvalid() { return BadRequest("FIRSTNAME_INVALID"); }
ApiError BotDescriptionTooLong() { return BadRequest("DESCRIPTION_TOO_LONG"); }
ApiError BotShortDescriptionTooLong() { return BadRequest("ABOUT_TOO_LONG"); }

ApiError MenuButtonNotJson() { return BadRequest("Can't parse menu button JSON object"); }
ApiError CantParseMenuButton(std::string_view detail) {
  return BadRequest("Can't parse menu button: " + std::string(detail));
}
ApiError MenuButtonTextEmpty() { return BadRequest("Menu button text must be non-empty"); }
ApiError MenuButtonTextNotUtf8() { return BadRequest("Menu button text must be encoded in UTF-8"); }
ApiError MenuButtonUrlNotUtf8() { return BadRequest("Menu button URL must be encoded in UTF-8"); }
ApiError MenuButtonWebAppUrlInvalid(std::string_view url_text) {
  return BadRequest("Menu button Web App " + std::string(url_text));
}

ApiError AdministratorRightsNotJson() {
  return BadRequest("Can't parse ChatAdministratorRights JSON object");
}
ApiError CantParseAdministratorRights(std::string_view detail) {
  return BadRequest("Can't parse ChatAdministratorRights: " + std::string(detail));
}

// ---------------------------------------------------------------------------------------------
// The control plane.

ApiError ControlUnauthorized() {
  return ApiError{.code = 401, .description = "Unauthorized: control token required"};
}
ApiError ControlMethodNotAllowed() {
  return ApiError{.code = 405, .description = "Method Not Allowed"};
}
ApiError ControlBadRequest(std::string_view what) {
  return ApiError{.code = 400, .description = "Bad Request: " + std::string(what)};
}
ApiError ControlBadIdInUrl(std::string_view what) {
  std::string text = "bad ";
  if (!what.empty()) text.append(what).append(" ");
  return ControlBadRequest(text.append("id in the URL"));
}
ApiError ControlBadWorld(std::string_view what) {
  return ControlBadRequest("world: " + std::string(what));
}
ApiError ControlUnknownChat(ChatId chat) {
  return ControlBadRequest("unknown chat " + std::to_string(chat.value));
}
ApiError ControlUnknownBot(UserId bot) {
  return ControlBadRequest("unknown bot " + std::to_string(bot.value));
}
ApiError ControlUnknownUser(UserId user) {
  return ControlBadRequest("unknown user " + std::to_string(user.value));
}
ApiError ControlUnknownCallbackQuery(int64_t id) {
  return ApiError{.code = 404,
                  .description = "Not Found: unknown callback query " + std::to_string(id)};
}

}  // namespace tgi::botapi
