#include "app/event_hub.h"

#include <algorithm>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/shared_codec.h"

namespace tgi::app {
namespace {

// Events hold ids, numbers and fixed names only, so they are written without a JSON library.
class EventWriter {
 public:
  explicit EventWriter(std::string_view kind) : kind_(kind) {
    json_ = "{\"kind\":\"";
    json_ += kind;
    json_ += '"';
  }
  EventWriter& Int(std::string_view key, int64_t value) {
    json_ += ",\"";
    json_ += key;
    json_ += "\":";
    json_ += std::to_string(value);
    return *this;
  }
  EventWriter& Name(std::string_view key, std::string_view value) {
    json_ += ",\"";
    json_ += key;
    json_ += "\":\"";
    json_ += value;
    json_ += '"';
    return *this;
  }
  Event Done() {
    json_ += '}';
    return Event{std::string(kind_), std::move(json_)};
  }

 private:
  std::string_view kind_;
  std::string json_;
};

// The event of one record: what a page must refetch to see the change.
Event EventOf(const domain::Op& op) {
  return std::visit(
      [](const auto& r) -> Event {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, domain::Bot>) {
          return EventWriter("bot").Int("bot_id", r.id.value).Done();
        } else if constexpr (std::is_same_v<T, domain::User>) {
          if (r.is_bot) return EventWriter("bot").Int("bot_id", r.id.value).Done();
          return EventWriter("user").Int("user_id", r.id.value).Done();
        } else if constexpr (std::is_same_v<T, domain::Chat>) {
          return EventWriter("chat").Int("chat_id", r.id.value).Done();
        } else if constexpr (std::is_same_v<T, domain::SenderChatBan>) {
          return EventWriter("chat").Int("chat_id", r.chat.value).Done();
        } else if constexpr (std::is_same_v<T, domain::Member>) {
          return EventWriter("member")
              .Int("chat_id", r.chat.value)
              .Int("user_id", r.user.value)
              .Done();
        } else if constexpr (std::is_same_v<T, domain::InviteLink>) {
          return EventWriter("invite_link")
              .Int("chat_id", r.chat.value)
              .Int("creator_id", r.creator.value)
              .Done();
        } else if constexpr (std::is_same_v<T, domain::Join>) {
          return EventWriter("join")
              .Int("chat_id", r.chat.value)
              .Int("user_id", r.user.value)
              .Done();
        } else if constexpr (std::is_same_v<T, domain::JoinRequest>) {
          return EventWriter("join_request")
              .Int("chat_id", r.chat.value)
              .Int("user_id", r.user.value)
              .Done();
        } else if constexpr (std::is_same_v<T, domain::Message>) {
          EventWriter w("message");
          w.Int("chat_id", r.chat.value);
          if (r.bot.value != 0) w.Int("bot_id", r.bot.value);  // a private chat's
          return w.Int("message_id", r.id).Done();
        } else if constexpr (std::is_same_v<T, domain::PrivateChat>) {
          return EventWriter("private_chat")
              .Int("user_id", r.user.value)
              .Int("bot_id", r.bot.value)
              .Done();
        } else if constexpr (std::is_same_v<T, domain::Update>) {
          return EventWriter("update")
              .Int("bot_id", r.bot.value)
              .Int("update_id", r.id)
              .Name("type", domain::UpdateTypeName(r.type))
              .Done();
        } else if constexpr (std::is_same_v<T, domain::DropUpdates>) {
          return EventWriter("updates_dropped")
              .Int("bot_id", r.bot.value)
              .Int("below_id", r.below_id)
              .Done();
        } else if constexpr (std::is_same_v<T, domain::BotUpdateSettings>) {
          return EventWriter("bot_settings").Int("bot_id", r.bot.value).Done();
        } else if constexpr (std::is_same_v<T, domain::BotProfileEntry>) {
          return EventWriter("bot_profile").Int("bot_id", r.bot.value).Done();
        } else if constexpr (std::is_same_v<T, domain::CallbackQuery>) {
          return EventWriter("callback_query")
              .Int("callback_query_id", r.id)
              .Int("bot_id", r.bot.value)
              .Done();
        } else {
          static_assert(std::is_same_v<T, domain::ClockState>);
          return EventWriter("clock").Done();
        }
      },
      op);
}

}  // namespace

std::vector<Event> EventsOf(const domain::Mutation& m) {
  // Named decision: a change this large is a world file (or a restart's worth of expiries); one
  // "world" event tells a page to reload instead of flooding every subscriber's queue.
  if (m.ops.size() > kEventsPerChangeLimit) return {EventWriter("world").Done()};
  std::vector<Event> events;
  events.reserve(m.ops.size());
  for (const domain::Op& op : m.ops) {
    Event e = EventOf(op);
    // A record written twice in one change (a member's status, then their rights) is one event.
    if (std::find(events.begin(), events.end(), e) == events.end()) events.push_back(std::move(e));
  }
  return events;
}

