// The Store contract (domain/store.h), run on every store: the in-memory fake, SQLite and
// PostgreSQL (when TGINVITE_TEST_POSTGRES names a server; scripts/test.sh starts one).
// A behaviour the domain relies on belongs here, so that the fake cannot drift from the real
// stores. This file: the world's records, the invariants the schema enforces, the mutation
// semantics and the callbacks; conversations are in store_contract_conversation_test.cc.
#include "store/store_contract.h"

namespace tgi::store::contract {
namespace {

TEST_P(StoreContractTest, EmptyStoreLoadsNothing) {
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_TRUE(w->bots.empty());
  EXPECT_TRUE(w->users.empty());
  EXPECT_TRUE(w->chats.empty());
  EXPECT_TRUE(w->members.empty());
  EXPECT_TRUE(w->links.empty());
  EXPECT_TRUE(w->joins.empty());
  EXPECT_TRUE(w->join_requests.empty());
  EXPECT_EQ(w->clock, ClockState{});
  EXPECT_TRUE(w->bot_settings.empty());
  EXPECT_TRUE(w->updates.empty());
}

TEST_P(StoreContractTest, BotRoundTripsEveryField) {
  Bot all_on;
  all_on.id = UserId(7000000001);
  for (size_t i = 0; i < all_on.token_sha256.size(); ++i) {
    all_on.token_sha256[i] = static_cast<uint8_t>(i == 0 ? 0x00 : 0xff - i);  // a NUL byte too
  }
  all_on.can_join_groups = true;
  all_on.can_read_all_group_messages = true;
  all_on.supports_inline_queries = true;
  all_on.supports_guest_queries = true;
  all_on.can_connect_to_business = true;
  all_on.has_main_web_app = true;
  all_on.has_topics_enabled = true;
  all_on.allows_users_to_create_topics = true;
  all_on.can_manage_bots = true;
  all_on.logged_out = true;
  Bot all_off;
  all_off.id = UserId(12);
  all_off.token_sha256 = crypto::Sha256("12:secret");
  all_off.can_join_groups = false;
  // One flag at a time, so that two swapped columns would show.
  std::vector<Bot> singles;
  for (int flag = 0; flag < 10; ++flag) {
    Bot b;
    b.id = UserId(100 + flag);
    b.token_sha256 = crypto::Sha256(std::to_string(flag));
    bool* flags[] = {&b.can_join_groups,         &b.can_read_all_group_messages,
                     &b.supports_inline_queries, &b.supports_guest_queries,
                     &b.can_connect_to_business, &b.has_main_web_app,
                     &b.has_topics_enabled,      &b.allows_users_to_create_topics,
                     &b.can_manage_bots,         &b.logged_out};
    for (bool* f : flags) *f = false;
    *flags[flag] = true;
    singles.push_back(b);
  }
  Mutation m = Mut({all_on, all_off});
  for (const Bot& b : singles) m.ops.push_back(b);
  ASSERT_TRUE(Submit(m).ok());

  std::string want = Dump(all_off);
  for (const Bot& b : singles) want += Dump(b);
  want += Dump(all_on);
  EXPECT_EQ(Loaded(), want);
}

TEST_P(StoreContractTest, UserRoundTripsEveryField) {
  User bare = MakeUser(5);
  User full;
  full.id = UserId(6);
  full.is_bot = true;
  full.first_name = "Zoë ✓";
  full.last_name = "O'Brien \"quoted\"";
  full.username = "zoe_bot";
  full.language_code = "pt-br";
  full.is_premium = true;
  ASSERT_TRUE(Submit(Mut({full, bare})).ok());
  EXPECT_EQ(Loaded(), Dump(bare) + Dump(full));
}

TEST_P(StoreContractTest, ChatRoundTripsEveryField) {
  Chat group = MakeChat(-42);
  group.type = ChatType::kGroup;
  group.migrated_to = ChatId(-1001234567890);
  Chat super = MakeChat(-1001234567890);
  super.type = ChatType::kSupergroup;
  super.username = "PublicGroup";
  super.description = "multi\nline";
  Chat channel = MakeChat(-1009876543210);
  channel.type = ChatType::kChannel;
  channel.title = "";
  channel.created = 0;
  ASSERT_TRUE(Submit(Mut({group, super, channel})).ok());
  EXPECT_EQ(Loaded(), Dump(channel) + Dump(super) + Dump(group));
}

TEST_P(StoreContractTest, MemberRoundTripsEveryStatusAndRight) {
  std::vector<Member> want;
  const MemberStatus statuses[] = {MemberStatus::kCreator, MemberStatus::kAdministrator,
                                   MemberStatus::kMember,  MemberStatus::kRestricted,
                                   MemberStatus::kLeft,    MemberStatus::kKicked};
  for (int i = 0; i < 6; ++i) {
    Member m;
    m.chat = ChatId(-100);
    m.user = UserId(1 + i);
    m.status = statuses[i];
    m.joined = 1700000000 + i;
    want.push_back(m);
  }
  want[0].custom_title = "owner";
  want[1].custom_title = "мод";
  want[3].until_date = 1800000000;
  want[5].until_date = 0;
  // All rights at once, then each right alone, so that a swapped bit would show.
  for (int r = 0; r < static_cast<int>(Right::kCount); ++r) want[1].rights.Set(Right(r), true);
  for (int r = 0; r < static_cast<int>(Right::kCount); ++r) {
    Member m;
    m.chat = ChatId(-200);
    m.user = UserId(1 + r);
    m.status = MemberStatus::kAdministrator;
    m.rights.Set(Right(r), true);
    want.push_back(m);
  }
  Member high;  // every bit of the mask, including ones no right uses yet
  high.chat = ChatId(-300);
  high.user = UserId(1);
  high.status = MemberStatus::kAdministrator;
  high.rights.bits = 0xffffffffu;
  want.push_back(high);

  Mutation m;
  for (auto it = want.rbegin(); it != want.rend(); ++it) m.ops.push_back(*it);  // any order in
  ASSERT_TRUE(Submit(m).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  // Out by (chat, user): -300 first, then -200, then -100.
  std::vector<Member> sorted;
  sorted.push_back(high);
  for (size_t i = 6; i + 1 < want.size(); ++i) sorted.push_back(want[i]);
  for (size_t i = 0; i < 6; ++i) sorted.push_back(want[i]);
  EXPECT_EQ(w->members, sorted);
}

TEST_P(StoreContractTest, PermissionsRoundTripForChatsAndRestrictedMembers) {
  // Issue 12: a chat's default permissions and a restricted member's own, each bit alone so that
  // a swapped bit would show, plus none and every bit of the mask.
  std::vector<Chat> chats;
  std::vector<Member> members;
  const int count = static_cast<int>(domain::Permission::kCount);
  for (int i = 0; i < count + 2; ++i) {
    Chat c = MakeChat(-1000 - i);
    Member m;
    m.chat = ChatId(-1000 - i);
    m.user = UserId(7);
    m.status = MemberStatus::kRestricted;
    m.until_date = 1800000000 + i;
    if (i < count) {
      c.permissions = domain::Permissions{};
      c.permissions.Set(domain::Permission(i), true);
      m.permissions.Set(domain::Permission(i), true);
    } else if (i == count) {
      c.permissions = domain::Permissions{};
    } else {
      c.permissions.bits = 0xffffffffu;
      m.permissions.bits = 0xffffffffu;
    }
    chats.push_back(c);
    members.push_back(m);
  }
  Mutation mut;
  for (const Chat& c : chats) mut.ops.push_back(c);
  for (const Member& m : members) mut.ops.push_back(m);
  ASSERT_TRUE(Submit(mut).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  std::string want_chats, got_chats, want_members, got_members;
  for (auto it = chats.rbegin(); it != chats.rend(); ++it) want_chats += Dump(*it);
  for (auto it = members.rbegin(); it != members.rend(); ++it) want_members += Dump(*it);
  for (const Chat& c : w->chats) got_chats += Dump(c);
  for (const Member& m : w->members) got_members += Dump(m);
  EXPECT_EQ(got_chats, want_chats);
  EXPECT_EQ(got_members, want_members);
  // A new chat record has the defaults; an upsert replaces them.
  Chat fresh = MakeChat(-5);
  EXPECT_EQ(fresh.permissions, domain::Permissions::ChatDefaults());
  Chat changed = fresh;
  changed.permissions = domain::Permissions{};
  ASSERT_TRUE(Submit(Mut({fresh})).ok());
  ASSERT_TRUE(Submit(Mut({changed})).ok());
  w = store_->Load();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->chats.back(), changed);
}

TEST_P(StoreContractTest, LinkRoundTripsEveryField) {
  InviteLink primary = MakePrimary("AAAAAAAAAAAAAAAA", -100, 1);
  InviteLink full;
  full.hash = "zz_-09AZaz_-09AZ";
  full.chat = ChatId(-100);
  full.creator = UserId(2);
  full.name = "Spring 🌸 campaign";
  full.expire_date = 1900000000;
  full.member_limit = 99999;
  full.subscription_period = 2592000;
  full.subscription_price = 2500;
  full.created = 1700000200;
  InviteLink requests;
  requests.hash = "requestsrequests";
  requests.chat = ChatId(-100);
  requests.creator = UserId(2);
  requests.is_revoked = true;
  requests.creates_join_request = true;
  ASSERT_TRUE(Submit(Mut({primary, full, requests})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->links, (std::vector<InviteLink>{primary, full, requests}));
}

TEST_P(StoreContractTest, LinksAndJoinsKeepTheirOrder) {
  // Hashes deliberately out of alphabetical order.
  InviteLink c = MakePrimary("cccccccccccccccc", -1, 1);
  InviteLink a = MakePrimary("aaaaaaaaaaaaaaaa", -2, 1);
  InviteLink b = MakePrimary("bbbbbbbbbbbbbbbb", -3, 1);
  ASSERT_TRUE(Submit(Mut({c, a})).ok());
  ASSERT_TRUE(Submit(Mut({b})).ok());
  // Updating a link keeps its place.
  ASSERT_TRUE(Submit(Mut({Revoked(c)})).ok());

  std::vector<Join> joins;
  for (int i = 0; i < 20; ++i) {
    joins.push_back(
        MakeJoin(-1 - (i % 3), 1000 - i, i % 2 ? "aaaaaaaaaaaaaaaa" : "", 1700000000 - i));
  }
  for (size_t i = 0; i < joins.size(); i += 4) {
    ASSERT_TRUE(Submit(Mut({joins[i], joins[i + 1], joins[i + 2], joins[i + 3]})).ok());
  }
  // The same join twice is two joins.
  ASSERT_TRUE(Submit(Mut({joins[0]})).ok());
  joins.push_back(joins[0]);

  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->links, (std::vector<InviteLink>{Revoked(c), a, b}));
  EXPECT_EQ(w->joins, joins);
}

TEST_P(StoreContractTest, JoinKeepsViaJoinRequest) {
  Join direct = MakeJoin(-1, 1, "aaaaaaaaaaaaaaaa", 1700000000);
  Join approved = MakeJoin(-1, 2, "bbbbbbbbbbbbbbbb", 1700000001);
  approved.via_join_request = true;
  Join approved_without_link = MakeJoin(-2, 3, "", 1700000002);
  approved_without_link.via_join_request = true;
  ASSERT_TRUE(Submit(Mut({direct, approved, approved_without_link})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->joins, (std::vector<Join>{direct, approved, approved_without_link}));
}

TEST_P(StoreContractTest, JoinRequestRoundTripsEveryStateInChatUserOrder) {
  JoinRequest pending = MakeJoinRequest(-1, 5, 1700000000, "requestsrequests");
  pending.bio = "Hi! I'd like to join 🙂\nsecond line";
  JoinRequest approved = MakeJoinRequest(-1, 2);
  approved.state = JoinRequestState::kApproved;
  approved.decided = 1700000500;
  JoinRequest declined = MakeJoinRequest(-1000000000001, 7);
  declined.state = JoinRequestState::kDeclined;
  declined.decided = 1700000600;
  JoinRequest withdrawn = MakeJoinRequest(-1, 3);
  withdrawn.state = JoinRequestState::kWithdrawn;
  withdrawn.decided = 1700000700;
  ASSERT_TRUE(Submit(Mut({pending, approved})).ok());
  ASSERT_TRUE(Submit(Mut({declined, withdrawn})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->join_requests, (std::vector<JoinRequest>{declined, approved, withdrawn, pending}));
}

TEST_P(StoreContractTest, JoinRequestIsDecidedExactlyWhenNotPending) {
  JoinRequest pending_but_decided = MakeJoinRequest(-1, 1);
  pending_but_decided.decided = 1700000500;
  EXPECT_FALSE(Submit(Mut({pending_but_decided})).ok());
  for (JoinRequestState state :
       {JoinRequestState::kApproved, JoinRequestState::kDeclined, JoinRequestState::kWithdrawn}) {
    JoinRequest undecided = MakeJoinRequest(-1, 1);
    undecided.state = state;
    EXPECT_FALSE(Submit(Mut({undecided})).ok()) << static_cast<int>(state);
  }
  JoinRequest unknown_state = MakeJoinRequest(-1, 1);
  unknown_state.state = static_cast<JoinRequestState>(17);
  unknown_state.decided = 1700000500;
  EXPECT_FALSE(Submit(Mut({unknown_state})).ok());
  EXPECT_EQ(Loaded(), "");
  // Deciding a pending request in a later mutation is an upsert.
  JoinRequest request = MakeJoinRequest(-1, 1);
  ASSERT_TRUE(Submit(Mut({request})).ok());
  request.state = JoinRequestState::kDeclined;
  EXPECT_FALSE(Submit(Mut({request})).ok());  // still decided = 0
  request.decided = 1700000900;
  ASSERT_TRUE(Submit(Mut({request})).ok());
  EXPECT_EQ(Loaded(), Dump(request));
}

TEST_P(StoreContractTest, ClockMovesOnlyForward) {
  ASSERT_TRUE(Submit(Mut({ClockState{.offset = 0}})).ok());  // the first write may be 0
  EXPECT_EQ(Loaded(), "");
  ASSERT_TRUE(Submit(Mut({ClockState{.offset = 3600}})).ok());
  ASSERT_TRUE(Submit(Mut({ClockState{.offset = 3600}})).ok());  // standing still is fine
  EXPECT_FALSE(Submit(Mut({ClockState{.offset = 3599}})).ok());
  EXPECT_FALSE(Submit(Mut({ClockState{.offset = 0}})).ok());
  EXPECT_FALSE(Submit(Mut({ClockState{.offset = -1}})).ok());
  // Forward then back within one mutation fails whole.
  EXPECT_FALSE(
      Submit(Mut({MakeUser(1), ClockState{.offset = 90000}, ClockState{.offset = 7200}})).ok());
  EXPECT_EQ(Loaded(), Dump(ClockState{.offset = 3600}));
  ASSERT_TRUE(Submit(Mut({ClockState{.offset = 86400 * 365}})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->clock.offset, 86400 * 365);
}

TEST_P(StoreContractTest, NegativeClockIsRefusedOnAnEmptyStore) {
  EXPECT_FALSE(Submit(Mut({ClockState{.offset = -5}})).ok());
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, BotSettingsRoundTripEveryFieldAndUpsert) {
  BotUpdateSettings polling = MakeBotSettings(7000000001);
  BotUpdateSettings hook;
  hook.bot = UserId(12);
  hook.allowed_updates = 0xffffffffu;  // every bit, including ones no type uses yet
  hook.next_update_id = 9007199254740993;
  hook.webhook_url = "https://example.com/hook?a=1&b=ü";
  hook.webhook_secret = "s3cr3t_-";
  hook.max_connections = 100000;
  hook.webhook_ip_address = "192.0.2.7";
  BotUpdateSettings none = MakeBotSettings(13);
  none.allowed_updates = 0;
  none.max_connections = 1;
  ASSERT_TRUE(Submit(Mut({polling, hook, none})).ok());
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->bot_settings, (std::vector<BotUpdateSettings>{hook, none, polling}));

  hook.webhook_url = "";
  hook.webhook_secret = "";
  hook.webhook_ip_address = "";
  hook.allowed_updates = 1;
  hook.next_update_id += 1;
  hook.max_connections = 40;
  ASSERT_TRUE(Submit(Mut({hook})).ok());
  w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->bot_settings, (std::vector<BotUpdateSettings>{hook, none, polling}));
}

TEST_P(StoreContractTest, BotSettingsOutOfRangeAreRefused) {
  BotUpdateSettings zero_connections = MakeBotSettings(1);
  zero_connections.max_connections = 0;
  BotUpdateSettings too_many = MakeBotSettings(1);
  too_many.max_connections = 100001;
  BotUpdateSettings negative = MakeBotSettings(1);
  negative.max_connections = -40;
  BotUpdateSettings zero_next = MakeBotSettings(1);
  zero_next.next_update_id = 0;
  BotUpdateSettings no_bot = MakeBotSettings(0);
  for (const BotUpdateSettings& s : {zero_connections, too_many, negative, zero_next, no_bot}) {
    EXPECT_FALSE(Submit(Mut({s})).ok()) << Dump(s);
  }
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, UpdatesRoundTripInBotIdOrder) {
  std::vector<Update> want;
  // Every type, so that a swapped or truncated column would show.
  for (int t = 0; t < static_cast<int>(UpdateType::kCount); ++t) {
    Update u = MakeUpdate(5, 100 + t, -1000000000000 - t);
    u.type = static_cast<UpdateType>(t);
    want.push_back(u);
  }
  Update quoted = MakeUpdate(3, 9007199254740993, -7);
  quoted.json = R"({"update_id":9007199254740993,"chat_member":{"t":""Zoë" \ ✓"}})";
  Update first = MakeUpdate(3, 1);
  // Submitted out of order, over several mutations.
  Mutation m;
  for (auto it = want.rbegin(); it != want.rend(); ++it) m.ops.push_back(*it);
  ASSERT_TRUE(Submit(Mut({quoted})).ok());
  ASSERT_TRUE(Submit(m).ok());
  ASSERT_TRUE(Submit(Mut({first})).ok());
  want.insert(want.begin(), {first, quoted});
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->updates, want);
}

TEST_P(StoreContractTest, UpdateIdsAreNeverReused) {
  ASSERT_TRUE(Submit(Mut({MakeUpdate(1, 1), MakeUpdate(1, 2)})).ok());
  const std::string before = Loaded();
  // A duplicate fails the whole mutation: none of the ops before it is applied.
  EXPECT_FALSE(
      Submit(Mut({MakeUser(9), MakeUpdate(1, 3), MakeUpdate(2, 1), MakeUpdate(1, 2)})).ok());
  EXPECT_EQ(Loaded(), before);
  // Also when both copies are new and in the same mutation.
  EXPECT_FALSE(Submit(Mut({MakeUpdate(1, 4), MakeUpdate(1, 4)})).ok());
  EXPECT_EQ(Loaded(), before);
  // The ids the failed mutations tried are still free; the same id for another bot is fine.
  ASSERT_TRUE(Submit(Mut({MakeUpdate(1, 3), MakeUpdate(1, 4), MakeUpdate(2, 1)})).ok());
  EXPECT_EQ(Loaded(), Dump(MakeUpdate(1, 1)) + Dump(MakeUpdate(1, 2)) + Dump(MakeUpdate(1, 3)) +
                          Dump(MakeUpdate(1, 4)) + Dump(MakeUpdate(2, 1)));
}

TEST_P(StoreContractTest, BadUpdatesAreRefused) {
  Update zero_id = MakeUpdate(1, 0);
  Update negative_id = MakeUpdate(1, -3);
  Update no_bot = MakeUpdate(0, 1);
  Update negative_type = MakeUpdate(1, 1);
  negative_type.type = static_cast<UpdateType>(-1);
  for (const Update& u : {zero_id, negative_id, no_bot, negative_type}) {
    EXPECT_FALSE(Submit(Mut({u})).ok()) << Dump(u);
  }
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, DropUpdatesRemovesOnlyBelowTheIdOfThatBot) {
  Mutation m;
  for (int64_t bot : {1, 2, 3}) {
    for (int64_t id = 1; id <= 5; ++id) m.ops.push_back(MakeUpdate(bot, id * 10));
  }
  ASSERT_TRUE(Submit(m).ok());
  ASSERT_TRUE(Submit(Mut({DropUpdates{.bot = UserId(2), .below_id = 30}})).ok());
  std::string want;
  for (int64_t id = 1; id <= 5; ++id) want += Dump(MakeUpdate(1, id * 10));
  want += Dump(MakeUpdate(2, 30)) + Dump(MakeUpdate(2, 40)) + Dump(MakeUpdate(2, 50));
  for (int64_t id = 1; id <= 5; ++id) want += Dump(MakeUpdate(3, id * 10));
  EXPECT_EQ(Loaded(), want);

  // Nothing below: nothing happens; an unknown bot: nothing happens.
  ASSERT_TRUE(Submit(Mut({DropUpdates{.bot = UserId(2), .below_id = 30},
                          DropUpdates{.bot = UserId(1), .below_id = 1},
                          DropUpdates{.bot = UserId(4), .below_id = 1000}}))
                  .ok());
  EXPECT_EQ(Loaded(), want);

  // Above every id: the bot's queue is emptied; the others keep theirs.
  ASSERT_TRUE(Submit(Mut({DropUpdates{.bot = UserId(3), .below_id = 51}})).ok());
  want.clear();
  for (int64_t id = 1; id <= 5; ++id) want += Dump(MakeUpdate(1, id * 10));
  want += Dump(MakeUpdate(2, 30)) + Dump(MakeUpdate(2, 40)) + Dump(MakeUpdate(2, 50));
  EXPECT_EQ(Loaded(), want);

  // Dropping, then adding the next ids, in one mutation (what a confirmed getUpdates does).
  ASSERT_TRUE(Submit(Mut({DropUpdates{.bot = UserId(2), .below_id = 51}, MakeUpdate(2, 51)})).ok());
  want.clear();
  for (int64_t id = 1; id <= 5; ++id) want += Dump(MakeUpdate(1, id * 10));
  want += Dump(MakeUpdate(2, 51));
  EXPECT_EQ(Loaded(), want);
}

TEST_P(StoreContractTest, FailedMutationRestoresEveryNewRecordType) {
  JoinRequest request = MakeJoinRequest(-1, 1);
  BotUpdateSettings settings = MakeBotSettings(1);
  ASSERT_TRUE(Submit(Mut({request, settings, ClockState{.offset = 60}, MakeUpdate(1, 1),
                          MakeUpdate(1, 2), MakeUpdate(1, 3)}))
                  .ok());
  const std::string before = Loaded();

  JoinRequest approved = request;
  approved.state = JoinRequestState::kApproved;
  approved.decided = 1700000999;
  Join join = MakeJoin(-1, 1, "", 1700000999);
  join.via_join_request = true;
  BotUpdateSettings moved = settings;
  moved.next_update_id = 5;
  moved.webhook_url = "https://example.com/";
  Status st =
      Submit(Mut({approved, MakeJoinRequest(-1, 2), join, moved, ClockState{.offset = 120},
                  DropUpdates{.bot = UserId(1), .below_id = 3}, MakeUpdate(1, 4), MakeUpdate(2, 1),
                  // The last op fails: update 3 of bot 1 exists.
                  MakeUpdate(1, 3)}));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Loaded(), before);

  // Nothing of it is left behind: the dropped updates are back, the inserted ids are free, and
  // the clock may still move to any offset from 60 up.
  EXPECT_FALSE(Submit(Mut({MakeUpdate(1, 1)})).ok());
  EXPECT_FALSE(Submit(Mut({MakeUpdate(1, 2)})).ok());
  EXPECT_TRUE(Submit(Mut({MakeUpdate(1, 4), MakeUpdate(2, 1), ClockState{.offset = 61}})).ok());
}

TEST_P(StoreContractTest, UpsertReplacesEveryRecordType) {
  Bot bot;
  bot.id = UserId(1);
  bot.token_sha256 = crypto::Sha256("old");
  User user = MakeUser(1);
  Chat chat = MakeChat(-1);
  chat.username = "old_name";
  chat.migrated_to = ChatId(-5);
  Member member = MakeMember(-1, 1, MemberStatus::kAdministrator);
  member.rights.Set(Right::kCanInviteUsers, true);
  member.custom_title = "boss";
  InviteLink link = MakePrimary("LLLLLLLLLLLLLLLL", -1, 1);
  ASSERT_TRUE(Submit(Mut({bot, user, chat, member, link})).ok());

  bot.token_sha256 = crypto::Sha256("new");
  bot.logged_out = true;
  user.first_name = "Renamed";
  user.username = "";
  chat.username = "";
  chat.title = "New title";
  chat.migrated_to.reset();
  member.status = MemberStatus::kLeft;
  member.rights = {};
  member.custom_title = "";
  link.is_revoked = true;
  ASSERT_TRUE(Submit(Mut({bot, user, chat, member, link})).ok());

  EXPECT_EQ(Loaded(), Dump(bot) + Dump(user) + Dump(chat) + Dump(member) + Dump(link));
}

TEST_P(StoreContractTest, LoadOrdersRecordsById) {
  ASSERT_TRUE(Submit(Mut({MakeUser(30), MakeUser(2), MakeUser(100)})).ok());
  ASSERT_TRUE(Submit(Mut({MakeChat(-1), MakeChat(-1000000000000), MakeChat(-50)})).ok());
  Member m3 = MakeMember(-1, 3);
  Member m1 = MakeMember(-1, 1);
  Member m2 = MakeMember(-50, 2);
  ASSERT_TRUE(Submit(Mut({m3, m2, m1})).ok());
  EXPECT_EQ(Loaded(), Dump(MakeUser(2)) + Dump(MakeUser(30)) + Dump(MakeUser(100)) +
                          Dump(MakeChat(-1000000000000)) + Dump(MakeChat(-50)) +
                          Dump(MakeChat(-1)) + Dump(m2) + Dump(m1) + Dump(m3));
}

TEST_P(StoreContractTest, EmptyMutationSucceeds) {
  EXPECT_TRUE(Submit(Mutation{}).ok());
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, FailedMutationAppliesNothing) {
  ASSERT_TRUE(Submit(Mut({MakeChat(-1), MakePrimary("primary000000001", -1, 1)})).ok());
  const std::string before = Loaded();

  Chat renamed = MakeChat(-1);
  renamed.title = "changed";
  Member member = MakeMember(-1, 9);
  Join join = MakeJoin(-1, 9, "primary000000001", 5);
  Status st =
      Submit(Mut({MakeUser(9), renamed, member, join,
                  MakePrimary("otherlink0000001", -1, 2),           // a new link: inserted
                  Revoked(MakePrimary("primary000000001", -1, 1)),  // an update
                  MakeChat(-2),
                  // The last op breaks the rule: user 1 already has an active primary.
                  MakePrimary("primary000000002", -1, 1), MakePrimary("primary000000003", -1, 1)}));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Loaded(), before);

