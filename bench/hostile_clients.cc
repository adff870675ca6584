// The hostile half of bench/slow_clients.sh: holds N connections of each kind open against a
// server and, whenever the server closes one, notes how long it lived and opens another (a
// hostile client comes back, one interval later). One thread, epoll, non-blocking sockets. Kinds:
//   header  sends a request line and part of a header, then one more header byte every interval
//           (slowloris): only --header-timeout, counted from the first byte, ends it;
//   body    sends a whole head announcing a 100,000-byte body, then one body byte every interval;
//   silent  connects and never sends a byte;
//   reader  connects with a tiny receive buffer, sends --pipeline requests for --reader-target at
//           once (big answers, e.g. getUpdates with many updates) and then reads --read-bytes
//           every interval: the server must not keep more than it can send, nor keep it forever.
// Prints "ready" once every connection is open, and at the end (SIGTERM, SIGINT or --seconds)
// one line per kind: how many connections were opened, how many the server closed, the median
// and largest lifetime of those, and the bytes read (readers).
//
//   hostile_clients --port P [--host 127.0.0.1] [--header N] [--body N] [--silent N]
//     [--reader N] [--interval-ms 3000] [--pipeline 8] [--read-bytes 256] [--rcvbuf 2048]
//     [--reader-target /bot.../getUpdates?limit=100] [--seconds 0 (until a signal)]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

enum Kind { kHeader, kBody, kSilent, kReader, kKinds };
constexpr const char* kKindNames[kKinds] = {"header", "body", "silent", "reader"};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  int count[kKinds] = {0, 0, 0, 0};
  int interval_ms = 3000;
  int pipeline = 8;
  int read_bytes = 256;
  int rcvbuf = 2048;
  std::string reader_target = "/bot0:x/getMe";
  int seconds = 0;
};

struct Conn {
  Kind kind = kHeader;
  int fd = -1;
  Clock::time_point opened;
  Clock::time_point next;  // When to send (or read) the next byte(s).
  bool connected = false;
  uint32_t generation = 0;  // Told apart from the slot's earlier sockets in epoll's events.
};

struct Stats {
  long opened = 0;
  long failed = 0;            // connect() refused or reset before it was established
  std::vector<double> lives;  // seconds, of the connections the server closed
  long long bytes_read = 0;
};

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

