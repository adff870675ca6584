// Shared pieces of the end-to-end tests: the test world, assertion helpers, and small HTTP
// clients (node:http and raw sockets) for requests that fetch() cannot make.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { SERVER_BIN, CONTROL_TOKEN } from '../support/server.mjs';

// ---------------------------------------------------------------------------------------------
// The world

export const B1 = {
  id: 7000000001,
  token: '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo',
  username: 'invite_demo_bot',
  first_name: 'Invite Demo',
};
export const B2 = {
  id: 7000000002,
  token: '7000000002:AAHq7Rt2Wm9Kx4Lp0Vz8Nc3Jb6Yd5Gs1FeU',
  username: 'second_helper_bot',
  first_name: 'Second Helper',
};
export const B3 = {
  id: 7000000003,
  token: '7000000003:AAGz0Yx1Wv2Ut3Sr4Qp5On6Ml7Kj8Ih9GfE',
  username: 'logout_test_bot',
  first_name: 'Logout Test',
};
export const BOTS = [B1, B2, B3];

export const ALICE = 100001; // creator of most chats
export const BOB = 100002; // administrator without can_invite_users in the main chat
export const CAROL = 100003; // member of the main chat
export const DAVE = 100004; // restricted in the main chat
export const ERIN = 100005; // left the main chat
export const FRANK = 100006; // kicked from the main chat
export const GRACE = 100007; // in no chat: joins through links
export const HEIDI = 100008; // in no chat: joins through links
export const IVAN = 100009; // in no chat: joins through links
export const ZOE = 100010; // non-ASCII name
export const UNKNOWN_USER = 999999;

// Chats. Comments: the calling bot's (B1's) record in the chat.
export const SG_MAIN = -1001000000001; // public @demo_group, B1 admin with can_invite_users, B2 too
export const SG_NORIGHTS = -1001000000002; // private, B1 admin without can_invite_users
export const SG_MEMBER = -1001000000003; // private, B1 member
export const SG_RESTRICTED = -1001000000004; // private, B1 restricted
export const SG_LEFT = -1001000000005; // private, B1 left
export const SG_KICKED = -1001000000006; // private, B1 kicked
export const SG_NORECORD = -1001000000007; // private, no record of B1
export const SG_PUB_NORECORD = -1001000000008; // public @pub_nobot, no record of B1
export const SG_PUB_LEFT = -1001000000009; // public @pub_left, B1 left
export const SG_CREATOR = -1001000000010; // private, B1 administrator with many rights
export const SG_UNICODE = -1001000000011; // private, B1 member, non-ASCII title
export const CH_MAIN = -1002000000001; // public channel @demo_channel, B1 admin with can_invite_users
export const CH_KICKED = -1002000000002; // private channel, B1 kicked
export const CH_PUB_NORECORD = -1002000000003; // public channel @chan_nobot, no record of B1
export const CH_LEFT = -1002000000004; // private channel, B1 left
export const CH_NORIGHTS = -1002000000005; // private channel, B1 admin without can_invite_users
export const GR_MAIN = -4001; // basic group, B1 admin with can_invite_users
export const GR_MEMBER = -4002; // basic group, B1 member
export const GR_LEFT = -4003; // basic group, B1 left
export const GR_KICKED = -4004; // basic group, B1 kicked
export const GR_UPGRADE = -4005; // basic group, B1 admin with can_invite_users; upgraded in tests
export const GR_UPGRADE2 = -4006; // basic group, upgraded with an explicit new id
export const GR_NORIGHTS = -4007; // basic group, B1 admin without can_invite_users

export const UNICODE_TITLE = 'Caf\u00e9 / \u00dcn\u00efcode \u{1F600}';

const INVITE = { can_invite_users: true, can_manage_chat: true };
const NO_INVITE = { can_manage_chat: true, can_delete_messages: true };

function chat(id, type, title, members, extra = {}) {
  return { id, type, title, ...extra, members };
}

