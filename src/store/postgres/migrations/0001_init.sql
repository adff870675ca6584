-- The world of tginvite on PostgreSQL, in the domain's terms (src/domain/model.h): the same
-- records and invariants as the SQLite schema (src/store/sqlite/migrations/, at 0010), in one
-- migration because this store starts there. Times are Unix seconds; Rights and Permissions are
-- bit sets of their enums. Every record is keyed and upserted whole (ON CONFLICT DO UPDATE), as
-- the domain submits it; a seq column, set on the first insert and never changed, keeps the
-- order in which links, joins and messages were first recorded.
-- No foreign keys: the domain owns referential integrity (as on SQLite).

CREATE TABLE users (
  id BIGINT PRIMARY KEY CHECK (id > 0),
  is_bot BOOLEAN NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL DEFAULT '',
  username TEXT NOT NULL DEFAULT '',
  language_code TEXT NOT NULL DEFAULT '',
  is_premium BOOLEAN NOT NULL
);

CREATE TABLE bots (
  id BIGINT PRIMARY KEY CHECK (id > 0),
  -- SHA-256 of the token; the token itself is never stored.
  token_sha256 BYTEA NOT NULL CHECK (length(token_sha256) = 32),
  can_join_groups BOOLEAN NOT NULL,
  can_read_all_group_messages BOOLEAN NOT NULL,
  supports_inline_queries BOOLEAN NOT NULL,
  supports_guest_queries BOOLEAN NOT NULL,
  can_connect_to_business BOOLEAN NOT NULL,
  has_main_web_app BOOLEAN NOT NULL,
  has_topics_enabled BOOLEAN NOT NULL,
  allows_users_to_create_topics BOOLEAN NOT NULL,
  can_manage_bots BOOLEAN NOT NULL,
  logged_out BOOLEAN NOT NULL
);

CREATE TABLE chats (
  id BIGINT PRIMARY KEY CHECK (id < 0),
  type TEXT NOT NULL CHECK (type IN ('group', 'supergroup', 'channel')),
  title TEXT NOT NULL,
  username TEXT NOT NULL DEFAULT '',  -- without '@'; '' for a private chat
  description TEXT NOT NULL DEFAULT '',
  migrated_to BIGINT,                 -- NULL unless the group was upgraded to a supergroup
  created BIGINT NOT NULL,
  permissions BIGINT NOT NULL CHECK (permissions BETWEEN 0 AND 4294967295)
);

-- A public username names one chat, whatever its ASCII case: lower() under the "C" collation
-- folds ASCII letters only, as SQLite's NOCASE does, whatever the database's locale.
CREATE UNIQUE INDEX chats_username ON chats (lower(username COLLATE "C")) WHERE username <> '';

CREATE TABLE members (
  chat_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('creator', 'administrator', 'member', 'restricted', 'left', 'kicked')),
  rights BIGINT NOT NULL DEFAULT 0 CHECK (rights BETWEEN 0 AND 4294967295),
  custom_title TEXT NOT NULL DEFAULT '',
  until_date BIGINT NOT NULL DEFAULT 0,
  joined BIGINT NOT NULL DEFAULT 0,
  joined_via TEXT NOT NULL DEFAULT '',
  permissions BIGINT NOT NULL DEFAULT 0 CHECK (permissions BETWEEN 0 AND 4294967295),
  PRIMARY KEY (chat_id, user_id)
);

CREATE TABLE invite_links (
  hash TEXT PRIMARY KEY CHECK (hash <> ''),
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,  -- the order links were first recorded
  chat_id BIGINT NOT NULL,
  creator_id BIGINT NOT NULL,
  is_primary BOOLEAN NOT NULL,
  is_revoked BOOLEAN NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  expire_date BIGINT NOT NULL DEFAULT 0 CHECK (expire_date >= 0),
  member_limit INTEGER NOT NULL DEFAULT 0 CHECK (member_limit >= 0),
  creates_join_request BOOLEAN NOT NULL,
  subscription_period INTEGER NOT NULL DEFAULT 0 CHECK (subscription_period >= 0),
  subscription_price INTEGER NOT NULL DEFAULT 0 CHECK (subscription_price >= 0),
  created BIGINT NOT NULL,
  CONSTRAINT limit_or_join_request CHECK (member_limit = 0 OR NOT creates_join_request),
  CONSTRAINT primary_link_is_plain CHECK (
    NOT is_primary OR (name = '' AND expire_date = 0 AND member_limit = 0 AND
                       NOT creates_join_request AND subscription_period = 0 AND
                       subscription_price = 0))
);

