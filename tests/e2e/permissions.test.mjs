// ChatPermissions over a real socket (issue 12, spec bot-api-moderation.md 4, 6.1, 7.2, 8):
// restrictChatMember and setChatPermissions with their checks in the spec's order and exact
// texts, the ChatMember and getChat encodings, the chat_member updates, a restriction ending on
// the server's clock, and who may send text as the permissions say.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { advanceClock, expectError, expectOk } from './helpers.mjs';

const B1 = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'invite_demo_bot', first_name: 'Invite Demo' };
const B2 = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'second_helper_bot', first_name: 'Second Helper' };
const ANN = { id: 300001, first_name: 'Ann' };
const BEN = { id: 300002, first_name: 'Ben' };
const CID = { id: 300003, first_name: 'Cid' };
const DOT = { id: 300004, first_name: 'Dot' };
const EVE = { id: 300005, first_name: 'Eve' };
const FAY = { id: 300006, first_name: 'Fay' };
const SG = -1001000000701; // B1 may restrict, B2 may not; Ann creator, Dot administrator, Ben, Cid, Fay members, Eve restricted
const QUIET = -1001000000702; // plain members may not write by default; B2 a plain member
const GR = -4701; // basic group: B1 administrator that may restrict, B2 one that may not
const CH = -1002000000701; // channel: B1 administrator
const RESTRICT = { can_restrict_members: true, can_invite_users: true };

function world() {
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ANN, BEN, CID, DOT, EVE, FAY].map((u) => ({ ...u })),
    chats: [
      {
        id: SG, type: 'supergroup', title: 'Moderated',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RESTRICT },
          { user_id: B2.id, status: 'administrator', rights: { can_invite_users: true } },
          { user_id: DOT.id, status: 'administrator', rights: { can_invite_users: true } },
          { user_id: BEN.id, status: 'member' },
          { user_id: CID.id, status: 'member' },
          { user_id: FAY.id, status: 'member' },
          { user_id: EVE.id, status: 'restricted', until_date: 0, permissions: { can_send_messages: true, can_send_polls: true } },
        ],
      },
      {
        id: QUIET, type: 'supergroup', title: 'Quiet', permissions: { can_send_messages: false },
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RESTRICT },
          { user_id: B2.id, status: 'member' },
          { user_id: BEN.id, status: 'member' },
        ],
      },
      {
        id: GR, type: 'group', title: 'Basic',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RESTRICT },
          { user_id: B2.id, status: 'administrator', rights: { can_invite_users: true } },
          { user_id: BEN.id, status: 'member' },
        ],
      },
      {
        id: CH, type: 'channel', title: 'News',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: { ...RESTRICT, can_post_messages: true } },
        ],
      },
    ],
  };
}

