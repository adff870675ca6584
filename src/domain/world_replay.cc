// World::Replay: a replica applying what another instance committed (world.h).
#include <type_traits>
#include <variant>

#include "domain/world.h"

namespace tgi::domain {

void World::Replay(const Mutation& m) {
  for (const Op& op : m.ops) Replay(op);
}

void World::Replay(const Op& op) {
  std::visit(
      [this](const auto& r) {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, Bot>) {
          StoreBot(r);
        } else if constexpr (std::is_same_v<R, User>) {
          StoreUser(r);
        } else if constexpr (std::is_same_v<R, Chat>) {
          StoreChat(r);
        } else if constexpr (std::is_same_v<R, Member>) {
          // member_limit's bookkeeping, as the constructor derives it: a present member counts
          // for the link they joined through (joined_via, which the rules keep).
          const std::pair<ChatId, UserId> key{r.chat, r.user};
          if (auto it = member_link_.find(key); it != member_link_.end()) {
            if (--link_members_[it->second] <= 0) link_members_.erase(it->second);
            member_link_.erase(it);
          }
          if (IsPresent(r.status) && !r.joined_via.empty()) {
            member_link_[key] = r.joined_via;
            ++link_members_[r.joined_via];
          }
          StoreMember(r);
        } else if constexpr (std::is_same_v<R, InviteLink>) {
          StoreLink(r);
        } else if constexpr (std::is_same_v<R, Join>) {
          StoreJoin(r);
        } else if constexpr (std::is_same_v<R, JoinRequest>) {
          StoreJoinRequest(r);
        } else if constexpr (std::is_same_v<R, ClockState>) {
          clock_ = r;
        } else if constexpr (std::is_same_v<R, BotUpdateSettings>) {
          // As SetWebhook and DeleteWebhook do where they run: a new URL, or none, starts with
          // no delivery error.
          if (UpdateSettings(r.bot).webhook_url != r.webhook_url) webhook_status_.erase(r.bot);
          StoreSettings(r);
        } else if constexpr (std::is_same_v<R, Update>) {
          StoreUpdate(r);
        } else if constexpr (std::is_same_v<R, DropUpdates>) {
          DropStoredUpdates(r.bot, r.below_id);
        } else if constexpr (std::is_same_v<R, Message>) {
          StoreMessage(r);
        } else if constexpr (std::is_same_v<R, PrivateChat>) {
          StorePrivateChat(r);
        } else if constexpr (std::is_same_v<R, CallbackQuery>) {
          StoreCallbackQuery(r);
        } else if constexpr (std::is_same_v<R, BotProfileEntry>) {
          StoreProfile(r);
        } else {
          static_assert(std::is_same_v<R, SenderChatBan>);
          StoreSenderChatBan(r);
        }
      },
      op);
}

}  // namespace tgi::domain
