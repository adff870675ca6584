// The control plane's front (control_api.h): the bearer token, the route table that maps each
// route to its handler (control/handlers.h: world_handlers.cc and runtime_handlers.cc), the run
// of a handler's work under the world lock, and the event stream.
#include "control/control_api.h"

#include <array>
#include <memory>

#include "botapi/errors.h"
#include "common/log.h"
#include "control/handlers.h"
#include "control/routes.h"

namespace tgi::control {
namespace {

using botapi::ApiError;
using namespace handlers;  // the route table's handlers

constexpr std::array kRoutes = {
    Route{"POST", "/world", PostWorld},
    Route{"GET", "/bots", GetBots},
    Route{"PUT", "/bots/{bot_id}", PutBot},
    Route{"GET", "/bots/{bot_id}/long-poll", GetLongPoll},
    Route{"GET", "/bots/{bot_id}/updates", GetBotUpdates},
    Route{"GET", "/users", GetUsers},
    Route{"PUT", "/users/{user_id}", PutUser},
    Route{"GET", "/chats", GetChats},
    Route{"PUT", "/chats/{chat_id}", PutChat},
    Route{"GET", "/chats/{chat_id}", GetChat},
    Route{"GET", "/chats/{chat_id}/members", GetMembers},
    Route{"PUT", "/chats/{chat_id}/members/{user_id}", PutMember},
    Route{"GET", "/chats/{chat_id}/members/{user_id}", GetMember},
    Route{"GET", "/chats/{chat_id}/invite-links", GetInviteLinks},
    Route{"GET", "/chats/{chat_id}/join-requests", GetJoinRequests},
    Route{"POST", "/join", PostJoin},
    Route{"POST", "/leave", PostLeave},
    Route{"POST", "/remove", PostRemove},
    Route{"POST", "/withdraw", PostWithdraw},
    Route{"POST", "/chats/{chat_id}/upgrade", PostUpgrade},
    Route{"POST", "/messages", PostMessage},
    Route{"POST", "/messages/edit", PostMessageEdit},
    Route{"GET", "/chats/{chat_id}/messages", GetChatMessages},
    Route{"GET", "/users/{user_id}/chats", GetUserChats},
    Route{"GET", "/users/{user_id}/chats/{bot_id}/messages", GetPrivateMessages},
    Route{"POST", "/callback-queries", PostCallbackQuery},
    Route{"GET", "/callback-queries/{query_id}", GetCallbackQuery},
    Route{"POST", "/users/{user_id}/block", PostBlock},
    Route{"POST", "/users/{user_id}/unblock", PostUnblock},
    Route{"GET", "/clock", GetClock},
    Route{"POST", "/clock", PostClock},
    Route{"POST", "/faults", PostFaults},
    Route{"GET", "/faults", GetFaults},
    Route{"DELETE", "/faults", DeleteFaults},
    Route{"DELETE", "/faults/{bot_id}", DeleteBotFaults},
    Route{"GET", "/events", nullptr},
    Route{"GET", "/events/subscribers", GetEventSubscribers},
};

// The event stream's body: each batch of events as server-sent events ("event: KIND\ndata:
// JSON\n\n"), pulled by the connection as fast as it writes.
class EventBody : public http::BodyStream {
 public:
  EventBody(app::EventHub& hub, std::shared_ptr<app::EventSubscription> subscription)
      : hub_(hub), subscription_(std::move(subscription)) {}

  void Pull(std::function<void(std::string)> give) override {
    subscription_->Pull([give = std::move(give)](std::vector<app::Event> batch) {
      std::string text;
      for (const app::Event& e : batch)
        text.append("event: ").append(e.kind).append("\ndata: ").append(e.json).append("\n\n");
      give(std::move(text));  // "" for an empty batch: the end
    });
  }

  void Cancel() override { hub_.Unsubscribe(subscription_); }

