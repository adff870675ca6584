// The web console in Firefox (issue 14: "works in current Chromium and Firefox"): Debian's Firefox
// ESR, headless, over WebDriver BiDi (firefox.mjs), against a real tginvited. The page's own code
// runs as it does for a user: its modules, fetch() and the streamed event stream; the test fills
// the form and clicks through the DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, CONTROL_TOKEN } from '../support/server.mjs';
import { launchFirefox } from './firefox.mjs';

const BOT = { id: 7000000001, token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo', username: 'invite_demo_bot', first_name: 'Invite Demo' };
const FIRST_CHAT = -1002000010000;

function world() {
  const users = [];
  for (let i = 0; i < 20; i++) users.push({ id: 100001 + i, first_name: `User${i}` });
  const chats = [];
  for (let i = 0; i < 300; i++) {
    chats.push({
      id: FIRST_CHAT + i,
      type: 'supergroup',
      title: `Group ${String(i).padStart(5, '0')}`,
      members: [
        { user_id: 100001, status: 'creator' },
        { user_id: BOT.id, status: 'administrator', rights: { can_invite_users: true } },
      ],
    });
  }
  return { bots: [BOT], users, chats };
}

let srv;
let ff;
before(async () => {
  [srv, ff] = await Promise.all([startServer({ world: world() }), launchFirefox()]);
});
after(async () => {
  await ff?.close();
  await srv?.close();
});

const signIn = (token) => `(() => {
  document.getElementById('token').value = ${JSON.stringify(token)};
  document.getElementById('sign-in').requestSubmit();
  return true;
})()`;

test('in Firefox: a wrong token is refused; the right one shows the world, live', async () => {
  assert.match(ff.version, /^\d+\./);
  await ff.navigate(`${srv.base}/console/`);
  await ff.waitFor("document.getElementById('token') !== null", 'the sign-in form');
  await ff.evaluate(signIn('not-the-token'));
  assert.equal(await ff.waitFor("document.getElementById('sign-in-error').textContent", 'the refusal'),
    'Wrong control token.');
  assert.equal(await ff.evaluate("document.getElementById('world').hidden"), true);

  await ff.evaluate(signIn(CONTROL_TOKEN));
  await ff.waitFor("document.querySelectorAll('#chats li').length === 100", 'the first page of chats');
  await ff.waitFor("document.getElementById('live').textContent === 'live'", 'the event stream');
  await ff.evaluate("document.getElementById('chats-more').click() || true");
  await ff.waitFor("document.querySelectorAll('#chats li').length === 200", 'the second page');

  await ff.evaluate("[...document.querySelectorAll('#chats button')].find((b) => b.textContent === 'Group 00000').click() || true");
  await ff.waitFor("document.getElementById('chat-title').textContent.includes('Group 00000')", 'the chat');
  await ff.waitFor("document.querySelectorAll('#members tr').length === 2", 'its two members');

  // A link the bot makes shows without a reload (the event stream, read with fetch()).
  const made = await srv.api(BOT.token, 'createChatInviteLink', { chat_id: FIRST_CHAT, name: 'seen in firefox' });
  assert.equal(made.json.ok, true, made.text);
  await ff.waitFor("document.getElementById('links').textContent.includes('seen in firefox')", 'the new link');
  const overflow = await ff.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
});
