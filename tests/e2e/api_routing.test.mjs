// Routing, tokens, the response envelope, getMe, logOut and close.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  B1,
  B2,
  B3,
  SG_MAIN,
  SG_UNICODE,
  ZOE,
  UNICODE_TITLE,
  testWorld,
  expectError,
  expectOk,
  expectLink,
  httpRequest,
  parseRawResponse,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
  requestLogLine,
  expectAlive,
} from './helpers.mjs';

const GETME_TEXT =
  '{"ok":true,"result":{"id":7000000001,"is_bot":true,"first_name":"Invite Demo","username":"invite_demo_bot",' +
  '"can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false,' +
  '"supports_guest_queries":false,"can_connect_to_business":false,"has_main_web_app":false,' +
  '"has_topics_enabled":false,"allows_users_to_create_topics":false,"can_manage_bots":false}}';

const SECRET1 = B1.token.split(':')[1];
const WRONG_SECRET = 'AAZZyyXXwwVVuuTTssRRqqPPooNNmmLLkkJ';
const usedTokens = [`${B1.id}:${WRONG_SECRET}`];

let srv;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
});
after(async () => {
  if (srv) await srv.close();
});

function get(path, headers = {}) {
  return httpRequest(srv, { method: 'GET', path, headers });
}

test('getMe answers exactly the spec 4.2 text', async () => {
  const res = await srv.api(B1.token, 'getMe');
  assert.equal(res.status, 200);
  assert.equal(res.text, GETME_TEXT);
  assert.equal(res.headers.get('content-type'), 'application/json');
});

test('response headers: Content-Type without charset, Connection: keep-alive', async () => {
  const raw = await srv.raw(`GET /bot${B1.token}/getMe HTTP/1.1\r\nHost: x\r\n\r\n`);
  const resp = parseRawResponse(raw.text);
  assert.equal(resp.statusLine, 'HTTP/1.1 200 OK');
  assert.equal(resp.headers['content-type'], 'application/json');
  assert.equal(resp.headers['connection'], 'keep-alive');
  assert.equal(Number(resp.headers['content-length']), Buffer.byteLength(GETME_TEXT));
  assert.equal(resp.body, GETME_TEXT);
});

test('method names are case-insensitive', async () => {
  for (const m of ['getMe', 'getme', 'GETME', 'GetMe']) {
    const res = await srv.api(B1.token, m);
    assert.equal(res.text, GETME_TEXT, m);
  }
  const link = expectOk(await srv.api(B1.token, 'EXPORTCHATINVITELINK', { chat_id: SG_MAIN }));
  expectLink(link);
});

test('the path is percent-decoded before routing', async () => {
  const res = await get(`/bot${B1.token.replace(':', '%3A')}/get%4De`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, GETME_TEXT);
});

test('/bot<token>/ takes the method from the method parameter', async () => {
  let res = await srv.api(B1.token, '', { method: 'getMe' }, { encoding: 'json' });
  assert.equal(res.text, GETME_TEXT);
  res = await srv.api(B1.token, '', { method: 'getMe' }, { encoding: 'form' });
  assert.equal(res.text, GETME_TEXT);
  res = await srv.api(B1.token, '', { method: 'getMe' }, { encoding: 'query' });
  assert.equal(res.text, GETME_TEXT);
  res = await srv.api(B1.token, '', { method: 'exportChatInviteLink', chat_id: SG_MAIN });
  expectLink(expectOk(res));
  res = await srv.api(B1.token, '', undefined, { encoding: 'none' });
  expectError(res, 404, 'Not Found: method not found');
});

test('/bot<token>/test/<method> serves the same world', async () => {
  const res = await srv.api(B1.token, 'test/getMe');
  assert.equal(res.text, GETME_TEXT);
  const link = expectOk(await srv.api(B1.token, 'test/exportChatInviteLink', { chat_id: SG_MAIN }));
  expectLink(link);
  const links = await srv.control('GET', `/chats/${SG_MAIN}/invite-links`);
  assert.ok(links.json.result.some((l) => l.invite_link === link && !l.is_revoked));
});

