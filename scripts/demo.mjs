// `make demo`: serves the demo app (www/) and the built package (pkg/) on 127.0.0.1 until
// Ctrl-C. With DEMO_SMOKE=1: drives the page once in headless Chromium, prints what it
// shows, and exits (0 on success).
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const smoke = process.env.DEMO_SMOKE === '1';
const port = Number(process.env.DEMO_PORT ?? (smoke ? 0 : 8080));

const { server, url } = await startStaticServer({
  mounts: { '/': `${root}www`, '/pkg/': `${root}pkg` },
  port,
});

if (!smoke) {
  console.log(`demo app:  ${url}/`);
  console.log('OpenID Provider: not embedded yet (issue 6); the page validates client configurations.');
  console.log('Ctrl-C stops.');
  process.on('SIGINT', () => { server.close(); process.exit(0); });
} else {
  const { launchChromium } = await import('./chromium.mjs');
  const browser = await launchChromium();
  let failed = false;
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => { failed = true; console.error('page error:', e.message); });
    await page.goto(`${url}/`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 20000 });
    console.log('demo smoke: library loaded, client created:');
    console.log(await page.textContent('#output'));

    await page.fill('input[name="issuer"]', 'http://dev-1.okta.com');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#status[data-state="error"]', { timeout: 5000 });
    const shown = await page.textContent('#output');
    console.log(`demo smoke: a plain-http issuer is refused: ${shown}`);
    if (!shown.startsWith('invalid_config: issuer must use https')) throw new Error('unexpected error text');
  } catch (e) {
    failed = true;
    console.error('demo smoke failed:', e.message);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(failed ? 'demo smoke: FAILED' : 'demo smoke: OK');
  process.exit(failed ? 1 : 0);
}
