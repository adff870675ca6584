// setWebhook's checks (spec 5.5, issue 13), as the reference makes them: the URL (TDLib's
// parse_url, HTTPS when no protocol is named) and the secret token; the old webhook closed and
// drop_pending_updates applied before those checks, so a refused setWebhook leaves no webhook;
// what --strict-webhooks adds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../support/server.mjs';
import { B1, expectError, expectOk, waitFor, waitForParkedPoll } from './helpers.mjs';

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

function expectOkDescription(res, description) {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, JSON.stringify({ ok: true, result: true, description }));
}

let srv;
before(async () => {
  // --no-guards: these tests poll and set webhooks back to back; the reference's busy-loop
  // guards (a repeated getUpdates cut to 1 update, ...) are tested in guards.test.mjs.
  srv = await startServer({ world: world(), extraArgs: ['--no-guards', '--webhook-retry-base-ms', '50'] });
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
  assert.equal(await waitForParkedPoll(srv, B1.id), 10);
  expectError(await setWebhook({ url: 'ftp://x/' }), 400, INVALID_URL);
  // Ended by the refused setWebhook (a poll that timed out would answer [] instead).
  expectError(await waiting, 409, TERMINATED);
});

// ---------------------------------------------------------------------------------------------
// Issue 13, item 2 and item 5: the URL as TDLib's parse_url takes it, and the secret token.

test('a port above 65535 (or 0, or not a number) is an invalid webhook URL', async () => {
  await reset();
  for (const url of [
    'http://127.0.0.1:65536/hook',
    'http://127.0.0.1:70000/hook',
    'https://example.com:99999999999/hook',
    'http://127.0.0.1:0/hook',
    'http://127.0.0.1:/hook',
    'http://127.0.0.1:8o/hook',
  ]) {
    expectError(await setWebhook({ url }), 400, INVALID_URL, undefined, url);
    assert.equal((await info()).url, '', url);
  }
  // 65535, and leading zeros, are fine.
  expectOkDescription(await setWebhook({ url: 'http://127.0.0.1:65535/hook' }), 'Webhook was set');
  expectOkDescription(await setWebhook({ url: 'http://127.0.0.1:00088/hook' }), 'Webhook was set');
  await reset();
});

test('other URLs the reference refuses are invalid webhook URLs', async () => {
  await reset();
  for (const url of [
    'ftp://example.com/hook',
    'mailto://someone@example.com',
    'http:///hook',
    'http://./hook',
    'http://exa mple.com/hook',
    'http://exa^mple.com/hook',
    'http://[::g]/hook',
    'http://us er@example.com/hook',
    ':8443/hook',
  ]) {
    expectError(await setWebhook({ url }), 400, INVALID_URL, undefined, url);
  }
  assert.equal((await info()).url, '');
});

test('protocols in any case, user:password and IPv6 hosts are taken', async () => {
  await reset();
  for (const url of [
    'HTTP://127.0.0.1:9/upper',
    'http://user:pa%20ss@127.0.0.1:9/auth',
    'http://[::1]:9/v6',
  ]) {
    expectOkDescription(await setWebhook({ url }), 'Webhook was set');
    assert.equal((await info()).url, url);
  }
  await reset();
});

test('a URL without a protocol is taken as https:// and kept as given', async () => {
  await reset();
  const url = '127.0.0.1:9/no-protocol';
  expectOkDescription(await setWebhook({ url }), 'Webhook was set');
  let i = await info();
  assert.equal(i.url, url, 'getWebhookInfo shows the URL as it was given');
  assert.equal(i.ip_address, '127.0.0.1');
  assert.equal(i.max_connections, 40);
  // Delivery goes to https://127.0.0.1:9/ (port 9: nothing listens), so each attempt fails to
  // connect, and getWebhookInfo says why (tls.test.mjs delivers over HTTPS).
  await say('to an https webhook');
  i = await waitFor('a delivery error', async () => {
    const x = await info();
    return 'last_error_message' in x ? x : false;
  });
  assert.equal(i.last_error_message, 'Connection refused');
  assert.equal(i.pending_update_count, 1);
  await reset();
});

test('named decision: a URL this server cannot deliver to (a space in the path) is still set', async () => {
  await reset();
  const url = 'http://127.0.0.1:9/with space';
  expectOkDescription(await setWebhook({ url }), 'Webhook was set');
  await say('to a URL with a space');
  const i = await waitFor('a delivery error', async () => {
    const x = await info();
    return 'last_error_message' in x ? x : false;
  });
  assert.equal(i.url, url);
  assert.equal(i.last_error_message, 'Bad webhook URL');
  await reset();
});

