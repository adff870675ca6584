// The rules of the simulated world: who may do what to which chat, and what changes when they do.
// Pure logic over in-memory state: no I/O, no locks, no clock of its own (callers pass `now`).
//
// Every method that changes the world also appends what it changed, as whole records, to the
// Mutation it is given; the caller hands that to the Store so the change becomes durable.
// Not thread-safe: the caller serializes access (app::Engine holds one lock around it).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "common/result.h"
#include "domain/errors.h"
#include "domain/link_table.h"
#include "domain/model.h"
#include "domain/store.h"
#include "domain/world_types.h"

namespace tgi::domain {

class World {
 public:
  // Makes the hash of a new invite link. Production: 16 cryptographically random base64url chars.
  using HashSource = std::function<std::string()>;

  World(WorldState state, HashSource hashes);

  // --- Lookups.
  const Bot* FindBot(UserId id) const;
  const User* FindUser(UserId id) const;
  const Chat* FindChat(ChatId id) const;
  const Member* FindMember(ChatId chat, UserId user) const;
  // The basic group that was upgraded to `supergroup`, if it was made so.
  std::optional<ChatId> UpgradedFrom(ChatId supergroup) const;
  const InviteLink* FindLink(std::string_view hash) const;
  // A user or bot by username, ignoring ASCII case ("@" not included); nullptr if none.
  const User* FindUserByUsername(std::string_view username) const;
  size_t chat_count() const { return chats_.size(); }
  // Updates queued for all bots, not yet confirmed or dropped (expired ones included until a
  // getUpdates or the webhook sender drops them).
  size_t queued_update_count() const {
    size_t n = 0;
    for (const auto& [bot, queue] : queues_) n += queue.size();
    return n;
  }

  // --- Listings for the control plane, page by page: up to `limit` records with an id above
  // `after`, by ascending id (a page's last id is the next page's `after`). Bots; users that are
  // not bots; chats; a chat's member records of every status (none for an unknown chat).
  std::vector<const Bot*> BotsAfter(int64_t after, size_t limit) const;
  std::vector<const User*> UsersAfter(int64_t after, size_t limit) const;
  std::vector<const Chat*> ChatsAfter(int64_t after, size_t limit) const;
  std::vector<const Member*> MembersAfter(ChatId chat, int64_t after, size_t limit) const;
  // GET /control/v1/users/{user_id}/chats: the user's private chats with bots that have a record
  // (started, blocked, or a join request's window), by bot id; and the user's member records of
  // every status, by chat id (records as stored: EffectiveMember is the caller's).
  std::vector<const PrivateChat*> PrivateChatsOf(UserId user) const;
  std::vector<const Member*> MembershipsOf(UserId user) const;

  // --- The Bot API, as bot `bot` (which must exist).

  // exportChatInviteLink: revokes the bot's active primary link in the chat and makes a new one.
  // Returns the new link's hash. Checks, in order: the chat resolves (spec 2.2.1), the bot has
  // write access (2.2.2), the bot may manage invite links (2.2.3).
  Result<std::string, DomainError> ExportPrimaryLink(UserId bot, const ChatRef& ref, UnixTime now,
                                                     Mutation& m);

  // getChat: read access (spec 4.1). Makes the bot's primary link if it may have one and has none.
  Result<ChatView, DomainError> GetChat(UserId bot, const ChatRef& ref, UnixTime now, Mutation& m);

  // A ban whose until_date has passed at `now` reads as left (EffectiveMember).
  Result<MemberView, DomainError> GetChatMember(UserId bot, const ChatRef& ref, UserId user,
                                                UnixTime now) const;
  // The creator first, then administrators. Other bots only with AdminBots::kAll; the calling
  // bot always.
  Result<std::vector<MemberView>, DomainError> GetChatAdministrators(UserId bot, const ChatRef& ref,
                                                                     AdminBots bots) const;
  Result<int, DomainError> GetChatMemberCount(UserId bot, const ChatRef& ref) const;

  // createChatInviteLink (spec 3.2). Checks in the spec's order; named decisions for what it
  // leaves open: an expire_date not after `now` is EXPIRE_DATE_INVALID, a member_limit above
  // 99999 is USAGE_LIMIT_INVALID.
  Result<InviteLink, DomainError> CreateLink(UserId bot, const ChatRef& ref, const LinkSpec& spec,
                                             UnixTime now, Mutation& m);
  // editChatInviteLink (spec 3.3): replaces all four properties of a link the bot made. A link
  // that is unknown, of another chat, made by someone else or revoked is INVITE_HASH_EXPIRED
  // (named decision); a primary link is CHAT_INVITE_PERMANENT; a subscription link only takes
  // the name.
  Result<InviteLink, DomainError> EditLink(UserId bot, const ChatRef& ref, std::string_view link,
                                           const LinkSpec& spec, UnixTime now, Mutation& m);
  // revokeChatInviteLink (spec 3.4): returns the revoked link. Revoking the primary link makes a
  // new one. Revoking a revoked link returns it unchanged (named decision).
  Result<InviteLink, DomainError> RevokeLink(UserId bot, const ChatRef& ref, std::string_view link,
                                             UnixTime now, Mutation& m);
  // createChatSubscriptionInviteLink / editChatSubscriptionInviteLink (spec 3.5).
  Result<InviteLink, DomainError> CreateSubscriptionLink(UserId bot, const ChatRef& ref,
                                                         const SubscriptionSpec& spec, UnixTime now,
                                                         Mutation& m);
  Result<InviteLink, DomainError> EditSubscriptionLink(UserId bot, const ChatRef& ref,
                                                       std::string_view link, std::string_view name,
                                                       UnixTime now, Mutation& m);
  // approveChatJoinRequest / declineChatJoinRequest (spec 3.6).
  Result<void, DomainError> DecideJoinRequest(UserId bot, const ChatRef& ref, UserId user,
                                              JoinDecision decision, UnixTime now, Mutation& m);

