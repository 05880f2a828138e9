// Layer 3: DPoP (RFC 9449) through the built package, against the embedded provider's DPoP
// client (`demo-spa-dpop`: nonces required, like Okta) and its resource server
// (dev-idp/resource.mjs, which checks every proof and asks for its own nonce): the nonce round
// trip, `token_type` DPoP, refresh bound to the same key in one tab and across two, userinfo,
// `client.fetch`, a copied token replayed without the key, sign-out, and a reload.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, useHarness, call, evaluate, gateRefreshes, TEST_TIMEOUT } from './harness.mjs';

const h = useHarness();

/**
 * A page of the app with a DPoP client on `storage`, and a fetch spy that records every
 * request carrying a DPoP proof: its URL, the proof's header and claims (decoded), and the
 * answer's status and DPoP-Nonce; under it, the refresh gate (`gateRefreshes`:
 * `holdRefreshes()`, `window.heldRefreshes`, `releaseRefreshes()`).
 */
async function appPage(context, storage = 'memory') {
  const page = await context.newPage();
  await page.goto(`${h.appOrigin}/`);
  await gateRefreshes(page);
  await evaluate(page, 'the library loading in the page', async ([issuer, storage]) => {
    await window.libReady;
    window.proofs = [];
    const realFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const request = new Request(input, init);
      const proof = request.headers.get('dpop');
      const r = await realFetch(request);
      if (proof) {
        const [header, claims] = proof.split('.').slice(0, 2).map((s) => JSON.parse(atob(s.replace(/-/g, '+').replace(/_/g, '/'))));
        const body = request.method === 'POST' ? await r.clone().text() : '';
        window.proofs.push({ url: request.url, header, claims, status: r.status, nonce: r.headers.get('dpop-nonce'), error: /"error":"([^"]+)"/.exec(body)?.[1] });
      }
      return r;
    };
    window.client = new window.lib.AuthClient({
      issuer,
      clientId: 'demo-spa-dpop',
      redirectUri: `${location.origin}/`,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      storage,
      autoRenew: false,
      dpop: true,
    });
  }, [h.idp.org.issuer, storage]);
  return page;
}

/** RFC 7638 thumbprint of an EC public JWK, computed here. */
const thumbprint = (jwk) => createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');

const proofs = (page) => page.evaluate(() => window.proofs);
const tokenProofs = async (page) => (await proofs(page)).filter((p) => new URL(p.url).pathname.endsWith('/token'));

