// Moderation over a real socket (spec bot-api-moderation.md 2, 3, 5, 6.2): banChatMember and its
// old name kickChatMember, unbanChatMember, promoteChatMember, setChatAdministratorCustomTitle
// and leaveChat; their checks with the exact texts, the member updates they cause field by field,
// a ban that runs out on the server's clock, and a banned user refused at join until unbanned.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { advanceClock, expectError, expectOk, serverNow } from './helpers.mjs';

const B1 = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'mod_demo_bot', first_name: 'Mod Demo' };
const B2 = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'weak_helper_bot', first_name: 'Weak Helper' };
const ANN = { id: 300001, first_name: 'Ann' };
const BEN = { id: 300002, first_name: 'Ben' };
const CID = { id: 300003, first_name: 'Cid' };
const DOT = { id: 300004, first_name: 'Dot' };
const EVE = { id: 300005, first_name: 'Eve' };
const FAY = { id: 300006, first_name: 'Fay' };
const SG = -1001000000701; // B1 administrator with many rights, B2 administrator with none; Ann creator
const CH = -1002000000701; // B1 administrator; Ann creator
const GR = -4701; // basic group: B1 administrator; Ann creator, Ben member, Dot administrator
const RIGHTS = {
  can_manage_chat: true, can_restrict_members: true, can_promote_members: true,
  can_invite_users: true, can_delete_messages: true, can_pin_messages: true, can_post_messages: true,
};

function world() {
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ANN, BEN, CID, DOT, EVE, FAY].map((u) => ({ ...u })),
    chats: [
      {
        id: SG, type: 'supergroup', title: 'Moderated',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
          { user_id: B2.id, status: 'administrator', rights: { can_manage_chat: true } },
          { user_id: BEN.id, status: 'member' },
          { user_id: CID.id, status: 'member' },
          { user_id: DOT.id, status: 'administrator', rights: { can_manage_chat: true } },
        ],
      },
      {
        id: CH, type: 'channel', title: 'Announcements',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
          { user_id: BEN.id, status: 'member' },
        ],
      },
      {
        id: GR, type: 'group', title: 'Small',
        members: [
          { user_id: ANN.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: RIGHTS },
          { user_id: BEN.id, status: 'member' },
          { user_id: DOT.id, status: 'administrator', rights: RIGHTS },
        ],
      },
    ],
  };
}

let srv;
before(async () => {
  // --no-guards: these tests poll and set webhooks back to back; the reference's busy-loop
  // guards (a repeated getUpdates cut to 1 update, ...) are tested in guards.test.mjs.
  srv = await startServer({ world: world(), extraArgs: ['--no-guards'] });
  // Both bots want chat_member too.
  for (const b of [B1, B2])
    expectOk(await call(b, 'getUpdates', { allowed_updates: ['message', 'my_chat_member', 'chat_member'] }));
});
after(async () => {
  if (srv) await srv.close();
});

const call = (bot, method, params) => srv.api(bot.token, method, params, { encoding: 'json' });
const botUser = (b) => ({ id: b.id, is_bot: true, first_name: b.first_name, username: b.username });
const user = (u) => ({ id: u.id, is_bot: false, first_name: u.first_name });

// The bot's updates, confirmed as they are read.
async function take(bot) {
  const got = expectOk(await call(bot, 'getUpdates', {}));
  if (got.length) await call(bot, 'getUpdates', { offset: got.at(-1).update_id + 1, limit: 1 });
  return got;
}
async function status(chat_id, u) {
  return expectOk(await call(B1, 'getChatMember', { chat_id, user_id: u.id }));
}
async function exportLink(chat_id) {
  return expectOk(await call(B1, 'exportChatInviteLink', { chat_id }));
}
const join = (u, invite_link) => srv.control('POST', '/join', { user_id: u.id, invite_link });

