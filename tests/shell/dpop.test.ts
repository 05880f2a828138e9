// DPoP (RFC 9449, ts/dpop.ts): the key, proofs at the token endpoint with Okta's nonce round
// trip, the binding kept through refresh, reload and tabs, proofs with `ath` for userinfo and
// the app's API (`fetch`, `authorizationHeaders`), the key's removal, and a token that comes
// back unbound. The fake provider checks every proof as a server does (fakes.ts checkProof),
// with its own thumbprint code.
import { deepEqual, equal, match, ok, rejects } from './assert.js';
import {
  checkProof,
  client,
  NOW,
  REDIRECT_URI,
  popupSignIn,
  record,
  sha256,
  thumbprint,
  until,
  world,
  type Answer,
  type World,
} from './fakes.js';
import { test } from './runner.js';
import { contextOf, type AuthClient } from '../../ts/client.js';
import type { AuthConfig } from '../../ts/types.js';

const API = 'https://api.example/orders';

/** A world whose provider wants DPoP proofs with the nonce `n-1`, and a DPoP client of it. */
async function dpopWorld(config: Partial<AuthConfig> = {}): Promise<{ w: World; c: AuthClient }> {
  const w = await world();
  w.provider.dpop = { nonce: 'n-1' };
  return { w, c: client(w, { dpop: true, scopes: ['openid', 'offline_access'], ...config }) };
}

/** The DPoP proofs the token endpoint was sent, decoded (unchecked), in order. */
function tokenProofs(w: World): { header: Record<string, any>; claims: Record<string, any> }[] {
  return w.net.to(w.provider.endpoints.token).map((r) => {
    const [h = '', c = ''] = (r.headers['dpop'] ?? '').split('.');
    const decode = (s: string) => JSON.parse(atob(s.replace(/-/g, '+').replace(/_/g, '/')));
    return { header: decode(h), claims: decode(c) };
  });
}

/** Every value the client wrote to Web Storage. */
function storageValues(w: World): string[] {
  return [...w.window.sessionStorage.map.values(), ...w.window.localStorage.map.values()];
}

