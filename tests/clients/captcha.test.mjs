// A captcha bot on grammY 1.46 (long polling), unchanged but for apiRoot, written the way such bots
// are written: when someone joins its supergroup, it mutes them (restrictChatMember with every
// permission false), posts "press to prove you are human" with an inline button in the group, and
// on the newcomer's press lifts the restriction (restrictChatMember with every permission true:
// "Pass True for all permissions to lift restrictions from a user", so the chat's defaults apply
// again), answers the callback query and edits its message. A press by anybody else gets an alert
// and changes nothing.
//
// Two variants, one bot and supergroup each, the same scenario:
//   - the bot learns of the join from the chat_member update (allowed_updates with chat_member;
//     the bot is an administrator, so it gets them);
//   - the classic way: the group's service message (`message:new_chat_members`), with grammY's
//     default allowed_updates, which leave chat_member out. The test checks the service message
//     the bot got: from the newcomer, new_chat_members, new_chat_member, new_chat_participant;
//     the bot deletes it, as most of them do.
//
// The test plays the people through the control plane: the newcomer joins through a link, tries to
// write (refused while muted), presses; the owner presses the newcomer's button too. It checks
// the member as getChatMember shows it, the group's messages, the callback answers and the
// chat_member updates the bot got.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Bot, InlineKeyboard } from 'grammy';
import { startServer } from '../support/server.mjs';
import { controlOk, waitFor } from './helpers.mjs';

const OWNER = 100001;

function setup(n, name) {
  const botId = 7000000400 + n;
  return {
    name,
    bot: {
      id: botId,
      token: `${botId}:AAcaptcha${name}Secret0123456789ab`,
      username: `captcha_${name.toLowerCase()}_bot`,
      first_name: `Captcha ${name}`,
    },
    chatId: -1001000000400 - n,
    newcomer: { id: 500000 + n, first_name: `Newbie ${name}`, username: `newbie_${name.toLowerCase()}` },
  };
}

const ON_CHAT_MEMBER = setup(1, 'ChatMember');
const ON_SERVICE_MESSAGE = setup(2, 'Service');
const ALL = [ON_CHAT_MEMBER, ON_SERVICE_MESSAGE];

function world() {
  const users = [{ id: OWNER, first_name: 'Alice', username: 'alice' }];
  const chats = [];
  for (const s of ALL) {
    users.push(s.newcomer);
    chats.push({
      id: s.chatId,
      type: 'supergroup',
      title: `Guarded by ${s.bot.first_name}`,
      members: [
        { user_id: OWNER, status: 'creator' },
        {
          user_id: s.bot.id,
          status: 'administrator',
          rights: { can_invite_users: true, can_restrict_members: true, can_delete_messages: true },
        },
      ],
    });
  }
  return { bots: ALL.map((s) => s.bot), users, chats };
}

let srv;
before(async () => {
  srv = await startServer({ world: world() });
});
after(async () => {
  await srv?.close();
});

const control = (method, path, body) => controlOk(srv, method, path, body);

const PERMISSION_NAMES = [
  'can_send_messages', 'can_send_audios', 'can_send_documents', 'can_send_photos', 'can_send_videos',
  'can_send_video_notes', 'can_send_voice_notes', 'can_send_polls', 'can_send_other_messages',
  'can_add_web_page_previews', 'can_change_info', 'can_invite_users', 'can_pin_messages',
  'can_manage_topics',
];
const permissions = (value) => Object.fromEntries(PERMISSION_NAMES.map((p) => [p, value]));
const MUTED = permissions(false);
const FREE = permissions(true);

const CHALLENGE = (name) => `Welcome, ${name}! Press the button within 5 minutes to prove you are human.`;
const PASSED = (name) => `${name} is human. Welcome!`;

// The captcha logic shared by both ways of hearing of a join: mute, then ask.
async function challenge(ctx, user) {
  if (user.is_bot) return;
  await ctx.restrictChatMember(user.id, MUTED);
  await ctx.reply(CHALLENGE(user.first_name), {
    reply_markup: new InlineKeyboard().text('I am human 🤖❌', `captcha:${user.id}`),
  });
}

function captchaBot(s, seen) {
  const bot = new Bot(s.bot.token, { client: { apiRoot: srv.base } });
  bot.use((ctx, next) => {
    seen.updates.push(ctx.update);
    return next();
  });
  bot.callbackQuery(/^captcha:(\d+)$/, async (ctx) => {
    if (Number(ctx.match[1]) !== ctx.from.id) {
      await ctx.answerCallbackQuery({ text: 'This button is not for you.', show_alert: true });
      return;
    }
    await ctx.restrictChatMember(ctx.from.id, FREE);
    await ctx.answerCallbackQuery({ text: 'Thanks, you can write now.' });
    await ctx.editMessageText(PASSED(ctx.from.first_name));
  });
  bot.catch((err) => seen.errors.push(err.error ?? err));
  return bot;
}

