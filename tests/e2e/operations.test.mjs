// Operations (issue 13): GET /metrics in Prometheus's text format, checked with Prometheus's own
// parser (python3-prometheus-client) and against the requests the test made; /healthz and
// /readyz; --log-format json, every line parsed with JSON.parse, request lines with a request id,
// no secret in any line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../support/server.mjs';
import { B1, B2, assertNoSecretsInLogs, expectOk } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// Debian's python, which has Debian's modules (a python3 first on PATH may be another one).
const PYTHON = '/usr/bin/python3';

const ALICE = { id: 100001, first_name: 'Alice' };
const world = () => ({ bots: [{ ...B1 }, { ...B2 }], users: [ALICE], chats: [] });

// Polls an observable state (no fixed sleeps); the deadline only turns a hang into a message.
async function waitFor(what, check) {
  const deadline = Date.now() + 120000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// GET /metrics, parsed by prometheus_client.parser.text_string_to_metric_families.
async function scrape(srv) {
  const res = await fetch(`${srv.base}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  const parsed = spawnSync(PYTHON, [join(here, 'prom_parse.py')], { input: text, encoding: 'utf8' });
  assert.equal(parsed.error, undefined, `cannot run ${PYTHON}: ${parsed.error}`);
  assert.equal(parsed.status, 0, `prometheus_client refused the text:\n${parsed.stderr}\n${text}`);
  const families = JSON.parse(parsed.stdout);
  // Every sample belongs to a family declared with # TYPE and # HELP (a sample before or without
  // them makes a family of type "unknown").
  for (const f of families) {
    assert.ok(['counter', 'gauge', 'histogram'].includes(f.type), `${f.name}: type ${f.type}`);
    assert.ok(f.help.length > 0, `${f.name} has no help`);
  }
  const samples = families.flatMap((f) => f.samples.map((s) => ({ ...s, family: f })));
  // The value of the sample named `name` whose labels include `labels`; 0 if there is none.
  const value = (name, labels = {}) => {
    const found = samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} is ambiguous`);
    return found.length ? found[0].value : 0;
  };
  return { text, families, samples, value };
}

function sendMessage(srv, bot, text) {
  return srv.control('POST', '/messages', { from: ALICE.id, chat_id: bot.id, text });
}

let srv;
before(async () => {
  srv = await startServer({
    world: world(),
    extraArgs: ['--log-level', 'debug', '--log-format', 'json', '--webhook-retry-base-ms', '20'],
  });
});
after(async () => {
  if (srv) await srv.close();
});

test('/metrics parses with Prometheus\'s parser and counts requests by method and status', async () => {
  const m0 = await scrape(srv);
  assert.equal(m0.value('tginvited_build_info', {}), 1);
  assert.equal(m0.value('tginvited_bot_api_requests_total', { method: 'getMe' }), 0);

  for (let i = 0; i < 3; i++) expectOk(await srv.api(B1.token, 'getMe'));
  const wrong = `${B1.id}:${'W'.repeat(35)}`;
  assert.equal((await srv.api(wrong, 'getMe')).status, 401);
  assert.equal((await srv.api(B1.token, 'noSuchMethod')).status, 404);
  assert.equal((await srv.api(B1.token, 'GETME')).status, 200); // names match in any case
  assert.equal((await srv.api(B1.token, 'exportChatInviteLink', { chat_id: -1 })).status, 400);
  assert.equal((await srv.control('GET', '/clock')).status, 200);
  assert.equal((await srv.control('GET', '/clock', undefined, { token: 'nope' })).status, 401);

  const m = await scrape(srv);
  const requests = (method, status) =>
    m.value('tginvited_bot_api_requests_total', { method, status: String(status) });
  assert.equal(requests('getMe', 200), 4);
  assert.equal(requests('getMe', 401), 1);
  assert.equal(requests('unknown', 404), 1);
  assert.equal(requests('exportChatInviteLink', 400), 1);
  assert.equal(m.value('tginvited_control_requests_total', { status: '200' }), 1);
  assert.equal(m.value('tginvited_control_requests_total', { status: '401' }), 1);
  const family = m.families.find((f) => f.name === 'tginvited_bot_api_requests');
  assert.equal(family?.type, 'counter');

  // The latency histogram: one observation per answered request, cumulative buckets.
  const latency = 'tginvited_bot_api_request_duration_seconds';
  assert.equal(m.value(`${latency}_count`, { method: 'getMe' }), 5);
  assert.equal(m.value(`${latency}_count`, { method: 'unknown' }), 1);
  const buckets = m.samples.filter(
    (s) => s.name === `${latency}_bucket` && s.labels.method === 'getMe',
  );
  assert.ok(buckets.length >= 2);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value);
  assert.equal(buckets.at(-1).labels.le, '+Inf');
  assert.equal(buckets.at(-1).value, 5);
  assert.ok(m.value(`${latency}_sum`, { method: 'getMe' }) > 0);

  // The store committed the world file at least, in batches, with its syncs timed: each
  // fdatasync of SQLite's write-ahead log; on PostgreSQL (cluster mode) each round, lock to
  // commit, with the ops it wrote.
  if (srv.store === 'postgres') {
    assert.ok(m.value('tginvited_store_round_seconds_count') >= 1);
    assert.ok(m.value('tginvited_store_round_ops_sum') >= 1);
  } else {
    assert.ok(m.value('tginvited_store_commit_batch_size_count') >= 1);
    assert.ok(m.value('tginvited_store_commit_batch_size_sum') >= 1);
    assert.ok(m.value('tginvited_store_fsync_seconds_count') >= 1);
    assert.equal(m.value('tginvited_store_queue_depth'), 0);
  }
  // fetch keeps its connection to the server open: at least that one.
  assert.ok(m.value('tginvited_open_connections') >= 1);
});

