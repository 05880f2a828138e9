// Layer 3: `make demo` itself (scripts/demo.mjs on its fixed ports 4000, 4001 and 8080): the
// smoke run, and the interactive demo driven like a user (login form, redirect, silent and
// popup sign-in, user info, sign-out), so that the README's command and the example app stay
// true. The demo is served with a strict Content-Security-Policy: any violation fails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs scripts/demo.mjs; resolves once `until` matches its output (or it exits). */
function startDemo(env, until) {
  const child = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise((resolve) => {
    const seen = (chunk) => {
      output += chunk;
      if (until && until.test(output)) resolve();
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    exited.then(resolve);
  });
  return { child, exited, ready, output: () => output };
}

describe('make demo', () => {
  it('DEMO_SMOKE=1 signs in through a popup, prints the claims, renews, and exits 0', async () => {
    const demo = startDemo({ DEMO_SMOKE: '1' });
    const code = await demo.exited;
    assert.equal(code, 0, demo.output());
    assert.match(demo.output(), /demo smoke: Signed in as Jane Doe/);
    assert.match(demo.output(), /"iss": "http:\/\/127\.0\.0\.1:4000"/);
    assert.match(demo.output(), /demo smoke: tokens renewed/);
    assert.match(demo.output(), /demo smoke: OK/);
  });

  it('serves the demo under a strict CSP: login form, redirect, silent and popup sign-in, user info, sign-out', async () => {
    const demo = startDemo({ DEMO_SMOKE: '' }, /Ctrl-C stops/);
    await demo.ready;
    const browser = await launchChromium();
    try {
      assert.match(demo.output(), /demo app: +http:\/\/127\.0\.0\.1:8080\//);
      assert.match(demo.output(), /test user: jane/);
      const page = await browser.newPage();
      const violations = [];
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
      const response = await page.goto('http://127.0.0.1:8080/');
      const csp = response.headers()['content-security-policy'];
      assert.match(csp, /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' http:\/\/127\.0\.0\.1:4000 http:\/\/127\.0\.0\.1:4001; frame-src http:\/\/127\.0\.0\.1:4000 http:\/\/127\.0\.0\.1:4001$/);
      await page.waitForSelector('#status[data-state="ready"]');
      await page.click('#redirect');
      await page.waitForSelector('input[name="login"]');
      await page.fill('input[name="login"]', 'jane');
      await page.fill('input[name="password"]', 'whatever');
      await page.click('button[type="submit"]');
      await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]');
      assert.equal(await page.textContent('#status'), 'Signed in as Jane Doe', await page.textContent('#output'));
      assert.equal(new URL(page.url()).search, '');

      // Silent sign-in in the hidden iframe (frame-src) with the session just made.
      await page.evaluate(() => { document.getElementById('status').dataset.state = 'waiting'; });
      await page.click('#silent');
      await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]');
      assert.equal(await page.textContent('#status'), 'Signed in as Jane Doe', await page.textContent('#output'));

      // A popup sign-in (the provider has a session: the popup answers at once).
      await page.evaluate(() => { document.getElementById('status').dataset.state = 'waiting'; });
      await page.click('#popup');
      await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]');
      assert.equal(await page.textContent('#status'), 'Signed in as Jane Doe', await page.textContent('#output'));

      await page.click('#user');
      await page.waitForSelector('#status:text("User info")');
      assert.equal(JSON.parse(await page.textContent('#output')).email, 'jane@example.com');

      const loggedOut = page.waitForRequest((r) => new URL(r.url()).pathname === '/oauth2/v1/logout');
      await page.click('#signout');
      await loggedOut;
      await page.waitForURL((url) => url.origin === 'http://127.0.0.1:8080');
      await page.waitForSelector('#status[data-state="ready"]');
      // The provider session is gone: a silent sign-in now needs the user.
      await page.click('#silent');
      await page.waitForSelector('#status[data-state="error"]');
      assert.equal(await page.textContent('#status'), 'AuthError login_required');
      assert.deepEqual(violations, [], 'the flows ran under the strict CSP without a violation');
    } finally {
      await browser.close();
      demo.child.kill('SIGINT');
      assert.equal(await demo.exited, 0);
    }
  });
});
