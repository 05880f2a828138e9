// Layer 3: the built package signing in against the embedded OpenID Provider (dev-idp/),
// in Chromium. The app (tests/e2e/fixtures) and the provider are on 127.0.0.1, different
// ports: cross-origin but same-site, so the silent iframe carries the session cookie.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describe, useHarness, call, evaluate, TEST_TIMEOUT } from './harness.mjs';

const h = useHarness();

/** A fresh browser profile (no provider session) with the fixture page and a client in it. */
async function freshPage(issuer = h.idp.org.issuer) {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${h.appOrigin}/`);
  await createClient(page, issuer);
  return page;
}

async function createClient(page, issuer = h.idp.org.issuer, options = {}) {
  await evaluate(page, 'the library loading in the page', async ([issuer, options]) => {
    await window.libReady;
    window.client = new window.lib.AuthClient({
      issuer,
      clientId: 'demo-spa',
      redirectUri: `${location.origin}/`,
      postLogoutRedirectUri: `${location.origin}/`,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      ...options,
    });
  }, [issuer, options]);
}

/** Records the requests of a page's browser context (iframes and popups included) to `path`. */
function recordRequests(page, path) {
  const seen = [];
  page.context().on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === path) seen.push({ url, method: r.method(), form: new URLSearchParams(r.postData() ?? '') });
  });
  return seen;
}

const jwtHeader = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());

/** POSTs to one of the provider's loopback test controls. */
async function control(issuer, name, method = 'POST') {
  const response = await fetch(`${new URL(issuer).origin}/__test/${name}`, { method });
  return { status: response.status, body: await response.json() };
}


function assertSignedIn(r, issuer = h.idp.org.issuer) {
  assert.equal(r.ok, true, JSON.stringify(r));
  const { idToken, accessToken, refreshToken } = r.value;
  assert.equal(idToken.claims.sub, 'jane');
  assert.equal(idToken.claims.email, 'jane@example.com');
  assert.equal(idToken.claims.iss, issuer);
  assert.equal(idToken.issuer, issuer);
  assert.equal(idToken.clientId, 'demo-spa');
  assert.equal(accessToken.tokenType, 'Bearer');
  assert.ok(accessToken.expiresAt > Date.now() / 1000);
  assert.ok(refreshToken?.value, 'offline_access gives a refresh token');
}

describe('sign-in against the embedded provider', () => {
  it('signs in through a popup: code + PKCE over okta_post_message, ID token verified', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    assertSignedIn(await call(page, 'signInWithPopup'));
    await page.context().close();
  });

  it('signs in silently in an iframe when the provider has a session', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    assert.equal((await call(page, 'signInWithPopup')).ok, true);
    assertSignedIn(await call(page, 'signInSilently'));
    const iframes = await page.evaluate(() => document.querySelectorAll('iframe').length);
    assert.equal(iframes, 0, 'the iframe is removed afterwards');
    await page.context().close();
  });

  it('gets login_required from a silent sign-in without a session', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    const r = await call(page, 'signInSilently');
    assert.equal(r.ok, false);
    assert.equal(r.isAuthError, true);
    assert.equal(r.code, 'login_required');
    await page.context().close();
  });

  it('signs in by redirect (query, code + PKCE) and hands back the app state', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    const navigated = page.waitForURL(/[?&]code=/, { timeout: 20000 });
    await evaluate(page, 'client.signInWithRedirect()', () => window.client.signInWithRedirect({ appState: { returnTo: '/orders/42' } }));
    await navigated;
    await createClient(page);
    assert.equal(await page.evaluate(() => window.client.isRedirectCallback()), true);
    const r = await call(page, 'handleRedirect');
    assert.equal(r.ok, true, JSON.stringify(r));
    assertSignedIn({ ok: true, value: r.value.tokens });
    assert.deepEqual(r.value.appState, { returnTo: '/orders/42' });
    assert.equal(new URL(page.url()).search, '', 'the OAuth parameters are gone from the address bar');
    const replay = await evaluate(page, 'client.handleRedirect() of a replayed response', async (url) => {
      try { await window.client.handleRedirect(url); return 'accepted'; } catch (e) { return e.code; }
    }, `${h.appOrigin}/?code=x&state=${encodeURIComponent('used-or-unknown')}`);
    assert.equal(replay, 'transaction_not_found');
    await page.context().close();
  });

  it('signs in by redirect through the fragment (implicit id_token token), at_hash checked', { timeout: TEST_TIMEOUT }, async () => {
    const implicit = { clientId: 'demo-spa-implicit', responseType: 'id_token token', scopes: ['openid', 'profile', 'email'] };
    const redirectOnce = async (page) => {
      const navigated = page.waitForURL(/#.*access_token=/, { timeout: 20000 });
      await evaluate(page, 'client.signInWithRedirect()', () => window.client.signInWithRedirect());
      await navigated;
      await createClient(page, h.idp.org.issuer, implicit);
      return page.url();
    };

    const page = await freshPage(h.idp.org.issuer);
    await createClient(page, h.idp.org.issuer, implicit);
    const authorizations = recordRequests(page, '/oauth2/v1/authorize');
    const landed = await redirectOnce(page);
    assert.equal(authorizations[0].url.searchParams.get('response_type'), 'id_token token');
    assert.equal(new URL(landed).search, '', 'nothing in the query: the response is in the fragment');
    const r = await call(page, 'handleRedirect');
    assert.equal(r.ok, true, JSON.stringify(r));
    const { idToken, accessToken, refreshToken } = r.value.tokens;
    assert.equal(idToken.claims.sub, 'jane');
    assert.equal(idToken.clientId, 'demo-spa-implicit');
    assert.equal(typeof idToken.claims.at_hash, 'string', 'the implicit ID token carries at_hash');
    assert.equal(accessToken.tokenType, 'Bearer');
    assert.equal(refreshToken, undefined, 'no refresh token from the authorization endpoint');
    assert.equal(new URL(page.url()).hash, '', 'the tokens are gone from the address bar');

    // The same flow with the access token swapped for another (well-formed) one: at_hash
    // binds the access token to the ID token, so the response is refused.
    const second = await redirectOnce(page);
    const swapped = new URL(second);
    const fragment = new URLSearchParams(swapped.hash.slice(1));
    fragment.set('access_token', accessToken.value);
    swapped.hash = fragment.toString();
    const refused = await call(page, 'handleRedirect', swapped.href);
    assert.equal(refused.ok, false);
    assert.equal(refused.code, 'at_hash_mismatch', JSON.stringify(refused));
    assert.deepEqual((await call(page, 'getTokens')).value, {}, 'nothing is stored from a refused response');
    await page.context().close();
  });

  it('signs in with the web_message response mode (popup and iframe)', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    await createClient(page, h.idp.org.issuer, { popupResponseMode: 'web_message' });
    const authorizations = recordRequests(page, '/oauth2/v1/authorize');
    assertSignedIn(await call(page, 'signInWithPopup'));
    assertSignedIn(await call(page, 'signInSilently'));
    assert.deepEqual(authorizations.map((a) => a.url.searchParams.get('response_mode')), ['web_message', 'web_message']);
    await page.context().close();
  });

  it("the provider's okta_post_message page posts a hostile state as data, never as script", { timeout: TEST_TIMEOUT }, async () => {
    // Not the library: the embedded provider's own escaping, which the other tests rely on.
    const page = await freshPage();
    const state = '</script><script>window.parent.injected=1</script>\u2028"\'';
    const authorize = new URL(`${h.idp.org.issuer}/oauth2/v1/authorize`);
    for (const [k, v] of Object.entries({
      client_id: 'demo-spa', response_type: 'code', response_mode: 'okta_post_message', prompt: 'none',
      scope: 'openid', redirect_uri: `${h.appOrigin}/`, state, nonce: 'n',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    })) authorize.searchParams.set(k, v);
    const received = await evaluate(page, "the provider's okta_post_message page posting", (src) => new Promise((resolve) => {
      setTimeout(() => resolve({ data: 'no message within 10 s' }), 10000);
      window.addEventListener('message', (e) => resolve({ origin: e.origin, data: e.data }), { once: true });
      const iframe = document.createElement('iframe');
      iframe.src = src;
      document.body.append(iframe);
    }), authorize.href);
    assert.equal(received.origin, new URL(h.idp.org.issuer).origin);
    assert.equal(received.data.error, 'login_required');
    assert.equal(received.data.state, state, 'the state arrives byte for byte');
    assert.equal(await page.evaluate(() => window.injected), undefined, 'nothing of it ran');
    await page.context().close();
  });

  it('signs in with a custom authorization server issuer', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage(h.idp.custom.issuer);
    assertSignedIn(await call(page, 'signInWithPopup'), h.idp.custom.issuer);
    await page.context().close();
  });
});

describe('renewal and the provider changing under the client', () => {
  it('renews with the refresh token: one refresh_token grant, no iframe', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    const first = await call(page, 'signInWithPopup');
    assertSignedIn(first);
    const tokenRequests = recordRequests(page, '/oauth2/v1/token');
    const authorizations = recordRequests(page, '/oauth2/v1/authorize');
    const r = await call(page, 'renewTokens');
    assertSignedIn(r);
    assert.deepEqual(tokenRequests.map((t) => t.form.get('grant_type')), ['refresh_token']);
    assert.equal(tokenRequests[0].form.get('refresh_token'), first.value.refreshToken.value);
    assert.equal(authorizations.length, 0);
    assert.notEqual(r.value.accessToken.value, first.value.accessToken.value);
    assert.equal(r.value.idToken.claims.sub, first.value.idToken.claims.sub);
    await page.context().close();
  });

  it('renews through the silent iframe when there is no refresh token', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    await createClient(page, h.idp.org.issuer, { scopes: ['openid', 'profile', 'email'] });
    const first = await call(page, 'signInWithPopup');
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.equal(first.value.refreshToken, undefined);
    const authorizations = recordRequests(page, '/oauth2/v1/authorize');
    const r = await call(page, 'renewTokens');
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(authorizations.length, 1);
    assert.equal(authorizations[0].url.searchParams.get('prompt'), 'none');
    assert.notEqual(r.value.accessToken.value, first.value.accessToken.value);
    assert.equal(r.value.idToken.claims.sub, 'jane');
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
    await page.context().close();
  });

  it('after the provider rotates its key, new tokens validate after one JWKS refetch', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    const keyFetches = recordRequests(page, '/oauth2/v1/keys');
    const first = await call(page, 'signInWithPopup');
    assertSignedIn(first);
    assert.equal((await call(page, 'signInSilently')).ok, true);
    assert.equal(keyFetches.length, 1, 'the key set is fetched once and cached');

    const rotated = await control(h.idp.org.issuer, 'rotate-keys');
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.kid, jwtHeader(first.value.idToken.value).kid);
    const r = await call(page, 'signInSilently');
    assertSignedIn(r);
    assert.equal(jwtHeader(r.value.idToken.value).kid, rotated.body.kid, 'signed with the new key');
    assert.equal(keyFetches.length, 2, 'one refetch for the unknown kid');
    assert.equal((await call(page, 'signInSilently')).ok, true);
    assert.equal(keyFetches.length, 2, 'and the new key set is cached in turn');
    await page.context().close();
  });

  it('when the provider ends the session, silent sign-in and iframe renewal get login_required', { timeout: TEST_TIMEOUT }, async () => {
    assert.equal((await control(h.idp.org.issuer, 'end-session', 'GET')).status, 403, 'controls answer POST only');
    const page = await freshPage();
    await createClient(page, h.idp.org.issuer, { scopes: ['openid', 'profile', 'email'] });
    assert.equal((await call(page, 'signInWithPopup')).ok, true);
    const ended = await control(h.idp.org.issuer, 'end-session');
    assert.equal(ended.status, 200);
    assert.ok(ended.body.ended >= 1, JSON.stringify(ended.body));
    assert.equal((await call(page, 'signInSilently')).code, 'login_required');
    assert.equal((await call(page, 'renewTokens')).code, 'login_required');
    await page.context().close();
  });
});

describe('after sign-in', () => {
  it('gets the user info for the signed-in user', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    await call(page, 'signInWithPopup');
    const r = await call(page, 'getUser');
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.value.sub, 'jane');
    assert.equal(r.value.name, 'Jane Doe');
    await page.context().close();
  });

  it('revokes the access token, which introspection then reports inactive', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    const signIn = await call(page, 'signInWithPopup');
    const token = signIn.value.accessToken.value;
    assert.equal((await call(page, 'introspect', token, 'access_token')).value.active, true);
    assert.equal((await call(page, 'revokeAccessToken')).ok, true);
    assert.equal((await call(page, 'introspect', token, 'access_token')).value.active, false);
    await page.context().close();
  });

  it('signs out at the provider: lands on the post-logout URI with its state, and the session is gone', { timeout: TEST_TIMEOUT }, async () => {
    const page = await freshPage();
    await call(page, 'signInWithPopup');
    const landed = page.waitForURL(/state=bye/, { timeout: 20000 });
    await evaluate(page, 'client.signOut()', () => window.client.signOut({ state: 'bye' }));
    await landed;
    assert.equal(new URL(page.url()).origin, h.appOrigin);
    await createClient(page);
    const r = await call(page, 'signInSilently');
    assert.equal(r.code, 'login_required');
    await page.context().close();
  });
});
