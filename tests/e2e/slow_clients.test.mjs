// Bad and hostile clients (issue 13): each limit of the HTTP layer holds against a client that
// keeps within it byte by byte. Real sockets against a real tginvited with short timeouts; every
// test would hang (and fail on its generous wait) if the limit did not hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer, CONTROL_TOKEN } from '../support/server.mjs';
import { testWorld, B1, ALICE } from './helpers.mjs';

// A raw client: counts what it receives, can stop reading (pause) and knows when and how the
// server ended the connection.
function connect(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const c = { sock, received: 0, chunks: [], closed: false, error: null, openedAt: 0, closedAt: 0 };
    c.closedPromise = new Promise((done) => {
      sock.on('close', () => {
        c.closed = true;
        c.closedAt = Date.now();
        done();
      });
    });
    c.firstData = new Promise((done) => sock.once('data', done));
    sock.on('data', (d) => {
      c.received += d.length;
      c.chunks.push(d);
    });
    sock.on('error', (e) => {
      c.error = e;
    });
    sock.once('connect', () => {
      c.openedAt = Date.now();
      resolve(c);
    });
    sock.once('error', reject);
  });
}

// Resolves true once the server has closed `c`, false if it has not after `ms`.
async function closedWithin(c, ms) {
  let timer;
  const expired = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const r = await Promise.race([c.closedPromise.then(() => true), expired]);
  clearTimeout(timer);
  return r;
}

// Writes one byte every `ms` until the connection closes (a write to a reset socket just fails).
function dribble(c, ms, byte = 'a') {
  const t = setInterval(() => {
    if (!c.sock.destroyed) c.sock.write(byte);
  }, ms);
  c.closedPromise.then(() => clearInterval(t));
  return () => clearInterval(t);
}

async function expectGetMe(srv) {
  const r = await srv.api(B1.token, 'getMe');
  assert.equal(r.status, 200, 'getMe still answers');
}

test('a header sent a byte every 200 ms is cut at --header-timeout, counted from its first byte', async () => {
  const srv = await startServer({ world: testWorld(), extraArgs: ['--header-timeout', '2'] });
  try {
    const c = await connect(srv.port);
    c.sock.write(`GET /bot${B1.token}/getMe HTTP/1.1\r\nHost: x\r\nX-Slow: `);
    dribble(c, 200);
    // A per-byte timeout would never end this connection.
    assert.equal(await closedWithin(c, 60000), true, 'the server closed the dribbling client');
    assert.ok(c.closedAt - c.openedAt >= 1500, `not before the timeout (${c.closedAt - c.openedAt} ms)`);
    assert.equal(c.received, 0, 'closed without an answer');
    await expectGetMe(srv);
  } finally {
    await srv.close();
  }
});

test('a body sent a byte every 200 ms is cut at --body-timeout', async () => {
  const srv = await startServer({ world: testWorld(), extraArgs: ['--body-timeout', '2'] });
  try {
    const c = await connect(srv.port);
    c.sock.write(
      `POST /bot${B1.token}/getMe HTTP/1.1\r\nHost: x\r\n` +
        'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n',
    );
    dribble(c, 200);
    assert.equal(await closedWithin(c, 60000), true, 'the server closed the dribbling client');
    assert.ok(c.closedAt - c.openedAt >= 1500, `not before the timeout (${c.closedAt - c.openedAt} ms)`);
    assert.equal(c.received, 0, 'closed without an answer');
    await expectGetMe(srv);
  } finally {
    await srv.close();
  }
});

test('a connection that never sends a byte is closed at --idle-timeout', async () => {
  const srv = await startServer({ world: testWorld(), extraArgs: ['--idle-timeout', '2'] });
  try {
    const c = await connect(srv.port);
    assert.equal(await closedWithin(c, 60000), true, 'the server closed the silent client');
    assert.ok(c.closedAt - c.openedAt >= 1500, `not before the timeout (${c.closedAt - c.openedAt} ms)`);
    await expectGetMe(srv);
  } finally {
    await srv.close();
  }
});

test('at --max-connections, the connection idle longest makes room for a new client', async () => {
  // Without this, connections that never send would lock new clients out for the idle timeout.
  const srv = await startServer({
    world: testWorld(),
    extraArgs: ['--threads', '1', '--max-connections', '4', '--idle-timeout', '3600'],
  });
  try {
    const silent = [];
    for (let i = 0; i < 4; i++) silent.push(await connect(srv.port));
    await expectGetMe(srv);
    assert.equal(await closedWithin(silent[0], 60000), true, 'the oldest silent connection made room');
    await expectGetMe(srv);
    assert.equal(silent[3].closed, false, 'the newest silent connection is still open');
    for (const c of silent) c.sock.destroy();
  } finally {
    await srv.close();
  }
});

