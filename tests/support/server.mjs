// Starts a real tginvited for a test: its own temporary folder, a real SQLite file, a world file,
// a control token, and a port the server picks itself. Used by tests/e2e and tests/clients.
//
//   const srv = await startServer({ world });      // world: an object (see docs/control-api.md)
//   await srv.api(token, 'getMe');                  // -> { status, headers, json, text }
//   await srv.api(token, 'exportChatInviteLink', { chat_id: -100 }, { encoding: 'form' });
//   await srv.control('POST', '/join', { user_id, invite_link });
//   await srv.restart();                            // SIGTERM, wait for exit 0, start on the same db
//   await srv.stop();                               // SIGTERM, resolves to the exit code
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
export const SERVER_BIN =
  process.env.TGINVITED || resolve(here, '../../build/bin/tginvited');

export const CONTROL_TOKEN = 'test-control-token-0123456789';

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
  const dbPath = join(dir, 'world.db');
  const args = ['--listen', '127.0.0.1:0', '--db', db ?? `sqlite:${dbPath}`];
  if (world) {
    const worldPath = join(dir, 'world.json');
    writeFileSync(worldPath, JSON.stringify(world));
    args.push('--world', worldPath);
  }
  args.push(...extraArgs);
  const srvEnv = { TGINVITE_CONTROL_TOKEN: CONTROL_TOKEN, ...env };

  const started = [];
  const srv = {
    dir,
    dbPath,
    proc: null,
    port: 0,
    base: '',
    async start() {
      srv.proc = launch(args, srvEnv);
      started.push(srv.proc);
      srv.port = await srv.proc.ready;
      srv.base = `http://127.0.0.1:${srv.port}`;
    },
    api(token, method, params, opts) {
      return callApi(srv.base, token, method, params, opts);
    },
    async control(method, path, body, { token = CONTROL_TOKEN } = {}) {
      const init = { method, headers: {} };
      if (token !== null) init.headers.authorization = `Bearer ${token}`;
      if (body !== undefined) {
        init.headers['content-type'] = 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      return decode(await fetch(`${srv.base}/control/v1${path}`, init));
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
      srv.proc.child.kill('SIGTERM');
      const code = await srv.proc.exited;
      srv.proc = null;
      return code;
    },
    kill() {
      if (srv.proc) srv.proc.child.kill('SIGKILL');
      const p = srv.proc?.exited;
      srv.proc = null;
      return p;
    },
    async restart() {
      const code = await srv.stop();
      await srv.start();
      return code;
    },
    async close() {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await srv.start();
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
