// The Message and CallbackQuery objects (spec bot-api-messages.md 1 and 6.1).
#include <string>

#include "botapi/encode.h"
#include "text/formatted_text.h"

namespace tgi::botapi {
namespace {

using domain::ChatType;
using domain::Message;
using domain::MessageFlag;
using text::EntityType;

void WriteUserOrDeleted(JsonWriter& w, const domain::World& world, UserId id) {
  if (const domain::User* u = world.FindUser(id)) return WriteUser(w, *u);
  WriteUser(w, domain::User{.id = id, .first_name = "Deleted Account"});
}

// JsonVectorEntities: bank card numbers are never written; the list is left out when empty.
void WriteEntities(JsonWriter& w, const domain::World& world, const text::FormattedText& t) {
  bool any = false;
  for (const text::Entity& e : t.entities) {
    if (e.type == EntityType::kBankCardNumber || e.type >= EntityType::kCount) continue;
    if (!any) w.Key("entities").BeginArray();
    any = true;
    w.BeginObject().Field("offset", int64_t{e.offset}).Field("length", int64_t{e.length});
    w.Field("type", text::EntityTypeName(e.type));
    switch (e.type) {
      case EntityType::kPre:
        if (!e.argument.empty()) w.Field("language", e.argument);
        break;
      case EntityType::kTextLink:
        w.Field("url", e.argument);
        break;
      case EntityType::kTextMention:
        w.Key("user");
        WriteUserOrDeleted(w, world, UserId(e.user_id));
        break;
      case EntityType::kCustomEmoji:
        w.Field("custom_emoji_id", e.argument);
        break;
      case EntityType::kDateTime:
        w.Field("unix_time", e.unix_time).Field("date_time_format", e.argument);
        break;
      default:
        break;
    }
    w.EndObject();
  }
  if (any) w.EndArray();
}

// Spec 2.6: link_preview_options only when a flag is set or a URL given; is_disabled only counts
// when the text has a link.
void WriteLinkPreviewOptions(JsonWriter& w, const Message& m) {
  bool has_link = false;
  for (const text::Entity& e : m.text.entities)
    has_link = has_link || e.type == EntityType::kUrl || e.type == EntityType::kTextLink;
  bool disabled = m.Has(MessageFlag::kPreviewDisabled) && has_link;
  bool small = m.Has(MessageFlag::kPreviewSmallMedia);
  bool large = m.Has(MessageFlag::kPreviewLargeMedia);
  bool above = m.Has(MessageFlag::kPreviewAboveText);
  if (!disabled && !small && !large && !above && m.link_preview_url.empty()) return;
  w.Key("link_preview_options").BeginObject();
  if (disabled) w.Field("is_disabled", true);
  if (!m.link_preview_url.empty()) w.Field("url", m.link_preview_url);
  if (small) w.Field("prefer_small_media", true);
  if (large) w.Field("prefer_large_media", true);
  if (above) w.Field("show_above_text", true);
  w.EndObject();
}

const domain::Chat* ChatOf(const domain::World& world, const Message& m) {
  return m.bot.value ? nullptr : world.FindChat(m.chat);
}

// forward_origin (MessageOrigin) and the legacy forward_* fields, then forward_date (spec 1.1).
void WriteForward(JsonWriter& w, const domain::World& world, const Message& m) {
  if (!m.forward_date) return;
  const domain::Chat* from_chat =
      m.forward_from_chat.value ? world.FindChat(m.forward_from_chat) : nullptr;
  w.Key("forward_origin").BeginObject();
  if (from_chat) {
    w.Field("type", "channel").Field("date", m.forward_date);
    w.Key("chat");
    WriteChat(w, *from_chat);
    w.Field("message_id", m.forward_from_message_id);
  } else {
    w.Field("type", "user").Field("date", m.forward_date);
    w.Key("sender_user");
    WriteUserOrDeleted(w, world, m.forward_from);
  }
  w.EndObject();
  if (from_chat) {
    w.Key("forward_from_chat");
    WriteChat(w, *from_chat);
    w.Field("forward_from_message_id", m.forward_from_message_id);
  } else {
    w.Key("forward_from");
    WriteUserOrDeleted(w, world, m.forward_from);
  }
  w.Field("forward_date", m.forward_date);
}

void WriteUsersField(JsonWriter& w, const domain::World& world, std::string_view key, UserId id) {
  w.Key(key);
  WriteUserOrDeleted(w, world, id);
}

}  // namespace

void WritePrivateChat(JsonWriter& w, const domain::User& u) {
  w.BeginObject().Field("id", u.id.value).Field("first_name", u.first_name);
  if (!u.last_name.empty()) w.Field("last_name", u.last_name);
  if (!u.username.empty()) w.Field("username", u.username);
  w.Field("type", "private");
  w.EndObject();
}

void WriteMessageChat(JsonWriter& w, const domain::World& world, const Message& m) {
  if (m.chat.value > 0) {
    if (const domain::User* u = world.FindUser(UserId(m.chat.value)))
      return WritePrivateChat(w, *u);
    return WritePrivateChat(
        w, domain::User{.id = UserId(m.chat.value), .first_name = "Deleted Account"});
  }
  if (const domain::Chat* c = world.FindChat(m.chat)) return WriteChat(w, *c);
  w.BeginObject().Field("id", m.chat.value).Field("type", "group").EndObject();
}

namespace {

// WriteMessage, and with `listed` WriteListedMessage.
void WriteMessageAs(JsonWriter& w, const domain::World& world, const Message& m, ReplyDepth depth,
                    bool listed) {
  const domain::Chat* chat = ChatOf(world, m);
  const bool channel = chat && chat->type == ChatType::kChannel;
  w.BeginObject().Field("message_id", m.id);
  // A channel post has no `from`; its sender_chat is the channel (spec 1.2).
  if (!channel) {
    w.Key("from");
    WriteUserOrDeleted(w, world, m.from);
  } else {
    w.Key("sender_chat");
    WriteChat(w, *chat);
  }
  w.Key("chat");
  WriteMessageChat(w, world, m);
  w.Field("date", m.date);
  if (m.edit_date) w.Field("edit_date", m.edit_date);
  WriteForward(w, world, m);
  // A pinned-message service message's reply_to is the pinned message, written below instead.
  if (depth == ReplyDepth::kWithReply && m.reply_to &&
      m.kind != domain::MessageKind::kPinnedMessage)
    if (const Message* replied = world.FindMessage(m.chat, m.bot, m.reply_to)) {
      w.Key("reply_to_message");
      WriteMessage(w, world, *replied, ReplyDepth::kWithoutReply);
    }
  switch (m.kind) {
    case domain::MessageKind::kText:
      w.Field("text", m.text.text);
      WriteEntities(w, world, m.text);
      WriteLinkPreviewOptions(w, m);
      break;
    case domain::MessageKind::kNewChatMembers:
      if (!m.users.empty()) {
        // new_chat_participant and new_chat_member: the bot itself if added, else the first
        // (spec 1.7); new_chat_members: all of them.
        UserId one = m.users.front();
        for (UserId u : m.users)
          if (world.FindBot(u)) one = u;
        WriteUsersField(w, world, "new_chat_participant", one);
        WriteUsersField(w, world, "new_chat_member", one);
        w.Key("new_chat_members").BeginArray();
        for (UserId u : m.users) WriteUserOrDeleted(w, world, u);
        w.EndArray();
      }
      break;
    case domain::MessageKind::kLeftChatMember:
      if (!m.users.empty()) {
        WriteUsersField(w, world, "left_chat_participant", m.users.front());
        WriteUsersField(w, world, "left_chat_member", m.users.front());
      }
      break;
    case domain::MessageKind::kMigrateToChatId:
      if (const domain::Chat* chat = world.FindChat(m.chat); chat && chat->migrated_to)
        w.Field("migrate_to_chat_id", chat->migrated_to->value);
      break;
    case domain::MessageKind::kMigrateFromChatId:
      if (auto from = world.UpgradedFrom(m.chat)) w.Field("migrate_from_chat_id", from->value);
      break;
    case domain::MessageKind::kPinnedMessage:
      // JsonMessage: the pinned message without its reply; if it is unknown or deleted, an
      // InaccessibleMessage, but only where the message itself is written with its reply (an
      // update or a method's result), else nothing (spec 1.7).
      if (m.reply_to > 0) {
        if (const Message* pinned = world.FindMessage(m.chat, m.bot, m.reply_to)) {
          w.Key("pinned_message");
          WriteMessage(w, world, *pinned, ReplyDepth::kWithoutReply);
        } else if (depth == ReplyDepth::kWithReply) {
          w.Key("pinned_message");
          WriteInaccessibleMessage(w, world, m.chat, m.bot, m.reply_to);
        }
      }
      break;
  }
  if (!m.inline_keyboard.empty()) {
    w.Key("reply_markup").Raw(m.inline_keyboard);
  } else if (listed && !m.reply_keyboard.empty()) {
    // A message has one markup: a reply keyboard is never stored beside an inline one.
    w.Key("reply_markup").Raw(m.reply_keyboard);
  }
  if (m.Has(MessageFlag::kProtectedContent)) w.Field("has_protected_content", true);
  w.EndObject();
}

}  // namespace

void WriteMessage(JsonWriter& w, const domain::World& world, const Message& m, ReplyDepth depth) {
  WriteMessageAs(w, world, m, depth, false);
}

void WriteListedMessage(JsonWriter& w, const domain::World& world, const Message& m) {
  WriteMessageAs(w, world, m, ReplyDepth::kWithReply, true);
}

void WriteInaccessibleMessage(JsonWriter& w, const domain::World& world, ChatId chat, UserId owner,
                              int64_t message_id) {
  Message gone{.chat = chat, .bot = owner, .id = message_id};
  w.BeginObject().Field("message_id", message_id).Key("chat");
  WriteMessageChat(w, world, gone);
  w.Field("date", int64_t{0}).EndObject();
}

int64_t ChatInstance(ChatId chat, UserId bot) {
  // A fixed mix (splitmix64's finaliser) of the two ids: stable across restarts.
  uint64_t x =
      static_cast<uint64_t>(chat.value) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(bot.value);
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return static_cast<int64_t>(x);
}

void WriteCallbackQuery(JsonWriter& w, const domain::World& world, const domain::CallbackQuery& q) {
  w.BeginObject().Field("id", std::to_string(q.id));
  w.Key("from");
  WriteUserOrDeleted(w, world, q.from);
  const UserId owner = q.chat.value > 0 ? q.bot : UserId();
  w.Key("message");
  if (const Message* m = world.FindMessage(q.chat, owner, q.message_id)) {
    WriteMessage(w, world, *m, ReplyDepth::kWithReply);
  } else {
    WriteInaccessibleMessage(w, world, q.chat, owner, q.message_id);  // spec 6.1
  }
  w.Field("chat_instance", std::to_string(ChatInstance(q.chat, q.bot)));
  w.Field("data", q.data);
  w.EndObject();
}

}  // namespace tgi::botapi
