// `make demo`: starts the embedded OpenID Provider (dev-idp/) and serves the demo app (www/)
// with the built package (pkg/) on 127.0.0.1, until Ctrl-C (SIGINT) or SIGTERM. With
// DEMO_SMOKE=1: signs in once through a popup in headless Chromium, prints the validated ID
// token claims, renews the tokens once, stops everything and exits (0 on success).
//
// Ports: DEMO_PORT (the app, 8080), DEMO_ORG_PORT (the org authorization server, 4000),
// DEMO_CUSTOM_PORT (the custom one, 4001), DEMO_RESOURCE_PORT (the resource server, an API
// that accepts the provider's Bearer and DPoP-bound tokens: dev-idp/resource.mjs, 4002);
// 0 takes a free port. A busy port is a one-line
// error and exit code 1. Stopping takes at most STOP_GRACE_MS: open connections are closed,
// and past the grace the process exits anyway.
//
// The provider also accepts examples/react served by `npm run dev` or `npm run preview` on
// EXAMPLE_ORIGIN (redirect URIs, CORS): that example's own origin, fixed in its vite.config.ts.
//
// DEMO_CHECK_PORTS=1: only checks that the ports are free (exit 0) or prints the busy-port
// error (exit 1). `make demo` runs it before building pkg/, so that a second `make demo`
// says so at once instead of rebuilding pkg/ under the running one first.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startStaticServer, listen } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const smoke = process.env.DEMO_SMOKE === '1';
const STOP_GRACE_MS = 1500;
// A whole smoke run takes seconds; past this it has hung somewhere and fails.
const SMOKE_DEADLINE_MS = 120_000;

function portOf(name, fallback) {
  const raw = process.env[name] ?? String(fallback);
  const port = Number(raw);
  if (raw === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: ${name}=${raw} is not a port number (0 takes a free port)`);
    process.exit(1);
  }
  return port;
}
const ports = {
  app: portOf('DEMO_PORT', 8080),
  org: portOf('DEMO_ORG_PORT', 4000),
  custom: portOf('DEMO_CUSTOM_PORT', 4001),
  resource: portOf('DEMO_RESOURCE_PORT', 4002),
};
const hint = (variable) => `stop the other \`make demo\`, or set ${variable}=… (0 takes a free port)`;
const variables = { app: 'DEMO_PORT', org: 'DEMO_ORG_PORT', custom: 'DEMO_CUSTOM_PORT', resource: 'DEMO_RESOURCE_PORT' };
const EXAMPLE_ORIGIN = 'http://127.0.0.1:5173';

if (process.env.DEMO_CHECK_PORTS === '1') {
  for (const [name, port] of Object.entries(ports)) {
    if (port === 0) continue;
    const probe = createServer();
    try {
      await listen(probe, { port, hint: hint(variables[name]) });
    } catch (e) {
      if (e.code !== 'EADDRINUSE') throw e;
      console.error(`error: ${e.message}`);
      process.exit(1);
    }
    await new Promise((resolve) => probe.close(resolve));
  }
  process.exit(0);
}

// Imported only now: oidc-provider prints its start-up warnings when loaded.
const { startDevIdp, TEST_USER } = await import('../dev-idp/server.mjs');

let app;
let idp;
let stopping;

/** Stops the servers (open connections included); resolves within STOP_GRACE_MS, always. */
function stop() {
  stopping ??= Promise.race([
    Promise.all([app?.close(), idp?.close()]).then(() => true),
    new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS, false).unref()),
  ]);
  return stopping;
}

async function exit(code, why) {
  if (why) console.error(why);
  const clean = await stop();
  if (!clean) console.error(`demo: the servers did not close within ${STOP_GRACE_MS} ms; exiting anyway`);
  process.exit(code);
}

// Signals stop everything in both modes (Chromium, in smoke mode, is ended by Playwright
// when this process exits).
process.on('SIGINT', () => exit(smoke ? 130 : 0));
process.on('SIGTERM', () => exit(smoke ? 143 : 0));

