// The Store contract (domain/store.h), run on every store: the in-memory fake and SQLite.
// A behaviour the domain relies on belongs here, so that the fake cannot drift from the real
// stores.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "store/memory/memory_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_test_util.h"

namespace tgi::store {
namespace {

using domain::Bot;
using domain::BotProfileEntry;
using domain::BotUpdateSettings;
using domain::CallbackQuery;
using domain::Chat;
using domain::ChatType;
using domain::ClockState;
using domain::DropUpdates;
using domain::InviteLink;
using domain::Join;
using domain::JoinRequest;
using domain::JoinRequestState;
using domain::Member;
using domain::MemberStatus;
using domain::Message;
using domain::MessageFlag;
using domain::MessageKind;
using domain::Mutation;
using domain::PrivateChat;
using domain::Right;
using domain::Update;
using domain::UpdateType;
using domain::User;
using testing::Dump;
using testing::LoadDump;
using testing::MakeBotSettings;
using testing::MakeCallbackQuery;
using testing::MakeChat;
using testing::MakeJoin;
using testing::MakeJoinRequest;
using testing::MakeMember;
using testing::MakeMessage;
using testing::MakePrimary;
using testing::MakePrivateChat;
using testing::MakeProfileEntry;
using testing::MakeUpdate;
using testing::MakeUser;
using testing::Mut;
using testing::Revoked;
using testing::SubmitAndWait;
using testing::TempDir;
using text::Entity;
using text::EntityType;

struct StoreKind {
  std::string name;
  std::function<std::unique_ptr<domain::Store>(const TempDir& dir)> open;
};

// Names the store in gtest's messages, instead of dumping the struct's bytes.
void PrintTo(const StoreKind& kind, std::ostream* os) { *os << kind.name; }

class StoreContractTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_);
    ASSERT_NE(store_, nullptr);
  }

  Status Submit(Mutation m) { return SubmitAndWait(*store_, std::move(m)); }
  std::string Loaded() { return LoadDump(*store_); }

  TempDir dir_;
  std::unique_ptr<domain::Store> store_;
};

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

// --- Conversations: messages, private chats, callback queries, bot profiles.

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

const StoreKind kMemory{"Memory", [](const TempDir&) -> std::unique_ptr<domain::Store> {
                          return std::make_unique<MemoryStore>();
                        }};
const StoreKind kSqlite{"Sqlite", [](const TempDir& dir) -> std::unique_ptr<domain::Store> {
                          auto store = SqliteStore::Open({.path = dir.File("store.db")});
                          EXPECT_TRUE(store.ok()) << store.error().message;
                          return store.ok() ? std::move(*store) : nullptr;
                        }};

INSTANTIATE_TEST_SUITE_P(AllStores, StoreContractTest, ::testing::Values(kMemory, kSqlite),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace tgi::store