test('paths that are not /bot... answer 404 Not Found', async () => {
  for (const p of ['/', '/favicon.ico', `/Bot${B1.token}/getMe`, '/bo', '/botx', `/api/bot${B1.token}/getMe`]) {
    expectError(await get(p), 404, 'Not Found', undefined, p);
  }
  const post = await httpRequest(srv, { method: 'POST', path: '/', headers: {}, body: '' });
  expectError(post, 404, 'Not Found');
});

test('/bot<token> with nothing after it is 404 Not Found', async () => {
  expectError(await get(`/bot${B1.token}`), 404, 'Not Found');
  expectError(await get(`/bot${B1.token}?method=getMe`), 404, 'Not Found');
});

test('an absolute URI in the request line is 404', async () => {
  const raw = await srv.raw(
    `GET http://127.0.0.1:${srv.port}/bot${B1.token}/getMe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  );
  const resp = parseRawResponse(raw.text);
  assert.equal(resp.status, 404);
  assert.equal(
    resp.body,
    '{"ok":false,"error_code":404,"description":"Not Found: absolute URI is specified in the Request-Line"}',
  );
});

test('unknown methods, getMe/extra and getMe/ are method not found', async () => {
  for (const m of ['fooBar', 'sendMessage2', 'getMe/extra', 'getMe/', 'get_me', 'test/fooBar']) {
    expectError(await srv.api(B1.token, m), 404, 'Not Found: method not found', undefined, m);
  }
});

test('malformed tokens get 401 invalid token specified', async () => {
  const bad = [
    `0${B1.token}`, // first character 0
    `0:${SECRET1}`,
    `${B1.id}:${'A'.repeat(80)}`, // longer than 80
    `${B1.id}${SECRET1}`, // no colon
    'justsomething',
    `-5:${SECRET1}`, // bot id <= 0
    `18014398509481984:${SECRET1}`, // 2^54
    `36028797018963968:${SECRET1}`, // 2^55
  ];
  for (const t of bad) {
    expectError(await srv.api(t, 'getMe'), 401, 'Unauthorized: invalid token specified', undefined, t);
  }
  // 2^54 - 1 is a valid id, just not a known bot.
  expectError(await srv.api(`18014398509481983:${SECRET1}`, 'getMe'), 401, 'Unauthorized');
});

test('a bot id that is not an exact int64 gets 421', async () => {
  for (const t of [`abc:${SECRET1}`, `12a:${SECRET1}`, `99999999999999999999:${SECRET1}`, `7000000001 :${SECRET1}`]) {
    expectError(
      await srv.api(t.replace(' ', '%20'), 'getMe'),
      421,
      'Misdirected Request: unallowed token specified',
      undefined,
      t,
    );
  }
});

test('short or non-base64url secrets, unknown bots and wrong secrets get 401 Unauthorized', async () => {
  const tokens = [
    `${B1.id}:short`,
    `${B1.id}:${'A'.repeat(23)}`,
    `${B1.id}:${SECRET1.slice(0, 20)}~${SECRET1.slice(21)}`,
    `${B1.id}:${SECRET1.slice(0, 20)}%2B${SECRET1.slice(21)}`, // '+' after decoding
    `${B1.id}:${WRONG_SECRET}`,
    `7000000099:${SECRET1}`,
    `${B2.id}:${SECRET1}`,
    `${B1.id}:${SECRET1.toLowerCase()}`,
  ];
  for (const t of tokens) {
    expectError(await srv.api(t, 'getMe'), 401, 'Unauthorized', undefined, t);
  }
});

test('an invalid token with an unknown method is still 401', async () => {
  expectError(await srv.api(`0${B1.token}`, 'fooBar'), 401, 'Unauthorized: invalid token specified');
  expectError(await srv.api(`${B1.id}:${WRONG_SECRET}`, 'fooBar'), 401, 'Unauthorized');
  expectError(await srv.api(`abc:${SECRET1}`, 'fooBar'), 421, 'Misdirected Request: unallowed token specified');
});

test('JSON output is ASCII-only with lowercase \\u escapes and unescaped /', async () => {
  const res = await srv.api(B1.token, 'getChat', { chat_id: SG_UNICODE });
  assert.equal(res.status, 200, res.text);
  const bytes = Buffer.from(res.text, 'utf8');
  assert.ok(bytes.every((b) => b < 0x80), `ASCII-only body: ${res.text}`);
  assert.ok(
    res.text.includes('"title":"Caf\\u00e9 / \\u00dcn\\u00efcode \\ud83d\\ude00"'),
    `escaped title: ${res.text}`,
  );
  assert.equal(res.json.result.title, UNICODE_TITLE);

  const m = await srv.api(B1.token, 'getChatMember', { chat_id: SG_UNICODE, user_id: ZOE });
  assert.equal(m.status, 200, m.text);
  assert.ok(m.text.includes('"first_name":"Zo\\u00eb"'), m.text);
  assert.ok(!m.text.includes('\\/'));
});

test('close answers 429 with Retry-After and the spec 7.1 body', async () => {
  expectOk(await srv.api(B1.token, 'getMe'));
  const raw = await srv.raw(`POST /bot${B1.token}/close HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
  const resp = parseRawResponse(raw.text);
  assert.equal(resp.statusLine, 'HTTP/1.1 429 Too Many Requests');
  assert.equal(resp.headers['content-type'], 'application/json');
  assert.equal(resp.headers['connection'], 'keep-alive');
  const n = Number(resp.headers['retry-after']);
  assert.ok(Number.isInteger(n) && n > 0 && n <= 600, `Retry-After: ${resp.headers['retry-after']}`);
  assert.equal(
    resp.body,
    `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after ${n}","parameters":{"retry_after":${n}}}`,
  );
  assert.equal(Number(resp.headers['content-length']), resp.body.length);
  // Also through fetch, and for another bot whose first request is close itself.
  const res = await srv.api(B2.token, 'close');
  assert.equal(res.status, 429);
  const n2 = res.json.parameters.retry_after;
  expectError(res, 429, `Too Many Requests: retry after ${n2}`, { retry_after: n2 });
  assert.equal(res.headers.get('retry-after'), String(n2));
  // close changed nothing
  await expectAlive(srv);
  expectOk(await srv.api(B2.token, 'getMe'));
});

test('logOut answers true, then Logged out until the control plane puts the bot again', async () => {
  expectOk(await srv.api(B3.token, 'getMe'));
  const res = await srv.api(B3.token, 'logOut');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, '{"ok":true,"result":true}');
  for (const m of ['getMe', 'exportChatInviteLink', 'fooBar', 'logOut', 'close']) {
    expectError(await srv.api(B3.token, m, { chat_id: SG_MAIN }), 400, 'Logged out', undefined, m);
  }
  // other bots are untouched
  await expectAlive(srv);
  const put = await srv.control('PUT', `/bots/${B3.id}`, {
    token: B3.token,
    username: B3.username,
    first_name: B3.first_name,
  });
  assert.equal(put.status, 200, put.text);
  const me = expectOk(await srv.api(B3.token, 'getMe'));
  assert.equal(me.id, B3.id);
  assert.equal(me.username, B3.username);
});

