#include "common/shared_codec.h"

#include <charconv>

namespace tgi::shared_codec {
namespace {

template <typename Int>
std::optional<std::vector<Int>> Split(std::string_view text, char separator) {
  std::vector<Int> out;
  if (text.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    Int v = 0;
    const char* first = text.data() + start;
    const char* last = text.data() + end;
    auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || ptr != last || first == last) return std::nullopt;
    out.push_back(v);
    if (end == text.size()) return out;
    start = end + 1;
  }
}

template <typename Int>
std::string Join(const std::vector<Int>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ' ';
    out += std::to_string(values[i]);
  }
  return out;
}

}  // namespace

std::string Ints(const std::vector<int64_t>& values) { return Join(values); }

std::optional<std::vector<int64_t>> ParseInts(std::string_view text) {
  return Split<int64_t>(text, ' ');
}

std::string Uints(const std::vector<uint64_t>& values) { return Join(values); }

std::optional<std::vector<uint64_t>> ParseUints(std::string_view text) {
  return Split<uint64_t>(text, ' ');
}

std::optional<std::vector<int64_t>> ParseKeyIds(std::string_view key) {
  return Split<int64_t>(key, '/');
}

}  // namespace tgi::shared_codec
