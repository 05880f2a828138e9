// The built package outside a browser (Node: what a server render, a test runner or a
// script sees): importing never fails, the default entry needs no set-up, /slim starts from
// the file with initSync(), and a call that needs a page says so with its own code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
    for (const call of [() => client.buildAuthorizeUrl(), () => client.signInWithRedirect(), () => client.handleRedirect()]) {
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
