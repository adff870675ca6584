// The control plane: auth, world loading, PUTs that change what the Bot API answers, upgrades.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, CONTROL_TOKEN } from '../support/server.mjs';
import {
  B1,
  B2,
  ALICE,
  CAROL,
  DAVE,
  GRACE,
  HEIDI,
  IVAN,
  UNKNOWN_USER,
  SG_MAIN,
  SG_NORECORD,
  CH_MAIN,
  GR_MAIN,
  GR_UPGRADE,
  GR_UPGRADE2,
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

const B4 = {
  id: 7000000050,
  token: '7000000050:AAKm2Nn3Bb4Vv5Cc6Xx7Zz8Ll9Kk0Jj1HhGf',
  username: 'fresh_control_bot',
  first_name: 'Fresh',
};
const FRESH_USER = 100050;
const FRESH_CHAT = -1001000000077;
const FRESH_CHANNEL = -1001000000078;

let srv;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
});
after(async () => {
  if (srv) await srv.close();
});

const AUTH_ERR = 'Unauthorized: control token required';
const EXPIRED = 'Bad Request: INVITE_HASH_EXPIRED';

function ctl(method, path, body) {
  return srv.control(method, path, body);
}
function ctlOk(res) {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.ok, true, res.text);
  return res.json.result;
}
const exp = (chatId, token = B1.token) => srv.api(token, 'exportChatInviteLink', { chat_id: chatId });

test('401 without the right Bearer token', async () => {
  const cases = [
    ['GET', `/chats/${SG_MAIN}/invite-links`, undefined],
    ['POST', '/world', testWorld()],
    ['PUT', `/users/${FRESH_USER}`, { first_name: 'X' }],
    ['POST', '/join', { user_id: GRACE, invite_link: 'https://t.me/+AAAAAAAAAAAAAAAA' }],
    ['GET', '/nothing', undefined],
  ];
  for (const [m, p, b] of cases) {
    expectError(await srv.control(m, p, b, { token: null }), 401, AUTH_ERR, undefined, `${m} ${p} no header`);
    expectError(await srv.control(m, p, b, { token: 'wrong-token' }), 401, AUTH_ERR, undefined, `${m} ${p} wrong`);
    expectError(
      await srv.control(m, p, b, { token: CONTROL_TOKEN.toUpperCase() }),
      401,
      AUTH_ERR,
      undefined,
      `${m} ${p} case`,
    );
    expectError(await srv.control(m, p, b, { token: `${CONTROL_TOKEN}x` }), 401, AUTH_ERR, undefined, `${m} ${p} longer`);
  }
  // not Bearer
  const res = await fetch(`${srv.base}/control/v1/chats/${SG_MAIN}/invite-links`, {
    headers: { authorization: `Basic ${CONTROL_TOKEN}` },
  });
  assert.equal(res.status, 401);
  assert.equal(await res.text(), JSON.stringify({ ok: false, error_code: 401, description: AUTH_ERR }));
  // nothing was applied
  expectError(await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN, user_id: FRESH_USER }), 400, 'Bad Request: user not found');
});

test('404 for unknown control paths, 405 for a wrong method', async () => {
  expectError(await ctl('GET', '/nothing'), 404, 'Not Found');
  expectError(await ctl('GET', '/world'), 405, 'Method Not Allowed');
  expectError(await ctl('GET', '/join'), 405, 'Method Not Allowed');
});

async function snapshot() {
  const s = {};
  // getChat may make a primary link on demand: do that before anything is recorded
  for (const id of [SG_MAIN, CH_MAIN, GR_MAIN]) expectOk(await srv.api(B1.token, 'getChat', { chat_id: id }));
  for (const id of [SG_MAIN, CH_MAIN, GR_MAIN]) {
    s[`links ${id}`] = await listLinks(srv, id);
    s[`admins ${id}`] = expectOk(
      await srv.api(B1.token, 'getChatAdministrators', { chat_id: id, return_bots: true }),
    ).sort((a, b) => a.user.id - b.user.id);
    s[`count ${id}`] = expectOk(await srv.api(B1.token, 'getChatMemberCount', { chat_id: id }));
    s[`chat ${id}`] = expectOk(await srv.api(B1.token, 'getChat', { chat_id: id }));
    for (const u of [ALICE, CAROL, DAVE, GRACE, B2.id]) {
      s[`member ${id} ${u}`] = expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: id, user_id: u }));
    }
  }
  s.me = expectOk(await srv.api(B1.token, 'getMe'));
  s.me2 = expectOk(await srv.api(B2.token, 'getMe'));
  return s;
}

