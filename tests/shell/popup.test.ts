// Popup sign-in (ts/popup.ts, ts/messages.ts, ts/flow.ts) against the fake window and
// provider: the popup, the message filter, the closed-window poll, the deadline, and the
// checks of what comes back (provider errors, implicit flow, ID token, nonce).
import { deepEqual, equal, match, ok, rejects } from './assert.js';
import { APP_ORIGIN, CLIENT_ID, client, halfHash, IDP_ORIGIN, NOW, REDIRECT_URI, until, world, type Answer, type World } from './fakes.js';
import type { FakePopup } from './fakes.js';
import type { AuthClient } from '../../ts/client.js';
import type { AuthConfig, SignInOptions, Tokens } from '../../ts/types.js';
import { test } from './runner.js';

/** base64url(SHA-256(verifier)): the S256 code challenge of RFC 7636 §4.2. */
async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The token endpoint's requests, as decoded forms. */
function tokenForms(w: World): URLSearchParams[] {
  return w.net.to(w.provider.endpoints.token).map((r) => new URLSearchParams(r.body));
}

/** Keeps every answer of the provider's token endpoint, as sent. */
function recordTokenAnswers(w: World): Record<string, unknown>[] {
  const url = w.provider.endpoints.token;
  const route = w.net.routes.get(url);
  if (typeof route !== 'function') throw new Error('the fake provider has no token route');
  const answers: Record<string, unknown>[] = [];
  w.net.route(url, async (request, body) => {
    const answer: Answer = await route(request, body);
    if (answer !== 'network-error') answers.push(answer.body as Record<string, unknown>);
    return answer;
  });
  return answers;
}

interface Started {
  client: AuthClient;
  signIn: Promise<Tokens>;
  popup: FakePopup;
  /** The authorize URL loaded in the popup, read by the provider (its code is issued). */
  url: string;
  query: URLSearchParams;
  /** The provider's answer: a fresh code and the request's state. */
  answer: Record<string, string>;
}

/** Starts a popup sign-in and waits until the popup was sent to the provider. */
async function start(w: World, config: Partial<AuthConfig> = {}, options?: SignInOptions): Promise<Started> {
  const c = client(w, config);
  const signIn = c.signInWithPopup(options);
  const popup = w.window.opened[0];
  ok(popup, 'the popup opened synchronously');
  const url = await until(() => popup.loaded[0], 'the authorize URL loaded in the popup');
  const answer = w.provider.answer(url);
  return { client: c, signIn, popup, url, query: new URL(url).searchParams, answer };
}

/** Whether the sign-in is still waiting for its answer (the listener goes when it settles). */
const waiting = (w: World): boolean => w.window.listeners('message') === 1;

/** Lets every settled promise run its callbacks. */
const drain = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Whether `p` has settled, as seen after `drain()`. */
function watch(p: Promise<unknown>): { settled: boolean } {
  const s = { settled: false };
  p.then(
    () => (s.settled = true),
    () => (s.settled = true),
  );
  return s;
}

test('popup_sign_in_exchanges_the_code_with_pkce_through_okta_post_message', async () => {
  const w = await world({ manualTimers: true });
  const answers = recordTokenAnswers(w);
  const c = client(w, { autoRenew: false });
  const signIn = c.signInWithPopup();
  // Opened synchronously (still inside the click), blank: the URL is loaded once built.
  equal(w.window.opened.length, 1, 'the popup opened before anything was awaited');
  equal(w.window.openCalls[0]?.[0], '', 'opened blank');
  const popup = w.window.opened[0]!;
  const url = await until(() => popup.loaded[0], 'the authorize URL loaded in the popup');
  ok(url.startsWith(`${w.provider.endpoints.authorize}?`), url);
  const answer = w.provider.answer(url);
  const q = w.provider.authorize;
  equal(q.get('response_mode'), 'okta_post_message');
  equal(q.get('response_type'), 'code');
  equal(q.get('code_challenge_method'), 'S256');
  equal(q.get('client_id'), CLIENT_ID);

  w.window.post(answer, IDP_ORIGIN, popup);
  const tokens = await signIn;

  const forms = tokenForms(w);
  equal(forms.length, 1, 'one token request');
  const form = forms[0]!;
  equal(form.get('grant_type'), 'authorization_code');
  equal(form.get('code'), answer.code);
  equal(form.get('client_id'), CLIENT_ID);
  equal(form.get('redirect_uri'), REDIRECT_URI);
  equal(await s256(form.get('code_verifier') ?? ''), q.get('code_challenge'), 'the verifier of the challenge sent');

  equal(tokens.idToken?.claims.sub, '00u1alice');
  equal(tokens.idToken?.claims.nonce, q.get('nonce'));
  equal(tokens.idToken?.value, answers[0]?.id_token);
  equal(tokens.accessToken?.value, answers[0]?.access_token);
  deepEqual(tokens.accessToken?.scopes, ['openid', 'profile', 'email']);
  equal(tokens.accessToken?.expiresAt, NOW + 3600);
  deepEqual(await c.getTokens(), tokens, 'the client holds what it returned');

  ok(popup.closed, 'the popup is closed');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(w.window.timers.armed(), [], 'timers left behind');
});