test('the log holds no secrets', async () => {
  // Parameter values are never logged, from a query string or from a body.
  const PROBE = 'log-probe-value-7f3a';
  expectOk(await srv.api(B1.token, 'getMe', { probe: PROBE }, { encoding: 'query' }));
  expectOk(await srv.api(B1.token, 'getMe', { probe: PROBE }, { encoding: 'form' }));
  assert.ok(!srv.logs().includes(PROBE), 'a parameter value was logged');
  // One debug line per request, with the token's secret hidden in every form the tests used.
  const logs = srv.logs();
  for (const [method, path, status] of [
    ['POST', `/bot${B1.id}:***/getMe`, 200],
    ['GET', `/bot${B1.id}:***/getMe`, 200], // also "%3A" for the colon and "get%4De", decoded
    ['GET', `/bot${B1.id}:***`, 404],
    ['GET', `/Bot${B1.id}:***/getMe`, 404], // a "/Bot" path is not routed but is still a token
    ['POST', '/bot***/getMe', 401], // a token without ':' is hidden whole
    ['PUT', `/control/v1/bots/${B3.id}`, 200],
  ]) {
    assert.match(logs, requestLogLine(method, path, status), `${method} ${path} ${status} is logged`);
  }
  assertNoSecretsInLogs(srv, usedTokens);
});
