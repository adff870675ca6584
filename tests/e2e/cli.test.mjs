// The tginvite command (src/cli) and the export_link example (examples/), run as real processes
// against a started tginvited: what they print, their exit codes, and that the token never shows.
// TGINVITE_CLI and TGINVITE_EXAMPLE name the binaries (default build/bin/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import net from 'node:net';
import { startServer } from '../support/server.mjs';
import {
  B1,
  GRACE,
  HEIDI,
  IVAN,
  SG_MAIN,
  SG_NORIGHTS,
  CH_MAIN,
  GR_UPGRADE,
  LINK_RE,
  testWorld,
  expectOk,
  listLinks,
  findLink,
  join,
  joinRequests,
  serverNow,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
  requestLogLine,
} from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = process.env.TGINVITE_CLI || resolve(here, '../../build/bin/tginvite');
const EXAMPLE = process.env.TGINVITE_EXAMPLE || resolve(here, '../../build/bin/export_link');
const SECRET = B1.token.split(':')[1];
const WRONG_TOKEN = '7000000001:AAE3kq0Zp9xY2vWc7LmN4rTbWRONGWRONGWR';
const SUBCOMMANDS = ['export', 'create', 'edit', 'revoke', 'approve', 'decline', 'get-chat', 'get-me'];

let srv;
let dir;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
  dir = mkdtempSync(joinPath(tmpdir(), 'tginvite-cli-test-'));
});
after(async () => {
  if (srv) {
    assertNoSecretsInLogs(srv, [WRONG_TOKEN]);
    await srv.close();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Runs `bin` with `args`; the environment has no TELEGRAM_* variables but those in `env`.
// Resolves to { code, stdout, stderr, ms }. No output ever contains a token's secret.
// `stdoutFd`: a file descriptor for the child's stdout instead of a pipe.
function runBin(bin, args, env = {}, { stdoutFd } = {}) {
  const base = { ...process.env };
  delete base.TELEGRAM_BOT_TOKEN;
  delete base.TELEGRAM_API_URL;
  const started = Date.now();
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(bin, args, {
      env: { ...base, ...env },
      stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rejectRun);
    child.on('close', (code, signal) => {
      for (const secret of [SECRET, WRONG_TOKEN.split(':')[1]]) {
        assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `a token leaked: ${stderr}`);
      }
      resolveRun({ code: code ?? signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

// The CLI with B1's token in the environment and --api-url of the test server.
function cli(args, { token = B1.token, env = {} } = {}) {
  const e = { ...env };
  if (token !== null) e.TELEGRAM_BOT_TOKEN = token;
  return runBin(CLI, ['--api-url', srv.base, ...args], e);
}

function expectSuccess(r, what = '') {
  assert.equal(r.code, 0, `${what} exit code (stderr: ${r.stderr})`);
  assert.equal(r.stderr, '', `${what} stderr`);
}

// Exactly one line on stdout: an invite link. Returns it.
function expectLinkLine(r, what = '') {
  expectSuccess(r, what);
  assert.match(r.stdout, /^https:\/\/t\.me\/\+[A-Za-z0-9_-]{16}\n$/, `${what} stdout`);
  return r.stdout.trimEnd();
}

// Exit `code`, nothing on stdout, and one line "tginvite: ..." on stderr, equal to `line` (a
// string) or matching it (a RegExp).
function expectFailure(r, code, line, what = '') {
  assert.equal(r.code, code, `${what} exit code (stderr: ${r.stderr}, stdout: ${r.stdout})`);
  assert.equal(r.stdout, '', `${what} stdout`);
  assert.match(r.stderr, /^tginvite: [^\n]+\n$/, `${what} one error line`);
  const text = r.stderr.trimEnd();
  if (line instanceof RegExp) assert.match(text, line, what);
  else assert.equal(text, line, what);
}

function kv(lines) {
  return lines.map(([k, v]) => `${k}: ${v}\n`).join('');
}

test('export by id and by @username: one line, and the previous primary link is revoked', async () => {
  const first = expectLinkLine(await cli(['export', '--chat', String(SG_MAIN)]), 'by id');
  const second = expectLinkLine(await cli(['export', '--chat', '@demo_group']), 'by username');
  assert.notEqual(first, second);
  const e1 = await findLink(srv, SG_MAIN, first);
  const e2 = await findLink(srv, SG_MAIN, second);
  assert.equal(e1.is_revoked, true, 'the previous link is revoked');
  assert.equal(e2.is_revoked, false);
  assert.equal(e2.is_primary, true);
  assert.equal(e2.creator_id, B1.id);

  // Global flags after the subcommand, --flag=value, a channel by username.
  const ch = expectLinkLine(await runBin(CLI, ['export', '--chat=@demo_channel', `--api-url=${srv.base}`],
    { TELEGRAM_BOT_TOKEN: B1.token }), 'channel');
  assert.equal((await findLink(srv, CH_MAIN, ch)).is_primary, true);

  const json = await cli(['--json', 'export', '--chat', String(SG_MAIN)]);
  expectSuccess(json, '--json');
  const link = JSON.parse(json.stdout);
  assert.match(link, LINK_RE);
  assert.equal(json.stdout, `${JSON.stringify(link)}\n`);
});

test('create with every flag, plain and --json', async () => {
  const now = await serverNow(srv);
  const plain = expectLinkLine(
    await cli(['create', '--chat', String(SG_MAIN), '--name', 'promo', '--expire-date', String(now + 3600),
      '--member-limit', '5', '--no-join-request']),
  );
  const entry = await findLink(srv, SG_MAIN, plain);
  assert.equal(entry.name, 'promo');
  assert.equal(entry.expire_date, now + 3600);
  assert.equal(entry.member_limit, 5);
  assert.equal(entry.creates_join_request, false);
  assert.equal(entry.is_primary, false);

  const r = await cli(['create', '--chat', '@demo_group', '--name', 'vip list', '--expire-date',
    String(now + 7200), '--join-request', '--json']);
  expectSuccess(r);
  assert.equal(r.stdout.split('\n').length, 2, 'one line of JSON');
  const result = JSON.parse(r.stdout);
  assert.match(result.invite_link, LINK_RE);
  assert.equal(result.name, 'vip list');
  assert.equal(result.expire_date, now + 7200);
  assert.equal(result.member_limit, undefined);
  assert.equal(result.creates_join_request, true);
  assert.equal(result.is_primary, false);
  assert.equal(result.is_revoked, false);
  assert.deepEqual(result.creator, { id: B1.id, is_bot: true, first_name: B1.first_name, username: B1.username });

  // No link flag at all: an unnamed link without limits.
  const bare = expectLinkLine(await cli(['create', '--chat', String(CH_MAIN)]));
  const b = await findLink(srv, CH_MAIN, bare);
  assert.equal(b.name, undefined);
  assert.equal(b.member_limit, undefined);
});

test('edit replaces the properties; revoke', async () => {
  const now = await serverNow(srv);
  const link = expectLinkLine(
    await cli(['create', '--chat', String(SG_MAIN), '--name', 'before', '--expire-date', String(now + 600)]),
  );
  const edited = await cli(['edit', '--chat', String(SG_MAIN), '--link', link, '--name', 'after',
    '--member-limit', '3']);
  assert.equal(expectLinkLine(edited), link);
  let entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.name, 'after');
  assert.equal(entry.member_limit, 3);
  assert.equal(entry.expire_date, undefined, 'edit sends all four: the expiry left out is cleared');

  const json = await cli(['edit', '--json', '--chat', String(SG_MAIN), '--link', link, '--join-request']);
  expectSuccess(json);
  const result = JSON.parse(json.stdout);
  assert.equal(result.invite_link, link);
  assert.equal(result.creates_join_request, true);
  assert.equal(result.name, undefined);

  assert.equal(expectLinkLine(await cli(['revoke', '--chat', String(SG_MAIN), '--link', link])), link);
  entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.is_revoked, true);
  const again = await cli(['--json', 'revoke', '--chat', String(SG_MAIN), '--link', link]);
  expectSuccess(again);
  assert.equal(JSON.parse(again.stdout).is_revoked, true);

  expectFailure(await cli(['edit', '--chat', String(SG_MAIN), '--link', 'https://t.me/+AAAAAAAAAAAAAAAA']),
    3, 'tginvite: Bad Request: INVITE_HASH_EXPIRED (error 400)');
});

test('approve and decline pending join requests', async () => {
  const link = expectLinkLine(await cli(['create', '--chat', String(SG_MAIN), '--join-request']));
  for (const user of [GRACE, HEIDI, IVAN]) {
    const res = await join(srv, user, link);
    assert.equal(res.json?.result?.status, 'pending', res.text);
  }
  const approved = await cli(['approve', '--chat', String(SG_MAIN), '--user', String(GRACE)]);
  expectSuccess(approved, 'approve');
  assert.equal(approved.stdout, '', 'approve prints nothing');
  const declined = await cli(['decline', '--chat', '@demo_group', '--user', String(HEIDI)]);
  expectSuccess(declined, 'decline');
  assert.equal(declined.stdout, '');
  const json = await cli(['--json', 'approve', '--chat', String(SG_MAIN), '--user', String(IVAN)]);
  expectSuccess(json);
  assert.equal(json.stdout, 'true\n');

  const states = Object.fromEntries((await joinRequests(srv, SG_MAIN)).map((r) => [r.user_id, r.state]));
  assert.equal(states[GRACE], 'approved');
  assert.equal(states[HEIDI], 'declined');
  assert.equal(states[IVAN], 'approved');
  const entry = await findLink(srv, SG_MAIN, link);
  assert.deepEqual(entry.joins.map((j) => [j.user_id, j.via_join_request]), [[GRACE, true], [IVAN, true]]);

  // No pending request any more.
  expectFailure(await cli(['decline', '--chat', String(SG_MAIN), '--user', String(GRACE)]), 3,
    'tginvite: Bad Request: HIDE_REQUESTER_MISSING (error 400)');
});

test('get-me and get-chat: key: value lines, or the whole result with --json', async () => {
  const me = expectOk(await srv.api(B1.token, 'getMe'));
  const plainMe = await cli(['get-me']);
  expectSuccess(plainMe);
  assert.equal(plainMe.stdout, kv([
    ['id', me.id],
    ['is_bot', true],
    ['first_name', me.first_name],
    ['username', me.username],
    ['can_join_groups', me.can_join_groups],
    ['can_read_all_group_messages', me.can_read_all_group_messages],
    ['supports_inline_queries', me.supports_inline_queries],
  ]));
  const jsonMe = await cli(['get-me', '--json']);
  expectSuccess(jsonMe);
  assert.deepEqual(JSON.parse(jsonMe.stdout), me);

  const plainChat = await cli(['get-chat', '--chat', '@demo_group']);
  expectSuccess(plainChat);
  const chat = expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }));
  assert.match(chat.invite_link, LINK_RE);
  assert.equal(plainChat.stdout, kv([
    ['id', chat.id],
    ['type', 'supergroup'],
    ['title', chat.title],
    ['username', 'demo_group'],
    ['active_usernames', chat.active_usernames.join(', ')],
    ['description', chat.description],
    ['invite_link', chat.invite_link],
  ]));
  const jsonChat = await cli(['--json', 'get-chat', '--chat', String(SG_MAIN)]);
  expectSuccess(jsonChat);
  assert.deepEqual(JSON.parse(jsonChat.stdout), expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN })));
});

