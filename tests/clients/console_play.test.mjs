// The web console's "Play a user" view in a real browser (issue 14), against a real grammY bot
// long-polling the same tginvited: a user starts the bot, sees its formatted reply and inline
// button, presses it and sees the answer, uses the join-request link the bot sent, is approved
// and greeted; a second window playing another user sees the first one's group message live;
// the bot's reply keyboards (one-time, persistent, removed) drawn above the input and pressed.
// Headless Debian Chromium driven by Playwright (browser.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Bot } from 'grammy';
import { startServer } from '../support/server.mjs';
import { controlOk, waitFor } from './helpers.mjs';
import { launchBrowser, newPage, screenshot, signIn } from './browser.mjs';

const BOT = { id: 7000000001, token: '7000000001:AAplayConsoleSecret0123456789', username: 'play_demo_bot', first_name: 'Play Demo' };
const ALICE = { id: 100001, first_name: 'Alice', username: 'alice' };
const BOB = { id: 100002, first_name: 'Bob', username: 'bobby' };
const LOBBY = -1001000000001; // Alice and Bob are in it
const CLUB = -1001000000002; // Bob asks to join through the bot's link
const BACKROOM = -1001000000004; // requests through other links wait for a person to decide
const LINK_RE = /https:\/\/t\.me\/\+[A-Za-z0-9_-]{16}/;

function world() {
  const admin = { user_id: BOT.id, status: 'administrator', rights: { can_invite_users: true } };
  return {
    bots: [BOT],
    users: [ALICE, BOB],
    chats: [
      { id: LOBBY, type: 'supergroup', title: 'Lobby',
        members: [{ user_id: ALICE.id, status: 'creator' }, { user_id: BOB.id, status: 'member' }, admin] },
      { id: CLUB, type: 'supergroup', title: 'Club',
        members: [{ user_id: ALICE.id, status: 'creator' }, admin] },
      { id: BACKROOM, type: 'supergroup', title: 'Backroom',
        members: [{ user_id: ALICE.id, status: 'creator' }, admin] },
    ],
  };
}

// A long line of code: it scrolls inside its bubble, never widens the page.
const PRE = `x = 1  # ${'a long comment '.repeat(12)}`;

// A message whose entities nest (bold around italic) and come after surrogate pairs.
const FORMAT = (() => {
  const entities = [];
  let text = '';
  const add = (chunk, type, extra = {}) => {
    if (type) entities.push({ type, offset: text.length, length: chunk.length, ...extra });
    text += chunk;
  };
  add('😀 ');
  add('gone', 'strikethrough');
  add(' 🎉 ');
  const boldStart = text.length;
  add('bold ');
  add('and italic', 'italic');
  entities.push({ type: 'bold', offset: boldStart, length: text.length - boldStart });
  add(' 🚀 ');
  add(PRE, 'pre', { language: 'python' });
  add(' 👤 ');
  add('Alice', 'text_mention', { user: { id: 100001, is_bot: false, first_name: 'Alice' } });
  add(' ');
  add('quoted', 'blockquote');
  return { text, entities };
})();

let srv;
let browser;
let bot;
let running;
const botErrors = [];

