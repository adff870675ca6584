-- The reply keyboard, keyboard removal or force reply a bot sent with a message
-- (domain::Message::reply_keyboard): the JSON object the control plane lists as the message's
-- reply_markup; '' for none, which is what every message written before this migration had
-- (they were sent with an inline keyboard or none, or their reply keyboard was not kept).
ALTER TABLE message_versions ADD COLUMN reply_keyboard TEXT NOT NULL DEFAULT '';