  // Pending join requests through a link, and members in the chat now who joined through it.
  int PendingJoinRequestCount(std::string_view hash) const;
  int LinkMemberCount(std::string_view hash) const;
  const JoinRequest* FindJoinRequest(ChatId chat, UserId user) const;

  // --- Updates (spec 5).

  void SetUpdateEncoder(UpdateEncoder encoder) { encoder_ = std::move(encoder); }
  // In groups with more than `members` members, users' (not bots') joins and departures post no
  // service message (spec bot-api-moderation.md 9.2: Telegram's large groups); 0: never.
  void SetQuietJoinsAbove(int64_t members) { quiet_joins_above_ = members; }
  // A bot's queue holds at most this many updates (TDLib's TQueue, MAX_QUEUE_EVENTS): while it
  // is full, a new update is dropped (it gets no id), and the older ones stay.
  static constexpr size_t kMaxQueuedUpdates = 100000;
  // Lowers that cap, for tests (--max-queued-updates).
  void SetMaxQueuedUpdates(size_t updates) { max_queued_updates_ = updates; }
  // The bot's settings; defaults (getUpdates, the default allowed_updates) if it has none.
  BotUpdateSettings UpdateSettings(UserId bot) const;
  // The bots that have a webhook URL set, in no particular order (for the webhook sender's
  // start-up).
  std::vector<UserId> BotsWithWebhook() const;
  // getUpdates (spec 5.4): confirms by `query.offset`, drops expired updates, and returns up to
  // `query.limit` updates in id order. The pointers live until the world next changes.
  std::vector<const Update*> GetUpdates(UserId bot, const UpdatesQuery& query, UnixTime now,
                                        Mutation& m);
  // allowed_updates: nullopt keeps the previous setting.
  void SetAllowedUpdates(UserId bot, std::optional<uint32_t> mask, Mutation& m);
  // setWebhook with a URL (the caller validated it) / deleteWebhook. QueuedUpdates::kDrop clears
  // the queue. Returns false when nothing but allowed_updates changed ("Webhook is already set").
  bool SetWebhook(UserId bot, const BotUpdateSettings& webhook, QueuedUpdates pending, Mutation& m);
  // Returns false when no webhook was set ("Webhook is already deleted"). Clears the last
  // delivery error.
  bool DeleteWebhook(UserId bot, QueuedUpdates pending, Mutation& m);
  // Updates waiting for the bot, oldest first, expired ones left out.
  std::vector<const Update*> PendingUpdates(UserId bot, UnixTime now) const;
  // Forgets the bot's updates below `below_id` (delivered by webhook, or expired).
  void DropUpdatesBelow(UserId bot, int64_t below_id, Mutation& m);
  // The last webhook delivery error, for getWebhookInfo (kept in memory only; deleting the
  // webhook or setting a new URL clears it, here or, replayed, on another instance).
  struct WebhookStatus {
    UnixTime last_error_date = 0;
    std::string last_error_message;
  };
  // With SetSharesState(true) (cluster mode), the error and its clearing go into `m`'s shared
  // entries for the other instances, which take them in with ApplyShared: a webhook is delivered
  // by one instance, its error is seen on all.
  void SetWebhookError(UserId bot, UnixTime date, std::string message, Mutation& m);
  void SetSharesState(bool on) { shares_state_ = on; }
  // The keys of the webhook errors' shared entries (domain::SharedEntry) start with this.
  static constexpr std::string_view kSharedWebhookPrefix = "webhook/";
  // Takes in a webhook error another instance shared. False, changing nothing, for an entry it
  // cannot read.
  bool ApplyShared(std::string_view key, std::string_view value);
  WebhookStatus WebhookStatusOf(UserId bot) const {
    auto it = webhook_status_.find(bot);
    return it == webhook_status_.end() ? WebhookStatus{} : it->second;
  }

  // --- Conversations (spec bot-api-messages.md): messages, private chats, callback queries.
  // The Bot API layer parses and checks parameters, formats text (src/text) and encodes JSON;
  // these apply the rules that need the world, in the order sendMessage checks them (spec 2.2).

  // Step 10 of spec 2.2: the chat a bot writes to or reads messages of, with the access checks of
  // IL 2.2. A private chat resolves only for a user the bot knows (KnowsUser), else "chat not
  // found". `access` kWrite for sending, editing and deleting, kRead for forwarding sources.
  Result<Target, DomainError> ResolveMessageChat(UserId bot, const ChatRef& ref,
                                                 MessageAccess access) const;
  // Step 12: the message `message_id` replied to in `target`. Returns the id to store as
  // reply_to: `message_id`, or 0 when the message does not exist and `allow_without_reply`.
  Result<int64_t, DomainError> CheckReplyTarget(UserId bot, const Target& target,
                                                int64_t message_id, bool allow_without_reply) const;
  // Step 14's first part: a channel post without can_post_messages.
  Result<void, DomainError> CheckCanSendText(UserId bot, const Target& target) const;
  // Step 14's last check (TDLib's can_send_message_content), after the text is parsed: a bot
  // restricted in the supergroup may not send text.
  Result<void, DomainError> CheckNotRestricted(UserId bot, const Target& target) const;
  // Step 15, what the Telegram server refuses in a private chat: a user who never started the
  // bot (outside a join request's window), who blocked it, or another bot.
  Result<void, DomainError> CheckCanReachUser(UserId bot, const User& user, UnixTime now) const;

