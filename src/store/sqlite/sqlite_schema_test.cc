// The SQLite store's schema: the invariants it enforces by itself, the migrations from every
// older database, the page size, and refusing what it cannot open.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store_test_util.h"

namespace tgi::store {
namespace {

using domain::BotUpdateSettings;
using domain::CallbackQuery;
using domain::ClockState;
using domain::DropUpdates;
using domain::InviteLink;
using domain::Join;
using domain::JoinRequest;
using domain::JoinRequestState;
using domain::Message;
using domain::MessageFlag;
using domain::MessageKind;
using domain::Mutation;
using domain::PrivateChat;
using domain::Update;
using domain::UpdateType;
using testing::Dump;
using testing::LoadDump;
using testing::MakeBotSettings;
using testing::MakeCallbackQuery;
using testing::MakeChat;
using testing::MakeJoin;
using testing::MakeJoinRequest;
using testing::MakeMessage;
using testing::MakePrimary;
using testing::MakePrivateChat;
using testing::MakeProfileEntry;
using testing::MakeUpdate;
using testing::MakeUser;
using testing::MustOpen;
using testing::Mut;
using testing::Query;
using testing::Revoked;
using testing::SubmitAndWait;
using testing::TempDir;
using testing::WriteLockHolder;
using text::Entity;
using text::EntityType;

TEST(SqliteStoreTest, SchemaRefusesTheClockGoingBack) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(SubmitAndWait(*store, Mut({ClockState{.offset = 100}})).ok());
  }
  // Whoever writes the file, not only the store.
  EXPECT_EQ(Query(path, "UPDATE clock SET offset = 99"), "<error>");
  EXPECT_EQ(Query(path, "UPDATE clock SET offset = 101"), "");
  EXPECT_EQ(Query(path, "INSERT INTO clock VALUES (2, 5)"), "<error>");  // one row only
  EXPECT_EQ(Query(path, "SELECT offset FROM clock"), "101");
}

TEST(SqliteStoreTest, SchemaChecksJoinRequestStateAndDecided) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  { ASSERT_NE(MustOpen(path), nullptr); }
  const std::string insert =
      "INSERT INTO join_requests (chat_id, user_id, date, state, decided) VALUES (-1, ";
  EXPECT_EQ(Query(path, insert + "1, 5, 'pending', 0)"), "");
  EXPECT_EQ(Query(path, insert + "2, 5, 'approved', 6)"), "");
  EXPECT_EQ(Query(path, insert + "3, 5, 'pending', 6)"), "<error>");
  EXPECT_EQ(Query(path, insert + "4, 5, 'declined', 0)"), "<error>");
  EXPECT_EQ(Query(path, insert + "5, 5, 'lost', 6)"), "<error>");
  EXPECT_EQ(Query(path, "SELECT count(*) FROM join_requests"), "2");
}

// The version a database opened by this binary is migrated to: its last migration's.
int LatestSchemaVersion() { return static_cast<int>(sqlite_internal::EmbeddedMigrations().size()); }

// Makes a database at `path` that has only the first `migrations` migrations, as an older binary
// left it, with `rows` (SQL) written into it.
void CreateAtMigration(const std::string& path, size_t migrations, const char* rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
            SQLITE_OK);
  Result<int> version =
      sqlite_internal::Migrate(db, sqlite_internal::EmbeddedMigrations().first(migrations));
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, static_cast<int>(migrations));
  const int rc = sqlite3_exec(db, rows, nullptr, nullptr, nullptr);
  const std::string error = sqlite3_errmsg(db);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << error;
}

