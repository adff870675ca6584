-- Join requests, the controllable clock, and bots' update queues (src/domain/model.h:
-- JoinRequest, ClockState, BotUpdateSettings, Update). Same conventions as 0001_init.sql.

-- Existing joins were all made directly through a link.
ALTER TABLE joins ADD COLUMN via_join_request INTEGER NOT NULL DEFAULT 0
  CHECK (via_join_request IN (0, 1));

-- One request per (chat, user): a new request replaces the previous, handled one.
CREATE TABLE join_requests (
  chat_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  link_hash TEXT NOT NULL DEFAULT '',  -- '' when asked without a link
  date INTEGER NOT NULL,
  bio TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined', 'withdrawn')),
  decided INTEGER NOT NULL DEFAULT 0,  -- when it left 'pending'
  CONSTRAINT decided_unless_pending CHECK ((state = 'pending') = (decided = 0)),
  PRIMARY KEY (chat_id, user_id)
);

-- The server's clock: real time plus offset seconds. A single row; none means offset 0.
CREATE TABLE clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  offset INTEGER NOT NULL CHECK (offset >= 0)
);

-- The clock never goes back.
CREATE TRIGGER clock_never_goes_back BEFORE UPDATE OF offset ON clock
  WHEN NEW.offset < OLD.offset
BEGIN
  SELECT RAISE(ABORT, 'the clock never goes back');
END;

CREATE TABLE bot_update_settings (
  bot_id INTEGER PRIMARY KEY CHECK (bot_id > 0),
  allowed_updates INTEGER NOT NULL
    CHECK (allowed_updates >= 0 AND allowed_updates <= 4294967295),  -- mask of enum UpdateType
  next_update_id INTEGER NOT NULL CHECK (next_update_id >= 1),
  webhook_url TEXT NOT NULL DEFAULT '',  -- '' when the bot uses getUpdates
  webhook_secret TEXT NOT NULL DEFAULT '',
  max_connections INTEGER NOT NULL CHECK (max_connections BETWEEN 1 AND 100000),
  webhook_ip_address TEXT NOT NULL DEFAULT ''
);

-- Updates waiting for their bot. Only inserted (ids never repeat) and deleted below an id.
CREATE TABLE updates (
  bot_id INTEGER NOT NULL CHECK (bot_id > 0),
  update_id INTEGER NOT NULL CHECK (update_id > 0),
  date INTEGER NOT NULL,
  type INTEGER NOT NULL CHECK (type >= 0),  -- enum UpdateType
  chat_id INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (bot_id, update_id)
) WITHOUT ROWID;
