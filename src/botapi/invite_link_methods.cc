// The invite-link family (spec 2, 3): export, create, edit, revoke, the subscription links, and
// approving or declining join requests.
#include "botapi/encode.h"
#include "botapi/methods.h"

namespace tgi::botapi {
namespace {

// The four properties of createChatInviteLink and editChatInviteLink, parsed as the reference
// parses them (spec 3.2): expire_date clamped to >= 0, member_limit clamped to 0...100000; the
// name is cleaned by the World, after the chat is found, as TDLib does.
domain::LinkSpec ParseLinkSpec(const Args& args) {
  return domain::LinkSpec{
      .name = std::string(args.Get("name")),
      .expire_date = args.Int32("expire_date", 0, 0, INT32_MAX),
      .member_limit = args.Int32("member_limit", 0, 0, 100000),
      .creates_join_request = args.Bool("creates_join_request"),
  };
}

http::Response LinkReply(MethodContext& c,
                         const Result<domain::InviteLink, domain::DomainError>& r) {
  if (!r) return Err(FromDomain(r.error()));
  JsonWriter w;
  WriteChatInviteLink(w, c.world, *r, c.bot);
  return Ok(w);
}

}  // namespace

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

Result<Prepared, ApiError> PrepareCreateChatInviteLink(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, spec = ParseLinkSpec(args)](MethodContext& c) {
    return LinkReply(c, c.world.CreateLink(c.bot, chat, spec, c.now, c.mutation));
  });
}

Result<Prepared, ApiError> PrepareEditChatInviteLink(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, link = std::string(args.Get("invite_link")),
                   spec = ParseLinkSpec(args)](MethodContext& c) {
    return LinkReply(c, c.world.EditLink(c.bot, chat, link, spec, c.now, c.mutation));
  });
}

Result<Prepared, ApiError> PrepareRevokeChatInviteLink(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, link = std::string(args.Get("invite_link"))](MethodContext& c) {
    return LinkReply(c, c.world.RevokeLink(c.bot, chat, link, c.now, c.mutation));
  });
}

Result<Prepared, ApiError> PrepareCreateChatSubscriptionInviteLink(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared(
      [chat = *chat,
       spec = domain::SubscriptionSpec{
           .name = std::string(args.Get("name")),
           .period = args.Int32("subscription_period", 0, 0, 1'000'000'000),
           .price = args.Int32("subscription_price", 0, 0, 1'000'000)}](MethodContext& c) {
        return LinkReply(c, c.world.CreateSubscriptionLink(c.bot, chat, spec, c.now, c.mutation));
      });
}

Result<Prepared, ApiError> PrepareEditChatSubscriptionInviteLink(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, link = std::string(args.Get("invite_link")),
                   name = std::string(args.Get("name"))](MethodContext& c) {
    return LinkReply(c, c.world.EditSubscriptionLink(c.bot, chat, link, name, c.now, c.mutation));
  });
}

namespace {

Result<Prepared, ApiError> PrepareDecide(const Args& args, domain::JoinDecision decision) {
  // user_id first, even before a missing chat_id (spec 3.6).
  auto user = args.PositiveUserId();
  if (!user) return Unexpected{user.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = *chat, user = *user, decision](MethodContext& c) {
    auto r = c.world.DecideJoinRequest(c.bot, chat, user, decision, c.now, c.mutation);
    if (!r) return Err(FromDomain(r.error()));
    return Ok(true);
  });
}

}  // namespace

Result<Prepared, ApiError> PrepareApproveChatJoinRequest(const Args& args) {
  return PrepareDecide(args, domain::JoinDecision::kApprove);
}

Result<Prepared, ApiError> PrepareDeclineChatJoinRequest(const Args& args) {
  return PrepareDecide(args, domain::JoinDecision::kDecline);
}

}  // namespace tgi::botapi
