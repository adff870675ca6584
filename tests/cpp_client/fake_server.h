// A raw TCP listener inside the test, for what tginvited cannot be made to do: answer garbage, an
// HTML page, nothing at all, close at once, count connections, or speak TLS with a test
// certificate. Each accepted connection is served on its own thread by the test's function.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tginvite::testing {

class FakeServer;

// One accepted connection, as its serving function sees it.
class FakeConnection {
 public:
  FakeConnection(FakeServer& server, boost::asio::ip::tcp::socket socket, int index);

  // 0 for the first connection the server accepted, 1 for the next...
  int index() const { return index_; }
  // Reads one HTTP request (head and Content-Length body); nullopt at EOF or on an error.
  // The request is also recorded in FakeServer::requests().
  std::optional<std::string> ReadRequest();
  void Write(std::string_view bytes);
  void Close();
  // Blocks until the FakeServer is being destroyed.
  void WaitForStop();
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  FakeServer& server_;
  boost::asio::ip::tcp::socket socket_;
  int index_;
  std::string pending_;  // bytes read past the last request
};

class FakeServer {
 public:
  using Serve = std::function<void(FakeConnection&)>;
  explicit FakeServer(Serve serve);
  // Stops accepting, unblocks every connection (shutdown of its socket) and joins the threads.
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"
  int accepted() const { return accepted_.load(); }
  std::vector<std::string> requests() const;

 private:
  friend class FakeConnection;
  void AcceptLoop();
  void Record(std::string request);
  bool stopping() const { return stopping_.load(); }

  Serve serve_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  std::list<std::thread> threads_;     // guarded by mu_
  std::vector<int> open_fds_;          // guarded by mu_: sockets to shut down on stop
  std::vector<std::string> requests_;  // guarded by mu_
};

// An HTTP/1.1 answer with a JSON body and Content-Length; keep-alive unless `close`.
std::string JsonAnswer(std::string_view json, int status = 200, bool close = false);

// A self-signed certificate for "localhost" (subject alternative name DNS:localhost) and its key,
// made with OpenSSL at test time, written as PEM files into a temporary folder.
class TestCertificate {
 public:
  TestCertificate();
  ~TestCertificate();
  const std::filesystem::path& cert_file() const { return cert_file_; }
  const std::filesystem::path& key_file() const { return key_file_; }

 private:
  std::filesystem::path dir_, cert_file_, key_file_;
};

}  // namespace tginvite::testing
