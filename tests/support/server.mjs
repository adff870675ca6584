// Starts a real tginvited for a test: its own temporary folder, a real SQLite file, a world file,
// a control token, and a port the server picks itself. Used by tests/e2e and tests/clients.
//
// With TGINVITE_E2E_STORE=postgres the store is PostgreSQL instead: a fresh schema of its own on the
// server named by TGINVITE_TEST_POSTGRES (a keyword conninfo, as scripts/pg.sh prints it), passed
// as --db postgresql:///DB?host=...&options=-csearch_path%3D<schema>; restart() reuses the schema,
// close() drops it (a server that fails to start drops it at once). srv.store says which store
// runs ('sqlite' or 'postgres'), for tests that only mean something on one of them (they skip
// themselves on the other, with the reason).
//
// With TGINVITE_E2E_INSTANCES=2 as well, every server is two tginvited processes on that one
// schema (cluster mode), behind a round-robin client: srv.api and srv.control send each call to
// the next instance in turn. The first instance is started first and loads the world file; the
// second loads the world from the database. srv.port, srv.base and srv.raw are the first's;
// stop, kill and restart act on both (stop resolves to the first non-zero exit code, else 0).
//
//   const srv = await startServer({ world });      // world: an object (see docs/control-api.md)
//   await srv.api(token, 'getMe');                  // -> { status, headers, json, text }
//   await srv.api(token, 'exportChatInviteLink', { chat_id: -100 }, { encoding: 'form' });
//   await srv.control('POST', '/join', { user_id, invite_link });
//   await srv.restart();                            // SIGTERM, wait for exit 0, start on the same db
//   await srv.stop();                               // SIGTERM, resolves to the exit code
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
export const SERVER_BIN =
  process.env.TGINVITED || resolve(here, '../../build/bin/tginvited');

export const CONTROL_TOKEN = 'test-control-token-0123456789';

// The store the servers of this run use: TGINVITE_E2E_STORE, 'sqlite' (the default) or 'postgres'.
export const STORE = storeOfEnv();

function storeOfEnv() {
  const store = process.env.TGINVITE_E2E_STORE || 'sqlite';
  if (store !== 'sqlite' && store !== 'postgres') {
    throw new Error(`TGINVITE_E2E_STORE must be sqlite or postgres, not '${store}'`);
  }
  if (store === 'postgres' && !process.env.TGINVITE_TEST_POSTGRES) {
    throw new Error(
      'TGINVITE_E2E_STORE=postgres needs TGINVITE_TEST_POSTGRES, the conninfo of a PostgreSQL ' +
        'server (export TGINVITE_TEST_POSTGRES=$(bash scripts/pg.sh start DIR))',
    );
  }
  return store;
}

// How many instances each server runs: TGINVITE_E2E_INSTANCES (1, or 2 on postgres).
export const INSTANCES = instancesOfEnv();

function instancesOfEnv() {
  const n = Number(process.env.TGINVITE_E2E_INSTANCES || '1');
  if (n !== 1 && n !== 2) throw new Error('TGINVITE_E2E_INSTANCES must be 1 or 2');
  if (n === 2 && STORE !== 'postgres') {
    throw new Error('TGINVITE_E2E_INSTANCES=2 needs TGINVITE_E2E_STORE=postgres');
  }
  return n;
}