export function testWorld() {
  return {
    bots: BOTS.map((b) => ({ ...b })),
    users: [
      { id: ALICE, first_name: 'Alice', username: 'alice' },
      { id: BOB, first_name: 'Bob', last_name: 'Builder' },
      { id: CAROL, first_name: 'Carol', username: 'carol' },
      { id: DAVE, first_name: 'Dave' },
      { id: ERIN, first_name: 'Erin' },
      { id: FRANK, first_name: 'Frank' },
      { id: GRACE, first_name: 'Grace' },
      { id: HEIDI, first_name: 'Heidi' },
      { id: IVAN, first_name: 'Ivan' },
      { id: ZOE, first_name: 'Zo\u00eb', language_code: 'fr' },
    ],
    chats: [
      chat(
        SG_MAIN,
        'supergroup',
        'Demo',
        [
          { user_id: ALICE, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: INVITE },
          { user_id: B2.id, status: 'administrator', rights: { can_invite_users: true } },
          { user_id: BOB, status: 'administrator', rights: NO_INVITE, custom_title: 'Mod' },
          { user_id: CAROL, status: 'member' },
          { user_id: DAVE, status: 'restricted' },
          { user_id: ERIN, status: 'left' },
          { user_id: FRANK, status: 'kicked' },
          { user_id: B3.id, status: 'member' },
        ],
        { username: 'demo_group', description: 'The demo supergroup' },
      ),
      chat(SG_NORIGHTS, 'supergroup', 'No Rights', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'administrator', rights: NO_INVITE },
      ]),
      chat(SG_MEMBER, 'supergroup', 'Member', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'member' },
      ]),
      chat(SG_RESTRICTED, 'supergroup', 'Restricted', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'restricted' },
      ]),
      chat(SG_LEFT, 'supergroup', 'Left', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'left' },
      ]),
      chat(SG_KICKED, 'supergroup', 'Kicked', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'kicked' },
      ]),
      chat(SG_NORECORD, 'supergroup', 'No Record', [{ user_id: ALICE, status: 'creator' }]),
      chat(SG_PUB_NORECORD, 'supergroup', 'Public No Bot', [{ user_id: ALICE, status: 'creator' }], {
        username: 'pub_nobot',
      }),
      chat(
        SG_PUB_LEFT,
        'supergroup',
        'Public Left',
        [
          { user_id: ALICE, status: 'creator' },
          { user_id: B1.id, status: 'left' },
        ],
        { username: 'pub_left' },
      ),
      // The server refuses a bot as creator (bots cannot own chats), so B1 is a full administrator.
      chat(SG_CREATOR, 'supergroup', 'Bot Managed', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'administrator', rights: { ...INVITE, can_promote_members: true, can_change_info: true } },
      ]),
      chat(SG_UNICODE, 'supergroup', UNICODE_TITLE, [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'member' },
        { user_id: ZOE, status: 'member' },
      ]),
      chat(
        CH_MAIN,
        'channel',
        'Demo Channel',
        [
          { user_id: ALICE, status: 'creator' },
          { user_id: B1.id, status: 'administrator', rights: { ...INVITE, can_post_messages: true } },
        ],
        { username: 'demo_channel' },
      ),
      chat(CH_KICKED, 'channel', 'Kicked Channel', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'kicked' },
      ]),
      chat(CH_PUB_NORECORD, 'channel', 'Public Channel', [{ user_id: ALICE, status: 'creator' }], {
        username: 'chan_nobot',
      }),
      chat(CH_LEFT, 'channel', 'Left Channel', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'left' },
      ]),
      chat(CH_NORIGHTS, 'channel', 'No Rights Channel', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'administrator', rights: { can_post_messages: true } },
      ]),
      chat(GR_MAIN, 'group', 'Basic', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'administrator', rights: INVITE },
        { user_id: CAROL, status: 'member' },
      ]),
      chat(GR_MEMBER, 'group', 'Basic Member', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'member' },
      ]),
      chat(GR_LEFT, 'group', 'Basic Left', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'left' },
      ]),
      chat(GR_KICKED, 'group', 'Basic Kicked', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'kicked' },
      ]),
      chat(GR_UPGRADE, 'group', 'To Upgrade', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'administrator', rights: INVITE },
      ]),
      chat(GR_UPGRADE2, 'group', 'To Upgrade 2', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'administrator', rights: INVITE },
      ]),
      chat(GR_NORIGHTS, 'group', 'Basic No Rights', [
        { user_id: ALICE, status: 'creator' },
        { user_id: B1.id, status: 'administrator', rights: NO_INVITE },
      ]),
    ],
  };
}

// Every secret the tests know; none of them may show up in the server's log.
export function secretsOf(...tokens) {
  return [CONTROL_TOKEN, ...tokens.map((t) => t.slice(t.indexOf(':') + 1))];
}