// The bot, written as people write grammY bots: /start answers with formatting and a button; the
// button gets an answer and a join-request link to the Club; a request is approved and greeted.
function startBot() {
  bot = new Bot(BOT.token, { client: { apiRoot: srv.base } });
  bot.command('start', (ctx) => ctx.reply(
    '👋 <b>Welcome</b>, <i>player</i>! Press <u>the button</u> for a <tg-spoiler>secret</tg-spoiler> ' +
    'link, or read <a href="https://example.com/rules">the rules</a>. <code>v1</code>',
    {
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [[{ text: 'Get an invite', callback_data: 'invite' }, { text: 'Rules', callback_data: 'rules' }],
          [{ text: 'Website', url: 'https://example.com/' }]],
      },
    }));
  // Entities given by offset, in UTF-16 code units: each one follows an emoji (two units).
  bot.command('format', (ctx) => ctx.reply(FORMAT.text, { entities: FORMAT.entities }));
  // Reply keyboards: a one-time menu whose choices the bot answers, a persistent pad, a removal.
  bot.command('menu', (ctx) => ctx.reply('Pick a colour', {
    reply_markup: {
      keyboard: [[{ text: 'Red' }, { text: 'Blue' }], [{ text: 'Share phone', request_contact: true }]],
      one_time_keyboard: true, resize_keyboard: true, input_field_placeholder: 'Colour?',
    },
  }));
  bot.hears(/^(Red|Blue)$/, (ctx) => ctx.reply(`You picked ${ctx.match[1]}`));
  bot.command('pad', (ctx) => ctx.reply('Numbers', { reply_markup: { keyboard: [['1', '2']], is_persistent: true } }));
  bot.hears(/^[12]$/, (ctx) => ctx.reply(`Got ${ctx.match[0]}`));
  bot.command('hide', (ctx) => ctx.reply('Keyboard gone', { reply_markup: { remove_keyboard: true } }));
  bot.callbackQuery('rules', (ctx) => ctx.answerCallbackQuery({ text: 'Be kind.', show_alert: true }));
  bot.callbackQuery('invite', async (ctx) => {
    await ctx.answerCallbackQuery({ text: 'Here is your invite' });
    const link = await ctx.api.createChatInviteLink(CLUB, { name: 'play', creates_join_request: true });
    await ctx.reply(`Ask to join the Club: ${link.invite_link}`);
  });
  bot.on('chat_join_request', async (ctx) => {
    if (ctx.chatJoinRequest.invite_link?.name !== 'play') return; // others wait for a person
    await ctx.approveChatJoinRequest(ctx.chatJoinRequest.from.id);
    await ctx.api.sendMessage(CLUB, `Welcome to the Club, ${ctx.chatJoinRequest.from.first_name}!`);
  });
  bot.catch((err) => botErrors.push(err.error ?? err));
  let started = false;
  running = bot.start({
    allowed_updates: ['message', 'callback_query', 'chat_join_request'],
    onStart: () => { started = true; },
  });
  running.catch((err) => botErrors.push(err));
  return waitFor('grammY bot.start() to reach onStart', () => started || botErrors.length > 0);
}

before(async () => {
  [srv, browser] = await Promise.all([startServer({ world: world() }), launchBrowser()]);
  await startBot();
});
after(async () => {
  if (bot?.isRunning()) await bot.stop();
  await running?.catch(() => {});
  await browser?.close();
  await srv?.close();
});

// Signs in, opens Play a user and picks `user`, then the chat whose option text matches `chat`.
async function play(page, user, chat) {
  await signIn(page, srv);
  await page.locator('#live').filter({ hasText: 'live' }).waitFor();
  await page.getByRole('button', { name: 'Play a user' }).click();
  await page.getByLabel('User', { exact: true }).selectOption(String(user.id));
  await openChat(page, chat);
}

async function openChat(page, chat) {
  const value = await page.locator('#play-chat option', { hasText: chat }).first().getAttribute('value');
  await page.getByLabel('Chat', { exact: true }).selectOption(value);
  await page.locator('#play-title', { hasText: chat }).waitFor();
}

