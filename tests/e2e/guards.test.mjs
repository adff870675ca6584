// The reference server's guards against busy loops (issue 13; telegram-bot-api's Client.cpp and
// WebhookActor.cpp, and TDLib's TQueue): a repeated getUpdates with the same offset is stretched
// to 3 s and, within 0.5 s, cut to 1 update; a second 409 within 3 s is held back 3 s;
// setWebhook twice within a second is 429; a bot's queue holds 100,000 updates and drops newer
// ones; a webhook answering 410 Gone for more than 23 hours is removed.
//
// The server runs with --frozen-clock: its clock moves only through POST /control/v1/clock, so
// "within 0.5 s" is exactly "before the test advances the clock", whatever the machine's load.
// The 3 s waits themselves are real time, as in the reference; they are checked from below only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from '../support/server.mjs';
import { B1, B2, B3, expectError, expectOk, header, advanceClock } from './helpers.mjs';

const ALICE = { id: 100001, first_name: 'Alice' };
const B4 = {
  id: 7000000004,
  token: '7000000004:AAHguardsguardsguardsguardsguards01',
  first_name: 'Four',
  username: 'four_bot',
};
const B5 = {
  id: 7000000005,
  token: '7000000005:AAHguardsguardsguardsguardsguards02',
  first_name: 'Five',
  username: 'five_bot',
};

function world() {
  return { bots: [B1, B2, B3, B4, B5].map((b) => ({ ...b })), users: [ALICE], chats: [] };
}

const WEBHOOK_ACTIVE =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

let srv;
before(async () => {
  srv = await startServer({ world: world(), extraArgs: ['--frozen-clock', '--webhook-retry-base-ms', '20'] });
});
after(async () => {
  if (srv) await srv.close();
});

async function say(bot, text) {
  const res = await srv.control('POST', '/messages', { from: ALICE.id, chat_id: bot.id, text });
  assert.equal(res.status, 200, res.text);
}

function expectDone(res, description) {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, JSON.stringify({ ok: true, result: true, description }));
}

const ids = (updates) => updates.map((u) => u.update_id);

async function timed(promise) {
  const start = performance.now();
  const res = await promise;
  return { res, ms: performance.now() - start };
}

async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('getUpdates with the same offset within 0.5 s gets 1 update; a second later, all of them', async () => {
  for (const text of ['one', 'two', 'three']) await say(B1, text);
  const first = expectOk(await srv.api(B1.token, 'getUpdates', { offset: 0 }));
  assert.equal(first.length, 3, 'the first call is not limited');
  // The same offset at the same instant: limit=1 (and the 3 s stretch, but there are updates).
  assert.deepEqual(ids(expectOk(await srv.api(B1.token, 'getUpdates', { offset: 0 }))), ids(first).slice(0, 1));
  // Still within 0.5 s of the previous call's start: 1 again, even when asking for 2.
  assert.deepEqual(ids(expectOk(await srv.api(B1.token, 'getUpdates', { offset: 0, limit: 2 }))), ids(first).slice(0, 1));
  // Another offset is not cut.
  assert.deepEqual(ids(expectOk(await srv.api(B1.token, 'getUpdates', { offset: first[0].update_id }))), ids(first));
  // One second later on the server's clock, the same offset again: everything.
  expectOk(await srv.api(B1.token, 'getUpdates', { offset: first[0].update_id }));
  await advanceClock(srv, 1);
  assert.deepEqual(ids(expectOk(await srv.api(B1.token, 'getUpdates', { offset: first[0].update_id }))), ids(first));
});

test('getUpdates with the same offset within 3 s and no updates waits 3 s (timeout raised to 3)', async () => {
  const offset = 1000; // in the future: nothing to confirm, nothing to get
  const a = await timed(srv.api(B2.token, 'getUpdates', { offset, timeout: 0 }));
  assert.deepEqual(expectOk(a.res), []);
  const b = await timed(srv.api(B2.token, 'getUpdates', { offset, timeout: 1 }));
  assert.deepEqual(expectOk(b.res), []);
  assert.ok(b.ms >= 2900, `the repeated call waited ${b.ms} ms, not 3 s`);
});

