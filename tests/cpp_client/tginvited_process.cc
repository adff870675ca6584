#include "tginvited_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace tginvite::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

std::string ServerBinary() {
  if (const char* env = std::getenv("TGINVITED"); env && *env) return env;
#ifdef TGINVITED_DEFAULT_PATH
  return TGINVITED_DEFAULT_PATH;
#else
  throw std::runtime_error("set TGINVITED to the tginvited binary");
#endif
}

std::string Concat(std::string_view a, std::string_view b) {
  std::string out(a);
  out.append(b);
  return out;
}

// The PORT of the first "listening on HOST:PORT" line, or 0.
int ListeningPort(const std::string& output) {
  static constexpr std::string_view kMarker = "listening on ";
  const std::size_t at = output.find(kMarker);
  if (at == std::string::npos) return 0;
  const std::size_t end = output.find_first_of(" \t\r\n", at + kMarker.size());
  if (end == std::string::npos) return 0;  // the line is not complete yet
  const std::string address = output.substr(at + kMarker.size(), end - at - kMarker.size());
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return 0;
  int port = 0;
  for (char c : address.substr(colon + 1)) {
    if (c < '0' || c > '9') return 0;
    port = port * 10 + (c - '0');
  }
  return port;
}

std::filesystem::path MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "tginvite-cpp-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

}  // namespace

TginvitedProcess::TginvitedProcess(std::string_view world_json) : dir_(MakeTempDir()) {
  const std::filesystem::path world = dir_ / "world.json";
  std::ofstream(world) << world_json;

  std::vector<std::string> args = {ServerBinary(),
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--db",
                                   Concat("sqlite:", (dir_ / "w.db").string()),
                                   "--world",
                                   world.string()};
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).starts_with("TGINVITE_CONTROL_TOKEN=")) continue;
    env.emplace_back(*e);
  }
  env.push_back(Concat("TGINVITE_CONTROL_TOKEN=", kControlToken));
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    std::filesystem::remove_all(dir_);
    throw std::runtime_error(Concat("cannot start ", args[0]));
  }
  reader_ = std::thread([this, fd = fds[0]] { ReadOutput(fd); });

  std::unique_lock lock(mu_);
  const bool up = changed_.wait_for(lock, std::chrono::seconds(30), [&] {
    port_ = ListeningPort(output_);
    return port_ != 0 || eof_;
  });
  if (!up || port_ == 0) {
    const std::string out = output_;
    lock.unlock();
    Stop();
    throw std::runtime_error(Concat("tginvited did not start:\n", out));
  }
}

TginvitedProcess::~TginvitedProcess() { Stop(); }

void TginvitedProcess::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    // A server that does not stop on SIGTERM is a failure of the test that started it, with what
    // the server said; then it is killed, so the test ends instead of hanging until ctest's
    // timeout (seen once under ThreadSanitizer, not reproduced).
    constexpr auto kStopWait = std::chrono::seconds(30);
    const auto deadline = std::chrono::steady_clock::now() + kStopWait;
    int status = 0;
    pid_t done = 0;
    while ((done = waitpid(pid_, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (done == 0) {
      ADD_FAILURE() << "tginvited did not exit within 30 s of SIGTERM; it wrote:\n" << logs();
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  if (reader_.joinable()) reader_.join();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  dir_.clear();
}

void TginvitedProcess::ReadOutput(int fd) {
  char chunk[4096];
  for (;;) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mu_);
    if (n <= 0) {
      eof_ = true;
      changed_.notify_all();
      break;
    }
    output_.append(chunk, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  close(fd);
}

std::string TginvitedProcess::base_url() const {
  return Concat("http://127.0.0.1:", std::to_string(port_));
}

std::string TginvitedProcess::logs() const {
  std::lock_guard lock(mu_);
  return output_;
}

HttpResult HttpRequest(int port, std::string_view verb, std::string_view target,
                       std::string_view body, std::string_view bearer) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(port)));
  http::request<http::string_body> req{http::string_to_verb(verb), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!bearer.empty()) req.set(http::field::authorization, Concat("Bearer ", bearer));
  req.set(http::field::content_type, "application/json");
  req.keep_alive(false);
  req.body() = std::string(body);
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  return HttpResult{static_cast<int>(res.result_int()), res.body()};
}

HttpResult ControlPost(const TginvitedProcess& server, std::string_view path,
                       std::string_view body) {
  return HttpRequest(server.port(), "POST", Concat("/control/v1", path), body);
}

}  // namespace tginvite::testing