  // Stores the bot's new message in `target` and emits what other bots receive of it (channel
  // posts only: bots never receive bots' messages, spec 9.1). REQUIRES: the checks above passed.
  const Message& SendBotMessage(UserId bot, const Target& target, NewMessage content, UnixTime now,
                                Mutation& m);

  // A message by its key; nullptr if unknown or deleted.
  const Message* FindMessage(ChatId chat, UserId bot, int64_t id) const;
  // The key's `bot` for a message of `target` as `bot` names it: the bot in a private chat, else 0.
  static UserId MessageOwner(UserId bot, const Target& target) {
    return target.user ? bot : UserId();
  }
  static ChatId TargetChatId(const Target& target) {
    return target.user ? ChatId(target.user->id.value) : target.chat->id;
  }
  // The messages of a chat (or of a private chat: `bot` set), oldest first, deleted ones left out.
  std::vector<const Message*> ListMessages(ChatId chat, UserId bot) const;

  // Spec 7: the message `message_id` of `target` that `bot` wants to edit / delete / forward or
  // copy, with the refusals of spec 7.1 and 7.5-7.6 (`use` names the error's "message to ...").
  Result<const Message*, DomainError> FindMessageFor(UserId bot, const Target& target,
                                                     int64_t message_id, MessageUse use) const;
  // editMessageText / editMessageReplyMarkup: replaces what `edit` says; "message is not
  // modified" when nothing changes. Emits edited_channel_post to the channel's other bots.
  Result<const Message*, DomainError> EditBotMessage(UserId bot, const Message& message,
                                                     const MessageEdit& edit, UnixTime now,
                                                     Mutation& m);
  // deleteMessage / deleteMessages: every one may be deleted by `bot` (spec 7.6) or none is.
  Result<void, DomainError> DeleteMessages(UserId bot, const Target& target,
                                           const std::vector<int64_t>& ids, UnixTime now,
                                           Mutation& m);

  // --- Pinned messages. A chat keeps a list of pinned messages (MessageFlag::kPinned on each);
  // its pinned message, as getChat shows it, is the newest of them: the one with the highest id,
  // as Telegram's chat full info gives the last pinned message id.

  // The newest pinned message of `target` that `bot` sees (nullptr if none, or if the bot is not
  // in the supergroup or channel: it has no access to its messages).
  const Message* PinnedMessage(UserId bot, const Target& target) const;
  // pinChatMessage, after the Bot API layer resolved the chat with write access and found the
  // message (FindMessageFor, MessageUse::kPin). Checks the bot's right (TDLib's can_pin_message:
  // "not enough rights" before "service messages can't be pinned"), pins the message and posts
  // the kPinnedMessage service message, which every bot in the chat receives, the pinning bot
  // included (spec 9.2). Named decision: pinning a pinned message changes nothing and posts no
  // service message.
  Result<void, DomainError> PinMessage(UserId bot, const Target& target, const Message& message,
                                       bool disable_notification, UnixTime now, Mutation& m);
  // unpinChatMessage with a message_id (found with MessageUse::kUnpin): the same checks as
  // PinMessage. Named decision: unpinning a message that is not pinned changes nothing.
  Result<void, DomainError> UnpinMessage(UserId bot, const Target& target, const Message& message,
                                         UnixTime now, Mutation& m);
  // unpinChatMessage without a message_id: the newest pinned message; "message to unpin not
  // found" when none is pinned (before the rights are checked, as the reference asks TDLib for
  // the pinned message first).
  Result<void, DomainError> UnpinNewestMessage(UserId bot, const Target& target, UnixTime now,
                                               Mutation& m);
  // unpinAllChatMessages: the right, then every pinned message is unpinned (none pinned: fine).
  Result<void, DomainError> UnpinAllMessages(UserId bot, const Target& target, UnixTime now,
                                             Mutation& m);

  // --- Moderation (spec bot-api-moderation.md 1-3, 5, 6.2), world_moderation.cc. Each checks in
  // the reference's order (Resolve and write access first, then the chat type, then the target,
  // then the bot's rights) and changes members only through ChangeMember, so chat_member /
  // my_chat_member follow with `from` = the bot. A change that changes nothing succeeds silently.

