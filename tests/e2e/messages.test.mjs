// Conversations over a real socket (spec bot-api-messages.md): a user starts the bot, the bot
// answers with formatted text and a button, the user presses it, the bot answers and edits; the
// order of sendMessage's checks and their exact texts; privacy rules in groups; blocking; the
// join-request window; deleting, forwarding and copying; users editing their messages; the
// callback_query's 150 s in the queue; and what survives a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { advanceClock, expectError, expectOk } from './helpers.mjs';

const B1 = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'invite_demo_bot', first_name: 'Invite Demo' };
const B2 = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'second_helper_bot', first_name: 'Second Helper' };
const ANN = { id: 200001, first_name: 'Ann', username: 'ann_smith' };
const BEN = { id: 200002, first_name: 'Ben' };
const CID = { id: 200003, first_name: 'Cid' };
const DOT = { id: 200004, first_name: 'Dot' };
const EVE = { id: 200005, first_name: 'Eve' };
const SG = -1001000000501; // B1 administrator, B2 member (privacy mode); Ann creator, Ben member
const CH = -1002000000501; // B1 can post, B2 administrator that may not; Ann creator
const GR = -4501; // basic group: B1 member; Ann creator
const GONE_SG = -1001000000503; // B2 left it
const GONE_GR = -4502; // B2 was kicked
const GONE_CH = -1002000000502; // B2 was kicked
const MUTED = -1001000000502; // B2 and Eve restricted (every permission false); Ann creator, B1 administrator
const INVITE = { can_invite_users: true };

function world() {
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ANN, BEN, CID, DOT, EVE].map((u) => ({ ...u })),
    chats: [
      {
        id: SG, type: 'supergroup', title: 'Talk',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: BEN.id, status: 'member' },
          { user_id: B1.id, status: 'administrator', rights: INVITE },
          { user_id: B2.id, status: 'member' },
        ],
      },
      {
        id: CH, type: 'channel', title: 'News',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: { can_post_messages: true } },
          { user_id: B2.id, status: 'administrator', rights: INVITE },
        ],
      },
      {
        id: MUTED, type: 'supergroup', title: 'Quiet',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: INVITE },
          { user_id: B2.id, status: 'restricted' },
          { user_id: EVE.id, status: 'restricted' },
        ],
      },
      {
        id: GONE_SG, type: 'supergroup', title: 'Left behind',
        members: [{ user_id: ANN.id, status: 'creator' }, { user_id: B2.id, status: 'left' }],
      },
      {
        id: GONE_GR, type: 'group', title: 'Kicked out',
        members: [{ user_id: ANN.id, status: 'creator' }, { user_id: B2.id, status: 'kicked' }],
      },
      {
        id: GONE_CH, type: 'channel', title: 'Closed',
        members: [{ user_id: ANN.id, status: 'creator' }, { user_id: B2.id, status: 'kicked' }],
      },
      {
        id: GR, type: 'group', title: 'Small',
        members: [{ user_id: ANN.id, status: 'creator' }, { user_id: B1.id, status: 'member' }],
      },
    ],
  };
}

let srv;
before(async () => {
  // --no-guards: these tests poll and set webhooks back to back; the reference's busy-loop
  // guards (a repeated getUpdates cut to 1 update, ...) are tested in guards.test.mjs.
  srv = await startServer({ world: world(), extraArgs: ['--no-guards'] });
});
after(async () => {
  if (srv) await srv.close();
});

const send = (bot, params) => srv.api(bot.token, 'sendMessage', params, { encoding: 'form' });
const call = (bot, method, params) => srv.api(bot.token, method, params, { encoding: 'json' });

async function ctl(method, path, body) {
  const res = await srv.control(method, path, body);
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}
async function ctlRefused(method, path, body, description) {
  const res = await srv.control(method, path, body);
  assert.equal(res.status, 400, res.text);
  assert.equal(res.json.description, description);
}
const say = (user, chat_id, text, extra = {}) =>
  ctl('POST', '/messages', { from: user.id, chat_id, text, ...extra });

// The bot's updates, confirmed as they are read.
async function take(bot) {
  const got = expectOk(await call(bot, 'getUpdates', {}));
  if (got.length) await call(bot, 'getUpdates', { offset: got.at(-1).update_id + 1, limit: 1 });
  return got;
}

const botUser = (b) => ({ id: b.id, is_bot: true, first_name: b.first_name, username: b.username });
const user = (u) => {
  const o = { id: u.id, is_bot: false, first_name: u.first_name };
  if (u.username) o.username = u.username;
  return o;
};
const privateChat = (u) => {
  const o = { id: u.id, first_name: u.first_name };
  if (u.username) o.username = u.username;
  o.type = 'private';
  return o;
};

