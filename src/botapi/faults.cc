#include "botapi/faults.h"

#include "common/ascii.h"

namespace tgi::botapi {
namespace {}  // namespace

void Faults::Set(UserId bot, std::string_view method, int64_t remaining, ApiError error) {
  std::lock_guard lock(mu_);
  table_.insert_or_assign(
      Key{bot.value, ascii::Lower(method)},
      Entry{.bot = bot, .method = std::string(method), .remaining = remaining, .error = error});
  UpdatePendingLocked();
}

std::optional<Faults::Entry> Faults::TakeSlow(UserId bot, std::string_view method) {
  std::lock_guard lock(mu_);
  auto it = table_.find(Key{bot.value, ascii::Lower(method)});
  if (it == table_.end()) it = table_.find(Key{bot.value, std::string(kAnyMethod)});
  if (it == table_.end()) return std::nullopt;
  Entry used = it->second;
  used.remaining = --it->second.remaining;  // what is left after this call
  if (it->second.remaining <= 0) {
    table_.erase(it);
    UpdatePendingLocked();
  }
  return used;
}

std::vector<Faults::Entry> Faults::List() const {
  std::lock_guard lock(mu_);
  std::vector<Entry> out;
  out.reserve(table_.size());
  for (const auto& [key, entry] : table_) out.push_back(entry);
  return out;
}

size_t Faults::Clear() {
  std::lock_guard lock(mu_);
  size_t n = table_.size();
  table_.clear();
  UpdatePendingLocked();
  return n;
}

size_t Faults::Clear(UserId bot) {
  std::lock_guard lock(mu_);
  auto first = table_.lower_bound(Key{bot.value, std::string()});
  auto last = first;
  size_t n = 0;
  while (last != table_.end() && last->first.first == bot.value) ++last, ++n;
  table_.erase(first, last);
  UpdatePendingLocked();
  return n;
}

}  // namespace tgi::botapi
