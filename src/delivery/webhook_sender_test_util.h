// The fixture of the webhook sender tests: a real HTTP(S) receiver on 127.0.0.1 and an Engine
// on the in-memory store; updates are made by users joining chats through the bot's links.
// Included by webhook_sender_test.cc (HTTP) and webhook_sender_tls_test.cc (HTTPS) only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "botapi/encode.h"
#include "common/certs.h"
#include "delivery/webhook_sender.h"
#include "delivery/webhook_wire.h"
#include "store/memory/memory_store.h"

// Named, not anonymous: two test files include it (ODR-same classes, inline functions).
namespace tgi::delivery::webhook_test {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

inline constexpr UserId kBot{7000000001};
inline constexpr UserId kAlice{100001};
inline constexpr int64_t kFirstJoiner = 100100;
inline constexpr ChatId kChatA{-1001000000001};
inline constexpr ChatId kChatB{-1001000000002};
inline constexpr ChatId kChatC{-1001000000003};
inline constexpr ChatId kQuietChat{-1001000000009};  // the bot is admin; nobody joins

// ---------------------------------------------------------------------------------------------
// A webhook receiver: an HTTP/1.1 server on 127.0.0.1 that records each request and answers
// what the test's handler says, after an optional delay. With a certificate, over TLS.

class Receiver {
 public:
  struct Request {
    std::string target;
    std::map<std::string, std::string> headers;  // lowercased names
    std::string body;
    int connection = 0;  // which connection carried it
    steady_clock::time_point at;
    int64_t update_id = 0;
    int64_t chat_id = 0;
  };
  struct Reply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    milliseconds delay{0};
    bool close = false;
    bool continue_first = false;  // send "100 Continue" before the answer
  };
  using Handler = std::function<Reply(const Request&)>;

  explicit Receiver(const certs::KeyPair* tls = nullptr)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    if (tls != nullptr) {
      tls_.emplace(asio::ssl::context::tls_server);
      tls_->use_certificate_chain(asio::buffer(tls->cert));
      tls_->use_private_key(asio::buffer(tls->key), asio::ssl::context::pem);
    }
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Receiver() {
    io_.stop();
    thread_.join();
  }

  uint16_t port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void SetHandler(Handler h) {
    std::lock_guard lock(mu_);
    handler_ = std::move(h);
  }
  std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  int max_in_flight() const {
    std::lock_guard lock(mu_);
    return max_in_flight_;
  }
  int max_in_flight_per_chat() const {
    std::lock_guard lock(mu_);
    return max_per_chat_;
  }
  // Waits until the receiver has had at least n requests.
  bool WaitForCount(size_t n, milliseconds timeout = milliseconds(10000)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(io_, Serve(std::move(socket), ++connections_), asio::detached);
    }
  }

  asio::awaitable<void> Serve(tcp::socket socket, int connection) {
    if (!tls_) co_return co_await ServeOn(socket, connection);
    asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    co_await ServeOn(stream, connection);
  }

  template <typename Stream>
  asio::awaitable<void> ServeOn(Stream& socket, int connection) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      bhttp::request<bhttp::string_body> req;
      auto [ec, n] =
          co_await bhttp::async_read(socket, buffer, req, asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      Request r;
      r.target = std::string(req.target());
      for (const auto& f : req) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(f.value());
      }
      r.body = req.body();
      r.connection = connection;
      r.at = steady_clock::now();
      boost::system::error_code jec;
      auto v = boost::json::parse(r.body, jec);
      if (!jec && v.is_object()) {
        const auto& o = v.as_object();
        if (o.contains("update_id")) r.update_id = o.at("update_id").to_number<int64_t>();
        for (const auto& [key, value] : o)
          if (value.is_object() && value.as_object().contains("chat"))
            r.chat_id =
                value.as_object().at("chat").as_object().at("id").template to_number<int64_t>();
      }
      Reply reply;
      {
        std::lock_guard lock(mu_);
        requests_.push_back(r);
        max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
        max_per_chat_ = std::max(max_per_chat_, ++per_chat_[r.chat_id]);
        if (handler_) reply = handler_(r);
      }
      cv_.notify_all();
      if (reply.delay.count() > 0) {
        asio::steady_timer timer(io_, reply.delay);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      {
        std::lock_guard lock(mu_);
        --in_flight_;
        --per_chat_[r.chat_id];
      }
      if (reply.continue_first) {
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(socket, asio::buffer(kContinue),
                                   asio::as_tuple(asio::use_awaitable));
      }
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(reply.status), 11};
      for (const auto& [name, value] : reply.headers) res.set(name, value);
      res.body() = reply.body;
      res.keep_alive(!reply.close);
      res.prepare_payload();
      auto [wec, wn] =
          co_await bhttp::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
      if (wec || reply.close) co_return;
    }
  }

  asio::io_context io_;
  std::optional<asio::ssl::context> tls_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
  int connections_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Handler handler_;
  std::vector<Request> requests_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  std::map<int64_t, int> per_chat_;
  int max_per_chat_ = 0;
};