test('a whole conversation: /start, a formatted answer with a button, the press, the answer, the edit', async () => {
  // Never met: "chat not found"; met in a group but never started: 403.
  expectError(await send(B1, { chat_id: CID.id, text: 'hi' }), 400, 'Bad Request: chat not found');
  expectError(await send(B1, { chat_id: BEN.id, text: 'hi' }), 403,
    "Forbidden: bot can't initiate conversation with a user");

  const start = await say(ANN, B1.id, '/start ref42');
  assert.deepEqual(start.entities, [{ offset: 0, length: 6, type: 'bot_command' }]);
  const updates = await take(B1);
  assert.equal(updates.length, 1);
  assert.deepEqual(updates[0].message, {
    message_id: start.message_id, from: user(ANN), chat: privateChat(ANN), date: start.date,
    text: '/start ref42', entities: [{ offset: 0, length: 6, type: 'bot_command' }],
  });

  const markup = { inline_keyboard: [[{ text: 'I am human', callback_data: 'human' }], [{ text: 'Site', url: 'Example.com' }]] };
  const sent = expectOk(await send(B1, {
    chat_id: ANN.id,
    text: '<b>Welcome</b> 👋, join <a href="https://t.me/+AbCdEfGh12345678">here</a>',
    parse_mode: 'HTML',
    reply_markup: JSON.stringify(markup),
    reply_to_message_id: start.message_id,
  }));
  assert.equal(sent.message_id, start.message_id + 1);
  assert.deepEqual(Object.keys(sent), ['message_id', 'from', 'chat', 'date', 'reply_to_message', 'text', 'entities', 'reply_markup']);
  assert.deepEqual(sent.from, botUser(B1));
  assert.equal(sent.text, 'Welcome 👋, join here');
  assert.deepEqual(sent.entities, [
    { offset: 0, length: 7, type: 'bold' },
    { offset: 17, length: 4, type: 'text_link', url: 'https://t.me/+AbCdEfGh12345678' },
  ]);
  assert.deepEqual(sent.reply_markup, {
    inline_keyboard: [[{ text: 'I am human', callback_data: 'human' }], [{ text: 'Site', url: 'http://example.com/' }]],
  });
  assert.equal(sent.reply_to_message.text, '/start ref42');

  // The test reads what the bot sent through the control plane: both sides, in order.
  const history = await ctl('GET', `/users/${ANN.id}/chats/${B1.id}/messages`);
  assert.deepEqual(history.map((m) => m.message_id), [start.message_id, sent.message_id]);

  // A press the message has no button for is refused; the right one reaches the bot.
  await ctlRefused('POST', '/callback-queries', { from: ANN.id, chat_id: B1.id, message_id: sent.message_id, data: 'robot' },
    `Bad Request: message ${sent.message_id} in the private chat of user ${ANN.id} and bot ${B1.id} has no button with callback_data "robot"`);
  const pressed = await ctl('POST', '/callback-queries', { from: ANN.id, chat_id: B1.id, message_id: sent.message_id, data: 'human' });
  const [cq] = await take(B1);
  assert.deepEqual(Object.keys(cq.callback_query), ['id', 'from', 'message', 'chat_instance', 'data']);
  assert.equal(cq.callback_query.id, pressed.callback_query_id);
  assert.equal(typeof cq.callback_query.chat_instance, 'string');
  assert.equal(cq.callback_query.data, 'human');
  assert.equal(cq.callback_query.message.message_id, sent.message_id);
  assert.equal(await ctl('GET', `/callback-queries/${pressed.callback_query_id}`), null);

  assert.equal(expectOk(await call(B1, 'answerCallbackQuery', { callback_query_id: cq.callback_query.id, text: 'Welcome aboard' })), true);
  assert.deepEqual(await ctl('GET', `/callback-queries/${pressed.callback_query_id}`), { text: 'Welcome aboard', show_alert: false });
  expectError(await call(B1, 'answerCallbackQuery', { callback_query_id: cq.callback_query.id }), 400,
    'Bad Request: query is too old and response timeout expired or query ID is invalid');

  // The bot edits its message: the keyboard goes (an omitted reply_markup removes it).
  const edited = expectOk(await call(B1, 'editMessageText', { chat_id: ANN.id, message_id: sent.message_id, text: 'You are in.' }));
  assert.deepEqual(Object.keys(edited), ['message_id', 'from', 'chat', 'date', 'edit_date', 'text']);
  expectError(await call(B1, 'editMessageText', { chat_id: ANN.id, message_id: sent.message_id, text: 'You are in.' }), 400,
    'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  expectError(await call(B1, 'editMessageText', { chat_id: ANN.id, message_id: start.message_id, text: 'x' }), 400,
    "Bad Request: message can't be edited");
  expectError(await call(B1, 'editMessageText', { chat_id: ANN.id, message_id: 999, text: 'x' }), 400,
    'Bad Request: message to edit not found');
});

