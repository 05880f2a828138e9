// Layer 3: `make demo` itself (scripts/demo.mjs): the smoke run, the interactive demo driven
// like a user (login form, redirect, silent and popup sign-in, user info, sign-out), how it
// stops (SIGINT, SIGTERM, with connections open) and what a busy port says, so that the
// README's command and the example app stay true. The demo is served with a strict
// Content-Security-Policy: any violation fails. Each run takes free ports (DEMO_PORT=0 ...)
// and reads its URLs from the demo's output, except where the default port is the point.
// Time limits: each test's TEST_TIMEOUT; every wait for the demo's output or exit through
// `within` (harness.mjs), which names what it waited for.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import net from 'node:net';
import { listen, closeServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { root, within, closeBrowser, TEST_TIMEOUT } from './harness.mjs';

const FREE_PORTS = { DEMO_PORT: '0', DEMO_ORG_PORT: '0', DEMO_CUSTOM_PORT: '0', DEMO_RESOURCE_PORT: '0' };
const started = new Set();
// Whatever a failed test left running is killed, so that the run goes on.
after(() => { for (const child of started) child.kill('SIGKILL'); });

/**
 * Runs scripts/demo.mjs with `env` (a variable set to undefined is removed); `ready()`
 * resolves once `until` matches its output.
 */
function startDemo(env, until = /Ctrl-C stops/) {
  const merged = { ...process.env, ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: root, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let output = '';
  let stderr = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { started.delete(child); resolve(code ?? signal); }));
  const seen = new Promise((resolve, reject) => {
    const look = () => { if (until.test(output)) resolve(); };
    child.stdout.on('data', (chunk) => { output += chunk; look(); });
    child.stderr.on('data', (chunk) => { output += chunk; stderr += chunk; look(); });
    exited.then((code) => reject(new Error(`the demo exited (${code}) before printing ${until}:\n${output}`)));
  });
  seen.catch(() => {}); // a run that is not waited for (ready() not called) may exit first
  const urls = () => ({
    app: output.match(/^demo app: +(\S+)\/$/m)?.[1],
    org: output.match(/^OpenID Provider \(org\): +(\S+)$/m)?.[1],
    custom: output.match(/^custom server: +(\S+)$/m)?.[1],
    resource: output.match(/^resource server \(API\): +(\S+)\/api\/profile$/m)?.[1],
  });
  return {
    child,
    output: () => output,
    stderr: () => stderr,
    urls,
    ready: () => within(30_000, `the demo printing ${until}`, seen),
    /** The exit code (or signal), within `ms`. */
    exit: (ms) => within(ms, 'the demo exiting', exited),
  };
}

/** The lines of `text` but oidc-provider's own start-up warnings (Node 20, devInteractions). */
const ownLines = (text) => text.split('\n').filter((line) => line && !line.startsWith('oidc-provider WARNING:'));

