// DPoP (RFC 9449) on the embedded provider and its resource server, driven from Node over
// HTTP without a browser: the code flow runs against the real provider (autoLogin, redirects
// followed by hand with a cookie jar), so the tokens are the ones a page would get. The
// library's own DPoP suites build on what this one pins down: the client ids, the nonce
// round trips, what each endpoint accepts, and the CORS headers a page needs.
//
// Runs in the e2e layer once (it starts no browser, so there is no Firefox variant).
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { calculateJwkThumbprint, SignJWT } from 'jose';
import { startDevIdp } from '../../dev-idp/server.mjs';

const TIMEOUT = 30_000;
const HOOK_TIMEOUT = 60_000;
// An app origin the provider and the resource server allow (nothing listens there: the
// redirect is read from the Location header, never followed).
const APP = 'http://127.0.0.1:8080';
const REDIRECT_URI = `${APP}/callback`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const sha256url = (value) => createHash('sha256').update(value).digest('base64url');
const now = () => Math.floor(Date.now() / 1000);

/**
 * A key pair as a DPoP client holds it: the private key, the public JWK, its thumbprint.
 * Generated as DER and read back: generating then exporting a JWK straight from the pair can
 * deadlock Node 20 (see dev-idp/keys.mjs). `privateJwk` is for the private-members test.
 */
async function dpopKey(alg = 'ES256') {
  const type = alg === 'ES256' ? ['ec', { namedCurve: 'P-256' }] : ['ed25519', {}];
  const pair = generateKeyPairSync(type[0], { ...type[1], privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
  const privateKey = createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }).export({ format: 'jwk' });
  return { alg, privateKey, jwk, jkt: await calculateJwkThumbprint(jwk), privateJwk: () => privateKey.export({ format: 'jwk' }) };
}

/**
 * A DPoP proof (RFC 9449 §4.2) for `htm` `htu`; `accessToken` adds its `ath`. `override`
 * bends one part at a time: header members, claims (undefined removes one) or the signing key.
 */
function proof(key, { htm, htu, nonce, accessToken, claims = {}, header = {}, signWith = key.privateKey }) {
  const payload = { htm, htu, iat: now(), jti: b64url(randomBytes(16)), ...(nonce ? { nonce } : {}), ...(accessToken ? { ath: sha256url(accessToken) } : {}), ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk, ...header }).sign(signWith);
}

/** A cookie jar for fetch: every cookie sent on every request (the provider's paths are its own). */
function cookieJar() {
  const cookies = new Map();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    take(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const i = pair.indexOf('=');
        cookies.set(pair.slice(0, i), pair.slice(i + 1));
      }
    },
  };
}

/** Okta's routes of an issuer: /oauth2/v1/... for the org server, {issuer}/v1/... for a custom one. */
const endpoint = (issuer, name) => `${issuer}${new URL(issuer).pathname === '/' ? '/oauth2/v1' : '/v1'}/${name}`;

/**
 * The authorization code flow's front channel, as a browser would run it with autoLogin:
 * resolves to { code, verifier }. `dpopJkt` sends RFC 9449 §10's dpop_jkt.
 */
async function authorize(issuer, { clientId, scope = 'openid profile offline_access', dpopJkt }) {
  const verifier = b64url(randomBytes(32));
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: REDIRECT_URI,
    scope,
    state: b64url(randomBytes(8)),
    nonce: b64url(randomBytes(8)),
    code_challenge: sha256url(verifier),
    code_challenge_method: 'S256',
    ...(dpopJkt ? { dpop_jkt: dpopJkt } : {}),
  });
  const jar = cookieJar();
  let url = `${endpoint(issuer, 'authorize')}?${params}`;
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(response);
    const location = response.headers.get('location');
    if (!location) throw new Error(`authorize: ${response.status} without a redirect: ${(await response.text()).slice(0, 200)}`);
    url = new URL(location, url).href;
    if (url.startsWith(REDIRECT_URI)) {
      const answer = new URL(url).searchParams;
      if (!answer.get('code')) throw new Error(`authorize: ${url}`);
      return { code: answer.get('code'), verifier };
    }
  }
  throw new Error('authorize: too many redirects');
}

/** POSTs a form to `url` with extra headers: { status, headers, body (parsed JSON or text) }. */
async function post(url, form, headers = {}) {
  const response = await fetch(url, { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(form) });
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON: keep the text */ }
  return { status: response.status, headers: response.headers, body };
}

