// Conversations on the World alone: private chats, who may write where, message ids, the privacy
// rules, callback queries, edits and deletions (spec bot-api-messages.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};
constexpr UserId kPrivacyBot{7000000002};
constexpr UserId kThirdBot{7000000003};
constexpr UserId kAlice{100001};
constexpr UserId kBob{100002};
constexpr UserId kStranger{100009};
constexpr ChatId kSuper{-1001000000001};
constexpr ChatId kChannel{-1001000000003};
constexpr ChatId kGroup{-4001};
constexpr UnixTime kNow = 1767225600;

// "<receiver>:<type>:<chat>:<id>" for every update, so tests see who got what.
std::string TestEncoder(const World&, const UpdateEvent& e, UserId receiver, int64_t) {
  std::string out = std::to_string(receiver.value) + ":";
  if (const auto* m = std::get_if<MessageEvent>(&e)) {
    out += std::string(m->edited ? "edited_message:" : "message:") + std::to_string(m->chat.value) +
           ":" + std::to_string(m->message_id);
  } else if (const auto* q = std::get_if<CallbackQueryEvent>(&e)) {
    out += "callback_query:" + std::to_string(q->query_id);
  } else if (const auto* mm = std::get_if<MemberUpdateEvent>(&e)) {
    out += std::string(mm->new_member.user == receiver ? "my_chat_member:" : "chat_member:") +
           MemberStatusName(mm->new_member.status);
  } else {
    out += "chat_join_request";
  }
  return out;
}

text::FormattedText Text(std::string s, std::vector<text::Entity> entities = {}) {
  return text::FormattedText{.text = std::move(s), .entities = std::move(entities)};
}

text::FormattedText Command(std::string s) {
  size_t end = s.find(' ');
  int32_t length = static_cast<int32_t>(end == std::string::npos ? s.size() : end);
  return Text(std::move(s),
              {text::Entity{.type = text::EntityType::kBotCommand, .length = length}});
}

Rights WithRights(std::initializer_list<Right> rights) {
  Rights r;
  for (Right x : rights) r.Set(x, true);
  return r;
}

class WorldMessagesTest : public ::testing::Test {
 protected:
  // Appends rather than `"h" + std::to_string(...)`: GCC 12 at -O3 gives a false -Wrestrict there.
  WorldMessagesTest()
      : world_(WorldState{}, [this] {
          std::string hash = "h";
          hash += std::to_string(++n_);
          return hash;
        }) {
    world_.SetUpdateEncoder(TestEncoder);
    WorldFile f;
    f.bots.push_back(
        {Bot{.id = kBot},
         User{.id = kBot, .is_bot = true, .first_name = "One", .username = "one_bot"}});
    f.bots.push_back(
        {Bot{.id = kPrivacyBot},
         User{.id = kPrivacyBot, .is_bot = true, .first_name = "Two", .username = "two_bot"}});
    f.bots.push_back(
        {Bot{.id = kThirdBot},
         User{.id = kThirdBot, .is_bot = true, .first_name = "Three", .username = "three_bot"}});
    for (UserId u : {kAlice, kBob, kStranger})
      f.users.push_back(User{.id = u, .first_name = "U" + std::to_string(u.value)});
    auto member = [](ChatId c, UserId u, MemberStatus s = MemberStatus::kMember, Rights r = {}) {
      return Member{.chat = c, .user = u, .status = s, .rights = r};
    };
    f.chats.push_back(
        {Chat{.id = kSuper, .type = ChatType::kSupergroup, .title = "S"},
         {member(kSuper, kAlice, MemberStatus::kCreator), member(kSuper, kBob),
          member(kSuper, kBot, MemberStatus::kAdministrator, WithRights({Right::kCanInviteUsers})),
          member(kSuper, kPrivacyBot), member(kSuper, kThirdBot)}});
    f.chats.push_back({Chat{.id = kChannel, .type = ChatType::kChannel, .title = "C"},
                       {member(kChannel, kAlice, MemberStatus::kCreator),
                        member(kChannel, kBot, MemberStatus::kAdministrator,
                               WithRights({Right::kCanPostMessages})),
                        member(kChannel, kPrivacyBot, MemberStatus::kAdministrator,
                               WithRights({Right::kCanInviteUsers}))}});
    f.chats.push_back({Chat{.id = kGroup, .type = ChatType::kGroup, .title = "G"},
                       {member(kGroup, kAlice, MemberStatus::kCreator), member(kGroup, kBot)}});
    Mutation m;
    EXPECT_TRUE(world_.ApplyWorld(f, kNow, m).ok());
  }

  // Every update of `bot` queued so far, as TestEncoder wrote them.
  std::vector<std::string> Updates(UserId bot) {
    std::vector<std::string> out;
    for (const Update* u : world_.PendingUpdates(bot, kNow)) out.push_back(u->json.str());
    return out;
  }

  Target Private(UserId user) { return Target{.user = world_.FindUser(user)}; }
  Target Group(ChatId chat) { return Target{.chat = world_.FindChat(chat)}; }

