// Load driver of bench/updates.sh (plain Node 18+, no npm packages): BOTS bots long-poll
// getUpdates while CONCURRENCY workers make users join the bots' chats through invite links with
// POST /control/v1/join. Each join gives one chat_member update to its chat's bot; the driver
// matches every update to its join by (chat id, user id).
//
// Per round it measures, over a fixed window of SECONDS: the joins accepted per second and the
// updates received per second by the pollers (both counted by when the answer arrived inside the
// window); then it stops joining, waits for the update of every accepted join (the drain), and
// checks that the updates received equal the joins accepted. Over all the round's joins it gives
// the join-to-update latency (from sending the POST to the poller having parsed the update) and
// the latency of the POST itself. Prints one line per round, then medians over the rounds.
//
// The world is the one of bench/make_updates_world.py (same --bots and --users). Join number k of
// the run (counted across rounds) is user 200000 + floor(k / BOTS) joining chat (k mod BOTS), so no
// pair repeats and no leave is needed: USERS * BOTS joins in all.
//
//   node bench/updates_load.mjs --url http://127.0.0.1:PORT --control-token T [--bots 100]
//     [--users 20000] [--rounds 3] [--seconds 10] [--concurrency 64] [--drain 20]
//     [--server-pid PID] [--clk-tck 100] [--server-threads N (only printed)]
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const opt = {
  url: 'http://127.0.0.1:8081',
  'control-token': 'bench',
  bots: 100,
  users: 20000,
  rounds: 3,
  seconds: 10,
  concurrency: 64,
  drain: 20,
  'server-pid': 0,
  'clk-tck': 100,
  'server-threads': '?',
};
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in opt) || i + 1 >= process.argv.length) {
    console.error(`updates_load.mjs: unknown or incomplete option ${process.argv[i]}`);
    process.exit(2);
  }
  opt[key] = typeof opt[key] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const base = new URL(opt.url);
const BOTS = opt.bots;
const ALLOWED = ['chat_member', 'chat_join_request', 'my_chat_member'];
const POLL_TIMEOUT = 30;

const botId = (i) => 7100000000 + i; // i is 1-based, as in make_updates_world.py
const botToken = (i) => `${botId(i)}:BenchUpdates${String(i).padStart(12, '0')}xxxxxxxxxx`;
const chatId = (i) => -1002000000000 - i;

// Separate keep-alive pools: one connection per poller, CONCURRENCY for the joins.
const pollAgent = new http.Agent({ keepAlive: true, maxSockets: BOTS + 8 });
const joinAgent = new http.Agent({ keepAlive: true, maxSockets: opt.concurrency });

