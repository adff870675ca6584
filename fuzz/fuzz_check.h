// What the fuzz targets share: an invariant check that stops the run with a message (libFuzzer
// then saves the input as a crash), and a reader that cuts one fuzz input into several fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// Aborts with `what` when `cond` is false: an invariant of the code under test does not hold.
#define FUZZ_CHECK(cond, what)                                                                     \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: invariant failed: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)

namespace tgi::fuzz {

// Reads a fuzz input front to back: a selector byte, then fields cut at a separator byte, and
// whatever is left. Every read is defined on any input (an exhausted input gives 0 and "").
class Input {
 public:
  Input(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  uint8_t Byte() {
    if (rest_.empty()) return 0;
    auto b = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  // Up to the first `sep` (taken off, not returned), or everything left.
  std::string_view Field(char sep) {
    size_t at = rest_.find(sep);
    std::string_view field = rest_.substr(0, at);
    rest_.remove_prefix(at == std::string_view::npos ? rest_.size() : at + 1);
    return field;
  }
  std::string_view Rest() {
    std::string_view all = rest_;
    rest_ = {};
    return all;
  }

 private:
  std::string_view rest_;
};

}  // namespace tgi::fuzz
