// The server's notion of "now", injected so that tests can control it.
#pragma once

#include <cstdint>

namespace tgi {

using UnixTime = int64_t;    // seconds since the epoch, as the Bot API sends dates
using UnixMillis = int64_t;  // milliseconds since the epoch, for the guards' sub-second windows

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual UnixTime Now() const = 0;
  // The same time in milliseconds; Now() == NowMillis() / 1000. Thread-safe.
  virtual UnixMillis NowMillis() const { return Now() * 1000; }
};

// Real time.
class SystemClock final : public Clock {
 public:
  UnixTime Now() const override;
  UnixMillis NowMillis() const override;
};

// A clock that only moves when told to: unit tests, and tginvited's --frozen-clock (where only
// the control plane's offset moves the world's time).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixTime start) : now_(start) {}
  UnixTime Now() const override { return now_; }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  UnixTime now_;
};

}  // namespace tgi
