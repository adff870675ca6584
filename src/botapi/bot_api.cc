#include "botapi/bot_api.h"

#include <memory>

#include "botapi/args.h"
#include "botapi/errors.h"
#include "botapi/methods.h"
#include "common/crypto.h"

namespace tginvite::botapi {
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

void BotApi::Handle(http::Request&& request, http::Respond respond) {
  auto req = std::make_shared<http::Request>(std::move(request));
  if (req->absolute_uri) return respond(ErrorResponse(AbsoluteUriNotFound()));
  std::string_view path = req->path;
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

  Args args(req->params);
  if (method_name.empty()) method_name = args.Get("method");
  const MethodSpec* spec = FindMethod(method_name);
  // Decode outside the lock; the error, if any, is answered only once the token is accepted.
  std::shared_ptr<Result<Prepared, ApiError>> prepared;
  if (spec) prepared = std::make_shared<Result<Prepared, ApiError>>(spec->prepare(args));

  auto reply = std::make_shared<http::Response>();
  engine_.Run(
      [bot = *bot_id, digest, prepared, reply](domain::World& world, domain::Mutation& m,
                                               UnixTime now) {
        const domain::Bot* b = world.FindBot(bot);
        if (!b || !crypto::ConstantTimeEqual(b->token_sha256, digest)) {
          *reply = ErrorResponse(Unauthorized());
          return;
        }
        if (b->logged_out) {
          *reply = ErrorResponse(LoggedOut());
          return;
        }
        world.NoteRequest(bot, now);
        if (!prepared) {
          *reply = ErrorResponse(MethodNotFound());
          return;
        }
        if (!prepared->ok()) {
          *reply = ErrorResponse(prepared->error());
          return;
        }
        MethodContext context{.world = world, .mutation = m, .now = now, .bot = bot};
        *reply = prepared->value()(context);
      },
      [reply, respond = std::move(respond), req](Status st) {
        if (!st.ok()) return respond(ErrorResponse(InternalError("storage failure")));
        respond(std::move(*reply));
      });
}

}  // namespace tginvite::botapi
