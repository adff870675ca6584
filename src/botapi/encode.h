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
// ChatFullInfo, the getChat result; `world` writes its pinned_message.
void WriteChatFullInfo(JsonWriter& w, const domain::World& world, const domain::ChatView& view);
// ChatMember; `chat` decides which rights a ChatMemberAdministrator shows (null: private chat).
void WriteChatMember(JsonWriter& w, const domain::MemberView& view, const domain::Chat* chat);

// The short Chat object inside updates: id, title, username, type.
void WriteChat(JsonWriter& w, const domain::Chat& chat);
// ChatInviteLink (spec 3.1) as bot `viewer` sees it: another administrator's link is cut short
// (spec 3.8).
void WriteChatInviteLink(JsonWriter& w, const domain::World& world, const domain::InviteLink& link,
                         UserId viewer);
// The short Chat of a private chat, as bot-api-messages.md 1.3 writes it: the user's id, names
// and username, type "private".
void WritePrivateChat(JsonWriter& w, const domain::User& user);

// How much of a Message to write (spec bot-api-messages.md 1.5): the message it replies to (one
// level, same chat, when known) in updates, send results and callback queries, not in edit
// results.
enum class ReplyDepth { kWithReply, kWithoutReply };
// The Message object (spec bot-api-messages.md 1.1-1.6), keys in the reference's order.
void WriteMessage(JsonWriter& w, const domain::World& world, const domain::Message& message,
                  ReplyDepth depth);
// A message as the control plane's listings show it (named decision: one key for every kind of
// markup, so a reader finds a message's keyboard in one place): the Message with its reply
// (kWithReply), and, where the bot sent a reply keyboard, keyboard removal or force reply with it,
// that markup as `reply_markup` (domain::Message::reply_keyboard), in the place an inline keyboard
// has. Never used for the Bot API, whose Message shows only inline keyboards (spec 1.6).
void WriteListedMessage(JsonWriter& w, const domain::World& world, const domain::Message& message);
// An InaccessibleMessage {"message_id":N,"chat":{...},"date":0}: a message of chat `chat` (key
// `owner`, as domain::Message::bot) that is unknown or deleted.
void WriteInaccessibleMessage(JsonWriter& w, const domain::World& world, ChatId chat, UserId owner,
                              int64_t message_id);
// A message's chat as the short Chat: the chat, or for a private chat the user.
void WriteMessageChat(JsonWriter& w, const domain::World& world, const domain::Message& message);
// CallbackQuery (spec bot-api-messages.md 6.1).
void WriteCallbackQuery(JsonWriter& w, const domain::World& world, const domain::CallbackQuery& q);
// Named decision (spec 6.1): chat_instance is derived from the chat and the bot, the same for
// every query of that pair, different between chats.
int64_t ChatInstance(ChatId chat, UserId bot);

// The Update object {"update_id":N,\n"<type>":{...}} that `receiver` gets for `event` (spec 5),
// with the reference's newline after update_id.
// This is the World's UpdateEncoder.
std::string EncodeUpdate(const domain::World& world, const domain::UpdateEvent& event,
                         UserId receiver, int64_t update_id);
// WebhookInfo (spec 5.5), as getWebhookInfo answers it for `bot` (defined with the method, in
// update_methods.cc); the control plane shows it too (GET /control/v1/bots/{id}/updates).
void WriteWebhookInfo(JsonWriter& w, const domain::World& world, UserId bot, UnixTime now);
// The invite-link string bot `viewer` is shown for `link`: the whole URL for its own links,
// else the first 8 characters of the hash and "..." (named decision, spec 3.8 and 9).
std::string VisibleLinkUrl(const domain::InviteLink& link, UserId viewer);

using domain::ChatTypeName;
using domain::MemberStatusName;

}  // namespace tgi::botapi
