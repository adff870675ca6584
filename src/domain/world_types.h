// The values the World's methods take and give: how a request names a chat, views of records,
// the specs of changes, the events that become updates, a world file. Split from world.h, which
// includes it; include world.h, not this.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/errors.h"
#include "domain/model.h"

namespace tgi::domain {

// How a request names a chat: a Bot API id, or a public @username (stored without the '@').
struct ChatRef {
  std::optional<int64_t> id;
  std::string username;
};

// The chat a bot addressed: either a group/supergroup/channel, or a private chat with a user.
struct Target {
  const Chat* chat = nullptr;
  const User* user = nullptr;  // private chats
};

struct ChatView {
  Target target;
  std::string invite_link_hash;  // the bot's primary link, when it may have one; else empty
  const Message* pinned_message = nullptr;  // the chat's newest pin, as PinnedMessage finds it
};

struct MemberView {
  const Chat* chat = nullptr;  // null for a private chat
  const User* user = nullptr;
  Member member;  // a synthesized `left` record for users who were never in the chat
};

struct LinkView {
  const InviteLink* link = nullptr;
  std::vector<const Join*> joins;
  int pending_join_request_count = 0;
};

// The four properties of a link that createChatInviteLink sets and editChatInviteLink replaces
// (spec 3.2, 3.3), already parsed, cleaned and clamped by the Bot API layer.
struct LinkSpec {
  std::string name;  // as the client sent it: the World cleans it (CleanLinkName)
  UnixTime expire_date = 0;
  int32_t member_limit = 0;
  bool creates_join_request = false;
};

// What createChatSubscriptionInviteLink asks for (spec 3.5), as the Bot API layer parsed it; the
// World checks the period and the price.
struct SubscriptionSpec {
  std::string name;    // as the client sent it: the World cleans it (CleanLinkName)
  int32_t period = 0;  // seconds; only 2592000 (30 days) is accepted
  int32_t price = 0;   // Telegram Stars per period
};

// Which bots getChatAdministrators lists besides the human administrators: the calling bot
// only, or every administrator bot (`return_bots`).
enum class AdminBots { kCallerOnly, kAll };

// An administrator's answer to a pending join request (approveChatJoinRequest /
// declineChatJoinRequest).
enum class JoinDecision { kApprove, kDecline };

// How POST /control/v1/remove removes a user: status `left`, free to join again, or `kicked`,
// banned from joining through any link.
enum class Removal { kLeaveFree, kBan };

// setWebhook's and deleteWebhook's drop_pending_updates: the bot's waiting updates are kept, or
// forgotten.
enum class QueuedUpdates { kKeep, kDrop };

// getUpdates' offset and limit (spec 5.4), already clamped by the Bot API layer.
struct UpdatesQuery {
  int64_t offset = 0;  // confirms every update below it; negative: counts from the end
  int limit = 100;     // 1 to 100
};

// Something that happened in a chat, before it is encoded for each bot that receives it.
struct MemberUpdateEvent {  // chat_member / my_chat_member (spec 5.1)
  ChatId chat;
  UserId from;
  UnixTime date = 0;
  Member old_member;
  Member new_member;
  std::string link_hash;          // joined through this link; empty: not through a link
  bool via_join_request = false;  // joined by an approved request made without a link
};
struct JoinRequestEvent {  // chat_join_request (spec 5.2)
  ChatId chat;
  UserId from;
  UnixTime date = 0;
  std::string bio;
  std::string link_hash;
};
struct MessageEvent {  // message / edited_message / channel_post / edited_channel_post (spec 9.3)
  ChatId chat;
  UserId bot;  // the message's key: (chat, bot, id); bot is 0 outside private chats
  int64_t message_id = 0;
  bool edited = false;  // edited_message / edited_channel_post
};
struct CallbackQueryEvent {  // callback_query (spec 6.1)
  ChatId chat;
  int64_t query_id = 0;
};
using UpdateEvent =
    std::variant<MemberUpdateEvent, JoinRequestEvent, MessageEvent, CallbackQueryEvent>;

class World;
// Encodes the Update object `{"update_id":...,"<type>":{...}}` that bot `receiver` gets for
// `event`, with the world as it is when the event happens. Supplied by the Bot API layer.
using UpdateEncoder = std::function<std::string(const World& world, const UpdateEvent& event,
                                                UserId receiver, int64_t update_id)>;

// What POST /control/v1/join did: the user joined, or (through a link that creates join
// requests) now has a pending request.
struct JoinOutcome {
  bool pending = false;
  Join join;            // when !pending
  JoinRequest request;  // when pending
};

// How a method uses a message: names the "message to ... not found" error (spec 7.1).
using MessageUse = MessageUseKind;
// What a method needs of the chat of a message (spec 7.1): write access to send, edit and
// delete; read access for the source of a forward or copy.
enum class MessageAccess { kRead, kWrite };

// The content of a message a bot sends, already checked and formatted by the Bot API layer.
struct NewMessage {
  text::FormattedText text;                // normalised (src/text), non-empty
  int64_t reply_to = 0;                    // from CheckReplyTarget; 0: none
  std::string inline_keyboard;             // Message::inline_keyboard
  std::vector<std::string> callback_data;  // Message::callback_data
  std::string reply_keyboard;              // Message::reply_keyboard
  uint32_t flags = 0;                      // MessageFlag bits
  std::string link_preview_url;
  // forwardMessage: the original's sender, chat (channel posts), id and date.
  UserId forward_from;
  ChatId forward_from_chat;
  int64_t forward_from_message_id = 0;
  UnixTime forward_date = 0;
};

// What editMessageText / editMessageReplyMarkup replace. The keyboard is always replaced (an
// omitted reply_markup removes it, spec 7.2).
struct MessageEdit {
  std::optional<text::FormattedText> text;  // editMessageText; nullopt keeps the text
  uint32_t preview_flags = 0;               // editMessageText: the MessageFlag preview bits
  std::string link_preview_url;
  std::string inline_keyboard;
  std::vector<std::string> callback_data;
};

// answerCallbackQuery's answer (spec 6.3).
struct CallbackAnswer {
  std::string text;
  bool show_alert = false;
  std::string url;
  int32_t cache_time = 0;
};

// Named decision (spec 6.3, 12): a callback query may be answered once, within this many seconds
// of the press (the reference's limit is not documented; reports say 5-10 s work, 20 s fails).
inline constexpr int64_t kCallbackAnswerSeconds = 15;
// Spec 2.3: the bot may write to a user who asked to join one of its chats for this long.
inline constexpr int64_t kJoinRequestContactSeconds = 300;

// Spec bot-api-moderation.md 1.1: an until_date under 30 s or over 366 days from now means
// forever (0); 0 stays 0; anything else is kept.
UnixTime NormalizeUntilDate(UnixTime until_date, UnixTime now);
// A member as they are at `now`: a ban (kicked) whose until_date has passed is over and reads as
// left. Bans end lazily, when read, not at a clock tick (spec 2.4: TDLib turns a fetched
// expired `kicked` into `left`); the stored record keeps the old ban until the next change.
Member EffectiveMember(const Member& member, UnixTime now);
// setChatAdministratorCustomTitle: TDLib keeps at most this many characters (spec 5.2 step 6).
inline constexpr size_t kCustomTitleMaxLength = 16;

// Updates kept for a bot this long after their date (spec 5.3).
inline constexpr int64_t kUpdateLifetimeSeconds = 86400;
// A callback_query is dropped if not delivered within this many seconds of the press (spec
// bot-api-messages.md 6.2: the reference queues it with add_update(..., 150, ...)).
inline constexpr int64_t kCallbackQueryLifetimeSeconds = 150;

// How long an update of `type` waits in the bot's queue after its date: 150 s for a
// callback_query, 24 h for every other kind this server makes.
constexpr int64_t UpdateLifetimeSeconds(UpdateType type) {
  return type == UpdateType::kCallbackQuery ? kCallbackQueryLifetimeSeconds
                                            : kUpdateLifetimeSeconds;
}
// Whether `update` is past its lifetime at `now` (getUpdates and webhooks never deliver it).
inline bool UpdateExpired(const Update& update, UnixTime now) {
  return update.date + UpdateLifetimeSeconds(update.type) <= now;
}

// A world file (see docs/control-api.md), parsed but not yet checked against the world.
struct WorldFile {
  struct BotEntry {
    Bot bot;
    User user;  // is_bot = true
  };
  struct ChatEntry {
    Chat chat;
    std::vector<Member> members;
  };
  std::vector<BotEntry> bots;
  std::vector<User> users;
  std::vector<ChatEntry> chats;
};

}  // namespace tgi::domain
