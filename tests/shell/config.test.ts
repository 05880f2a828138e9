// The configuration, the errors and the randomness of AuthClient (ts/client.ts, ts/env.ts,
// ts/flow.ts): what tests/browser.rs checked of the old Rust facade, through the public API.
import { equal, deepEqual, match, ok } from './assert.js';
import { client, CLIENT_ID, ISSUER, REDIRECT_URI, world, type World } from './fakes.js';
import { test } from './runner.js';
import { clientWith, contextOf } from '../../ts/client.js';
import { browserEnv } from '../../ts/env.js';
import { AuthError } from '../../ts/errors.js';
import { core } from '../../ts/core.js';
import type { AuthConfig } from '../../ts/types.js';
import rfc7636 from '../vectors/rfc7636-pkce.json';

const b64url = (bytes: ArrayBuffer | Uint8Array): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The error `new AuthClient(config)` throws, where `config` is the defaults with `overrides`. */
function constructorError(w: World, overrides: Record<string, unknown>, base: Record<string, unknown> = { issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT_URI }): AuthError {
  try {
    clientWith({ ...base, ...overrides } as unknown as AuthConfig, w.env);
  } catch (e) {
    ok(e instanceof AuthError, `an AuthError, not ${String(e)}`);
    return e;
  }
  throw new Error(`config ${JSON.stringify(overrides)} was accepted`);
}

test('random_bytes_come_from_crypto_get_random_values', () => {
  const original = crypto.getRandomValues;
  let calls = 0;
  crypto.getRandomValues = function <T extends ArrayBufferView>(array: T): T {
    calls += 1;
    return original.call(crypto, array) as T;
  };
  let a: Uint8Array;
  let b: Uint8Array;
  try {
    const env = browserEnv();
    a = env.random(32);
    b = env.random(32);
  } finally {
    crypto.getRandomValues = original;
  }
  ok(calls >= 2, `crypto.getRandomValues called ${calls} times`);
  equal(a.length, 32);
  ok(a.some((x) => x !== 0), 'not all zero');
  ok(a.some((x, i) => x !== b[i]), 'two draws differ');
});

test('authorize_state_nonce_and_verifier_come_from_the_injected_random_source', async () => {
  const w = await world();
  const draws: number[] = [];
  const random = w.env.random;
  w.env.random = (n) => {
    draws.push(n);
    return random(n);
  };
  const c = client(w);
  const first = await c.buildAuthorizeUrl();
  equal(draws.length, 1, 'one draw per authorize request');
  ok((draws[0] ?? 0) >= 64, `enough bytes for state, nonce and verifier: ${draws[0]}`);
  // The same bytes give the same request: nothing else feeds it.
  const fixed = new Uint8Array(draws[0]!).fill(7);
  w.env.random = () => fixed.slice();
  const x = await c.buildAuthorizeUrl();
  const y = await c.buildAuthorizeUrl();
  deepEqual([x.state, x.nonce, x.codeVerifier], [y.state, y.nonce, y.codeVerifier]);
  ok(first.state !== x.state && first.nonce !== x.nonce && first.codeVerifier !== x.codeVerifier, 'other bytes, other values');
});

test('fresh_pkce_is_a_valid_s256_pair_and_never_repeats', async () => {
  const w = await world();
  const c = client(w);
  const first = await c.buildAuthorizeUrl();
  const second = await c.buildAuthorizeUrl();
  const verifier = first.codeVerifier ?? '';
  equal(verifier.length, 43);
  // RFC 7636 §4.1: unreserved characters only.
  match(verifier, /^[A-Za-z0-9\-._~]{43,128}$/);
  const q = new URL(first.url).searchParams;
  equal(q.get('code_challenge_method'), 'S256');
  equal(q.get('code_challenge'), b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))), 'RFC 7636 §4.2');
  ok(second.codeVerifier && second.codeVerifier !== verifier, 'a new verifier per request');
  ok(new URL(second.url).searchParams.get('code_challenge') !== q.get('code_challenge'), 'a new challenge per request');
});

test('pkce_of_the_rfc7636_appendix_b_verifier_octets_is_its_s256_challenge', async () => {
  const w = await world();
  w.env.random = (n) => {
    const bytes = crypto.getRandomValues(new Uint8Array(n));
    // The verifier's octets are the last 32 of the draw.
    bytes.set(rfc7636.verifier_octets, n - rfc7636.verifier_octets.length);
    return bytes;
  };
  const r = await client(w).buildAuthorizeUrl();
  equal(r.codeVerifier, rfc7636.code_verifier);
  equal(new URL(r.url).searchParams.get('code_challenge'), rfc7636.code_challenge);
});

