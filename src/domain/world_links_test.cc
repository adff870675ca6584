// The invite-link family, joins, join requests, updates and the clock, on the World alone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};
constexpr UserId kOtherBot{7000000002};
constexpr UserId kAlice{100001};
constexpr UserId kBob{100002};
constexpr UserId kCarol{100003};
constexpr ChatId kSuper{-1001000000001};
constexpr ChatId kChannel{-1001000000003};
constexpr UnixTime kNow = 1767225600;

Rights InviteRights() {
  Rights r;
  r.Set(Right::kCanInviteUsers, true);
  return r;
}

// Encodes an update as "<receiver>:<type>:<chat>" so tests can see who got what.
std::string TestEncoder(const World& w, const UpdateEvent& e, UserId receiver, int64_t id) {
  std::string kind;
  if (const auto* m = std::get_if<MemberUpdateEvent>(&e)) {
    kind = m->new_member.user == receiver ? "my_chat_member" : "chat_member";
    kind += ":" + std::to_string(m->new_member.user.value) + ":" + m->link_hash;
  } else if (const auto* me = std::get_if<MessageEvent>(&e)) {
    // Service messages about members: "message:+<user>" (joined) or "message:-<user>" (left).
    const Message* msg = w.FindMessage(me->chat, me->bot, me->message_id);
    kind = "message:";
    kind += msg && msg->kind == MessageKind::kNewChatMembers ? "+" : "-";
    if (msg && !msg->users.empty()) kind += std::to_string(msg->users.front().value);
  } else {
    kind = "chat_join_request:" + std::to_string(std::get<JoinRequestEvent>(e).from.value);
  }
  return std::to_string(id) + "|" + kind;
}

class WorldLinksTest : public ::testing::Test {
 protected:
  WorldLinksTest()
      : world_(WorldState{}, [this] {
          return std::string(1, 'h').append(std::to_string(1000000000000000 + ++n_));
        }) {
    world_.SetUpdateEncoder(TestEncoder);
    WorldFile f;
    f.bots.push_back(
        {Bot{.id = kBot}, User{.id = kBot, .first_name = "Bot", .username = "one_bot"}});
    f.bots.push_back(
        {Bot{.id = kOtherBot}, User{.id = kOtherBot, .first_name = "Two", .username = "two_bot"}});
    for (UserId u : {kAlice, kBob, kCarol})
      f.users.push_back(User{.id = u, .first_name = "U" + std::to_string(u.value)});
    auto admin = [](ChatId c, UserId u) {
      return Member{
          .chat = c, .user = u, .status = MemberStatus::kAdministrator, .rights = InviteRights()};
    };
    f.chats.push_back({Chat{.id = kSuper, .type = ChatType::kSupergroup, .title = "S"},
                       {Member{.chat = kSuper, .user = kAlice, .status = MemberStatus::kCreator},
                        admin(kSuper, kBot), admin(kSuper, kOtherBot)}});
    f.chats.push_back({Chat{.id = kChannel, .type = ChatType::kChannel, .title = "C"},
                       {Member{.chat = kChannel, .user = kAlice, .status = MemberStatus::kCreator},
                        admin(kChannel, kBot)}});
    Mutation m;
    EXPECT_TRUE(world_.ApplyWorld(f, kNow, m).ok());
    EXPECT_TRUE(world_.PendingUpdates(kBot, kNow).empty()) << "a world file makes no updates";
    // Both bots want chat_member too.
    Mutation a;
    uint32_t all = DefaultAllowedUpdates() | UpdateBit(UpdateType::kChatMember);
    world_.SetAllowedUpdates(kBot, all, a);
    world_.SetAllowedUpdates(kOtherBot, all, a);
  }

  ChatRef Id(ChatId c) { return ChatRef{.id = c.value}; }

  InviteLink Create(LinkSpec spec, UserId bot = kBot) {
    Mutation m;
    auto r = world_.CreateLink(bot, Id(kSuper), spec, kNow, m);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : InviteLink{};
  }

  std::vector<std::string> Updates(UserId bot) {
    std::vector<std::string> out;
    for (const Update* u : world_.PendingUpdates(bot, kNow + 10)) out.push_back(u->json.str());
    return out;
  }

  int n_ = 0;
  World world_;
};

