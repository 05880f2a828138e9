// The token manager (ts/store.ts, ts/renewal.ts, ts/events.ts, the silent renewal of
// ts/iframe.ts): each storage backend, corrupt and foreign stored values, renew on read with
// the fake clock, the refresh token grant, silent renewal, sign-out while a renewal is under
// way, Web Lock serialisation of two clients sharing storage (two tabs), events, autoRenew.
// What tests/browser_tokens.rs checked of the old Rust token manager, through the public API.
import { deepEqual, equal, match, ok, rejects, throws } from './assert.js';
import {
  client,
  gate,
  IDP_ORIGIN,
  MemoryStorage,
  NOW,
  popupSignIn,
  record,
  storedTokens,
  until,
  world,
  type Answer,
  type World,
} from './fakes.js';
import { test } from './runner.js';
import { contextOf, type AuthClient } from '../../ts/client.js';
import { AuthError } from '../../ts/errors.js';
import type { TokenStorage } from '../../ts/types.js';

/** The storage key of the client's tokens. */
const keyOf = (c: AuthClient): string => contextOf(c).keys.tokens;

/** The grant_type of each request to the token endpoint, in order. */
function grants(w: World): string[] {
  return w.net.to(w.provider.endpoints.token).map((r) => new URLSearchParams(r.body).get('grant_type') ?? '');
}

const refreshes = (w: World): number => grants(w).filter((g) => g === 'refresh_token').length;

/** The form of the `i`-th refresh request. */
function refreshForm(w: World, i: number): URLSearchParams {
  const forms = w.net.to(w.provider.endpoints.token).map((r) => new URLSearchParams(r.body));
  const form = forms.filter((f) => f.get('grant_type') === 'refresh_token')[i];
  if (!form) throw new Error(`no refresh request #${i}`);
  return form;
}

type Handler = (request: Request, body: string) => Answer | Promise<Answer>;

/**
 * Holds the provider's answers to refresh-token grants (the first `count`, or all) until
 * `release()`: the provider reads the request only then. `requests` are the held ones.
 */
function holdRefreshes(w: World, count = Infinity): { release: () => void; requests: Request[] } {
  const g = gate();
  const provider = w.net.routes.get(w.provider.endpoints.token) as Handler;
  const requests: Request[] = [];
  w.net.route(w.provider.endpoints.token, async (request, body) => {
    if (new URLSearchParams(body).get('grant_type') === 'refresh_token' && requests.length < count) {
      requests.push(request);
      await g.wait;
    }
    return provider(request, body);
  });
  return { release: g.open, requests };
}

/** Resolves once the refresh requests sent number `n`. */
const refreshSent = (w: World, n = 1): Promise<true> => until(() => refreshes(w) >= n || undefined, `refresh request #${n}`);

/** How often the client's renewal Web Lock is held and awaited now. */
async function renewalLocks(c: AuthClient): Promise<{ held: number; pending: number }> {
  const q = await navigator.locks.query();
  const name = contextOf(c).keys.lock;
  return {
    held: (q.held ?? []).filter((l) => l.name === name).length,
    pending: (q.pending ?? []).filter((l) => l.name === name).length,
  };
}

