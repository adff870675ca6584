// exportChatInviteLink: every row of spec 2.2 the world can express, revocation and joins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  B1,
  B2,
  ALICE,
  CAROL,
  FRANK,
  GRACE,
  HEIDI,
  IVAN,
  UNKNOWN_USER,
  SG_MAIN,
  SG_NORIGHTS,
  SG_MEMBER,
  SG_RESTRICTED,
  SG_LEFT,
  SG_KICKED,
  SG_NORECORD,
  SG_PUB_NORECORD,
  SG_PUB_LEFT,
  SG_CREATOR,
  CH_MAIN,
  CH_KICKED,
  CH_PUB_NORECORD,
  CH_LEFT,
  CH_NORIGHTS,
  GR_MAIN,
  GR_MEMBER,
  GR_LEFT,
  GR_KICKED,
  GR_NORIGHTS,
  testWorld,
  expectError,
  expectOk,
  expectLink,
  exportLink,
  listLinks,
  findLink,
  join,
  expectJoinOk,
  expectJoinRefused,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
  expectAlive,
} from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
});
after(async () => {
  if (srv) await srv.close();
});

function exp(chatId, token = B1.token) {
  return srv.api(token, 'exportChatInviteLink', { chat_id: chatId });
}

const RIGHTS = 'Bad Request: not enough rights to manage chat invite link';
const NOT_FOUND = 'Bad Request: chat not found';
const PRIVATE = "Bad Request: can't invite members to a private chat";

test('2.2.1: chat_id missing or empty', async () => {
  expectError(await srv.api(B1.token, 'exportChatInviteLink'), 400, 'Bad Request: chat_id is empty');
  expectError(await srv.api(B1.token, 'exportChatInviteLink', {}), 400, 'Bad Request: chat_id is empty');
  expectError(await exp(''), 400, 'Bad Request: chat_id is empty');
  expectError(
    await srv.api(B1.token, 'exportChatInviteLink', { chat_id: '' }, { encoding: 'form' }),
    400,
    'Bad Request: chat_id is empty',
  );
  expectError(
    await srv.api(B1.token, 'exportChatInviteLink', { chat_id: '' }, { encoding: 'query' }),
    400,
    'Bad Request: chat_id is empty',
  );
  expectError(
    await srv.api(B1.token, 'exportChatInviteLink', { chatid: SG_MAIN }),
    400,
    'Bad Request: chat_id is empty',
  );
  expectError(
    await srv.api(B1.token, 'exportChatInviteLink', { Chat_Id: SG_MAIN }),
    400,
    'Bad Request: chat_id is empty',
  );
});

test('2.2.1: unknown or unreachable numeric ids are chat not found', async () => {
  for (const id of [-1001999999999, -1009, -999999999999, 123456, 1, 0, '0', 'abc', '-', '+-1001000000001', ' -1001000000001']) {
    expectError(await exp(id), 400, NOT_FOUND, undefined, `chat_id ${JSON.stringify(id)}`);
  }
  expectError(await exp(SG_NORECORD), 400, NOT_FOUND);
});

test('2.2.1: @username lookups', async () => {
  expectLink(expectOk(await exp('@demo_group')));
  expectLink(expectOk(await exp('@DEMO_GROUP')));
  expectLink(expectOk(await exp('@Demo_Group')));
  expectLink(expectOk(await exp('@demo_channel')));
  expectError(await exp('@alice'), 400, NOT_FOUND); // a user's username
  expectError(await exp('@carol'), 400, NOT_FOUND);
  expectError(await exp('@nosuchname'), 400, NOT_FOUND);
  expectError(await exp('@'), 400, NOT_FOUND);
  expectError(await exp('@invite_demo_bot'), 400, PRIVATE); // bots resolve to their private chat
  expectError(await exp('@SECOND_helper_bot'), 400, PRIVATE);
  expectError(await exp('@pub_nobot'), 403, 'Forbidden: bot is not a member of the supergroup chat');
  expectError(await exp('@chan_nobot'), 403, 'Forbidden: bot is not a member of the channel chat');
});

