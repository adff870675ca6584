-- The invite link through which a member who is in the chat joined ('' if not through a link, or
-- not in the chat). member_limit counts the members each link brought in (src/domain/model.h).
ALTER TABLE members ADD COLUMN joined_via TEXT NOT NULL DEFAULT '';

-- Existing databases: a present member came through their latest join, if it is not older than
-- their membership.
UPDATE members SET joined_via = COALESCE((
  SELECT j.link_hash FROM joins j
  WHERE j.chat_id = members.chat_id AND j.user_id = members.user_id AND j.date >= members.joined
  ORDER BY j.id DESC LIMIT 1), '')
WHERE status IN ('creator', 'administrator', 'member', 'restricted');