// A database written by a binary that knew only 0001_init: opening it applies 0002 and keeps
// every row; the joins it had are direct joins.
TEST(SqliteStoreTest, UpgradesADatabaseFromMigration1) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  {
    const char* rows = R"sql(
      INSERT INTO users (id, is_bot, first_name, is_premium) VALUES (1, 0, 'User 1', 0);
      INSERT INTO chats (id, type, title, created) VALUES (-100, 'supergroup', 'Chat -100',
                                                           1700000000);
      INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked,
                                creates_join_request, created)
        VALUES ('keptkeptkeptkept', -100, 1, 1, 0, 0, 1700000100);
      INSERT INTO joins (chat_id, user_id, link_hash, date)
        VALUES (-100, 2, 'keptkeptkeptkept', 1700000200), (-100, 3, '', 1700000300);
    )sql";
    ASSERT_NO_FATAL_FAILURE(CreateAtMigration(path, 1, rows));
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'updates'"), "0");

  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  const std::string kept = Dump(MakeUser(1)) + Dump(MakeChat(-100)) +
                           Dump(MakePrimary("keptkeptkeptkept", -100, 1)) +
                           Dump(MakeJoin(-100, 2, "keptkeptkeptkept", 1700000200)) +
                           Dump(MakeJoin(-100, 3, "", 1700000300));
  EXPECT_EQ(LoadDump(*store), kept);
  EXPECT_EQ(Query(path, "SELECT group_concat(via_join_request) FROM joins"), "0,0");

  // The new tables are there and take rows; new joins go after the old ones.
  Join approved = MakeJoin(-100, 4, "", 1700000400);
  approved.via_join_request = true;
  ASSERT_TRUE(SubmitAndWait(*store, Mut({approved, MakeJoinRequest(-100, 5), MakeBotSettings(1),
                                         ClockState{.offset = 1}, MakeUpdate(1, 1, -100)}))
                  .ok());
  EXPECT_EQ(LoadDump(*store), kept + Dump(approved) + Dump(MakeJoinRequest(-100, 5)) +
                                  Dump(ClockState{.offset = 1}) + Dump(MakeBotSettings(1)) +
                                  Dump(MakeUpdate(1, 1, -100)));
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok");
}

// Migration 0003 gives each present member the link of their latest join, if it is not older
// than their membership; others get ''.
TEST(SqliteStoreTest, Migration3BackfillsJoinedVia) {
  TempDir dir;
  const std::string path = dir.File("v2.db");
  {
    const char* rows = R"sql(
      INSERT INTO members (chat_id, user_id, status, joined) VALUES
        (-100, 2, 'member', 200), (-100, 3, 'member', 400), (-100, 4, 'left', 0);
      INSERT INTO joins (chat_id, user_id, link_hash, date) VALUES
        (-100, 2, 'old', 100), (-100, 2, 'latest', 200), (-100, 3, 'before', 300),
        (-100, 4, 'gone', 300);
    )sql";
    ASSERT_NO_FATAL_FAILURE(CreateAtMigration(path, 2, rows));
  }
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  EXPECT_EQ(Query(path,
                  "SELECT group_concat(joined_via, '|') FROM (SELECT joined_via FROM members "
                  "ORDER BY user_id)"),
            "latest||");
}

// Migration 0004 turns each invite link into its first version, in the old table's order, and
// fills the table of active primary links, whose primary key then refuses a second one.
TEST(SqliteStoreTest, Migration4KeepsEveryLinkAndItsOrder) {
  TempDir dir;
  const std::string path = dir.File("v3.db");
  {
    // Inserted out of hash order: the order of the rows is what must survive.
    const char* rows = R"sql(
      INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked,
                                creates_join_request, created) VALUES
        ('zzzzrevokedzzzzz', -100, 1, 1, 1, 0, 1700000100),
        ('mmmmactivemmmmmm', -100, 1, 1, 0, 0, 1700000200),
        ('aaaaotheradminaa', -100, 2, 1, 0, 0, 1700000300);
      INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked, name,
                                member_limit, creates_join_request, created) VALUES
        ('bbbbadditionalbb', -100, 1, 0, 0, 'extra', 5, 0, 1700000400);
    )sql";
    ASSERT_NO_FATAL_FAILURE(CreateAtMigration(path, 3, rows));
  }
  InviteLink extra;
  extra.hash = "bbbbadditionalbb";
  extra.chat = ChatId(-100);
  extra.creator = UserId(1);
  extra.name = "extra";
  extra.member_limit = 5;
  extra.created = 1700000400;
  InviteLink revoked = Revoked(MakePrimary("zzzzrevokedzzzzz", -100, 1));
  revoked.created = 1700000100;
  InviteLink active = MakePrimary("mmmmactivemmmmmm", -100, 1);
  active.created = 1700000200;
  InviteLink other = MakePrimary("aaaaotheradminaa", -100, 2);
  other.created = 1700000300;
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
    EXPECT_EQ(LoadDump(*store), Dump(revoked) + Dump(active) + Dump(other) + Dump(extra));
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'invite_links'"), "0");
  EXPECT_EQ(Query(path,
                  "SELECT group_concat(chat_id || ',' || creator_id || ',' || hash, ' ') FROM "
                  "(SELECT * FROM active_primary_links ORDER BY creator_id)"),
            "-100,1,mmmmactivemmmmmm -100,2,aaaaotheradminaa");
  // The migrated state still holds the rule: the old active link blocks a new one.
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(SubmitAndWait(*store, Mut({MakePrimary("newnewnewnewnew1", -100, 1)})).ok());
  EXPECT_TRUE(
      SubmitAndWait(*store, Mut({Revoked(active), MakePrimary("newnewnewnewnew1", -100, 1)})).ok());
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok");
}

