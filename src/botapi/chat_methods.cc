// getChat, getChatMember, getChatAdministrators, getChatMemberCount.
#include "botapi/encode.h"
#include "botapi/methods.h"

namespace tgi::botapi {

Result<Prepared, ApiError> PrepareGetChat(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat](MethodContext& c) {
    auto view = c.world.GetChat(c.bot, chat, c.now, c.mutation);
    if (!view) return Err(FromDomain(view.error()));
    JsonWriter w;
    WriteChatFullInfo(w, c.world, *view);
    return Ok(w);
  });
}

Result<Prepared, ApiError> PrepareGetChatMember(const Args& args) {
  // The reference parses user_id before it looks at the chat.
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, user = *user](MethodContext& c) {
    auto view = c.world.GetChatMember(c.bot, chat, user, c.now);
    if (!view) return Err(FromDomain(view.error()));
    JsonWriter w;
    WriteChatMember(w, *view, view->chat);
    return Ok(w);
  });
}

Result<Prepared, ApiError> PrepareGetChatAdministrators(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  domain::AdminBots bots =
      args.Bool("return_bots") ? domain::AdminBots::kAll : domain::AdminBots::kCallerOnly;
  return Prepared([chat = *chat, bots](MethodContext& c) {
    auto admins = c.world.GetChatAdministrators(c.bot, chat, bots);
    if (!admins) return Err(FromDomain(admins.error()));
    JsonWriter w;
    w.BeginArray();
    for (const auto& view : *admins) WriteChatMember(w, view, view.chat);
    w.EndArray();
    return Ok(w);
  });
}

Result<Prepared, ApiError> PrepareGetChatMemberCount(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat](MethodContext& c) {
    auto count = c.world.GetChatMemberCount(c.bot, chat);
    if (!count) return Err(FromDomain(count.error()));
    JsonWriter w;
    w.Int(*count);
    return Ok(w);
  });
}

}  // namespace tgi::botapi
