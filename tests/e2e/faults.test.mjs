// Faults: POST /control/v1/faults makes the next N calls of a method by a bot answer an error
// (by default 429 with Retry-After) instead of running; listing, clearing, validation, order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  B1,
  B2,
  B3,
  ALICE,
  SG_MAIN,
  testWorld,
  header,
  expectError,
  expectOk,
  expectLink,
  parseRawResponse,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
  requestLogLine,
} from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
});
after(async () => {
  if (srv) await srv.close();
});

function setFault(body) {
  return srv.control('POST', '/faults', body);
}
async function setFaultOk(body) {
  const res = await setFault(body);
  assert.equal(res.status, 200, res.text);
  return expectOk(res);
}
async function listFaults() {
  const res = await srv.control('GET', '/faults');
  return expectOk(res);
}
async function clearAll() {
  return expectOk(await srv.control('DELETE', '/faults'));
}

function tooMany(n) {
  return `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after ${n}","parameters":{"retry_after":${n}}}`;
}

function expect429(res, n, what = '') {
  expectError(res, 429, `Too Many Requests: retry after ${n}`, { retry_after: n }, what);
  assert.equal(header(res, 'retry-after'), String(n), `${what}: Retry-After`);
}

function rawCall(token, method) {
  return srv.raw(`POST /bot${token}/${method} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
}

test('a 429 fault answers exactly as a real 429: status, Retry-After, body bytes', async () => {
  await clearAll();
  const set = await setFaultOk({
    bot_id: B1.id,
    method: 'exportChatInviteLink',
    count: 2,
    retry_after: 3,
  });
  assert.deepEqual(set, {
    bot_id: B1.id,
    method: 'exportChatInviteLink',
    remaining: 2,
    error_code: 429,
    description: 'Too Many Requests: retry after 3',
    retry_after: 3,
  });

  // A real 429 of this server (close in the first 10 minutes), for the shape of the head.
  expectOk(await srv.api(B2.token, 'getMe'));
  const real = parseRawResponse((await rawCall(B2.token, 'close')).text);
  assert.equal(real.status, 429);

  const raw = await srv.raw(
    `POST /bot${B1.token}/exportChatInviteLink HTTP/1.1\r\nHost: x\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${JSON.stringify({ chat_id: SG_MAIN }).length}\r\n\r\n` +
      JSON.stringify({ chat_id: SG_MAIN }),
  );
  const resp = parseRawResponse(raw.text);
  assert.equal(resp.statusLine, 'HTTP/1.1 429 Too Many Requests');
  assert.equal(resp.body, tooMany(3));
  assert.equal(resp.headers['retry-after'], '3');
  assert.equal(resp.headers['content-type'], 'application/json');
  assert.equal(Number(resp.headers['content-length']), resp.body.length);
  assert.deepEqual(
    resp.headerLines.map(([name]) => name),
    real.headerLines.map(([name]) => name),
    'the same headers in the same order as a real 429',
  );
  const n = Number(real.headers['retry-after']);
  assert.equal(real.body, tooMany(n), 'the real 429 has the same body shape');

  // The second call (through fetch) is faulted too; the third runs.
  expect429(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }), 3, 'second');
  expectLink(expectOk(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN })));
  assert.deepEqual(await listFaults(), []);
});

test('count is respected: N faulted calls, remaining counts down, then the method runs', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B1.id, method: 'getChat', count: 3, retry_after: 1 });
  for (let i = 0; i < 3; ++i) {
    expect429(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }), 1, `call ${i + 1}`);
    const left = await listFaults();
    if (i < 2) {
      assert.equal(left.length, 1);
      assert.equal(left[0].remaining, 2 - i, `remaining after call ${i + 1}`);
    } else {
      assert.deepEqual(left, [], 'removed once used up');
    }
  }
  const chat = expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }));
  assert.equal(chat.id, SG_MAIN);
});

test('the method is matched case-insensitively, when set and when called', async () => {
  await clearAll();
  const set = await setFaultOk({ bot_id: B1.id, method: 'EXPORTchatINVITElink', count: 2, retry_after: 5 });
  assert.equal(set.method, 'exportChatInviteLink', 'listed under its documented name');
  expect429(await srv.api(B1.token, 'exportchatinvitelink', { chat_id: SG_MAIN }), 5, 'lowercase');
  expect429(await srv.api(B1.token, 'ExportChatInviteLink', { chat_id: SG_MAIN }), 5, 'capitalised');
  expectLink(expectOk(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN })));
  // Also through /bot<token>/test/<method> and the `method` parameter.
  await setFaultOk({ bot_id: B1.id, method: 'getMe', count: 2, retry_after: 2 });
  expect429(await srv.api(B1.token, 'test/GETME'), 2, 'test environment');
  expect429(await srv.api(B1.token, '', { method: 'getme' }), 2, 'method parameter');
  expectOk(await srv.api(B1.token, 'getMe'));
});

test('other bots and other methods are not affected', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B1.id, method: 'getMe', count: 1, retry_after: 7 });
  const other = expectOk(await srv.api(B2.token, 'getMe'));
  assert.equal(other.id, B2.id);
  const chat = expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }));
  assert.equal(chat.id, SG_MAIN);
  expectLink(expectOk(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN })));
  assert.equal((await listFaults())[0].remaining, 1, 'nothing used by other calls');
  expect429(await srv.api(B1.token, 'getMe'), 7);
  assert.equal(expectOk(await srv.api(B1.token, 'getMe')).id, B1.id);
});

test('a custom error_code and description are answered as given, without Retry-After', async () => {
  await clearAll();
  const set = await setFaultOk({
    bot_id: B1.id,
    method: 'getChat',
    count: 1,
    error_code: 500,
    description: 'Internal Server Error',
  });
  assert.deepEqual(set, {
    bot_id: B1.id,
    method: 'getChat',
    remaining: 1,
    error_code: 500,
    description: 'Internal Server Error',
  });
  const res = await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN });
  expectError(res, 500, 'Internal Server Error');
  assert.equal(header(res, 'retry-after'), undefined);

  await setFaultOk({
    bot_id: B1.id,
    method: 'exportChatInviteLink',
    count: 1,
    error_code: 400,
    description: 'Bad Request: chat not found',
  });
  expectError(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }), 400, 'Bad Request: chat not found');

  // Any code from 400 to 599, with a non-ASCII description.
  await setFaultOk({ bot_id: B1.id, method: 'getMe', count: 1, error_code: 503, description: 'Service Unavailable: caf\u00e9' });
  const raw = parseRawResponse((await rawCall(B1.token, 'getMe')).text);
  assert.equal(raw.statusLine, 'HTTP/1.1 503 Service Unavailable');
  assert.equal(raw.body, '{"ok":false,"error_code":503,"description":"Service Unavailable: caf\\u00e9"}');
  assert.equal(raw.headers['retry-after'], undefined);
  expectOk(await srv.api(B1.token, 'getMe'));
  expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }));
});

test('adding a fault for the same bot and method again replaces it', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B1.id, method: 'getMe', count: 5, retry_after: 1 });
  await setFaultOk({ bot_id: B1.id, method: 'GetMe', count: 1, error_code: 400, description: 'Bad Request: replaced' });
  const list = await listFaults();
  assert.deepEqual(list, [
    { bot_id: B1.id, method: 'getMe', remaining: 1, error_code: 400, description: 'Bad Request: replaced' },
  ]);
  expectError(await srv.api(B1.token, 'getMe'), 400, 'Bad Request: replaced');
  expectOk(await srv.api(B1.token, 'getMe'));
});

test('"*" faults every method of the bot; a method\'s own fault is used first', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B1.id, method: '*', count: 3, retry_after: 4 });
  await setFaultOk({ bot_id: B1.id, method: 'getMe', count: 1, error_code: 500, description: 'Internal Server Error' });
  expectError(await srv.api(B1.token, 'getMe'), 500, 'Internal Server Error');
  expect429(await srv.api(B1.token, 'getMe'), 4, 'getMe through *');
  expect429(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }), 4, 'getChat through *');
  expect429(await srv.api(B1.token, 'getWebhookInfo'), 4, 'getWebhookInfo through *');
  expectOk(await srv.api(B2.token, 'getMe'));
  expectOk(await srv.api(B1.token, 'getMe'));
  assert.deepEqual(await listFaults(), []);
});

test('the token is checked first, and an unknown method is still 404; neither uses the fault', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B1.id, method: '*', count: 1, retry_after: 9 });
  const wrong = `${B1.id}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
  expectError(await srv.api(wrong, 'getMe'), 401, 'Unauthorized');
  expectError(await srv.api(`${B1.id}:short`, 'getMe'), 401, 'Unauthorized');
  expectError(await srv.api('abc', 'getMe'), 401, 'Unauthorized: invalid token specified');
  expectError(await srv.api(B1.token, 'sendPhoto', { chat_id: SG_MAIN, photo: 'x' }), 404, 'Not Found: method not found');
  expectError(await srv.api(B1.token, 'noSuchMethod'), 404, 'Not Found: method not found');
  assert.equal((await listFaults())[0]?.remaining, 1, 'the fault is still pending');
  expect429(await srv.api(B1.token, 'getMe'), 9);
});