TEST_F(WorldLinksTest, CreateChecksInTheSpecsOrder) {
  Mutation m;
  // The approval/limit conflict comes before the rights check.
  auto r = world_.CreateLink(kBot, Id(kSuper),
                             LinkSpec{.member_limit = 5, .creates_join_request = true}, kNow, m);
  EXPECT_EQ(r.error().kind, Err::kMemberLimitWithApproval);
  Mutation demote;
  ASSERT_TRUE(
      world_
          .PutMember(
              Member{.chat = kSuper, .user = kOtherBot, .status = MemberStatus::kAdministrator},
              kNow, demote)
          .ok());
  EXPECT_EQ(world_
                .CreateLink(kOtherBot, Id(kSuper),
                            LinkSpec{.member_limit = 5, .creates_join_request = true}, kNow, m)
                .error()
                .kind,
            Err::kMemberLimitWithApproval);
  EXPECT_EQ(world_.CreateLink(kOtherBot, Id(kSuper), LinkSpec{}, kNow, m).error().kind,
            Err::kNotEnoughRightsInviteLink);
  EXPECT_EQ(
      world_.CreateLink(kBot, Id(kSuper), LinkSpec{.expire_date = kNow}, kNow, m).error().kind,
      Err::kExpireDateInvalid);
  EXPECT_EQ(
      world_.CreateLink(kBot, Id(kSuper), LinkSpec{.member_limit = 100000}, kNow, m).error().kind,
      Err::kUsageLimitInvalid);
  EXPECT_TRUE(m.empty());
  InviteLink l = Create(LinkSpec{.name = "promo", .expire_date = kNow + 60, .member_limit = 2});
  EXPECT_FALSE(l.is_primary);
  EXPECT_EQ(l.creator, kBot);
  EXPECT_EQ(world_.FindLink(l.hash)->name, "promo");
}

TEST_F(WorldLinksTest, EditReplacesAllFourProperties) {
  InviteLink l = Create(LinkSpec{.name = "a", .expire_date = kNow + 60, .member_limit = 2});
  Mutation m;
  auto e = world_.EditLink(kBot, Id(kSuper), InviteLinkUrl(l.hash), LinkSpec{.name = "b"}, kNow, m);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "b");
  EXPECT_EQ(e->expire_date, 0);
  EXPECT_EQ(e->member_limit, 0);
  // Another administrator's link, an unknown one, the primary one, an empty one.
  InviteLink theirs = Create(LinkSpec{}, kOtherBot);
  EXPECT_EQ(world_.EditLink(kBot, Id(kSuper), theirs.hash, LinkSpec{}, kNow, m).error().kind,
            Err::kInviteHashExpired);
  EXPECT_EQ(world_.EditLink(kBot, Id(kSuper), "nosuchlink", LinkSpec{}, kNow, m).error().kind,
            Err::kInviteHashExpired);
  std::string primary = *world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  EXPECT_EQ(world_.EditLink(kBot, Id(kSuper), primary, LinkSpec{}, kNow, m).error().kind,
            Err::kChatInvitePermanent);
  EXPECT_EQ(world_.EditLink(kBot, Id(kSuper), "", LinkSpec{}, kNow, m).error().kind,
            Err::kInviteLinkEmpty);
}

TEST_F(WorldLinksTest, RevokingThePrimaryLinkMakesANewOne) {
  Mutation m;
  std::string primary = *world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  auto revoked = world_.RevokeLink(kBot, Id(kSuper), "https://t.me/+" + primary, kNow, m);
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(revoked->is_primary);
  EXPECT_TRUE(revoked->is_revoked);
  Mutation g;
  auto view = world_.GetChat(kBot, Id(kSuper), kNow, g);
  ASSERT_TRUE(view.ok());
  EXPECT_NE(view->invite_link_hash, primary);
  EXPECT_TRUE(g.empty()) << "the new primary link was made by the revocation";
  // Revoking again answers the same revoked link.
  auto again = world_.RevokeLink(kBot, Id(kSuper), primary, kNow, m);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->is_revoked);
}