test('sendMessage checks in the reference order, with its texts', async () => {
  await say(DOT, B1.id, '/start');
  await take(B1);
  const cases = [
    [{}, 'Bad Request: message text is empty'],
    [{ chat_id: DOT.id }, 'Bad Request: message text is empty'],
    [{ text: 'x' }, 'Bad Request: chat_id is empty'],
    [{ chat_id: DOT.id, text: ' \n ' }, 'Bad Request: text must be non-empty'],
    [{ chat_id: DOT.id, text: 'x'.repeat(4097) }, 'Bad Request: message is too long'],
    [{ chat_id: DOT.id, text: 'x'.repeat(32769) }, 'Bad Request: text is too long'],
    [{ chat_id: DOT.id, text: 'a <br> b', parse_mode: 'HTML' }, 'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 2'],
    [{ chat_id: DOT.id, text: 'Hello.', parse_mode: 'MarkdownV2' }, "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"],
    [{ chat_id: DOT.id, text: 'snake_case', parse_mode: 'Markdown' }, "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 5"],
    [{ chat_id: DOT.id, text: 'x', parse_mode: 'rich' }, 'Bad Request: unsupported parse_mode'],
    [{ chat_id: DOT.id, text: 'x', entities: '[{"offset":0,"length":1}]' }, 'Bad Request: can\'t parse MessageEntity: Can\'t find field "type"'],
    [{ chat_id: DOT.id, text: 'x', reply_markup: '{' }, "Bad Request: can't parse reply keyboard markup JSON object"],
    // The markup is read before the chat: an unknown chat still gets the markup's error.
    [{ chat_id: -1009999, text: 'x', reply_markup: '[]' }, 'Bad Request: object expected as reply markup'],
    [{ chat_id: -1009999, text: 'x' }, 'Bad Request: chat not found'],
    [{ chat_id: DOT.id, text: 'x', reply_markup: '{"inline_keyboard":[[{"text":"a"}]]}' },
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"],
    [{ chat_id: DOT.id, text: 'x', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'a', callback_data: 'd'.repeat(65) }]] }) },
      'Bad Request: BUTTON_DATA_INVALID'],
    [{ chat_id: DOT.id, text: 'x', reply_markup: '{"inline_keyboard":[[{"text":"a","url":"ftp://x.org"}]]}' },
      "Bad Request: inline keyboard button URL 'ftp://x.org' is invalid: Unsupported URL protocol"],
    [{ chat_id: DOT.id, text: 'x', reply_to_message_id: 9999 }, 'Bad Request: message to be replied not found'],
  ];
  for (const [params, description] of cases) {
    expectError(await send(B1, params), 400, description, undefined, JSON.stringify(params).slice(0, 80));
  }
  // Another bot met in a group: the server's refusal of bot-to-bot messages.
  expectError(await send(B1, { chat_id: B2.id, text: 'x' }), 403, "Forbidden: the bot can't send messages to the bot");
  // With allow_sending_without_reply, a missing message is no reply at all.
  const r = expectOk(await send(B1, { chat_id: DOT.id, text: 'x', reply_to_message_id: 9999, allow_sending_without_reply: true }));
  assert.equal(r.reply_to_message, undefined);
  // A reply keyboard is sent but not echoed; MarkdownV2 entities come out in UTF-16 units.
  const kb = expectOk(await send(B1, { chat_id: DOT.id, text: '*b* 🏟 _i_', parse_mode: 'MarkdownV2', reply_markup: '{"keyboard":[["Yes","No"]],"resize_keyboard":true}' }));
  assert.equal(kb.reply_markup, undefined);
  assert.deepEqual(kb.entities, [{ offset: 0, length: 1, type: 'bold' }, { offset: 5, length: 1, type: 'italic' }]);
  // Links found in the text; previews off only show when there is a link.
  const linked = expectOk(await send(B1, { chat_id: DOT.id, text: 'see telegram.org', disable_web_page_preview: true }));
  assert.deepEqual(linked.entities, [{ offset: 4, length: 12, type: 'url' }]);
  assert.deepEqual(linked.link_preview_options, { is_disabled: true });
  const plain = expectOk(await send(B1, { chat_id: DOT.id, text: 'no link', disable_web_page_preview: true }));
  assert.equal(plain.link_preview_options, undefined);
});

