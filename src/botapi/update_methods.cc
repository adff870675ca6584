// getUpdates, setWebhook, deleteWebhook, getWebhookInfo (spec 5.4, 5.5).
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <optional>
#include <string>

#include "botapi/encode.h"
#include "botapi/methods.h"
#include "botapi/webhook_url.h"

namespace tgi::botapi {
namespace {

constexpr int kMaxLongPollSeconds = 50;               // LONG_POLL_MAX_TIMEOUT
constexpr size_t kMaxUpdatesBytes = size_t{1} << 22;  // JsonUpdates: about 4 MiB per answer
constexpr size_t kMaxSecretTokenLength = 256;

// allowed_updates (spec 5.4): nullopt keeps the previous setting (missing, empty, not JSON, not an
// array, or an array with a non-string); an array in which no name is known means the default.
std::optional<uint32_t> ParseAllowedUpdates(std::string_view text) {
  if (text.empty()) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return std::nullopt;
  uint32_t mask = 0;
  for (const auto& item : v.as_array()) {
    if (!item.is_string()) return std::nullopt;
    const auto& s = item.as_string();
    if (auto t = domain::UpdateTypeFromName(std::string_view(s.data(), s.size())))
      mask |= domain::UpdateBit(*t);
  }
  return mask ? mask : domain::DefaultAllowedUpdates();
}

domain::QueuedUpdates QueuedFromArgs(const Args& args) {
  return args.Bool("drop_pending_updates") ? domain::QueuedUpdates::kDrop
                                           : domain::QueuedUpdates::kKeep;
}

}  // namespace

void SharePoll(MethodContext& c, UnixMillis since_ms, UnixMillis deadline_ms) {
  if (c.shared == nullptr) return;
  // What this instance shares is the newest word on the bot's poll: what another instance said
  // before no longer holds here either.
  if (c.hub != nullptr) c.hub->SetRemote(c.bot, std::nullopt);
  domain::SharedEntry e{.key = std::string(kSharedPollPrefix) + std::to_string(c.bot.value)};
  if (since_ms != 0) e.value = std::to_string(since_ms) + " " + std::to_string(deadline_ms);
  c.shared->shared.push_back(std::move(e));
}

Result<Prepared, ApiError> PrepareGetUpdates(const Args& args) {
  domain::UpdatesQuery query{.offset = args.Int32("offset", 0, INT32_MIN, INT32_MAX),
                             .limit = args.Int32("limit", 100, 1, 100)};
  int timeout = args.Int32("timeout", 0, 0, kMaxLongPollSeconds);
  auto allowed = ParseAllowedUpdates(args.Get("allowed_updates"));
  // Mutable: the guards' timeout and limit hold for the runs after a wake-up too, as the
  // reference keeps them in long_poll_limit_; so does the time the call first parked.
  UnixMillis parked_since_ms = 0;
  return Prepared([=](MethodContext& c) mutable {
    domain::BotUpdateSettings settings = c.world.UpdateSettings(c.bot);
    if (!settings.webhook_url.empty()) return Err(GetUpdatesWhileWebhookActive());
    c.world.SetAllowedUpdates(c.bot, allowed, c.mutation);
    if (c.guards) {
      // Only the call's first run: a run after a wake-up is the same call.
      auto poll = c.guards->StartGetUpdates(c.bot, static_cast<int32_t>(query.offset), timeout,
                                            query.limit, c.now_ms, c.shared);
      timeout = poll.timeout_seconds;
      query.limit = poll.limit;
    }
    // Read the hub's sequence before the queue: an update made after this read wakes the wait.
    uint64_t seq = c.hub ? c.hub->Seq(c.bot) : 0;
    auto updates = c.world.GetUpdates(c.bot, query, c.now, c.mutation);
    if (updates.empty() && timeout > 0 && c.poll) {
      c.poll->wait = true;
      c.poll->seen_seq = seq;
      c.poll->timeout_seconds = timeout;
      if (parked_since_ms == 0) {
        parked_since_ms = c.now_ms;
        SharePoll(c, parked_since_ms, parked_since_ms + int64_t{timeout} * 1000);
      }
      return http::Response{};
    }
    // A long poll that had parked answers: the other instances' observers learn it.
    if (parked_since_ms != 0) SharePoll(c, 0, 0);
    // The answer refers to the queue's update objects instead of copying them (body_parts): an
    // answer costs a few bytes per update however big the updates are, and clients that ask
    // again and again for 100 big updates share one copy of them (bench/slow_clients.sh). The
    // same bytes as OkResponse("[...]").
    static const SharedText kComma(",");
    static const SharedText kEnd("]}");
    size_t count = 0;
    size_t bytes = 0;
    for (const domain::Update* u : updates) {
      if (count > 0 && bytes + u->json.size() > kMaxUpdatesBytes) break;
      bytes += u->json.size();
      ++count;
    }
    http::Response answer{.status = 200, .body = R"({"ok":true,"result":[)"};
    answer.body_parts.reserve(2 * count + 1);
    for (size_t i = 0; i < count; ++i) {
      if (i > 0) answer.body_parts.push_back(kComma);
      answer.body_parts.push_back(updates[i]->json);
    }
    answer.body_parts.push_back(kEnd);
    if (c.hooks && c.hooks->updates_sent) c.hooks->updates_sent->Add(count);
    return answer;
  });
}

Result<Prepared, ApiError> PrepareSetWebhook(const Args& args) {
  std::string url(args.Get("url"));
  auto pending = QueuedFromArgs(args);
  auto allowed = ParseAllowedUpdates(args.Get("allowed_updates"));
  if (url.empty()) {
    // An empty URL is deleteWebhook (spec 5.5).
    return Prepared([pending, allowed](MethodContext& c) {
      c.world.SetAllowedUpdates(c.bot, allowed, c.mutation);
      bool had = c.world.DeleteWebhook(c.bot, pending, c.mutation);
      if (c.after_durable && c.hooks && c.hooks->webhook_changed)
        c.after_durable->push_back([hooks = c.hooks, bot = c.bot] { hooks->webhook_changed(bot); });
      return OkTrueWithDescription(had ? kWebhookWasDeleted : kWebhookIsAlreadyDeleted);
    });
  }
  std::string secret(args.Get("secret_token"));
  domain::BotUpdateSettings webhook{
      .webhook_url = url,
      .webhook_secret = secret,
      .max_connections = args.Int32("max_connections", 40, 1, 100),
      .webhook_ip_address = std::string(args.Get("ip_address")),
  };
  return Prepared([webhook, pending, allowed](MethodContext& c) {
    // Before anything else, as the reference's process_set_webhook_query: a URL set again
    // within a second (even the same one) is refused.
    if (c.guards && !c.guards->AllowSetWebhook(c.bot, c.now_ms, c.shared))
      return Err(TooManyRequests(1));
    domain::BotUpdateSettings current = c.world.UpdateSettings(c.bot);
    if (pending == domain::QueuedUpdates::kKeep && current.webhook_url == webhook.webhook_url &&
        current.webhook_secret == webhook.webhook_secret &&
        current.max_connections == webhook.max_connections &&
        current.webhook_ip_address == webhook.webhook_ip_address) {
      c.world.SetAllowedUpdates(c.bot, allowed, c.mutation);
      return OkTrueWithDescription(kWebhookIsAlreadySet);
    }
    // As the reference does (Client.cpp, process_set_webhook_query and do_set_webhook): a
    // waiting getUpdates ends, the old webhook is closed (with its last error) and
    // drop_pending_updates empties the queue, all before the new URL and secret are looked at,
    // so a refused setWebhook leaves the bot with no webhook (issue 13). Those changes are kept
    // whatever the answer.
    c.world.DeleteWebhook(c.bot, pending, c.mutation);
    SharePoll(c, 0, 0);  // it ends a getUpdates parked on any instance
    if (c.after_durable) {
      c.after_durable->push_back([hub = c.hub, hooks = c.hooks, bot = c.bot] {
        // A waiting getUpdates ends (spec 5.4); the sender starts or stops delivering.
        if (hub) hub->Cancel(bot, app::LongPollHub::Wake::kWebhookSet);
        if (hooks && hooks->set_webhook_ran) hooks->set_webhook_ran(bot);
        if (hooks && hooks->webhook_changed) hooks->webhook_changed(bot);
      });
    }
    // TDLib's parse_url: no protocol means https://, a port must be 1...65535 (issue 13).
    auto parsed = ParseWebhookUrl(webhook.webhook_url);
    if (!parsed) return Err(InvalidWebhookUrl());
    const std::string& secret = webhook.webhook_secret;
    if (secret.size() > kMaxSecretTokenLength) return Err(SecretTokenTooLong());
    for (char ch : secret) {
      bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '_' || ch == '-';
      if (!ok) return Err(SecretTokenUnallowedCharacters());
    }
    // The reference takes allowed_updates with the URL, before its webhook refuses what the
    // cloud does not serve (WebhookActor::start_up), so a refused URL still changes them.
    c.world.SetAllowedUpdates(c.bot, allowed, c.mutation);
    if (c.hooks && c.hooks->strict_webhook_urls) {
      if (!parsed->https) return Err(WebhookNotHttps());
      int port = parsed->port;
      if (port != 80 && port != 88 && port != 443 && port != 8443)
        return Err(WebhookPortNotAllowed());
    }
    c.world.SetWebhook(c.bot, webhook, domain::QueuedUpdates::kKeep, c.mutation);
    return OkTrueWithDescription(kWebhookWasSet);
  });
}

Result<Prepared, ApiError> PrepareDeleteWebhook(const Args& args) {
  auto pending = QueuedFromArgs(args);
  return Prepared([pending](MethodContext& c) {
    bool had = c.world.DeleteWebhook(c.bot, pending, c.mutation);
    if (had && c.after_durable && c.hooks && c.hooks->webhook_changed)
      c.after_durable->push_back([hooks = c.hooks, bot = c.bot] { hooks->webhook_changed(bot); });
    return OkTrueWithDescription(had ? kWebhookWasDeleted : kWebhookIsAlreadyDeleted);
  });
}

Result<Prepared, ApiError> PrepareGetWebhookInfo(const Args&) {
  return Prepared([](MethodContext& c) {
    JsonWriter w;
    WriteWebhookInfo(w, c.world, c.bot, c.now);
    return Ok(w);
  });
}

void WriteWebhookInfo(JsonWriter& w, const domain::World& world, UserId bot, UnixTime now) {
  domain::BotUpdateSettings s = world.UpdateSettings(bot);
  auto status = world.WebhookStatusOf(bot);
  w.BeginObject().Field("url", s.webhook_url).Field("has_custom_certificate", false);
  w.Field("pending_update_count", static_cast<int64_t>(world.PendingUpdates(bot, now).size()));
  if (status.last_error_date) {
    w.Field("last_error_date", status.last_error_date);
    w.Field("last_error_message", status.last_error_message);
  }
  if (!s.webhook_url.empty()) {
    w.Field("max_connections", static_cast<int64_t>(s.max_connections));
    // Named decision: the address given with ip_address, else the URL's host when it is an
    // IP literal; nothing otherwise (the simulated server resolves no names).
    std::string ip = s.webhook_ip_address;
    if (ip.empty()) {
      // (The view points into `absolute`, which must outlive it.)
      const std::string absolute = WebhookUrlWithProtocol(s.webhook_url);
      auto u = boost::urls::parse_absolute_uri(absolute);
      if (u && (u->host_type() == boost::urls::host_type::ipv4 ||
                u->host_type() == boost::urls::host_type::ipv6))
        ip = u->host_address();
    }
    if (!ip.empty()) w.Field("ip_address", ip);
  }
  if (s.allowed_updates != domain::DefaultAllowedUpdates()) {
    w.Key("allowed_updates").BeginArray();
    for (int t = 0; t < static_cast<int>(domain::UpdateType::kCount); ++t)
      if (s.allowed_updates & (1u << t))
        w.String(domain::UpdateTypeName(static_cast<domain::UpdateType>(t)));
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace tgi::botapi
