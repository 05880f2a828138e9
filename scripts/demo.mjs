// `make demo`: starts the embedded OpenID Provider (dev-idp/) and serves the demo app (www/)
// with the built package (pkg/) on 127.0.0.1, until Ctrl-C. With DEMO_SMOKE=1: signs in once
// through a popup in headless Chromium, prints the validated ID token claims, renews the
// tokens once, stops everything and exits (0 on success).
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './serve.mjs';
import { startDevIdp, TEST_USER } from '../dev-idp/server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const smoke = process.env.DEMO_SMOKE === '1';
const port = Number(process.env.DEMO_PORT ?? 8080);
const appOrigin = `http://127.0.0.1:${port}`;

const idp = await startDevIdp({ appOrigins: [appOrigin], autoLogin: smoke });
// A strict Content-Security-Policy, as an app should serve: scripts from the app's origin
// only ('wasm-unsafe-eval' lets the page compile the .wasm, nothing else), fetch to the app
// and the provider, iframes (silent sign-in) from the provider only. Nothing inline.
const providers = [idp.org.issuer, idp.custom.issuer].map((i) => new URL(i).origin).join(' ');
const CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${providers}; frame-src ${providers}`;
const app = await startStaticServer({
  mounts: { '/': `${root}www`, '/pkg/': `${root}pkg` },
  port,
  headers: { 'content-security-policy': CSP },
});

async function stop() {
  app.server.close();
  await idp.close();
}

if (!smoke) {
  console.log(`demo app:             ${app.url}/`);
  console.log(`OpenID Provider (org): ${idp.org.issuer}`);
  console.log(`custom server:         ${idp.custom.issuer}`);
  console.log(`test user: ${TEST_USER.login} (any password works)`);
  console.log(`served with Content-Security-Policy: ${CSP}`);
  console.log('Ctrl-C stops.');
  process.on('SIGINT', async () => { await stop(); process.exit(0); });
} else {
  const { launchChromium } = await import('./chromium.mjs');
  const browser = await launchChromium();
  let failed = false;
  try {
    const page = await browser.newPage();
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
    await browser.close();
    await stop();
  }
  console.log(failed ? 'demo smoke: FAILED' : 'demo smoke: OK');
  process.exit(failed ? 1 : 0);
}
