// Layer 3: the token manager of the built package, two pages of one origin sharing
// localStorage, against the embedded OpenID Provider (dev-idp/): one renewal for both.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useHarness, call } from './harness.mjs';

const h = useHarness({ appPort: 18081, orgPort: 14010 });
const { appOrigin } = h;

/**
 * A page of the app with a localStorage client, every token-manager event recorded, and a
 * fetch spy that counts refresh-token grants and holds each one back 1.5 s, so that a
 * second page's renewal surely starts while the first one's is under way (on a loaded
 * machine too).
 */
async function appPage(context) {
  const page = await context.newPage();
  await page.goto(`${appOrigin}/`);
  await page.evaluate(async (issuer) => {
    await window.libReady;
    window.refreshes = 0;
    const realFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'POST' && new URLSearchParams(await request.clone().text()).get('grant_type') === 'refresh_token') {
        window.refreshes += 1;
        await new Promise((r) => setTimeout(r, 1500));
      }
      return realFetch(request);
    };
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


describe('token manager across pages', () => {
  it('two pages of one origin share one refresh, and both see the new tokens', async () => {
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

    // Both pages renew at the same instant: the Web Lock lets one refresh, the other
    // reads storage once the lock is free and takes the result.
    const at = Date.now() + 1000;
    const start = (page) => page.evaluate(async (at) => {
      await new Promise((r) => setTimeout(r, at - Date.now()));
      const late = Date.now() - at;
      try {
        return { ok: true, late, value: await window.client.renewTokens() };
      } catch (e) {
        return { ok: false, late, code: e.code, message: e.message };
      }
    }, at);
    const [ra, rb] = await Promise.all([start(a), start(b)]);
    assert.equal(ra.ok, true, JSON.stringify(ra));
    assert.equal(rb.ok, true, JSON.stringify(rb));
    const refreshes = (await a.evaluate(() => window.refreshes)) + (await b.evaluate(() => window.refreshes));
    assert.equal(refreshes, 1, `exactly one refresh request for both pages (started ${ra.late} and ${rb.late} ms late)`);
    assert.equal(tokenRequestsAtProvider, 2, 'the code exchange and one refresh reached the provider');
    assert.notEqual(ra.value.accessToken.value, first.accessToken.value);
    assert.equal(rb.value.accessToken.value, ra.value.accessToken.value);
    assert.equal(rb.value.refreshToken.value, ra.value.refreshToken.value);
    assert.equal(ra.value.idToken.claims.sub, 'jane');

    // Each page heard of the renewal (b through the storage event or its re-read).
    const eventsOf = (page) => page.evaluate(() => window.events.map((e) => e.name));
    assert.ok((await eventsOf(a)).includes('renewed'));
    assert.ok((await eventsOf(b)).includes('renewed'));

    // Signing out in one page removes the tokens in the other.
    assert.equal((await call(a, 'signOut', { local: true })).ok, true);
    await b.waitForFunction(() => window.events.some((e) => e.name === 'removed'));
    const after = await call(b, 'getTokens');
    assert.deepEqual(after.value, {});
    await context.close();
  });

  it('renews on read with the refresh token once the access token is due', async () => {
    const context = await h.browser.newContext();
    const page = await appPage(context);
    assert.equal((await call(page, 'signInWithPopup')).ok, true);
    // A client that renews 3600 s early treats the fresh token as due.
    const r = await page.evaluate(async (issuer) => {
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
