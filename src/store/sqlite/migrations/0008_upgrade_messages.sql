-- The service messages of a basic group's upgrade (spec bot-api-moderation.md 9.1): the old
-- group's migrate_to_chat_id and the new supergroup's migrate_from_chat_id are the new
-- MessageKinds kMigrateToChatId (4) and kMigrateFromChatId (5). They carry no column of their
-- own: the ids are the chats' (chats.migrated_to). This migration widens the kind check of
-- message_versions to take them.
--
-- As in 0006, SQLite cannot change a CHECK constraint in place, so the table is rebuilt with the
-- same columns and the rows copied with their seq.
CREATE TABLE message_versions_0008 (
  seq INTEGER PRIMARY KEY,
  chat_id INTEGER NOT NULL CHECK (chat_id <> 0),
  bot_id INTEGER NOT NULL,
  id INTEGER NOT NULL CHECK (id >= 1),
  from_id INTEGER NOT NULL CHECK (from_id >= 0),
  date INTEGER NOT NULL,
  edit_date INTEGER NOT NULL DEFAULT 0 CHECK (edit_date >= 0),
  -- enum MessageKind: text, new_chat_members, left_chat_member, pinned_message,
  -- migrate_to_chat_id, migrate_from_chat_id. A kind appended to the enum needs a migration that
  -- widens this check, as this one does.
  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3, 4, 5)),
  text TEXT NOT NULL DEFAULT '',
  entities BLOB NOT NULL DEFAULT X'' CHECK (typeof(entities) = 'blob'),
  -- The message replied to; for kind 3, the message pinned. 0: none.
  reply_to INTEGER NOT NULL DEFAULT 0 CHECK (reply_to >= 0),
  inline_keyboard TEXT NOT NULL DEFAULT '',
  callback_data BLOB NOT NULL DEFAULT X'' CHECK (typeof(callback_data) = 'blob'),
  flags INTEGER NOT NULL DEFAULT 0 CHECK (flags >= 0 AND flags <= 4294967295),
  link_preview_url TEXT NOT NULL DEFAULT '',
  forward_from INTEGER NOT NULL DEFAULT 0 CHECK (forward_from >= 0),
  forward_from_chat INTEGER NOT NULL DEFAULT 0 CHECK (forward_from_chat <= 0),
  forward_from_message_id INTEGER NOT NULL DEFAULT 0 CHECK (forward_from_message_id >= 0),
  forward_date INTEGER NOT NULL DEFAULT 0,
  users BLOB NOT NULL DEFAULT X'' CHECK (typeof(users) = 'blob'),
  CONSTRAINT private_chats_name_their_bot CHECK (
    (chat_id > 0 AND bot_id > 0) OR (chat_id < 0 AND bot_id = 0))
);

INSERT INTO message_versions_0008 (
  seq, chat_id, bot_id, id, from_id, date, edit_date, kind, text, entities, reply_to,
  inline_keyboard, callback_data, flags, link_preview_url, forward_from, forward_from_chat,
  forward_from_message_id, forward_date, users)
SELECT
  seq, chat_id, bot_id, id, from_id, date, edit_date, kind, text, entities, reply_to,
  inline_keyboard, callback_data, flags, link_preview_url, forward_from, forward_from_chat,
  forward_from_message_id, forward_date, users
FROM message_versions ORDER BY seq;

DROP TABLE message_versions;
ALTER TABLE message_versions_0008 RENAME TO message_versions;
