// LoadServerTls's checks of its files, and a real Server speaking HTTPS to a blocking OpenSSL
// client that verifies it against the test's own CA (common/certs.h).
#include "http/tls.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/certs.h"
#include "http/server.h"

namespace tgi::http {
namespace {

// A CA, a certificate it signs for 127.0.0.1 and localhost, and both in files.
class TlsFiles : public ::testing::Test {
 protected:
  TlsFiles() {
    char templ[] = "/tmp/tginvite-http-tls-XXXXXX";
    dir_ = ::mkdtemp(templ);
    ca_ = *certs::MakeCa("http test CA", 1);
    std::vector<std::string> names = {"127.0.0.1", "localhost"};
    leaf_ = *certs::IssueServerCert(ca_, names, 1);
    Write("cert.pem", leaf_.cert);
    Write("key.pem", leaf_.key);
    Write("ca-key.pem", ca_.key);
  }
  ~TlsFiles() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(Path(name), std::ios::binary) << text;
  }

  std::string dir_;
  certs::KeyPair ca_;
  certs::KeyPair leaf_;
};

TEST_F(TlsFiles, GoodFilesLoad) {
  auto loaded = LoadServerTls(Path("cert.pem"), Path("key.pem"));
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
}

TEST_F(TlsFiles, EachBadFileIsNamedWithWhatIsWrong) {
  auto missing = LoadServerTls(Path("none.pem"), Path("key.pem"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot read the TLS certificate file " + Path("none.pem") +
                                         ": No such file or directory");
  auto no_cert = LoadServerTls(Path("key.pem"), Path("key.pem"));
  ASSERT_FALSE(no_cert.ok());
  EXPECT_EQ(no_cert.error().message, "the TLS certificate file " + Path("key.pem") +
                                         " holds no usable PEM certificate: no start line");
  auto no_key_file = LoadServerTls(Path("cert.pem"), Path("none.pem"));
  ASSERT_FALSE(no_key_file.ok());
  EXPECT_EQ(no_key_file.error().message,
            "cannot read the TLS key file " + Path("none.pem") + ": No such file or directory");
  auto no_key = LoadServerTls(Path("cert.pem"), Path("cert.pem"));
  ASSERT_FALSE(no_key.ok());
  EXPECT_TRUE(no_key.error().message.starts_with(
      "the TLS key file " + Path("cert.pem") +
      " holds no usable PEM private key (it must not be encrypted): "))
      << no_key.error().message;
  auto mismatch = LoadServerTls(Path("cert.pem"), Path("ca-key.pem"));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().message, "the TLS key file " + Path("ca-key.pem") +
                                          " is not the key of the certificate in " +
                                          Path("cert.pem"));
  // No file content in any message.
  for (const auto* r : {&no_cert, &no_key, &mismatch})
    EXPECT_EQ(r->error().message.find("BEGIN"), std::string::npos);
}

// A TCP socket connected to 127.0.0.1:port, reads timing out after 20 s; -1 if the connect failed.
int ConnectLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) return fd;
  ::close(fd);
  return -1;
}

// A blocking TLS client over loopback that trusts only `ca_pem` and checks the host 127.0.0.1.
class TlsClient {
 public:
  TlsClient(uint16_t port, const std::string& ca_pem) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    BIO* bio = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
    X509* ca = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx_), ca);
    X509_free(ca);
    BIO_free(bio);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    fd_ = ConnectLoopback(port);
    if (fd_ < 0) return;
    ssl_ = SSL_new(ctx_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    SSL_set_fd(ssl_, fd_);
    handshake_ok_ = SSL_connect(ssl_) == 1;
  }
  ~TlsClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
    SSL_CTX_free(ctx_);
  }

  bool handshake_ok() const { return handshake_ok_; }

  // Sends `request` and reads one response with a Content-Length; "" on failure.
  std::string Roundtrip(const std::string& request) {
    if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) return "";
    for (;;) {
      size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t at = buffer_.find("Content-Length: ");
        size_t length = std::stoul(buffer_.substr(at + 16));
        if (buffer_.size() >= end + 4 + length) {
          std::string response = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return response;
        }
      }
      char chunk[4096];
      int n = SSL_read(ssl_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool handshake_ok_ = false;
  std::string buffer_;
};