async function run(bot, allowedUpdates, seen, body) {
  let started = false;
  const running = bot.start({ allowed_updates: allowedUpdates, onStart: () => { started = true; } });
  running.catch((err) => seen.errors.push(err));
  try {
    await waitFor('grammY to start polling', () => started || seen.errors.length > 0);
    assert.deepEqual(seen.errors.map(String), []);
    await body();
  } finally {
    await bot.stop();
    await running.catch(() => {});
  }
}

// The scenario, the same for every variant. `hears` says what the bot asked for and must have got
// about the join: 'chat_member' (the chat_member updates), 'service' (the new_chat_members
// message, and no chat_member updates: the default allowed_updates leave them out).
async function captchaScenario(s, seen, hears) {
  const newcomer = s.newcomer;
  const chatMembers = () => seen.updates.filter((u) => u.chat_member).map((u) => u.chat_member);
  const diagnose = async () => [
    `group: ${(await srv.control('GET', `/chats/${s.chatId}/messages`)).text}`,
    `updates: ${JSON.stringify(seen.updates)}`,
    `bot errors: ${seen.errors.map(String).join('; ')}`,
  ].join('\n');
  const member = async (user) => {
    const r = await srv.api(s.bot.token, 'getChatMember', { chat_id: s.chatId, user_id: user });
    assert.equal(r.json?.ok, true, r.text);
    return r.json.result;
  };
  const groupSay = (user, text) =>
    srv.control('POST', '/messages', { from: user, chat_id: s.chatId, text });

  // The newcomer joins through an ordinary link of the group.
  const made = await srv.api(s.bot.token, 'createChatInviteLink', { chat_id: s.chatId, name: 'public' });
  assert.equal(made.json?.ok, true, made.text);
  const joined = await control('POST', '/join', { user_id: newcomer.id, invite_link: made.json.result.invite_link });
  assert.equal(joined.status, 'joined', JSON.stringify(joined));

  // The bot's challenge, with its button, in the group.
  const ask = await waitFor('the captcha message in the group', async () =>
    (await control('GET', `/chats/${s.chatId}/messages`)).find((m) => m.from.id === s.bot.id),
  { diagnose });
  assert.equal(ask.chat.id, s.chatId);
  assert.equal(ask.text, CHALLENGE(newcomer.first_name));
  assert.deepEqual(ask.reply_markup, {
    inline_keyboard: [[{ text: 'I am human 🤖❌', callback_data: `captcha:${newcomer.id}` }]],
  });

  // Muted: restricted, still a member, may not send; the group refuses their text.
  const muted = await member(newcomer.id);
  assert.equal(muted.status, 'restricted', JSON.stringify(muted));
  assert.equal(muted.is_member, true);
  assert.equal(muted.until_date, 0);
  for (const p of PERMISSION_NAMES) assert.equal(muted[p], false, `${p}: ${JSON.stringify(muted)}`);
  const refused = await groupSay(newcomer.id, 'let me in');
  assert.equal(refused.status, 400, refused.text);
  assert.equal(refused.json.description,
    `Bad Request: user ${newcomer.id} is restricted in chat ${s.chatId} and may not send text messages`);

  // Someone else presses: an alert, and nothing changes.
  const wrong = await control('POST', '/callback-queries',
    { from: OWNER, chat_id: s.chatId, message_id: ask.message_id, data: `captcha:${newcomer.id}` });
  const wrongAnswer = await waitFor('the answer to the owner\'s press', () =>
    control('GET', `/callback-queries/${wrong.callback_query_id}`), { diagnose });
  assert.equal(wrongAnswer.text, 'This button is not for you.');
  assert.equal(wrongAnswer.show_alert, true);
  assert.equal((await member(newcomer.id)).status, 'restricted');

  // The newcomer presses: free again, as a plain member, and the message says so.
  const press = await control('POST', '/callback-queries',
    { from: newcomer.id, chat_id: s.chatId, message_id: ask.message_id, data: `captcha:${newcomer.id}` });
  const answer = await waitFor('the answer to the newcomer\'s press', () =>
    control('GET', `/callback-queries/${press.callback_query_id}`), { diagnose });
  assert.equal(answer.text, 'Thanks, you can write now.');
  assert.ok(!answer.show_alert, JSON.stringify(answer));
  const edited = await waitFor('the bot to edit its message', async () =>
    (await control('GET', `/chats/${s.chatId}/messages`)).find(
      (m) => m.message_id === ask.message_id && m.edit_date), { diagnose });
  assert.equal(edited.text, PASSED(newcomer.first_name));
  assert.equal(edited.reply_markup, undefined, 'the edit took the button away');
  const free = await member(newcomer.id);
  assert.equal(free.status, 'member', JSON.stringify(free));
  const hello = await groupSay(newcomer.id, 'Hello everyone!');
  assert.equal(hello.status, 200, hello.text);
  assert.equal(hello.json.result.from.id, newcomer.id);

  const presses = seen.updates.filter((u) => u.callback_query).map((u) => u.callback_query);
  assert.deepEqual(presses.map((q) => q.from.id), [OWNER, newcomer.id]);
  for (const q of presses) {
    assert.equal(q.message.message_id, ask.message_id);
    assert.equal(q.data, `captcha:${newcomer.id}`);
  }
  assert.deepEqual(seen.errors.map(String), [], 'the bot hit errors');
  if (hears === 'service') {
    const service = assertServiceMessage(s, seen, joined);
    // The first message of this supergroup (message 1): deletable, the emulator having no
    // "created" message.
    assert.equal(service.message_id, 1);
    const listed = await control('GET', `/chats/${s.chatId}/messages`);
    assert.equal(listed.find((m) => m.message_id === service.message_id), undefined,
      'the bot deleted the service message');
    assert.ok(service.message_id < ask.message_id, 'the service message came before the challenge');
    assert.deepEqual(chatMembers(), [], 'chat_member updates came without being asked for');
    return;
  }

  // This bot ignores the service message, which stays in the group.
  const service = assertServiceMessage(s, seen, joined);
  assert.ok((await control('GET', `/chats/${s.chatId}/messages`)).some((m) => m.message_id === service.message_id));

  // The member updates the bot got about the newcomer: the join (from the newcomer, with the link),
  // the mute and the release (both from the bot).
  const cms = chatMembers().filter((cm) => cm.new_chat_member.user.id === newcomer.id);
  assert.deepEqual(
    cms.map((cm) => [cm.from.id, cm.old_chat_member.status, cm.new_chat_member.status]),
    [
      [newcomer.id, 'left', 'member'],
      [s.bot.id, 'member', 'restricted'],
      [s.bot.id, 'restricted', 'member'],
    ],
    JSON.stringify(cms),
  );
  assert.equal(cms[0].invite_link?.invite_link, made.json.result.invite_link);
  assert.equal(cms[1].new_chat_member.can_send_messages, false);
  assert.equal(cms[1].new_chat_member.is_member, true);
}

