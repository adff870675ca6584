#include "botapi/encode.h"

#include <cstdlib>

namespace tgi::botapi {
namespace {

using domain::ChatType;
using domain::MemberStatus;
using domain::Right;

// Named decisions for values the simulated world does not model:
constexpr int64_t kMaxReactionCount = 11;  // Telegram's default for chats without boosts
int64_t DefaultAccentColor(int64_t id) { return std::llabs(id) % 7; }  // one of the 7 base colors

void WriteAcceptedGiftTypes(JsonWriter& w) {
  w.Key("accepted_gift_types").BeginObject();
  w.Field("unlimited_gifts", false).Field("limited_gifts", false).Field("unique_gifts", false);
  w.Field("premium_subscription", false).Field("gifts_from_channels", false);
  w.EndObject();
}

// ChatPermissions' fields, in the reference's order (json_store_permissions), with the legacy
// can_send_media_messages as the OR of the six media permissions (spec
// bot-api-moderation.md 7.2).
void WritePermissionFields(JsonWriter& w, const domain::Permissions& p) {
  using domain::Permission;
  auto has = [&](Permission x) { return p.Has(x); };
  w.Field("can_send_messages", has(Permission::kCanSendMessages));
  w.Field("can_send_media_messages", p.AnyMedia());
  for (Permission x :
       {Permission::kCanSendAudios, Permission::kCanSendDocuments, Permission::kCanSendPhotos,
        Permission::kCanSendVideos, Permission::kCanSendVideoNotes, Permission::kCanSendVoiceNotes,
        Permission::kCanSendPolls, Permission::kCanSendOtherMessages,
        Permission::kCanAddWebPagePreviews, Permission::kCanReactToMessages,
        Permission::kCanEditTag, Permission::kCanChangeInfo, Permission::kCanInviteUsers,
        Permission::kCanPinMessages, Permission::kCanManageTopics})
    w.Field(domain::PermissionName(x), has(x));
}

// getChat's `permissions`: the chat's default permissions (setChatPermissions).
void WriteDefaultPermissions(JsonWriter& w, const domain::Chat& chat) {
  w.Key("permissions").BeginObject();
  WritePermissionFields(w, chat.permissions);
  w.EndObject();
}

// The legacy flag of basic groups: true only when members may do everything by default.
bool AllMembersAreAdministrators(const domain::Chat& chat) { return chat.permissions.AllSet(); }

}  // namespace

void WriteUser(JsonWriter& w, const domain::User& u) {
  w.BeginObject()
      .Field("id", u.id.value)
      .Field("is_bot", u.is_bot)
      .Field("first_name", u.first_name);
  if (!u.last_name.empty()) w.Field("last_name", u.last_name);
  if (!u.username.empty()) w.Field("username", u.username);
  if (!u.language_code.empty()) w.Field("language_code", u.language_code);
  if (u.is_premium) w.Field("is_premium", true);
  w.EndObject();
}

void WriteGetMe(JsonWriter& w, const domain::User& u, const domain::Bot& b) {
  w.BeginObject().Field("id", u.id.value).Field("is_bot", true).Field("first_name", u.first_name);
  if (!u.last_name.empty()) w.Field("last_name", u.last_name);
  w.Field("username", u.username);
  w.Field("can_join_groups", b.can_join_groups);
  w.Field("can_read_all_group_messages", b.can_read_all_group_messages);
  w.Field("supports_inline_queries", b.supports_inline_queries);
  w.Field("supports_guest_queries", b.supports_guest_queries);
  w.Field("can_connect_to_business", b.can_connect_to_business);
  w.Field("has_main_web_app", b.has_main_web_app);
  w.Field("has_topics_enabled", b.has_topics_enabled);
  w.Field("allows_users_to_create_topics", b.allows_users_to_create_topics);
  w.Field("can_manage_bots", b.can_manage_bots);
  w.EndObject();
}

namespace {

// JsonChat writes pinned_message (without its reply) after the photo and before
// max_reaction_count; a deleted pinned message is left out.
void WritePinnedMessage(JsonWriter& w, const domain::World& world, const domain::ChatView& view) {
  if (!view.pinned_message) return;
  w.Key("pinned_message");
  WriteMessage(w, world, *view.pinned_message, ReplyDepth::kWithoutReply);
}

}  // namespace

void WriteChatFullInfo(JsonWriter& w, const domain::World& world, const domain::ChatView& view) {
  w.BeginObject();
  if (const domain::User* u = view.target.user) {
    w.Field("id", u->id.value).Field("first_name", u->first_name);
    if (!u->last_name.empty()) w.Field("last_name", u->last_name);
    if (!u->username.empty()) w.Field("username", u->username);
    w.Field("type", "private");
    if (!u->username.empty()) w.Key("active_usernames").BeginArray().String(u->username).EndArray();
    if (!u->is_bot) w.Field("can_send_gift", true);  // legacy field, still sent for people
    WritePinnedMessage(w, world, view);
    w.Field("max_reaction_count", kMaxReactionCount);
    w.Field("accent_color_id", DefaultAccentColor(u->id.value));
    WriteAcceptedGiftTypes(w);
    w.EndObject();
    return;
  }
  const domain::Chat& c = *view.target.chat;
  w.Field("id", c.id.value).Field("title", c.title);
  if (c.type == ChatType::kGroup) {
    w.Field("type", "group");
    if (!c.description.empty()) w.Field("description", c.description);
    if (!view.invite_link_hash.empty())
      w.Field("invite_link", domain::InviteLinkUrl(view.invite_link_hash));
    WriteDefaultPermissions(w, c);
    w.Field("all_members_are_administrators",
            AllMembersAreAdministrators(c));  // legacy, still sent
  } else {
    if (!c.username.empty()) w.Field("username", c.username);
    w.Field("type", ChatTypeName(c.type));
    if (!c.username.empty()) w.Key("active_usernames").BeginArray().String(c.username).EndArray();
    if (!c.description.empty()) w.Field("description", c.description);
    if (!view.invite_link_hash.empty())
      w.Field("invite_link", domain::InviteLinkUrl(view.invite_link_hash));
    if (c.type == ChatType::kSupergroup) WriteDefaultPermissions(w, c);
  }
  WritePinnedMessage(w, world, view);
  w.Field("max_reaction_count", kMaxReactionCount);
  w.Field("accent_color_id", DefaultAccentColor(c.id.value));
  WriteAcceptedGiftTypes(w);
  w.EndObject();
}

void WriteChatMember(JsonWriter& w, const domain::MemberView& view, const domain::Chat* chat) {
  const domain::Member& m = view.member;
  w.BeginObject();
  w.Key("user");
  WriteUser(w, *view.user);
  w.Field("status", MemberStatusName(m.status));
  ChatType type = chat ? chat->type : ChatType::kGroup;
  switch (m.status) {
    case MemberStatus::kCreator:
      if (!m.custom_title.empty()) w.Field("custom_title", m.custom_title);
      w.Field("is_anonymous", m.rights.Has(Right::kIsAnonymous));
      break;
    case MemberStatus::kAdministrator: {
      auto has = [&](Right r) { return m.rights.Has(r); };
      bool channel = type == ChatType::kChannel;
      w.Field("can_be_edited", has(Right::kCanBeEdited));
      w.Field("can_manage_chat", has(Right::kCanManageChat));
      w.Field("can_change_info", has(Right::kCanChangeInfo));
      if (channel) {
        w.Field("can_post_messages", has(Right::kCanPostMessages));
        w.Field("can_edit_messages", has(Right::kCanEditMessages));
      }
      w.Field("can_delete_messages", has(Right::kCanDeleteMessages));
      w.Field("can_invite_users", has(Right::kCanInviteUsers));
      w.Field("can_restrict_members", has(Right::kCanRestrictMembers));
      if (!channel) w.Field("can_pin_messages", has(Right::kCanPinMessages));
      if (type == ChatType::kSupergroup) w.Field("can_manage_topics", has(Right::kCanManageTopics));
      w.Field("can_promote_members", has(Right::kCanPromoteMembers));
      w.Field("can_manage_video_chats", has(Right::kCanManageVideoChats));
      w.Field("can_post_stories", has(Right::kCanPostStories));
      w.Field("can_edit_stories", has(Right::kCanEditStories));
      w.Field("can_delete_stories", has(Right::kCanDeleteStories));
      if (channel) w.Field("can_manage_direct_messages", has(Right::kCanManageDirectMessages));
      if (!channel) w.Field("can_manage_tags", has(Right::kCanManageTags));
      w.Field("is_anonymous", has(Right::kIsAnonymous));
      w.Field("can_manage_voice_chats", has(Right::kCanManageVideoChats));  // legacy copy
      if (!m.custom_title.empty()) w.Field("custom_title", m.custom_title);
      break;
    }
    case MemberStatus::kMember:
      if (!m.custom_title.empty()) w.Field("tag", m.custom_title);  // setChatMemberTag
      break;
    case MemberStatus::kLeft:
      break;
    case MemberStatus::kRestricted:
      if (!m.custom_title.empty()) w.Field("tag", m.custom_title);
      if (type == ChatType::kSupergroup) {
        w.Field("until_date", m.until_date);
        WritePermissionFields(w, m.permissions);
        w.Field("is_member", true);
      }
      break;
    case MemberStatus::kKicked:
      w.Field("until_date", m.until_date);
      break;
  }
  w.EndObject();
}

void WriteChat(JsonWriter& w, const domain::Chat& c) {
  w.BeginObject().Field("id", c.id.value).Field("title", c.title);
  if (!c.username.empty()) w.Field("username", c.username);
  w.Field("type", ChatTypeName(c.type));
  // The reference's JsonChat writes these two for basic groups, in updates and messages too
  // (bot-api-invite-links.md 4.1, bot-api-messages.md 1.3).
  if (c.type == ChatType::kGroup) {
    w.Field("all_members_are_administrators", AllMembersAreAdministrators(c));
    WriteAcceptedGiftTypes(w);
  }
  w.EndObject();
}

std::string VisibleLinkUrl(const domain::InviteLink& link, UserId viewer) {
  constexpr size_t kKeptHashChars = 8;
  if (link.creator == viewer) return domain::InviteLinkUrl(link.hash);
  return domain::InviteLinkUrl(link.hash.substr(0, kKeptHashChars)) + "...";
}

void WriteChatInviteLink(JsonWriter& w, const domain::World& world, const domain::InviteLink& link,
                         UserId viewer) {
  w.BeginObject().Field("invite_link", VisibleLinkUrl(link, viewer));
  if (!link.name.empty()) w.Field("name", link.name);
  w.Key("creator");
  if (const domain::User* creator = world.FindUser(link.creator)) {
    WriteUser(w, *creator);
  } else {
    WriteUser(w, domain::User{.id = link.creator, .first_name = "Deleted Account"});
  }
  if (link.expire_date != 0) w.Field("expire_date", link.expire_date);
  if (link.member_limit != 0) w.Field("member_limit", static_cast<int64_t>(link.member_limit));
  if (int pending = world.PendingJoinRequestCount(link.hash); pending != 0)
    w.Field("pending_join_request_count", pending);
  if (link.subscription_period != 0) {
    w.Field("subscription_period", static_cast<int64_t>(link.subscription_period));
    w.Field("subscription_price", static_cast<int64_t>(link.subscription_price));
  }
  w.Field("creates_join_request", link.creates_join_request);
  w.Field("is_primary", link.is_primary);
  w.Field("is_revoked", link.is_revoked);
  w.EndObject();
}

namespace {

void WriteUserOrDeleted(JsonWriter& w, const domain::World& world, UserId id) {
  if (const domain::User* u = world.FindUser(id)) return WriteUser(w, *u);
  WriteUser(w, domain::User{.id = id, .first_name = "Deleted Account"});
}

void WriteMemberIn(JsonWriter& w, const domain::World& world, const domain::Chat* chat,
                   const domain::Member& member) {
  const domain::User* user = world.FindUser(member.user);
  domain::User deleted{.id = member.user, .first_name = "Deleted Account"};
  WriteChatMember(
      w, domain::MemberView{.chat = chat, .user = user ? user : &deleted, .member = member}, chat);
}

}  // namespace

std::string EncodeUpdate(const domain::World& world, const domain::UpdateEvent& event,
                         UserId receiver, int64_t update_id) {
  JsonWriter w;
  w.BeginObject().Field("update_id", update_id);
  if (const auto* msg = std::get_if<domain::MessageEvent>(&event)) {
    const domain::Message* m = world.FindMessage(msg->chat, msg->bot, msg->message_id);
    const domain::Chat* chat = msg->chat.value < 0 ? world.FindChat(msg->chat) : nullptr;
    const bool channel = chat && chat->type == ChatType::kChannel;
    w.Key(channel ? (msg->edited ? "edited_channel_post" : "channel_post")
                  : (msg->edited ? "edited_message" : "message"));
    if (m) {
      WriteMessage(w, world, *m, ReplyDepth::kWithReply);
    } else {
      w.Raw("null");
    }
  } else if (const auto* cq = std::get_if<domain::CallbackQueryEvent>(&event)) {
    w.Key("callback_query");
    if (const domain::CallbackQuery* q = world.FindCallbackQuery(cq->query_id)) {
      WriteCallbackQuery(w, world, *q);
    } else {
      w.Raw("null");
    }
  } else if (const auto* e = std::get_if<domain::MemberUpdateEvent>(&event)) {
    const domain::Chat* chat = world.FindChat(e->chat);
    w.Key(e->new_member.user == receiver ? "my_chat_member" : "chat_member").BeginObject();
    w.Key("chat");
    if (chat) {
      WriteChat(w, *chat);
    } else if (const domain::User* u = world.FindUser(UserId(e->chat.value))) {
      WritePrivateChat(w, *u);  // a private chat: blocking and unblocking the bot
    } else {
      w.BeginObject().Field("id", e->chat.value).EndObject();
    }
    w.Key("from");
    WriteUserOrDeleted(w, world, e->from);
    w.Field("date", e->date);
    w.Key("old_chat_member");
    WriteMemberIn(w, world, chat, e->old_member);
    w.Key("new_chat_member");
    WriteMemberIn(w, world, chat, e->new_member);
    if (!e->link_hash.empty())
      if (const domain::InviteLink* link = world.FindLink(e->link_hash)) {
        w.Key("invite_link");
        WriteChatInviteLink(w, world, *link, receiver);
      }
    if (e->via_join_request) w.Field("via_join_request", true);
    w.EndObject();
  } else {
    const auto& r = std::get<domain::JoinRequestEvent>(event);
    const domain::Chat* chat = world.FindChat(r.chat);
    w.Key("chat_join_request").BeginObject();
    w.Key("chat");
    if (chat) WriteChat(w, *chat);
    w.Key("from");
    WriteUserOrDeleted(w, world, r.from);
    w.Field("user_chat_id", r.from.value);
    w.Field("date", r.date);
    if (!r.bio.empty()) w.Field("bio", r.bio);
    if (!r.link_hash.empty())
      if (const domain::InviteLink* link = world.FindLink(r.link_hash)) {
        w.Key("invite_link");
        WriteChatInviteLink(w, world, *link, receiver);
      }
    w.EndObject();
  }
  w.EndObject();
  // The reference's JsonUpdate (WebhookActor.h) writes a newline after update_id's comma:
  // {"update_id":N,\n"message":{...}}, in getUpdates answers and webhook bodies alike (issue
  // 13). The first comma is that one: nothing before it but the key and an integer. Named
  // decision: updates are stored encoded, so one stored by an older tginvited (a database that
  // survived the upgrade) is sent as it was stored, without the newline.
  std::string out = w.Take();
  size_t comma = out.find(',');
  if (comma != std::string::npos) out.insert(comma + 1, 1, '\n');
  return out;
}

}  // namespace tgi::botapi
