// Layer 3: the built package signing in against the embedded OpenID Provider (dev-idp/),
// in Chromium. The app (tests/e2e/fixtures) and the provider are on 127.0.0.1, different
// ports: cross-origin but same-site, so the silent iframe carries the session cookie.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startDevIdp } from '../../dev-idp/server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const APP_PORT = 18080;
const appOrigin = `http://127.0.0.1:${APP_PORT}`;

let idp, app, browser;

before(async () => {
  idp = await startDevIdp({ orgPort: 14000, customPort: 14001, appOrigins: [appOrigin], autoLogin: true });
  app = await startStaticServer({ mounts: { '/': `${root}tests/e2e/fixtures`, '/pkg/': `${root}pkg` }, port: APP_PORT });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  app?.server.close();
  await idp?.close();
});

/** A fresh browser profile (no provider session) with the fixture page and a client in it. */
async function freshPage(issuer = idp.org.issuer) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appOrigin}/`);
  await createClient(page, issuer);
  return page;
}

async function createClient(page, issuer = idp.org.issuer) {
  await page.evaluate(async (issuer) => {
    await window.libReady;
    window.client = new window.lib.AuthClient({
      issuer,
      clientId: 'demo-spa',
      redirectUri: `${location.origin}/`,
      postLogoutRedirectUri: `${location.origin}/`,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
  }, issuer);
}

/** Runs `client[method](...args)` in the page; resolves to {ok, value} or {ok: false, code, message}. */
function call(page, method, ...args) {
  return page.evaluate(async ([method, args]) => {
    try {
      return { ok: true, value: await window.client[method](...args) };
    } catch (e) {
      return { ok: false, code: e.code, message: e.message, isAuthError: e instanceof window.lib.AuthError };
    }
  }, [method, args]);
}

function assertSignedIn(r, issuer = idp.org.issuer) {
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
  it('signs in through a popup: code + PKCE over okta_post_message, ID token verified', async () => {
    const page = await freshPage();
    assertSignedIn(await call(page, 'signInWithPopup'));
    await page.context().close();
  });

  it('signs in silently in an iframe when the provider has a session', async () => {
    const page = await freshPage();
    assert.equal((await call(page, 'signInWithPopup')).ok, true);
    assertSignedIn(await call(page, 'signInSilently'));
    const iframes = await page.evaluate(() => document.querySelectorAll('iframe').length);
    assert.equal(iframes, 0, 'the iframe is removed afterwards');
    await page.context().close();
  });

  it('gets login_required from a silent sign-in without a session', async () => {
    const page = await freshPage();
    const r = await call(page, 'signInSilently');
    assert.equal(r.ok, false);
    assert.equal(r.isAuthError, true);
    assert.equal(r.code, 'login_required');
    await page.context().close();
  });

  it('signs in by redirect (query, code + PKCE) and hands back the app state', async () => {
    const page = await freshPage();
    const navigated = page.waitForURL(/[?&]code=/, { timeout: 20000 });
    await page.evaluate(() => window.client.signInWithRedirect({ appState: { returnTo: '/orders/42' } }));
    await navigated;
    await createClient(page);
    assert.equal(await page.evaluate(() => window.client.isRedirectCallback()), true);
    const r = await call(page, 'handleRedirect');
    assert.equal(r.ok, true, JSON.stringify(r));
    assertSignedIn({ ok: true, value: r.value.tokens });
    assert.deepEqual(r.value.appState, { returnTo: '/orders/42' });
    assert.equal(new URL(page.url()).search, '', 'the OAuth parameters are gone from the address bar');
    const replay = await page.evaluate(async (url) => {
      try { await window.client.handleRedirect(url); return 'accepted'; } catch (e) { return e.code; }
    }, `${appOrigin}/?code=x&state=${encodeURIComponent('used-or-unknown')}`);
    assert.equal(replay, 'transaction_not_found');
    await page.context().close();
  });

  it('signs in with a custom authorization server issuer', async () => {
    const page = await freshPage(idp.custom.issuer);
    assertSignedIn(await call(page, 'signInWithPopup'), idp.custom.issuer);
    await page.context().close();
  });
});

describe('after sign-in', () => {
  it('gets the user info for the signed-in user', async () => {
    const page = await freshPage();
    await call(page, 'signInWithPopup');
    const r = await call(page, 'getUser');
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.value.sub, 'jane');
    assert.equal(r.value.name, 'Jane Doe');
    await page.context().close();
  });

  it('revokes the access token, which introspection then reports inactive', async () => {
    const page = await freshPage();
    const signIn = await call(page, 'signInWithPopup');
    const token = signIn.value.accessToken.value;
    assert.equal((await call(page, 'introspect', token, 'access_token')).value.active, true);
    assert.equal((await call(page, 'revokeAccessToken')).ok, true);
    assert.equal((await call(page, 'introspect', token, 'access_token')).value.active, false);
    await page.context().close();
  });

  it('signs out at the provider: lands on the post-logout URI with its state, and the session is gone', async () => {
    const page = await freshPage();
    await call(page, 'signInWithPopup');
    const landed = page.waitForURL(/state=bye/, { timeout: 20000 });
    await page.evaluate(() => window.client.signOut({ state: 'bye' }));
    await landed;
    assert.equal(new URL(page.url()).origin, appOrigin);
    await createClient(page);
    const r = await call(page, 'signInSilently');
    assert.equal(r.code, 'login_required');
    await page.context().close();
  });
});
