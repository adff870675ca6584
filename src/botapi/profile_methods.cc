// The bot settings methods (spec bot-api-moderation.md 10, bot-api-messages.md 8.2-8.4):
// setMyCommands, getMyCommands, deleteMyCommands; setMyName, getMyName, setMyDescription,
// getMyDescription, setMyShortDescription, getMyShortDescription; setChatMenuButton,
// getChatMenuButton; setMyDefaultAdministratorRights, getMyDefaultAdministratorRights.
//
// Parameters are read by profile_args.h; what needs the world (the chat of a command scope, the
// user of a menu button) is the World's. The World stores each setting as the getter's answer
// (world.h, Bot settings), and an entry equal to what the getter answers without one is not
// stored.
#include "botapi/methods.h"
#include "botapi/profile_args.h"

namespace tgi::botapi {
namespace {

using domain::World;
using ProfileText = World::ProfileText;

// The key of a command list: the scope's chat found and checked (spec 10.1 step 3, TDLib's rules
// on it), then the language code (step 4), in the reference's order.
Result<std::string, ApiError> CommandsKeyFor(MethodContext& c, const World::CommandScope& scope,
                                             std::string_view language_code) {
  auto resolved = c.world.ResolveCommandScope(c.bot, scope);
  if (!resolved) return Unexpected{FromDomain(resolved.error())};
  if (auto ok = CheckCommandScopeChat(scope, resolved->target); !ok) return Unexpected{ok.error()};
  if (auto ok = CheckBotLanguageCode(language_code); !ok) return Unexpected{ok.error()};
  return World::CommandsKey(resolved->name, language_code);
}

// chat_id of the menu button methods: absent, the bot-wide button; else Client::get_user_id's
// rule (a lenient integer that must be positive: any group id is "invalid chat_id specified").
// The reference tells an empty chat_id from none (Query::has_arg); Args cannot, so an empty one
// is taken as none here.
Result<std::optional<UserId>, ApiError> MenuButtonChat(const Args& args) {
  if (args.Get("chat_id").empty()) return std::optional<UserId>();
  auto user = args.PositiveUserId("chat_id");
  if (!user) return Unexpected{user.error()};
  return std::optional<UserId>(*user);
}

// Named decisions (spec 10.3, 13: not documented): a private chat without a button of its own
// answers {"type":"default"}, and the bot-wide button never set {"type":"commands"}. Setting
// "default" means "no specific value" (MenuButtonDefault), so it removes the entry in both
// places (the bot-wide button then reads "commands" again); a bot-wide "commands" is no entry
// either.
std::string UnsetMenuButton(bool for_user) {
  return EncodeMenuButton(
      {.type = for_user ? MenuButtonType::kDefault : MenuButtonType::kCommands});
}
std::string StoredMenuButton(const MenuButtonArg& button, bool for_user) {
  if (button.type == MenuButtonType::kDefault) return {};
  std::string json = EncodeMenuButton(button);
  return json == UnsetMenuButton(for_user) ? std::string() : json;
}

Result<Prepared, ApiError> PrepareSetProfileText(const Args& args, ProfileText kind,
                                                 std::string_view param) {
  std::string language(args.Get("language_code"));
  auto text = CheckProfileText(kind, args.Get(param), language);
  if (!text) return Unexpected{text.error()};
  return Prepared([kind, language, text = std::move(*text)](MethodContext& c) {
    // An empty text removes the language's own text (spec 10.2), as an empty value does.
    c.world.SetProfile(c.bot, World::ProfileTextKey(kind, language), text, c.mutation);
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareGetProfileText(const Args& args, ProfileText kind) {
  std::string language(args.Get("language_code"));
  if (auto ok = CheckBotLanguageCode(language); !ok) return Unexpected{ok.error()};
  return Prepared([kind, language](MethodContext& c) {
    return OkResponse(EncodeProfileText(kind, c.world.ProfileTextFor(c.bot, kind, language)));
  });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Commands (spec 10.1).

Result<Prepared, ApiError> PrepareSetMyCommands(const Args& args) {
  auto commands = ParseBotCommands(args.Get("commands"));
  if (!commands) return Unexpected{commands.error()};
  auto scope = ParseBotCommandScope(args.Get("scope"));
  if (!scope) return Unexpected{scope.error()};
  return Prepared([commands = std::move(*commands), scope = std::move(*scope),
                   language = std::string(args.Get("language_code"))](MethodContext& c) {
    auto key = CommandsKeyFor(c, scope, language);
    if (!key) return Err(key.error());
    std::vector<BotCommandArg> list = commands;
    if (auto ok = CleanBotCommands(list); !ok) return Err(ok.error());
    if (auto ok = CheckBotCommandsAtServer(list); !ok) return Err(ok.error());
    // No commands (also a missing `commands`) clears the list.
    c.world.SetProfile(c.bot, std::move(*key), list.empty() ? "" : EncodeBotCommands(list),
                       c.mutation);
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareGetMyCommands(const Args& args) {
  auto scope = ParseBotCommandScope(args.Get("scope"));
  if (!scope) return Unexpected{scope.error()};
  return Prepared([scope = std::move(*scope),
                   language = std::string(args.Get("language_code"))](MethodContext& c) {
    auto key = CommandsKeyFor(c, scope, language);
    if (!key) return Err(key.error());
    // Exactly this scope and language: the fallbacks users see (spec 10.1) are not applied.
    std::string_view list = c.world.Profile(c.bot, *key);
    return OkResponse(list.empty() ? std::string_view("[]") : list);
  });
}

Result<Prepared, ApiError> PrepareDeleteMyCommands(const Args& args) {
  auto scope = ParseBotCommandScope(args.Get("scope"));
  if (!scope) return Unexpected{scope.error()};
  return Prepared([scope = std::move(*scope),
                   language = std::string(args.Get("language_code"))](MethodContext& c) {
    auto key = CommandsKeyFor(c, scope, language);
    if (!key) return Err(key.error());
    // Named decision (spec 10.1): a scope without commands is no error.
    c.world.SetProfile(c.bot, std::move(*key), "", c.mutation);
    return Ok(true);
  });
}

// ---------------------------------------------------------------------------------------------
// The name and descriptions (spec 10.2). setMyName changes what getMyName answers, not getMe's
// first_name.

Result<Prepared, ApiError> PrepareSetMyName(const Args& args) {
  return PrepareSetProfileText(args, ProfileText::kName, "name");
}
Result<Prepared, ApiError> PrepareGetMyName(const Args& args) {
  return PrepareGetProfileText(args, ProfileText::kName);
}
Result<Prepared, ApiError> PrepareSetMyDescription(const Args& args) {
  return PrepareSetProfileText(args, ProfileText::kDescription, "description");
}
Result<Prepared, ApiError> PrepareGetMyDescription(const Args& args) {
  return PrepareGetProfileText(args, ProfileText::kDescription);
}
Result<Prepared, ApiError> PrepareSetMyShortDescription(const Args& args) {
  return PrepareSetProfileText(args, ProfileText::kShortDescription, "short_description");
}
Result<Prepared, ApiError> PrepareGetMyShortDescription(const Args& args) {
  return PrepareGetProfileText(args, ProfileText::kShortDescription);
}

// ---------------------------------------------------------------------------------------------
// The menu button (spec 10.3): menu_button is parsed first, then chat_id.

Result<Prepared, ApiError> PrepareSetChatMenuButton(const Args& args) {
  auto button = ParseMenuButton(args.Get("menu_button"));
  if (!button) return Unexpected{button.error()};
  auto user = MenuButtonChat(args);
  if (!user) return Unexpected{user.error()};
  return Prepared([button = std::move(*button), user = *user](MethodContext& c) {
    if (user) {
      if (auto known = c.world.CheckMenuButtonUser(c.bot, *user); !known)
        return Err(FromDomain(known.error()));
    }
    MenuButtonArg checked = button;
    if (auto ok = CheckMenuButton(checked); !ok) return Err(ok.error());
    c.world.SetProfile(c.bot, World::MenuButtonKey(user),
                       StoredMenuButton(checked, user.has_value()), c.mutation);
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareGetChatMenuButton(const Args& args) {
  auto user = MenuButtonChat(args);
  if (!user) return Unexpected{user.error()};
  return Prepared([user = *user](MethodContext& c) {
    if (user) {
      if (auto known = c.world.CheckMenuButtonUser(c.bot, *user); !known)
        return Err(FromDomain(known.error()));
    }
    std::string_view button = c.world.Profile(c.bot, World::MenuButtonKey(user));
    if (button.empty()) return OkResponse(UnsetMenuButton(user.has_value()));
    return OkResponse(button);
  });
}

// ---------------------------------------------------------------------------------------------
// Default administrator rights (spec 10.4).

Result<Prepared, ApiError> PrepareSetMyDefaultAdministratorRights(const Args& args) {
  bool for_channels = args.Bool("for_channels");
  auto rights = ParseAdministratorRights(args.Get("rights"));
  if (!rights) return Unexpected{rights.error()};
  domain::Rights kept =
      DefaultAdministratorRights(rights->value_or(domain::Rights{}), for_channels);
  return Prepared([for_channels, kept](MethodContext& c) {
    // No rights (also a missing `rights`) clears them.
    c.world.SetProfile(c.bot, World::DefaultAdminRightsKey(for_channels),
                       kept.bits == 0 ? "" : EncodeDefaultAdministratorRights(kept, for_channels),
                       c.mutation);
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareGetMyDefaultAdministratorRights(const Args& args) {
  bool for_channels = args.Bool("for_channels");
  return Prepared([for_channels](MethodContext& c) {
    std::string_view rights = c.world.Profile(c.bot, World::DefaultAdminRightsKey(for_channels));
    if (rights.empty())
      return OkResponse(EncodeDefaultAdministratorRights(domain::Rights{}, for_channels));
    return OkResponse(rights);
  });
}

}  // namespace tgi::botapi
