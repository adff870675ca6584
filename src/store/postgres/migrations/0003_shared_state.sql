-- State the instances of a cluster share besides the world (docs/postgresql-design.md, "Shared
-- state"): the Bot API's guards, flood control's counters and the control plane's faults, which
-- one instance keeps in memory only. Each entry is one key's latest value, written by the round
-- that changed it and caught up on like the world's rows (change_seq); an empty value is an entry
-- that no longer holds anything. Rounds that write only these are committed without waiting for
-- the flush: like one instance's memory, this state may be lost in a crash.
CREATE TABLE shared_state (
  key TEXT PRIMARY KEY CHECK (key <> ''),
  value BYTEA NOT NULL,
  change_seq BIGINT NOT NULL DEFAULT tgi_change_seq()
);
CREATE INDEX shared_state_change_seq ON shared_state (change_seq);
