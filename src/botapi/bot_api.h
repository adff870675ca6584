// The Bot API front: takes an HTTP request for /bot<token>/..., checks the path and the token
// (spec 1.1, 1.3, 1.8), finds the method, decodes its parameters and runs it on the engine.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "app/engine.h"
#include "app/long_poll_hub.h"
#include "botapi/errors.h"
#include "botapi/faults.h"
#include "botapi/methods.h"
#include "botapi/request_metrics.h"
#include "common/crypto.h"
#include "http/request.h"

namespace tgi::botapi {

class BotApi {
 public:
  // `hub`: where getUpdates calls wait; null disables long polling. Cluster mode: takes in
  // what the other instances share of the guards, flood control, the faults and parked polls
  // (app::Engine::HandleShared), so construct it before the engine starts.
  BotApi(app::Engine& engine, app::LongPollHub* hub = nullptr, UpdateHooks hooks = {});

  // REQUIRES: request.path starts with "/bot", or request.absolute_uri. Calls `respond` once.
  void Handle(http::Request&& request, http::Respond respond);

  // Runs `method` as bot `bot` without a token check: a method call found in a webhook's reply
  // (spec 5.5). Calls `respond` once.
  void RunAsBot(UserId bot, std::string_view method, http::ParamList params, http::Respond respond);

  // The faults the control plane sets (POST /control/v1/faults): checked for every call with a
  // token, after the token and the method name, before the method runs.
  Faults& faults() { return faults_; }
  // Requests answered through Handle (not RunAsBot's), by method and status, with latencies.
  const RequestMetrics& request_metrics() const { return metrics_; }
  // Updates handed out in getUpdates answers.
  uint64_t updates_sent() const { return updates_sent_.value(); }

  // Switches flood control for sent messages on (botapi/flood.h). Call before serving.
  void EnableFloodControl() { flood_on_ = true; }
  // Switches the reference's busy-loop guards (botapi/guards.h, on by default) off, for tests
  // of other things. Call before serving.
  void DisableGuards() { guards_on_ = false; }

 private:
  // Runs a prepared method of `spec` (or the error it stands for) under the engine for `bot`;
  // `digest` (when set) is the token's hash to check first, and a pending fault then answers
  // instead of the method. `request_id`: the HTTP request's, for the log ("" for none).
  void Execute(UserId bot, std::optional<crypto::Sha256Digest> digest, const MethodSpec* spec,
               std::shared_ptr<Result<Prepared, ApiError>> prepared, std::string request_id,
               http::Respond respond);

  // Long polling: parks a getUpdates on the hub, and runs it again when woken.
  void Park(UserId bot, crypto::Sha256Digest digest,
            std::shared_ptr<Result<Prepared, ApiError>> prepared, uint64_t seen_seq,
            app::LongPollHub::Window window, http::Respond respond);
  void RunPoll(UserId bot, crypto::Sha256Digest digest,
               std::shared_ptr<Result<Prepared, ApiError>> prepared,
               app::LongPollHub::Window window, bool final, http::Respond respond);

  // Takes in another instance's kSharedPollPrefix entry.
  bool ApplySharedPoll(std::string_view key, std::string_view value);

  // Answers a 409 Conflict as the reference's fail_query_conflict: at once, or, within 3 s of
  // the last one answered at once, 3 s later (on the hub's timer).
  void AnswerConflict(UserId bot, http::Response reply, http::Respond respond);

  app::Engine& engine_;
  app::LongPollHub* hub_;
  UpdateHooks hooks_;
  Faults faults_;
  Guards guards_;
  FloodControl flood_;
  bool flood_on_ = false;
  bool guards_on_ = true;
  RequestMetrics metrics_;
  metrics::Counter updates_sent_;
};

// The checks of spec 1.8 that need no world: on success fills *bot_id. The ApiError is the
// answer for a token that fails them.
Result<UserId, ApiError> CheckTokenFormat(std::string_view token);

}  // namespace tgi::botapi