/** Resolves once the renewal lock is held `held` times and awaited `pending` times. */
async function untilLocks(c: AuthClient, held: number, pending: number): Promise<void> {
  const end = Date.now() + 5000;
  for (;;) {
    const now = await renewalLocks(c);
    if (now.held === held && now.pending === pending) return;
    if (Date.now() > end) throw new Error(`renewal lock: ${now.held} held and ${now.pending} awaited, not ${held} and ${pending}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Settles `p` now, so a test can look at the outcome later without an unhandled rejection. */
function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AuthError }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: AuthError) => ({ ok: false as const, error }),
  );
}

/** The access token value of the tokens held now (read without renewing). */
function heldAccess(c: AuthClient): string | undefined {
  const held = contextOf(c).held;
  if (!held) return undefined;
  return (JSON.parse(held) as { accessToken?: { value: string } }).accessToken?.value;
}

/** A client over `storage` whose tokens are seeded in it, expiring at `exp`. */
async function seeded(
  w: World,
  storage: 'localStorage' | 'sessionStorage',
  exp: number,
  extra: Record<string, unknown> = {},
  config: Parameters<typeof client>[1] = {},
): Promise<AuthClient> {
  const c = client(w, { storage, autoRenew: false, ...config });
  w.window[storage].setItem(keyOf(c), await storedTokens(w, exp, extra));
  return c;
}

// ---- storage backends -------------------------------------------------------------------

test('memory_storage_keeps_tokens_out_of_web_storage', async () => {
  const w = await world();
  const c = client(w);
  const events = record(c);
  const signedIn = await popupSignIn(w, c);
  const got = await c.getTokens();
  ok(got.accessToken, 'an access token is held');
  equal(got.accessToken.value, signedIn.accessToken?.value);
  equal(w.window.localStorage.length, 0, 'nothing in localStorage');
  equal(w.window.sessionStorage.length, 0, 'nothing in sessionStorage');
  deepEqual(events.names(), ['added']);
});

test('local_storage_tokens_survive_a_new_client', async () => {
  const w = await world();
  const c = client(w, { storage: 'localStorage', autoRenew: false });
  const signedIn = await popupSignIn(w, c);
  const raw = w.window.localStorage.getItem(keyOf(c));
  ok(raw, 'stored in localStorage');
  ok(raw.startsWith('{"version":1,'), raw);
  equal(w.window.sessionStorage.getItem(keyOf(c)), null);
  const again = client(w, { storage: 'localStorage', autoRenew: false });
  equal((await again.getAccessToken())?.value, signedIn.accessToken?.value);
});

test('session_storage_tokens_survive_a_new_client', async () => {
  const w = await world();
  const c = client(w, { storage: 'sessionStorage', autoRenew: false });
  const signedIn = await popupSignIn(w, c);
  ok(w.window.sessionStorage.getItem(keyOf(c)), 'stored in sessionStorage');
  equal(w.window.localStorage.getItem(keyOf(c)), null, 'not in localStorage');
  const again = client(w, { storage: 'sessionStorage', autoRenew: false });
  equal((await again.getTokens()).accessToken?.value, signedIn.accessToken?.value);
});

test('custom_storage_object_serves_the_facade', async () => {
  const w = await world();
  const map = new Map<string, string>();
  const calls: string[] = [];
  const storage: TokenStorage = {
    getItem: (k) => (calls.push('get'), map.get(k) ?? null),
    setItem: (k, v) => void (calls.push('set'), map.set(k, v)),
    removeItem: (k) => void (calls.push('remove'), map.delete(k)),
  };
  const c = client(w, { storage, autoRenew: false });
  map.set(keyOf(c), await storedTokens(w, NOW + 3600));
  const at = await c.getAccessToken();
  equal(at?.value, 'at-0');
  equal(at?.tokenType, 'Bearer');
  const id = await c.getIdToken();
  equal(id?.clientId, '0oa1spa');
  equal(id?.claims.sub, '00u1alice');
  equal(await c.isAuthenticated(), true);
  ok(calls.includes('get'), 'read through the app object');
  // signOut({local: true}) removes the value from the app's object.
  await c.signOut({ local: true });
  equal(map.has(keyOf(c)), false, 'removed from the app object');
  ok(calls.includes('remove'));
  equal(await c.isAuthenticated(), false);
});

// ---- corrupt and foreign storage ----------------------------------------------------------

test('discards_corrupt_storage_with_an_error_event', async () => {
  const w = await world();
  const c = client(w, { storage: 'localStorage', autoRenew: false });
  const events = record(c);
  w.window.localStorage.setItem(keyOf(c), '{"version":1,');
  deepEqual(await c.getTokens(), {});
  deepEqual(events.names(), ['error']);
  equal(events.last('error').code, 'invalid_response');
  ok(events.last('error') instanceof AuthError, 'the error event carries an AuthError');
  equal(w.window.localStorage.getItem(keyOf(c)), null, 'the corrupt value is removed');
});

test('discards_an_id_token_of_another_issuer', async () => {
  const w = await world();
  const c = client(w, { storage: 'localStorage', autoRenew: false });
  const events = record(c);
  // The value claims the right issuer; the ID token inside names another.
  const evil = await w.provider.idToken(undefined, { iss: 'https://evil.example/oauth2/default' });
  w.window.localStorage.setItem(keyOf(c), await storedTokens(w, NOW + 3600, { idToken: evil }));
  deepEqual(await c.getTokens(), {});
  equal(events.last('error')?.code, 'issuer_mismatch');
  equal(w.window.localStorage.getItem(keyOf(c)), null);
});

test('discards_a_value_of_another_version', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600, { version: 2 });
  const events = record(c);
  deepEqual(await c.getTokens(), {});
  deepEqual(events.names(), ['error']);
  equal(events.last('error').code, 'invalid_response');
  equal(w.window.localStorage.getItem(keyOf(c)), null);
});

test('discards_a_custom_storage_value_that_is_no_string', async () => {
  const w = await world();
  const storage = { getItem: () => ({}) as unknown as string, setItem: () => {}, removeItem: () => {} };
  const c = client(w, { storage, autoRenew: false });
  const events = record(c);
  deepEqual(await c.getTokens(), {});
  deepEqual(events.names(), ['error']);
  equal(events.last('error').code, 'invalid_response');
  match(events.last('error').message, /other than a string/);
});

// ---- expiry and renew on read -------------------------------------------------------------

test('hands_out_a_fresh_token_without_renewal', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600);
  equal((await c.getAccessToken())?.value, 'at-0');
  equal(w.net.log.length, 0, 'no request at all');
});

test('renews_on_read_within_expire_early_seconds', async () => {
  const w = await world();
  const exp = NOW + 100;
  const c = await seeded(w, 'localStorage', exp);
  const events = record(c);
  // 20 s before expiry: inside the default 30 s window.
  w.clock.seconds = exp - 20;
  equal((await c.getAccessToken())?.value, 'at-1');
  equal(refreshes(w), 1);
  // The refresh request sent the old refresh token; the rotated one is kept, in memory and storage.
  equal(refreshForm(w, 0).get('refresh_token'), 'rt-0');
  equal((await c.getTokens()).refreshToken?.value, 'rt-1');
  match(w.window.localStorage.getItem(keyOf(c)) ?? '', /"refreshToken":"rt-1"/);
  deepEqual(events.names(), ['added', 'renewed']);
  equal(events.last('renewed').accessToken.value, 'at-1');
  equal(refreshes(w), 1, 'the renewed tokens are not renewed again');
});

test('renews_on_read_an_expired_token', async () => {
  const w = await world();
  const exp = NOW + 100;
  const c = await seeded(w, 'sessionStorage', exp);
  w.clock.seconds = exp + 5;
  const id = await c.getIdToken();
  ok(id && id.expiresAt > exp + 5, `a fresh ID token, not ${JSON.stringify(id)}`);
  equal(refreshes(w), 1);
});

test('returns_the_renewal_error_not_the_stale_token', async () => {
  const w = await world();
  const exp = NOW + 100;
  const c = await seeded(w, 'localStorage', exp);
  w.net.route(w.provider.endpoints.token, { status: 400, body: { error: 'server_error', error_description: 'down' } });
  w.clock.seconds = exp + 1;
  await rejects(c.getAccessToken(), 'server_error');
  // A transient failure keeps the session for the next try.
  ok(heldAccess(c) === 'at-0', 'the tokens are kept in memory');
  ok(w.window.localStorage.getItem(keyOf(c)), 'and in storage');
});

test('invalid_grant_clears_the_tokens_and_fires_expired', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600);
  const events = record(c);
  w.provider.refreshTokens.clear(); // the provider revoked rt-0
  const error = await rejects(c.renewTokens(), 'invalid_grant');
  equal(error.oauthError, 'invalid_grant');
  deepEqual(await c.getTokens(), {});
  equal(w.window.localStorage.getItem(keyOf(c)), null);
  deepEqual(events.names(), ['added', 'expired']);
  equal(events.last('expired').refreshToken.value, 'rt-0');
});

test('invalid_grant_after_another_tab_renewed_takes_its_tokens', async () => {
  // Another tab (not using the lock: an older version, or another library) rotated rt-0
  // while this refresh was on its way: the provider refuses rt-0, and the tokens the other
  // tab stored are taken, not expired.
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600);
  const events = record(c);
  const held = holdRefreshes(w);
  const renewal = settle(c.renewTokens());
  await refreshSent(w);
  w.provider.refreshTokens.delete('rt-0');
  const theirs = await storedTokens(w, NOW + 3600, {
    accessToken: { value: 'at-other-tab', expiresAt: NOW + 3600, scopes: ['openid'], tokenType: 'Bearer' },
    refreshToken: 'rt-other-tab',
  });
  w.window.localStorage.setItem(keyOf(c), theirs);
  held.release();
  const outcome = await renewal;
  ok(outcome.ok, `the other tab's tokens, not ${outcome.ok ? '' : outcome.error.code}`);
  equal((await c.getTokens()).refreshToken?.value, 'rt-other-tab');
  equal(w.window.localStorage.getItem(keyOf(c)), theirs, 'storage keeps the other tab’s tokens');
  ok(!events.names().includes('expired'), `${events.names()}`);
});

test('sign_out_during_a_refresh_leaves_no_tokens_behind', async () => {
  // A refresh is on its way when the app signs out: its answer must not bring the tokens
  // (and a fresh refresh token) back into memory and storage.
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600);
  const events = record(c);
  const held = holdRefreshes(w);
  const renewal = settle(c.renewTokens());
  await refreshSent(w);
  await c.signOut({ local: true });
  deepEqual(await c.getTokens(), {});
  held.release();
  const outcome = await renewal;
  equal(outcome.ok ? 'resolved' : outcome.error.code, 'not_authenticated');
  equal(contextOf(c).held, '', 'the refresh answer brought the tokens back after sign-out');
  equal(w.window.localStorage.getItem(keyOf(c)), null);
  deepEqual(events.names(), ['added', 'removed']);
});