  const Message& Send(UserId bot, const Target& t, std::string text,
                      std::vector<std::string> callback_data = {}) {
    Mutation m;
    NewMessage content{.text = Text(std::move(text)), .callback_data = std::move(callback_data)};
    if (!content.callback_data.empty()) content.inline_keyboard = R"({"inline_keyboard":[]})";
    return world_.SendBotMessage(bot, t, std::move(content), kNow, m);
  }

  const Message* UserSays(UserId user, ChatId chat, text::FormattedText t, int64_t reply_to = 0) {
    Mutation m;
    auto r = world_.SendUserMessage(user, chat, std::move(t), reply_to, kNow, m);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : nullptr;
  }

  int n_ = 0;
  World world_;
};

TEST_F(WorldMessagesTest, AUserMustStartTheBotBeforeItWrites) {
  // Never met: not even resolved (spec 2.3).
  EXPECT_EQ(world_.ResolveMessageChat(kBot, ChatRef{.id = kStranger.value}, MessageAccess::kWrite)
                .error()
                .kind,
            Err::kChatNotFound);
  // Met in a group but never started: resolved, then refused by the server's rule.
  auto bob = world_.ResolveMessageChat(kBot, ChatRef{.id = kBob.value}, MessageAccess::kWrite);
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(world_.CheckCanReachUser(kBot, *bob->user, kNow).error().kind,
            Err::kBotCantInitiateConversation);
  // /start opens the private chat; the bot hears of it and may answer.
  const Message* start = UserSays(kBob, ChatId(kBot.value), Command("/start"));
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->chat, ChatId(kBob.value));
  EXPECT_EQ(start->bot, kBot);
  EXPECT_EQ(start->id, 1);
  EXPECT_EQ(Updates(kBot), std::vector<std::string>{"7000000001:message:100002:1"});
  EXPECT_TRUE(world_.CheckCanReachUser(kBot, *bob->user, kNow).ok());
  EXPECT_TRUE(world_.FindPrivateChat(kBob, kBot)->started);
  // Other bots are not started by it, and bots never message bots.
  EXPECT_FALSE(world_.CheckCanReachUser(kPrivacyBot, *bob->user, kNow).ok());
  EXPECT_EQ(world_.CheckCanReachUser(kBot, *world_.FindUser(kPrivacyBot), kNow).error().kind,
            Err::kBotCantMessageBot);
}

TEST_F(WorldMessagesTest, ABotNumbersAllItsPrivateChatsWithOneCounterAndAChatHasItsOwn) {
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));  // 1 (Alice's chat)
  UserSays(kBob, ChatId(kBot.value), Command("/start"));    // 2 (Bob's chat)
  EXPECT_EQ(Send(kBot, Private(kAlice), "hi Alice").id, 3);
  EXPECT_EQ(Send(kBot, Private(kBob), "hi Bob").id, 4);
  UserSays(kBob, ChatId(kPrivacyBot.value), Command("/start"));
  EXPECT_EQ(Send(kPrivacyBot, Private(kBob), "another bot").id, 2);
  EXPECT_EQ(Send(kBot, Group(kSuper), "in the group").id, 1);
  EXPECT_EQ(UserSays(kAlice, kSuper, Text("hello"))->id, 2);
  EXPECT_EQ(Send(kBot, Group(kGroup), "basic group").id, 1);
  // The private chat lists both sides, in order.
  std::vector<int64_t> ids;
  for (const Message* m : world_.ListMessages(ChatId(kBob.value), kBot)) ids.push_back(m->id);
  EXPECT_EQ(ids, (std::vector<int64_t>{2, 4}));
}

TEST_F(WorldMessagesTest, BlockingRefusesTheBotAndTellsIt) {
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));
  Mutation m;
  ASSERT_TRUE(world_.SetBlocked(kAlice, kBot, true, kNow, m).ok());
  EXPECT_EQ(world_.CheckCanReachUser(kBot, *world_.FindUser(kAlice), kNow).error().kind,
            Err::kBotBlockedByUser);
  auto refused = world_.SendUserMessage(kAlice, ChatId(kBot.value), Text("hi"), 0, kNow, m);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("has blocked bot"), std::string::npos);
  ASSERT_TRUE(world_.SetBlocked(kAlice, kBot, false, kNow, m).ok());
  EXPECT_TRUE(world_.CheckCanReachUser(kBot, *world_.FindUser(kAlice), kNow).ok());
  EXPECT_EQ(Updates(kBot), (std::vector<std::string>{"7000000001:message:100001:1",
                                                     "7000000001:my_chat_member:kicked",
                                                     "7000000001:my_chat_member:member"}));
}

TEST_F(WorldMessagesTest, AJoinRequestLetsTheBotWriteUntilItIsDecided) {
  Mutation m;
  auto link = world_.CreateLink(kBot, ChatRef{.id = kSuper.value},
                                LinkSpec{.creates_join_request = true}, kNow, m);
  ASSERT_TRUE(link.ok());
  ASSERT_TRUE(world_.JoinByLink(kStranger, link->hash, kNow, m).ok());
  // The stranger is now known (a join request) and reachable for five minutes.
  auto who = world_.ResolveMessageChat(kBot, ChatRef{.id = kStranger.value}, MessageAccess::kWrite);
  ASSERT_TRUE(who.ok());
  EXPECT_TRUE(world_.CheckCanReachUser(kBot, *who->user, kNow + 299).ok());
  EXPECT_EQ(world_.CheckCanReachUser(kBot, *who->user, kNow + 300).error().kind,
            Err::kBotCantInitiateConversation);
  ASSERT_TRUE(world_
                  .DecideJoinRequest(kBot, ChatRef{.id = kSuper.value}, kStranger,
                                     JoinDecision::kApprove, kNow + 10, m)
                  .ok());
  EXPECT_FALSE(world_.CheckCanReachUser(kBot, *who->user, kNow + 11).ok());
}