-- One active primary link per (chat, administrator). Not deferrable: a rotation revokes the old
-- link before it writes the new one, and a second active primary link fails its statement.
CREATE UNIQUE INDEX invite_links_one_active_primary ON invite_links (chat_id, creator_id)
  WHERE is_primary AND NOT is_revoked;

CREATE TABLE joins (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the order joins were recorded
  chat_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  link_hash TEXT NOT NULL,
  date BIGINT NOT NULL,
  via_join_request BOOLEAN NOT NULL DEFAULT FALSE
);

-- One request per (chat, user): a new request replaces the previous, handled one.
CREATE TABLE join_requests (
  chat_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  link_hash TEXT NOT NULL DEFAULT '',  -- '' when asked without a link
  date BIGINT NOT NULL,
  bio TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined', 'withdrawn')),
  decided BIGINT NOT NULL DEFAULT 0,  -- when it left 'pending'
  CONSTRAINT decided_unless_pending CHECK ((state = 'pending') = (decided = 0)),
  PRIMARY KEY (chat_id, user_id)
);

-- The server's clock: real time plus offset_seconds. A single row; none means offset 0.
CREATE TABLE clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  offset_seconds BIGINT NOT NULL CHECK (offset_seconds >= 0)
);

CREATE FUNCTION clock_never_goes_back() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.offset_seconds < OLD.offset_seconds THEN
    RAISE EXCEPTION 'the clock never goes back';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER clock_never_goes_back BEFORE UPDATE ON clock
  FOR EACH ROW EXECUTE FUNCTION clock_never_goes_back();

CREATE TABLE bot_update_settings (
  bot_id BIGINT PRIMARY KEY CHECK (bot_id > 0),
  allowed_updates BIGINT NOT NULL CHECK (allowed_updates BETWEEN 0 AND 4294967295),
  next_update_id BIGINT NOT NULL CHECK (next_update_id >= 1),
  webhook_url TEXT NOT NULL DEFAULT '',  -- '' when the bot uses getUpdates
  webhook_secret TEXT NOT NULL DEFAULT '',
  max_connections INTEGER NOT NULL CHECK (max_connections BETWEEN 1 AND 100000),
  webhook_ip_address TEXT NOT NULL DEFAULT ''
);

-- Updates waiting for their bot. Only inserted (ids never repeat) and deleted below an id.
CREATE TABLE updates (
  bot_id BIGINT NOT NULL CHECK (bot_id > 0),
  update_id BIGINT NOT NULL CHECK (update_id > 0),
  date BIGINT NOT NULL,
  type INTEGER NOT NULL CHECK (type >= 0),  -- enum UpdateType
  chat_id BIGINT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (bot_id, update_id)
);

