// banChatMember (kickChatMember), unbanChatMember, promoteChatMember,
// setChatAdministratorCustomTitle, leaveChat, banChatSenderChat and unbanChatSenderChat (spec
// bot-api-moderation.md 2, 3, 5, 6.2, 6.3). Thin: the parameters are read here, in the
// reference's order (user_id before chat_id; sender_chat_id after the chat is checked), and the
// rules are World's (domain/world_moderation.cc).
#include <string>

#include "botapi/methods.h"
#include "botapi/moderation_args.h"

namespace tgi::botapi {
namespace {

// promoteChatMember's Boolean parameters and the right each sets.
struct RightParam {
  std::string_view name;
  domain::Right right;
};
constexpr RightParam kRightParams[] = {
    {"is_anonymous", domain::Right::kIsAnonymous},
    {"can_manage_chat", domain::Right::kCanManageChat},
    {"can_delete_messages", domain::Right::kCanDeleteMessages},
    {"can_manage_video_chats", domain::Right::kCanManageVideoChats},
    {"can_manage_voice_chats", domain::Right::kCanManageVideoChats},  // old name, OR-ed in
    {"can_restrict_members", domain::Right::kCanRestrictMembers},
    {"can_promote_members", domain::Right::kCanPromoteMembers},
    {"can_change_info", domain::Right::kCanChangeInfo},
    {"can_invite_users", domain::Right::kCanInviteUsers},
    {"can_post_stories", domain::Right::kCanPostStories},
    {"can_edit_stories", domain::Right::kCanEditStories},
    {"can_delete_stories", domain::Right::kCanDeleteStories},
    {"can_post_messages", domain::Right::kCanPostMessages},
    {"can_edit_messages", domain::Right::kCanEditMessages},
    {"can_pin_messages", domain::Right::kCanPinMessages},
    {"can_manage_topics", domain::Right::kCanManageTopics},
    {"can_manage_direct_messages", domain::Right::kCanManageDirectMessages},
    {"can_manage_tags", domain::Right::kCanManageTags},
};

}  // namespace

Result<Prepared, ApiError> PrepareBanChatMember(const Args& args) {
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  // The lenient int32 parser, default 0 (spec 1.1). revoke_messages is accepted and has no effect
  // here: messages of a removed user are not modelled as deleted ("always True" in supergroups).
  UnixTime until_date = ParseLenientInt32(args.Get("until_date"));
  return Prepared([chat = *chat, user = *user, until_date](MethodContext& c) {
    auto done = c.world.BanChatMember(c.bot, chat, user, until_date, c.now, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareUnbanChatMember(const Args& args) {
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  bool only_if_banned = args.Bool("only_if_banned");
  return Prepared([chat = *chat, user = *user, only_if_banned](MethodContext& c) {
    auto done = c.world.UnbanChatMember(c.bot, chat, user, only_if_banned, c.now, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PreparePromoteChatMember(const Args& args) {
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  domain::Rights rights;
  for (const RightParam& p : kRightParams)
    if (args.Bool(p.name)) rights.Set(p.right, true);
  bool has_can_restrict_members = args.Has("can_restrict_members");
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, user = *user, rights, has_can_restrict_members](MethodContext& c) {
    auto done = c.world.PromoteChatMember(c.bot, chat, user, rights, has_can_restrict_members,
                                          c.now, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareSetChatAdministratorCustomTitle(const Args& args) {
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  std::string title(args.Get("custom_title"));
  return Prepared([chat = *chat, user = *user, title = std::move(title)](MethodContext& c) {
    auto done =
        c.world.SetChatAdministratorCustomTitle(c.bot, chat, user, title, c.now, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareSetChatMemberTag(const Args& args) {
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  std::string tag(args.Get("tag"));
  return Prepared([chat = *chat, user = *user, tag = std::move(tag)](MethodContext& c) {
    auto done = c.world.SetChatMemberTag(c.bot, chat, user, tag, c.now, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareLeaveChat(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat](MethodContext& c) {
    auto done = c.world.LeaveChat(c.bot, chat, c.now, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    return Ok(true);
  });
}

namespace {

// Both sender-chat methods: check_chat(chat_id, Write) answers first, then sender_chat_id is read
// (Client::check_chat_no_fail), then the World's rules run (`apply`).
template <typename Apply>
Result<Prepared, ApiError> PrepareSenderChatMethod(const Args& args, Apply apply) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  Result<int64_t, ApiError> sender = ParseSenderChatId(args);
  return Prepared([chat = *chat, sender = std::move(sender), apply](MethodContext& c) {
    auto target = c.world.ResolveMessageChat(c.bot, chat, domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    if (!sender) return Err(sender.error());
    auto done = apply(c, chat, *sender);
    if (!done) return Err(FromDomain(done.error()));
    return Ok(true);
  });
}

}  // namespace

Result<Prepared, ApiError> PrepareBanChatSenderChat(const Args& args) {
  // Read as the reference reads it and passed on; the World ignores it for chats (spec 6.3).
  UnixTime until_date = ParseLenientInt32(args.Get("until_date"));
  return PrepareSenderChatMethod(
      args, [until_date](MethodContext& c, const domain::ChatRef& chat, int64_t sender) {
        return c.world.BanChatSenderChat(c.bot, chat, sender, until_date, c.now, c.mutation);
      });
}

Result<Prepared, ApiError> PrepareUnbanChatSenderChat(const Args& args) {
  return PrepareSenderChatMethod(
      args, [](MethodContext& c, const domain::ChatRef& chat, int64_t sender) {
        return c.world.UnbanChatSenderChat(c.bot, chat, sender, c.now, c.mutation);
      });
}

}  // namespace tgi::botapi