test('exit 3: the Bot API answered an error, shown in one line with its code', async () => {
  expectFailure(await cli(['export', '--chat', '@nosuchname']), 3,
    'tginvite: Bad Request: chat not found (error 400)');
  expectFailure(await cli(['export', '--chat', String(SG_NORIGHTS)]), 3,
    'tginvite: Bad Request: not enough rights to manage chat invite link (error 400)');
  expectFailure(await cli(['--json', 'get-chat', '--chat', '-1001999999999']), 3,
    'tginvite: Bad Request: chat not found (error 400)');
  for (const args of [['get-me'], ['export', '--chat', String(SG_MAIN)]]) {
    expectFailure(await cli(args, { token: WRONG_TOKEN }), 3, 'tginvite: Unauthorized (error 401)', 'wrong token');
  }
});

test('a basic group upgraded to a supergroup: the error, and --follow-migration', async () => {
  const up = await srv.control('POST', `/chats/${GR_UPGRADE}/upgrade`, {});
  assert.equal(up.status, 200, up.text);
  const newId = up.json.result.migrate_to_chat_id;
  expectFailure(await cli(['export', '--chat', String(GR_UPGRADE)]), 3,
    `tginvite: Bad Request: group chat was upgraded to a supergroup chat (error 400, migrate_to_chat_id ${newId})`);
  const link = expectLinkLine(await cli(['export', '--chat', String(GR_UPGRADE), '--follow-migration']));
  assert.equal((await findLink(srv, newId, link)).is_primary, true);
});