  // The store is still usable, and the failure left no trace in the indexes either.
  EXPECT_TRUE(Submit(Mut({MakePrimary("otherlink0000001", -1, 2)})).ok());
  EXPECT_FALSE(Submit(Mut({MakePrimary("primary000000002", -1, 1)})).ok());
}

TEST_P(StoreContractTest, FailedMutationRestoresUpdatedChatUsernames) {
  Chat a = MakeChat(-1);
  a.username = "alpha";
  ASSERT_TRUE(Submit(Mut({a})).ok());
  Chat a_renamed = a;
  a_renamed.username = "beta";
  Chat b = MakeChat(-2);
  b.username = "alpha";  // free once a is renamed
  InviteLink bad = MakePrimary("bad", -1, 1);
  bad.member_limit = 5;  // a primary link has no limit
  EXPECT_FALSE(Submit(Mut({a_renamed, b, bad})).ok());
  EXPECT_EQ(Loaded(), Dump(a));
  // "alpha" is still a's, and "beta" still free.
  EXPECT_FALSE(Submit(Mut({b})).ok());
  Chat c = MakeChat(-3);
  c.username = "BETA";
  EXPECT_TRUE(Submit(Mut({c})).ok());
}

TEST_P(StoreContractTest, TwoActivePrimaryLinksForOneAdminInOneMutationFail) {
  Status st =
      Submit(Mut({MakePrimary("first00000000000", -1, 1), MakePrimary("second0000000000", -1, 1)}));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, SecondActivePrimaryLinkInLaterMutationFails) {
  ASSERT_TRUE(Submit(Mut({MakePrimary("first00000000000", -1, 1)})).ok());
  EXPECT_FALSE(Submit(Mut({MakePrimary("second0000000000", -1, 1)})).ok());
  EXPECT_EQ(Loaded(), Dump(MakePrimary("first00000000000", -1, 1)));
}

TEST_P(StoreContractTest, RevokeThenInsertPrimaryInOneMutationSucceeds) {
  InviteLink old_link = MakePrimary("first00000000000", -1, 1);
  ASSERT_TRUE(Submit(Mut({old_link})).ok());
  InviteLink new_link = MakePrimary("second0000000000", -1, 1);
  ASSERT_TRUE(Submit(Mut({Revoked(old_link), new_link})).ok());
  // And again, within a single mutation: rotate twice.
  InviteLink newer = MakePrimary("third00000000000", -1, 1);
  InviteLink newest = MakePrimary("fourth0000000000", -1, 1);
  ASSERT_TRUE(Submit(Mut({Revoked(new_link), newer, Revoked(newer), newest})).ok());
  EXPECT_EQ(Loaded(), Dump(Revoked(old_link)) + Dump(Revoked(new_link)) + Dump(Revoked(newer)) +
                          Dump(newest));
}

TEST_P(StoreContractTest, InsertBeforeRevokeFails) {
  // The rule holds after each op, not only at the end of the mutation: order matters.
  InviteLink old_link = MakePrimary("first00000000000", -1, 1);
  ASSERT_TRUE(Submit(Mut({old_link})).ok());
  EXPECT_FALSE(Submit(Mut({MakePrimary("second0000000000", -1, 1), Revoked(old_link)})).ok());
  EXPECT_EQ(Loaded(), Dump(old_link));
}

TEST_P(StoreContractTest, ActivePrimaryLinksOfOtherAdminsOrChatsCoexist) {
  InviteLink by_1 = MakePrimary("chat1admin100000", -1, 1);
  InviteLink by_2 = MakePrimary("chat1admin200000", -1, 2);
  InviteLink other_chat = MakePrimary("chat2admin100000", -2, 1);
  InviteLink revoked_1 = Revoked(MakePrimary("chat1admin1old01", -1, 1));
  InviteLink revoked_2 = Revoked(MakePrimary("chat1admin1old02", -1, 1));
  InviteLink extra;  // additional (non-primary) links are not limited
  extra.hash = "chat1admin1extra";
  extra.chat = ChatId(-1);
  extra.creator = UserId(1);
  ASSERT_TRUE(Submit(Mut({by_1, by_2, other_chat, revoked_1, revoked_2, extra})).ok());
  // Re-submitting the same active primary link (an update of itself) is fine.
  ASSERT_TRUE(Submit(Mut({by_1})).ok());
  EXPECT_EQ(Loaded(), Dump(by_1) + Dump(by_2) + Dump(other_chat) + Dump(revoked_1) +
                          Dump(revoked_2) + Dump(extra));
}

TEST_P(StoreContractTest, PrimaryLinkMustBePlain) {
  InviteLink named = MakePrimary("named00000000000", -1, 1);
  named.name = "x";
  InviteLink expiring = MakePrimary("expiring00000000", -1, 1);
  expiring.expire_date = 1900000000;
  InviteLink requests = MakePrimary("requests00000000", -1, 1);
  requests.creates_join_request = true;
  InviteLink paid = MakePrimary("paid000000000000", -1, 1);
  paid.subscription_period = 2592000;
  paid.subscription_price = 10;
  for (const InviteLink& l : {named, expiring, requests, paid}) {
    EXPECT_FALSE(Submit(Mut({l})).ok()) << l.hash;
  }
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, CheapInvariantsAreEnforced) {
  InviteLink both;
  both.hash = "both000000000000";
  both.chat = ChatId(-1);
  both.creator = UserId(1);
  both.member_limit = 10;
  both.creates_join_request = true;
  InviteLink negative = both;
  negative.hash = "negative00000000";
  negative.creates_join_request = false;
  negative.member_limit = -1;
  InviteLink no_hash = MakePrimary("", -1, 1);
  Bot zero_bot;
  zero_bot.id = UserId(0);
  EXPECT_FALSE(Submit(Mut({both})).ok());
  EXPECT_FALSE(Submit(Mut({negative})).ok());
  EXPECT_FALSE(Submit(Mut({no_hash})).ok());
  EXPECT_FALSE(Submit(Mut({zero_bot})).ok());
  EXPECT_FALSE(Submit(Mut({MakeUser(-5)})).ok());
  EXPECT_FALSE(Submit(Mut({MakeChat(5)})).ok());
  EXPECT_EQ(Loaded(), "");
}

TEST_P(StoreContractTest, ChatUsernamesAreUniqueIgnoringCase) {
  Chat a = MakeChat(-1);
  a.username = "Public_Chat";
  Chat b = MakeChat(-2);
  b.username = "public_chat";
  Chat private_1 = MakeChat(-3);
  Chat private_2 = MakeChat(-4);
  ASSERT_TRUE(Submit(Mut({a, private_1, private_2})).ok());  // many chats without a username
  EXPECT_FALSE(Submit(Mut({b})).ok());
  // A chat may keep (or re-case) its own username.
  a.username = "PUBLIC_chat";
  ASSERT_TRUE(Submit(Mut({a})).ok());
  // Moving the name from a to b in one mutation works when a lets go first.
  Chat a_private = a;
  a_private.username = "";
  ASSERT_TRUE(Submit(Mut({a_private, b})).ok());
  EXPECT_EQ(Loaded(), Dump(private_2) + Dump(private_1) + Dump(b) + Dump(a_private));
}

TEST_P(StoreContractTest, CallbacksRunInSubmissionOrder) {
  std::mutex mu;
  std::vector<std::pair<int, bool>> seen;
  for (int i = 0; i < 100; ++i) {
    Mutation m = Mut({MakeUser(1 + i)});
    if (i % 10 == 5) m.ops.push_back(MakeChat(1));  // invalid: this one fails, alone
    store_->Submit(std::move(m), [&mu, &seen, i](Status st) {
      std::lock_guard lock(mu);
      seen.emplace_back(i, st.ok());
    });
  }
  store_->Flush();
  {
    std::lock_guard lock(mu);
    ASSERT_EQ(seen.size(), 100u);
    for (int i = 0; i < 100; ++i) {
      EXPECT_EQ(seen[i].first, i);
      EXPECT_EQ(seen[i].second, i % 10 != 5) << i;
    }
  }
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->users.size(), 90u);
  EXPECT_TRUE(w->chats.empty());
}