// Named decision: a member who can no longer invite users (demoted, or without
// can_invite_users) loses every link they made in that chat, primary and additional.
TEST_F(WorldLinksTest, LosingTheRightToInviteRevokesEveryLinkTheMemberMadeThere) {
  Mutation m;
  auto primary = world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  ASSERT_TRUE(primary.ok());
  InviteLink a = Create({.name = "a"});
  InviteLink b = Create({.name = "b"});
  ASSERT_TRUE(world_.RevokeLink(kBot, Id(kSuper), b.hash, kNow, m).ok());
  InviteLink other = Create({.name = "o"}, kOtherBot);
  auto in_channel = world_.CreateLink(kBot, Id(kChannel), {}, kNow, m);
  ASSERT_TRUE(in_channel.ok());

  // Still an administrator, without can_invite_users.
  Rights manage;
  manage.Set(Right::kCanManageChat, true);
  Mutation d;
  ASSERT_TRUE(world_
                  .PutMember(Member{.chat = kSuper,
                                    .user = kBot,
                                    .status = MemberStatus::kAdministrator,
                                    .rights = manage},
                             kNow, d, kAlice)
                  .ok());
  std::vector<std::string> revoked;  // the links the mutation revokes, in its order
  for (const Op& op : d.ops)
    if (const auto* l = std::get_if<InviteLink>(&op)) {
      EXPECT_TRUE(l->is_revoked) << l->hash;
      revoked.push_back(l->hash);
    }
  EXPECT_EQ(revoked, (std::vector<std::string>{*primary, a.hash}));
  for (const std::string& hash : {*primary, a.hash, b.hash})
    EXPECT_TRUE(world_.FindLink(hash)->is_revoked) << hash;
  EXPECT_FALSE(world_.FindLink(other.hash)->is_revoked) << "another administrator's link";
  EXPECT_FALSE(world_.FindLink(in_channel->hash)->is_revoked) << "another chat's link";
  Mutation j;
  auto joined = world_.JoinByLink(kBob, a.hash, kNow, j);
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.error().kind, Err::kInviteHashExpired);

  // The same after a reload, for a demotion to a plain member.
  World reloaded(world_.SnapshotForTesting(), [] { return std::string("x"); });
  Mutation r;
  ASSERT_TRUE(
      reloaded
          .PutMember(Member{.chat = kSuper, .user = kOtherBot, .status = MemberStatus::kMember},
                     kNow, r, kAlice)
          .ok());
  EXPECT_TRUE(reloaded.FindLink(other.hash)->is_revoked);
  EXPECT_FALSE(reloaded.FindLink(in_channel->hash)->is_revoked);
}

TEST_F(WorldLinksTest, SubscriptionLinksAreForChannels) {
  Mutation m;
  auto refused = [&](ChatId chat, const SubscriptionSpec& spec) {
    return world_.CreateSubscriptionLink(kBot, Id(chat), spec, kNow, m).error().kind;
  };
  EXPECT_EQ(refused(kChannel, {.period = 0, .price = 10}), Err::kInvalidSubscriptionPricing);
  EXPECT_EQ(refused(kSuper, {.period = 2592000, .price = 10}), Err::kPeerIdInvalid);
  EXPECT_EQ(refused(kChannel, {.period = 60, .price = 10}), Err::kSubscriptionPeriodInvalid);
  EXPECT_EQ(refused(kChannel, {.period = 2592000, .price = 10001}), Err::kPricingChatInvalid);
  auto l = world_.CreateSubscriptionLink(
      kBot, Id(kChannel), SubscriptionSpec{.name = "club", .period = 2592000, .price = 50}, kNow,
      m);
  ASSERT_TRUE(l.ok());
  auto e = world_.EditSubscriptionLink(kBot, Id(kChannel), l->hash, "club2", kNow, m);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "club2");
  EXPECT_EQ(e->subscription_price, 50);
}

TEST_F(WorldLinksTest, MemberLimitCountsMembersAtTheSameTime) {
  InviteLink l = Create(LinkSpec{.member_limit = 1});
  Mutation m;
  ASSERT_TRUE(world_.JoinByLink(kBob, l.hash, kNow, m).ok());
  EXPECT_EQ(world_.LinkMemberCount(l.hash), 1);
  EXPECT_EQ(world_.JoinByLink(kCarol, l.hash, kNow, m).error().kind, Err::kInviteHashExpired);
  ASSERT_TRUE(world_.Leave(kSuper, kBob, kNow, m).ok());
  EXPECT_EQ(world_.LinkMemberCount(l.hash), 0);
  EXPECT_TRUE(world_.JoinByLink(kCarol, l.hash, kNow, m).ok());
}