test('secret_token: up to 256 of A-Z a-z 0-9 _ -', async () => {
  await reset();
  const longest = 'aZ09_-'.repeat(42) + 'abcd';
  assert.equal(longest.length, 256);
  expectOkDescription(await setWebhook({ url: HOOK, secret_token: longest }), 'Webhook was set');
  await reset();
  for (const secret_token of ['with space', 'dot.ted', 'plus+', 'slash/', 'é', '=']) {
    expectError(await setWebhook({ url: HOOK, secret_token }), 400, SECRET_UNALLOWED, undefined, secret_token);
  }
  expectError(await setWebhook({ url: HOOK, secret_token: longest + 'a' }), 400, SECRET_TOO_LONG);
  // The length is checked first.
  expectError(await setWebhook({ url: HOOK, secret_token: '!'.repeat(257) }), 400, SECRET_TOO_LONG);
  // The URL before the secret.
  expectError(await setWebhook({ url: 'ftp://x/', secret_token: '!' }), 400, INVALID_URL);
  assert.equal((await info()).url, '');
});

test('--strict-webhooks: only HTTPS on ports 80, 88, 443 and 8443, after the URL check', async () => {
  const strict = await startServer({ world: world(), extraArgs: ['--no-guards', '--strict-webhooks'] });
  try {
    const NOT_HTTPS = 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook';
    const BAD_PORT = 'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443';
    for (const url of ['https://example.com/a', 'https://example.com:88/b', 'example.com:8443/c',
      'https://example.com:80/d', 'example.com/e']) {
      expectOkDescription(await setWebhook({ url }, strict), 'Webhook was set');
      assert.equal((await info(strict)).url, url);
    }
    // A URL it takes is delivered to as any https:// one (nothing listens on 127.0.0.1:8443 here).
    expectOkDescription(await setWebhook({ url: 'https://127.0.0.1:8443/strict' }, strict), 'Webhook was set');
    const said = await strict.control('POST', '/messages', { from: ALICE.id, chat_id: B1.id, text: 'strict' });
    assert.equal(said.status, 200, said.text);
    const failed = await waitFor('a delivery error', async () => {
      const x = await info(strict);
      return 'last_error_message' in x ? x : false;
    });
    assert.equal(failed.last_error_message, 'Connection refused');
    assert.equal(failed.pending_update_count, 1);
    expectError(await setWebhook({ url: 'http://example.com/' }, strict), 400, NOT_HTTPS);
    assert.equal((await info(strict)).url, '', 'the refused URL left no webhook');
    expectOkDescription(await setWebhook({ url: 'https://example.com/a' }, strict), 'Webhook was set');
    expectError(await setWebhook({ url: 'https://example.com:8080/' }, strict), 400, BAD_PORT);
    assert.equal((await info(strict)).url, '');
    expectError(await setWebhook({ url: 'example.com:8080/' }, strict), 400, BAD_PORT);
    expectError(await setWebhook({ url: 'http://example.com:70000/' }, strict), 400, INVALID_URL);
    expectError(await setWebhook({ url: 'https://example.com/', secret_token: '!' }, strict), 400, SECRET_UNALLOWED);
    // The reference takes allowed_updates before its webhook refuses the URL.
    expectError(
      await setWebhook({ url: 'http://example.com/', allowed_updates: '["chat_member"]' }, strict),
      400,
      NOT_HTTPS,
    );
    assert.deepEqual((await info(strict)).allowed_updates, ['chat_member']);
  } finally {
    await strict.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Issue 13, item 3: deleteWebhook (and any new setWebhook) clears the last delivery error.

// A port nothing listens on: a server opened on a free port, then closed.
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function failingWebhook(params = {}) {
  await reset();
  const url = `http://127.0.0.1:${await closedPort()}/hook`;
  expectOkDescription(await setWebhook({ url, ...params }), 'Webhook was set');
  await say('undeliverable');
  const failed = await waitFor('a delivery error', async () => {
    const i = await info();
    return 'last_error_message' in i ? i : false;
  });
  assert.equal(failed.last_error_message, 'Connection refused');
  assert.equal(typeof failed.last_error_date, 'number');
  return url;
}

test('deleteWebhook clears last_error_date and last_error_message', async () => {
  await failingWebhook();
  expectOkDescription(await srv.api(B1.token, 'deleteWebhook'), 'Webhook was deleted');
  const after = await info();
  assert.equal(after.url, '');
  assert.equal('last_error_date' in after, false, JSON.stringify(after));
  assert.equal('last_error_message' in after, false, JSON.stringify(after));
  assert.equal(after.pending_update_count, 1, 'the update waits for getUpdates');
  await reset();
});

test('setWebhook with another secret on the same URL clears the last error too', async () => {
  const url = await failingWebhook({ secret_token: 'one' });
  // drop_pending_updates: no new attempt can record a new error before the check.
  expectOkDescription(
    await setWebhook({ url, secret_token: 'two', drop_pending_updates: true }),
    'Webhook was set',
  );
  const after = await info();
  assert.equal(after.url, url);
  assert.equal('last_error_date' in after, false, JSON.stringify(after));
  await reset();
});
