// Test support for the wasm-bindgen-test layer (tests/browser*.rs): a fake provider inside
// the test page, and a few page helpers. Bound from Rust in tests/support/mod.rs.

const realFetch = globalThis.fetch.bind(globalThis);
let routes = null;
let log = [];

/**
 * Replaces window.fetch. `table` maps an absolute URL (without query) to a handler:
 *   { status?, headers?, body? }            a fixed response (body: string or object -> JSON)
 *   (request, bodyText) => that, or a Promise of it, or the string 'network-error'
 *   'network-error'                          fetch rejects with a TypeError, like CORS or offline
 * Unknown URLs reject like a network error. Every call is logged (see fetchLog()).
 */
export function mockFetch(table) {
  routes = table;
  log = [];
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const bodyText = request.method === 'GET' ? '' : await request.clone().text();
    const url = request.url.split('?')[0];
    log.push({ url: request.url, method: request.method, body: bodyText, headers: Object.fromEntries(request.headers) });
    let handler = routes[url];
    if (typeof handler === 'function') handler = await handler(request, bodyText);
    if (handler === undefined || handler === 'network-error') throw new TypeError('Failed to fetch');
    const body = typeof handler.body === 'string' || handler.body === undefined ? handler.body ?? '' : JSON.stringify(handler.body);
    const headers = { 'content-type': 'application/json', ...(handler.headers ?? {}) };
    return new Response(body, { status: handler.status ?? 200, headers });
  };
}

/** Restores the real fetch. */
export function unmockFetch() {
  globalThis.fetch = realFetch;
  routes = null;
}

/** The requests made since mockFetch(), as [{url, method, body, headers}]. */
export function fetchLog() {
  return log;
}

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const b64urlText = (text) => b64url(new TextEncoder().encode(text));

/**
 * A fresh RSA key pair (RS256). Resolves to { jwk, sign(payload, header?) }:
 * jwk is the public JWK with kid/alg/use; sign(payload) returns a compact JWS string
 * (payload: object -> JSON, or a string used byte for byte).
 */
export async function makeSigner(kid = 'test-key', modulusLength = 2048) {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const jwk = { kty: 'RSA', n: exported.n, e: exported.e, kid, alg: 'RS256', use: 'sig' };
  async function sign(payload, header = { alg: 'RS256', kid, typ: 'JWT' }) {
    const input = b64urlText(JSON.stringify(header)) + '.' + b64urlText(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const sig = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', pair.privateKey, new TextEncoder().encode(input));
    return input + '.' + b64url(sig);
  }
  return { jwk, sign };
}

/** at_hash / c_hash for RS256: base64url of the left half of SHA-256(ASCII(value)). */
export async function halfHash(value) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return b64url(digest.slice(0, 16));
}

/** Dispatches a `message` event on window with any origin and source (forged or not). */
export function dispatchMessage(data, origin, source) {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: source ?? null }));
}

/** Seconds since the epoch. */
export function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/**
 * The query of the authorize URL `url`, as an object. Its nonce, state and code_challenge are
 * recorded on the fake provider `p`: the nonce is what the provider puts in its next ID token.
 */
export function readAuthorize(p, url) {
  const q = Object.fromEntries(new URL(url).searchParams);
  p.nonce = q.nonce; p.state = q.state; p.challenge = q.code_challenge;
  return q;
}

/** The library's hidden iframes of silent sign-in. */
export function silentFrames() {
  return Array.from(document.querySelectorAll('iframe[title="okta-auth-wasm silent sign-in"]'));
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

/** Resolves with fn()'s first truthy value, polling; rejects after `ms`. */
export async function waitFor(fn, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