/** The key store's record for the client's key `jkt`, read straight from IndexedDB. */
async function idbRecord(c: AuthClient, jkt: string): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('okta-auth-wasm', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('dpop-keys');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  return new Promise((resolve, reject) => {
    const r = db.transaction('dpop-keys').objectStore('dpop-keys').get(`${contextOf(c).keys.tokens} ${jkt}`);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** The thumbprint the held tokens are bound to (the stored format's `dpopJkt`). */
const boundJkt = (c: AuthClient): string => (JSON.parse(contextOf(c).held || '{}') as { dpopJkt?: string }).dpopJkt ?? '';

test('a DPoP sign-in answers the nonce challenge once and gets a DPoP-bound token', async () => {
  const { w, c } = await dpopWorld();
  const tokens = await popupSignIn(w, c);
  equal(tokens.accessToken?.tokenType, 'DPoP');
  const proofs = tokenProofs(w);
  equal(proofs.length, 2, 'the first request, then the retry with the nonce');
  equal(proofs[0]!.claims.nonce, undefined, 'no nonce before the server gave one');
  equal(proofs[1]!.claims.nonce, 'n-1');
  ok(proofs[0]!.claims.jti !== proofs[1]!.claims.jti, 'a fresh jti for the retry');
  for (const p of proofs) {
    deepEqual(Object.keys(p.header), ['typ', 'alg', 'jwk']);
    equal(p.header.typ, 'dpop+jwt');
    equal(p.header.alg, 'ES256');
    deepEqual(Object.keys(p.header.jwk).sort(), ['crv', 'kty', 'x', 'y'], 'the public key only');
    equal(p.claims.htm, 'POST');
    equal(p.claims.htu, w.provider.endpoints.token);
    equal(p.claims.iat, NOW);
    equal(p.claims.ath, undefined, 'no ath at the token endpoint');
  }
  // The code is bound to the key (RFC 9449 §10), and so are the stored tokens.
  const jkt = await thumbprint(proofs[1]!.header.jwk);
  equal(w.provider.authorize.get('dpop_jkt'), jkt);
  equal(boundJkt(c), jkt);
  equal(w.provider.bindings.get(tokens.accessToken!.value), jkt);
});

test('the private key cannot be exported, and Web Storage never holds key material', async () => {
  const { w, c } = await dpopWorld({ storage: 'sessionStorage' });
  await popupSignIn(w, c);
  const ctx = contextOf(c);
  const key = ctx.dpopKeys.get(ctx.boundKey);
  ok(key, 'the bound key is in memory');
  equal(key.pair.privateKey.extractable, false);
  let exported = false;
  try {
    await crypto.subtle.exportKey('jwk', key.pair.privateKey);
    exported = true;
  } catch (e) {
    equal((e as DOMException).name, 'InvalidAccessError');
  }
  equal(exported, false, 'exportKey refused the private key');
  const jwk = JSON.parse(key.jwk) as { x: string; y: string };
  const values = storageValues(w);
  ok(values.length > 0, 'the tokens are in sessionStorage');
  for (const v of values) {
    ok(!v.includes(jwk.x) && !v.includes(jwk.y) && !/"d"\s*:/.test(v) && !/"kty"/.test(v), `no key in storage: ${v.slice(0, 80)}`);
  }
  // The key itself is in IndexedDB, as a CryptoKey (not as bytes), still non-extractable.
  const rec = (await idbRecord(c, ctx.boundKey)) as { pair: CryptoKeyPair } | undefined;
  ok(rec?.pair.privateKey instanceof CryptoKey, 'a CryptoKey in IndexedDB');
  equal(rec.pair.privateKey.extractable, false);
});

test('a token that comes back unbound when DPoP was asked for is refused with dpop_not_bound', async () => {
  const { w, c } = await dpopWorld();
  w.provider.dpop = { nonce: 'n-1', bearer: true };
  const events = record(c);
  await rejects(popupSignIn(w, c), 'dpop_not_bound');
  equal(contextOf(c).held, '', 'nothing kept');
  deepEqual(events.names(), []);
});

test('a refresh is bound to the same key and reuses the remembered nonce', async () => {
  const { w, c } = await dpopWorld();
  await popupSignIn(w, c);
  const jkt = boundJkt(c);
  w.clock.seconds += 3600;
  const renewed = await c.renewTokens();
  equal(renewed.accessToken?.tokenType, 'DPoP');
  const proofs = tokenProofs(w);
  equal(proofs.length, 3, 'no second nonce challenge: the nonce was remembered');
  equal(proofs[2]!.claims.nonce, 'n-1');
  equal(await thumbprint(proofs[2]!.header.jwk), jkt, 'signed by the same key');
  equal(boundJkt(c), jkt);
});

test('userinfo sends the DPoP scheme and a proof with ath', async () => {
  const { w, c } = await dpopWorld({ scopes: ['openid'] });
  const tokens = await popupSignIn(w, c);
  const user = await c.getUser();
  equal(user.sub, w.provider.sub);
  const [sent] = w.net.to(w.provider.endpoints.userinfo);
  equal(sent?.headers['authorization'], `DPoP ${tokens.accessToken!.value}`);
  equal(w.provider.proofs[w.provider.proofs.length - 1]?.claims.ath, await sha256(tokens.accessToken!.value));
  equal(w.provider.proofs[w.provider.proofs.length - 1]?.claims.htm, 'GET');
});

test('a userinfo nonce challenge is answered once with the new nonce', async () => {
  const { w, c } = await dpopWorld({ scopes: ['openid'] });
  await popupSignIn(w, c);
  const provider = w.net.routes.get(w.provider.endpoints.userinfo) as (r: Request, body: string) => Promise<Answer>;
  let challenged = 0;
  w.net.route(w.provider.endpoints.userinfo, (r, body) => {
    if (challenged++ === 0) return { status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', 'dpop-nonce': 'n-2' }, body: '' };
    return provider(r, body);
  });
  equal((await c.getUser()).sub, w.provider.sub);
  const sent = w.net.to(w.provider.endpoints.userinfo);
  equal(sent.length, 2);
  const nonces = sent.map((r) => JSON.parse(atob(r.headers['dpop']!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).nonce);
  deepEqual(nonces, ['n-1', 'n-2'], "the token endpoint's nonce (same server), then the new one");
});

/** An API that wants DPoP with its own nonce `api-1` (challenges without it), and what it accepted. */
function api(w: World, c: AuthClient): { accepted: string[]; challenges: number } {
  const seen = new Set<string>();
  const out = { accepted: [] as string[], challenges: 0 };
  w.net.route(API, async (r): Promise<Answer> => {
    const token = (r.headers.get('authorization') ?? '').replace(/^DPoP /, '');
    try {
      const p = await checkProof(r.headers.get('dpop'), { method: r.method, url: r.url, now: w.clock.seconds, seen, accessToken: token });
      if (p.jkt !== boundJkt(c)) throw new Error('another key');
      if (p.claims.nonce !== 'api-1') {
        out.challenges++;
        return { status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'api-1' }, body: '' };
      }
      out.accepted.push(`${r.method} ${p.claims.htu}`);
      return { body: { ok: true } };
    } catch (e) {
      return { status: 401, headers: { 'www-authenticate': `DPoP error="invalid_dpop_proof", error_description="${(e as Error).message}"` }, body: '' };
    }
  });
  return out;
}

test('fetch adds the access token and a proof, and answers the API nonce challenge once', async () => {
  const { w, c } = await dpopWorld({ scopes: ['openid'] });
  const tokens = await popupSignIn(w, c);
  const server = api(w, c);
  const r = await c.fetch(`${API}?page=2`, { method: 'post', body: '{"n":1}', headers: { 'content-type': 'application/json' } });
  equal(r.status, 200);
  equal(server.challenges, 1);
  deepEqual(server.accepted, [`POST ${API}`], 'htu without the query, htm as fetch normalizes it');
  const sent = w.net.to(API);
  equal(sent.length, 2);
  for (const s of sent) {
    equal(s.body, '{"n":1}', 'the body, both times');
    equal(s.headers['content-type'], 'application/json', "the app's own headers kept");
    equal(s.headers['authorization'], `DPoP ${tokens.accessToken!.value}`);
  }
  // The nonce is remembered: the next call needs no challenge.
  equal((await c.fetch(API)).status, 200);
  equal(server.challenges, 1);
});

test('fetch answers a nonce challenge only once, then hands the 401 to the app', async () => {
  const { w, c } = await dpopWorld({ scopes: ['openid'] });
  await popupSignIn(w, c);
  w.net.route(API, { status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': `x-${Math.random()}` }, body: '' });
  const r = await c.fetch(API);
  equal(r.status, 401);
  equal(w.net.to(API).length, 2);
});

test('authorizationHeaders gives both headers for one method and URL', async () => {
  const { w, c } = await dpopWorld({ scopes: ['openid'] });
  const tokens = await popupSignIn(w, c);
  const headers = await c.authorizationHeaders({ url: '/orders?x=1', method: 'DELETE', nonce: 'api-9' });
  deepEqual(Object.keys(headers).sort(), ['Authorization', 'DPoP']);
  equal(headers.Authorization, `DPoP ${tokens.accessToken!.value}`);
  const p = await checkProof(headers.DPoP!, { method: 'DELETE', url: `${new URL(w.window.location.href).origin}/orders`, now: NOW, seen: new Set(), accessToken: tokens.accessToken!.value });
  equal(p.claims.nonce, 'api-9');
  equal(p.jkt, boundJkt(c));
});

test('without DPoP, fetch and authorizationHeaders use the Bearer scheme and no proof', async () => {
  const w = await world();
  const c = client(w, { scopes: ['openid'] });
  const tokens = await popupSignIn(w, c);
  w.net.route(API, { body: { ok: true } });
  equal((await c.fetch(API)).status, 200);
  const [sent] = w.net.to(API);
  equal(sent?.headers['authorization'], `Bearer ${tokens.accessToken!.value}`);
  equal(sent?.headers['dpop'], undefined);
  deepEqual(await c.authorizationHeaders({ url: API }), { Authorization: `Bearer ${tokens.accessToken!.value}` });
});

test('fetch without an access token is not_authenticated and sends nothing', async () => {
  const { w, c } = await dpopWorld();
  w.net.route(API, { body: {} });
  await rejects(c.fetch(API), 'not_authenticated');
  equal(w.net.to(API).length, 0);
});

test('sign-out removes the key from memory and IndexedDB, and the next sign-in makes a new one', async () => {
  const { w, c } = await dpopWorld({ storage: 'localStorage' });
  await popupSignIn(w, c);
  const first = boundJkt(c);
  ok(await idbRecord(c, first), 'kept in IndexedDB while bound');
  await c.signOut();
  const ctx = contextOf(c);
  equal(ctx.dpopKeys.size, 0);
  // Revocation authenticates the client (RFC 7009): the tokens go in the form, without a proof.
  const revoked = w.net.to(w.provider.endpoints.revoke);
  ok(revoked.length === 2 && revoked.every((r) => !r.headers['dpop'] && !r.headers['authorization']), 'revoked without DPoP');
  equal(await idbRecord(c, first), undefined, 'gone from IndexedDB');
  await popupSignIn(w, c);
  ok(boundJkt(c) && boundJkt(c) !== first, 'a new key');
});

test('after a reload, localStorage tokens refresh with the key from IndexedDB', async () => {
  const { w, c } = await dpopWorld({ storage: 'localStorage' });
  await popupSignIn(w, c);
  const jkt = boundJkt(c);
  // A second client on the same storage: the page after a reload, or another tab.
  const reloaded = client(w, { dpop: true, scopes: ['openid', 'offline_access'], storage: 'localStorage' });
  w.clock.seconds += 3600;
  await reloaded.renewTokens();
  equal(await thumbprint(tokenProofs(w).slice(-1)[0]!.header.jwk), jkt);
  equal(boundJkt(reloaded), jkt);
});

test('a stored value bound to another key removes the old key', async () => {
  const { w, c } = await dpopWorld({ storage: 'localStorage' });
  await popupSignIn(w, c);
  const first = boundJkt(c);
  // Another tab's write: tokens bound to another key.
  const key = contextOf(c).keys.tokens;
  const value = JSON.parse(w.window.localStorage.getItem(key)!) as Record<string, unknown>;
  value.dpopJkt = await sha256('another key');
  w.window.localStorage.setItem(key, JSON.stringify(value));
  await c.getTokens();
  equal(boundJkt(c), value.dpopJkt, 'this tab follows the storage');
  equal(contextOf(c).dpopKeys.has(first), false);
  equal(await idbRecord(c, first), undefined);
});

test('invalid_grant on a refresh drops the tokens and their key', async () => {
  const { w, c } = await dpopWorld();
  await popupSignIn(w, c);
  const jkt = boundJkt(c);
  w.provider.refreshTokens.clear();
  w.clock.seconds += 3600;
  await rejects(c.renewTokens(), 'invalid_grant');
  equal(contextOf(c).held, '');
  equal(contextOf(c).dpopKeys.has(jkt), false);
});

test('tokens whose key is gone fail with crypto_error, naming the key', async () => {
  const { w, c } = await dpopWorld({ storage: 'localStorage', scopes: ['openid'] });
  await popupSignIn(w, c);
  const reloaded = client(w, { dpop: true, scopes: ['openid'], storage: 'localStorage' });
  // The site's IndexedDB was cleared: the other client never saw the key.
  const ctx = contextOf(c);
  await new Promise<void>((resolve) => {
    const open = indexedDB.open('okta-auth-wasm', 1);
    open.onsuccess = () => {
      const r = open.result.transaction('dpop-keys', 'readwrite').objectStore('dpop-keys').delete(`${ctx.keys.tokens} ${ctx.boundKey}`);
      r.onsuccess = () => resolve();
    };
  });
  const e = await rejects(reloaded.getUser(), 'crypto_error');
  match(e.message, /DPoP key/i);
});

test('a popup sign-in that fails leaves no key behind', async () => {
  const { w, c } = await dpopWorld({ storage: 'localStorage' });
  const signIn = c.signInWithPopup();
  const popup = w.window.opened[0]!;
  const url = await until(() => popup.loaded[0], 'the authorize URL loaded in the popup');
  const jkt = new URL(url).searchParams.get('dpop_jkt')!;
  ok(await idbRecord(c, jkt), 'kept while the sign-in runs');
  popup.close();
  await rejects(signIn, 'popup_closed');
  equal(contextOf(c).dpopKeys.size, 0);
  equal(await idbRecord(c, jkt), undefined);
});

test('a memory client keeps its key out of IndexedDB', async () => {
  const { w, c } = await dpopWorld();
  await popupSignIn(w, c);
  equal(await idbRecord(c, boundJkt(c)), undefined);
});

test('a redirect sign-in of a memory client carries its key across the navigation, then only in memory', async () => {
  const { w, c } = await dpopWorld();
  await c.signInWithRedirect();
  const url = w.window.assigned[0]!;
  const jkt = new URL(url).searchParams.get('dpop_jkt')!;
  ok(await idbRecord(c, jkt), 'in IndexedDB across the navigation');
  // The page comes back: a new client (memory is gone), the response in the URL.
  const { code, state } = w.provider.answer(url);
  const back = client(w, { dpop: true, scopes: ['openid', 'offline_access'] });
  const { tokens } = await back.handleRedirect(`${REDIRECT_URI}?code=${code}&state=${state}`);
  equal(tokens.accessToken?.tokenType, 'DPoP');
  equal(boundJkt(back), jkt);
  equal(await idbRecord(back, jkt), undefined, 'back in memory only');
});
