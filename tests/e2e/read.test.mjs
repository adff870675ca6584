// getChat, getChatMember, getChatAdministrators, getChatMemberCount (spec 4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  B1,
  B2,
  B3,
  ALICE,
  BOB,
  CAROL,
  DAVE,
  ERIN,
  FRANK,
  GRACE,
  UNKNOWN_USER,
  SG_MAIN,
  SG_NORIGHTS,
  SG_MEMBER,
  SG_LEFT,
  SG_NORECORD,
  SG_PUB_NORECORD,
  SG_PUB_LEFT,
  CH_MAIN,
  CH_LEFT,
  CH_PUB_NORECORD,
  GR_MAIN,
  GR_LEFT,
  testWorld,
  expectError,
  expectOk,
  expectLink,
  exportLink,
  listLinks,
  findLink,
  expectJoinOk,
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

const getChat = (chatId, token = B1.token) => srv.api(token, 'getChat', { chat_id: chatId });
const getMember = (chatId, userId, token = B1.token) =>
  srv.api(token, 'getChatMember', { chat_id: chatId, user_id: userId });

const ADMIN_KEYS = {
  supergroup: [
    'user', 'status', 'can_be_edited', 'can_manage_chat', 'can_change_info', 'can_delete_messages',
    'can_invite_users', 'can_restrict_members', 'can_pin_messages', 'can_manage_topics',
    'can_promote_members', 'can_manage_video_chats', 'can_post_stories', 'can_edit_stories',
    'can_delete_stories', 'can_manage_tags', 'is_anonymous', 'can_manage_voice_chats',
  ],
  channel: [
    'user', 'status', 'can_be_edited', 'can_manage_chat', 'can_change_info', 'can_post_messages',
    'can_edit_messages', 'can_delete_messages', 'can_invite_users', 'can_restrict_members',
    'can_promote_members', 'can_manage_video_chats', 'can_post_stories', 'can_edit_stories',
    'can_delete_stories', 'can_manage_direct_messages', 'is_anonymous', 'can_manage_voice_chats',
  ],
  group: [
    'user', 'status', 'can_be_edited', 'can_manage_chat', 'can_change_info', 'can_delete_messages',
    'can_invite_users', 'can_restrict_members', 'can_pin_messages', 'can_promote_members',
    'can_manage_video_chats', 'can_post_stories', 'can_edit_stories', 'can_delete_stories',
    'can_manage_tags', 'is_anonymous', 'can_manage_voice_chats',
  ],
};
const RESTRICTED_KEYS = [
  'user', 'status', 'until_date', 'can_send_messages', 'can_send_media_messages', 'can_send_audios',
  'can_send_documents', 'can_send_photos', 'can_send_videos', 'can_send_video_notes',
  'can_send_voice_notes', 'can_send_polls', 'can_send_other_messages', 'can_add_web_page_previews',
  'can_react_to_messages', 'can_edit_tag', 'can_change_info', 'can_invite_users', 'can_pin_messages',
  'can_manage_topics', 'is_member',
];

const USER_ALICE = '{"id":100001,"is_bot":false,"first_name":"Alice","username":"alice"}';
const USER_B1 = '{"id":7000000001,"is_bot":true,"first_name":"Invite Demo","username":"invite_demo_bot"}';

test('getChat makes the primary link on demand and keeps returning it', async () => {
  assert.deepEqual(
    (await listLinks(srv, SG_MAIN)).filter((l) => l.creator_id === B1.id),
    [],
    'no link of B1 before getChat',
  );
  const chat = expectOk(await getChat(SG_MAIN));
  const link = chat.invite_link;
  expectLink(link);
  const entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.is_primary, true);
  assert.equal(entry.is_revoked, false);
  assert.equal(entry.creator_id, B1.id);
  assert.equal(expectOk(await getChat(SG_MAIN)).invite_link, link, 'same link on the second call');
  assert.equal((await listLinks(srv, SG_MAIN)).filter((l) => l.creator_id === B1.id).length, 1);

  const exported = await exportLink(srv, B1.token, SG_MAIN);
  assert.notEqual(exported, link);
  assert.equal(expectOk(await getChat(SG_MAIN)).invite_link, exported, 'getChat shows the exported link');
  assert.equal((await findLink(srv, SG_MAIN, link)).is_revoked, true);
  const again = await exportLink(srv, B1.token, SG_MAIN);
  assert.equal(expectOk(await getChat('@demo_group')).invite_link, again);
});

