// The errors the domain's rules produce. The Bot API layer turns each into its exact wire text
// (botapi/errors.cc holds the catalogue); the domain only says what went wrong.
#pragma once

#include <optional>

#include "common/ids.h"
#include "domain/model.h"

namespace tginvite::domain {

enum class Err {
  kChatNotFound,               // unknown or unreachable chat
  kUserNotFound,               // unknown user
  kGroupUpgraded,              // basic group upgraded; see DomainError::migrate_to
  kBotKicked,                  // the bot is banned from the chat (text depends on chat_type)
  kBotNotMember,               // the bot is not in the chat (text depends on chat_type)
  kPrivateChatNoInvite,        // invite links asked for a private chat
  kNotEnoughRightsInviteLink,  // no can_invite_users
  kNoAdministratorsInPrivate,  // getChatAdministrators on a private chat
  kInviteHashExpired,          // a join through an unknown, revoked or dead link
  kUserAlreadyParticipant,     // a join by someone already in the chat
  kUserBannedInChannel,        // a join by someone kicked from the chat
};

struct DomainError {
  Err kind;
  ChatType chat_type = ChatType::kSupergroup;  // for the texts that name the chat's kind
  std::optional<ChatId> migrate_to;            // kGroupUpgraded only
};

}  // namespace tginvite::domain