test('a second 409 Conflict within 3 s is held back 3 s', async () => {
  const hook = http.createServer((req, res) => res.end());
  await new Promise((resolve) => hook.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${hook.address().port}/hook`;
    expectDone(await srv.api(B3.token, 'setWebhook', { url }), 'Webhook was set');
    const a = await timed(srv.api(B3.token, 'getUpdates'));
    expectError(a.res, 409, WEBHOOK_ACTIVE);
    const b = await timed(srv.api(B3.token, 'getUpdates'));
    expectError(b.res, 409, WEBHOOK_ACTIVE);
    assert.ok(b.ms >= 2900, `the second 409 came after ${b.ms} ms, not 3 s`);
    expectDone(await srv.api(B3.token, 'deleteWebhook'), 'Webhook was deleted');
  } finally {
    hook.closeAllConnections();
    await new Promise((resolve) => hook.close(resolve));
  }
});

test('long polls ended by newer getUpdates calls: a 409 within 3 s of the last one answered is held back 3 s', async () => {
  const REPLACED =
    'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
  const SET = 'Conflict: terminated by setWebhook request';
  // Two long polls: whichever parks second ends the other, the bot's first conflict.
  const one = srv.api(B2.token, 'getUpdates', { offset: 5000, timeout: 30 });
  const two = srv.api(B2.token, 'getUpdates', { offset: 6000, timeout: 30 });
  const which = await Promise.race([one.then(() => 'one'), two.then(() => 'two')]);
  expectError(await (which === 'one' ? one : two), 409, REPLACED);
  const waiting = which === 'one' ? two : one;
  // A third ends the one still waiting: on the server's (frozen) clock that is within 3 s.
  const sent = performance.now();
  const three = srv.api(B2.token, 'getUpdates', { offset: 7000, timeout: 30 });
  expectError(await waiting, 409, REPLACED);
  const held = performance.now() - sent;
  assert.ok(held >= 2900, `the second conflict came after ${held} ms, not 3 s`);
  // 3 s later on the server's clock a conflict is answered at once again: setWebhook ends the
  // third (its answer is awaited below, without a bound on the time it takes).
  await advanceClock(srv, 3);
  expectDone(await srv.api(B2.token, 'setWebhook', { url: 'http://127.0.0.1:9/x' }), 'Webhook was set');
  expectError(await three, 409, SET);
  expectDone(await srv.api(B2.token, 'deleteWebhook'), 'Webhook was deleted');
});

test('setWebhook twice within a second: 429 retry after 1, exactly as a real 429; deleting is not limited', async () => {
  const url = 'http://127.0.0.1:9/never';
  expectDone(await srv.api(B4.token, 'setWebhook', { url }), 'Webhook was set');
  const again = await srv.api(B4.token, 'setWebhook', { url });
  assert.equal(again.text, '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}');
  assert.equal(again.status, 429);
  assert.equal(header(again, 'retry-after'), '1');
  // A refused call changes nothing, and does not move the window.
  assert.equal(expectOk(await srv.api(B4.token, 'getWebhookInfo')).url, url);
  // deleteWebhook (or setWebhook with an empty URL) is not limited.
  assert.equal((await srv.api(B4.token, 'setWebhook', { url: '' })).json.description, 'Webhook was deleted');
  assert.equal((await srv.api(B4.token, 'deleteWebhook')).json.description, 'Webhook is already deleted');
  expectError(await srv.api(B4.token, 'setWebhook', { url }), 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
  // A second later on the server's clock it is taken.
  await advanceClock(srv, 1);
  assert.equal((await srv.api(B4.token, 'setWebhook', { url })).json.description, 'Webhook was set');
  expectDone(await srv.api(B4.token, 'deleteWebhook'), 'Webhook was deleted');
});

test('a webhook answering 410 Gone for more than 23 hours is removed; its updates stay for getUpdates', async () => {
  // Every request is held until the test answers it, so the clock can be moved in between.
  const held = [];
  const hook = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => held.push(res));
  });
  await new Promise((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const gone = (res) => {
    res.writeHead(410);
    res.end();
  };
  try {
    const url = `http://127.0.0.1:${hook.address().port}/gone`;
    expectDone(await srv.api(B5.token, 'setWebhook', { url }), 'Webhook was set');
    await say(B5, 'are you there?');
    await waitFor('the first delivery', () => held.length >= 1);
    gone(held[0]); // the first 410: the 23 hours start now
    await waitFor('the second delivery', () => held.length >= 2);
    await advanceClock(srv, 23 * 3600 - 1);
    gone(held[1]); // 1 s short of 23 hours: kept
    await waitFor('the third delivery', () => held.length >= 3);
    const info = expectOk(await srv.api(B5.token, 'getWebhookInfo'));
    assert.equal(info.url, url, 'still set after 23 hours less a second');
    assert.equal(info.last_error_message, 'Wrong response from the webhook: 410 Gone');
    await advanceClock(srv, 2);
    gone(held[2]); // more than 23 hours after the first: removed
    const after = await waitFor('the webhook removed', async () => {
      const i = expectOk(await srv.api(B5.token, 'getWebhookInfo'));
      return i.url === '' ? i : null;
    });
    assert.deepEqual(after, { url: '', has_custom_certificate: false, pending_update_count: 1 });
    const got = expectOk(await srv.api(B5.token, 'getUpdates'));
    assert.deepEqual(got.map((u) => u.message.text), ['are you there?']);
  } finally {
    for (const res of held) if (!res.writableEnded) res.destroy();
    hook.closeAllConnections();
    await new Promise((resolve) => hook.close(resolve));
  }
});

test('a bot queue holds --max-queued-updates updates: newer ones are dropped, and use no id', async () => {
  const small = await startServer({ world: world(), extraArgs: ['--max-queued-updates', '3'] });
  try {
    const tell = async (text) => {
      const res = await small.control('POST', '/messages', { from: ALICE.id, chat_id: B1.id, text });
      assert.equal(res.status, 200, res.text);
    };
    for (const text of ['1', '2', '3', '4', '5']) await tell(text);
    assert.equal(expectOk(await small.api(B1.token, 'getWebhookInfo')).pending_update_count, 3);
    const got = expectOk(await small.api(B1.token, 'getUpdates'));
    assert.deepEqual(got.map((u) => u.message.text), ['1', '2', '3'], 'the oldest are kept');
    // Confirming makes room; the next update takes the next id: the dropped ones had none.
    const last = got.at(-1).update_id;
    expectOk(await small.api(B1.token, 'getUpdates', { offset: last + 1 }));
    await tell('6');
    const next = expectOk(await small.api(B1.token, 'getUpdates', { offset: last + 1 }));
    assert.deepEqual(next.map((u) => [u.update_id, u.message.text]), [[last + 1, '6']]);
  } finally {
    await small.close();
  }
});
