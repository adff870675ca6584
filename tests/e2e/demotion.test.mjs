// What a bot loses when it is demoted or restricted: every invite link it made in the chat
// (named decision: they are revoked when it can no longer invite users), and, restricted without
// can_send_messages, the right to send text (spec bot-api-moderation.md 4.5).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { expectError, expectOk } from './helpers.mjs';

const B1 = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'demoted_demo_bot', first_name: 'Demoted' };
const B2 = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'promoted_demo_bot', first_name: 'Promoted' };
const ANN = { id: 300001, first_name: 'Ann' };
const BEN = { id: 300002, first_name: 'Ben' };
const CID = { id: 300003, first_name: 'Cid' };
const SG = -1001000000901; // Ann creator; B1 administrator that may invite and promote; B2 member
const OTHER = -1001000000902; // Ann creator; B1 administrator that may invite
const TALK = -1001000000903; // Ann creator; B1 member
const RIGHTS = { can_manage_chat: true, can_invite_users: true, can_promote_members: true, can_restrict_members: true };
const EXPIRED = 'Bad Request: INVITE_HASH_EXPIRED';

function world() {
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ANN, BEN, CID].map((u) => ({ ...u })),
    chats: [
      {
        id: SG, type: 'supergroup', title: 'Links',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
          { user_id: B2.id, status: 'member' },
        ],
      },
      {
        id: OTHER, type: 'supergroup', title: 'Other',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
        ],
      },
      {
        id: TALK, type: 'supergroup', title: 'Talk',
        members: [{ user_id: ANN.id, status: 'creator' }, { user_id: B1.id, status: 'member' }],
      },
    ],
  };
}

let srv;
before(async () => {
  srv = await startServer({ world: world() });
});
after(async () => {
  if (srv) await srv.close();
});

const call = (bot, method, params) => srv.api(bot.token, method, params, { encoding: 'json' });
const putMember = async (chat, u, body) =>
  expectOk(await srv.control('PUT', `/chats/${chat}/members/${u.id}`, { by: ANN.id, ...body }));
const join = (u, invite_link) => srv.control('POST', '/join', { user_id: u.id, invite_link });
async function listed(chat) {
  const all = expectOk(await srv.control('GET', `/chats/${chat}/invite-links`));
  return Object.fromEntries(all.map((l) => [l.invite_link, l]));
}

test('a bot that loses can_invite_users loses every link it made in that chat', async () => {
  const primary = expectOk(await call(B1, 'exportChatInviteLink', { chat_id: SG }));
  const a = expectOk(await call(B1, 'createChatInviteLink', { chat_id: SG, name: 'a' })).invite_link;
  const b = expectOk(await call(B1, 'createChatInviteLink', { chat_id: SG, name: 'b', member_limit: 5 })).invite_link;
  const elsewhere = expectOk(await call(B1, 'createChatInviteLink', { chat_id: OTHER })).invite_link;

  // Ann keeps B1 an administrator, without can_invite_users.
  await putMember(SG, B1, { status: 'administrator', rights: { can_manage_chat: true, can_promote_members: true } });
  const links = await listed(SG);
  for (const l of [primary, a, b]) assert.equal(links[l].is_revoked, true, l);
  assert.equal((await listed(OTHER))[elsewhere].is_revoked, false, "another chat's link");
  await join(BEN, a).then((res) => expectError(res, 400, EXPIRED));
  await join(BEN, primary).then((res) => expectError(res, 400, EXPIRED));
  assert.equal(expectOk(await call(B1, 'getChat', { chat_id: SG })).invite_link, undefined);

  // Given the right back, the old links stay revoked; new ones work.
  await putMember(SG, B1, { status: 'administrator', rights: RIGHTS });
  assert.equal((await listed(SG))[b].is_revoked, true);
  const fresh = expectOk(await call(B1, 'createChatInviteLink', { chat_id: SG })).invite_link;
  assert.equal(expectOk(await join(BEN, fresh)).status, 'joined');
});

test('a bot demoted by another bot through promoteChatMember loses its links too', async () => {
  expectOk(await call(B1, 'promoteChatMember', { chat_id: SG, user_id: B2.id, can_invite_users: true }));
  const link = expectOk(await call(B2, 'createChatInviteLink', { chat_id: SG, name: 'b2' })).invite_link;
  const own = expectOk(await call(B1, 'createChatInviteLink', { chat_id: SG, name: 'b1' })).invite_link;
  assert.equal((await listed(SG))[link].is_revoked, false);
  expectOk(await call(B1, 'promoteChatMember', { chat_id: SG, user_id: B2.id }));
  const links = await listed(SG);
  assert.equal(links[link].is_revoked, true);
  assert.equal(links[own].is_revoked, false, "the demoting bot's link");
  await join(CID, link).then((res) => expectError(res, 400, EXPIRED));
  // Its own links are no longer its to manage.
  expectError(await call(B2, 'revokeChatInviteLink', { chat_id: SG, invite_link: link }), 400,
    'Bad Request: not enough rights to manage chat invite link');
  // A restart keeps them revoked.
  assert.equal(await srv.restart(), 0);
  assert.equal((await listed(SG))[link].is_revoked, true);
  await join(CID, link).then((res) => expectError(res, 400, EXPIRED));
});

test('a bot restricted without can_send_messages may not send text in a supergroup', async () => {
  expectOk(await call(B1, 'sendMessage', { chat_id: TALK, text: 'hello' }));
  await putMember(TALK, B1, { status: 'restricted', permissions: { can_send_polls: true, can_send_messages: false } });
  expectError(await call(B1, 'sendMessage', { chat_id: TALK, text: 'still here?' }), 400,
    'Bad Request: not enough rights to send text messages to the chat');
  await putMember(TALK, B1, { status: 'restricted', permissions: { can_send_messages: true } });
  expectOk(await call(B1, 'sendMessage', { chat_id: TALK, text: 'back' }));
});