// The server arguments for a log worth checking: at debug level the server logs one line per
// answered request (verb, redacted target, status, duration).
export const DEBUG_LOG_ARGS = ['--log-level', 'debug'];

// One debug line of a request, as the server writes it: `method` and `target` exactly as shown
// (the token's secret as ***, a query string as ?...), any duration.
export function requestLogLine(method, target, status) {
  const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\S+ DEBUG http: request ${esc(method)} ${esc(target)} -> ${status} in \\d+\\.\\d{3} ms$`, 'm');
}

// Whether a log line is a request's line, in the text format or in --log-format json.
function isRequestLine(line) {
  if (/ DEBUG http: request /.test(line)) return true;
  if (!line.startsWith('{')) return false;
  const entry = JSON.parse(line);
  return entry.level === 'debug' && entry.component === 'http' && entry.message.startsWith('request ');
}

// The server must run with DEBUG_LOG_ARGS: the log must hold request lines (so the check is not
// made on a log of a few start-up lines), and none of the tests' secrets (bot tokens, the
// control token). Text and JSON lines (--log-format json, each also checked after JSON.parse, so
// that an escape cannot hide a secret) alike.
export function assertNoSecretsInLogs(srv, extraTokens = []) {
  const raw = srv.logs();
  const logs = raw + '\n' + raw.split('\n').filter((l) => l.startsWith('{'))
    .map((l) => Object.values(JSON.parse(l)).join(' ')).join('\n');
  const requests = raw.split('\n').filter(isRequestLine);
  assert.ok(requests.length >= 3, `the log holds request lines (is --log-level debug on?):\n${logs}`);
  for (const s of secretsOf(...BOTS.map((b) => b.token), ...extraTokens)) {
    const line = logs.split('\n').find((l) => l.includes(s));
    assert.ok(line === undefined, `server log contains the secret ${s.slice(0, 6)}...: ${line?.replaceAll(s, '<secret>')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Assertions

export const LINK_RE = /^https:\/\/t\.me\/\+([A-Za-z0-9_-]{16})$/;

export function header(res, name) {
  const h = res.headers;
  if (!h) return undefined;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  return h[name.toLowerCase()];
}

// The exact error envelope: status, key order, Content-Type.
// `what` names the case in the failure message.
export function expectError(res, code, description, parameters, what = '') {
  const body = { ok: false, error_code: code, description };
  if (parameters !== undefined) body.parameters = parameters;
  const ctx = what ? `${what}: ` : '';
  assert.equal(res.status, code, `${ctx}status (body ${res.text})`);
  assert.equal(res.text, JSON.stringify(body), `${ctx}body`);
  assert.equal(header(res, 'content-type'), 'application/json', `${ctx}content-type`);
}

export function expectOk(res) {
  assert.equal(res.status, 200, `status (body ${res.text})`);
  assert.equal(header(res, 'content-type'), 'application/json');
  assert.ok(res.text.startsWith('{"ok":true,"result":'), `envelope: ${res.text}`);
  assert.equal(res.json.ok, true);
  assert.deepEqual(Object.keys(res.json), ['ok', 'result']);
  return res.json.result;
}

export function expectLink(link) {
  assert.equal(typeof link, 'string', `link is a string: ${JSON.stringify(link)}`);
  const m = LINK_RE.exec(link);
  assert.ok(m, `link shape: ${link}`);
  assert.ok(!/^[0-9]+$/.test(m[1]), `hash must not be all digits: ${link}`);
  return m[1];
}

export async function exportLink(srv, token, chatId, opts) {
  const res = await srv.api(token, 'exportChatInviteLink', { chat_id: chatId }, opts);
  const link = expectOk(res);
  expectLink(link);
  return link;
}

export async function listLinks(srv, chatId) {
  const res = await srv.control('GET', `/chats/${chatId}/invite-links`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.ok, true);
  assert.ok(Array.isArray(res.json.result));
  return res.json.result;
}

export async function findLink(srv, chatId, link) {
  const links = await listLinks(srv, chatId);
  const found = links.find((l) => l.invite_link === link);
  assert.ok(found, `link ${link} listed for chat ${chatId}: ${JSON.stringify(links)}`);
  return found;
}

export function join(srv, userId, link) {
  return srv.control('POST', '/join', { user_id: userId, invite_link: link });
}

export async function expectJoinOk(srv, userId, link, chatId) {
  const res = await join(srv, userId, link);
  assert.equal(res.status, 200, `join ${userId} via ${link}: ${res.text}`);
  assert.equal(res.json.ok, true);
  assert.equal(res.json.result.chat_id, chatId);
  assert.equal(res.json.result.user_id, userId);
  assert.equal(typeof res.json.result.date, 'number');
  return res.json.result;
}

export async function expectJoinRefused(srv, userId, link, description) {
  const res = await join(srv, userId, link);
  expectError(res, 400, description);
}

export async function expectAlive(srv) {
  const res = await srv.api(B1.token, 'getMe');
  assert.equal(res.status, 200, `getMe after a bad request: ${res.text}`);
  assert.equal(res.json.result.id, B1.id);
}

// ---------------------------------------------------------------------------------------------
// HTTP clients

// One request with node:http, for what fetch() refuses (GET with a body, any header).
// A body always gets an explicit Content-Length unless the caller sets its own framing.
export function httpRequest(srv, { method = 'POST', path, headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const hdrs = { ...headers };
    const lower = Object.keys(hdrs).map((k) => k.toLowerCase());
    let buf;
    if (body !== undefined) {
      buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
      if (!lower.includes('content-length') && !lower.includes('transfer-encoding')) {
        hdrs['Content-Length'] = String(buf.length);
      }
    }
    const req = http.request(
      { host: '127.0.0.1', port: srv.port, method, path, headers: hdrs, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json, raw });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (buf !== undefined) req.end(buf);
    else req.end();
  });
}

// Splits one raw HTTP response (latin1 text from srv.raw) into status line, headers and body.
export function parseRawResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  assert.ok(end >= 0, `a complete response head: ${JSON.stringify(text.slice(0, 300))}`);
  const lines = text.slice(0, end).split('\r\n');
  const statusLine = lines[0];
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
  assert.ok(m, `status line: ${statusLine}`);
  const headers = {};
  const headerLines = [];
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    const name = l.slice(0, i).trim();
    const value = l.slice(i + 1).trim();
    headers[name.toLowerCase()] = value;
    headerLines.push([name, value]);
  }
  return { statusLine, status: Number(m[1]), headers, headerLines, body: text.slice(end + 4) };
}