/** GET with headers, answered as `post` does. */
async function get(url, headers = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON: keep the text */ }
  return { status: response.status, headers: response.headers, body };
}

/**
 * A token request with a DPoP proof made the way a client must (RFC 9449 §8): the first try
 * without a nonce, the retry with the nonce the server answered. Returns both answers.
 */
async function dpopTokenRequest(issuer, key, form) {
  const url = endpoint(issuer, 'token');
  const first = await post(url, form, { dpop: await proof(key, { htm: 'POST', htu: url }) });
  const nonce = first.headers.get('dpop-nonce');
  const retry = nonce && await post(url, form, { dpop: await proof(key, { htm: 'POST', htu: url, nonce }) });
  return { first, retry, nonce };
}

/** A DPoP-bound token set of demo-spa-dpop for `key`, through the real code flow. */
async function dpopTokens(issuer, key, options = {}) {
  const { code, verifier } = await authorize(issuer, { clientId: 'demo-spa-dpop', ...options });
  const { retry } = await dpopTokenRequest(issuer, key, { grant_type: 'authorization_code', client_id: 'demo-spa-dpop', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
  assert.equal(retry.status, 200, JSON.stringify(retry.body));
  return retry.body;
}

/** demo-spa's bearer tokens, through the same flow with no DPoP header anywhere. */
async function bearerTokens(issuer) {
  const { code, verifier } = await authorize(issuer, { clientId: 'demo-spa' });
  const answer = await post(endpoint(issuer, 'token'), { grant_type: 'authorization_code', client_id: 'demo-spa', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer;
}

/** The error and error_description of a DPoP or Bearer challenge (RFC 6750 §3). */
function challenge(headers) {
  const value = headers.get('www-authenticate') ?? '';
  return {
    value,
    error: /error="([^"]*)"/.exec(value)?.[1],
    description: /error_description="([^"]*)"/.exec(value)?.[1],
  };
}