test('POST /world twice changes nothing', async () => {
  // some state beyond the file first: links and a join
  await exportLink(srv, B1.token, SG_MAIN);
  const l = await exportLink(srv, B1.token, GR_MAIN);
  await expectJoinOk(srv, GRACE, l, GR_MAIN);
  const s1 = await snapshot();
  const w = testWorld();
  const r1 = ctlOk(await ctl('POST', '/world', w));
  assert.deepEqual(r1, { bots: w.bots.length, users: w.users.length, chats: w.chats.length });
  const s2 = await snapshot();
  assert.deepEqual(s2, s1);
  const r2 = ctlOk(await ctl('POST', '/world', w));
  assert.deepEqual(r2, r1);
  const s3 = await snapshot();
  assert.deepEqual(s3, s1);
  await expectJoinOk(srv, HEIDI, l, GR_MAIN); // the link still works
});

function badWorldCase(mutate) {
  const w = testWorld();
  w.users.push({ id: 100099, first_name: 'Should Not Exist' });
  w.chats[0] = { ...w.chats[0], title: 'Changed Title' };
  mutate(w);
  return w;
}

test('a bad world is refused whole, with the JSON path of the problem', async () => {
  const cases = [
    [
      '$.chats[0].members[1]',
      (w) => {
        w.chats[0].members = [
          { user_id: ALICE, status: 'creator' },
          { user_id: CAROL, status: 'admin' },
        ];
      },
    ],
    [
      '$.chats[0].members',
      (w) => {
        w.chats[0].members = [
          { user_id: ALICE, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: { can_invite_users: true } },
          { user_id: CAROL, status: 'creator' },
        ];
      },
    ],
    ['$.bots[0]', (w) => (w.bots[0] = { ...w.bots[0], username: 'not_a_b0t_name' })],
    ['$.bots[1]', (w) => (w.bots[1] = { ...w.bots[1], token: `${B2.id}:tooshort` })],
    ['$.bots[0]', (w) => (w.bots[0] = { ...w.bots[0], id: 2 ** 54, token: `${2 ** 54}:${B1.token.split(':')[1]}` })],
    ['$.users[2]', (w) => delete w.users[2].first_name],
    ['$.users[0]', (w) => (w.users[0] = { ...w.users[0], id: -5 })],
    ['$.chats[1]', (w) => (w.chats[1] = { ...w.chats[1], type: 'private' })],
    ['$.chats[2]', (w) => (w.chats[2] = { ...w.chats[2], type: 'group' })], // -100... id for a group
    ['$.chats[0].members[0]', (w) => (w.chats[0].members[0] = { user_id: 555555, status: 'member' })],
  ];
  for (const [path, mutate] of cases) {
    const res = await ctl('POST', '/world', badWorldCase(mutate));
    assert.equal(res.status, 400, `${path}: ${res.text}`);
    assert.equal(res.json.ok, false);
    assert.equal(res.json.error_code, 400);
    assert.ok(res.json.description.startsWith('Bad Request: '), res.json.description);
    assert.ok(res.json.description.includes(path), `${path} in ${res.json.description}`);
  }
  const res = await ctl('POST', '/world', '{"bots":[');
  assert.equal(res.status, 400, res.text);
  const res2 = await ctl('POST', '/world', '[]');
  assert.equal(res2.status, 400, res2.text);

  // nothing of any of them was applied
  assert.equal(expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN })).title, 'Demo');
  expectError(await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN, user_id: 100099 }), 400, 'Bad Request: user not found');
  assert.equal(expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN, user_id: CAROL })).status, 'member');
  assert.equal(expectOk(await srv.api(B1.token, 'getMe')).username, B1.username);
  expectOk(await srv.api(B2.token, 'getMe'));
});

