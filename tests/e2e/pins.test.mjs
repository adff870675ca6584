// Pinned messages over a real socket: pinChatMessage, unpinChatMessage and unpinAllChatMessages
// in a supergroup, a channel, a basic group and a private chat; the pinned_message service
// message each bot receives (the pinning bot too), getChat's pinned_message, every error in the
// reference's order with its exact text, and pins across a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { expectError, expectOk } from './helpers.mjs';

const B1 = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'pin_demo_bot', first_name: 'Pin Demo' };
const B2 = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'plain_helper_bot', first_name: 'Plain Helper' };
const ANN = { id: 200001, first_name: 'Ann', username: 'ann_smith' };
const BEN = { id: 200002, first_name: 'Ben' };
const SG = -1001000000601; // B1 administrator with can_pin_messages, B2 member; Ann creator
const CH = -1002000000601; // B1 may post and edit, B2 may only post; Ann creator
const GR = -4601; // basic group: B1 member; Ann creator

function world() {
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ANN, BEN].map((u) => ({ ...u })),
    chats: [
      {
        id: SG, type: 'supergroup', title: 'Pins',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: BEN.id, status: 'member' },
          { user_id: B1.id, status: 'administrator', rights: { can_pin_messages: true } },
          { user_id: B2.id, status: 'member' },
        ],
      },
      {
        id: CH, type: 'channel', title: 'Board',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: { can_post_messages: true, can_edit_messages: true } },
          { user_id: B2.id, status: 'administrator', rights: { can_post_messages: true } },
        ],
      },
      {
        id: GR, type: 'group', title: 'Few',
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

const call = (bot, method, params) => srv.api(bot.token, method, params, { encoding: 'json' });
const form = (bot, method, params) => srv.api(bot.token, method, params, { encoding: 'form' });

async function ctl(method, path, body) {
  const res = await srv.control(method, path, body);
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}
const say = (user, chat_id, text) => ctl('POST', '/messages', { from: user.id, chat_id, text });

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
const sgChat = { id: SG, title: 'Pins', type: 'supergroup' };
const pinned = async (bot, chat_id) => expectOk(await call(bot, 'getChat', { chat_id })).pinned_message;

test('pinning in a supergroup: every bot gets the service message, getChat shows the pin', async () => {
  const rules = await say(ANN, SG, 'house rules');
  await take(B1);
  await take(B2);
  assert.equal(await pinned(B1, SG), undefined);

  assert.equal(expectOk(await form(B1, 'pinChatMessage', { chat_id: SG, message_id: String(rules.message_id), disable_notification: 'true' })), true);
  const service = {
    message_id: rules.message_id + 1, from: botUser(B1), chat: sgChat, date: rules.date,
    pinned_message: { message_id: rules.message_id, from: user(ANN), chat: sgChat, date: rules.date, text: 'house rules' },
  };
  for (const bot of [B1, B2]) {
    const updates = await take(bot);
    assert.equal(updates.length, 1, bot.username);
    assert.deepEqual(Object.keys(updates[0].message), ['message_id', 'from', 'chat', 'date', 'pinned_message']);
    assert.ok(Math.abs(updates[0].message.date - rules.date) < 5);
    assert.deepEqual(updates[0].message, { ...service, date: updates[0].message.date });
  }
  assert.deepEqual(await pinned(B1, SG), service.pinned_message);
  assert.deepEqual(await pinned(B2, SG), service.pinned_message);
  const listed = await ctl('GET', `/chats/${SG}/messages`);
  assert.deepEqual(listed.at(-1).pinned_message, service.pinned_message);

  // Pinning it again changes nothing: true, and no new service message.
  assert.equal(expectOk(await call(B1, 'pinChatMessage', { chat_id: SG, message_id: rules.message_id })), true);
  assert.deepEqual(await take(B1), []);
  assert.equal((await ctl('GET', `/chats/${SG}/messages`)).length, listed.length);

  // A newer message pinned becomes the chat's pinned message.
  const news = await say(ANN, SG, 'news');
  assert.equal(expectOk(await call(B1, 'pinChatMessage', { chat_id: SG, message_id: news.message_id })), true);
  assert.equal((await pinned(B1, SG)).message_id, news.message_id);
  const [update] = (await take(B1)).filter((u) => u.message.pinned_message);
  assert.equal(update.message.pinned_message.text, 'news');
  await take(B2);
});

test('pinChatMessage refuses in the reference order, with its texts', async () => {
  const msg = await say(ANN, SG, 'to pin');
  await take(B1);
  expectError(await call(B1, 'pinChatMessage', { message_id: msg.message_id }), 400, 'Bad Request: chat_id is empty');
  expectError(await call(B1, 'pinChatMessage', { chat_id: -1001999999999, message_id: msg.message_id }), 400, 'Bad Request: chat not found');
  for (const message_id of [undefined, 'abc', '-5', '0', '999999']) {
    const params = { chat_id: String(SG) };
    if (message_id !== undefined) params.message_id = message_id;
    expectError(await form(B1, 'pinChatMessage', params), 400, 'Bad Request: message to pin not found', undefined, String(message_id));
  }
  expectError(await call(B2, 'pinChatMessage', { chat_id: SG, message_id: msg.message_id }), 400,
    'Bad Request: not enough rights to manage pinned messages in the chat');
  expectError(await call(B2, 'pinChatMessage', { chat_id: SG, message_id: 999999 }), 400, 'Bad Request: message to pin not found');
  const service = (await ctl('GET', `/chats/${SG}/messages`)).find((m) => m.pinned_message);
  expectError(await call(B1, 'pinChatMessage', { chat_id: SG, message_id: service.message_id }), 400,
    "Bad Request: service messages can't be pinned");
  // A basic group: only an appointed administrator may pin.
  const hi = await say(ANN, GR, 'hi');
  expectError(await call(B1, 'pinChatMessage', { chat_id: GR, message_id: hi.message_id }), 400,
    'Bad Request: not enough rights to manage pinned messages in the chat');
  // business_connection_id: the chat identifier first, then the connection (none exists here).
  expectError(await call(B1, 'pinChatMessage', { business_connection_id: 'abc', message_id: 1 }), 400, 'Bad Request: chat identifier is empty');
  expectError(await call(B1, 'pinChatMessage', { business_connection_id: 'abc', chat_id: '@x', message_id: 1 }), 400,
    'Bad Request: chat identifier must be a valid Integer');
  expectError(await call(B1, 'pinChatMessage', { business_connection_id: 'abc', chat_id: SG, message_id: 1 }), 400,
    'Bad Request: business connection not found');
  expectError(await call(B1, 'unpinChatMessage', { business_connection_id: 'abc', chat_id: SG }), 400,
    'Bad Request: business connection not found');
  await take(B1);
  await take(B2);
});

test('channels need can_edit_messages; the pin is a channel_post to every bot of the channel', async () => {
  const post = expectOk(await call(B2, 'sendMessage', { chat_id: CH, text: 'schedule' }));
  await take(B1);
  expectError(await call(B2, 'pinChatMessage', { chat_id: CH, message_id: post.message_id }), 400,
    'Bad Request: not enough rights to manage pinned messages in the chat');
  assert.equal(expectOk(await call(B1, 'pinChatMessage', { chat_id: CH, message_id: post.message_id })), true);
  const chChat = { id: CH, title: 'Board', type: 'channel' };
  for (const bot of [B1, B2]) {
    const updates = await take(bot);
    assert.equal(updates.length, 1, bot.username);
    assert.deepEqual(Object.keys(updates[0]), ['update_id', 'channel_post']);
    const m = updates[0].channel_post;
    assert.deepEqual(m.sender_chat, chChat);
    assert.deepEqual(m.pinned_message, {
      message_id: post.message_id, sender_chat: chChat, chat: chChat, date: post.date, text: 'schedule',
    });
  }
  assert.equal((await pinned(B1, CH)).message_id, post.message_id);
});

test('a private chat: the bot pins without rights and gets its own service message', async () => {
  const start = await say(ANN, B1.id, '/start');
  await take(B1);
  assert.equal(expectOk(await call(B1, 'pinChatMessage', { chat_id: ANN.id, message_id: start.message_id })), true);
  const [update] = await take(B1);
  const chat = { id: ANN.id, first_name: 'Ann', username: 'ann_smith', type: 'private' };
  assert.deepEqual(update.message, {
    message_id: start.message_id + 1, from: botUser(B1), chat, date: update.message.date,
    pinned_message: {
      message_id: start.message_id, from: user(ANN), chat, date: start.date, text: '/start',
      entities: [{ offset: 0, length: 6, type: 'bot_command' }],
    },
  });
  assert.equal((await pinned(B1, ANN.id)).message_id, start.message_id);
  // Deleted, the pinned message is shown as an InaccessibleMessage in the chat's list.
  assert.equal(expectOk(await call(B1, 'deleteMessage', { chat_id: ANN.id, message_id: start.message_id })), true);
  assert.equal(await pinned(B1, ANN.id), undefined);
  const listed = await ctl('GET', `/users/${ANN.id}/chats/${B1.id}/messages`);
  assert.deepEqual(listed.at(-1).pinned_message, { message_id: start.message_id, chat, date: 0 });
});

test('unpinChatMessage takes the newest pin or the one named; unpinAllChatMessages takes all', async () => {
  const [a, b, c] = [await say(ANN, SG, 'a'), await say(ANN, SG, 'b'), await say(ANN, SG, 'c')];
  expectError(await call(B1, 'unpinAllChatMessages', {}), 400, 'Bad Request: chat_id is empty');
  expectError(await call(B2, 'unpinAllChatMessages', { chat_id: SG }), 400,
    'Bad Request: not enough rights to manage pinned messages in the chat');
  assert.equal(expectOk(await call(B1, 'unpinAllChatMessages', { chat_id: SG })), true);
  assert.equal(await pinned(B1, SG), undefined);
  // Nothing pinned: without a message_id there is nothing to unpin; all of none is fine.
  expectError(await call(B1, 'unpinChatMessage', { chat_id: SG }), 400, 'Bad Request: message to unpin not found');
  expectError(await call(B2, 'unpinChatMessage', { chat_id: SG }), 400, 'Bad Request: message to unpin not found');
  assert.equal(expectOk(await call(B1, 'unpinAllChatMessages', { chat_id: SG })), true);

  for (const m of [c, a, b]) assert.equal(expectOk(await call(B1, 'pinChatMessage', { chat_id: SG, message_id: m.message_id })), true);
  assert.equal((await pinned(B1, SG)).message_id, c.message_id); // the highest id, not the last pinned
  expectError(await call(B1, 'unpinChatMessage', { chat_id: SG, message_id: 999999 }), 400, 'Bad Request: message to unpin not found');
  expectError(await call(B2, 'unpinChatMessage', { chat_id: SG }), 400,
    'Bad Request: not enough rights to manage pinned messages in the chat');
  expectError(await call(B2, 'unpinChatMessage', { chat_id: SG, message_id: a.message_id }), 400,
    'Bad Request: not enough rights to manage pinned messages in the chat');
  const service = (await ctl('GET', `/chats/${SG}/messages`)).findLast((m) => m.pinned_message);
  expectError(await call(B1, 'unpinChatMessage', { chat_id: SG, message_id: service.message_id }), 400,
    "Bad Request: service messages can't be pinned");
  await take(B1);
  await take(B2);

  const count = (await ctl('GET', `/chats/${SG}/messages`)).length;
  assert.equal(expectOk(await form(B1, 'unpinChatMessage', { chat_id: String(SG), message_id: 'x' })), true); // none: the newest
  assert.equal((await pinned(B1, SG)).message_id, b.message_id);
  assert.equal(expectOk(await call(B1, 'unpinChatMessage', { chat_id: SG, message_id: a.message_id })), true);
  assert.equal(expectOk(await call(B1, 'unpinChatMessage', { chat_id: SG, message_id: a.message_id })), true); // not pinned: fine
  assert.equal((await pinned(B1, SG)).message_id, b.message_id);
  assert.equal(expectOk(await call(B1, 'unpinAllChatMessages', { chat_id: SG })), true);
  assert.equal(await pinned(B1, SG), undefined);
  // Unpinning posts no service message and no update.
  assert.equal((await ctl('GET', `/chats/${SG}/messages`)).length, count);
  assert.deepEqual(await take(B1), []);
  assert.deepEqual(await take(B2), []);
  assert.equal(expectOk(await call(B1, 'pinChatMessage', { chat_id: SG, message_id: a.message_id })), true);
});

test('pins and their service messages survive a restart', async () => {
  const chatBefore = await pinned(B1, SG);
  const channelBefore = await pinned(B1, CH);
  const listBefore = await ctl('GET', `/chats/${SG}/messages`);
  assert.ok(chatBefore);
  assert.equal(await srv.restart(), 0);
  assert.deepEqual(await pinned(B1, SG), chatBefore);
  assert.deepEqual(await pinned(B1, CH), channelBefore);
  assert.deepEqual(await ctl('GET', `/chats/${SG}/messages`), listBefore);
  assert.equal(expectOk(await call(B1, 'unpinChatMessage', { chat_id: SG })), true);
  assert.equal(await pinned(B1, SG), undefined);
});