bool EventSubscription::TakeLocked(Give& give, std::vector<Event>& batch) {
  if (!waiting_) return false;
  if (!queue_.empty()) {
    batch = std::move(queue_);
    queue_.clear();
  } else if (ended_ && !final_sent_) {
    final_sent_ = true;
    batch.push_back(final_);
  } else if (!ended_) {
    return false;  // nothing yet: keep waiting
  }
  give = std::move(waiting_);
  waiting_ = nullptr;
  return true;
}

void EventSubscription::Pull(Give give) {
  std::vector<Event> batch;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    waiting_ = std::move(give);
    if (!TakeLocked(give, batch)) return;
  }
  give(std::move(batch));
}

EventSubscription::Offered EventSubscription::Offer(const std::vector<Event>& events,
                                                    const Event& dropped) {
  Give give;
  std::vector<Event> batch;
  Offered result = Offered::kQueued;
  {
    std::lock_guard lock(mu_);
    if (ended_ || cancelled_) return Offered::kGone;
    if (queue_.size() + events.size() > limit_) {
      std::vector<Event>().swap(queue_);  // frees it: the reader refetches anyway
      ended_ = true;
      final_ = dropped;
      result = Offered::kOverflowed;
    } else {
      queue_.insert(queue_.end(), events.begin(), events.end());
    }
    if (!TakeLocked(give, batch)) return result;
  }
  give(std::move(batch));
  return result;
}

void EventSubscription::End(const Event& last) {
  Give give;
  std::vector<Event> batch;
  {
    std::lock_guard lock(mu_);
    if (ended_ || cancelled_) return;
    ended_ = true;
    final_ = last;
    if (!TakeLocked(give, batch)) return;
  }
  give(std::move(batch));
}

void EventSubscription::Cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  waiting_ = nullptr;
  std::vector<Event>().swap(queue_);
}

std::shared_ptr<EventSubscription> EventHub::Subscribe(const Event& first) {
  auto s = std::make_shared<EventSubscription>(queue_limit_);
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return nullptr;
    s->Offer({first}, first);
    subscribers_.push_back(s);
    changed = Recount();
  }
  StatsChanged(changed);
  return s;
}

void EventHub::Unsubscribe(const std::shared_ptr<EventSubscription>& s) {
  s->Cancel();
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    std::erase(subscribers_, s);
    changed = Recount();
  }
  StatsChanged(changed);
}

void EventHub::Publish(const std::vector<Event>& events) {
  if (events.empty()) return;
  static const Event kDropped{"dropped", R"({"kind":"dropped","reason":"queue full"})"};
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    // A subscriber's `give` only hands the batch to its connection's thread, so calling it under
    // the hub's lock keeps the order of batches without blocking anyone.
    std::erase_if(subscribers_, [&](const std::shared_ptr<EventSubscription>& s) {
      switch (s->Offer(events, kDropped)) {
        case EventSubscription::Offered::kQueued:
          return false;
        case EventSubscription::Offered::kOverflowed:
          ++dropped_;
          return true;
        case EventSubscription::Offered::kGone:
          return true;
      }
      return true;
    });
    changed = Recount();
  }
  StatsChanged(changed);
}

void EventHub::Stop(const Event& last) {
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (const auto& s : subscribers_) s->End(last);
    subscribers_.clear();
    changed = Recount();
  }
  StatsChanged(changed);
}

EventHub::Stats EventHub::stats() const {
  std::lock_guard lock(mu_);
  return Stats{.subscribers = subscribers_.size(), .dropped = dropped_};
}

void EventHub::SetRemoteStats(const std::string& instance, std::optional<Stats> stats) {
  std::lock_guard lock(mu_);
  if (stats) {
    remote_[instance] = *stats;
  } else {
    remote_.erase(instance);
  }
}

domain::SharedEntry EventHub::SharedStats(const std::string& instance) const {
  const Stats s = stats();
  return domain::SharedEntry{.key = std::string(kSharedPrefix) + instance,
                             .value = shared_codec::Uints({s.subscribers, s.dropped})};
}

bool EventHub::ApplyShared(std::string_view key, std::string_view value) {
  if (!key.starts_with(kSharedPrefix) || key.size() == kSharedPrefix.size()) return false;
  const std::string instance(key.substr(kSharedPrefix.size()));
  if (value.empty()) {
    SetRemoteStats(instance, std::nullopt);
    return true;
  }
  const std::optional<std::vector<uint64_t>> counts = shared_codec::ParseUints(value);
  if (!counts || counts->size() != 2) return false;
  SetRemoteStats(instance, Stats{.subscribers = (*counts)[0], .dropped = (*counts)[1]});
  return true;
}

EventHub::Stats EventHub::ClusterStats() const {
  std::lock_guard lock(mu_);
  Stats out{.subscribers = subscribers_.size(), .dropped = dropped_};
  for (const auto& [instance, s] : remote_) {
    out.subscribers += s.subscribers;
    out.dropped += s.dropped;
  }
  return out;
}

bool EventHub::Recount() {
  count_.store(subscribers_.size(), std::memory_order_relaxed);
  const Stats now{.subscribers = subscribers_.size(), .dropped = dropped_};
  if (now == counted_) return false;
  counted_ = now;
  return true;
}

}  // namespace tgi::app
