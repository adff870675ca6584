// The sender against a real HTTP receiver on 127.0.0.1, over an Engine on the in-memory store.
// Updates are made by users joining chats through the bot's links, as in the server.
#include "delivery/webhook_sender.h"

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
#include "delivery/webhook_wire.h"
#include "store/memory/memory_store.h"

namespace tgi::delivery {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr UserId kBot{7000000001};
constexpr UserId kAlice{100001};
constexpr int64_t kFirstJoiner = 100100;
constexpr ChatId kChatA{-1001000000001};
constexpr ChatId kChatB{-1001000000002};
constexpr ChatId kChatC{-1001000000003};
constexpr ChatId kQuietChat{-1001000000009};  // the bot is admin; nobody joins

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
uint16_t ClosedPort() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

// Polls `pred` until it holds or the timeout passes.
bool Eventually(const std::function<bool()>& pred, milliseconds timeout = milliseconds(10000)) {
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

// ---------------------------------------------------------------------------------------------

TEST_F(WebhookSenderTest, PostsEachUpdateWithTheHeadersAndBodyThenDropsIt) {
  Start();
  // Made before the webhook is set, so that the test sees them before they are delivered.
  AllowChatMemberUpdates();
  Join(kChatA, 3);
  std::vector<std::string> stored = StoredUpdates();
  SetWebhook(receiver_.Url("/hook/path?x=1"), "s3cr3t_-", 1);
  ASSERT_TRUE(receiver_.WaitForCount(3));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }))
      << "delivered updates are dropped from the world";
  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 3u);
  ASSERT_EQ(stored.size(), 3u);
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    EXPECT_EQ(r.target, "/hook/path?x=1");
    EXPECT_EQ(r.headers.at("host"), "127.0.0.1");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    EXPECT_EQ(r.headers.at("connection"), "keep-alive");
    EXPECT_EQ(r.headers.at("x-telegram-bot-api-secret-token"), "s3cr3t_-");
    EXPECT_EQ(r.headers.at("content-length"), std::to_string(r.body.size()));
    EXPECT_FALSE(r.headers.contains("authorization"));
    EXPECT_EQ(r.body, stored[i] + "\n") << "the update object and a newline";
    // Byte for byte as the reference's JsonUpdate: a newline after update_id (issue 13).
    EXPECT_TRUE(r.body.starts_with("{\"update_id\":" + std::to_string(r.update_id) +
                                   ",\n\"chat_member\":{\"chat\":{"))
        << r.body;
    EXPECT_EQ(r.chat_id, kChatA.value);
    EXPECT_EQ(r.connection, requests[0].connection) << "one keep-alive connection is reused";
    if (i > 0) {
      EXPECT_EQ(r.update_id, requests[i - 1].update_id + 1);
    }
  }
  EXPECT_EQ(HookStatus().last_error_date, 0);
}

TEST_F(WebhookSenderTest, SkipsAnInformationalAnswerAndClosesWhenAskedTo) {
  receiver_.SetHandler([](const Receiver::Request&) {
    return Receiver::Reply{.close = true, .continue_first = true};
  });
  Start();
  SetWebhook(receiver_.Url());
  Join(kChatA, 3);
  ASSERT_TRUE(receiver_.WaitForCount(3));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  auto r = receiver_.requests();
  EXPECT_EQ(r.size(), 3u) << "each delivered once: the 100 Continue is not the answer";
  EXPECT_NE(r[0].connection, r[1].connection) << "Connection: close is honoured";
  EXPECT_EQ(HookStatus().last_error_date, 0);
}