// The rule "one active primary link per administrator and chat" is the schema's, not only the
// store code's: plain SQL against the database cannot break it either.
TEST(SqliteStoreTest, TheSchemaRefusesASecondActivePrimaryLink) {
  TempDir dir;
  const std::string path = dir.File("rule.db");
  { ASSERT_NE(MustOpen(path), nullptr); }
  const std::string insert =
      "INSERT INTO invite_link_versions (hash, chat_id, creator_id, is_primary, is_revoked, "
      "creates_join_request, created) VALUES ";
  EXPECT_EQ(Query(path, insert + "('first', -1, 1, 1, 0, 0, 1)"), "");
  EXPECT_EQ(Query(path, insert + "('second', -1, 1, 1, 0, 0, 2)"), "<error>");
  EXPECT_EQ(Query(path, insert + "('first', -1, 1, 1, 0, 0, 1)"), "");  // itself again
  EXPECT_EQ(Query(path, insert + "('other', -1, 2, 1, 0, 0, 2)"), "");  // another admin
  EXPECT_EQ(Query(path, insert + "('extra', -1, 1, 0, 0, 0, 2)"), "");  // not primary
  EXPECT_EQ(Query(path, insert + "('first', -1, 1, 1, 1, 0, 1)"), "");  // revoked
  EXPECT_EQ(Query(path, insert + "('second', -1, 1, 1, 0, 0, 2)"), "");
  EXPECT_EQ(Query(path,
                  "SELECT group_concat(hash, ' ') FROM "
                  "(SELECT hash FROM active_primary_links ORDER BY creator_id)"),
            "second other");
  EXPECT_EQ(Query(path, "SELECT count(*) FROM invite_link_versions"), "6");
}

// Runs `sql` (one or more statements) on a connection of its own; returns "" or SQLite's error.
std::string ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    error = "cannot open";
  } else if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
  }
  sqlite3_close(db);
  return error;
}