test('the fault answers whatever the parameters are: they are not looked at', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B1.id, method: 'exportChatInviteLink', count: 1, retry_after: 2 });
  expect429(await srv.api(B1.token, 'exportChatInviteLink'), 2, 'without chat_id');
  expectError(await srv.api(B1.token, 'exportChatInviteLink'), 400, 'Bad Request: chat_id is empty');
});

test('getUpdates is faulted too, and a long poll answers at once', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B2.id, method: 'getUpdates', count: 1, retry_after: 6 });
  const started = Date.now();
  expect429(await srv.api(B2.token, 'getUpdates', { timeout: 50 }), 6);
  // The only bound is the call's own timeout: answered before waiting, not after it.
  assert.ok(Date.now() - started < 50000, `answered at once (${Date.now() - started} ms)`);
  const updates = expectOk(await srv.api(B2.token, 'getUpdates', { timeout: 0 }));
  assert.ok(Array.isArray(updates));
});

test('a logged-out bot gets "Logged out", and the fault waits', async () => {
  await clearAll();
  expectOk(await srv.api(B3.token, 'logOut'));
  await setFaultOk({ bot_id: B3.id, method: 'getMe', count: 1, retry_after: 1 });
  expectError(await srv.api(B3.token, 'getMe'), 400, 'Logged out');
  assert.equal((await listFaults())[0]?.remaining, 1);
  await clearAll();
});

