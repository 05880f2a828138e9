// Layer 3: the app on http://localhost, the provider on http://127.0.0.1: cross-site, so the
// provider's session cookie (SameSite=Lax) is not sent to the hidden iframe. This is what
// users of Safari, and of any browser blocking third-party cookies, meet: silent sign-in
// fails with login_required, and renewal must rest on the refresh token.
// Time limits: each test's TEST_TIMEOUT, each page call through `call` (harness.mjs).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describe, useHarness, call, evaluate, TEST_TIMEOUT } from './harness.mjs';

const h = useHarness({ appHost: 'localhost' });

describe('app and provider on different sites', () => {
  it('signs in with a popup; the silent iframe gets login_required; renewal by refresh token works', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.appOrigin}/`);
    assert.equal(new URL(h.idp.org.issuer).hostname, '127.0.0.1');
    await evaluate(page, 'the library loading in the page', async (issuer) => {
      await window.libReady;
      window.client = new window.lib.AuthClient({
        issuer,
        clientId: 'demo-spa',
        redirectUri: `${location.origin}/`,
        scopes: ['openid', 'profile', 'email', 'offline_access'],
      });
    }, h.idp.org.issuer);
    const grants = [];
    context.on('request', (r) => {
      if (new URL(r.url()).pathname === '/oauth2/v1/token') grants.push(new URLSearchParams(r.postData() ?? '').get('grant_type'));
    });

    // The popup is a top-level window of the provider's site: its cookie is first-party.
    const signIn = await call(page, 'signInWithPopup');
    assert.equal(signIn.ok, true, JSON.stringify(signIn));
    assert.ok(signIn.value.refreshToken?.value);

    // The same session, seen from an iframe on another site: no cookie, no session.
    const silent = await call(page, 'signInSilently');
    assert.equal(silent.ok, false);
    assert.equal(silent.code, 'login_required', JSON.stringify(silent));
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);

    const renewed = await call(page, 'renewTokens');
    assert.equal(renewed.ok, true, JSON.stringify(renewed));
    assert.notEqual(renewed.value.accessToken.value, signIn.value.accessToken.value);
    assert.equal(renewed.value.idToken.claims.sub, 'jane');
    assert.deepEqual(grants, ['authorization_code', 'refresh_token']);
    await context.close();
  });
});
