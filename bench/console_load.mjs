// How fast the web console shows a big world: headless Chromium (Playwright, as the browser
// tests drive it) against a real tginvited, once on a world of 10,000 chats and once on one of
// 300, in the same run, so that the ratio says whether the page's cost grows with the world.
//
//   node bench/console_load.mjs [RUNS]        RUNS defaults to 7; medians are printed
//   env: TGINVITED (default build/bin/tginvited), TGINVITE_CHROMIUM (default /usr/bin/chromium)
//
// Needs tests/clients/node_modules (bash tests/clients/run.sh installs it, or npm ci there).
// Per world, each run opens a new page (its own context) and times, in ms:
//   load    navigation to /console/ until the sign-in form is usable (DOMContentLoaded)
//   first   the sign-in click until the first page of chats (100) is shown
//   more    the chats' "More" click until 200 are shown
//   chat    a click on the first chat until its first 100 members are shown (150 members)
// and reads the page's JS heap (performance.memory.usedJSHeapSize) once the chat is open.
// The machine is shared and noisy: compare the ratios of one run, not figures across runs.
import { performance } from 'node:perf_hooks';
import { startServer } from '../tests/support/server.mjs';
import { launchBrowser, newPage, CONTROL_TOKEN } from '../tests/clients/browser.mjs';

const runs = Number(process.argv[2] ?? 7);
const BOT = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'invite_demo_bot', first_name: 'Invite Demo' };

function world(chatCount) {
  const users = [];
  for (let i = 0; i < 1000; i++) users.push({ id: 100001 + i, first_name: `User${i}` });
  const chats = [];
  for (let i = 0; i < chatCount; i++) {
    const members = [
      { user_id: 100001, status: 'creator' },
      { user_id: BOT.id, status: 'administrator', rights: { can_invite_users: true } },
    ];
    if (i === 0) for (let u = 1; u < 150; u++) members.push({ user_id: 100001 + u, status: 'member' });
    chats.push({ id: -1002000010000 + i, type: 'supergroup', title: `Group ${i}`, members });
  }
  return { bots: [BOT], users, chats };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(browser, srv) {
  const page = await newPage(browser);
  let t = performance.now();
  await page.goto(`${srv.base}/console/`, { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Control token').waitFor();
  const load = performance.now() - t;
  await page.getByLabel('Control token').fill(CONTROL_TOKEN);
  t = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#chats li').length === 100);
  const first = performance.now() - t;
  t = performance.now();
  await page.locator('#chats-more').click();
  await page.waitForFunction(() => document.querySelectorAll('#chats li').length === 200);
  const more = performance.now() - t;
  t = performance.now();
  await page.getByRole('button', { name: 'Group 0', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('#members tr').length === 100);
  const chat = performance.now() - t;
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  if (page.problems.length) throw new Error(page.problems.join('\n'));
  await page.context().close();
  return { load, first, more, chat, heap };
}

const browser = await launchBrowser();
const results = {};
for (const chats of [10000, 300]) {
  const srv = await startServer({ world: world(chats) });
  try {
    await measure(browser, srv); // a warm-up run, not counted
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await measure(browser, srv));
    results[chats] = Object.fromEntries(
      ['load', 'first', 'more', 'chat', 'heap'].map((k) => [k, median(samples.map((s) => s[k]))]));
  } finally {
    await srv.close();
  }
}
await browser.close();

const big = results[10000];
const small = results[300];
console.log(`console_load: medians of ${runs} runs (ms; heap in MB), headless Chromium`);
console.log('world         load   first    more    chat   heap');
for (const [name, r] of [['10,000 chats', big], ['300 chats', small]]) {
  console.log(`${name.padEnd(12)} ${r.load.toFixed(0).padStart(5)} ${r.first.toFixed(0).padStart(7)} ` +
    `${r.more.toFixed(0).padStart(7)} ${r.chat.toFixed(0).padStart(7)} ${(r.heap / 1e6).toFixed(1).padStart(6)}`);
}
console.log(`ratio 10,000/300: load ${(big.load / small.load).toFixed(2)}, first ${(big.first / small.first).toFixed(2)}, ` +
  `more ${(big.more / small.more).toFixed(2)}, chat ${(big.chat / small.chat).toFixed(2)}, heap ${(big.heap / small.heap).toFixed(2)}`);
