// HTTPS (issue 13): the listener with --tls-cert/--tls-key (Bot API, control plane, keep-alive,
// limits, timeouts, long polls, a graceful stop, all over TLS; bad files stop the start), https://
// webhooks verified against --webhook-ca-file (and refused without it, with TDLib's error text),
// and the drop-in recipe for bots that hard-code api.telegram.org: `tginvited make-cert` makes the
// CA and the certificate, and clients reach the server under that name without touching the
// machine's hosts file (curl --connect-to; a node client whose connection is redirected, trusting
// the CA through NODE_EXTRA_CA_CERTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, SERVER_BIN, CONTROL_TOKEN } from '../support/server.mjs';
import { B1, expectOk, expectError, expectLink, assertNoSecretsInLogs, DEBUG_LOG_ARGS } from './helpers.mjs';

const ALICE = { id: 100001, first_name: 'Alice' };
const BOB = { id: 100002, first_name: 'Bob' };
const CHAT = -1001000000701;

function world() {
  return {
    bots: [{ ...B1 }],
    users: [ALICE, BOB],
    chats: [
      {
        id: CHAT,
        type: 'supergroup',
        title: 'Secure',
        members: [
          { user_id: ALICE.id, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: { can_invite_users: true } },
        ],
      },
    ],
  };
}

const VERIFY_FAILED = 'SSL error {error:0A000086:SSL routines::certificate verify failed}';

let dir; // the certificates: ca.pem, ca-key.pem, cert.pem, key.pem
let ca;
let srv; // --tls-cert, --tls-key, --webhook-ca-file
let agent; // keep-alive, trusting the CA

function tlsArgs() {
  return ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')];
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tginvite-tls-'));
  const made = spawnSync(SERVER_BIN, ['make-cert', dir], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout, /^made a new CA: .*ca\.pem/m);
  ca = readFileSync(join(dir, 'ca.pem'));
  srv = await startServer({
    world: world(),
    // --no-guards: the webhook test sets webhooks back to back (the once-a-second guard is
    // guards.test.mjs's subject).
    extraArgs: [
      ...tlsArgs(),
      '--no-guards',
      '--webhook-ca-file',
      join(dir, 'ca.pem'),
      '--webhook-retry-base-ms',
      '50',
      ...DEBUG_LOG_ARGS,
    ],
  });
  agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca });
});

