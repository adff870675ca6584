#include "botapi/moderation_args.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tgi::botapi {
namespace {

using domain::Permission;

// The permissions that are on, by name, in the order of the enum.
std::string On(const domain::Permissions& p) {
  std::string out;
  for (int i = 0; i < static_cast<int>(Permission::kCount); ++i) {
    if (!p.Has(static_cast<Permission>(i))) continue;
    if (!out.empty()) out += ",";
    out += domain::PermissionName(static_cast<Permission>(i));
  }
  return out;
}

Result<ParsedPermissions, ApiError> Parse(std::vector<std::pair<std::string, std::string>> params,
                                          LegacyPermissions legacy = LegacyPermissions::kAllowed) {
  http::ParamList list;
  for (auto& [k, v] : params) list.Add(k, v);
  return ParseChatPermissions(Args(list), legacy);
}

std::string OnOf(std::vector<std::pair<std::string, std::string>> params,
                 LegacyPermissions legacy = LegacyPermissions::kAllowed) {
  auto r = Parse(std::move(params), legacy);
  return r ? On(r->permissions) : r.error().description;
}

TEST(ParseChatPermissionsTest, ErrorsInTheReferencesTexts) {
  EXPECT_EQ(OnOf({{"permissions", "{"}}), "Bad Request: can't parse permissions JSON object");
  EXPECT_EQ(OnOf({{"permissions", "[]"}}), "Bad Request: object expected as permissions");
  EXPECT_EQ(OnOf({{"permissions", R"({"can_send_messages":"true"})"}}),
            "Bad Request: can't parse chat permissions: Field \"can_send_messages\" must be of "
            "type Boolean");
  EXPECT_EQ(OnOf({{"permissions", R"({"can_pin_messages":1})"}}),
            "Bad Request: can't parse chat permissions: Field \"can_pin_messages\" must be of "
            "type Boolean");
}

TEST(ParseChatPermissionsTest, MissingFieldsAreFalseAndUnknownOnesIgnored) {
  EXPECT_EQ(OnOf({{"permissions", R"({"whatever":true})"}}), "");
  EXPECT_EQ(OnOf({{"permissions", R"({"can_send_messages":true})"}}),
            "can_send_messages,can_react_to_messages");
}

TEST(ParseChatPermissionsTest, DerivedDefaultsInTheReferencesOrder) {
  // Pinning implies topics and tags when they are not given.
  EXPECT_EQ(OnOf({{"permissions", R"({"can_pin_messages":true})"}}),
            "can_edit_tag,can_pin_messages,can_manage_topics");
  EXPECT_EQ(OnOf({{"permissions", R"({"can_pin_messages":true,"can_manage_topics":false,
                                      "can_edit_tag":false})"}}),
            "can_pin_messages");
  // The legacy media flag sets the six and messages, unless one of the six is given.
  EXPECT_EQ(OnOf({{"permissions", R"({"can_send_media_messages":true})"}}),
            "can_send_messages,can_send_audios,can_send_documents,can_send_photos,"
            "can_send_videos,can_send_video_notes,can_send_voice_notes,can_react_to_messages");
  EXPECT_EQ(OnOf({{"permissions", R"({"can_send_media_messages":true,"can_send_photos":false})"}}),
            "");
  // Independent: media alone does not bring messages.
  EXPECT_EQ(OnOf({{"permissions", R"({"can_send_media_messages":true})"},
                  {"use_independent_chat_permissions", "true"}}),
            "can_send_audios,can_send_documents,can_send_photos,can_send_videos,"
            "can_send_video_notes,can_send_voice_notes");
  // Polls bring messages after the reaction default was taken: the quirk of spec 4.3.
  EXPECT_EQ(OnOf({{"permissions", R"({"can_send_polls":true})"}}),
            "can_send_messages,can_send_polls");
  EXPECT_EQ(OnOf({{"permissions", R"({"can_send_polls":true})"},
                  {"use_independent_chat_permissions", "1"}}),
            "can_send_polls");
  // Other messages or previews bring the six media kinds and messages.
  EXPECT_EQ(OnOf({{"permissions", R"({"can_add_web_page_previews":true})"}}),
            "can_send_messages,can_send_audios,can_send_documents,can_send_photos,"
            "can_send_videos,can_send_video_notes,can_send_voice_notes,can_add_web_page_previews");
}

TEST(ParseChatPermissionsTest, TheLegacyFlatParameters) {
  // None: a full mute.
  auto none = Parse({});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(On(none->permissions), "");
  EXPECT_TRUE(none->legacy_partial);
  EXPECT_EQ(OnOf({{"can_send_messages", "true"}}), "can_send_messages,can_react_to_messages");
  EXPECT_EQ(OnOf({{"can_send_media_messages", "yes"}}),
            "can_send_messages,can_send_audios,can_send_documents,can_send_photos,"
            "can_send_videos,can_send_video_notes,can_send_voice_notes,can_react_to_messages");
  // Other messages and previews imply the rest of the four: the legacy unrestrict.
  auto all = Parse({{"can_send_other_messages", "1"}, {"can_add_web_page_previews", "1"}});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->permissions.AllSet());
  EXPECT_FALSE(all->legacy_partial);
  // setChatPermissions reads no legacy parameters: absent permissions forbid everything.
  EXPECT_EQ(OnOf({{"can_send_messages", "true"}}, LegacyPermissions::kRefused), "");
  // A permissions parameter wins over the flat ones.
  auto json = Parse({{"permissions", "{}"}, {"can_send_messages", "true"}});
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(On(json->permissions), "");
  EXPECT_FALSE(json->legacy_partial);
}

// td::to_integer_safe: exactly the text the number prints as.
TEST(ParseSenderChatIdTest, StrictInt64) {
  auto parse = [](const char* v) {
    http::ParamList list;
    list.Add("sender_chat_id", v);
    return ParseSenderChatId(Args(list));
  };
  for (auto [text, value] :
       {std::pair{"-1001000000001", int64_t{-1001000000001}}, std::pair{"0", int64_t{0}},
        std::pair{"42", int64_t{42}}, std::pair{"-9223372036854775808", INT64_MIN},
        std::pair{"9223372036854775807", INT64_MAX}}) {
    auto r = parse(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(*r, value) << text;
  }
  EXPECT_EQ(parse("").error().description, "Bad Request: sender_chat_id is empty");
  EXPECT_EQ(ParseSenderChatId(Args(http::ParamList())).error().description,
            "Bad Request: sender_chat_id is empty");
  for (const char* bad : {"+42", "042", "-0", "-", "12a", " 12", "12 ", "1e3",
                          "9223372036854775808", "-9223372036854775809", "@channel"}) {
    auto r = parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, 400);
    EXPECT_EQ(r.error().description, "Bad Request: sender_chat_id is not a valid Integer") << bad;
  }
}

TEST(NormalizeUntilDateTest, TooSoonOrTooFarIsForever) {
  constexpr UnixTime kNow = 1767225600;
  EXPECT_EQ(NormalizeUntilDate(0, kNow), 0);
  EXPECT_EQ(NormalizeUntilDate(-5, kNow), 0);
  EXPECT_EQ(NormalizeUntilDate(kNow + 29, kNow), 0);
  EXPECT_EQ(NormalizeUntilDate(kNow + 30, kNow), kNow + 30);
  EXPECT_EQ(NormalizeUntilDate(kNow + 366 * 86400, kNow), kNow + 366 * 86400);
  EXPECT_EQ(NormalizeUntilDate(kNow + 366 * 86400 + 1, kNow), 0);
}

}  // namespace
}  // namespace tgi::botapi
