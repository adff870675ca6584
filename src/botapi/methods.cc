#include "botapi/methods.h"

#include <array>
#include <string>
#include <unordered_map>

#include "common/ascii.h"

namespace tgi::botapi {

// The bot settings methods, defined in profile_methods.cc.
Result<Prepared, ApiError> PrepareSetMyCommands(const Args& args);
Result<Prepared, ApiError> PrepareGetMyCommands(const Args& args);
Result<Prepared, ApiError> PrepareDeleteMyCommands(const Args& args);
Result<Prepared, ApiError> PrepareSetMyName(const Args& args);
Result<Prepared, ApiError> PrepareGetMyName(const Args& args);
Result<Prepared, ApiError> PrepareSetMyDescription(const Args& args);
Result<Prepared, ApiError> PrepareGetMyDescription(const Args& args);
Result<Prepared, ApiError> PrepareSetMyShortDescription(const Args& args);
Result<Prepared, ApiError> PrepareGetMyShortDescription(const Args& args);
Result<Prepared, ApiError> PrepareSetChatMenuButton(const Args& args);
Result<Prepared, ApiError> PrepareGetChatMenuButton(const Args& args);
Result<Prepared, ApiError> PrepareSetMyDefaultAdministratorRights(const Args& args);
Result<Prepared, ApiError> PrepareGetMyDefaultAdministratorRights(const Args& args);

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
    MethodSpec{"restrictChatMember",
               "chat_id, user_id, permissions, use_independent_chat_permissions, until_date "
               "(or the legacy can_send_messages, can_send_media_messages, "
               "can_send_other_messages, can_add_web_page_previews)",
               PrepareRestrictChatMember},
    MethodSpec{"setChatPermissions", "chat_id, permissions, use_independent_chat_permissions",
               PrepareSetChatPermissions},
    MethodSpec{"setMyCommands", "commands, scope, language_code", PrepareSetMyCommands},
    MethodSpec{"deleteMyCommands", "scope, language_code", PrepareDeleteMyCommands},
    MethodSpec{"getMyCommands", "scope, language_code", PrepareGetMyCommands},
    MethodSpec{"setMyName", "name, language_code", PrepareSetMyName},
    MethodSpec{"getMyName", "language_code", PrepareGetMyName},
    MethodSpec{"setMyDescription", "description, language_code", PrepareSetMyDescription},
    MethodSpec{"getMyDescription", "language_code", PrepareGetMyDescription},
    MethodSpec{"setMyShortDescription", "short_description, language_code",
               PrepareSetMyShortDescription},
    MethodSpec{"getMyShortDescription", "language_code", PrepareGetMyShortDescription},
    MethodSpec{"setChatMenuButton", "chat_id, menu_button", PrepareSetChatMenuButton},
    MethodSpec{"getChatMenuButton", "chat_id", PrepareGetChatMenuButton},
    MethodSpec{"setMyDefaultAdministratorRights", "rights, for_channels",
               PrepareSetMyDefaultAdministratorRights},
    MethodSpec{"getMyDefaultAdministratorRights", "for_channels",
               PrepareGetMyDefaultAdministratorRights},
    MethodSpec{"getUpdates", "offset, limit, timeout, allowed_updates", PrepareGetUpdates},
    MethodSpec{"setWebhook",
               "url, certificate, ip_address, max_connections, allowed_updates, "
               "drop_pending_updates, secret_token",
               PrepareSetWebhook},
    MethodSpec{"deleteWebhook", "drop_pending_updates", PrepareDeleteWebhook},
    MethodSpec{"getWebhookInfo", "", PrepareGetWebhookInfo},
    // Messages (bot-api-messages.md 2, 6.3, 7, 8.1).
    MethodSpec{"sendMessage",
               "chat_id, text, parse_mode, entities, link_preview_options, "
               "disable_web_page_preview, disable_notification, protect_content, "
               "reply_parameters, reply_to_message_id, allow_sending_without_reply, "
               "reply_markup, message_thread_id",
               PrepareSendMessage},
    MethodSpec{"editMessageText",
               "chat_id, message_id, inline_message_id, text, parse_mode, entities, "
               "link_preview_options, disable_web_page_preview, reply_markup",
               PrepareEditMessageText},
    MethodSpec{"editMessageReplyMarkup", "chat_id, message_id, inline_message_id, reply_markup",
               PrepareEditMessageReplyMarkup},
    MethodSpec{"deleteMessage", "chat_id, message_id", PrepareDeleteMessage},
    MethodSpec{"deleteMessages", "chat_id, message_ids", PrepareDeleteMessages},
    MethodSpec{"forwardMessage",
               "chat_id, from_chat_id, message_id, disable_notification, protect_content",
               PrepareForwardMessage},
    MethodSpec{"copyMessage",
               "chat_id, from_chat_id, message_id, disable_notification, protect_content, "
               "reply_parameters, reply_to_message_id, allow_sending_without_reply, "
               "reply_markup",
               PrepareCopyMessage},
    MethodSpec{"sendChatAction", "chat_id, action, message_thread_id", PrepareSendChatAction},
    MethodSpec{"answerCallbackQuery", "callback_query_id, text, show_alert, url, cache_time",
               PrepareAnswerCallbackQuery},
    MethodSpec{"pinChatMessage",
               "business_connection_id, chat_id, message_id, disable_notification",
               PreparePinChatMessage},
    MethodSpec{"unpinChatMessage", "business_connection_id, chat_id, message_id",
               PrepareUnpinChatMessage},
    MethodSpec{"unpinAllChatMessages", "chat_id", PrepareUnpinAllChatMessages},
    // Moderation (bot-api-moderation.md 2, 3, 5, 6.2).
    MethodSpec{"banChatMember", "chat_id, user_id, until_date, revoke_messages",
               PrepareBanChatMember},
    MethodSpec{"kickChatMember",
               "chat_id, user_id, until_date, revoke_messages (old name of "
               "banChatMember)",
               PrepareBanChatMember},
    MethodSpec{"unbanChatMember", "chat_id, user_id, only_if_banned", PrepareUnbanChatMember},
    MethodSpec{"promoteChatMember",
               "chat_id, user_id, is_anonymous, can_manage_chat, can_delete_messages, "
               "can_manage_video_chats, can_restrict_members, can_promote_members, "
               "can_change_info, can_invite_users, can_post_stories, can_edit_stories, "
               "can_delete_stories, can_post_messages, can_edit_messages, can_pin_messages, "
               "can_manage_topics, can_manage_direct_messages, can_manage_tags",
               PreparePromoteChatMember},
    MethodSpec{"setChatAdministratorCustomTitle", "chat_id, user_id, custom_title",
               PrepareSetChatAdministratorCustomTitle},
    MethodSpec{"setChatMemberTag", "chat_id, user_id, tag", PrepareSetChatMemberTag},
    MethodSpec{"leaveChat", "chat_id", PrepareLeaveChat},
    // bot-api-moderation.md 6.3.
    MethodSpec{"banChatSenderChat", "chat_id, sender_chat_id, until_date",
               PrepareBanChatSenderChat},
    MethodSpec{"unbanChatSenderChat", "chat_id, sender_chat_id", PrepareUnbanChatSenderChat},
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
