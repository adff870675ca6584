// Cluster faults: several tginvited on one PostgreSQL schema (--db postgresql://...) behave as
// one server through an instance killed with SIGKILL under load, PostgreSQL restarted under load
// (fast, then immediate), and a long poll on one instance woken by a commit on another.
//
// Starts a private PostgreSQL 15 with scripts/pg.sh (it restarts it), in a short folder under
// /tmp (the Unix socket's path is limited); skipped without /usr/lib/postgresql/15/bin/initdb,
// or failed with TGINVITE_REQUIRE_POSTGRES=1 (scripts/test.sh sets it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startServer } from '../support/server.mjs';
import { B1, B2, ALICE, SG_MAIN } from './helpers.mjs';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const PG_SH = resolve(dirname(fileURLToPath(import.meta.url)), '../../scripts/pg.sh');
const NO_PG = existsSync(`${PG_BIN}/initdb`)
  ? false
  : `no PostgreSQL 15 (${PG_BIN}/initdb is missing: apt-get install postgresql-15)`;
// A missing PostgreSQL fails the tests instead of skipping them when TGINVITE_REQUIRE_POSTGRES=1.
const REQUIRED = process.env.TGINVITE_REQUIRE_POSTGRES === '1';
const SKIP = REQUIRED ? false : NO_PG;

// Users who join through links, one per join: ids JOINER0, JOINER0 + 1, ...
const JOINER0 = 300000;
const JOINERS = 2000;

