// banChatSenderChat and unbanChatSenderChat over a real socket (spec bot-api-moderation.md 6.3):
// the checks in the reference's order with the exact texts, the ban kept per chat and shown by
// GET /control/v1/chats/{id}, no member updates for chats, a positive sender_chat_id handled as a
// user by the member methods, and bans that survive a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { expectError, expectOk, serverNow } from './helpers.mjs';

const B1 = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'sender_demo_bot', first_name: 'Sender Demo' };
const B2 = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'weak_sender_bot', first_name: 'Weak Sender' };
const ANN = { id: 300001, first_name: 'Ann' };
const BEN = { id: 300002, first_name: 'Ben' };
const CID = { id: 300003, first_name: 'Cid' };
const DOT = { id: 300004, first_name: 'Dot' };
const SG = -1001000000801; // B1 administrator that may restrict, B2 administrator that may not
const CH = -1002000000801; // B1 administrator that may restrict
const GR = -4801; // basic group: B1 administrator; Ben and Dot members
const KICKED = -1001000000802; // B1 kicked
const SENDER = -1002000000802; // a channel of Ann's, the sender chat banned in the tests
const SENDER_SG = -1001000000803; // a supergroup of Ann's, also banned as a sender chat
const UNKNOWN_CHANNEL = -1002999999999;
const RIGHTS = { can_manage_chat: true, can_restrict_members: true, can_invite_users: true };

function world() {
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ANN, BEN, CID, DOT].map((u) => ({ ...u })),
    chats: [
      {
        id: SG, type: 'supergroup', title: 'Moderated',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
          { user_id: B2.id, status: 'administrator', rights: { can_manage_chat: true } },
          { user_id: BEN.id, status: 'member' },
          { user_id: CID.id, status: 'member' },
        ],
      },
      {
        id: CH, type: 'channel', title: 'News',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
        ],
      },
      {
        id: GR, type: 'group', title: 'Small',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
          { user_id: BEN.id, status: 'member' },
          { user_id: DOT.id, status: 'member' },
        ],
      },
      {
        id: KICKED, type: 'supergroup', title: 'Gone',
        members: [{ user_id: ANN.id, status: 'creator' }, { user_id: B1.id, status: 'kicked' }],
      },
      { id: SENDER, type: 'channel', title: 'Loud Channel', members: [{ user_id: ANN.id, status: 'creator' }] },
      { id: SENDER_SG, type: 'supergroup', title: 'Loud Group', members: [{ user_id: ANN.id, status: 'creator' }] },
    ],
  };
}

let srv;
before(async () => {
  srv = await startServer({ world: world() });
  for (const b of [B1, B2])
    expectOk(await call(b, 'getUpdates', { allowed_updates: ['message', 'my_chat_member', 'chat_member'] }));
});
after(async () => {
  if (srv) await srv.close();
});

const call = (bot, method, params) => srv.api(bot.token, method, params, { encoding: 'json' });
const ban = (bot, params) => call(bot, 'banChatSenderChat', params);
const unban = (bot, params) => call(bot, 'unbanChatSenderChat', params);
const user = (u) => ({ id: u.id, is_bot: false, first_name: u.first_name });
const chatView = async (id) => expectOk(await srv.control('GET', `/chats/${id}`));

async function take(bot) {
  const got = expectOk(await call(bot, 'getUpdates', {}));
  if (got.length) await call(bot, 'getUpdates', { offset: got.at(-1).update_id + 1, limit: 1 });
  return got;
}
async function status(chat_id, u) {
  return expectOk(await call(B1, 'getChatMember', { chat_id, user_id: u.id }));
}