let srv;
before(async () => {
  srv = await startServer({ world: world() });
  // B1 hears of every member change.
  expectOk(await call(B1, 'getUpdates', { allowed_updates: ['chat_member', 'my_chat_member', 'message'] }));
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
async function now() {
  return (await ctl('GET', '/clock')).now;
}
async function take(bot) {
  const got = expectOk(await call(bot, 'getUpdates', {}));
  if (got.length) await call(bot, 'getUpdates', { offset: got.at(-1).update_id + 1, limit: 1 });
  return got;
}
const member = async (chat_id, user_id) => expectOk(await call(B1, 'getChatMember', { chat_id, user_id }));
const say = (user, chat_id, text) => srv.control('POST', '/messages', { from: user.id, chat_id, text });
const userOf = (u) => ({ id: u.id, is_bot: false, first_name: u.first_name });
const botOf = (b) => ({ id: b.id, is_bot: true, first_name: b.first_name, username: b.username });

const PERMISSION_KEYS = [
  'can_send_messages', 'can_send_media_messages', 'can_send_audios', 'can_send_documents', 'can_send_photos',
  'can_send_videos', 'can_send_video_notes', 'can_send_voice_notes', 'can_send_polls', 'can_send_other_messages',
  'can_add_web_page_previews', 'can_react_to_messages', 'can_edit_tag', 'can_change_info', 'can_invite_users',
  'can_pin_messages', 'can_manage_topics',
];
// A ChatPermissions object in the reference's key order: the named ones true, the rest false.
function perms(...on) {
  const o = {};
  for (const k of PERMISSION_KEYS) o[k] = on.includes(k);
  return o;
}
const MEDIA = ['can_send_media_messages', 'can_send_audios', 'can_send_documents', 'can_send_photos', 'can_send_videos',
  'can_send_video_notes', 'can_send_voice_notes'];

test('the world file gives a restricted member their permissions, and a chat its defaults', async () => {
  assert.deepEqual(await member(SG, EVE.id), {
    user: userOf(EVE), status: 'restricted', until_date: 0,
    ...perms('can_send_messages', 'can_send_polls'), is_member: true,
  });
  const chat = expectOk(await call(B1, 'getChat', { chat_id: QUIET }));
  assert.deepEqual(chat.permissions, perms(...MEDIA, 'can_send_polls', 'can_send_other_messages',
    'can_add_web_page_previews', 'can_react_to_messages', 'can_invite_users'));
  const plain = expectOk(await call(B1, 'getChat', { chat_id: SG }));
  assert.deepEqual(plain.permissions, perms('can_send_messages', ...MEDIA, 'can_send_polls', 'can_send_other_messages',
    'can_add_web_page_previews', 'can_react_to_messages', 'can_invite_users'));
  // Eve may write (can_send_messages is hers and the chat's).
  assert.equal((await say(EVE, SG, 'I may')).status, 200);
});

test('restrictChatMember: a member is restricted, told to B1 as chat_member, refused by the control plane, then freed', async () => {
  await take(B1);
  const t = await now();
  const until = t + 3600;
  assert.equal((await say(BEN, SG, 'before')).status, 200);
  assert.equal(expectOk(await call(B1, 'restrictChatMember', {
    chat_id: SG, user_id: BEN.id, permissions: JSON.stringify({ can_send_polls: false, can_invite_users: true }), until_date: until,
  })), true);
  const restricted = { user: userOf(BEN), status: 'restricted', until_date: until, ...perms('can_invite_users'), is_member: true };
  assert.deepEqual(await member(SG, BEN.id), restricted);
  const ups = (await take(B1)).filter((u) => u.chat_member);
  assert.equal(ups.length, 1);
  const cm = ups[0].chat_member;
  assert.deepEqual(Object.keys(cm), ['chat', 'from', 'date', 'old_chat_member', 'new_chat_member']);
  assert.equal(cm.chat.id, SG);
  assert.deepEqual(cm.from, botOf(B1));
  assert.deepEqual(cm.old_chat_member, { user: userOf(BEN), status: 'member' });
  assert.deepEqual(cm.new_chat_member, restricted);

  const refused = await say(BEN, SG, 'let me speak');
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.json.description, `Bad Request: user ${BEN.id} is restricted in chat ${SG} and may not send text messages`);

  // The same again: true, and no update.
  expectOk(await call(B1, 'restrictChatMember', {
    chat_id: SG, user_id: BEN.id, permissions: JSON.stringify({ can_invite_users: true }), until_date: until,
  }));
  assert.equal((await take(B1)).filter((u) => u.chat_member).length, 0);

  // All true lifts the restriction: a plain member again.
  const all = Object.fromEntries(PERMISSION_KEYS.filter((k) => k !== 'can_send_media_messages').map((k) => [k, true]));
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG, user_id: BEN.id, permissions: JSON.stringify(all) }));
  assert.deepEqual(await member(SG, BEN.id), { user: userOf(BEN), status: 'member' });
  const [freed] = (await take(B1)).filter((u) => u.chat_member);
  assert.deepEqual(freed.chat_member.old_chat_member, restricted);
  assert.deepEqual(freed.chat_member.new_chat_member, { user: userOf(BEN), status: 'member' });
  assert.equal((await say(BEN, SG, 'free again')).status, 200);
});