test('library_errors_become_auth_errors_with_code_and_description', async () => {
  const w = await world();
  const e = constructorError(w, {}, { clientId: CLIENT_ID, redirectUri: REDIRECT_URI });
  ok(e instanceof Error, 'an Error');
  equal(e.name, 'AuthError');
  equal(e.code, 'invalid_config');
  equal(e.message, 'invalid_config: issuer is required');
  equal(e.description, 'issuer is required');
  equal(e.oauthError, undefined);
  ok(!('oauthError' in e), 'no oauthError member for a library error');
});

test('constructs_a_client_from_a_js_config_with_defaults', async () => {
  const w = await world();
  const c = client(w);
  equal(c.issuer, 'https://dev-1.okta.com/oauth2/default');
  equal(c.clientId, '0oa1spa');
  equal(c.redirectUri, 'https://app.example/callback');
  deepEqual(c.scopes, ['openid', 'profile', 'email']);
  equal(c.responseType, 'code');
  const s = contextOf(c).settings;
  deepEqual(
    [s.storage, s.clockSkewSeconds, s.expireEarlySeconds, s.popupTimeoutMs, s.silentTimeoutMs, s.httpTimeoutMs, s.popupResponseMode, s.autoRenew],
    ['memory', 300, 30, 120000, 10000, 30000, 'okta_post_message', true],
  );
});

test('js_values_of_the_wrong_type_name_their_option', async () => {
  const w = await world();
  const cases: [string, unknown, string][] = [
    ['issuer', 1, 'issuer must be a string'],
    ['scopes', 'openid', 'scopes must be an array of strings'],
    ['clockSkewSeconds', '300', 'clockSkewSeconds must be a number'],
    ['autoRenew', 'yes', 'autoRenew must be true or false'],
    ['endpoints', 'https://x', 'endpoints must be an object of URLs'],
    ['storage', { getItem: true }, 'storage must be'],
  ];
  for (const [key, value, expected] of cases) {
    const e = constructorError(w, { [key]: value });
    equal(e.code, 'invalid_config', key);
    ok(e.description.startsWith(expected), `${key}: ${e.description}`);
  }
});

test('an_endpoint_override_error_names_the_nested_option', async () => {
  const w = await world();
  const e = constructorError(w, { endpoints: { token: 'http://dev-1.okta.com/t' } });
  equal(e.code, 'invalid_config');
  ok(e.description.startsWith('endpoints.token must use https'), e.description);
});

test('a_misspelt_option_is_refused_not_ignored', async () => {
  const w = await world();
  const e = constructorError(w, { scope: 'openid' });
  equal(e.code, 'invalid_config');
  ok(e.message.includes('unknown option "scope"'), e.message);
});

test('a_custom_storage_object_is_accepted', async () => {
  const w = await world();
  const read: string[] = [];
  const c = client(w, { storage: { getItem: (k) => (read.push(k), null), setItem: () => {}, removeItem: () => {} } });
  equal(contextOf(c).settings.storage, 'custom');
  equal(await c.isAuthenticated(), false);
  ok(read.includes(contextOf(c).keys.tokens), `the tokens are read from it: ${JSON.stringify(read)}`);
});

// ---- the door to the core (ts/core.ts) ----------------------------------------------------

test('text_crosses_the_door_intact_in_both_directions_short_or_long_ascii_or_not', async () => {
  // Short ASCII strings are copied by hand both ways; anything else goes through
  // TextEncoder/TextDecoder. Each case takes the other path somewhere.
  for (const state of ['a', 'é', 'state-1', '日本', 'x'.repeat(40), 'ü'.repeat(40), '😀'.repeat(20), 'a'.repeat(70), 'a'.repeat(300), 'ü'.repeat(100)]) {
    deepEqual(core.redirectStates(`?code=c&state=${encodeURIComponent(state)}`, ''), [state], state);
  }
  // Unencoded arguments, under and over 256 UTF-16 units: the option's name comes back in the error.
  const w = await world();
  for (const name of ['scopé', 'ß'.repeat(60), 'é'.repeat(300), '😀'.repeat(40), 'x'.repeat(300)]) {
    const e = constructorError(w, { [name]: 1 });
    ok(e.message.includes(`unknown option "${name}"`), e.message);
  }
});