 private:
  app::EventHub& hub_;
  std::shared_ptr<app::EventSubscription> subscription_;
};

}  // namespace

std::span<const Route> Routes() { return kRoutes; }

ControlApi::ControlApi(app::Engine& engine, std::string_view control_token, botapi::Faults& faults,
                       const app::LongPollHub* hub, app::EventHub* events)
    : engine_(engine),
      token_sha256_(crypto::Sha256(control_token)),
      faults_(faults),
      hub_(hub),
      events_(events) {}

bool ControlApi::Authorized(const http::Request& request) const {
  const std::string* auth = request.GetHeader("authorization");
  if (!auth || auth->size() < 7 || auth->compare(0, 7, "Bearer ") != 0) return false;
  return crypto::ConstantTimeEqual(crypto::Sha256(std::string_view(*auth).substr(7)),
                                   token_sha256_);
}

// Named decision: the stream is authorized as every control call, by the bearer header (checked
// in Handle), never by a ?token= in the URL, which would reach logs, history and proxies; the
// console reads it with fetch() since EventSource cannot send the header. A reader that falls
// more than --event-queue events behind is dropped (app::EventHub) rather than kept in memory.
void ControlApi::StreamEvents(http::Respond respond) {
  // The first event: the subscription exists, so every change made after it reaches the reader.
  static const app::Event kReady{"ready", R"({"kind":"ready"})"};
  std::shared_ptr<app::EventSubscription> subscription =
      events_ ? events_->Subscribe(kReady) : nullptr;
  if (!subscription) return respond(botapi::ErrorResponse(botapi::NotFound()));  // stopping
  http::Response r;
  r.content_type = "text/event-stream";
  r.extra_headers.push_back({"Cache-Control", "no-store"});
  r.extra_headers.push_back({"X-Accel-Buffering", "no"});  // no buffering by a proxy in front
  r.stream = std::make_shared<EventBody>(*events_, std::move(subscription));
  r.keepalive = ": keep-alive\n\n";
  if (!engine_.clustered()) return respond(std::move(r));
  // Several instances: the stream starts once the round that shares the new subscriber count
  // (queued by Subscribe's stats hook) is committed, so that after the "ready" event every
  // instance counts it.
  auto reply = std::make_shared<http::Response>(std::move(r));
  engine_.Run(
      [](domain::World&, domain::Mutation&, UnixTime) {},
      [reply, respond = std::move(respond)](Status) mutable { respond(std::move(*reply)); });
}

void ControlApi::Handle(http::Request&& request, http::Respond respond) {
  auto refuse = [&respond](const ApiError& e) { respond(botapi::ErrorResponse(e)); };
  if (!Authorized(request)) return refuse(botapi::ControlUnauthorized());
  std::string_view path = request.path;
  constexpr std::string_view kPrefix = "/control/v1/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return refuse(botapi::NotFound());
  auto match = FindRoute(Routes(), request.method, path.substr(kPrefix.size()));
  if (!match) return refuse(match.error());
  if (!match->route->handler) return StreamEvents(std::move(respond));
  auto work = match->route->handler(Call{.request = request,
                                         .ids = match->ids,
                                         .faults = faults_,
                                         .hub = hub_,
                                         .events = events_,
                                         .clustered = engine_.clustered()});
  if (!work) return refuse(work.error());

  auto reply = std::make_shared<Reply>();
  engine_.Run([work = std::move(*work), reply](domain::World& w, domain::Mutation& m,
                                               UnixTime now) { *reply = work(w, m, now); },
              [reply, request_id = request.request_id, respond = std::move(respond)](Status st) {
                if (!st.ok()) return respond(botapi::ErrorResponse(botapi::StorageFailure()));
                // On whatever thread the store calls back from: the line names its request.
                log::RequestScope scope(request_id);
                if (!reply->note.empty()) log::Info("faults", reply->note);
                respond(std::move(reply->response));
              });
}

}  // namespace tgi::control
