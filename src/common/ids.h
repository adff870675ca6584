// Strong ids, so that a chat id cannot be passed where a user id is wanted.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace tgi {

template <typename Tag>
struct StrongId {
  int64_t value = 0;
  constexpr StrongId() = default;
  constexpr explicit StrongId(int64_t v) : value(v) {}
  constexpr auto operator<=>(const StrongId&) const = default;
};

struct UserIdTag {};
struct ChatIdTag {};
using UserId = StrongId<UserIdTag>;  // users and bots: positive
using ChatId = StrongId<ChatIdTag>;  // Bot API chat ids: groups negative, -100... for channels

}  // namespace tgi

template <typename Tag>
struct std::hash<tgi::StrongId<Tag>> {
  size_t operator()(const tgi::StrongId<Tag>& id) const noexcept {
    return std::hash<int64_t>{}(id.value);
  }
};
