// Service messages about members over a real socket (spec bot-api-moderation.md 9): for each way
// a member arrives or departs, in a basic group, a supergroup and a channel, the Message a bot
// receives, field by field (with the legacy new_chat_participant / left_chat_participant), the
// member update before it, the chat's history as the control plane lists it, and a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { expectOk } from './helpers.mjs';

const B1 = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'svc_admin_bot', first_name: 'Svc Admin' };
const B2 = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'svc_member_bot', first_name: 'Svc Member' };
const ANN = { id: 400001, first_name: 'Ann', username: 'ann_svc' };
const BEN = { id: 400002, first_name: 'Ben' };
const CID = { id: 400003, first_name: 'Cid', last_name: 'Lee' };
const DOT = { id: 400004, first_name: 'Dot' };
const SG = { id: -1001000000801, title: 'Service SG', type: 'supergroup' };
const GR = { id: -4801, title: 'Service Group', type: 'group' };
const CH = { id: -1002000000801, title: 'Service Channel', type: 'channel' };
const UP = { id: -4802, title: 'To Upgrade', type: 'group' };
const RIGHTS = { can_manage_chat: true, can_restrict_members: true, can_invite_users: true, can_promote_members: true };

function world() {
  const members = (withMemberBot) => [
    { user_id: ANN.id, status: 'creator' },
    { user_id: B1.id, status: 'administrator', rights: RIGHTS },
    ...(withMemberBot ? [{ user_id: B2.id, status: 'member' }] : []),
    { user_id: BEN.id, status: 'member' },
  ];
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ANN, BEN, CID, DOT].map((u) => ({ ...u })),
    chats: [
      { ...SG, members: members(true) },
      { ...GR, members: members(true) },
      { ...CH, members: members(false) },
      { ...UP, members: members(true) },
    ],
  };
}

let srv;
before(async () => {
  // --no-guards: these tests poll and set webhooks back to back; the reference's busy-loop
  // guards (a repeated getUpdates cut to 1 update, ...) are tested in guards.test.mjs.
  srv = await startServer({ world: world(), extraArgs: ['--no-guards'] });
  // B1 wants chat_member as well; B2 keeps the default set (message, not chat_member).
  expectOk(await call(B1, 'getUpdates', { allowed_updates: ['message', 'chat_member', 'my_chat_member', 'chat_join_request'] }));
  expectOk(await call(B2, 'getUpdates', {}));
});
after(async () => {
  if (srv) await srv.close();
});

const call = (bot, method, params) => srv.api(bot.token, method, params, { encoding: 'json' });
const botUser = (b) => ({ id: b.id, is_bot: true, first_name: b.first_name, username: b.username });
const user = (u) => ({ id: u.id, is_bot: false, ...u });
// A basic group's Chat in a Message has the reference's two extra fields (updates.test.mjs).
const NO_GIFTS = { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false };
const chatOf = (c) => ({
  id: c.id, title: c.title, type: c.type,
  ...(c.type === 'group' ? { all_members_are_administrators: false, accepted_gift_types: NO_GIFTS } : {}),
});

async function take(bot) {
  const got = expectOk(await call(bot, 'getUpdates', {}));
  if (got.length) await call(bot, 'getUpdates', { offset: got.at(-1).update_id + 1, limit: 1 });
  return got;
}
async function control(method, path, body) {
  const res = await srv.control(method, path, body);
  assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
  return res.json.result;
}
async function history(chat) {
  return control('GET', `/chats/${chat.id}/messages`);
}
async function link(chat, extra = {}) {
  return expectOk(await call(B1, 'createChatInviteLink', { chat_id: chat.id, ...extra })).invite_link;
}

// The Message of a join: the three fields about the user(s), after the common header.
function joinedMessage(chat, from, users, date, id) {
  return {
    message_id: id,
    from,
    chat: chatOf(chat),
    date,
    new_chat_participant: users.find((u) => u.is_bot) ?? users[0],
    new_chat_member: users.find((u) => u.is_bot) ?? users[0],
    new_chat_members: users,
  };
}
function leftMessage(chat, from, who, date, id) {
  return { message_id: id, from, chat: chatOf(chat), date, left_chat_participant: who, left_chat_member: who };
}

// Checks one service message as received and as the chat's history lists it; returns it.
async function expectService(updates, chat, expected) {
  const messages = updates.filter((u) => u.message);
  assert.equal(messages.length, 1, JSON.stringify(updates));
  const got = messages[0].message;
  const want = expected(got.date, got.message_id);
  assert.deepEqual(got, want);
  assert.deepEqual(Object.keys(got), Object.keys(want), 'field order');
  assert.deepEqual((await history(chat)).at(-1), want, 'the chat history has it');
  return got;
}