// A database left by a binary that knew migrations 0001-0004: opening it adds the conversation
// tables (0005), keeps every row, and the new records then round-trip through a reopen.
TEST(SqliteStoreTest, Migration5AddsTheConversationTablesToA0004Database) {
  TempDir dir;
  const std::string path = dir.File("v4.db");
  {
    const char* rows = R"sql(
      INSERT INTO users (id, is_bot, first_name, is_premium) VALUES (1, 0, 'User 1', 0);
      INSERT INTO chats (id, type, title, created) VALUES (-100, 'supergroup', 'Chat -100',
                                                           1700000000);
      INSERT INTO invite_link_versions (hash, chat_id, creator_id, is_primary, is_revoked,
                                        creates_join_request, created)
        VALUES ('keptkeptkeptkept', -100, 1, 1, 0, 0, 1700000100);
      INSERT INTO bot_update_settings (bot_id, allowed_updates, next_update_id, max_connections)
        VALUES (7, 33554431, 1, 40);
      INSERT INTO updates (bot_id, update_id, date, type, chat_id, json)
        VALUES (7, 1, 1700000401, 12, -100, '{"update_id":1,"chat_member":{}}');
    )sql";
    ASSERT_NO_FATAL_FAILURE(CreateAtMigration(path, 4, rows));
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'message_versions'"), "0");
  BotUpdateSettings settings = MakeBotSettings(7);
  const std::string kept = Dump(MakeUser(1)) + Dump(MakeChat(-100)) +
                           Dump(MakePrimary("keptkeptkeptkept", -100, 1)) + Dump(settings) +
                           Dump(MakeUpdate(7, 1, -100));
  Message message = MakeMessage(-100, 0, 1);
  message.text.entities = {Entity{.type = EntityType::kBold, .offset = 0, .length = 7}};
  message.callback_data = {"a", "b"};
  Message service = MakeMessage(-100, 0, 2);
  service.kind = MessageKind::kNewChatMembers;
  service.users = {UserId(1)};
  Message private_message = MakeMessage(1, 7, 1);
  CallbackQuery query = MakeCallbackQuery(1);
  query.answered = true;
  const std::string added = Dump(message) + Dump(service) + Dump(private_message) +
                            Dump(MakePrivateChat(1, 7)) + Dump(query) +
                            Dump(MakeProfileEntry(7, "name/en", "Bot"));
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
    EXPECT_EQ(LoadDump(*store), kept);
    ASSERT_TRUE(SubmitAndWait(*store, Mut({message, service, private_message, MakePrivateChat(1, 7),
                                           MakeCallbackQuery(1), query,
                                           MakeProfileEntry(7, "name/en", "Bot")}))
                    .ok());
  }
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(LoadDump(*store), kept + added);
  for (const char* table :
       {"message_versions", "private_chats", "callback_queries", "bot_profile"}) {
    EXPECT_EQ(
        Query(path, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") + table + "'"),
        "1")
        << table;
  }
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok");
}

// A database left by a binary that knew migrations 0001-0009 (no reply keyboards kept): opening
// it adds message_versions.reply_keyboard (0010), its old messages load with none, and a message
// with a reply keyboard then round-trips through a reopen.
TEST(SqliteStoreTest, Migration10AddsReplyKeyboardsToA0009Database) {
  TempDir dir;
  const std::string path = dir.File("v9.db");
  {
    const char* rows = R"sql(
      INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind, text,
                                    inline_keyboard)
        VALUES (5, 7, 1, 7, 1700000000, 0, 'old', '{"inline_keyboard":[]}');
    )sql";
    ASSERT_NO_FATAL_FAILURE(CreateAtMigration(path, 9, rows));
  }
  EXPECT_EQ(Query(path,
                  "SELECT count(*) FROM pragma_table_info('message_versions') WHERE name = "
                  "'reply_keyboard'"),
            "0");
  Message old = MakeMessage(5, 7, 1);
  old.from = UserId(7);
  old.date = 1700000000;
  old.text.text = "old";
  old.inline_keyboard = R"({"inline_keyboard":[]})";
  Message sent = MakeMessage(5, 7, 2);
  sent.reply_keyboard = R"({"keyboard":[[{"text":"Yes ✓"}]],"one_time_keyboard":true})";
  Message removed = MakeMessage(5, 7, 3);
  removed.reply_keyboard = R"({"remove_keyboard":true})";
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
    EXPECT_EQ(LoadDump(*store), Dump(old));
    ASSERT_TRUE(SubmitAndWait(*store, Mut({sent, removed})).ok());
  }
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(LoadDump(*store), Dump(old) + Dump(sent) + Dump(removed));
  EXPECT_EQ(Query(path,
                  "SELECT group_concat(id || '=' || reply_keyboard, ' ') FROM (SELECT id, "
                  "reply_keyboard FROM message_versions ORDER BY seq)"),
            "1= 2={\"keyboard\":[[{\"text\":\"Yes ✓\"}]],\"one_time_keyboard\":true} "
            "3={\"remove_keyboard\":true}");
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok");
}