// The service message about a join through a link (spec bot-api-moderation.md 9.1 and 9.3): from
// the newcomer, with new_chat_members, new_chat_member and the legacy new_chat_participant about
// them, and no text.
function assertServiceMessage(s, seen, joined) {
  const newcomer = s.newcomer;
  const services = seen.updates.filter((u) => u.message?.new_chat_members).map((u) => u.message);
  assert.equal(services.length, 1, JSON.stringify(services));
  const m = services[0];
  const user = { id: newcomer.id, is_bot: false, first_name: newcomer.first_name, username: newcomer.username };
  assert.equal(m.chat.id, s.chatId);
  assert.equal(m.chat.type, 'supergroup');
  assert.deepEqual(m.from, user);
  assert.deepEqual(m.new_chat_members, [user]);
  assert.deepEqual(m.new_chat_member, user);
  assert.deepEqual(m.new_chat_participant, user);
  assert.equal(m.date, joined.date);
  assert.equal(typeof m.message_id, 'number');
  assert.equal(m.text, undefined);
  assert.equal(m.entities, undefined);
  return m;
}

test('grammY captcha bot on chat_member: mutes a newcomer, the button press frees them', async () => {
  const s = ON_CHAT_MEMBER;
  const seen = { updates: [], errors: [] };
  const bot = captchaBot(s, seen);
  bot.on('chat_member', async (ctx) => {
    const { old_chat_member: was, new_chat_member: now } = ctx.chatMember;
    if (['left', 'kicked'].includes(was.status) && now.status === 'member') await challenge(ctx, now.user);
  });
  await run(bot, ['message', 'chat_member', 'callback_query'], seen, () => captchaScenario(s, seen, 'chat_member'));
});

test('grammY captcha bot on message:new_chat_members: the same, from the join service message', async () => {
  const s = ON_SERVICE_MESSAGE;
  const seen = { updates: [], errors: [] };
  const bot = captchaBot(s, seen);
  // The classic captcha bot: the service message names everyone who came in; the bot deletes it
  // to keep the group tidy, as many do.
  bot.on('message:new_chat_members', async (ctx) => {
    for (const user of ctx.message.new_chat_members) await challenge(ctx, user);
    await ctx.deleteMessage();
  });
  // No allowed_updates: the default, which leaves chat_member out.
  await run(bot, undefined, seen, () => captchaScenario(s, seen, 'service'));
});
