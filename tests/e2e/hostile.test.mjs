// Layer 3: the adversarial provider matrix (issue #8). The embedded provider's hostile switch
// (dev-idp/hostile.mjs) bends one thing at a time: the ID token's algorithm, key, signature,
// claims or size, the key set, or the error it sends. Each must be refused with its stable
// error code, store no token, and leave the client usable: the same client signs in as soon
// as the provider behaves again.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTILE_CASES, HTML_ERROR_DESCRIPTION } from '../../dev-idp/hostile.mjs';
import { describe, useHarness, call, evaluate, TEST_TIMEOUT } from './harness.mjs';

const h = useHarness();
const TOKENS_KEY = 'okta-auth-wasm:tokens:';

async function hostile(name) {
  const response = await fetch(`${h.idp.org.issuer}/__test/hostile?case=${name}`, { method: 'POST' });
  assert.equal(response.status, 200, await response.text());
}

/** A fresh browser context (no provider session, no caches) with a localStorage client. */
async function appPage(options = {}) {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${h.appOrigin}/`);
  await evaluate(page, 'the library loading in the page', async ([issuer, options]) => {
    await window.libReady;
    window.client = new window.lib.AuthClient({
      issuer,
      clientId: 'demo-spa',
      redirectUri: `${location.origin}/`,
      scopes: ['openid', 'profile', 'email'],
      storage: 'localStorage',
      ...options,
    });
  }, [h.idp.org.issuer, options]);
  return page;
}


async function assertNothingStored(page) {
  assert.deepEqual((await call(page, 'getTokens')).value, {});
  assert.equal(await page.evaluate(() => window.client.isAuthenticated()), false);
  const stored = await page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)), TOKENS_KEY);
  assert.deepEqual(stored, []);
}

const HYBRID = { clientId: 'demo-spa-implicit', responseType: 'code id_token' };

describe('a hostile provider: each case refused with its code, nothing stored, client usable', () => {
  for (const [name, { code, what }] of Object.entries(HOSTILE_CASES)) {
    it(`${name} (${what}) -> ${code}`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await appPage(name === 'wrong_c_hash' ? HYBRID : {});
      await hostile(name);
      let refused;
      try {
        refused = await call(page, 'signInWithPopup');
      } finally {
        await hostile('off');
      }
      assert.equal(refused.ok, false, `accepted: ${JSON.stringify(refused).slice(0, 300)}`);
      assert.equal(refused.isAuthError, true);
      assert.equal(refused.code, code, refused.message);
      if (name === 'html_error_description') {
        assert.ok(refused.message.includes(HTML_ERROR_DESCRIPTION), 'the description is kept as text');
        await evaluate(page, 'a pause in the page', () => new Promise((r) => setTimeout(r, 200)));
        assert.equal(await page.evaluate(() => window.pwned), undefined, 'none of it ran');
      }
      await assertNothingStored(page);

      const again = await call(page, 'signInWithPopup');
      assert.equal(again.ok, true, `not usable afterwards: ${JSON.stringify(again).slice(0, 300)}`);
      assert.equal(again.value.idToken.claims.sub, 'jane');
      await page.context().close();
    });
  }

  it('a redirect response replayed after use -> transaction_not_found, the tokens held unchanged', { timeout: TEST_TIMEOUT }, async () => {
    const page = await appPage();
    const navigated = page.waitForURL(/[?&]code=/, { timeout: 20000 });
    await evaluate(page, 'client.signInWithRedirect()', () => window.client.signInWithRedirect());
    await navigated;
    const callbackUrl = page.url();
    await evaluate(page, 'the library loading after the redirect', async (issuer) => {
      await window.libReady;
      window.client = new window.lib.AuthClient({
        issuer, clientId: 'demo-spa', redirectUri: `${location.origin}/`, scopes: ['openid', 'profile', 'email'], storage: 'localStorage',
      });
    }, h.idp.org.issuer);
    const first = await call(page, 'handleRedirect');
    assert.equal(first.ok, true, JSON.stringify(first));
    const replay = await call(page, 'handleRedirect', callbackUrl);
    assert.equal(replay.ok, false);
    assert.equal(replay.code, 'transaction_not_found');
    const held = await call(page, 'getTokens');
    assert.equal(held.value.accessToken.value, first.value.tokens.accessToken.value);
    await page.context().close();
  });
});
