// The web console's static files under /console/ (issue 14): served from the binary without a
// token, with their types and validators; nothing outside the embedded folder is reachable.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import {
  testWorld,
  httpRequest,
  parseRawResponse,
  expectAlive,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
} from './helpers.mjs';

const SOURCE = new URL('../../web/console/', import.meta.url);

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

function get(path, headers = {}) {
  return httpRequest(srv, { method: 'GET', path, headers });
}

test('the console page is served at /console/ and /console without a token', async () => {
  const index = readFileSync(new URL('index.html', SOURCE));
  for (const path of ['/console/', '/console', '/console/index.html']) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', path);
    assert.deepEqual(res.raw, index, `${path}: the bytes of web/console/index.html`);
    assert.equal(res.headers['cache-control'], 'no-cache', path);
    assert.match(res.headers.etag, /^"[0-9a-f]{16}"$/, path);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
    assert.match(res.headers['content-security-policy'], /default-src 'self'/, path);
  }
});

test('each file has the Content-Type of its extension and its own bytes', async () => {
  for (const [file, type] of [
    ['app.js', 'text/javascript; charset=utf-8'],
    ['api.js', 'text/javascript; charset=utf-8'],
    ['world.js', 'text/javascript; charset=utf-8'],
    ['play.js', 'text/javascript; charset=utf-8'],
    ['console.css', 'text/css; charset=utf-8'],
    ['inbox.js', 'text/javascript; charset=utf-8'],
  ]) {
    const res = await get(`/console/${file}`);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers['content-type'], type, file);
    assert.deepEqual(res.raw, readFileSync(new URL(file, SOURCE)), file);
  }
});

test('a matching If-None-Match is answered 304 without a body; another ETag gets the file', async () => {
  const first = await get('/console/app.js');
  const again = await get('/console/app.js', { 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  assert.equal(again.headers.etag, first.headers.etag);
  const other = await get('/console/console.css', { 'If-None-Match': first.headers.etag });
  assert.equal(other.status, 200);
  assert.notEqual(other.headers.etag, first.headers.etag);
});

test('unknown files are 404 and other verbs 405', async () => {
  for (const path of ['/console/missing.js', '/console/index.htm', '/console/Index.html', '/console/app.js/']) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.text, 'Not Found\n', path);
  }
  const post = await httpRequest(srv, { method: 'POST', path: '/console/', body: '' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET');
});

test('path traversal is refused, however it is spelled', async () => {
  // Raw request lines: clients would normalise these paths before sending them.
  for (const target of [
    '/console/../README.md',
    '/console/../../../../etc/passwd',
    '/console/%2e%2e/README.md',
    '/console/%2E%2E%2FREADME.md',
    '/console/..%2f..%2fetc%2fpasswd',
    '/console/./index.html',
    '/console//index.html',
    '/console/..\\README.md',
    '/console/%5c..%5cREADME.md',
    '/console/index.html%00.js',
  ]) {
    const raw = await srv.raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const res = parseRawResponse(raw.text);
    assert.equal(res.status, 404, `${target}: ${raw.text.slice(0, 200)}`);
    assert.equal(res.body, 'Not Found\n', target);
  }
});

test('the console needs no token, the control plane still does', async () => {
  const res = await get('/control/v1/clock');
  assert.equal(res.status, 401);
  assertNoSecretsInLogs(srv);
});