TEST_F(WebhookSenderTest, SendsBasicAuthorizationAndNoSecretHeaderWithoutASecret) {
  Start();
  SetWebhook("http://user:pa%20ss@127.0.0.1:" + std::to_string(receiver_.port()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(receiver_.WaitForCount(1));
  auto r = receiver_.requests()[0];
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(r.headers.at("authorization"), "Basic " + Base64("user:pa ss"));
  EXPECT_FALSE(r.headers.contains("x-telegram-bot-api-secret-token"));
}

TEST_F(WebhookSenderTest, KeepsEachChatInOrderAndAtMostMaxConnectionsInFlight) {
  receiver_.SetHandler(
      [](const Receiver::Request&) { return Receiver::Reply{.delay = milliseconds(60)}; });
  Start();
  SetWebhook(receiver_.Url(), "", 2);
  Join(kChatA, 4);
  Join(kChatB, 4);
  Join(kChatC, 4);
  ASSERT_TRUE(receiver_.WaitForCount(12));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  EXPECT_EQ(receiver_.max_in_flight(), 2) << "max_connections bounds the requests in flight";
  EXPECT_EQ(receiver_.max_in_flight_per_chat(), 1) << "never two updates of a chat at once";
  std::map<int64_t, std::vector<int64_t>> by_chat;
  std::set<int> connections;
  for (const auto& r : receiver_.requests()) {
    by_chat[r.chat_id].push_back(r.update_id);
    connections.insert(r.connection);
  }
  ASSERT_EQ(by_chat.size(), 3u);
  for (const auto& [chat, ids] : by_chat) {
    EXPECT_EQ(ids.size(), 4u);
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << "chat " << chat;
  }
  EXPECT_LE(connections.size(), 2u) << "connections are reused";
}

TEST_F(WebhookSenderTest, LoadsMoreAsDeliveriesFreeRoom) {
  WebhookOptions options = Fast();
  options.max_loaded_updates = 4;
  Start(options);
  AllowChatMemberUpdates();
  Join(kChatA, 6);
  Join(kChatB, 5);
  SetWebhook(receiver_.Url(), "", 3);
  Join(kChatC, 3);  // and more arrive while the backlog is being sent
  ASSERT_TRUE(receiver_.WaitForCount(14));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  std::map<int64_t, std::vector<int64_t>> by_chat;
  for (const auto& r : receiver_.requests()) by_chat[r.chat_id].push_back(r.update_id);
  EXPECT_EQ(receiver_.count(), 14u) << "each update once";
  for (const auto& [chat, ids] : by_chat)
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << "chat " << chat;
}

TEST_F(WebhookSenderTest, RetriesAfterA500AtOnceThenWithDoublingWaits) {
  std::atomic<int> failures_left{3};
  receiver_.SetHandler([&](const Receiver::Request&) {
    if (failures_left-- > 0) return Receiver::Reply{.status = 500};
    return Receiver::Reply{};
  });
  WebhookOptions options = Fast();
  options.retry_base = milliseconds(300);
  options.retry_cap_min = options.retry_cap_max = milliseconds(5000);
  Start(options);
  SetWebhook(receiver_.Url());
  Join(kChatA, 1);
  ASSERT_TRUE(receiver_.WaitForCount(4));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  auto r = receiver_.requests();
  ASSERT_EQ(r.size(), 4u);
  for (const auto& x : r) EXPECT_EQ(x.update_id, r[0].update_id) << "the same update again";
  auto gap = [&](int i) {
    return std::chrono::duration_cast<milliseconds>(r[i].at - r[i - 1].at).count();
  };
  EXPECT_LT(gap(1), 250) << "the first retry is immediate";
  EXPECT_GE(gap(2), 280) << "then the base wait";
  EXPECT_GE(gap(3), 580) << "then twice the base";
  auto status = HookStatus();
  EXPECT_EQ(status.last_error_message,
            "Wrong response from the webhook: 500 Internal Server Error");
  EXPECT_GT(status.last_error_date, 0);
}

TEST_F(WebhookSenderTest, HonoursRetryAfter) {
  std::atomic<int> calls{0};
  receiver_.SetHandler([&](const Receiver::Request&) {
    if (calls++ == 0) return Receiver::Reply{.status = 429, .headers = {{"Retry-After", "1"}}};
    return Receiver::Reply{};
  });
  Start();
  SetWebhook(receiver_.Url());
  Join(kChatA, 1);
  ASSERT_TRUE(receiver_.WaitForCount(2, milliseconds(5000)));
  auto r = receiver_.requests();
  auto waited = std::chrono::duration_cast<milliseconds>(r[1].at - r[0].at).count();
  EXPECT_GE(waited, 950) << "Retry-After: 1 replaces the immediate first retry";
  EXPECT_LT(waited, 3000);
  EXPECT_EQ(HookStatus().last_error_message,
            "Wrong response from the webhook: 429 Too Many Requests");
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
}

TEST_F(WebhookSenderTest, RecordsConnectionRefusedAndKeepsTheUpdate) {
  Start();
  SetWebhook("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] { return HookStatus().last_error_message == "Connection refused"; }))
      << HookStatus().last_error_message;
  EXPECT_EQ(StoredUpdates().size(), 1u);
}

TEST_F(WebhookSenderTest, TimesOutASlowWebhook) {
  receiver_.SetHandler(
      [](const Receiver::Request&) { return Receiver::Reply{.delay = milliseconds(3000)}; });
  WebhookOptions options = Fast();
  options.request_timeout = milliseconds(200);
  Start(options);
  SetWebhook(receiver_.Url());
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] { return HookStatus().last_error_message == "Timeout expired"; }))
      << HookStatus().last_error_message;
  EXPECT_EQ(StoredUpdates().size(), 1u);
}

