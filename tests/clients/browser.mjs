// Real-browser tests of the web console (issue 14): Playwright (playwright-core, from npm) drives
// Debian's Chromium (/usr/bin/chromium, the `chromium` package) headless against a real
// tginvited. No browser is downloaded: playwright-core only talks to the one installed.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CONTROL_TOKEN } from '../support/server.mjs';

export { CONTROL_TOKEN };

export const CHROMIUM = process.env.TGINVITE_CHROMIUM || '/usr/bin/chromium';

// Screenshots the tests take (README's come from here): TGINVITE_SCREENSHOTS or
// tests/clients/screenshots/ (not in git).
export const SCREENSHOTS =
  process.env.TGINVITE_SCREENSHOTS || join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

// Starts headless Chromium as this machine allows it: as root it needs --no-sandbox, and with the
// network closed its background services (updates, sync, QUIC probes) would only fail.
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: scripts/install-deps.sh --test installs Debian's`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A new page (its own context: its own sessionStorage) at 1280x720, or `viewport`. Page errors
// and failed console messages are collected in page.problems, for the test to assert empty.
export async function newPage(browser, viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`);
  });
  return page;
}

// Opens the console of `srv` and signs in with `token` (the right one by default).
export async function signIn(page, srv, token = CONTROL_TOKEN) {
  await page.goto(`${srv.base}/console/`);
  await page.getByLabel('Control token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function screenshot(page, name, options = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  await page.screenshot({ path, ...options });
  return path;
}