test('a sender chat is banned and unbanned per chat, shown by the control plane, with no updates', async () => {
  await take(B1);
  await take(B2);
  assert.deepEqual(await chatView(SG), { id: SG, type: 'supergroup', title: 'Moderated', banned_sender_chats: [] });

  assert.equal(expectOk(await ban(B1, { chat_id: SG, sender_chat_id: SENDER })), true);
  assert.equal(expectOk(await ban(B1, { chat_id: SG, sender_chat_id: SENDER_SG, until_date: 1 })), true);
  // Banned again: true again.
  assert.equal(expectOk(await ban(B1, { chat_id: SG, sender_chat_id: SENDER })), true);
  assert.equal(expectOk(await ban(B1, { chat_id: CH, sender_chat_id: SENDER })), true);
  assert.deepEqual(await chatView(SG), {
    id: SG, type: 'supergroup', title: 'Moderated', banned_sender_chats: [SENDER, SENDER_SG],
  });
  assert.deepEqual((await chatView(CH)).banned_sender_chats, [SENDER]);
  assert.deepEqual((await chatView(SENDER)).banned_sender_chats, []);

  assert.equal(expectOk(await unban(B1, { chat_id: SG, sender_chat_id: SENDER })), true);
  assert.deepEqual((await chatView(SG)).banned_sender_chats, [SENDER_SG]);
  // Not banned: still true.
  assert.equal(expectOk(await unban(B1, { chat_id: SG, sender_chat_id: SENDER })), true);
  // Form-encoded too.
  assert.equal(expectOk(await srv.api(B1.token, 'unbanChatSenderChat',
    { chat_id: String(SG), sender_chat_id: String(SENDER_SG) }, { encoding: 'form' })), true);
  assert.deepEqual((await chatView(SG)).banned_sender_chats, []);

  // Chats are not members: no chat_member for anyone.
  assert.deepEqual(await take(B1), []);
  assert.deepEqual(await take(B2), []);
  expectError(await srv.control('GET', '/chats/-1001999999999'), 400, 'Bad Request: unknown chat -1001999999999');
});

test('refusals in the reference order and words', async () => {
  for (const method of [ban, unban]) {
    expectError(await method(B1, {}), 400, 'Bad Request: chat_id is empty');
    expectError(await method(B1, { sender_chat_id: SENDER }), 400, 'Bad Request: chat_id is empty');
    // The chat is checked before sender_chat_id is read.
    expectError(await method(B1, { chat_id: -1001999999999 }), 400, 'Bad Request: chat not found');
    expectError(await method(B1, { chat_id: KICKED, sender_chat_id: 'x' }), 403,
      'Forbidden: bot was kicked from the supergroup chat');
    expectError(await method(B1, { chat_id: SG }), 400, 'Bad Request: sender_chat_id is empty');
    expectError(await method(B1, { chat_id: SG, sender_chat_id: '' }), 400, 'Bad Request: sender_chat_id is empty');
    for (const bad of ['+42', '042', '-0', '12a', ' 12', '1.5', '9223372036854775808', '@loud'])
      expectError(await method(B1, { chat_id: SG, sender_chat_id: bad }), 400,
        'Bad Request: sender_chat_id is not a valid Integer', undefined, bad);
    // Ids no chat can have, before the chat's type.
    for (const bad of [0, 2 ** 40, -1000000000000, -2000000000000, -3000000000000]) {
      for (const chat_id of [SG, GR, BEN.id])
        expectError(await method(B1, { chat_id, sender_chat_id: bad }), 400,
          'Bad Request: invalid chat identifier specified', undefined, `${chat_id} ${bad}`);
    }
    // A chat the world does not have; a basic group; a bot without can_restrict_members.
    expectError(await method(B1, { chat_id: SG, sender_chat_id: UNKNOWN_CHANNEL }), 400, 'Bad Request: member not found');
    expectError(await method(B1, { chat_id: CH, sender_chat_id: GR }), 400, "Bad Request: can't restrict the chat");
    expectError(await method(B2, { chat_id: SG, sender_chat_id: SENDER }), 400,
      'Bad Request: not enough rights to restrict/unrestrict chat member');
  }
  // Private chats (with a user the bot knows) and basic groups.
  expectError(await ban(B1, { chat_id: BEN.id, sender_chat_id: SENDER }), 400, "Bad Request: can't ban members in private chats");
  expectError(await unban(B1, { chat_id: BEN.id, sender_chat_id: SENDER }), 400,
    "Bad Request: chat member status can't be changed in private chats");
  expectError(await ban(B1, { chat_id: GR, sender_chat_id: SENDER }), 400, "Bad Request: can't ban chats in basic groups");
  assert.equal(expectOk(await unban(B1, { chat_id: GR, sender_chat_id: SENDER })), true);
  assert.deepEqual((await chatView(SG)).banned_sender_chats, []);
  assert.deepEqual((await chatView(GR)).banned_sender_chats, []);
});

