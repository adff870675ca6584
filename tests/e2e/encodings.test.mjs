// Where parameters come from (spec 1.4, 1.5): JSON, form, query string, multipart, gzip, mixing.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startServer } from '../support/server.mjs';
import {
  B1,
  CAROL,
  SG_MAIN,
  SG_MEMBER,
  testWorld,
  expectError,
  expectOk,
  expectLink,
  httpRequest,
  parseRawResponse,
  expectEmptyBody,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
  expectAlive,
} from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
});
after(async () => {
  if (srv) await srv.close();
});
afterEach(async () => {
  if (srv?.proc) await expectAlive(srv);
});

const PATH = `/bot${B1.token}/exportChatInviteLink`;
const EMPTY = 'Bad Request: chat_id is empty';
const RIGHTS = 'Bad Request: not enough rights to manage chat invite link';

function post(body, headers = {}, path = PATH, method = 'POST') {
  return httpRequest(srv, { method, path, headers, body });
}
function postJson(body, extra = {}, path = PATH) {
  return post(body, { 'Content-Type': 'application/json', ...extra }, path);
}
function postForm(body, extra = {}, path = PATH) {
  return post(body, { 'Content-Type': 'application/x-www-form-urlencoded', ...extra }, path);
}
function okLink(res, what) {
  assert.equal(res.status, 200, `${what}: ${res.text}`);
  expectLink(expectOk(res));
}

test('the same export works in every encoding', async () => {
  okLink(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }, { encoding: 'json' }), 'json number');
  okLink(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: String(SG_MAIN) }, { encoding: 'json' }), 'json string');
  okLink(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }, { encoding: 'form' }), 'form');
  okLink(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }, { encoding: 'query' }), 'query');
  okLink(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }, { encoding: 'multipart' }), 'multipart');
  okLink(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: '@demo_group' }, { encoding: 'multipart' }), 'multipart @');
});

test('JSON Content-Type variants', async () => {
  const body = JSON.stringify({ chat_id: SG_MAIN });
  okLink(await post(body, { 'Content-Type': 'application/json; charset=utf-8' }), 'charset');
  okLink(await post(body, { 'Content-Type': 'Application/JSON' }), 'upper case');
  okLink(await post(body, { 'Content-Type': 'application/json;charset=UTF-8' }), 'no space');
});

test('JSON details: escapes, whitespace, the raw text of non-strings', async () => {
  okLink(await postJson('{"chat_id":"\\u002d1001000000001"}'), 'escaped string');
  okLink(await postJson(`{ "chat_id" : ${SG_MAIN} }`), 'whitespace');
  okLink(await postJson(`{\n  "chat_id": ${SG_MAIN}\n}\n`), 'pretty-printed');
  okLink(await postJson(`{"other":{"a":[1,2,{"b":null}]},"chat_id":${SG_MAIN}}`), 'nested value before');
  expectError(await postJson('{"chat_id":{"a":1}}'), 400, 'Bad Request: chat not found', undefined, 'object');
  expectError(await postJson('{"chat_id":true}'), 400, 'Bad Request: chat not found', undefined, 'true');
  expectError(await postJson('{"chat_id":[-1001000000001]}'), 400, 'Bad Request: chat not found', undefined, 'array');
  expectError(await postJson('{"chat_id":null}'), 400, 'Bad Request: chat not found', undefined, 'null');
});

test('a GET with a JSON body works', async () => {
  okLink(await post(JSON.stringify({ chat_id: SG_MAIN }), { 'Content-Type': 'application/json' }, PATH, 'GET'), 'GET+json');
  okLink(await post(`chat_id=${SG_MAIN}`, { 'Content-Type': 'application/x-www-form-urlencoded' }, PATH, 'GET'), 'GET+form');
});

test('the query string wins over the body', async () => {
  // SG_MEMBER alone gives the rights error, so success means SG_MAIN was used.
  expectError(await postJson(JSON.stringify({ chat_id: SG_MEMBER })), 400, RIGHTS, undefined, 'sanity');
  okLink(await postJson(JSON.stringify({ chat_id: SG_MEMBER }), {}, `${PATH}?chat_id=${SG_MAIN}`), 'query+json');
  okLink(await postForm(`chat_id=${SG_MEMBER}`, {}, `${PATH}?chat_id=${SG_MAIN}`), 'query+form');
  expectError(
    await postJson(JSON.stringify({ chat_id: SG_MAIN }), {}, `${PATH}?chat_id=${SG_MEMBER}`),
    400,
    RIGHTS,
    undefined,
    'query SG_MEMBER + body SG_MAIN',
  );
  // an empty query value still counts as the first occurrence
  expectError(await postJson(JSON.stringify({ chat_id: SG_MAIN }), {}, `${PATH}?chat_id=`), 400, EMPTY, undefined, 'chat_id=');
  expectError(await postJson(JSON.stringify({ chat_id: SG_MAIN }), {}, `${PATH}?chat_id`), 400, EMPTY, undefined, 'chat_id');
});

test('within one source the first occurrence wins', async () => {
  okLink(await postJson(`{"chat_id":${SG_MAIN},"chat_id":${SG_MEMBER}}`), 'json dup');
  expectError(await postJson(`{"chat_id":${SG_MEMBER},"chat_id":${SG_MAIN}}`), 400, RIGHTS, undefined, 'json dup reversed');
  okLink(await postForm(`chat_id=${SG_MAIN}&chat_id=${SG_MEMBER}`), 'form dup');
  expectError(await postForm(`chat_id=${SG_MEMBER}&chat_id=${SG_MAIN}`), 400, RIGHTS, undefined, 'form dup reversed');
  okLink(await post(undefined, {}, `${PATH}?chat_id=${SG_MAIN}&chat_id=${SG_MEMBER}`, 'GET'), 'query dup');
  expectError(
    await post(undefined, {}, `${PATH}?chat_id=${SG_MEMBER}&chat_id=${SG_MAIN}`, 'GET'),
    400,
    RIGHTS,
    undefined,
    'query dup reversed',
  );
});