TEST_F(WorldLinksTest, RemovingLeavesFreeOrBans) {
  InviteLink l = Create(LinkSpec{});
  Mutation m;
  // Only a member can be removed without a ban; anyone can be banned, even ahead of time.
  EXPECT_EQ(world_.Remove(kSuper, kBob, Removal::kLeaveFree, std::nullopt, kNow, m).error().kind,
            Err::kUserNotParticipant);
  ASSERT_TRUE(world_.Remove(kSuper, kCarol, Removal::kBan, std::nullopt, kNow, m).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kCarol)->status, MemberStatus::kKicked);
  EXPECT_EQ(world_.JoinByLink(kCarol, l.hash, kNow, m).error().kind, Err::kBannedFromChat);
  ASSERT_TRUE(world_.JoinByLink(kBob, l.hash, kNow, m).ok());
  ASSERT_TRUE(world_.Remove(kSuper, kBob, Removal::kLeaveFree, kAlice, kNow, m).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kLeft);
  EXPECT_TRUE(world_.JoinByLink(kBob, l.hash, kNow, m).ok());
}

TEST_F(WorldLinksTest, ExpiredLinksStopWorking) {
  InviteLink l = Create(LinkSpec{.expire_date = kNow + 60});
  Mutation m;
  EXPECT_EQ(world_.JoinByLink(kBob, l.hash, kNow + 60, m).error().kind, Err::kInviteHashExpired);
  EXPECT_TRUE(world_.JoinByLink(kBob, l.hash, kNow + 59, m).ok());
}

TEST_F(WorldLinksTest, JoinRequestsWaitForAnAdministrator) {
  InviteLink l = Create(LinkSpec{.name = "gate", .creates_join_request = true});
  Mutation m;
  auto asked = world_.JoinByLink(kBob, l.hash, kNow, m, "hello");
  ASSERT_TRUE(asked.ok());
  EXPECT_TRUE(asked->pending);
  EXPECT_EQ(world_.PendingJoinRequestCount(l.hash), 1);
  EXPECT_EQ(world_.JoinByLink(kBob, l.hash, kNow, m).error().kind, Err::kInviteRequestSent);
  EXPECT_EQ(world_.FindMember(kSuper, kBob), nullptr);
  ASSERT_TRUE(
      world_.DecideJoinRequest(kBot, Id(kSuper), kBob, JoinDecision::kApprove, kNow, m).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kMember);
  EXPECT_EQ(world_.PendingJoinRequestCount(l.hash), 0);
  EXPECT_EQ(world_.DecideJoinRequest(kBot, Id(kSuper), kBob, JoinDecision::kApprove, kNow, m)
                .error()
                .kind,
            Err::kHideRequesterMissing);
  // Declined and withdrawn requests leave the user outside.
  ASSERT_TRUE(world_.JoinByLink(kCarol, l.hash, kNow, m).ok());
  ASSERT_TRUE(
      world_.DecideJoinRequest(kBot, Id(kSuper), kCarol, JoinDecision::kDecline, kNow, m).ok());
  EXPECT_EQ(world_.FindJoinRequest(kSuper, kCarol)->state, JoinRequestState::kDeclined);
  EXPECT_EQ(world_.FindMember(kSuper, kCarol), nullptr);
  ASSERT_TRUE(world_.JoinByLink(kCarol, l.hash, kNow, m).ok());
  ASSERT_TRUE(world_.WithdrawJoinRequest(kSuper, kCarol, kNow, m).ok());
  EXPECT_EQ(world_.FindJoinRequest(kSuper, kCarol)->state, JoinRequestState::kWithdrawn);
  // Checks in order: private chat, then rights.
  EXPECT_EQ(world_
                .DecideJoinRequest(kBot, ChatRef{.id = kAlice.value}, kBob, JoinDecision::kApprove,
                                   kNow, m)
                .error()
                .kind,
            Err::kNoJoinRequestsInPrivate);
}