test('getChat invite_link in channels and basic groups', async () => {
  for (const id of [CH_MAIN, GR_MAIN]) {
    const link = expectOk(await getChat(id)).invite_link;
    expectLink(link);
    const entry = await findLink(srv, id, link);
    assert.equal(entry.is_primary, true);
    assert.equal(entry.creator_id, B1.id);
    assert.equal(expectOk(await getChat(id)).invite_link, link);
    const exported = await exportLink(srv, B1.token, id);
    assert.equal(expectOk(await getChat(id)).invite_link, exported);
  }
});

test('getChat has no invite_link without can_invite_users', async () => {
  for (const id of [SG_NORIGHTS, SG_MEMBER, SG_PUB_NORECORD, SG_PUB_LEFT, CH_PUB_NORECORD, GR_LEFT]) {
    const chat = expectOk(await getChat(id));
    assert.equal(chat.id, id);
    assert.ok(!('invite_link' in chat), `no invite_link in ${id}`);
    assert.deepEqual(
      (await listLinks(srv, id)).filter((l) => l.creator_id === B1.id),
      [],
      `no link made in ${id}`,
    );
  }
  // B2 is an administrator with can_invite_users in SG_MAIN: its own link, not B1's
  const b1link = expectOk(await getChat(SG_MAIN)).invite_link;
  const b2link = expectOk(await getChat(SG_MAIN, B2.token)).invite_link;
  expectLink(b2link);
  assert.notEqual(b1link, b2link);
  assert.equal((await findLink(srv, SG_MAIN, b2link)).creator_id, B2.id);
  // B3 is a plain member
  assert.ok(!('invite_link' in expectOk(await getChat(SG_MAIN, B3.token))));
});

test('getChat read access', async () => {
  expectOk(await getChat(SG_PUB_NORECORD));
  expectOk(await getChat('@pub_nobot'));
  expectOk(await getChat(CH_PUB_NORECORD));
  expectOk(await getChat(SG_PUB_LEFT));
  expectOk(await getChat(GR_LEFT)); // basic groups the bot left stay readable (spec 4.1)
  expectError(await getChat(SG_LEFT), 403, 'Forbidden: bot is not a member of the supergroup chat');
  expectError(await getChat(CH_LEFT), 403, 'Forbidden: bot is not a member of the channel chat');
  expectError(await getChat(SG_NORECORD), 400, 'Bad Request: chat not found');
  expectError(await getChat(-1001999999999), 400, 'Bad Request: chat not found');
  expectError(await getChat('@nosuchname'), 400, 'Bad Request: chat not found');
  expectError(await getChat('@alice'), 400, 'Bad Request: chat not found');
  expectError(await getChat(''), 400, 'Bad Request: chat_id is empty');
  expectError(await srv.api(B1.token, 'getChat'), 400, 'Bad Request: chat_id is empty');
});

test('getChat fields per chat type', async () => {
  const sgRes = await getChat(SG_MAIN);
  assert.ok(sgRes.text.startsWith(`{"ok":true,"result":{"id":${SG_MAIN},`), sgRes.text);
  const sg = expectOk(sgRes);
  assert.equal(sg.type, 'supergroup');
  assert.equal(sg.title, 'Demo');
  assert.equal(sg.username, 'demo_group');
  assert.equal(sg.description, 'The demo supergroup');
  assert.equal(typeof sg.max_reaction_count, 'number');
  assert.equal(typeof sg.accent_color_id, 'number');
  assert.equal(typeof sg.permissions, 'object');
  assert.ok(!('all_members_are_administrators' in sg));

  const grRes = await getChat(GR_MAIN);
  assert.ok(grRes.text.startsWith(`{"ok":true,"result":{"id":${GR_MAIN},`), grRes.text);
  const gr = expectOk(grRes);
  assert.equal(gr.type, 'group');
  assert.equal(gr.title, 'Basic');
  assert.ok(!('username' in gr));
  assert.equal(typeof gr.max_reaction_count, 'number');
  assert.equal(typeof gr.accent_color_id, 'number');
  assert.equal(typeof gr.permissions, 'object');
  assert.equal(typeof gr.all_members_are_administrators, 'boolean');

  const chRes = await getChat(CH_MAIN);
  assert.ok(chRes.text.startsWith(`{"ok":true,"result":{"id":${CH_MAIN},`), chRes.text);
  const ch = expectOk(chRes);
  assert.equal(ch.type, 'channel');
  assert.equal(ch.title, 'Demo Channel');
  assert.equal(ch.username, 'demo_channel');
  assert.equal(typeof ch.max_reaction_count, 'number');
  assert.equal(typeof ch.accent_color_id, 'number');
  assert.ok(!('permissions' in ch));
  assert.ok(!('all_members_are_administrators' in ch));

  // no field is ever null
  for (const c of [sg, gr, ch]) {
    for (const [k, v] of Object.entries(c)) assert.notEqual(v, null, k);
  }
});

