// The control plane's live event stream, GET /control/v1/events (issue 14): authorized by the
// control token's header, an event for each change a page would refetch, a "stop" event at the
// server's stop, and a reader that does not read is dropped alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../support/server.mjs';
import {
  B1,
  ALICE,
  GRACE,
  HEIDI,
  SG_MAIN,
  CONTROL_TOKEN,
  DEBUG_LOG_ARGS,
  testWorld,
  exportLink,
  expectOk,
  join,
  waitFor,
  assertNoSecretsInLogs,
  httpRequest,
} from './helpers.mjs';

// A reader of the stream through fetch(), as the console reads it. `events` grows as they come.
class EventReader {
  static async open(srv, token = CONTROL_TOKEN) {
    const abort = new AbortController();
    const response = await fetch(`${srv.base}/control/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
    });
    const reader = new EventReader(response, abort);
    if (response.ok) {
      reader.pump();
      await reader.next('the ready event', (e) => e.kind === 'ready');
    }
    return reader;
  }

  constructor(response, abort) {
    this.response = response;
    this.abort = abort;
    this.events = [];
    this.ended = false;
    this.wakers = [];
  }

  async pump() {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of this.response.body) {
        text += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const lines = block.split('\n');
          const name = lines.find((l) => l.startsWith('event: '));
          const data = lines.find((l) => l.startsWith('data: '));
          if (!data) continue; // a keep-alive comment
          const event = JSON.parse(data.slice(6));
          assert.equal(name, `event: ${event.kind}`, block);
          this.events.push(event);
        }
        this.wake();
      }
    } catch {
      // aborted or reset: an end as well
    }
    this.ended = true;
    this.wake();
  }

  wake() {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }

  // The first event (from `from` on) matching `match`; fails if the stream ends without one.
  async next(what, match, from = 0) {
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended without ${what}: ${JSON.stringify(this.events)}`);
      await new Promise((resolve) => this.wakers.push(resolve));
    }
  }

  async end() {
    while (!this.ended) await new Promise((resolve) => this.wakers.push(resolve));
  }

  // Closes the connection (the body is locked by pump(), so it cannot be cancelled instead).
  close() {
    this.abort.abort();
  }
}

async function subscribers(srv) {
  const res = await srv.control('GET', '/events/subscribers');
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}

let srv;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
});
after(async () => {
  if (srv) await srv.close();
});

test('the stream is refused without the control token or with a wrong one', async () => {
  for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: CONTROL_TOKEN }]) {
    const res = await httpRequest(srv, { method: 'GET', path: '/control/v1/events', headers });
    assert.equal(res.status, 401, JSON.stringify(headers));
    assert.equal(res.json.description, 'Unauthorized: control token required');
  }
  // Named decision: the token is taken from the header only, never from the URL.
  const res = await httpRequest(srv, { method: 'GET', path: `/control/v1/events?token=${CONTROL_TOKEN}` });
  assert.equal(res.status, 401);
  const post = await srv.control('POST', '/events', {});
  assert.equal(post.status, 405);
  assert.deepEqual(await subscribers(srv), { subscribers: 0, dropped: 0 });
});

test('the stream is text/event-stream, not cached, and counted while open', async () => {
  const reader = await EventReader.open(srv);
  assert.equal(reader.response.status, 200);
  assert.equal(reader.response.headers.get('content-type'), 'text/event-stream');
  assert.equal(reader.response.headers.get('cache-control'), 'no-store');
  assert.equal(reader.response.headers.get('content-length'), null);
  assert.deepEqual(reader.events, [{ kind: 'ready' }]);
  assert.equal((await subscribers(srv)).subscribers, 1);
  reader.close();
});

test('a join through a link is told as the member, the join and the bots\' updates', async () => {
  const reader = await EventReader.open(srv);
  const link = await exportLink(srv, B1.token, SG_MAIN);
  const created = await reader.next('the new link', (e) => e.kind === 'invite_link');
  assert.deepEqual(created, { kind: 'invite_link', chat_id: SG_MAIN, creator_id: B1.id });

  const from = reader.events.length;
  const res = await join(srv, GRACE, link);
  assert.equal(res.status, 200, res.text);
  const member = await reader.next('the member', (e) => e.kind === 'member', from);
  assert.deepEqual(member, { kind: 'member', chat_id: SG_MAIN, user_id: GRACE });
  assert.deepEqual(await reader.next('the join', (e) => e.kind === 'join', from), {
    kind: 'join',
    chat_id: SG_MAIN,
    user_id: GRACE,
  });
  // The service message of the join, and the update that tells B1 of it.
  const message = await reader.next('the service message', (e) => e.kind === 'message', from);
  assert.equal(message.chat_id, SG_MAIN);
  const update = await reader.next('B1\'s update', (e) => e.kind === 'update' && e.bot_id === B1.id, from);
  assert.equal(update.type, 'message');
  assert.ok(Number.isInteger(update.update_id) && update.update_id > 0);
  reader.close();
});

