// Internal to tginvite_store_sqlite: writing a Mutation's ops. The SQL of each kind of op and the
// binding of a record's fields to it; the transactions around them are SqliteStore's.
#pragma once

#include <sqlite3.h>

#include <string>

#include "common/result.h"
#include "domain/store.h"
#include "store/sqlite/sqlite_db.h"

namespace tgi::store::sqlite_internal {

// One statement per kind of op, prepared once on the write connection and reused by every write.
// A record (bot, user, chat, member, join request, clock, bot update settings, private chat,
// callback query, bot profile entry) is upserted on its key; an invite link's or a message's new
// state is appended as its latest version; joins and updates are inserted; DropUpdates deletes;
// a bot profile entry with an empty value is deleted (profile_delete); a sender chat ban is
// inserted while banned and deleted when lifted.
struct OpStatements {
  StmtPtr bot, user, chat, member, link, join;
  StmtPtr join_request, clock, bot_settings, update, drop_updates;
  StmtPtr message, private_chat, callback_query, profile_put, profile_delete;
  StmtPtr sender_chat_ban_put, sender_chat_ban_delete;
};

// Prepares every statement of OpStatements on `db`, as persistent statements.
Result<OpStatements> PrepareOpStatements(sqlite3* db);

// Binds the fields of `op`'s record to its statement in `stmts` and steps it, in the caller's
// transaction; the statement is then reset and its bindings cleared, whatever the outcome.
// Strings and blobs are bound without a copy: `op` must stay alive and unchanged meanwhile.
// A message's lists are encoded first (message_blobs.h); an entity type that cannot be encoded,
// a profile entry to delete with a bot or key the table could not hold, and a sender chat ban
// with a chat id that is not negative, fail here, as the schema's checks would.
Status ApplyOp(sqlite3* db, const OpStatements& stmts, const domain::Op& op);

// What `op` is about, for error messages: ids only, never a stored text.
std::string DescribeOp(const domain::Op& op);

}  // namespace tgi::store::sqlite_internal