TEST_F(WorldMessagesTest, PrivacyRulesDecideWhichBotsHearAUserInAGroup) {
  // kBot is an administrator: everything. kPrivacyBot and kThirdBot are in privacy mode.
  UserSays(kBob, kSuper, Text("plain text"));        // 1
  UserSays(kBob, kSuper, Command("/help@two_bot"));  // 2
  // No bot has written yet: a general command reaches every privacy-mode bot.
  UserSays(kBob, kSuper, Command("/start"));                            // 3
  const Message& third = Send(kThirdBot, Group(kSuper), "I am three");  // 4
  UserSays(kBob, kSuper, Command("/start"));          // 5: only the last bot that wrote
  UserSays(kBob, kSuper, Text("a reply"), third.id);  // 6: a reply to its message
  Send(kBot, Group(kSuper), "bots do not hear bots");
  EXPECT_EQ(Updates(kBot),
            (std::vector<std::string>{
                "7000000001:message:-1001000000001:1", "7000000001:message:-1001000000001:2",
                "7000000001:message:-1001000000001:3", "7000000001:message:-1001000000001:5",
                "7000000001:message:-1001000000001:6"}));
  EXPECT_EQ(Updates(kPrivacyBot),
            (std::vector<std::string>{"7000000002:message:-1001000000001:2",
                                      "7000000002:message:-1001000000001:3"}));
  EXPECT_EQ(Updates(kThirdBot), (std::vector<std::string>{"7000000003:message:-1001000000001:3",
                                                          "7000000003:message:-1001000000001:5",
                                                          "7000000003:message:-1001000000001:6"}));
}

TEST_F(WorldMessagesTest, ChannelsNeedTheRightToPostAndEveryBotGetsThePosts) {
  EXPECT_TRUE(world_.CheckCanSendText(kBot, Group(kChannel)).ok());
  EXPECT_EQ(world_.CheckCanSendText(kPrivacyBot, Group(kChannel)).error().kind,
            Err::kNeedAdminRightsInChannel);
  const Message& post = Send(kBot, Group(kChannel), "news");
  UserSays(kAlice, kChannel, Text("from the owner"));
  EXPECT_EQ(Updates(kPrivacyBot),
            (std::vector<std::string>{"7000000002:message:-1001000000003:1",
                                      "7000000002:message:-1001000000003:2"}));
  EXPECT_EQ(Updates(kBot), std::vector<std::string>{"7000000001:message:-1001000000003:2"});
  Mutation m;
  EXPECT_FALSE(world_.SendUserMessage(kBob, kChannel, Text("not a member"), 0, kNow, m).ok());
  EXPECT_EQ(post.id, 1);
}

TEST_F(WorldMessagesTest, ReplyTargetsMustExistUnlessAllowedWithout) {
  const Message& sent = Send(kBot, Group(kSuper), "hello");
  EXPECT_EQ(*world_.CheckReplyTarget(kBot, Group(kSuper), sent.id, false), sent.id);
  auto missing = world_.CheckReplyTarget(kBot, Group(kSuper), 99, false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, Err::kMessageNotFound);
  EXPECT_EQ(missing.error().use, MessageUse::kReply);
  EXPECT_EQ(*world_.CheckReplyTarget(kBot, Group(kSuper), 99, true), 0);
}

TEST_F(WorldMessagesTest, ButtonsMakeCallbackQueriesAnsweredOnceInTime) {
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));
  const Message& menu = Send(kBot, Private(kAlice), "pick", {"a", "b"});
  Mutation m;
  auto wrong = world_.PressButton(kAlice, ChatId(kBot.value), menu.id, "c", kNow, m);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("no button with callback_data \"c\""), std::string::npos);
  auto press = world_.PressButton(kAlice, ChatId(kBot.value), menu.id, "b", kNow, m);
  ASSERT_TRUE(press.ok()) << press.error().message;
  const int64_t id = (*press)->id;
  EXPECT_EQ((*press)->bot, kBot);
  EXPECT_EQ((*press)->data, "b");
  EXPECT_EQ(Updates(kBot).back(), "7000000001:callback_query:" + std::to_string(id));
  // Another bot may not answer it; the bot may, once.
  EXPECT_EQ(world_.AnswerCallbackQuery(kPrivacyBot, id, {}, kNow, m).error().kind,
            Err::kQueryIdInvalid);
  ASSERT_TRUE(world_.AnswerCallbackQuery(kBot, id, CallbackAnswer{.text = "ok"}, kNow + 1, m).ok());
  EXPECT_EQ(world_.AnswerCallbackQuery(kBot, id, {}, kNow + 2, m).error().kind,
            Err::kQueryIdInvalid);
  EXPECT_EQ(world_.FindCallbackQuery(id)->answer_text, "ok");
  // Too late.
  auto late = world_.PressButton(kAlice, ChatId(kBot.value), menu.id, "a", kNow, m);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(world_.AnswerCallbackQuery(kBot, (*late)->id, {}, kNow + kCallbackAnswerSeconds + 1, m)
                .error()
                .kind,
            Err::kQueryIdInvalid);
}

