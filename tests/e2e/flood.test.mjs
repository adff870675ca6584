// Flood control (--flood-control; spec bot-api-messages.md 10, bot-api-moderation.md 11): one
// message a second in a chat (a burst of 3), 20 a minute in a group, 30 a second in all, for
// sendMessage, forwardMessage and copyMessage; answered "429 Too Many Requests: retry after N"
// with parameters.retry_after and a Retry-After header, as the fault switch answers; off by
// default.
//
// The server runs with --frozen-clock: its clock moves only through POST /control/v1/clock, so
// "at the same time" and "N seconds later" are exact, whatever the machine's load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { B1, B2, expectError, expectOk, header, advanceClock } from './helpers.mjs';

const ALICE = { id: 100001, first_name: 'Alice' };
const FANS = Array.from({ length: 11 }, (_, i) => ({ id: 300001 + i, first_name: `Fan ${i}` }));
const BOB = { id: 100002, first_name: 'Bob' };
const SG = -1001000000601; // B1 administrator
const CH = -1002000000601; // B1 may post
const GR = -4601; // basic group, B1 member

function world() {
  const creator = { user_id: ALICE.id, status: 'creator' };
  const rights = { can_post_messages: true, can_edit_messages: true };
  const admin = { user_id: B1.id, status: 'administrator', rights };
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users: [ALICE, BOB, ...FANS],
    chats: [
      { id: SG, type: 'supergroup', title: 'Busy', members: [creator, admin] },
      { id: CH, type: 'channel', title: 'News', members: [creator, admin] },
      { id: GR, type: 'group', title: 'Small', members: [creator, { user_id: B1.id, status: 'member' }] },
    ],
  };
}

let srv;
before(async () => {
  srv = await startServer({ world: world(), extraArgs: ['--flood-control', '--frozen-clock'] });
  // Every user starts B1, so it may write to them.
  for (const u of [ALICE, BOB, ...FANS]) {
    const res = await srv.control('POST', '/messages', { from: u.id, chat_id: B1.id, text: '/start' });
    assert.equal(res.status, 200, res.text);
  }
});
after(async () => {
  if (srv) await srv.close();
});

const send = (chat_id, text = 'hi') => srv.api(B1.token, 'sendMessage', { chat_id, text });

function expect429(res, n, what = '') {
  assert.equal(
    res.text,
    `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after ${n}","parameters":{"retry_after":${n}}}`,
    what,
  );
  assert.equal(res.status, 429, what);
  assert.equal(header(res, 'retry-after'), String(n), `${what}: Retry-After`);
}

test('one chat: a burst of 3, then 429 retry after 1; a second later one more; refused ones are not sent', async () => {
  await advanceClock(srv, 10);
  for (let i = 0; i < 3; ++i) expectOk(await send(ALICE.id, `burst ${i}`));
  expect429(await send(ALICE.id, 'too fast'), 1, 'the 4th at once');
  expect429(await send(ALICE.id, 'too fast'), 1, 'and again');
  // Another chat has its own limit.
  expectOk(await send(BOB.id));
  await advanceClock(srv, 1);
  expectOk(await send(ALICE.id, 'a second later'));
  expect429(await send(ALICE.id, 'too fast'), 1, 'then one a second');
  const history = await srv.control('GET', `/users/${ALICE.id}/chats/${B1.id}/messages`);
  assert.equal(history.status, 200, history.text);
  const texts = history.json.result.map((m) => m.text);
  const sent = ['/start', 'burst 0', 'burst 1', 'burst 2', 'a second later'];
  assert.deepEqual(texts, sent, 'refused ones are not sent');
});

test('forwardMessage and copyMessage count; editMessageText does not', async () => {
  await advanceClock(srv, 10);
  const sent = expectOk(await send(FANS[0].id, 'original'));
  expectOk(await send(FANS[0].id));
  const copy = { chat_id: FANS[0].id, from_chat_id: FANS[0].id, message_id: sent.message_id };
  expectOk(await srv.api(B1.token, 'copyMessage', copy));
  expect429(await srv.api(B1.token, 'forwardMessage', copy), 1, 'forwardMessage');
  expect429(await srv.api(B1.token, 'copyMessage', copy), 1, 'copyMessage');
  const edited = await srv.api(B1.token, 'editMessageText', {
    chat_id: FANS[0].id,
    message_id: sent.message_id,
    text: 'edited',
  });
  assert.equal(expectOk(edited).text, 'edited');
  // A call refused for another reason is answered with its own error, not 429.
  expectError(await send(999999), 400, 'Bad Request: chat not found');
});

test('a group: 20 messages a minute, retry after the wait until the oldest is a minute old', async () => {
  await advanceClock(srv, 100);
  // 3 at once, then one every 2 s: within the chat's limit, 20 within 34 s.
  for (const chat of [SG, GR]) for (let i = 0; i < 3; ++i) expectOk(await send(chat, `m${i}`));
  for (let i = 3; i < 20; ++i) {
    await advanceClock(srv, 2);
    for (const chat of [SG, GR]) expectOk(await send(chat, `m${i}`));
  }
  await advanceClock(srv, 2); // 36 s after the first 3
  expect429(await send(SG, 'm20'), 24, 'the 21st in a supergroup within the minute');
  expect429(await send(GR, 'm20'), 24, 'the 21st in a basic group within the minute');
  // A private chat is not a group.
  expectOk(await send(ALICE.id));
  await advanceClock(srv, 23);
  expect429(await send(SG, 'm20'), 1, 'a second short');
  await advanceClock(srv, 1); // the first 3 are a minute old: 3 places
  for (let i = 0; i < 3; ++i) expectOk(await send(SG, `again ${i}`));
  // Both limits hold now: the chat's for 1 s, the group's until the one sent 2 s after the
  // first 3 is a minute old. The longer wait is answered.
  expect429(await send(SG, 'again'), 2, 'the longer of two waits');
});

test('a channel has the chat limit only: 25 posts in 50 s are fine', async () => {
  await advanceClock(srv, 100);
  for (let i = 0; i < 25; ++i) {
    await advanceClock(srv, 2);
    expectOk(await send(CH, `post ${i}`));
  }
});

test('30 messages a second in all: the 31st, to a chat of its own, is retry after 1', async () => {
  await advanceClock(srv, 100);
  for (let i = 0; i < 30; ++i) expectOk(await send(FANS[i % 10].id, `fan ${i}`), `message ${i}`);
  expect429(await send(FANS[10].id, 'one too many'), 1, 'the 31st in the second');
  await advanceClock(srv, 1);
  expectOk(await send(FANS[10].id, 'next second'));
});

test('without --flood-control there are no limits', async () => {
  const free = await startServer({ world: world(), extraArgs: ['--frozen-clock'] });
  try {
    const res = await free.control('POST', '/messages', { from: ALICE.id, chat_id: B1.id, text: '/start' });
    assert.equal(res.status, 200, res.text);
    for (let i = 0; i < 40; ++i)
      expectOk(await free.api(B1.token, 'sendMessage', { chat_id: ALICE.id, text: `${i}` }));
  } finally {
    await free.close();
  }
});