test('banChatMember in a supergroup: kicked with until_date, chat_member from the bot; the same ban again is silent', async () => {
  await take(B1);
  await take(B2);
  const now = await serverNow(srv);
  const until = now + 3600;
  assert.equal(expectOk(await call(B1, 'banChatMember', { chat_id: SG, user_id: CID.id, until_date: until, revoke_messages: true })), true);
  assert.deepEqual(await status(SG, CID), { user: user(CID), status: 'kicked', until_date: until });
  const [u1] = await take(B1);
  assert.deepEqual(Object.keys(u1), ['update_id', 'chat_member']);
  const cm = u1.chat_member;
  assert.deepEqual(Object.keys(cm), ['chat', 'from', 'date', 'old_chat_member', 'new_chat_member']);
  assert.equal(cm.chat.id, SG);
  assert.equal(cm.chat.type, 'supergroup');
  assert.deepEqual(cm.from, botUser(B1));
  assert.ok(cm.date >= now);
  assert.deepEqual(cm.old_chat_member, { user: user(CID), status: 'member' });
  assert.deepEqual(cm.new_chat_member, { user: user(CID), status: 'kicked', until_date: until });
  // The other administrator bot hears of it too.
  const [u2] = await take(B2);
  assert.deepEqual(u2.chat_member.new_chat_member, cm.new_chat_member);

  assert.equal(expectOk(await call(B1, 'banChatMember', { chat_id: SG, user_id: CID.id, until_date: until })), true);
  assert.deepEqual(await take(B1), []);

  // An until_date under 30 s from now (or in the past) is forever: 0.
  assert.equal(expectOk(await call(B1, 'kickChatMember', { chat_id: SG, user_id: CID.id, until_date: now + 10 })), true);
  assert.deepEqual(await status(SG, CID), { user: user(CID), status: 'kicked', until_date: 0 });
  const [u3] = await take(B1);
  assert.deepEqual(u3.chat_member.old_chat_member, { user: user(CID), status: 'kicked', until_date: until });
  assert.deepEqual(u3.chat_member.new_chat_member, { user: user(CID), status: 'kicked', until_date: 0 });
});

test('banChatMember refusals, in the reference order and words', async () => {
  const ban = (bot, params) => call(bot, 'banChatMember', params);
  expectError(await ban(B1, {}), 400, 'Bad Request: invalid user_id specified');
  expectError(await ban(B1, { user_id: BEN.id }), 400, 'Bad Request: chat_id is empty');
  expectError(await ban(B1, { chat_id: -1001999999999, user_id: BEN.id }), 400, 'Bad Request: chat not found');
  expectError(await ban(B1, { chat_id: SG, user_id: 2 ** 40 }), 400, 'Bad Request: invalid user identifier specified');
  expectError(await ban(B1, { chat_id: SG, user_id: 999999 }), 400, 'Bad Request: PARTICIPANT_ID_INVALID');
  expectError(await ban(B1, { chat_id: SG, user_id: ANN.id }), 400, "Bad Request: can't remove chat owner");
  expectError(await ban(B1, { chat_id: SG, user_id: B1.id }), 400, "Bad Request: can't restrict self");
  expectError(await ban(B2, { chat_id: SG, user_id: BEN.id }), 400, 'Bad Request: not enough rights to restrict/unrestrict chat member');
  expectError(await ban(B1, { chat_id: SG, user_id: DOT.id }), 400, 'Bad Request: user is an administrator of the chat');
  // A private chat with a user the bot knows.
  expectError(await ban(B1, { chat_id: BEN.id, user_id: BEN.id }), 400, "Bad Request: can't ban members in private chats");
  assert.equal((await status(SG, BEN)).status, 'member');
});