TEST_F(TlsFiles, AServerWithTlsAnswersOverItOnAKeptAliveConnection) {
  auto tls = LoadServerTls(Path("cert.pem"), Path("key.pem"));
  ASSERT_TRUE(tls.ok()) << tls.error().message;
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  options.tls = *tls;
  Server server(options, [](Request&& request, Respond respond) {
    Response response;
    response.content_type = "text/plain";
    response.body = request.method + " " + request.path;
    respond(std::move(response));
  });
  ASSERT_TRUE(server.Start().ok());
  std::thread runner([&] { server.Run(); });
  {
    TlsClient client(server.port(), ca_.cert);
    ASSERT_TRUE(client.handshake_ok());
    std::string first = client.Roundtrip("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(first.starts_with("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n")) << first;
    EXPECT_TRUE(first.ends_with("\r\n\r\nGET /one")) << first;
    std::string second =
        client.Roundtrip("POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    EXPECT_TRUE(second.ends_with("\r\n\r\nPOST /two")) << second;
    // A client trusting another CA fails its handshake; the server goes on.
    auto other = certs::MakeCa("other CA", 1);
    TlsClient stranger(server.port(), other->cert);
    EXPECT_FALSE(stranger.handshake_ok());
    std::string third = client.Roundtrip("GET /three HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(third.ends_with("\r\n\r\nGET /three")) << third;
  }
  server.Stop();
  runner.join();
}

// A TCP connection to 127.0.0.1:port that sends nothing: for the server, a TLS handshake that
// never starts. Closed() tells whether the server closed it (within 20 s).
class SilentConnection {
 public:
  explicit SilentConnection(uint16_t port) : fd_(ConnectLoopback(port)) {}
  ~SilentConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return fd_ >= 0; }
  bool Closed() {
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);  // EOF or reset
  }

 private:
  int fd_ = -1;
};

TEST_F(TlsFiles, AConnectionInItsHandshakeIsIdleForTheLimitAndForStop) {
  auto tls = LoadServerTls(Path("cert.pem"), Path("key.pem"));
  ASSERT_TRUE(tls.ok()) << tls.error().message;
  ServerOptions options;
  options.port = 0;
  options.threads = 1;  // one acceptor: connections are taken in the order they were made
  options.handle_signals = false;
  options.max_connections = 1;
  options.tls = *tls;
  Server server(options, [](Request&& request, Respond respond) {
    respond(Response{.body = request.path, .content_type = "text/plain"});
  });
  ASSERT_TRUE(server.Start().ok());
  std::thread runner([&] { server.Run(); });
  struct Joiner {  // a failed ASSERT still stops the server and joins its thread
    Server& server;
    std::thread& thread;
    ~Joiner() {
      if (!thread.joinable()) return;
      server.Stop();
      thread.join();
    }
  } joiner{server, runner};
  {
    // At max_connections, a connection still waiting for its handshake makes room for a new one,
    // as one waiting for its first request does.
    SilentConnection waiting(server.port());
    ASSERT_TRUE(waiting.connected());
    TlsClient client(server.port(), ca_.cert);
    ASSERT_TRUE(client.handshake_ok());
    EXPECT_TRUE(waiting.Closed());
    EXPECT_TRUE(client.Roundtrip("GET /after HTTP/1.1\r\nHost: x\r\n\r\n").ends_with("/after"));
  }
  // Stop() closes a connection in its handshake at once (it once erased it from a list it was
  // never in, and crashed).
  while (server.open_connections() != 0) std::this_thread::yield();
  SilentConnection at_stop(server.port());
  ASSERT_TRUE(at_stop.connected());
  while (server.open_connections() != 1) std::this_thread::yield();  // accepted: in its handshake
  server.Stop();
  runner.join();
  EXPECT_TRUE(at_stop.Closed());
}

}  // namespace
}  // namespace tgi::http