TEST_F(WorldMessagesTest, EditsChangeSomethingOrAreRefused) {
  const Message& sent = Send(kBot, Group(kSuper), "v1", {"x"});
  auto found = world_.FindMessageFor(kBot, Group(kSuper), sent.id, MessageUse::kEdit);
  ASSERT_TRUE(found.ok());
  Mutation m;
  MessageEdit same{.text = Text("v1"),
                   .inline_keyboard = sent.inline_keyboard,
                   .callback_data = sent.callback_data};
  EXPECT_EQ(world_.EditBotMessage(kBot, **found, same, kNow + 5, m).error().kind,
            Err::kMessageNotModified);
  MessageEdit no_keyboard{.text = Text("v1")};  // an omitted keyboard removes it
  auto edited = world_.EditBotMessage(kBot, **found, no_keyboard, kNow + 5, m);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ((*edited)->edit_date, kNow + 5);
  EXPECT_TRUE((*edited)->inline_keyboard.empty());
  // Someone else's message cannot be edited; a missing one is "not found".
  const Message* alice = UserSays(kAlice, kSuper, Text("mine"));
  EXPECT_EQ(world_.FindMessageFor(kBot, Group(kSuper), alice->id, MessageUse::kEdit).error().kind,
            Err::kMessageCantBeEdited);
  auto missing = world_.FindMessageFor(kBot, Group(kSuper), 77, MessageUse::kEdit);
  EXPECT_EQ(missing.error().kind, Err::kMessageNotFound);
  EXPECT_EQ(missing.error().use, MessageUse::kEdit);
}

TEST_F(WorldMessagesTest, AUsersEditReachesTheBotsTheMessageReached) {
  const ChatId to_bot(kBot.value);
  const Message* start = UserSays(kAlice, to_bot, Command("/start"));
  const Message* cmd = UserSays(kBob, kSuper, Command("/help@two_bot"));  // kBot, kPrivacyBot
  const Message* plain = UserSays(kBob, kSuper, Text("plain"));           // kBot only
  const Message* post = UserSays(kAlice, kChannel, Text("news"));         // both channel bots
  ASSERT_TRUE(start && cmd && plain && post);
  const int64_t start_id = start->id, cmd_id = cmd->id, plain_id = plain->id, post_id = post->id;
  const size_t before_bot = Updates(kBot).size(), before_privacy = Updates(kPrivacyBot).size();
  Mutation m;
  auto edited =
      world_.EditUserMessage(kAlice, to_bot, start_id, Command("/start again"), kNow + 5, m);
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ((*edited)->text.text, "/start again");
  EXPECT_EQ((*edited)->edit_date, kNow + 5);
  EXPECT_EQ((*edited)->date, kNow);
  EXPECT_FALSE(m.ops.empty()) << "the new version is stored";
  ASSERT_TRUE(
      world_.EditUserMessage(kBob, kSuper, cmd_id, Command("/help@two_bot now"), kNow + 6, m).ok());
  // A message edited into a command does not reach a privacy-mode bot that never had it.
  ASSERT_TRUE(
      world_.EditUserMessage(kBob, kSuper, plain_id, Command("/help@two_bot"), kNow + 7, m).ok());
  ASSERT_TRUE(world_.EditUserMessage(kAlice, kChannel, post_id, Text("news!"), kNow + 8, m).ok());
  std::vector<std::string> bot = Updates(kBot);
  EXPECT_EQ(std::vector<std::string>(bot.begin() + static_cast<ptrdiff_t>(before_bot), bot.end()),
            (std::vector<std::string>{
                "7000000001:edited_message:100001:" + std::to_string(start_id),
                "7000000001:edited_message:-1001000000001:" + std::to_string(cmd_id),
                "7000000001:edited_message:-1001000000001:" + std::to_string(plain_id),
                "7000000001:edited_message:-1001000000003:" + std::to_string(post_id)}));
  std::vector<std::string> privacy = Updates(kPrivacyBot);
  EXPECT_EQ(std::vector<std::string>(privacy.begin() + static_cast<ptrdiff_t>(before_privacy),
                                     privacy.end()),
            (std::vector<std::string>{
                "7000000002:edited_message:-1001000000001:" + std::to_string(cmd_id),
                "7000000002:edited_message:-1001000000003:" + std::to_string(post_id)}));
  EXPECT_EQ(world_.UpdateSettings(kBot).next_update_id,
            world_.PendingUpdates(kBot, kNow).back()->id + 1);
}

