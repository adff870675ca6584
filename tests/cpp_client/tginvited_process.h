// A real tginvited for the client library's tests: its own temporary folder, a SQLite file, a
// world file and a control token; the port is the one the server picked (its stderr line
// "listening on HOST:PORT"), as tests/support/server.mjs does for the Node tests.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <filesystem>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace tginvite::testing {

// Concatenates texts (GCC 12 misreports "literal" + std::string at -O2 with -Wrestrict).
inline std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

inline constexpr std::string_view kControlToken = "cpp-client-control-token-0123456789";

class TginvitedProcess {
 public:
  // Starts the server (the binary named by $TGINVITED, else the build's) with `world_json`.
  // Throws std::runtime_error when it does not come up within 30 s.
  explicit TginvitedProcess(std::string_view world_json);
  // SIGTERM, waits for the exit, removes the folder.
  ~TginvitedProcess();
  TginvitedProcess(const TginvitedProcess&) = delete;
  TginvitedProcess& operator=(const TginvitedProcess&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT"
  std::string logs() const;      // everything it wrote on stderr so far

 private:
  void ReadOutput(int fd);
  void Stop();

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::thread reader_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::string output_;  // guarded by mu_
  bool eof_ = false;    // guarded by mu_
};

struct HttpResult {
  int status = 0;
  std::string body;
};

// One request on a new connection to 127.0.0.1:port (blocking, for the control plane).
HttpResult HttpRequest(int port, std::string_view verb, std::string_view target,
                       std::string_view body, std::string_view bearer = kControlToken);

// POST /control/v1<path> with a JSON body, the control token attached.
HttpResult ControlPost(const TginvitedProcess& server, std::string_view path,
                       std::string_view body);

}  // namespace tginvite::testing
