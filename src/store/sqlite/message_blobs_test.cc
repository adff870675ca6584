#include "store/sqlite/message_blobs.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace tgi::store::sqlite_internal {
namespace {

using text::Entity;
using text::EntityType;

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::string EntitiesBlob(const std::vector<Entity>& entities) {
  std::string out;
  Status st = EncodeEntities(entities, &out);
  EXPECT_TRUE(st.ok()) << st.error().message;
  return out;
}

std::string StringsBlob(const std::vector<std::string>& strings) {
  std::string out = "garbage";  // replaced, not appended to
  EncodeStrings(strings, &out);
  return out;
}

std::string UsersBlob(const std::vector<UserId>& users) {
  std::string out = "garbage";
  EncodeUserIds(users, &out);
  return out;
}

// What the decoder says about `blob` as users: "ok" or its error.
std::string UsersError(const std::string& blob) {
  std::vector<UserId> users;
  Status st = DecodeUserIds(blob, &users);
  return st.ok() ? "ok" : st.error().message;
}

std::string EntitiesError(const std::string& blob) {
  std::vector<Entity> entities;
  Status st = DecodeEntities(blob, &entities);
  return st.ok() ? "ok" : st.error().message;
}

std::string StringsError(const std::string& blob) {
  std::vector<std::string> strings;
  Status st = DecodeStrings(blob, &strings);
  return st.ok() ? "ok" : st.error().message;
}

// The bytes the header documents, so that the format cannot drift without a new version.
TEST(MessageBlobsTest, EncodesTheDocumentedBytes) {
  EXPECT_EQ(EntitiesBlob({}), "");
  EXPECT_EQ(StringsBlob({}), "");
  EXPECT_EQ(UsersBlob({}), "");
  // bold 0+5; text_link 6+4 "http"; text_mention 1+2 user 300; date_time -1+64 time -65.
  EXPECT_EQ(EntitiesBlob({
                Entity{.type = EntityType::kBold, .offset = 0, .length = 5},
                Entity{.type = EntityType::kTextLink, .offset = 6, .length = 4, .argument = "http"},
                Entity{.type = EntityType::kTextMention, .offset = 1, .length = 2, .user_id = 300},
                Entity{.type = EntityType::kDateTime, .offset = -1, .length = 64, .unix_time = -65},
            }),
            Bytes({1,  4,                                                    // version, count
                   7,  0x00, 0x0a, 0,    0x00, 0x00,                         // bold
                   14, 0x0c, 0x08, 4,    'h',  't',  't',  'p', 0x00, 0x00,  // text_link
                   15, 0x02, 0x04, 0,    0xd8, 0x04, 0x00,                   // text_mention
                   19, 0x01, 0x80, 0x01, 0,    0x00, 0x81, 0x01}));          // date_time
  EXPECT_EQ(StringsBlob({"yes", "", "ü"}), Bytes({1, 3, 3, 'y', 'e', 's', 0, 2, 0xc3, 0xbc}));
  EXPECT_EQ(UsersBlob({UserId(1), UserId(-1), UserId(300)}), Bytes({1, 3, 0x02, 0x01, 0xd8, 0x04}));
  // The largest and smallest int64: ten bytes each, the last holding bit 63 only.
  EXPECT_EQ(UsersBlob({UserId(std::numeric_limits<int64_t>::max()),
                       UserId(std::numeric_limits<int64_t>::min())}),
            Bytes({1,    2,    0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,  //
                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST(MessageBlobsTest, RefusesAnEntityTypeItCannotStore) {
  std::string out;
  Status st = EncodeEntities({Entity{.type = EntityType::kCount}}, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "unknown entity type 21");
}

TEST(MessageBlobsTest, DecodesStrictly) {
  EXPECT_EQ(UsersError(""), "ok");
  EXPECT_EQ(UsersError(Bytes({1, 1, 2})), "ok");
  EXPECT_EQ(UsersError(Bytes({2, 1, 2})), "unknown format version 2 at byte 0");
  EXPECT_EQ(UsersError(Bytes({0})), "unknown format version 0 at byte 0");
  EXPECT_EQ(UsersError(Bytes({1})), "truncated at byte 1");
  EXPECT_EQ(UsersError(Bytes({1, 0})), "count of 0 (an empty list is an empty blob) at byte 1");
  EXPECT_EQ(UsersError(Bytes({1, 5, 2})), "count of 5 more than the blob can hold at byte 1");
  EXPECT_EQ(UsersError(Bytes({1, 2, 0x82, 0x01})), "truncated at byte 4");
  EXPECT_EQ(UsersError(Bytes({1, 1, 0x82})), "truncated at byte 3");
  EXPECT_EQ(UsersError(Bytes({1, 1, 2, 0})), "unexpected bytes after the last item at byte 3");
  // 2 written in two bytes instead of one.
  EXPECT_EQ(UsersError(Bytes({1, 1, 0x82, 0x00})), "overlong varint at byte 2");
  // An 11th byte, or a 10th holding more than bit 63.
  EXPECT_EQ(UsersError(Bytes({1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02})),
            "varint too long at byte 11");
  EXPECT_EQ(
      UsersError(Bytes({1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x01})),
      "varint too long at byte 11");
  EXPECT_EQ(StringsError(Bytes({1, 1, 5, 'a', 'b'})), "truncated string at byte 3");
  EXPECT_EQ(StringsError(Bytes({1, 2, 1, 'a'})), "truncated at byte 4");
  EXPECT_EQ(EntitiesError(Bytes({1, 1, 21, 0, 0, 0, 0, 0})), "unknown entity type 21 at byte 2");
  EXPECT_EQ(EntitiesError(Bytes({1, 1, 7, 0, 0, 0, 0, 0})), "ok");
  // An offset of 2^31, one past the int32 range (zigzag 2^32: five bytes).
  EXPECT_EQ(EntitiesError(Bytes({1, 1, 7, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0, 0})),
            "number out of the 32-bit range at byte 3");
  // An entity needs at least six bytes: a count of 2 with room for one is refused up front.
  EXPECT_EQ(EntitiesError(Bytes({1, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0})),
            "count of 2 more than the blob can hold at byte 1");
}

TEST(MessageBlobsTest, RandomListsRoundTrip) {
  std::mt19937_64 rng(20261207);
  auto any64 = [&rng] {
    // Mostly small numbers of either sign, sometimes anything.
    const uint64_t r = rng();
    return (r & 3) == 0 ? static_cast<int64_t>(rng()) : static_cast<int64_t>(r % 4001) - 2000;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<Entity> entities(rng() % 8);
    for (Entity& e : entities) {
      e.type = static_cast<EntityType>(rng() % static_cast<uint64_t>(EntityType::kCount));
      e.offset = static_cast<int32_t>(any64());
      e.length = static_cast<int32_t>(rng());
      e.argument = std::string(rng() % 200, static_cast<char>(rng()));
      e.user_id = any64();
      e.unix_time = any64();
    }
    std::vector<std::string> strings(rng() % 5);
    for (std::string& s : strings) s = std::string(rng() % 70, static_cast<char>(rng()));
    std::vector<UserId> users(rng() % 6);
    for (UserId& u : users) u = UserId(any64());

    std::string blob;
    ASSERT_TRUE(EncodeEntities(entities, &blob).ok());
    std::vector<Entity> entities_back = {Entity{}};  // replaced, not appended to
    ASSERT_TRUE(DecodeEntities(blob, &entities_back).ok()) << round;
    EXPECT_EQ(entities_back, entities) << round;
    EncodeStrings(strings, &blob);
    std::vector<std::string> strings_back = {"x"};
    ASSERT_TRUE(DecodeStrings(blob, &strings_back).ok()) << round;
    EXPECT_EQ(strings_back, strings) << round;
    EncodeUserIds(users, &blob);
    std::vector<UserId> users_back = {UserId(1)};
    ASSERT_TRUE(DecodeUserIds(blob, &users_back).ok()) << round;
    EXPECT_EQ(users_back, users) << round;
    // Any prefix of a blob, and any blob with a byte more, fails to decode.
    if (!blob.empty()) {
      EXPECT_NE(UsersError(blob.substr(0, 1 + rng() % (blob.size() - 1))), "ok") << round;
      EXPECT_NE(UsersError(blob + '\0'), "ok") << round;
    }
  }
}

}  // namespace
}  // namespace tgi::store::sqlite_internal
