// The server's notion of "now", injected so that tests can control it.
#pragma once

#include <cstdint>

namespace tgi {

using UnixTime = int64_t;  // seconds since the epoch, as the Bot API sends dates

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual UnixTime Now() const = 0;
};

// Real time.
class SystemClock final : public Clock {
 public:
  UnixTime Now() const override;
};

// A clock that only moves when told to. For unit tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixTime start) : now_(start) {}
  UnixTime Now() const override { return now_; }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  UnixTime now_;
};

}  // namespace tgi