let csp = '';
try {
  // The app first: the provider must know the app's origin (redirect URIs, CORS).
  app = await startStaticServer({
    mounts: { '/': `${root}www`, '/pkg/': `${root}pkg` },
    files: {
      // The demo app's one setting that depends on how the demo was started.
      // resourceUrl: the API (dev-idp/resource.mjs) the page may call with its access token.
      '/demo-config.js': () => ({
        type: 'text/javascript; charset=utf-8',
        body: `export const issuer = ${JSON.stringify(idp.org.issuer)};\nexport const resourceUrl = ${JSON.stringify(idp.resource.url)};\n`,
      }),
    },
    port: ports.app,
    headers: () => ({ 'content-security-policy': csp }),
    hint: hint(variables.app),
  });
  idp = await startDevIdp({
    orgPort: ports.org,
    customPort: ports.custom,
    resourcePort: ports.resource,
    appOrigins: [app.url, EXAMPLE_ORIGIN],
    autoLogin: smoke,
    hints: { org: hint(variables.org), custom: hint(variables.custom), resource: hint(variables.resource) },
  });
} catch (e) {
  if (e.code !== 'EADDRINUSE') throw e;
  await exit(1, `error: ${e.message}`);
}
// A strict Content-Security-Policy, as an app should serve: scripts from the app's origin
// only ('wasm-unsafe-eval' lets the page compile the .wasm, nothing else), fetch to the app
// and the provider (and the API the page calls), iframes (silent sign-in) from the provider
// only. Nothing inline. tests/e2e/demo.test.mjs pins this exact policy.
const providers = [idp.org.issuer, idp.custom.issuer].map((i) => new URL(i).origin).join(' ');
csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${providers} ${new URL(idp.resource.url).origin}; frame-src ${providers}`;

console.log(`demo app:              ${app.url}/`);
console.log(`OpenID Provider (org): ${idp.org.issuer}`);
console.log(`custom server:         ${idp.custom.issuer}`);
console.log(`resource server (API): ${idp.resource.url}/api/profile`);
if (!smoke) {
  console.log('clients: demo-spa (Bearer tokens), demo-spa-dpop (DPoP-bound tokens, nonces required)');
  console.log(`also accepts examples/react on ${EXAMPLE_ORIGIN}/ (client id demo-spa)`);
}

if (!smoke) {
  console.log(`test user: ${TEST_USER.login} (any password works)`);
  console.log(`served with Content-Security-Policy: ${csp}`);
  console.log('Ctrl-C stops.');
} else {
  setTimeout(() => exit(1, `demo smoke: FAILED (not done within ${SMOKE_DEADLINE_MS / 1000} s)`), SMOKE_DEADLINE_MS).unref();
  const { launchChromium } = await import('./chromium.mjs');
  const browser = await launchChromium();
  let failed = false;
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => { failed = true; console.error('page error:', e.message); });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) { failed = true; console.error('CSP violation:', m.text()); }
    });
    await page.goto(`${app.url}/`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
    console.log('demo smoke: page loaded; signing in with a popup');
    await page.click('#popup');
    await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]', { timeout: 30000 });
    const state = await page.getAttribute('#status', 'data-state');
    console.log(`demo smoke: ${await page.textContent('#status')}`);
    console.log(await page.textContent('#output'));
    if (state !== 'signed-in') throw new Error('sign-in did not succeed');
    // Renew once through the demo's button (a refresh token grant).
    await page.evaluate(() => { document.getElementById('status').dataset.state = 'renewing'; });
    await page.click('#renew');
    await page.waitForSelector('#status[data-state="signed-in"], #status[data-state="error"]', { timeout: 30000 });
    if ((await page.getAttribute('#status', 'data-state')) !== 'signed-in') {
      throw new Error(`renewal did not succeed: ${await page.textContent('#output')}`);
    }
    console.log('demo smoke: tokens renewed');
  } catch (e) {
    failed = true;
    console.error('demo smoke failed:', e.message);
  } finally {
    await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }
  console.log(failed ? 'demo smoke: FAILED' : 'demo smoke: OK');
  await exit(failed ? 1 : 0);
}
