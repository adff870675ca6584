// setWebhook's checks (spec 5.5, issue 13), as the reference makes them: the URL (TDLib's
// parse_url, HTTPS when no protocol is named) and the secret token; the old webhook closed and
// drop_pending_updates applied before those checks, so a refused setWebhook leaves no webhook;
// what --strict-webhooks adds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { B1, expectError, expectOk } from './helpers.mjs';

const ALICE = { id: 100001, first_name: 'Alice' };

function world() {
  return { bots: [{ ...B1 }], users: [ALICE], chats: [] };
}

const INVALID_URL = 'Bad Request: invalid webhook URL specified';
const SECRET_UNALLOWED = 'Bad Request: secret token contains unallowed characters';
const SECRET_TOO_LONG = 'Bad Request: secret token is too long';
const TERMINATED = 'Conflict: terminated by setWebhook request';
// Nothing listens there while the tests run (delivery attempts, if any, fail).
const HOOK = 'http://127.0.0.1:9/hook';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function expectOkDescription(res, description) {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, JSON.stringify({ ok: true, result: true, description }));
}

let srv;
before(async () => {
  srv = await startServer({ world: world(), extraArgs: ['--webhook-retry-base-ms', '50'] });
});
after(async () => {
  if (srv) await srv.close();
});

const info = async (server = srv) => expectOk(await server.api(B1.token, 'getWebhookInfo'));
const setWebhook = (params, server = srv) => server.api(B1.token, 'setWebhook', params);

async function say(text) {
  const res = await srv.control('POST', '/messages', { from: ALICE.id, chat_id: B1.id, text });
  assert.equal(res.status, 200, res.text);
}

// Leaves B1 without a webhook and with nothing pending.
async function reset(server = srv) {
  const res = await server.api(B1.token, 'deleteWebhook', { drop_pending_updates: true });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.result, true, res.text);
}

// ---------------------------------------------------------------------------------------------
// Issue 13, item 1: the old webhook is closed before the new URL and secret are checked.

test('a second setWebhook with a refused URL leaves the bot with no webhook', async () => {
  await reset();
  expectOkDescription(await setWebhook({ url: HOOK, secret_token: 'first' }), 'Webhook was set');
  assert.equal((await info()).url, HOOK);
  expectError(await setWebhook({ url: 'ftp://example.com/hook' }), 400, INVALID_URL);
  const after = await info();
  assert.equal(after.url, '', JSON.stringify(after));
  assert.equal('max_connections' in after, false, JSON.stringify(after));
  // getUpdates works again: there is no webhook.
  expectOk(await srv.api(B1.token, 'getUpdates'));
  // And deleteWebhook finds nothing to delete.
  expectOkDescription(await srv.api(B1.token, 'deleteWebhook'), 'Webhook is already deleted');
});

test('a second setWebhook with a refused secret token leaves the bot with no webhook', async () => {
  await reset();
  expectOkDescription(await setWebhook({ url: HOOK }), 'Webhook was set');
  expectError(await setWebhook({ url: HOOK, secret_token: 'not allowed!' }), 400, SECRET_UNALLOWED);
  assert.equal((await info()).url, '');

  expectOkDescription(await setWebhook({ url: HOOK }), 'Webhook was set');
  expectError(await setWebhook({ url: HOOK, secret_token: 'a'.repeat(257) }), 400, SECRET_TOO_LONG);
  assert.equal((await info()).url, '');
});

test('setWebhook with a refused URL still drops the pending updates when asked', async () => {
  await reset();
  await say('one');
  await say('two');
  assert.equal((await info()).pending_update_count, 2);
  expectError(await setWebhook({ url: 'ftp://x/', drop_pending_updates: true }), 400, INVALID_URL);
  assert.equal((await info()).pending_update_count, 0);
  // Without drop_pending_updates the queue stays.
  await say('three');
  expectError(await setWebhook({ url: 'ftp://x/' }), 400, INVALID_URL);
  assert.equal((await info()).pending_update_count, 1);
  await reset();
});

test('a waiting getUpdates is ended by setWebhook, even one that is refused', async () => {
  await reset();
  const waiting = srv.api(B1.token, 'getUpdates', { timeout: 10 });
  await sleep(300);
  const started = Date.now();
  expectError(await setWebhook({ url: 'ftp://x/' }), 400, INVALID_URL);
  expectError(await waiting, 409, TERMINATED);
  assert.ok(Date.now() - started < 5000, 'the wait ended at once');
});
