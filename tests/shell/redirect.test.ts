// Redirect sign-in (ts/redirect.ts, ts/flow.ts) against the fake window and provider: the
// transaction kept in sessionStorage and localStorage while the page is away, its one use,
// its expiry and owner, the address bar, fragment and hybrid responses; and
// buildAuthorizeUrl.
import { deepEqual, equal, match, ok, rejects } from './assert.js';
import { APP_ORIGIN, CLIENT_ID, client, halfHash, ISSUER, NOW, REDIRECT_URI, world, type World } from './fakes.js';
import type { AuthClient } from '../../ts/client.js';
import type { SignInOptions } from '../../ts/types.js';
import { test } from './runner.js';

/** The storage key of the transaction of `state`. */
const PREFIX = 'okta-auth-wasm.tx.';
const key = (state: string): string => PREFIX + state;

/** base64url(SHA-256(verifier)): the S256 code challenge of RFC 7636 §4.2. */
async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The token endpoint's requests, as decoded forms. */
function tokenForms(w: World): URLSearchParams[] {
  return w.net.to(w.provider.endpoints.token).map((r) => new URLSearchParams(r.body));
}

function stored(w: World, state: string): { session: string | null; local: string | null } {
  return { session: w.window.sessionStorage.getItem(key(state)), local: w.window.localStorage.getItem(key(state)) };
}

/**
 * Signs in with redirect and lets the provider read the authorize URL the page was sent to:
 * its state, and the callback URL that answers it (on another address than the page's, so
 * the address bar is left alone).
 */
async function redirected(w: World, c: AuthClient, options?: SignInOptions): Promise<{ url: string; state: string; code: string; callback: string }> {
  const before = w.window.assigned.length;
  await c.signInWithRedirect(options);
  const url = w.window.assigned[before];
  ok(url, 'the page was sent to the provider');
  const { code = '', state = '' } = w.provider.answer(url);
  return { url, state, code, callback: `${REDIRECT_URI}?code=${code}&state=${state}` };
}

test('redirect_sign_in_stores_the_transaction_in_session_and_local_storage', async () => {
  const w = await world();
  const c = client(w);
  const { url, state } = await redirected(w, c, { appState: { returnTo: '/orders/7' }, maxAge: 900 });
  ok(url.startsWith(`${w.provider.endpoints.authorize}?`), url);
  const q = new URL(url).searchParams;
  equal(q.get('response_mode'), 'query');
  equal(q.get('max_age'), '900');
  const { session, local } = stored(w, state);
  ok(session, 'kept in sessionStorage');
  equal(local, session, 'the localStorage copy');
  const t = new URLSearchParams(session);
  equal(t.get('state'), state);
  equal(t.get('nonce'), q.get('nonce'));
  equal(t.get('iss'), ISSUER);
  equal(t.get('client_id'), CLIENT_ID);
  equal(t.get('redirect_uri'), REDIRECT_URI);
  equal(t.get('app_state'), '{"returnTo":"/orders/7"}');
  equal(t.get('created_at'), String(NOW));
  equal(t.get('max_age'), '900');
  equal(await s256(t.get('code_verifier') ?? ''), q.get('code_challenge'), 'the verifier of the challenge sent');
});

test('handle_redirect_exchanges_the_code_returns_app_state_and_deletes_the_transaction', async () => {
  const w = await world();
  const c = client(w);
  const { state, code, callback } = await redirected(w, c, { appState: { returnTo: '/x' } });
  const { tokens, appState } = await c.handleRedirect(callback);
  deepEqual(appState, { returnTo: '/x' });
  equal(tokens.idToken?.claims.sub, '00u1alice');
  equal(tokens.idToken?.claims.nonce, w.provider.authorize.get('nonce'));
  deepEqual(await c.getTokens(), tokens, 'the client holds what it returned');
  const forms = tokenForms(w);
  equal(forms.length, 1, 'one token request');
  equal(forms[0]?.get('code'), code);
  equal(forms[0]?.get('redirect_uri'), REDIRECT_URI);
  equal(await s256(forms[0]?.get('code_verifier') ?? ''), w.provider.authorize.get('code_challenge'));
  deepEqual(stored(w, state), { session: null, local: null }, 'the transaction is deleted');
});

test('concurrent_handle_redirect_calls_share_one_redemption', async () => {
  // React StrictMode runs an effect twice: two calls before the first has finished.
  const w = await world();
  const c = client(w);
  const { code, state } = await redirected(w, c, { appState: { returnTo: '/x' } });
  w.window.href = `${APP_ORIGIN}/callback-test?code=${code}&state=${state}`;
  const [a, b] = await Promise.all([c.handleRedirect(), c.handleRedirect()]);
  equal(a.tokens.idToken?.claims.sub, '00u1alice');
  deepEqual(b, a, 'the second call learns the same outcome');
  equal(tokenForms(w).length, 1, 'the code was redeemed once');
  await rejects(c.handleRedirect(`${APP_ORIGIN}/callback-test?code=${code}&state=${state}`), 'transaction_not_found', 'settled: a replay finds nothing');
});