TEST_F(WorldMessagesTest, OnlyTheSenderEditsAndOnlyAChange) {
  const Message* bobs = UserSays(kBob, kSuper, Text("hi"));
  ASSERT_TRUE(bobs);
  const int64_t id = bobs->id;
  const Message& bots = Send(kBot, Group(kSuper), "from a bot");
  const size_t before = Updates(kBot).size();
  auto refused = [&](UserId user, ChatId chat, int64_t message_id, std::string text) {
    Mutation m;
    auto r = world_.EditUserMessage(user, chat, message_id, Text(std::move(text)), kNow + 1, m);
    EXPECT_TRUE(m.ops.empty());
    return r.ok() ? std::string("(ok)") : r.error().message;
  };
  EXPECT_EQ(refused(kAlice, kSuper, id, "hijacked"),
            "message " + std::to_string(id) +
                " in chat -1001000000001 was sent by 100002, not by user 100001: only its sender "
                "may edit it");
  EXPECT_EQ(refused(kBob, kSuper, bots.id, "x"),
            "message " + std::to_string(bots.id) +
                " in chat -1001000000001 was sent by 7000000001, not by user 100002: only its "
                "sender may edit it");
  EXPECT_EQ(refused(kBob, kSuper, id, "hi"),
            "message " + std::to_string(id) +
                " in chat -1001000000001 is not modified: the new text is the same as the old");
  EXPECT_EQ(refused(kBob, kSuper, 99, "x"), "no message 99 in chat -1001000000001");
  EXPECT_EQ(refused(kBob, ChatId(kBot.value), 1, "x"),
            "no message 1 in the private chat of user 100002 and bot 7000000001");
  EXPECT_EQ(refused(kStranger, kSuper, id, "x"),
            "user 100009 is not a member of chat -1001000000001");
  EXPECT_EQ(Updates(kBot).size(), before);
  // A bot that does not allow edited_message does not get it (spec 5.3: filtered when made).
  Mutation m;
  world_.SetAllowedUpdates(kBot, UpdateBit(UpdateType::kMessage), m);
  ASSERT_TRUE(world_.EditUserMessage(kBob, kSuper, id, Text("hi!"), kNow + 2, m).ok());
  EXPECT_EQ(Updates(kBot).size(), before);
  EXPECT_EQ(world_.FindMessage(kSuper, UserId(), id)->text.text, "hi!");
}

TEST_F(WorldMessagesTest, ACallbackQueryLives150SecondsOtherUpdates24Hours) {
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));
  const Message& menu = Send(kBot, Private(kAlice), "pick", {"a"});
  Mutation m;
  ASSERT_TRUE(world_.PressButton(kAlice, ChatId(kBot.value), menu.id, "a", kNow, m).ok());
  auto kinds = [&](UnixTime now) {
    std::string out;
    for (const Update* u : world_.PendingUpdates(kBot, now))
      out += std::string(UpdateTypeName(u->type)) + " ";
    return out;
  };
  EXPECT_EQ(kinds(kNow + kCallbackQueryLifetimeSeconds - 1), "message callback_query ");
  EXPECT_EQ(kinds(kNow + kCallbackQueryLifetimeSeconds), "message ");
  EXPECT_EQ(kinds(kNow + kUpdateLifetimeSeconds), "");
  // getUpdates leaves the expired query out although it comes after a live message.
  Mutation g;
  auto got = world_.GetUpdates(kBot, {.offset = 0, .limit = 100},
                               kNow + kCallbackQueryLifetimeSeconds + 1, g);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->type, UpdateType::kMessage);
  // Confirming the message leaves the expired query first in the queue: the next getUpdates
  // drops it for good.
  const UnixTime later = kNow + kCallbackQueryLifetimeSeconds + 1;
  Mutation c;
  EXPECT_TRUE(world_.GetUpdates(kBot, {.offset = got[0]->id + 1, .limit = 100}, later, c).empty());
  ASSERT_EQ(world_.PendingUpdates(kBot, kNow).size(), 1u) << "hidden, not yet gone";
  Mutation d;
  EXPECT_TRUE(world_.GetUpdates(kBot, {.offset = 0, .limit = 100}, later, d).empty());
  EXPECT_FALSE(d.ops.empty()) << "the drop is durable";
  EXPECT_TRUE(world_.PendingUpdates(kBot, kNow).empty());
}

TEST_F(WorldMessagesTest, AFullQueueDropsTheNewestUpdatesWhichTakeNoId) {
  world_.SetMaxQueuedUpdates(2);
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));  // update 1
  UserSays(kAlice, ChatId(kBot.value), Text("two"));        // update 2
  Mutation m;
  ASSERT_TRUE(world_.SendUserMessage(kAlice, ChatId(kBot.value), Text("three"), 0, kNow, m).ok());
  // The message is sent (it is in the chat), its update is not queued, and nothing of it goes to
  // the store but the message.
  for (const Op& op : m.ops) EXPECT_FALSE(std::holds_alternative<Update>(op));
  auto pending = world_.PendingUpdates(kBot, kNow);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0]->id, 1);
  EXPECT_EQ(pending[1]->id, 2);
  // Confirming one makes room: the next update takes id 3, the dropped one had none.
  Mutation c;
  world_.GetUpdates(kBot, {.offset = 2, .limit = 100}, kNow, c);
  UserSays(kAlice, ChatId(kBot.value), Text("four"));
  pending = world_.PendingUpdates(kBot, kNow);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[1]->id, 3);
  EXPECT_EQ(Updates(kBot), (std::vector<std::string>{"7000000001:message:100001:2",
                                                     "7000000001:message:100001:4"}));
}