test('a bot\'s sendMessage is told as a message event with its id', async () => {
  const reader = await EventReader.open(srv);
  const sent = expectOk(await srv.api(B1.token, 'sendMessage', { chat_id: SG_MAIN, text: 'hello, events' }));
  const message = await reader.next(
    'the bot\'s message',
    (e) => e.kind === 'message' && e.message_id === sent.message_id,
  );
  assert.deepEqual(message, { kind: 'message', chat_id: SG_MAIN, message_id: sent.message_id });
  reader.close();
});

test('a reader that never reads is dropped with a last event; another reader misses nothing', async () => {
  const small = await startServer({ world: testWorld(), extraArgs: ['--event-queue', '64'] });
  try {
    // A raw connection that sends its request and then reads nothing: the server's writes fill
    // the socket's buffers, then its queue of 64 events.
    const slow = net.connect(small.port, '127.0.0.1');
    const slowChunks = [];
    let slowEnded = false;
    slow.on('data', (d) => slowChunks.push(d));
    slow.on('close', () => (slowEnded = true));
    slow.on('error', () => {});
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.pause();
    slow.write(`GET /control/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CONTROL_TOKEN}\r\n\r\n`);
    await waitFor('the slow subscriber', async () => (await subscribers(small)).subscribers === 1);
    const fast = await EventReader.open(small);
    assert.equal((await subscribers(small)).subscribers, 2);

    // Messages until the slow reader is dropped (each makes three events: the message and an
    // update for each administrator bot); 4 at a time, so that even a fast reader whose
    // connection's thread lags a batch behind holds far fewer than 64 events.
    let sent = 0;
    while ((await subscribers(small)).dropped === 0) {
      assert.ok(sent < 20000, 'the slow reader was never dropped');
      const batch = [];
      for (let i = 0; i < 4; ++i, ++sent) {
        batch.push(small.control('POST', '/messages', { from: ALICE, chat_id: SG_MAIN, text: `m${sent}` }));
      }
      for (const res of await Promise.all(batch)) assert.equal(res.status, 200, res.text);
    }
    assert.deepEqual(await subscribers(small), { subscribers: 1, dropped: 1 });
    assert.equal(fast.ended, false, 'the fast reader is the one left');

    // The fast reader got every message, and still gets what comes after.
    const user = expectOk(await small.control('PUT', `/users/${HEIDI}`, { first_name: 'Heidi 2' }));
    assert.equal(user.id, HEIDI);
    await fast.next('the user change', (e) => e.kind === 'user' && e.user_id === HEIDI);
    const messages = fast.events.filter((e) => e.kind === 'message');
    assert.equal(messages.length, sent);
    assert.equal(new Set(messages.map((e) => e.message_id)).size, sent);

    // The slow reader, reading at last: what fitted in the buffers, then "dropped", then the end.
    slow.resume();
    await waitFor('the end of the slow stream', () => slowEnded);
    const text = Buffer.concat(slowChunks).toString('latin1');
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(
      text.endsWith('event: dropped\ndata: {"kind":"dropped","reason":"queue full"}\n\n'),
      text.slice(-300),
    );
    const slowMessages = text.split('event: message\n').length - 1;
    assert.ok(slowMessages < sent, `${slowMessages} of ${sent}`);
    fast.close();
  } finally {
    await small.close();
  }
});

test('a reader that goes away is forgotten', async () => {
  const reader = await EventReader.open(srv);
  assert.ok((await subscribers(srv)).subscribers >= 1);
  reader.close();
  // Every reader of the tests above has closed its connection too.
  await waitFor('no subscriber left', async () => (await subscribers(srv)).subscribers === 0);
});

test('the server\'s stop ends every stream with a stop event', async () => {
  const readers = [await EventReader.open(srv), await EventReader.open(srv)];
  assert.equal((await subscribers(srv)).subscribers, 2);
  const stopping = srv.stop();
  for (const reader of readers) {
    await reader.end();
    assert.deepEqual(reader.events.at(-1), { kind: 'stop' });
  }
  assert.equal(await stopping, 0);
  assertNoSecretsInLogs(srv);
});
