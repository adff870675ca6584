-- Invite links become an append-only log of versions. Every change of a link appends its whole
-- new state; a link is its latest version, and links are listed in the order of their first
-- version. Rotating a primary link then appends two rows at the end of one B-tree, instead of
-- updating the old link's row and inserting the new hash into a B-tree ordered by hash: both of
-- those touch a random page of a table that grows with every link, and those pages dominated
-- the WAL and the writer's reads (one page read and ~3 KiB of WAL per rotation).
--
-- The hash is no longer unique in the schema (a link has many versions); the domain draws
-- 96 random bits per hash and refuses one it already knows. Superseded versions are kept: the
-- log grows by two rows (about 150 bytes) per rotation, where the old table grew by one row and
-- its index entries.
CREATE TABLE invite_link_versions (
  seq INTEGER PRIMARY KEY,  -- rowid, in the order the versions were written
  hash TEXT NOT NULL CHECK (hash <> ''),
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

-- The active (not revoked) primary link of each administrator in each chat: at most one, by the
-- primary key. The triggers below keep it equal to the latest versions, so a version that would
-- make a second active primary link for the same chat and administrator fails. A link keeps the
-- chat and creator of its first version (the domain never changes them).
CREATE TABLE active_primary_links (
  chat_id INTEGER NOT NULL,
  creator_id INTEGER NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (chat_id, creator_id)
) WITHOUT ROWID;

INSERT INTO invite_link_versions (hash, chat_id, creator_id, is_primary, is_revoked, name,
                                  expire_date, member_limit, creates_join_request,
                                  subscription_period, subscription_price, created)
  SELECT hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date, member_limit,
         creates_join_request, subscription_period, subscription_price, created
  FROM invite_links ORDER BY rowid;

INSERT INTO active_primary_links (chat_id, creator_id, hash)
  SELECT chat_id, creator_id, hash FROM invite_links WHERE is_primary = 1 AND is_revoked = 0;

DROP TABLE invite_links;

-- A new version of a link replaces whatever the link's earlier versions said about it: the link
-- stops being an active primary link, and becomes one again if this version is one.
CREATE TRIGGER invite_link_version_written AFTER INSERT ON invite_link_versions
BEGIN
  DELETE FROM active_primary_links
    WHERE chat_id = NEW.chat_id AND creator_id = NEW.creator_id AND hash = NEW.hash;
  INSERT INTO active_primary_links (chat_id, creator_id, hash)
    SELECT NEW.chat_id, NEW.creator_id, NEW.hash WHERE NEW.is_primary = 1 AND NEW.is_revoked = 0;
END;