TEST_F(WebhookSenderTest, DropsAnUpdateThatWouldExpireBeforeItsNextAttempt) {
  receiver_.SetHandler([](const Receiver::Request&) { return Receiver::Reply{.status = 502}; });
  Start();
  SetWebhook(receiver_.Url());
  Join(kChatA, 1);
  ASSERT_TRUE(receiver_.WaitForCount(2));
  EXPECT_EQ(StoredUpdates().size(), 1u);
  // A day later (the world's clock), the next failure finds it past its lifetime.
  ASSERT_TRUE(engine_
                  .RunAndWait([](domain::World& w, domain::Mutation& m, UnixTime) {
                    (void)w.AdvanceClock(domain::kUpdateLifetimeSeconds, m);
                  })
                  .ok());
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  size_t seen = receiver_.count();
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(receiver_.count(), seen) << "no more attempts";
  EXPECT_EQ(HookStatus().last_error_message, "Wrong response from the webhook: 502 Bad Gateway");
}

TEST_F(WebhookSenderTest, RunsTheMethodCallInAnAnswerAndIgnoresForbiddenOnes) {
  std::atomic<int> calls{0};
  receiver_.SetHandler([&](const Receiver::Request&) {
    Receiver::Reply reply;
    switch (calls++) {
      case 0:
        reply.headers = {{"Content-Type", "application/json"}};
        reply.body = R"({"method":"createChatInviteLink","chat_id":)" +
                     std::to_string(kChatB.value) + R"(,"name":"from json"})";
        break;
      case 1:
        reply.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        reply.body = "method=createChatInviteLink&chat_id=" + std::to_string(kChatB.value) +
                     "&name=from+form";
        break;
      case 2:  // getChat would make the bot's primary link: it must not run
        reply.headers = {{"Content-Type", "application/json"}};
        reply.body = R"({"method":"getChat","chat_id":)" + std::to_string(kQuietChat.value) + "}";
        break;
      case 3:
        reply.headers = {{"Content-Type", "application/json"}};
        reply.body = R"({"method":"deleteWebhook"})";
        break;
      default:
        break;
    }
    return reply;
  });
  Start();
  SetWebhook(receiver_.Url());
  Join(kChatA, 5);
  ASSERT_TRUE(receiver_.WaitForCount(5));
  ASSERT_TRUE(Eventually([&] { return LinkNames(kChatB).size() == 2; }));
  auto names = LinkNames(kChatB);
  EXPECT_EQ(names, (std::vector<std::string>{"from json", "from form"}));
  EXPECT_TRUE(LinkNames(kQuietChat).empty()) << "getChat in an answer is ignored";
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  bool still_set = false;
  ASSERT_TRUE(engine_
                  .RunAndWait([&](domain::World& w, domain::Mutation&, UnixTime) {
                    still_set = !w.UpdateSettings(kBot).webhook_url.empty();
                  })
                  .ok());
  EXPECT_TRUE(still_set) << "deleteWebhook in an answer is ignored";
}