test('a ban ends by itself on the server clock: left, and free to join again', async () => {
  const link = await exportLink(SG);
  const now = await serverNow(srv);
  assert.equal(expectOk(await call(B1, 'banChatMember', { chat_id: SG, user_id: EVE.id, until_date: now + 120 })), true);
  assert.deepEqual(await status(SG, EVE), { user: user(EVE), status: 'kicked', until_date: now + 120 });
  expectError(await join(EVE, link), 400, 'Bad Request: CHANNEL_PRIVATE');
  await advanceClock(srv, 121);
  assert.deepEqual(await status(SG, EVE), { user: user(EVE), status: 'left' });
  const joined = await join(EVE, link);
  assert.equal(joined.status, 200, joined.text);
  assert.equal((await status(SG, EVE)).status, 'member');
  const updates = await take(B1);
  const last = updates.at(-2).chat_member;
  assert.deepEqual(last.old_chat_member, { user: user(EVE), status: 'left' });
  assert.deepEqual(last.new_chat_member, { user: user(EVE), status: 'member' });
  assert.deepEqual(last.from, user(EVE));
  // Then the group's service message about the join (service_messages.test.mjs has the rest).
  assert.deepEqual(updates.at(-1).message.new_chat_members, [user(EVE)]);
});

test('unbanChatMember: a banned user may join again; only_if_banned leaves members alone; without it a member is removed', async () => {
  const link = await exportLink(SG);
  expectOk(await call(B1, 'banChatMember', { chat_id: SG, user_id: FAY.id }));
  expectError(await join(FAY, link), 400, 'Bad Request: CHANNEL_PRIVATE');
  await take(B1);
  assert.equal(expectOk(await call(B1, 'unbanChatMember', { chat_id: SG, user_id: FAY.id, only_if_banned: true })), true);
  assert.deepEqual(await status(SG, FAY), { user: user(FAY), status: 'left' });
  const [unban] = await take(B1);
  assert.deepEqual(unban.chat_member.from, botUser(B1));
  assert.deepEqual(unban.chat_member.old_chat_member, { user: user(FAY), status: 'kicked', until_date: 0 });
  assert.deepEqual(unban.chat_member.new_chat_member, { user: user(FAY), status: 'left' });
  const joined = await join(FAY, link);
  assert.equal(joined.status, 200, joined.text);
  await take(B1);

  assert.equal(expectOk(await call(B1, 'unbanChatMember', { chat_id: SG, user_id: FAY.id, only_if_banned: true })), true);
  assert.equal((await status(SG, FAY)).status, 'member');
  assert.deepEqual(await take(B1), []);

  const now = await serverNow(srv);
  assert.equal(expectOk(await call(B1, 'unbanChatMember', { chat_id: SG, user_id: FAY.id })), true);
  assert.deepEqual(await status(SG, FAY), { user: user(FAY), status: 'left' });
  // The member is removed (kicked, with the service message of the removal), then let free.
  const [kick, removed, leave] = await take(B1);
  assert.equal(kick.chat_member.new_chat_member.status, 'kicked');
  assert.deepEqual(removed.message.left_chat_member, user(FAY));
  assert.deepEqual(removed.message.from, botUser(B1));
  assert.ok(kick.chat_member.new_chat_member.until_date >= now + 60);
  assert.deepEqual(leave.chat_member.old_chat_member, kick.chat_member.new_chat_member);
  assert.deepEqual(leave.chat_member.new_chat_member, { user: user(FAY), status: 'left' });
  // Left already: nothing happens.
  assert.equal(expectOk(await call(B1, 'unbanChatMember', { chat_id: SG, user_id: FAY.id })), true);
  assert.deepEqual(await take(B1), []);
});

test('unbanChatMember refusals', async () => {
  const unban = (bot, params) => call(bot, 'unbanChatMember', params);
  expectError(await unban(B1, { chat_id: GR, user_id: BEN.id }), 400, 'Bad Request: method is available for supergroup and channel chats only');
  expectError(await unban(B1, { chat_id: SG, user_id: ANN.id }), 400, "Bad Request: can't remove chat owner");
  expectError(await unban(B1, { chat_id: SG, user_id: DOT.id }), 400, 'Bad Request: user is an administrator of the chat');
  expectError(await unban(B2, { chat_id: SG, user_id: BEN.id }), 400, 'Bad Request: not enough rights to restrict/unrestrict chat member');
});

