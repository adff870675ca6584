// The client library's transport against listeners inside the test: the request it sends,
// connection reuse and reconnection, every transport error kind, TLS verification with a test
// certificate, and the token kept out of every error text.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fake_server.h"
#include "tginvite/client.h"
#include "tginvited_process.h"

namespace tginvite {
namespace {

using testing::Cat;
using testing::FakeConnection;
using testing::FakeServer;
using testing::JsonAnswer;
using Transport = Error::Transport;

constexpr char kToken[] = "123456:SecretSecretSecretSecret_-xyz";
constexpr char kSecret[] = "SecretSecretSecretSecret_-xyz";
constexpr char kMe[] =
    R"({"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Fake","username":"fake_bot"}})";

ClientOptions Fast(std::string url) {
  ClientOptions o;
  o.api_url = std::move(url);
  o.connect_timeout = std::chrono::seconds(5);
  o.request_timeout = std::chrono::seconds(5);
  return o;
}

// Answers every request on a connection with `answer`, keep-alive.
FakeServer::Serve AnswerAll(std::string answer) {
  return [answer](FakeConnection& c) {
    while (c.ReadRequest()) c.Write(answer);
  };
}

void ExpectNoToken(const Error& e) {
  EXPECT_EQ(e.description.find(kSecret), std::string::npos) << e.description;
  EXPECT_EQ(e.ToString().find(kSecret), std::string::npos) << e.ToString();
  EXPECT_EQ(e.ToString().find('\n'), std::string::npos) << e.ToString();
}

void ExpectTransport(const Error& e, Transport kind) {
  EXPECT_TRUE(e.is_transport());
  EXPECT_EQ(e.transport, kind) << e.ToString();
  EXPECT_TRUE(e.ToString().starts_with(Cat({"transport (", TransportName(kind), "): "})))
      << e.ToString();
  ExpectNoToken(e);
}

// Calls getMe with `o`, which must fail with a timeout whose text names `option` (when given);
// returns how long the call took.
std::chrono::steady_clock::duration ExpectGetMeTimesOut(const ClientOptions& o,
                                                        std::string_view option) {
  Client bot(kToken, o);
  const auto start = std::chrono::steady_clock::now();
  Result<User> me = bot.GetMe();
  const auto took = std::chrono::steady_clock::now() - start;
  if (me) {
    ADD_FAILURE() << "getMe succeeded";
    return took;
  }
  ExpectTransport(me.error(), Transport::kTimeout);
  if (!option.empty()) {
    EXPECT_NE(me.error().description.find(option), std::string::npos) << me.error().ToString();
  }
  return took;
}

TEST(ClientTransportTest, SendsAJsonPostToThePathUnderThePrefix) {
  FakeServer server(AnswerAll(JsonAnswer(R"({"ok":true,"result":"https://t.me/+x"})")));
  Client bot(kToken, Fast(Cat({server.url(), "/api/prefix//"})));
  ASSERT_TRUE(bot.ExportChatInviteLink(-1001234567890));
  ASSERT_TRUE(bot.ExportChatInviteLink("@some_channel"));
  ASSERT_TRUE(bot.Call("exportChatInviteLink", ""));

  const std::vector<std::string> requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].starts_with(
      Cat({"POST /api/prefix/bot", kToken, "/exportChatInviteLink HTTP/1.1\r\n"})))
      << requests[0];
  EXPECT_NE(requests[0].find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(requests[0].find(Cat({"\r\nHost: 127.0.0.1:", std::to_string(server.port())})),
            std::string::npos);
  EXPECT_TRUE(requests[0].ends_with("\r\n\r\n{\"chat_id\":-1001234567890}")) << requests[0];
  EXPECT_TRUE(requests[1].ends_with("\r\n\r\n{\"chat_id\":\"@some_channel\"}")) << requests[1];
  EXPECT_TRUE(requests[2].ends_with("\r\n\r\n{}")) << requests[2];
}

TEST(ClientTransportTest, SendsEveryParameterWithItsJsonType) {
  FakeServer server(AnswerAll(JsonAnswer(
      R"({"ok":true,"result":{"invite_link":"https://t.me/+abc","creator":{"id":1,"is_bot":true,)"
      R"("first_name":"B"},"creates_join_request":true,"is_primary":false,"is_revoked":false,)"
      R"("expire_date":1900000000,"new_field":{"x":[1,2]}}})")));
  Client bot(kToken, Fast(server.url()));
  Result<ChatInviteLink> link = bot.CreateChatInviteLink(
      -100,
      {.name = "n", .expire_date = 1900000000, .member_limit = 3, .creates_join_request = false});
  ASSERT_TRUE(link) << link.error().ToString();
  EXPECT_EQ(link->expire_date, 1900000000);
  EXPECT_FALSE(link->member_limit.has_value());  // absent: unset
  EXPECT_TRUE(link->creates_join_request);
  ASSERT_TRUE(bot.EditChatInviteLink("@c", "https://t.me/+abc", {.name = "m"}));
  ASSERT_TRUE(bot.RevokeChatInviteLink(-100, "https://t.me/+abc"));

  const std::vector<std::string> requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].ends_with(
      R"({"chat_id":-100,"name":"n","expire_date":1900000000,"member_limit":3,)"
      R"("creates_join_request":false})"))
      << requests[0];
  EXPECT_TRUE(
      requests[1].ends_with(R"({"chat_id":"@c","invite_link":"https://t.me/+abc","name":"m"})"))
      << requests[1];
  EXPECT_TRUE(requests[2].ends_with(R"({"chat_id":-100,"invite_link":"https://t.me/+abc"})"))
      << requests[2];
}

TEST(ClientTransportTest, ReusesOneConnectionForManyCalls) {
  FakeServer server(AnswerAll(JsonAnswer(kMe)));
  Client bot(kToken, Fast(server.url()));
  for (int i = 0; i < 5; ++i) {
    Result<User> me = bot.GetMe();
    ASSERT_TRUE(me) << me.error().ToString();
    EXPECT_EQ(me->username, "fake_bot");
  }
  EXPECT_EQ(server.accepted(), 1);
  EXPECT_EQ(server.requests().size(), 5u);
}

TEST(ClientTransportTest, ReconnectsWhenTheServerClosedTheIdleConnection) {
  // The first connection answers once (keep-alive, as far as the headers say) and closes.
  FakeServer server([](FakeConnection& c) {
    if (c.index() == 0) {
      if (c.ReadRequest()) c.Write(JsonAnswer(kMe));
      c.Close();
      return;
    }
    while (c.ReadRequest()) c.Write(JsonAnswer(kMe));
  });
  Client bot(kToken, Fast(server.url()));
  ASSERT_TRUE(bot.GetMe());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the close has arrived
  Result<User> again = bot.GetMe();
  ASSERT_TRUE(again) << again.error().ToString();
  ASSERT_TRUE(bot.GetMe());
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(ClientTransportTest, HonoursConnectionClose) {
  std::atomic<int> second_request_on_first{0};
  FakeServer server([&](FakeConnection& c) {
    if (!c.ReadRequest()) return;
    c.Write(JsonAnswer(kMe, 200, /*close=*/true));
    // Left open: a client that ignored "Connection: close" would send its next request here.
    if (c.ReadRequest()) ++second_request_on_first;
  });
  Client bot(kToken, Fast(server.url()));
  ASSERT_TRUE(bot.GetMe());
  Result<User> again = bot.GetMe();
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(second_request_on_first.load(), 0);
}

TEST(ClientTransportTest, ServerDownIsAConnectError) {
  int port = 0;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }  // closed: nothing listens there now
  Client bot(kToken, Fast(Cat({"http://127.0.0.1:", std::to_string(port)})));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kConnect);
  EXPECT_EQ(me.error().error_code, 0);
}

TEST(ClientTransportTest, AConnectionNotAcceptedIsAConnectTimeout) {
  // A listener with a full accept queue: Linux drops further SYNs, so connecting hangs.
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor(ioc);
  const asio::ip::tcp::endpoint local(asio::ip::make_address("127.0.0.1"), 0);
  acceptor.open(local.protocol());
  acceptor.bind(local);
  acceptor.listen(0);
  const asio::ip::tcp::endpoint target = acceptor.local_endpoint();
  std::vector<asio::ip::tcp::socket> fillers;
  for (int i = 0; i < 3; ++i) {
    // Initiating starts the non-blocking connect at once; `ioc` is never run.
    fillers.emplace_back(ioc).async_connect(target, [](const boost::system::error_code&) {});
  }
  ClientOptions o = Fast(Cat({"http://127.0.0.1:", std::to_string(target.port())}));
  o.connect_timeout = std::chrono::milliseconds(300);
  const auto took = ExpectGetMeTimesOut(o, "connect_timeout");
  EXPECT_GE(took, std::chrono::milliseconds(290));
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(ClientTransportTest, NonHttpBytesAreABadReply) {
  FakeServer server([](FakeConnection& c) {
    if (c.ReadRequest()) c.Write("SSH-2.0-OpenSSH_9.2\r\nthis is not http\r\n\r\n");
  });
  Client bot(kToken, Fast(server.url()));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kBadReply);
}

TEST(ClientTransportTest, AnHtmlPageIsABadReplyWithTheHttpStatus) {
  const std::string html = "<html><body>Bad gateway</body></html>";
  FakeServer server([&](FakeConnection& c) {
    int status = 200;
    while (c.ReadRequest()) {
      c.Write(Cat({"HTTP/1.1 ", std::to_string(status), " Whatever\r\nContent-Type: text/html\r\n",
                   "Content-Length: ", std::to_string(html.size()), "\r\n\r\n", html}));
      status = 502;
    }
  });
  Client bot(kToken, Fast(server.url()));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kBadReply);
  EXPECT_EQ(me.error().error_code, 200);
  Result<std::string> link = bot.ExportChatInviteLink(-100);
  ASSERT_FALSE(link);
  ExpectTransport(link.error(), Transport::kBadReply);
  EXPECT_EQ(link.error().error_code, 502);
  EXPECT_NE(link.error().description.find("text/html"), std::string::npos);
}

TEST(ClientTransportTest, JsonWithoutTheEnvelopeOrOfTheWrongTypeIsABadReply) {
  FakeServer server([](FakeConnection& c) {
    const char* answers[] = {
        R"({"hello":"world"})",                     // no envelope
        R"([1,2,3])",                               // not an object
        R"({"ok":true})",                           // no result
        R"({"ok":true,"result":"not a user"})",     // getMe: wrong type
        R"({"ok":true,"result":{"is_bot":true}})",  // getMe: no id
        R"({"ok":true,"result":{"id":"1"}})",       // getMe: id not an integer
        R"({"ok":true,"result":42})",               // exportChatInviteLink: not a string
        R"({"ok":true,"result":{"id":5,"type":"group","title":7}})",  // getChat: title
        R"({"ok":true,"result":{"invite_link":"x","creator":{"id":"no"}}})",
        R"({"ok":true,"result":"yes"})",  // approve: not a bool
    };
    for (const char* answer : answers) {
      if (!c.ReadRequest()) return;
      c.Write(JsonAnswer(answer));
    }
  });
  Client bot(kToken, Fast(server.url()));
  std::vector<Error> errors;
  auto keep = [&](const auto& r) {
    ASSERT_FALSE(r.ok());
    errors.push_back(r.error());
  };
  keep(bot.GetMe());
  keep(bot.GetMe());
  keep(bot.GetMe());
  keep(bot.GetMe());
  keep(bot.GetMe());
  keep(bot.GetMe());
  keep(bot.ExportChatInviteLink(-100));
  keep(bot.GetChat(-100));
  keep(bot.RevokeChatInviteLink(-100, "x"));
  keep(bot.ApproveChatJoinRequest(-100, 5));
  ASSERT_EQ(errors.size(), 10u);
  for (const Error& e : errors) {
    ExpectTransport(e, Transport::kBadReply);
    EXPECT_EQ(e.error_code, 200);
  }
  EXPECT_NE(errors[5].description.find("\"id\""), std::string::npos) << errors[5].description;
  EXPECT_NE(errors[8].description.find("creator.id"), std::string::npos) << errors[8].description;
  EXPECT_EQ(server.accepted(), 1);  // a bad reply does not cost the connection
}

TEST(ClientTransportTest, UnknownFieldsAreIgnoredAndMissingOptionalOnesLeftUnset) {
  FakeServer server(AnswerAll(JsonAnswer(
      R"({"ok":true,"extra":1,"result":{"id":9,"type":"channel","new":{"deep":[null]}}})")));
  Client bot(kToken, Fast(server.url()));
  Result<ChatFullInfo> chat = bot.GetChat(9);
  ASSERT_TRUE(chat) << chat.error().ToString();
  EXPECT_EQ(chat->id, 9);
  EXPECT_EQ(chat->type, "channel");
  EXPECT_EQ(chat->title, "");
  EXPECT_TRUE(chat->active_usernames.empty());
}

TEST(ClientTransportTest, AnErrorEnvelopeIsAnApiErrorWhateverTheStatus) {
  FakeServer server(
      AnswerAll(JsonAnswer(R"({"ok":false,"error_code":400,"description":"Bad Request: x",)"
                           R"("parameters":{"retry_after":3,"migrate_to_chat_id":-1001}})",
                           400)));
  Client bot(kToken, Fast(server.url()));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  EXPECT_TRUE(me.error().is_api());
  EXPECT_EQ(me.error().error_code, 400);
  EXPECT_EQ(me.error().retry_after, 3);
  EXPECT_EQ(me.error().migrate_to_chat_id, -1001);
  // Not followed: follow_migration is off by default.
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ClientTransportTest, NoAnswerIsATimeout) {
  FakeServer server([](FakeConnection& c) {
    if (c.ReadRequest()) c.WaitForStop();
  });
  ClientOptions o = Fast(server.url());
  o.request_timeout = std::chrono::milliseconds(300);
  const auto took = ExpectGetMeTimesOut(o, "");
  EXPECT_GE(took, std::chrono::milliseconds(290));
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(ClientTransportTest, NoTlsHandshakeIsAConnectTimeout) {
  FakeServer server([](FakeConnection& c) { c.WaitForStop(); });
  ClientOptions o = Fast(Cat({"https://127.0.0.1:", std::to_string(server.port())}));
  o.connect_timeout = std::chrono::milliseconds(300);
  const auto took = ExpectGetMeTimesOut(o, "connect_timeout");
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(ClientTransportTest, ClosedRightAfterAcceptIsClosed) {
  FakeServer server([](FakeConnection& c) { c.Close(); });
  Client bot(kToken, Fast(server.url()));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kClosed);
  EXPECT_EQ(server.accepted(), 1);  // a new connection is not tried again
}

TEST(ClientTransportTest, ClosedInTheMiddleOfTheAnswerIsClosed) {
  FakeServer server([](FakeConnection& c) {
    if (c.ReadRequest()) {
      c.Write(
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
          "100\r\n\r\n{\"ok\"");
    }
  });
  Client bot(kToken, Fast(server.url()));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kClosed);
}

TEST(ClientTransportTest, UnusableUrlsAreBadUrl) {
  for (const char* url :
       {"ftp://x", "not a url", "http://", "https://host:99999", "api.telegram.org",
        "http://h/p?q=1", "http://user@h/", "http://h:0/", "http://h:80x/", "http://[::1/"}) {
    Client bot(kToken, Fast(url));
    Result<User> me = bot.GetMe();
    ASSERT_FALSE(me) << url;
    SCOPED_TRACE(url);
    ExpectTransport(me.error(), Transport::kBadUrl);
  }
}

TEST(ClientTransportTest, AnUnknownHostIsADnsError) {
  // ".invalid" never resolves (RFC 2606). A resolver that answers says so at once; on a machine
  // with no reachable resolver getaddrinfo gives up by itself, which is still kDns as long as it
  // does so within connect_timeout.
  ClientOptions o = Fast("http://does-not-exist.invalid:8081");
  o.connect_timeout = std::chrono::seconds(20);
  Client bot(kToken, o);
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kDns);
  EXPECT_NE(me.error().description.find("does-not-exist.invalid"), std::string::npos);
}

TEST(ClientTransportTest, TheTokenIsScrubbedFromWhatServersSay) {
  FakeServer server(AnswerAll(
      JsonAnswer(Cat({R"({"ok":false,"error_code":401,"description":"Unauthorized: )", kToken,
                      " or ", kSecret, R"( or 123456%3ASecretSecretSecretSecret_-xyz"})"}),
                 401)));
  Client bot(kToken, Fast(server.url()));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  EXPECT_TRUE(me.error().is_api());
  EXPECT_EQ(me.error().description, "Unauthorized: <token> or <token> or <token>");
  ExpectNoToken(me.error());
}

TEST(ClientTransportTest, NoErrorKindShowsTheToken) {
  std::vector<Error> errors;
  auto keep = [&](Client&& bot) {
    Result<User> me = bot.GetMe();
    ASSERT_FALSE(me);
    errors.push_back(me.error());
  };
  // The token in the URL's place too, for bad URLs.
  keep(Client(kToken, Fast(Cat({"ftp://", kSecret, "/"}))));
  keep(Client(kToken, Fast(Cat({"http://", kSecret, ".invalid/"}))));
  FakeServer closing([](FakeConnection& c) { c.Close(); });
  keep(Client(kToken, Fast(closing.url())));
  FakeServer silent([](FakeConnection& c) { c.WaitForStop(); });
  ClientOptions quick = Fast(silent.url());
  quick.request_timeout = std::chrono::milliseconds(200);
  keep(Client(kToken, quick));
  // An HTML page that shows the request path with the token.
  FakeServer echo([](FakeConnection& c) {
    while (auto request = c.ReadRequest()) {
      const std::string line = request->substr(0, request->find("\r\n"));
      c.Write(Cat({"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: ",
                   std::to_string(line.size()), "\r\n\r\n", line}));
    }
  });
  keep(Client(kToken, Fast(echo.url())));
  // Plain HTTP where TLS was expected.
  FakeServer plain([](FakeConnection& c) { c.Write("HTTP/1.1 400 Bad Request\r\n\r\n"); });
  keep(Client(kToken, Fast(Cat({"https://127.0.0.1:", std::to_string(plain.port())}))));
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0].transport, Transport::kBadUrl);
  EXPECT_EQ(errors[1].transport, Transport::kDns);
  EXPECT_EQ(errors[2].transport, Transport::kClosed);
  EXPECT_EQ(errors[3].transport, Transport::kTimeout);
  EXPECT_EQ(errors[4].transport, Transport::kBadReply);
  EXPECT_EQ(errors[4].error_code, 404);
  EXPECT_EQ(errors[5].transport, Transport::kTls);
  for (const Error& e : errors) ExpectNoToken(e);
}

