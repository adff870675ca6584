// The parameters of the bot settings methods (spec bot-api-moderation.md 10, bot-api-messages.md
// 8.2-8.4), read as the reference reads them and in its order, which has up to three steps: the
// Bot API layer's parsing (Client.cpp: get_bot_commands, get_bot_command_scope,
// get_bot_menu_button, get_chat_administrator_rights), TDLib's checks (BotCommand.cpp
// set_commands, BotCommandScope.cpp, BotMenuButton.cpp set_menu_button, misc.cpp
// validate_bot_language_code, Requests.cpp CLEAN_INPUT_STRING), and what Telegram's server
// refuses. Errors are the catalogue's (errors.h, section Bot settings). Pure functions of the
// parameters' text; the Encode* functions write what the getters answer, which is also what the
// World stores (world.h, Bot settings).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "botapi/errors.h"
#include "common/result.h"
#include "domain/model.h"
#include "domain/world.h"

namespace tgi::botapi {

// validate_bot_language_code (every method here): "" or exactly two ASCII letters a-z; anything
// else ("EN", "en-US", "eng") is InvalidLanguageCode.
Result<void, ApiError> CheckBotLanguageCode(std::string_view language_code);

// --- setMyCommands / getMyCommands / deleteMyCommands (spec 10.1).

struct BotCommandArg {
  std::string command;
  std::string description;
  bool operator==(const BotCommandArg&) const = default;
};

// Client::get_bot_commands. "" (missing or empty) is an empty list, which setMyCommands takes as
// "clear the commands" (spec 10.1 step 1). Not JSON: CommandsNotJson; not an array:
// CommandsNotArray; an element not an object, or whose "command" or "description" is missing or
// not a string (a number is taken as its text): CantParseBotCommand with the detail. Nothing is
// checked against the rules yet.
Result<std::vector<BotCommandArg>, ApiError> ParseBotCommands(std::string_view json);

// TDLib's set_commands, command by command, in order: each text cleaned (not UTF-8:
// CommandNotUtf8, then CommandDescriptionNotUtf8); the command trimmed and one leading '/'
// removed, then empty: CommandEmpty, over 32 code points: CommandTooLong; the description
// trimmed, then empty: CommandDescriptionEmpty, over 256 code points:
// CommandDescriptionTooLong. The commands are left as they will be stored.
Result<void, ApiError> CleanBotCommands(std::vector<BotCommandArg>& commands);

// What the server refuses (spec 10.1 step 6): more than 100 commands, BotCommandsTooMuch; then a
// command with a character other than a-z, 0-9 and '_', BotCommandInvalid. Named decision: the
// count is checked first, and nothing else (no total size limit, duplicates kept).
Result<void, ApiError> CheckBotCommandsAtServer(const std::vector<BotCommandArg>& commands);

// getMyCommands' answer: [{"command":"...","description":"..."},...] (JsonBotCommand).
std::string EncodeBotCommands(const std::vector<BotCommandArg>& commands);

// Client::get_bot_command_scope. "" is the default scope. Not JSON: CommandScopeNotJson; then
// CantParseBotCommandScope with: kCommandScopeNotObject; the "type" field's text;
// kCommandScopeTypeUnsupported for a type other than default, all_private_chats,
// all_group_chats, all_chat_administrators, chat, chat_administrators, chat_member; for the
// last three, the "chat_id" field's text (a string or a number) and kCommandScopeEmptyChatId;
// for chat_member, the "user_id" field's text (an integer) and kCommandScopeInvalidUserId for a
// value <= 0. chat_id is then read as check_chat reads it: "@name" a username, anything else a
// lenient integer (Args::ChatRef's rule).
Result<domain::World::CommandScope, ApiError> ParseBotCommandScope(std::string_view json);

// TDLib's get_bot_command_scope, once the World has found the scope's chat (`target`, empty for
// the scopes without a chat): a chat_member user id above 2^40 - 1 is CommandScopeUserNotFound;
// a private chat with a scope other than `chat` is CantUseScopeInPrivateChats; a channel is
// CantChangeCommandsInChannels.
Result<void, ApiError> CheckCommandScopeChat(const domain::World::CommandScope& scope,
                                             const domain::Target& target);

// --- setMyName, setMyDescription, setMyShortDescription (spec 10.2).

// The text as TDLib and the server take it, in their order: cleaned (CLEAN_INPUT_STRING: not
// UTF-8 is StringsMustBeUtf8); the language code checked; then the server's limits in code
// points, named decisions (spec 10.2, 13: the server's texts are not known): a name over 64, or
// an empty name for the default language (TDLib: "must be non-empty if language code is
// empty"), is BotNameInvalid; a description over 512 BotDescriptionTooLong; a short description
// over 120 BotShortDescriptionTooLong. Returns the cleaned text ("" removes the language's own).
Result<std::string, ApiError> CheckProfileText(domain::World::ProfileText kind,
                                               std::string_view text,
                                               std::string_view language_code);

// getMyName / getMyDescription / getMyShortDescription's answer: {"name":"..."},
// {"description":"..."} or {"short_description":"..."}.
std::string EncodeProfileText(domain::World::ProfileText kind, std::string_view text);

// --- setChatMenuButton / getChatMenuButton (spec 10.3).

enum class MenuButtonType { kDefault, kCommands, kWebApp };

struct MenuButtonArg {
  MenuButtonType type = MenuButtonType::kDefault;
  std::string text;  // kWebApp
  std::string url;   // kWebApp
  bool operator==(const MenuButtonArg&) const = default;
};

// Client::get_bot_menu_button. "" is the default button. Not JSON: MenuButtonNotJson; then
// CantParseMenuButton with: kMenuButtonNotObject; the "type" field's text;
// kMenuButtonTypeUnsupported for a type other than default, commands and web_app; for web_app,
// the texts of "text" (a string), "web_app" (an object) and its "url" (a string).
Result<MenuButtonArg, ApiError> ParseMenuButton(std::string_view json);

// TDLib's set_menu_button. A web_app button with an empty text is the default button if its URL
// is "default" (that is how the Bot API layer hands TDLib the default button), else
// MenuButtonTextEmpty. Then its text and URL are cleaned (not UTF-8: MenuButtonTextNotUtf8,
// MenuButtonUrlNotUtf8) and the URL normalised as an HTTPS link (check_link outside the test
// DC), else MenuButtonWebAppUrlInvalid. Named decision: a text that cleaning leaves empty is
// MenuButtonTextEmpty too (TDLib would send it; the server's answer is not known).
Result<void, ApiError> CheckMenuButton(MenuButtonArg& button);

// getChatMenuButton's answer (JsonBotMenuButton): {"type":"default"}, {"type":"commands"} or
// {"type":"web_app","text":"...","web_app":{"url":"..."}}.
std::string EncodeMenuButton(const MenuButtonArg& button);

// --- setMyDefaultAdministratorRights / getMyDefaultAdministratorRights (spec 10.4).

// Client::get_chat_administrator_rights. "" is nullopt (the defaults are cleared). Not JSON:
// AdministratorRightsNotJson; then CantParseAdministratorRights with
// kChatAdministratorRightsNotObject or the text of the first field, in the order of
// domain::Right, that is present and not a Boolean. Every right is optional, default false.
Result<std::optional<domain::Rights>, ApiError> ParseAdministratorRights(std::string_view json);

// TDLib's AdministratorRights for the default rights (groups as a supergroup, channels as a
// channel): a channel drops can_pin_messages, can_manage_topics, can_manage_tags and
// is_anonymous; a group drops can_post_messages, can_edit_messages and
// can_manage_direct_messages; whatever is left implies can_manage_chat. Only the 17 rights of
// ChatAdministratorRights are kept.
domain::Rights DefaultAdministratorRights(domain::Rights rights, bool for_channels);

// getMyDefaultAdministratorRights' answer: every right of the target as a Boolean, in the
// reference's order (json_store_administrator_rights for a supergroup or a channel; no legacy
// can_manage_voice_chats).
std::string EncodeDefaultAdministratorRights(domain::Rights rights, bool for_channels);

}  // namespace tgi::botapi