test('groups: administrators hear everything, privacy mode only what is meant for it, nobody hears bots', async () => {
  await take(B1);
  await take(B2);
  const plain = await say(BEN, SG, 'hello all');
  const cmd2 = await say(BEN, SG, '/help@second_helper_bot');
  const mine = expectOk(await send(B2, { chat_id: SG, text: 'B2 here' }));
  const general = await say(BEN, SG, '/start'); // B2 wrote last: it gets the general command
  const reply = await say(ANN, SG, 'answering B2', { reply_to_message_id: mine.message_id });
  const ids = (list) => list.map((u) => u.message.message_id);
  assert.deepEqual(ids(await take(B1)), [plain.message_id, cmd2.message_id, general.message_id, reply.message_id]);
  assert.deepEqual(ids(await take(B2)), [cmd2.message_id, general.message_id, reply.message_id]);
  // The group's history, for the test: everyone's messages in order.
  const all = await ctl('GET', `/chats/${SG}/messages`);
  assert.deepEqual(all.map((m) => m.message_id), [plain.message_id, cmd2.message_id, mine.message_id, general.message_id, reply.message_id]);
  assert.equal(all[4].reply_to_message.message_id, mine.message_id);
  // People not in the group cannot write there.
  await ctlRefused('POST', '/messages', { from: CID.id, chat_id: SG, text: 'let me in' },
    `Bad Request: user ${CID.id} is not a member of chat ${SG}`);
});

test('a bot that is not, or no longer, in the chat: the write-access texts of the invite-link spec 2.2.2', async () => {
  const cases = [
    [GONE_SG, 'Forbidden: bot is not a member of the supergroup chat'],
    [GONE_GR, 'Forbidden: bot was kicked from the group chat'],
    [GONE_CH, 'Forbidden: bot was kicked from the channel chat'],
  ];
  for (const [chat_id, description] of cases) {
    expectError(await send(B2, { chat_id, text: 'anyone here?' }), 403, description, undefined, String(chat_id));
    expectError(await call(B2, 'sendChatAction', { chat_id, action: 'typing' }), 403, description, undefined, String(chat_id));
  }
  // A chat the bot has never been in cannot be resolved at all.
  expectError(await send(B2, { chat_id: GR, text: 'x' }), 400, 'Bad Request: chat not found');
});

test('restricted members: a bot may not send text, after the text is checked; a user may not either', async () => {
  const tooLong = 'x'.repeat(4097);
  expectError(await send(B2, { chat_id: MUTED, text: tooLong }), 400, 'Bad Request: message is too long');
  expectError(await send(B2, { chat_id: MUTED, text: 'hello' }), 400,
    'Bad Request: not enough rights to send text messages to the chat');
  const said = await say(ANN, MUTED, 'a message to copy');
  for (const method of ['copyMessage', 'forwardMessage']) {
    expectError(await call(B2, method, { chat_id: MUTED, from_chat_id: MUTED, message_id: said.message_id }), 400,
      'Bad Request: not enough rights to send text messages to the chat');
  }
  expectOk(await send(B1, { chat_id: MUTED, text: 'the administrator may' }));
  await ctlRefused('POST', '/messages', { from: EVE.id, chat_id: MUTED, text: 'let me speak' },
    `Bad Request: user ${EVE.id} is restricted in chat ${MUTED} and may not send text messages`);
  const history = await ctl('GET', `/chats/${MUTED}/messages`);
  assert.deepEqual(history.map((m) => m.text), ['a message to copy', 'the administrator may']);
});

test('channels: posting needs the right; other bots get the post as channel_post', async () => {
  await take(B2);
  expectError(await send(B2, { chat_id: CH, text: 'x' }), 400, 'Bad Request: need administrator rights in the channel chat');
  expectError(await send(B1, { chat_id: CH, text: 'x', reply_markup: '{"keyboard":[["a"]]}' }), 400,
    'Bad Request: inline keyboard expected');
  const post = expectOk(await send(B1, { chat_id: CH, text: 'news!' }));
  assert.deepEqual(Object.keys(post), ['message_id', 'sender_chat', 'chat', 'date', 'text']);
  assert.deepEqual(post.sender_chat, { id: CH, title: 'News', type: 'channel' });
  const [u] = await take(B2);
  assert.deepEqual(u.channel_post, post);
  expectOk(await call(B1, 'editMessageText', { chat_id: CH, message_id: post.message_id, text: 'news, edited' }));
  const [e] = await take(B2);
  assert.equal(e.edited_channel_post.text, 'news, edited');
});