/** A request with several DPoP header lines (fetch would join them into one). */
function getWithHeaderLines(url, lines) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET' });
    for (const [name, value] of Object.entries(lines)) req.setHeader(name, value);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('DPoP on the embedded provider and its resource server', () => {
  let idp;
  let org;
  let key; // the client's key: tokens are bound to it
  let other; // another ES256 key
  let bound; // demo-spa-dpop's tokens at the org server, bound to `key`

  before(async () => {
    idp = await startDevIdp({ orgPort: 0, customPort: 0, resourcePort: 0, appOrigins: [APP], autoLogin: true });
    org = idp.org.issuer;
    [key, other] = await Promise.all([dpopKey(), dpopKey()]);
    bound = await dpopTokens(org, key);
  }, { timeout: HOOK_TIMEOUT });
  after(() => idp?.close(), { timeout: HOOK_TIMEOUT });

  describe('the authorization servers', () => {
    it('discovery lists dpop_signing_alg_values_supported with ES256 (org and custom servers)', { timeout: TIMEOUT }, async () => {
      for (const issuer of [org, idp.custom.issuer]) {
        const { body } = await get(`${issuer}/.well-known/openid-configuration`);
        assert.ok(body.dpop_signing_alg_values_supported.includes('ES256'), `${issuer}: ${body.dpop_signing_alg_values_supported}`);
      }
    });

    it('the first DPoP token request gets 400 use_dpop_nonce with a DPoP-Nonce; the retry gets a DPoP token', { timeout: TIMEOUT }, async () => {
      const { code, verifier } = await authorize(org, { clientId: 'demo-spa-dpop' });
      const { first, retry, nonce } = await dpopTokenRequest(org, key, { grant_type: 'authorization_code', client_id: 'demo-spa-dpop', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
      assert.equal(first.status, 400);
      assert.equal(first.body.error, 'use_dpop_nonce');
      assert.match(nonce, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(retry.status, 200, JSON.stringify(retry.body));
      assert.equal(retry.body.token_type, 'DPoP');
      assert.ok(retry.body.refresh_token, 'offline_access: a refresh token');
      assert.equal((await idp.findAccessToken(retry.body.access_token)).jkt, key.jkt, 'the access token is bound to the proof key');
    });

    // oidc-provider answers every invalid_grant with the same description ("grant request
    // is invalid"): each refusal below is followed by the request that differs only in the
    // one thing under test, which succeeds, so the refusal was for that thing.
    it('demo-spa-dpop without a DPoP proof: invalid_grant (DPoP-bound tokens are required)', { timeout: TIMEOUT }, async () => {
      const { code, verifier } = await authorize(org, { clientId: 'demo-spa-dpop' });
      const form = { grant_type: 'authorization_code', client_id: 'demo-spa-dpop', code, code_verifier: verifier, redirect_uri: REDIRECT_URI };
      const answer = await post(endpoint(org, 'token'), form);
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid_grant');
      // Refused before the code is used up: the same code with a proof works.
      assert.equal((await dpopTokenRequest(org, key, form)).retry.body.token_type, 'DPoP');
    });

    it('demo-spa is unchanged: Bearer tokens, no DPoP-Nonce, refresh and userinfo as before', { timeout: TIMEOUT }, async () => {
      const answer = await bearerTokens(org);
      assert.equal(answer.body.token_type, 'Bearer');
      assert.equal(answer.headers.get('dpop-nonce'), null);
      assert.equal((await idp.findAccessToken(answer.body.access_token)).jkt, undefined);
      const refreshed = await post(endpoint(org, 'token'), { grant_type: 'refresh_token', client_id: 'demo-spa', refresh_token: answer.body.refresh_token });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.equal(refreshed.body.token_type, 'Bearer');
      const userinfo = await get(endpoint(org, 'userinfo'), { authorization: `Bearer ${refreshed.body.access_token}` });
      assert.equal(userinfo.status, 200);
      assert.equal(userinfo.body.sub, 'jane');
    });

    it('refresh: needs a proof by the bound key (with a nonce), and gives DPoP tokens again', { timeout: TIMEOUT }, async () => {
      const tokens = await dpopTokens(org, key);
      const form = { grant_type: 'refresh_token', client_id: 'demo-spa-dpop', refresh_token: tokens.refresh_token };
      const none = await post(endpoint(org, 'token'), form);
      assert.equal(none.body.error, 'invalid_grant');
      const wrongKey = await dpopTokenRequest(org, other, form);
      assert.equal(wrongKey.first.body.error, 'use_dpop_nonce');
      assert.equal(wrongKey.retry.body.error, 'invalid_grant');
      // Both refused before the refresh token rotated: the bound key still works with it.
      const { first, retry } = await dpopTokenRequest(org, key, form);
      assert.equal(first.body.error, 'use_dpop_nonce');
      assert.equal(retry.status, 200, JSON.stringify(retry.body));
      assert.equal(retry.body.token_type, 'DPoP');
      assert.notEqual(retry.body.refresh_token, tokens.refresh_token, 'a SPA\'s refresh token rotates at each use, as in Okta');
      assert.equal((await idp.findAccessToken(retry.body.access_token)).jkt, key.jkt);
      // The old one is spent: using it again is refused (and, as oidc-provider does, ends the grant).
      assert.equal((await dpopTokenRequest(org, key, form)).retry.body.error, 'invalid_grant');
    });

    it('authorize binds the code to dpop_jkt (RFC 9449 §10): another key, or none, is refused', { timeout: TIMEOUT }, async () => {
      const form = (c) => ({ grant_type: 'authorization_code', client_id: 'demo-spa-dpop', code: c.code, code_verifier: c.verifier, redirect_uri: REDIRECT_URI });
      const forOther = await dpopTokenRequest(org, other, form(await authorize(org, { clientId: 'demo-spa-dpop', dpopJkt: key.jkt })));
      assert.equal(forOther.retry.body.error, 'invalid_grant');
      // The control: the same key without dpop_jkt in the authorization request is accepted.
      const unpinned = await dpopTokenRequest(org, other, form(await authorize(org, { clientId: 'demo-spa-dpop' })));
      assert.equal(unpinned.retry.body.token_type, 'DPoP');
      // demo-spa asked for a key binding too: without a proof, the code is refused.
      const noProof = await authorize(org, { clientId: 'demo-spa', dpopJkt: key.jkt });
      const answer = await post(endpoint(org, 'token'), { ...form(noProof), client_id: 'demo-spa' });
      assert.equal(answer.body.error, 'invalid_grant');
      const unpinnedBearer = await bearerTokens(org);
      assert.equal(unpinnedBearer.body.token_type, 'Bearer');
      const right = await dpopTokenRequest(org, key, form(await authorize(org, { clientId: 'demo-spa-dpop', dpopJkt: key.jkt })));
      assert.equal(right.retry.status, 200, JSON.stringify(right.retry.body));
      assert.equal(right.retry.body.token_type, 'DPoP');
    });

    it('userinfo: a DPoP token needs Authorization: DPoP and a proof with a nonce; as Bearer it is refused', { timeout: TIMEOUT }, async () => {
      const url = endpoint(org, 'userinfo');
      const first = await get(url, { authorization: `DPoP ${bound.access_token}`, dpop: await proof(key, { htm: 'GET', htu: url, accessToken: bound.access_token }) });
      assert.equal(first.status, 401);
      assert.equal(challenge(first.headers).error, 'use_dpop_nonce');
      assert.match(challenge(first.headers).value, /^DPoP /);
      const nonce = first.headers.get('dpop-nonce');
      assert.ok(nonce);
      const retry = await get(url, { authorization: `DPoP ${bound.access_token}`, dpop: await proof(key, { htm: 'GET', htu: url, accessToken: bound.access_token, nonce }) });
      assert.equal(retry.status, 200, JSON.stringify(retry.body));
      assert.equal(retry.body.sub, 'jane');
      const asBearer = await get(url, { authorization: `Bearer ${bound.access_token}` });
      assert.equal(asBearer.status, 401);
      assert.equal(challenge(asBearer.headers).error, 'invalid_token');
    });

    it('introspection and revocation (public client): the token in the form; Authorization: DPoP is refused', { timeout: TIMEOUT }, async () => {
      const tokens = await dpopTokens(org, key);
      const introspect = endpoint(org, 'introspect');
      const info = await post(introspect, { client_id: 'demo-spa-dpop', token: tokens.access_token });
      assert.equal(info.status, 200);
      assert.equal(info.body.active, true);
      assert.equal(info.body.token_type, 'DPoP');
      assert.deepEqual(info.body.cnf, { jkt: key.jkt });
      // Okta-style DPoP authorization of the call itself: oidc-provider reads any
      // Authorization header here as client authentication, and this one is not Basic.
      const withDpop = await post(introspect, { client_id: 'demo-spa-dpop', token: tokens.access_token }, {
        authorization: `DPoP ${tokens.access_token}`,
        dpop: await proof(key, { htm: 'POST', htu: introspect, accessToken: tokens.access_token }),
      });
      assert.equal(withDpop.status, 400);
      assert.equal(withDpop.body.error, 'invalid_request');
      assert.match(withDpop.body.error_description, /invalid authorization header value format/);
      // A DPoP header alone is ignored by introspection (no nonce asked for).
      const proofOnly = await post(introspect, { client_id: 'demo-spa-dpop', token: tokens.access_token }, {
        dpop: await proof(key, { htm: 'POST', htu: introspect }),
      });
      assert.equal(proofOnly.status, 200);
      assert.equal(proofOnly.body.active, true);

      const revoke = endpoint(org, 'revoke');
      const refused = await post(revoke, { client_id: 'demo-spa-dpop', token: tokens.refresh_token }, {
        authorization: `DPoP ${tokens.access_token}`,
        dpop: await proof(key, { htm: 'POST', htu: revoke, accessToken: tokens.access_token }),
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'invalid_request');
      const revoked = await post(revoke, { client_id: 'demo-spa-dpop', token: tokens.refresh_token, token_type_hint: 'refresh_token' });
      assert.equal(revoked.status, 200);
      // Revoking the refresh token ends its grant: the access token goes too.
      assert.equal((await post(introspect, { client_id: 'demo-spa-dpop', token: tokens.access_token })).body.active, false);
      assert.equal(await idp.findAccessToken(tokens.access_token), undefined);
    });

    it('CORS: preflights allow the DPoP header; token and userinfo expose DPoP-Nonce and WWW-Authenticate', { timeout: TIMEOUT }, async () => {
      for (const name of ['token', 'userinfo', 'introspect', 'revoke']) {
        const response = await fetch(endpoint(org, name), {
          method: 'OPTIONS',
          headers: { origin: APP, 'access-control-request-method': name === 'userinfo' ? 'GET' : 'POST', 'access-control-request-headers': 'authorization,content-type,dpop' },
        });
        assert.equal(response.status, 204, name);
        assert.equal(response.headers.get('access-control-allow-origin'), APP, name);
        assert.match(response.headers.get('access-control-allow-headers'), /(^|,)\s*dpop\s*(,|$)/i, name);
        assert.match(response.headers.get('access-control-allow-headers'), /authorization/i, name);
      }
      const exposed = async (name, init) => {
        const response = await fetch(endpoint(org, name), { ...init, headers: { origin: APP, ...init.headers } });
        assert.equal(response.headers.get('access-control-allow-origin'), APP, name);
        return (response.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
      };
      const tokenUrl = endpoint(org, 'token');
      const token = await exposed('token', { method: 'POST', headers: { ...FORM, dpop: await proof(key, { htm: 'POST', htu: tokenUrl }) }, body: 'grant_type=refresh_token&client_id=demo-spa-dpop&refresh_token=x' });
      assert.ok(token.includes('dpop-nonce') && token.includes('www-authenticate'), `token: ${token}`);
      const userinfo = await exposed('userinfo', { method: 'GET', headers: { authorization: 'Bearer x' } });
      assert.ok(userinfo.includes('dpop-nonce') && userinfo.includes('www-authenticate'), `userinfo: ${userinfo}`);
      // Introspection and revocation take no DPoP proof: only WWW-Authenticate is exposed.
      for (const name of ['introspect', 'revoke']) {
        const list = await exposed(name, { method: 'POST', headers: FORM, body: 'client_id=demo-spa-dpop&token=x' });
        assert.deepEqual(list, ['www-authenticate'], name);
      }
    });

    it('the custom server: its own nonces (the org server\'s is refused), DPoP tokens the resource server finds', { timeout: TIMEOUT }, async () => {
      const custom = idp.custom.issuer;
      const { code, verifier } = await authorize(custom, { clientId: 'demo-spa-dpop' });
      const form = { grant_type: 'authorization_code', client_id: 'demo-spa-dpop', code, code_verifier: verifier, redirect_uri: REDIRECT_URI };
      const orgNonce = (await dpopTokenRequest(org, key, { grant_type: 'refresh_token', client_id: 'demo-spa-dpop', refresh_token: 'x' })).nonce;
      const url = endpoint(custom, 'token');
      const withOrgNonce = await post(url, form, { dpop: await proof(key, { htm: 'POST', htu: url, nonce: orgNonce }) });
      assert.equal(withOrgNonce.body.error, 'use_dpop_nonce');
      assert.notEqual(withOrgNonce.headers.get('dpop-nonce'), orgNonce);
      const ok = await post(url, form, { dpop: await proof(key, { htm: 'POST', htu: url, nonce: withOrgNonce.headers.get('dpop-nonce') }) });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.token_type, 'DPoP');
      const found = await idp.findAccessToken(ok.body.access_token);
      assert.equal(found.iss, custom);
      assert.equal(found.jkt, key.jkt);
    });
  });

  describe('the resource server', () => {
    let api; // its URL
    let nonce; // a current nonce of the resource server
    const profile = () => `${api}/api/profile`;

    /** A GET of `url` with `token` under `scheme` and a proof made by `make` (or none). */
    async function call(url, { token = bound.access_token, scheme = 'DPoP', method = 'GET', make } = {}) {
      const headers = { authorization: `${scheme} ${token}` };
      if (make) headers.dpop = await make();
      const response = await fetch(url, { method, headers });
      return { status: response.status, headers: response.headers, body: await response.json() };
    }
    /** A correct proof for a GET of `url` with the bound token and the current nonce; `o` bends it. */
    const good = (url, o = {}) => () => proof(key, { htm: 'GET', htu: url, accessToken: bound.access_token, nonce, ...o });

    /** Asserts a 401 refusal with `error` whose description matches `why`. */
    function refused(answer, error, why) {
      assert.equal(answer.status, 401, JSON.stringify(answer.body));
      const c = challenge(answer.headers);
      assert.equal(c.error, error, c.value);
      assert.match(c.description, why);
      assert.equal(answer.body.error, error);
    }

    before(async () => {
      api = idp.resource.url;
      // The nonce round trip, as a client runs it (and as the first test checks).
      const first = await call(profile(), { make: good(profile(), { nonce: undefined }) });
      nonce = first.headers.get('dpop-nonce');
    }, { timeout: HOOK_TIMEOUT });

    it('a valid DPoP request after a nonce challenge: 200 with the token\'s subject, client, binding', { timeout: TIMEOUT }, async () => {
      await fetch(`${api}/__test/reset-stats`, { method: 'POST' });
      const first = await call(profile(), { make: good(profile(), { nonce: undefined }) });
      refused(first, 'use_dpop_nonce', /nonce is required/);
      assert.ok(first.headers.get('dpop-nonce'));
      assert.match(challenge(first.headers).value, /^DPoP .*algs="ES256"/);
      nonce = first.headers.get('dpop-nonce');
      const answer = await call(profile(), { make: good(profile()) });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, {
        sub: 'jane', client_id: 'demo-spa-dpop', scope: 'openid profile', tokenType: 'DPoP', jkt: key.jkt, method: 'GET', url: profile(), iss: org,
      });
      const stats = await (await fetch(`${api}/__test/stats`)).json();
      assert.equal(stats.requests, 2);
      assert.equal(stats.nonceChallenges, 1);
      assert.equal(stats.accepted.DPoP, 1);
    });

    it('its nonces are its own: the authorization server\'s nonce is answered with use_dpop_nonce', { timeout: TIMEOUT }, async () => {
      const asNonce = (await dpopTokenRequest(org, key, { grant_type: 'refresh_token', client_id: 'demo-spa-dpop', refresh_token: 'x' })).nonce;
      const answer = await call(profile(), { make: good(profile(), { nonce: asNonce }) });
      refused(answer, 'use_dpop_nonce', /not a current nonce/);
      assert.notEqual(answer.headers.get('dpop-nonce'), asNonce);
    });

    it('rotate-nonce: the old nonce is refused with a new one, which then works', { timeout: TIMEOUT }, async () => {
      const rotated = await (await fetch(`${api}/__test/rotate-nonce`, { method: 'POST' })).json();
      const stale = await call(profile(), { make: good(profile()) });
      refused(stale, 'use_dpop_nonce', /not a current nonce/);
      nonce = stale.headers.get('dpop-nonce');
      assert.equal(nonce, rotated.nonce);
      assert.equal((await call(profile(), { make: good(profile()) })).status, 200);
    });

    it('/api/echo answers any method and the URL it saw; htu ignores the query', { timeout: TIMEOUT }, async () => {
      const echo = `${api}/api/echo`;
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const answer = await call(`${echo}?q=1#f`, { method, make: good(echo, { htm: method }) });
        assert.equal(answer.status, 200, `${method}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.method, method);
        assert.equal(answer.body.url, `${echo}?q=1`);
      }
    });

    it('a valid unbound token with Authorization: Bearer: 200, tokenType Bearer', { timeout: TIMEOUT }, async () => {
      const { body } = await bearerTokens(org);
      const answer = await call(profile(), { token: body.access_token, scheme: 'Bearer' });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.tokenType, 'Bearer');
      assert.equal(answer.body.client_id, 'demo-spa');
      assert.equal(answer.body.jkt, undefined);
    });

    it('invalid-sig: a proof not signed by its header jwk', { timeout: TIMEOUT }, async () => {
      refused(await call(profile(), { make: good(profile(), { signWith: other.privateKey }) }), 'invalid_dpop_proof', /signature/);
    });

    it('wrong-htm: a proof for another method', { timeout: TIMEOUT }, async () => {
      refused(await call(`${api}/api/echo`, { method: 'POST', make: good(`${api}/api/echo`) }), 'invalid_dpop_proof', /htm/);
    });

    it('wrong-htu: a proof for another path, or for another server', { timeout: TIMEOUT }, async () => {
      refused(await call(profile(), { make: good(`${api}/api/echo`) }), 'invalid_dpop_proof', /htu/);
      refused(await call(profile(), { make: good(endpoint(org, 'userinfo')) }), 'invalid_dpop_proof', /htu/);
    });

    it('stale-iat: a proof made two minutes ago, or two minutes ahead', { timeout: TIMEOUT }, async () => {
      refused(await call(profile(), { make: good(profile(), { claims: { iat: now() - 120 } }) }), 'invalid_dpop_proof', /iat/);
      refused(await call(profile(), { make: good(profile(), { claims: { iat: now() + 120 } }) }), 'invalid_dpop_proof', /iat/);
    });

    it('replayed-jti: the same proof twice', { timeout: TIMEOUT }, async () => {
      const once = await good(profile())();
      assert.equal((await call(profile(), { make: () => once })).status, 200);
      refused(await call(profile(), { make: () => once }), 'invalid_dpop_proof', /jti/);
    });

    it('ath: missing, or the hash of another token', { timeout: TIMEOUT }, async () => {
      refused(await call(profile(), { make: good(profile(), { claims: { ath: undefined } }) }), 'invalid_dpop_proof', /no ath/);
      refused(await call(profile(), { make: good(profile(), { claims: { ath: sha256url('another token') } }) }), 'invalid_dpop_proof', /ath/);
    });

    it('jkt-mismatch: a valid proof by a key the token is not bound to', { timeout: TIMEOUT }, async () => {
      const make = () => proof(other, { htm: 'GET', htu: profile(), accessToken: bound.access_token, nonce });
      refused(await call(profile(), { make }), 'invalid_dpop_proof', /jkt/);
    });

    it('bound-as-bearer: a DPoP-bound token with Authorization: Bearer', { timeout: TIMEOUT }, async () => {
      const answer = await call(profile(), { scheme: 'Bearer' });
      refused(answer, 'invalid_token', /DPoP-bound/);
      assert.match(challenge(answer.headers).value, /^DPoP /);
    });

    it('no-proof: Authorization: DPoP without a DPoP header, or with two', { timeout: TIMEOUT }, async () => {
      refused(await call(profile()), 'invalid_dpop_proof', /no DPoP header/);
      const a = await good(profile())();
      const b = await good(profile())();
      const answer = await getWithHeaderLines(profile(), { authorization: `DPoP ${bound.access_token}`, dpop: [a, b] });
      refused(answer, 'invalid_dpop_proof', /more than one/);
    });

    it('proof header rules: typ, alg (ES256 only), private key members in the jwk', { timeout: TIMEOUT }, async () => {
      refused(await call(profile(), { make: good(profile(), { header: { typ: 'JWT' } }) }), 'invalid_dpop_proof', /typ/);
      const ed = await dpopKey('EdDSA');
      refused(await call(profile(), { make: () => proof(ed, { htm: 'GET', htu: profile(), accessToken: bound.access_token, nonce }) }), 'invalid_dpop_proof', /alg EdDSA/);
      refused(await call(profile(), { make: good(profile(), { header: { jwk: key.privateJwk() } }) }), 'invalid_dpop_proof', /private/);
    });

    it('token rules: unknown token, and an unbound token under the DPoP scheme, are invalid_token', { timeout: TIMEOUT }, async () => {
      const unknown = 'x'.repeat(43);
      refused(await call(profile(), { token: unknown, make: () => proof(key, { htm: 'GET', htu: profile(), accessToken: unknown, nonce }) }), 'invalid_token', /unknown/);
      refused(await call(profile(), { token: unknown, scheme: 'Bearer' }), 'invalid_token', /unknown/);
      const { body } = await bearerTokens(org);
      const unbound = body.access_token;
      refused(await call(profile(), { token: unbound, make: () => proof(key, { htm: 'GET', htu: profile(), accessToken: unbound, nonce }) }), 'invalid_token', /not DPoP-bound/);
    });

    it('no Authorization header: 401 with Bearer and DPoP challenges and no error code', { timeout: TIMEOUT }, async () => {
      const response = await fetch(profile());
      assert.equal(response.status, 401);
      const value = response.headers.get('www-authenticate');
      assert.match(value, /^Bearer realm="[^"]+", DPoP realm="[^"]+", algs="ES256"$/);
      assert.doesNotMatch(value, /error=/);
    });

    it('CORS: the app origin may send Authorization and DPoP and read DPoP-Nonce and WWW-Authenticate; others get nothing', { timeout: TIMEOUT }, async () => {
      const preflight = await fetch(profile(), { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,dpop' } });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), APP);
      assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
      assert.match(preflight.headers.get('access-control-allow-headers'), /DPoP/);
      const actual = await fetch(profile(), { headers: { origin: APP, authorization: `DPoP ${bound.access_token}` } });
      assert.equal(actual.status, 401);
      assert.equal(actual.headers.get('access-control-allow-origin'), APP);
      assert.deepEqual(actual.headers.get('access-control-expose-headers').split(/\s*,\s*/).sort(), ['DPoP-Nonce', 'WWW-Authenticate']);
      const stranger = await fetch(profile(), { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'GET' } });
      assert.equal(stranger.headers.get('access-control-allow-origin'), null);
    });
  });
});