test('getChat of a private chat', async () => {
  const c = expectOk(await getChat(ALICE));
  assert.equal(c.id, ALICE);
  assert.equal(c.type, 'private');
  assert.equal(c.first_name, 'Alice');
  assert.equal(c.username, 'alice');
  assert.ok(!('invite_link' in c));
  expectError(await getChat(UNKNOWN_USER), 400, 'Bad Request: chat not found');
});

test('getChatMember: creator, administrators, member, restricted, left, kicked', async () => {
  let res = await getMember(SG_MAIN, ALICE);
  assert.equal(res.text, `{"ok":true,"result":{"user":${USER_ALICE},"status":"creator","is_anonymous":false}}`);

  res = await getMember(SG_MAIN, B1.id);
  const b1 = expectOk(res);
  assert.deepEqual(Object.keys(b1), ADMIN_KEYS.supergroup);
  assert.ok(res.text.includes(`"user":${USER_B1},`), res.text);
  assert.equal(b1.status, 'administrator');
  assert.equal(b1.can_invite_users, true);
  assert.equal(b1.can_manage_chat, true);
  assert.equal(b1.can_delete_messages, false);
  assert.equal(b1.can_manage_voice_chats, b1.can_manage_video_chats);
  for (const k of ADMIN_KEYS.supergroup.slice(2)) assert.equal(typeof b1[k], 'boolean', k);

  const bob = expectOk(await getMember(SG_MAIN, BOB));
  assert.deepEqual(Object.keys(bob), [...ADMIN_KEYS.supergroup, 'custom_title']);
  assert.equal(bob.custom_title, 'Mod');
  assert.equal(bob.can_invite_users, false);
  assert.equal(bob.can_delete_messages, true);
  assert.deepEqual(bob.user, { id: BOB, is_bot: false, first_name: 'Bob', last_name: 'Builder' });

  const chAdmin = expectOk(await getMember(CH_MAIN, B1.id));
  assert.deepEqual(Object.keys(chAdmin), ADMIN_KEYS.channel);
  assert.equal(chAdmin.can_post_messages, true);
  const grAdmin = expectOk(await getMember(GR_MAIN, B1.id));
  assert.deepEqual(Object.keys(grAdmin), ADMIN_KEYS.group);

  res = await getMember(SG_MAIN, CAROL);
  assert.equal(
    res.text,
    '{"ok":true,"result":{"user":{"id":100003,"is_bot":false,"first_name":"Carol","username":"carol"},"status":"member"}}',
  );

  const dave = expectOk(await getMember(SG_MAIN, DAVE));
  assert.equal(dave.status, 'restricted');
  assert.deepEqual(Object.keys(dave), RESTRICTED_KEYS);
  assert.equal(dave.until_date, 0);

  res = await getMember(SG_MAIN, ERIN);
  assert.equal(res.text, '{"ok":true,"result":{"user":{"id":100005,"is_bot":false,"first_name":"Erin"},"status":"left"}}');
  res = await getMember(SG_MAIN, GRACE); // no record at all
  assert.equal(res.text, '{"ok":true,"result":{"user":{"id":100007,"is_bot":false,"first_name":"Grace"},"status":"left"}}');
  res = await getMember(SG_MAIN, FRANK);
  assert.equal(
    res.text,
    '{"ok":true,"result":{"user":{"id":100006,"is_bot":false,"first_name":"Frank"},"status":"kicked","until_date":0}}',
  );

  const b2 = expectOk(await getMember(SG_MAIN, B2.id));
  assert.equal(b2.user.is_bot, true);
  assert.equal(b2.status, 'administrator');
  assert.ok(!('can_join_groups' in b2.user), 'getMe-only fields stay out of User');
});

test('getChatMember user_id errors', async () => {
  for (const uid of [0, -5, '0', 'abc', '', '-1']) {
    expectError(await getMember(SG_MAIN, uid), 400, 'Bad Request: invalid user_id specified', undefined, `user_id ${uid}`);
  }
  expectError(
    await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN }),
    400,
    'Bad Request: invalid user_id specified',
  );
  expectError(await getMember(SG_MAIN, UNKNOWN_USER), 400, 'Bad Request: user not found');
  expectError(await srv.api(B1.token, 'getChatMember', { user_id: CAROL }), 400, 'Bad Request: chat_id is empty');
});