function request(agent, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: data === undefined
          ? headers
          : { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = { ok: false, description: `HTTP ${res.statusCode}, not JSON: ${text.slice(0, 80)}` };
          }
          resolve(json);
        });
        res.on('error', reject);
      },
    );
    req.setTimeout((POLL_TIMEOUT + 15) * 1000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function serverCpuSeconds() {
  if (!opt['server-pid']) return NaN;
  try {
    // Fields after the command name (which is in parentheses); utime and stime are 14 and 15.
    const stat = fs.readFileSync(`/proc/${opt['server-pid']}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / opt['clk-tck'];
  } catch {
    return NaN;
  }
}

function serverThreads() {
  try {
    const m = fs.readFileSync(`/proc/${opt['server-pid']}/status`, 'utf8').match(/^Threads:\s+(\d+)/m);
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// ---- shared state of the current round -------------------------------------------------------
const pending = new Map(); // "chat:user" -> send time (ms), for joins whose update has not come
let round = null; // counters of the current round
let stopping = false;
let pollErrors = 0;
const pollErrorTexts = new Map();

function onUpdate(u, t) {
  const m = u.chat_member;
  const key = m ? `${m.chat.id}:${m.new_chat_member.user.id}` : '';
  const sent = pending.get(key);
  if (!round) return;
  if (sent === undefined) {
    round.unexpected++;
    return;
  }
  pending.delete(key);
  round.received++;
  round.latencies.push(t - sent);
  if (t >= round.w0 && t < round.w1) round.windowUpdates++;
}

async function poller(i) {
  const token = botToken(i);
  // First call: sets allowed_updates (chat_member is not in the default set, so it must be set
  // before the first join) without waiting; the loop then long-polls with timeout=30.
  const q = encodeURIComponent(JSON.stringify(ALLOWED));
  const first = await request(pollAgent, 'GET', `/bot${token}/getUpdates?timeout=0&allowed_updates=${q}`);
  if (!first.ok) throw new Error(`bot ${i}: first getUpdates: ${first.description}`);
  let offset = 0;
  for (const u of first.result) offset = u.update_id + 1;
  return async () => {
    while (!stopping) {
      let r;
      try {
        r = await request(pollAgent, 'GET', `/bot${token}/getUpdates?offset=${offset}&timeout=${POLL_TIMEOUT}`);
      } catch (e) {
        if (stopping) return;
        r = { ok: false, description: String(e.message) };
      }
      const t = performance.now();
      if (round) round.polls++;
      if (!r.ok) {
        pollErrors++;
        pollErrorTexts.set(r.description, (pollErrorTexts.get(r.description) || 0) + 1);
        await sleep(100);
        continue;
      }
      if (round && r.result.length) round.nonEmptyPolls++;
      for (const u of r.result) {
        offset = u.update_id + 1;
        onUpdate(u, t);
      }
    }
  };
}

// ---- setup -----------------------------------------------------------------------------------
const auth = { Authorization: `Bearer ${opt['control-token']}` };
const links = new Array(BOTS + 1);
await Promise.all(
  Array.from({ length: BOTS }, async (_, n) => {
    const i = n + 1;
    const r = await request(joinAgent, 'POST', `/bot${botToken(i)}/createChatInviteLink`, {
      chat_id: chatId(i),
      member_limit: 0,
    });
    if (!r.ok) throw new Error(`bot ${i}: createChatInviteLink: ${r.description}`);
    links[i] = r.result.invite_link;
  }),
);
const loops = await Promise.all(Array.from({ length: BOTS }, (_, n) => poller(n + 1)));
const pollers = loops.map((loop) => loop());
await sleep(300); // let every poller park its first long poll

let nextJoin = 0;
const capacity = opt.users * BOTS;

async function joinWorker() {
  while (performance.now() < round.w1) {
    const k = nextJoin++;
    if (k >= capacity) {
      round.exhausted = true;
      return;
    }
    const chat = (k % BOTS) + 1;
    const user = 200000 + Math.floor(k / BOTS);
    const key = `${chatId(chat)}:${user}`;
    const sent = performance.now();
    pending.set(key, sent);
    round.sent++;
    let r;
    try {
      r = await request(joinAgent, 'POST', '/control/v1/join', { user_id: user, invite_link: links[chat] }, auth);
    } catch (e) {
      r = { ok: false, description: String(e.message) };
    }
    const t = performance.now();
    if (r.ok && r.result.status === 'joined') {
      round.accepted++;
      round.joinLatencies.push(t - sent);
      if (t < round.w1) round.windowJoins++;
    } else {
      pending.delete(key);
      const d = r.ok ? `status ${r.result.status}` : r.description;
      round.joinErrors.set(d, (round.joinErrors.get(d) || 0) + 1);
    }
  }
}

// ---- rounds ----------------------------------------------------------------------------------
const cpus = os.cpus().length;
console.log(
  `context: server --threads ${opt['server-threads']} (${serverThreads()} OS threads), ` +
    `${cpus} CPUs, ${BOTS} bots polling (1 supergroup each), ${opt.concurrency} concurrent joins, ` +
    `${opt.seconds} s window, ${opt.rounds} rounds, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ` +
    `node ${process.version}`,
);
const results = [];
for (let r = 1; r <= opt.rounds; r++) {
  const w0 = performance.now();
  round = {
    w0,
    w1: w0 + opt.seconds * 1000,
    sent: 0,
    accepted: 0,
    windowJoins: 0,
    received: 0,
    windowUpdates: 0,
    unexpected: 0,
    polls: 0,
    nonEmptyPolls: 0,
    latencies: [],
    joinLatencies: [],
    joinErrors: new Map(),
    exhausted: false,
  };
  const cpu0 = serverCpuSeconds();
  const drv0 = process.cpuUsage();
  const workers = Array.from({ length: opt.concurrency }, () => joinWorker());
  await sleep(Math.max(0, round.w1 - performance.now()));
  const cpu1 = serverCpuSeconds();
  const drv1 = process.cpuUsage(drv0);
  await Promise.all(workers);
  const drainEnd = performance.now() + opt.drain * 1000;
  while (pending.size && performance.now() < drainEnd) await sleep(20);
  await sleep(200); // catch duplicates or strays, if any
  const lat = [...round.latencies].sort((a, b) => a - b);
  const jl = [...round.joinLatencies].sort((a, b) => a - b);
  const res = {
    round: r,
    joinsPerSec: round.windowJoins / opt.seconds,
    updatesPerSec: round.windowUpdates / opt.seconds,
    accepted: round.accepted,
    received: round.received,
    missing: pending.size,
    unexpected: round.unexpected,
    joinErrors: [...round.joinErrors].map(([d, n]) => `${n}x ${d}`).join('; '),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    count: lat.length,
    joinP50: percentile(jl, 50),
    joinP99: percentile(jl, 99),
    updatesPerPoll: round.nonEmptyPolls ? round.received / round.nonEmptyPolls : NaN,
    polls: round.polls,
    serverCpuUsPerJoin: ((cpu1 - cpu0) * 1e6) / round.windowJoins,
    serverCores: (cpu1 - cpu0) / opt.seconds,
    driverCores: (drv1.user + drv1.system) / 1e6 / opt.seconds,
    exhausted: round.exhausted,
  };
  results.push(res);
  console.log(
    `round ${r}/${opt.rounds}: joins ${res.joinsPerSec.toFixed(0)}/s, updates ${res.updatesPerSec.toFixed(0)}/s ` +
      `(in the ${opt.seconds} s window); joins accepted ${res.accepted}, updates received ${res.received}` +
      `${res.accepted === res.received && !res.missing && !res.unexpected ? ' (equal)' : ' (NOT EQUAL)'}, ` +
      `missing ${res.missing}, unexpected ${res.unexpected}; join->update p50 ${res.p50.toFixed(1)} ms, ` +
      `p99 ${res.p99.toFixed(1)} ms (n=${res.count}); join POST p50 ${res.joinP50.toFixed(1)} ms, ` +
      `p99 ${res.joinP99.toFixed(1)} ms; ${res.updatesPerPoll.toFixed(2)} updates per non-empty getUpdates, ` +
      `${res.polls} getUpdates answers; server CPU ${res.serverCpuUsPerJoin.toFixed(0)} us/join ` +
      `(${res.serverCores.toFixed(2)} cores), driver ${res.driverCores.toFixed(2)} cores` +
      (res.joinErrors ? `; join errors: ${res.joinErrors}` : '') +
      (res.exhausted ? '; RAN OUT OF USERS (raise --users)' : ''),
  );
  pending.clear();
}
round = null;

// ---- summary ---------------------------------------------------------------------------------
const col = (k) => results.map((x) => x[k]);
const fmt = (k, digits) => {
  const xs = col(k);
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
};
const totalAccepted = col('accepted').reduce((a, b) => a + b, 0);
const totalReceived = col('received').reduce((a, b) => a + b, 0);
const allOk = results.every((x) => x.accepted === x.received && !x.missing && !x.unexpected);
console.log('');
console.log(`median of ${results.length} rounds (min-max in brackets):`);
console.log(`  joins accepted/s (window)        ${fmt('joinsPerSec', 0)}`);
console.log(`  updates received/s (window)      ${fmt('updatesPerSec', 0)}`);
console.log(`  join->update latency p50 ms      ${fmt('p50', 1)}`);
console.log(`  join->update latency p99 ms      ${fmt('p99', 1)}`);
console.log(`  join POST latency p50 / p99 ms   ${fmt('joinP50', 1)} / ${fmt('joinP99', 1)}`);
console.log(`  updates per non-empty getUpdates ${fmt('updatesPerPoll', 2)}`);
console.log(`  server CPU us per join           ${fmt('serverCpuUsPerJoin', 0)}`);
console.log(`  server / driver cores used       ${fmt('serverCores', 2)} / ${fmt('driverCores', 2)}`);
console.log(
  `check: joins accepted ${totalAccepted}, updates received ${totalReceived} over all rounds: ` +
    (allOk ? 'equal, every update matched its join' : 'MISMATCH'),
);
if (pollErrors) console.log(`getUpdates errors: ${[...pollErrorTexts].map(([d, n]) => `${n}x ${d}`).join('; ')}`);

stopping = true;
pollAgent.destroy();
joinAgent.destroy();
process.exit(allOk && !pollErrors ? 0 : 1);