// Every write of a message appends a row; the keyed tables hold one row per key; and nothing
// indexes message_versions besides its rowid.
TEST(SqliteStoreTest, MessageVersionsAreAppendedAndKeyedRecordsAreNot) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  Message first = MakeMessage(-100, 0, 1);
  Message second = MakeMessage(-100, 0, 2);
  Message edited = first;
  edited.text.text = "edited";
  edited.edit_date = 1700000900;
  Message deleted = edited;
  deleted.Set(MessageFlag::kDeleted, true);
  ASSERT_TRUE(SubmitAndWait(*store, Mut({first, second})).ok());
  ASSERT_TRUE(SubmitAndWait(*store, Mut({edited})).ok());
  ASSERT_TRUE(SubmitAndWait(*store, Mut({deleted})).ok());
  EXPECT_EQ(Query(path, "SELECT count(*) FROM message_versions"), "4");
  EXPECT_EQ(Query(path,
                  "SELECT group_concat(id || ':' || text, ' ') FROM "
                  "(SELECT id, text FROM message_versions ORDER BY seq)"),
            "1:message 1 2:message 2 1:edited 1:edited");
  EXPECT_EQ(LoadDump(*store), Dump(deleted) + Dump(second));
  EXPECT_EQ(Query(path,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                  "tbl_name = 'message_versions'"),
            "0");

  CallbackQuery query = MakeCallbackQuery(1);
  PrivateChat chat = MakePrivateChat(5, 7);
  ASSERT_TRUE(
      SubmitAndWait(*store, Mut({query, chat, MakeProfileEntry(7, "name/en", "Bot")})).ok());
  query.answered = true;
  chat.blocked = true;
  ASSERT_TRUE(
      SubmitAndWait(*store, Mut({query, chat, MakeProfileEntry(7, "name/en", "Renamed")})).ok());
  EXPECT_EQ(Query(path, "SELECT count(*) || ' ' || max(answered) FROM callback_queries"), "1 1");
  EXPECT_EQ(Query(path, "SELECT count(*) || ' ' || max(blocked) FROM private_chats"), "1 1");
  EXPECT_EQ(Query(path, "SELECT group_concat(value) FROM bot_profile"), "Renamed");
  ASSERT_TRUE(SubmitAndWait(*store, Mut({MakeProfileEntry(7, "name/en", "")})).ok());
  EXPECT_EQ(Query(path, "SELECT count(*) FROM bot_profile"), "0");
}

// A blob Load cannot decode fails Load, with an error naming the message and its row; so does a
// column of the wrong type or an unknown kind, written around the schema's checks. Superseded
// versions are decoded too: a damaged row anywhere means a damaged file.
TEST(SqliteStoreTest, ACorruptMessageRowFailsLoadNamingTheRow) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  Message group = MakeMessage(-100, 0, 7);
  group.text.entities = {Entity{.type = EntityType::kBold, .offset = 0, .length = 7}};
  group.callback_data = {"a"};
  group.users = {UserId(3)};
  Message group_edited = group;
  group_edited.edit_date = 1700000900;
  Message private_message = MakeMessage(5, 9, 3);
  ASSERT_TRUE(SubmitAndWait(*store, Mut({group, private_message, group_edited})).ok());
  const std::string good = LoadDump(*store);
  ASSERT_EQ(good, Dump(group_edited) + Dump(private_message));

  struct Case {
    int64_t row;
    std::string column, value, error;
  } cases[] = {
      {3, "entities", "X'02'", "entities: unknown format version 2 at byte 0"},
      {3, "entities", "X'0101150000000000'", "entities: unknown entity type 21 at byte 2"},
      {3, "callback_data", "X'0101056162'", "callback_data: truncated string at byte 3"},
      {3, "users", "X'0100'", "users: count of 0 (an empty list is an empty blob) at byte 1"},
      {3, "users", "X'01010600'", "users: unexpected bytes after the last item at byte 3"},
      {3, "users", "'text'", "users is not a blob"},
      {3, "kind", "7", "unknown kind 7"},
      {1, "entities", "X'01'", "entities: truncated at byte 1"},  // a superseded version
  };
  ASSERT_EQ(ExecSql(path, "CREATE TABLE saved AS SELECT * FROM message_versions"), "");
  const std::string prefix = "sqlite store " + path + ": ";
  for (const Case& c : cases) {
    const std::string where = " WHERE seq = " + std::to_string(c.row);
    ASSERT_EQ(ExecSql(path, "PRAGMA ignore_check_constraints = ON; UPDATE message_versions SET " +
                                c.column + " = " + c.value + where),
              "")
        << c.column;
    EXPECT_EQ(LoadDump(*store), "LOAD FAILED: " + prefix + "message 7 of chat -100 " +
                                    "(message_versions row " + std::to_string(c.row) +
                                    "): " + c.error);
    ASSERT_EQ(ExecSql(path,
                      "DELETE FROM message_versions; "
                      "INSERT INTO message_versions SELECT * FROM saved"),
              "");  // put back as it was
    ASSERT_EQ(LoadDump(*store), good);
  }
  // A private chat's message is named with its bot.
  ASSERT_EQ(ExecSql(path, "UPDATE message_versions SET callback_data = X'01' WHERE seq = 2"), "");
  EXPECT_EQ(LoadDump(*store), "LOAD FAILED: " + prefix +
                                  "message 3 of chat 5 with bot 9 (message_versions row 2): "
                                  "callback_data: truncated at byte 1");
}

