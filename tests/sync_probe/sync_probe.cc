// An LD_PRELOAD interposer for the durability test (tests/e2e/durability.test.mjs): it records,
// in the order they happen, what tginvited does to its write-ahead log and to its TCP sockets,
// so that the test can check at the system-call level that no answer leaves before the change
// it reports is on the disk. Linux only; never linked into anything.
//
// With TGINVITE_SYNC_PROBE_FAIL=<path>, syncs of the WAL fail (EIO) while <path> exists.
//
// Each event is one line appended to the file named by TGINVITE_SYNC_PROBE_LOG:
//   <seq> W  <fd>          a write to a file whose name ends in "-wal" returned (after it)
//   <seq> SB <fd> <tid>    an fdatasync/fsync of such a file begins (before the call)
//   <seq> SE <fd> <tid>    that call returned 0 (after it)
//   <seq> R  <fd>          a read from a TCP socket returned data (after it)
//   <seq> A  <fd> <hex>    a write to a TCP socket begins (before it); <hex>: up to 4 KiB of it
// <seq> comes from one counter shared by every thread, taken where the comments say: a W's
// number is taken after its data is in the file, an SB's before the sync starts, an A's before
// any byte of the answer leaves. So "W < SB, SE < A" in numbers means the sync began after the
// write was done and was over before the answer began. The lines may be out of order in the
// file (threads); the test sorts them by <seq>.
//
// Each wrapper calls the real function (the next definition, found with dlsym(RTLD_NEXT)) and
// keeps its result and errno; the probe's own checks (readlink, getsockname) never change what
// the caller sees.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

std::atomic<unsigned long long> g_seq{0};
std::atomic<int> g_log_fd{-2};  // -2: not opened yet; -1: no log wanted

// The log is written with raw system calls: the wrappers below must not see the probe's own
// writes, and stdio could allocate or lock inside a caller's signal-unsafe moment.
int LogFd() {
  int fd = g_log_fd.load(std::memory_order_acquire);
  if (fd != -2) return fd;
  const char* path = std::getenv("TGINVITE_SYNC_PROBE_LOG");
  int opened = path == nullptr
                   ? -1
                   : static_cast<int>(syscall(SYS_openat, AT_FDCWD, path,
                                              O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  int expected = -2;
  if (!g_log_fd.compare_exchange_strong(expected, opened) && opened >= 0) {
    syscall(SYS_close, opened);  // another thread opened it first
  }
  return g_log_fd.load(std::memory_order_acquire);
}

unsigned long long NextSeq() { return g_seq.fetch_add(1, std::memory_order_acq_rel) + 1; }

void Emit(const char* line, size_t size) {
  int fd = LogFd();
  if (fd >= 0) syscall(SYS_write, fd, line, size);  // O_APPEND: one line, one write
}

void EmitEvent(unsigned long long seq, const char* kind, int fd) {
  char line[96];
  int n = std::snprintf(line, sizeof line, "%llu %s %d %ld\n", seq, kind, fd,
                        static_cast<long>(syscall(SYS_gettid)));
  Emit(line, static_cast<size_t>(n));
}

constexpr size_t kMaxSent = 4096;

void EmitAnswer(unsigned long long seq, int fd, const struct iovec* iov, int iovcnt) {
  static const char kHex[] = "0123456789abcdef";
  char line[64 + 2 * kMaxSent];
  int n = std::snprintf(line, sizeof line, "%llu A %d ", seq, fd);
  size_t at = static_cast<size_t>(n), taken = 0;
  for (int i = 0; i < iovcnt && taken < kMaxSent; ++i) {
    const auto* p = static_cast<const unsigned char*>(iov[i].iov_base);
    for (size_t j = 0; j < iov[i].iov_len && taken < kMaxSent; ++j, ++taken) {
      line[at++] = kHex[p[j] >> 4];
      line[at++] = kHex[p[j] & 15];
    }
  }
  line[at++] = '\n';
  Emit(line, at);
}

bool IsWal(int fd) {
  char link[64], path[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 4) return false;
  return std::memcmp(path + n - 4, "-wal", 4) == 0;
}

bool IsTcp(int fd) {
  struct sockaddr_storage addr;
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<struct sockaddr*>(&addr), &len) != 0) return false;
  if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6) return false;
  int type = 0;
  socklen_t type_len = sizeof type;
  return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) == 0 && type == SOCK_STREAM;
}

template <typename F>
F Real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// After a file write returned `result`: a W if it wrote to the WAL.
void AfterFileWrite(int fd, ssize_t result) {
  if (result > 0 && IsWal(fd)) EmitEvent(NextSeq(), "W", fd);
}

// Before bytes go out on `fd`: an A if it is a TCP socket.
void BeforeSend(int fd, const struct iovec* iov, int iovcnt) {
  if (IsTcp(fd)) EmitAnswer(NextSeq(), fd, iov, iovcnt);
}

void AfterRecv(int fd, ssize_t result) {
  if (result > 0 && IsTcp(fd)) EmitEvent(NextSeq(), "R", fd);
}

// Keeps errno as the real call left it while the probe looks around.
class SavedErrno {
 public:
  SavedErrno() : saved_(errno) {}
  ~SavedErrno() { errno = saved_; }

 private:
  int saved_;
};