  // banChatMember / kickChatMember. `until_date` as given (NormalizeUntilDate is applied here);
  // ignored in basic groups, where the user is removed (status left) and the bot banning itself
  // leaves. In supergroups and channels the user becomes kicked, present or not.
  Result<void, DomainError> BanChatMember(UserId bot, const ChatRef& ref, UserId user,
                                          UnixTime until_date, UnixTime now, Mutation& m);
  // unbanChatMember: supergroups and channels only. A banned user becomes left; without
  // `only_if_banned` a present member is removed (kicked, then left: two updates) and the bot
  // itself leaves; with it, anyone not banned is left as they are.
  Result<void, DomainError> UnbanChatMember(UserId bot, const ChatRef& ref, UserId user,
                                            bool only_if_banned, UnixTime now, Mutation& m);
  // promoteChatMember: `rights` as requested (kCanBeEdited ignored); masked by chat type here.
  // No right left demotes to member. `has_can_restrict_members`: whether the request named
  // can_restrict_members (the channel default of spec 5.1 step 3).
  Result<void, DomainError> PromoteChatMember(UserId bot, const ChatRef& ref, UserId user,
                                              Rights rights, bool has_can_restrict_members,
                                              UnixTime now, Mutation& m);
  // setChatAdministratorCustomTitle: basic groups and supergroups; only administrators the bot
  // may edit. The title is cut to kCustomTitleMaxLength code points; "" removes it.
  Result<void, DomainError> SetChatAdministratorCustomTitle(UserId bot, const ChatRef& ref,
                                                            UserId user, std::string_view title,
                                                            UnixTime now, Mutation& m);
  // setChatMemberTag (spec 5.3): the tag of a member or restricted member of a basic group or
  // supergroup (Member::custom_title, which is an administrator's title), cut like a title;
  // "" removes it. The bot needs can_manage_tags.
  Result<void, DomainError> SetChatMemberTag(UserId bot, const ChatRef& ref, UserId user,
                                             std::string_view tag, UnixTime now, Mutation& m);
  // leaveChat: read access; a bot that is not a member leaves successfully again.
  Result<void, DomainError> LeaveChat(UserId bot, const ChatRef& ref, UnixTime now, Mutation& m);

  // banChatSenderChat / unbanChatSenderChat (spec 6.3), after the Bot API layer read
  // sender_chat_id (its empty and not-an-integer errors). Checks, in order: write access; an id
  // no chat can have (kInvalidChatIdentifier); the chat type (private: kCantBanInPrivate /
  // kStatusInPrivate; basic group: ban kCantBanChatsInBasicGroups, unban succeeds and does
  // nothing). A positive id is a user: BanChatMember / UnbanChatMember (without only_if_banned),
  // in a basic group too (unban then removes the user, as TDLib's setChatMemberStatus(left)
  // does). A chat id in a supergroup or channel: a chat the world does not have
  // (kMemberNotFound), a basic group (kCantRestrictTheChat), the bot's can_restrict_members
  // (kNotEnoughRightsToRestrict); then the ban is recorded (or removed) as a SenderChatBan. Every
  // call reaches "the server" (no no-op shortcut, spec 1.3 step 3), and no update is produced.
  Result<void, DomainError> BanChatSenderChat(UserId bot, const ChatRef& ref, int64_t sender_chat,
                                              UnixTime until_date, UnixTime now, Mutation& m);
  Result<void, DomainError> UnbanChatSenderChat(UserId bot, const ChatRef& ref, int64_t sender_chat,
                                                UnixTime now, Mutation& m);
  // The chats banned in `chat` by banChatSenderChat, by id (ascending).
  std::vector<ChatId> BannedSenderChats(ChatId chat) const;

  // --- Moderation (spec bot-api-moderation.md 4, 6.1; world_permissions.cc).

  // restrictChatMember after the Bot API layer parsed user_id and the permissions (4.2 steps 1-2).
  // Checks, in the spec's order: write access, a supergroup; then, as TDLib's
  // set_channel_participant_status (1.3): no change -> ok with no update; the creator; the bot
  // itself; the bot's can_restrict_members; an administrator target. All permissions true makes
  // the member a plain member again (a banned user: left); anything else restricts them until
  // `restriction.until_date` (already normalised, 0: forever). Emits chat_member/my_chat_member.
  struct Restriction {
    Permissions permissions;
    UnixTime until_date = 0;
    // The permissions came from the legacy flat parameters and were not all four true: a member
    // already restricted keeps their polls, change_info, invite_users, pin and topics (4.2 step 5).
    bool keep_legacy_extras = false;
  };
  Result<void, DomainError> RestrictMember(UserId bot, const ChatRef& ref, UserId user,
                                           const Restriction& restriction, UnixTime now,
                                           Mutation& m);
  // setChatPermissions (6.1): the chat's default permissions. Basic groups and supergroups; the
  // bot needs can_restrict_members. No update is produced.
  Result<void, DomainError> SetChatPermissions(UserId bot, const ChatRef& ref, Permissions p,
                                               Mutation& m);
  // What `member` of `chat` may do now: everything for the creator and administrators; the
  // chat's defaults for a plain member; a restricted member's own permissions AND the chat's
  // (spec 4.5); nothing for someone not in the chat.
  static Permissions EffectivePermissions(const Chat& chat, const Member* member);
  // Ends every restriction and ban whose until_date has passed at `now`: a restricted member
  // becomes a plain member again, a banned user left, without an update (named decision). The
  // engine calls it before every unit of work, so both end by themselves on the controllable
  // clock, everywhere (control-plane listings too); cheap when none is due.
  void ExpireRestrictionsAndBans(UnixTime now, Mutation& m);

  // --- What the people do (the control plane). Errors are sentences, as elsewhere there.

