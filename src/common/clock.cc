#include "common/clock.h"

#include <chrono>

namespace tgi {

UnixTime SystemClock::Now() const { return NowMillis() / 1000; }

UnixMillis SystemClock::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tgi