// The invariants of the new tables are the schema's: plain SQL cannot break them either.
TEST(SqliteStoreTest, TheSchemaHoldsTheConversationInvariants) {
  TempDir dir;
  const std::string path = dir.File("rule.db");
  { ASSERT_NE(MustOpen(path), nullptr); }
  const std::string message =
      "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind";
  EXPECT_EQ(ExecSql(path, message + ") VALUES (-1, 0, 1, 1, 5, 0)"), "");
  EXPECT_EQ(ExecSql(path, message + ") VALUES (5, 7, 1, 5, 5, 2)"), "");
  EXPECT_EQ(ExecSql(path, message + ") VALUES (-1, 0, 1, 1, 5, 0)"), "");  // a second version
  EXPECT_NE(ExecSql(path, message + ") VALUES (5, 0, 1, 5, 5, 0)"), "");   // private, no bot
  EXPECT_NE(ExecSql(path, message + ") VALUES (-1, 7, 1, 1, 5, 0)"), "");  // group, with a bot
  EXPECT_NE(ExecSql(path, message + ") VALUES (0, 0, 1, 1, 5, 0)"), "");
  EXPECT_NE(ExecSql(path, message + ") VALUES (-1, 0, 0, 1, 5, 0)"), "");
  EXPECT_EQ(ExecSql(path, message + ") VALUES (-1, 0, 2, 1, 5, 3)"), "");  // pinned (0006)
  EXPECT_EQ(ExecSql(path, message + ") VALUES (-1, 0, 3, 1, 5, 5)"), "");  // upgrade (0008)
  EXPECT_NE(ExecSql(path, message + ") VALUES (-1, 0, 1, 1, 5, 6)"), "");
  EXPECT_NE(ExecSql(path, message + ", flags) VALUES (-1, 0, 1, 1, 5, 0, 4294967296)"), "");
  EXPECT_NE(ExecSql(path, message + ", flags) VALUES (-1, 0, 1, 1, 5, 0, -1)"), "");
  EXPECT_NE(ExecSql(path, message + ", entities) VALUES (-1, 0, 1, 1, 5, 0, '')"), "");
  EXPECT_NE(ExecSql(path, message + ", users) VALUES (-1, 0, 1, 1, 5, 0, NULL)"), "");
  EXPECT_EQ(Query(path, "SELECT count(*) FROM message_versions"), "5");

  const std::string query =
      "INSERT INTO callback_queries (id, bot_id, from_id, chat_id, message_id, date, answered, "
      "show_alert, answer_text) VALUES ";
  EXPECT_EQ(ExecSql(path, query + "(1, 7, 5, -1, 1, 5, 0, 0, '')"), "");
  EXPECT_EQ(ExecSql(path, query + "(2, 7, 5, -1, 1, 5, 1, 1, 'ok')"), "");
  EXPECT_NE(ExecSql(path, query + "(1, 7, 5, -1, 1, 5, 0, 0, '')"), "");       // the id is the key
  EXPECT_NE(ExecSql(path, query + "(3, 7, 5, -1, 1, 5, 0, 0, 'early')"), "");  // not answered
  EXPECT_NE(ExecSql(path, query + "(0, 7, 5, -1, 1, 5, 0, 0, '')"), "");
  EXPECT_EQ(Query(path, "SELECT count(*) FROM callback_queries"), "2");

  EXPECT_NE(ExecSql(path, "INSERT INTO private_chats VALUES (0, 7, 1, 0, 0)"), "");
  EXPECT_NE(ExecSql(path, "INSERT INTO private_chats VALUES (5, 7, 2, 0, 0)"), "");
  EXPECT_EQ(ExecSql(path, "INSERT INTO private_chats VALUES (5, 7, 1, 0, 0)"), "");
  EXPECT_NE(ExecSql(path, "INSERT INTO bot_profile VALUES (7, 'name/en', '')"), "");
  EXPECT_NE(ExecSql(path, "INSERT INTO bot_profile VALUES (7, '', 'x')"), "");
  EXPECT_NE(ExecSql(path, "INSERT INTO bot_profile VALUES (0, 'name/en', 'x')"), "");
  EXPECT_EQ(ExecSql(path, "INSERT INTO bot_profile VALUES (7, 'name/en', 'x')"), "");
  EXPECT_NE(ExecSql(path, "INSERT INTO bot_profile VALUES (7, 'name/en', 'y')"), "");  // the key
}

