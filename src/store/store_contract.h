// The Store contract's fixture, shared by its test files (store_contract_test.cc: the world's
// records, the invariants and the mutation semantics; store_contract_conversation_test.cc:
// messages, private chats, callback queries, bot profiles, sender-chat bans). The suite is
// instantiated once, for every store, in store_contract_test.cc.
#pragma once

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
#include "store/postgres/pg_test_util.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_test_util.h"

namespace tgi::store::contract {

using ::tgi::store::MemoryStore;
using ::tgi::store::PostgresStore;
using ::tgi::store::SqliteStore;

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
using domain::SenderChatBan;
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
using testing::MakeSenderChatBan;
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
  // Why the store cannot run here ("" if it can): the test is then skipped, saying why, or fails
  // if `required` says so.
  std::function<std::string()> unavailable = [] { return std::string(); };
  std::function<bool()> required = [] { return false; };
};

// Names the store in gtest's messages, instead of dumping the struct's bytes.
inline void PrintTo(const StoreKind& kind, std::ostream* os) { *os << kind.name; }

class StoreContractTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (std::string why = GetParam().unavailable(); !why.empty()) {
      if (GetParam().required()) GTEST_FAIL() << why;
      GTEST_SKIP() << why;
    }
    store_ = GetParam().open(dir_);
    ASSERT_NE(store_, nullptr);
  }

  Status Submit(Mutation m) { return SubmitAndWait(*store_, std::move(m)); }
  std::string Loaded() { return LoadDump(*store_); }

  TempDir dir_;
  std::unique_ptr<domain::Store> store_;
};

}  // namespace tgi::store::contract