test('validation errors name the field', async () => {
  await clearAll();
  const base = { bot_id: B1.id, method: 'getMe', count: 1, retry_after: 3 };
  const without = (key) => {
    const o = { ...base };
    delete o[key];
    return o;
  };
  const cases = [
    ['[]', '$: must be an object'],
    [{ ...base, retryAfter: 3 }, '$.retryAfter: unknown field'],
    [without('bot_id'), '$.bot_id: must be an integer'],
    [{ ...base, bot_id: '7000000001' }, '$.bot_id: must be an integer'],
    [without('method'), '$.method: must be a string: a Bot API method or "*"'],
    [{ ...base, method: 7 }, '$.method: must be a string: a Bot API method or "*"'],
    [
      { ...base, method: 'sendPhoto' },
      '$.method: unknown method "sendPhoto" (a Bot API method this server answers, or "*" for every one)',
    ],
    [without('count'), '$.count: must be an integer from 1 to 1000000'],
    [{ ...base, count: 0 }, '$.count: must be an integer from 1 to 1000000'],
    [{ ...base, count: 1000001 }, '$.count: must be an integer from 1 to 1000000'],
    [{ ...base, count: 1.5 }, '$.count: must be an integer from 1 to 1000000'],
    [without('retry_after'), '$.retry_after: must be an integer from 1 to 86400'],
    [{ ...base, retry_after: 0 }, '$.retry_after: must be an integer from 1 to 86400'],
    [{ ...base, retry_after: 86401 }, '$.retry_after: must be an integer from 1 to 86400'],
    [{ ...base, retry_after: '3' }, '$.retry_after: must be an integer from 1 to 86400'],
    [{ ...base, error_code: 399 }, '$.error_code: must be an integer from 400 to 599'],
    [{ ...base, error_code: 600 }, '$.error_code: must be an integer from 400 to 599'],
    [{ ...base, error_code: '500' }, '$.error_code: must be an integer from 400 to 599'],
    [
      { ...base, description: 'Too Many Requests: retry after 3' },
      '$.description: not with error_code 429, whose description is always "Too Many Requests: retry after N"',
    ],
    [{ ...base, error_code: 500, description: 'Internal Server Error' }, '$.retry_after: only with error_code 429'],
    [
      { ...without('retry_after'), error_code: 500 },
      '$.description: must be a string of 1 to 1024 bytes (required when error_code is not 429)',
    ],
    [
      { ...without('retry_after'), error_code: 500, description: '' },
      '$.description: must be a string of 1 to 1024 bytes (required when error_code is not 429)',
    ],
    [
      { ...without('retry_after'), error_code: 500, description: 'x'.repeat(1025) },
      '$.description: must be a string of 1 to 1024 bytes (required when error_code is not 429)',
    ],
  ];
  for (const [body, description] of cases) {
    const res = await setFault(body);
    expectError(res, 400, `Bad Request: ${description}`, undefined, JSON.stringify(body).slice(0, 80));
  }
  const notJson = await setFault('{"bot_id":');
  assert.equal(notJson.status, 400, notJson.text);
  assert.ok(notJson.json.description.startsWith('Bad Request: '), notJson.text);
  // A description of exactly 1024 bytes is fine.
  await setFaultOk({ ...without('retry_after'), error_code: 500, description: 'x'.repeat(1024) });
  assert.deepEqual(
    (await listFaults()).map((f) => f.description.length),
    [1024],
    'only the valid one was set',
  );
  await clearAll();
});

