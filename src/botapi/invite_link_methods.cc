// exportChatInviteLink; the rest of the invite-link family joins this file.
#include "botapi/encode.h"
#include "botapi/methods.h"

namespace tginvite::botapi {

Result<Prepared, ApiError> PrepareExportChatInviteLink(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat](MethodContext& c) {
    auto hash = c.world.ExportPrimaryLink(c.bot, chat, c.now, c.mutation);
    if (!hash) return Err(FromDomain(hash.error()));
    JsonWriter w;
    w.String(domain::InviteLinkUrl(*hash));
    return Ok(w);
  });
}

}  // namespace tginvite::botapi
