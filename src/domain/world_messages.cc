// Conversations (spec bot-api-messages.md): messages, private chats and callback queries; who
// may write where, who receives what (the privacy rules of spec 9), and the people's side for
// the control plane.
#include <algorithm>
#include <string>

#include "common/ascii.h"
#include "domain/world.h"

namespace tgi::domain {
namespace {

// Spec 7.6: messages older than this cannot be deleted by bots (revoke_time_limit and
// revoke_pm_time_limit for bots, and the supergroup rule).
constexpr int64_t kDeleteWindowSeconds = 48 * 3600;

bool HasRight(const Member* m, Right r) {
  if (!m) return false;
  return m->status == MemberStatus::kCreator ||
         (m->status == MemberStatus::kAdministrator && m->rights.Has(r));
}

DomainError NotFound(MessageUse use) {
  DomainError e{Err::kMessageNotFound};
  e.use = use;
  return e;
}

// The first bot_command of a message, and the bot username it names ("" for a general command).
struct Command {
  bool found = false;
  std::string username;
};

Command FirstCommand(const text::FormattedText& t) {
  for (const text::Entity& e : t.entities) {
    if (e.type != text::EntityType::kBotCommand) continue;
    // Offsets are UTF-16 units; a command is ASCII, so find its bytes by scanning the text.
    size_t units = 0, start = std::string::npos;
    for (size_t i = 0; i < t.text.size();) {
      if (static_cast<int64_t>(units) == e.offset) {
        start = i;
        break;
      }
      auto c = static_cast<unsigned char>(t.text[i]);
      size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      units += len == 4 ? 2 : 1;
      i += len;
    }
    Command cmd{.found = true};
    if (start == std::string::npos) return cmd;
    std::string_view command = std::string_view(t.text).substr(start, e.length);
    if (size_t at = command.find('@'); at != std::string_view::npos)
      cmd.username = ascii::Lower(command.substr(at + 1));
    return cmd;
  }
  return {};
}

std::string Decimal(int64_t v) { return std::to_string(v); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Bookkeeping.

void World::StoreMessage(const Message& message) {
  MessageKey key{message.chat, message.bot, message.id};
  auto [it, inserted] = messages_.insert_or_assign(key, message);
  if (inserted) message_order_[{message.chat, message.bot}].push_back(message.id);
  int64_t& next = message.bot.value ? next_private_message_id_[message.bot]
                                    : next_chat_message_id_[message.chat];
  next = std::max(next, message.id + 1);
  // Named decision: only a bot's own messages make it "the last bot to send a message to the
  // group" (spec 9.1), not the service messages about its pins.
  if (!message.bot.value && FindBot(message.from) && message.chat.value < 0 &&
      message.kind == MessageKind::kText)
    last_bot_sender_[message.chat] = message.from;
  if (message.Has(MessageFlag::kPinned) && !message.Has(MessageFlag::kDeleted)) {
    pinned_[{message.chat, message.bot}].insert(message.id);
  } else if (auto p = pinned_.find({message.chat, message.bot}); p != pinned_.end()) {
    p->second.erase(message.id);
    if (p->second.empty()) pinned_.erase(p);
  }
}

void World::StorePrivateChat(const PrivateChat& chat) {
  private_chats_[{chat.user, chat.bot}] = chat;
}

void World::StoreCallbackQuery(const CallbackQuery& query) {
  callback_queries_[query.id] = query;
  next_callback_query_id_ = std::max(next_callback_query_id_, query.id + 1);
}

int64_t World::NextMessageId(ChatId chat, UserId owner) {
  int64_t& next = owner.value ? next_private_message_id_[owner] : next_chat_message_id_[chat];
  if (next < 1) next = 1;
  return next;  // StoreMessage moves it on
}

const Message* World::FindMessage(ChatId chat, UserId bot, int64_t id) const {
  auto it = messages_.find(MessageKey{chat, bot, id});
  if (it == messages_.end() || it->second.Has(MessageFlag::kDeleted)) return nullptr;
  return &it->second;
}

std::vector<const Message*> World::ListMessages(ChatId chat, UserId bot) const {
  std::vector<const Message*> out;
  auto it = message_order_.find({chat, bot});
  if (it == message_order_.end()) return out;
  for (int64_t id : it->second)
    if (const Message* m = FindMessage(chat, bot, id)) out.push_back(m);
  return out;
}

const PrivateChat* World::FindPrivateChat(UserId user, UserId bot) const {
  auto it = private_chats_.find({user, bot});
  return it == private_chats_.end() ? nullptr : &it->second;
}

const CallbackQuery* World::FindCallbackQuery(int64_t id) const {
  auto it = callback_queries_.find(id);
  return it == callback_queries_.end() ? nullptr : &it->second;
}

bool World::KnowsUser(UserId bot, UserId user) const {
  if (private_chats_.contains({user, bot})) return true;
  for (const auto& [chat, per_chat] : members_) {
    if (!per_chat.contains(user)) continue;
    if (per_chat.contains(bot)) return true;
  }
  for (const auto& [key, request] : join_requests_)
    if (key.second == user && HasRight(FindMember(key.first, bot), Right::kCanInviteUsers))
      return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// The Bot API side.

Result<Target, DomainError> World::ResolveMessageChat(UserId bot, const ChatRef& ref,
                                                      MessageAccess access) const {
  if (ref.id && *ref.id > 0) {
    const User* user = FindUser(UserId(*ref.id));
    // Named decision (spec 2.3, 12): a user the bot has never met cannot be resolved.
    if (!user || user->id == bot || !KnowsUser(bot, user->id))
      return Unexpected{DomainError{Err::kChatNotFound}};
    return Target{.user = user};
  }
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (target->user) return *target;  // a bot by @username: refused at step 15
  auto checked = CheckAccess(bot, *target->chat,
                             access == MessageAccess::kWrite ? Access::kWrite : Access::kRead);
  if (!checked) return Unexpected{checked.error()};
  return *target;
}

Result<int64_t, DomainError> World::CheckReplyTarget(UserId bot, const Target& target,
                                                     int64_t message_id,
                                                     bool allow_without_reply) const {
  if (message_id <= 0) return 0;
  if (FindMessage(TargetChatId(target), MessageOwner(bot, target), message_id)) return message_id;
  if (allow_without_reply) return 0;
  return Unexpected{NotFound(MessageUse::kReply)};
}

Result<void, DomainError> World::CheckCanSendText(UserId bot, const Target& target) const {
  if (!target.chat) return {};
  const Member* me = FindMember(target.chat->id, bot);
  if (target.chat->type == ChatType::kChannel) {
    if (!HasRight(me, Right::kCanPostMessages))
      return Unexpected{DomainError{Err::kNeedAdminRightsInChannel, target.chat->type}};
  }
  return {};
}

bool World::MayNotSendText(const Chat& chat, const Member* member) {
  // Channels have no permissions: only administrators post (CheckCanSendText). Elsewhere a
  // member sends text with can_send_messages, their own and the chat's (spec
  // bot-api-moderation.md 4.5); a restricted member declared without permissions has none.
  if (chat.type == ChatType::kChannel || !member || !IsPresent(member->status)) return false;
  return !EffectivePermissions(chat, member).Has(Permission::kCanSendMessages);
}

Result<void, DomainError> World::CheckNotRestricted(UserId bot, const Target& target) const {
  if (!target.chat) return {};
  if (MayNotSendText(*target.chat, FindMember(target.chat->id, bot)))
    return Unexpected{DomainError{Err::kNotEnoughRightsToSendText, target.chat->type}};
  return {};
}

Result<void, DomainError> World::CheckCanReachUser(UserId bot, const User& user,
                                                   UnixTime now) const {
  if (user.is_bot) return Unexpected{DomainError{Err::kBotCantMessageBot}};
  const PrivateChat* pc = FindPrivateChat(user.id, bot);
  if (pc && pc->blocked) return Unexpected{DomainError{Err::kBotBlockedByUser}};
  if (pc && (pc->started || pc->contact_until > now)) return {};
  return Unexpected{DomainError{Err::kBotCantInitiateConversation}};
}

const Message& World::SendBotMessage(UserId bot, const Target& target, NewMessage content,
                                     UnixTime now, Mutation& m) {
  const ChatId chat = TargetChatId(target);
  const UserId owner = MessageOwner(bot, target);
  Message message{.chat = chat,
                  .bot = owner,
                  .id = NextMessageId(chat, owner),
                  .from = bot,
                  .date = now,
                  .kind = MessageKind::kText,
                  .text = std::move(content.text),
                  .reply_to = content.reply_to,
                  .inline_keyboard = std::move(content.inline_keyboard),
                  .callback_data = std::move(content.callback_data),
                  .reply_keyboard = std::move(content.reply_keyboard),
                  .flags = content.flags,
                  .link_preview_url = std::move(content.link_preview_url),
                  .forward_from = content.forward_from,
                  .forward_from_chat = content.forward_from_chat,
                  .forward_from_message_id = content.forward_from_message_id,
                  .forward_date = content.forward_date};
  StoreMessage(message);
  m.ops.emplace_back(message);
  // Bots never receive bots' messages (spec 9.1 rule 6); a channel post is the channel's, and
  // every other bot of the channel receives it (named decision).
  if (target.chat && target.chat->type == ChatType::kChannel) {
    MessageEvent event{.chat = chat, .bot = owner, .message_id = message.id};
    if (auto it = members_.find(chat); it != members_.end())
      for (const auto& [uid, mb] : it->second)
        if (uid != bot && IsPresent(mb.status) && FindBot(uid))
          Emit(uid, UpdateType::kChannelPost, event, now, m);
  }
  return messages_.at(MessageKey{chat, owner, message.id});
}

Result<const Message*, DomainError> World::FindMessageFor(UserId bot, const Target& target,
                                                          int64_t message_id,
                                                          MessageUse use) const {
  if (message_id <= 0) return Unexpected{NotFound(use)};
  if (target.chat && target.chat->type != ChatType::kGroup) {
    const Member* me = FindMember(target.chat->id, bot);
    if (!me || !IsPresent(me->status)) return Unexpected{NotFound(use)};
  }
  const Message* message = FindMessage(TargetChatId(target), MessageOwner(bot, target), message_id);
  if (!message) return Unexpected{NotFound(use)};
  switch (use) {
    case MessageUse::kEdit: {
      // Spec 7.5: never forwarded messages, messages that had a non-inline keyboard, service
      // messages, or other senders' messages (but channel posts with can_edit_messages).
      bool channel = target.chat && target.chat->type == ChatType::kChannel;
      bool own = message->from == bot;
      bool may =
          own || (channel && HasRight(FindMember(target.chat->id, bot), Right::kCanEditMessages));
      if (!may || message->forward_date || message->Has(MessageFlag::kHadReplyKeyboard) ||
          message->kind != MessageKind::kText)
        return Unexpected{DomainError{Err::kMessageCantBeEdited}};
      break;
    }
    case MessageUse::kForward:
      if (message->kind != MessageKind::kText)
        return Unexpected{DomainError{Err::kMessageCantBeForwarded}};
      if (message->Has(MessageFlag::kProtectedContent))
        return Unexpected{DomainError{Err::kProtectedContent}};
      break;
    case MessageUse::kCopy:
      if (message->kind != MessageKind::kText)
        return Unexpected{DomainError{Err::kMessageCantBeCopied}};
      break;
    default:
      break;
  }
  return message;
}

Result<const Message*, DomainError> World::EditBotMessage(UserId bot, const Message& message,
                                                          const MessageEdit& edit, UnixTime now,
                                                          Mutation& m) {
  constexpr uint32_t kPreviewBits = static_cast<uint32_t>(MessageFlag::kPreviewDisabled) |
                                    static_cast<uint32_t>(MessageFlag::kPreviewSmallMedia) |
                                    static_cast<uint32_t>(MessageFlag::kPreviewLargeMedia) |
                                    static_cast<uint32_t>(MessageFlag::kPreviewAboveText);
  if (edit.text && message.kind != MessageKind::kText)
    return Unexpected{DomainError{Err::kNoTextInMessage}};
  Message edited = message;
  if (edit.text) {
    edited.text = *edit.text;
    edited.flags = (edited.flags & ~kPreviewBits) | (edit.preview_flags & kPreviewBits);
    edited.link_preview_url = edit.link_preview_url;
  }
  edited.inline_keyboard = edit.inline_keyboard;
  edited.callback_data = edit.callback_data;
  // Named decision (spec 7.2): "not modified" is the same text, entities, link preview settings
  // and inline keyboard.
  if (edited.text == message.text && edited.flags == message.flags &&
      edited.link_preview_url == message.link_preview_url &&
      edited.inline_keyboard == message.inline_keyboard)
    return Unexpected{DomainError{Err::kMessageNotModified}};
  edited.edit_date = now;
  StoreMessage(edited);
  m.ops.emplace_back(edited);
  const Chat* chat = message.chat.value < 0 ? FindChat(message.chat) : nullptr;
  if (chat && chat->type == ChatType::kChannel) {
    MessageEvent event{
        .chat = message.chat, .bot = message.bot, .message_id = message.id, .edited = true};
    if (auto it = members_.find(message.chat); it != members_.end())
      for (const auto& [uid, mb] : it->second)
        if (uid != bot && IsPresent(mb.status) && FindBot(uid))
          Emit(uid, UpdateType::kEditedChannelPost, event, now, m);
  }
  return FindMessage(message.chat, message.bot, message.id);
}

Result<void, DomainError> World::DeleteMessages(UserId bot, const Target& target,
                                                const std::vector<int64_t>& ids, UnixTime now,
                                                Mutation& m) {
  const ChatId chat = TargetChatId(target);
  const UserId owner = MessageOwner(bot, target);
  const Member* me = target.chat ? FindMember(target.chat->id, bot) : nullptr;
  std::vector<const Message*> found;
  for (int64_t id : ids) {
    const Message* message = FindMessage(chat, owner, id);
    if (!message) continue;  // missing messages are skipped (spec 7.7)
    bool too_old = now - message->date > kDeleteWindowSeconds;
    bool own = message->from == bot;
    if (!target.chat || target.chat->type == ChatType::kGroup) {
      // Private chats: outgoing and incoming; basic groups: own messages, or any for an
      // administrator (spec 7.6).
      bool may = !target.chat || (own && message->kind == MessageKind::kText) ||
                 (me && IsAdminLike(me->status));
      if (!may || too_old) return Unexpected{DomainError{Err::kMessageCantBeDeletedForEveryone}};
    } else {
      // Never the "migrated from" message (spec 7.6). Telegram also refuses server message id 1,
      // which there is always the chat's "created" service message; the emulator posts no such
      // message, so its message 1 is an ordinary one (often the first join's new_chat_members)
      // and is deleted like any other.
      bool channel = target.chat->type == ChatType::kChannel;
      bool may = HasRight(me, Right::kCanDeleteMessages) ||
                 (own && (!channel || HasRight(me, Right::kCanPostMessages)));
      if (!may || too_old || message->kind == MessageKind::kMigrateFromChatId)
        return Unexpected{DomainError{Err::kMessageCantBeDeleted}};
    }
    found.push_back(message);
  }
  for (const Message* message : found) {
    Message deleted = *message;
    deleted.Set(MessageFlag::kDeleted, true);
    StoreMessage(deleted);
    m.ops.emplace_back(std::move(deleted));
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Pinned messages.

const Message* World::PinnedMessage(UserId bot, const Target& target) const {
  if (target.chat && target.chat->type != ChatType::kGroup) {
    const Member* me = FindMember(target.chat->id, bot);
    if (!me || !IsPresent(me->status)) return nullptr;
  }
  const ChatId chat = TargetChatId(target);
  const UserId owner = MessageOwner(bot, target);
  auto it = pinned_.find({chat, owner});
  if (it == pinned_.end() || it->second.empty()) return nullptr;
  return FindMessage(chat, owner, *it->second.rbegin());
}

Result<void, DomainError> World::CheckCanPin(UserId bot, const Target& target) const {
  if (!target.chat) return {};  // private chats: both sides may pin
  const Member* me = FindMember(target.chat->id, bot);
  // Channels need can_edit_messages; groups and supergroups can_pin_messages. A basic group's
  // members may pin when the group allows it, but a bot only as an appointed administrator.
  // Named decision: chat permissions are not modelled, so in a supergroup, too, only the creator
  // and administrators with the right may pin.
  Right right =
      target.chat->type == ChatType::kChannel ? Right::kCanEditMessages : Right::kCanPinMessages;
  if (!HasRight(me, right)) return Unexpected{DomainError{Err::kNotEnoughRightsToPin}};
  return {};
}

void World::SetPinned(const Message& message, bool pinned, Mutation& m) {
  Message changed = message;
  changed.Set(MessageFlag::kPinned, pinned);
  StoreMessage(changed);
  m.ops.emplace_back(std::move(changed));
}

Result<void, DomainError> World::PinMessage(UserId bot, const Target& target,
                                            const Message& message, bool disable_notification,
                                            UnixTime now, Mutation& m) {
  if (auto can = CheckCanPin(bot, target); !can) return can;
  if (message.kind != MessageKind::kText)
    return Unexpected{DomainError{Err::kServiceMessageCantBePinned}};
  if (message.Has(MessageFlag::kPinned)) return {};
  const int64_t pinned_id = message.id;
  SetPinned(message, true, m);
  const ChatId chat = TargetChatId(target);
  const UserId owner = MessageOwner(bot, target);
  Message service{.chat = chat,
                  .bot = owner,
                  .id = NextMessageId(chat, owner),
                  .from = bot,
                  .date = now,
                  .kind = MessageKind::kPinnedMessage,
                  .reply_to = pinned_id};
  service.Set(MessageFlag::kDisableNotification, disable_notification);
  StoreMessage(service);
  m.ops.emplace_back(service);
  // Every bot receives service messages (spec 9.1 rule 1), and a bot its own about pins (9.2).
  MessageEvent event{.chat = chat, .bot = owner, .message_id = service.id};
  if (target.user) {
    Emit(bot, UpdateType::kMessage, event, now, m);
    return {};
  }
  UpdateType type =
      target.chat->type == ChatType::kChannel ? UpdateType::kChannelPost : UpdateType::kMessage;
  if (auto it = members_.find(chat); it != members_.end())
    for (const auto& [uid, mb] : it->second)
      if (IsPresent(mb.status) && FindBot(uid)) Emit(uid, type, event, now, m);
  return {};
}

Result<void, DomainError> World::UnpinMessage(UserId bot, const Target& target,
                                              const Message& message, UnixTime /*now*/,
                                              Mutation& m) {
  if (auto can = CheckCanPin(bot, target); !can) return can;
  if (message.kind != MessageKind::kText)
    return Unexpected{DomainError{Err::kServiceMessageCantBePinned}};
  if (message.Has(MessageFlag::kPinned)) SetPinned(message, false, m);
  return {};
}

Result<void, DomainError> World::UnpinNewestMessage(UserId bot, const Target& target, UnixTime now,
                                                    Mutation& m) {
  const Message* newest = PinnedMessage(bot, target);
  if (!newest) return Unexpected{NotFound(MessageUse::kUnpin)};
  return UnpinMessage(bot, target, *newest, now, m);
}

Result<void, DomainError> World::UnpinAllMessages(UserId bot, const Target& target,
                                                  UnixTime /*now*/, Mutation& m) {
  if (auto can = CheckCanPin(bot, target); !can) return can;
  const ChatId chat = TargetChatId(target);
  const UserId owner = MessageOwner(bot, target);
  auto it = pinned_.find({chat, owner});
  if (it == pinned_.end()) return {};
  const std::vector<int64_t> ids(it->second.begin(), it->second.end());  // SetPinned edits the set
  for (int64_t id : ids)
    if (const Message* message = FindMessage(chat, owner, id)) SetPinned(*message, false, m);
  return {};
}

// ---------------------------------------------------------------------------------------------
// The people's side.

std::vector<UserId> World::GroupMessageReceivers(const Chat& chat, const Message& message) const {
  std::vector<UserId> out;
  if (FindBot(message.from)) return out;  // bots do not see bots' messages (spec 9.1 rule 6)
  auto it = members_.find(chat.id);
  if (it == members_.end()) return out;
  // Administrators and bots without privacy mode receive everything (rule 2).
  std::vector<UserId> private_mode;
  for (const auto& [uid, mb] : it->second) {
    const Bot* b = FindBot(uid);
    if (!b || !IsPresent(mb.status)) continue;
    if (IsAdminLike(mb.status) || b->can_read_all_group_messages) {
      out.push_back(uid);
    } else {
      private_mode.push_back(uid);
    }
  }
  if (private_mode.empty()) return out;
  auto in_private_mode = [&](UserId id) {
    return std::find(private_mode.begin(), private_mode.end(), id) != private_mode.end();
  };
  // Rule 3 and 4: one privacy-mode bot at most; a reply to its message first, then a command
  // addressed to it, then a general command for the last bot that wrote in the group.
  if (message.reply_to) {
    if (const Message* replied = FindMessage(chat.id, UserId(), message.reply_to);
        replied && in_private_mode(replied->from)) {
      out.push_back(replied->from);
      return out;
    }
  }
  Command cmd = FirstCommand(message.text);
  if (!cmd.found) return out;
  if (!cmd.username.empty()) {
    for (UserId id : private_mode) {
      const User* u = FindUser(id);
      if (u && ascii::Lower(u->username) == cmd.username) {
        out.push_back(id);
        break;
      }
    }
    return out;
  }
  if (auto last = last_bot_sender_.find(chat.id); last != last_bot_sender_.end()) {
    if (in_private_mode(last->second)) out.push_back(last->second);
    return out;
  }
  // Named decision (spec 9.1, 12): before any bot has written in the group, a general command
  // reaches every privacy-mode bot, so that a new group with one bot works as people expect.
  out.insert(out.end(), private_mode.begin(), private_mode.end());
  return out;
}

Result<World::UserChat, Error> World::UserWritesIn(UserId user, ChatId chat) const {
  const User* sender = FindUser(user);
  if (!sender) return Fail("unknown user " + Decimal(user.value));
  if (sender->is_bot)
    return Fail("user " + Decimal(user.value) + " is a bot; bots send through the Bot API");
  if (chat.value > 0) {
    UserId bot(chat.value);
    if (!FindBot(bot))
      return Fail("chat " + Decimal(chat.value) +
                  " is not a bot: a user writes to a bot by the bot's id, or to a group by its id");
    if (const PrivateChat* pc = FindPrivateChat(user, bot); pc && pc->blocked)
      return Fail("user " + Decimal(user.value) + " has blocked bot " + Decimal(bot.value) +
                  " (POST /control/v1/users/" + Decimal(user.value) + "/unblock first)");
    return UserChat{.chat = ChatId(user.value),
                    .bot = bot,
                    .where = "the private chat of user " + Decimal(user.value) + " and bot " +
                             Decimal(bot.value)};
  }
  const Chat* c = FindChat(chat);
  if (!c) return Fail("unknown chat " + Decimal(chat.value));
  if (c->migrated_to)
    return Fail("chat " + Decimal(chat.value) + " was upgraded to " +
                Decimal(c->migrated_to->value));
  const Member* mb = FindMember(chat, user);
  if (!mb || !IsPresent(mb->status))
    return Fail("user " + Decimal(user.value) + " is not a member of chat " + Decimal(chat.value) +
                (mb && mb->status == MemberStatus::kKicked ? " (banned)" : ""));
  if (c->type == ChatType::kChannel && !IsAdminLike(mb->status))
    return Fail("user " + Decimal(user.value) + " may not post in channel " + Decimal(chat.value) +
                ": only its creator and administrators do");
  if (MayNotSendText(*c, mb)) {
    if (mb->status == MemberStatus::kRestricted)
      return Fail("user " + Decimal(user.value) + " is restricted in chat " + Decimal(chat.value) +
                  " and may not send text messages");
    return Fail("user " + Decimal(user.value) + " may not send text messages in chat " +
                Decimal(chat.value) + ": its permissions forbid it");
  }
  return UserChat{.chat = chat, .group = c, .where = "chat " + Decimal(chat.value)};
}

void World::EmitUserMessage(const UserChat& in, const Message& message, bool edited, UnixTime now,
                            Mutation& m) {
  MessageEvent event{.chat = in.chat, .bot = in.bot, .message_id = message.id, .edited = edited};
  if (!in.group) {
    Emit(in.bot, edited ? UpdateType::kEditedMessage : UpdateType::kMessage, event, now, m);
  } else if (in.group->type == ChatType::kChannel) {
    if (auto it = members_.find(in.chat); it != members_.end())
      for (const auto& [uid, member] : it->second)
        if (IsPresent(member.status) && FindBot(uid))
          Emit(uid, edited ? UpdateType::kEditedChannelPost : UpdateType::kChannelPost, event, now,
               m);
  } else {
    for (UserId bot : GroupMessageReceivers(*in.group, message))
      Emit(bot, edited ? UpdateType::kEditedMessage : UpdateType::kMessage, event, now, m);
  }
}

Result<const Message*, Error> World::SendUserMessage(UserId user, ChatId chat,
                                                     text::FormattedText text, int64_t reply_to,
                                                     UnixTime now, Mutation& m) {
  auto in = UserWritesIn(user, chat);
  if (!in) return Unexpected{in.error()};
  if (reply_to && !FindMessage(in->chat, in->bot, reply_to))
    return Fail("no message " + Decimal(reply_to) + " in " + in->where);
  if (!in->group) {
    PrivateChat pc{.user = user, .bot = in->bot};
    if (const PrivateChat* found = FindPrivateChat(user, in->bot)) pc = *found;
    if (!pc.started) {
      pc.started = true;
      StorePrivateChat(pc);
      m.ops.emplace_back(pc);
    }
  }
  Message message{.chat = in->chat,
                  .bot = in->bot,
                  .id = NextMessageId(in->chat, in->bot),
                  .from = user,
                  .date = now,
                  .kind = MessageKind::kText,
                  .text = std::move(text),
                  .reply_to = reply_to};
  StoreMessage(message);
  m.ops.emplace_back(message);
  EmitUserMessage(*in, message, /*edited=*/false, now, m);
  return FindMessage(in->chat, in->bot, message.id);
}

Result<const Message*, Error> World::EditUserMessage(UserId user, ChatId chat, int64_t message_id,
                                                     text::FormattedText text, UnixTime now,
                                                     Mutation& m) {
  auto in = UserWritesIn(user, chat);
  if (!in) return Unexpected{in.error()};
  const Message* message = FindMessage(in->chat, in->bot, message_id);
  if (!message) return Fail("no message " + Decimal(message_id) + " in " + in->where);
  const std::string named = "message " + Decimal(message_id) + " in " + in->where;
  if (message->kind != MessageKind::kText)
    return Fail(named + " is a service message: it cannot be edited");
  // Named decision: only the sender edits, with no time limit (Telegram's apps allow 48 hours
  // in groups; the limit is not part of the spec).
  if (message->from != user)
    return Fail(named + " was sent by " + Decimal(message->from.value) + ", not by user " +
                Decimal(user.value) + ": only its sender may edit it");
  // Named decision (spec 9.2: an edit is delivered only when the content really changed): an
  // edit that changes nothing is refused, as MTProto's messages.editMessage answers
  // MESSAGE_NOT_MODIFIED, so the test learns that no update was made.
  if (message->text == text)
    return Fail(named + " is not modified: the new text is the same as the old");
  const Message original = *message;  // StoreMessage overwrites *message
  Message edited = original;
  edited.text = std::move(text);
  edited.edit_date = now;
  StoreMessage(edited);
  m.ops.emplace_back(edited);
  // Named decision (spec 9.1-9.3; who received each message is not recorded): the receivers
  // are those the privacy rules give the message as first sent (its reply and command), applied
  // now, so a bot in privacy mode hears of edits of what it received, not of a message edited
  // into a command. Bots never hear of their own messages (user messages only here).
  EmitUserMessage(*in, original, /*edited=*/true, now, m);
  return FindMessage(in->chat, in->bot, message_id);
}

Result<const CallbackQuery*, Error> World::PressButton(UserId user, ChatId chat, int64_t message_id,
                                                       std::string_view data, UnixTime now,
                                                       Mutation& m) {
  const User* presser = FindUser(user);
  if (!presser || presser->is_bot) return Fail("unknown user " + Decimal(user.value));
  const Message* message = nullptr;
  ChatId message_chat = chat;
  std::string where;
  if (chat.value > 0) {
    UserId bot(chat.value);
    if (!FindBot(bot))
      return Fail("chat " + Decimal(chat.value) +
                  " is not a bot: a private chat is named by the bot's id");
    message_chat = ChatId(user.value);
    message = FindMessage(message_chat, bot, message_id);
    where = "the private chat of user " + Decimal(user.value) + " and bot " + Decimal(bot.value);
  } else {
    const Chat* c = FindChat(chat);
    if (!c) return Fail("unknown chat " + Decimal(chat.value));
    const Member* mb = FindMember(chat, user);
    if (!mb || !IsPresent(mb->status))
      return Fail("user " + Decimal(user.value) + " is not a member of chat " +
                  Decimal(chat.value));
    message = FindMessage(chat, UserId(), message_id);
    where = "chat " + Decimal(chat.value);
  }
  if (!message) return Fail("no message " + Decimal(message_id) + " in " + where);
  if (!FindBot(message->from))
    return Fail("message " + Decimal(message_id) + " in " + where + " is not a bot's");
  if (std::find(message->callback_data.begin(), message->callback_data.end(), data) ==
      message->callback_data.end())
    return Fail("message " + Decimal(message_id) + " in " + where +
                " has no button with callback_data \"" + std::string(data) + "\"");
  CallbackQuery q{.id = next_callback_query_id_,
                  .bot = message->from,
                  .from = user,
                  .chat = message_chat,
                  .message_id = message_id,
                  .data = std::string(data),
                  .date = now};
  StoreCallbackQuery(q);
  m.ops.emplace_back(q);
  Emit(q.bot, UpdateType::kCallbackQuery,
       CallbackQueryEvent{.chat = message_chat, .query_id = q.id}, now, m);
  return FindCallbackQuery(q.id);
}

Result<void, DomainError> World::CheckCallbackQuery(UserId bot, int64_t id, UnixTime now) const {
  auto it = callback_queries_.find(id);
  if (it == callback_queries_.end() || it->second.bot != bot || it->second.answered ||
      now - it->second.date > kCallbackAnswerSeconds)
    return Unexpected{DomainError{Err::kQueryIdInvalid}};
  return {};
}

Result<void, DomainError> World::AnswerCallbackQuery(UserId bot, int64_t id,
                                                     const CallbackAnswer& a, UnixTime now,
                                                     Mutation& m) {
  if (auto ok = CheckCallbackQuery(bot, id, now); !ok) return ok;
  CallbackQuery q = callback_queries_.at(id);
  q.answered = true;
  q.answer_text = a.text;
  q.show_alert = a.show_alert;
  q.answer_url = a.url;
  q.cache_time = a.cache_time;
  StoreCallbackQuery(q);
  m.ops.emplace_back(std::move(q));
  return {};
}

Status World::SetBlocked(UserId user, UserId bot, bool blocked, UnixTime now, Mutation& m) {
  const User* u = FindUser(user);
  if (!u || u->is_bot) return Fail("unknown user " + Decimal(user.value));
  if (!FindBot(bot)) return Fail("unknown bot " + Decimal(bot.value));
  PrivateChat pc{.user = user, .bot = bot};
  if (const PrivateChat* found = FindPrivateChat(user, bot)) pc = *found;
  if (pc.blocked == blocked) return {};
  pc.blocked = blocked;
  StorePrivateChat(pc);
  m.ops.emplace_back(pc);
  // The bot hears of it as my_chat_member in the private chat: member -> kicked, and back.
  const ChatId chat(user.value);
  Member member{.chat = chat, .user = bot, .status = MemberStatus::kMember};
  Member kicked = member;
  kicked.status = MemberStatus::kKicked;
  MemberUpdateEvent event{.chat = chat,
                          .from = user,
                          .date = now,
                          .old_member = blocked ? member : kicked,
                          .new_member = blocked ? kicked : member};
  Emit(bot, UpdateType::kMyChatMember, event, now, m);
  return {};
}

void World::OpenContactWindows(ChatId chat, UserId user, UnixTime now, Mutation& m) {
  auto it = members_.find(chat);
  if (it == members_.end()) return;
  for (const auto& [uid, mb] : it->second) {
    if (!FindBot(uid) || !HasRight(&mb, Right::kCanInviteUsers)) continue;
    PrivateChat pc{.user = user, .bot = uid};
    if (const PrivateChat* found = FindPrivateChat(user, uid)) pc = *found;
    pc.contact_until = now + kJoinRequestContactSeconds;
    StorePrivateChat(pc);
    m.ops.emplace_back(pc);
  }
}

void World::CloseContactWindows(ChatId chat, UserId user, Mutation& m) {
  auto it = members_.find(chat);
  if (it == members_.end()) return;
  for (const auto& [uid, mb] : it->second) {
    const PrivateChat* found = FindPrivateChat(user, uid);
    if (!found || !found->contact_until) continue;
    PrivateChat pc = *found;
    pc.contact_until = 0;
    StorePrivateChat(pc);
    m.ops.emplace_back(pc);
  }
}

}  // namespace tgi::domain
