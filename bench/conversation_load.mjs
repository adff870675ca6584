// Load driver of bench/conversation.sh (plain Node 18+, no npm packages): the conversation loop.
// BOTS bots long-poll getUpdates; each answers a user's /start with a sendMessage (HTML text and
// an inline keyboard), as invite bots do. CONCURRENCY simulated users, each in a loop, send
// /start to a bot through the control plane (POST /control/v1/messages, bots taken in turn) and
// wait for that bot's answer before sending the next one.
//
// The latency of one exchange runs from sending the user's POST to the bot's sendMessage having
// been answered (the reply is then durable and in the private chat). Per round: exchanges/s
// and messages/s (two messages each) over a fixed window, latency p50/p99/max, and the server's
// CPU time per exchange. Then medians over the rounds.
//
//   node bench/conversation_load.mjs --url http://127.0.0.1:PORT --control-token T [--bots 100]
//     [--users 64] [--rounds 3] [--seconds 10] [--server-pid PID] [--clk-tck 100]
import http from 'node:http';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

const opt = {
  url: 'http://127.0.0.1:8081', 'control-token': 'bench', bots: 100, users: 64, rounds: 3,
  seconds: 10, 'server-pid': 0, 'clk-tck': 100,
};
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in opt) || i + 1 >= process.argv.length) {
    console.error(`conversation_load.mjs: unknown or incomplete option ${process.argv[i]}`);
    process.exit(2);
  }
  opt[key] = typeof opt[key] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const base = new URL(opt.url);
const botId = (i) => 7200000000 + i;
const botToken = (i) => `${botId(i)}:BenchConversation${String(i).padStart(12, '0')}xxxxxxx`;
const userId = (j) => 300000 + j;
const POLL_TIMEOUT = 30;
const ANSWER = 'Hello! <b>Welcome</b>. Press the button to get your <a href="https://t.me/+AbCdEfGh12345678">invite link</a>.';
const MARKUP = JSON.stringify({ inline_keyboard: [[{ text: 'I am human', callback_data: 'human' }]] });

const pollAgent = new http.Agent({ keepAlive: true, maxSockets: opt.bots + 8 });
const sendAgent = new http.Agent({ keepAlive: true, maxSockets: opt.bots + 8 });
const userAgent = new http.Agent({ keepAlive: true, maxSockets: opt.users + 8 });

function post(agent, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({
      host: base.hostname, port: base.port, method: 'POST', path, agent,
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        try {
          resolve(JSON.parse(text));
        } catch {
          resolve({ ok: false, description: `HTTP ${res.statusCode}: ${text.slice(0, 80)}` });
        }
      });
      res.on('error', reject);
    });
    req.setTimeout((POLL_TIMEOUT + 15) * 1000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.write(data);
    req.end();
  });
}

