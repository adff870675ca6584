// restrictChatMember and setChatPermissions (spec bot-api-moderation.md 4, 6.1): the parameters
// are read here in the reference's order, the rules are the World's (world_permissions.cc).
#include "botapi/methods.h"
#include "botapi/moderation_args.h"

namespace tgi::botapi {

Result<Prepared, ApiError> PrepareRestrictChatMember(const Args& args) {
  // 4.2: user_id, then the permissions, then the chat.
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  auto perms = ParseChatPermissions(args, LegacyPermissions::kAllowed);
  if (!perms) return Unexpected{perms.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  const int64_t until_date = ParseLenientInt32(args.Get("until_date"));
  return Prepared([chat = *chat, user = *user, perms = *perms, until_date](MethodContext& c) {
    domain::World::Restriction r{.permissions = perms.permissions,
                                 .until_date = NormalizeUntilDate(until_date, c.now),
                                 .keep_legacy_extras = perms.legacy_partial};
    auto done = c.world.RestrictMember(c.bot, chat, user, r, c.now, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    JsonWriter w;
    w.Bool(true);
    return Ok(w);
  });
}

Result<Prepared, ApiError> PrepareSetChatPermissions(const Args& args) {
  auto perms = ParseChatPermissions(args, LegacyPermissions::kRefused);
  if (!perms) return Unexpected{perms.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, perms = *perms](MethodContext& c) {
    auto done = c.world.SetChatPermissions(c.bot, chat, perms.permissions, c.mutation);
    if (!done) return Err(FromDomain(done.error()));
    JsonWriter w;
    w.Bool(true);
    return Ok(w);
  });
}

}  // namespace tgi::botapi