test('a_replayed_callback_is_transaction_not_found', async () => {
  const w = await world();
  const c = client(w);
  const { callback } = await redirected(w, c);
  await c.handleRedirect(callback);
  await rejects(c.handleRedirect(callback), 'transaction_not_found');
  equal(tokenForms(w).length, 1, 'the code was redeemed once');
});

test('a_failed_callback_still_consumes_the_transaction', async () => {
  const w = await world();
  const c = client(w);
  const { state } = await redirected(w, c);
  const e = await rejects(c.handleRedirect(`${REDIRECT_URI}?error=access_denied&state=${state}`), 'access_denied');
  equal(e.oauthError, 'access_denied');
  deepEqual(stored(w, state), { session: null, local: null }, 'the transaction is deleted');
  equal(tokenForms(w).length, 0, 'no token request');
});

test('an_expired_transaction_is_transaction_not_found_and_removed', async () => {
  const w = await world();
  const c = client(w);
  const { state, callback } = await redirected(w, c);
  ok(stored(w, state).session, 'stored');
  w.clock.seconds = NOW + 601;
  await rejects(c.handleRedirect(callback), 'transaction_not_found');
  deepEqual(stored(w, state), { session: null, local: null }, 'the expired transaction is removed');
  equal(tokenForms(w).length, 0, 'no token request');
});

test('a_transaction_is_still_redeemed_at_ten_minutes', async () => {
  const w = await world();
  const c = client(w);
  const { callback } = await redirected(w, c);
  w.clock.seconds = NOW + 600;
  equal((await c.handleRedirect(callback)).tokens.idToken?.claims.sub, '00u1alice');
});

test('a_corrupt_storage_entry_is_transaction_not_found_not_a_panic', async () => {
  const w = await world();
  const c = client(w);
  const corrupt = [
    '%zz%',
    'v=1&state=corrupt-1',
    'v=2&iss=x',
    '',
    'v=1&v=1&state=corrupt-4&nonce=n&response_type=code&response_mode=query&scope=openid&created_at=1&redirect_uri=x&iss=x&client_id=x',
  ];
  for (const [i, text] of corrupt.entries()) {
    const state = `corrupt-${i}`;
    w.window.sessionStorage.setItem(key(state), text);
    w.window.localStorage.setItem(key(state), '\u0000garbage');
    await rejects(c.handleRedirect(`${REDIRECT_URI}?code=c&state=${state}`), 'transaction_not_found', JSON.stringify(text));
    deepEqual(stored(w, state), { session: null, local: null }, `the corrupt entry ${JSON.stringify(text)} is removed`);
  }
  equal(tokenForms(w).length, 0, 'no token request');
  // The client is still usable.
  const { callback } = await redirected(w, c);
  equal((await c.handleRedirect(callback)).tokens.idToken?.claims.sub, '00u1alice');
});

test('a_transaction_of_another_issuer_is_not_redeemed', async () => {
  const w = await world();
  const owner = client(w, { issuer: 'https://dev-1.okta.com/oauth2/other' });
  const c = client(w);
  const { state, callback } = await redirected(w, owner);
  await rejects(c.handleRedirect(callback), 'transaction_not_found');
  equal(w.net.log.filter((r) => r.method === 'POST').length, 0, 'the code and verifier went nowhere');
  const left = stored(w, state);
  ok(left.session && left.local, 'left for the client it belongs to');
});

test('handle_redirect_removes_the_response_parameters_from_the_address_bar', async () => {
  const w = await world();
  const c = client(w);
  const { state, code } = await redirected(w, c);
  w.window.href = `${APP_ORIGIN}/callback-test?keep=1&code=${code}&state=${state}&session_state=s&tab=a%20b#section-2`;
  w.window.history.state = { keep: 'me' };
  const { tokens } = await c.handleRedirect();
  equal(tokens.idToken?.claims.sub, '00u1alice');
  equal(w.window.href, `${APP_ORIGIN}/callback-test?keep=1&tab=a%20b#section-2`);
  equal(w.window.replacedState.length, 1, 'replaced, not pushed: Back does not return to the response');
  deepEqual(w.window.history.state, { keep: 'me' }, "the page's history state is kept");
});

test('handle_redirect_reads_a_fragment_response', async () => {
  const w = await world();
  const c = client(w);
  const { url, state, code } = await redirected(w, c, { responseMode: 'fragment' });
  equal(new URL(url).searchParams.get('response_mode'), 'fragment');
  const { tokens } = await c.handleRedirect(`${REDIRECT_URI}?state=app-own#code=${code}&state=${state}`);
  equal(tokens.idToken?.claims.sub, '00u1alice');
  equal(tokenForms(w)[0]?.get('code'), code);
});