TEST_P(StoreContractTest, FlushWaitsForEveryCallback) {
  std::atomic<int> done{0};
  for (int i = 0; i < 300; ++i) {
    store_->Submit(Mut({MakeJoin(-1, 1 + i)}), [&done](Status st) {
      EXPECT_TRUE(st.ok());
      done.fetch_add(1);
    });
  }
  store_->Flush();
  EXPECT_EQ(done.load(), 300);
  store_->Flush();  // nothing pending: returns at once
}

TEST_P(StoreContractTest, ConcurrentSubmittersAllLand) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int64_t chat = -1 - (t * kPerThread + i);
        store_->Submit(
            Mut({MakeChat(chat),
                 MakePrimary(std::string(1, 'h').append(std::to_string(-chat)), chat, 1)}),
            [&ok](Status st) { ok.fetch_add(st.ok() ? 1 : 0); });
      }
    });
  }
  for (auto& t : threads) t.join();
  store_->Flush();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  Result<domain::WorldState> w = store_->Load();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->chats.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(w->links.size(), size_t{kThreads * kPerThread});
}

TEST_P(StoreContractTest, CallbackMaySubmitAgain) {
  std::promise<Status> second;
  std::future<Status> second_done = second.get_future();
  store_->Submit(Mut({MakeUser(1)}), [&](Status st) {
    EXPECT_TRUE(st.ok());
    store_->Submit(Mut({MakeUser(2)}), [&second](Status st2) { second.set_value(st2); });
  });
  EXPECT_TRUE(second_done.get().ok());
  EXPECT_EQ(Loaded(), Dump(MakeUser(1)) + Dump(MakeUser(2)));
}

const StoreKind kMemory{"Memory", [](const TempDir&) -> std::unique_ptr<domain::Store> {
                          return std::make_unique<MemoryStore>();
                        }};
const StoreKind kSqlite{"Sqlite", [](const TempDir& dir) -> std::unique_ptr<domain::Store> {
                          auto store = SqliteStore::Open({.path = dir.File("store.db")});
                          EXPECT_TRUE(store.ok()) << store.error().message;
                          return store.ok() ? std::move(*store) : nullptr;
                        }};

const StoreKind kPostgres{
    "Postgres",
    [](const TempDir&) -> std::unique_ptr<domain::Store> {
      const std::string conninfo = testing::FreshPostgresSchema();
      if (conninfo.empty()) return nullptr;
      auto store = PostgresStore::Open({.conninfo = conninfo});
      EXPECT_TRUE(store.ok()) << store.error().message;
      return store.ok() ? std::move(*store) : nullptr;
    },
    [] { return testing::TestPostgres().empty() ? testing::NoTestPostgres() : ""; },
    testing::PostgresRequired};

INSTANTIATE_TEST_SUITE_P(AllStores, StoreContractTest,
                         ::testing::Values(kMemory, kSqlite, kPostgres),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace tgi::store::contract