test('banChatMember in a basic group removes the user (left, until_date ignored); refusals are the server\'s', async () => {
  await take(B1);
  const now = await serverNow(srv);
  assert.equal(expectOk(await call(B1, 'banChatMember', { chat_id: GR, user_id: BEN.id, until_date: now + 3600 })), true);
  assert.deepEqual(await status(GR, BEN), { user: user(BEN), status: 'left' });
  const [u] = await take(B1);
  assert.equal(u.chat_member.chat.type, 'group');
  assert.deepEqual(u.chat_member.old_chat_member, { user: user(BEN), status: 'member' });
  assert.deepEqual(u.chat_member.new_chat_member, { user: user(BEN), status: 'left' });
  expectError(await call(B1, 'banChatMember', { chat_id: GR, user_id: BEN.id }), 400, 'Bad Request: USER_NOT_PARTICIPANT');
  expectError(await call(B1, 'banChatMember', { chat_id: GR, user_id: DOT.id }), 400, 'Bad Request: CHAT_ADMIN_REQUIRED');
  // The basic group's own link lets him back in: a basic group keeps no ban.
  const joined = await join(BEN, await exportLink(GR));
  assert.equal(joined.status, 200, joined.text);
});

test('promoteChatMember: rights masked by chat type, can_manage_chat implied, can_be_edited; all false demotes', async () => {
  await take(B1);
  assert.equal(expectOk(await call(B1, 'promoteChatMember', {
    chat_id: SG, user_id: BEN.id, can_delete_messages: true, can_post_messages: true, can_pin_messages: true,
  })), true);
  const admin = await status(SG, BEN);
  assert.deepEqual(admin, {
    user: user(BEN), status: 'administrator', can_be_edited: true, can_manage_chat: true,
    can_change_info: false, can_delete_messages: true, can_invite_users: false, can_restrict_members: false,
    can_pin_messages: true, can_manage_topics: false, can_promote_members: false, can_manage_video_chats: false,
    can_post_stories: false, can_edit_stories: false, can_delete_stories: false, can_manage_tags: false,
    is_anonymous: false, can_manage_voice_chats: false,
  });
  const [u] = await take(B1);
  assert.deepEqual(u.chat_member.from, botUser(B1));
  assert.deepEqual(u.chat_member.old_chat_member, { user: user(BEN), status: 'member' });
  assert.deepEqual(u.chat_member.new_chat_member, admin);

  // A custom title, then demotion drops it with the rights.
  assert.equal(expectOk(await call(B1, 'setChatAdministratorCustomTitle', { chat_id: SG, user_id: BEN.id, custom_title: 'Moderator of all' })), true);
  const titled = await status(SG, BEN);
  assert.equal(titled.custom_title, 'Moderator of all');
  const [t] = await take(B1);
  assert.deepEqual(t.chat_member.old_chat_member, admin);
  assert.deepEqual(t.chat_member.new_chat_member, titled);

  assert.equal(expectOk(await call(B1, 'promoteChatMember', { chat_id: SG, user_id: BEN.id })), true);
  assert.deepEqual(await status(SG, BEN), { user: user(BEN), status: 'member' });
  const [d] = await take(B1);
  assert.deepEqual(d.chat_member.old_chat_member, titled);
  assert.deepEqual(d.chat_member.new_chat_member, { user: user(BEN), status: 'member' });
});

test('promoteChatMember in a channel: can_restrict_members defaults to true', async () => {
  expectOk(await call(B1, 'promoteChatMember', { chat_id: CH, user_id: BEN.id, can_post_messages: true }));
  const admin = await status(CH, BEN);
  assert.equal(admin.can_post_messages, true);
  assert.equal(admin.can_restrict_members, true);
  assert.equal(admin.can_manage_chat, true);
  assert.equal('can_pin_messages' in admin, false);
});