test('restrictChatMember: the derived defaults, independent permissions, and the legacy flat parameters', async () => {
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG, user_id: CID.id, permissions: '{"can_send_polls":true}' }));
  assert.deepEqual(await member(SG, CID.id), {
    user: userOf(CID), status: 'restricted', until_date: 0, ...perms('can_send_messages', 'can_send_polls'), is_member: true,
  });
  expectOk(await call(B1, 'restrictChatMember', {
    chat_id: SG, user_id: CID.id, permissions: '{"can_send_media_messages":true}', use_independent_chat_permissions: true,
  }));
  assert.deepEqual(await member(SG, CID.id), {
    user: userOf(CID), status: 'restricted', until_date: 0, ...perms(...MEDIA), is_member: true,
  });
  // Legacy: can_send_messages alone, as a form parameter. Polls kept from before? Cid had none.
  expectOk(await form(B1, 'restrictChatMember', { chat_id: SG, user_id: CID.id, can_send_messages: 'true' }));
  assert.deepEqual(await member(SG, CID.id), {
    user: userOf(CID), status: 'restricted', until_date: 0, ...perms('can_send_messages', 'can_react_to_messages'), is_member: true,
  });
  // No permissions at all: a full mute.
  expectOk(await form(B1, 'restrictChatMember', { chat_id: SG, user_id: CID.id }));
  assert.deepEqual(await member(SG, CID.id), {
    user: userOf(CID), status: 'restricted', until_date: 0, ...perms(), is_member: true,
  });
  // The legacy four: all of them lift the restriction.
  expectOk(await form(B1, 'restrictChatMember', {
    chat_id: SG, user_id: CID.id, can_send_other_messages: '1', can_add_web_page_previews: '1',
  }));
  assert.deepEqual(await member(SG, CID.id), { user: userOf(CID), status: 'member' });
});

test('restrictChatMember refuses in the spec order, with the exact texts', async () => {
  const r = (bot, params) => call(bot, 'restrictChatMember', params);
  expectError(await r(B1, { chat_id: SG, permissions: '{}' }), 400, 'Bad Request: invalid user_id specified');
  // The permissions are parsed before the chat is looked at.
  expectError(await r(B1, { chat_id: -1001999999999, user_id: BEN.id, permissions: '{' }), 400,
    "Bad Request: can't parse permissions JSON object");
  expectError(await r(B1, { chat_id: SG, user_id: BEN.id, permissions: '[true]' }), 400,
    'Bad Request: object expected as permissions');
  expectError(await r(B1, { chat_id: SG, user_id: BEN.id, permissions: '{"can_send_messages":"true"}' }), 400,
    'Bad Request: can\'t parse chat permissions: Field "can_send_messages" must be of type Boolean');
  expectError(await r(B1, { chat_id: -1001999999999, user_id: BEN.id, permissions: '{}' }), 400, 'Bad Request: chat not found');
  for (const chat_id of [GR, CH]) {
    expectError(await r(B1, { chat_id, user_id: BEN.id, permissions: '{}' }), 400,
      'Bad Request: method is available only for supergroups', undefined, String(chat_id));
  }
  expectError(await r(B1, { chat_id: SG, user_id: 999999, permissions: '{}' }), 400, 'Bad Request: user not found');
  expectError(await r(B1, { chat_id: SG, user_id: ANN.id, permissions: '{}' }), 400, "Bad Request: can't remove chat owner");
  expectError(await r(B1, { chat_id: SG, user_id: B1.id, permissions: '{}' }), 400, "Bad Request: can't restrict self");
  expectError(await r(B2, { chat_id: SG, user_id: BEN.id, permissions: '{}' }), 400,
    'Bad Request: not enough rights to restrict/unrestrict chat member');
  expectError(await r(B1, { chat_id: SG, user_id: DOT.id, permissions: '{}' }), 400,
    'Bad Request: user is an administrator of the chat');
  // Nothing changed.
  assert.deepEqual(await member(SG, BEN.id), { user: userOf(BEN), status: 'member' });
});

test('a restriction with an until_date ends by itself on the server clock', async () => {
  const t = await now();
  // Too soon (under 30 s) is forever.
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG, user_id: FAY.id, permissions: '{}', until_date: t + 10 }));
  assert.equal((await member(SG, FAY.id)).until_date, 0);
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG, user_id: FAY.id, permissions: '{}', until_date: t + 120 }));
  assert.equal((await member(SG, FAY.id)).until_date, t + 120);
  assert.equal((await say(FAY, SG, 'x')).status, 400);
  await advanceClock(srv, 60);
  assert.equal((await member(SG, FAY.id)).status, 'restricted');
  await advanceClock(srv, 61);
  assert.deepEqual(await member(SG, FAY.id), { user: userOf(FAY), status: 'member' });
  assert.equal((await say(FAY, SG, 'back')).status, 200);
});