test('popup_blocked_when_window_open_returns_null', async () => {
  const w = await world();
  w.window.allowPopups = false;
  await rejects(client(w).signInWithPopup(), 'popup_blocked');
  equal(w.window.openCalls.length, 1, 'one window.open() call');
  equal(w.net.log.length, 0, 'refused before any request');
});

test('popup_closed_by_the_user_is_noticed_by_a_poll_every_250_ms_then_500_ms_for_an_answer_on_its_way', async () => {
  // The bound the user sees is the poll's period plus the grace: read from the timers armed, then fired.
  const w = await world({ manualTimers: true });
  const { signIn, popup } = await start(w);
  const timers = w.window.timers;
  deepEqual(timers.armed().sort((a, b) => a - b), [250, 120_000], 'one poll of `closed` every 250 ms, and the deadline');
  const state = watch(signIn);
  timers.advance(250);
  await drain();
  ok(!state.settled && waiting(w), 'a poll of an open popup ends nothing');
  popup.closed = true;
  timers.advance(249);
  await drain();
  ok(!state.settled && waiting(w), 'noticed before the next poll');
  timers.advance(1);
  await drain();
  deepEqual(timers.armed().sort((a, b) => a - b), [250, 119_500], 'seen closed: the poll and the deadline go on');
  ok(!state.settled && waiting(w), 'an answer may still be on its way');
  timers.advance(499);
  await drain();
  ok(!state.settled && waiting(w), 'still listening at 499 ms');
  timers.advance(1);
  await rejects(signIn, 'popup_closed');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(timers.armed(), [], 'timers left behind');
  equal(w.net.to(w.provider.endpoints.token).length, 0);
});

test('a_popup_that_posts_its_answer_and_closes_itself_signs_in_though_the_poll_saw_it_closed_first', async () => {
  // The provider's page posts, then calls window.close() (web_message does): the opener's
  // poll may run before the message event. Here it does, by construction.
  const w = await world({ manualTimers: true });
  const { signIn, popup, answer } = await start(w, { autoRenew: false });
  popup.closed = true;
  w.window.timers.advance(250);
  await drain();
  ok(waiting(w), 'the poll saw the popup closed; the wait goes on');
  w.window.post(answer, IDP_ORIGIN, popup);
  const tokens = await signIn;
  equal(tokens.idToken?.claims.sub, '00u1alice');
  equal(w.net.to(w.provider.endpoints.token).length, 1, 'the code was redeemed');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(w.window.timers.armed(), [], 'the grace timer and the deadline are gone');
});

test('popup_times_out_after_popup_timeout_ms', async () => {
  const w = await world({ manualTimers: true });
  const { signIn, popup } = await start(w, { popupTimeoutMs: 150 });
  const state = watch(signIn);
  w.window.timers.advance(149);
  await drain();
  ok(!state.settled && waiting(w), 'still waiting at 149 ms');
  w.window.timers.advance(1);
  const e = await rejects(signIn, 'timeout');
  match(e.message, /popup/i, 'the error says what timed out');
  ok(popup.closed, 'the popup is closed');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(w.window.timers.armed(), [], 'timers left behind');
});