/** Opens connections a server cannot treat as idle: a keep-alive one after its answer, and one mid-request. */
async function holdConnections(origin) {
  const { hostname, port } = new URL(origin);
  const agent = new Agent({ keepAlive: true });
  await within(10_000, `GET ${origin}/ with keep-alive`, new Promise((resolve, reject) => {
    request(`${origin}/`, { agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject).end();
  }));
  const midRequest = net.connect(Number(port), hostname);
  await within(10_000, `a connection to ${origin}`, new Promise((resolve, reject) => midRequest.once('connect', resolve).once('error', reject)));
  midRequest.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`); // the request never ends
  midRequest.on('error', () => {});
  return () => { agent.destroy(); midRequest.destroy(); };
}

describe('make demo', () => {
  it('DEMO_SMOKE=1 signs in through a popup, prints the claims, renews, and exits 0', { timeout: TEST_TIMEOUT }, async () => {
    const demo = startDemo({ ...FREE_PORTS, DEMO_SMOKE: '1' });
    const code = await demo.exit(100_000);
    assert.equal(code, 0, demo.output());
    const { org } = demo.urls();
    assert.match(org, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(demo.output(), /demo smoke: Signed in as Jane Doe/);
    assert.ok(demo.output().includes(`"iss": "${org}"`), demo.output());
    assert.match(demo.output(), /demo smoke: tokens renewed/);
    assert.match(demo.output(), /demo smoke: OK/);
  });

  it('serves the demo under a strict CSP: login form, redirect, silent and popup sign-in, user info, the API, DPoP, sign-out', { timeout: TEST_TIMEOUT }, async () => {
    const demo = startDemo(FREE_PORTS);
    await demo.ready();
    const browser = await launchChromium();
    try {
      const { app, org, custom, resource } = demo.urls();
      assert.match(app, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(demo.output(), /test user: jane/);
      const page = await browser.newPage();
      const violations = [];
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
      const response = await page.goto(`${app}/`);
      const providers = `${org} ${new URL(custom).origin}`;
      assert.equal(response.headers()['content-security-policy'],
        `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${providers} ${new URL(resource).origin}; frame-src ${providers}`);
      await page.waitForSelector('#status[data-state="ready"]');
      assert.equal(await page.textContent('#issuer'), org, "the app signs in with the demo's provider");
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
      const callApi = async () => {
        await page.evaluate(() => { document.getElementById('status').dataset.state = 'waiting'; });
        await page.click('#api');
        await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]');
        assert.equal(await page.textContent('#status'), 'API answered 200', await page.textContent('#output'));
        return JSON.parse(await page.textContent('#output'));
      };
      assert.equal((await callApi()).tokenType, 'Bearer');

      // DPoP: the checkbox reloads the page with the DPoP client; the same flows, bound tokens.
      await page.check('#dpop');
      await page.waitForSelector('#status[data-state="ready"]');
      assert.equal(await page.textContent('#client-id'), 'demo-spa-dpop');
      await page.click('#popup');
      await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]');
      assert.equal(await page.textContent('#status'), 'Signed in as Jane Doe', await page.textContent('#output'));
      assert.equal(JSON.parse(await page.textContent('#output')).accessToken.tokenType, 'DPoP');
      const bound = await callApi();
      assert.equal(bound.tokenType, 'DPoP');
      assert.match(bound.jkt, /^[\w-]{43}$/);
      await page.evaluate(() => { document.getElementById('status').dataset.state = 'waiting'; });
      await page.click('#renew');
      await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]');
      assert.equal(JSON.parse(await page.textContent('#output')).accessToken.tokenType, 'DPoP', await page.textContent('#output'));
      await page.click('#user');
      await page.waitForSelector('#status:text("User info")');
      assert.equal((await callApi()).jkt, bound.jkt, 'the renewed token is bound to the same key');

      const loggedOut = page.waitForRequest((r) => new URL(r.url()).pathname === '/oauth2/v1/logout');
      await page.click('#signout');
      await loggedOut;
      await page.waitForURL((url) => url.origin === app);
      await page.waitForSelector('#status[data-state="ready"]');
      // The provider session is gone: a silent sign-in now needs the user.
      await page.click('#silent');
      await page.waitForSelector('#status[data-state="error"]');
      assert.equal(await page.textContent('#status'), 'AuthError login_required');
      assert.deepEqual(violations, [], 'the flows ran under the strict CSP without a violation');
    } finally {
      await closeBrowser(browser);
      demo.child.kill('SIGINT');
    }
    assert.equal(await demo.exit(2000), 0);
  });

  for (const signal of ['SIGINT', 'SIGTERM']) {
    it(`exits within 2 s of ${signal} while connections to the app and the provider are open`, { timeout: TEST_TIMEOUT }, async () => {
      const demo = startDemo(FREE_PORTS);
      await demo.ready();
      const { app, org } = demo.urls();
      const releases = [await holdConnections(app), await holdConnections(org)];
      try {
        const sent = performance.now();
        demo.child.kill(signal);
        const code = await demo.exit(2000);
        const ms = Math.round(performance.now() - sent);
        assert.equal(code, 0, `exit code after ${signal} (${ms} ms): ${demo.output()}`);
        assert.doesNotMatch(demo.stderr(), /did not close/, 'the servers closed, not the grace timer');
      } finally {
        for (const release of releases) release();
      }
    });
  }

  it('a busy 8080 is a one-line error naming DEMO_PORT, exit code 1', { timeout: TEST_TIMEOUT }, async () => {
    // The test holds 8080 itself; if something else holds it already, it is just as busy.
    const holder = createServer();
    let held = false;
    try {
      await listen(holder, { port: 8080 });
      held = true;
    } catch (e) {
      if (e.code !== 'EADDRINUSE') throw e;
    }
    try {
      const error = 'error: port 8080 is in use: stop the other `make demo`, or set DEMO_PORT=… (0 takes a free port)';
      const demo = startDemo({ DEMO_ORG_PORT: '0', DEMO_CUSTOM_PORT: '0', DEMO_PORT: undefined }, /in use/);
      const code = await demo.exit(30_000);
      assert.equal(code, 1, demo.output());
      assert.deepEqual(ownLines(demo.stderr()), [error]);
      // make demo's first step (before it rebuilds pkg/): the same line, and nothing else.
      const check = startDemo({ DEMO_CHECK_PORTS: '1', DEMO_ORG_PORT: '0', DEMO_CUSTOM_PORT: '0', DEMO_PORT: undefined }, /in use/);
      assert.equal(await check.exit(30_000), 1, check.output());
      assert.equal(check.output(), `${error}\n`);
    } finally {
      if (held) await closeServer(holder);
    }
  });

  it("a busy provider port names the provider's variable", { timeout: TEST_TIMEOUT }, async () => {
    const holder = createServer();
    const port = await listen(holder, { port: 0 });
    try {
      const demo = startDemo({ ...FREE_PORTS, DEMO_CUSTOM_PORT: String(port) }, /in use/);
      assert.equal(await demo.exit(30_000), 1, demo.output());
      assert.deepEqual(ownLines(demo.stderr()), [`error: port ${port} is in use: stop the other \`make demo\`, or set DEMO_CUSTOM_PORT=… (0 takes a free port)`]);
    } finally {
      await closeServer(holder);
    }
  });
});