-- Messages, upserted on their key (chat_id, bot_id, id): a private chat's messages have the
-- user's id as chat_id and the bot's as bot_id; a group's, supergroup's or channel's the chat's
-- (negative) id and bot 0. The lists are BYTEA in the format of src/store/sqlite/message_blobs.h
-- (entities, callback_data, users); an empty list is an empty value.
CREATE TABLE messages (
  chat_id BIGINT NOT NULL CHECK (chat_id <> 0),
  bot_id BIGINT NOT NULL,
  id BIGINT NOT NULL CHECK (id >= 1),
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,  -- the order messages were first stored
  from_id BIGINT NOT NULL CHECK (from_id >= 0),  -- 0 for a channel post
  date BIGINT NOT NULL,
  edit_date BIGINT NOT NULL DEFAULT 0 CHECK (edit_date >= 0),  -- 0: never edited
  -- enum MessageKind: text, new_chat_members, left_chat_member, pinned_message,
  -- migrate_to_chat_id, migrate_from_chat_id. A kind appended to the enum needs a migration
  -- that widens this check.
  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 5),
  text TEXT NOT NULL DEFAULT '',
  entities BYTEA NOT NULL DEFAULT '',
  reply_to BIGINT NOT NULL DEFAULT 0 CHECK (reply_to >= 0),  -- for kind 3, the message pinned
  inline_keyboard TEXT NOT NULL DEFAULT '',  -- the JSON object the message echoes; '' for none
  callback_data BYTEA NOT NULL DEFAULT '',
  flags BIGINT NOT NULL DEFAULT 0 CHECK (flags BETWEEN 0 AND 4294967295),  -- enum MessageFlag
  link_preview_url TEXT NOT NULL DEFAULT '',
  forward_from BIGINT NOT NULL DEFAULT 0 CHECK (forward_from >= 0),            -- 0: none
  forward_from_chat BIGINT NOT NULL DEFAULT 0 CHECK (forward_from_chat <= 0),  -- a channel
  forward_from_message_id BIGINT NOT NULL DEFAULT 0 CHECK (forward_from_message_id >= 0),
  forward_date BIGINT NOT NULL DEFAULT 0,  -- 0: not forwarded
  users BYTEA NOT NULL DEFAULT '',
  reply_keyboard TEXT NOT NULL DEFAULT '',  -- the JSON object of a reply keyboard; '' for none
  CONSTRAINT private_chats_name_their_bot CHECK (
    (chat_id > 0 AND bot_id > 0) OR (chat_id < 0 AND bot_id = 0)),
  PRIMARY KEY (chat_id, bot_id, id)
);

-- Whether a bot may write to a user.
CREATE TABLE private_chats (
  user_id BIGINT NOT NULL CHECK (user_id > 0),
  bot_id BIGINT NOT NULL CHECK (bot_id > 0),
  started BOOLEAN NOT NULL,
  blocked BOOLEAN NOT NULL,
  contact_until BIGINT NOT NULL DEFAULT 0 CHECK (contact_until >= 0),  -- 0: no window
  PRIMARY KEY (user_id, bot_id)
);

-- Callback queries, upserted on id: written when the user presses the button and rewritten
-- when the bot answers.
CREATE TABLE callback_queries (
  id BIGINT PRIMARY KEY CHECK (id >= 1),
  bot_id BIGINT NOT NULL CHECK (bot_id > 0),    -- the bot whose message has the button
  from_id BIGINT NOT NULL CHECK (from_id > 0),  -- the user who pressed it
  chat_id BIGINT NOT NULL CHECK (chat_id <> 0),  -- the message's (a user's id: private)
  message_id BIGINT NOT NULL CHECK (message_id >= 1),
  data TEXT NOT NULL DEFAULT '',
  date BIGINT NOT NULL,
  answered BOOLEAN NOT NULL,
  answer_text TEXT NOT NULL DEFAULT '',
  show_alert BOOLEAN NOT NULL,
  answer_url TEXT NOT NULL DEFAULT '',
  cache_time INTEGER NOT NULL DEFAULT 0 CHECK (cache_time >= 0),
  CONSTRAINT no_answer_before_answered CHECK (
    answered OR (answer_text = '' AND NOT show_alert AND answer_url = '' AND cache_time = 0))
);

-- A bot's profile (commands, name, descriptions, menu button), one row per key; an entry whose
-- value becomes empty is deleted, so no value is ever empty.
CREATE TABLE bot_profile (
  bot_id BIGINT NOT NULL CHECK (bot_id > 0),
  key TEXT COLLATE "C" NOT NULL CHECK (key <> ''),
  value TEXT NOT NULL CHECK (value <> ''),
  PRIMARY KEY (bot_id, key)
);

-- The chats banned by banChatSenderChat: a row while the ban holds.
CREATE TABLE sender_chat_bans (
  chat_id BIGINT NOT NULL CHECK (chat_id < 0),
  sender_chat_id BIGINT NOT NULL CHECK (sender_chat_id < 0),
  PRIMARY KEY (chat_id, sender_chat_id)
);
