-- Conversations (src/domain/model.h: Message, PrivateChat, CallbackQuery, BotProfileEntry).
-- Same conventions as 0001_init.sql. Nothing to migrate: the tables start empty.

-- Messages are an append-only log of versions, as invite links are since 0004: a new message
-- and every change of one (edit, deletion, new keyboard) append the message's whole state. A
-- message is its latest version, and messages are loaded in the order of their first version.
-- Sending a message into one of many chats then appends a row at the end of one B-tree, where a
-- table keyed by (chat_id, bot_id, id) would insert into a random page of a B-tree that grows
-- with every message, and those pages would dominate the WAL. No secondary index: the key is not
-- unique here (a message has many versions), the domain never gives an id twice (a deleted
-- message keeps its record, flagged), and Load reads the log in order.
--
-- The lists of a message are compact BLOBs, in the format of src/store/sqlite/message_blobs.h
-- (a version byte, a count, LEB128 integers; an empty list is an empty blob): entities
-- (text.entities), callback_data and users.
CREATE TABLE message_versions (
  seq INTEGER PRIMARY KEY,  -- rowid, in the order the versions were written
  -- The message's key. A private chat's messages: chat_id is the user's id and bot_id the bot's;
  -- a group's, supergroup's or channel's: chat_id is the chat's (negative) id and bot_id 0.
  chat_id INTEGER NOT NULL CHECK (chat_id <> 0),
  bot_id INTEGER NOT NULL,
  id INTEGER NOT NULL CHECK (id >= 1),
  from_id INTEGER NOT NULL CHECK (from_id >= 0),  -- 0 for a channel post
  date INTEGER NOT NULL,
  edit_date INTEGER NOT NULL DEFAULT 0 CHECK (edit_date >= 0),  -- 0: never edited
  -- enum MessageKind: the kinds this migration knows. A kind appended to the enum needs a
  -- migration that widens this check.
  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
  text TEXT NOT NULL DEFAULT '',
  entities BLOB NOT NULL DEFAULT X'' CHECK (typeof(entities) = 'blob'),
  reply_to INTEGER NOT NULL DEFAULT 0 CHECK (reply_to >= 0),  -- 0: none
  inline_keyboard TEXT NOT NULL DEFAULT '',  -- the JSON object the message echoes; '' for none
  callback_data BLOB NOT NULL DEFAULT X'' CHECK (typeof(callback_data) = 'blob'),
  -- Bits of enum MessageFlag; any of the 32, so that a flag appended later needs no migration.
  flags INTEGER NOT NULL DEFAULT 0 CHECK (flags >= 0 AND flags <= 4294967295),
  link_preview_url TEXT NOT NULL DEFAULT '',
  forward_from INTEGER NOT NULL DEFAULT 0 CHECK (forward_from >= 0),            -- 0: none
  forward_from_chat INTEGER NOT NULL DEFAULT 0 CHECK (forward_from_chat <= 0),  -- a channel
  forward_from_message_id INTEGER NOT NULL DEFAULT 0 CHECK (forward_from_message_id >= 0),
  forward_date INTEGER NOT NULL DEFAULT 0,  -- 0: not forwarded
  users BLOB NOT NULL DEFAULT X'' CHECK (typeof(users) = 'blob'),
  CONSTRAINT private_chats_name_their_bot CHECK (
    (chat_id > 0 AND bot_id > 0) OR (chat_id < 0 AND bot_id = 0))
);

-- Whether a bot may write to a user. Small and keyed: upserted on (user, bot).
CREATE TABLE private_chats (
  user_id INTEGER NOT NULL CHECK (user_id > 0),
  bot_id INTEGER NOT NULL CHECK (bot_id > 0),
  started INTEGER NOT NULL CHECK (started IN (0, 1)),
  blocked INTEGER NOT NULL CHECK (blocked IN (0, 1)),
  contact_until INTEGER NOT NULL DEFAULT 0 CHECK (contact_until >= 0),  -- 0: no window
  PRIMARY KEY (user_id, bot_id)
) WITHOUT ROWID;

-- Callback queries, upserted on id: a row is written when the user presses the button and
-- rewritten when the bot answers. A keyed table rather than a log of versions: the id is the
-- rowid (no index besides the table), and ids are given in increasing order, so a press appends
-- at the end of the B-tree and its answer, which comes soon after, rewrites a row on one of the
-- last pages, which the presses are writing anyway. A log would write each query twice and keep
-- both versions for good.
CREATE TABLE callback_queries (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  bot_id INTEGER NOT NULL CHECK (bot_id > 0),   -- the bot whose message has the button
  from_id INTEGER NOT NULL CHECK (from_id > 0),  -- the user who pressed it
  chat_id INTEGER NOT NULL CHECK (chat_id <> 0),  -- the message's (a user's id: private)
  message_id INTEGER NOT NULL CHECK (message_id >= 1),
  data TEXT NOT NULL DEFAULT '',
  date INTEGER NOT NULL,
  answered INTEGER NOT NULL CHECK (answered IN (0, 1)),
  answer_text TEXT NOT NULL DEFAULT '',
  show_alert INTEGER NOT NULL CHECK (show_alert IN (0, 1)),
  answer_url TEXT NOT NULL DEFAULT '',
  cache_time INTEGER NOT NULL DEFAULT 0 CHECK (cache_time >= 0),
  CONSTRAINT no_answer_before_answered CHECK (
    answered = 1 OR (answer_text = '' AND show_alert = 0 AND answer_url = '' AND cache_time = 0))
);

-- A bot's profile (commands, name, descriptions, menu button), one row per key. Upserted on
-- (bot, key); an entry whose value becomes empty is deleted, so no value is ever empty.
CREATE TABLE bot_profile (
  bot_id INTEGER NOT NULL CHECK (bot_id > 0),
  key TEXT NOT NULL CHECK (key <> ''),
  value TEXT NOT NULL CHECK (value <> ''),
  PRIMARY KEY (bot_id, key)
) WITHOUT ROWID;
