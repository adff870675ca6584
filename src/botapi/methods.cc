#include "botapi/methods.h"

#include <array>
#include <string>
#include <unordered_map>

#include "common/ascii.h"

namespace tgi::botapi {
namespace {

constexpr std::array kMethods = {
    MethodSpec{"getMe", "", PrepareGetMe},
    MethodSpec{"logOut", "", PrepareLogOut},
    MethodSpec{"close", "", PrepareClose},
    MethodSpec{"exportChatInviteLink", "chat_id", PrepareExportChatInviteLink},
    MethodSpec{"createChatInviteLink",
               "chat_id, name, expire_date, member_limit, creates_join_request",
               PrepareCreateChatInviteLink},
    MethodSpec{"editChatInviteLink",
               "chat_id, invite_link, name, expire_date, member_limit, creates_join_request",
               PrepareEditChatInviteLink},
    MethodSpec{"createChatSubscriptionInviteLink",
               "chat_id, name, subscription_period, subscription_price",
               PrepareCreateChatSubscriptionInviteLink},
    MethodSpec{"editChatSubscriptionInviteLink", "chat_id, invite_link, name",
               PrepareEditChatSubscriptionInviteLink},
    MethodSpec{"revokeChatInviteLink", "chat_id, invite_link", PrepareRevokeChatInviteLink},
    MethodSpec{"approveChatJoinRequest", "chat_id, user_id", PrepareApproveChatJoinRequest},
    MethodSpec{"declineChatJoinRequest", "chat_id, user_id", PrepareDeclineChatJoinRequest},
    MethodSpec{"getChat", "chat_id", PrepareGetChat},
    MethodSpec{"getChatAdministrators", "chat_id, return_bots", PrepareGetChatAdministrators},
    MethodSpec{"getChatMemberCount", "chat_id", PrepareGetChatMemberCount},
    MethodSpec{"getChatMembersCount", "chat_id (old name of getChatMemberCount)",
               PrepareGetChatMemberCount},
    MethodSpec{"getChatMember", "chat_id, user_id", PrepareGetChatMember},
    MethodSpec{"getUpdates", "offset, limit, timeout, allowed_updates", PrepareGetUpdates},
    MethodSpec{"setWebhook",
               "url, certificate, ip_address, max_connections, allowed_updates, "
               "drop_pending_updates, secret_token",
               PrepareSetWebhook},
    MethodSpec{"deleteWebhook", "drop_pending_updates", PrepareDeleteWebhook},
    MethodSpec{"getWebhookInfo", "", PrepareGetWebhookInfo},
};

const std::unordered_map<std::string, const MethodSpec*>& Index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string, const MethodSpec*>();
    for (const MethodSpec& spec : kMethods) m->emplace(ascii::Lower(spec.name), &spec);
    return m;
  }();
  return *index;
}

}  // namespace

std::span<const MethodSpec> Methods() { return kMethods; }

const MethodSpec* FindMethod(std::string_view name) {
  if (name.size() > 64) return nullptr;
  auto it = Index().find(ascii::Lower(name));
  return it == Index().end() ? nullptr : it->second;
}

http::Response Ok(const JsonWriter& result) { return OkResponse(result.str()); }
http::Response Ok(bool result) { return OkResponse(result ? "true" : "false"); }
http::Response Err(const ApiError& e) { return ErrorResponse(e); }

}  // namespace tgi::botapi
