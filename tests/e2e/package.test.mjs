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

describe('the npm package', () => {
  const manifest = JSON.parse(readFileSync(`${pkgDir}/package.json`, 'utf8'));

  it('is an ES module package whose version is the crate version', { timeout: TEST_TIMEOUT }, () => {
    const cargo = readFileSync(`${root}Cargo.toml`, 'utf8');
    assert.equal(manifest.name, 'okta-auth-wasm');
    assert.equal(manifest.type, 'module');
    assert.equal(manifest.version, cargo.match(/^version = "([^"]+)"/m)[1]);
    assert.equal(manifest.exports['.'].default, './index.js');
    assert.equal(manifest.exports['.'].types, './index.d.ts');
  });

  it('packs the wasm, one bundled JS module with its source map, and the types, nothing else', { timeout: TEST_TIMEOUT }, () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: pkgDir, encoding: 'utf8' });
    const files = JSON.parse(out)[0].files.map((f) => f.path).sort();
    const types = files.filter((f) => f.endsWith('.d.ts'));
    assert.ok(types.includes('index.d.ts'), 'index.d.ts');
    assert.deepEqual(files.filter((f) => !f.endsWith('.d.ts')), [
      'LICENSE', 'README.md', 'index.js', 'index.js.map', 'okta_auth_wasm_bg.wasm', 'package.json',
    ]);
    // The bundle imports nothing: the shell, the core's door and AuthError are inside.
    const bundle = readFileSync(`${pkgDir}/index.js`, 'utf8');
    // (A statement `import ...`, `export ... from "..."` or `import("...")`, not a word in a text.)
    assert.doesNotMatch(bundle, /(^|[;}])\s*import[\s{*"']|\}\s*from\s*["']|\bimport\s*\(/);
    assert.match(bundle, /new URL\("okta_auth_wasm_bg\.wasm",import\.meta\.url\)/);
  });

  it('has a core that imports nothing and exports only its door', { timeout: TEST_TIMEOUT }, async () => {
    const module = await WebAssembly.compile(readFileSync(`${pkgDir}/okta_auth_wasm_bg.wasm`));
    assert.deepEqual(WebAssembly.Module.imports(module), []);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const name of ['memory', 'okta_buf', 'okta_call', 'okta_out']) assert.ok(names.includes(name), name);
  });

  // The size guard (issue #14): what a browser downloads (the .wasm and index.js, each gzip -9
  // as the size report measures them). #14's target is 35,000 B (aim 30,000) and is NOT met
  // yet; until it is, this is a ratchet at the size reached, so the package cannot grow
  // unnoticed. Lower it as the size falls. A build without immediate-abort (a rustup toolchain
  // without rust-src) is larger.
  it('downloads no more than the size reached (wasm + JS, gzip -9)', { timeout: TEST_TIMEOUT }, () => {
    const report = JSON.parse(readFileSync(sizeReport, 'utf8'));
    const budget = report.immediateAbort ? 78_575 : 90_575;
    const gz = (file) => execFileSync('gzip', ['-9', '-n', '-c', `${pkgDir}/${file}`]).length;
    const total = gz('okta_auth_wasm_bg.wasm') + gz('index.js');
    assert.equal(total, report.total.gzip, 'the size report describes this pkg/');
    assert.ok(total <= budget, `${total} B gzip is over the budget of ${budget} B`);
  });

  it('declares AuthClient, its options and AuthError in its types', { timeout: TEST_TIMEOUT }, () => {
    const dts = ['index.d.ts', 'client.d.ts', 'types.d.ts', 'errors.d.ts'].map((f) => readFileSync(`${pkgDir}/${f}`, 'utf8')).join('\n');
    assert.match(dts, /export declare class AuthClient/);
    assert.match(dts, /constructor\(config: AuthConfig\)/);
    assert.match(dts, /export interface AuthConfig/);
    assert.match(dts, /export declare class AuthError extends Error/);
  });
});
