// Durability at the disk (issue 13): no answer that reports a change leaves before the change is
// on the disk. A SIGKILL cannot show this (the page cache survives it), so the test watches the
// system calls instead: tginvited runs with the LD_PRELOAD probe of tests/sync_probe/, which
// numbers, in one sequence across threads, every write to the SQLite write-ahead log, every
// fdatasync/fsync of it (its start and its end), every read of a request from a TCP socket and
// every write of an answer to one. The client here sends one request at a time, so everything
// the server wrote to the WAL between reading a request and starting its answer belongs to that
// request (no webhook, no other client); the test then requires, for every answer carrying a
// change, a sync of the WAL that began after the last of those writes and ended before the
// answer's first byte was written.
//
// The probe is found beside tginvited (bin/libtginvite_sync_probe.so) or at TGINVITE_SYNC_PROBE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startServer, SERVER_BIN } from '../support/server.mjs';
import { B1, SG_MAIN, testWorld, expectOk, expectLink } from './helpers.mjs';

const PROBE =
  process.env.TGINVITE_SYNC_PROBE || join(dirname(SERVER_BIN), 'libtginvite_sync_probe.so');

// The probe's log, in sequence order: { seq, kind, fd, text } (text: what an answer wrote).
function readProbeLog(path) {
  const events = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const [seq, kind, fd, rest = ''] = line.split(' ');
    const e = { seq: Number(seq), kind, fd: Number(fd) };
    if (kind === 'A') e.text = Buffer.from(rest, 'hex').toString('latin1');
    events.push(e);
  }
  return events.sort((a, b) => a.seq - b.seq);
}

// Groups the events into exchanges on each socket: a request (its reads) and the answer that
// followed it (its writes). Each answer keeps its start (the first write) and the WAL writes
// made since its request's last read.
function answers(events) {
  const out = [];
  const open = new Map(); // fd -> the answer being written on it
  const lastRead = new Map(); // fd -> seq of the last read of a request
  let walWrites = []; // seqs of every W so far
  for (const e of events) {
    if (e.kind === 'W') walWrites.push(e.seq);
    else if (e.kind === 'R') {
      lastRead.set(e.fd, e.seq);
      open.delete(e.fd);
    } else if (e.kind === 'A') {
      let a = open.get(e.fd);
      if (!a) {
        const since = lastRead.get(e.fd) ?? 0;
        a = { fd: e.fd, start: e.seq, text: '', walWrites: walWrites.filter((w) => w > since) };
        open.set(e.fd, a);
        out.push(a);
      }
      a.text += e.text;
    }
  }
  return out;
}

// Every sync of the WAL as { begin, end } (an SB and the SE after it on the same thread).
function walSyncs(events) {
  const syncs = [];
  const begun = new Map(); // fd -> seq of its SB: syncs of one descriptor do not overlap here
  for (const e of events) {
    if (e.kind === 'SB') begun.set(e.fd, e.seq);
    else if (e.kind === 'SE') {
      syncs.push({ begin: begun.get(e.fd), end: e.seq });
      begun.delete(e.fd);
    }
  }
  return syncs;
}

test('every answer that reports a change leaves after an fdatasync of the WAL that followed the change', async (t) => {
  assert.ok(existsSync(PROBE), `the probe is built: ${PROBE} (make tginvite_sync_probe)`);
  const env = {
    LD_PRELOAD: PROBE,
    // An ASan build wants its runtime first among the libraries; the probe is not sanitized and
    // only forwards each call, so that order does not matter here.
    ASAN_OPTIONS: [process.env.ASAN_OPTIONS, 'verify_asan_link_order=0'].filter(Boolean).join(':'),
  };
  const logDir = mkdtempSync(join(tmpdir(), 'tginvite-probe-'));
  t.after(() => rmSync(logDir, { recursive: true, force: true }));
  const log = join(logDir, 'probe.log');
  env.TGINVITE_SYNC_PROBE_LOG = log;
  const srv = await startServer({ world: testWorld(), env });
  t.after(() => srv.close());

  const N = 25;
  const markers = []; // a text only the answer of each changing request holds
  for (let i = 0; i < N; i++) {
    const link = expectOk(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN }));
    markers.push(`+${expectLink(link)}"`);
    const text = `durable message ${i}`;
    const sent = expectOk(await srv.api(B1.token, 'sendMessage', { chat_id: SG_MAIN, text }));
    assert.equal(sent.text, text);
    markers.push(`"message_id":${sent.message_id},`);
    // A read in between: its answer needs no sync of its own.
    expectOk(await srv.api(B1.token, 'getMe'));
  }
  assert.equal(await srv.stop(), 0);

  const events = readProbeLog(log);
  const syncs = walSyncs(events);
  const all = answers(events);
  assert.ok(events.some((e) => e.kind === 'W'), 'the probe saw writes to the WAL');
  assert.ok(all.length >= 3 * N, `the probe saw the answers (${all.length})`);
  for (const marker of markers) {
    const found = all.filter((a) => a.text.includes(marker));
    assert.equal(found.length, 1, `one answer holds ${marker}`);
    const a = found[0];
    assert.ok(a.walWrites.length > 0, `the change answered with ${marker} was written to the WAL`);
    const lastWrite = Math.max(...a.walWrites);
    const synced = syncs.some((s) => s.begin > lastWrite && s.end < a.start);
    assert.ok(
      synced,
      `the answer holding ${marker} (event ${a.start}) left after a sync of the WAL that began ` +
        `after its last WAL write (event ${lastWrite}); the next syncs: ` +
        JSON.stringify(syncs.filter((s) => s.end > lastWrite).slice(0, 3)),
    );
  }
});

test('once the WAL cannot be synced: the change is refused, /readyz stops answering ready, the server exits 1', async (t) => {
  // Named decision (main.cc): after a failed sync the store fails for good and the server
  // stops (a supervisor restarts it on what the WAL holds), so /readyz answers 503 only in the
  // moment before the listener closes; a probe after that is refused. Either is "not ready".
  assert.ok(existsSync(PROBE), `the probe is built: ${PROBE} (make tginvite_sync_probe)`);
  const dir = mkdtempSync(join(tmpdir(), 'tginvite-probe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const failSwitch = join(dir, 'fail-syncs'); // syncs of the WAL fail while this file exists
  const env = {
    LD_PRELOAD: PROBE,
    ASAN_OPTIONS: [process.env.ASAN_OPTIONS, 'verify_asan_link_order=0'].filter(Boolean).join(':'),
    TGINVITE_SYNC_PROBE_FAIL: failSwitch,
  };
  const srv = await startServer({ world: testWorld(), env });
  t.after(() => srv.close());
  const exited = srv.proc.exited;
  const readyz = async () => {
    try {
      const res = await fetch(`${srv.base}/readyz`);
      return `${res.status} ${await res.text()}`;
    } catch {
      return 'refused';
    }
  };
  assert.equal(await readyz(), '200 ready\n');
  expectLink(expectOk(await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN })));

  writeFileSync(failSwitch, '');
  const failed = await srv.api(B1.token, 'exportChatInviteLink', { chat_id: SG_MAIN });
  assert.equal(failed.status, 500, failed.text);
  assert.deepEqual(failed.json, { ok: false, error_code: 500, description: 'Internal Server Error: storage failure' });
  assert.ok(['503 not ready: the store failed\n', 'refused'].includes(await readyz()));
  assert.equal(await exited, 1, 'the server exits with status 1');
  assert.equal(await readyz(), 'refused');
  const log = srv.logs();
  assert.match(log, /cannot sync the write-ahead log: Input\/output error/);
  assert.match(log, /stopped after a storage failure/);
});