function serverCpuSeconds() {
  if (!opt['server-pid']) return NaN;
  try {
    const stat = fs.readFileSync(`/proc/${opt['server-pid']}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / opt['clk-tck'];
  } catch {
    return NaN;
  }
}
const percentile = (s, p) => s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Waiters: "bot:user:start message id" -> resolve(time the answer was acknowledged). A bot may
// answer before the user's own POST has come back (the update is out as soon as the message is
// durable): such answers wait in `early` until the user asks for them.
const waiters = new Map();
const early = new Map();
// When each waiting user began to wait, by key: to count users whose answer never came.
const waitingSince = new Map();
let stopping = false;
const errors = [];

async function botLoop(i) {
  let offset = 0;
  while (!stopping) {
    let r;
    try {
      r = await post(pollAgent, `/bot${botToken(i)}/getUpdates`, { offset, timeout: POLL_TIMEOUT, allowed_updates: ['message'] });
    } catch (e) {
      if (!stopping) errors.push(`getUpdates: ${e.message}`);
      continue;
    }
    if (!r.ok) {
      errors.push(`getUpdates: ${r.description}`);
      continue;
    }
    for (const u of r.result) {
      offset = u.update_id + 1;
      const m = u.message;
      if (!m || !m.text?.startsWith('/start')) continue;
      post(sendAgent, `/bot${botToken(i)}/sendMessage`,
        { chat_id: m.chat.id, text: ANSWER, parse_mode: 'HTML', reply_markup: MARKUP })
        .then((s) => {
          const key = `${botId(i)}:${m.chat.id}:${m.message_id}`;
          const w = waiters.get(key);
          if (!s.ok) errors.push(`sendMessage: ${s.description}`);
          if (w) {
            waiters.delete(key);
            w(performance.now());
          } else {
            early.set(key, performance.now());
          }
        }, (e) => errors.push(`sendMessage: ${e.message}`));
    }
  }
}

let round = null;
async function userLoop(j) {
  let k = j;
  const auth = { Authorization: `Bearer ${opt['control-token']}` };
  while (!stopping) {
    const bot = (k++ % opt.bots) + 1;
    const t0 = performance.now();
    let answered;
    const sent = await post(userAgent, '/control/v1/messages', { from: userId(j), chat_id: botId(bot), text: '/start' }, auth);
    if (!sent.ok) {
      errors.push(`messages: ${sent.description}`);
      continue;
    }
    const key = `${botId(bot)}:${userId(j)}:${sent.result.message_id}`;
    if (early.has(key)) {
      answered = early.get(key);
      early.delete(key);
    } else {
      waitingSince.set(key, performance.now());
      answered = await new Promise((resolve) => waiters.set(key, resolve));
      waitingSince.delete(key);
    }
    const r = round;
    if (r && t0 >= r.start && answered <= r.end) {
      r.latencies.push(answered - t0);
      r.exchanges++;
    }
  }
}

async function main() {
  const bots = [];
  for (let i = 1; i <= opt.bots; i++) bots.push(botLoop(i));
  await new Promise((r) => setTimeout(r, 500));  // let every bot park its first getUpdates
  const users = [];
  for (let j = 0; j < opt.users; j++) users.push(userLoop(j));
  await new Promise((r) => setTimeout(r, 1000));  // warm up
  const rows = [];
  for (let n = 1; n <= opt.rounds; n++) {
    const cpu0 = serverCpuSeconds();
    const start = performance.now();
    round = { start, end: start + opt.seconds * 1000, latencies: [], exchanges: 0 };
    await new Promise((r) => setTimeout(r, opt.seconds * 1000 + 200));
    const r = round;
    round = null;
    const cpu = serverCpuSeconds() - cpu0;
    const lat = r.latencies.sort((a, b) => a - b);
    const row = {
      exchanges: r.exchanges / opt.seconds,
      p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat.at(-1),
      cpu_us: (cpu / Math.max(1, r.exchanges)) * 1e6,
    };
    const now = performance.now();
    row.stuck = [...waitingSince.values()].filter((t) => now - t > 5000).length;
    rows.push(row);
    console.log(`round ${n}: ${row.exchanges.toFixed(0)} exchanges/s (${(2 * row.exchanges).toFixed(0)} messages/s), ` +
      `latency p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms, max ${row.max.toFixed(2)} ms, ` +
      `server CPU ${row.cpu_us.toFixed(0)} us per exchange, users waiting over 5 s: ${row.stuck}`);
  }
  stopping = true;
  console.log(`medians over ${opt.rounds} rounds of ${opt.seconds} s (${opt.bots} bots long polling, ${opt.users} users): ` +
    `${median(rows.map((r) => r.exchanges)).toFixed(0)} exchanges/s, ` +
    `${(2 * median(rows.map((r) => r.exchanges))).toFixed(0)} messages/s, ` +
    `p50 ${median(rows.map((r) => r.p50)).toFixed(2)} ms, p99 ${median(rows.map((r) => r.p99)).toFixed(2)} ms`);
  const stuck = rows.at(-1).stuck;
  if (stuck) {
    console.log(`${stuck} users waited over 5 s for an answer: lost replies`);
    process.exitCode = 1;
  }
  if (errors.length) {
    console.log(`errors: ${errors.length}, first: ${errors.slice(0, 3).join(' | ')}`);
    process.exitCode = 1;
  }
  // Waiting users and parked polls are abandoned: the caller stops the server.
  process.exit();
}
main();