// A response with no body: either no Content-Length or Content-Length: 0, nothing after the head.
export function expectEmptyBody(resp) {
  assert.equal(resp.body, '', `empty body expected, got ${JSON.stringify(resp.body.slice(0, 200))}`);
  if (resp.headers['content-length'] !== undefined) assert.equal(resp.headers['content-length'], '0');
}

// A raw socket that can send several requests and read responses one at a time.
export class RawConn {
  static open(port) {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => resolve(new RawConn(sock)));
      sock.once('error', reject);
    });
  }

  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.closed = false;
    this.waiters = [];
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('error', () => {});
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(bytes) {
    this.sock.write(bytes);
  }

  async waitFor(check, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = check();
      if (r !== undefined) return r;
      if (this.closed) return check(true);
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  // Resolves to the next complete response { status, headers, body } or undefined on timeout/close.
  // The timeout only bounds how long a server that never answers is waited for.
  async readResponse(timeoutMs = 60000) {
    return this.waitFor((atClose) => {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return atClose ? null : undefined;
      const head = this.buf.subarray(0, end).toString('latin1');
      const resp = parseRawResponse(head + '\r\n\r\n');
      let len = 0;
      if (resp.headers['content-length'] !== undefined) len = Number(resp.headers['content-length']);
      else if (resp.status >= 200 && resp.status !== 204 && resp.status !== 304) {
        // No length: the body runs to the close.
        if (!atClose) return undefined;
        len = this.buf.length - end - 4;
      }
      if (this.buf.length < end + 4 + len) return atClose ? null : undefined;
      resp.body = this.buf.subarray(end + 4, end + 4 + len).toString('latin1');
      this.buf = this.buf.subarray(end + 4 + len);
      return resp;
    }, timeoutMs);
  }

  async waitClosed(timeoutMs) {
    const r = await this.waitFor(() => (this.closed ? true : undefined), timeoutMs);
    return r === true;
  }

  destroy() {
    this.sock.destroy();
  }
}

