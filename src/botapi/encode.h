// Encoders for the Bot API objects this server returns, field by field in the reference server's
// order (spec 3.1, 4.1-4.3). Optional fields are left out rather than sent as null.
#pragma once

#include "botapi/json_writer.h"
#include "domain/model.h"
#include "domain/world.h"

namespace tgi::botapi {

// User as it appears inside other objects (creator, member.user, ...).
void WriteUser(JsonWriter& w, const domain::User& user);
// The getMe result: the User plus the bot-only flags, all present.
void WriteGetMe(JsonWriter& w, const domain::User& user, const domain::Bot& bot);
// ChatFullInfo, the getChat result.
void WriteChatFullInfo(JsonWriter& w, const domain::ChatView& view);
// ChatMember; `chat` decides which rights a ChatMemberAdministrator shows (null: private chat).
void WriteChatMember(JsonWriter& w, const domain::MemberView& view, const domain::Chat* chat);

// The short Chat object inside updates: id, title, username, type.
void WriteChat(JsonWriter& w, const domain::Chat& chat);
// ChatInviteLink (spec 3.1) as bot `viewer` sees it: another administrator's link is cut short
// (spec 3.8).
void WriteChatInviteLink(JsonWriter& w, const domain::World& world, const domain::InviteLink& link,
                         UserId viewer);
// The Update object {"update_id":N,"<type>":{...}} that `receiver` gets for `event` (spec 5).
// This is the World's UpdateEncoder.
std::string EncodeUpdate(const domain::World& world, const domain::UpdateEvent& event,
                         UserId receiver, int64_t update_id);
// The invite-link string bot `viewer` is shown for `link`: the whole URL for its own links,
// else the first 8 characters of the hash and "..." (named decision, spec 3.8 and 9).
std::string VisibleLinkUrl(const domain::InviteLink& link, UserId viewer);

using domain::ChatTypeName;
using domain::MemberStatusName;

}  // namespace tgi::botapi