test('PUT bot creates a bot that then works', async () => {
  const put = ctlOk(await ctl('PUT', `/bots/${B4.id}`, { token: B4.token, username: B4.username, first_name: B4.first_name }));
  const me = expectOk(await srv.api(B4.token, 'getMe'));
  assert.deepEqual(put, me);
  assert.equal(me.id, B4.id);
  assert.equal(me.username, B4.username);
  assert.equal(me.can_join_groups, true);
  // update: flags and names
  const put2 = ctlOk(
    await ctl('PUT', `/bots/${B4.id}`, {
      token: B4.token,
      username: B4.username,
      first_name: 'Renamed',
      last_name: 'Bot',
      supports_inline_queries: true,
    }),
  );
  const me2 = expectOk(await srv.api(B4.token, 'getMe'));
  assert.deepEqual(put2, me2);
  assert.equal(me2.first_name, 'Renamed');
  assert.equal(me2.last_name, 'Bot');
  assert.equal(me2.supports_inline_queries, true);
  assert.deepEqual(Object.keys(me2).slice(0, 5), ['id', 'is_bot', 'first_name', 'last_name', 'username']);
  // bad bots
  assert.equal((await ctl('PUT', `/bots/${B4.id}`, { token: B4.token, username: 'nope', first_name: 'x' })).status, 400);
  assert.equal((await ctl('PUT', `/bots/${B4.id}`, { token: `${B4.id}:short`, username: B4.username, first_name: 'x' })).status, 400);
  assert.equal((await ctl('PUT', `/bots/${B4.id}`, { token: B1.token, username: B4.username, first_name: 'x' })).status, 400);
  expectOk(await srv.api(B4.token, 'getMe'));
});

test('PUT user creates a user', async () => {
  const u = ctlOk(await ctl('PUT', `/users/${FRESH_USER}`, { first_name: 'Fresh', username: 'fresh_user' }));
  assert.equal(u.id, FRESH_USER);
  assert.equal(u.first_name, 'Fresh');
  assert.equal(u.is_bot, false);
  const m = expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN, user_id: FRESH_USER }));
  assert.equal(m.status, 'left');
  assert.equal(m.user.username, 'fresh_user');
  const link = await exportLink(srv, B1.token, SG_MAIN);
  await expectJoinOk(srv, FRESH_USER, link, SG_MAIN);
  // @username of a user is still not a chat
  expectError(await exp('@fresh_user'), 400, 'Bad Request: chat not found');
  assert.equal((await ctl('PUT', `/users/${FRESH_USER}`, { username: 'no_first_name' })).status, 400);
  assert.equal((await ctl('PUT', '/users/-3', { first_name: 'Neg' })).status, 400);
});