test('a positive sender_chat_id is a user: banned and unbanned as banChatMember and unbanChatMember do', async () => {
  await take(B1);
  const until = (await serverNow(srv)) + 3600;
  assert.equal(expectOk(await ban(B1, { chat_id: SG, sender_chat_id: CID.id, until_date: until })), true);
  assert.deepEqual(await status(SG, CID), { user: user(CID), status: 'kicked', until_date: until });
  const [banned] = await take(B1);
  assert.deepEqual(banned.chat_member.old_chat_member, { user: user(CID), status: 'member' });
  assert.deepEqual(banned.chat_member.new_chat_member, { user: user(CID), status: 'kicked', until_date: until });
  assert.equal(banned.chat_member.from.id, B1.id);
  assert.equal(expectOk(await unban(B1, { chat_id: SG, sender_chat_id: CID.id })), true);
  assert.deepEqual(await status(SG, CID), { user: user(CID), status: 'left' });
  // Without only_if_banned, a member is removed: kicked, then left.
  await take(B1);
  assert.equal(expectOk(await unban(B1, { chat_id: SG, sender_chat_id: BEN.id })), true);
  assert.deepEqual(await status(SG, BEN), { user: user(BEN), status: 'left' });
  // (and the supergroup's left_chat_member service message between them)
  const removal = await take(B1);
  assert.deepEqual(removal.map((u) => u.chat_member?.new_chat_member.status ?? 'message'), ['kicked', 'message', 'left']);
  assert.equal(removal[1].message.left_chat_member.id, BEN.id);
  expectError(await ban(B1, { chat_id: SG, sender_chat_id: ANN.id }), 400, "Bad Request: can't remove chat owner");
  expectError(await ban(B1, { chat_id: SG, sender_chat_id: B1.id }), 400, "Bad Request: can't restrict self");
  expectError(await ban(B1, { chat_id: SG, sender_chat_id: 999999 }), 400, 'Bad Request: PARTICIPANT_ID_INVALID');
  expectError(await ban(B2, { chat_id: SG, sender_chat_id: CID.id }), 400,
    'Bad Request: not enough rights to restrict/unrestrict chat member');
  // A basic group: ban and unban both remove the user.
  assert.equal(expectOk(await ban(B1, { chat_id: GR, sender_chat_id: BEN.id })), true);
  assert.equal(expectOk(await unban(B1, { chat_id: GR, sender_chat_id: DOT.id })), true);
  assert.equal((await status(GR, BEN)).status, 'left');
  assert.equal((await status(GR, DOT)).status, 'left');
  expectError(await unban(B1, { chat_id: GR, sender_chat_id: DOT.id }), 400, 'Bad Request: USER_NOT_PARTICIPANT');
});

test('sender chat bans survive a restart', async () => {
  expectOk(await ban(B1, { chat_id: SG, sender_chat_id: SENDER }));
  expectOk(await ban(B1, { chat_id: CH, sender_chat_id: SENDER_SG }));
  assert.equal(await srv.restart(), 0);
  assert.deepEqual((await chatView(SG)).banned_sender_chats, [SENDER]);
  // SENDER has been banned in CH since the first test.
  assert.deepEqual((await chatView(CH)).banned_sender_chats, [SENDER, SENDER_SG]);
  expectOk(await unban(B1, { chat_id: SG, sender_chat_id: SENDER }));
  await srv.kill();
  await srv.start();
  assert.deepEqual((await chatView(SG)).banned_sender_chats, []);
  assert.deepEqual((await chatView(CH)).banned_sender_chats, [SENDER, SENDER_SG]);
});
