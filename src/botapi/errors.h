// The Bot API's errors: the catalogue of every description this server sends, and the rules
// (spec 1.10) by which the reference server turns an internal (code, message) pair into the
// `error_code` and `description` a client sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/errors.h"
#include "http/request.h"

namespace tgi::botapi {

struct ApiError {
  int code = 400;  // also the HTTP status
  std::string description;
  std::optional<int64_t> migrate_to_chat_id;
  std::optional<int64_t> retry_after;  // seconds, >= 1
};

// Spec 1.10: maps TDLib's (code, message) to the wire error. `message` is in TDLib's sentence
// case ("Not enough rights to ...") or a raw MTProto code ("CHAT_ADMIN_REQUIRED").
ApiError FromTdlib(int code, std::string_view message);

// A 400 from a message, e.g. BadRequest("chat_id is empty") -> "Bad Request: chat_id is empty".
ApiError BadRequest(std::string_view message);

// The wire error for a rule the domain refused.
ApiError FromDomain(const domain::DomainError& e);

// "Too Many Requests: retry after N", with parameters.retry_after and a Retry-After header.
ApiError TooManyRequests(int64_t retry_after);

// Errors answered before a method runs (spec 1.1, 1.3, 1.8). These texts bypass FromTdlib.
ApiError NotFound();                 // 404 Not Found
ApiError MethodNotFound();           // 404 Not Found: method not found
ApiError AbsoluteUriNotFound();      // 404 Not Found: absolute URI is specified in the Request-Line
ApiError InvalidTokenSpecified();    // 401 Unauthorized: invalid token specified
ApiError UnallowedTokenSpecified();  // 421 Misdirected Request: unallowed token specified
ApiError Unauthorized();             // 401 Unauthorized
ApiError LoggedOut();                // 400 Logged out
ApiError InternalError(std::string_view message);  // 500 Internal Server Error: <message>
// 500 Internal Server Error: storage failure (a write or sync failed; the server stops). Also the
// control plane's.
ApiError StorageFailure();

// Parameter errors (spec 1.3), through FromTdlib (which lowers the first letter): "Bad Request:
// <name> is empty" and "Bad Request: invalid <name> specified".
ApiError ParameterEmpty(std::string_view name);
ApiError InvalidParameter(std::string_view name);
// "Bad Request: <name> is not a valid Integer": a parameter read as an exact int64
// (banChatSenderChat's sender_chat_id, spec bot-api-moderation.md 6.3).
ApiError NotAValidInteger(std::string_view name);

// getUpdates and webhooks (spec 5.4, 5.5).
ApiError TerminatedByOtherGetUpdates();   // 409 Conflict: terminated by other getUpdates request...
ApiError TerminatedBySetWebhook();        // 409 Conflict: terminated by setWebhook request
ApiError GetUpdatesWhileWebhookActive();  // 409 Conflict: can't use getUpdates method while ...
ApiError InvalidWebhookUrl();             // 400 Bad Request: invalid webhook URL specified
ApiError SecretTokenTooLong();            // 400 Bad Request: secret token is too long
ApiError SecretTokenUnallowedCharacters();  // 400 ...: secret token contains unallowed characters
// With --strict-webhooks, what the cloud refuses (spec 5.5).
ApiError WebhookNotHttps();  // 400 Bad Request: bad webhook: An HTTPS URL must be provided ...
ApiError WebhookPortNotAllowed();  // 400 Bad Request: bad webhook: Webhook can be set up only ...

// getWebhookInfo's last_error_message after a failed delivery (spec 5.5), in the reference's
// words where it has them; the webhook sender (src/delivery/) picks one.
inline constexpr std::string_view kWebhookTimeout = "Timeout expired";
inline constexpr std::string_view kWebhookConnectionRefused = "Connection refused";
inline constexpr std::string_view kWebhookConnectionClosed = "Webhook connection closed";
inline constexpr std::string_view kWebhookBadUrl = "Bad webhook URL";
inline constexpr std::string_view kWebhookNoTlsContext = "Can't create an SSL context";
// "Wrong response from the webhook: <what>" (e.g. "502 Bad Gateway", or a parse error).
std::string WebhookWrongResponse(std::string_view what);
// "Failed to resolve host: <why>".
std::string WebhookFailedToResolve(std::string_view why);
// A failed TLS handshake or record with an https:// webhook, as TDLib writes OpenSSL's error
// queue: "SSL error {error:0A000086:SSL routines::certificate verify failed}". `openssl_error` is
// one entry as ERR_error_string_n writes it.
std::string WebhookSslError(std::string_view openssl_error);

// The descriptions of successful setWebhook and deleteWebhook answers.
inline constexpr std::string_view kWebhookWasSet = "Webhook was set";
inline constexpr std::string_view kWebhookIsAlreadySet = "Webhook is already set";
inline constexpr std::string_view kWebhookWasDeleted = "Webhook was deleted";
inline constexpr std::string_view kWebhookIsAlreadyDeleted = "Webhook is already deleted";

// Encodes the error envelope: {"ok":false,"error_code":N,"description":"...","parameters":{...}},
// with Retry-After on 429.
http::Response ErrorResponse(const ApiError& e);

// Encodes {"ok":true,"result":<result_json>}.
http::Response OkResponse(std::string_view result_json);

// Encodes {"ok":true,"result":true,"description":"<description>"} (setWebhook, deleteWebhook).
http::Response OkTrueWithDescription(std::string_view description);

// --- Messages (spec bot-api-messages.md): the parameters of sendMessage and editMessage*, reply
// markup, callback queries, deleteMessages, sendChatAction.

// The reference's JSON field texts (td's JsonBuilder.cpp), in TDLib's case. They are details: the
// caller answers one as it is (JsonFieldError) or inside a wrapper (CantParseMessageEntity, ...).
enum class JsonField : uint8_t {
  kMissing,         // Can't find field "x"
  kNotString,       // Field "x" must be of type String
  kNotBoolean,      // Field "x" must be of type Boolean
  kNotArray,        // Field "x" must be of type Array
  kNotObject,       // Field "x" must be of type Object
  kNotNumberType,   // Field "x" must be of type Number (td's floating-point fields)
  kNotNumber,       // Field "x" must be a Number (an integer field holding no number or string)
  kNotValidNumber,  // Field "x" must be a valid Number (not the integer's canonical form)
};
std::string JsonFieldText(JsonField problem, std::string_view field);
// 400 with a JSON field text as the whole message: "Bad Request: field "x" must be of type ...".
ApiError JsonFieldError(std::string_view detail);

// Text and formatting (spec 2.2 steps 3-5, 3.1, 3.6).
ApiError MessageTextEmpty();      // 400 Bad Request: message text is empty
ApiError TextTooLong();           // 400 Bad Request: text is too long
ApiError UnsupportedParseMode();  // 400 Bad Request: unsupported parse_mode
// 400 Bad Request: can't parse MessageEntity: <detail>
ApiError CantParseMessageEntity(std::string_view detail);
// Its details, besides the JSON field texts.
inline constexpr std::string_view kEntityNotObject = "expected an Object";
inline constexpr std::string_view kEntityTypeNotSpecified = "Type is not specified";
inline constexpr std::string_view kEntityTypeUnsupported = "Unsupported type specified";
inline constexpr std::string_view kEntityDateTimeFormatInvalid =
    "Invalid date-time format specified";

// link_preview_options and reply_parameters (spec 2.2 steps 2 and 6).
// 400 Bad Request: can't parse link preview options JSON object
ApiError LinkPreviewOptionsNotJson();
// 400 Bad Request: object expected as link preview options
ApiError LinkPreviewOptionsNotObject();
ApiError ReplyParametersNotJson();    // 400 Bad Request: can't parse reply parameters JSON object
ApiError ReplyParametersNotObject();  // 400 Bad Request: object expected as reply parameters

// Message identifiers (spec 7.1, 7.6, 7.7).
ApiError ChatIdNotSpecified();      // 400 Bad Request: chat identifier is not specified
ApiError MessageIdNotSpecified();   // 400 Bad Request: message identifier is not specified
ApiError MessageIdsNotSpecified();  // 400 Bad Request: message identifiers are not specified
// 400 Bad Request: can't parse <name> JSON object
ApiError MessageIdsNotJson(std::string_view name);
ApiError MessageIdsNotArray();    // 400 Bad Request: expected an Array of message identifiers
ApiError TooManyMessageIds();     // 400 Bad Request: too many message identifiers specified
ApiError MessageIdNotNumber();    // 400 Bad Request: message identifier must be a Number
ApiError MessageIdNotParsable();  // 400 Bad Request: can't parse message identifier as a Number
ApiError InvalidMessageId();      // 400 Bad Request: invalid message identifier specified
// 400 Bad Request: <what> not found, `what` being "message to edit", "message to delete",
// "message to forward", "message to copy" or "message to be replied" (check_message).
ApiError MessageNotFound(std::string_view what);

// sendChatAction (spec 8.1).
ApiError WrongChatAction();  // 400 Bad Request: wrong parameter action in request

// Callback queries (spec 6.3).
ApiError StringsMustBeUtf8();  // 400 Bad Request: strings must be encoded in UTF-8
// 400 Bad Request: query is too old and response timeout expired or query ID is invalid
ApiError CallbackQueryTooOld();
ApiError CallbackUrlInvalid();  // 400 Bad Request: URL_INVALID
// 400 Bad Request: MESSAGE_TOO_LONG, the server's code unrewritten: answerCallbackQuery's text,
// and editMessageText's (spec 7.2), unlike sendMessage's "message is too long".
ApiError RawMessageTooLong();

// Reply markup as the Bot API layer reads it (spec 5.1, 5.2, 5.4).
ApiError ReplyMarkupNotJson();    // 400 Bad Request: can't parse reply keyboard markup JSON object
ApiError ReplyMarkupNotObject();  // 400 Bad Request: object expected as reply markup
// 400 Bad Request: field "keyboard" must be an Array of Arrays
ApiError KeyboardNotArrayOfArrays();
// 400 Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays
ApiError InlineKeyboardNotArrayOfArrays();
// 400 Bad Request: can't parse keyboard button: <detail>
ApiError CantParseKeyboardButton(std::string_view detail);
// 400 Bad Request: can't parse inline keyboard button: <detail>
ApiError CantParseInlineKeyboardButton(std::string_view detail);
// The details of the two above, besides the JSON field texts.
inline constexpr std::string_view kKeyboardButtonNotStringOrObject =
    "KeyboardButton must be a String or an Object";
inline constexpr std::string_view kInlineKeyboardButtonNotObject =
    "InlineKeyboardButton must be an Object";
inline constexpr std::string_view kInvalidButtonStyle = "invalid button style specified";
inline constexpr std::string_view kTextButtonsUnallowed =
    "Text buttons are unallowed in the inline keyboard";
inline constexpr std::string_view kLoginUrlBotUsernameInvalid = "LoginUrl bot username is invalid";
inline constexpr std::string_view kChatAdministratorRightsNotObject =
    "ChatAdministratorRights must be an Object";
// 400 Bad Request: bot "<username>" not found (a login_url bot_username, sendMessage step 9).
ApiError BotNotFound(std::string_view username);
// 400 Bad Request: parameter "from_chat_id" is required (forwardMessage, copyMessage)
ApiError FromChatIdRequired();

// Reply markup as TDLib checks it once the chat is known (spec 5.3). Each is "400 Bad Request: "
// and TDLib's text with its first letter lowered, e.g. "Bad Request: inline keyboard expected".
ApiError InlineKeyboardExpected();          // Inline keyboard expected
ApiError KeyboardButtonTextNotUtf8();       // Keyboard button text must be encoded in UTF-8
ApiError KeyboardButtonTextEmpty();         // Keyboard button text must be non-empty
ApiError PhoneNumberRequestNotInPrivate();  // Phone number can be requested in private chats only
ApiError LocationRequestNotInPrivate();     // Location can be requested in private chats only
ApiError PollRequestNotInPrivate();         // Poll can be requested in private chats only
ApiError WebAppButtonNotInPrivate();        // Web App buttons can be used in private chats only
ApiError UsersRequestNotInPrivate();        // Users can be requested in private chats only
ApiError ChatsRequestNotInPrivate();        // Chats can be requested in private chats only
ApiError ManagedBotsRequestNotInPrivate();  // Managed bots can be requested in private chats only
ApiError LinkToUserInWebAppButton();        // Link to a user can't be used in Web App URL buttons
ApiError LinkToUserInLoginUrlButton();      // Link to a user can't be used in login URL buttons
// LinkManager::check_link's wording of a URL's problem: "URL '<url>' is invalid: <reason>", or
// "URL is invalid: <reason>" when the URL is not UTF-8. The `url_text` of the *UrlInvalid below.
std::string UrlInvalidText(std::string_view url, std::string_view reason);
ApiError KeyboardButtonWebAppUrlInvalid(std::string_view url_text);  // Keyboard button Web App <T>
ApiError InlineButtonTextNotUtf8();  // Inline keyboard button text must be encoded in UTF-8
ApiError InlineButtonTextEmpty();    // Inline keyboard button text must be non-empty
ApiError InlineButtonUrlInvalid(std::string_view url_text);  // Inline keyboard button <T>
ApiError InlineButtonUrlNotUtf8();  // Inline keyboard button URL must be encoded in UTF-8
ApiError NoChatTypeAllowed();       // At least one chat type must be allowed
// Can't use switch_inline_query (or switch_inline_query_current_chat) button in a channel chat,
// because users will not be able to use the button without knowing bot's username
ApiError SwitchInlineInChannel(bool current_chat);
// Inline keyboard button switch inline query must be encoded in UTF-8
ApiError InlineButtonQueryNotUtf8();
// Inline keyboard button login <url_text>
ApiError InlineButtonLoginUrlInvalid(std::string_view url_text);
// Inline keyboard button login URL must be encoded in UTF-8
ApiError InlineButtonLoginUrlNotUtf8();
// Inline keyboard button forward text must be encoded in UTF-8
ApiError InlineButtonForwardTextNotUtf8();
// Inline keyboard button Web App <url_text>
ApiError InlineButtonWebAppUrlInvalid(std::string_view url_text);
// Inline keyboard button Web App URL must be encoded in UTF-8
ApiError InlineButtonWebAppUrlNotUtf8();
// Inline keyboard button copied text must be encoded in UTF-8
ApiError InlineButtonCopiedTextNotUtf8();

// Reply markup refused by Telegram's server (spec 2.4, 5.3).
ApiError ButtonDataInvalid();  // 400 Bad Request: BUTTON_DATA_INVALID
ApiError ButtonTypeInvalid();  // 400 Bad Request: BUTTON_TYPE_INVALID
ApiError ButtonPosInvalid();   // 400 Bad Request: BUTTON_POS_INVALID

// --- Bot settings (spec bot-api-moderation.md 10, bot-api-messages.md 8.2-8.4): commands and
// their scopes, the name and descriptions, the menu button, default administrator rights. Each is
// "400 Bad Request: " and the text with its first letter lowered, as FromTdlib makes it.

// language_code of every method here (TDLib's validate_bot_language_code): Invalid language code
// specified.
ApiError InvalidLanguageCode();

// commands (Client::get_bot_commands).
ApiError CommandsNotJson();   // Can't parse commands JSON object
ApiError CommandsNotArray();  // Expected an Array of BotCommand
// Can't parse BotCommand: <detail>, a JSON field text or kBotCommandNotObject.
ApiError CantParseBotCommand(std::string_view detail);
inline constexpr std::string_view kBotCommandNotObject = "expected an Object";
// scope (Client::get_bot_command_scope).
ApiError CommandScopeNotJson();  // Can't parse BotCommandScope JSON object
// Can't parse BotCommandScope: <detail>, a JSON field text or one of these.
ApiError CantParseBotCommandScope(std::string_view detail);
inline constexpr std::string_view kCommandScopeNotObject = "BotCommandScope must be an Object";
inline constexpr std::string_view kCommandScopeTypeUnsupported = "Unsupported type specified";
inline constexpr std::string_view kCommandScopeEmptyChatId = "Empty chat_id specified";
inline constexpr std::string_view kCommandScopeInvalidUserId = "Invalid user_id specified";
// TDLib's rules on the scope's chat (BotCommandScope.cpp).
ApiError CantUseScopeInPrivateChats();    // Can't use specified scope in private chats
ApiError CantChangeCommandsInChannels();  // Can't change commands in channel chats
ApiError CommandScopeUserNotFound();      // User not found (a chat_member user id above 2^40 - 1)
// Each command, as TDLib's set_commands checks it.
ApiError CommandNotUtf8();             // Command must be encoded in UTF-8
ApiError CommandDescriptionNotUtf8();  // Command description must be encoded in UTF-8
ApiError CommandEmpty();               // Command must be non-empty
ApiError CommandTooLong();             // Command length must not exceed 32
ApiError CommandDescriptionEmpty();    // Command description must be non-empty
ApiError CommandDescriptionTooLong();  // Command description length must not exceed 256
// What Telegram's server refuses (bots.setBotCommands).
ApiError BotCommandInvalid();   // BOT_COMMAND_INVALID: a character other than a-z, 0-9, _
ApiError BotCommandsTooMuch();  // BOT_COMMANDS_TOO_MUCH: more than 100 commands

// setMyName, setMyDescription, setMyShortDescription. TDLib's CLEAN_INPUT_STRING answers
// StringsMustBeUtf8 (section Messages). What the server refuses is not known (spec 10.2, 13); the
// named decisions:
ApiError BotNameInvalid();              // FIRSTNAME_INVALID: longer than 64, or an empty default
ApiError BotDescriptionTooLong();       // DESCRIPTION_TOO_LONG: longer than 512
ApiError BotShortDescriptionTooLong();  // ABOUT_TOO_LONG: longer than 120

// menu_button (Client::get_bot_menu_button, then TDLib's set_menu_button).
ApiError MenuButtonNotJson();  // Can't parse menu button JSON object
// Can't parse menu button: <detail>, a JSON field text or one of these.
ApiError CantParseMenuButton(std::string_view detail);
inline constexpr std::string_view kMenuButtonNotObject = "MenuButton must be an Object";
inline constexpr std::string_view kMenuButtonTypeUnsupported = "MenuButton has unsupported type";
ApiError MenuButtonTextEmpty();    // Menu button text must be non-empty
ApiError MenuButtonTextNotUtf8();  // Menu button text must be encoded in UTF-8
ApiError MenuButtonUrlNotUtf8();   // Menu button URL must be encoded in UTF-8
// Menu button Web App <url_text>, url_text being UrlInvalidText's.
ApiError MenuButtonWebAppUrlInvalid(std::string_view url_text);

// rights (Client::get_chat_administrator_rights).
ApiError AdministratorRightsNotJson();  // Can't parse ChatAdministratorRights JSON object
// Can't parse ChatAdministratorRights: <detail>, a JSON field text or
// kChatAdministratorRightsNotObject.
ApiError CantParseAdministratorRights(std::string_view detail);

// --- The control plane (/control/v1/, docs/control-api.md). Same envelope; an unknown path is
// NotFound(). Its 400s end in a sentence for the person or test, used as given (FromTdlib's case
// rules do not apply); a refusal by a domain rule is FromDomain, as in the Bot API.

ApiError ControlUnauthorized();      // 401 Unauthorized: control token required
ApiError ControlMethodNotAllowed();  // 405 Method Not Allowed (the path exists, not the method)
// 400 Bad Request: <what>, e.g. "Bad Request: $.count: must be an integer from 1 to 1000000".
ApiError ControlBadRequest(std::string_view what);
// 400 Bad Request: bad <what> id in the URL (`what` "bot", "user" or "chat"); an empty `what`
// gives "bad id in the URL".
ApiError ControlBadIdInUrl(std::string_view what);
ApiError ControlBadWorld(std::string_view what);  // 400 Bad Request: world: <what>
ApiError ControlUnknownChat(ChatId chat);         // 400 Bad Request: unknown chat <id>
ApiError ControlUnknownBot(UserId bot);           // 400 Bad Request: unknown bot <id>
ApiError ControlUnknownUser(UserId user);         // 400 Bad Request: unknown user <id>
// 404 Not Found: unknown callback query <id>
ApiError ControlUnknownCallbackQuery(int64_t id);

}  // namespace tgi::botapi