after(async () => {
  agent?.destroy();
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One HTTPS request; resolves to { status, headers, text, json, reusedSocket }.
function request(port, { method = 'POST', path, headers = {}, body, ...options }) {
  return new Promise((resolve, reject) => {
    const buf = body === undefined ? undefined : Buffer.from(body);
    const hdrs = { ...headers };
    if (buf !== undefined) hdrs['content-length'] = String(buf.length);
    const req = https.request(
      { host: '127.0.0.1', port, method, path, headers: hdrs, agent, ...options },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json, reusedSocket: req.reusedSocket });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(buf);
  });
}

function api(port, method, params = {}, options = {}) {
  return request(port, {
    path: `/bot${B1.token}/${method}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
    ...options,
  });
}

function control(port, method, path, body) {
  const headers = { authorization: `Bearer ${CONTROL_TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return request(port, {
    method,
    path: `/control/v1${path}`,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function waitFor(what, check, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Resolves when the socket closes; to whatever it received before.
function closed(socket) {
  return new Promise((resolve) => {
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

// ---------------------------------------------------------------------------------------------
// The listener

test('the Bot API over TLS: getMe, a link made, keep-alive on one TLS connection', async () => {
  const me = expectOk(await api(srv.port, 'getMe'));
  assert.equal(me.id, B1.id);
  const second = await api(srv.port, 'createChatInviteLink', { chat_id: CHAT, name: 'tls' });
  const link = expectOk(second);
  expectLink(link.invite_link);
  assert.equal(link.name, 'tls');
  assert.equal(second.reusedSocket, true, 'the second request went on the first connection');
  assert.equal(second.headers.connection, 'keep-alive');
  // The reference's error envelope, unchanged by TLS.
  expectError(await api(srv.port, 'getChat', { chat_id: -1009999 }), 400, 'Bad Request: chat not found');
});

test('the control plane over TLS', async () => {
  const res = await control(srv.port, 'GET', `/chats/${CHAT}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.result.title, 'Secure');
  const refused = await request(srv.port, { method: 'GET', path: `/control/v1/chats/${CHAT}` });
  assert.equal(refused.status, 401, refused.text);
});

test('a long poll over TLS is woken by an update', async () => {
  const poll = api(srv.port, 'getUpdates', { timeout: 30 }, { agent: new https.Agent({ ca }) });
  // Whether the poll is parked yet or not, it returns the message.
  const sent = await control(srv.port, 'POST', '/messages', { from: BOB.id, chat_id: B1.id, text: '/start' });
  assert.equal(sent.status, 200, sent.text);
  const updates = expectOk(await poll);
  assert.equal(updates.length, 1, JSON.stringify(updates));
  assert.equal(updates[0].message.text, '/start');
  expectOk(await api(srv.port, 'getUpdates', { offset: updates[0].update_id + 1 }));
});

test('a getUpdates answer of many big updates over TLS arrives whole (its updates are sent without a copy)', async () => {
  const texts = [];
  for (let i = 0; i < 40; i++) {
    const text = `${i} ${'\u00e9'.repeat(3000)}`;
    texts.push(text);
    const sent = await control(srv.port, 'POST', '/messages', { from: BOB.id, chat_id: B1.id, text });
    assert.equal(sent.status, 200, sent.text);
  }
  const res = await api(srv.port, 'getUpdates', { limit: 100 });
  assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text), 'Content-Length counts every part');
  const updates = expectOk(res);
  assert.deepEqual(updates.map((u) => u.message.text), texts);
  expectOk(await api(srv.port, 'getUpdates', { offset: updates.at(-1).update_id + 1 }));
});

test('limits hold over TLS: more than 1 MiB of parameters is 413 and the connection closes', async () => {
  const res = await request(srv.port, {
    path: `/bot${B1.token}/getMe`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'a=' + 'x'.repeat((1 << 20) + 10),
    agent: new https.Agent({ ca }),
  });
  assert.equal(res.status, 413);
  assert.equal(res.text, '');
  assert.equal(res.headers.connection, 'close');
});

test('a client that does not trust the certificate gets no answer', async () => {
  await assert.rejects(
    request(srv.port, { method: 'GET', path: `/bot${B1.token}/getMe`, agent: new https.Agent() }),
    (e) => e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  );
});

test('plain HTTP on the TLS listener is closed without an answer; TLS still works after', async () => {
  const socket = net.connect(srv.port, '127.0.0.1');
  const text = closed(socket);
  socket.write(`GET /bot${B1.token}/getMe HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.equal(await text, '', 'nothing readable comes back');
  expectOk(await api(srv.port, 'getMe'));
});

test('the secrets stay out of the log over TLS too', () => {
  assertNoSecretsInLogs(srv);
});

// ---------------------------------------------------------------------------------------------
// Bad files

test('bad TLS files stop the start with a clear error and exit code 2', () => {
  const run = (args) => spawnSync(SERVER_BIN, ['--listen', '127.0.0.1:0', '--db', 'memory', ...args], { encoding: 'utf8' });
  const cases = [
    [['--tls-cert', join(dir, 'missing.pem'), '--tls-key', join(dir, 'key.pem')],
      `cannot read the TLS certificate file ${join(dir, 'missing.pem')}: No such file or directory`],
    [['--tls-cert', join(dir, 'key.pem'), '--tls-key', join(dir, 'key.pem')],
      `the TLS certificate file ${join(dir, 'key.pem')} holds no usable PEM certificate: no start line`],
    [['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'ca-key.pem')],
      `the TLS key file ${join(dir, 'ca-key.pem')} is not the key of the certificate in ${join(dir, 'cert.pem')}`],
    [['--tls-cert', join(dir, 'cert.pem')], '--tls-cert and --tls-key go together: a certificate and its key'],
    [['--webhook-ca-file', join(dir, 'key.pem')],
      `the webhook CA file ${join(dir, 'key.pem')} holds no usable PEM certificate: `],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`ERROR main: ${message}`), `${args.join(' ')}: ${r.stderr}`);
    assert.ok(!r.stderr.includes('listening on'), r.stderr);
    assert.ok(!r.stderr.includes('BEGIN'), 'no file contents in the error');
  }
});

// ---------------------------------------------------------------------------------------------
// Timeouts and a graceful stop, on a server of their own

test('over TLS: the timeouts close silent connections, before, during and after a request head', async (t) => {
  const s = await startServer({
    world: world(),
    // Short, but not so short that a handshake on a busy machine under a sanitizer misses it.
    extraArgs: [...tlsArgs(), '--header-timeout', '3', '--idle-timeout', '2'],
  });
  t.after(() => s.close());
  const secureConnect = () => {
    const secure = tls.connect({ port: s.port, host: '127.0.0.1', servername: 'localhost', ca });
    const ready = new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    return { secure, ready };
  };
  // A TCP connection that never starts the handshake (the header timeout covers it)...
  const raw = net.connect(s.port, '127.0.0.1');
  assert.equal(await closed(raw), '');
  // ...a TLS connection that never sends a request (the idle timeout)...
  const idle = secureConnect();
  const idleClosed = closed(idle.secure);
  await idle.ready;
  assert.equal(idle.secure.authorized, true, String(idle.secure.authorizationError));
  assert.equal(idle.secure.alpnProtocol, false, 'no ALPN asked, none given');
  assert.equal(await idleClosed, '');
  // ...and one that stops in the middle of a request head (the header timeout).
  const half = secureConnect();
  const halfClosed = closed(half.secure);
  await half.ready;
  half.secure.write(`GET /bot${B1.token}/getMe HTTP/1.1\r\nHost: x\r\n`);
  assert.equal(await halfClosed, '');
});

test('over TLS: ALPN picks http/1.1 among h2 and http/1.1', async () => {
  const secure = tls.connect({ port: srv.port, host: '127.0.0.1', servername: 'localhost', ca, ALPNProtocols: ['h2', 'http/1.1'] });
  await new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
  assert.equal(secure.alpnProtocol, 'http/1.1');
  secure.destroy();
});

test('over TLS: a waiting getUpdates is answered when the server stops, which exits 0', async (t) => {
  const s = await startServer({ world: world(), extraArgs: tlsArgs() });
  t.after(() => s.close());
  const own = { agent: new https.Agent({ ca }) };
  // Two polls: the newer ends the older with 409 (spec 5.4), so once one of them has its 409,
  // the other is known to be waiting in the server.
  const polls = [api(s.port, 'getUpdates', { timeout: 30 }, own), api(s.port, 'getUpdates', { timeout: 30 }, { agent: new https.Agent({ ca }) })];
  const first = await Promise.race(polls.map((p, i) => p.then((res) => ({ res, i }))));
  assert.equal(first.res.status, 409, first.res.text);
  assert.equal(await s.stop(), 0, 'exit 0 with a poll waiting');
  const waiting = await polls[1 - first.i];
  assert.equal(waiting.status, 200, waiting.text);
  assert.equal(waiting.text, '{"ok":true,"result":[]}');
  assert.equal(waiting.headers.connection, 'close');
});

// ---------------------------------------------------------------------------------------------
// https:// webhooks

// An HTTPS webhook receiver with the certificate make-cert made (for localhost and 127.0.0.1).
async function startReceiver() {
  const r = { deliveries: [] };
  r.server = https.createServer(
    { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) },
    (req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        r.deliveries.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), servername: req.socket.servername });
        res.writeHead(200).end();
      });
    },
  );
  await new Promise((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.port = r.server.address().port;
  t_receivers.push(r);
  return r;
}
const t_receivers = [];
after(() => {
  for (const r of t_receivers) {
    r.server.closeAllConnections();
    r.server.close();
  }
});

function expectWebhookSet(res) {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, '{"ok":true,"result":true,"description":"Webhook was set"}');
}

async function webhookInfo(port) {
  return expectOk(await api(port, 'getWebhookInfo'));
}

test('an https webhook is delivered when its certificate verifies against --webhook-ca-file', async () => {
  const receiver = await startReceiver();
  const url = `https://127.0.0.1:${receiver.port}/hook`;
  expectWebhookSet(await api(srv.port, 'setWebhook', { url, secret_token: 'tls_secret' }));
  await control(srv.port, 'POST', '/messages', { from: BOB.id, chat_id: B1.id, text: 'over https' });
  await waitFor('a delivery', () => receiver.deliveries.length >= 1);
  const d = receiver.deliveries[0];
  assert.equal(d.url, '/hook');
  assert.equal(d.headers['x-telegram-bot-api-secret-token'], 'tls_secret');
  assert.equal(d.servername, false, 'no SNI for an IP address');
  assert.equal(JSON.parse(d.body).message.text, 'over https');
  const info = await waitFor('nothing pending', async () => {
    const i = await webhookInfo(srv.port);
    return i.pending_update_count === 0 ? i : false;
  });
  assert.equal(info.url, url);
  assert.ok(!('last_error_message' in info), JSON.stringify(info));

  // A URL without a protocol is an https:// one: to the name localhost, sent as SNI.
  const bare = `localhost:${receiver.port}/bare`;
  expectWebhookSet(await api(srv.port, 'setWebhook', { url: bare }));
  await control(srv.port, 'POST', '/messages', { from: BOB.id, chat_id: B1.id, text: 'no protocol' });
  await waitFor('a second delivery', () => receiver.deliveries.length >= 2);
  assert.equal(receiver.deliveries[1].url, '/bare');
  assert.equal(receiver.deliveries[1].servername, 'localhost');
  const deleted = await api(srv.port, 'deleteWebhook');
  assert.equal(deleted.text, '{"ok":true,"result":true,"description":"Webhook was deleted"}');
});

test('without --webhook-ca-file the same webhook fails verification, with TDLib\'s text', async (t) => {
  const receiver = await startReceiver();
  const s = await startServer({ world: world(), extraArgs: ['--webhook-retry-base-ms', '50'] });
  t.after(() => s.close());
  const url = `https://127.0.0.1:${receiver.port}/hook`;
  expectWebhookSet(await s.api(B1.token, 'setWebhook', { url }));
  await s.control('POST', '/messages', { from: BOB.id, chat_id: B1.id, text: 'untrusted' });
  const info = await waitFor('a delivery error', async () => {
    const i = expectOk(await s.api(B1.token, 'getWebhookInfo'));
    return 'last_error_message' in i ? i : false;
  });
  assert.equal(info.last_error_message, VERIFY_FAILED);
  assert.equal(info.pending_update_count, 1);
  assert.equal(receiver.deliveries.length, 0);
});

// ---------------------------------------------------------------------------------------------
// Drop-in for api.telegram.org

test('drop-in: curl reaches https://api.telegram.org with --cacert and --connect-to', () => {
  const r = spawnSync(
    'curl',
    ['-sS', '--cacert', join(dir, 'ca.pem'), '--connect-to', `api.telegram.org:443:127.0.0.1:${srv.port}`,
      `https://api.telegram.org/bot${B1.token}/getMe`],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.ok, true);
  assert.equal(res.result.id, B1.id);
  // Without the CA, curl refuses the certificate (exit 60).
  const refused = spawnSync(
    'curl',
    ['-sS', '--connect-to', `api.telegram.org:443:127.0.0.1:${srv.port}`, `https://api.telegram.org/bot${B1.token}/getMe`],
    { encoding: 'utf8' },
  );
  assert.equal(refused.status, 60, refused.stderr);
});

// A node program that calls https://api.telegram.org/bot<token>/getMe with a stock agent whose
// connections go to the test server instead (as a hosts entry would send them); it trusts only
// what node trusts, plus NODE_EXTRA_CA_CERTS when set.
const NODE_CLIENT = `
const https = require('node:https');
const tls = require('node:tls');
const [port, token] = process.argv.slice(1);
const agent = new https.Agent();
agent.createConnection = (options, cb) =>
  tls.connect({ ...options, host: '127.0.0.1', port: Number(port), servername: 'api.telegram.org' }, cb);
https.get('https://api.telegram.org/bot' + token + '/getMe', { agent }, (res) => {
  let body = '';
  res.on('data', (c) => (body += c));
  res.on('end', () => console.log(body));
}).on('error', (e) => { console.log('error ' + e.code); process.exitCode = 3; });
`;

function runNodeClient(extraEnv) {
  return new Promise((resolve) => {
    const env = { ...process.env, ...extraEnv };
    if (!extraEnv.NODE_EXTRA_CA_CERTS) delete env.NODE_EXTRA_CA_CERTS;
    const child = spawn(process.execPath, ['-e', NODE_CLIENT, String(srv.port), B1.token], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => resolve({ code, out: out.trim(), err }));
  });
}

test('drop-in: a node client with NODE_EXTRA_CA_CERTS talks to api.telegram.org unchanged', async () => {
  const ok = await runNodeClient({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
  assert.equal(ok.code, 0, ok.out + ok.err);
  const res = JSON.parse(ok.out);
  assert.equal(res.ok, true);
  assert.equal(res.result.username, B1.username);
  const refused = await runNodeClient({});
  assert.equal(refused.code, 3, refused.out + refused.err);
  assert.equal(refused.out, 'error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('make-cert again keeps the CA and signs a new certificate with it', () => {
  const before = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const other = mkdtempSync(join(tmpdir(), 'tginvite-tls-again-'));
  try {
    writeFileSync(join(other, 'ca.pem'), before);
    writeFileSync(join(other, 'ca-key.pem'), readFileSync(join(dir, 'ca-key.pem')));
    const made = spawnSync(SERVER_BIN, ['make-cert', other, 'example.test'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /^kept the CA in /m);
    assert.match(made.stdout, / for example\.test \(valid 825 days\)$/m);
    assert.equal(readFileSync(join(other, 'ca.pem'), 'utf8'), before);
    const bad = spawnSync(SERVER_BIN, ['make-cert'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /make-cert wants a folder/);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