test('blocking: the bot hears of it and may not write until unblocked', async () => {
  await say(EVE, B1.id, '/start');
  await take(B1);
  const blocked = await ctl('POST', `/users/${EVE.id}/block`, { bot_id: B1.id });
  assert.deepEqual(blocked, { user_id: EVE.id, bot_id: B1.id, started: true, blocked: true });
  const [u] = await take(B1);
  assert.equal(u.my_chat_member.chat.type, 'private');
  assert.equal(u.my_chat_member.old_chat_member.status, 'member');
  assert.equal(u.my_chat_member.new_chat_member.status, 'kicked');
  expectError(await send(B1, { chat_id: EVE.id, text: 'hi' }), 403, 'Forbidden: bot was blocked by the user');
  await ctl('POST', `/users/${EVE.id}/unblock`, { bot_id: B1.id });
  expectOk(await send(B1, { chat_id: EVE.id, text: 'welcome back' }));
});

test('a join request lets the administrator bot write to the user until it is decided', async () => {
  const link = expectOk(await call(B1, 'createChatInviteLink', { chat_id: SG, creates_join_request: true }));
  const joined = await ctl('POST', '/join', { user_id: CID.id, invite_link: link.invite_link });
  assert.equal(joined.status, 'pending');
  expectOk(await send(B1, { chat_id: CID.id, text: 'Please answer: 2 + 2?' }));
  expectOk(await call(B1, 'approveChatJoinRequest', { chat_id: SG, user_id: CID.id }));
  expectError(await send(B1, { chat_id: CID.id, text: 'hi again' }), 403,
    "Forbidden: bot can't initiate conversation with a user");
});

test('deleting, forwarding, copying and chat actions', async () => {
  const a = expectOk(await send(B1, { chat_id: GR, text: 'first' }));
  const b = expectOk(await send(B1, { chat_id: GR, text: 'second' }));
  const theirs = await say(ANN, GR, 'from Ann');
  expectError(await call(B1, 'deleteMessage', { chat_id: GR, message_id: 999 }), 400, 'Bad Request: message to delete not found');
  expectError(await call(B1, 'deleteMessage', { chat_id: GR }), 400, 'Bad Request: message identifier is not specified');
  expectError(await call(B1, 'deleteMessage', { message_id: 1 }), 400, 'Bad Request: chat identifier is not specified');
  // A member bot of a basic group deletes only its own messages; all or nothing.
  expectError(await call(B1, 'deleteMessages', { chat_id: GR, message_ids: [b.message_id, theirs.message_id] }), 400,
    "Bad Request: message can't be deleted for everyone");
  assert.equal(expectOk(await call(B1, 'deleteMessages', { chat_id: GR, message_ids: [b.message_id, 999] })), true);
  assert.equal(expectOk(await call(B1, 'deleteMessage', { chat_id: GR, message_id: a.message_id })), true);
  const left = await ctl('GET', `/chats/${GR}/messages`);
  assert.deepEqual(left.map((m) => m.message_id), [theirs.message_id]);

  const fwd = expectOk(await call(B1, 'forwardMessage', { chat_id: GR, from_chat_id: GR, message_id: theirs.message_id }));
  assert.deepEqual(fwd.forward_origin, { type: 'user', date: theirs.date, sender_user: user(ANN) });
  assert.deepEqual(fwd.forward_from, user(ANN));
  assert.equal(fwd.text, 'from Ann');
  expectError(await call(B1, 'forwardMessage', { chat_id: GR, message_id: 1 }), 400, 'Bad Request: parameter "from_chat_id" is required');
  expectError(await call(B1, 'forwardMessage', { chat_id: GR, from_chat_id: GR, message_id: 999 }), 400, 'Bad Request: message to forward not found');
  const copy = expectOk(await call(B1, 'copyMessage', { chat_id: GR, from_chat_id: GR, message_id: theirs.message_id }));
  assert.deepEqual(Object.keys(copy), ['message_id']);
  assert.equal(copy.message_id, fwd.message_id + 1);

  expectError(await call(B1, 'sendChatAction', { chat_id: GR, action: 'dancing' }), 400, 'Bad Request: wrong parameter action in request');
  assert.equal(expectOk(await call(B1, 'sendChatAction', { chat_id: GR, action: 'typing' })), true);
  assert.equal(expectOk(await call(B1, 'sendChatAction', { chat_id: GR, action: 'record_audio' })), true);
});