/**
 * Mix-up (RFC 9700 §4.4): Okta sends no `iss`, so in a hybrid flow the front-channel ID
 * token's `iss` is the only sign that the response came from another provider. It must be
 * checked before the code and the PKCE verifier go to the token endpoint (OpenID Connect
 * Core 1.0 §3.3.2.8), or they reach the wrong provider.
 */
test('a_hybrid_response_from_another_issuer_is_refused_before_the_code_is_redeemed', async () => {
  const w = await world();
  const c = client(w);
  const { state } = await redirected(w, c, { responseType: 'code id_token' });
  const code = 'code-of-another-provider';
  const idToken = await w.provider.idToken(w.provider.authorize.get('nonce') ?? '', {
    iss: 'https://dev-1.okta.com/oauth2/another-provider',
    c_hash: await halfHash(code),
  });
  const e = await rejects(c.handleRedirect(`${REDIRECT_URI}#code=${code}&id_token=${idToken}&state=${state}`), 'issuer_mismatch');
  match(e.message, /iss/);
  equal(tokenForms(w).length, 0, 'the code and the PKCE verifier were sent before the ID token was checked');
  deepEqual(await c.getTokens(), {}, 'nothing kept');
});

test('a_hybrid_response_from_the_issuer_is_redeemed', async () => {
  // The control of the mix-up test above: the same response with the right `iss` goes through.
  const w = await world();
  const c = client(w);
  const { state, code } = await redirected(w, c, { responseType: 'code id_token' });
  const idToken = await w.provider.idToken(w.provider.authorize.get('nonce') ?? '', { c_hash: await halfHash(code) });
  const { tokens } = await c.handleRedirect(`${REDIRECT_URI}#code=${code}&id_token=${idToken}&state=${state}`);
  equal(tokens.idToken?.claims.sub, '00u1alice');
  equal(tokenForms(w)[0]?.get('code'), code);
});

test('is_redirect_callback_recognises_query_and_fragment_responses', async () => {
  const w = await world();
  const c = client(w);
  const yes = [
    'https://app.example/callback?code=abc&state=xyz',
    'https://app.example/callback?error=login_required&state=xyz',
    'https://app.example/callback#id_token=a.b.c&state=xyz',
    'https://app.example/callback#/access_token=t&token_type=Bearer&state=xyz',
  ];
  const no = [
    'https://app.example/callback',
    'https://app.example/callback?code=abc',
    'https://app.example/callback?state=xyz',
    'https://app.example/orders?page=2#top',
  ];
  for (const url of yes) equal(c.isRedirectCallback(url), true, url);
  for (const url of no) equal(c.isRedirectCallback(url), false, url);
  // Without an argument: the page's own address.
  equal(c.isRedirectCallback(), false, w.window.href);
  w.window.href = 'https://app.example/callback?code=abc&state=xyz';
  equal(c.isRedirectCallback(), true, w.window.href);
});

test('redirect_sign_in_refuses_a_message_response_mode', async () => {
  const w = await world();
  const c = client(w);
  for (const responseMode of ['okta_post_message', 'web_message'] as const) {
    await rejects(c.signInWithRedirect({ responseMode }), 'invalid_parameter', responseMode);
  }
  equal(w.window.assigned.length, 0, 'the page stayed');
  equal(w.window.sessionStorage.length + w.window.localStorage.length, 0, 'no transaction stored');
});

test('build_authorize_url_applies_the_per_call_overrides', async () => {
  const w = await world();
  const c = client(w);
  const r = await c.buildAuthorizeUrl({
    scopes: ['openid', 'offline_access'],
    prompt: 'login',
    loginHint: 'ada@example.com',
    display: 'popup',
    redirectUri: 'https://app.example/other',
    extraParams: { ui_locales: 'fr' },
    state: 'my-state',
  });
  ok(r.url.startsWith(`${ISSUER}/v1/authorize?`), r.url);
  const q = new URL(r.url).searchParams;
  equal(q.get('scope'), 'openid offline_access');
  equal(q.get('prompt'), 'login');
  equal(q.get('login_hint'), 'ada@example.com');
  equal(q.get('display'), 'popup');
  equal(q.get('redirect_uri'), 'https://app.example/other');
  equal(q.get('ui_locales'), 'fr');
  equal(q.get('state'), 'my-state');
  equal(r.state, 'my-state');
  equal(q.get('nonce'), r.nonce);
  equal(q.get('response_mode'), 'query');
  equal(await s256(r.codeVerifier ?? ''), q.get('code_challenge'), 'the verifier of the challenge sent');
  equal(w.window.sessionStorage.length + w.window.localStorage.length, 0, 'nothing stored');
  equal(w.window.assigned.length, 0, 'no navigation');

  await rejects(c.buildAuthorizeUrl({ responseType: 'code code' }), 'invalid_parameter');
});
