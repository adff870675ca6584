// The drop-in recipe (README, "Drop-in for api.telegram.org") with a real client library: a
// grammY bot left at https://api.telegram.org talks to tginvited serving the certificate
// `tginvited make-cert` made, trusting the CA through NODE_EXTRA_CA_CERTS only
// (drop_in_client.mjs; its connections are redirected as a hosts entry would).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_BIN, startServer } from '../support/server.mjs';
import { clientWorld, TOKEN, DEMO_ID, LINK_RE, assertGetMe } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let dir;
let srv;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tginvite-drop-in-'));
  const made = spawnSync(SERVER_BIN, ['make-cert', dir], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  srv = await startServer({
    world: clientWorld(),
    extraArgs: ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')],
  });
});
after(async () => {
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runBot(extraCa) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    if (extraCa) env.NODE_EXTRA_CA_CERTS = extraCa;
    const child = spawn(process.execPath, [join(here, 'drop_in_client.mjs'), String(srv.port), TOKEN, String(DEMO_ID)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

test('drop-in: grammY at https://api.telegram.org, the CA in NODE_EXTRA_CA_CERTS', async () => {
  const r = await runBot(join(dir, 'ca.pem'));
  assert.equal(r.code, 0, r.out + r.err);
  const { me, link } = JSON.parse(r.out);
  assertGetMe(me);
  assert.match(link, LINK_RE);
});

test('drop-in: without the CA the same bot refuses the certificate', async () => {
  const r = await runBot(null);
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(JSON.parse(r.out).error, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate/);
});
