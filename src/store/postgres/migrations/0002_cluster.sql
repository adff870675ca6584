-- Several tginvited instances on one database (docs/postgresql-design.md). Each instance keeps
-- the whole world in memory; a write runs in a round that holds the cluster's write lock (an
-- advisory lock, postgres_store.h), and a round's writes are one numbered change. Every row
-- records the change that last wrote it (change_seq, from the transaction's setting
-- tgi.change_seq, 0 outside a round), so that an instance catches up on other instances'
-- changes by reading the rows with change_seq above the last change it has; the changes table
-- keeps what rows cannot show: deletions.

CREATE TABLE cluster_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_change BIGINT NOT NULL CHECK (last_change >= 0),
  -- The latest time (Unix milliseconds, the world's: clock plus offset) a round that wrote
  -- used: a later round, on any instance, uses no earlier time, whatever its own clock says.
  last_now_ms BIGINT NOT NULL DEFAULT 0 CHECK (last_now_ms >= 0)
);
INSERT INTO cluster_head (id, last_change) VALUES (1, 0);

-- The head only moves forward.
CREATE FUNCTION cluster_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_change <= OLD.last_change OR NEW.last_now_ms < OLD.last_now_ms THEN
    RAISE EXCEPTION 'the cluster head only moves forward';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cluster_head_moves_forward BEFORE UPDATE ON cluster_head
  FOR EACH ROW EXECUTE FUNCTION cluster_head_moves_forward();

-- One row per change, numbered without gaps. `deletions`: the ops of the change that remove
-- rows (DropUpdates, a bot profile entry's removal, a lifted sender chat ban), one per line, in
-- the format of postgres_store.cc (EncodeDeletions).
CREATE TABLE changes (
  seq BIGINT PRIMARY KEY CHECK (seq >= 1),
  deletions TEXT NOT NULL DEFAULT '',
  committed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE FUNCTION tgi_change_seq() RETURNS BIGINT LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('tgi.change_seq', true), '')::BIGINT, 0)
$$;

ALTER TABLE users ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE bots ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE chats ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE members ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE invite_links ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE joins ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE join_requests ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE clock ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE bot_update_settings ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE updates ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE messages ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE private_chats ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE callback_queries ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE bot_profile ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();
ALTER TABLE sender_chat_bans ADD COLUMN change_seq BIGINT NOT NULL DEFAULT tgi_change_seq();

CREATE INDEX users_change_seq ON users (change_seq);
CREATE INDEX bots_change_seq ON bots (change_seq);
CREATE INDEX chats_change_seq ON chats (change_seq);
CREATE INDEX members_change_seq ON members (change_seq);
CREATE INDEX invite_links_change_seq ON invite_links (change_seq);
CREATE INDEX joins_change_seq ON joins (change_seq);
CREATE INDEX join_requests_change_seq ON join_requests (change_seq);
CREATE INDEX bot_update_settings_change_seq ON bot_update_settings (change_seq);
CREATE INDEX updates_change_seq ON updates (change_seq);
CREATE INDEX messages_change_seq ON messages (change_seq);
CREATE INDEX private_chats_change_seq ON private_chats (change_seq);
CREATE INDEX callback_queries_change_seq ON callback_queries (change_seq);
CREATE INDEX bot_profile_change_seq ON bot_profile (change_seq);
CREATE INDEX sender_chat_bans_change_seq ON sender_chat_bans (change_seq);

-- Webhooks are delivered by one instance at a time: the holder of this lease, which renews it
-- while it lives. Another instance takes it over once it has expired, with the next epoch.
CREATE TABLE delivery_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL DEFAULT '',  -- the instance's random id; '' before anyone held it
  epoch BIGINT NOT NULL DEFAULT 0 CHECK (epoch >= 0),
  expires_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
INSERT INTO delivery_lease (id) VALUES (1);