test('/metrics follows updates: pending, handed out by getUpdates, waiting polls', async () => {
  const m0 = await scrape(srv);
  const pending0 = m0.value('tginvited_updates_pending');
  for (const text of ['one', 'two', 'three']) assert.equal((await sendMessage(srv, B1, text)).status, 200);
  const m1 = await scrape(srv);
  assert.equal(m1.value('tginvited_updates_pending'), pending0 + 3);

  const got = expectOk(await srv.api(B1.token, 'getUpdates'));
  assert.equal(got.length, 3);
  const m2 = await scrape(srv);
  assert.equal(
    m2.value('tginvited_updates_sent_total', { via: 'getUpdates' }),
    m0.value('tginvited_updates_sent_total', { via: 'getUpdates' }) + 3,
  );
  assert.equal(m2.value('tginvited_updates_pending'), pending0 + 3); // not confirmed yet

  expectOk(await srv.api(B1.token, 'getUpdates', { offset: got.at(-1).update_id + 1 }));
  assert.equal((await scrape(srv)).value('tginvited_updates_pending'), pending0);

  // A long poll shows as waiting while it waits.
  const poll = srv.api(B1.token, 'getUpdates', { offset: got.at(-1).update_id + 1, timeout: 50 });
  await waitFor('a waiting getUpdates', async () =>
    (await scrape(srv)).value('tginvited_long_polls_waiting') === 1);
  assert.equal((await sendMessage(srv, B1, 'wake')).status, 200);
  assert.equal(expectOk(await poll).length, 1);
  assert.equal((await scrape(srv)).value('tginvited_long_polls_waiting'), 0);
});