  // POST /control/v1/messages: `user` sends `text` (its entities found by the caller) in the chat
  // `chat` (a bot's id for the private chat with that bot). The first message to a bot opens the
  // private chat. Emits message / channel_post to the bots that receive it (spec 9).
  Result<const Message*, Error> SendUserMessage(UserId user, ChatId chat, text::FormattedText text,
                                                int64_t reply_to, UnixTime now, Mutation& m);
  // POST /control/v1/messages/edit: `user` replaces the text of their message `message_id` in
  // `chat` (as for SendUserMessage) with `text` (its entities found by the caller), and the
  // message gets `edit_date`. The user must still be able to write there (a member, not banned;
  // a private chat not blocked) and be the message's sender; a text and entities equal to the
  // message's are refused (named decision: as MTProto's MESSAGE_NOT_MODIFIED, so an edit that
  // changes nothing makes no update, spec 9.2). Emits edited_message / edited_channel_post,
  // carrying the whole new message, to the bots the original reaches (spec 9.3; named decision:
  // the privacy rules applied now to the message as first sent, since who received each message
  // is not recorded).
  Result<const Message*, Error> EditUserMessage(UserId user, ChatId chat, int64_t message_id,
                                                text::FormattedText text, UnixTime now,
                                                Mutation& m);
  // POST /control/v1/callback-queries: `user` presses the button with `data` on message
  // `message_id` of `chat` (as for SendUserMessage). Emits callback_query to the message's bot.
  Result<const CallbackQuery*, Error> PressButton(UserId user, ChatId chat, int64_t message_id,
                                                  std::string_view data, UnixTime now, Mutation& m);
  const CallbackQuery* FindCallbackQuery(int64_t id) const;
  // Whether `bot` may answer query `id` now: QUERY_ID_INVALID for an unknown, another bot's,
  // answered or expired query.
  Result<void, DomainError> CheckCallbackQuery(UserId bot, int64_t id, UnixTime now) const;
  // answerCallbackQuery: one answer, within kCallbackAnswerSeconds of the press.
  Result<void, DomainError> AnswerCallbackQuery(UserId bot, int64_t id, const CallbackAnswer& a,
                                                UnixTime now, Mutation& m);
  // POST /control/v1/users/{user}/block and /unblock: my_chat_member to the bot.
  Status SetBlocked(UserId user, UserId bot, bool blocked, UnixTime now, Mutation& m);
  const PrivateChat* FindPrivateChat(UserId user, UserId bot) const;

  // --- Bot settings (spec bot-api-moderation.md 10, bot-api-messages.md 8.2-8.4): what
  // setMyCommands, setMyName, setMyDescription, setMyShortDescription, setChatMenuButton and
  // setMyDefaultAdministratorRights store and their getters read back. Each setting is one
  // BotProfileEntry of the bot, under one of these keys (<lang> is "" or two letters a-z, as the
  // Bot API layer has checked):
  //
  //   commands/<scope>/<lang>       the list, as getMyCommands answers it (a JSON array);
  //                                 <scope> as ResolveCommandScope names it
  //   name/<lang>                   the text itself (not JSON)
  //   description/<lang>            the text itself
  //   short_description/<lang>      the text itself
  //   menu_button/default           the bot-wide MenuButton, as getChatMenuButton answers it
  //   menu_button/<user id>         the MenuButton of the private chat with that user (JSON)
  //   default_admin_rights/groups   ChatAdministratorRights, as getMyDefaultAdministratorRights
  //   default_admin_rights/channels   answers it (JSON)
  //
  // Values other than the texts are encoded by the Bot API layer; the World keeps them as opaque
  // text and never reads them. An absent entry reads as ""; what each getter answers then is the
  // Bot API layer's to say (ProfileTextFor's fallback for the texts is the World's).

  enum class CommandScopeType {
    kDefault,
    kAllPrivateChats,
    kAllGroupChats,
    kAllChatAdministrators,
    kChat,
    kChatAdministrators,
    kChatMember,
  };
  // A BotCommandScope as the request gives it.
  struct CommandScope {
    CommandScopeType type = CommandScopeType::kDefault;
    ChatRef chat;  // the three chat scopes
    UserId user;   // kChatMember
  };
  // A scope with its chat found.
  struct ResolvedCommandScope {
    // "default", "all_private_chats", "all_group_chats", "all_chat_administrators",
    // "chat:<chat id>", "chat_administrators:<chat id>" or "chat_member:<chat id>:<user id>",
    // the chat id as the Bot API writes it (a private chat's is the user's id), however the
    // request named the chat (an @username gives the chat's id).
    std::string name;
    Target target;  // the chat scopes' chat; empty for the others
  };
  // The chat of a chat scope, checked as Client::check_chat checks it for ReadMembers (spec 10.1
  // step 3, IL 2.2): "chat not found" for an unknown or unreachable chat (a private chat only
  // with a user the bot knows, KnowsUser); a basic group needs write access (the migrate error
  // for an upgraded one, kicked, not a member); a supergroup or channel is refused to a kicked
  // bot, and, unless it is public, to a bot that is not in it. The other scopes always resolve.
  // TDLib's own rules on the result (the scope's type in a private chat, channels) are the Bot
  // API layer's.
  Result<ResolvedCommandScope, DomainError> ResolveCommandScope(UserId bot,
                                                                const CommandScope& scope) const;
  static std::string CommandsKey(std::string_view scope_name, std::string_view language_code);

  enum class ProfileText { kName, kDescription, kShortDescription };
  static std::string ProfileTextKey(ProfileText kind, std::string_view language_code);
  // getMyName / getMyDescription / getMyShortDescription. Named decision (spec 10.2, 13: not
  // documented): the text of `language_code`; without one, the text of the default language
  // (""), as users of that language see it; without that either, the bot's first name for the
  // name (what users see), and "" for the descriptions.
  std::string ProfileTextFor(UserId bot, ProfileText kind, std::string_view language_code) const;

  // menu_button/<user id>, or menu_button/default without a user.
  static std::string MenuButtonKey(std::optional<UserId> user);
  // setChatMenuButton / getChatMenuButton with a chat_id (spec 10.3: Client::check_user): the
  // user must be one the bot knows (KnowsUser), else "user not found" (Err::kUserNotFound). The
  // bot itself is not a private chat of its own.
  Result<void, DomainError> CheckMenuButtonUser(UserId bot, UserId user) const;