// Whether syncs of the WAL fail: while the file named by TGINVITE_SYNC_PROBE_FAIL exists, they
// fail with EIO without reaching the disk (a dying disk, for the readiness test).
bool FailSyncs() {
  const char* path = std::getenv("TGINVITE_SYNC_PROBE_FAIL");
  return path != nullptr && syscall(SYS_faccessat, AT_FDCWD, path, F_OK, 0) == 0;
}

template <typename Call>
int Sync(int fd, Call call) {
  bool wal;
  {
    SavedErrno keep;
    wal = IsWal(fd);
    if (wal) EmitEvent(NextSeq(), "SB", fd);
  }
  if (wal && FailSyncs()) {
    errno = EIO;
    return -1;
  }
  int r = call();
  if (wal && r == 0) {
    SavedErrno keep;
    EmitEvent(NextSeq(), "SE", fd);
  }
  return r;
}

}  // namespace

extern "C" {

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  static auto real = Real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  ssize_t r = real(fd, buf, count, offset);
  SavedErrno keep;
  AfterFileWrite(fd, r);
  return r;
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
  static auto real = Real<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
  ssize_t r = real(fd, buf, count, offset);
  SavedErrno keep;
  AfterFileWrite(fd, r);
  return r;
}

ssize_t pwritev(int fd, const struct iovec* iov, int iovcnt, off_t offset) {
  static auto real = Real<ssize_t (*)(int, const struct iovec*, int, off_t)>("pwritev");
  ssize_t r = real(fd, iov, iovcnt, offset);
  SavedErrno keep;
  AfterFileWrite(fd, r);
  return r;
}

ssize_t write(int fd, const void* buf, size_t count) {
  static auto real = Real<ssize_t (*)(int, const void*, size_t)>("write");
  {
    SavedErrno keep;
    struct iovec iov {
      const_cast<void*>(buf), count
    };
    BeforeSend(fd, &iov, 1);
  }
  ssize_t r = real(fd, buf, count);
  SavedErrno keep;
  AfterFileWrite(fd, r);
  return r;
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  static auto real = Real<ssize_t (*)(int, const struct iovec*, int)>("writev");
  {
    SavedErrno keep;
    BeforeSend(fd, iov, iovcnt);
  }
  ssize_t r = real(fd, iov, iovcnt);
  SavedErrno keep;
  AfterFileWrite(fd, r);
  return r;
}

ssize_t send(int fd, const void* buf, size_t len, int flags) {
  static auto real = Real<ssize_t (*)(int, const void*, size_t, int)>("send");
  {
    SavedErrno keep;
    struct iovec iov {
      const_cast<void*>(buf), len
    };
    BeforeSend(fd, &iov, 1);
  }
  return real(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void* buf, size_t len, int flags, const struct sockaddr* to,
               socklen_t to_len) {
  static auto real =
      Real<ssize_t (*)(int, const void*, size_t, int, const struct sockaddr*, socklen_t)>("sendto");
  {
    SavedErrno keep;
    struct iovec iov {
      const_cast<void*>(buf), len
    };
    BeforeSend(fd, &iov, 1);
  }
  return real(fd, buf, len, flags, to, to_len);
}

ssize_t sendmsg(int fd, const struct msghdr* msg, int flags) {
  static auto real = Real<ssize_t (*)(int, const struct msghdr*, int)>("sendmsg");
  {
    SavedErrno keep;
    BeforeSend(fd, msg->msg_iov, static_cast<int>(msg->msg_iovlen));
  }
  return real(fd, msg, flags);
}

ssize_t read(int fd, void* buf, size_t count) {
  static auto real = Real<ssize_t (*)(int, void*, size_t)>("read");
  ssize_t r = real(fd, buf, count);
  SavedErrno keep;
  AfterRecv(fd, r);
  return r;
}

ssize_t readv(int fd, const struct iovec* iov, int iovcnt) {
  static auto real = Real<ssize_t (*)(int, const struct iovec*, int)>("readv");
  ssize_t r = real(fd, iov, iovcnt);
  SavedErrno keep;
  AfterRecv(fd, r);
  return r;
}

ssize_t recv(int fd, void* buf, size_t len, int flags) {
  static auto real = Real<ssize_t (*)(int, void*, size_t, int)>("recv");
  ssize_t r = real(fd, buf, len, flags);
  SavedErrno keep;
  AfterRecv(fd, r);
  return r;
}

ssize_t recvfrom(int fd, void* buf, size_t len, int flags, struct sockaddr* from,
                 socklen_t* from_len) {
  static auto real =
      Real<ssize_t (*)(int, void*, size_t, int, struct sockaddr*, socklen_t*)>("recvfrom");
  ssize_t r = real(fd, buf, len, flags, from, from_len);
  SavedErrno keep;
  AfterRecv(fd, r);
  return r;
}

ssize_t recvmsg(int fd, struct msghdr* msg, int flags) {
  static auto real = Real<ssize_t (*)(int, struct msghdr*, int)>("recvmsg");
  ssize_t r = real(fd, msg, flags);
  SavedErrno keep;
  AfterRecv(fd, r);
  return r;
}

int fdatasync(int fd) {
  static auto real = Real<int (*)(int)>("fdatasync");
  return Sync(fd, [&] { return real(fd); });
}

int fsync(int fd) {
  static auto real = Real<int (*)(int)>("fsync");
  return Sync(fd, [&] { return real(fd); });
}

}  // extern "C"
