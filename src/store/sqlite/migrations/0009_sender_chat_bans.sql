-- The chats banned by banChatSenderChat (spec bot-api-moderation.md 6.3): a row while
-- `sender_chat_id` (a supergroup or channel) is banned in `chat_id` (a supergroup or channel);
-- unbanChatSenderChat deletes it. Both are chat ids, so negative.
CREATE TABLE sender_chat_bans (
  chat_id INTEGER NOT NULL CHECK (chat_id < 0),
  sender_chat_id INTEGER NOT NULL CHECK (sender_chat_id < 0),
  PRIMARY KEY (chat_id, sender_chat_id)
) WITHOUT ROWID;