  // default_admin_rights/channels or default_admin_rights/groups.
  static std::string DefaultAdminRightsKey(bool for_channels);

  // The bot's entry under `key`, or "" when it has none. Valid until the entry is next set.
  std::string_view Profile(UserId bot, std::string_view key) const;
  // Sets the entry ("" removes it). Appends the op only when the value changes.
  void SetProfile(UserId bot, std::string key, std::string value, Mutation& m);

 private:
  void StoreProfile(const BotProfileEntry& entry);
  // Bot settings by (bot, key), in the stores' order.
  std::map<std::pair<UserId, std::string>, std::string> profile_;

 public:
  // --- The clock (POST /control/v1/clock). Seconds added to real time; only grows.
  int64_t clock_offset() const { return clock_.offset; }
  Status AdvanceClock(int64_t seconds, Mutation& m);

  // logOut: the bot answers "Logged out" from now on, until the control plane puts it again.
  void LogOut(UserId bot, Mutation& m);

  // Remembers when each bot first made a request since the server started (not persisted): the
  // Bot API's `close` is refused during a bot instance's first 10 minutes.
  void NoteRequest(UserId bot, UnixTime now);
  // Seconds until `close` is allowed for this bot, or 0 if it is allowed now.
  int64_t CloseRetryAfter(UserId bot, UnixTime now) const;
  // `close`: the bot instance ends; its next request launches it again.
  void Close(UserId bot) { launched_.erase(bot); }

  // --- The control plane. Errors are human-readable sentences for the person or test.

  // Checks the whole file against the world first and applies nothing if any part is wrong (the
  // error names the JSON path). Records equal to what is stored produce no ops.
  Status ApplyWorld(const WorldFile& file, UnixTime now, Mutation& m);
  Status PutBot(const Bot& bot, const User& user, Mutation& m);  // keeps logged_out cleared
  Status PutUser(const User& user, Mutation& m);
  Status PutChat(const Chat& chat, Mutation& m);
  // `by`: who made the change, the `from` of the updates it causes; default: the chat's
  // creator, else the member themself.
  Status PutMember(const Member& member, UnixTime now, Mutation& m,
                   std::optional<UserId> by = std::nullopt);

  // A user joins through an invite link (given by its hash), or, if the link creates join
  // requests, asks to join. Honours expire_date and member_limit (members at the same time).
  Result<JoinOutcome, DomainError> JoinByLink(UserId user, std::string_view hash, UnixTime now,
                                              Mutation& m, const std::string& bio = {});
  // The user withdraws their pending join request.
  Result<void, DomainError> WithdrawJoinRequest(ChatId chat, UserId user, UnixTime now,
                                                Mutation& m);
  // The user leaves the chat; or is removed by `by` (Removal::kBan: status kicked, and a user not
  // in the chat may be banned ahead of time).
  Result<void, DomainError> Leave(ChatId chat, UserId user, UnixTime now, Mutation& m);
  Result<void, DomainError> Remove(ChatId chat, UserId user, Removal removal,
                                   std::optional<UserId> by, UnixTime now, Mutation& m);
  std::vector<const JoinRequest*> ListJoinRequests(ChatId chat) const;

  // Every link of the chat, oldest first, with the joins made through each.
  std::vector<LinkView> ListLinks(ChatId chat) const;

  // Upgrades basic group `group` to a new supergroup and returns the new chat's id.
  Result<ChatId, Error> Upgrade(ChatId group, std::optional<ChatId> new_id, UnixTime now,
                                Mutation& m);

  // Everything, as the store would hold it. For tests.
  WorldState SnapshotForTesting() const;

  // --- Replicas (several instances on one database, docs/postgresql-design.md).
  // Applies a mutation that another World made (and the store committed) to this one, op by op,
  // as loading a store that holds those records would: afterwards this World answers as one
  // built from the store. Makes no mutation and no update event. The ops must come in the order
  // they were committed, and each must be one this World has not applied yet.
  void Replay(const Mutation& m);
  void Replay(const Op& op);

  // Bot API id ranges.
  static bool IsValidBasicGroupId(int64_t id) { return id < 0 && id > -1'000'000'000'000; }
  static bool IsValidChannelId(int64_t id) {
    return id < -1'000'000'000'000 && id > -2'000'000'000'000;
  }

 private:
  enum class Access { kRead, kWrite };

