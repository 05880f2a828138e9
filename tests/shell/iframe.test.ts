// Silent sign-in in a hidden iframe (ts/iframe.ts, ts/messages.ts) against the fake window
// and provider: prompt=none, the iframe removed on every outcome, the deadline, and one
// iframe for concurrent calls.
import { deepEqual, equal, ok, rejects } from './assert.js';
import { client, IDP_ORIGIN, until, world, type FakeIframe, type World } from './fakes.js';
import { test } from './runner.js';

/** The silent sign-in iframe, once it was sent to the provider. */
function silentFrame(w: World): Promise<FakeIframe> {
  return until(() => w.window.document.live().find((f) => f.src !== ''), 'the silent sign-in iframe loaded');
}

/** Lets every settled promise run its callbacks. */
const drain = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

test('silent_sign_in_completes_in_a_hidden_iframe_that_is_then_removed', async () => {
  const w = await world({ manualTimers: true });
  const signIn = client(w, { autoRenew: false }).signInSilently();
  const frame = await silentFrame(w);
  equal(frame.style.display, 'none', 'the iframe is hidden');
  const answer = w.provider.answer(frame.src);
  const q = w.provider.authorize;
  equal(q.get('prompt'), 'none');
  equal(q.get('response_mode'), 'okta_post_message');
  equal(q.get('code_challenge_method'), 'S256');
  w.window.post(answer, IDP_ORIGIN, frame.contentWindow);
  const tokens = await signIn;
  equal(tokens.idToken?.claims.sub, '00u1alice');
  equal(tokens.idToken?.claims.nonce, q.get('nonce'));
  equal(w.net.to(w.provider.endpoints.token).length, 1, 'one token request');
  equal(w.window.document.live().length, 0, 'the iframe is removed');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(w.window.timers.armed(), [], 'timers left behind');
});

test('silent_iframe_is_inserted_with_its_url_and_gone_while_the_code_is_exchanged', async () => {
  const w = await world();
  const token = w.net.routes.get(w.provider.endpoints.token);
  if (typeof token !== 'function') throw new Error('the fake provider answers the token endpoint');
  let framesAtExchange = -1;
  w.net.route(w.provider.endpoints.token, (request, body) => {
    framesAtExchange = w.window.document.live().length;
    return token(request, body);
  });
  const signIn = client(w, { autoRenew: false }).signInSilently();
  const frame = await silentFrame(w);
  equal(frame.srcAtInsert, frame.src, 'inserted with its URL, not as about:blank first');
  w.window.post(w.provider.answer(frame.src), IDP_ORIGIN, frame.contentWindow);
  await signIn;
  equal(framesAtExchange, 0, 'the iframe is removed once the token request is sent');
});

test('silent_login_required_rejects_with_login_required_and_removes_the_iframe', async () => {
  const w = await world({ manualTimers: true });
  const signIn = client(w, { autoRenew: false }).signInSilently();
  const frame = await silentFrame(w);
  const { state } = w.provider.answer(frame.src);
  const description = 'The client specified not to prompt, but the user is not logged in.';
  w.window.post({ error: 'login_required', error_description: description, state }, IDP_ORIGIN, frame.contentWindow);
  const e = await rejects(signIn, 'login_required');
  equal(e.oauthError, 'login_required');
  equal(w.window.document.live().length, 0, 'the iframe is removed');
  equal(w.net.to(w.provider.endpoints.token).length, 0, 'no token request');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(w.window.timers.armed(), [], 'timers left behind');
});

test('silent_timeout_names_the_likely_causes_and_removes_the_iframe', async () => {
  const w = await world({ manualTimers: true });
  const signIn = client(w, { autoRenew: false, silentTimeoutMs: 200 }).signInSilently();
  await silentFrame(w);
  deepEqual(w.window.timers.armed(), [200], 'the deadline is the one timer armed');
  let settled = false;
  signIn.then(
    () => (settled = true),
    () => (settled = true),
  );
  w.window.timers.advance(199);
  await drain();
  ok(!settled, 'still waiting at 199 ms');
  equal(w.window.document.live().length, 1, 'the iframe is there while waiting');
  w.window.timers.advance(1);
  const e = await rejects(signIn, 'timeout');
  const description = (e as unknown as { description: string }).description;
  ok(description.includes('third-party cookies'), description);
  ok(description.includes('redirect URI'), description);
  ok(description.includes('framed'), description);
  equal(w.window.document.live().length, 0, 'the iframe is removed');
  equal(w.window.listeners('message'), 0, 'message listener left behind');
  deepEqual(w.window.timers.armed(), [], 'timers left behind');
});

test('concurrent_silent_calls_share_one_iframe_and_one_token_request', async () => {
  const w = await world();
  const c = client(w);
  const first = c.signInSilently();
  const second = c.signInSilently();
  const frame = await silentFrame(w);
  equal(w.window.document.frames.length, 1, 'one iframe for both calls');
  w.window.post(w.provider.answer(frame.src), IDP_ORIGIN, frame.contentWindow);
  const [a, b] = await Promise.all([first, second]);
  deepEqual(a, b, 'both calls get the same tokens');
  equal(a.idToken?.claims.sub, '00u1alice');
  equal(w.net.to(w.provider.endpoints.token).length, 1, 'one token request');
  equal(w.window.document.frames.length, 1, 'still one iframe in all');
  equal(w.window.document.live().length, 0, 'the iframe is removed');
});