test('full_sign_out_during_a_refresh_leaves_no_tokens_behind', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600);
  const events = record(c);
  const held = holdRefreshes(w);
  const renewal = settle(c.renewTokens());
  await refreshSent(w);
  await c.signOut();
  equal(w.window.assigned.length, 1, 'navigated to the provider’s logout');
  equal(w.net.to(w.provider.endpoints.revoke).length, 2, 'both tokens revoked');
  held.release();
  const outcome = await renewal;
  equal(outcome.ok ? 'resolved' : outcome.error.code, 'not_authenticated');
  equal(contextOf(c).held, '');
  equal(w.window.localStorage.getItem(keyOf(c)), null);
  deepEqual(events.names(), ['added', 'removed']);
});

test('a_stalled_refresh_times_out_keeps_the_tokens_and_frees_the_lock', async () => {
  // The token endpoint never answers: after httpTimeoutMs the request is aborted and the
  // renewal fails with `timeout` naming the token endpoint. The tokens are kept, and the
  // Web Lock is free: the next renewal, the provider answering again, goes through.
  const w = await world({ manualTimers: true });
  const c = await seeded(w, 'localStorage', NOW + 3600, {}, { httpTimeoutMs: 200 });
  const stalled = holdRefreshes(w, 1);
  const renewal = settle(c.renewTokens());
  await refreshSent(w);
  deepEqual(w.window.timers.armed(), [200], 'the request timer, and nothing else');
  await untilLocks(c, 1, 0);
  w.window.timers.advance(200);
  const outcome = await renewal;
  ok(!outcome.ok, 'the renewal failed');
  equal(outcome.error.code, 'timeout');
  match(outcome.error.description, /token endpoint within httpTimeoutMs/);
  equal(stalled.requests[0]?.signal.aborted, true, 'the request was aborted');
  equal(heldAccess(c), 'at-0', 'the tokens are kept');
  deepEqual(await renewalLocks(c), { held: 0, pending: 0 });
  const renewed = await c.renewTokens();
  equal(renewed.accessToken?.value, 'at-1');
  equal(renewed.refreshToken?.value, 'rt-1');
  equal(refreshes(w), 2);
});

