#include "cli/args.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>
#include <vector>

namespace tgi::cli {
namespace {

ParseResult Parse(std::initializer_list<std::string_view> args) {
  std::vector<std::string_view> v(args);
  return ParseArgs(v);
}

TEST(ParseChat, IdOrUsername) {
  auto id = ParseChat("-4001");
  ASSERT_TRUE(id);
  EXPECT_TRUE(id->is_id());
  EXPECT_EQ(id->id(), -4001);
  auto name = ParseChat("@demo_group");
  ASSERT_TRUE(name);
  EXPECT_FALSE(name->is_id());
  EXPECT_EQ(name->username(), "@demo_group");
  EXPECT_FALSE(ParseChat("@"));
  EXPECT_FALSE(ParseChat("demo_group"));
  EXPECT_FALSE(ParseChat("-100abc"));
}

TEST(ParseArgs, GlobalFlagsBeforeOrAfterTheSubcommand) {
  for (auto r :
       {Parse({"--json", "--api-url", "http://127.0.0.1:8081", "export", "--chat", "@x"}),
        Parse({"export", "--chat=@x", "--api-url=http://127.0.0.1:8081", "--json"}),
        Parse({"--chat", "@x", "--json", "export", "--api-url", "http://127.0.0.1:8081"})}) {
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.invocation.subcommand, Subcommand::kExport);
    EXPECT_TRUE(r.invocation.json);
    EXPECT_EQ(r.invocation.api_url, "http://127.0.0.1:8081");
    ASSERT_TRUE(r.invocation.chat);
    EXPECT_EQ(r.invocation.chat->username(), "@x");
  }
}

TEST(ParseArgs, EveryLinkFlag) {
  auto r = Parse({"create", "--chat", "-1001000000001", "--name", "promo", "--expire-date",
                  "1767225600", "--member-limit", "10", "--no-join-request", "--timeout", "5",
                  "--retries", "0", "--follow-migration", "--token-file", "/t"});
  ASSERT_TRUE(r.ok()) << r.error;
  const Invocation& inv = r.invocation;
  EXPECT_EQ(inv.chat->id(), -1001000000001);
  EXPECT_EQ(inv.link_params.name, "promo");
  EXPECT_EQ(inv.link_params.expire_date, 1767225600);
  EXPECT_EQ(inv.link_params.member_limit, 10);
  EXPECT_EQ(inv.link_params.creates_join_request, false);
  EXPECT_EQ(inv.timeout_seconds, 5);
  EXPECT_EQ(inv.retries, 0);
  EXPECT_TRUE(inv.follow_migration);
  EXPECT_EQ(inv.token_file, "/t");

  auto jr = Parse({"edit", "--chat", "@x", "--link", "https://t.me/+abc", "--join-request"});
  ASSERT_TRUE(jr.ok()) << jr.error;
  EXPECT_EQ(jr.invocation.link_params.creates_join_request, true);
  EXPECT_EQ(jr.invocation.link, "https://t.me/+abc");
  EXPECT_FALSE(jr.invocation.link_params.name);
}

TEST(ParseArgs, NegativeNumbersAreValues) {
  auto r = Parse({"approve", "--chat", "-4001", "--user", "100007"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.invocation.chat->id(), -4001);
  EXPECT_EQ(r.invocation.user, 100007);
}

TEST(ParseArgs, HelpAndVersionNeedNothingElse) {
  auto global = Parse({"--help"});
  ASSERT_TRUE(global.ok()) << global.error;
  EXPECT_TRUE(global.invocation.help);
  EXPECT_EQ(global.invocation.subcommand, Subcommand::kNone);
  auto sub = Parse({"export", "--help"});
  ASSERT_TRUE(sub.ok()) << sub.error;
  EXPECT_EQ(sub.invocation.subcommand, Subcommand::kExport);
  EXPECT_TRUE(Parse({"-h"}).invocation.help);
  EXPECT_TRUE(Parse({"--version"}).invocation.version);
}

TEST(ParseArgs, UsageErrorsNameTheProblem) {
  struct Case {
    std::vector<std::string_view> args;
    std::string_view error;
  };
  const std::vector<Case> cases = {
      {{}, "no subcommand given (see tginvite --help)"},
      {{"exprot"}, "unknown subcommand 'exprot' (see tginvite --help)"},
      {{"export", "--chat", "@x", "--bogus"}, "unknown flag '--bogus' (see tginvite --help)"},
      {{"export"}, "export needs --chat (see tginvite export --help)"},
      {{"export", "--chat"}, "--chat needs a value"},
      {{"export", "--chat", "--json"}, "--chat needs a value"},
      {{"export", "--chat", "12abc"},
       "--chat must be a chat id (a 64-bit integer) or @username, not '12abc'"},
      {{"approve", "--chat", "@x", "--user", "1.5"},
       "--user must be a user id (a 64-bit integer), not '1.5'"},
      {{"create", "--chat", "@x", "--member-limit", "99999999999"},
       "--member-limit must be a number of members (a 32-bit integer), not '99999999999'"},
      {{"create", "--chat", "@x", "--expire-date", "tomorrow"},
       "--expire-date must be a Unix time (a 64-bit integer; 0 = never), not 'tomorrow'"},
      {{"export", "--chat", "@x", "--timeout", "0"},
       "--timeout must be a number of seconds from 1 to 86400, not '0'"},
      {{"export", "--chat", "@x", "--retries", "-1"},
       "--retries must be a number of retries from 0 to 100, not '-1'"},
      {{"export", "--chat", "@x", "--api-url", "127.0.0.1:8081"},
       "--api-url must be an http:// or https:// URL, not '127.0.0.1:8081'"},
      {{"export", "--chat", "@x", "--chat", "@y"}, "--chat is given twice"},
      {{"export", "--chat", "@x", "--json=yes"}, "--json takes no value"},
      {{"export", "--chat", "@x", "--user", "5"},
       "export does not take --user (see tginvite export --help)"},
      {{"--chat", "@x"}, "--chat needs a subcommand (see tginvite --help)"},
      {{"export", "--chat", "@x", "extra"},
       "unexpected argument 'extra' (see tginvite export --help)"},
      {{"create", "--chat", "@x", "--join-request", "--no-join-request"},
       "--join-request and --no-join-request exclude each other"},
      {{"revoke", "--chat", "@x"}, "revoke needs --link (see tginvite revoke --help)"},
      {{"decline", "--user", "5", "--chat", "@x", "--name", "n"},
       "decline does not take --name (see tginvite decline --help)"},
  };
  for (const auto& c : cases) {
    auto r = ParseArgs(c.args);
    EXPECT_EQ(r.error, c.error);
  }
}

TEST(HelpText, MentionsTheSubcommandsTheTokenAndTheExitCodes) {
  std::string global = HelpText(Subcommand::kNone);
  for (std::string_view word :
       {"export", "create", "edit", "revoke", "approve", "decline", "get-chat", "get-me",
        "TELEGRAM_BOT_TOKEN", "--token-file", "ps", "Exit codes", "  4  "}) {
    EXPECT_NE(global.find(word), std::string::npos) << word;
  }
  std::string edit = HelpText(Subcommand::kEdit);
  EXPECT_EQ(edit.rfind("Usage: tginvite edit --chat CHAT --link URL", 0), 0u);
  EXPECT_NE(edit.find("--member-limit"), std::string::npos);
  EXPECT_EQ(HelpText(Subcommand::kGetMe).find("--chat"), std::string::npos);
}

}  // namespace
}  // namespace tgi::cli
