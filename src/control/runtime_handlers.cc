// The control plane's handlers of the server's own state around the world
// (control/handlers.h): the simulated clock, faults (errors the Bot API answers on purpose), and
// what tests observe of the Bot API side: a bot's parked long poll, its queued updates, and the
// event stream's subscribers.
#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "botapi/encode.h"
#include "botapi/errors.h"
#include "botapi/json_writer.h"
#include "control/bodies.h"
#include "control/handlers.h"

namespace tgi::control::handlers {
namespace {

void WriteFault(JsonWriter& w, const botapi::Faults::Entry& f) {
  w.BeginObject().Field("bot_id", f.bot.value).Field("method", f.method);
  w.Field("remaining", f.remaining).Field("error_code", int64_t{f.error.code});
  w.Field("description", f.error.description);
  if (f.error.retry_after) w.Field("retry_after", *f.error.retry_after);
  w.EndObject();
}

}  // namespace

namespace {

// The clock, after moving it `advance` seconds forward (if given).
Work Clock(std::optional<int64_t> advance) {
  return [advance](domain::World& w, domain::Mutation& m, UnixTime now) {
    if (advance) {
      if (auto st = w.AdvanceClock(*advance, m); !st) return BadRequest(st.error());
      now += *advance;  // `now` was read before the advance
    }
    JsonWriter out;
    out.BeginObject().Field("now", now).Field("offset", w.clock_offset()).EndObject();
    return Ok(out);
  };
}

}  // namespace

// GET /clock
Result<Work, ApiError> GetClock(const Call&) { return Clock(std::nullopt); }

// POST /clock
Result<Work, ApiError> PostClock(const Call& call) {
  auto advance = ParseClockBody(call.request.body);
  if (!advance) return BadBody(advance.error());
  return Clock(*advance);
}

// Named decision: faults are test-time state, not world state: kept in memory only (in
// botapi::Faults), never stored, gone after a restart. They go through the engine all the same,
// to see the bots and to be ordered with the Bot API calls around them. Several instances share
// them (botapi/faults.h).

// POST /faults
Result<Work, ApiError> PostFaults(const Call& call) {
  auto fault = ParseFaultBody(call.request.body);
  if (!fault) return BadBody(fault.error());
  return Work([f = std::move(*fault), faults = &call.faults, clustered = call.clustered](
                  domain::World& w, domain::Mutation& m, UnixTime) {
    if (!w.FindBot(f.bot)) return Refuse(botapi::ControlUnknownBot(f.bot));
    faults->Set(f.bot, f.method, f.count, f.error, clustered ? &m : nullptr);
    JsonWriter out;
    WriteFault(out, botapi::Faults::Entry{
                        .bot = f.bot, .method = f.method, .remaining = f.count, .error = f.error});
    Reply reply = Ok(out);
    reply.note.append("bot ").append(std::to_string(f.bot.value)).append(": the next ");
    reply.note.append(std::to_string(f.count)).append(" calls of ").append(f.method);
    reply.note.append(" answer ").append(std::to_string(f.error.code));
    return reply;
  });
}

// GET /faults
Result<Work, ApiError> GetFaults(const Call& call) {
  return Work([faults = &call.faults](domain::World&, domain::Mutation&, UnixTime) {
    JsonWriter out;
    out.BeginArray();
    for (const auto& f : faults->List()) WriteFault(out, f);
    out.EndArray();
    return Ok(out);
  });
}

// DELETE /faults
Result<Work, ApiError> DeleteFaults(const Call& call) {
  return Work([faults = &call.faults, clustered = call.clustered](domain::World&,
                                                                  domain::Mutation& m, UnixTime) {
    size_t n = faults->Clear(clustered ? &m : nullptr);
    JsonWriter out;
    out.BeginObject().Field("cleared", static_cast<int64_t>(n)).EndObject();
    Reply reply = Ok(out);
    reply.note.append("cleared every fault (").append(std::to_string(n)).append(")");
    return reply;
  });
}

// DELETE /faults/{bot_id}
Result<Work, ApiError> DeleteBotFaults(const Call& call) {
  return Work([bot = UserId(call.ids[0]), faults = &call.faults, clustered = call.clustered](
                  domain::World& w, domain::Mutation& m, UnixTime) {
    if (!w.FindBot(bot)) return Refuse(botapi::ControlUnknownBot(bot));
    size_t n = faults->Clear(bot, clustered ? &m : nullptr);
    JsonWriter out;
    out.BeginObject().Field("cleared", static_cast<int64_t>(n)).EndObject();
    Reply reply = Ok(out);
    reply.note.append("bot ").append(std::to_string(bot.value)).append(": cleared its faults (");
    reply.note.append(std::to_string(n)).append(")");
    return reply;
  });
}

// GET /bots/{bot_id}/long-poll
// Whether a getUpdates of the bot is parked now, waiting for an update, and the timeout it
// waits with, in seconds (after the 50 s cap): tests wait for a poll to be parked instead of
// sleeping, and see the cap without waiting 50 s.
Result<Work, ApiError> GetLongPoll(const Call& call) {
  return Work(
      [bot = UserId(call.ids[0]), hub = call.hub](domain::World& w, domain::Mutation&, UnixTime) {
        if (!w.FindBot(bot)) return Refuse(botapi::ControlUnknownBot(bot));
        std::optional<app::LongPollHub::Window> parked = hub ? hub->Parked(bot) : std::nullopt;
        JsonWriter out;
        out.BeginObject().Field("waiting", parked.has_value());
        if (parked) {
          auto timeout = std::chrono::round<std::chrono::seconds>(parked->deadline - parked->since);
          out.Field("timeout", static_cast<int64_t>(timeout.count()));
        }
        out.EndObject();
        return Ok(out);
      });
}

// GET /bots/{bot_id}/updates?after=UPDATE_ID&limit=N
// The updates queued for the bot (not yet confirmed, delivered or expired), oldest first, each
// the Update object the bot will receive, byte for byte (the stored text, not re-encoded); with
// getWebhookInfo's object and the bot's allowed_updates, so the console shows a bot's inbox in
// one call. Paged as the listings, by update_id.
Result<Work, ApiError> GetBotUpdates(const Call& call) {
  auto page = ParsePage(call.request);
  if (!page) return Unexpected{page.error()};
  return Work(
      [bot = UserId(call.ids[0]), p = *page](domain::World& w, domain::Mutation&, UnixTime now) {
        if (!w.FindBot(bot)) return Refuse(botapi::ControlUnknownBot(bot));
        std::vector<const domain::Update*> queued = w.PendingUpdates(bot, now);
        auto first =
            std::upper_bound(queued.begin(), queued.end(), p.after,
                             [](int64_t after, const domain::Update* u) { return after < u->id; });
        const size_t left = static_cast<size_t>(queued.end() - first);
        const size_t count = std::min(left, p.limit);
        JsonWriter out;
        out.BeginObject().Key("updates").BeginArray();
        for (size_t i = 0; i < count; ++i) out.Raw(first[static_cast<ptrdiff_t>(i)]->json);
        out.EndArray();
        if (left > count) out.Field("next_after", first[static_cast<ptrdiff_t>(count) - 1]->id);
        out.Key("webhook");
        botapi::WriteWebhookInfo(out, w, bot, now);
        const uint32_t allowed = w.UpdateSettings(bot).allowed_updates;
        out.Key("allowed_updates").BeginArray();
        for (int t = 0; t < static_cast<int>(domain::UpdateType::kCount); ++t)
          if (allowed & domain::UpdateBit(static_cast<domain::UpdateType>(t)))
            out.String(domain::UpdateTypeName(static_cast<domain::UpdateType>(t)));
        out.EndArray();
        out.EndObject();
        return Ok(out);
      });
}

// GET /events/subscribers
// How many streams are open and how many were dropped for not reading, so tests (and people)
// see a slow reader dropped without timing it. Several instances: on all of them (each shares
// its own in a round as they change, app::EventHub::SetStatsHook).
Result<Work, ApiError> GetEventSubscribers(const Call& call) {
  return Work([events = call.events](domain::World&, domain::Mutation&, UnixTime) {
    app::EventHub::Stats stats = events ? events->ClusterStats() : app::EventHub::Stats{};
    JsonWriter out;
    out.BeginObject();
    out.Field("subscribers", static_cast<int64_t>(stats.subscribers));
    out.Field("dropped", static_cast<int64_t>(stats.dropped));
    out.EndObject();
    return Ok(out);
  });
}

}  // namespace tgi::control::handlers