test('2.2.3: private chats with a user or a bot', async () => {
  expectError(await exp(ALICE), 400, PRIVATE);
  expectError(await exp(CAROL), 400, PRIVATE);
  expectError(await exp(B1.id), 400, PRIVATE);
  expectError(await exp(B2.id), 400, PRIVATE);
  expectError(await exp(UNKNOWN_USER), 400, NOT_FOUND);
});

test('2.2.2: supergroups the bot is not in, left, or was kicked from', async () => {
  expectError(await exp(SG_PUB_NORECORD), 403, 'Forbidden: bot is not a member of the supergroup chat');
  expectError(await exp(SG_PUB_LEFT), 403, 'Forbidden: bot is not a member of the supergroup chat');
  expectError(await exp('@pub_left'), 403, 'Forbidden: bot is not a member of the supergroup chat');
  expectError(await exp(SG_LEFT), 403, 'Forbidden: bot is not a member of the supergroup chat');
  expectError(await exp(SG_KICKED), 403, 'Forbidden: bot was kicked from the supergroup chat');
});

test('2.2.2: channels the bot is not in, left, or was kicked from', async () => {
  expectError(await exp(CH_PUB_NORECORD), 403, 'Forbidden: bot is not a member of the channel chat');
  expectError(await exp(CH_LEFT), 403, 'Forbidden: bot is not a member of the channel chat');
  expectError(await exp(CH_KICKED), 403, 'Forbidden: bot was kicked from the channel chat');
});

test('2.2.2: basic groups the bot left or was kicked from', async () => {
  expectError(await exp(GR_LEFT), 403, 'Forbidden: bot is not a member of the group chat');
  expectError(await exp(GR_KICKED), 403, 'Forbidden: bot was kicked from the group chat');
});

test('2.2.3: member, restricted, or administrator without can_invite_users', async () => {
  for (const id of [SG_MEMBER, SG_RESTRICTED, SG_NORIGHTS, CH_NORIGHTS, GR_MEMBER, GR_NORIGHTS]) {
    expectError(await exp(id), 400, RIGHTS, undefined, `chat ${id}`);
  }
});

test('success: creator and administrators with can_invite_users, in every chat type', async () => {
  for (const id of [SG_MAIN, SG_CREATOR, CH_MAIN, GR_MAIN]) {
    const res = await exp(id);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.match(res.text, /^\{"ok":true,"result":"https:\/\/t\.me\/\+[A-Za-z0-9_-]{16}"\}$/);
    expectLink(res.json.result);
    const entry = await findLink(srv, id, res.json.result);
    assert.equal(entry.chat_id, id);
    assert.equal(entry.creator_id, B1.id);
    assert.equal(entry.is_primary, true);
    assert.equal(entry.is_revoked, false);
  }
});

test('lenient chat_id parsing: digits up to the first non-digit', async () => {
  expectLink(expectOk(await exp('-1001000000001abc')));
  expectLink(expectOk(await exp('-1001000000001.5')));
  expectLink(expectOk(await exp('-4001e3')));
  expectLink(expectOk(await exp(String(SG_MAIN))));
});