  Result<Target, DomainError> Resolve(UserId bot, const ChatRef& ref) const;
  // Spec 2.2.2 for write access, 4.1 for read access.
  Result<void, DomainError> CheckAccess(UserId bot, const Chat& chat, Access access) const;
  bool CanManageInviteLinks(UserId bot, const Chat& chat) const;
  const InviteLink* ActivePrimary(ChatId chat, UserId creator) const;
  // Revokes `creator`'s active primary link in `chat` (if any) and makes a new one.
  const InviteLink& ReplacePrimary(ChatId chat, UserId creator, UnixTime now, Mutation& m);
  std::string NewHash() const;
  // The bot's own, editable link `link` (a URL or a bare hash) in `chat`.
  Result<const InviteLink*, DomainError> OwnLink(UserId bot, const Chat& chat,
                                                 std::string_view link) const;
  // Resolve + write access + (optionally) the invite-link right: the start of every link method.
  Result<const Chat*, DomainError> LinkChat(UserId bot, const ChatRef& ref) const;
  // Moderation (world_moderation.cc). The member as they are at `now` (EffectiveMember; a
  // synthesized `left` record for someone never in the chat).
  Member CurrentMember(ChatId chat, UserId user, UnixTime now) const;
  // Declines `user`'s pending join request to `chat`, if any (a ban ends it).
  void DeclinePendingRequest(ChatId chat, UserId user, UnixTime now, Mutation& m);
  // The chat of a moderation method: resolved with `access`, then the method's chat-type gate
  // (`type_error`: kCantBanInPrivate, kSupergroupOrChannelOnly, kGroupsOnly, kStatusInPrivate)
  // and TDLib's user id bound, in the method's order.
  Result<const Chat*, DomainError> ModerationChat(UserId bot, const ChatRef& ref,
                                                  MessageAccess access, UserId user,
                                                  Err type_error) const;
  // banChatSenderChat / unbanChatSenderChat with a chat as the sender (world_moderation.cc).
  Result<void, DomainError> SetSenderChatBan(UserId bot, const Chat& chat, ChatId sender_chat,
                                             bool banned, Mutation& m);
  void StoreSenderChatBan(const SenderChatBan& ban);
  // Revokes every link `user` made in `chat` that is not revoked yet (world_links.cc): their
  // creator can no longer invite users there.
  void RevokeLinksOf(ChatId chat, UserId user, Mutation& m);
  // The bot leaves `chat` (leaveChat, a basic-group self-ban, unban of self); success if it is
  // not a member; the creator cannot.
  Result<void, DomainError> BotLeaves(const Chat& chat, UserId bot, UnixTime now, Mutation& m);
  // Changes a member and emits chat_member / my_chat_member to the bots that see it.
  void ChangeMember(const Member& after, UserId from, UnixTime now, Mutation& m,
                    const std::string& link_hash = {}, bool via_join_request = false);
  // Posts the service message about a member's arrival or departure (spec moderation 9), if the
  // change is one, in a basic group or supergroup, and delivers it (9.2).
  void PostMemberServiceMessage(const Member& before, const Member& after, UserId from,
                                UnixTime now, Mutation& m, bool joined_by_link_or_request);
  // Stores a service message of `chat` and delivers it as a `message` update to the bots
  // present in the chat, except its sender (unless `to_sender`), and to `also` (a bot that just
  // left, which hears of its own departure), spec moderation 9.2.
  void PostServiceMessage(Message message, UnixTime now, Mutation& m, bool to_sender,
                          UserId also = UserId{0});
  // Queues `event` for `receiver` if its allowed_updates accept `type`.
  void Emit(UserId receiver, UpdateType type, const UpdateEvent& event, UnixTime now, Mutation& m);
  UserId DefaultActor(ChatId chat, UserId fallback) const;
  void StoreJoinRequest(const JoinRequest& request);
  void StoreSettings(const BotUpdateSettings& settings);
  void StoreUpdate(const Update& update);
  void DropStoredUpdates(UserId bot, int64_t below_id);
  Status CheckUsername(std::string_view username, bool for_bot) const;
  Status CheckMember(const Member& member, const Chat& chat,
                     const std::vector<Member>* siblings) const;

  void StoreBot(const Bot& bot);
  void StoreUser(const User& user);
  void StoreChat(const Chat& chat);
  void StoreMember(const Member& member);
  const InviteLink& StoreLink(const InviteLink& link);
  void StoreJoin(const Join& join);

  HashSource hashes_;
  std::unordered_map<UserId, Bot> bots_;
  std::unordered_map<UserId, User> users_;
  std::unordered_map<std::string, UserId> user_by_username_;  // lowercased
  std::unordered_map<ChatId, Chat> chats_;
  std::unordered_map<std::string, ChatId> chat_by_username_;  // lowercased
  std::unordered_map<ChatId, std::map<UserId, Member>> members_;
  LinkTable links_;
  std::unordered_map<ChatId, std::vector<LinkTable::Index>> chat_links_;  // oldest first
  struct ChatUserHash {
    size_t operator()(const std::pair<ChatId, UserId>& k) const noexcept {
      // Unsigned: wraps instead of overflowing.
      return std::hash<uint64_t>{}(static_cast<uint64_t>(k.first.value) * 1000003u ^
                                   static_cast<uint64_t>(k.second.value));
    }
  };
  // (chat, creator) -> the link; looked up on every export, hence hashed rather than ordered.
  std::unordered_map<std::pair<ChatId, UserId>, LinkTable::Index, ChatUserHash> active_primary_;
  // (chat, creator) -> their links not revoked yet, primary or not (RevokeLinksOf), kept by
  // StoreLink.
  std::unordered_map<std::pair<ChatId, UserId>, std::unordered_set<LinkTable::Index>, ChatUserHash>
      live_links_;
  std::vector<Join> joins_;                                             // in recorded order
  std::unordered_map<std::string, std::vector<size_t>> joins_by_link_;  // indexes into joins_
  std::unordered_map<UserId, UnixTime> launched_;
  std::map<std::pair<ChatId, UserId>, JoinRequest> join_requests_;
  ClockState clock_;
  std::unordered_map<UserId, BotUpdateSettings> settings_;
  std::unordered_map<UserId, std::deque<Update>> queues_;  // by bot, in id order
  UpdateEncoder encoder_;
  int64_t quiet_joins_above_ = 0;
  size_t max_queued_updates_ = kMaxQueuedUpdates;
  // The link through which each present member joined, and how many present members each link
  // brought in: member_limit counts members at the same time (spec 3.2).
  std::map<std::pair<ChatId, UserId>, std::string> member_link_;
  std::unordered_map<std::string, int> link_members_;
  std::unordered_map<UserId, WebhookStatus> webhook_status_;
  bool shares_state_ = false;  // SetSharesState
  // Forgets the bot's webhook error, sharing that when shares_state_.
  void ClearWebhookError(UserId bot, Mutation& m);
  // banChatSenderChat: the banned sender chats of each chat.
  std::map<ChatId, std::set<ChatId>> sender_chat_bans_;