TEST_F(WorldMessagesTest, DeletionIsAllOrNothingWithinTwoDays) {
  const Message& a = Send(kThirdBot, Group(kSuper), "a");      // 1: an ordinary message here
  const Message& b = Send(kThirdBot, Group(kSuper), "b");      // 2
  const Message* alice = UserSays(kAlice, kSuper, Text("c"));  // 3: not the bot's
  Mutation m;
  // kThirdBot has no can_delete_messages: its own messages only, and never message 1.
  EXPECT_EQ(
      world_.DeleteMessages(kThirdBot, Group(kSuper), {b.id, alice->id}, kNow, m).error().kind,
      Err::kMessageCantBeDeleted);
  EXPECT_NE(world_.FindMessage(kSuper, UserId(), b.id), nullptr);  // nothing was deleted
  // Message 1 is no "created" message in the emulator (see DeleteMessages): the bot deletes it
  // as its own.
  const int64_t first = a.id;
  ASSERT_EQ(first, 1);
  ASSERT_TRUE(world_.DeleteMessages(kThirdBot, Group(kSuper), {first}, kNow, m).ok());
  EXPECT_EQ(world_.FindMessage(kSuper, UserId(), first), nullptr);
  EXPECT_EQ(
      world_.DeleteMessages(kThirdBot, Group(kSuper), {b.id}, kNow + 48 * 3600 + 1, m).error().kind,
      Err::kMessageCantBeDeleted);
  ASSERT_TRUE(world_.DeleteMessages(kThirdBot, Group(kSuper), {b.id, 99}, kNow, m).ok());
  EXPECT_EQ(world_.FindMessage(kSuper, UserId(), b.id), nullptr);
  // A deleted message's id is not given again.
  EXPECT_EQ(Send(kThirdBot, Group(kSuper), "d").id, 4);
  // In a basic group, a member bot that is not an administrator: its own messages only.
  const Message& g = Send(kBot, Group(kGroup), "g");
  const Message* ga = UserSays(kAlice, kGroup, Text("h"));
  EXPECT_EQ(world_.DeleteMessages(kBot, Group(kGroup), {ga->id}, kNow, m).error().kind,
            Err::kMessageCantBeDeletedForEveryone);
  EXPECT_TRUE(world_.DeleteMessages(kBot, Group(kGroup), {g.id}, kNow, m).ok());
}

// A reply keyboard is kept with the message, goes into the mutation the store writes, and
// survives a reload. (Such a message is never editable: the Bot API layer flags it
// kHadReplyKeyboard.)
TEST_F(WorldMessagesTest, AReplyKeyboardIsKeptWithItsMessage) {
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));
  const std::string keyboard = R"({"keyboard":[[{"text":"Yes"}]],"one_time_keyboard":true})";
  Mutation m;
  NewMessage content{.text = Text("pick"), .reply_keyboard = keyboard};
  const Message& sent = world_.SendBotMessage(kBot, Private(kAlice), content, kNow, m);
  EXPECT_EQ(sent.reply_keyboard, keyboard);
  EXPECT_TRUE(sent.inline_keyboard.empty());
  int written = 0;
  for (const Op& op : m.ops)
    if (const auto* message = std::get_if<Message>(&op)) {
      EXPECT_EQ(message->reply_keyboard, keyboard);
      ++written;
    }
  EXPECT_EQ(written, 1);
  World reloaded(world_.SnapshotForTesting(), [] { return std::string("hx"); });
  EXPECT_EQ(reloaded.FindMessage(ChatId(kAlice.value), kBot, sent.id)->reply_keyboard, keyboard);
}

// GET /control/v1/users/{user_id}/chats: the private chats with a record, and every member record.
TEST_F(WorldMessagesTest, AUsersChatsAreTheirPrivateChatsAndMemberRecords) {
  UserSays(kAlice, ChatId(kThirdBot.value), Command("/start"));
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));
  Mutation m;
  ASSERT_TRUE(world_.SetBlocked(kAlice, kPrivacyBot, true, kNow, m).ok());
  std::string chats;
  for (const PrivateChat* pc : world_.PrivateChatsOf(kAlice))
    chats += std::to_string(pc->bot.value) + (pc->started ? " started" : "") +
             (pc->blocked ? " blocked" : "") + ";";
  EXPECT_EQ(chats, "7000000001 started;7000000002 blocked;7000000003 started;");
  EXPECT_TRUE(world_.PrivateChatsOf(kBob).empty());
  std::string records;
  for (const Member* mb : world_.MembershipsOf(kAlice))
    records += std::to_string(mb->chat.value) + ":" + MemberStatusName(mb->status) + ";";
  EXPECT_EQ(records, "-1001000000003:creator;-1001000000001:creator;-4001:creator;");
  EXPECT_TRUE(world_.MembershipsOf(kStranger).empty());
}