test('play Bob: /start, a formatted reply and its button, the answer, a join request approved, the greeting', async () => {
  const page = await newPage(browser);
  await play(page, BOB, 'Play Demo');
  const input = page.getByLabel('Message', { exact: true });
  await input.fill('/start');
  await input.press('Enter');
  assert.equal(await input.inputValue(), '', 'Enter sent the message');

  // The bot's reply, its entities rendered as elements (offsets in UTF-16: after an emoji).
  const reply = page.locator('.play-msg.theirs', { hasText: 'Welcome' });
  await reply.waitFor();
  await page.locator('.play-msg.mine', { hasText: '/start' }).waitFor();
  const bold = reply.locator('.text b, .text strong');
  assert.equal(await bold.innerText(), 'Welcome');
  assert.equal(await reply.locator('.text i').innerText(), 'player');
  assert.equal(await reply.locator('.text u').innerText(), 'the button');
  assert.equal(await reply.locator('.text code').innerText(), 'v1');
  const spoiler = reply.locator('.spoiler');
  assert.equal(await spoiler.innerText(), 'secret');
  assert.equal(await spoiler.evaluate((s) => s.classList.contains('revealed')), false);
  await spoiler.click();
  assert.equal(await spoiler.evaluate((s) => s.classList.contains('revealed')), true);
  const rules = reply.getByRole('link', { name: 'the rules' });
  assert.equal(await rules.getAttribute('href'), 'https://example.com/rules');
  assert.equal(await reply.getByRole('link', { name: /Website/ }).getAttribute('href'), 'https://example.com/');

  // A button answered with an alert: shown until dismissed.
  await reply.getByRole('button', { name: 'Rules' }).click();
  const alert = page.getByRole('alertdialog');
  await alert.filter({ hasText: 'Be kind.' }).waitFor();
  assert.equal(await alert.getByRole('button', { name: 'OK' }).evaluate((b) => b === document.activeElement), true,
    'the alert takes the focus');
  await page.keyboard.press('Escape');
  await alert.waitFor({ state: 'hidden' });
  assert.equal(await input.evaluate((i) => i === document.activeElement), true, 'and gives it back to the input');

  // Nested entities after surrogate pairs, sent with explicit offsets.
  await input.fill('/format');
  await input.press('Enter');
  const format = page.locator('.play-msg.theirs', { hasText: 'gone' });
  await format.waitFor();
  assert.equal(await format.locator('.text s').innerText(), 'gone');
  // (the server may split the bold around the nested italic, as Telegram does)
  assert.equal((await format.locator('.text b').allInnerTexts()).join(''), 'bold and italic');
  const italic = format.locator('.text i');
  assert.equal(await italic.innerText(), 'and italic');
  assert.equal(await italic.evaluate((i) => Boolean(i.closest('b') || i.querySelector('b'))), true,
    'the italic part is bold too');
  assert.equal(await format.locator('.text pre > code').innerText(), PRE);
  assert.equal(await format.locator('.text pre > code').getAttribute('data-language'), 'python');
  assert.equal(await format.locator('.text .mention').innerText(), 'Alice');
  assert.equal(await format.locator('.text blockquote').innerText(), 'quoted');

  // The button: pressed from the keyboard; the bot's answer is shown, then its link arrives.
  const press = reply.getByRole('button', { name: 'Get an invite' });
  await press.focus();
  await page.keyboard.press('Enter');
  await page.locator('#play-answer', { hasText: 'Here is your invite' }).waitFor();
  const linkMessage = page.locator('.play-msg.theirs', { hasText: 'Ask to join the Club' });
  await linkMessage.waitFor();
  const link = (await linkMessage.locator('.text').innerText()).match(LINK_RE)?.[0];
  assert.ok(link, 'the bot sent a link');

  // The link, used as Bob: a join request, approved by the bot.
  await page.getByLabel('Invite link').fill(link);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.locator('#play-join-result', { hasText: 'was approved' }).waitFor();
  const member = await controlOk(srv, 'GET', `/chats/${CLUB}/members/${BOB.id}`);
  assert.equal(member.status, 'member');
  const requests = await controlOk(srv, 'GET', `/chats/${CLUB}/join-requests`);
  assert.equal(requests.find((r) => r.user_id === BOB.id)?.state, 'approved');

  // The Club, opened from the result: the join as a service message, then the greeting.
  await page.getByRole('button', { name: 'Open Club' }).click();
  await page.locator('#play-title', { hasText: 'Club' }).waitFor();
  await page.locator('.play-service', { hasText: 'Bob joined the group' }).waitFor();
  await page.locator('.play-msg.theirs', { hasText: 'Welcome to the Club, Bob!' }).waitFor();
  assert.match(await page.locator('#play-state').innerText(), /a member/);

  // Back in the private chat for the screenshot.
  await openChat(page, 'Play Demo');
  await page.locator('.play-msg', { hasText: 'Ask to join the Club' }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'console-play.png');

  // No horizontal overflow, at a desktop and a phone size, with the long line of code shown.
  await openChat(page, 'Play Demo');
  await page.locator('.play-msg pre').waitFor();
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${viewport.width}x${viewport.height}: the page is ${overflow} px wider than the window`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  // The World view shows Bob among the Club's members.
  await page.getByRole('button', { name: 'World' }).click();
  await page.getByRole('button', { name: 'Club' }).click();
  const row = page.locator('#members tr', { hasText: `@${BOB.username} (${BOB.id})` });
  await row.waitFor();
  assert.match(await row.innerText(), /\bmember\b/);
  // ...and the bot's link with Bob's join through it, by request.
  await page.locator('#links tr', { hasText: 'play' }).filter({ hasText: `${BOB.id} (request)` }).waitFor();
  assert.match(await page.locator('#links tr', { hasText: 'play' }).innerText(), /1 joined, 0 pending/);
  assert.deepEqual(botErrors.map(String), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('two windows: Alice and Bob see each other live in the Lobby; Bob leaves, comes back by a link, asks to join the Backroom', async () => {
  const alice = await newPage(browser);
  const bob = await newPage(browser, { width: 390, height: 844 });
  await Promise.all([play(alice, ALICE, 'Lobby'), play(bob, BOB, 'Lobby')]);
  const input = bob.getByLabel('Message', { exact: true });
  await input.fill('Hi Alice, see https://example.com and ask @alice');
  await input.press('Enter');
  const seen = alice.locator('.play-msg.theirs', { hasText: 'Hi Alice' });
  await seen.waitFor();
  assert.match(await seen.locator('.sender').innerText(), /Bob/);
  assert.equal(await seen.getByRole('link', { name: 'https://example.com' }).getAttribute('href'), 'https://example.com/');
  assert.equal(await seen.getByRole('link', { name: '@alice' }).getAttribute('href'), 'https://t.me/alice');

  const aliceInput = alice.getByLabel('Message', { exact: true });
  await aliceInput.fill('Hello Bob');
  await aliceInput.press('Enter');
  await bob.locator('.play-msg.theirs', { hasText: 'Hello Bob' }).waitFor();

  // Bob leaves; both windows show it as a service message, and Bob's says he is out.
  await bob.getByRole('button', { name: 'Leave group' }).click();
  await bob.locator('#play-state', { hasText: 'not in this chat' }).waitFor();
  await alice.locator('.play-service', { hasText: 'Bob left the group' }).waitFor();
  await bob.locator('.play-service', { hasText: 'Bob left the group' }).waitFor();
  await input.fill('still here?');
  await input.press('Enter');
  await bob.locator('#play-error').filter({ hasText: /Bad Request/ }).waitFor();
  bob.problems = bob.problems.filter((p) => !p.includes('400')); // the refused send, expected
  assert.equal(await input.inputValue(), 'still here?', 'a refused text is given back');

  // Bob comes back through a plain link: joined at once.
  const plain = await srv.api(BOT.token, 'createChatInviteLink', { chat_id: LOBBY });
  assert.equal(plain.json.ok, true, plain.text);
  await bob.getByLabel('Invite link').fill(plain.json.result.invite_link);
  await bob.getByLabel('Invite link').press('Enter');
  await bob.locator('#play-join-result', { hasText: 'Joined Lobby.' }).waitFor();
  await bob.locator('#play-state', { hasText: 'You are a member' }).waitFor();
  assert.equal(await bob.locator('#play-error').innerText(), '', 'the refusal of before is gone');
  await alice.locator('.play-service', { hasText: 'Bob joined the group' }).waitFor();

  // A join request nobody has decided yet is shown pending, then approved when it is.
  const manual = await srv.api(BOT.token, 'createChatInviteLink',
    { chat_id: BACKROOM, name: 'manual', creates_join_request: true });
  assert.equal(manual.json.ok, true, manual.text);
  await bob.getByLabel('Invite link').fill(manual.json.result.invite_link);
  await bob.getByRole('button', { name: 'Join', exact: true }).click();
  await bob.locator('#play-join-result.pending', { hasText: 'Join request sent to Backroom' }).waitFor();
  const approved = await srv.api(BOT.token, 'approveChatJoinRequest', { chat_id: BACKROOM, user_id: BOB.id });
  assert.equal(approved.json.ok, true, approved.text);
  await bob.locator('#play-join-result', { hasText: 'Your request to join Backroom was approved.' }).waitFor();

  for (const [page, name] of [[alice, '1280x720'], [bob, '390x844']]) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the page is ${overflow} px wider than the window`);
  }
  await screenshot(bob, 'console-play-phone.png');
  assert.deepEqual(alice.problems, []);
  assert.deepEqual(bob.problems, []);
  await alice.context().close();
  await bob.context().close();
});