// 100 updates of 4,000 non-ASCII characters for B1, each written as \uXXXX: a getUpdates answer
// of about 2.4 MB, more than the kernel's socket buffers take for a client that does not read.
// The big answers below are repeated getUpdates with the same offset, which the reference's
// guards would cut to one update (guards.test.mjs tests that); these tests are about the bytes.
const NO_GUARDS = ['--no-guards'];

async function bigAnswers(srv) {
  const text = '\u00e9'.repeat(3990);
  for (let i = 0; i < 100; i++) {
    const r = await srv.control('POST', '/messages', { from: ALICE, chat_id: B1.id, text: `${i} ${text}` });
    assert.equal(r.status, 200, `message ${i}: ${r.text}`);
  }
  const r = await srv.api(B1.token, 'getUpdates', { limit: 100 });
  assert.equal(r.json.result.length, 100);
  assert.ok(r.text.length > 2000000, `a big answer (${r.text.length} bytes)`);
  return Buffer.byteLength(r.text);
}

// The private chat's messages, as the control plane lists them (after bigAnswers, 2.4 MB):
// an answer the server makes for one request only, all its bytes its own.
function messageListRequest() {
  return `GET /control/v1/users/${ALICE}/chats/${B1.id}/messages HTTP/1.1\r\nHost: x\r\n` +
    `Authorization: Bearer ${CONTROL_TOKEN}\r\n\r\n`;
}

// Sends `count` pipelined requests (by default getUpdates answering bigAnswers' updates), takes
// the first bytes of the answer and stops reading. Probe bytes written every 200 ms make a reset
// seen at once (they wait behind the requests unread: the server does not read while it writes).
async function stalledReader(srv, count, req = `GET /bot${B1.token}/getUpdates?limit=100 HTTP/1.1\r\nHost: x\r\n\r\n`) {
  const c = await connect(srv.port);
  c.sock.write(req.repeat(count));
  await c.firstData;
  c.sock.pause();
  c.stopProbes = dribble(c, 200, '\r\n');
  return c;
}

test('a client that does not read its answer is cut at --write-timeout', async () => {
  const srv = await startServer({ world: testWorld(), extraArgs: [...NO_GUARDS, '--write-timeout', '2'] });
  try {
    const bytes = await bigAnswers(srv);
    const c = await stalledReader(srv, 8);
    assert.equal(await closedWithin(c, 60000), true, 'the server cut the client that does not read');
    assert.ok(c.received < 8 * bytes, `not every answer was taken (${c.received} bytes)`);
    await expectGetMe(srv);
  } finally {
    await srv.close();
  }
});

// The server's end of the connection from `client` as `ss -tmn` shows it: its Send-Q (bytes the
// kernel holds for the client) and its send buffer (skmem's tb).
function serverSocket(srv, client) {
  const out = execFileSync('ss', ['-tmnH', 'state', 'established', `( sport = :${srv.port} and dport = :${client.sock.localPort} )`], { encoding: 'utf8' });
  const m = /^\s*\d+\s+(\d+)\s.*\n?.*skmem:\([^)]*\btb(\d+)/s.exec(out);
  assert.ok(m, `ss shows the server's socket:\n${out}`);
  return { sendQ: Number(m[1]), sendBuffer: Number(m[2]) };
}

test('a client that does not read makes the kernel hold at most the fixed send buffer (512 KiB)', async () => {
  // Without a fixed SO_SNDBUF the kernel's autotuning lets each such client pin up to 4 MiB.
  const srv = await startServer({ world: testWorld(), extraArgs: [...NO_GUARDS, '--threads', '1'] });
  try {
    await bigAnswers(srv);
    const c = await stalledReader(srv, 8);
    // Once the kernel has taken what it will, look at the buffer it allows.
    const now = await sendQueueSettled(srv, c);
    assert.ok(now.sendBuffer <= 512 * 1024, `send buffer ${now.sendBuffer}`);
    assert.ok(now.sendQ <= 512 * 1024, `bytes held by the kernel ${now.sendQ}`);
    c.sock.destroy();
    await expectGetMe(srv);
  } finally {
    await srv.close();
  }
});