test('query strings are percent-decoded, + is a space', async () => {
  okLink(await post(undefined, {}, `${PATH}?chat_id=%2D1001000000001`, 'GET'), '%2D');
  okLink(await post(undefined, {}, `${PATH}?chat_id=%40demo_group`, 'GET'), '%40');
  okLink(await post(undefined, {}, `${PATH}?x=1&chat_id=${SG_MAIN}&y`, 'GET'), 'other pieces');
  // '+' becomes a space, and a leading space makes the id 0
  expectError(
    await post(undefined, {}, `${PATH}?chat_id=+${SG_MAIN}`, 'GET'),
    400,
    'Bad Request: chat not found',
    undefined,
    '+ as space',
  );
  okLink(await postForm(`chat_id=%2D1001000000001`), 'form %2D');
});

test('bodies that are not objects give no parameters', async () => {
  for (const body of ['[1,2]', '123', '"abc"', 'true', 'null', '', '   ', `[{"chat_id":${SG_MAIN}}]`]) {
    expectError(await postJson(body), 400, EMPTY, undefined, `body ${JSON.stringify(body)}`);
  }
});

test('broken JSON keeps what was read before the problem', async () => {
  okLink(await postJson(`{"chat_id":${SG_MAIN},"name":}`), 'bad value after');
  okLink(await postJson(`{"chat_id":${SG_MAIN},`), 'truncated after');
  okLink(await postJson(`{"chat_id":"${SG_MAIN}","x"`), 'no colon after');
  expectError(await postJson(`{"x":,"chat_id":${SG_MAIN}}`), 400, EMPTY, undefined, 'bad value before');
  expectError(await postJson(`{chat_id:${SG_MAIN}}`), 400, EMPTY, undefined, 'unquoted key');
  expectError(await postJson(`{'chat_id':${SG_MAIN}}`), 400, EMPTY, undefined, 'single quotes');
});

test('a body without a usable Content-Type is ignored', async () => {
  expectError(await post(JSON.stringify({ chat_id: SG_MAIN })), 400, EMPTY, undefined, 'no content-type');
  expectError(await post(`chat_id=${SG_MAIN}`), 400, EMPTY, undefined, 'no content-type form');
  expectError(await post(JSON.stringify({ chat_id: SG_MAIN }), { 'Content-Type': 'text/plain' }), 400, EMPTY, undefined, 'text/plain');
  expectError(await post(`chat_id=${SG_MAIN}`, { 'Content-Type': 'application/octet-stream' }), 400, EMPTY, undefined, 'octet-stream');
});

test('gzip bodies are decoded', async () => {
  okLink(await postJson(gzipSync(JSON.stringify({ chat_id: SG_MAIN })), { 'Content-Encoding': 'gzip' }), 'gzip json');
  okLink(await postForm(gzipSync(`chat_id=${SG_MAIN}`), { 'Content-Encoding': 'gzip' }), 'gzip form');
});

test('an unsupported Content-Encoding is 415 with an empty body', async () => {
  const body = JSON.stringify({ chat_id: SG_MAIN });
  const req =
    `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: br\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body}`;
  const raw = await srv.raw(req);
  const resp = parseRawResponse(raw.text);
  assert.equal(resp.status, 415, raw.text);
  expectEmptyBody(resp);
  const res = await postJson(body, { 'Content-Encoding': 'br' });
  assert.equal(res.status, 415);
  assert.equal(res.text, '');
});

test('chunked transfer encoding', async () => {
  const body = JSON.stringify({ chat_id: SG_MAIN });
  const a = body.slice(0, 7);
  const b = body.slice(7);
  const req =
    `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
    `${a.length.toString(16)}\r\n${a}\r\n${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`;
  const raw = await srv.raw(req);
  const resp = parseRawResponse(raw.text);
  assert.equal(resp.status, 200, raw.text);
  expectLink(JSON.parse(resp.body).result);
});

test('multipart: text parts are parameters, file parts are not', async () => {
  const fd = new FormData();
  fd.append('chat_id', new Blob([String(SG_MAIN)]), 'chat_id.txt');
  const res = await fetch(`${srv.base}${PATH}`, { method: 'POST', body: fd });
  const text = await res.text();
  assert.equal(res.status, 400, text);
  assert.equal(text, JSON.stringify({ ok: false, error_code: 400, description: EMPTY }));

  const boundary = 'XyZ123boundary';
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="other"\r\n\r\nvalue\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n${SG_MAIN}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n${SG_MEMBER}\r\n` +
    `--${boundary}--\r\n`;
  okLink(await post(body, { 'Content-Type': `multipart/form-data; boundary=${boundary}` }), 'hand-made multipart');
});

test('the same read call in every encoding', async () => {
  for (const encoding of ['json', 'form', 'query', 'multipart']) {
    const m = expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN, user_id: CAROL }, { encoding }));
    assert.equal(m.status, 'member', encoding);
    assert.equal(m.user.id, CAROL, encoding);
  }
  const m = expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: String(SG_MAIN), user_id: String(CAROL) }));
  assert.equal(m.user.id, CAROL);
});

test('the log holds no secrets', () => {
  assertNoSecretsInLogs(srv);
});