test('a_second_popup_sign_in_is_refused_and_focuses_the_open_popup', async () => {
  const w = await world({ manualTimers: true });
  const c = client(w);
  const first = c.signInWithPopup();
  const popup = w.window.opened[0]!;
  await until(() => popup.loaded[0], 'the first authorize URL loaded');
  const firstState = watch(first);
  await rejects(c.signInWithPopup(), 'popup_in_progress');
  equal(w.window.openCalls.length, 1, 'no second window.open()');
  equal(popup.focused, 1, 'the open popup was brought to the front');
  await drain();
  ok(!firstState.settled, 'the first sign-in goes on');
  popup.closed = true;
  w.window.timers.advance(250 + 500);
  await rejects(first, 'popup_closed');

  // The slot is free again once the first one ended.
  const third = c.signInWithPopup();
  equal(w.window.opened.length, 2, 'a new popup opened');
  const next = w.window.opened[1]!;
  await until(() => next.loaded[0], 'the third authorize URL loaded');
  next.closed = true;
  w.window.timers.advance(250 + 500);
  await rejects(third, 'popup_closed');
});

/**
 * Starts a popup sign-in, sends `noise` (data, origin, source), checks it was not acted on
 * (the wait goes on, no code redeemed), then completes with the provider's real answer.
 */
async function ignoresThenCompletes(noise: (s: Started, w: World) => [data: unknown, origin: string, source: unknown]): Promise<void> {
  const w = await world();
  const s = await start(w);
  const [data, origin, source] = noise(s, w);
  w.window.post(data, origin, source);
  ok(waiting(w), 'the message was acted on: the wait ended');
  await drain();
  equal(w.net.to(w.provider.endpoints.token).length, 0, 'a code was redeemed for the message');
  w.window.post(s.answer, IDP_ORIGIN, s.popup);
  const tokens = await s.signIn;
  equal(tokens.idToken?.claims.sub, '00u1alice');
  const forms = tokenForms(w);
  equal(forms.length, 1, 'one token request');
  equal(forms[0]?.get('code'), s.answer.code, 'the real code was redeemed');
}

test('ignores_message_from_another_origin', () =>
  ignoresThenCompletes((s) => [{ code: 'evil', state: s.answer.state }, 'https://evil.example', s.popup]));

test('ignores_message_from_another_window_with_the_provider_origin', () =>
  ignoresThenCompletes((s, w) => [{ code: 'evil', state: s.answer.state }, IDP_ORIGIN, w.window]));

test('ignores_message_with_a_wrong_state', () =>
  ignoresThenCompletes((s) => [{ error: 'access_denied', state: 'not-this-one' }, IDP_ORIGIN, s.popup]));

test('ignores_a_message_whose_state_is_not_a_string', () =>
  ignoresThenCompletes((s) => [{ error: 'access_denied', state: 5 }, IDP_ORIGIN, s.popup]));

test('ignores_a_message_that_is_not_a_response', () =>
  ignoresThenCompletes((s) => ['hello from the sign-in widget', IDP_ORIGIN, s.popup]));

test('provider_error_in_the_popup_rejects_with_its_code', async () => {
  const w = await world({ manualTimers: true });
  const { signIn, popup, answer } = await start(w, { autoRenew: false });
  const description = 'User is not assigned to the client application.';
  w.window.post({ error: 'access_denied', error_description: description, state: answer.state }, IDP_ORIGIN, popup);
  const e = await rejects(signIn, 'access_denied');
  equal(e.oauthError, 'access_denied');
  ok(e.message.includes(description), `the provider's description is kept: ${e.message}`);
  equal(w.net.to(w.provider.endpoints.token).length, 0, 'no token request');
  ok(popup.closed, 'the popup is closed');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(w.window.timers.armed(), [], 'timers left behind');
});

test('popup_web_message_mode_reads_the_wrapped_response', async () => {
  const w = await world();
  const s = await start(w, { popupResponseMode: 'web_message' });
  equal(s.query.get('response_mode'), 'web_message');
  // The flat okta_post_message shape is not this mode's answer.
  w.window.post(s.answer, IDP_ORIGIN, s.popup);
  ok(waiting(w), 'a flat response was taken in web_message mode');
  w.window.post({ type: 'authorization_response', response: s.answer }, IDP_ORIGIN, s.popup);
  equal((await s.signIn).idToken?.claims.sub, '00u1alice');
  equal(tokenForms(w)[0]?.get('code'), s.answer.code);
});