/** A token endpoint that answers refresh-token grants without an ID token (OpenID Connect Core §12.2). */
function noIdTokenOnRefresh(w: World): void {
  const provider = w.net.routes.get(w.provider.endpoints.token) as Handler;
  w.net.route(w.provider.endpoints.token, async (request, body) => {
    const answer = await provider(request, body);
    if (new URLSearchParams(body).get('grant_type') === 'refresh_token' && answer !== 'network-error') {
      delete (answer.body as Record<string, unknown>).id_token;
    }
    return answer;
  });
}

test('a_refresh_without_an_id_token_drops_the_due_one_and_renews_no_more', async () => {
  // The held ID token is due (20 s left, inside the 30 s window): kept, it would make every
  // read renew again.
  const w = await world();
  noIdTokenOnRefresh(w);
  const c = await seeded(w, 'localStorage', NOW + 20, {
    accessToken: { value: 'at-0', expiresAt: NOW + 3600, scopes: [], tokenType: 'Bearer' },
  });
  const first = await c.getTokens();
  equal(refreshes(w), 1);
  equal(first.accessToken?.value, 'at-1');
  equal(first.idToken, undefined, 'the due ID token is dropped');
  for (let i = 0; i < 3; i++) equal((await c.getTokens()).accessToken?.value, 'at-1');
  equal(await c.isAuthenticated(), true);
  equal(refreshes(w), 1, 'no renewal loop');
});

test('a_refresh_without_an_id_token_keeps_serving_the_access_token_once_the_held_id_token_expires', async () => {
  // The access token is due first: the refresh keeps the ID token (not due yet). When that
  // one expires, one refresh drops it; the access token is then served without renewing.
  const w = await world();
  noIdTokenOnRefresh(w);
  const c = await seeded(w, 'localStorage', NOW + 600, {
    accessToken: { value: 'at-0', expiresAt: NOW + 100, scopes: ['openid'], tokenType: 'Bearer' },
  });
  w.clock.seconds = NOW + 90;
  const first = await c.getTokens();
  equal(first.accessToken?.value, 'at-1');
  equal(first.idToken?.expiresAt, NOW + 600, 'the ID token, not due, is kept');
  w.clock.seconds = NOW + 700;
  const second = await c.getTokens();
  equal(refreshes(w), 2);
  equal(second.accessToken?.value, 'at-2');
  equal(second.idToken, undefined, 'the expired ID token is dropped');
  for (let i = 0; i < 3; i++) {
    equal((await c.getAccessToken())?.value, 'at-2');
    equal((await c.getTokens()).accessToken?.value, 'at-2');
  }
  equal(await c.getIdToken(), undefined);
  equal(refreshes(w), 2, 'no renewal loop');
});

/** Makes the client's clock throw once, after the refresh answer came, then work again. */
async function throwDuringRenewal(w: World, c: AuthClient): Promise<void> {
  const held = holdRefreshes(w, 1);
  const renewal = settle(c.renewTokens());
  await refreshSent(w);
  const clock = w.env.now;
  w.env.now = () => {
    w.env.now = clock;
    throw new Error('the clock broke');
  };
  held.release();
  const outcome = await renewal;
  ok(!outcome.ok, 'the renewal failed');
  equal(outcome.error.code, 'internal');
  ok(outcome.error instanceof AuthError, 'an AuthError');
  match(outcome.error.description, /the clock broke/);
  equal(contextOf(c).renewal, undefined, 'the renewal slot is free');
}