TEST_F(WebhookSenderTest, ANewUrlStartsAfreshAndDeletingStopsDelivery) {
  receiver_.SetHandler([](const Receiver::Request&) {
    return Receiver::Reply{.delay = milliseconds(20000)};  // the old webhook hangs
  });
  Receiver second;
  Start();
  SetWebhook(receiver_.Url());
  Join(kChatA, 2);
  ASSERT_TRUE(receiver_.WaitForCount(1));
  SetWebhook(second.Url("/new"));
  ASSERT_TRUE(second.WaitForCount(2)) << "the new URL gets every pending update";
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  EXPECT_EQ(receiver_.count(), 1u);

  ASSERT_EQ(Call("deleteWebhook", {}).status, 200);
  Join(kChatB, 1);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(second.count(), 2u) << "no delivery after deleteWebhook";
  EXPECT_EQ(StoredUpdates().size(), 1u);
}

TEST_F(WebhookSenderTest, DropPendingUpdatesOnTheSameUrlIsHonoured) {
  receiver_.SetHandler([](const Receiver::Request&) { return Receiver::Reply{.status = 500}; });
  Start();
  SetWebhook(receiver_.Url());
  Join(kChatA, 2);
  ASSERT_TRUE(receiver_.WaitForCount(3));
  http::Response r = Call("setWebhook", {{"url", receiver_.Url()}, {"drop_pending_updates", "1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  // Only now: an answer to a request sent before the drop is ignored (the bot started afresh).
  receiver_.SetHandler(nullptr);
  Join(kChatB, 1);
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  auto count_in = [&](ChatId chat) {
    int n = 0;
    for (const auto& x : receiver_.requests()) n += x.chat_id == chat.value;
    return n;
  };
  int sent_for_a = count_in(kChatA);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(count_in(kChatA), sent_for_a) << "dropped updates are not sent again";
  EXPECT_EQ(count_in(kChatB), 1);
  int64_t first_a = receiver_.requests()[0].update_id;
  for (const auto& x : receiver_.requests())
    EXPECT_NE(x.update_id, first_a + 1) << "the second update of chat A was dropped unsent";
}

TEST_F(WebhookSenderTest, DeliversWhatIsPendingAtStartUp) {
  Start(Fast(), [&] {
    SetWebhook(receiver_.Url(), "abc");
    Join(kChatA, 2);
  });
  ASSERT_TRUE(receiver_.WaitForCount(2));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
}

// A CA of the test's own and a certificate it signs, for a TLS receiver; the CA in a PEM file
// for MakeWebhookTls.
struct TestPki {
  explicit TestPki(const std::vector<std::string>& names) {
    auto made_ca = certs::MakeCa("webhook test CA", 1);
    EXPECT_TRUE(made_ca.ok());
    ca = *made_ca;
    auto made = certs::IssueServerCert(ca, names, 1);
    EXPECT_TRUE(made.ok());
    leaf = *made;
    char path[] = "/tmp/tginvite-webhook-ca-XXXXXX";
    int fd = ::mkstemp(path);
    ::close(fd);
    ca_file = path;
    std::ofstream(ca_file) << ca.cert;
  }
  ~TestPki() { std::remove(ca_file.c_str()); }
  certs::KeyPair ca;
  certs::KeyPair leaf;
  std::string ca_file;
};

WebhookOptions TrustingCa(WebhookOptions options, const std::string& ca_file) {
  auto tls = MakeWebhookTls(ca_file);
  EXPECT_TRUE(tls.ok()) << tls.error().message;
  options.tls = *tls;
  return options;
}

TEST_F(WebhookSenderTest, HttpsIsDeliveredWhenTheCertificateVerifies) {
  TestPki pki({"localhost", "127.0.0.1"});
  Receiver tls_receiver(&pki.leaf);
  Start(TrustingCa(Fast(), pki.ca_file));
  SetWebhook("https://127.0.0.1:" + std::to_string(tls_receiver.port()) + "/tls", "s3cret");
  Join(kChatA, 2);
  ASSERT_TRUE(tls_receiver.WaitForCount(2));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  auto got = tls_receiver.requests();
  EXPECT_EQ(got[0].target, "/tls");
  EXPECT_EQ(got[0].headers["x-telegram-bot-api-secret-token"], "s3cret");
  EXPECT_EQ(got[0].connection, got[1].connection) << "the TLS connection is kept alive";
  EXPECT_EQ(HookStatus().last_error_date, 0);
}

TEST_F(WebhookSenderTest, HttpsWithAnUntrustedCertificateFailsAsTdlibSaysIt) {
  TestPki pki({"localhost", "127.0.0.1"});
  Receiver tls_receiver(&pki.leaf);
  Start();  // the system's CAs only: the test's CA is not one of them
  SetWebhook("https://127.0.0.1:" + std::to_string(tls_receiver.port()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] {
    return HookStatus().last_error_message ==
           "SSL error {error:0A000086:SSL routines::certificate verify failed}";
  })) << HookStatus().last_error_message;
  EXPECT_EQ(tls_receiver.count(), 0u);
  EXPECT_EQ(StoredUpdates().size(), 1u);
}

TEST_F(WebhookSenderTest, HttpsToAHostTheCertificateIsNotForFailsVerification) {
  TestPki pki({"example.test"});
  Receiver tls_receiver(&pki.leaf);
  Start(TrustingCa(Fast(), pki.ca_file));
  SetWebhook("https://127.0.0.1:" + std::to_string(tls_receiver.port()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] {
    return HookStatus().last_error_message ==
           "SSL error {error:0A000086:SSL routines::certificate verify failed}";
  })) << HookStatus().last_error_message;
  EXPECT_EQ(tls_receiver.count(), 0u);
}

TEST_F(WebhookSenderTest, HttpsToAPlainHttpReceiverIsAClosedConnection) {
  Start();
  SetWebhook("https://127.0.0.1:" + std::to_string(receiver_.port()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] {
    return HookStatus().last_error_message == "Webhook connection closed";
  })) << HookStatus().last_error_message;
  EXPECT_EQ(receiver_.count(), 0u);
  EXPECT_EQ(StoredUpdates().size(), 1u);
}