test('block and unblock the bot; users and chats added meanwhile appear in the pickers', async () => {
  const page = await newPage(browser);
  await play(page, ALICE, 'Play Demo');
  // Alice never wrote to the bot: the empty chat offers Start, which sends /start.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('.play-msg.mine', { hasText: '/start' }).waitFor();
  await page.locator('.play-msg.theirs', { hasText: 'Welcome' }).waitFor();
  await page.locator('#play-state', { hasText: 'You started this bot' }).waitFor();
  // Alice's own groups come first in the picker; the others after the bots.
  const labels = await page.locator('#play-chat optgroup').evaluateAll((gs) => gs.map((g) => g.label));
  assert.deepEqual(labels, ['Your groups and channels', 'Private chats with bots', 'Other groups and channels']);
  const yours = await page.locator('#play-chat optgroup').first().locator('option').allInnerTexts();
  assert.deepEqual(yours.map((t) => t.split(' (')[0]).sort(), ['Backroom', 'Club', 'Lobby']);
  await page.getByRole('button', { name: 'Block bot', exact: true }).click();
  await page.locator('#play-state', { hasText: 'You blocked this bot' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Block bot', exact: true }).isHidden(), true);
  const input = page.getByLabel('Message', { exact: true });
  await input.fill('hello?');
  await input.press('Enter');
  await page.locator('#play-error').filter({ hasText: /block/ }).waitFor();
  page.problems = page.problems.filter((p) => !p.includes('400'));
  await page.getByRole('button', { name: 'Unblock bot' }).click();
  await page.locator('#play-state', { hasText: 'You started this bot' }).waitFor();
  await input.press('Enter');
  await page.locator('.play-msg.mine', { hasText: 'hello?' }).waitFor();
  assert.equal(await page.locator('#play-error').innerText(), '');

  // Blocked elsewhere (through the control plane, as a test would): the page shows it.
  await controlOk(srv, 'POST', `/users/${ALICE.id}/block`, { bot_id: BOT.id });
  await page.locator('#play-state', { hasText: 'You blocked this bot' }).waitFor();
  await page.locator('#play-chat option', { hasText: 'Play Demo @play_demo_bot (blocked)' }).waitFor({ state: 'attached' });
  await controlOk(srv, 'POST', `/users/${ALICE.id}/unblock`, { bot_id: BOT.id });
  await page.locator('#play-state', { hasText: 'You started this bot' }).waitFor();

  // A user and a chat added meanwhile appear in the pickers without a reload.
  await controlOk(srv, 'PUT', '/users/100003', { first_name: 'Carol' });
  await controlOk(srv, 'PUT', '/chats/-1001000000003', { type: 'supergroup', title: 'Annex' });
  await page.locator('#play-user option', { hasText: 'Carol (100003)' }).waitFor({ state: 'attached' });
  await page.locator('#play-chat option', { hasText: 'Annex' }).waitFor({ state: 'attached' });
  assert.equal(await page.getByLabel('User', { exact: true }).inputValue(), String(ALICE.id), 'the pick is kept');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('reply keyboards: a one-time menu pressed and gone, a persistent pad removed by the bot', async () => {
  const page = await newPage(browser);
  await play(page, BOB, 'Play Demo');
  const input = page.getByLabel('Message', { exact: true });
  const keyboard = page.getByRole('group', { name: 'Keyboard' });
  await input.fill('/menu');
  await input.press('Enter');
  await page.locator('.play-msg.theirs', { hasText: 'Pick a colour' }).waitFor();
  await keyboard.waitFor();
  assert.equal(await input.getAttribute('placeholder'), 'Colour?');
  assert.equal(await keyboard.getByRole('button', { name: 'Share phone' }).isDisabled(), true);
  // The listing shows the keyboard the bot sent (the Bot API answer to the bot did not).
  const listed = await controlOk(srv, 'GET', `/users/${BOB.id}/chats/${BOT.id}/messages`);
  assert.equal(listed.at(-1).reply_markup.one_time_keyboard, true);

  // Pressing a button sends its text; the bot hears it and answers; the one-time keyboard goes.
  await keyboard.getByRole('button', { name: 'Blue' }).click();
  await page.locator('.play-msg.mine', { hasText: 'Blue' }).waitFor();
  await page.locator('.play-msg.theirs', { hasText: 'You picked Blue' }).waitFor();
  await keyboard.waitFor({ state: 'hidden' });
  assert.notEqual(await input.getAttribute('placeholder'), 'Colour?');

  // A persistent keyboard stays after a press, until the bot removes it.
  await input.fill('/pad');
  await input.press('Enter');
  await keyboard.getByRole('button', { name: '2' }).click();
  await page.locator('.play-msg.theirs', { hasText: 'Got 2' }).waitFor();
  assert.equal(await keyboard.isVisible(), true);
  await screenshot(page, 'console-play-keyboard.png');
  await input.fill('/hide');
  await input.press('Enter');
  await page.locator('.play-msg.theirs', { hasText: 'Keyboard gone' }).waitFor();
  await keyboard.waitFor({ state: 'hidden' });
  assert.deepEqual(botErrors.map(String), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