class Load {
 public:
  explicit Load(Options o) : o_(std::move(o)), epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    std::memset(&addr_, 0, sizeof addr_);
    addr_.sin_family = AF_INET;
    addr_.sin_port = htons(static_cast<uint16_t>(o_.port));
    inet_pton(AF_INET, o_.host.c_str(), &addr_.sin_addr);
  }

  int Run() {
    const auto start = Clock::now();
    int slot = 0;
    for (int k = 0; k < kKinds; ++k) {
      for (int i = 0; i < o_.count[k]; ++i) {
        conns_.push_back(Conn{});
        conns_.back().kind = static_cast<Kind>(k);
        Open(slot++, start);
      }
    }
    bool ready = false;
    std::vector<epoll_event> events(1024);
    while (!g_stop) {
      const auto now = Clock::now();
      if (o_.seconds > 0 && now - start >= std::chrono::seconds(o_.seconds)) break;
      if (!ready && Established() == static_cast<long>(conns_.size())) {
        ready = true;
        std::printf("ready %zu connections\n", conns_.size());
        std::fflush(stdout);
      }
      int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 50);
      for (int i = 0; i < n; ++i) {
        const uint64_t data = events[i].data.u64;
        const int slot = static_cast<int>(data & 0xffffffff);
        if (conns_[slot].generation != data >> 32) continue;  // an event of a socket now closed
        OnEvent(slot, events[i].events);
      }
      Tick(Clock::now());
    }
    Report();
    return 0;
  }

 private:
  long Established() const {
    return std::count_if(conns_.begin(), conns_.end(), [](const Conn& c) { return c.connected; });
  }

  uint64_t EventData(int slot) const {
    return static_cast<uint64_t>(conns_[slot].generation) << 32 | static_cast<uint32_t>(slot);
  }

  void Open(int slot, Clock::time_point now) {
    Conn& c = conns_[slot];
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      std::perror("socket");
      std::exit(1);
    }
    if (c.kind == kReader) {
      // Before connect(): the window scale is agreed in the handshake.
      setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &o_.rcvbuf, sizeof o_.rcvbuf);
    }
    connect(c.fd, reinterpret_cast<sockaddr*>(&addr_), sizeof addr_);
    c.opened = now;
    c.connected = false;
    ++c.generation;
    // Spread the first dribbled byte over one interval, so the load is even.
    c.next = now + std::chrono::milliseconds(rand() % std::max(1, o_.interval_ms));
    epoll_event ev{};
    ev.events = EPOLLOUT | EPOLLRDHUP;
    ev.data.u64 = EventData(slot);
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev);
    ++stats_[c.kind].opened;
  }

  // The server (or the kernel) ended the connection: note its life, and open another one
  // interval later (Tick), as a client that comes back rather than a flood of connections.
  void Lost(int slot, bool established) {
    Conn& c = conns_[slot];
    const auto now = Clock::now();
    if (established) {
      stats_[c.kind].lives.push_back(std::chrono::duration<double>(now - c.opened).count());
    } else {
      ++stats_[c.kind].failed;
    }
    close(c.fd);
    c.fd = -1;
    c.connected = false;
    c.next = now + std::chrono::milliseconds(o_.interval_ms);
  }

  void OnEvent(int slot, uint32_t events) {
    Conn& c = conns_[slot];
    if (c.fd < 0) return;
    if (!c.connected) {
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0 || (events & (EPOLLHUP | EPOLLERR))) return Lost(slot, false);
      if (!(events & EPOLLOUT)) return;
      c.connected = true;
      Connected(slot);
      if (c.fd < 0) return;
      events &= ~EPOLLOUT;
    }
    if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) return Lost(slot, true);
    if (events & EPOLLIN) Drain(slot);
  }

  // What each kind sends at once, and which events it listens to from then on.
  void Connected(int slot) {
    Conn& c = conns_[slot];
    std::string first;
    switch (c.kind) {
      case kHeader:
        first = "GET /bot0:x/getMe HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        break;
      case kBody:
        first =
            "POST /bot0:x/getMe HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n";
        break;
      case kSilent:
        break;
      case kReader:
        for (int i = 0; i < o_.pipeline; ++i) {
          first += "GET " + o_.reader_target + " HTTP/1.1\r\nHost: x\r\n\r\n";
        }
        break;
      case kKinds:
        break;
    }
    if (!first.empty() && !SendAll(c.fd, first)) return Lost(slot, true);
    epoll_event ev{};
    // Readers are not told about data: they read only on their own schedule, in Tick.
    ev.events = c.kind == kReader ? EPOLLRDHUP : (EPOLLIN | EPOLLRDHUP);
    ev.data.u64 = EventData(slot);
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  static bool SendAll(int fd, const std::string& bytes) {
    size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;  // a fresh socket's buffer takes a few requests
      off += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads whatever the server sent (an error status, say) so that only its close counts.
  void Drain(int slot) {
    char buf[4096];
    while (true) {
      ssize_t n = recv(conns_[slot].fd, buf, sizeof buf, 0);
      if (n > 0) {
        stats_[conns_[slot].kind].bytes_read += n;
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      return Lost(slot, true);
    }
  }

  void Tick(Clock::time_point now) {
    const auto interval = std::chrono::milliseconds(o_.interval_ms);
    for (size_t slot = 0; slot < conns_.size(); ++slot) {
      Conn& c = conns_[slot];
      if (c.fd < 0 && now >= c.next) {
        Open(static_cast<int>(slot), now);
        continue;
      }
      if (c.fd < 0 || !c.connected || c.kind == kSilent || now < c.next) continue;
      c.next = now + interval;
      if (c.kind == kReader) {
        std::vector<char> buf(static_cast<size_t>(o_.read_bytes));
        ssize_t n = recv(c.fd, buf.data(), buf.size(), 0);
        if (n > 0) stats_[kReader].bytes_read += n;
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
          Lost(static_cast<int>(slot), true);
        }
        continue;
      }
      if (send(c.fd, "a", 1, MSG_NOSIGNAL) != 1 && errno != EAGAIN) {
        Lost(static_cast<int>(slot), true);
      }
    }
  }

  void Report() {
    for (int k = 0; k < kKinds; ++k) {
      if (o_.count[k] == 0) continue;
      Stats& s = stats_[k];
      std::sort(s.lives.begin(), s.lives.end());
      double median = s.lives.empty() ? 0 : s.lives[s.lives.size() / 2];
      double max = s.lives.empty() ? 0 : s.lives.back();
      std::printf(
          "%s held=%d opened=%ld closed_by_server=%zu life_p50=%.1fs life_max=%.1fs "
          "refused=%ld bytes_read=%lld\n",
          kKindNames[k], o_.count[k], s.opened, s.lives.size(), median, max, s.failed,
          s.bytes_read);
    }
    std::fflush(stdout);
  }

  Options o_;
  int epoll_;
  sockaddr_in addr_;
  std::vector<Conn> conns_;
  Stats stats_[kKinds];
};

int ParseInt(const char* name, const char* text) {
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < 0 || v > 1000000) {
    std::fprintf(stderr, "hostile_clients: %s wants a number from 0 to 1000000\n", name);
    std::exit(2);
  }
  return static_cast<int>(v);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const char* value = argv[i + 1];
    if (name == "--host") {
      o.host = value;
    } else if (name == "--port") {
      o.port = ParseInt("--port", value);
    } else if (name == "--header") {
      o.count[kHeader] = ParseInt("--header", value);
    } else if (name == "--body") {
      o.count[kBody] = ParseInt("--body", value);
    } else if (name == "--silent") {
      o.count[kSilent] = ParseInt("--silent", value);
    } else if (name == "--reader") {
      o.count[kReader] = ParseInt("--reader", value);
    } else if (name == "--interval-ms") {
      o.interval_ms = ParseInt("--interval-ms", value);
    } else if (name == "--pipeline") {
      o.pipeline = ParseInt("--pipeline", value);
    } else if (name == "--read-bytes") {
      o.read_bytes = std::max(1, ParseInt("--read-bytes", value));
    } else if (name == "--rcvbuf") {
      o.rcvbuf = ParseInt("--rcvbuf", value);
    } else if (name == "--reader-target") {
      o.reader_target = value;
    } else if (name == "--seconds") {
      o.seconds = ParseInt("--seconds", value);
    } else {
      std::fprintf(stderr, "hostile_clients: unknown option %s\n", name.c_str());
      return 2;
    }
  }
  if (o.port == 0) {
    std::fprintf(stderr, "hostile_clients: --port is needed\n");
    return 2;
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  signal(SIGPIPE, SIG_IGN);
  return Load(std::move(o)).Run();
}