for (const chat of [SG, GR]) {
  test(`${chat.type}: join through a link: chat_member then new_chat_members from the joiner, to every bot`, async () => {
    await take(B1);
    await take(B2);
    const l = await link(chat);
    const joined = await srv.control('POST', '/join', { user_id: CID.id, invite_link: l });
    assert.equal(joined.status, 200, joined.text);
    const u1 = await take(B1);
    assert.deepEqual(u1.map((u) => Object.keys(u)[1]), ['chat_member', 'message']);
    assert.equal(u1[0].chat_member.invite_link.invite_link, l);
    const m = await expectService(u1, chat, (date, id) => joinedMessage(chat, user(CID), [user(CID)], date, id));
    // B2, a plain member bot without chat_member, gets the same message (privacy mode does not
    // matter for service messages).
    const u2 = await take(B2);
    assert.deepEqual(u2.map((u) => u.message), [m]);
  });

  test(`${chat.type}: leaving, removal by the control plane and a ban by the bot: left_chat_member from whoever did it`, async () => {
    await take(B1);
    await take(B2);
    await control('POST', '/leave', { chat_id: chat.id, user_id: CID.id });
    await expectService(await take(B1), chat, (d, id) => leftMessage(chat, user(CID), user(CID), d, id));
    await take(B2);
    await control('PUT', `/chats/${chat.id}/members/${DOT.id}`, { status: 'member', by: ANN.id });
    await expectService(await take(B1), chat, (d, id) => joinedMessage(chat, user(ANN), [user(DOT)], d, id));
    await control('POST', '/remove', { chat_id: chat.id, user_id: DOT.id, by: ANN.id });
    await expectService(await take(B1), chat, (d, id) => leftMessage(chat, user(ANN), user(DOT), d, id));
    // The bot's own ban: it receives its own left_chat_member (not skipped, spec 9.2).
    expectOk(await call(B1, 'banChatMember', { chat_id: chat.id, user_id: BEN.id }));
    const own = await expectService(await take(B1), chat, (d, id) => leftMessage(chat, botUser(B1), user(BEN), d, id));
    const u2 = await take(B2);
    assert.deepEqual(u2.at(-1).message, own);
  });

  test(`${chat.type}: a member bot removed hears of its own departure; added back, of its arrival`, async () => {
    await take(B1);
    await take(B2);
    await control('PUT', `/chats/${chat.id}/members/${B2.id}`, { status: 'left', by: ANN.id });
    const u2 = await take(B2);
    assert.deepEqual(u2.map((u) => Object.keys(u)[1]), ['my_chat_member', 'message']);
    assert.deepEqual(u2[1].message, leftMessage(chat, user(ANN), botUser(B2), u2[1].message.date, u2[1].message.message_id));
    await take(B1);
    // Gone, it hears of nothing more in the chat.
    await control('PUT', `/chats/${chat.id}/members/${DOT.id}`, { status: 'member', by: ANN.id });
    assert.deepEqual(await take(B2), []);
    await control('PUT', `/chats/${chat.id}/members/${B2.id}`, { status: 'member', by: ANN.id });
    const back = await take(B2);
    assert.deepEqual(back.map((u) => Object.keys(u)[1]), ['my_chat_member', 'message']);
    const m = back[1].message;
    assert.deepEqual(m, joinedMessage(chat, user(ANN), [botUser(B2)], m.date, m.message_id));
  });
}

test('supergroup: an approved join request is the joiner\'s new_chat_members; the chat_member update is from the bot', async () => {
  await take(B1);
  const l = await link(SG, { creates_join_request: true });
  const asked = await srv.control('POST', '/join', { user_id: CID.id, invite_link: l });
  assert.equal(asked.status, 200, asked.text);
  assert.deepEqual((await take(B1)).map((u) => Object.keys(u)[1]), ['chat_join_request']);
  expectOk(await call(B1, 'approveChatJoinRequest', { chat_id: SG.id, user_id: CID.id }));
  const u1 = await take(B1);
  assert.deepEqual(u1.map((u) => Object.keys(u)[1]), ['chat_member', 'message']);
  assert.deepEqual(u1[0].chat_member.from, botUser(B1));
  await expectService(u1, SG, (d, id) => joinedMessage(SG, user(CID), [user(CID)], d, id));
});

