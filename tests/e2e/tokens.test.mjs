// Layer 3: the token manager of the built package, two pages of one origin sharing
// localStorage, against the embedded OpenID Provider (dev-idp/): one renewal for both.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describe, useHarness, call, evaluate, gateRefreshes, TEST_TIMEOUT } from './harness.mjs';

const h = useHarness();
const RENEW_LOCK = 'okta-auth-wasm:renew:';

/**
 * A page of the app with a localStorage client, every token-manager event recorded, and
 * the refresh gate (`gateRefreshes`: `window.refreshes`, `holdRefreshes()`,
 * `releaseRefreshes()`).
 */
async function appPage(context) {
  const page = await context.newPage();
  await page.goto(`${h.appOrigin}/`);
  await gateRefreshes(page);
  await evaluate(page, 'the library loading in the page', async (issuer) => {
    await window.libReady;
    window.client = new window.lib.AuthClient({
      issuer,
      clientId: 'demo-spa',
      redirectUri: `${location.origin}/`,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      storage: 'localStorage',
      autoRenew: false,
    });
    window.events = [];
    for (const name of ['added', 'renewed', 'expired', 'removed', 'error']) {
      window.client.on(name, (payload) => window.events.push({ name, code: payload?.code }));
    }
  }, h.idp.org.issuer);
  return page;
}

/** Resolves once `page` holds `held` and awaits `pending` Web Locks of the renewal (any page of the origin). */
function renewLocks(page, held, pending) {
  return evaluate(page, `the renewal's Web Lock held ${held} and awaited ${pending} times`, async ([prefix, held, pending]) => {
    for (;;) {
      const q = await navigator.locks.query();
      const count = (list) => list.filter((l) => l.name.startsWith(prefix)).length;
      if (count(q.held) === held && count(q.pending) === pending) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }, [RENEW_LOCK, held, pending]);
}

describe('token manager across pages', () => {
  it('while one page refreshes, another waits for the Web Lock and takes its tokens: one refresh for both', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    const a = await appPage(context);
    const b = await appPage(context);
    // Seen by the browser, not by the pages' fetch spies: what reaches the provider. (The
    // spies re-send the body as a stream, which Playwright does not show: count only.)
    let tokenRequestsAtProvider = 0;
    context.on('request', (r) => {
      if (new URL(r.url()).pathname === '/oauth2/v1/token') tokenRequestsAtProvider += 1;
    });

    const signIn = await call(a, 'signInWithPopup');
    assert.equal(signIn.ok, true, JSON.stringify(signIn));
    const first = signIn.value;
    assert.ok(first.refreshToken?.value, 'offline_access gives a refresh token');

    // Page b finds the session in localStorage.
    const seen = await call(b, 'getTokens');
    assert.equal(seen.value.accessToken.value, first.accessToken.value);
    assert.equal(await b.evaluate(() => window.client.isAuthenticated()), true);

    // The interleaving, step by step: a's refresh request is held under the lock; b asks
    // for the lock and waits; only then is a's request let go.
    await a.evaluate(() => window.holdRefreshes());
    const renewedA = call(a, 'renewTokens');
    await a.waitForFunction(() => window.refreshes === 1);
    await renewLocks(a, 1, 0);
    const renewedB = call(b, 'renewTokens');
    await renewLocks(b, 1, 1);
    assert.equal(await b.evaluate(() => window.refreshes), 0, 'b waits without a request of its own');
    await a.evaluate(() => window.releaseRefreshes());
    const [ra, rb] = await Promise.all([renewedA, renewedB]);
    assert.equal(ra.ok, true, JSON.stringify(ra));
    assert.equal(rb.ok, true, JSON.stringify(rb));
    assert.equal(await a.evaluate(() => window.refreshes), 1);
    assert.equal(await b.evaluate(() => window.refreshes), 0, 'b took the tokens a renewed');
    assert.equal(tokenRequestsAtProvider, 2, 'the code exchange and one refresh reached the provider');
    assert.notEqual(ra.value.accessToken.value, first.accessToken.value);
    assert.equal(rb.value.accessToken.value, ra.value.accessToken.value);
    assert.equal(rb.value.refreshToken.value, ra.value.refreshToken.value);
    assert.equal(ra.value.idToken.claims.sub, 'jane');

    // Each page heard of the renewal (b through the storage event or its re-read).
    const eventsOf = (page) => page.evaluate(() => window.events.map((e) => e.name));
    assert.ok((await eventsOf(a)).includes('renewed'));
    assert.ok((await eventsOf(b)).includes('renewed'));

    // The grant is intact: no page sent the refresh token a had rotated (oidc-provider, like
    // any provider with reuse detection, would have revoked the grant).
    const again = await call(b, 'renewTokens');
    assert.equal(again.ok, true, `the session at the provider survived: ${JSON.stringify(again)}`);

    // Signing out in one page removes the tokens in the other.
    assert.equal((await call(a, 'signOut', { local: true })).ok, true);
    await b.waitForFunction(() => window.events.some((e) => e.name === 'removed'));
    const after = await call(b, 'getTokens');
    assert.deepEqual(after.value, {});
    await context.close();
  });

  it('renews on read with the refresh token once the access token is due', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    const page = await appPage(context);
    assert.equal((await call(page, 'signInWithPopup')).ok, true);
    // A client that renews 3600 s early treats the fresh token as due.
    const r = await evaluate(page, 'getAccessToken() of a client renewing 3600 s early', async (issuer) => {
      const early = new window.lib.AuthClient({
        issuer, clientId: 'demo-spa', redirectUri: `${location.origin}/`,
        storage: 'localStorage', autoRenew: false, expireEarlySeconds: 3600,
      });
      const before = JSON.parse(localStorage.getItem(`okta-auth-wasm:tokens:demo-spa ${issuer}`));
      const token = await early.getAccessToken();
      return { before: before.accessToken.value, after: token.value, refreshes: window.refreshes };
    }, h.idp.org.issuer);
    assert.equal(r.refreshes, 1);
    assert.notEqual(r.after, r.before);
    await context.close();
  });
});