// One I/O thread (the limit is kept per thread), a 1 MiB limit on unsent answers and a write
// timeout that never comes: only the limit can reset a reader.
function startUnsentLimitServer() {
  return startServer({
    world: testWorld(),
    extraArgs: [...NO_GUARDS, '--threads', '1', '--unsent-limit-mb', '1', '--write-timeout', '3600'],
  });
}

// `count` readers, one after the other, each stalled on 8 pipelined requests `req` (by default
// stalledReader's getUpdates).
async function stalledReaders(srv, count, req) {
  const readers = [];
  for (let i = 0; i < count; i++) readers.push(await stalledReader(srv, 8, req)); // undefined: the default
  return readers;
}

test('answers that clients do not read hold at most --unsent-limit-mb: the others are reset', async () => {
  // One I/O thread: the limit is kept per thread. Answers of 2.4 MB, each made for its
  // request, over a 1 MiB limit: of the clients that stop reading, one at a time keeps its
  // answer; the others are reset, long before the write timeout.
  const srv = await startUnsentLimitServer();
  try {
    await bigAnswers(srv);
    const listed = await srv.control('GET', `/users/${ALICE}/chats/${B1.id}/messages`);
    assert.equal(listed.status, 200, listed.text);
    const bytes = Buffer.byteLength(listed.text);
    assert.ok(bytes > 1024 * 1024, `an answer of ${bytes} bytes, over the limit`);
    const readers = await stalledReaders(srv, 3, messageListRequest());
    // Two of the three are reset; which two depends on when each one's write stalled.
    let waits = 0;
    while (readers.filter((c) => c.closed).length < 2 && waits++ < 600) {
      await Promise.race([...readers.filter((c) => !c.closed).map((c) => c.closedPromise),
        new Promise((r) => setTimeout(r, 100))]);
    }
    const open = readers.filter((c) => !c.closed);
    assert.equal(open.length, 1, `one reader keeps its answer (${readers.map((c) => c.closed)})`);
    // The one left gets every answer whole once it reads again.
    const survivor = open[0];
    survivor.stopProbes();
    survivor.sock.resume();
    await readWhole(survivor, 8, bytes);
    survivor.sock.destroy();
    await expectGetMe(srv);
  } finally {
    await srv.close();
  }
});

test('readers of one big getUpdates answer share its updates: the unsent limit does not reset them', async () => {
  // The answer is 2.4 MB over a 1 MiB limit, but its update objects are the queue's own, sent
  // without a copy (body_parts); what each stalled answer holds is a few bytes per update.
  const srv = await startUnsentLimitServer();
  try {
    const bytes = await bigAnswers(srv);
    const readers = await stalledReaders(srv, 3);
    // Every reader's answer has stalled in the server (its Send-Q no longer grows): past the point
    // where the old accounting reset all but one.
    for (const c of readers) await sendQueueSettled(srv, c);
    assert.deepEqual(readers.map((c) => c.closed), [false, false, false], 'no reader was reset');
    for (const c of readers) {
      c.stopProbes();
      c.sock.resume();
    }
    for (const c of readers) await readWhole(c, 8, bytes);
    for (const c of readers) c.sock.destroy();
    await expectGetMe(srv);
  } finally {
    await srv.close();
  }
});

// Waits until the server's socket to `c` holds a Send-Q that stopped growing (two looks 100 ms
// apart agree) and is not empty; returns it.
async function sendQueueSettled(srv, c) {
  let last = -1;
  let now = serverSocket(srv, c);
  for (let i = 0; i < 300 && (now.sendQ !== last || now.sendQ === 0); i++) {
    last = now.sendQ;
    await new Promise((r) => setTimeout(r, 100));
    now = serverSocket(srv, c);
  }
  assert.ok(now.sendQ > 0, 'the server holds bytes for the reader');
  return now;
}

// Reads on `c` until it holds `count` whole answers of `bytes` (or 60 s pass), and asserts it.
async function readWhole(c, count, bytes) {
  let waited = 0;
  while (wholeAnswers(Buffer.concat(c.chunks), bytes) < count && !c.closed && waited++ < 600) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(wholeAnswers(Buffer.concat(c.chunks), bytes), count, `the reader read its ${count} answers whole`);
}

// How many complete 200 answers of `bytes` each `buf` starts with.
function wholeAnswers(buf, bytes) {
  let n = 0;
  let at = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', at);
    if (end < 0) return n;
    const head = buf.subarray(at, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1]);
    if (!head.startsWith('HTTP/1.1 200 ') || length !== bytes) return n;
    if (buf.length < end + 4 + length) return n;
    at = end + 4 + length;
    n++;
  }
}