const edit = (u, chat_id, message_id, text) =>
  ctl('POST', '/messages/edit', { from: u.id, chat_id, message_id, text });
const QUERY_ID_INVALID = 'Bad Request: query is too old and response timeout expired or query ID is invalid';

test('a user edits a message: edited_message with the whole new message, in private chats and groups', async () => {
  await take(B1);
  await take(B2);
  const said = await say(ANN, B1.id, 'see example.com');
  await take(B1);
  const edited = await edit(ANN, B1.id, said.message_id, 'see telegram.org #news');
  assert.deepEqual(Object.keys(edited), ['message_id', 'from', 'chat', 'date', 'edit_date', 'text', 'entities']);
  assert.equal(edited.message_id, said.message_id);
  assert.equal(edited.date, said.date);
  assert.ok(edited.edit_date >= said.date);
  assert.deepEqual(edited.entities, [{ offset: 4, length: 12, type: 'url' }, { offset: 17, length: 5, type: 'hashtag' }]);
  const [u] = await take(B1);
  assert.deepEqual(Object.keys(u), ['update_id', 'edited_message']);
  assert.deepEqual(u.edited_message, edited);
  // The history shows the new version in place of the old.
  const history = await ctl('GET', `/users/${ANN.id}/chats/${B1.id}/messages`);
  assert.deepEqual(history.find((m) => m.message_id === said.message_id), edited);

  // In a group the edit reaches the bots the message reached: the administrator B1 both, the
  // privacy-mode B2 only the command meant for it (not a plain message edited into one).
  const cmd = await say(BEN, SG, '/help@second_helper_bot');
  const plain = await say(BEN, SG, 'plain words');
  await take(B1);
  await take(B2);
  const cmd2 = await edit(BEN, SG, cmd.message_id, '/help@second_helper_bot please');
  const plain2 = await edit(BEN, SG, plain.message_id, '/help@second_helper_bot');
  assert.deepEqual((await take(B1)).map((x) => x.edited_message), [cmd2, plain2]);
  assert.deepEqual((await take(B2)).map((x) => x.edited_message), [cmd2]);
  const group = await ctl('GET', `/chats/${SG}/messages`);
  assert.deepEqual(group.find((m) => m.message_id === plain.message_id), plain2);

  // allowed_updates without edited_message: the edit is dropped when made (spec 5.3).
  expectOk(await call(B2, 'getUpdates', { allowed_updates: ['message', 'callback_query'] }));
  await edit(BEN, SG, cmd.message_id, '/help@second_helper_bot now');
  assert.deepEqual(await take(B2), []);
  expectOk(await call(B2, 'getUpdates', { allowed_updates: [] })); // the default set again
  const cmd4 = await edit(BEN, SG, cmd.message_id, '/help@second_helper_bot at last');
  assert.deepEqual((await take(B2)).map((x) => x.edited_message), [cmd4]);
  await take(B1);
});

test('a channel administrator edits a post: edited_channel_post to every bot of the channel', async () => {
  await take(B1);
  await take(B2);
  const post = await say(ANN, CH, 'big news');
  assert.deepEqual((await take(B1)).map((x) => x.channel_post), [post]);
  assert.deepEqual((await take(B2)).map((x) => x.channel_post), [post]);
  const edited = await edit(ANN, CH, post.message_id, 'bigger news');
  assert.equal(edited.text, 'bigger news');
  assert.ok(edited.edit_date);
  for (const bot of [B1, B2]) {
    const got = await take(bot);
    assert.deepEqual(got.map((x) => Object.keys(x)[1]), ['edited_channel_post']);
    assert.deepEqual(got[0].edited_channel_post, edited);
  }
});