// Parses a keyword conninfo (`host=/x port=5432 user=u dbname=d`, values optionally in single
// quotes, a backslash escaping the next character) into an object.
export function parseConninfo(conninfo) {
  const out = {};
  const re = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|((?:[^\s'\\]|\\.)*))/y;
  let pos = 0;
  let m;
  while (conninfo.slice(pos).trim() !== '' && (m = re.exec(conninfo)) !== null) {
    out[m[1]] = (m[2] ?? m[3]).replace(/\\(.)/g, '$1');
    pos = re.lastIndex;
  }
  if (conninfo.slice(pos).trim() !== '') {
    throw new Error(`cannot parse the conninfo '${conninfo}'`);
  }
  return out;
}

// The libpq URI of `conninfo` with the search_path set to `schema`.
export function postgresUri(conninfo, schema) {
  const kw = parseConninfo(conninfo);
  const db = kw.dbname ?? '';
  const params = Object.entries(kw)
    .filter(([k]) => k !== 'dbname' && k !== 'options')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  const options = `${kw.options ? kw.options + ' ' : ''}-csearch_path=${schema}`;
  params.push(`options=${encodeURIComponent(options)}`);
  return `postgresql:///${encodeURIComponent(db)}?${params.join('&')}`;
}

function psql(conninfo, sql) {
  const r = spawnSync('psql', [conninfo, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql -c '${sql}' failed (${r.status}): ${r.stderr}`);
}

// Creates a fresh schema on the TGINVITE_TEST_POSTGRES server and returns its name.
function createSchema() {
  const schema = `t_e2e_${process.pid}_${randomBytes(6).toString('hex')}`;
  psql(process.env.TGINVITE_TEST_POSTGRES, `CREATE SCHEMA ${schema}`);
  return schema;
}

function dropSchema(schema) {
  try {
    psql(process.env.TGINVITE_TEST_POSTGRES, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch {
    // Left behind: the test's own outcome matters more than the cleanup.
  }
}

function launch(args, env) {
  const child = spawn(SERVER_BIN, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(
      () => rejectReady(new Error(`tginvited did not start in 30 s:\n${stderr}`)),
      30000,
    );
    let listening = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
      // Looked for until found only: at --log-level debug the log grows with every request.
      if (listening) return;
      const m = stderr.match(/listening on [^\s:]+:(\d+)/);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolveReady(Number(m[1]));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      rejectReady(new Error(`tginvited exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
  return { child, ready, exited, logs: () => stderr };
}

// Encodes `params` the way a client would, and sends it to /bot<token>/<method>.
// encoding: 'json' (default), 'form', 'query' (GET with a query string), 'multipart', 'none'.
export async function callApi(base, token, method, params = undefined, opts = {}) {
  const encoding = opts.encoding ?? 'json';
  let url = `${base}/bot${token}/${method}`;
  const init = { method: 'POST', headers: { ...(opts.headers ?? {}) } };
  if (params !== undefined) {
    if (encoding === 'json') {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(params);
    } else if (encoding === 'form') {
      init.headers['content-type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(stringValues(params)).toString();
    } else if (encoding === 'query') {
      init.method = 'GET';
      url += '?' + new URLSearchParams(stringValues(params)).toString();
    } else if (encoding === 'multipart') {
      const fd = new FormData();
      for (const [k, v] of Object.entries(stringValues(params))) fd.append(k, v);
      init.body = fd;
    } else if (encoding !== 'none') {
      throw new Error(`unknown encoding ${encoding}`);
    }
  }
  const res = await fetch(url, init);
  return decode(res);
}

function stringValues(params) {
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

async function decode(res) {
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

// db: the --db value (default: a SQLite file in the server's folder), e.g. a postgresql:// URI.
export async function startServer({ world, extraArgs = [], env = {}, db } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tginvite-test-'));
  // An explicit db is used as given (the caller owns it); else the run's store decides.
  const store = db ? 'given' : STORE;
  let dbPath = null;
  let schema = null;
  if (db) {
    // as given
  } else if (store === 'postgres') {
    schema = createSchema();
    db = postgresUri(process.env.TGINVITE_TEST_POSTGRES, schema);
  } else {
    dbPath = join(dir, 'world.db');
    db = `sqlite:${dbPath}`;
  }
  const args = ['--listen', '127.0.0.1:0', '--db', db];
  if (world) {
    const worldPath = join(dir, 'world.json');
    writeFileSync(worldPath, JSON.stringify(world));
    args.push('--world', worldPath);
  }
  args.push(...extraArgs);
  const srvEnv = { TGINVITE_CONTROL_TOKEN: CONTROL_TOKEN, ...env };

  const started = [];
  // A db the caller passed runs one instance: the caller starts more if it wants them.
  const instances = store === 'given' ? 1 : INSTANCES;
  // The second instance (TGINVITE_E2E_INSTANCES=2) takes the same arguments but the world file,
  // which the first has stored by the time it listens.
  const secondArgs = args.filter((a, i) => a !== '--world' && args[i - 1] !== '--world');
  let turn = 0;
  const nextBase = () => srv.bases[turn++ % srv.bases.length];
  const srv = {
    dir,
    store, // 'sqlite' or 'postgres', or 'given' for a db the caller passed
    instances,
    dbPath, // the SQLite file (null on postgres)
    schema, // the PostgreSQL schema (null on sqlite)
    db, // the --db argument
    proc: null,
    procs: [],
    port: 0,
    base: '',
    bases: [],
    async start() {
      srv.procs = [];
      srv.bases = [];
      for (let i = 0; i < instances; i++) {
        const p = launch(i === 0 ? args : secondArgs, srvEnv);
        started.push(p);
        srv.procs.push(p);
        const port = await p.ready;
        srv.bases.push(`http://127.0.0.1:${port}`);
        if (i === 0) {
          srv.proc = p;
          srv.port = port;
          srv.base = srv.bases[0];
        }
      }
    },
    api(token, method, params, opts) {
      return callApi(nextBase(), token, method, params, opts);
    },
    async control(method, path, body, { token = CONTROL_TOKEN } = {}) {
      const init = { method, headers: {} };
      if (token !== null) init.headers.authorization = `Bearer ${token}`;
      if (body !== undefined) {
        init.headers['content-type'] = 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      return decode(await fetch(`${nextBase()}/control/v1${path}`, init));
    },
    // Sends raw bytes on a new connection and resolves to everything the server sent back
    // until it closed the connection or, once it has sent something, `waitMs` passed without
    // more (a server that has not answered yet is waited for up to a minute: a slow run must not
    // look like an empty answer).
    raw(bytes, { waitMs = 1000 } = {}) {
      return rawExchange(srv.port, bytes, waitMs);
    },
    // The stderr of every process of this server so far, restarts included, oldest first.
    logs() {
      return started.map((p) => p.logs()).join('');
    },
    async stop() {
      if (!srv.proc) return null;
      for (const p of srv.procs) p.child.kill('SIGTERM');
      const codes = await Promise.all(srv.procs.map((p) => p.exited));
      srv.proc = null;
      srv.procs = [];
      return codes.find((c) => c !== 0) ?? codes[0];
    },
    kill() {
      for (const p of srv.procs) p.child.kill('SIGKILL');
      const exits = Promise.all(srv.procs.map((p) => p.exited));
      const first = srv.proc ? exits.then((codes) => codes[0]) : undefined;
      srv.proc = null;
      srv.procs = [];
      return first;
    },
    async restart() {
      const code = await srv.stop();
      await srv.start();
      return code;
    },
    async close() {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
      if (schema) dropSchema(schema);
    },
  };
  try {
    await srv.start();
  } catch (err) {
    // A server that did not start leaves no process, folder or schema behind either.
    for (const p of srv.procs) p.child.kill('SIGKILL');
    await Promise.all(srv.procs.map((p) => p.exited));
    rmSync(dir, { recursive: true, force: true });
    if (schema) dropSchema(schema);
    throw err;
  }
  return srv;
}

const FIRST_BYTE_MS = 60000;

export function rawExchange(port, bytes, waitMs = 1000) {
  return new Promise((resolveRaw, rejectRaw) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    let timer = null;
    const finish = (closed) => {
      clearTimeout(timer);
      sock.destroy();
      resolveRaw({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(false), chunks.length ? waitMs : Math.max(waitMs, FIRST_BYTE_MS));
    };
    sock.on('connect', () => {
      sock.write(bytes);
      arm();
    });
    sock.on('data', (d) => {
      chunks.push(d);
      arm();
    });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', (e) => (chunks.length ? finish(true) : rejectRaw(e)));
  });
}

// A small world most tests start from. Tokens are fixed test values.
export function demoWorld() {
  return {
    bots: [
      {
        id: 7000000001,
        token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo',
        username: 'invite_demo_bot',
        first_name: 'Invite Demo',
      },
    ],
    users: [{ id: 100001, first_name: 'Alice', username: 'alice' }],
    chats: [
      {
        id: -1001000000001,
        type: 'supergroup',
        title: 'Demo',
        username: 'demo_group',
        members: [
          { user_id: 100001, status: 'creator' },
          { user_id: 7000000001, status: 'administrator', rights: { can_invite_users: true } },
        ],
      },
    ],
  };
}