test('each call makes a new link and revokes the previous one; joins follow', async () => {
  for (const [chatId, type] of [
    [SG_MAIN, 'supergroup'],
    [CH_MAIN, 'channel'],
    [GR_MAIN, 'group'],
  ]) {
    const l1 = await exportLink(srv, B1.token, chatId);
    const l2 = await exportLink(srv, B1.token, chatId);
    assert.notEqual(l1, l2, type);
    const e1 = await findLink(srv, chatId, l1);
    const e2 = await findLink(srv, chatId, l2);
    assert.equal(e1.is_revoked, true, `${type}: the previous primary link is revoked`);
    assert.equal(e2.is_revoked, false, type);
    assert.equal(e2.is_primary, true, type);
    assert.equal(e2.creator_id, B1.id, type);
    // at most one active primary link of B1
    const active = (await listLinks(srv, chatId)).filter(
      (l) => l.creator_id === B1.id && l.is_primary && !l.is_revoked,
    );
    assert.deepEqual(active.map((l) => l.invite_link), [l2], type);

    await expectJoinRefused(srv, GRACE, l1, 'Bad Request: INVITE_HASH_EXPIRED');
    const j = await expectJoinOk(srv, GRACE, l2, chatId);
    assert.equal(j.invite_link, l2);
    await expectJoinRefused(srv, GRACE, l2, 'Bad Request: USER_ALREADY_PARTICIPANT');
    const member = expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: chatId, user_id: GRACE }));
    assert.equal(member.status, 'member', type);
    const e2after = await findLink(srv, chatId, l2);
    assert.equal(e2after.join_count, 1, type);
    assert.deepEqual(
      e2after.joins.map((x) => x.user_id),
      [GRACE],
      type,
    );
  }
});

test('many exports are all distinct, only the last one is active', async () => {
  const seen = new Set();
  for (let i = 0; i < 8; i++) seen.add(await exportLink(srv, B1.token, SG_CREATOR));
  assert.equal(seen.size, 8);
  const links = await listLinks(srv, SG_CREATOR);
  const last = [...seen].at(-1);
  for (const l of links) {
    if (!seen.has(l.invite_link)) continue;
    assert.equal(l.is_revoked, l.invite_link !== last, l.invite_link);
  }
});

test("another administrator's primary link is untouched", async () => {
  const other = await exportLink(srv, B2.token, SG_MAIN);
  await exportLink(srv, B1.token, SG_MAIN);
  await exportLink(srv, B1.token, SG_MAIN);
  const entry = await findLink(srv, SG_MAIN, other);
  assert.equal(entry.is_revoked, false);
  assert.equal(entry.creator_id, B2.id);
  assert.equal(entry.is_primary, true);
  await expectJoinOk(srv, HEIDI, other, SG_MAIN);
  // and B2 replacing its own link does not touch B1's
  const mine = await exportLink(srv, B1.token, SG_MAIN);
  await exportLink(srv, B2.token, SG_MAIN);
  assert.equal((await findLink(srv, SG_MAIN, other)).is_revoked, true);
  assert.equal((await findLink(srv, SG_MAIN, mine)).is_revoked, false);
  await expectJoinOk(srv, IVAN, mine, SG_MAIN);
});

test('join refusals', async () => {
  const link = await exportLink(srv, B1.token, SG_MAIN);
  await expectJoinRefused(srv, FRANK, link, 'Bad Request: CHANNEL_PRIVATE');
  await expectJoinRefused(srv, ALICE, link, 'Bad Request: USER_ALREADY_PARTICIPANT');
  await expectJoinRefused(srv, UNKNOWN_USER, link, 'Bad Request: user not found');
  await expectJoinRefused(srv, GRACE, 'https://t.me/+AAAAAAAAAAAAAAAA', 'Bad Request: INVITE_HASH_EXPIRED');
  const hash = expectLink(link);
  if (hash.toLowerCase() !== hash) {
    await expectJoinRefused(srv, GRACE, `https://t.me/+${hash.toLowerCase()}`, 'Bad Request: INVITE_HASH_EXPIRED');
  }
});

test('join accepts t.me/+HASH, joinchat/HASH and the bare hash', async () => {
  const users = [GRACE, HEIDI, IVAN];
  const forms = [(h) => `t.me/+${h}`, (h) => `https://t.me/joinchat/${h}`, (h) => h];
  for (let i = 0; i < forms.length; i++) {
    const link = await exportLink(srv, B1.token, SG_CREATOR);
    const res = await join(srv, users[i], forms[i](expectLink(link)));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.result.chat_id, SG_CREATOR);
  }
});

test('the server still serves after all of this', async () => {
  await expectAlive(srv);
});

test('the log holds no secrets', () => {
  assertNoSecretsInLogs(srv);
});