function clusterWorld() {
  const users = [{ id: ALICE, first_name: 'Alice', username: 'alice' }];
  for (let i = 0; i < JOINERS; ++i) users.push({ id: JOINER0 + i, first_name: `Joiner ${i}` });
  const rights = { can_invite_users: true, can_manage_chat: true };
  return {
    bots: [B1, B2].map((b) => ({ ...b })),
    users,
    chats: [
      {
        id: SG_MAIN,
        type: 'supergroup',
        title: 'Cluster',
        members: [
          { user_id: ALICE, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights },
          { user_id: B2.id, status: 'administrator', rights },
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

let pgDir = null;

function pgSync(...args) {
  const r = spawnSync('bash', [PG_SH, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg.sh ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout.trim();
}

function pgAsync(...args) {
  return new Promise((resolveRun, rejectRun) => {
    execFile('bash', [PG_SH, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) rejectRun(new Error(`pg.sh ${args.join(' ')} failed:\n${stderr}`));
      else resolveRun(stdout.trim());
    });
  });
}

// Runs SQL with psql (search_path: `schema`), answers the rows as arrays of fields.
function psql(sql, schema = 'public') {
  const r = spawnSync(
    `${PG_BIN}/psql`,
    ['-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', `${pgDir}/sock`, '-p', '5432',
      '-U', 'tginvite', '-d', 'tginvite', '-c', sql],
    { encoding: 'utf8', env: { ...process.env, PGOPTIONS: `-csearch_path=${schema}` } },
  );
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

function dbUri(schema) {
  const q = new URLSearchParams({
    host: `${pgDir}/sock`,
    port: '5432',
    user: 'tginvite',
    options: `-csearch_path=${schema}`,
  });
  return `postgresql:///tginvite?${q.toString()}`;
}

const servers = [];

// An instance on `schema`. The world is loaded through the control plane, not --world, so that a
// restart does not load it again over what the cluster did since.
// The Bot API requests `srv`'s /metrics counts (tginvited_bot_api_requests_total over every
// method and status): the cluster's, or with scope=instance that instance's alone.
async function requestsCounted(srv, scope = '') {
  const res = await fetch(`${srv.base}/metrics${scope}`);
  assert.equal(res.status, 200);
  let n = 0;
  for (const line of (await res.text()).split('\n')) {
    if (line.startsWith('tginvited_bot_api_requests_total{')) n += Number(line.split(' ').at(-1));
  }
  return n;
}

async function startInstance(schema, { world = null } = {}) {
  const srv = await startServer({ db: dbUri(schema) });
  servers.push(srv);
  if (world) ok(await srv.control('POST', '/world', world), 'loading the world');
  return srv;
}

before(() => {
  if (NO_PG && REQUIRED) throw new Error(`${NO_PG}, and TGINVITE_REQUIRE_POSTGRES=1 makes that a failure`);
  if (SKIP) return;
  pgDir = mkdtempSync('/tmp/tgi-cf-');
  pgSync('start', pgDir);
  for (const s of ['kill9', 'pgrestart', 'wake']) psql(`CREATE SCHEMA ${s}`);
});

after(async () => {
  for (const srv of servers) {
    try {
      await srv.close();
    } catch {
      // already gone
    }
  }
  if (pgDir) {
    try {
      pgSync('stop', pgDir);
    } finally {
      rmSync(pgDir, { recursive: true, force: true });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Requests

const REQUEST_MS = 30000;

// A request that cannot hang the test: answers { status, json, text } or, when no answer came
// (connection refused or reset, or no answer in 30 s), { status: 0, text: why }.
async function attempt(fn) {
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(() => r({ status: 0, text: `no answer in ${REQUEST_MS} ms` }), REQUEST_MS);
  });
  try {
    return await Promise.race([
      fn().catch((e) => ({ status: 0, text: `${e.message} ${e.cause?.message ?? ''}` })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function isOk(res) {
  return res.status === 200 && res.json?.ok === true;
}

function ok(res, what) {
  assert.ok(isOk(res), `${what}: ${res.status} ${res.text}`);
  return res.json.result;
}

function hashOf(link) {
  const m = /^https:\/\/t\.me\/\+([A-Za-z0-9_-]+)$/.exec(link);
  assert.ok(m, `link shape: ${link}`);
  return m[1];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, ms = 15000) {
  const end = performance.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (performance.now() > end) assert.fail(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

async function allMembers(srv, chatId) {
  const out = [];
  let after = null;
  for (;;) {
    const q = after === null ? '?limit=1000' : `?limit=1000&after=${after}`;
    const page = ok(await srv.control('GET', `/chats/${chatId}/members${q}`), 'members');
    out.push(...page.items);
    if (page.next_after === undefined) return out;
    after = page.next_after;
  }
}

// What an instance shows of the chat: its links (with their joins), messages and members.
async function snapshot(srv) {
  return {
    links: ok(await srv.control('GET', `/chats/${SG_MAIN}/invite-links`), 'links'),
    messages: ok(await srv.control('GET', `/chats/${SG_MAIN}/messages`), 'messages'),
    members: await allMembers(srv, SG_MAIN),
  };
}

// Stops the instances with SIGTERM: each exits 0 (a sanitizer's report would not), and its log
// has no sanitizer report.
async function stopAll(...instances) {
  for (const srv of instances) {
    const code = await srv.stop();
    assert.equal(code, 0, `an instance exited ${code}:\n${srv.logs().slice(-4000)}`);
    assert.doesNotMatch(srv.logs(), /Sanitizer|runtime error/, 'no sanitizer report');
  }
}

function assertOneActivePrimary(schema) {
  const rows = psql(
    'SELECT chat_id, creator_id, count(*) FROM invite_links ' +
      'WHERE is_primary AND NOT is_revoked GROUP BY 1,2 HAVING count(*) > 1',
    schema,
  );
  assert.deepEqual(rows, [], 'at most one active primary link per admin and chat');
}

// ---------------------------------------------------------------------------------------------
// 1. kill -9 of one instance under mixed load

test('kill -9 of one of two instances under mixed load: the other serves on, nothing acknowledged is lost', { skip: SKIP }, async () => {
  const a = await startInstance('kill9', { world: clusterWorld() });
  const b = await startInstance('kill9');
  const joinLink = ok(
    await a.api(B1.token, 'createChatInviteLink', { chat_id: SG_MAIN, name: 'joins' }),
    'the joins link',
  ).invite_link;

  const acked = { links: new Set(), joins: new Set(), messages: new Map() };
  const log = { a: { ok: 0, failed: 0 }, b: { ok: 0, failed: 0 } };
  const bFailures = [];
  let nextUser = JOINER0;
  let nextText = 0;
  let aDead = false;
  let stop = false;

  const ops = [
    async (srv, bot) => {
      const res = await attempt(() => srv.api(bot.token, 'exportChatInviteLink', { chat_id: SG_MAIN }));
      if (isOk(res)) acked.links.add(hashOf(res.json.result));
      return res;
    },
    async (srv, bot) => {
      const res = await attempt(() =>
        srv.api(bot.token, 'createChatInviteLink', { chat_id: SG_MAIN, name: `n${nextText++}` }),
      );
      if (isOk(res)) acked.links.add(hashOf(res.json.result.invite_link));
      return res;
    },
    async (srv, bot) => {
      // (Past the world's joiners, a message instead.)
      if (nextUser >= JOINER0 + JOINERS - 10) return ops[3](srv, bot);
      const user = nextUser++;
      const res = await attempt(() => srv.control('POST', '/join', { user_id: user, invite_link: joinLink }));
      if (isOk(res)) acked.joins.add(user);
      return res;
    },
    async (srv, bot) => {
      const text = `m${nextText++}`;
      const res = await attempt(() => srv.api(bot.token, 'sendMessage', { chat_id: SG_MAIN, text }));
      if (isOk(res)) acked.messages.set(res.json.result.message_id, text);
      return res;
    },
  ];

  // Three workers per instance on the mix, and one long poller per instance (B1's on A, B2's on
  // B: a bot has one getUpdates at a time).
  const record = (name, what, res) => {
    if (isOk(res)) {
      log[name].ok++;
    } else {
      log[name].failed++;
      if (name === 'b') bFailures.push(`${what}: ${res.status} ${res.text}`);
    }
  };
  const worker = async (name, srv, w) => {
    for (let i = w; !stop && !(name === 'a' && aDead); ++i) {
      const bot = i % 2 ? B1 : B2;
      const op = ops[i % ops.length];
      record(name, `op ${i % ops.length}`, await op(srv, bot));
    }
  };
  const poller = async (name, srv, bot) => {
    let offset = 0;
    while (!stop && !(name === 'a' && aDead)) {
      const res = await attempt(() => srv.api(bot.token, 'getUpdates', { offset, timeout: 1 }));
      record(name, 'getUpdates', res);
      if (isOk(res) && res.json.result.length) offset = res.json.result.at(-1).update_id + 1;
    }
  };
  const loops = [];
  for (const [name, srv, bot] of [['a', a, B1], ['b', b, B2]]) {
    for (let w = 0; w < 3; ++w) loops.push(worker(name, srv, w));
    loops.push(poller(name, srv, bot));
  }

  await sleep(1500);
  const aBefore = log.a.ok;
  const bBefore = log.b.ok;
  aDead = true;
  const aProc = a.proc;
  await a.kill();
  assert.equal(aProc.child.signalCode, 'SIGKILL');
  await sleep(1500);
  stop = true;
  await Promise.all(loops);

  console.log(
    `kill -9: A answered ${aBefore} ok (${log.a.failed} failed, in flight at the kill), ` +
      `B answered ${log.b.ok} ok (${log.b.ok - bBefore} after the kill), ${log.b.failed} failed; ` +
      `acknowledged: ${acked.links.size} links, ${acked.joins.size} joins, ${acked.messages.size} messages`,
  );
  assert.ok(aBefore > 0, 'A served before the kill');
  assert.ok(log.b.ok - bBefore > 0, 'B served after the kill');
  assert.deepEqual(bFailures, [], 'every request to B answered ok');
  assert.ok(acked.links.size > 0 && acked.joins.size > 0 && acked.messages.size > 0, 'every kind of write was acknowledged');

  // Every acknowledged write is in B's world.
  const seen = await snapshot(b);
  const linkHashes = new Set(seen.links.map((l) => hashOf(l.invite_link)));
  for (const h of acked.links) assert.ok(linkHashes.has(h), `acknowledged link ${h} is listed`);
  const joined = new Set(
    seen.links.find((l) => l.invite_link === joinLink).joins.map((j) => j.user_id),
  );
  const statuses = new Map(seen.members.map((m) => [m.user.id, m.status]));
  for (const u of acked.joins) {
    assert.ok(joined.has(u), `acknowledged join of ${u} is listed on the link`);
    assert.equal(statuses.get(u), 'member', `user ${u} is a member`);
  }
  const texts = new Map(seen.messages.map((m) => [m.message_id, m.text]));
  for (const [id, text] of acked.messages) {
    assert.equal(texts.get(id), text, `acknowledged message ${id} is listed`);
  }
  assertOneActivePrimary('kill9');
  // B's /metrics answers for the cluster: the killed A (whose entry is left) is waited for, then
  // left out, so it counts B's requests alone.
  const bOwn = await requestsCounted(b, '?scope=instance');
  assert.ok(bOwn > 0);
  assert.equal(await requestsCounted(b), bOwn, "B's /metrics without the killed A");

  // A restarted on the same schema, and a fresh instance, see the same.
  await a.start();
  const c = await startInstance('kill9');
  assert.deepEqual(await snapshot(a), seen, 'the restarted A sees what B sees');
  assert.deepEqual(await snapshot(c), seen, 'a fresh instance sees what B sees');
  // And they serve: a change on one is seen by the other.
  const fresh = ok(await a.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }), 'export on A');
  await waitFor('the export on A seen by B', async () =>
    ok(await b.control('GET', `/chats/${SG_MAIN}/invite-links`), 'links').some((l) => l.invite_link === fresh),
  );
  // And each one's /metrics sums the three.
  let own = 0;
  for (const srv of [a, b, c]) own += await requestsCounted(srv, '?scope=instance');
  for (const srv of [a, b, c]) assert.equal(await requestsCounted(srv), own, 'the three summed');
  await stopAll(a, b, c);
});

// ---------------------------------------------------------------------------------------------
// 2. PostgreSQL restarted under load

test('PostgreSQL restarted under load (fast, then immediate): errors only in the gap, then every request succeeds, nothing acknowledged lost', { skip: SKIP }, async () => {
  const schema = 'pgrestart';
  const a = await startInstance(schema, { world: clusterWorld() });
  const b = await startInstance(schema);
  const acked = new Set();
  const calls = []; // { inst, t0, t1, ok, status, text }
  let stop = false;

  const worker = async (inst, srv, bot) => {
    while (!stop) {
      const t0 = performance.now();
      const res = await attempt(() => srv.api(bot.token, 'exportChatInviteLink', { chat_id: SG_MAIN }));
      const t1 = performance.now();
      const good = isOk(res);
      if (good) acked.add(hashOf(res.json.result));
      calls.push({ inst, t0, t1, ok: good, status: res.status, text: res.text });
      // A failed round answers at once: do not spin while PostgreSQL is away.
      if (!good) await sleep(20);
    }
  };
  // Both bots on both instances: the exports of one admin race across the instances.
  const loops = [];
  for (const [inst, srv] of [['A', a], ['B', b]]) {
    for (const bot of [B1, B2]) loops.push(worker(inst, srv, bot));
  }

  const figures = [];
  try {
    await sleep(800);
    for (const mode of ['fast', 'immediate']) {
      const from = calls.length;
      const tRestart = performance.now();
      await pgAsync('restart', pgDir, mode);
      const tBack = performance.now();
      // Recovered: each instance answered 5 exports in a row, sent after PostgreSQL was back.
      const recoveredAt = {};
      await waitFor(`both instances serve again after the ${mode} restart`, async () => {
        for (const inst of ['A', 'B']) {
          if (recoveredAt[inst]) continue;
          const mine = calls.slice(from).filter((c) => c.inst === inst && c.t0 > tBack);
          if (mine.length >= 5 && mine.slice(-5).every((c) => c.ok)) {
            recoveredAt[inst] = mine.find((c) => c.ok).t1;
          }
        }
        return recoveredAt.A && recoveredAt.B;
      }, 30000);
      // Then a second of load that must all succeed.
      const steady = calls.length;
      await sleep(1000);
      const during = calls.slice(from, steady);
      const failed = during.filter((c) => !c.ok);
      // Late: sent to an instance after it first answered ok once PostgreSQL was back.
      const late = calls.slice(from).filter((c) => !c.ok && c.t0 > recoveredAt[c.inst]);
      const gap = failed.length
        ? Math.max(...failed.map((c) => c.t1)) - Math.min(...failed.map((c) => c.t0))
        : 0;
      const recovered = Math.max(recoveredAt.A, recoveredAt.B) - tBack;
      // The notice connections came back too: each instance has its notice connection again
      // (application_name 'tginvited notices'; it LISTENs first thing, then also renews the
      // delivery lease and sends broadcasts on it, so its last query says little). A lost notice
      // would only delay a catch-up to the next second, so only the database can tell.
      const tListen = performance.now();
      await waitFor(`both instances LISTEN again after the ${mode} restart`, () =>
        psql(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tginvited notices'`)[0][0] === '2',
      );
      figures.push(
        `${mode}: PostgreSQL down and up in ${(tBack - tRestart).toFixed(0)} ms; ` +
          `${failed.length} of ${during.length} requests failed over ${gap.toFixed(0)} ms; ` +
          `both instances served again ${recovered.toFixed(0)} ms after it was back, ` +
          `listening again ${(performance.now() - tBack).toFixed(0)} ms after ` +
          `(waited ${(performance.now() - tListen).toFixed(0)} ms)` +
          (failed.length ? `; a failure: ${failed[0].status} ${failed[0].text}` : ''),
      );
      console.log(figures.at(-1));
      for (const c of failed) {
        // A failed round answers 500 with the envelope; the instance did not crash or hang.
        assert.equal(c.status, 500, `a failure during the ${mode} restart is a 500: ${c.status} ${c.text}`);
        assert.equal(c.text.startsWith('{"ok":false,"error_code":500,'), true, c.text);
        assert.ok(c.t1 >= tRestart, `a request failed before the ${mode} restart: ${c.text}`);
        assert.ok(c.t0 < tBack + 10000, `a request failed 10 s after PostgreSQL was back (${mode}): ${c.text}`);
      }
      assert.deepEqual(
        late.map((c) => `${c.inst}: ${c.status} ${c.text}`),
        [],
        `every request succeeds after the ${mode} restart`,
      );
      for (const inst of ['A', 'B']) {
        assert.ok(calls.slice(steady).some((c) => c.inst === inst), `${inst} served after the ${mode} restart`);
      }
      assert.equal(a.proc.child.exitCode, null, 'A is running');
      assert.equal(b.proc.child.exitCode, null, 'B is running');
    }
  } finally {
    stop = true;
    await Promise.all(loops);
  }

  // A restart while the instances are idle: their once-a-second catch-up finds the connection
  // lost and makes a new one, so the first request after that succeeds, on both instances.
  const tIdle = performance.now();
  await pgAsync('restart', pgDir, 'fast');
  console.log(`idle: PostgreSQL down and up in ${(performance.now() - tIdle).toFixed(0)} ms`);
  await sleep(3000);
  for (const [inst, srv] of [['A', a], ['B', b]]) {
    for (const bot of [B1, B2]) {
      const res = await attempt(() => srv.api(bot.token, 'exportChatInviteLink', { chat_id: SG_MAIN }));
      assert.ok(isOk(res), `${inst}: the first request 3 s after an idle restart: ${res.status} ${res.text}`);
      acked.add(hashOf(res.json.result));
    }
  }

  // Nothing acknowledged is lost, and the invariant holds.
  const inDb = new Set(psql('SELECT hash FROM invite_links', schema).map((r) => r[0]));
  const lost = [...acked].filter((h) => !inDb.has(h));
  assert.deepEqual(lost, [], `every acknowledged link (${acked.size}) is in the database`);
  assertOneActivePrimary(schema);
  // Both instances show the database's links (they reloaded after their failed rounds).
  const listed = async (srv) =>
    ok(await srv.control('GET', `/chats/${SG_MAIN}/invite-links`), 'links')
      .map((l) => `${hashOf(l.invite_link)} ${l.creator_id} ${l.is_primary} ${l.is_revoked}`)
      .sort();
  const db = psql(
    `SELECT hash, creator_id, is_primary, is_revoked FROM invite_links WHERE chat_id = ${SG_MAIN}`,
    schema,
  )
    .map(([h, c, p, r]) => `${h} ${c} ${p === 't'} ${r === 't'}`)
    .sort();
  assert.deepEqual(await listed(a), db, 'A shows the links of the database');
  assert.deepEqual(await listed(b), db, 'B shows the links of the database');
  await stopAll(a, b);
});

// ---------------------------------------------------------------------------------------------
// 3. A long poll on one instance woken by a commit on another

test('a getUpdates parked on instance B wakes within 1 s when instance A commits an update for the bot', { skip: SKIP }, async () => {
  const a = await startInstance('wake', { world: clusterWorld() });
  const b = await startInstance('wake');
  const link = ok(
    await a.api(B1.token, 'createChatInviteLink', { chat_id: SG_MAIN, name: 'wake' }),
    'a link',
  ).invite_link;
  const allowed = ['message', 'chat_member'];
  // Nothing is queued for the bot yet (the world's load makes no update). No getUpdates before
  // the first poll: a second call with the same offset soon after the first gets limit=1 (the
  // guards of a bot polling in a loop), which would cut the answer to one update.
  assert.deepEqual(ok(await b.control('GET', `/bots/${B1.id}/updates`), 'updates').updates, []);
  let offset = 0;

  const latencies = [];
  for (let i = 0; i < 3; ++i) {
    const user = JOINER0 + i;
    const poll = b.api(B1.token, 'getUpdates', { offset, timeout: 20, allowed_updates: allowed });
    let tWake = 0;
    poll.then(() => (tWake = performance.now()));
    await waitFor('the poll parked on B', async () =>
      ok(await b.control('GET', `/bots/${B1.id}/long-poll`), 'long-poll').waiting === true,
    );
    const tSend = performance.now();
    ok(await a.control('POST', '/join', { user_id: user, invite_link: link }), 'join on A');
    const tAck = performance.now();
    const updates = ok(await poll, 'the woken poll');
    const latency = tWake - tAck;
    latencies.push(latency);
    console.log(
      `wake ${i + 1}: the poll on B answered ${latency.toFixed(1)} ms after A acknowledged the join ` +
        `(${(tWake - tSend).toFixed(1)} ms after it was sent)`,
    );
    assert.ok(updates.length > 0, 'woken with updates');
    const member = updates.find((u) => u.chat_member);
    assert.ok(member, `a chat_member update: ${JSON.stringify(updates)}`);
    assert.equal(member.chat_member.chat.id, SG_MAIN);
    assert.equal(member.chat_member.new_chat_member.user.id, user);
    assert.equal(member.chat_member.new_chat_member.status, 'member');
    assert.equal(member.chat_member.invite_link?.invite_link, link);
    const message = updates.find((u) => u.message);
    assert.ok(message, `a message update: ${JSON.stringify(updates)}`);
    assert.deepEqual(message.message.new_chat_members.map((m) => m.id), [user]);
    for (const u of updates) assert.ok(u.update_id >= offset);
    offset = updates.at(-1).update_id + 1;
    assert.ok(latency < 1000, `the poll on B woke ${latency.toFixed(0)} ms after the commit on A`);
  }
  console.log(`wake latencies (ms): ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
  await stopAll(a, b);
});
