// Layer 3: the built npm package (pkg/) in a real page in Chromium, called from JS.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { evaluate, closeBrowser, HOOK_TIMEOUT, TEST_TIMEOUT, pkgDir, sizeReport } from './harness.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const valid = {
  issuer: 'https://dev-1.okta.com/oauth2/default',
  clientId: '0oa1spa',
  redirectUri: 'https://app.example/callback',
};

let app, browser, page;

before(async () => {
  app = await startStaticServer({
    mounts: { '/': `${root}tests/e2e/fixtures`, '/pkg/': pkgDir },
  });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${app.url}/`);
  await evaluate(page, 'the library loading in the page', () => window.libReady);
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await closeBrowser(browser);
  await app?.close();
}, { timeout: HOOK_TIMEOUT });

/** Runs `new AuthClient(config)` in the page; returns the client's getters or the error's fields. */
function construct(config) {
  return evaluate(page, 'new AuthClient() in the page', (config) => {
    const { AuthClient, AuthError } = window.lib;
    try {
      const c = new AuthClient(config);
      return { ok: true, issuer: c.issuer, clientId: c.clientId, redirectUri: c.redirectUri, scopes: c.scopes, responseType: c.responseType };
    } catch (e) {
      return {
        ok: false,
        isAuthError: e instanceof AuthError,
        isError: e instanceof Error,
        name: e.name,
        code: e.code,
        message: e.message,
        description: e.description,
        hasStack: typeof e.stack === 'string',
      };
    }
  }, config);
}

describe('new AuthClient(config) from JS', () => {
  it('accepts a valid config and applies the documented defaults', { timeout: TEST_TIMEOUT }, async () => {
    const r = await construct(valid);
    assert.deepEqual(r, { ok: true, ...valid, scopes: ['openid', 'profile', 'email'], responseType: 'code' });
  });

  it('throws AuthError invalid_config naming issuer when the issuer is missing', { timeout: TEST_TIMEOUT }, async () => {
    const { issuer, ...rest } = valid;
    const r = await construct(rest);
    assert.equal(r.ok, false);
    assert.equal(r.isAuthError, true);
    assert.equal(r.isError, true);
    assert.equal(r.name, 'AuthError');
    assert.equal(r.hasStack, true);
    assert.equal(r.code, 'invalid_config');
    assert.equal(r.message, 'invalid_config: issuer is required');
    assert.equal(r.description, 'issuer is required');
  });

  it('throws invalid_config naming clientId when the client id is missing', { timeout: TEST_TIMEOUT }, async () => {
    const r = await construct({ ...valid, clientId: undefined });
    assert.equal(r.code, 'invalid_config');
    assert.equal(r.message, 'invalid_config: clientId is required');
  });

  it('refuses an issuer that is not https', { timeout: TEST_TIMEOUT }, async () => {
    const r = await construct({ ...valid, issuer: 'http://dev-1.okta.com' });
    assert.equal(r.isAuthError, true);
    assert.equal(r.code, 'invalid_config');
    assert.match(r.message, /^invalid_config: issuer must use https/);
  });

  it('allows plain http issuers on loopback hosts only', { timeout: TEST_TIMEOUT }, async () => {
    for (const issuer of ['http://127.0.0.1:4000', 'http://localhost:4000/oauth2/default', 'http://[::1]:4000']) {
      assert.equal((await construct({ ...valid, issuer })).ok, true, issuer);
    }
    assert.equal((await construct({ ...valid, issuer: 'http://127.0.0.1.nip.io' })).code, 'invalid_config');
  });

  it('refuses a redirect URI that is not absolute, naming redirectUri', { timeout: TEST_TIMEOUT }, async () => {
    for (const redirectUri of ['/callback', 'callback', '//app.example/cb']) {
      const r = await construct({ ...valid, redirectUri });
      assert.equal(r.code, 'invalid_config', redirectUri);
      assert.equal(r.message, 'invalid_config: redirectUri must be an absolute URL (https://host/path)');
    }
  });

  it('refuses a config that is not an object', { timeout: TEST_TIMEOUT }, async () => {
    for (const config of [undefined, null, 'https://dev-1.okta.com', []]) {
      const r = await construct(config);
      assert.equal(r.code, 'invalid_config', String(config));
      assert.match(r.message, /^invalid_config: config must be an object/);
    }
  });

  it('refuses a misspelt option instead of ignoring it', { timeout: TEST_TIMEOUT }, async () => {
    const r = await construct({ ...valid, clientID: 'x' });
    assert.equal(r.code, 'invalid_config');
    assert.match(r.message, /unknown option "clientID"/);
  });

  it('refuses a clientSecret as not_for_browsers, saying why', { timeout: TEST_TIMEOUT }, async () => {
    for (const clientSecret of ['s3cr3t', '']) {
      const r = await construct({ ...valid, clientSecret });
      assert.equal(r.isAuthError, true);
      assert.equal(r.code, 'not_for_browsers', JSON.stringify(clientSecret));
      assert.equal(r.message, 'not_for_browsers: clientSecret: a browser cannot keep a secret (RFC 6749 §2.1); use a public client (single-page app) with PKCE');
    }
  });

  it('stays usable after refusing a config', { timeout: TEST_TIMEOUT }, async () => {
    await construct({});
    assert.equal((await construct(valid)).ok, true);
  });
});

describe('loading the core', () => {
  /** A fresh page of the fixture's origin (its own module instances) running `fn(arg)`. */
  async function inFreshPage(what, fn, arg, origin = app.url) {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${origin}/empty.html`);
      return await evaluate(fresh, what, fn, arg);
    } finally {
      await fresh.close();
    }
  }

  /** In the page: imports `url` and constructs a client; the error's fields if it throws. */
  const constructIn = async ({ config, url }) => {
    const lib = await import(url);
    try {
      new lib.AuthClient(config);
      return { ok: true };
    } catch (e) {
      return { isAuthError: e instanceof lib.AuthError, code: e.code, message: e.message };
    }
  };

  it('okta-auth-wasm needs no init(): the first call starts the inlined core', { timeout: TEST_TIMEOUT }, async () => {
    const r = await inFreshPage('the default entry without init()', async (config) => {
      const lib = await import('/pkg/index.js');
      const client = new lib.AuthClient(config);
      const url = await client.buildAuthorizeUrl();
      // A later init() finds the core running and changes nothing.
      await Promise.all([lib.default(), lib.default()]);
      return { issuer: client.issuer, url: url.url.split('?')[0], after: (await client.buildAuthorizeUrl()).url.startsWith(config.issuer) };
    }, valid);
    assert.deepEqual(r, { issuer: valid.issuer, url: `${valid.issuer}/v1/authorize`, after: true });
  });

  it('okta-auth-wasm under a CSP without wasm-unsafe-eval: AuthError internal naming the fix', { timeout: TEST_TIMEOUT }, async () => {
    const strict = await startStaticServer({
      mounts: { '/': `${root}tests/e2e/fixtures`, '/pkg/': pkgDir },
      headers: { 'content-security-policy': "default-src 'self'; script-src 'self'" },
    });
    try {
      const r = await inFreshPage('the default entry under a strict CSP', constructIn, { config: valid, url: '/pkg/index.js' }, strict.url);
      assert.equal(r.isAuthError, true);
      assert.equal(r.code, 'internal');
      assert.match(r.message, /refused to compile okta-auth-wasm's WebAssembly .*script-src 'wasm-unsafe-eval'$/);
    } finally {
      await strict.close();
    }
  });

  it('okta-auth-wasm/slim before init() throws not_initialized saying what to do', { timeout: TEST_TIMEOUT }, async () => {
    const r = await inFreshPage('the slim entry before init()', constructIn, { config: valid, url: '/pkg/slim.js' });
    assert.equal(r.isAuthError, true);
    assert.equal(r.code, 'not_initialized');
    assert.match(r.message, /^not_initialized: okta-auth-wasm\/slim is not loaded yet: `await init\(\)`.*or import 'okta-auth-wasm', which needs no init\(\)$/);
  });

  it('okta-auth-wasm/slim: concurrent and repeated init() share one instance (the StrictMode case)', { timeout: TEST_TIMEOUT }, async () => {
    const r = await inFreshPage('init() twice at once in the slim entry', async (config) => {
      const lib = await import('/pkg/slim.js');
      const fetched = [];
      const realFetch = window.fetch;
      window.fetch = (input, init) => {
        fetched.push(String(input));
        return realFetch(input, init);
      };
      // Two effects at once, as React StrictMode runs them: the first client is made as soon
      // as the first init() resolves, before the second has.
      let early;
      const first = lib.default().then(() => {
        early = new lib.AuthClient(config);
      });
      const second = lib.default();
      await Promise.all([first, second, lib.default()]);
      await lib.default();
      const late = new lib.AuthClient(config);
      const urls = await Promise.all([early.buildAuthorizeUrl(), late.buildAuthorizeUrl(), early.buildAuthorizeUrl()]);
      window.fetch = realFetch;
      return { fetched: fetched.length, same: urls.map((u) => u.url.split('?')[0]) };
    }, valid);
    assert.equal(r.fetched, 1, 'one fetch of the .wasm');
    assert.deepEqual(r.same, Array(3).fill(`${valid.issuer}/v1/authorize`));
  });
});

