#include "botapi/profile_args.h"

#include <initializer_list>

#include "botapi/args.h"
#include "botapi/json_reader.h"
#include "botapi/json_writer.h"
#include "common/utf8.h"
#include "text/fix.h"
#include "text/links.h"

namespace tgi::botapi {
namespace {

using domain::Right;
using Scope = domain::World::CommandScope;
using ScopeType = domain::World::CommandScopeType;
using ProfileText = domain::World::ProfileText;

constexpr size_t kMaxCommandLength = 32;              // BotCommand.cpp
constexpr size_t kMaxCommandDescriptionLength = 256;  // BotCommand.cpp
constexpr size_t kMaxCommands = 100;                  // the server's (spec 10.1 step 6)
// The documented limits (spec 10.2), in code points.
constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxDescriptionLength = 512;
constexpr size_t kMaxShortDescriptionLength = 120;
constexpr int64_t kMaxUserId = (int64_t{1} << 40) - 1;  // TDLib's UserId::is_valid

// td::trim: the ASCII whitespace td's is_space knows, NUL included.
std::string Trim(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0' || c == '\v';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

Result<BotCommandArg, std::string> ParseBotCommand(const JsonValue& v) {
  if (v.type() != JsonType::kObject) return Unexpected{std::string(kBotCommandNotObject)};
  auto command = v.object().RequiredString("command");
  if (!command) return Unexpected{command.error()};
  auto description = v.object().RequiredString("description");
  if (!description) return Unexpected{description.error()};
  return BotCommandArg{.command = std::move(*command), .description = std::move(*description)};
}

Result<Scope, std::string> ParseScopeObject(const JsonValue& v) {
  if (v.type() != JsonType::kObject) return Unexpected{std::string(kCommandScopeNotObject)};
  const JsonObject& o = v.object();
  auto type = o.RequiredString("type");
  if (!type) return Unexpected{type.error()};
  static constexpr struct {
    std::string_view name;
    ScopeType type;
  } kTypes[] = {
      {"default", ScopeType::kDefault},
      {"all_private_chats", ScopeType::kAllPrivateChats},
      {"all_group_chats", ScopeType::kAllGroupChats},
      {"all_chat_administrators", ScopeType::kAllChatAdministrators},
      {"chat", ScopeType::kChat},
      {"chat_administrators", ScopeType::kChatAdministrators},
      {"chat_member", ScopeType::kChatMember},
  };
  Scope scope;
  bool known = false;
  for (const auto& t : kTypes) {
    if (*type == t.name) scope.type = t.type, known = true;
  }
  if (!known) return Unexpected{std::string(kCommandScopeTypeUnsupported)};
  if (scope.type != ScopeType::kChat && scope.type != ScopeType::kChatAdministrators &&
      scope.type != ScopeType::kChatMember)
    return scope;  // other fields are not read

  auto chat_id = o.RequiredString("chat_id");
  if (!chat_id) return Unexpected{chat_id.error()};
  if (chat_id->empty()) return Unexpected{std::string(kCommandScopeEmptyChatId)};
  if ((*chat_id)[0] == '@') {
    scope.chat.username = chat_id->substr(1);
  } else {
    scope.chat.id = ParseLenientInt64(*chat_id);
  }
  if (scope.type != ScopeType::kChatMember) return scope;

  auto user_id = o.RequiredLong("user_id");
  if (!user_id) return Unexpected{user_id.error()};
  if (*user_id <= 0) return Unexpected{std::string(kCommandScopeInvalidUserId)};
  scope.user = UserId(*user_id);
  return scope;
}

Result<MenuButtonArg, std::string> ParseMenuButtonObject(const JsonValue& v) {
  if (v.type() != JsonType::kObject) return Unexpected{std::string(kMenuButtonNotObject)};
  const JsonObject& o = v.object();
  auto type = o.RequiredString("type");
  if (!type) return Unexpected{type.error()};
  if (*type == "default") return MenuButtonArg{.type = MenuButtonType::kDefault};
  if (*type == "commands") return MenuButtonArg{.type = MenuButtonType::kCommands};
  if (*type != "web_app") return Unexpected{std::string(kMenuButtonTypeUnsupported)};
  auto text = o.RequiredString("text");
  if (!text) return Unexpected{text.error()};
  auto web_app = o.RequiredField("web_app", JsonType::kObject);
  if (!web_app) return Unexpected{web_app.error()};
  auto url = (*web_app)->object().RequiredString("url");
  if (!url) return Unexpected{url.error()};
  return MenuButtonArg{
      .type = MenuButtonType::kWebApp, .text = std::move(*text), .url = std::move(*url)};
}

// The rights a target's ChatAdministratorRights shows, in json_store_administrator_rights'
// order (a supergroup for groups).
constexpr std::initializer_list<Right> kGroupRights = {
    Right::kCanManageChat,   Right::kCanChangeInfo,      Right::kCanDeleteMessages,
    Right::kCanInviteUsers,  Right::kCanRestrictMembers, Right::kCanPinMessages,
    Right::kCanManageTopics, Right::kCanPromoteMembers,  Right::kCanManageVideoChats,
    Right::kCanPostStories,  Right::kCanEditStories,     Right::kCanDeleteStories,
    Right::kCanManageTags,   Right::kIsAnonymous,
};
constexpr std::initializer_list<Right> kChannelRights = {
    Right::kCanManageChat,           Right::kCanChangeInfo,     Right::kCanPostMessages,
    Right::kCanEditMessages,         Right::kCanDeleteMessages, Right::kCanInviteUsers,
    Right::kCanRestrictMembers,      Right::kCanPromoteMembers, Right::kCanManageVideoChats,
    Right::kCanPostStories,          Right::kCanEditStories,    Right::kCanDeleteStories,
    Right::kCanManageDirectMessages, Right::kIsAnonymous,
};

}  // namespace

Result<void, ApiError> CheckBotLanguageCode(std::string_view language_code) {
  if (language_code.empty()) return {};
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  if (language_code.size() == 2 && lower(language_code[0]) && lower(language_code[1])) return {};
  return Unexpected{InvalidLanguageCode()};
}

// ---------------------------------------------------------------------------------------------
// Commands.

Result<std::vector<BotCommandArg>, ApiError> ParseBotCommands(std::string_view json) {
  std::vector<BotCommandArg> commands;
  if (json.empty()) return commands;
  std::optional<JsonValue> value = DecodeJson(json);
  if (!value) return Unexpected{CommandsNotJson()};
  if (value->type() != JsonType::kArray) return Unexpected{CommandsNotArray()};
  for (const JsonValue& element : value->array()) {
    auto command = ParseBotCommand(element);
    if (!command) return Unexpected{CantParseBotCommand(command.error())};
    commands.push_back(std::move(*command));
  }
  return commands;
}

Result<void, ApiError> CleanBotCommands(std::vector<BotCommandArg>& commands) {
  for (BotCommandArg& c : commands) {
    if (!text::CleanInputString(c.command)) return Unexpected{CommandNotUtf8()};
    if (!text::CleanInputString(c.description)) return Unexpected{CommandDescriptionNotUtf8()};
    // One '/' goes after trimming, and nothing is trimmed after it: "/ x" keeps its space.
    c.command = Trim(c.command);
    if (!c.command.empty() && c.command[0] == '/') c.command.erase(0, 1);
    if (c.command.empty()) return Unexpected{CommandEmpty()};
    if (utf8::CodePointCount(c.command) > kMaxCommandLength) return Unexpected{CommandTooLong()};
    c.description = Trim(c.description);
    if (c.description.empty()) return Unexpected{CommandDescriptionEmpty()};
    if (utf8::CodePointCount(c.description) > kMaxCommandDescriptionLength)
      return Unexpected{CommandDescriptionTooLong()};
  }
  return {};
}

Result<void, ApiError> CheckBotCommandsAtServer(const std::vector<BotCommandArg>& commands) {
  if (commands.size() > kMaxCommands) return Unexpected{BotCommandsTooMuch()};
  for (const BotCommandArg& c : commands) {
    for (char ch : c.command) {
      bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
      if (!ok) return Unexpected{BotCommandInvalid()};
    }
  }
  return {};
}

std::string EncodeBotCommands(const std::vector<BotCommandArg>& commands) {
  JsonWriter w;
  w.BeginArray();
  for (const BotCommandArg& c : commands)
    w.BeginObject().Field("command", c.command).Field("description", c.description).EndObject();
  w.EndArray();
  return w.Take();
}

Result<Scope, ApiError> ParseBotCommandScope(std::string_view json) {
  if (json.empty()) return Scope{};
  std::optional<JsonValue> value = DecodeJson(json);
  if (!value) return Unexpected{CommandScopeNotJson()};
  auto scope = ParseScopeObject(*value);
  if (!scope) return Unexpected{CantParseBotCommandScope(scope.error())};
  return std::move(*scope);
}

Result<void, ApiError> CheckCommandScopeChat(const Scope& scope, const domain::Target& target) {
  // TDLib builds the member's input user before it looks at the chat.
  if (scope.type == ScopeType::kChatMember && scope.user.value > kMaxUserId)
    return Unexpected{CommandScopeUserNotFound()};
  if (target.user && scope.type != ScopeType::kChat)
    return Unexpected{CantUseScopeInPrivateChats()};
  if (target.chat && target.chat->type == domain::ChatType::kChannel)
    return Unexpected{CantChangeCommandsInChannels()};
  return {};
}

// ---------------------------------------------------------------------------------------------
// The name and descriptions.

Result<std::string, ApiError> CheckProfileText(ProfileText kind, std::string_view text,
                                               std::string_view language_code) {
  std::string cleaned(text);
  if (!text::CleanInputString(cleaned)) return Unexpected{StringsMustBeUtf8()};
  if (auto ok = CheckBotLanguageCode(language_code); !ok) return Unexpected{ok.error()};
  size_t length = utf8::CodePointCount(cleaned);
  switch (kind) {
    case ProfileText::kName:
      if (length > kMaxNameLength || (cleaned.empty() && language_code.empty()))
        return Unexpected{BotNameInvalid()};
      break;
    case ProfileText::kDescription:
      if (length > kMaxDescriptionLength) return Unexpected{BotDescriptionTooLong()};
      break;
    case ProfileText::kShortDescription:
      if (length > kMaxShortDescriptionLength) return Unexpected{BotShortDescriptionTooLong()};
      break;
  }
  return cleaned;
}

std::string EncodeProfileText(ProfileText kind, std::string_view text) {
  std::string_view key;
  switch (kind) {
    case ProfileText::kName:
      key = "name";
      break;
    case ProfileText::kDescription:
      key = "description";
      break;
    case ProfileText::kShortDescription:
      key = "short_description";
      break;
  }
  JsonWriter w;
  w.BeginObject().Field(key, text).EndObject();
  return w.Take();
}

// ---------------------------------------------------------------------------------------------
// The menu button.

Result<MenuButtonArg, ApiError> ParseMenuButton(std::string_view json) {
  if (json.empty()) return MenuButtonArg{.type = MenuButtonType::kDefault};
  std::optional<JsonValue> value = DecodeJson(json);
  if (!value) return Unexpected{MenuButtonNotJson()};
  auto button = ParseMenuButtonObject(*value);
  if (!button) return Unexpected{CantParseMenuButton(button.error())};
  return std::move(*button);
}

Result<void, ApiError> CheckMenuButton(MenuButtonArg& button) {
  if (button.type != MenuButtonType::kWebApp) return {};
  if (button.text.empty()) {
    // The Bot API layer hands TDLib the default button as a button without text whose URL is
    // "default", so a web_app button spelled that way is one.
    if (button.url != "default") return Unexpected{MenuButtonTextEmpty()};
    button = MenuButtonArg{.type = MenuButtonType::kDefault};
    return {};
  }
  if (!text::CleanInputString(button.text)) return Unexpected{MenuButtonTextNotUtf8()};
  if (!text::CleanInputString(button.url)) return Unexpected{MenuButtonUrlNotUtf8()};
  if (button.text.empty()) return Unexpected{MenuButtonTextEmpty()};
  auto url = text::NormalizeLink(button.url, text::LinkScope::kHttpsOnly);
  if (!url) return Unexpected{MenuButtonWebAppUrlInvalid(UrlInvalidText(button.url, url.error()))};
  button.url = std::move(*url);
  return {};
}

std::string EncodeMenuButton(const MenuButtonArg& button) {
  JsonWriter w;
  w.BeginObject();
  switch (button.type) {
    case MenuButtonType::kDefault:
      w.Field("type", "default");
      break;
    case MenuButtonType::kCommands:
      w.Field("type", "commands");
      break;
    case MenuButtonType::kWebApp:
      w.Field("type", "web_app").Field("text", button.text);
      w.Key("web_app").BeginObject().Field("url", button.url).EndObject();
      break;
  }
  w.EndObject();
  return w.Take();
}

// ---------------------------------------------------------------------------------------------
// Default administrator rights.

Result<std::optional<domain::Rights>, ApiError> ParseAdministratorRights(std::string_view json) {
  if (json.empty()) return std::optional<domain::Rights>();
  std::optional<JsonValue> value = DecodeJson(json);
  if (!value) return Unexpected{AdministratorRightsNotJson()};
  if (value->type() != JsonType::kObject)
    return Unexpected{CantParseAdministratorRights(kChatAdministratorRightsNotObject)};
  domain::Rights rights;
  // The 17 rights of ChatAdministratorRights are domain::Right's first 17, in the order the
  // reference reads them.
  for (int i = 0; i <= static_cast<int>(Right::kIsAnonymous); ++i) {
    Right r = static_cast<Right>(i);
    auto on = value->object().OptionalBool(domain::RightName(r));
    if (!on) return Unexpected{CantParseAdministratorRights(on.error())};
    rights.Set(r, *on);
  }
  return std::optional<domain::Rights>(rights);
}

domain::Rights DefaultAdministratorRights(domain::Rights rights, bool for_channels) {
  domain::Rights out;
  for (Right r : for_channels ? kChannelRights : kGroupRights) out.Set(r, rights.Has(r));
  if (for_channels) out.Set(Right::kIsAnonymous, false);  // shown, but never set
  if (out.bits != 0) out.Set(Right::kCanManageChat, true);
  return out;
}

std::string EncodeDefaultAdministratorRights(domain::Rights rights, bool for_channels) {
  JsonWriter w;
  w.BeginObject();
  for (Right r : for_channels ? kChannelRights : kGroupRights)
    w.Field(domain::RightName(r), rights.Has(r));
  w.EndObject();
  return w.Take();
}

}  // namespace tgi::botapi
