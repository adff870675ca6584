// A whole invite conversation, written the way people write such bots, on three real client
// libraries unchanged but for their base URL:
//   - grammY 1.46 (bot.command, bot.callbackQuery, ctx.reply with HTML and an inline keyboard);
//   - Telegraf 4.16 (bot.launch(); setMyCommands at start, as many real bots do; Markup buttons);
//   - node-telegram-bot-api 0.67 (polling; onText, callback_query, chat_join_request events).
// The test plays the user through the control plane:
//   1. the user sends /start to the bot in a private chat;
//   2. the bot answers with an HTML message holding a join-request link of its group and an
//      "I am human" button;
//   3. the user presses the button; the bot answers the callback query and edits its message;
//   4. the user asks to join through the link; the bot approves and greets them in the group.
// The test checks what the user would see: the private chat's messages, the callback answer,
// the membership, and the greeting in the group.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Bot } from 'grammy';
import { Telegraf, Markup } from 'telegraf';
import { startServer } from '../support/server.mjs';
import { LINK_RE, controlOk, waitFor } from './helpers.mjs';

const require = createRequire(import.meta.url);
const TelegramBot = require('node-telegram-bot-api');

const OWNER = 100001;

function setup(n, name) {
  const botId = 7000000200 + n;
  return {
    name,
    bot: {
      id: botId,
      token: `${botId}:AAconversation${name}Secret01234567`,
      username: `door_${name.toLowerCase()}_bot`,
      first_name: `Door ${name}`,
    },
    chatId: -1001000000200 - n,
    user: { id: 300000 + n, first_name: `Guest ${name}`, username: `guest_${name.toLowerCase()}` },
  };
}

const GRAMMY = setup(1, 'Grammy');
const TELEGRAF = setup(2, 'Telegraf');
const NTBA = setup(3, 'Ntba');
const ALL = [GRAMMY, TELEGRAF, NTBA];