test('edits: only the sender, only a change, only where the user may still write', async () => {
  const anns = await say(ANN, SG, 'Ann speaking');
  const bots = expectOk(await send(B1, { chat_id: SG, text: 'B1 speaking' }));
  await take(B1);
  await take(B2);
  const refusals = [
    [{ from: BEN.id, chat_id: SG, message_id: anns.message_id, text: 'x' },
      `Bad Request: message ${anns.message_id} in chat ${SG} was sent by ${ANN.id}, not by user ${BEN.id}: only its sender may edit it`],
    [{ from: ANN.id, chat_id: SG, message_id: bots.message_id, text: 'x' },
      `Bad Request: message ${bots.message_id} in chat ${SG} was sent by ${B1.id}, not by user ${ANN.id}: only its sender may edit it`],
    [{ from: ANN.id, chat_id: SG, message_id: anns.message_id, text: 'Ann speaking' },
      `Bad Request: message ${anns.message_id} in chat ${SG} is not modified: the new text is the same as the old`],
    [{ from: ANN.id, chat_id: SG, message_id: 99999, text: 'x' }, `Bad Request: no message 99999 in chat ${SG}`],
    [{ from: ANN.id, chat_id: B1.id, message_id: 99999, text: 'x' },
      `Bad Request: no message 99999 in the private chat of user ${ANN.id} and bot ${B1.id}`],
    [{ from: CID.id, chat_id: CH, message_id: 1, text: 'x' }, `Bad Request: user ${CID.id} is not a member of chat ${CH}`],
    [{ from: B1.id, chat_id: SG, message_id: bots.message_id, text: 'x' },
      `Bad Request: user ${B1.id} is a bot; bots send through the Bot API`],
    [{ from: ANN.id, chat_id: SG, message_id: anns.message_id }, 'Bad Request: $.text: must be a string'],
    [{ from: ANN.id, chat_id: SG, text: 'x' }, 'Bad Request: $.message_id: must be an integer from 1 to 2147483647'],
  ];
  for (const [body, description] of refusals) await ctlRefused('POST', '/messages/edit', body, description);
  // Nothing was made of them.
  assert.deepEqual(await take(B1), []);
  assert.deepEqual(await take(B2), []);
  const res = await srv.control('GET', '/messages/edit');
  assert.equal(res.status, 405);
});

test('a callback_query waits 150 s in the queue, a message 24 h', async () => {
  await take(B1);
  const asked = await say(ANN, B1.id, 'a question');
  const menu = expectOk(await send(B1, {
    chat_id: ANN.id, text: 'Yes or no?', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] }),
  }));
  const pressed = await ctl('POST', '/callback-queries', { from: ANN.id, chat_id: B1.id, message_id: menu.message_id, data: 'yes' });
  const kinds = (updates) => updates.map((x) => Object.keys(x)[1]);
  // getUpdates without an offset confirms nothing: both still wait after 140 s.
  await advanceClock(srv, 140);
  assert.deepEqual(kinds(expectOk(await call(B1, 'getUpdates', {}))), ['message', 'callback_query']);
  // After 151 s the query is gone; the message of the same age is still delivered.
  await advanceClock(srv, 11);
  const got = expectOk(await call(B1, 'getUpdates', {}));
  assert.deepEqual(kinds(got), ['message']);
  assert.equal(got[0].message.message_id, asked.message_id);
  assert.equal(expectOk(await call(B1, 'getWebhookInfo', {})).pending_update_count, 1);
  expectError(await call(B1, 'answerCallbackQuery', { callback_query_id: pressed.callback_query_id }), 400, QUERY_ID_INVALID);
  await take(B1);
  assert.deepEqual(await take(B1), []);
});

test('messages, private chats and answers survive a restart; ids go on', async () => {
  const before = await ctl('GET', `/users/${ANN.id}/chats/${B1.id}/messages`);
  const restarted = await srv.restart();
  assert.equal(restarted, 0);
  assert.deepEqual(await ctl('GET', `/users/${ANN.id}/chats/${B1.id}/messages`), before);
  const next = expectOk(await send(B1, { chat_id: ANN.id, text: 'still here' }));
  assert.ok(next.message_id > before.at(-1).message_id);
  assert.deepEqual(await ctl('GET', '/callback-queries/1'), { text: 'Welcome aboard', show_alert: false });
});

