// Restarts: links, revocations and joins survive SIGTERM and SIGKILL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  B1,
  GRACE,
  HEIDI,
  IVAN,
  SG_MAIN,
  CH_MAIN,
  GR_MAIN,
  testWorld,
  expectOk,
  exportLink,
  findLink,
  expectJoinOk,
  expectJoinRefused,
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

const EXPIRED = 'Bad Request: INVITE_HASH_EXPIRED';

test('links and revocations survive a clean restart', async () => {
  const l1 = await exportLink(srv, B1.token, SG_MAIN);
  const l2 = await exportLink(srv, B1.token, SG_MAIN);
  const code = await srv.restart();
  assert.equal(code, 0, 'exit code on SIGTERM');

  await expectAlive(srv);
  const e1 = await findLink(srv, SG_MAIN, l1);
  const e2 = await findLink(srv, SG_MAIN, l2);
  assert.equal(e1.is_revoked, true);
  assert.equal(e2.is_revoked, false);
  assert.equal(e2.is_primary, true);
  assert.equal(e2.creator_id, B1.id);
  assert.equal(expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN })).invite_link, l2);

  await expectJoinRefused(srv, GRACE, l1, EXPIRED);
  await expectJoinOk(srv, GRACE, l2, SG_MAIN);

  const l3 = await exportLink(srv, B1.token, SG_MAIN);
  assert.ok(![l1, l2].includes(l3));
  assert.equal((await findLink(srv, SG_MAIN, l2)).is_revoked, true);
  await expectJoinRefused(srv, HEIDI, l2, EXPIRED);
  await expectJoinOk(srv, HEIDI, l3, SG_MAIN);
});

test('joins survive a restart', async () => {
  const link = await exportLink(srv, B1.token, CH_MAIN);
  await expectJoinOk(srv, IVAN, link, CH_MAIN);
  assert.equal(await srv.restart(), 0);
  const entry = await findLink(srv, CH_MAIN, link);
  assert.equal(entry.join_count, 1);
  assert.deepEqual(entry.joins.map((j) => j.user_id), [IVAN]);
  await expectJoinRefused(srv, IVAN, link, 'Bad Request: USER_ALREADY_PARTICIPANT');
  assert.equal(expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: CH_MAIN, user_id: IVAN })).status, 'member');
});

test('an acknowledged export survives SIGKILL', async () => {
  const prev = await exportLink(srv, B1.token, GR_MAIN);
  const acked = await exportLink(srv, B1.token, GR_MAIN);
  await srv.kill();
  await srv.start();
  const e = await findLink(srv, GR_MAIN, acked);
  assert.equal(e.is_revoked, false);
  assert.equal(e.is_primary, true);
  assert.equal((await findLink(srv, GR_MAIN, prev)).is_revoked, true);
  await expectJoinOk(srv, GRACE, acked, GR_MAIN);
  await expectJoinRefused(srv, HEIDI, prev, EXPIRED);
});

test('several acknowledged exports in a row survive SIGKILL', async () => {
  const links = [];
  for (let i = 0; i < 5; i++) links.push(await exportLink(srv, B1.token, SG_MAIN));
  await srv.kill();
  await srv.start();
  for (const l of links.slice(0, -1)) assert.equal((await findLink(srv, SG_MAIN, l)).is_revoked, true, l);
  assert.equal((await findLink(srv, SG_MAIN, links.at(-1))).is_revoked, false);
});

test('the log holds no secrets', () => {
  assertNoSecretsInLogs(srv);
});
