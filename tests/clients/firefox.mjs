// Debian's Firefox ESR (/usr/bin/firefox-esr, the `firefox-esr` package), headless, driven over
// WebDriver BiDi, the W3C protocol Firefox speaks itself: Playwright drives only its own patched
// Firefox builds, which would have to be downloaded. The protocol is JSON over a WebSocket; the
// client below is the little of RFC 6455 that needs (text frames, client-side masking), so that
// it runs on any Node.js the tests take (Node 18 has no WebSocket).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIREFOX = process.env.TGINVITE_FIREFOX || '/usr/bin/firefox-esr';

// Prefs that keep a headless Firefox off the (closed) network and quiet.
const PREFS = {
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'extensions.update.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'remote.prefs.recommended': true,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A WebSocket client connection: send(text), onText(callback), close().
function openWebSocket(port, path) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    let buffer = Buffer.alloc(0);
    let open = false;
    const ws = {
      onText: () => {},
      send(text) {
        const payload = Buffer.from(text, 'utf8');
        const mask = randomBytes(4);
        let head;
        if (payload.length < 126) {
          head = Buffer.from([0x81, 0x80 | payload.length]);
        } else if (payload.length < 65536) {
          head = Buffer.alloc(4);
          head[0] = 0x81;
          head[1] = 0x80 | 126;
          head.writeUInt16BE(payload.length, 2);
        } else {
          head = Buffer.alloc(10);
          head[0] = 0x81;
          head[1] = 0x80 | 127;
          head.writeBigUInt64BE(BigInt(payload.length), 2);
        }
        for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
        sock.write(Buffer.concat([head, mask, payload]));
      },
      close() {
        sock.destroy();
      },
    };
    let message = []; // the fragments of a message in progress
    sock.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!open) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        if (!/^HTTP\/1\.1 101 /.test(head)) return reject(new Error(`no WebSocket upgrade: ${head}`));
        buffer = buffer.subarray(end + 4);
        open = true;
        resolve(ws);
      }
      // Server frames are not masked.
      for (;;) {
        if (buffer.length < 2) return;
        const fin = (buffer[0] & 0x80) !== 0;
        const opcode = buffer[0] & 0x0f;
        let length = buffer[1] & 0x7f;
        let at = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          at = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          at = 10;
        }
        if (buffer.length < at + length) return;
        const payload = buffer.subarray(at, at + length);
        buffer = buffer.subarray(at + length);
        if (opcode === 1 || opcode === 0) {
          message.push(payload);
          if (fin) {
            ws.onText(Buffer.concat(message).toString('utf8'));
            message = [];
          }
        } else if (opcode === 8) {
          sock.end();
        }
      }
    });
    sock.on('error', reject);
    sock.on('connect', () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
  });
}

// Starts Firefox and opens a BiDi session on its first tab. Returns
// { navigate(url), evaluate(js), waitFor(js, what), close() }.
export async function launchFirefox() {
  if (!existsSync(FIREFOX)) {
    throw new Error(`no Firefox at ${FIREFOX}: scripts/install-deps.sh --test installs Debian's firefox-esr`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'tginvite-firefox-'));
  writeFileSync(join(profile, 'user.js'),
    Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
  const port = await freePort();
  const child = spawn(FIREFOX, ['--headless', '--remote-debugging-port', String(port), '--profile', profile,
    '--no-remote', 'about:blank'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not start in 60 s:\n${output}`)), 60000);
    const look = (chunk) => {
      output += chunk;
      if (output.includes('WebDriver BiDi listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`Firefox exited (${code}):\n${output}`)));
  });
  const ws = await openWebSocket(port, '/session');
  let nextId = 0;
  const waiting = new Map();
  ws.onText = (text) => {
    const m = JSON.parse(text);
    if (m.id === undefined || !waiting.has(m.id)) return; // events: not subscribed to any
    const { resolve, reject } = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.type === 'error') reject(new Error(`${m.error}: ${m.message}`));
    else resolve(m.result);
  };
  const call = (method, params) => new Promise((resolve, reject) => {
    const id = ++nextId;
    waiting.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  const session = await call('session.new', { capabilities: {} });
  const tree = await call('browsingContext.getTree', {});
  const context = tree.contexts[0].context;

  const browser = {
    version: session.capabilities.browserVersion,
    navigate: (url) => call('browsingContext.navigate', { context, url, wait: 'complete' }),
    // Runs `js` (an expression; a promise is awaited) in the page; its value, as JSON allows.
    async evaluate(js) {
      const r = await call('script.evaluate', {
        target: { context },
        expression: `(async () => JSON.stringify(await (${js})))()`,
        awaitPromise: true,
      });
      if (r.type === 'exception') throw new Error(`in Firefox: ${r.exceptionDetails.text}`);
      return r.result.value === undefined ? undefined : JSON.parse(r.result.value);
    },
    // Polls `js` until it is truthy; throws after 30 s naming `what`.
    async waitFor(js, what) {
      const deadline = Date.now() + 30000;
      for (;;) {
        const v = await browser.evaluate(js);
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`Firefox: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      try {
        await Promise.race([call('session.end', {}), new Promise((r) => setTimeout(r, 2000))]);
      } catch {
        // closing anyway
      }
      ws.close();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return browser;
}
