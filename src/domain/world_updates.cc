// Updates (spec 5): who hears of a change, each bot's queue, getUpdates' offset rules, webhook
// settings, and the simulated clock.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/shared_codec.h"
#include "domain/world.h"

namespace tgi::domain {
namespace {

ChatId EventChat(const UpdateEvent& event) {
  return std::visit([](const auto& e) { return e.chat; }, event);
}

}  // namespace

UserId World::DefaultActor(ChatId chat, UserId fallback) const {
  if (auto it = members_.find(chat); it != members_.end())
    for (const auto& [uid, mb] : it->second)
      if (mb.status == MemberStatus::kCreator) return uid;
  return fallback;
}

void World::ChangeMember(const Member& changed, UserId from, UnixTime now, Mutation& m,
                         const std::string& link_hash, bool via_join_request) {
  std::pair<ChatId, UserId> key{changed.chat, changed.user};
  const Member* found = FindMember(changed.chat, changed.user);
  // A ban that has run out reads as left (EffectiveMember) in the update's old_chat_member.
  Member before =
      found ? EffectiveMember(*found, now)
            : Member{.chat = changed.chat, .user = changed.user, .status = MemberStatus::kLeft};
  // member_limit bookkeeping: a member counts for the link they joined through while present.
  bool was = IsPresent(before.status), is = IsPresent(changed.status);
  Member after = changed;
  after.joined_via = !is ? std::string() : was ? before.joined_via : link_hash;
  StoreMember(after);
  m.ops.emplace_back(after);

  if (was && !is) {
    if (auto it = member_link_.find(key); it != member_link_.end()) {
      if (--link_members_[it->second] <= 0) link_members_.erase(it->second);
      member_link_.erase(it);
    }
  } else if (!was && is && !link_hash.empty()) {
    member_link_[key] = link_hash;
    ++link_members_[link_hash];
  }

  // A member who loses the right to manage links loses every link they made there with it.
  if (!IsAdminLike(after.status) ||
      !(after.status == MemberStatus::kCreator || after.rights.Has(Right::kCanInviteUsers)))
    RevokeLinksOf(after.chat, after.user, m);

  if (quiet_ || before == after) return;
  MemberUpdateEvent event{.chat = after.chat,
                          .from = from,
                          .date = now,
                          .old_member = before,
                          .new_member = after,
                          .link_hash = link_hash,
                          .via_join_request = via_join_request};
  // The bot itself hears of its own change as my_chat_member; every administrator bot of the
  // chat (as it is after the change) hears of anyone else's as chat_member (spec 5.1).
  if (FindBot(after.user)) Emit(after.user, UpdateType::kMyChatMember, event, now, m);
  if (auto it = members_.find(after.chat); it != members_.end())
    for (const auto& [uid, mb] : it->second)
      if (uid != after.user && IsAdminLike(mb.status) && FindBot(uid))
        Emit(uid, UpdateType::kChatMember, event, now, m);
  // Then the service message, if the change is an arrival or a departure.
  PostMemberServiceMessage(before, after, from, now, m, !link_hash.empty() || via_join_request);
}

void World::PostMemberServiceMessage(const Member& before, const Member& after, UserId from,
                                     UnixTime now, Mutation& m, bool joined_by_link_or_request) {
  const bool was = IsPresent(before.status), is = IsPresent(after.status);
  if (was == is) return;  // restrictions, promotions, a ban of someone already out: no message
  const Chat* chat = FindChat(after.chat);
  // Channels: subscribers come and go without service messages (spec 9.2); chat_member tells.
  if (!chat || chat->type == ChatType::kChannel) return;
  // Filled field by field: GCC 12 warns (wrongly) of an uninitialised string when a designated
  // initialiser skips Message::text and the message is then moved.
  Message service;
  service.chat = after.chat;
  service.date = now;
  service.users.push_back(after.user);
  if (is) {
    service.kind = MessageKind::kNewChatMembers;
    // A join through a link or an approved request is the user's own message (messageChatJoinBy
    // Link/Request have the joiner as sender); an addition is the adder's.
    service.from = joined_by_link_or_request ? after.user : from;
  } else {
    service.kind = MessageKind::kLeftChatMember;
    service.from = from;  // the user who left, or whoever removed them
  }
  // Named decision (spec 13, "not confirmed"): every departure from a supergroup, a ban by an
  // administrator included, posts left_chat_member, as in basic groups; Telegram's apps show
  // "X removed Y" there. Large groups lose the messages about users (not bots) only above the
  // --quiet-joins-above threshold (Telegram: about 10,000 members, the server's choice).
  if (quiet_joins_above_ > 0 && !FindBot(after.user)) {
    int64_t present = 0;
    if (auto it = members_.find(after.chat); it != members_.end())
      for (const auto& [uid, mb] : it->second) present += IsPresent(mb.status) ? 1 : 0;
    if (present > quiet_joins_above_) return;
  }
  // A bot that left or was removed hears of its own departure, and of nothing after (9.2).
  const bool bot_left = !is && FindBot(after.user);
  PostServiceMessage(std::move(service), now, m, /*to_sender=*/!is,
                     bot_left ? after.user : UserId{0});
}

void World::PostServiceMessage(Message message, UnixTime now, Mutation& m, bool to_sender,
                               UserId also) {
  if (quiet_) return;
  message.bot = UserId{0};
  message.id = NextMessageId(message.chat, message.bot);
  const UserId sender = message.from;
  const MessageEvent event{.chat = message.chat, .bot = message.bot, .message_id = message.id};
  StoreMessage(message);
  m.ops.emplace_back(std::move(message));
  // Privacy mode does not matter: every bot of the chat receives service messages; a bot does
  // not receive its own, but for a departure (need_skip_update_message's list), spec 9.2.
  if (auto it = members_.find(event.chat); it != members_.end())
    for (const auto& [uid, mb] : it->second)
      if (uid != also && IsPresent(mb.status) && FindBot(uid) && (to_sender || uid != sender))
        Emit(uid, UpdateType::kMessage, event, now, m);
  if (also.value && FindBot(also)) Emit(also, UpdateType::kMessage, event, now, m);
}

void World::Emit(UserId receiver, UpdateType type, const UpdateEvent& event, UnixTime now,
                 Mutation& m) {
  if (quiet_) return;
  BotUpdateSettings s = UpdateSettings(receiver);
  // Types the bot did not ask for are dropped when they happen, not when read (spec 5.3).
  if (!(s.allowed_updates & UpdateBit(type))) return;
  // A full queue refuses the newest update, as TQueue::push does ("Queue is full"); expired
  // updates not yet removed count, as TQueue's do until its garbage collection runs.
  if (auto q = queues_.find(receiver);
      q != queues_.end() && q->second.size() >= max_queued_updates_)
    return;
  Update u{
      .bot = receiver, .id = s.next_update_id, .date = now, .type = type, .chat = EventChat(event)};
  if (encoder_) u.json = encoder_(*this, event, receiver, u.id);
  ++s.next_update_id;
  StoreSettings(s);
  m.ops.emplace_back(s);
  StoreUpdate(u);
  m.ops.emplace_back(std::move(u));
}

void World::StoreSettings(const BotUpdateSettings& settings) { settings_[settings.bot] = settings; }

void World::StoreUpdate(const Update& update) { queues_[update.bot].push_back(update); }

void World::DropStoredUpdates(UserId bot, int64_t below_id) {
  auto it = queues_.find(bot);
  if (it == queues_.end()) return;
  auto& q = it->second;
  while (!q.empty() && q.front().id < below_id) q.pop_front();
  if (q.empty()) queues_.erase(it);
}

BotUpdateSettings World::UpdateSettings(UserId bot) const {
  if (auto it = settings_.find(bot); it != settings_.end()) return it->second;
  return BotUpdateSettings{.bot = bot, .allowed_updates = DefaultAllowedUpdates()};
}

std::vector<UserId> World::BotsWithWebhook() const {
  std::vector<UserId> out;
  for (const auto& [bot, s] : settings_)
    if (!s.webhook_url.empty()) out.push_back(bot);
  return out;
}

void World::DropUpdatesBelow(UserId bot, int64_t below_id, Mutation& m) {
  auto it = queues_.find(bot);
  if (it == queues_.end() || it->second.empty() || it->second.front().id >= below_id) return;
  DropStoredUpdates(bot, below_id);
  m.ops.emplace_back(DropUpdates{.bot = bot, .below_id = below_id});
}

std::vector<const Update*> World::PendingUpdates(UserId bot, UnixTime now) const {
  std::vector<const Update*> out;
  auto it = queues_.find(bot);
  if (it == queues_.end()) return out;
  for (const Update& u : it->second)
    if (!UpdateExpired(u, now)) out.push_back(&u);
  return out;
}

std::vector<const Update*> World::GetUpdates(UserId bot, const UpdatesQuery& query, UnixTime now,
                                             Mutation& m) {
  const int64_t offset = query.offset;
  // The expired updates at the head of the queue go first. Lifetimes differ by kind (150 s for
  // a callback_query, else 24 h), so an expired update may also sit behind live ones: it is left
  // out of the reply below and forgotten when an offset confirms it.
  if (auto it = queues_.find(bot); it != queues_.end()) {
    int64_t below = 0;
    for (const Update& u : it->second) {
      if (!UpdateExpired(u, now)) break;
      below = u.id + 1;
    }
    if (below) DropUpdatesBelow(bot, below, m);
  }
  BotUpdateSettings s = UpdateSettings(bot);
  if (offset > 0 && offset <= s.next_update_id + 10) {
    // Confirms everything below the offset. One further in the future is ignored: TQueue fails
    // "from_id is in the future" when from_id > tail_id + 10, tail_id being the next id to be
    // given out; the reply then starts again from the oldest.
    DropUpdatesBelow(bot, offset, m);
  } else if (offset < 0) {
    // Keeps only the last -offset updates.
    auto it = queues_.find(bot);
    if (it != queues_.end()) {
      auto& q = it->second;
      uint64_t keep = static_cast<uint64_t>(-(offset + 1)) + 1;
      if (q.size() > keep) DropUpdatesBelow(bot, q[q.size() - keep].id, m);
    }
  }
  std::vector<const Update*> out;
  auto it = queues_.find(bot);
  if (it == queues_.end()) return out;
  for (const Update& u : it->second) {
    if (static_cast<int>(out.size()) >= query.limit) break;
    if (!UpdateExpired(u, now)) out.push_back(&u);
  }
  return out;
}

void World::SetAllowedUpdates(UserId bot, std::optional<uint32_t> mask, Mutation& m) {
  if (!mask) return;
  BotUpdateSettings s = UpdateSettings(bot);
  if (s.allowed_updates == *mask && settings_.contains(bot)) return;
  s.allowed_updates = *mask;
  StoreSettings(s);
  m.ops.emplace_back(s);
}

bool World::SetWebhook(UserId bot, const BotUpdateSettings& webhook, QueuedUpdates pending,
                       Mutation& m) {
  const bool drop_pending = pending == QueuedUpdates::kDrop;
  BotUpdateSettings s = UpdateSettings(bot);
  bool same = s.webhook_url == webhook.webhook_url && s.webhook_secret == webhook.webhook_secret &&
              s.max_connections == webhook.max_connections &&
              s.webhook_ip_address == webhook.webhook_ip_address && !drop_pending;
  if (same) return false;
  if (s.webhook_url != webhook.webhook_url) ClearWebhookError(bot, m);
  s.webhook_url = webhook.webhook_url;
  s.webhook_secret = webhook.webhook_secret;
  s.max_connections = webhook.max_connections;
  s.webhook_ip_address = webhook.webhook_ip_address;
  StoreSettings(s);
  m.ops.emplace_back(s);
  if (drop_pending) DropUpdatesBelow(bot, s.next_update_id, m);
  return true;
}

void World::SetWebhookError(UserId bot, UnixTime date, std::string message, Mutation& m) {
  if (shares_state_) {
    m.shared.push_back(
        SharedEntry{.key = std::string(kSharedWebhookPrefix) + std::to_string(bot.value),
                    .value = shared_codec::Ints({date}) + "\n" + message});
  }
  webhook_status_[bot] = WebhookStatus{date, std::move(message)};
}

void World::ClearWebhookError(UserId bot, Mutation& m) {
  if (webhook_status_.erase(bot) == 0 || !shares_state_) return;
  m.shared.push_back(
      SharedEntry{.key = std::string(kSharedWebhookPrefix) + std::to_string(bot.value)});
}

bool World::ApplyShared(std::string_view key, std::string_view value) {
  if (!key.starts_with(kSharedWebhookPrefix)) return false;
  key.remove_prefix(kSharedWebhookPrefix.size());
  const std::optional<std::vector<int64_t>> ids = shared_codec::ParseKeyIds(key);
  if (!ids || ids->size() != 1) return false;
  const UserId bot((*ids)[0]);
  if (value.empty()) {  // cleared
    webhook_status_.erase(bot);
    return true;
  }
  // "<date>\n<message>"
  const size_t newline = value.find('\n');
  if (newline == std::string_view::npos) return false;
  const std::optional<std::vector<int64_t>> date =
      shared_codec::ParseInts(value.substr(0, newline));
  if (!date || date->size() != 1 || (*date)[0] <= 0) return false;
  // Only a bot with a webhook has a delivery error: one that came after the webhook was
  // deleted (the change that deleted it was replayed first) is dropped.
  if (UpdateSettings(bot).webhook_url.empty()) return true;
  webhook_status_[bot] = WebhookStatus{(*date)[0], std::string(value.substr(newline + 1))};
  return true;
}

bool World::DeleteWebhook(UserId bot, QueuedUpdates pending, Mutation& m) {
  const bool drop_pending = pending == QueuedUpdates::kDrop;
  BotUpdateSettings s = UpdateSettings(bot);
  bool had = !s.webhook_url.empty();
  if (had) {
    // The last delivery error goes with the webhook, as the reference's on_webhook_closed
    // clears it (issue 13): getWebhookInfo then has no last_error_date or last_error_message.
    ClearWebhookError(bot, m);
    s.webhook_url.clear();
    s.webhook_secret.clear();
    s.webhook_ip_address.clear();
    s.max_connections = 40;
    StoreSettings(s);
    m.ops.emplace_back(s);
  }
  if (drop_pending) DropUpdatesBelow(bot, s.next_update_id, m);
  return had;
}

Status World::AdvanceClock(int64_t seconds, Mutation& m) {
  if (seconds < 0) return Fail("the clock never goes back: advance must be 0 or more seconds");
  if (seconds > 100LL * 365 * 86400) return Fail("advance must be at most 100 years");
  if (seconds == 0) return {};
  clock_.offset += seconds;
  m.ops.emplace_back(clock_);
  return {};
}

}  // namespace tgi::domain