test('PUT chat and PUT member change what exportChatInviteLink answers', async () => {
  const c = ctlOk(await ctl('PUT', `/chats/${FRESH_CHAT}`, { type: 'supergroup', title: 'Fresh Chat' }));
  assert.equal(c.id, FRESH_CHAT);
  expectError(await exp(FRESH_CHAT), 400, 'Bad Request: chat not found');
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHAT}/members/${ALICE}`, { status: 'creator' }));

  let m = ctlOk(
    await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, {
      status: 'administrator',
      rights: { can_invite_users: true },
    }),
  );
  assert.equal(m.status, 'administrator');
  assert.equal(m.can_invite_users, true);
  assert.equal(m.user.id, B1.id);
  const first = await exportLink(srv, B1.token, FRESH_CHAT);
  assert.equal(expectOk(await srv.api(B1.token, 'getChat', { chat_id: FRESH_CHAT })).invite_link, first);

  m = ctlOk(
    await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, {
      status: 'administrator',
      rights: { can_invite_users: false, can_manage_chat: true },
    }),
  );
  assert.equal(m.can_invite_users, false);
  expectError(await exp(FRESH_CHAT), 400, 'Bad Request: not enough rights to manage chat invite link');
  const chat = expectOk(await srv.api(B1.token, 'getChat', { chat_id: FRESH_CHAT }));
  assert.ok(!('invite_link' in chat), 'no invite_link once can_invite_users is gone');

  ctlOk(await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, { status: 'kicked' }));
  expectError(await exp(FRESH_CHAT), 403, 'Forbidden: bot was kicked from the supergroup chat');
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, { status: 'left' }));
  expectError(await exp(FRESH_CHAT), 403, 'Forbidden: bot is not a member of the supergroup chat');
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, { status: 'member' }));
  expectError(await exp(FRESH_CHAT), 400, 'Bad Request: not enough rights to manage chat invite link');
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, { status: 'restricted' }));
  expectError(await exp(FRESH_CHAT), 400, 'Bad Request: not enough rights to manage chat invite link');
  ctlOk(
    await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, {
      status: 'administrator',
      rights: { can_invite_users: true },
    }),
  );
  expectLink(expectOk(await exp(FRESH_CHAT)));

  // make it public: the username resolves
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHAT}`, { type: 'supergroup', title: 'Fresh Public', username: 'Fresh_Public' }));
  expectLink(expectOk(await exp('@fresh_public')));
  assert.equal(expectOk(await srv.api(B1.token, 'getChat', { chat_id: '@FRESH_PUBLIC' })).title, 'Fresh Public');
  // (the server refuses to change a chat's type with PUT: that is what upgrade is for)
  assert.equal((await ctl('PUT', `/chats/${FRESH_CHAT}`, { type: 'channel', title: 'X' })).status, 400);

  // a new channel: the errors name the channel
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHANNEL}`, { type: 'channel', title: 'Fresh Channel', username: 'fresh_channel' }));
  expectError(await exp('@fresh_channel'), 403, 'Forbidden: bot is not a member of the channel chat');
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHANNEL}/members/${B1.id}`, { status: 'administrator', rights: { can_invite_users: true } }));
  expectLink(expectOk(await exp(FRESH_CHANNEL)));
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHANNEL}/members/${B1.id}`, { status: 'kicked' }));
  expectError(await exp(FRESH_CHANNEL), 403, 'Forbidden: bot was kicked from the channel chat');
  ctlOk(await ctl('PUT', `/chats/${FRESH_CHANNEL}/members/${B1.id}`, { status: 'left' }));
  expectError(await exp(FRESH_CHANNEL), 403, 'Forbidden: bot is not a member of the channel chat');

  // the new bot (PUT bot test) as admin of an existing chat
  ctlOk(await ctl('PUT', `/chats/${SG_NORECORD}/members/${B4.id}`, { status: 'administrator', rights: { can_invite_users: true } }));
  const l4 = await exportLink(srv, B4.token, SG_NORECORD);
  assert.equal((await findLink(srv, SG_NORECORD, l4)).creator_id, B4.id);

  // bad member records
  assert.equal((await ctl('PUT', `/chats/${FRESH_CHAT}/members/${B1.id}`, { status: 'admin' })).status, 400);
  assert.equal((await ctl('PUT', `/chats/${FRESH_CHAT}/members/${UNKNOWN_USER}`, { status: 'member' })).status, 400);
  assert.equal((await ctl('PUT', `/chats/-1001999999999/members/${ALICE}`, { status: 'member' })).status, 400);
});

test('upgrading a basic group', async () => {
  const NEW_ID = -1000000004005;
  const before1 = await exportLink(srv, B1.token, GR_UPGRADE);
  const res = ctlOk(await ctl('POST', `/chats/${GR_UPGRADE}/upgrade`, {}));
  assert.deepEqual(res, { migrate_to_chat_id: NEW_ID });

  const migrate = {
    ok: false,
    error_code: 400,
    description: 'Bad Request: group chat was upgraded to a supergroup chat',
    parameters: { migrate_to_chat_id: NEW_ID },
  };
  const r = await exp(GR_UPGRADE);
  assert.equal(r.status, 400);
  assert.equal(r.text, JSON.stringify(migrate));
  assert.equal(r.headers.get('content-type'), 'application/json');
  await expectJoinRefused(srv, IVAN, before1, EXPIRED);

  // reads of the old group still work
  const old = expectOk(await srv.api(B1.token, 'getChat', { chat_id: GR_UPGRADE }));
  assert.equal(old.id, GR_UPGRADE);
  assert.equal(old.type, 'group');

  const fresh = expectOk(await srv.api(B1.token, 'getChat', { chat_id: NEW_ID }));
  assert.equal(fresh.type, 'supergroup');
  assert.equal(fresh.title, 'To Upgrade');
  assert.equal(expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: NEW_ID, user_id: ALICE })).status, 'creator');
  const nl = await exportLink(srv, B1.token, NEW_ID);
  await expectJoinOk(srv, IVAN, nl, NEW_ID);
  assert.equal((await findLink(srv, NEW_ID, nl)).creator_id, B1.id);

  // an explicit new id
  const NEW2 = -1003000000006;
  const before2 = await exportLink(srv, B1.token, GR_UPGRADE2);
  assert.deepEqual(ctlOk(await ctl('POST', `/chats/${GR_UPGRADE2}/upgrade`, { new_chat_id: NEW2 })), {
    migrate_to_chat_id: NEW2,
  });
  expectError(await exp(GR_UPGRADE2), 400, 'Bad Request: group chat was upgraded to a supergroup chat', {
    migrate_to_chat_id: NEW2,
  });
  expectError(
    await srv.api(B1.token, 'exportChatInviteLink', { chat_id: String(GR_UPGRADE2) }, { encoding: 'form' }),
    400,
    'Bad Request: group chat was upgraded to a supergroup chat',
    { migrate_to_chat_id: NEW2 },
  );
  await expectJoinRefused(srv, IVAN, before2, EXPIRED);
  expectLink(expectOk(await exp(NEW2)));

  // what cannot be upgraded
  assert.equal((await ctl('POST', `/chats/${GR_UPGRADE}/upgrade`, {})).status, 400, 'already upgraded');
  assert.equal((await ctl('POST', `/chats/${SG_MAIN}/upgrade`, {})).status, 400, 'a supergroup');
  assert.equal((await ctl('POST', '/chats/-4999/upgrade', {})).status, 400, 'unknown group');
});

test('join refusals and link forms', async () => {
  const link = await exportLink(srv, B1.token, CH_MAIN);
  await expectJoinRefused(srv, UNKNOWN_USER, link, 'Bad Request: user not found');
  await expectJoinRefused(srv, ALICE, link, 'Bad Request: USER_ALREADY_PARTICIPANT');
  await expectJoinRefused(srv, GRACE, 'https://t.me/+ZZZZZZZZZZZZZZZZ', EXPIRED);
  const hash = expectLink(link);
  const j = await join(srv, GRACE, `t.me/+${hash}`);
  assert.equal(j.status, 200, j.text);
  // kicked users are refused
  ctlOk(await ctl('PUT', `/chats/${CH_MAIN}/members/${HEIDI}`, { status: 'kicked' }));
  await expectJoinRefused(srv, HEIDI, link, 'Bad Request: CHANNEL_PRIVATE');
  assert.equal((await ctl('POST', '/join', 'not json')).status, 400);
  assert.equal((await ctl('POST', '/join', { user_id: GRACE })).status, 400);
});

test('the invite-links listing', async () => {
  const links = await listLinks(srv, CH_MAIN);
  assert.ok(links.length >= 1);
  for (const l of links) {
    for (const k of ['invite_link', 'chat_id', 'creator_id', 'is_primary', 'is_revoked', 'created', 'join_count', 'joins']) {
      assert.ok(k in l, `${k} in ${JSON.stringify(l)}`);
    }
    assert.equal(l.chat_id, CH_MAIN);
  }
  // oldest first
  const created = links.map((l) => l.created);
  assert.deepEqual([...created].sort((a, b) => a - b), created);
  assert.equal((await ctl('GET', '/chats/-1001999999999/invite-links')).status, 400);
});

test('the server still serves', async () => {
  await expectAlive(srv);
});

test('the log holds no secrets', () => {
  assertNoSecretsInLogs(srv, [B4.token]);
});