test('an_exception_during_a_renewal_frees_the_slot_for_the_next_one', async () => {
  // A failure of ours (not an AuthError) in the middle of a renewal: its callers get
  // `internal`, and the next renewal starts afresh instead of joining one that never ends.
  const w = await world();
  const c = await seeded(w, 'sessionStorage', NOW + 3600);
  await throwDuringRenewal(w, c);
  w.provider.refreshTokens.add('rt-0'); // the rotation that failed on our side never showed
  const renewed = await c.renewTokens();
  equal(renewed.accessToken?.value, 'at-2');
  equal(refreshes(w), 2);
});

test('an_exception_during_a_locked_renewal_frees_the_web_lock_for_the_next_one', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600);
  await throwDuringRenewal(w, c);
  deepEqual(await renewalLocks(c), { held: 0, pending: 0 });
  w.provider.refreshTokens.add('rt-0');
  const renewed = await c.renewTokens();
  equal(renewed.accessToken?.value, 'at-2');
  equal(refreshes(w), 2);
});

// ---- one request for many readers -------------------------------------------------------

/** Five reads at once of expired tokens in `storage`: one refresh serves them all. */
async function concurrentReads(storage: 'localStorage' | 'sessionStorage'): Promise<void> {
  const w = await world();
  const exp = NOW + 100;
  const c = await seeded(w, storage, exp);
  const held = holdRefreshes(w);
  w.clock.seconds = exp + 1;
  const reads = [0, 1, 2, 3, 4].map((i) => (i % 2 === 0 ? c.getAccessToken().then((t) => t?.value) : c.getTokens().then((t) => t.accessToken?.value)));
  await refreshSent(w);
  held.release();
  deepEqual(await Promise.all(reads), ['at-1', 'at-1', 'at-1', 'at-1', 'at-1']);
  equal(refreshes(w), 1);
}

test('concurrent_reads_make_one_refresh_request', () => concurrentReads('localStorage'));

// No Web Lock for sessionStorage (one tab's own): the client itself shares its renewal.
test('concurrent_reads_without_a_web_lock_make_one_refresh_request', () => concurrentReads('sessionStorage'));

test('two_clients_of_one_storage_share_one_renewal_through_web_locks', async () => {
  // Two clients of one storage object stand for two tabs: the second waits for the Web
  // Lock, reads storage again, and takes the first one's tokens instead of refreshing.
  const w = await world();
  const exp = NOW + 100;
  const shared = new MemoryStorage();
  const a = client(w, { storage: shared, autoRenew: false });
  const b = client(w, { storage: shared, autoRenew: false });
  shared.setItem(keyOf(a), await storedTokens(w, exp));
  const held = holdRefreshes(w);
  w.clock.seconds = exp + 1;
  // The interleaving, step by step: a's refresh is held under the lock; b asks for the
  // lock and waits; only then is the refresh answered.
  const first = a.getTokens();
  await refreshSent(w);
  const second = b.getTokens();
  await untilLocks(a, 1, 1);
  equal(refreshes(w), 1, 'b waits without a request of its own');
  held.release();
  equal((await first).accessToken?.value, 'at-1');
  equal((await second).accessToken?.value, 'at-1');
  equal((await second).refreshToken?.value, 'rt-1');
  equal(refreshes(w), 1);
});

/**
 * Two views `a` and `b` of one storage, as two renderer processes see localStorage in
 * Chromium: a view's own writes show in it at once, the other view's only after `flushB()`
 * (for b: the browser's messages that bring each process's copy up to date, which are not
 * ordered with the Web Lock's hand-over). `readsB` counts getItem calls on b.
 */
function laggingStorage() {
  type Side = { m: Map<string, string>; pending: [string, string | null][]; reads: number };
  const sa: Side = { m: new Map(), pending: [], reads: 0 };
  const sb: Side = { m: new Map(), pending: [], reads: 0 };
  const view = (self: Side, other: Side): TokenStorage => ({
    getItem(k) {
      self.reads += 1;
      return self.m.get(k) ?? null;
    },
    setItem(k, v) {
      self.m.set(k, String(v));
      other.pending.push([k, String(v)]);
    },
    removeItem(k) {
      self.m.delete(k);
      other.pending.push([k, null]);
    },
  });
  return {
    a: view(sa, sb),
    b: view(sb, sa),
    flushB() {
      for (const [k, v] of sb.pending) {
        if (v === null) sb.m.delete(k);
        else sb.m.set(k, v);
      }
      sb.pending = [];
    },
    readsB: () => sb.reads,
  };
}