TEST(MakeWebhookTls, ABadCaFileIsNamed) {
  auto missing = MakeWebhookTls("/nonexistent/ca.pem");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot read the webhook CA file /nonexistent/ca.pem: No such file or directory");
  char path[] = "/tmp/tginvite-not-a-ca-XXXXXX";
  int fd = ::mkstemp(path);
  ::close(fd);
  std::ofstream(path) << "not a certificate\n";
  auto empty = MakeWebhookTls(path);
  std::remove(path);
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.error().message.starts_with("the webhook CA file " + std::string(path) +
                                                " holds no usable PEM certificate: "))
      << empty.error().message;
  EXPECT_TRUE(MakeWebhookTls("").ok());
}

TEST_F(WebhookSenderTest, StopAbortsRequestsInFlightAndKeepsTheirUpdates) {
  receiver_.SetHandler(
      [](const Receiver::Request&) { return Receiver::Reply{.delay = milliseconds(20000)}; });
  Start();
  SetWebhook(receiver_.Url());
  Join(kChatA, 1);
  ASSERT_TRUE(receiver_.WaitForCount(1));
  auto began = steady_clock::now();
  sender_->Stop();
  EXPECT_LT(steady_clock::now() - began, milliseconds(2000));
  EXPECT_EQ(StoredUpdates().size(), 1u);
  sender_->Notify({kBot});  // after Stop: nothing happens
  sender_->WebhookChanged(kBot);
}

}  // namespace
}  // namespace tgi::delivery