describe('the npm package', () => {
  const manifest = JSON.parse(readFileSync(`${pkgDir}/package.json`, 'utf8'));

  it('is an ES module package whose version is the crate version', { timeout: TEST_TIMEOUT }, () => {
    const cargo = readFileSync(`${root}Cargo.toml`, 'utf8');
    assert.equal(manifest.name, 'okta-auth-wasm');
    assert.equal(manifest.type, 'module');
    assert.equal(manifest.version, cargo.match(/^version = "([^"]+)"/m)[1]);
    assert.deepEqual(manifest.exports['.'], { types: './index.d.ts', default: './index.js' });
    assert.deepEqual(manifest.exports['./slim'], { types: './slim.d.ts', default: './slim.js' });
    // Where the README's readers find the source, the issues and the security policy.
    assert.match(manifest.repository.url, /^git\+https:\/\/github\.com\/[\w-]+\/okta-auth-wasm\.git$/);
    assert.match(manifest.homepage, /^https:\/\//);
    assert.match(manifest.bugs.url, /\/issues$/);
  });

  it('packs the wasm, two bundled JS modules with their source maps, and the types, nothing else', { timeout: TEST_TIMEOUT }, () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: pkgDir, encoding: 'utf8' });
    const files = JSON.parse(out)[0].files.map((f) => f.path).sort();
    const types = files.filter((f) => f.endsWith('.d.ts'));
    for (const t of ['index.d.ts', 'slim.d.ts', 'okta_auth_wasm_bg.wasm.d.ts']) assert.ok(types.includes(t), t);
    assert.deepEqual(files.filter((f) => !f.endsWith('.d.ts')), [
      'LICENSE', 'README.md', 'index.js', 'index.js.map', 'okta_auth_wasm_bg.wasm', 'package.json', 'slim.js', 'slim.js.map',
    ]);
    for (const file of ['index.js', 'slim.js']) {
      // Each bundle imports nothing: the shell, the core's door and AuthError are inside.
      const bundle = readFileSync(`${pkgDir}/${file}`, 'utf8');
      // (A statement `import ...`, `export ... from "..."` or `import("...")`, not a word in a text.)
      assert.ok(!/(^|[;}])\s*import[\s{*"']|\}\s*from\s*["']|\bimport\s*\(/.test(bundle), `${file} imports nothing`);
      assert.match(bundle, new RegExp(`\\n//# sourceMappingURL=${file}\\.map\\n?$`), file);
    }
    // /slim finds the .wasm next to itself; the default entry names no file and no import.meta.
    assert.match(readFileSync(`${pkgDir}/slim.js`, 'utf8'), /new URL\("okta_auth_wasm_bg\.wasm",import\.meta\.url\)/);
    const index = readFileSync(`${pkgDir}/index.js`, 'utf8');
    assert.ok(!/import\.meta|new URL\("okta_auth_wasm/.test(index), 'index.js uses no import.meta and names no .wasm URL');
  });

  it('has a core that imports nothing and exports only its door', { timeout: TEST_TIMEOUT }, async () => {
    const module = await WebAssembly.compile(readFileSync(`${pkgDir}/okta_auth_wasm_bg.wasm`));
    assert.deepEqual(WebAssembly.Module.imports(module), []);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const name of ['memory', 'okta_buf', 'okta_call', 'okta_out']) assert.ok(names.includes(name), name);
  });

  // The size guards (issue #14): what a browser downloads, each file gzip -9 as the size
  // report measures it. #14's target is 35,000 B (aim 30,000) and is NOT met yet; until it
  // is, these are ratchets at the sizes reached, so the package cannot grow unnoticed. Lower
  // them as the size falls. A build without immediate-abort (a rustup toolchain without
  // rust-src) is larger. DPoP (issue #16) raised both by what it measured: +6,005 B for
  // /slim (the .wasm +4,692, slim.js +1,313) and +6,611 B for the default entry. /slim is slim.js + the .wasm; the default entry is index.js alone,
  // the .wasm inside as hex (issue #15 chose it for the default: see the README).
  const gz = (file) => execFileSync('gzip', ['-9', '-n', '-c', `${pkgDir}/${file}`]).length;
  it('downloads no more than the size reached: okta-auth-wasm/slim (slim.js + .wasm)', { timeout: TEST_TIMEOUT }, () => {
    const report = JSON.parse(readFileSync(sizeReport, 'utf8'));
    const budget = report.immediateAbort ? 84_798 : 96_798;
    const total = gz('okta_auth_wasm_bg.wasm') + gz('slim.js');
    assert.equal(total, report.slim.total.gzip, 'the size report describes this pkg/');
    assert.ok(total <= budget, `${total} B gzip is over the budget of ${budget} B`);
  });

  it('downloads no more than the size reached: okta-auth-wasm (index.js, the .wasm inside)', { timeout: TEST_TIMEOUT }, () => {
    const report = JSON.parse(readFileSync(sizeReport, 'utf8'));
    const budget = report.immediateAbort ? 95_130 : 108_130;
    const total = gz('index.js');
    assert.equal(total, report.default.gzip, 'the size report describes this pkg/');
    assert.ok(total <= budget, `${total} B gzip is over the budget of ${budget} B`);
    // The inlined .wasm is the separate one, byte for byte.
    const hex = readFileSync(`${pkgDir}/okta_auth_wasm_bg.wasm`).toString('hex');
    assert.ok(readFileSync(`${pkgDir}/index.js`, 'utf8').includes(`"${hex}"`), 'index.js carries pkg/okta_auth_wasm_bg.wasm');
  });

  it('declares AuthClient, its options and AuthError in its types', { timeout: TEST_TIMEOUT }, () => {
    const dts = ['index.d.ts', 'client.d.ts', 'types.d.ts', 'errors.d.ts'].map((f) => readFileSync(`${pkgDir}/${f}`, 'utf8')).join('\n');
    assert.match(dts, /export declare class AuthClient/);
    assert.match(dts, /constructor\(config: AuthConfig\)/);
    assert.match(dts, /export interface AuthConfig/);
    assert.match(dts, /export declare class AuthError extends Error/);
  });
});