// A port on which nothing listens.
inline uint16_t ClosedPort() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

// Polls `pred` until it holds or the timeout passes.
inline bool Eventually(const std::function<bool()>& pred,
                       milliseconds timeout = milliseconds(10000)) {
  auto deadline = steady_clock::now() + timeout;
  while (steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return pred();
}

// ---------------------------------------------------------------------------------------------
// The fixture: a world with one bot, administrator (with can_invite_users) of a few chats.

class WebhookSenderTest : public ::testing::Test {
 protected:
  WebhookSenderTest()
      : engine_(store_, clock_,
                [this] { return "hash" + std::to_string(1000000000000 + ++hashes_); }) {}

  ~WebhookSenderTest() override {
    if (sender_) sender_->Stop();
  }

  // Builds the world and starts the sender. `before_start` runs on the world first (e.g. to
  // leave updates pending for the sender to find at start-up).
  void Start(WebhookOptions options = Fast(), const std::function<void()>& before_start = nullptr) {
    sender_ = std::make_unique<WebhookSender>(engine_, options);
    engine_.SetUpdateEncoder(botapi::EncodeUpdate);
    engine_.SetUpdatesHook([this](const std::vector<UserId>& bots) { sender_->Notify(bots); });
    ASSERT_TRUE(engine_.Start().ok());
    domain::WorldFile f;
    f.bots.push_back(
        {domain::Bot{.id = kBot},
         domain::User{.id = kBot, .is_bot = true, .first_name = "Bot", .username = "hook_bot"}});
    f.users.push_back(domain::User{.id = kAlice, .first_name = "Alice"});
    for (int i = 0; i < 40; ++i)
      f.users.push_back(domain::User{.id = UserId(kFirstJoiner + i), .first_name = "U"});
    domain::Rights invite;
    invite.Set(domain::Right::kCanInviteUsers, true);
    for (ChatId c : {kChatA, kChatB, kChatC, kQuietChat}) {
      f.chats.push_back(
          {domain::Chat{.id = c, .type = domain::ChatType::kSupergroup, .title = "Chat"},
           {domain::Member{.chat = c, .user = kAlice, .status = domain::MemberStatus::kCreator},
            domain::Member{.chat = c,
                           .user = kBot,
                           .status = domain::MemberStatus::kAdministrator,
                           .rights = invite}}});
    }
    Status applied;
    ASSERT_TRUE(engine_
                    .RunAndWait([&](domain::World& w, domain::Mutation& m, UnixTime now) {
                      applied = w.ApplyWorld(f, now, m);
                    })
                    .ok());
    ASSERT_TRUE(applied.ok()) << applied.error().message;
    botapi::UpdateHooks hooks;
    hooks.webhook_changed = [this](UserId bot) { sender_->WebhookChanged(bot); };
    api_ = std::make_unique<botapi::BotApi>(engine_, nullptr, hooks);
    if (before_start) before_start();
    sender_->Start(api_.get());
  }

  static WebhookOptions Fast() {
    return WebhookOptions{.retry_base = milliseconds(50),
                          .retry_cap_min = milliseconds(400),
                          .retry_cap_max = milliseconds(800),
                          .request_timeout = milliseconds(5000)};
  }

  // Calls a Bot API method as the bot and waits for the answer.
  http::Response Call(std::string_view method, std::vector<http::Param> params) {
    http::ParamList list;
    for (auto& p : params) list.Add(p.name, p.value);
    std::promise<http::Response> done;
    auto future = done.get_future();
    api_->RunAsBot(kBot, method, std::move(list),
                   [&done](http::Response r) { done.set_value(std::move(r)); });
    return future.get();
  }

  void SetWebhook(const std::string& url, const std::string& secret = "",
                  int max_connections = 40) {
    http::Response r = Call("setWebhook", {{"url", url},
                                           {"secret_token", secret},
                                           {"max_connections", std::to_string(max_connections)},
                                           {"allowed_updates", R"(["chat_member"])"}});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // Lets chat_member updates through without setting a webhook (they stay in the world).
  void AllowChatMemberUpdates() {
    ASSERT_TRUE(engine_
                    .RunAndWait([](domain::World& w, domain::Mutation& m, UnixTime) {
                      w.SetAllowedUpdates(kBot, domain::UpdateBit(domain::UpdateType::kChatMember),
                                          m);
                    })
                    .ok());
  }

  // `count` new users join `chat` through the bot's primary link, one after the other.
  void Join(ChatId chat, int count) {
    std::string hash;
    ASSERT_TRUE(engine_
                    .RunAndWait([&](domain::World& w, domain::Mutation& m, UnixTime now) {
                      auto link =
                          w.ExportPrimaryLink(kBot, domain::ChatRef{.id = chat.value}, now, m);
                      if (link.ok()) hash = *link;
                    })
                    .ok());
    ASSERT_FALSE(hash.empty());
    for (int i = 0; i < count; ++i) {
      UserId user(kFirstJoiner + next_joiner_++);
      bool joined = false;
      ASSERT_TRUE(engine_
                      .RunAndWait([&](domain::World& w, domain::Mutation& m, UnixTime now) {
                        joined = w.JoinByLink(user, hash, now, m).ok();
                      })
                      .ok());
      ASSERT_TRUE(joined);
    }
  }

  // The bot's updates still in the world (stored, expired or not), and their JSON.
  std::vector<std::string> StoredUpdates() {
    std::vector<std::string> out;
    EXPECT_TRUE(engine_
                    .RunAndWait([&](domain::World& w, domain::Mutation&, UnixTime) {
                      for (const auto& u : w.SnapshotForTesting().updates)
                        if (u.bot == kBot) out.push_back(u.json.str());
                    })
                    .ok());
    return out;
  }

  domain::World::WebhookStatus HookStatus() {
    domain::World::WebhookStatus s;
    EXPECT_TRUE(engine_
                    .RunAndWait([&](domain::World& w, domain::Mutation&, UnixTime) {
                      s = w.WebhookStatusOf(kBot);
                    })
                    .ok());
    return s;
  }

  std::vector<std::string> LinkNames(ChatId chat) {
    std::vector<std::string> out;
    EXPECT_TRUE(engine_
                    .RunAndWait([&](domain::World& w, domain::Mutation&, UnixTime) {
                      for (const auto& view : w.ListLinks(chat))
                        out.push_back(view.link->is_primary ? "(primary)" : view.link->name);
                    })
                    .ok());
    return out;
  }

  store::MemoryStore store_;
  SystemClock clock_;
  std::atomic<int64_t> hashes_{0};
  app::Engine engine_;
  std::unique_ptr<botapi::BotApi> api_;
  std::unique_ptr<WebhookSender> sender_;
  Receiver receiver_;
  int next_joiner_ = 0;
};

}  // namespace tgi::delivery::webhook_test
