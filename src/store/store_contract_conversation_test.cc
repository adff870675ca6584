// The Store contract, continued (fixture in store_contract.h): conversations (messages, private
// chats, callback queries, bot profiles) and sender-chat bans.
#include "store/store_contract.h"

namespace tgi::store::contract {
namespace {

// Every field of a message set, with entities of every type, each with every field set.
Message FullMessage() {
  Message m = MakeMessage(42, 7000000001, 9007199254740993);
  m.from = UserId(42);
  m.date = 1700000000;
  m.edit_date = 1700000123;
  m.kind = MessageKind::kText;
  m.text.text = "Zoë ✓ 🌸 <b>\"quoted\"</b>\nline two\ttab \\ end";
  for (int t = 0; t < static_cast<int>(EntityType::kCount); ++t) {
    m.text.entities.push_back(Entity{.type = static_cast<EntityType>(t),
                                     .offset = 3 * t,
                                     .length = 70000 + t,  // more than one byte of LEB128
                                     .argument = "arg ü " + std::to_string(t),
                                     .user_id = 7000000000 + t,
                                     .unix_time = -1 - t});
  }
  m.reply_to = 9007199254740992;
  m.inline_keyboard =
      R"({"inline_keyboard":[[{"text":"Да ✓","callback_data":"yes"},{"text":"Nein","callback_data":""}]]})";
  m.callback_data = {"yes", "", std::string("nul\0byte", 8), "ünï ✓", std::string(64, 'x')};
  // Never beside an inline keyboard in the world; the store does not care.
  m.reply_keyboard =
      R"({"keyboard":[[{"text":"Ja ✓","request_contact":true}]],"input_field_placeholder":"Wähle"})";
  m.flags = 0xffffffffu;  // every bit, including ones no flag uses yet
  m.link_preview_url = "https://example.com/pfad?q=ä";
  m.forward_from = UserId(9);
  m.forward_from_chat = ChatId(-1001234567890);
  m.forward_from_message_id = 77;
  m.forward_date = 1690000000;
  m.users = {UserId(1), UserId(9007199254740993)};
  return m;
}

TEST_P(StoreContractTest, EmptyStoreLoadsNoConversations) {
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_TRUE(w->messages.empty());
  EXPECT_TRUE(w->private_chats.empty());
  EXPECT_TRUE(w->callback_queries.empty());
  EXPECT_TRUE(w->bot_profile.empty());
}

TEST_P(StoreContractTest, MessageRoundTripsEveryField) {
  Message full = FullMessage();
  Message bare;  // every list empty, every number 0 or its least
  bare.chat = ChatId(-1);
  bare.id = 1;
  Message joined = MakeMessage(-1001234567890, 0, 5);
  joined.kind = MessageKind::kNewChatMembers;
  joined.text = {};
  joined.users = {UserId(3), UserId(4), UserId(5)};
  Message left = MakeMessage(-1001234567890, 0, 6);
  left.kind = MessageKind::kLeftChatMember;
  left.text = {};
  left.users = {UserId(4)};
  Message channel_post = MakeMessage(-1009876543210, 0, 1);
  channel_post.from = UserId(0);
  channel_post.Set(MessageFlag::kProtectedContent, true);
  channel_post.Set(MessageFlag::kPreviewAboveText, true);
  ASSERT_TRUE(Submit(Mut({full, bare})).ok());
  ASSERT_TRUE(Submit(Mut({joined, left, channel_post})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->messages, (std::vector<Message>{full, bare, joined, left, channel_post}));
  EXPECT_EQ(Loaded(), Dump(full) + Dump(bare) + Dump(joined) + Dump(left) + Dump(channel_post));
}

// pinChatMessage writes the pinned message again with kPinned, then its service message (kind
// kPinnedMessage, reply_to the pinned id); unpinning writes the message again without the flag.
TEST_P(StoreContractTest, PinsAndTheirServiceMessagesRoundTrip) {
  Message text = MakeMessage(-1001234567890, 0, 7);
  Message pinned = text;
  pinned.Set(MessageFlag::kPinned, true);
  Message service = MakeMessage(-1001234567890, 0, 8);
  service.kind = MessageKind::kPinnedMessage;
  service.text = {};
  service.reply_to = 7;
  service.Set(MessageFlag::kDisableNotification, true);
  Message private_text = MakeMessage(5, 7, 3);
  Message private_pinned = private_text;
  private_pinned.Set(MessageFlag::kPinned, true);
  Message private_service = MakeMessage(5, 7, 4);
  private_service.kind = MessageKind::kPinnedMessage;
  private_service.text = {};
  private_service.reply_to = 3;
  ASSERT_TRUE(Submit(Mut({text, private_text})).ok());
  ASSERT_TRUE(Submit(Mut({pinned, service})).ok());
  ASSERT_TRUE(Submit(Mut({private_pinned, private_service})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->messages, (std::vector<Message>{pinned, private_pinned, service, private_service}));
  // Unpinned: the message's last version has no flag; the service message stays.
  ASSERT_TRUE(Submit(Mut({text})).ok());
  w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->messages, (std::vector<Message>{text, private_pinned, service, private_service}));
  EXPECT_FALSE(w->messages[0].Has(MessageFlag::kPinned));
}

TEST_P(StoreContractTest, MessageRoundTripsLargeListsAndExtremeNumbers) {
  Message m = MakeMessage(-100, 0, 1);
  m.text.text.assign(100000, 'a');
  m.text.text += "✓";
  for (int i = 0; i < 5000; ++i) {
    m.text.entities.push_back(
        Entity{.type = static_cast<EntityType>(i % static_cast<int>(EntityType::kCount)),
               .offset = i,
               .length = 1,
               .argument = std::string(i % 300, 'u'),
               .user_id = i,
               .unix_time = 1700000000 + i});
  }
  // The ends of each field's range.
  m.text.entities.push_back(Entity{.type = EntityType::kTextMention,
                                   .offset = std::numeric_limits<int32_t>::max(),
                                   .length = std::numeric_limits<int32_t>::min(),
                                   .user_id = std::numeric_limits<int64_t>::max(),
                                   .unix_time = std::numeric_limits<int64_t>::min()});
  for (int i = 0; i < 200; ++i) m.callback_data.push_back(std::string(64, static_cast<char>(i)));
  for (int64_t i = 0; i < 10000; ++i) m.users.push_back(UserId(i * 922337203685477));
  m.users.push_back(UserId(std::numeric_limits<int64_t>::max()));
  m.users.push_back(UserId(std::numeric_limits<int64_t>::min()));
  m.users.push_back(UserId(-1));
  Message other = MakeMessage(-100, 0, 2);
  ASSERT_TRUE(Submit(Mut({m, other})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_EQ(w->messages.size(), 2u);
  EXPECT_TRUE(w->messages[0] == m);  // not EXPECT_EQ: gtest would print megabytes on failure
  EXPECT_EQ(w->messages[1], other);
}

TEST_P(StoreContractTest, AMessageLoadsOnceInItsLastStateAtItsFirstPlace) {
  Message a = MakeMessage(-1, 0, 1);
  Message b = MakeMessage(-2, 0, 1);  // same id, another chat: another message
  Message c = MakeMessage(5, 7, 1);   // same id, a private chat
  Message d = MakeMessage(5, 8, 1);   // the same user with another bot
  ASSERT_TRUE(Submit(Mut({a, b})).ok());
  ASSERT_TRUE(Submit(Mut({c, d})).ok());
  // a is written three times: edited, given a keyboard, deleted.
  Message edited = a;
  edited.text.text = "edited ✓";
  edited.text.entities = {Entity{.type = EntityType::kBold, .offset = 0, .length = 6}};
  edited.edit_date = 1700000900;
  ASSERT_TRUE(Submit(Mut({edited})).ok());
  Message keyboard = edited;
  keyboard.inline_keyboard = R"({"inline_keyboard":[[{"text":"x","callback_data":"x"}]]})";
  keyboard.callback_data = {"x"};
  ASSERT_TRUE(Submit(Mut({keyboard})).ok());
  Message deleted = keyboard;
  deleted.Set(MessageFlag::kDeleted, true);
  Message e = MakeMessage(-1, 0, 2);
  ASSERT_TRUE(Submit(Mut({deleted, e})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->messages, (std::vector<Message>{deleted, b, c, d, e}));
  EXPECT_TRUE(w->messages[0].Has(MessageFlag::kDeleted));

  // Several versions within one mutation: the last wins, and a new message keeps its place.
  Message f = MakeMessage(-3, 0, 1);
  Message f2 = f;
  f2.text.text = "second";
  Message f3 = f2;
  f3.text.text = "third";
  Message b2 = b;
  b2.Set(MessageFlag::kDeleted, true);
  ASSERT_TRUE(Submit(Mut({f, b2, f2, f3})).ok());
  w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->messages, (std::vector<Message>{deleted, b2, c, d, e, f3}));
}

TEST_P(StoreContractTest, BadMessagesAreRefused) {
  std::vector<Message> bad;
  bad.push_back(MakeMessage(-1, 0, 0));   // id below 1
  bad.push_back(MakeMessage(-1, 0, -5));  // id below 1
  bad.push_back(MakeMessage(0, 0, 1));    // no chat
  bad.push_back(MakeMessage(0, 7, 1));    // no chat
  bad.push_back(MakeMessage(5, 0, 1));    // a private chat without its bot
  bad.push_back(MakeMessage(5, -7, 1));   // a private chat with a negative bot
  bad.push_back(MakeMessage(-1, 7, 1));   // a group's message with a bot
  for (int kind : {6, 255}) {
    Message m = MakeMessage(-1, 0, 1);
    m.kind = static_cast<MessageKind>(kind);
    bad.push_back(m);
  }
  Message m = MakeMessage(-1, 0, 1);
  m.from = UserId(-1);
  bad.push_back(m);
  m = MakeMessage(-1, 0, 1);
  m.reply_to = -1;
  bad.push_back(m);
  m = MakeMessage(-1, 0, 1);
  m.edit_date = -1;
  bad.push_back(m);
  m = MakeMessage(-1, 0, 1);
  m.forward_from = UserId(-1);
  bad.push_back(m);
  m = MakeMessage(-1, 0, 1);
  m.forward_from_chat = ChatId(1);
  bad.push_back(m);
  m = MakeMessage(-1, 0, 1);
  m.forward_from_message_id = -1;
  bad.push_back(m);
  for (int type : {static_cast<int>(EntityType::kCount), 255}) {
    m = MakeMessage(-1, 0, 1);
    m.text.entities = {Entity{.type = EntityType::kBold, .length = 1},
                       Entity{.type = static_cast<EntityType>(type), .length = 1}};
    bad.push_back(m);
  }
  for (const Message& msg : bad) {
    EXPECT_FALSE(Submit(Mut({msg})).ok()) << Dump(msg);
    // After a good message in the same mutation too: nothing of it is applied.
    EXPECT_FALSE(Submit(Mut({MakeMessage(-9, 0, 1), msg})).ok()) << Dump(msg);
  }
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, PrivateChatsRoundTripInUserBotOrderAndUpsert) {
  PrivateChat started = MakePrivateChat(5, 7);
  PrivateChat blocked = MakePrivateChat(5, 3);
  blocked.started = false;
  blocked.blocked = true;
  PrivateChat window = MakePrivateChat(2, 7);
  window.started = false;
  window.contact_until = 1700000300;
  PrivateChat both = MakePrivateChat(9007199254740993, 9007199254740993);
  both.blocked = true;
  ASSERT_TRUE(Submit(Mut({started, blocked, window, both})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->private_chats, (std::vector<PrivateChat>{window, blocked, started, both}));

  started.blocked = true;
  window.started = true;
  window.contact_until = 0;
  ASSERT_TRUE(Submit(Mut({started, window})).ok());
  EXPECT_EQ(Loaded(), Dump(window) + Dump(blocked) + Dump(started) + Dump(both));
}

TEST_P(StoreContractTest, BadPrivateChatsAreRefused) {
  PrivateChat negative_window = MakePrivateChat(5, 7);
  negative_window.contact_until = -1;
  for (const PrivateChat& c : {MakePrivateChat(0, 7), MakePrivateChat(-5, 7), MakePrivateChat(5, 0),
                               MakePrivateChat(5, -7), negative_window}) {
    EXPECT_FALSE(Submit(Mut({c})).ok()) << Dump(c);
  }
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, CallbackQueriesRoundTripByIdAndAreAnsweredInPlace) {
  CallbackQuery late = MakeCallbackQuery(30);
  CallbackQuery early = MakeCallbackQuery(2, 9);
  early.chat = ChatId(5);  // a private chat: the user's id
  early.from = UserId(5);
  early.message_id = 9007199254740993;
  early.data = "ünï ✓ " + std::string(50, 'd');
  CallbackQuery big = MakeCallbackQuery(9007199254740993);
  big.data = "";
  ASSERT_TRUE(Submit(Mut({late, big})).ok());
  ASSERT_TRUE(Submit(Mut({early})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->callback_queries, (std::vector<CallbackQuery>{early, late, big}));

  // The answer rewrites the query: upsert by id.
  late.answered = true;
  late.answer_text = "Done ✓ \"quoted\"";
  late.show_alert = true;
  late.answer_url = "https://t.me/bot?start=ü";
  late.cache_time = 3600;
  early.answered = true;  // answered with nothing
  ASSERT_TRUE(Submit(Mut({late, early})).ok());
  EXPECT_EQ(Loaded(), Dump(early) + Dump(late) + Dump(big));
}

TEST_P(StoreContractTest, BadCallbackQueriesAreRefused) {
  std::vector<CallbackQuery> bad = {MakeCallbackQuery(0), MakeCallbackQuery(-1),
                                    MakeCallbackQuery(1, 0), MakeCallbackQuery(1, -7)};
  CallbackQuery q = MakeCallbackQuery(1);
  q.from = UserId(0);
  bad.push_back(q);
  q = MakeCallbackQuery(1);
  q.chat = ChatId(0);
  bad.push_back(q);
  q = MakeCallbackQuery(1);
  q.message_id = 0;
  bad.push_back(q);
  q = MakeCallbackQuery(1);
  q.answered = true;
  q.cache_time = -1;
  bad.push_back(q);
  // An answer before the query is answered, one field at a time.
  q = MakeCallbackQuery(1);
  q.answer_text = "x";
  bad.push_back(q);
  q = MakeCallbackQuery(1);
  q.show_alert = true;
  bad.push_back(q);
  q = MakeCallbackQuery(1);
  q.answer_url = "https://example.com/";
  bad.push_back(q);
  q = MakeCallbackQuery(1);
  q.cache_time = 5;
  bad.push_back(q);
  for (const CallbackQuery& c : bad) EXPECT_FALSE(Submit(Mut({c})).ok()) << Dump(c);
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, BotProfileEntriesUpsertAndAnEmptyValueRemovesOne) {
  // Keys out of order, one of them non-ASCII: loaded by (bot, key), keys compared bytewise.
  BotProfileEntry name = MakeProfileEntry(7, "name/en", "Helper ✓");
  BotProfileEntry name_ru = MakeProfileEntry(7, "name/ru", "Помощник");
  BotProfileEntry accented = MakeProfileEntry(7, "näme", "x");  // 0xc3 sorts after every ASCII
  BotProfileEntry commands =
      MakeProfileEntry(7, "commands/default/", R"([{"command":"start","description":"Start"}])");
  BotProfileEntry other_bot = MakeProfileEntry(3, "name/en", "Other");
  ASSERT_TRUE(Submit(Mut({name, accented, name_ru, commands, other_bot})).ok());
  EXPECT_EQ(Loaded(),
            Dump(other_bot) + Dump(commands) + Dump(name) + Dump(name_ru) + Dump(accented));

  // Replaced; removed by an empty value; removing what is not there does nothing.
  name.value = "Renamed";
  ASSERT_TRUE(
      Submit(Mut({name, MakeProfileEntry(7, "name/ru", ""), MakeProfileEntry(7, "never/set", ""),
                  MakeProfileEntry(4, "name/en", "")}))
          .ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->bot_profile, (std::vector<BotProfileEntry>{other_bot, commands, name, accented}));

  // Set and removed within one mutation: gone; removed and set again: there.
  ASSERT_TRUE(
      Submit(Mut({MakeProfileEntry(7, "short/en", "s"), MakeProfileEntry(7, "short/en", ""),
                  MakeProfileEntry(3, "name/en", ""), MakeProfileEntry(3, "name/en", "Back")}))
          .ok());
  EXPECT_EQ(Loaded(), Dump(MakeProfileEntry(3, "name/en", "Back")) + Dump(commands) + Dump(name) +
                          Dump(accented));
}

TEST_P(StoreContractTest, BadBotProfileEntriesAreRefused) {
  ASSERT_TRUE(Submit(Mut({MakeProfileEntry(7, "name/en", "kept")})).ok());
  const std::string before = Loaded();
  // Refused whether they set or remove.
  for (const BotProfileEntry& e :
       {MakeProfileEntry(0, "name/en", "x"), MakeProfileEntry(-7, "name/en", "x"),
        MakeProfileEntry(7, "", "x"), MakeProfileEntry(0, "name/en", ""),
        MakeProfileEntry(7, "", "")}) {
    EXPECT_FALSE(Submit(Mut({e})).ok()) << Dump(e);
    EXPECT_FALSE(Submit(Mut({MakeProfileEntry(7, "name/en", ""), e})).ok()) << Dump(e);
  }
  EXPECT_EQ(Loaded(), before);
}

TEST_P(StoreContractTest, FailedMutationRestoresEveryConversationRecordType) {
  Message first = MakeMessage(-1, 0, 1);
  Message second = MakeMessage(5, 7, 1);
  PrivateChat chat = MakePrivateChat(5, 7);
  CallbackQuery query = MakeCallbackQuery(1);
  BotProfileEntry name = MakeProfileEntry(7, "name/en", "Helper");
  BotProfileEntry about = MakeProfileEntry(7, "description/en", "About");
  ASSERT_TRUE(Submit(Mut({first, second, chat, query, name, about})).ok());
  const std::string before = Loaded();

  Message edited = first;
  edited.text.text = "edited";
  edited.edit_date = 1700000999;
  Message deleted = second;
  deleted.Set(MessageFlag::kDeleted, true);
  PrivateChat blocked = chat;
  blocked.blocked = true;
  CallbackQuery answered = query;
  answered.answered = true;
  answered.answer_text = "ok";
  BotProfileEntry renamed = name;
  renamed.value = "Renamed";
  Status st = Submit(Mut({edited, MakeMessage(-1, 0, 2), deleted, MakeMessage(-1, 0, 3), edited,
                          blocked, MakePrivateChat(6, 7), answered, MakeCallbackQuery(2), renamed,
                          MakeProfileEntry(7, "description/en", ""),
                          MakeProfileEntry(7, "commands/default/", "[]"),
                          // The last op fails: a group's message with a bot.
                          MakeMessage(-1, 7, 4)}));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Loaded(), before);

  // Nothing of it is left behind: a later message goes after the first two, the removed entry is
  // back, and the next mutation is applied in full.
  Message third = MakeMessage(-1, 0, 3);
  ASSERT_TRUE(Submit(Mut({third, MakeCallbackQuery(2)})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->messages, (std::vector<Message>{first, second, third}));
  EXPECT_EQ(w->private_chats, (std::vector<PrivateChat>{chat}));
  EXPECT_EQ(w->callback_queries, (std::vector<CallbackQuery>{query, MakeCallbackQuery(2)}));
  EXPECT_EQ(w->bot_profile, (std::vector<BotProfileEntry>{about, name}));
}

// banChatSenderChat's records: one per (chat, sender chat) while banned, loaded by (chat, sender
// chat); banning again changes nothing, lifting removes the record, lifting a ban that is not
// there does nothing.
TEST_P(StoreContractTest, SenderChatBansAreKeptWhileBannedAndLoadedInKeyOrder) {
  ASSERT_TRUE(Submit(Mut({MakeSenderChatBan(-1001000000001, -1002000000002),
                          MakeSenderChatBan(-1001000000001, -1002000000001),
                          MakeSenderChatBan(-1009000000009, -1002000000002)}))
                  .ok());
  ASSERT_TRUE(Submit(Mut({MakeSenderChatBan(-1001000000001, -1002000000002),
                          MakeSenderChatBan(-1009000000009, -1002000000002, false),
                          MakeSenderChatBan(-1009000000009, -1002000000003, false)}))
                  .ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->sender_chat_bans,
            (std::vector<SenderChatBan>{MakeSenderChatBan(-1001000000001, -1002000000002),
                                        MakeSenderChatBan(-1001000000001, -1002000000001)}));
  // Lifted and banned again.
  ASSERT_TRUE(Submit(Mut({MakeSenderChatBan(-1001000000001, -1002000000001, false)})).ok());
  ASSERT_TRUE(Submit(Mut({MakeSenderChatBan(-1009000000009, -1002000000002)})).ok());
  EXPECT_EQ(Loaded(),
            "sender_chat_ban -1009000000009 -1002000000002\n"
            "sender_chat_ban -1001000000001 -1002000000002\n");
}

// Both ids are chats' (negative), when lifting too; a failed mutation leaves the bans as they
// were, the lifted one included.
TEST_P(StoreContractTest, SenderChatBanNeedsNegativeIdsAndIsRestoredOnFailure) {
  SenderChatBan kept = MakeSenderChatBan(-100, -1002000000001);
  ASSERT_TRUE(Submit(Mut({kept})).ok());
  const std::string before = Loaded();
  EXPECT_FALSE(Submit(Mut({MakeSenderChatBan(-100, 5)})).ok());
  EXPECT_FALSE(Submit(Mut({MakeSenderChatBan(0, -1002000000001)})).ok());
  EXPECT_FALSE(Submit(Mut({MakeSenderChatBan(100, -1002000000001, false)})).ok());
  EXPECT_FALSE(Submit(Mut({MakeSenderChatBan(-100, -1002000000001, false),
                           MakeSenderChatBan(-100, -1002000000009),
                           // The last op fails: a group's message with a bot.
                           MakeMessage(-1, 7, 4)}))
                   .ok());
  EXPECT_EQ(Loaded(), before);
}

}  // namespace
}  // namespace tgi::store::contract
