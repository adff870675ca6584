#include "botapi/bot_api.h"

#include <chrono>
#include <memory>

#include "botapi/args.h"
#include "botapi/errors.h"
#include "botapi/methods.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/shared_codec.h"

namespace tgi::botapi {
namespace {

bool IsBase64Url(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<UserId, ApiError> CheckTokenFormat(std::string_view token) {
  size_t colon = token.find(':');
  if (token.empty() || token[0] == '0' || token.size() > 80 ||
      token.find('/') != std::string_view::npos || colon == std::string_view::npos)
    return Unexpected{InvalidTokenSpecified()};
  int64_t id = 0;
  if (!ParseExactInt64(token.substr(0, colon), &id)) return Unexpected{UnallowedTokenSpecified()};
  if (id <= 0 || id >= (int64_t{1} << 54)) return Unexpected{InvalidTokenSpecified()};
  std::string_view secret = token.substr(colon + 1);
  if (secret.size() < 24 || !IsBase64Url(secret)) return Unexpected{Unauthorized()};
  return UserId(id);
}

BotApi::BotApi(app::Engine& engine, app::LongPollHub* hub, UpdateHooks hooks)
    : engine_(engine), hub_(hub), hooks_(std::move(hooks)) {
  hooks_.updates_sent = &updates_sent_;
  if (!engine_.clustered()) return;
  engine_.HandleShared(
      std::string(Guards::kSharedPrefix),
      [this](std::string_view k, std::string_view v) { return guards_.ApplyShared(k, v); });
  engine_.HandleShared(
      std::string(FloodControl::kSharedPrefix),
      [this](std::string_view k, std::string_view v) { return flood_.ApplyShared(k, v); });
  engine_.HandleShared(
      std::string(Faults::kSharedPrefix),
      [this](std::string_view k, std::string_view v) { return faults_.ApplyShared(k, v); });
  engine_.HandleShared(
      std::string(kSharedPollPrefix),
      [this](std::string_view k, std::string_view v) { return ApplySharedPoll(k, v); });
}

void BotApi::Handle(http::Request&& request, http::Respond respond) {
  // Counted under the method found below, or "unknown" if refused before (the answer may come
  // later, from another thread: the slot is read then).
  auto counted_as = std::make_shared<const MethodSpec*>(nullptr);
  respond = [this, counted_as, started = std::chrono::steady_clock::now(),
             respond = std::move(respond)](http::Response response) {
    metrics_.Record(*counted_as, response.status, std::chrono::steady_clock::now() - started);
    respond(std::move(response));
  };
  // The request stays with the connection (and is freed on its thread): what the method needs
  // of it is decoded into the prepared closure, which owns its values.
  const http::Request& req = request;
  if (req.absolute_uri) return respond(ErrorResponse(AbsoluteUriNotFound()));
  std::string_view path = req.path;
  if (path.substr(0, 4) != "/bot") return respond(ErrorResponse(NotFound()));
  path.remove_prefix(4);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) return respond(ErrorResponse(NotFound()));
  std::string_view token = path.substr(0, slash);
  std::string_view method_name = path.substr(slash + 1);
  // The test environment is answered from the same world.
  if (method_name.substr(0, 5) == "test/") method_name.remove_prefix(5);

  auto bot_id = CheckTokenFormat(token);
  if (!bot_id) return respond(ErrorResponse(bot_id.error()));
  crypto::Sha256Digest digest = crypto::Sha256(token);

  Args args(req.params);
  if (method_name.empty()) method_name = args.Get("method");
  const MethodSpec* spec = FindMethod(method_name);
  *counted_as = spec;
  // Decode outside the lock; the error, if any, is answered only once the token is accepted.
  std::shared_ptr<Result<Prepared, ApiError>> prepared;
  if (spec) prepared = std::make_shared<Result<Prepared, ApiError>>(spec->prepare(args));
  Execute(*bot_id, digest, spec, std::move(prepared), req.request_id, std::move(respond));
}

void BotApi::RunAsBot(UserId bot, std::string_view method, http::ParamList params,
                      http::Respond respond) {
  const MethodSpec* spec = FindMethod(method);
  std::shared_ptr<Result<Prepared, ApiError>> prepared;
  if (spec) {
    Args args(params);
    prepared = std::make_shared<Result<Prepared, ApiError>>(spec->prepare(args));
  }
  Execute(bot, std::nullopt, spec, std::move(prepared), "", std::move(respond));
}

void BotApi::Execute(UserId bot, std::optional<crypto::Sha256Digest> digest, const MethodSpec* spec,
                     std::shared_ptr<Result<Prepared, ApiError>> prepared, std::string request_id,
                     http::Respond respond) {
  struct State {
    http::Response reply;
    LongPoll poll;
    std::vector<std::function<void()>> after_durable;
    std::optional<Faults::Entry> fault;  // the fault answered instead of the method
  };
  auto state = std::make_shared<State>();
  bool may_wait = hub_ != nullptr && digest.has_value();
  const bool clustered = engine_.clustered();
  engine_.Run(
      [this, bot, digest, spec, prepared, state, may_wait, clustered](
          domain::World& world, domain::Mutation& m, UnixTime now) {
        const domain::Bot* b = world.FindBot(bot);
        if (!b || (digest && !crypto::ConstantTimeEqual(b->token_sha256, *digest))) {
          state->reply = ErrorResponse(Unauthorized());
          return;
        }
        if (b->logged_out) {
          state->reply = ErrorResponse(LoggedOut());
          return;
        }
        world.NoteRequest(bot, now);
        if (!prepared) {
          state->reply = ErrorResponse(MethodNotFound());
          return;
        }
        // Named decision: a pending fault answers after the token and the method name were
        // accepted and before the parameters are looked at, so every call of the method counts,
        // whatever its parameters (a getUpdates answers at once, without waiting). Method calls
        // in a webhook's reply (no token, their answer goes nowhere) are not faulted.
        if (digest) {
          if ((state->fault = faults_.Take(bot, spec->name, clustered ? &m : nullptr))) {
            state->reply = ErrorResponse(state->fault->error);
            return;
          }
        }
        if (!prepared->ok()) {
          state->reply = ErrorResponse(prepared->error());
          return;
        }
        MethodContext context{.world = world,
                              .mutation = m,
                              .now = now,
                              .bot = bot,
                              .hub = hub_,
                              .poll = may_wait ? &state->poll : nullptr,
                              .after_durable = &state->after_durable,
                              .hooks = &hooks_,
                              .now_ms = engine_.NowMillisInWork(),
                              // A webhook reply's call is internal: not guarded.
                              .guards = digest && guards_on_ ? &guards_ : nullptr,
                              .flood = flood_on_ ? &flood_ : nullptr,
                              .shared = clustered ? &m : nullptr};
        state->reply = prepared->value()(context);
      },
      [this, bot, digest, spec, prepared, state, request_id = std::move(request_id),
       respond = std::move(respond)](Status st) mutable {
        if (!st.ok()) return respond(ErrorResponse(StorageFailure()));
        if (state->fault) {
          // On whatever thread the store calls back from: the line names its request.
          log::RequestScope scope(request_id);
          std::string line = "bot ";
          line.append(std::to_string(bot.value)).append(": ").append(spec->name);
          line.append(" answered ").append(std::to_string(state->fault->error.code));
          line.append(" from a fault (").append(std::to_string(state->fault->remaining));
          line.append(" left)");
          log::Info("faults", line);
        }
        for (auto& f : state->after_durable) f();
        // A 409 of the method's own (not a fault's) is held back as the reference's are.
        if (digest && !state->fault && state->reply.status == 409)
          return AnswerConflict(bot, std::move(state->reply), std::move(respond));
        if (!state->poll.wait) return respond(std::move(state->reply));
        // getUpdates found nothing: wait for an update, then run it again (it may wait again if
        // woken for nothing it can see, until the deadline).
        auto since = std::chrono::steady_clock::now();
        app::LongPollHub::Window window{
            .since = since, .deadline = since + std::chrono::seconds(state->poll.timeout_seconds)};
        Park(bot, *digest, prepared, state->poll.seen_seq, window, std::move(respond));
      });
}

void BotApi::Park(UserId bot, crypto::Sha256Digest digest,
                  std::shared_ptr<Result<Prepared, ApiError>> prepared, uint64_t seen_seq,
                  app::LongPollHub::Window window, http::Respond respond) {
  hub_->Wait(
      bot, seen_seq, window,
      [this, bot, digest, prepared, window,
       respond = std::move(respond)](app::LongPollHub::Wake why) mutable {
        using Wake = app::LongPollHub::Wake;
        if (why == Wake::kReplaced)
          return AnswerConflict(bot, ErrorResponse(TerminatedByOtherGetUpdates()),
                                std::move(respond));
        if (why == Wake::kWebhookSet)
          return AnswerConflict(bot, ErrorResponse(TerminatedBySetWebhook()), std::move(respond));
        // Updates, timeout or stop: answer with what there is now. Before the deadline,
        // an empty answer waits again.
        bool final = why != Wake::kUpdates || std::chrono::steady_clock::now() >= window.deadline;
        RunPoll(bot, digest, prepared, window, final, std::move(respond));
      });
}

void BotApi::AnswerConflict(UserId bot, http::Response reply, http::Respond respond) {
  if (!hub_ || !guards_on_) return respond(std::move(reply));
  auto hold = [this](http::Response reply, http::Respond respond) {
    hub_->After(
        std::chrono::steady_clock::now() + std::chrono::milliseconds(Guards::kConflictHoldMs),
        [reply = std::move(reply), respond = std::move(respond)]() mutable {
          respond(std::move(reply));
        });
  };
  if (!engine_.clustered()) {
    if (guards_.AnswerConflictNow(bot, engine_.NowMillis())) return respond(std::move(reply));
    return hold(std::move(reply), std::move(respond));
  }
  // Several instances: the 409s of a bot are held back as one instance's would be, whichever
  // instance answers them, so the check runs in a round, where the guards are shared.
  struct Pending {
    http::Response reply;
    http::Respond respond;
    bool now = true;
  };
  auto pending = std::make_shared<Pending>(Pending{std::move(reply), std::move(respond)});
  engine_.Run(
      [this, bot, pending](domain::World&, domain::Mutation& m, UnixTime) {
        pending->now = guards_.AnswerConflictNow(bot, engine_.NowMillisInWork(), &m);
      },
      [pending, hold](Status) {
        // A failed round answers at once: the 409 is the answer either way.
        if (pending->now) return pending->respond(std::move(pending->reply));
        hold(std::move(pending->reply), std::move(pending->respond));
      });
}

bool BotApi::ApplySharedPoll(std::string_view key, std::string_view value) {
  auto bot = shared_codec::ParseKeyIds(key.substr(kSharedPollPrefix.size()));
  auto times = shared_codec::ParseInts(value);
  if (!bot || bot->size() != 1 || !times || (times->size() != 0 && times->size() != 2))
    return false;
  if (hub_ == nullptr) return true;
  if (times->empty()) {
    hub_->SetRemote(UserId((*bot)[0]), std::nullopt);
    return true;
  }
  // From the world's milliseconds, which the instances share, to this one's steady clock.
  const UnixMillis now_ms = engine_.NowMillis();
  const auto now = std::chrono::steady_clock::now();
  using std::chrono::milliseconds;
  hub_->SetRemote(UserId((*bot)[0]),
                  app::LongPollHub::Window{.since = now - milliseconds(now_ms - (*times)[0]),
                                           .deadline = now + milliseconds((*times)[1] - now_ms)});
  return true;
}

void BotApi::RunPoll(UserId bot, crypto::Sha256Digest digest,
                     std::shared_ptr<Result<Prepared, ApiError>> prepared,
                     app::LongPollHub::Window window, bool final, http::Respond respond) {
  struct State {
    http::Response reply;
    LongPoll poll;
  };
  auto state = std::make_shared<State>();
  const bool clustered = engine_.clustered();
  engine_.Run(
      [this, bot, prepared, state, final, clustered](domain::World& world, domain::Mutation& m,
                                                     UnixTime now) {
        std::vector<std::function<void()>> ignored;
        MethodContext context{.world = world,
                              .mutation = m,
                              .now = now,
                              .bot = bot,
                              .hub = hub_,
                              .poll = final ? nullptr : &state->poll,
                              .after_durable = &ignored,
                              .hooks = &hooks_,
                              .now_ms = engine_.NowMillisInWork(),
                              .shared = clustered ? &m : nullptr};
        state->reply = prepared->value()(context);
      },
      [this, bot, digest, prepared, state, window,
       respond = std::move(respond)](Status st) mutable {
        if (!st.ok()) return respond(ErrorResponse(StorageFailure()));
        if (!state->poll.wait) return respond(std::move(state->reply));
        Park(bot, digest, prepared, state->poll.seen_seq, window, std::move(respond));
      });
}

}  // namespace tgi::botapi