test('exit 2: bad usage, before any request', async () => {
  const before = (await listLinks(srv, SG_MAIN)).length;
  const cases = [
    [['exprot', '--chat', '@demo_group'], "tginvite: unknown subcommand 'exprot' (see tginvite --help)"],
    [['export', '--chat', '@demo_group', '--token', B1.token], "tginvite: unknown flag '--token' (see tginvite --help)"],
    [['export', '--chta', '@demo_group'], "tginvite: unknown flag '--chta' (see tginvite --help)"],
    [['export'], 'tginvite: export needs --chat (see tginvite export --help)'],
    [['approve', '--chat', '@demo_group'], 'tginvite: approve needs --user (see tginvite approve --help)'],
    [['revoke', '--chat', '@demo_group'], 'tginvite: revoke needs --link (see tginvite revoke --help)'],
    [['export', '--chat', '-100abc'],
      "tginvite: --chat must be a chat id (a 64-bit integer) or @username, not '-100abc'"],
    [['export', '--chat', '99999999999999999999'],
      "tginvite: --chat must be a chat id (a 64-bit integer) or @username, not '99999999999999999999'"],
    [['approve', '--chat', '@demo_group', '--user', '+5'],
      "tginvite: --user must be a user id (a 64-bit integer), not '+5'"],
    [['create', '--chat', '@demo_group', '--member-limit', '10x'],
      "tginvite: --member-limit must be a number of members (a 32-bit integer), not '10x'"],
    [['create', '--chat', '@demo_group', '--expire-date', '1.5e9'],
      "tginvite: --expire-date must be a Unix time (a 64-bit integer; 0 = never), not '1.5e9'"],
    [['export', '--chat', '@demo_group', '--timeout', 'soon'],
      "tginvite: --timeout must be a number of seconds from 1 to 86400, not 'soon'"],
    [['export', '--chat', '@demo_group', '--retries', 'x'],
      "tginvite: --retries must be a number of retries from 0 to 100, not 'x'"],
    [['export', '--chat'], 'tginvite: --chat needs a value'],
    [['export', '--chat', '@demo_group', '--user', '5'],
      'tginvite: export does not take --user (see tginvite export --help)'],
    [['create', '--chat', '@demo_group', '--join-request', '--no-join-request'],
      'tginvite: --join-request and --no-join-request exclude each other'],
    [[], 'tginvite: no subcommand given (see tginvite --help)'],
  ];
  for (const [args, line] of cases) {
    expectFailure(await cli(args), 2, line, args.join(' '));
  }
  expectFailure(await runBin(CLI, ['export', '--chat', '@demo_group', '--api-url', 'ftp://example.org']), 2,
    "tginvite: --api-url must be an http:// or https:// URL, not 'ftp://example.org'");
  // No token: neither the environment nor --token-file.
  expectFailure(await cli(['export', '--chat', '@demo_group'], { token: null }), 2,
    /^tginvite: no bot token: set TELEGRAM_BOT_TOKEN or use --token-file FILE/);
  expectFailure(await cli(['get-me'], { token: '' }), 2, /^tginvite: no bot token/);
  expectFailure(await cli(['get-me', '--token-file', joinPath(dir, 'missing')], { token: null }), 2,
    /^tginvite: cannot read the token file .*missing: No such file or directory$/);
  assert.equal((await listLinks(srv, SG_MAIN)).length, before, 'no request was made');
});

