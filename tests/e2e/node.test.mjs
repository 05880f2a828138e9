// The built package outside a browser (Node: what a server render, a test runner or a
// script sees): importing never fails, the default entry needs no set-up, /slim starts from
// the file with initSync(), and a call that needs a page says so with its own code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TEST_TIMEOUT, pkgDir } from './harness.mjs';

const config = { issuer: 'https://dev-1.okta.com/oauth2/default', clientId: '0oa1spa', redirectUri: 'https://app.example/' };

describe('the package in Node', () => {
  it('okta-auth-wasm: imports, constructs with no init(), and refuses page-only calls with no_page', { timeout: TEST_TIMEOUT }, async () => {
    const lib = await import(`${pkgDir}/index.js`);
    const client = new lib.AuthClient(config);
    assert.deepEqual(client.scopes, ['openid', 'profile', 'email']);
    assert.equal(await client.isAuthenticated(), false);
    assert.deepEqual(await client.getTokens(), {});
    for (const call of [() => client.buildAuthorizeUrl(), () => client.signInWithPopup(), () => client.signInSilently(), () => client.signInWithRedirect(), () => client.handleRedirect()]) {
      await assert.rejects(call(), (e) => {
        assert.ok(e instanceof lib.AuthError);
        assert.equal(e.code, 'no_page');
        assert.match(e.message, /^no_page: this call needs a browser page .*\(Node, a server render\?\)/);
        return true;
      });
    }
  });

  it('okta-auth-wasm/slim: not_initialized until initSync() gets the .wasm, then works', { timeout: TEST_TIMEOUT }, async () => {
    const slim = await import(`${pkgDir}/slim.js`);
    assert.throws(() => new slim.AuthClient(config), (e) => e instanceof slim.AuthError && e.code === 'not_initialized');
    slim.initSync(readFileSync(`${pkgDir}/okta_auth_wasm_bg.wasm`));
    assert.equal(new slim.AuthClient(config).issuer, config.issuer);
  });
});

describe('the shipped source maps', () => {
  // What `node --enable-source-maps` (and browser devtools, from the same .map) show: our
  // function names and ts/ lines, not `at F (index.js:1:227)`.
  for (const entry of ['index.js', 'slim.js']) {
    it(`map ${entry}'s stack traces to the TypeScript functions`, { timeout: TEST_TIMEOUT }, () => {
      const script = `
        const lib = await import(${JSON.stringify(`${pkgDir}/${entry}`)});
        if (${JSON.stringify(entry)} === 'slim.js') lib.initSync((await import('node:fs')).readFileSync(${JSON.stringify(`${pkgDir}/okta_auth_wasm_bg.wasm`)}));
        try { new lib.AuthClient({}); } catch (e) { console.log(e.code + '\\n' + e.stack); }`;
      const out = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { encoding: 'utf8' });
      const [code, ...stack] = out.trim().split('\n');
      assert.equal(code, 'invalid_config');
      const frames = stack.filter((l) => /^\s+at /.test(l));
      assert.match(frames[0], /^\s+at toError \(.*\/ts\/core\.ts:\d+:\d+\)$/, frames.join('\n'));
      assert.match(frames[1], /^\s+at run \(.*\/ts\/core\.ts:\d+:\d+\)$/, frames.join('\n'));
      // (A constructor's frame keeps the minified class name; its place is mapped.)
      assert.ok(frames.some((l) => /at new \w+ \(.*\/ts\/client\.ts:\d+:\d+\)/.test(l)), frames.join('\n'));
    });
  }
});