TEST(ClientTransportTest, AMovedFromClientAnswersAnError) {
  FakeServer server(AnswerAll(JsonAnswer(kMe)));
  Client first(kToken, Fast(server.url()));
  Client second = std::move(first);
  ASSERT_TRUE(second.GetMe());
  Result<User> me = first.GetMe();  // NOLINT(bugprone-use-after-move): defined behaviour here
  ASSERT_FALSE(me);
  EXPECT_TRUE(me.error().is_transport());
  Client third(kToken, Fast("http://127.0.0.1:1"));
  third = std::move(second);
  ASSERT_TRUE(third.GetMe());
  EXPECT_EQ(server.accepted(), 1);  // the connection moved with the client
}

TEST(ClientTransportTest, TransportNamesAndToString) {
  EXPECT_STREQ(TransportName(Transport::kNone), "none");
  EXPECT_STREQ(TransportName(Transport::kBadUrl), "bad-url");
  EXPECT_STREQ(TransportName(Transport::kDns), "dns");
  EXPECT_STREQ(TransportName(Transport::kConnect), "connect");
  EXPECT_STREQ(TransportName(Transport::kTls), "tls");
  EXPECT_STREQ(TransportName(Transport::kTimeout), "timeout");
  EXPECT_STREQ(TransportName(Transport::kClosed), "closed");
  EXPECT_STREQ(TransportName(Transport::kBadReply), "bad-reply");
  Error api;
  api.kind = Error::Kind::kApi;
  api.error_code = 400;
  api.description = "Bad Request: chat not found";
  EXPECT_EQ(api.ToString(), "Bad Request: chat not found (400)");
  Error t;
  t.transport = Transport::kTimeout;
  t.description = "reading\nthe answer";
  EXPECT_EQ(t.ToString(), "transport (timeout): reading the answer");
  EXPECT_EQ(ChatId(-100).ToString(), "-100");
  EXPECT_EQ(ChatId("@x").ToString(), "@x");
}