test('supergroup: restricting, promoting and unbanning someone already out post no service message', async () => {
  await take(B1);
  const before = (await history(SG)).length;
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG.id, user_id: CID.id, permissions: { can_send_messages: false } }));
  expectOk(await call(B1, 'promoteChatMember', { chat_id: SG.id, user_id: DOT.id, can_invite_users: true }));
  expectOk(await call(B1, 'unbanChatMember', { chat_id: SG.id, user_id: BEN.id, only_if_banned: true }));
  const u1 = await take(B1);
  assert.deepEqual(u1.map((u) => Object.keys(u)[1]), ['chat_member', 'chat_member', 'chat_member']);
  assert.equal((await history(SG)).length, before);
});

test('channel: subscribers come and go without service messages; chat_member tells', async () => {
  await take(B1);
  const l = await link(CH);
  assert.equal((await srv.control('POST', '/join', { user_id: CID.id, invite_link: l })).status, 200);
  await control('POST', '/leave', { chat_id: CH.id, user_id: BEN.id });
  expectOk(await call(B1, 'banChatMember', { chat_id: CH.id, user_id: CID.id }));
  const u1 = await take(B1);
  assert.deepEqual(u1.map((u) => Object.keys(u)[1]), ['chat_member', 'chat_member', 'chat_member']);
  assert.deepEqual(await history(CH), []);
});

test('upgrade: migrate_to_chat_id in the old group, migrate_from_chat_id in the supergroup, from the creator', async () => {
  await take(B1);
  await take(B2);
  const { migrate_to_chat_id: to } = await control('POST', `/chats/${UP.id}/upgrade`, {});
  const SUP = { id: to, title: UP.title, type: 'supergroup' };
  for (const bot of [B1, B2]) {
    const got = (await take(bot)).map((u) => u.message);
    assert.equal(got.length, 2, JSON.stringify(got));
    const [oldSide, newSide] = got;
    assert.deepEqual(oldSide, { message_id: oldSide.message_id, from: user(ANN), chat: chatOf(UP), date: oldSide.date, migrate_to_chat_id: to });
    assert.deepEqual(newSide, { message_id: newSide.message_id, from: user(ANN), chat: chatOf(SUP), date: newSide.date, migrate_from_chat_id: UP.id });
    assert.equal(newSide.message_id, 1, 'the supergroup\'s first message');
  }
  assert.deepEqual((await history(UP)).at(-1).migrate_to_chat_id, to);
  assert.deepEqual((await history(SUP)).map((m) => m.migrate_from_chat_id), [UP.id]);
});

test('service messages survive a restart, in the history and in the queues', async () => {
  await take(B1);
  const l = await link(SG);
  // Ben, banned above, was let free by the unban of someone already out.
  assert.equal((await srv.control('POST', '/join', { user_id: BEN.id, invite_link: l })).status, 200);
  const before = await history(SG);
  const pending = expectOk(await call(B1, 'getUpdates', {}));
  assert.equal(await srv.restart(), 0);
  assert.deepEqual(await history(SG), before);
  assert.deepEqual(expectOk(await call(B1, 'getUpdates', {})), pending);
  assert.deepEqual(pending.at(-1).message.new_chat_members, [user(BEN)]);
});

test('--quiet-joins-above N: in bigger groups users come and go without service messages, bots still post them', async () => {
  // A second server whose groups count as large above 3 members (SG has 4 people).
  const big = await startServer({ world: world(), extraArgs: ['--no-guards', '--quiet-joins-above', '3'] });
  try {
    const api = (bot, method, params) => big.api(bot.token, method, params, { encoding: 'json' });
    const l = expectOk(await api(B1, 'createChatInviteLink', { chat_id: SG.id })).invite_link;
    assert.equal((await big.control('POST', '/join', { user_id: CID.id, invite_link: l })).status, 200);
    assert.equal((await big.control('POST', '/leave', { chat_id: SG.id, user_id: BEN.id })).status, 200);
    const quiet = await big.control('GET', `/chats/${SG.id}/messages`);
    assert.deepEqual(quiet.json.result, []);
    assert.deepEqual(expectOk(await api(B2, 'getUpdates', {})), []);
    // A bot's departure is still posted.
    assert.equal((await big.control('PUT', `/chats/${SG.id}/members/${B2.id}`, { status: 'left', by: ANN.id })).status, 200);
    const posted = (await big.control('GET', `/chats/${SG.id}/messages`)).json.result;
    assert.deepEqual(posted.map((m) => m.left_chat_member?.id), [B2.id]);
  } finally {
    await big.close();
  }
});