test('reply keyboards: never in a Bot API answer, shown by the control listings, kept through a restart', async () => {
  await say(DOT, B2.id, '/start');
  await take(B2);
  const keyboard = {
    keyboard: [['Yes', { text: 'No' }], [{ text: 'Phone', request_contact: true }, { text: '' }]],
    one_time_keyboard: true, resize_keyboard: true, is_persistent: false, input_field_placeholder: 'Answer', selective: true,
  };
  const withKeyboard = await send(B2, { chat_id: DOT.id, text: 'Sure?', reply_markup: JSON.stringify(keyboard) });
  const asked = expectOk(withKeyboard);
  // The answer is the Message without any markup, byte for byte as for a plain message.
  const plain = await send(B2, { chat_id: DOT.id, text: 'Sure?' });
  const strip = (text, m) => text.replace(`"message_id":${m.message_id},`, '').replace(`"date":${m.date},`, '');
  assert.equal(strip(withKeyboard.text, asked), strip(plain.text, expectOk(plain)));
  assert.deepEqual(Object.keys(asked), ['message_id', 'from', 'chat', 'date', 'text']);
  const removed = expectOk(await send(B2, { chat_id: DOT.id, text: 'Thanks', reply_markup: '{"remove_keyboard":true}' }));
  assert.equal(removed.reply_markup, undefined);
  const forced = expectOk(await send(B2, { chat_id: DOT.id, text: 'Your name?', reply_markup: '{"force_reply":true,"input_field_placeholder":"Name"}' }));
  assert.equal(forced.reply_markup, undefined);
  const inline = expectOk(await send(B2, { chat_id: DOT.id, text: 'Pick', reply_markup: '{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}' }));
  assert.deepEqual(await take(B2), []); // bots never hear their own messages

  const listed = async () => {
    const all = await ctl('GET', `/users/${DOT.id}/chats/${B2.id}/messages`);
    return Object.fromEntries(all.map((m) => [m.message_id, m.reply_markup]));
  };
  const expected = {
    [asked.message_id]: {
      // Normalised: strings are buttons, the empty button is dropped, selective goes in a
      // private chat, false flags are left out.
      keyboard: [[{ text: 'Yes' }, { text: 'No' }], [{ text: 'Phone', request_contact: true }]],
      resize_keyboard: true, one_time_keyboard: true, input_field_placeholder: 'Answer',
    },
    [removed.message_id]: { remove_keyboard: true },
    [forced.message_id]: { force_reply: true, input_field_placeholder: 'Name' },
    [inline.message_id]: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
  };
  const check = (shown) => {
    for (const [id, markup] of Object.entries(expected)) assert.deepEqual(shown[id], markup, `message ${id}`);
    assert.equal(shown[expectOk(plain).message_id], undefined);
  };
  check(await listed());
  // In a group, selective is kept; the group listing shows it too.
  const group = expectOk(await send(B1, { chat_id: SG, text: 'Vote', reply_markup: '{"keyboard":[["Up"]],"selective":true}' }));
  assert.equal(group.reply_markup, undefined);
  const groupMarkup = async () => (await ctl('GET', `/chats/${SG}/messages`)).find((m) => m.message_id === group.message_id).reply_markup;
  assert.deepEqual(await groupMarkup(), { keyboard: [[{ text: 'Up' }]], selective: true });
  // A bot reading its message back (here through a reply to it) never sees the keyboard.
  const reply = expectOk(await send(B2, { chat_id: DOT.id, text: 'Again', reply_to_message_id: asked.message_id }));
  assert.deepEqual(Object.keys(reply.reply_to_message), ['message_id', 'from', 'chat', 'date', 'text']);

  assert.equal(await srv.restart(), 0);
  check(await listed());
  assert.deepEqual(await groupMarkup(), { keyboard: [[{ text: 'Up' }]], selective: true });
});

test("a user's chats: private chats with a record, member records of every status", async () => {
  await ctlRefused('GET', `/users/${B1.id}/chats`, undefined, `Bad Request: unknown user ${B1.id}`);
  await ctlRefused('GET', '/users/299999/chats', undefined, 'Bad Request: unknown user 299999');
  const ann = await ctl('GET', `/users/${ANN.id}/chats`);
  assert.deepEqual(Object.keys(ann), ['user_id', 'private_chats', 'chats']);
  assert.equal(ann.user_id, ANN.id);
  assert.deepEqual(ann.private_chats, [{ bot_id: B1.id, started: true, blocked: false }]);
  assert.deepEqual(ann.chats.map((c) => [c.chat_id, c.type, c.status]), [
    [GONE_CH, 'channel', 'creator'], [CH, 'channel', 'creator'], [GONE_SG, 'supergroup', 'creator'],
    [MUTED, 'supergroup', 'creator'], [SG, 'supergroup', 'creator'], [GONE_GR, 'group', 'creator'],
    [GR, 'group', 'creator'],
  ]);
  assert.equal(ann.chats.find((c) => c.chat_id === SG).title, 'Talk');
  // Blocking shows; a user banned from a group keeps a record, as kicked.
  await ctl('POST', `/users/${EVE.id}/block`, { bot_id: B2.id });
  await ctl('POST', '/remove', { chat_id: MUTED, user_id: EVE.id, ban: true });
  const eve = await ctl('GET', `/users/${EVE.id}/chats`);
  assert.deepEqual(eve.private_chats, [
    { bot_id: B1.id, started: true, blocked: false },
    { bot_id: B2.id, started: false, blocked: true },
  ]);
  assert.deepEqual(eve.chats, [{ chat_id: MUTED, title: 'Quiet', type: 'supergroup', status: 'kicked' }]);
});