TEST_F(WorldLinksTest, UpdatesGoToTheBotsThatMaySeeThem) {
  InviteLink mine = Create(LinkSpec{});
  InviteLink gate = Create(LinkSpec{.creates_join_request = true});
  Mutation m;
  ASSERT_TRUE(world_.JoinByLink(kBob, mine.hash, kNow, m).ok());
  ASSERT_TRUE(world_.JoinByLink(kCarol, gate.hash, kNow, m).ok());
  // Each admin bot hears of the join (chat_member, then the group's new_chat_members service
  // message) and of the request (chat_join_request).
  std::vector<std::string> expect = {"1|chat_member:100002:" + mine.hash, "2|message:+100002",
                                     "3|chat_join_request:100003"};
  EXPECT_EQ(Updates(kBot), expect);
  EXPECT_EQ(Updates(kOtherBot), expect);
  // A bot that did not ask for chat_member does not get it, but still gets the service message.
  Mutation a;
  world_.SetAllowedUpdates(kOtherBot, DefaultAllowedUpdates(), a);
  ASSERT_TRUE(world_.Leave(kSuper, kBob, kNow, m).ok());
  std::vector<std::string> left = {"4|chat_member:100002:", "5|message:-100002"};
  auto bot_updates = Updates(kBot);
  ASSERT_GE(bot_updates.size(), 2u);
  EXPECT_EQ(std::vector<std::string>(bot_updates.end() - 2, bot_updates.end()), left);
  EXPECT_EQ(Updates(kOtherBot).size(), 4u);
  EXPECT_EQ(Updates(kOtherBot).back(), "4|message:-100002");
  // Demoting a bot: my_chat_member to it, chat_member to the other administrator bot, and no
  // service message (it stays in the chat).
  ASSERT_TRUE(
      world_
          .PutMember(Member{.chat = kSuper, .user = kOtherBot, .status = MemberStatus::kMember},
                     kNow, m)
          .ok());
  EXPECT_EQ(Updates(kOtherBot).back(), "5|my_chat_member:7000000002:");
  EXPECT_EQ(Updates(kBot).back(), "6|chat_member:7000000002:");
}

TEST_F(WorldLinksTest, GetUpdatesConfirmsByOffset) {
  InviteLink l = Create(LinkSpec{});
  Mutation m;
  // Only chat_member, so that each join or leave is one update (not also a service message).
  world_.SetAllowedUpdates(kBot, UpdateBit(UpdateType::kChatMember), m);
  for (UserId u : {kBob, kCarol}) ASSERT_TRUE(world_.JoinByLink(u, l.hash, kNow, m).ok());
  ASSERT_TRUE(world_.Leave(kSuper, kBob, kNow, m).ok());
  auto ids = [&](int64_t offset, int limit) {
    Mutation g;
    std::vector<int64_t> out;
    for (const Update* u : world_.GetUpdates(kBot, {.offset = offset, .limit = limit}, kNow, g))
      out.push_back(u->id);
    return out;
  };
  EXPECT_EQ(ids(0, 100), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(ids(0, 1), (std::vector<int64_t>{1}));
  EXPECT_EQ(ids(100, 100), (std::vector<int64_t>{1, 2, 3})) << "far future offsets are ignored";
  EXPECT_EQ(ids(2, 100), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ids(0, 100), (std::vector<int64_t>{2, 3})) << "1 was confirmed";
  EXPECT_EQ(ids(-1, 100), (std::vector<int64_t>{3}));
  EXPECT_EQ(ids(4, 100), (std::vector<int64_t>{}));
  // Ids never repeat, even with an empty queue.
  ASSERT_TRUE(world_.JoinByLink(kBob, l.hash, kNow, m).ok());
  EXPECT_EQ(ids(0, 100), (std::vector<int64_t>{4}));
  // Updates expire 24 hours after their date.
  Mutation g;
  EXPECT_TRUE(world_.GetUpdates(kBot, {.offset = 0, .limit = 100}, kNow + kUpdateLifetimeSeconds, g)
                  .empty());
  EXPECT_FALSE(g.empty()) << "the expired updates are dropped durably";
  // The future bound is TQueue's: up to the next id + 10 confirms, beyond is ignored.
  ASSERT_TRUE(world_.Leave(kSuper, kBob, kNow, m).ok());  // update 5; the next id is 6
  EXPECT_EQ(ids(17, 100), (std::vector<int64_t>{5}));
  EXPECT_EQ(ids(16, 100), (std::vector<int64_t>{}));
}

TEST_F(WorldLinksTest, TheClockOnlyMovesForward) {
  Mutation m;
  EXPECT_FALSE(world_.AdvanceClock(-1, m).ok());
  ASSERT_TRUE(world_.AdvanceClock(60, m).ok());
  ASSERT_TRUE(world_.AdvanceClock(30, m).ok());
  EXPECT_EQ(world_.clock_offset(), 90);
  EXPECT_EQ(std::get<ClockState>(m.ops.back()).offset, 90);
}

TEST(LinkStringsTest, HashesComeFromEveryLinkForm) {
  EXPECT_EQ(LinkHashFromString("https://t.me/+AbC-_1"), "AbC-_1");
  EXPECT_EQ(LinkHashFromString("t.me/joinchat/AbC"), "AbC");
  EXPECT_EQ(LinkHashFromString("tg://join?invite=AbC"), "AbC");
  EXPECT_EQ(LinkHashFromString("AbC"), "AbC");
  EXPECT_EQ(LinkHashFromString("https://t.me/demo_group"), "");
  EXPECT_EQ(LinkHashFromString("https://t.me/+AbC..."), "");
}

// Issue 13: TDLib's clean_name trims, cuts to 32 code points and trims again, returns "" when
// only empty characters are left, and only then collapses whitespace.
TEST(LinkStringsTest, NamesAreCutBeforeTheCollapseAsTdlibDoes) {
  const std::string k40 = "aaaa" + std::string(10, ' ') + std::string(26, 'b');  // 40 characters
  const std::string emoji = "\xF0\x9F\x98\x80";                                  // U+1F600
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"  spring \t\n promo  ", "spring promo"},
      {std::string(40, 'x'), std::string(32, 'x')},
      // A 40-character name with an inner run of spaces: every space counts before the cut.
      {k40, "aaaa " + std::string(18, 'b')},
      {"x" + std::string(40, ' ') + "tail", "x"},
      {std::string(31, 'h') + "     iii", std::string(31, 'h')},
      // Zero-width characters only (U+200B-U+200F, BOM), or with NBSPs and spaces: "".
      {"\u200B", ""},
      {"\u200B\u200C\u200D\u200E\u200F\uFEFF", ""},
      {"\u00A0 \u200B\n\u00A0", ""},
      {"   ", ""},
      {"", ""},
      // Empty characters at the ends of a visible name are kept; NBSPs collapse like spaces.
      {"\u200Bpromo\u200B", "\u200Bpromo\u200B"},
      {"\u00A0promo\u00A0\u00A0x\u00A0", "promo x"},
      {"\uFEFF promo \uFEFF", "\uFEFF promo \uFEFF"},
      // Wide spaces and tags become spaces first; U+202E is dropped as input cleaning does.
      {"\u2003\u3000wide\u2002\u2002space\u3000", "wide space"},
      {"\U000E0041tag", "tag"},
      {"\u202Eltr", "ltr"},
      // A non-BMP emoji is one code point (four bytes, two UTF-16 units).
      {std::string(31, 'a') + emoji + "b", std::string(31, 'a') + emoji},
      {emoji + "  " + std::string(40, 'k'), emoji + " " + std::string(29, 'k')},
      {[&] {
         std::string s;
         for (int i = 0; i < 40; ++i) s += emoji;
         return s;
       }(),
       [&] {
         std::string s;
         for (int i = 0; i < 32; ++i) s += emoji;
         return s;
       }()},
  };
  for (const Case& c : cases) EXPECT_EQ(CleanLinkName(c.input), c.expected) << c.input;
  EXPECT_EQ(CleanLinkName("bad\xFF"), std::nullopt);
}

