#include "botapi/faults.h"

#include "common/ascii.h"
#include "common/shared_codec.h"

namespace tgi::botapi {

// A shared entry's value: "remaining code has_retry_after retry_after has_migrate_to
// migrate_to", a newline, the method as given, a newline, the description.
void Faults::Share(const Key& key, const Entry* entry, domain::Mutation* shared) {
  if (shared == nullptr) return;
  domain::SharedEntry e{.key = std::string(kSharedPrefix) + std::to_string(key.first) + "/" +
                               key.second};
  if (entry != nullptr) {
    const ApiError& error = entry->error;
    e.value = shared_codec::Ints({entry->remaining, error.code, error.retry_after ? 1 : 0,
                                  error.retry_after.value_or(0), error.migrate_to_chat_id ? 1 : 0,
                                  error.migrate_to_chat_id.value_or(0)});
    e.value.append("\n").append(entry->method).append("\n").append(error.description);
  }
  shared->shared.push_back(std::move(e));
}

bool Faults::ApplyShared(std::string_view key, std::string_view value) {
  if (!key.starts_with(kSharedPrefix)) return false;
  key.remove_prefix(kSharedPrefix.size());
  const size_t slash = key.find('/');
  if (slash == std::string_view::npos) return false;
  auto bot = shared_codec::ParseKeyIds(key.substr(0, slash));
  if (!bot || bot->size() != 1) return false;
  Key k{(*bot)[0], std::string(key.substr(slash + 1))};
  if (value.empty()) {
    std::lock_guard lock(mu_);
    table_.erase(k);
    UpdatePendingLocked();
    return true;
  }
  const size_t first = value.find('\n');
  const size_t second = first == std::string_view::npos ? first : value.find('\n', first + 1);
  if (second == std::string_view::npos) return false;
  auto ints = shared_codec::ParseInts(value.substr(0, first));
  if (!ints || ints->size() != 6 || (*ints)[0] < 1) return false;
  const auto& f = *ints;
  Entry entry{.bot = UserId(k.first),
              .method = std::string(value.substr(first + 1, second - first - 1)),
              .remaining = f[0],
              .error = ApiError{.code = static_cast<int>(f[1]),
                                .description = std::string(value.substr(second + 1))}};
  if (f[2] != 0) entry.error.retry_after = f[3];
  if (f[4] != 0) entry.error.migrate_to_chat_id = f[5];
  std::lock_guard lock(mu_);
  table_.insert_or_assign(std::move(k), std::move(entry));
  UpdatePendingLocked();
  return true;
}

void Faults::Set(UserId bot, std::string_view method, int64_t remaining, ApiError error,
                 domain::Mutation* shared) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = table_.insert_or_assign(
      Key{bot.value, ascii::Lower(method)},
      Entry{.bot = bot, .method = std::string(method), .remaining = remaining, .error = error});
  Share(it->first, &it->second, shared);
  UpdatePendingLocked();
}

std::optional<Faults::Entry> Faults::TakeSlow(UserId bot, std::string_view method,
                                              domain::Mutation* shared) {
  std::lock_guard lock(mu_);
  auto it = table_.find(Key{bot.value, ascii::Lower(method)});
  if (it == table_.end()) it = table_.find(Key{bot.value, std::string(kAnyMethod)});
  if (it == table_.end()) return std::nullopt;
  Entry used = it->second;
  used.remaining = --it->second.remaining;  // what is left after this call
  if (it->second.remaining <= 0) {
    Share(it->first, nullptr, shared);
    table_.erase(it);
    UpdatePendingLocked();
  } else {
    Share(it->first, &it->second, shared);
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

size_t Faults::Clear(domain::Mutation* shared) {
  std::lock_guard lock(mu_);
  size_t n = table_.size();
  for (const auto& [key, entry] : table_) Share(key, nullptr, shared);
  table_.clear();
  UpdatePendingLocked();
  return n;
}

size_t Faults::Clear(UserId bot, domain::Mutation* shared) {
  std::lock_guard lock(mu_);
  auto first = table_.lower_bound(Key{bot.value, std::string()});
  auto last = first;
  size_t n = 0;
  while (last != table_.end() && last->first.first == bot.value) {
    Share(last->first, nullptr, shared);
    ++last, ++n;
  }
  table_.erase(first, last);
  UpdatePendingLocked();
  return n;
}

}  // namespace tgi::botapi