function world() {
  const users = [{ id: OWNER, first_name: 'Alice', username: 'alice' }];
  const chats = [];
  for (const s of ALL) {
    users.push(s.user);
    chats.push({
      id: s.chatId,
      type: 'supergroup',
      title: `Members of ${s.name}`,
      members: [
        { user_id: OWNER, status: 'creator' },
        { user_id: s.bot.id, status: 'administrator', rights: { can_invite_users: true } },
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

const WELCOME = (link) =>
  `<b>Welcome!</b> Our group takes members by request: <a href="${link}">ask to join</a>.\n` +
  'First, prove you are human:';
const VERIFIED = 'Verified ✅ Use the link above to ask to join.';
const GREETING = (name) => `Please welcome <b>${name}</b> 👋`;

// The scenario, the same for every library; `seen.errors` is filled by the running bot.
async function conversation(s, seen) {
  const privateChat = `/users/${s.user.id}/chats/${s.bot.id}/messages`;
  const diagnose = async () =>
    `private chat: ${(await srv.control('GET', privateChat)).text}\nbot errors: ${seen.errors.map(String).join('; ')}`;

  // 1. /start
  const start = await control('POST', '/messages', { from: s.user.id, chat_id: s.bot.id, text: '/start' });
  assert.deepEqual(start.entities, [{ offset: 0, length: 6, type: 'bot_command' }]);

  // 2. The bot's answer, as the user sees it.
  const answer = await waitFor('the bot to answer /start', async () =>
    (await control('GET', privateChat)).find((m) => m.from.id === s.bot.id), { diagnose });
  assert.equal(answer.chat.id, s.user.id);
  assert.equal(answer.chat.type, 'private');
  assert.ok(answer.text.startsWith('Welcome! Our group takes members by request: ask to join.'), answer.text);
  assert.deepEqual(answer.entities[0], { offset: 0, length: 8, type: 'bold' });
  const link = answer.entities.find((e) => e.type === 'text_link');
  assert.ok(link, JSON.stringify(answer.entities));
  assert.match(link.url, LINK_RE);
  assert.deepEqual(answer.reply_markup, { inline_keyboard: [[{ text: 'I am human', callback_data: 'human' }]] });

  // 3. The press, the callback answer and the edit.
  const press = await control('POST', '/callback-queries',
    { from: s.user.id, chat_id: s.bot.id, message_id: answer.message_id, data: 'human' });
  const reply = await waitFor('the bot to answer the callback query', () =>
    control('GET', `/callback-queries/${press.callback_query_id}`), { diagnose });
  assert.equal(reply.text, 'Verified');
  const edited = await waitFor('the bot to edit its message', async () =>
    (await control('GET', privateChat)).find((m) => m.message_id === answer.message_id && m.edit_date), { diagnose });
  assert.equal(edited.text, VERIFIED);
  assert.equal(edited.reply_markup, undefined, 'the edit removed the keyboard');

  // 4. The join request through the link; the bot approves and greets.
  const asked = await control('POST', '/join', { user_id: s.user.id, invite_link: link.url });
  assert.equal(asked.status, 'pending', JSON.stringify(asked));
  const greeting = await waitFor('the greeting in the group', async () =>
    (await control('GET', `/chats/${s.chatId}/messages`)).find((m) => m.from.id === s.bot.id), { diagnose });
  assert.equal(greeting.text, `Please welcome ${s.user.first_name} 👋`);
  assert.deepEqual(greeting.entities, [{ offset: 15, length: s.user.first_name.length, type: 'bold' }]);
  const requests = await control('GET', `/chats/${s.chatId}/join-requests`);
  assert.equal(requests.find((r) => r.user_id === s.user.id)?.state, 'approved', JSON.stringify(requests));
  assert.deepEqual(seen.errors.map(String), [], 'the bot hit errors');
}

test('grammY: /start, a link with a button, the press, the approval, the greeting', async () => {
  const s = GRAMMY;
  const seen = { errors: [] };
  const bot = new Bot(s.bot.token, { client: { apiRoot: srv.base } });
  bot.command('start', async (ctx) => {
    const link = await ctx.api.createChatInviteLink(s.chatId, { name: 'welcome', creates_join_request: true });
    await ctx.reply(WELCOME(link.invite_link), {
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'I am human', callback_data: 'human' }]] },
    });
  });
  bot.callbackQuery('human', async (ctx) => {
    await ctx.answerCallbackQuery({ text: 'Verified' });
    await ctx.editMessageText(VERIFIED);
  });
  bot.on('chat_join_request', async (ctx) => {
    await ctx.approveChatJoinRequest(ctx.from.id);
    await ctx.api.sendMessage(s.chatId, GREETING(ctx.from.first_name), { parse_mode: 'HTML' });
  });
  bot.catch((err) => seen.errors.push(err.error ?? err));
  let started = false;
  const running = bot.start({ onStart: () => { started = true; } });
  running.catch((err) => seen.errors.push(err));
  try {
    await waitFor('grammY to start polling', () => started || seen.errors.length > 0);
    await conversation(s, seen);
  } finally {
    await bot.stop();
    await running.catch(() => {});
  }
});

test('Telegraf: bot.launch() with setMyCommands at start, then the same conversation', async () => {
  const s = TELEGRAF;
  const seen = { errors: [] };
  const bot = new Telegraf(s.bot.token, { telegram: { apiRoot: srv.base } });
  bot.start(async (ctx) => {
    const link = await ctx.telegram.createChatInviteLink(s.chatId, { name: 'welcome', creates_join_request: true });
    await ctx.replyWithHTML(WELCOME(link.invite_link), Markup.inlineKeyboard([Markup.button.callback('I am human', 'human')]));
  });
  bot.action('human', async (ctx) => {
    await ctx.answerCbQuery('Verified');
    await ctx.editMessageText(VERIFIED);
  });
  bot.on('chat_join_request', async (ctx) => {
    const from = ctx.chatJoinRequest.from;
    await ctx.approveChatJoinRequest(from.id);
    await ctx.telegram.sendMessage(s.chatId, GREETING(from.first_name), { parse_mode: 'HTML' });
  });
  bot.catch((err) => seen.errors.push(err));
  await bot.telegram.setMyCommands([{ command: 'start', description: 'Ask to join the group' }]);
  assert.deepEqual(await bot.telegram.getMyCommands(), [{ command: 'start', description: 'Ask to join the group' }]);
  const running = bot.launch();
  running.catch((err) => seen.errors.push(err));
  try {
    await conversation(s, seen);
  } finally {
    bot.stop('test over');
    await running.catch(() => {});
  }
});

test('node-telegram-bot-api: polling events, the same conversation', async () => {
  const s = NTBA;
  const seen = { errors: [] };
  const bot = new TelegramBot(s.bot.token, { polling: { interval: 50, params: { timeout: 1 } }, baseApiUrl: srv.base });
  bot.on('polling_error', (err) => seen.errors.push(err));
  bot.onText(/^\/start/, async (msg) => {
    try {
      const link = await bot.createChatInviteLink(s.chatId, { name: 'welcome', creates_join_request: true });
      await bot.sendMessage(msg.chat.id, WELCOME(link.invite_link), {
        parse_mode: 'HTML',
        reply_markup: { inline_keyboard: [[{ text: 'I am human', callback_data: 'human' }]] },
      });
    } catch (err) {
      seen.errors.push(err);
    }
  });
  bot.on('callback_query', async (q) => {
    try {
      await bot.answerCallbackQuery(q.id, { text: 'Verified' });
      await bot.editMessageText(VERIFIED, { chat_id: q.message.chat.id, message_id: q.message.message_id });
    } catch (err) {
      seen.errors.push(err);
    }
  });
  bot.on('chat_join_request', async (r) => {
    try {
      await bot.approveChatJoinRequest(r.chat.id, r.from.id);
      await bot.sendMessage(s.chatId, GREETING(r.from.first_name), { parse_mode: 'HTML' });
    } catch (err) {
      seen.errors.push(err);
    }
  });
  try {
    await conversation(s, seen);
  } finally {
    // Without `cancel`: ntba 0.67 then lets the parked poll (timeout 1 s) finish and schedules no
    // next one. With `cancel: true` its `finally` would schedule a new poll and keep polling.
    await bot.stopPolling();
  }
});
