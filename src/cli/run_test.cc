#include "cli/run.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <type_traits>

#include "common/ids.h"
#include "common/result.h"

namespace tgi::cli {
namespace {

tginvite::Error ApiError(int code, std::string description) {
  tginvite::Error e;
  e.kind = tginvite::Error::Kind::kApi;
  e.error_code = code;
  e.description = std::move(description);
  return e;
}

TEST(DescribeError, ApiErrorsCarryTheirCode) {
  EXPECT_EQ(DescribeError(ApiError(400, "Bad Request: chat not found")),
            "Bad Request: chat not found (error 400)");
  tginvite::Error migrated =
      ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat");
  migrated.migrate_to_chat_id = -1000000004005;
  EXPECT_EQ(DescribeError(migrated),
            "Bad Request: group chat was upgraded to a supergroup chat (error 400, "
            "migrate_to_chat_id -1000000004005)");
  tginvite::Error busy = ApiError(429, "Too Many Requests: retry after 7");
  busy.retry_after = 7;
  EXPECT_EQ(DescribeError(busy), "Too Many Requests: retry after 7 (error 429)");
  EXPECT_EQ(ExitCodeFor(busy), kExitApi);
  EXPECT_EQ(DescribeError(ApiError(400, "Bad Request:\r\nsplit\tline")),
            "Bad Request:  split line (error 400)");
}

TEST(DescribeError, TransportErrorsAreTheirDescription) {
  tginvite::Error e;
  e.kind = tginvite::Error::Kind::kTransport;
  e.transport = tginvite::Error::Transport::kConnect;
  e.description = "cannot connect to 127.0.0.1:1: Connection refused";
  EXPECT_EQ(DescribeError(e), e.description);
  for (auto t : {tginvite::Error::Transport::kDns, tginvite::Error::Transport::kConnect,
                 tginvite::Error::Transport::kTls, tginvite::Error::Transport::kTimeout,
                 tginvite::Error::Transport::kClosed, tginvite::Error::Transport::kBadReply}) {
    e.transport = t;
    EXPECT_EQ(ExitCodeFor(e), kExitTransport) << tginvite::TransportName(t);
  }
  e.transport = tginvite::Error::Transport::kBadUrl;
  EXPECT_EQ(ExitCodeFor(e), kExitUsage);
}

TEST(Scrub, ReplacesEveryOccurrence) {
  EXPECT_EQ(Scrub("a 1:SECRET b 1:SECRET", "1:SECRET"), "a <token> b <token>");
  EXPECT_EQ(Scrub("nothing", ""), "nothing");
}

// Invocations come from ParseArgs, as in the command (GCC 12 warns falsely on an optional<ChatId>
// set by hand in a test body under -fsanitize).
Invocation Parsed(std::vector<std::string_view> args) {
  ParseResult r = ParseArgs(args);
  EXPECT_TRUE(r.ok()) << r.error;
  return r.invocation;
}

TEST(ParamsJson, SendsWhatWasGiven) {
  Invocation inv = Parsed({"create", "--chat", "-1001000000001", "--name", "promo",
                           "--member-limit", "5", "--no-join-request"});
  EXPECT_EQ(boost::json::parse(ParamsJson(inv)),
            boost::json::parse(R"({"chat_id":-1001000000001,"name":"promo","member_limit":5,)"
                               R"("creates_join_request":false})"));
  Invocation by_name = Parsed({"approve", "--chat", "@demo", "--user", "42"});
  EXPECT_EQ(boost::json::parse(ParamsJson(by_name)),
            boost::json::parse(R"({"chat_id":"@demo","user_id":42})"));
  Invocation edit = Parsed({"edit", "--chat", "-4001", "--link", "https://t.me/+x", "--expire-date",
                            "0", "--join-request"});
  EXPECT_EQ(boost::json::parse(ParamsJson(edit)),
            boost::json::parse(R"({"chat_id":-4001,"invite_link":"https://t.me/+x",)"
                               R"("expire_date":0,"creates_join_request":true})"));
}

TEST(LoadToken, FromTheEnvironmentOrAFile) {
  Invocation inv;
  EXPECT_EQ(LoadToken(inv, " 1:abc\n").token, "1:abc");
  EXPECT_NE(LoadToken(inv, nullptr).error.find("no bot token"), std::string::npos);
  EXPECT_NE(LoadToken(inv, "").error.find("TELEGRAM_BOT_TOKEN"), std::string::npos);

  std::string path = ::testing::TempDir() + "cli_test_token_" + std::to_string(::getpid());
  std::ofstream(path) << "2:fromfile\n";
  inv.token_file = path;
  EXPECT_EQ(LoadToken(inv, "1:env").token, "2:fromfile");  // the file wins
  std::ofstream(path) << "2:a\n3:b\n";
  EXPECT_NE(LoadToken(inv, nullptr).error.find("more than one line"), std::string::npos);
  std::ofstream(path) << "\n";
  EXPECT_NE(LoadToken(inv, nullptr).error.find("is empty"), std::string::npos);
  std::remove(path.c_str());
  EXPECT_NE(LoadToken(inv, nullptr).error.find("cannot read the token file"), std::string::npos);
}

// The library's public names (tginvite::) and the project's internal ones (tgi::) are distinct
// and meet in one program: this binary links both, and this file includes both headers.
TEST(Names, TheLibrarysAndTheServersMeetInOneFile) {
  static_assert(!std::is_same_v<tginvite::Error, tgi::Error>);
  static_assert(!std::is_same_v<tginvite::ChatId, tgi::ChatId>);
  tginvite::Result<int> library = 5;
  tgi::Result<int> internal = 6;
  EXPECT_EQ(*library + *internal, 11);
  EXPECT_EQ(tginvite::ChatId(-4001).ToString(), "-4001");
  EXPECT_EQ(tgi::ChatId(-4001).value, -4001);
}

}  // namespace
}  // namespace tgi::cli