function ids(list) {
  return list.map((m) => m.user.id).sort((a, b) => a - b);
}

test('getChatAdministrators', async () => {
  const admins = expectOk(await srv.api(B1.token, 'getChatAdministrators', { chat_id: SG_MAIN }));
  assert.deepEqual(ids(admins), [ALICE, BOB, B1.id].sort((a, b) => a - b));
  for (const m of admins) assert.ok(['creator', 'administrator'].includes(m.status), m.status);
  const creator = admins.find((m) => m.status === 'creator');
  assert.equal(creator.user.id, ALICE);
  const me = admins.find((m) => m.user.id === B1.id);
  assert.deepEqual(Object.keys(me), ADMIN_KEYS.supergroup);

  const withBots = expectOk(
    await srv.api(B1.token, 'getChatAdministrators', { chat_id: SG_MAIN, return_bots: true }),
  );
  assert.deepEqual(ids(withBots), [ALICE, BOB, B1.id, B2.id].sort((a, b) => a - b));

  const fromB2 = expectOk(await srv.api(B2.token, 'getChatAdministrators', { chat_id: SG_MAIN }));
  assert.deepEqual(ids(fromB2), [ALICE, BOB, B2.id].sort((a, b) => a - b));

  const ch = expectOk(await srv.api(B1.token, 'getChatAdministrators', { chat_id: CH_MAIN }));
  assert.deepEqual(ids(ch), [ALICE, B1.id].sort((a, b) => a - b));
  const gr = expectOk(await srv.api(B1.token, 'getChatAdministrators', { chat_id: '@demo_channel' }));
  assert.deepEqual(ids(gr), [ALICE, B1.id].sort((a, b) => a - b));

  expectError(
    await srv.api(B1.token, 'getChatAdministrators', { chat_id: ALICE }),
    400,
    'Bad Request: there are no administrators in the private chat',
  );
  expectError(await srv.api(B1.token, 'getChatAdministrators', {}), 400, 'Bad Request: chat_id is empty');
});

test('return_bots is a lenient boolean', async () => {
  const withB2 = [ALICE, BOB, B1.id, B2.id].sort((a, b) => a - b);
  const withoutB2 = [ALICE, BOB, B1.id].sort((a, b) => a - b);
  for (const v of ['true', 'True', 'TRUE', ' true ', 'yes', '1']) {
    const r = expectOk(await srv.api(B1.token, 'getChatAdministrators', { chat_id: SG_MAIN, return_bots: v }));
    assert.deepEqual(ids(r), withB2, `return_bots=${JSON.stringify(v)}`);
  }
  for (const v of ['false', '0', 'on', '2', '', 'tru']) {
    const r = expectOk(await srv.api(B1.token, 'getChatAdministrators', { chat_id: SG_MAIN, return_bots: v }));
    assert.deepEqual(ids(r), withoutB2, `return_bots=${JSON.stringify(v)}`);
  }
  const form = expectOk(
    await srv.api(B1.token, 'getChatAdministrators', { chat_id: SG_MAIN, return_bots: 'yes' }, { encoding: 'form' }),
  );
  assert.deepEqual(ids(form), withB2);
});

test('getChatMemberCount and getChatMembersCount', async () => {
  // SG_MAIN: creator Alice, admins B1 B2 Bob, members Carol B3, restricted Dave
  assert.equal(await count('getChatMemberCount', SG_MAIN), 7);
  assert.equal(await count('getChatMembersCount', SG_MAIN), 7);
  assert.equal(await count('getchatmembercount', '@demo_group'), 7);
  assert.equal(await count('getChatMemberCount', CH_MAIN), 2);
  assert.equal(await count('getChatMemberCount', GR_MAIN), 3);
  // a join adds one
  const link = await exportLink(srv, B1.token, GR_MAIN);
  await expectJoinOk(srv, GRACE, link, GR_MAIN);
  assert.equal(await count('getChatMemberCount', GR_MAIN), 4);
  assert.equal(expectOk(await getMember(GR_MAIN, GRACE)).status, 'member');
  const res = await srv.api(B1.token, 'getChatMemberCount', { chat_id: GR_MAIN });
  assert.equal(res.text, '{"ok":true,"result":4}');
});

async function count(method, chatId) {
  return expectOk(await srv.api(B1.token, method, { chat_id: chatId }));
}

test('the server still serves', async () => {
  await expectAlive(srv);
});

test('the log holds no secrets', () => {
  assertNoSecretsInLogs(srv);
});