// TLS with a certificate made for the test.
class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : tls_(boost::asio::ssl::context::tls_server), server_([this](FakeConnection& c) {
          boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(c.socket(), tls_);
          boost::system::error_code ec;
          stream.handshake(boost::asio::ssl::stream_base::server, ec);
          if (ec) return;
          std::string request;
          char chunk[4096];
          while (request.find("\r\n\r\n") == std::string::npos) {
            const std::size_t n = stream.read_some(boost::asio::buffer(chunk), ec);
            if (ec) return;
            request.append(chunk, n);
          }
          boost::asio::write(stream, boost::asio::buffer(JsonAnswer(kMe, 200, true)), ec);
          stream.shutdown(ec);
        }) {
    tls_.use_certificate_chain_file(cert_.cert_file().string());
    tls_.use_private_key_file(cert_.key_file().string(), boost::asio::ssl::context::pem);
  }

  std::string Url(const char* host) const {
    return Cat({"https://", host, ":", std::to_string(server_.port())});
  }

  testing::TestCertificate cert_;
  boost::asio::ssl::context tls_;
  FakeServer server_;
};

TEST_F(TlsTest, AnUntrustedCertificateIsATlsError) {
  Client bot(kToken, Fast(Url("localhost")));
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kTls);
  EXPECT_NE(me.error().description.find("certificate"), std::string::npos)
      << me.error().description;
}

TEST_F(TlsTest, ATrustedCertificateForTheHostWorks) {
  ClientOptions o = Fast(Url("localhost"));
  o.ca_file = cert_.cert_file().string();
  Client bot(kToken, o);
  Result<User> me = bot.GetMe();
  ASSERT_TRUE(me) << me.error().ToString();
  EXPECT_EQ(me->username, "fake_bot");
}

TEST_F(TlsTest, ATrustedCertificateForAnotherHostIsATlsError) {
  ClientOptions o = Fast(Url("127.0.0.1"));  // the certificate names only "localhost"
  o.ca_file = cert_.cert_file().string();
  Client bot(kToken, o);
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kTls);
  EXPECT_NE(me.error().description.find("mismatch"), std::string::npos) << me.error().description;
}

TEST_F(TlsTest, AMissingCaFileIsATlsError) {
  ClientOptions o = Fast(Url("localhost"));
  o.ca_file = "/nonexistent/ca.pem";
  Client bot(kToken, o);
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  ExpectTransport(me.error(), Transport::kTls);
  EXPECT_EQ(server_.accepted(), 0);
}

}  // namespace
}  // namespace tginvite