export function serverHelp() {
  const r = spawnSync(SERVER_BIN, ['--help'], { encoding: 'utf8', timeout: 10000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

export { CONTROL_TOKEN };

// ---------------------------------------------------------------------------------------------
// Invite links, joins and the simulated clock

// JSON.stringify with every non-ASCII UTF-16 unit written as \uXXXX, as the server writes JSON
// (spec 8, item 10), so a whole answer can be compared as text, key order included.
export function asciiJson(value) {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// The User object a ChatInviteLink shows as its creator (no getMe-only fields).
export function botUser(bot) {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
}

// A ChatInviteLink in the order and with the presence rules of spec 3.1.
export function linkJson({
  invite_link,
  name = '',
  creator,
  expire_date = 0,
  member_limit = 0,
  pending_join_request_count = 0,
  subscription_period = 0,
  subscription_price = 0,
  creates_join_request = false,
  is_primary = false,
  is_revoked = false,
}) {
  const o = { invite_link };
  if (name !== '') o.name = name;
  o.creator = creator;
  if (expire_date !== 0) o.expire_date = expire_date;
  if (member_limit !== 0) o.member_limit = member_limit;
  if (pending_join_request_count !== 0) o.pending_join_request_count = pending_join_request_count;
  if (subscription_period !== 0) {
    o.subscription_period = subscription_period;
    o.subscription_price = subscription_price;
  }
  o.creates_join_request = creates_join_request;
  o.is_primary = is_primary;
  o.is_revoked = is_revoked;
  return o;
}

// Checks that `res` is exactly {"ok":true,"result":<ChatInviteLink>} with the given properties
// (creator defaults to B1; invite_link defaults to whatever new link the answer has) and
// returns the result.
export function expectLinkResult(res, fields, what = '') {
  const ctx = what ? `${what}: ` : '';
  assert.equal(res.status, 200, `${ctx}status (body ${res.text})`);
  assert.equal(header(res, 'content-type'), 'application/json', `${ctx}content-type`);
  const result = res.json?.result;
  assert.ok(result && typeof result === 'object', `${ctx}a ChatInviteLink: ${res.text}`);
  const invite_link = fields.invite_link ?? result.invite_link;
  if (fields.invite_link === undefined) expectLink(invite_link);
  const expected = linkJson({ creator: botUser(B1), ...fields, invite_link });
  assert.equal(res.text, asciiJson({ ok: true, result: expected }), `${ctx}body`);
  return result;
}

// The server's current time (real time plus the simulated clock's offset).
export async function serverClock(srv) {
  const res = await srv.control('GET', '/clock');
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}

export async function serverNow(srv) {
  return (await serverClock(srv)).now;
}

export async function advanceClock(srv, seconds) {
  const res = await srv.control('POST', '/clock', { advance: seconds });
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}

// Makes a new user through the control plane; ids start at `base` and go up per call.
export function userMaker(srv, base) {
  let next = base;
  return async (first_name = `User ${next}`) => {
    const id = next++;
    const res = await srv.control('PUT', `/users/${id}`, { first_name });
    assert.equal(res.status, 200, res.text);
    return id;
  };
}

export async function joinRequests(srv, chatId) {
  const res = await srv.control('GET', `/chats/${chatId}/join-requests`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.ok, true);
  return res.json.result;
}

// ---------------------------------------------------------------------------------------------
// Waiting on observable state (never on time)

// Calls `probe` (sync or async) until it returns something other than undefined or false, and
// returns that. `timeoutMs` only bounds how long a broken server is waited for before the test
// fails with `what`; a slow server (sanitizers, busy cores) just takes more tries.
export async function waitFor(what, probe, { timeoutMs = 60000, intervalMs = 20 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// The bot's long poll as GET /control/v1/bots/{id}/long-poll shows it: { waiting, timeout? }.
export async function longPoll(srv, botId) {
  const res = await srv.control('GET', `/bots/${botId}/long-poll`);
  assert.equal(res.status, 200, res.text);
  return res.json.result;
}

// Waits until a getUpdates of the bot is parked on the server, waiting for an update; returns
// the timeout it waits with (seconds, after the server's cap).
export async function waitForParkedPoll(srv, botId) {
  const state = await waitFor(`a parked getUpdates of bot ${botId}`, async () => {
    const s = await longPoll(srv, botId);
    return s.waiting ? s : undefined;
  });
  return state.timeout;
}
