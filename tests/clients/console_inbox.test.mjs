// The web console's "Bots, time and faults" page in a real browser (issue 14): a bot's queued
// updates appearing and leaving live, the clock advanced from the page, a fault set from the
// page and met by the bot's next call, the keyboard, and the layout at a desktop and a phone
// size. Headless Debian Chromium driven by Playwright (browser.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { CONTROL_TOKEN, launchBrowser, newPage, screenshot, signIn } from './browser.mjs';

const BOT = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'invite_demo_bot', first_name: 'Invite Demo' };
const OTHER = { id: 7000000002, token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU', username: 'second_helper_bot', first_name: 'Second Helper' };
const ALICE = 100001;

function world() {
  return {
    bots: [BOT, OTHER],
    users: [{ id: ALICE, first_name: 'Alice', username: 'alice' }, { id: 100002, first_name: 'Bob' }],
    chats: [],
  };
}

let srv;
let browser;
before(async () => {
  // --no-guards: getUpdates is called back to back here (the guards are the e2e tests').
  [srv, browser] = await Promise.all([startServer({ world: world(), extraArgs: ['--no-guards'] }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

async function openInbox(page) {
  await signIn(page, srv);
  await page.locator('#live').filter({ hasText: 'live' }).waitFor();
  await page.getByRole('button', { name: 'Bots, time and faults' }).click();
  await page.locator('#inbox-mode').filter({ hasText: 'getUpdates' }).waitFor();
}

async function say(from, text, chatId = BOT.id) {
  const res = await srv.control('POST', '/messages', { from, chat_id: chatId, text });
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}

async function clockNow() {
  const res = await srv.control('GET', '/clock');
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}

test('a bot picked, its updates appear and leave live; the clock and a fault set from the page', async () => {
  const page = await newPage(browser);
  await openInbox(page);
  await page.getByRole('combobox', { name: 'Bot' }).selectOption(String(BOT.id));
  await page.locator('#queue-count').filter({ hasText: 'Nothing queued.' }).waitFor();

  // A user's message: queued for the bot, shown without a reload, with its JSON on demand.
  await say(ALICE, 'Hello from Alice');
  const row = page.locator('#queue tr', { hasText: 'Hello from Alice' });
  await row.waitFor();
  const queued = (await srv.control('GET', `/bots/${BOT.id}/updates`)).json.result.updates;
  assert.equal(queued.length, 1);
  const id = queued[0].update_id;
  assert.match(await row.innerText(), new RegExp(`^${id}\\s+message\\s+Alice @alice: “Hello from Alice”`));
  await row.locator('summary').click();
  const json = JSON.parse(await row.locator('pre').innerText());
  assert.deepEqual(json, queued[0]);
  await page.locator('#inbox-log li', { hasText: `#${id} message: queued` }).waitFor();
  await page.locator('#queue-count').filter({ hasText: '1 queued' }).waitFor();

  // The bot confirms it: it leaves the queue, and the log says so.
  const got = await srv.api(BOT.token, 'getUpdates', { offset: id + 1 });
  assert.equal(got.json.ok, true, got.text);
  await page.locator('#queue-count').filter({ hasText: 'Nothing queued.' }).waitFor();
  assert.equal(await page.locator('#queue tr').count(), 0);
  await page.locator('#inbox-log li', { hasText: `#${id} message: queued` }).filter({ hasText: 'delivered or confirmed' }).waitFor();

  // Another bot's update does not show here.
  await say(ALICE, 'For the other bot', OTHER.id);
  await say(ALICE, 'Second hello');
  await page.locator('#queue tr', { hasText: 'Second hello' }).waitFor();
  assert.equal(await page.locator('#queue tr', { hasText: 'For the other bot' }).count(), 0);

  // The clock, an hour on.
  const before = await clockNow();
  await page.getByRole('button', { name: '+1 hour' }).click();
  await page.locator('#clock-offset').filter({ hasText: `ahead of real time by ${before.offset + 3600} s` }).waitFor();
  const moved = await clockNow();
  assert.equal(moved.offset, before.offset + 3600);
  assert.ok(moved.now >= before.now + 3600, `${moved.now} >= ${before.now} + 3600`);
  assert.match(await page.locator('#clock-now').innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

  // A fault: the next 2 calls of every method of the bot answer 429 with retry_after 7.
  await page.getByLabel('Next calls').fill('2');
  await page.getByLabel('429 with retry_after (seconds)').fill('7');
  await page.getByRole('button', { name: 'Set fault' }).click();
  await page.locator('#faults li', { hasText: `bot ${BOT.id}: *, next 2 calls answer 429 (retry after 7 s)` }).waitFor();
  const faulted = await srv.api(BOT.token, 'getMe');
  assert.equal(faulted.status, 429);
  assert.deepEqual(faulted.json, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
  // The page sees the count go down (faults are polled: no event tells of their use).
  await page.locator('#faults li', { hasText: 'next 1 call answer 429' }).waitFor();
  // Tall enough to show the queue and the log under the cards.
  await page.setViewportSize({ width: 1280, height: 1000 });
  await screenshot(page, 'console-inbox.png');
  await page.getByRole('button', { name: 'Clear all faults' }).click();
  await page.locator('#faults li', { hasText: 'No faults pending.' }).waitFor();
  const ok = await srv.api(BOT.token, 'getMe');
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a webhook bot shows its URL and the webhook's last error", async () => {
  const page = await newPage(browser);
  await openInbox(page);
  await page.getByRole('combobox', { name: 'Bot' }).selectOption(String(OTHER.id));
  // Port 9 (discard) on the loopback: nothing listens, every delivery fails.
  const url = 'http://127.0.0.1:9/hook';
  const set = await srv.api(OTHER.token, 'setWebhook', { url });
  assert.equal(set.json.ok, true, set.text);
  await page.locator('#inbox-mode').filter({ hasText: `webhook ${url}` }).waitFor();
  await page.locator('#inbox-webhook-error.error').waitFor({ timeout: 30000 });
  assert.match(await page.locator('#inbox-webhook-error').innerText(), /UTC: .+/);
  const del = await srv.api(OTHER.token, 'deleteWebhook', { drop_pending_updates: true });
  assert.equal(del.json.ok, true, del.text);
  await page.locator('#inbox-mode').filter({ hasText: 'getUpdates' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('no horizontal overflow at 1280x720 and on a phone-sized window', async () => {
  await say(ALICE, `A long one: ${'x'.repeat(300)} https://example.com/${'a'.repeat(200)}`);
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    const page = await newPage(browser, viewport);
    await openInbox(page);
    await page.getByRole('combobox', { name: 'Bot' }).selectOption(String(BOT.id));
    const row = page.locator('#queue tr', { hasText: 'A long one' });
    await row.waitFor();
    await row.locator('summary').click();
    await page.getByRole('button', { name: 'Set fault' }).click();
    await page.locator('#faults li', { hasText: `bot ${BOT.id}` }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${viewport.width}x${viewport.height}: the page is ${overflow} px wider than the window`);
    if (viewport.width < 500) await screenshot(page, 'console-inbox-phone.png');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  assert.equal((await srv.control('DELETE', '/faults')).status, 200);
});

test('the page works from the keyboard: view, bot, clock and fault with Tab and Enter', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/console/`);
  await page.keyboard.type(CONTROL_TOKEN);
  await page.keyboard.press('Enter');
  await page.locator('#live').filter({ hasText: 'live' }).waitFor();
  await page.getByRole('button', { name: 'Bots, time and faults' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#inbox-mode').filter({ hasText: 'getUpdates' }).waitFor();
  // The bot picker, then the next bot with the arrow key.
  await page.getByRole('combobox', { name: 'Bot' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((id) => document.getElementById('inbox-bot').value === String(id), OTHER.id);

  const before = await clockNow();
  await page.getByLabel('Advance by seconds').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('60');
  await page.keyboard.press('Enter');
  await page.locator('#clock-offset').filter({ hasText: `by ${before.offset + 60} s` }).waitFor();

  await page.getByLabel('Method of the bot').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('getMe');
  await page.keyboard.press('Enter');
  await page.locator('#faults li', { hasText: `bot ${OTHER.id}: getMe, next 1 call answer 429` }).waitFor();
  await page.getByRole('button', { name: "Clear this bot's faults" }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#faults li', { hasText: 'No faults pending.' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