TEST(SqliteStoreTest, ANewDatabaseHas1KiBPagesAndAnOldOneKeepsItsOwn) {
  TempDir dir;
  const std::string fresh = dir.File("new.db");
  { ASSERT_NE(MustOpen(fresh), nullptr); }
  EXPECT_EQ(Query(fresh, "PRAGMA page_size"), "1024");

  // A database made before, with 4 KiB pages, keeps them and works.
  const std::string old = dir.File("old.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(old.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA page_size=4096; CREATE TABLE t (x)", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  {
    auto store = MustOpen(old);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(SubmitAndWait(*store, Mut({MakeUser(1)})).ok());
  }
  EXPECT_EQ(Query(old, "PRAGMA page_size"), "4096");
  EXPECT_EQ(Query(old, "SELECT count(*) FROM users"), "1");
}

// Commits `n` mutations one at a time (each its own transaction), then closes the store and
// checks on a new one that all of them are there.

TEST(SqliteStoreTest, UsesWal) {
  TempDir dir;
  auto store = MustOpen(dir.File("store.db"));
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Query(dir.File("store.db"), "PRAGMA journal_mode"), "wal");
}

TEST(SqliteStoreTest, MigrationsAreIdempotent) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  const int latest = static_cast<int>(sqlite_internal::EmbeddedMigrations().size());
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), latest);
  }
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), latest);
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM schema_migrations"), std::to_string(latest));
  EXPECT_EQ(Query(path, "SELECT max(version) FROM schema_migrations"), std::to_string(latest));
}

TEST(SqliteStoreTest, RefusesDatabaseFromTheFuture) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  { ASSERT_NE(MustOpen(path), nullptr); }
  const int future = static_cast<int>(sqlite_internal::EmbeddedMigrations().size()) + 1;
  Query(path, "INSERT INTO schema_migrations VALUES (" + std::to_string(future) + ", 0)");
  auto store = SqliteStore::Open({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find(std::to_string(future)), std::string::npos);
}

TEST(SqliteStoreTest, OpenErrorNamesThePath) {
  auto store = SqliteStore::Open({.path = "/nonexistent-dir/sub/x.db"});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("/nonexistent-dir/sub/x.db"), std::string::npos)
      << store.error().message;
  EXPECT_FALSE(SqliteStore::Open({.path = ""}).ok());
}

}  // namespace
}  // namespace tgi::store