test('a_tab_handed_the_lock_before_the_other_tabs_tokens_show_waits_for_them', async () => {
  // Chromium keeps a copy of localStorage per renderer process, brought up to date by
  // messages that are not ordered with the Web Lock's hand-over: tab b can get the lock
  // from tab a while its copy still shows the tokens a just renewed away. Refreshing then
  // sends the rotated refresh token, which a provider with reuse detection answers by
  // revoking the grant. b must wait until a's renewal marker shows, then take a's tokens.
  const w = await world();
  const storage = laggingStorage();
  const a = client(w, { storage: storage.a, autoRenew: false });
  const b = client(w, { storage: storage.b, autoRenew: false });
  storage.a.setItem(keyOf(a), await storedTokens(w, NOW + 3600));
  storage.flushB();

  const held = holdRefreshes(w);
  const first = a.renewTokens();
  await refreshSent(w);
  const second = b.renewTokens();
  await untilLocks(a, 1, 1);
  held.release();
  equal((await first).accessToken?.value, 'at-1');
  // a has released the lock; b holds it now and reads its (stale) copy.
  const reads = storage.readsB();
  await until(() => storage.readsB() > reads, 'tab b reading its storage under the lock');
  equal(refreshes(w), 1, 'b does not refresh from its stale copy');
  storage.flushB();
  const got = await second;
  equal(got.accessToken?.value, 'at-1');
  equal(got.refreshToken?.value, 'rt-1');
  equal(refreshes(w), 1, "tab b refreshed with a refresh token a had rotated");
});

// ---- events --------------------------------------------------------------------------

test('another_tab_change_fires_events_here', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600);
  const events = record(c);
  await c.getTokens();
  const key = keyOf(c);
  const theirs = await storedTokens(w, NOW + 3600, { accessToken: { value: 'at-from-tab-2', scopes: [], tokenType: 'Bearer' } });
  // What another tab does: writes localStorage, and the browser fires `storage` here.
  const otherTabWrites = (value: string | null) => {
    const old = w.window.localStorage.getItem(key);
    if (value === null) w.window.localStorage.removeItem(key);
    else w.window.localStorage.setItem(key, value);
    w.window.dispatchEvent(new StorageEvent('storage', { key, oldValue: old, newValue: value }));
  };
  otherTabWrites(theirs);
  deepEqual(events.names(), ['added', 'renewed'], 'the storage event alone brings the change');
  equal(events.last('renewed').accessToken.value, 'at-from-tab-2');
  equal(heldAccess(c), 'at-from-tab-2');
  otherTabWrites(null);
  deepEqual(events.names(), ['added', 'renewed', 'removed']);
  equal(events.last('removed').accessToken.value, 'at-from-tab-2');
  equal(contextOf(c).held, '');
});

test('off_removes_a_listener', async () => {
  const w = await world();
  const c = client(w);
  const removed: unknown[] = [];
  const kept: unknown[] = [];
  const listener = (t: unknown) => void removed.push(t);
  c.on('added', listener);
  c.on('added', (t) => void kept.push(t));
  c.off('added', listener);
  await popupSignIn(w, c);
  equal(kept.length, 1, 'added fired');
  equal(removed.length, 0, 'not to the listener taken off');
});

test('on_refuses_an_unknown_event', async () => {
  const w = await world();
  const c = client(w);
  const error = throws(() => c.on('refreshed' as 'added', () => {}), 'invalid_parameter');
  match(error.message, /refreshed/);
  ok(error instanceof AuthError, 'an AuthError');
});

// ---- renewal without a refresh token -------------------------------------------------------

/** The silent sign-in iframe in the page, once its authorize URL is set. */
async function silentFrame(w: World) {
  return until(() => w.window.document.live().find((f) => f.src !== ''), 'the silent sign-in iframe');
}

/** Answers the silent sign-in in `frame` as Okta's page posts it from the iframe. */
function answerSilently(w: World, frame: { src: string; contentWindow: unknown }): void {
  w.window.post(w.provider.answer(frame.src), IDP_ORIGIN, frame.contentWindow);
}

test('renews_through_a_silent_iframe_when_no_refresh_token_is_held', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600, { refreshToken: undefined });
  const events = record(c);
  const renewal = c.renewTokens();
  const frame = await silentFrame(w);
  ok(frame.src.startsWith(`${w.provider.endpoints.authorize}?`), frame.src);
  const q = new URL(frame.src).searchParams;
  equal(q.get('prompt'), 'none');
  equal(q.get('response_mode'), 'okta_post_message');
  answerSilently(w, frame);
  const renewed = await renewal;
  const at = renewed.accessToken?.value;
  ok(at && at !== 'at-0', `a new access token, not ${at}`);
  equal(renewed.refreshToken, undefined);
  // The code grant, never the refresh-token grant.
  deepEqual(grants(w), ['authorization_code']);
  // Stored, in memory and in storage, and announced.
  equal(heldAccess(c), at);
  ok(w.window.localStorage.getItem(keyOf(c))?.includes(`"${at}"`), 'stored');
  deepEqual(events.names(), ['added', 'renewed']);
  equal(events.last('renewed').accessToken.value, at);
  equal(w.window.document.live().length, 0, 'the iframe is removed');
});