test('promoteChatMember refusals', async () => {
  const promote = (bot, params) => call(bot, 'promoteChatMember', params);
  expectError(await promote(B1, { chat_id: SG }), 400, 'Bad Request: invalid user_id specified');
  expectError(await promote(B1, { chat_id: GR, user_id: BEN.id, can_invite_users: true }), 400, 'Bad Request: method is available for supergroup and channel chats only');
  expectError(await promote(B1, { chat_id: SG, user_id: ANN.id, can_invite_users: true }), 400, "Bad Request: can't remove chat owner");
  expectError(await promote(B1, { chat_id: SG, user_id: B1.id, can_invite_users: true }), 400, "Bad Request: can't promote self");
  expectError(await promote(B2, { chat_id: SG, user_id: CID.id, can_invite_users: true }), 400, 'Bad Request: not enough rights');
  expectError(await promote(B1, { chat_id: SG, user_id: DOT.id, can_invite_users: true }), 400, 'Bad Request: CHAT_ADMIN_REQUIRED');
  expectError(await promote(B1, { chat_id: SG, user_id: BEN.id, can_change_info: true }), 400, 'Bad Request: RIGHT_FORBIDDEN');
});

test('setChatAdministratorCustomTitle: checks, emoji, and the 16-character cut', async () => {
  const title = (params) => call(B1, 'setChatAdministratorCustomTitle', params);
  expectError(await title({ chat_id: CH, user_id: BEN.id, custom_title: 'x' }), 400, 'Bad Request: method is available only for groups and supergroups');
  expectError(await title({ chat_id: SG, user_id: ANN.id, custom_title: 'x' }), 400, 'Bad Request: only the owner can edit their custom title');
  expectError(await title({ chat_id: SG, user_id: CID.id, custom_title: 'x' }), 400, 'Bad Request: user is not an administrator');
  expectError(await title({ chat_id: SG, user_id: DOT.id, custom_title: 'x' }), 400, 'Bad Request: not enough rights to change custom title of the user');
  expectError(await title({ chat_id: GR, user_id: DOT.id, custom_title: 'x' }), 400, 'Bad Request: not enough rights to change custom title of the user');
  expectOk(await call(B1, 'promoteChatMember', { chat_id: SG, user_id: BEN.id, can_invite_users: true }));
  expectError(await title({ chat_id: SG, user_id: BEN.id, custom_title: 'Boss \u{1F600}' }), 400, 'Bad Request: CUSTOM_TITLE_EMOJI_NOT_ALLOWED');
  expectOk(await title({ chat_id: SG, user_id: BEN.id, custom_title: 'The very important boss' }));
  assert.equal((await status(SG, BEN)).custom_title, 'The very importa');
  expectOk(await title({ chat_id: SG, user_id: BEN.id, custom_title: '' }));
  assert.equal('custom_title' in (await status(SG, BEN)), false);
});

