// Layout: the entry points that post to the sender's thread, loading updates from the world, the
// scheduler (Pump), and what follows an attempt (OnOutcome, Confirm). The state kept per bot
// (BotState, Pending, Connection) is in webhook_sender_state.h; the connections and one delivery
// attempt as a coroutine (Exchange) in webhook_connection.cc.
#include "delivery/webhook_sender.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "botapi/errors.h"
#include "botapi/webhook_url.h"
#include "common/log.h"
#include "delivery/webhook_sender_state.h"
#include "delivery/webhook_wire.h"
#include "domain/world.h"

namespace tgi::delivery {
namespace {

constexpr std::string_view kComponent = "webhook";

std::string BotName(UserId bot) { return "bot " + std::to_string(bot.value); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Entry points

WebhookSender::WebhookSender(app::Engine& engine, WebhookOptions options)
    : engine_(engine),
      options_(std::move(options)),
      io_(std::make_unique<Io>()),
      gate_(std::make_shared<Gate>()),
      random_(std::random_device{}()) {
  gate_->io = &io_->context;
  if (!options_.tls) {
    // The system's CAs only: nothing to read that could fail but the system's own files, and
    // a verification that fails for want of them is recorded like any other error.
    auto tls = MakeWebhookTls("");
    if (tls) options_.tls = std::move(*tls);
  }
}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Start(botapi::BotApi* api) {
  {
    std::lock_guard lock(gate_->mu);
    if (started_ || !gate_->io) return;  // started already, or stopped
  }
  started_ = true;
  api_ = api;
  thread_ = std::thread([this] {
    for (;;) {
      try {
        io_->context.run();
        return;
      } catch (const std::exception& e) {
        log::Error(kComponent, std::string("unexpected error: ") + e.what());
      }
    }
  });
  gate_->Post([this] { ScanAll(); });
}

void WebhookSender::Notify(const std::vector<UserId>& bots) {
  gate_->Post([this, bots] {
    for (UserId bot : bots) {
      auto it = bots_.find(bot);
      // A bot whose last load stopped at max_loaded_updates loads more as deliveries free room:
      // new updates come after those anyway.
      if (it != bots_.end() && !it->second->more) Load(it->second);
    }
  });
}

void WebhookSender::WebhookChanged(UserId bot) {
  // Whatever changed (URL, secret, max_connections, or the queue with drop_pending_updates), the
  // bot starts afresh from what the world holds, as the reference starts a new WebhookActor; a
  // load that finds no URL removes the bot.
  gate_->Post([this, bot] { Replace(bot); });
}

void WebhookSender::SetDelivering(bool on) {
  gate_->Post([this, on] {
    if (paused_ == !on) return;
    paused_ = !on;
    if (paused_) {
      for (auto& [bot, st] : bots_) Abort(*st);
      bots_.clear();
    } else if (started_) {
      ScanAll();
    }
  });
}

void WebhookSender::Stop() {
  bool first = false;
  {
    std::lock_guard lock(gate_->mu);
    first = gate_->io != nullptr;
    gate_->io = nullptr;
  }
  if (first) {
    asio::post(io_->context, [this] {
      stopping_ = true;
      for (auto& [bot, st] : bots_) Abort(*st);
      bots_.clear();
      io_->work.reset();
    });
  }
  if (thread_.joinable()) thread_.join();
}

// ---------------------------------------------------------------------------------------------
// Loading from the world

void WebhookSender::ScanAll() {
  auto bots = std::make_shared<std::vector<UserId>>();
  engine_.Run(
      [bots](domain::World& w, domain::Mutation&, UnixTime) { *bots = w.BotsWithWebhook(); },
      [this, gate = gate_, bots](Status st) {
        if (!st.ok()) return;
        gate->Post([this, bots] {
          if (paused_) return;
          for (UserId bot : *bots)
            if (!bots_.contains(bot)) Load(Ensure(bot));
        });
      });
}

const std::shared_ptr<WebhookSender::BotState>& WebhookSender::Ensure(UserId bot) {
  auto& slot = bots_[bot];
  if (!slot) slot = std::make_shared<BotState>(bot, ++epochs_, io_->context);
  return slot;
}

void WebhookSender::Load(const std::shared_ptr<BotState>& st) {
  if (st->dead || stopping_ || paused_) return;
  if (st->loading) {
    st->reload = true;
    return;
  }
  st->loading = true;
  size_t room = options_.max_loaded_updates > st->pending.size()
                    ? options_.max_loaded_updates - st->pending.size()
                    : 0;
  auto loaded = std::make_shared<Loaded>();
  UserId bot = st->bot;
  int64_t from = st->next_load_id;
  engine_.Run(
      [bot, from, room, loaded](domain::World& w, domain::Mutation&, UnixTime now) {
        domain::BotUpdateSettings s = w.UpdateSettings(bot);
        loaded->url = s.webhook_url;
        if (loaded->url.empty()) return;
        loaded->secret = s.webhook_secret;
        loaded->max_connections = std::max<int>(1, s.max_connections);
        for (const domain::Update* u : w.PendingUpdates(bot, now)) {
          if (u->id < from) continue;
          if (loaded->updates.size() >= room) {
            loaded->more = true;
            break;
          }
          loaded->updates.push_back(
              Pending{.id = u->id,
                      .expires = u->date + domain::UpdateLifetimeSeconds(u->type),
                      .chat = u->chat,
                      .json = u->json});
        }
      },
      [this, gate = gate_, bot, epoch = st->epoch, loaded](Status status) {
        bool ok = status.ok();
        gate->Post([this, bot, epoch, loaded, ok] {
          auto it = bots_.find(bot);
          if (it == bots_.end() || it->second->epoch != epoch) return;
          std::shared_ptr<BotState> st = it->second;  // a copy: OnLoaded may erase the entry
          OnLoaded(st, *loaded, ok);
        });
      });
}

void WebhookSender::OnLoaded(const std::shared_ptr<BotState>& st, const Loaded& loaded, bool ok) {
  st->loading = false;
  if (!ok) return;  // the store failed: the server is stopping
  if (loaded.url.empty()) return Remove(st->bot);
  if (st->url.empty()) {
    st->url = loaded.url;
    // A URL without a protocol is an https:// one, as setWebhook took it.
    auto target = ParseWebhookUrl(botapi::WebhookUrlWithProtocol(st->url));
    st->target_ok = target.ok();
    if (target.ok()) st->target = std::move(*target);
  } else if (loaded.url != st->url) {
    return Replace(st->bot);
  }
  st->secret = loaded.secret;
  st->max_connections = loaded.max_connections;
  SteadyClock::time_point now = SteadyClock::now();
  for (const Pending& p : loaded.updates) {
    if (p.id < st->next_load_id) continue;
    st->next_load_id = p.id + 1;
    Pending& added = st->pending[p.id];
    added = p;
    added.wake_at = now;
  }
  st->more = loaded.more;
  if (st->reload) {
    st->reload = false;
    Load(st);
  }
  Pump(st);
}

void WebhookSender::Replace(UserId bot) {
  if (auto it = bots_.find(bot); it != bots_.end()) {
    Abort(*it->second);
    bots_.erase(it);
  }
  if (!paused_) Load(Ensure(bot));  // paused: SetDelivering(true) loads every bot afresh
}

void WebhookSender::Remove(UserId bot) {
  auto it = bots_.find(bot);
  if (it == bots_.end()) return;
  Abort(*it->second);
  bots_.erase(it);
}

void WebhookSender::Abort(BotState& st) {
  st.dead = true;
  st.wake.cancel();
  for (const auto& conn : st.conns) {
    error_code ignored;
    conn->Tcp().socket().close(ignored);
  }
  st.conns.clear();
  st.idle.clear();
}

// ---------------------------------------------------------------------------------------------
// Scheduling

void WebhookSender::Pump(const std::shared_ptr<BotState>& st) {
  if (st->dead || stopping_ || st->url.empty()) return;
  SteadyClock::time_point now = SteadyClock::now();
  SteadyClock::time_point next = SteadyClock::time_point::max();

  // Idle keep-alive connections are closed after idle_timeout.
  for (size_t i = 0; i < st->idle.size();) {
    auto conn = st->idle[i];
    if (now - conn->idle_since >= options_.idle_timeout) {
      Discard(*st, conn);
    } else {
      next = std::min(next, conn->idle_since + options_.idle_timeout);
      ++i;
    }
  }

  // An update that waited past its lifetime (behind another of its chat, say, or a callback_query
  // after its 150 s) is dropped, never sent (spec 5.3, bot-api-messages.md 6.2).
  const UnixTime world_now = engine_.Now();
  bool dropped = false;
  for (auto it = st->pending.begin(); it != st->pending.end();) {
    if (it->second.in_flight || it->second.expires > world_now) {
      ++it;
      continue;
    }
    log::Warn(kComponent, BotName(st->bot) + ": update " + std::to_string(it->first) +
                              " dropped: it expired before it could be delivered");
    expired_.Add();
    it = st->pending.erase(it);
    dropped = true;
  }
  if (dropped) Confirm(st);

  // Only the oldest undelivered update of each chat may go; it waits if in flight or backing off.
  std::unordered_set<ChatId> seen;
  for (auto& [id, p] : st->pending) {
    if (st->active >= st->max_connections) break;
    if (!seen.insert(p.chat).second || p.in_flight) continue;
    if (p.wake_at > now) {
      next = std::min(next, p.wake_at);
      continue;
    }
    StartAttempt(st, p);
  }
  if (next != SteadyClock::time_point::max()) ArmWake(st, next);
}

void WebhookSender::ArmWake(const std::shared_ptr<BotState>& st, SteadyClock::time_point at) {
  if (at == st->wake_at) return;
  st->wake_at = at;
  st->wake.expires_at(at);
  st->wake.async_wait([this, weak = std::weak_ptr<BotState>(st)](const error_code& ec) {
    auto st = weak.lock();
    if (ec || !st || st->dead || stopping_) return;
    st->wake_at = SteadyClock::time_point::max();
    Pump(st);
  });
}

void WebhookSender::StartAttempt(const std::shared_ptr<BotState>& st, Pending& p) {
  p.in_flight = true;
  ++st->active;
  if (!st->target_ok || (st->target.https && !options_.tls)) {
    // Nothing to connect to: fails like a request would, on the next turn of the loop.
    Outcome failed{.error = std::string(st->target_ok ? botapi::kWebhookNoTlsContext
                                                      : botapi::kWebhookBadUrl)};
    asio::post(io_->context, [this, st, id = p.id, failed]() { OnOutcome(st, id, failed); });
    return;
  }
  std::string request = BuildWebhookRequest(st->target, st->secret, p.json);
  asio::co_spawn(io_->context, Exchange(st, std::move(request)),
                 [this, st, id = p.id](std::exception_ptr e, Outcome outcome) {
                   if (e) outcome = Outcome{.error = std::string(botapi::kWebhookConnectionClosed)};
                   OnOutcome(st, id, std::move(outcome));
                 });
}

// ---------------------------------------------------------------------------------------------
// After an attempt

void WebhookSender::OnOutcome(const std::shared_ptr<BotState>& st, int64_t id, Outcome outcome) {
  if (stopping_ || st->dead) return;
  auto it = st->pending.find(id);
  if (it == st->pending.end()) return;
  Pending& p = it->second;
  p.in_flight = false;
  --st->active;
  if (ContinuesGoneRun(*st, outcome)) RemoveIfGoneTooLong(st);
  if (outcome.ok) {
    delivered_.Add();
    if (st->failing) {
      st->failing = false;
      log::Info(kComponent, BotName(st->bot) + ": the webhook accepts updates again");
    }
    // The answer's method call runs as the bot; its result is thrown away (spec 5.5).
    if (outcome.call && api_)
      api_->RunAsBot(st->bot, outcome.call->method, std::move(outcome.call->params),
                     [](http::Response) {});
    st->pending.erase(it);
    Confirm(st);
  } else {
    RetryPolicy policy{.base = options_.retry_base,
                       .cap_min = options_.retry_cap_min,
                       .cap_max = options_.retry_cap_max};
    std::chrono::milliseconds wait = NextRetryWait(policy, p.retry, outcome.retry_after, random_);
    UnixTime now = engine_.Now();
    auto wait_seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
    if (!st->failing) {
      st->failing = true;
      log::Warn(kComponent, BotName(st->bot) + ": webhook delivery failed: " + outcome.error);
    }
    failures_.Add();
    RecordError(*st, outcome.error);
    if (p.expires <= now + wait_seconds) {
      // It would be past its lifetime before the next attempt (spec 5.5).
      log::Warn(kComponent, BotName(st->bot) + ": update " + std::to_string(id) +
                                " dropped: it expires before the next attempt");
      expired_.Add();
      st->pending.erase(it);
      Confirm(st);
    } else {
      p.wake_at = SteadyClock::now() + wait;
    }
  }
  // Room for more: load what the last load left in the world.
  if (st->more && st->pending.size() <= options_.max_loaded_updates / 2) Load(st);
  Pump(st);
}

bool WebhookSender::ContinuesGoneRun(BotState& st, const Outcome& outcome) {
  // As the reference's WebhookActor: a 2xx or another status ends a run of 410s, an attempt
  // without an answer does not.
  if (outcome.status == 0) return false;
  if (outcome.status != 410) {
    st.first_gone = 0;
    return false;
  }
  if (st.first_gone == 0) {
    st.first_gone = engine_.Now();
    return false;
  }
  return true;
}

void WebhookSender::RemoveIfGoneTooLong(const std::shared_ptr<BotState>& st) {
  // As the reference's Client::on_webhook_closed: the webhook and its last error go, the pending
  // updates stay for getUpdates. Only if the bot still has that URL (so of several checks in
  // flight, one removes it).
  auto removed = std::make_shared<bool>(false);
  engine_.Run(
      [bot = st->bot, url = st->url, first = st->first_gone, removed](
          domain::World& w, domain::Mutation& m, UnixTime now) {
        if (now <= first + kGoneDropSeconds || w.UpdateSettings(bot).webhook_url != url) return;
        w.DeleteWebhook(bot, domain::QueuedUpdates::kKeep, m);
        *removed = true;
      },
      [this, gate = gate_, bot = st->bot, removed](Status status) {
        if (!status.ok() || !*removed) return;
        log::Warn(kComponent, BotName(bot) + ": webhook removed after 23 hours of 410 Gone");
        gate->Post([this, bot] { Replace(bot); });
      });
}

void WebhookSender::Confirm(const std::shared_ptr<BotState>& st) {
  if (st->confirming) {
    st->reconfirm = true;
    return;
  }
  // Every loaded update below the oldest one still pending was delivered (or given up on), and
  // nothing below next_load_id is left unloaded.
  int64_t below = st->pending.empty() ? st->next_load_id : st->pending.begin()->first;
  if (below <= st->confirmed_below) return;
  st->confirming = true;
  UserId bot = st->bot;
  engine_.Run([bot, below](domain::World& w, domain::Mutation& m,
                           UnixTime) { w.DropUpdatesBelow(bot, below, m); },
              [this, gate = gate_, bot, epoch = st->epoch, below](Status status) {
                bool ok = status.ok();
                gate->Post([this, bot, epoch, below, ok] {
                  auto it = bots_.find(bot);
                  if (it == bots_.end() || it->second->epoch != epoch) return;
                  std::shared_ptr<BotState> st = it->second;
                  st->confirming = false;
                  if (ok) st->confirmed_below = std::max(st->confirmed_below, below);
                  if (st->reconfirm) {
                    st->reconfirm = false;
                    Confirm(st);
                  }
                });
              });
}

void WebhookSender::RecordError(const BotState& st, const std::string& message) {
  engine_.Run(
      [bot = st.bot, url = st.url, secret = st.secret, message](domain::World& w,
                                                                domain::Mutation& m, UnixTime now) {
        // Only while the webhook is still the one the attempt was made for: a setWebhook with
        // a new URL or secret starts with no error, even if this attempt ends after it (in
        // cluster mode, before this instance has caught up with it).
        const domain::BotUpdateSettings now_set = w.UpdateSettings(bot);
        if (now_set.webhook_url == url && now_set.webhook_secret == secret)
          w.SetWebhookError(bot, now, message, m);
      },
      [](Status) {});
}

}  // namespace tgi::delivery