test('--token-file: the token from a file, the environment not needed', async () => {
  const file = joinPath(dir, 'token');
  writeFileSync(file, `${B1.token}\n`, { mode: 0o600 });
  expectLinkLine(await cli(['export', '--chat', '@demo_group', '--token-file', file], { token: null }));
  // The file wins over the environment.
  const r = await cli(['get-me', '--token-file', file], { token: WRONG_TOKEN });
  expectSuccess(r);
  const wrong = joinPath(dir, 'wrong-token');
  writeFileSync(wrong, WRONG_TOKEN);
  expectFailure(await cli(['get-me', `--token-file=${wrong}`]), 3, 'tginvite: Unauthorized (error 401)');
  const empty = joinPath(dir, 'empty-token');
  writeFileSync(empty, '\n');
  expectFailure(await cli(['get-me', '--token-file', empty]), 2, `tginvite: the token file ${empty} is empty`);
});

test('--help (global and per subcommand) and --version exit 0 without a token', async () => {
  const global = await runBin(CLI, ['--help']);
  expectSuccess(global);
  assert.match(global.stdout, /^Usage: tginvite \[GLOBAL FLAGS\] SUBCOMMAND \[FLAGS\]\n/);
  for (const word of [...SUBCOMMANDS, 'TELEGRAM_BOT_TOKEN', '--token-file', 'ps', 'Exit codes']) {
    assert.ok(global.stdout.includes(word), `--help mentions ${word}`);
  }
  for (const sub of SUBCOMMANDS) {
    for (const args of [[sub, '--help'], ['--help', sub], [sub, '-h']]) {
      const r = await runBin(CLI, args);
      expectSuccess(r, args.join(' '));
      assert.ok(r.stdout.startsWith(`Usage: tginvite ${sub}`), `${args.join(' ')}: ${r.stdout}`);
      assert.ok(r.stdout.includes('Exit codes'), args.join(' '));
    }
  }
  const v = await runBin(CLI, ['--version']);
  expectSuccess(v);
  assert.match(v.stdout, /^tginvite \d+\.\d+\.\d+\n$/);
});

