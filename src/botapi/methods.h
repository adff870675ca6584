// The method table: every Bot API method this server answers, declared once, here.
//
// A method is prepared in two steps. `prepare` decodes the request's parameters into a typed
// struct outside any lock (and fails with the error a bad parameter gets); the closure it returns
// then runs under the world lock and produces the reply. The split keeps parsing off the lock and
// keeps the order of errors the reference server has: token, then method name, then parameters.
#pragma once

#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "app/long_poll_hub.h"
#include "botapi/args.h"
#include "botapi/errors.h"
#include "botapi/flood.h"
#include "botapi/guards.h"
#include "botapi/json_writer.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "domain/store.h"
#include "domain/world.h"
#include "http/request.h"

namespace tgi::botapi {

// What the update methods need from the server around them; set once before it serves.
struct UpdateHooks {
  // A bot's webhook was set, changed or deleted (called once that is durable).
  std::function<void(UserId bot)> webhook_changed;
  // A setWebhook with a URL ran (whatever its answer) and ended the bot's waiting getUpdates
  // here, if any (called once durable, before webhook_changed): cluster mode ends the one
  // waiting on another instance too. deleteWebhook and an empty URL end no poll.
  std::function<void(UserId bot)> set_webhook_ran;
  // Whether setWebhook insists on the cloud's rules (HTTPS; ports 80, 88, 443, 8443). Off: any
  // http(s) URL, so that tests can receive webhooks on loopback.
  bool strict_webhook_urls = false;
  // Counts the updates getUpdates answers hand out (an update not confirmed may be counted again
  // by a later call). Null: not counted.
  metrics::Counter* updates_sent = nullptr;
};

// A getUpdates that found nothing and may wait (spec 5.4): BotApi parks it on the hub and runs
// the method again when woken.
struct LongPoll {
  bool wait = false;
  uint64_t seen_seq = 0;  // the hub's Seq(bot) when the queue was found empty
  int timeout_seconds = 0;
};

struct MethodContext {
  domain::World& world;
  domain::Mutation& mutation;
  UnixTime now;
  UserId bot;
  app::LongPollHub* hub = nullptr;  // null: no long polling (e.g. a call from a webhook reply)
  LongPoll* poll = nullptr;         // set by a getUpdates that should wait
  // Run once the method's changes are durable, before the reply is sent (e.g. setWebhook ends a
  // waiting getUpdates and wakes the webhook sender).
  std::vector<std::function<void()>>* after_durable = nullptr;
  const UpdateHooks* hooks = nullptr;
  // The server's clock in milliseconds (Engine::NowMillis), for the guards and flood control.
  UnixMillis now_ms = 0;
  // The reference's anti-busy-loop guards; null where they do not apply (a getUpdates run again
  // after a wake-up, a method call in a webhook's reply).
  Guards* guards = nullptr;
  // Flood control for sent messages; null when it is off (the default).
  FloodControl* flood = nullptr;
  // Cluster mode: where the guards and flood control share what they change (the mutation);
  // null for one instance.
  domain::Mutation* shared = nullptr;
};

// Cluster mode: the keys of the shared entries (domain::SharedEntry) that tell the other
// instances about a bot's getUpdates parked here, for the control plane's long-poll observer
// (app::LongPollHub::SetRemote): "poll/<bot>" = "<since> <deadline>" in the world's milliseconds,
// or "" once none is parked.
inline constexpr std::string_view kSharedPollPrefix = "poll/";
// Shares (when c.shared) that the bot's getUpdates parks from `since_ms` to `deadline_ms`, or,
// with since_ms 0, that none is parked.
void SharePoll(MethodContext& c, UnixMillis since_ms, UnixMillis deadline_ms);

using Prepared = std::function<http::Response(MethodContext&)>;
using PrepareFn = Result<Prepared, ApiError> (*)(const Args& args);

struct MethodSpec {
  std::string_view name;    // as documented; matched case-insensitively
  std::string_view params;  // the parameters it reads, for documentation and --help
  PrepareFn prepare;
};

// Every method, in documentation order.
std::span<const MethodSpec> Methods();
// The method named `name` (any case), or nullptr.
const MethodSpec* FindMethod(std::string_view name);

// Reply helpers for the handlers.
http::Response Ok(const JsonWriter& result);
http::Response Ok(bool result);
http::Response Err(const ApiError& e);

// Handlers, by family (bot_methods.cc, chat_methods.cc, invite_link_methods.cc).
Result<Prepared, ApiError> PrepareGetMe(const Args& args);
Result<Prepared, ApiError> PrepareLogOut(const Args& args);
Result<Prepared, ApiError> PrepareClose(const Args& args);
Result<Prepared, ApiError> PrepareGetChat(const Args& args);
Result<Prepared, ApiError> PrepareGetChatMember(const Args& args);
Result<Prepared, ApiError> PrepareGetChatAdministrators(const Args& args);
Result<Prepared, ApiError> PrepareGetChatMemberCount(const Args& args);
// moderation_methods.cc
Result<Prepared, ApiError> PrepareRestrictChatMember(const Args& args);
Result<Prepared, ApiError> PrepareSetChatPermissions(const Args& args);
Result<Prepared, ApiError> PrepareExportChatInviteLink(const Args& args);
Result<Prepared, ApiError> PrepareCreateChatInviteLink(const Args& args);
Result<Prepared, ApiError> PrepareEditChatInviteLink(const Args& args);
Result<Prepared, ApiError> PrepareRevokeChatInviteLink(const Args& args);
Result<Prepared, ApiError> PrepareCreateChatSubscriptionInviteLink(const Args& args);
Result<Prepared, ApiError> PrepareEditChatSubscriptionInviteLink(const Args& args);
Result<Prepared, ApiError> PrepareApproveChatJoinRequest(const Args& args);
Result<Prepared, ApiError> PrepareDeclineChatJoinRequest(const Args& args);
Result<Prepared, ApiError> PrepareGetUpdates(const Args& args);
Result<Prepared, ApiError> PrepareSetWebhook(const Args& args);
Result<Prepared, ApiError> PrepareDeleteWebhook(const Args& args);
Result<Prepared, ApiError> PrepareGetWebhookInfo(const Args& args);
// message_methods.cc
Result<Prepared, ApiError> PrepareSendMessage(const Args& args);
Result<Prepared, ApiError> PrepareEditMessageText(const Args& args);
Result<Prepared, ApiError> PrepareEditMessageReplyMarkup(const Args& args);
Result<Prepared, ApiError> PrepareDeleteMessage(const Args& args);
Result<Prepared, ApiError> PrepareDeleteMessages(const Args& args);
Result<Prepared, ApiError> PrepareForwardMessage(const Args& args);
Result<Prepared, ApiError> PrepareCopyMessage(const Args& args);
Result<Prepared, ApiError> PrepareSendChatAction(const Args& args);
Result<Prepared, ApiError> PrepareAnswerCallbackQuery(const Args& args);
Result<Prepared, ApiError> PreparePinChatMessage(const Args& args);
Result<Prepared, ApiError> PrepareUnpinChatMessage(const Args& args);
Result<Prepared, ApiError> PrepareUnpinAllChatMessages(const Args& args);
// moderation_methods.cc
Result<Prepared, ApiError> PrepareBanChatMember(const Args& args);
Result<Prepared, ApiError> PrepareUnbanChatMember(const Args& args);
Result<Prepared, ApiError> PreparePromoteChatMember(const Args& args);
Result<Prepared, ApiError> PrepareSetChatAdministratorCustomTitle(const Args& args);
Result<Prepared, ApiError> PrepareSetChatMemberTag(const Args& args);
Result<Prepared, ApiError> PrepareLeaveChat(const Args& args);
Result<Prepared, ApiError> PrepareBanChatSenderChat(const Args& args);
Result<Prepared, ApiError> PrepareUnbanChatSenderChat(const Args& args);

}  // namespace tgi::botapi