test('a_silent_renewal_that_signs_in_another_user_keeps_nothing', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600, { refreshToken: undefined });
  const events = record(c);
  // The provider's session now belongs to another user; the held tokens are alice's.
  w.provider.sub = '00u2mallory';
  const before = w.window.localStorage.getItem(keyOf(c));
  const renewal = settle(c.renewTokens());
  answerSilently(w, await silentFrame(w));
  const outcome = await renewal;
  equal(outcome.ok ? 'resolved' : outcome.error.code, 'sub_mismatch');
  // The code was redeemed (the check needs the verified ID token), but nothing was kept.
  deepEqual(grants(w), ['authorization_code']);
  equal(heldAccess(c), 'at-0');
  equal(w.window.localStorage.getItem(keyOf(c)), before);
  deepEqual(events.names(), ['added'], 'the load of the held tokens, and nothing since');
  equal(w.window.document.live().length, 0);
});

test('sign_out_during_a_silent_renewal_leaves_no_tokens_behind', async () => {
  // The iframe path of the rule the refresh path follows: the answer of a renewal that
  // outlived a sign-out is not stored.
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600, { refreshToken: undefined });
  const events = record(c);
  const renewal = settle(c.renewTokens());
  const frame = await silentFrame(w);
  await c.signOut({ local: true });
  answerSilently(w, frame);
  const outcome = await renewal;
  equal(outcome.ok ? 'resolved' : outcome.error.code, 'not_authenticated');
  deepEqual(grants(w), ['authorization_code']);
  equal(contextOf(c).held, '');
  equal(w.window.localStorage.getItem(keyOf(c)), null);
  deepEqual(events.names(), ['added', 'removed']);
});

test('full_sign_out_during_a_silent_renewal_leaves_no_tokens_behind', async () => {
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600, { refreshToken: undefined });
  const events = record(c);
  const renewal = settle(c.renewTokens());
  const frame = await silentFrame(w);
  await c.signOut();
  equal(w.window.assigned.length, 1, 'navigated to the provider’s logout');
  answerSilently(w, frame);
  const outcome = await renewal;
  equal(outcome.ok ? 'resolved' : outcome.error.code, 'not_authenticated');
  deepEqual(grants(w), ['authorization_code']);
  equal(contextOf(c).held, '');
  equal(w.window.localStorage.getItem(keyOf(c)), null);
  deepEqual(events.names(), ['added', 'removed']);
});

test('a_renewal_that_waited_for_the_lock_and_finds_the_tokens_gone_signs_nobody_in', async () => {
  // Tab a refreshes under the lock, tab b waits for it, and a signs out meanwhile. b then
  // holds nothing to renew: not_authenticated, and no silent sign-in of whoever the
  // provider's session belongs to.
  const w = await world();
  const shared = new MemoryStorage();
  const a = client(w, { storage: shared, autoRenew: false });
  const b = client(w, { storage: shared, autoRenew: false });
  shared.setItem(keyOf(a), await storedTokens(w, NOW + 3600));
  const held = holdRefreshes(w);
  const first = settle(a.renewTokens());
  await refreshSent(w);
  const second = settle(b.renewTokens());
  await untilLocks(a, 1, 1);
  await a.signOut({ local: true });
  held.release();
  const [one, two] = [await first, await second];
  equal(one.ok ? 'resolved' : one.error.code, 'not_authenticated');
  equal(two.ok ? 'resolved' : two.error.code, 'not_authenticated');
  equal(w.window.document.frames.length, 0, 'no silent sign-in was started');
  deepEqual(grants(w), ['refresh_token']);
  equal(contextOf(b).held, '');
  equal(shared.getItem(keyOf(a)), null);
});

test('a_silent_renewal_without_an_id_token_keeps_nothing', async () => {
  // The held tokens are alice's; the renewal's answer has an access token and no ID token
  // (the client asks for no openid scope), so nothing shows whose it is.
  const w = await world();
  const c = await seeded(w, 'localStorage', NOW + 3600, { refreshToken: undefined }, { scopes: ['profile'] });
  const before = w.window.localStorage.getItem(keyOf(c));
  const renewal = settle(c.renewTokens());
  const frame = await silentFrame(w);
  equal(new URL(frame.src).searchParams.get('scope'), 'profile');
  answerSilently(w, frame);
  const outcome = await renewal;
  ok(!outcome.ok, 'the renewal failed');
  equal(outcome.error.code, 'sub_mismatch');
  match(outcome.error.description, /no ID token/);
  deepEqual(grants(w), ['authorization_code']);
  equal(heldAccess(c), 'at-0');
  equal(w.window.localStorage.getItem(keyOf(c)), before);
});

// ---- autoRenew ------------------------------------------------------------------------------

/**
 * Tokens 20 s from expiry (inside the default 30 s `expireEarlySeconds`) in localStorage,
 * and a client over them with its events recorded; nothing is requested until something
 * happens. Manual timers: nothing fires unless the test says.
 */
