// Drives a real Server over loopback sockets with a small blocking client.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tgi::http {
namespace {

struct RawResponse {
  bool ok = false;  // A whole response was read.
  int status = 0;
  std::string head;  // Status line and headers, up to and including the blank line.
  std::string body;
  std::string Header(std::string_view name) const {
    std::string needle = "\r\n" + std::string(name) + ": ";
    size_t at = head.find(needle);
    if (at == std::string::npos) return "<none>";
    size_t start = at + needle.size();
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

class TestClient {
 public:
  explicit TestClient(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{20, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~TestClient() { Close(); }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return connected_; }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  RawResponse Read() {
    RawResponse r;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return r;
    }
    r.head = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    if (r.head.size() < 12) return r;
    r.status = std::stoi(r.head.substr(9, 3));
    std::string length = r.Header("Content-Length");
    size_t n = length == "<none>" ? 0 : std::stoul(length);
    while (buffer_.size() < n) {
      if (!Fill()) return r;
    }
    r.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
    r.ok = true;
    return r;
  }

  RawResponse Roundtrip(std::string_view request) {
    if (!Send(request)) return {};
    return Read();
  }

  // True if the server closed the connection (EOF or reset) with nothing more to read.
  bool ServerClosed() {
    if (!buffer_.empty()) return false;
    char c;
    ssize_t n = recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// Prints what the handler saw: "METHOD path [abs]\nname=value\n..."
void Echo(Request&& request, Respond respond) {
  Response response;
  response.content_type = "text/plain";
  response.body = request.method + " " + request.path + (request.absolute_uri ? " abs" : "") + "\n";
  for (const Param& p : request.params.items()) response.body += p.name + "=" + p.value + "\n";
  respond(std::move(response));
}

class RunningServer {
 public:
  explicit RunningServer(Handler handler, ServerOptions options = {}) {
    options.port = 0;
    options.handle_signals = false;
    server_ = std::make_unique<Server>(options, std::move(handler));
    Status status = server_->Start();
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~RunningServer() { StopAndJoin(); }

  uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  void StopAndJoin() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// Handlers that keep their Respond for the test to call later.
class PendingResponds {
 public:
  Handler MakeHandler() {
    return [this](Request&& request, Respond respond) {
      std::lock_guard<std::mutex> lock(mu_);
      paths_.push_back(request.path);
      queue_.push_back(std::move(respond));
      cv_.notify_all();
    };
  }
  Respond Take() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !queue_.empty(); });
    Respond r = std::move(queue_.front());
    queue_.pop_front();
    return r;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Respond> queue_;
  std::vector<std::string> paths_;
};

std::string Gzip(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Post(std::string_view target, std::string_view type, std::string_view body,
                 std::string_view extra = "") {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: x\r\nContent-Type: " + std::string(type) + "\r\n" +
         std::string(extra) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

void ExpectEmptyAndClosed(TestClient& client, const RawResponse& r, int status) {
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.Header("Content-Type"), "<none>");
  EXPECT_EQ(r.Header("Content-Length"), "0");
  EXPECT_TRUE(client.ServerClosed());
}

TEST(ServerTest, GetAndPostWithExactHeaders) {
  RunningServer server(Echo);
  TestClient client(server.port());
  ASSERT_TRUE(client.connected());
  RawResponse r = client.Roundtrip("GET /bot1:x/get%4De?a=1&b=x+y&c HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(r.ok);
  std::string body = "GET /bot1:x/getMe\na=1\nb=x y\nc=\n";
  EXPECT_EQ(r.head,
            "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: text/plain\r\n"
            "Content-Length: " +
                std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(r.body, body);

  r = client.Roundtrip(Post("/a+b%2Fc", "application/x-www-form-urlencoded", "x=1&y=%41"));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.body, "POST /a+b/c\nx=1\ny=A\n");
}

TEST(ServerTest, SharedBodyPartsFollowTheBodyAndCountInContentLength) {
  // More parts than one writev takes, some empty, one bigger than a socket buffer.
  std::vector<SharedText> parts;
  for (int i = 0; i < 300; ++i) parts.emplace_back(i % 7 == 0 ? "" : std::to_string(i) + ",");
  parts.emplace_back(std::string(3 << 20, 'z'));
  std::string want = "head:";
  for (const SharedText& p : parts) want += p.view();
  RunningServer server([parts, size = want.size()](Request&&, Respond respond) {
    Response r{.status = 200, .body = "head:", .content_type = "text/plain"};
    r.body_parts = parts;
    EXPECT_EQ(BodySize(r), size);
    respond(std::move(r));
  });
  TestClient client(server.port());
  for (int i = 0; i < 2; ++i) {  // twice on one connection: the parts are not used up
    RawResponse r = client.Roundtrip("GET /parts HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.Header("Content-Length"), std::to_string(want.size()));
    EXPECT_EQ(r.body.size(), want.size());
    EXPECT_TRUE(r.body == want);
  }
  // An answer of parts only (an empty body).
  RunningServer only([](Request&&, Respond respond) {
    respond(Response{.body_parts = {SharedText("a"), SharedText("b")}});
  });
  TestClient other(only.port());
  RawResponse r = other.Roundtrip("GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.body, "ab");
  EXPECT_EQ(r.Header("Content-Length"), "2");
}

TEST(ServerTest, QueryComesBeforeBody) {
  RunningServer server(Echo);
  TestClient client(server.port());
  RawResponse r = client.Roundtrip(Post("/m?chat_id=-1001111111111", "application/json",
                                        R"({"chat_id":-1002222222222,"name":"a","name":"b"})"));
  EXPECT_EQ(r.body, "POST /m\nchat_id=-1001111111111\nchat_id=-1002222222222\nname=a\nname=b\n");

  std::string multipart =
      "--B\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nv1\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nfile\r\n--B--\r\n";
  r = client.Roundtrip(Post("/m?q=0", "multipart/form-data; boundary=B", multipart));
  EXPECT_EQ(r.body, "POST /m\nq=0\nt=v1\n");

  // Unknown content type: the body gives no parameters, and no error.
  r = client.Roundtrip(Post("/m?q=0", "text/plain", "a=1"));
  EXPECT_EQ(r.body, "POST /m\nq=0\n");
  // A GET with a body is read too.
  r = client.Roundtrip(
      "GET /g HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
  EXPECT_EQ(r.body, "GET /g\na=1\n");
}

TEST(ServerTest, KeepAliveAndPipelining) {
  RunningServer server(Echo);
  TestClient client(server.port());
  for (int i = 0; i < 5; ++i) {
    RawResponse r = client.Roundtrip("GET /r" + std::to_string(i) + " HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.body, "GET /r" + std::to_string(i) + "\n");
    EXPECT_EQ(r.Header("Connection"), "keep-alive");
  }
  ASSERT_TRUE(
      client.Send("GET /p1 HTTP/1.1\r\n\r\nGET /p2 HTTP/1.1\r\n\r\nGET /p3 HTTP/1.1\r\n"
                  "Connection: close\r\n\r\n"));
  EXPECT_EQ(client.Read().body, "GET /p1\n");
  EXPECT_EQ(client.Read().body, "GET /p2\n");
  RawResponse last = client.Read();
  EXPECT_EQ(last.body, "GET /p3\n");
  EXPECT_EQ(last.Header("Connection"), "close");
  EXPECT_TRUE(client.ServerClosed());
}

TEST(ServerTest, Http10ClosesUnlessKeepAlive) {
  RunningServer server(Echo);
  TestClient a(server.port());
  RawResponse r = a.Roundtrip("GET /x HTTP/1.0\r\n\r\n");
  EXPECT_EQ(r.Header("Connection"), "close");
  EXPECT_TRUE(a.ServerClosed());

  TestClient b(server.port());
  r = b.Roundtrip("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(r.Header("Connection"), "keep-alive");
  r = b.Roundtrip("GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(r.body, "GET /y\n");
}

TEST(ServerTest, AbsoluteUri) {
  RunningServer server(Echo);
  TestClient client(server.port());
  RawResponse r = client.Roundtrip("GET http://api.example/bot1%3Ax/getMe?a=1 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.body, "GET /bot1:x/getMe abs\na=1\n");
}

TEST(ServerTest, ProtocolErrorsGetEmptyBodiesAndClose) {
  RunningServer server(Echo);
  struct Case {
    std::string request;
    int status;
  } cases[] = {
      {"PUT /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 501},
      {"HEAD /x HTTP/1.1\r\n\r\n", 501},
      {"get /x HTTP/1.1\r\n\r\n", 501},
      {"GET /x HTTP/2.0\r\n\r\n", 505},
      {"GET /x HTTP/1.2\r\n\r\n", 505},
      {"GET /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"GARBAGE\r\n\r\n", 400},
      {"GET /x HTTP/1.1\r\nBad Header\r\n\r\n", 400},
      {"GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400},
      {"GET /x HTTP/1.1\r\nContent-Length: 4294967295\r\n\r\n", 413},
      {Post("/x", "application/json", "{}", "Content-Encoding: br\r\n"), 415},
      {Post("/x", "application/json", "notgzip", "Content-Encoding: gzip\r\n"), 400},
      {Post("/x", "multipart/form-data", "--b--"), 400},
      {"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.request);
    TestClient client(server.port());
    RawResponse r = client.Roundtrip(c.request);
    ExpectEmptyAndClosed(client, r, c.status);
  }
}

TEST(ServerTest, HeaderLimit) {
  RunningServer server(Echo);
  TestClient client(server.port());
  std::string request = "GET /x HTTP/1.1\r\nX-Big: " + std::string(300 * 1024, 'a') + "\r\n\r\n";
  RawResponse r = client.Roundtrip(request);
  ExpectEmptyAndClosed(client, r, 431);
  EXPECT_EQ(r.head,
            "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(ServerTest, ParamLimit) {
  RunningServer server(Echo);
  {
    TestClient client(server.port());
    std::string body = "a=" + std::string((1 << 20) - 1, 'x');  // Exactly 1 MiB of text.
    RawResponse r = client.Roundtrip(Post("/x", "application/x-www-form-urlencoded", body));
    EXPECT_EQ(r.status, 200);
  }
  {
    TestClient client(server.port());
    std::string body = "a=" + std::string(1 << 20, 'x');
    RawResponse r = client.Roundtrip(Post("/x", "application/x-www-form-urlencoded", body));
    ExpectEmptyAndClosed(client, r, 413);
  }
  {
    TestClient client(server.port());
    std::string body = R"({"a":")" + std::string(1 << 20, 'x') + "\"}";
    RawResponse r = client.Roundtrip(Post("/x?q=1", "application/json", body));
    ExpectEmptyAndClosed(client, r, 413);
  }
}

TEST(ServerTest, BodyLimit) {
  ServerOptions options;
  options.body_limit = 1000;
  RunningServer server(Echo, options);
  TestClient a(server.port());
  ExpectEmptyAndClosed(a, a.Roundtrip(Post("/x", "text/plain", std::string(1001, 'x'))), 413);
  TestClient b(server.port());
  std::string chunked = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "1f4\r\n" + std::string(500, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  ExpectEmptyAndClosed(b, b.Roundtrip(chunked), 413);
  // A small body inflating past the limit.
  TestClient c(server.port());
  std::string gz = Gzip("a=" + std::string(5000, 'z'));
  ExpectEmptyAndClosed(c,
                       c.Roundtrip(Post("/x", "application/x-www-form-urlencoded", gz,
                                        "Content-Encoding: gzip\r\n")),
                       413);
}

TEST(ServerTest, ExpectContinue) {
  RunningServer server(Echo);
  TestClient client(server.port());
  ASSERT_TRUE(
      client.Send("POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Type: "
                  "application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\n"));
  RawResponse cont = client.Read();
  ASSERT_TRUE(cont.ok);
  EXPECT_EQ(cont.head, "HTTP/1.1 100 Continue\r\n\r\n");
  RawResponse r = client.Roundtrip("a=1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "POST /x\na=1\n");
}

TEST(ServerTest, GzipAndChunkedBodies) {
  RunningServer server(Echo);
  TestClient client(server.port());
  RawResponse r = client.Roundtrip(
      Post("/x", "application/json", Gzip(R"({"chat_id":-5})"), "Content-Encoding: gzip\r\n"));
  EXPECT_EQ(r.body, "POST /x\nchat_id=-5\n");
  r = client.Roundtrip(
      "POST /y HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Transfer-Encoding: chunked\r\n\r\n3\r\na=1\r\n4\r\n&b=2\r\n0\r\n\r\n");
  EXPECT_EQ(r.body, "POST /y\na=1\nb=2\n");
}

TEST(ServerTest, ExtraHeadersOrderAndNoContentType) {
  RunningServer server([](Request&&, Respond respond) {
    Response r;
    r.status = 429;
    r.body = "{}";
    r.extra_headers = {{"Retry-After", "17"}, {"Bad", "x\r\nInjected: 1"}};
    respond(std::move(r));
  });
  TestClient client(server.port());
  RawResponse r = client.Roundtrip("GET /x HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.head,
            "HTTP/1.1 429 Too Many Requests\r\nConnection: keep-alive\r\n"
            "Content-Type: application/json\r\nRetry-After: 17\r\nContent-Length: 2\r\n\r\n");

  RunningServer bare([](Request&&, Respond respond) {
    Response r;
    r.content_type.clear();
    respond(std::move(r));
  });
  TestClient c2(bare.port());
  r = c2.Roundtrip("GET /x HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.head, "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
}

TEST(ServerTest, HandlerExceptionAndDroppedRespondGive500) {
  RunningServer server([](Request&& request, Respond respond) {
    if (request.path == "/throw") throw std::runtime_error("boom");
    if (request.path == "/drop") return;
    respond(Response{});
  });
  TestClient client(server.port());
  for (std::string path : {"/throw", "/drop"}) {
    RawResponse r = client.Roundtrip("GET " + path + " HTTP/1.1\r\n\r\n");
    EXPECT_EQ(r.status, 500) << path;
    EXPECT_EQ(r.body, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})");
    EXPECT_EQ(r.Header("Connection"), "keep-alive");
  }
  EXPECT_EQ(client.Roundtrip("GET /ok HTTP/1.1\r\n\r\n").status, 200);
}

TEST(ServerTest, RespondLaterFromAnotherThread) {
  PendingResponds pending;
  RunningServer server(pending.MakeHandler());
  TestClient client(server.port());
  ASSERT_TRUE(client.Send("GET /later HTTP/1.1\r\n\r\n"));
  Respond respond = pending.Take();
  std::thread other([&] {
    Response r;
    r.body = "late";
    respond(std::move(r));
    respond(Response{});  // A second call is ignored.
  });
  other.join();
  RawResponse r = client.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "late");
}

TEST(ServerTest, ClientGoneBeforeDelayedRespond) {
  PendingResponds pending;
  RunningServer server(pending.MakeHandler());
  {
    TestClient client(server.port());
    ASSERT_TRUE(client.Send("GET /a HTTP/1.1\r\n\r\n"));
    Respond respond = pending.Take();
    client.Close();
    Response big;
    big.body = std::string(1 << 20, 'x');
    respond(std::move(big));
  }
  // The server still works.
  TestClient client(server.port());
  ASSERT_TRUE(client.Send("GET /b HTTP/1.1\r\n\r\n"));
  pending.Take()(Response{});
  EXPECT_EQ(client.Read().status, 200);
}

TEST(ServerTest, RespondAfterServerIsGone) {
  PendingResponds pending;
  ServerOptions options;
  options.stop_grace = std::chrono::seconds(1);
  auto server = std::make_unique<RunningServer>(pending.MakeHandler(), options);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send("GET /a HTTP/1.1\r\n\r\n"));
  Respond respond = pending.Take();
  server->StopAndJoin();  // Force-closes the busy connection after the grace period.
  EXPECT_TRUE(client.ServerClosed());
  server.reset();
  respond(Response{});  // Dropped, no crash.
}

TEST(ServerTest, StopClosesIdleConnectionsAndReturns) {
  RunningServer server(Echo);
  TestClient used(server.port());
  EXPECT_EQ(used.Roundtrip("GET /x HTTP/1.1\r\n\r\n").status, 200);
  TestClient silent(server.port());
  server.StopAndJoin();
  EXPECT_TRUE(used.ServerClosed());
  EXPECT_TRUE(silent.ServerClosed());
}

TEST(ServerTest, StopLetsBusyRequestFinishWithClose) {
  PendingResponds pending;
  RunningServer server(pending.MakeHandler());
  TestClient client(server.port());
  ASSERT_TRUE(client.Send("GET /busy HTTP/1.1\r\n\r\n"));
  Respond respond = pending.Take();
  server.server().Stop();
  Response response;
  response.body = "done";
  respond(std::move(response));
  RawResponse r = client.Read();
  EXPECT_EQ(r.body, "done");
  EXPECT_EQ(r.Header("Connection"), "close");
  EXPECT_TRUE(client.ServerClosed());
  server.StopAndJoin();
}

TEST(ServerTest, TimeoutsCloseConnections) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  options.header_timeout = std::chrono::seconds(1);
  options.body_timeout = std::chrono::seconds(1);
  RunningServer server(Echo, options);
  TestClient idle(server.port());
  EXPECT_EQ(idle.Roundtrip("GET /x HTTP/1.1\r\n\r\n").status, 200);
  TestClient slow_header(server.port());
  ASSERT_TRUE(slow_header.Send("GET /x HTTP/1.1\r\nX-Slow: "));
  TestClient slow_body(server.port());
  std::string partial = Post("/x", "text/plain", "abc");
  ASSERT_TRUE(slow_body.Send(partial.substr(0, partial.size() - 2)));  // Headers and "a".
  // Each is closed without a response.
  EXPECT_TRUE(idle.ServerClosed());
  EXPECT_TRUE(slow_header.ServerClosed());
  EXPECT_TRUE(slow_body.ServerClosed());
}

// At the limit a new connection closes the one that has waited longest for a request (here one
// that never sent a byte), not one that just made a request.
TEST(ServerTest, MaxConnectionsClosesTheConnectionIdleLongest) {
  ServerOptions options;
  options.max_connections = 2;
  options.threads = 1;
  RunningServer server(Echo, options);
  TestClient silent(server.port());
  TestClient used(server.port());
  EXPECT_EQ(used.Roundtrip("GET /x HTTP/1.1\r\n\r\n").status, 200);  // both accepted by now
  TestClient third(server.port());
  EXPECT_EQ(third.Roundtrip("GET /y HTTP/1.1\r\n\r\n").status, 200);
  EXPECT_TRUE(silent.ServerClosed());
  EXPECT_EQ(used.Roundtrip("GET /z HTTP/1.1\r\n\r\n").status, 200);
}

// With no connection idle, the new one is closed and the busy one finishes.
TEST(ServerTest, MaxConnectionsWithNoneIdleClosesTheNewOne) {
  PendingResponds pending;
  ServerOptions options;
  options.max_connections = 1;
  options.threads = 1;
  RunningServer server(pending.MakeHandler(), options);
  TestClient busy(server.port());
  ASSERT_TRUE(busy.Send("GET /busy HTTP/1.1\r\n\r\n"));
  Respond respond = pending.Take();
  TestClient second(server.port());
  EXPECT_TRUE(second.ServerClosed());
  Response response;
  response.body = "done";
  respond(std::move(response));
  EXPECT_EQ(busy.Read().body, "done");
}

TEST(ServerTest, StartFailsOnPortInUse) {
  RunningServer first(Echo);
  ServerOptions options;
  options.port = first.port();
  options.threads = 1;
  options.handle_signals = false;
  Server second(options, Echo);
  Status status = second.Start();
  EXPECT_FALSE(status.ok());
}

TEST(ServerTest, StartFailsOnPortSharedWithReusePort) {
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.handle_signals = false;
  Server first(options, Echo);
  ASSERT_TRUE(first.Start().ok());
  options.port = first.port();
  Server second(options, Echo);
  EXPECT_FALSE(second.Start().ok());
}

TEST(ServerTest, StartThenDestroyWithoutRun) {
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  auto server = std::make_unique<Server>(options, Echo);
  ASSERT_TRUE(server->Start().ok());
  TestClient client(server->port());  // Queued in the backlog, never accepted.
  server.reset();
}

TEST(ServerTest, StopBeforeRunReturnsAtOnce) {
  ServerOptions options;
  options.port = 0;
  options.handle_signals = true;
  Server server(options, Echo);
  ASSERT_TRUE(server.Start().ok());
  server.Stop();
  server.Stop();
  server.Run();
}

TEST(ServerTest, ThousandConcurrentKeepAliveConnections) {
  RunningServer server(Echo);
  constexpr int kClients = 1000;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<TestClient>(server.port()));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kClients; ++i) {
      ASSERT_TRUE(clients[i]->Send("GET /c" + std::to_string(i) + " HTTP/1.1\r\n\r\n"));
    }
    for (int i = 0; i < kClients; ++i) {
      RawResponse r = clients[i]->Read();
      ASSERT_TRUE(r.ok) << i;
      EXPECT_EQ(r.body, "GET /c" + std::to_string(i) + "\n");
      EXPECT_EQ(r.Header("Connection"), "keep-alive");
    }
  }
}

}  // namespace
}  // namespace tgi::http