/** The records of the page's DPoP key store (IndexedDB), by key name. */
const storedKeys = (page) => evaluate(page, 'reading IndexedDB', () => new Promise((resolve, reject) => {
  const open = indexedDB.open('okta-auth-wasm', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('dpop-keys');
  open.onsuccess = () => {
    const r = open.result.transaction('dpop-keys').objectStore('dpop-keys').getAllKeys();
    r.onsuccess = () => resolve(r.result.map(String));
    r.onerror = () => reject(r.error);
  };
  open.onerror = () => reject(open.error);
}));

async function signIn(page) {
  const r = await call(page, 'signInWithPopup');
  assert.equal(r.ok, true, JSON.stringify(r));
  return r.value;
}

describe('DPoP end to end', () => {
  it('a popup sign-in answers the nonce challenge and gets DPoP-bound tokens', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    try {
      const page = await appPage(context);
      const tokens = await signIn(page);
      assert.equal(tokens.accessToken.tokenType, 'DPoP');
      const sent = await tokenProofs(page);
      assert.equal(sent.length, 2, JSON.stringify(sent));
      assert.deepEqual([sent[0].status, sent[0].error, typeof sent[0].nonce], [400, 'use_dpop_nonce', 'string']);
      assert.equal(sent[0].claims.nonce, undefined);
      assert.equal(sent[1].claims.nonce, sent[0].nonce, 'the retry carries the server\'s nonce');
      assert.equal(sent[1].status, 200);
      assert.deepEqual([sent[1].header.typ, sent[1].header.alg, sent[1].claims.htm], ['dpop+jwt', 'ES256', 'POST']);
      assert.equal(sent[1].claims.htu, `${h.idp.org.issuer}/oauth2/v1/token`);
      // The provider bound the token to that key: its introspection says so.
      const jkt = thumbprint(sent[1].header.jwk);
      assert.equal((await h.idp.findAccessToken(tokens.accessToken.value))?.jkt, jkt);
    } finally {
      await context.close();
    }
  });

  it('a refresh is signed by the same key, and so is userinfo', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    try {
      const page = await appPage(context);
      const first = await signIn(page);
      const renewed = await call(page, 'renewTokens');
      assert.equal(renewed.ok, true, JSON.stringify(renewed));
      assert.equal(renewed.value.accessToken.tokenType, 'DPoP');
      assert.notEqual(renewed.value.accessToken.value, first.accessToken.value);
      const sent = await tokenProofs(page);
      assert.equal(sent.length, 3, 'sign-in (2, with the nonce challenge), then one refresh: the nonce was remembered');
      assert.equal(sent[2].status, 200);
      assert.equal(thumbprint(sent[2].header.jwk), thumbprint(sent[1].header.jwk));
      const user = await call(page, 'getUser');
      assert.equal(user.ok, true, JSON.stringify(user));
      assert.equal(user.value.sub, 'jane');
      const userinfo = (await proofs(page)).find((p) => new URL(p.url).pathname.endsWith('/userinfo'));
      assert.equal(userinfo?.claims.ath, createHash('sha256').update(renewed.value.accessToken.value).digest('base64url'));
      // Revocation with the DPoP-bound token: the provider accepts it, and the token is dead.
      const revoked = await call(page, 'revokeAccessToken');
      assert.equal(revoked.ok, true, JSON.stringify(revoked));
      assert.equal(await h.idp.findAccessToken(renewed.value.accessToken.value), undefined);
    } finally {
      await context.close();
    }
  });

  it('two tabs sharing localStorage renew with one refresh, signed by the key both hold', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    try {
      const a = await appPage(context, 'localStorage');
      await signIn(a);
      const b = await appPage(context, 'localStorage');
      // A refreshes, its request held; B asks meanwhile and waits for the renewal Web Lock;
      // then A's refresh goes through and B takes its tokens.
      await a.evaluate(() => window.holdRefreshes());
      const renewA = call(a, 'renewTokens');
      await evaluate(a, "A's refresh request held", async () => { while (!window.heldRefreshes) await new Promise((r) => setTimeout(r, 10)); });
      const renewB = call(b, 'renewTokens');
      await evaluate(b, "B waiting for the renewal's Web Lock", async () => {
        for (;;) {
          const q = await navigator.locks.query();
          const renewal = (list) => list.filter((l) => l.name.startsWith('okta-auth-wasm:renew:')).length;
          if (renewal(q.held) === 1 && renewal(q.pending) === 1) return;
          await new Promise((r) => setTimeout(r, 10));
        }
      });
      await a.evaluate(() => window.releaseRefreshes());
      const [ra, rb] = await Promise.all([renewA, renewB]);
      assert.equal(ra.ok && rb.ok, true, JSON.stringify([ra, rb]));
      assert.equal(ra.value.accessToken.value, rb.value.accessToken.value);
      const refreshes = [...(await tokenProofs(a)).slice(2), ...(await tokenProofs(b))].filter((p) => p.status === 200);
      assert.equal(refreshes.length, 1, 'one refresh for both tabs');
      assert.equal(thumbprint(refreshes[0].header.jwk), thumbprint((await tokenProofs(a))[1].header.jwk));
    } finally {
      await context.close();
    }
  });

  it('client.fetch calls the resource server through its nonce challenge', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    try {
      const page = await appPage(context);
      const tokens = await signIn(page);
      const result = await evaluate(page, 'client.fetch to the resource server', async (url) => {
        const r = await window.client.fetch(url);
        return { status: r.status, body: await r.json() };
      }, `${h.idp.resource.url}/api/profile`);
      assert.equal(result.status, 200, JSON.stringify(result));
      assert.equal(result.body.tokenType, 'DPoP');
      assert.equal(result.body.sub, 'jane');
      const api = (await proofs(page)).filter((p) => p.url.startsWith(h.idp.resource.url));
      assert.deepEqual(api.map((p) => p.status), [401, 200], 'the challenge, then the retry with its nonce');
      assert.equal(api[1].claims.nonce, api[0].nonce);
      assert.equal(api[1].claims.ath, createHash('sha256').update(tokens.accessToken.value).digest('base64url'));
    } finally {
      await context.close();
    }
  });

  it('a token copied out of the page is refused without the key', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    try {
      const page = await appPage(context);
      const tokens = await signIn(page);
      const url = `${h.idp.resource.url}/api/profile`;
      const token = tokens.accessToken.value;
      for (const authorization of [`DPoP ${token}`, `Bearer ${token}`]) {
        const r = await fetch(url, { headers: { authorization } });
        assert.equal(r.status, 401, authorization.split(' ')[0]);
        assert.match(r.headers.get('www-authenticate') ?? '', /^DPoP /);
      }
      // With a proof the attacker made with a key of their own: the binding does not match.
      const { publicKey, privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
      const jwk = await crypto.subtle.exportKey('jwk', publicKey);
      const forged = async (nonce) => {
        const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const input = `${b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } })}.${b64({ jti: crypto.randomUUID(), htm: 'GET', htu: url, iat: Math.floor(Date.now() / 1000), ath: createHash('sha256').update(token).digest('base64url'), ...(nonce ? { nonce } : {}) })}`;
        const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, Buffer.from(input));
        return `${input}.${Buffer.from(sig).toString('base64url')}`;
      };
      const challenge = await fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: await forged() } });
      const nonce = challenge.headers.get('dpop-nonce');
      const r = await fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: await forged(nonce) } });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /invalid_dpop_proof|invalid_token/);
      // The page, with the key, still gets in.
      const ok = await evaluate(page, 'client.fetch', async (url) => (await window.client.fetch(url)).status, url);
      assert.equal(ok, 200);
    } finally {
      await context.close();
    }
  });

  it('a reload with localStorage keeps the binding, and sign-out removes the key', { timeout: TEST_TIMEOUT }, async () => {
    const context = await h.browser.newContext();
    try {
      let page = await appPage(context, 'localStorage');
      const tokens = await signIn(page);
      const keys = await storedKeys(page);
      assert.equal(keys.length, 1, JSON.stringify(keys));
      const stored = await page.evaluate(() => Object.values(localStorage).join('\n'));
      assert.ok(!/"d"|"kty"|"x"\s*:/.test(stored), 'no key material in localStorage');
      await page.close();
      page = await appPage(context, 'localStorage');
      const user = await call(page, 'getUser');
      assert.equal(user.ok, true, JSON.stringify(user));
      const status = await evaluate(page, 'client.fetch after the reload', async (url) => (await window.client.fetch(url)).status, `${h.idp.resource.url}/api/profile`);
      assert.equal(status, 200);
      const renewed = await call(page, 'renewTokens');
      assert.equal(renewed.ok, true, JSON.stringify(renewed));
      assert.equal(renewed.value.accessToken.tokenType, 'DPoP');
      assert.notEqual(renewed.value.accessToken.value, tokens.accessToken.value);
      const out = await call(page, 'signOut', { local: true });
      assert.equal(out.ok, true, JSON.stringify(out));
      assert.deepEqual(await storedKeys(page), []);
      const again = await signIn(page);
      const after = await storedKeys(page);
      assert.equal(after.length, 1);
      assert.notEqual(after[0], keys[0], 'a new key for the new sign-in');
      assert.equal(again.accessToken.tokenType, 'DPoP');
    } finally {
      await context.close();
    }
  });
});