test('an unknown bot (or a user who is not a bot) is refused', async () => {
  await clearAll();
  expectError(
    await setFault({ bot_id: 7000000099, method: 'getMe', count: 1, retry_after: 1 }),
    400,
    'Bad Request: unknown bot 7000000099',
  );
  expectError(
    await setFault({ bot_id: ALICE, method: 'getMe', count: 1, retry_after: 1 }),
    400,
    `Bad Request: unknown bot ${ALICE}`,
  );
  expectError(await srv.control('DELETE', '/faults/7000000099'), 400, 'Bad Request: unknown bot 7000000099');
  expectError(await srv.control('DELETE', '/faults/abc'), 400, 'Bad Request: bad bot id in the URL');
  assert.deepEqual(await listFaults(), []);
});

test('listing, clearing one bot, clearing all', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B2.id, method: 'getMe', count: 4, retry_after: 2 });
  await setFaultOk({ bot_id: B1.id, method: 'getMe', count: 2, retry_after: 1 });
  await setFaultOk({ bot_id: B1.id, method: '*', count: 1, retry_after: 1 });
  await setFaultOk({ bot_id: B1.id, method: 'getChat', count: 3, error_code: 502, description: 'Bad Gateway' });
  assert.deepEqual(await listFaults(), [
    { bot_id: B1.id, method: '*', remaining: 1, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 },
    { bot_id: B1.id, method: 'getChat', remaining: 3, error_code: 502, description: 'Bad Gateway' },
    { bot_id: B1.id, method: 'getMe', remaining: 2, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 },
    { bot_id: B2.id, method: 'getMe', remaining: 4, error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 },
  ]);
  assert.deepEqual(expectOk(await srv.control('DELETE', `/faults/${B1.id}`)), { cleared: 3 });
  assert.deepEqual(
    (await listFaults()).map((f) => [f.bot_id, f.method]),
    [[B2.id, 'getMe']],
  );
  expectOk(await srv.api(B1.token, 'getMe'));
  expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }));
  assert.deepEqual(expectOk(await srv.control('DELETE', `/faults/${B1.id}`)), { cleared: 0 });
  assert.deepEqual(await clearAll(), { cleared: 1 });
  assert.deepEqual(await listFaults(), []);
  expectOk(await srv.api(B2.token, 'getMe'));
  assert.deepEqual(await clearAll(), { cleared: 0 });
});

test('the control plane rules hold for /faults: token, verbs', async () => {
  const noAuth = await srv.control('GET', '/faults', undefined, { token: null });
  expectError(noAuth, 401, 'Unauthorized: control token required');
  const wrong = await srv.control('POST', '/faults', { bot_id: B1.id, method: 'getMe', count: 1, retry_after: 1 }, { token: 'nope' });
  expectError(wrong, 401, 'Unauthorized: control token required');
  expectError(await srv.control('PUT', '/faults', {}), 405, 'Method Not Allowed');
  expectError(await srv.control('GET', `/faults/${B1.id}`), 405, 'Method Not Allowed');
  expectError(await srv.control('DELETE', '/faults/1/2'), 404, 'Not Found');
  assert.deepEqual(await listFaults(), []);
});

test('faults are logged without tokens, and are gone after a restart', async () => {
  await clearAll();
  await setFaultOk({ bot_id: B1.id, method: 'getMe', count: 2, retry_after: 1 });
  expect429(await srv.api(B1.token, 'getMe'), 1);
  const logs = srv.logs();
  assert.match(logs, /faults: bot 7000000001: the next 2 calls of getMe answer 429/);
  assert.match(logs, /faults: bot 7000000001: getMe answered 429 from a fault \(1 left\)/);
  assert.match(logs, requestLogLine('POST', `/bot${B1.id}:***/getMe`, 429));
  assertNoSecretsInLogs(srv);
  assert.equal(await srv.restart(), 0);
  assert.deepEqual(await listFaults(), [], 'in memory only');
  expectOk(await srv.api(B1.token, 'getMe'));
});
