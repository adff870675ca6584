// The control plane's listings, page by page (issue 14, for the console's World view):
// GET /control/v1/bots, /users, /chats and /chats/{id}/members with ?after=ID&limit=N.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { BOTS, B1, ALICE, CAROL, FRANK, SG_MAIN, testWorld, expectOk } from './helpers.mjs';

let srv;
let world;
before(async () => {
  world = testWorld();
  srv = await startServer({ world });
});
after(async () => {
  if (srv) await srv.close();
});

async function page(path) {
  const res = await srv.control('GET', path);
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  return res.json.result;
}

// Every item of a listing, walked `limit` at a time; checks the pages link up.
async function walk(path, limit) {
  const items = [];
  let after;
  for (;;) {
    const query = after === undefined ? `?limit=${limit}` : `?limit=${limit}&after=${after}`;
    const p = await page(`${path}${query}`);
    assert.ok(p.items.length <= limit, path);
    items.push(...p.items);
    if (p.next_after === undefined) return items;
    assert.equal(p.items.length, limit, `${path}: a page before the last is full`);
    after = p.next_after;
  }
}

const ascending = (ids) => [...ids].sort((a, b) => a - b);

test('bots, users and chats are listed by ascending id, whole or in pages of any size', async () => {
  const bots = (await page('/bots')).items;
  assert.deepEqual(bots.map((b) => b.id), ascending(BOTS.map((b) => b.id)));
  const b1 = bots.find((b) => b.id === B1.id);
  assert.equal(b1.is_bot, true);
  assert.equal(b1.username, B1.username);
  assert.equal(JSON.stringify(b1).includes(B1.token.split(':')[1]), false, 'no token in a listing');

  const users = (await page('/users')).items;
  assert.deepEqual(users.map((u) => u.id), ascending(world.users.map((u) => u.id)), 'users, not bots');
  assert.deepEqual(users.find((u) => u.id === ALICE), { id: ALICE, is_bot: false, first_name: 'Alice', username: 'alice' });

  const chats = (await page('/chats')).items;
  assert.deepEqual(chats.map((c) => c.id), ascending(world.chats.map((c) => c.id)));
  assert.equal(chats.find((c) => c.id === SG_MAIN).title, 'Demo');

  for (const limit of [1, 2, 5]) {
    assert.deepEqual(await walk('/users', limit), users, `users by ${limit}`);
    assert.deepEqual(await walk('/chats', limit), chats, `chats by ${limit}`);
    assert.deepEqual(await walk('/bots', limit), bots, `bots by ${limit}`);
  }
});

test('a chat\'s members are listed by user id with their status, in pages', async () => {
  const members = (await page(`/chats/${SG_MAIN}/members`)).items;
  const declared = world.chats.find((c) => c.id === SG_MAIN).members;
  assert.deepEqual(members.map((m) => m.user.id), ascending(declared.map((m) => m.user_id)));
  assert.equal(members.find((m) => m.user.id === ALICE).status, 'creator');
  assert.equal(members.find((m) => m.user.id === CAROL).status, 'member');
  assert.equal(members.find((m) => m.user.id === FRANK).status, 'kicked');
  const b1 = members.find((m) => m.user.id === B1.id);
  assert.equal(b1.status, 'administrator');
  assert.equal(b1.can_invite_users, true);
  assert.deepEqual(await walk(`/chats/${SG_MAIN}/members`, 3), members);
  // After the last id: an empty page and no next_after.
  assert.deepEqual(await page(`/chats/${SG_MAIN}/members?after=${members.at(-1).user.id}`), { items: [] });
});

test('a new record shows up in its listing', async () => {
  expectOk(await srv.control('PUT', '/users/100500', { first_name: 'New' }));
  const users = (await page('/users?after=100499&limit=1')).items;
  assert.deepEqual(users, [{ id: 100500, is_bot: false, first_name: 'New' }]);
});

test('bad paging parameters and unknown chats are refused', async () => {
  for (const [query, description] of [
    ['limit=0', 'Bad Request: limit: must be an integer from 1 to 1000'],
    ['limit=1001', 'Bad Request: limit: must be an integer from 1 to 1000'],
    ['limit=x', 'Bad Request: limit: must be an integer from 1 to 1000'],
    ['after=1.5', 'Bad Request: after: must be an integer'],
  ]) {
    const res = await srv.control('GET', `/chats?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.json.description, description, query);
  }
  const res = await srv.control('GET', '/chats/-1009999999999/members');
  assert.equal(res.status, 400);
  assert.equal(res.json.description, 'Bad Request: unknown chat -1009999999999');
  assert.equal((await page('/chats?limit=1000')).items.length, world.chats.length);
});
