-- pgbench script (bench/pg_export.sh): the statements of one exportChatInviteLink in tginvited on
-- PostgreSQL (src/domain/world.cc ReplacePrimary, src/store/postgres/pg_write.cc tgi_op_link):
-- the bot's active primary link upserted as revoked, then the new primary link upserted, in one
-- transaction committed with synchronous_commit on. Client c rotates the link of chat
-- -1001000000001 - c - :chat_offset (its own chat: clients never wait on each other's rows). Link
-- hashes are 16-digit numbers :hash_base + c * 10^8 + n, where n counts this client's rotations
-- and persists between its transactions. pg_export.sh gives each pgbench run its own chat_offset
-- and hash_base (-D), starts n at 0 (-D n=0) and seeds each client's link n = 0 before the run.
-- change_seq is set as tgi_op_link sets it (EXCLUDED.change_seq: the column's default, 0 here,
-- where no cluster round sets tgi.change_seq); the rest of a cluster round (advisory lock,
-- cluster head, changes row, head update, NOTIFY) is not in this transaction.
\set n :n + 1
\set chat -1001000000001 - :client_id - :chat_offset
\set old :hash_base + :client_id * 100000000 + :n - 1
\set new :old + 1
\set now :epoch + :n
\set then :now - 1
BEGIN;
INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date,
                          member_limit, creates_join_request, subscription_period,
                          subscription_price, created)
VALUES (:old, :chat, :bot, true, true, '', 0, 0, false, 0, 0, :then)
ON CONFLICT (hash) DO UPDATE SET
  is_primary = EXCLUDED.is_primary,
  is_revoked = EXCLUDED.is_revoked,
  name = EXCLUDED.name,
  expire_date = EXCLUDED.expire_date,
  member_limit = EXCLUDED.member_limit,
  creates_join_request = EXCLUDED.creates_join_request,
  subscription_period = EXCLUDED.subscription_period,
  subscription_price = EXCLUDED.subscription_price,
  created = EXCLUDED.created,
  change_seq = EXCLUDED.change_seq;
INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date,
                          member_limit, creates_join_request, subscription_period,
                          subscription_price, created)
VALUES (:new, :chat, :bot, true, false, '', 0, 0, false, 0, 0, :now)
ON CONFLICT (hash) DO UPDATE SET
  is_primary = EXCLUDED.is_primary,
  is_revoked = EXCLUDED.is_revoked,
  name = EXCLUDED.name,
  expire_date = EXCLUDED.expire_date,
  member_limit = EXCLUDED.member_limit,
  creates_join_request = EXCLUDED.creates_join_request,
  subscription_period = EXCLUDED.subscription_period,
  subscription_price = EXCLUDED.subscription_price,
  created = EXCLUDED.created,
  change_seq = EXCLUDED.change_seq;
END;
