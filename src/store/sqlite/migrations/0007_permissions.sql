-- ChatPermissions (restrictChatMember, setChatPermissions): a bit set of enum
-- domain::Permission, bit i for the permission of value i (src/domain/model.h).
--
-- A restricted member's own permissions; 0 (everything forbidden) for every other status, and
-- for the restricted members stored before this migration, who had every permission false.
ALTER TABLE members ADD COLUMN permissions INTEGER NOT NULL DEFAULT 0
  CHECK (permissions >= 0 AND permissions <= 4294967295);

-- A chat's default permissions. 10239 is Permissions::ChatDefaults() (send messages, the six
-- media kinds, polls, other messages, link previews, reactions and invite users; not edit tag,
-- change info, pin, manage topics), what every chat had before this migration; model_test checks
-- that the two agree.
ALTER TABLE chats ADD COLUMN permissions INTEGER NOT NULL DEFAULT 10239
  CHECK (permissions >= 0 AND permissions <= 4294967295);
