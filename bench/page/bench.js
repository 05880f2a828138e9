// The in-page half of `make bench` (bench/run.mjs drives it through playwright-core).
// Everything is timed here with performance.now(); the driver only collects the samples.
//
// Chromium coarsens performance.now() to 100 µs on pages that are not cross-origin
// isolated, so fast operations are timed in batches: each sample is one batch of k calls
// divided by k, with k chosen so that a batch lasts at least minBatchMs. Cases are
// interleaved sample by sample (in a rotating order) so that noise from other processes on
// the machine falls on all of them alike.
import init, { AuthClient } from '/pkg/index.js';
import { OktaAuth, buildAuthorizeParams, getOAuthUrls } from '/dist/okta-auth-js-bench.js';

const SCOPES = ['openid', 'profile', 'email'];
let ours, okta, token, floor;

const b64urlToBytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** Runs every case `samples` times (after `warmup` calls each); returns raw per-call times in ms. */
async function interleaved(cases, { samples, warmup, minBatchMs }) {
  const names = Object.keys(cases);
  for (const name of names) for (let i = 0; i < warmup; i++) await cases[name]();
  const batch = {};
  for (const name of names) {
    // Calibrate: how many calls fill ~4 × minBatchMs, scaled down to one batch.
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 4 * minBatchMs || n === 0) { await cases[name](); n++; }
    const per = (performance.now() - t0) / n;
    batch[name] = Math.max(1, Math.ceil(minBatchMs / per));
  }
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(s + j) % names.length];
      const fn = cases[name];
      const k = batch[name];
      const t0 = performance.now();
      for (let i = 0; i < k; i++) await fn();
      times[name].push((performance.now() - t0) / k);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { times: times[n], batch: batch[n], warmup }]));
}

window.bench = {
  /** The clients (okta-auth-wasm from pkg/, okta-auth-js), configured alike, against the embedded provider's org authorization server. */
  async setup({ issuer, clientId }) {
    await init();
    const redirectUri = `${location.origin}/`;
    ours = new AuthClient({ issuer, clientId, redirectUri, scopes: SCOPES });
    okta = new OktaAuth({
      issuer, clientId, redirectUri, scopes: SCOPES,
      pkce: true,                       // the default, stated: code + PKCE like ours
      tokenManager: { autoRenew: false },
      services: { autoRenew: false, autoRemove: false, syncStorage: false },
    });
    return true;
  },

  /** Gives the browser context a provider session (our popup) and keeps its ID token. */
  async signIn() {
    const tokens = await ours.signInWithPopup();
    token = tokens.idToken.value;
    const [h, p, s] = token.split('.');
    const header = JSON.parse(new TextDecoder().decode(b64urlToBytes(h)));
    const claims = JSON.parse(new TextDecoder().decode(b64urlToBytes(p)));
    // The floor: the same key, imported once, and the same bytes.
    const jwks = await (await fetch(`${claims.iss}/oauth2/v1/keys`)).json();
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    floor = {
      key: await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']),
      data: new TextEncoder().encode(`${h}.${p}`),
      sig: b64urlToBytes(s),
    };
    return { alg: header.alg, kid: header.kid, bits: b64urlToBytes(jwk.n).length * 8, claims, length: token.length };
  },

  /** Checks once that every case succeeds on its inputs, so no timing is of an error path. */
  async check() {
    const claims = JSON.parse(new TextDecoder().decode(b64urlToBytes(token.split('.')[1])));
    const nonce = claims.nonce;
    const oursClaims = await ours.verifyIdToken(token, { nonce });
    const oktaToken = await okta.token.verify(this.oktaIdToken(claims), { nonce });
    const floorOk = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', floor.key, floor.sig, floor.data);
    const url1 = (await ours.buildAuthorizeUrl()).url;
    const url2 = await this.oktaAuthorizeUrl();
    return {
      verify: { ours: oursClaims.sub, okta: oktaToken.claims.sub, floor: floorOk, nonce: !!nonce },
      authorizeUrl: { ours: url1, okta: url2 },
    };
  },

  oktaIdToken(claims) {
    return { idToken: token, claims, issuer: claims.iss, clientId: okta.options.clientId, expiresAt: claims.exp, authorizeUrl: '', scopes: SCOPES };
  },

  async oktaAuthorizeUrl() {
    // What okta-auth-js's getToken() does before opening its popup, iframe or redirect.
    const params = await okta.token.prepareTokenParams();
    return getOAuthUrls(okta, params).authorizeUrl + buildAuthorizeParams(params);
  },

  async authorizeUrl(opts) {
    return interleaved({
      ours: () => ours.buildAuthorizeUrl(),
      'okta-auth-js': () => this.oktaAuthorizeUrl(),
    }, opts);
  },

  async verify(opts) {
    const claims = JSON.parse(new TextDecoder().decode(b64urlToBytes(token.split('.')[1])));
    const nonce = claims.nonce;
    const oktaToken = this.oktaIdToken(claims);
    return interleaved({
      ours: () => ours.verifyIdToken(token, { nonce }),
      'okta-auth-js': () => okta.token.verify(oktaToken, { nonce }),
      'crypto.subtle.verify': () => crypto.subtle.verify('RSASSA-PKCS1-v1_5', floor.key, floor.sig, floor.data),
    }, opts);
  },

  /** One untimed silent sign-in by each library, for the driver to count its requests. */
  async silentOnce(which) {
    if (which === 'ours') await ours.signInSilently();
    else await okta.token.getWithoutPrompt({ scopes: SCOPES });
    return true;
  },

  async silent(opts) {
    return interleaved({
      ours: () => ours.signInSilently(),
      'okta-auth-js': () => okta.token.getWithoutPrompt({ scopes: SCOPES }),
    }, opts);
  },
};
window.benchReady = true;