test('/metrics counts webhook failures and deliveries', async (t) => {
  // The first POST is refused with 500, the rest accepted.
  let posts = 0;
  const hook = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts += 1;
      res.writeHead(posts === 1 ? 500 : 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((resolve) => hook.listen(0, '127.0.0.1', resolve));
  t.after(() => hook.close());
  const m0 = await scrape(srv);
  const url = `http://127.0.0.1:${hook.address().port}/hook`;
  assert.equal((await srv.api(B2.token, 'setWebhook', { url })).status, 200);
  assert.equal((await sendMessage(srv, B2, 'hello')).status, 200);

  const m = await waitFor('the delivery in the metrics', async () => {
    const s = await scrape(srv);
    return s.value('tginvited_updates_sent_total', { via: 'webhook' }) >
      m0.value('tginvited_updates_sent_total', { via: 'webhook' }) && s;
  });
  assert.equal(m.value('tginvited_updates_sent_total', { via: 'webhook' }),
    m0.value('tginvited_updates_sent_total', { via: 'webhook' }) + 1);
  assert.equal(m.value('tginvited_webhook_failures_total'),
    m0.value('tginvited_webhook_failures_total') + 1);
  assert.equal(posts, 2);
  assert.equal((await srv.api(B2.token, 'deleteWebhook')).status, 200);
});

test('/healthz and /readyz answer without the control token; other verbs are refused', async () => {
  let res = await fetch(`${srv.base}/healthz`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok\n');
  res = await fetch(`${srv.base}/readyz`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ready\n');
  for (const path of ['/metrics', '/healthz', '/readyz']) {
    res = await fetch(`${srv.base}${path}`, { method: 'POST', body: 'x' });
    assert.equal(res.status, 405, path);
    assert.equal(res.headers.get('allow'), 'GET');
  }
  // A path that only starts like them is still the Bot API's.
  res = await fetch(`${srv.base}/metricsx`);
  assert.equal(res.status, 404);
  assert.equal((await res.json()).description, 'Not Found');
});

// The JSON lines of the server's log so far.
// The complete lines of the server's log so far (one still being received is left out).
const logLines = () => srv.logs().split('\n').slice(0, -1);
const jsonLog = () => logLines().map((l) => JSON.parse(l));

test('--log-format json: a line written for a request carries its request id', async () => {
  // A fault's lines are written once the engine has answered: the control plane's when it is
  // set, the Bot API's when it answers a call. (Here at once, on the request's thread; after a
  // wait for the store, on the store's thread, which this test does not force.)
  const set = await srv.control('POST', '/faults', {
    bot_id: B1.id, method: 'getChat', count: 1, retry_after: 3,
  });
  assert.equal(set.status, 200, set.text);
  assert.equal((await srv.api(B1.token, 'getChat', { chat_id: ALICE.id })).status, 429);
  // The server wrote its lines before it answered, but its stderr may reach us after the answer.
  const used = (e) => e.component === 'faults' && /getChat answered 429 from a fault/.test(e.message);
  const getChat = (e) => e.message.startsWith(`request POST /bot${B1.id}:***/getChat -> 429 `);
  const log = await waitFor('the log lines of the fault used', () => {
    const entries = jsonLog();
    return entries.some(used) && entries.some(getChat) && entries;
  });
  const idOf = (what, pred) => {
    const found = log.filter(pred);
    assert.equal(found.length, 1, `${what}: ${JSON.stringify(found)}`);
    assert.ok(found[0].request_id, `${what} has no request id: ${JSON.stringify(found[0])}`);
    return found[0].request_id;
  };
  assert.equal(
    idOf('the fault set', (e) => e.component === 'faults' && /: the next 1 calls of getChat /.test(e.message)),
    idOf('POST /faults', (e) => e.message.startsWith('request POST /control/v1/faults -> 200 ')),
  );
  assert.equal(
    idOf('the fault used', used),
    idOf('getChat', getChat),
  );
});

test('--log-format json: every line one JSON object, request lines with ids, no secrets', async () => {
  expectOk(await srv.api(B1.token, 'getMe'));
  // The line of that getMe may reach us after its answer.
  const getMeLine = (l) => l.includes(`"message":"request POST /bot${B1.id}:***/getMe -> 200 in `);
  await waitFor('the log line of getMe', () => logLines().some(getMeLine));
  const lines = logLines();
  assert.ok(lines.length > 10, srv.logs());
  const ids = new Set();
  let requestLines = 0;
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line);
    assert.ok(['debug', 'info', 'warn', 'error'].includes(entry.level), line);
    assert.equal(typeof entry.component, 'string', line);
    assert.equal(typeof entry.message, 'string', line);
    if (entry.message.startsWith('request ')) {
      requestLines += 1;
      assert.equal(entry.level, 'debug', line);
      assert.match(entry.request_id, /^[A-Za-z0-9_-]+-\d+$/, line);
      assert.ok(!ids.has(entry.request_id), `request id used twice: ${line}`);
      ids.add(entry.request_id);
    }
  }
  assert.ok(requestLines >= 20, `request lines: ${requestLines}`);
  assertNoSecretsInLogs(srv, [`${B1.id}:${'W'.repeat(35)}`]);
});