test('setChatPermissions: the defaults change getChat and who may write; refusals', async () => {
  // B2 is a plain member of QUIET, whose members may not write.
  expectError(await call(B2, 'sendMessage', { chat_id: QUIET, text: 'hi' }), 400,
    'Bad Request: not enough rights to send text messages to the chat');
  const refused = await say(BEN, QUIET, 'hi');
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.json.description, `Bad Request: user ${BEN.id} may not send text messages in chat ${QUIET}: its permissions forbid it`);
  assert.equal((await say(ANN, QUIET, 'the creator may')).status, 200);

  assert.equal(expectOk(await call(B1, 'setChatPermissions', { chat_id: QUIET, permissions: '{"can_send_messages":true}' })), true);
  assert.deepEqual(expectOk(await call(B1, 'getChat', { chat_id: QUIET })).permissions,
    perms('can_send_messages', 'can_react_to_messages'));
  expectOk(await call(B2, 'sendMessage', { chat_id: QUIET, text: 'hi' }));
  assert.equal((await say(BEN, QUIET, 'hi')).status, 200);
  // No permissions: everything forbidden (no legacy parameters here).
  expectOk(await form(B1, 'setChatPermissions', { chat_id: QUIET, can_send_messages: 'true' }));
  assert.deepEqual(expectOk(await call(B1, 'getChat', { chat_id: QUIET })).permissions, perms());
  assert.equal((await say(BEN, QUIET, 'hi')).status, 400);

  // Basic groups take it too; all_members_are_administrators follows the defaults.
  expectOk(await call(B1, 'setChatPermissions', { chat_id: GR, permissions: '{}' }));
  const group = expectOk(await call(B1, 'getChat', { chat_id: GR }));
  assert.deepEqual(group.permissions, perms());
  assert.equal(group.all_members_are_administrators, false);
  assert.equal((await say(BEN, GR, 'hi')).status, 400);

  expectError(await call(B1, 'setChatPermissions', { chat_id: -1001999999999, permissions: '{' }), 400,
    "Bad Request: can't parse permissions JSON object");
  expectError(await call(B1, 'setChatPermissions', { chat_id: CH, permissions: '{}' }), 400,
    "Bad Request: can't change channel chat permissions");
  expectError(await call(B2, 'setChatPermissions', { chat_id: SG, permissions: '{}' }), 400,
    'Bad Request: not enough rights to change chat permissions');
  expectError(await call(B2, 'setChatPermissions', { chat_id: GR, permissions: '{}' }), 400,
    'Bad Request: not enough rights to change chat permissions');
  expectError(await call(B1, 'setChatPermissions', { chat_id: QUIET + 1000, permissions: '{}' }), 400,
    'Bad Request: chat not found');
});

test('a restricted member is capped by the chat defaults, and a restricted bot is governed the same way', async () => {
  // QUIET forbids everything now; a restriction that allows messages still does not let Ben write.
  expectOk(await call(B1, 'restrictChatMember', { chat_id: QUIET, user_id: BEN.id, permissions: '{"can_send_messages":true}' }));
  assert.equal((await say(BEN, QUIET, 'hi')).status, 400);
  expectOk(await call(B1, 'setChatPermissions', { chat_id: QUIET, permissions: '{"can_send_messages":true}' }));
  assert.equal((await say(BEN, QUIET, 'hi')).status, 200);
  // B2, restricted without can_send_messages, may not send; B1 lifting it lets it.
  expectOk(await call(B1, 'restrictChatMember', { chat_id: QUIET, user_id: B2.id, permissions: '{"can_send_polls":false}' }));
  expectError(await call(B2, 'sendMessage', { chat_id: QUIET, text: 'hi' }), 400,
    'Bad Request: not enough rights to send text messages to the chat');
  expectOk(await call(B1, 'restrictChatMember', { chat_id: QUIET, user_id: B2.id, permissions: '{"can_send_messages":true}' }));
  expectOk(await call(B2, 'sendMessage', { chat_id: QUIET, text: 'hi' }));
  const [my] = (await take(B2)).filter((u) => u.my_chat_member);
  assert.equal(my.my_chat_member.new_chat_member.status, 'restricted');
});
