// The errors the domain's rules produce. The Bot API layer turns each into its exact wire text
// (botapi/errors.cc holds the catalogue); the domain only says what went wrong.
#pragma once

#include <optional>

#include "common/ids.h"
#include "domain/model.h"

namespace tgi::domain {

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
  kBannedFromChat,             // a join by someone kicked from the chat: CHANNEL_PRIVATE
  // The invite-link family (spec 3.2-3.6).
  kMemberLimitWithApproval,      // member_limit together with creates_join_request
  kInviteLinkEmpty,              // edit/revoke without invite_link
  kInvalidSubscriptionPricing,   // subscription period or price <= 0
  kExpireDateInvalid,            // EXPIRE_DATE_INVALID: an expiry date already past
  kUsageLimitInvalid,            // USAGE_LIMIT_INVALID: member_limit above 99999
  kChatInvitePermanent,          // CHAT_INVITE_PERMANENT: editing a primary link
  kSubscriptionPeriodInvalid,    // SUBSCRIPTION_PERIOD_INVALID
  kPricingChatInvalid,           // PRICING_CHAT_INVALID: price above the maximum
  kPeerIdInvalid,                // PEER_ID_INVALID: a subscription link outside a channel
  kNoJoinRequestsInPrivate,      // approve/decline in a private chat
  kChatDeactivated,              // approve/decline in an upgraded basic group
  kNotEnoughRightsJoinRequests,  // approve/decline without can_invite_users
  kHideRequesterMissing,         // HIDE_REQUESTER_MISSING: no pending request from that user
  kInviteRequestSent,            // INVITE_REQUEST_SENT: a join through a request link (control)
  kUserNotParticipant,           // USER_NOT_PARTICIPANT: leave/remove someone not in the chat
  kBotCannotJoinByLink,          // a bot given to POST /control/v1/join (bots are added instead)
  // Messages (spec bot-api-messages.md 2, 6, 7).
  kBotCantInitiateConversation,  // a private chat with a user who never started the bot
  kBotBlockedByUser,             // a private chat with a user who blocked the bot
  kBotCantMessageBot,            // a private chat with another bot
  kNeedAdminRightsInChannel,     // a channel post without can_post_messages
  kNotEnoughRightsToSendText,    // a member who may not send text
  kMessageNotFound,              // "message to <use> not found"; see DomainError::use
  kMessageCantBeEdited,
  kNoTextInMessage,                  // editMessageText of a message without text
  kMessageNotModified,               // an edit that changes nothing
  kMessageCantBeDeleted,             // supergroups and channels
  kMessageCantBeDeletedForEveryone,  // private chats and basic groups
  kMessageCantBeForwarded,
  kMessageCantBeCopied,
  kProtectedContent,  // forwarding a message with protected content
  kQueryIdInvalid,    // an unknown, expired or already answered callback query
  // Pinned messages (TDLib's DialogManager::can_pin_messages, MessagesManager::can_pin_message).
  kNotEnoughRightsToPin,        // no can_pin_messages (groups) / can_edit_messages (channels)
  kServiceMessageCantBePinned,  // pinning or unpinning a service message
  kBusinessConnectionNotFound,  // business_connection_id given: none is modelled
  // Moderation (spec bot-api-moderation.md 1-3, 5, 6.2).
  kInvalidUserIdentifier,       // a user_id above 2^40 - 1 (TDLib)
  kCantBanInPrivate,            // banChatMember in a private chat
  kSupergroupOrChannelOnly,     // unban/promote outside supergroups and channels
  kGroupsOnly,                  // setChatAdministratorCustomTitle outside groups/supergroups
  kStatusInPrivate,             // leaveChat in a private chat
  kParticipantIdInvalid,        // PARTICIPANT_ID_INVALID: a target the server cannot resolve
  kUserIdInvalid,               // USER_ID_INVALID: the same in a basic group
  kMemberListInaccessible,      // a channel where the bot is not an administrator
  kCantRemoveChatOwner,         // the owner as the target of ban, unban or promote
  kCantRestrictSelf,            // the bot bans itself in a supergroup or channel
  kCantPromoteSelf,             // the bot promotes itself
  kNotEnoughRightsToRestrict,   // no can_restrict_members
  kNotEnoughRights,             // promote without can_promote_members
  kUserIsAdministrator,         // USER_ADMIN_INVALID, as the reference rewrites it
  kChatAdminRequired,           // CHAT_ADMIN_REQUIRED
  kRightForbidden,              // RIGHT_FORBIDDEN: granting a right the bot lacks
  kOnlyOwnerEditsTitle,         // a custom title for the owner
  kUserNotAdministrator,        // a custom title for someone who is not an administrator
  kNotEnoughRightsToEditTitle,  // a custom title for an administrator the bot cannot edit
  kStringsMustBeUtf8,           // a custom title that is not UTF-8
  kCustomTitleEmojiNotAllowed,  // CUSTOM_TITLE_EMOJI_NOT_ALLOWED
  kTagEmojiNotAllowed,          // TAG_EMOJI_NOT_ALLOWED: setChatMemberTag with an emoji
  kTagChangeForbidden,          // TAG_CHANGE_FORBIDDEN: setChatMemberTag for an administrator
  // Moderation: restrictChatMember, setChatPermissions (spec 4, 6.1).
  kOnlyForSupergroups,                  // restrictChatMember outside a supergroup
  kCantUnrestrictSelf,                  // the bot lifting its own restrictions
  kCantChangePrivatePermissions,        // setChatPermissions in a private chat
  kCantChangeChannelPermissions,        // setChatPermissions in a channel
  kNotEnoughRightsToChangePermissions,  // setChatPermissions without can_restrict_members
  // Moderation: banChatSenderChat, unbanChatSenderChat (spec 6.3).
  kInvalidChatIdentifier,      // a sender_chat_id no chat can have (TDLib)
  kCantBanChatsInBasicGroups,  // banChatSenderChat of a chat in a basic group
  kMemberNotFound,             // a sender chat TDLib has no input peer for (spec 1.3 step 8.2)
  kCantRestrictTheChat,        // a basic group as the sender chat (spec 1.3 step 8.4)
};

// How a method used the message it did not find: "message to edit not found", ... (spec 7.1).
enum class MessageUseKind { kReply, kEdit, kDelete, kForward, kCopy, kPin, kUnpin };

struct DomainError {
  Err kind;
  ChatType chat_type = ChatType::kSupergroup;   // for the texts that name the chat's kind
  std::optional<ChatId> migrate_to;             // kGroupUpgraded only
  MessageUseKind use = MessageUseKind::kReply;  // kMessageNotFound only
};

}  // namespace tgi::domain