test('exit 1: the output cannot be written', async () => {
  const full = openSync('/dev/full', 'w');
  try {
    const r = await runBin(CLI, ['--api-url', srv.base, 'get-me'], { TELEGRAM_BOT_TOKEN: B1.token },
      { stdoutFd: full });
    expectFailure(r, 1, 'tginvite: cannot write the output');
  } finally {
    closeSync(full);
  }
});

// A port nothing listens on: one the system just gave out and that was closed again.
async function closedPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

test('exit 4: no Bot API answer (refused, TLS against plain HTTP, timeout, not the Bot API)', async () => {
  const port = await closedPort();
  const refused = await runBin(CLI, ['export', '--chat', '@demo_group', '--api-url', `http://127.0.0.1:${port}`],
    { TELEGRAM_BOT_TOKEN: B1.token });
  expectFailure(refused, 4, /^tginvite: .*127\.0\.0\.1:\d+.*refused/i, 'refused');

  const tls = await runBin(CLI, ['get-me', '--api-url', `https://127.0.0.1:${srv.port}`, '--timeout', '5'],
    { TELEGRAM_BOT_TOKEN: B1.token });
  expectFailure(tls, 4, /^tginvite: .*(tls|ssl|handshake)/i, 'https against the plain port');

  // Accepts, never answers.
  const silent = net.createServer(() => {});
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const t = await runBin(CLI, ['get-me', '--timeout', '1', '--api-url', `http://127.0.0.1:${silent.address().port}`],
      { TELEGRAM_BOT_TOKEN: B1.token });
    expectFailure(t, 4, /^tginvite: .*time/i, 'timeout');
    // The bound is the claim: without --timeout 1 the request would wait its default 30 s.
    assert.ok(t.ms < 30000, `the timeout was kept (${t.ms} ms)`);
  } finally {
    silent.close();
  }

  // An HTTP server that is not the Bot API.
  const web = http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html>not here</html>');
  });
  await new Promise((r) => web.listen(0, '127.0.0.1', r));
  try {
    const b = await runBin(CLI, ['get-me', '--api-url', `http://127.0.0.1:${web.address().port}`],
      { TELEGRAM_BOT_TOKEN: B1.token });
    expectFailure(b, 4, /^tginvite: /, 'not the Bot API');
  } finally {
    web.close();
  }
});

