// Bot settings: commands per scope and language, the name and descriptions, menu buttons and
// default administrator rights (spec bot-api-moderation.md 10, bot-api-messages.md 8.2-8.4).
// The World keeps them as opaque entries; the rules that need the world are the chats of the
// command scopes and the users of menu buttons.
#include <string>

#include "domain/world.h"

namespace tgi::domain {

std::string World::CommandsKey(std::string_view scope_name, std::string_view language_code) {
  std::string key = "commands/";
  return key.append(scope_name).append("/").append(language_code);
}

std::string World::ProfileTextKey(ProfileText kind, std::string_view language_code) {
  std::string key;
  switch (kind) {
    case ProfileText::kName:
      key = "name/";
      break;
    case ProfileText::kDescription:
      key = "description/";
      break;
    case ProfileText::kShortDescription:
      key = "short_description/";
      break;
  }
  return key.append(language_code);
}

std::string World::MenuButtonKey(std::optional<UserId> user) {
  return user ? "menu_button/" + std::to_string(user->value) : "menu_button/default";
}

std::string World::DefaultAdminRightsKey(bool for_channels) {
  return for_channels ? "default_admin_rights/channels" : "default_admin_rights/groups";
}

Result<World::ResolvedCommandScope, DomainError> World::ResolveCommandScope(
    UserId bot, const CommandScope& scope) const {
  std::string_view prefix;
  switch (scope.type) {
    case CommandScopeType::kDefault:
      return ResolvedCommandScope{.name = "default"};
    case CommandScopeType::kAllPrivateChats:
      return ResolvedCommandScope{.name = "all_private_chats"};
    case CommandScopeType::kAllGroupChats:
      return ResolvedCommandScope{.name = "all_group_chats"};
    case CommandScopeType::kAllChatAdministrators:
      return ResolvedCommandScope{.name = "all_chat_administrators"};
    case CommandScopeType::kChat:
      prefix = "chat:";
      break;
    case CommandScopeType::kChatAdministrators:
      prefix = "chat_administrators:";
      break;
    case CommandScopeType::kChatMember:
      prefix = "chat_member:";
      break;
  }

  Target target;
  int64_t id = 0;
  if (scope.chat.id && *scope.chat.id > 0) {
    // A private chat: the reference's check_chat finds only users it has met (as sendMessage's
    // ResolveMessageChat does here); the bot has no private chat with itself.
    const User* user = FindUser(UserId(*scope.chat.id));
    if (!user || user->id == bot || !KnowsUser(bot, user->id))
      return Unexpected{DomainError{Err::kChatNotFound}};
    target.user = user;
  } else {
    auto found = Resolve(bot, scope.chat);
    if (!found) return Unexpected{found.error()};
    target = *found;
  }
  if (target.user) {
    id = target.user->id.value;  // also a bot named by @username
  } else {
    const Chat& chat = *target.chat;
    id = chat.id.value;
    const Member* me = FindMember(chat.id, bot);
    MemberStatus status = me ? me->status : MemberStatus::kLeft;
    if (chat.type == ChatType::kGroup) {
      // ReadMembers in a basic group asks for write access: its member list is gone once the
      // group is deactivated (check_chat_access).
      if (auto access = CheckAccess(bot, chat, Access::kWrite); !access)
        return Unexpected{access.error()};
    } else if (status == MemberStatus::kKicked) {
      // Refused even in a public chat, unlike plain read access.
      return Unexpected{DomainError{Err::kBotKicked, chat.type}};
    } else if (!IsPresent(status) && chat.username.empty()) {
      return Unexpected{DomainError{Err::kBotNotMember, chat.type}};
    }
  }

  std::string name(prefix);
  name.append(std::to_string(id));
  if (scope.type == CommandScopeType::kChatMember)
    name.append(":").append(std::to_string(scope.user.value));
  return ResolvedCommandScope{.name = std::move(name), .target = target};
}

std::string World::ProfileTextFor(UserId bot, ProfileText kind,
                                  std::string_view language_code) const {
  if (std::string_view own = Profile(bot, ProfileTextKey(kind, language_code)); !own.empty())
    return std::string(own);
  if (std::string_view all = Profile(bot, ProfileTextKey(kind, "")); !all.empty())
    return std::string(all);
  if (kind == ProfileText::kName) {
    if (const User* user = FindUser(bot)) return user->first_name;
  }
  return {};
}

Result<void, DomainError> World::CheckMenuButtonUser(UserId bot, UserId user) const {
  if (user == bot || !FindUser(user) || !KnowsUser(bot, user))
    return Unexpected{DomainError{Err::kUserNotFound}};
  return {};
}

std::string_view World::Profile(UserId bot, std::string_view key) const {
  auto it = profile_.find({bot, std::string(key)});
  return it == profile_.end() ? std::string_view() : std::string_view(it->second);
}

void World::SetProfile(UserId bot, std::string key, std::string value, Mutation& m) {
  if (Profile(bot, key) == value) return;
  BotProfileEntry entry{.bot = bot, .key = std::move(key), .value = std::move(value)};
  StoreProfile(entry);
  m.ops.emplace_back(std::move(entry));
}

void World::StoreProfile(const BotProfileEntry& entry) {
  // As in the stores, an empty value is no entry.
  if (entry.value.empty()) {
    profile_.erase({entry.bot, entry.key});
  } else {
    profile_[{entry.bot, entry.key}] = entry.value;
  }
}

}  // namespace tgi::domain