TEST_F(WorldMessagesTest, EverythingSurvivesAReloadAndIdsGoOn) {
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));
  const Message& menu = Send(kBot, Private(kAlice), "pick", {"a"});
  Send(kThirdBot, Group(kSuper), "third wrote last");
  Mutation m;
  ASSERT_TRUE(world_.PressButton(kAlice, ChatId(kBot.value), menu.id, "a", kNow, m).ok());
  World reloaded(world_.SnapshotForTesting(), [] { return std::string("hx"); });
  reloaded.SetUpdateEncoder(TestEncoder);
  EXPECT_EQ(reloaded.FindMessage(ChatId(kAlice.value), kBot, menu.id)->callback_data,
            std::vector<std::string>{"a"});
  EXPECT_TRUE(reloaded.FindPrivateChat(kAlice, kBot)->started);
  Mutation m2;
  NewMessage next{.text = Text("next")};
  EXPECT_EQ(
      reloaded.SendBotMessage(kBot, Target{.user = reloaded.FindUser(kAlice)}, next, kNow, m2).id,
      3);
  auto press = reloaded.PressButton(kAlice, ChatId(kBot.value), menu.id, "a", kNow, m2);
  ASSERT_TRUE(press.ok());
  EXPECT_EQ((*press)->id, 2);
  // The last bot to write in the group is remembered: a general command goes to it.
  ASSERT_TRUE(reloaded.SendUserMessage(kBob, kSuper, Command("/start"), 0, kNow, m2).ok());
  std::vector<std::string> third;
  for (const Update* u : reloaded.PendingUpdates(kThirdBot, kNow)) third.push_back(u->json.str());
  EXPECT_EQ(third, std::vector<std::string>{"7000000003:message:-1001000000001:2"});
}

// --- Pinned messages.

class WorldPinsTest : public WorldMessagesTest {
 protected:
  // The message updates of `bot` so far (TestEncoder's lines), member updates left out.
  std::vector<std::string> MessageUpdates(UserId bot) {
    std::vector<std::string> out;
    for (const std::string& u : Updates(bot))
      if (u.find(":message:") != std::string::npos) out.push_back(u);
    return out;
  }
  void Grant(ChatId chat, UserId bot, std::initializer_list<Right> rights) {
    Mutation m;
    Member mb{.chat = chat,
              .user = bot,
              .status = MemberStatus::kAdministrator,
              .rights = WithRights(rights)};
    ASSERT_TRUE(world_.PutMember(mb, kNow, m).ok());
  }
  Result<void, DomainError> Pin(UserId bot, const Target& t, int64_t id, bool silent = false) {
    auto message = world_.FindMessageFor(bot, t, id, MessageUse::kPin);
    if (!message) return Unexpected{message.error()};
    Mutation m;
    return world_.PinMessage(bot, t, **message, silent, kNow, m);
  }
  Result<void, DomainError> Unpin(UserId bot, const Target& t, int64_t id) {
    Mutation m;
    if (id == 0) return world_.UnpinNewestMessage(bot, t, kNow, m);
    auto message = world_.FindMessageFor(bot, t, id, MessageUse::kUnpin);
    if (!message) return Unexpected{message.error()};
    return world_.UnpinMessage(bot, t, **message, kNow, m);
  }
  int64_t Newest(UserId bot, const Target& t) {
    const Message* m = world_.PinnedMessage(bot, t);
    return m ? m->id : 0;
  }
};

TEST_F(WorldPinsTest, PinningNeedsTheRightAndTellsEveryBotOfTheGroup) {
  const Target super = Group(kSuper);
  UserSays(kAlice, kSuper, Text("hello"));  // 1
  EXPECT_EQ(Pin(kBot, super, 1).error().kind, Err::kNotEnoughRightsToPin);
  EXPECT_EQ(Pin(kPrivacyBot, super, 1).error().kind, Err::kNotEnoughRightsToPin);
  EXPECT_EQ(Pin(kBot, super, 9).error().use, MessageUse::kPin);  // message to pin not found
  Grant(kSuper, kBot, {Right::kCanPinMessages});
  const size_t before = MessageUpdates(kBot).size();
  ASSERT_TRUE(Pin(kBot, super, 1, /*silent=*/true).ok());
  EXPECT_EQ(Newest(kBot, super), 1);
  const Message* service = world_.FindMessage(kSuper, UserId(), 2);
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->kind, MessageKind::kPinnedMessage);
  EXPECT_EQ(service->reply_to, 1);
  EXPECT_EQ(service->from, kBot);
  EXPECT_TRUE(service->Has(MessageFlag::kDisableNotification));
  // Service messages reach every bot, the pinning one included (spec 9.1, 9.2).
  EXPECT_EQ(MessageUpdates(kBot).size(), before + 1);
  EXPECT_EQ(MessageUpdates(kBot).back(), "7000000001:message:-1001000000001:2");
  EXPECT_EQ(MessageUpdates(kPrivacyBot),
            std::vector<std::string>{"7000000002:message:-1001000000001:2"});
  EXPECT_EQ(MessageUpdates(kThirdBot),
            std::vector<std::string>{"7000000003:message:-1001000000001:2"});
  // Pinning it again changes nothing; a service message cannot be pinned or unpinned.
  ASSERT_TRUE(Pin(kBot, super, 1).ok());
  EXPECT_EQ(world_.ListMessages(kSuper, UserId()).size(), 2u);
  EXPECT_EQ(Pin(kBot, super, 2).error().kind, Err::kServiceMessageCantBePinned);
  EXPECT_EQ(Unpin(kBot, super, 2).error().kind, Err::kServiceMessageCantBePinned);
  // A pin does not make the bot "the last bot to send a message" (spec 9.1).
  UserSays(kBob, kSuper, Command("/start"));  // 3: every privacy-mode bot, none wrote yet
  EXPECT_EQ(MessageUpdates(kThirdBot).size(), 2u);
}