test('popup_callback_mode_reads_the_query_posted_by_the_app_origin_page', async () => {
  const w = await world();
  const s = await start(w, {}, { popupResponseMode: 'callback' });
  equal(s.query.get('response_mode'), 'query');
  const message = { type: 'okta-auth-wasm:callback', search: `?code=${s.answer.code}&state=${s.answer.state}`, hash: '' };
  // From the provider's origin it is not the app's callback page: ignored.
  w.window.post(message, IDP_ORIGIN, s.popup);
  ok(waiting(w), 'a callback message from the provider origin was taken');
  await drain();
  equal(w.net.to(w.provider.endpoints.token).length, 0);
  w.window.post(message, APP_ORIGIN, s.popup);
  equal((await s.signIn).idToken?.claims.sub, '00u1alice');
  equal(tokenForms(w)[0]?.get('code'), s.answer.code);
});

/** An implicit (`id_token token`) answer for the request in `s`, its ID token's at_hash over `hashed`. */
async function implicitAnswer(w: World, s: Started, accessToken: string, hashed: string): Promise<Record<string, string>> {
  const idToken = await w.provider.idToken(s.query.get('nonce') ?? '', { at_hash: await halfHash(hashed) });
  return { id_token: idToken, access_token: accessToken, token_type: 'Bearer', expires_in: '3600', scope: 'openid email', state: s.answer.state ?? '' };
}

test('popup_implicit_flow_verifies_the_front_channel_id_token_and_at_hash', async () => {
  const w = await world();
  const s = await start(w, {}, { responseType: 'id_token token' });
  equal(s.query.get('code_challenge'), null, 'no PKCE without a code');
  w.window.post(await implicitAnswer(w, s, 'implicit-at', 'implicit-at'), IDP_ORIGIN, s.popup);
  const tokens = await s.signIn;
  equal(w.net.to(w.provider.endpoints.token).length, 0, 'no token request in the implicit flow');
  equal(tokens.accessToken?.value, 'implicit-at');
  deepEqual(tokens.accessToken?.scopes, ['openid', 'email']);
  equal(tokens.accessToken?.expiresAt, NOW + 3600);
  equal(tokens.idToken?.claims.sub, '00u1alice');
  ok(w.net.to(w.provider.endpoints.keys).length >= 1, 'the ID token was verified against the JWKS');
});

test('popup_implicit_id_token_with_a_wrong_at_hash_is_refused', async () => {
  const w = await world();
  const s = await start(w, {}, { responseType: 'id_token token' });
  w.window.post(await implicitAnswer(w, s, 'implicit-at', 'some-other-token'), IDP_ORIGIN, s.popup);
  await rejects(s.signIn, 'at_hash_mismatch');
  deepEqual(await s.client.getTokens(), {}, 'nothing kept');
});

test('a_code_flow_with_openid_but_no_id_token_from_the_token_endpoint_is_refused', async () => {
  const w = await world();
  w.net.route(w.provider.endpoints.token, {
    body: { token_type: 'Bearer', expires_in: 3600, access_token: 'at-without-id-token', scope: 'openid profile email' },
  });
  const s = await start(w);
  w.window.post(s.answer, IDP_ORIGIN, s.popup);
  const e = await rejects(s.signIn, 'missing_parameter');
  match(e.message, /id_token/, 'the error names the missing ID token');
  equal(w.net.to(w.provider.endpoints.token).length, 1, 'the code was redeemed');
  deepEqual(await s.client.getTokens(), {}, 'nothing kept');
});

test('an_id_token_with_another_nonce_is_refused', async () => {
  const w = await world();
  const s = await start(w);
  w.provider.claims = { nonce: 'replayed-nonce' };
  w.window.post(s.answer, IDP_ORIGIN, s.popup);
  await rejects(s.signIn, 'nonce_mismatch');
  deepEqual(await s.client.getTokens(), {}, 'nothing kept');
});