TEST_F(WorldLinksTest, NamesThatAreNotUtf8AreRefusedAfterTheChatIsFound) {
  Mutation m;
  const std::string bad = "bad\xFF";
  EXPECT_EQ(world_.CreateLink(kBot, Id(kSuper), LinkSpec{.name = bad}, kNow, m).error().kind,
            Err::kStringsMustBeUtf8);
  // Before the rights: an administrator without them gets the same answer.
  Mutation demote;
  ASSERT_TRUE(
      world_
          .PutMember(
              Member{.chat = kSuper, .user = kOtherBot, .status = MemberStatus::kAdministrator},
              kNow, demote)
          .ok());
  EXPECT_EQ(world_.CreateLink(kOtherBot, Id(kSuper), LinkSpec{.name = bad}, kNow, m).error().kind,
            Err::kStringsMustBeUtf8);
  // After the chat: an unknown chat is still "chat not found".
  EXPECT_EQ(
      world_.CreateLink(kBot, Id(ChatId(-100999)), LinkSpec{.name = bad}, kNow, m).error().kind,
      Err::kChatNotFound);
  InviteLink l = Create(LinkSpec{.name = "ok"});
  EXPECT_EQ(world_.EditLink(kBot, Id(kSuper), l.hash, LinkSpec{.name = bad}, kNow, m).error().kind,
            Err::kStringsMustBeUtf8);
  EXPECT_EQ(world_.EditSubscriptionLink(kBot, Id(kSuper), l.hash, bad, kNow, m).error().kind,
            Err::kStringsMustBeUtf8);
  EXPECT_EQ(world_.FindLink(l.hash)->name, "ok");
}

}  // namespace
}  // namespace tgi::domain