TEST_F(WorldPinsTest, UnpinningTakesTheNewestOrOneOrAll) {
  const Target super = Group(kSuper);
  Grant(kSuper, kBot, {Right::kCanPinMessages});
  for (const char* t : {"a", "b", "c"}) UserSays(kAlice, kSuper, Text(t));  // 1, 2, 3
  ASSERT_TRUE(Pin(kBot, super, 3).ok());                                    // service 4
  ASSERT_TRUE(Pin(kBot, super, 1).ok());                                    // service 5
  EXPECT_EQ(Newest(kBot, super), 3);  // the newest pin is the highest id, not the latest pinned
  EXPECT_EQ(Unpin(kPrivacyBot, super, 0).error().kind, Err::kNotEnoughRightsToPin);
  ASSERT_TRUE(Unpin(kBot, super, 0).ok());
  EXPECT_EQ(Newest(kBot, super), 1);
  ASSERT_TRUE(Unpin(kBot, super, 2).ok());  // not pinned: nothing happens
  EXPECT_EQ(Newest(kBot, super), 1);
  ASSERT_TRUE(Unpin(kBot, super, 1).ok());
  EXPECT_EQ(Newest(kBot, super), 0);
  auto none = Unpin(kBot, super, 0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, Err::kMessageNotFound);
  EXPECT_EQ(none.error().use, MessageUse::kUnpin);
  EXPECT_EQ(Unpin(kBot, super, 99).error().use, MessageUse::kUnpin);
  ASSERT_TRUE(Pin(kBot, super, 1).ok());
  ASSERT_TRUE(Pin(kBot, super, 2).ok());
  Mutation m;
  EXPECT_EQ(world_.UnpinAllMessages(kPrivacyBot, super, kNow, m).error().kind,
            Err::kNotEnoughRightsToPin);
  ASSERT_TRUE(world_.UnpinAllMessages(kBot, super, kNow, m).ok());
  EXPECT_EQ(m.ops.size(), 2u);  // both messages, written again without the flag
  EXPECT_EQ(Newest(kBot, super), 0);
  ASSERT_TRUE(world_.UnpinAllMessages(kBot, super, kNow, m).ok());  // nothing pinned: fine
  // Unpinning posts no service message.
  EXPECT_EQ(world_.ListMessages(kSuper, UserId()).size(), 7u);
}

TEST_F(WorldPinsTest, ChannelsNeedEditRightsGroupsAnAdministratorPrivateChatsNothing) {
  const Target channel = Group(kChannel);
  Send(kBot, channel, "news");  // 1
  EXPECT_EQ(Pin(kBot, channel, 1).error().kind, Err::kNotEnoughRightsToPin);
  Grant(kChannel, kBot, {Right::kCanPostMessages, Right::kCanEditMessages});
  ASSERT_TRUE(Pin(kBot, channel, 1).ok());
  EXPECT_EQ(MessageUpdates(kPrivacyBot).back(), "7000000002:message:-1001000000003:2");
  EXPECT_EQ(MessageUpdates(kBot).back(), "7000000001:message:-1001000000003:2");

  UserSays(kAlice, kGroup, Text("hi"));  // the group's 1
  EXPECT_EQ(Pin(kBot, Group(kGroup), 1).error().kind, Err::kNotEnoughRightsToPin);

  UserSays(kAlice, ChatId(kBot.value), Command("/start"));  // the bot's private 1
  const Target alice = Private(kAlice);
  ASSERT_TRUE(Pin(kBot, alice, 1).ok());
  const Message* service = world_.FindMessage(ChatId(kAlice.value), kBot, 2);
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->kind, MessageKind::kPinnedMessage);
  EXPECT_EQ(MessageUpdates(kBot).back(), "7000000001:message:100001:2");
  EXPECT_EQ(Newest(kBot, alice), 1);
  EXPECT_EQ(Newest(kPrivacyBot, Private(kAlice)), 0);  // another bot's chat with Alice
}

TEST_F(WorldPinsTest, PinsSurviveAReloadAndDeletedMessagesLeaveTheList) {
  const Target alice = Private(kAlice);
  UserSays(kAlice, ChatId(kBot.value), Command("/start"));  // 1
  Send(kBot, alice, "rules");                               // 2
  ASSERT_TRUE(Pin(kBot, alice, 1).ok());                    // service 3
  ASSERT_TRUE(Pin(kBot, alice, 2).ok());                    // service 4
  World reloaded(world_.SnapshotForTesting(), [] { return std::string("hx"); });
  const Target again{.user = reloaded.FindUser(kAlice)};
  ASSERT_NE(reloaded.PinnedMessage(kBot, again), nullptr);
  EXPECT_EQ(reloaded.PinnedMessage(kBot, again)->id, 2);
  Mutation m;
  ASSERT_TRUE(reloaded.DeleteMessages(kBot, again, {2}, kNow, m).ok());
  EXPECT_EQ(reloaded.PinnedMessage(kBot, again)->id, 1);
}

}  // namespace
}  // namespace tgi::domain
