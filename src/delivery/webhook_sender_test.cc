// The sender against a real HTTP receiver on 127.0.0.1 (HTTPS: webhook_sender_tls_test.cc).
#include <gtest/gtest.h>

#include "delivery/webhook_sender_test_util.h"

namespace tgi::delivery::webhook_test {

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

}  // namespace tgi::delivery::webhook_test
