-- The world of tginvite, in the domain's terms (src/domain/model.h).
-- Booleans are INTEGER 0/1; times are Unix seconds; Rights is the bitmask of enum Right.
-- No foreign keys: the domain owns referential integrity, and a deferred foreign-key failure
-- would only surface at COMMIT, failing a whole group-commit batch instead of one mutation.

CREATE TABLE users (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  is_bot INTEGER NOT NULL CHECK (is_bot IN (0, 1)),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL DEFAULT '',
  username TEXT NOT NULL DEFAULT '',
  language_code TEXT NOT NULL DEFAULT '',
  is_premium INTEGER NOT NULL CHECK (is_premium IN (0, 1))
);

CREATE TABLE bots (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  -- SHA-256 of the token; the token itself is never stored.
  token_sha256 BLOB NOT NULL CHECK (typeof(token_sha256) = 'blob' AND length(token_sha256) = 32),
  can_join_groups INTEGER NOT NULL CHECK (can_join_groups IN (0, 1)),
  can_read_all_group_messages INTEGER NOT NULL CHECK (can_read_all_group_messages IN (0, 1)),
  supports_inline_queries INTEGER NOT NULL CHECK (supports_inline_queries IN (0, 1)),
  supports_guest_queries INTEGER NOT NULL CHECK (supports_guest_queries IN (0, 1)),
  can_connect_to_business INTEGER NOT NULL CHECK (can_connect_to_business IN (0, 1)),
  has_main_web_app INTEGER NOT NULL CHECK (has_main_web_app IN (0, 1)),
  has_topics_enabled INTEGER NOT NULL CHECK (has_topics_enabled IN (0, 1)),
  allows_users_to_create_topics INTEGER NOT NULL CHECK (allows_users_to_create_topics IN (0, 1)),
  can_manage_bots INTEGER NOT NULL CHECK (can_manage_bots IN (0, 1)),
  logged_out INTEGER NOT NULL CHECK (logged_out IN (0, 1))
);

CREATE TABLE chats (
  id INTEGER PRIMARY KEY CHECK (id < 0),
  type TEXT NOT NULL CHECK (type IN ('group', 'supergroup', 'channel')),
  title TEXT NOT NULL,
  username TEXT NOT NULL DEFAULT '',  -- without '@'; '' for a private chat
  description TEXT NOT NULL DEFAULT '',
  migrated_to INTEGER,                -- NULL unless the group was upgraded to a supergroup
  created INTEGER NOT NULL
);

-- A public username names one chat, whatever its case (NOCASE folds ASCII only).
CREATE UNIQUE INDEX chats_username ON chats (username COLLATE NOCASE) WHERE username <> '';

CREATE TABLE members (
  chat_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('creator', 'administrator', 'member', 'restricted', 'left', 'kicked')),
  rights INTEGER NOT NULL DEFAULT 0 CHECK (rights >= 0 AND rights <= 4294967295),
  custom_title TEXT NOT NULL DEFAULT '',
  until_date INTEGER NOT NULL DEFAULT 0,
  joined INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (chat_id, user_id)
);

-- Rows are never deleted, so rowid order is the order links were first recorded.
CREATE TABLE invite_links (
  hash TEXT PRIMARY KEY CHECK (hash <> ''),
  chat_id INTEGER NOT NULL,
  creator_id INTEGER NOT NULL,
  is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
  is_revoked INTEGER NOT NULL CHECK (is_revoked IN (0, 1)),
  name TEXT NOT NULL DEFAULT '',
  expire_date INTEGER NOT NULL DEFAULT 0 CHECK (expire_date >= 0),
  member_limit INTEGER NOT NULL DEFAULT 0 CHECK (member_limit >= 0),
  creates_join_request INTEGER NOT NULL CHECK (creates_join_request IN (0, 1)),
  subscription_period INTEGER NOT NULL DEFAULT 0 CHECK (subscription_period >= 0),
  subscription_price INTEGER NOT NULL DEFAULT 0 CHECK (subscription_price >= 0),
  created INTEGER NOT NULL,
  CONSTRAINT limit_or_join_request CHECK (member_limit = 0 OR creates_join_request = 0),
  CONSTRAINT primary_link_is_plain CHECK (
    is_primary = 0 OR (name = '' AND expire_date = 0 AND member_limit = 0 AND
                       creates_join_request = 0 AND subscription_period = 0 AND
                       subscription_price = 0))
);

-- One active primary link per (chat, administrator).
CREATE UNIQUE INDEX invite_links_one_active_primary ON invite_links (chat_id, creator_id)
  WHERE is_primary = 1 AND is_revoked = 0;

CREATE TABLE joins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  link_hash TEXT NOT NULL,
  date INTEGER NOT NULL
);