test('429: the CLI waits retry_after and succeeds; with --retries 0 it exits 3', async () => {
  const fault = { bot_id: B1.id, method: 'exportChatInviteLink', count: 1, retry_after: 1 };
  // POST /control/v1/faults is part of the control plane: a 404 here fails the test.
  const set = await srv.control('POST', '/faults', fault);
  assert.equal(set.status, 200, `POST /control/v1/faults: ${set.status} ${set.text}`);
  const r = await cli(['export', '--chat', '@demo_group']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^https:\/\/t\.me\/\+[A-Za-z0-9_-]{16}\n$/);
  assert.equal(r.stderr, 'tginvite: Too Many Requests: retry after 1 (error 429); trying again in 1 s\n');
  assert.ok(r.ms >= 900, `waited retry_after (${r.ms} ms)`);

  assert.equal((await srv.control('POST', '/faults', fault)).status, 200);
  expectFailure(await cli(['export', '--chat', '@demo_group', '--retries', '0']), 3,
    'tginvite: Too Many Requests: retry after 1 (error 429)');
  // The fault was used up: the next call goes through.
  expectLinkLine(await cli(['export', '--chat', '@demo_group', '--retries', '0']));
});

test('the export_link example: a link for an id and for a @username, errors, usage', async () => {
  const env = { TELEGRAM_BOT_TOKEN: B1.token, TELEGRAM_API_URL: srv.base };
  const r = await runBin(EXAMPLE, [String(SG_MAIN), '@demo_channel'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stdout);
  const [chat1, link1] = lines[0].split(' ');
  const [chat2, link2] = lines[1].split(' ');
  assert.equal(chat1, String(SG_MAIN));
  assert.equal(chat2, '@demo_channel');
  assert.equal((await findLink(srv, SG_MAIN, link1)).is_primary, true);
  assert.equal((await findLink(srv, CH_MAIN, link2)).is_primary, true);

  const bad = await runBin(EXAMPLE, ['@nosuchname'], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^@nosuchname error: Bad Request: chat not found/);

  const usage = await runBin(EXAMPLE, ['@demo_group'], { TELEGRAM_API_URL: srv.base });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^usage: /);
  const junk = await runBin(EXAMPLE, ['12abc'], env);
  assert.equal(junk.code, 2);
});