test('setChatMemberTag: a member\'s tag, kept through a restriction, shown by getChatMember; refusals', async () => {
  const tag = (params) => call(B1, 'setChatMemberTag', params);
  await take(B1);
  expectError(await tag({ chat_id: CH, user_id: BEN.id, tag: 'x' }), 400, 'Bad Request: method is available only for groups and supergroups');
  expectError(await tag({ chat_id: SG, user_id: BEN.id, tag: 'x' }), 400, 'Bad Request: CHAT_ADMIN_REQUIRED');
  // Ann gives B1 can_manage_tags.
  const put = await srv.control('PUT', `/chats/${SG}/members/${B1.id}`,
    { status: 'administrator', rights: { ...RIGHTS, can_manage_tags: true }, by: ANN.id });
  assert.equal(put.status, 200, put.text);
  await take(B1);
  expectError(await tag({ chat_id: SG, user_id: 999999, tag: 'x' }), 400, 'Bad Request: user not found');
  expectError(await tag({ chat_id: SG, user_id: DOT.id, tag: 'x' }), 400, 'Bad Request: TAG_CHANGE_FORBIDDEN');
  expectError(await tag({ chat_id: SG, user_id: ANN.id, tag: 'x' }), 400, 'Bad Request: TAG_CHANGE_FORBIDDEN');
  expectError(await tag({ chat_id: SG, user_id: FAY.id, tag: 'x' }), 400, 'Bad Request: USER_NOT_PARTICIPANT');
  // Ben, still an administrator from the title test: his rank is a title. Demoted, he may be tagged.
  expectError(await tag({ chat_id: SG, user_id: BEN.id, tag: 'x' }), 400, 'Bad Request: TAG_CHANGE_FORBIDDEN');
  assert.deepEqual(await take(B1), []);
  expectOk(await call(B1, 'promoteChatMember', { chat_id: SG, user_id: BEN.id }));
  await take(B1);
  expectError(await tag({ chat_id: SG, user_id: BEN.id, tag: 'old \u{1F600}' }), 400, 'Bad Request: TAG_EMOJI_NOT_ALLOWED');

  // Cut to 16 characters, as titles are; chat_member tells, from the bot.
  assert.equal(expectOk(await tag({ chat_id: SG, user_id: BEN.id, tag: 'Veteran member of the club' })), true);
  const tagged = { user: user(BEN), status: 'member', tag: 'Veteran member o' };
  assert.deepEqual(await status(SG, BEN), tagged);
  const [u] = await take(B1);
  assert.deepEqual(u.chat_member.from, botUser(B1));
  assert.deepEqual(u.chat_member.old_chat_member, { user: user(BEN), status: 'member' });
  assert.deepEqual(u.chat_member.new_chat_member, tagged);
  assert.equal(expectOk(await tag({ chat_id: SG, user_id: BEN.id, tag: 'Veteran member o' })), true);
  assert.deepEqual(await take(B1), [], 'the same tag again changes nothing');

  // A restriction keeps the tag, written right after the status; "" removes it.
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG, user_id: BEN.id, permissions: { can_send_messages: false } }));
  const restricted = await status(SG, BEN);
  assert.deepEqual(Object.keys(restricted).slice(0, 4), ['user', 'status', 'tag', 'until_date']);
  assert.equal(restricted.tag, 'Veteran member o');
  assert.equal(expectOk(await tag({ chat_id: SG, user_id: BEN.id, tag: '' })), true);
  assert.equal('tag' in (await status(SG, BEN)), false);
  const all = Object.fromEntries(['can_send_messages', 'can_send_audios', 'can_send_documents', 'can_send_photos',
    'can_send_videos', 'can_send_video_notes', 'can_send_voice_notes', 'can_send_polls', 'can_send_other_messages',
    'can_add_web_page_previews', 'can_react_to_messages', 'can_edit_tag', 'can_change_info', 'can_invite_users',
    'can_pin_messages', 'can_manage_topics'].map((k) => [k, true]));
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG, user_id: BEN.id, permissions: all }));
  assert.deepEqual(await status(SG, BEN), { user: user(BEN), status: 'member' });

  // A basic group: every administrator bot may tag.
  assert.equal((await srv.control('PUT', `/chats/${GR}/members/${CID.id}`, { status: 'member', by: ANN.id })).status, 200);
  assert.equal(expectOk(await tag({ chat_id: GR, user_id: CID.id, tag: 'Guest' })), true);
  assert.deepEqual(await status(GR, CID), { user: user(CID), status: 'member', tag: 'Guest' });
  await take(B1);
});

