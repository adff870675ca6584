// GET /control/v1/bots/{id}/updates (issue 14, for the console's "Bots, time and faults" view):
// the updates queued for a bot, byte for byte as getUpdates gives them, with getWebhookInfo's
// object and the bot's allowed_updates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from '../support/server.mjs';
import { B1, B2, ALICE, CAROL, testWorld, expectOk, waitFor } from './helpers.mjs';

let srv;
before(async () => {
  // --no-guards: getUpdates is called back to back here; the guards are guards.test.mjs's.
  srv = await startServer({ world: testWorld(), extraArgs: ['--no-guards', '--webhook-retry-base-ms', '50'] });
});
after(async () => {
  if (srv) await srv.close();
});

// The text of the JSON value that starts at text[start] (an array or object), as sent.
function rawValueAt(text, start) {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      if (--depth === 0) return text.slice(start, i + 1);
    }
  }
  throw new Error(`no value at ${start} in ${text}`);
}

const UPDATES_PREFIX = '{"ok":true,"result":{"updates":';

async function inbox(botId, query = '') {
  const res = await srv.control('GET', `/bots/${botId}/updates${query}`);
  assert.equal(res.status, 200, res.text);
  assert.ok(res.text.startsWith(UPDATES_PREFIX), res.text);
  return { ...res.json.result, raw: rawValueAt(res.text, UPDATES_PREFIX.length) };
}

// setWebhook and deleteWebhook answer true with a description.
function assertTrue(res) {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.result, true, res.text);
}

async function say(from, chatId, text) {
  const res = await srv.control('POST', '/messages', { from, chat_id: chatId, text });
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}

test('the queue is shown byte for byte as getUpdates gives it, and empties once confirmed', async () => {
  const empty = await inbox(B1.id);
  assert.deepEqual(empty.updates, []);
  assert.equal(empty.raw, '[]');
  assert.deepEqual(empty.webhook, { url: '', has_custom_certificate: false, pending_update_count: 0 });
  assert.ok(empty.allowed_updates.includes('message'));
  assert.ok(!empty.allowed_updates.includes('chat_member'), 'not among the defaults');

  await say(ALICE, B1.id, 'Hello, bot \u{1F600}');
  await say(CAROL, B1.id, '/start now');
  await say(ALICE, B1.id, 'and "quotes" \\ too');
  const queued = await inbox(B1.id);
  assert.equal(queued.updates.length, 3);
  assert.deepEqual(queued.updates.map((u) => u.message.text), ['Hello, bot \u{1F600}', '/start now', 'and "quotes" \\ too']);
  assert.equal(queued.webhook.pending_update_count, 3);
  assert.equal(queued.next_after, undefined, 'one page');

  // Pages of one, keyed by update_id.
  const ids = queued.updates.map((u) => u.update_id);
  const one = await inbox(B1.id, '?limit=1');
  assert.deepEqual(one.updates.map((u) => u.update_id), [ids[0]]);
  assert.equal(one.next_after, ids[0]);
  const rest = await inbox(B1.id, `?after=${one.next_after}&limit=1000`);
  assert.deepEqual(rest.updates.map((u) => u.update_id), ids.slice(1));
  assert.equal(rest.next_after, undefined);

  // getUpdates (without an offset: nothing confirmed) answers exactly the same bytes.
  const got = await srv.api(B1.token, 'getUpdates');
  assert.equal(got.status, 200, got.text);
  assert.ok(got.text.startsWith('{"ok":true,"result":'), got.text);
  assert.equal(queued.raw, got.text.slice('{"ok":true,"result":'.length, -1));

  // Confirming the first two leaves the third; confirming it empties the list.
  expectOk(await srv.api(B1.token, 'getUpdates', { offset: ids[1] + 1 }));
  assert.deepEqual((await inbox(B1.id)).updates.map((u) => u.update_id), [ids[2]]);
  expectOk(await srv.api(B1.token, 'getUpdates', { offset: ids[2] + 1 }));
  const after = await inbox(B1.id);
  assert.deepEqual(after.updates, []);
  assert.equal(after.webhook.pending_update_count, 0);
});

test('allowed_updates is the bot setting, shown whole', async () => {
  expectOk(await srv.api(B2.token, 'getUpdates', { allowed_updates: '["message","chat_member"]' }));
  const b2 = await inbox(B2.id);
  assert.deepEqual(b2.allowed_updates, ['message', 'chat_member']);
  assert.deepEqual(b2.webhook.allowed_updates, ['message', 'chat_member']);
});

test("a webhook's URL and last error are shown, with the updates it has not delivered", async () => {
  const failing = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500);
      res.end('no');
    });
  });
  await new Promise((resolve) => failing.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${failing.address().port}/hook`;
    assertTrue(await srv.api(B1.token, 'setWebhook', { url }));
    await say(ALICE, B1.id, 'to the webhook');
    const seen = await waitFor('a webhook error', async () => {
      const i = await inbox(B1.id);
      return i.webhook.last_error_message ? i : undefined;
    });
    assert.equal(seen.webhook.url, url);
    assert.equal(seen.webhook.last_error_message, 'Wrong response from the webhook: 500 Internal Server Error');
    assert.equal(typeof seen.webhook.last_error_date, 'number');
    assert.equal(seen.updates.length, 1);
    assert.equal(seen.updates[0].message.text, 'to the webhook');
    assert.equal(seen.webhook.pending_update_count, 1);
  } finally {
    assertTrue(await srv.api(B1.token, 'deleteWebhook', { drop_pending_updates: true }));
    failing.closeAllConnections();
    await new Promise((resolve) => failing.close(resolve));
  }
  const cleared = await inbox(B1.id);
  assert.deepEqual(cleared.updates, []);
  assert.equal(cleared.webhook.url, '');
  assert.equal(cleared.webhook.last_error_message, undefined);
});

test('an unknown bot, a bad id and a bad page are refused', async () => {
  const unknown = await srv.control('GET', '/bots/7000000099/updates');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.text, '{"ok":false,"error_code":400,"description":"Bad Request: unknown bot 7000000099"}');
  const user = await srv.control('GET', `/bots/${ALICE}/updates`);
  assert.equal(user.json.description, `Bad Request: unknown bot ${ALICE}`);
  const bad = await srv.control('GET', '/bots/abc/updates');
  assert.equal(bad.json.description, 'Bad Request: bad bot id in the URL');
  for (const q of ['?limit=0', '?limit=1001', '?limit=x']) {
    const r = await srv.control('GET', `/bots/${B1.id}/updates${q}`);
    assert.equal(r.json.description, 'Bad Request: limit: must be an integer from 1 to 1000', q);
  }
  const after = await srv.control('GET', `/bots/${B1.id}/updates?after=1.5`);
  assert.equal(after.json.description, 'Bad Request: after: must be an integer');
});
