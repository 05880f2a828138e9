// Layer 2: the TypeScript shell (ts/) in Chromium, against the fakes of tests/shell/fakes.ts.
// Bundles the test files with the shell and the wasm core into one page, lists the tests,
// and runs each in a fresh load of that page, with a time limit.
import { after, before, describe, it } from 'node:test';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startStaticServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { closeBrowser, within } from '../e2e/harness.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// One folder per run: two runs at once (two checkouts' make test, or a developer's) never mix.
const out = `${root}target/shell-tests/${process.pid}`;
/** Each test's own limit; the waits inside the tests are shorter and name what they waited for. */
const TEST_TIMEOUT = 30_000;

mkdirSync(out, { recursive: true });
// The page's entry: the runner, every tests/shell/*.test.ts, and the wasm loaded once.
// SHELL_TESTS=popup,crypto runs only the files whose names contain one of those words.
const only = process.env.SHELL_TESTS?.split(',').filter(Boolean);
const files = readdirSync(`${root}tests/shell`)
  .filter((f) => f.endsWith('.test.ts') && (!only || only.some((w) => f.includes(w))))
  .sort();
writeFileSync(`${out}/entry.ts`, [
  `import '${root}tests/shell/runner.ts';`,
  ...files.map((f) => `import '${root}tests/shell/${f}';`),
  `import { init } from '${root}ts/core.ts';`,
  'export const ready = init().then(() => true);',
].join('\n'));
await build({
  entryPoints: [`${out}/entry.ts`],
  outfile: `${out}/tests.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  sourcemap: 'inline',
  logLevel: 'warning',
});
copyFileSync(`${root}pkg/okta_auth_wasm_bg.wasm`, `${out}/okta_auth_wasm_bg.wasm`);
writeFileSync(`${out}/index.html`, `<!doctype html><meta charset="utf-8"><title>shell tests</title>
<script type="module">
  import { ready } from './tests.js';
  window.testsReady = ready;
</script>`);

const server = await startStaticServer({ mounts: { '/': out } });
const browser = await launchChromium();
const page = await browser.newPage();
const load = async () => {
  await page.goto(`${server.url}/index.html`);
  await within(10_000, 'the test page', page.evaluate(() => window.testsReady));
};
await load();
const names = await page.evaluate(() => window.shellTests.list());

describe('the shell in Chromium (layer 2)', () => {
  before(() => {});
  after(async () => {
    await closeBrowser(browser);
    await server.close();
    rmSync(out, { recursive: true, force: true });
  });
  for (const name of names) {
    it(name, { timeout: TEST_TIMEOUT }, async () => {
      await load();
      const result = await within(TEST_TIMEOUT - 2000, name, page.evaluate((n) => window.shellTests.run(n), name));
      if (!result.ok) throw new Error(result.error);
    });
  }
});