test('leaveChat: my_chat_member from the bot; private chats refused; a group left is left again quietly', async () => {
  expectError(await call(B1, 'leaveChat', { chat_id: BEN.id }), 400, "Bad Request: chat member status can't be changed in private chats");
  expectError(await call(B1, 'leaveChat', {}), 400, 'Bad Request: chat_id is empty');
  await take(B1);
  await take(B2);
  assert.equal(expectOk(await call(B1, 'leaveChat', { chat_id: CH })), true);
  const [mine] = await take(B1);
  assert.deepEqual(Object.keys(mine), ['update_id', 'my_chat_member']);
  const mcm = mine.my_chat_member;
  assert.equal(mcm.chat.id, CH);
  assert.deepEqual(mcm.from, botUser(B1));
  assert.equal(mcm.old_chat_member.status, 'administrator');
  assert.deepEqual(mcm.new_chat_member, { user: botUser(B1), status: 'left' });
  // Gone from a private channel: no longer a member.
  expectError(await call(B1, 'leaveChat', { chat_id: CH }), 403, 'Forbidden: bot is not a member of the channel chat');
  expectError(await call(B1, 'banChatMember', { chat_id: CH, user_id: BEN.id }), 403, 'Forbidden: bot is not a member of the channel chat');

  assert.equal(expectOk(await call(B1, 'leaveChat', { chat_id: GR })), true);
  assert.equal(expectOk(await call(B1, 'leaveChat', { chat_id: GR })), true);
  // my_chat_member, then the group's left_chat_member about the bot itself, which it receives
  // although it has left (spec 9.2); a channel has no such message.
  const updates = await take(B1);
  assert.equal(updates.length, 2);
  assert.deepEqual(updates[0].my_chat_member.new_chat_member, { user: botUser(B1), status: 'left' });
  assert.deepEqual(updates[1].message.left_chat_member, botUser(B1));
  assert.deepEqual(updates[1].message.from, botUser(B1));
});

test('a ban survives a restart and still runs out on the clock', async () => {
  // Eve is not in the world file, which a restart loads again.
  const now = await serverNow(srv);
  expectOk(await call(B1, 'banChatMember', { chat_id: SG, user_id: EVE.id, until_date: now + 600 }));
  assert.equal(await srv.restart(), 0);
  assert.deepEqual(await status(SG, EVE), { user: user(EVE), status: 'kicked', until_date: now + 600 });
  await advanceClock(srv, 601);
  assert.deepEqual(await status(SG, EVE), { user: user(EVE), status: 'left' });
});

test('GET /control/v1/chats/{id}/members/{user_id} shows a member as getChatMember does', async () => {
  const now = await serverNow(srv);
  // Cid, banned for good by the first test, is let free and restricted.
  expectOk(await call(B1, 'unbanChatMember', { chat_id: SG, user_id: CID.id, only_if_banned: true }));
  assert.equal((await srv.control('PUT', `/chats/${SG}/members/${CID.id}`, { status: 'member', by: ANN.id })).status, 200);
  expectOk(await call(B1, 'restrictChatMember', { chat_id: SG, user_id: CID.id, permissions: { can_send_messages: false } }));
  assert.equal((await status(SG, CID)).status, 'restricted');
  expectOk(await call(B1, 'banChatMember', { chat_id: SG, user_id: FAY.id, until_date: now + 300 }));
  for (const u of [ANN, BEN, CID, DOT, EVE, FAY]) {
    const res = await srv.control('GET', `/chats/${SG}/members/${u.id}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.result, await status(SG, u), u.first_name);
  }
  assert.deepEqual((await srv.control('GET', `/chats/${SG}/members/${FAY.id}`)).json.result,
    { user: user(FAY), status: 'kicked', until_date: now + 300 });
  await advanceClock(srv, 301);
  assert.deepEqual((await srv.control('GET', `/chats/${SG}/members/${FAY.id}`)).json.result,
    { user: user(FAY), status: 'left' }, 'the ban ran out');
  const admin = (await srv.control('GET', `/chats/${SG}/members/${B1.id}`)).json.result;
  assert.equal(admin.status, 'administrator');
  assert.equal(admin.user.is_bot, true);
  const unknownUser = await srv.control('GET', `/chats/${SG}/members/999999`);
  assert.equal(unknownUser.status, 400);
  assert.equal(unknownUser.json.description, 'Bad Request: unknown user 999999');
  const unknownChat = await srv.control('GET', `/chats/-1009999999999/members/${BEN.id}`);
  assert.equal(unknownChat.status, 400);
  assert.equal(unknownChat.json.description, 'Bad Request: unknown chat -1009999999999');
});
