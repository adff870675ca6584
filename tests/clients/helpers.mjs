// Shared world and checks for the real-client tests. Every *.test.mjs starts its own tginvited
// through tests/support/server.mjs with clientWorld(), so the files can run in parallel.
import assert from 'node:assert/strict';
import { demoWorld, startServer } from '../support/server.mjs';

const demo = demoWorld();
export const BOT = demo.bots[0];
export const TOKEN = BOT.token;
export const ALICE = demo.users[0].id;

// Well-formed tokens the server does not know: same bot id with another secret, and an unknown id.
export const WRONG_TOKENS = {
  wrongSecret: `${BOT.id}:AAwrongSecretwrongSecretwrong00000`,
  unknownBot: '7000000099:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo',
};

export const DEMO_ID = -1001000000001; // demoWorld: bot is admin with can_invite_users
export const DEMO_USERNAME = '@demo_group';
export const NO_RIGHTS_ID = -1001000000002; // bot is admin, but without can_invite_users
export const PUBLIC_NOBOT_ID = -1001000000003; // public supergroup, bot has no member record
export const PUBLIC_NOBOT_USERNAME = '@public_nobot';
export const OLD_GROUP_ID = -4001; // basic group, bot admin with can_invite_users; upgraded by the tests
export const MISSING_USERNAME = '@no_such_chat';

export const LINK_RE = /^https:\/\/t\.me\/\+[A-Za-z0-9_-]{16}$/;

export const DESC = {
  chatNotFound: 'Bad Request: chat not found',
  noRights: 'Bad Request: not enough rights to manage chat invite link',
  notMember: 'Forbidden: bot is not a member of the supergroup chat',
  upgraded: 'Bad Request: group chat was upgraded to a supergroup chat',
  unauthorized: 'Unauthorized',
};

export function clientWorld() {
  const world = demoWorld();
  world.chats.push(
    {
      id: NO_RIGHTS_ID,
      type: 'supergroup',
      title: 'No Invite Rights',
      members: [
        { user_id: ALICE, status: 'creator' },
        {
          user_id: BOT.id,
          status: 'administrator',
          rights: { can_manage_chat: true, can_delete_messages: true, can_pin_messages: true },
        },
      ],
    },
    {
      id: PUBLIC_NOBOT_ID,
      type: 'supergroup',
      title: 'Public Without Bot',
      username: PUBLIC_NOBOT_USERNAME.slice(1),
      members: [{ user_id: ALICE, status: 'creator' }],
    },
    {
      id: OLD_GROUP_ID,
      type: 'group',
      title: 'Old Basic Group',
      members: [
        { user_id: ALICE, status: 'creator' },
        { user_id: BOT.id, status: 'administrator', rights: { can_invite_users: true } },
      ],
    },
  );
  return world;
}

export async function startClientServer() {
  return startServer({ world: clientWorld() });
}

// Upgrades OLD_GROUP_ID through the control plane and returns the new supergroup id.
export async function upgradeOldGroup(srv) {
  const r = await srv.control('POST', `/chats/${OLD_GROUP_ID}/upgrade`);
  assert.equal(r.status, 200, `upgrade failed: ${r.text}`);
  assert.equal(r.json?.ok, true, r.text);
  const id = r.json.result.migrate_to_chat_id;
  assert.equal(typeof id, 'number');
  assert.ok(id < -1000000000000, `migrate_to_chat_id ${id} is not a -100… id`);
  return id;
}

export function assertGetMe(me) {
  assert.equal(me.id, BOT.id);
  assert.equal(me.is_bot, true);
  assert.equal(me.username, BOT.username);
  assert.equal(me.first_name, BOT.first_name);
  assert.equal(me.can_join_groups, true);
}

// Every link must look like a primary link, consecutive ones must differ, and the control plane
// must show all of them for the chat with only the last one still active.
export async function assertOnlyLastActive(srv, chatId, links) {
  assert.ok(links.length >= 2, 'need at least two links');
  for (const l of links) assert.match(l, LINK_RE);
  for (let i = 1; i < links.length; i++) {
    assert.notEqual(links[i], links[i - 1], 'consecutive exportChatInviteLink calls gave the same link');
  }
  assert.equal(new Set(links).size, links.length, 'exportChatInviteLink repeated an earlier link');

  const r = await srv.control('GET', `/chats/${chatId}/invite-links`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json?.ok, true, r.text);
  const listed = r.json.result;
  assert.ok(Array.isArray(listed), r.text);
  const byLink = new Map(listed.map((l) => [l.invite_link, l]));
  for (const l of links) assert.ok(byLink.has(l), `control plane does not list ${l}`);
  const active = listed.filter((l) => !l.is_revoked).map((l) => l.invite_link);
  assert.deepEqual(active, [links.at(-1)], 'only the last exported link may be active');
  const last = byLink.get(links.at(-1));
  assert.equal(last.is_primary, true);
  assert.equal(last.creator_id, BOT.id);
  assert.equal(last.chat_id, chatId);
  for (const l of links.slice(0, -1)) assert.equal(byLink.get(l).is_revoked, true, `${l} not revoked`);
}

// The exact error body a server must send (spec 1.6: parameters only when it has something).
export function errorBody(code, description, parameters) {
  const body = { ok: false, error_code: code, description };
  if (parameters) body.parameters = parameters;
  return body;
}

// Calls fn and returns what it threw; fails if it did not throw.
export async function thrown(fn) {
  try {
    const value = await fn();
    assert.fail(`expected an error, got ${JSON.stringify(value)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    return err;
  }
}

// Polls `probe` every 50 ms until it returns something truthy, which it returns; fails after
// `timeoutMs` with the last value and, if given, what `diagnose` says.
// `timeoutMs` only bounds how long a broken bot or server is waited for: a slow run (sanitizers,
// busy cores) just takes more tries.
export async function waitFor(what, probe, { timeoutMs = 60000, diagnose } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) {
      const extra = diagnose ? `\n${await diagnose().catch((e) => `diagnose failed: ${e}`)}` : '';
      assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(last)}${extra}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A control-plane call that must succeed; its result.
export async function controlOk(srv, method, path, body) {
  const r = await srv.control(method, path, body);
  assert.equal(r.status, 200, `${method} ${path} -> ${r.status} ${r.text}`);
  assert.equal(r.json?.ok, true, r.text);
  return r.json.result;
}