  // Conversations (world_messages.cc).
  struct MessageKey {
    ChatId chat;
    UserId bot;
    int64_t id = 0;
    bool operator==(const MessageKey&) const = default;
  };
  struct MessageKeyHash {
    size_t operator()(const MessageKey& k) const noexcept {
      return std::hash<uint64_t>{}((static_cast<uint64_t>(k.chat.value) * 1000003u) ^
                                   (static_cast<uint64_t>(k.bot.value) * 31u) ^
                                   static_cast<uint64_t>(k.id));
    }
  };
  std::unordered_map<MessageKey, Message, MessageKeyHash> messages_;
  // (chat, bot) -> the ids of its messages, oldest first (deleted ones included).
  std::unordered_map<std::pair<ChatId, UserId>, std::vector<int64_t>, ChatUserHash> message_order_;
  std::unordered_map<ChatId, int64_t> next_chat_message_id_;     // groups, supergroups, channels
  std::unordered_map<UserId, int64_t> next_private_message_id_;  // per bot, all its private chats
  std::map<std::pair<UserId, UserId>, PrivateChat> private_chats_;  // (user, bot)
  std::map<int64_t, CallbackQuery> callback_queries_;
  int64_t next_callback_query_id_ = 1;
  // The ids of the pinned, undeleted messages of each (chat, bot) key, kept by StoreMessage.
  std::unordered_map<std::pair<ChatId, UserId>, std::set<int64_t>, ChatUserHash> pinned_;
  // Privacy mode's "the last bot to send a message to the group" (spec 9.1), by chat.
  std::unordered_map<ChatId, UserId> last_bot_sender_;

  // Whether `member` of `chat` may not send text (CheckNotRestricted, and users through the
  // control plane).
  static bool MayNotSendText(const Chat& chat, const Member* member);
  void StoreMessage(const Message& message);
  void StorePrivateChat(const PrivateChat& chat);
  void StoreCallbackQuery(const CallbackQuery& query);
  int64_t NextMessageId(ChatId chat, UserId owner);
  // Whether `bot` has met `user`: a private chat, a chat they are both members of, or a join
  // request to a chat the bot administers (spec 2.3: else the user "can't be resolved").
  bool KnowsUser(UserId bot, UserId user) const;
  // Where user `user` writes when the control plane names `chat` (a bot's id for the private
  // chat with that bot), if they may write there now: SendUserMessage's refusals, as sentences.
  struct UserChat {
    ChatId chat;                  // the messages' key: (chat, bot, id)
    UserId bot;                   // private chats; 0 otherwise
    const Chat* group = nullptr;  // null for a private chat
    std::string where;            // "chat C", or "the private chat of user U and bot B"
  };
  Result<UserChat, Error> UserWritesIn(UserId user, ChatId chat) const;
  // Emits message / channel_post (or, `edited`, their edited_ forms) for a user's message.
  void EmitUserMessage(const UserChat& in, const Message& message, bool edited, UnixTime now,
                       Mutation& m);
  // The bots that receive a user's message in a group or supergroup (spec 9.1).
  std::vector<UserId> GroupMessageReceivers(const Chat& chat, const Message& message) const;
  // TDLib's DialogManager::can_pin_messages for `bot` in `target`.
  Result<void, DomainError> CheckCanPin(UserId bot, const Target& target) const;
  // Sets or clears kPinned on `message`, appending the new version to `m`.
  void SetPinned(const Message& message, bool pinned, Mutation& m);
  // Closes the contact window of every bot with `user` that a join request to `chat` opened.
  void CloseContactWindows(ChatId chat, UserId user, Mutation& m);
  void OpenContactWindows(ChatId chat, UserId user, UnixTime now, Mutation& m);
  bool quiet_ = false;  // loading a world file: changes produce no updates
  // (until_date, chat, user) of restrictions that end; entries are checked against the member
  // when due, so stale ones are harmless.
  std::multimap<UnixTime, std::pair<ChatId, UserId>> restriction_ends_;
};

// A link as a request gives it: "https://t.me/+HASH", "t.me/+HASH", ".../joinchat/HASH",
// "tg://join?invite=HASH", or the bare hash. Returns the hash, or "" if it is none of these.
std::string LinkHashFromString(std::string_view link);
// An invite link's name as TDLib makes it (spec 3.2): cleaned as any input string (control
// characters become spaces, '\r' and U+2028-U+202E go), then trimmed, cut to 32 Unicode code
// points and trimmed again; "" if only empty characters (zero-width ones, U+202E, BOM, NBSP,
// spaces) are left; only then runs of spaces, newlines and NBSPs become one space. Nothing for a
// name that is not UTF-8: TDLib's CLEAN_INPUT_STRING refuses the request ("Strings must be
// encoded in UTF-8").
std::optional<std::string> CleanLinkName(std::string_view name);

}  // namespace tgi::domain