async function dueTokensAndClient(autoRenew: boolean) {
  const w = await world({ manualTimers: true });
  const c = client(w, { storage: 'localStorage', autoRenew });
  w.window.localStorage.setItem(keyOf(c), await storedTokens(w, NOW + 20));
  const events = record(c);
  equal(w.net.log.length, 0);
  return { w, c, events };
}

/** Waits for the background refresh, and checks it was announced and stored. */
async function renewedInBackground(w: World, c: AuthClient, events: ReturnType<typeof record>): Promise<void> {
  await until(() => events.names().includes('renewed'), 'a renewed event');
  equal(refreshes(w), 1);
  equal(events.last('renewed').accessToken.value, 'at-1');
  ok(!events.names().includes('error'), `${events.names()}`);
  match(w.window.localStorage.getItem(keyOf(c)) ?? '', /"refreshToken":"rt-1"/);
}

test('auto_renew_renews_due_tokens_when_the_window_gains_focus', async () => {
  const { w, c, events } = await dueTokensAndClient(true);
  w.window.dispatchEvent(new Event('focus'));
  await renewedInBackground(w, c, events);
});

test('auto_renew_renews_due_tokens_when_the_page_becomes_visible', async () => {
  const { w, c, events } = await dueTokensAndClient(true);
  equal(w.window.document.visibilityState, 'visible');
  w.window.document.dispatchEvent(new Event('visibilitychange'));
  await renewedInBackground(w, c, events);
});

test('auto_renew_waits_while_the_page_is_hidden', async () => {
  const { w, c, events } = await dueTokensAndClient(true);
  w.window.document.visibilityState = 'hidden';
  w.window.document.dispatchEvent(new Event('visibilitychange'));
  equal(contextOf(c).renewal, undefined, 'no renewal started');
  w.window.document.visibilityState = 'visible';
  w.window.document.dispatchEvent(new Event('visibilitychange'));
  await renewedInBackground(w, c, events);
});

test('without_auto_renew_focus_and_visibility_request_nothing', async () => {
  const { w, c, events } = await dueTokensAndClient(false);
  w.window.dispatchEvent(new Event('focus'));
  w.window.document.dispatchEvent(new Event('visibilitychange'));
  // A listener would have read storage and started the renewal synchronously.
  equal(contextOf(c).renewal, undefined, 'no renewal started');
  await new Promise((r) => setTimeout(r, 20));
  equal(w.net.log.length, 0);
  deepEqual(events.names(), []);
  deepEqual(w.window.timers.armed(), [], 'no timer armed');
});

/** The longest the auto-renew timer waits (src/protocol/renewal.rs MAX_RENEWAL_DELAY_SECONDS). */
const MAX_RENEWAL_DELAY_SECONDS = 2_000_000;

test('auto_renew_timer_capped_long_before_expiry_is_armed_again_when_it_fires', async () => {
  // Tokens for 30 days: longer than the longest timer (about 23 days), so the timer fires
  // while nothing is due yet. It must then be armed again, or the tokens would expire with
  // no renewal scheduled.
  const w = await world({ manualTimers: true });
  const exp = NOW + 30 * 86_400;
  const c = client(w, { storage: 'localStorage' });
  w.window.localStorage.setItem(keyOf(c), await storedTokens(w, exp));
  const events = record(c);
  equal((await c.getAccessToken())?.value, 'at-0');
  deepEqual(w.window.timers.armed(), [MAX_RENEWAL_DELAY_SECONDS * 1000]);
  w.clock.seconds += MAX_RENEWAL_DELAY_SECONDS;
  w.window.timers.advance(MAX_RENEWAL_DELAY_SECONDS * 1000);
  const left = exp - 30 - w.clock.seconds;
  deepEqual(w.window.timers.armed(), [left * 1000], 'armed again for the rest');
  equal(refreshes(w), 0, 'renewed although nothing was due');
  w.clock.seconds += left;
  w.window.timers.advance(left * 1000);
  await renewedInBackground(w, c, events);
});

test('auto_renew_timer_renews_expire_early_seconds_before_expiry', async () => {
  // Expiry in 33 s with the default 30 s window: due in 3 s, so the timer is armed for the
  // 10 s minimum when the tokens are read. The test reads the delay armed, lets the clock
  // pass, and fires the timer itself.
  const w = await world({ manualTimers: true });
  const c = client(w, { storage: 'localStorage' });
  w.window.localStorage.setItem(keyOf(c), await storedTokens(w, NOW + 33));
  const events = record(c);
  equal((await c.getAccessToken())?.value, 'at-0');
  deepEqual(w.window.timers.armed(), [10_000], 'the renewal timer is armed for the 10 s minimum');
  w.clock.seconds += 9;
  w.window.timers.advance(9_999);
  await new Promise((r) => setTimeout(r, 20));
  equal(refreshes(w), 0, 'renewed before the timer fired');
  w.clock.seconds += 1;
  w.window.timers.advance(1);
  await renewedInBackground(w, c, events);
  equal(w.window.timers.armed().length, 1, 'armed again for the renewed tokens');
});
