// The provider's resources for the signed-in user (ts/resources.ts): userinfo,
// introspection, revocation and sign-out, and what a failure of ours inside a call becomes
// (ts/client.ts). What tests/browser_resources.rs checked of the old Rust layer, through the
// public API against the fake Okta provider.
import { deepEqual, equal, match, ok, rejects } from './assert.js';
import { client, CLIENT_ID, NOW, REDIRECT_URI, world, type World } from './fakes.js';
import { test } from './runner.js';
import { clientWith, contextOf, type AuthClient } from '../../ts/client.js';
import { core, type StoredText } from '../../ts/core.js';
import { AuthError } from '../../ts/errors.js';
import { store } from '../../ts/store.js';
import type { AuthConfig } from '../../ts/types.js';

/** An issuer that is not Okta's: its endpoints come from its discovery document. */
const OTHER = 'https://login.example.com';

/** The tokens a client holds (memory), as the stored format has them. */
interface Held {
  issuer?: string;
  idToken?: string;
  access?: string;
  refresh?: string;
}

/** Makes `c` hold these tokens, as a sign-in would have (the access token valid for an hour). */
function hold(c: AuthClient, { issuer, idToken, access, refresh }: Held): void {
  const ctx = contextOf(c);
  const value: Record<string, unknown> = { version: 1, issuer: issuer ?? ctx.settings.issuer, clientId: CLIENT_ID };
  if (idToken) value.idToken = idToken;
  if (access) value.accessToken = { value: access, expiresAt: NOW + 3600, scopes: ['openid'], tokenType: 'Bearer' };
  if (refresh) value.refreshToken = refresh;
  store(ctx, core.parseStored(ctx.config, JSON.stringify(value)) as StoredText);
}

/** A signed ID token of the provider's user, for `issuer`. */
const idTokenFor = (w: World, issuer?: string): Promise<string> => w.provider.idToken(undefined, issuer ? { iss: issuer } : {});

/** Serves the discovery document of OTHER (every endpoint on the fake provider), without the members `omit`. */
function discovery(w: World, omit: string[] = []): void {
  const doc: Record<string, unknown> = {
    issuer: OTHER,
    authorization_endpoint: `${OTHER}/authorize`,
    token_endpoint: `${OTHER}/token`,
    jwks_uri: `${OTHER}/keys`,
    userinfo_endpoint: `${OTHER}/userinfo`,
    introspection_endpoint: `${OTHER}/introspect`,
    revocation_endpoint: `${OTHER}/revoke`,
    end_session_endpoint: `${OTHER}/logout`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
  for (const member of omit) delete doc[member];
  w.net.route(`${OTHER}/.well-known/openid-configuration`, { body: doc });
  w.net.route(`${OTHER}/revoke`, { status: 200, body: '' });
}

/** The form of a logged request, in order. */
function form(r: { body: string }): [string, string][] {
  const out: [string, string][] = [];
  new URLSearchParams(r.body).forEach((v, k) => void out.push([k, v]));
  return out;
}

/** [token_type_hint, token] of each revocation request to `url`, in order. */
function revocations(w: World, url = w.provider.endpoints.revoke): [string, string][] {
  return w.net.to(url).map((r) => {
    const f = new URLSearchParams(r.body);
    return [f.get('token_type_hint') ?? '', f.get('token') ?? ''];
  });
}

// ---- getUser ---------------------------------------------------------------------------

test('get_user_returns_the_claims_for_the_held_access_token', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { idToken: await idTokenFor(w), access: 'at-1' });
  w.net.route(w.provider.endpoints.userinfo, { body: { sub: '00u1alice', email: 'ada@example.com' } });
  const user = await c.getUser();
  equal(user.sub, '00u1alice');
  equal(user.email, 'ada@example.com');
  equal(w.net.log.length, 1, 'one request: userinfo');
  const r = w.net.log[0]!;
  equal(r.url, w.provider.endpoints.userinfo);
  equal(r.method, 'GET');
  equal(r.headers.authorization, 'Bearer at-1');
});

test('get_user_rejects_userinfo_about_another_sub', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { idToken: await idTokenFor(w), access: 'at-1' });
  w.net.route(w.provider.endpoints.userinfo, { body: { sub: '00u2attacker', email: 'mallory@example.com' } });
  await rejects(c.getUser(), 'sub_mismatch');
});

test('get_user_reports_invalid_token_from_www_authenticate_and_keeps_the_tokens', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { idToken: await idTokenFor(w), access: 'at-1' });
  w.net.route(w.provider.endpoints.userinfo, {
    status: 401,
    body: '',
    headers: { 'www-authenticate': 'Bearer realm="okta", error="invalid_token", error_description="The access token is invalid."' },
  });
  const error = await rejects(c.getUser(), 'invalid_token');
  equal(error.oauthError, 'invalid_token');
  match(error.message, /The access token is invalid\./);
  equal((await c.getTokens()).accessToken?.value, 'at-1', 'the tokens are kept');
});

test('get_user_without_tokens_is_not_authenticated_and_sends_nothing', async () => {
  const w = await world();
  const error = await rejects(client(w).getUser(), 'not_authenticated');
  match(error.message, /an access token/);
  deepEqual(w.net.log, []);
});

test('get_user_without_an_id_token_is_not_authenticated', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { access: 'at-1' });
  const error = await rejects(c.getUser(), 'not_authenticated');
  match(error.message, /an ID token/);
  deepEqual(w.net.log, []);
});

test('get_user_without_a_userinfo_endpoint_names_the_option_to_set', async () => {
  const w = await world();
  discovery(w, ['userinfo_endpoint']);
  const c = client(w, { issuer: OTHER });
  hold(c, { idToken: await idTokenFor(w, OTHER), access: 'at-1' });
  const error = await rejects(c.getUser(), 'invalid_config');
  match(error.message, /endpoints\.userinfo/);
  deepEqual(w.net.log.map((r) => r.url), [`${OTHER}/.well-known/openid-configuration`], 'discovery only');
});

test('get_user_through_the_facade_rejects_with_auth_error_not_authenticated', async () => {
  const w = await world();
  let error: unknown;
  try {
    await client(w).getUser();
  } catch (e) {
    error = e;
  }
  ok(error instanceof AuthError, `an AuthError, not ${String(error)}`);
  equal(error.name, 'AuthError');
  equal(error.code, 'not_authenticated');
});

test('proto_and_constructor_members_of_provider_json_stay_own_data_properties', async () => {
  // Userinfo and introspection answers reach the app as objects. A member named
  // `__proto__`, assigned, would set the object's prototype: `user.admin` would read true.
  const w = await world();
  const c = client(w);
  hold(c, { idToken: await idTokenFor(w), access: 'at-1' });
  const members = '"__proto__": {"admin": true}, "constructor": {"prototype": {"admin": true}}, "nested": {"__proto__": {"admin": true}}';
  w.net.route(w.provider.endpoints.introspect, { body: `{"active": true, ${members}}` });
  w.net.route(w.provider.endpoints.userinfo, { body: `{"sub": "00u1alice", ${members}}` });
  const own = (x: object, k: string) => Object.getOwnPropertyDescriptor(x, k) as { value: any; enumerable: boolean } | undefined;
  const check = (o: Record<string, any>, first: string) => {
    equal(o.admin, undefined, 'no admin through the prototype');
    equal(Object.getPrototypeOf(o), Object.prototype);
    equal(own(o, '__proto__')?.value?.admin, true, '__proto__ is an own member');
    equal(own(o, '__proto__')?.enumerable, true);
    equal(own(o, 'constructor')?.value?.prototype?.admin, true, 'constructor is an own member');
    equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype untouched');
    equal(o.nested.admin, undefined);
    equal(own(o.nested, '__proto__')?.value?.admin, true);
    equal(Object.keys(o).join(), `${first},__proto__,constructor,nested`);
  };
  check(await c.introspect('at-9'), 'active');
  check(await c.getUser(), 'sub');
});

// ---- introspect ------------------------------------------------------------------------

test('introspect_posts_token_hint_and_client_id_without_authorization', async () => {
  const w = await world();
  w.net.route(w.provider.endpoints.introspect, {
    body: { active: true, scope: 'openid email', sub: '00u1alice', client_id: CLIENT_ID, exp: 1_900_000_000, aud: 'api://default' },
  });
  const info = await client(w).introspect('at-9', 'access_token');
  equal(info.active, true);
  equal(info.scope, 'openid email');
  equal(info.sub, '00u1alice');
  equal(info.exp, 1_900_000_000);
  equal(info.aud, 'api://default');
  const post = w.net.to(w.provider.endpoints.introspect)[0];
  ok(post, 'an introspection request');
  equal(post.method, 'POST');
  deepEqual(form(post), [['token', 'at-9'], ['token_type_hint', 'access_token'], ['client_id', CLIENT_ID]]);
  equal(post.headers.authorization, undefined);
  equal(post.headers['content-type'], 'application/x-www-form-urlencoded');
});

test('introspect_reads_an_inactive_token', async () => {
  const w = await world();
  w.net.route(w.provider.endpoints.introspect, { body: { active: false } });
  const info = await client(w).introspect('revoked');
  equal(info.active, false);
  equal(info.sub, undefined);
  deepEqual(form(w.net.log[w.net.log.length - 1]!), [['token', 'revoked'], ['client_id', CLIENT_ID]]);
});

test('introspect_refuses_an_unknown_hint_before_any_request', async () => {
  const w = await world();
  await rejects(client(w).introspect('t', 'session'), 'invalid_parameter');
  deepEqual(w.net.log, []);
});

// ---- revoke ----------------------------------------------------------------------------

test('revoke_access_token_posts_it_and_forgets_it_after_200', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { access: 'at-1', refresh: 'rt-1' });
  await c.revokeAccessToken();
  const post = w.net.log[w.net.log.length - 1]!;
  equal(post.url, w.provider.endpoints.revoke);
  equal(post.method, 'POST');
  deepEqual(form(post), [['token', 'at-1'], ['token_type_hint', 'access_token'], ['client_id', CLIENT_ID]]);
  equal(post.headers.authorization, undefined);
  const tokens = await c.getTokens();
  equal(tokens.accessToken, undefined);
  equal(tokens.refreshToken?.value, 'rt-1');
});

test('revoke_refresh_token_posts_it_and_forgets_it_after_200', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { access: 'at-1', refresh: 'rt-1' });
  await c.revokeRefreshToken();
  deepEqual(form(w.net.log[w.net.log.length - 1]!), [['token', 'rt-1'], ['token_type_hint', 'refresh_token'], ['client_id', CLIENT_ID]]);
  const tokens = await c.getTokens();
  equal(tokens.refreshToken, undefined);
  equal(tokens.accessToken?.value, 'at-1');
});

test('revoke_keeps_the_token_when_the_provider_refuses', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { access: 'at-1' });
  w.net.route(w.provider.endpoints.revoke, { status: 401, body: { error: 'invalid_client', error_description: 'No client' } });
  await rejects(c.revokeAccessToken(), 'invalid_client');
  equal((await c.getTokens()).accessToken?.value, 'at-1');
});

test('revoke_without_the_token_is_not_authenticated_and_sends_nothing', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { access: 'at-1' });
  const error = await rejects(c.revokeRefreshToken(), 'not_authenticated');
  match(error.message, /a refresh token/);
  deepEqual(w.net.log, []);
});

// ---- signOut ---------------------------------------------------------------------------

test('sign_out_revokes_refresh_then_access_clears_tokens_and_builds_the_end_session_url', async () => {
  const w = await world();
  const c = client(w);
  const idToken = await idTokenFor(w);
  hold(c, { idToken, access: 'at-1', refresh: 'rt-1' });
  await c.signOut({ postLogoutRedirectUri: 'https://app.example/signed-out', state: 's-123' });
  deepEqual(w.window.assigned, [
    `${w.provider.endpoints.logout}?id_token_hint=${idToken}&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fsigned-out&state=s-123`,
  ]);
  deepEqual(revocations(w), [['refresh_token', 'rt-1'], ['access_token', 'at-1']]);
  deepEqual(await c.getTokens(), {});
});

test('sign_out_uses_the_configured_post_logout_redirect_uri', async () => {
  const w = await world();
  const c = client(w, { postLogoutRedirectUri: 'https://app.example/bye' });
  const idToken = await idTokenFor(w);
  hold(c, { idToken });
  await c.signOut();
  deepEqual(w.window.assigned, [`${w.provider.endpoints.logout}?id_token_hint=${idToken}&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye`]);
});

test('sign_out_local_clears_tokens_without_any_request', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { idToken: await idTokenFor(w), access: 'at-1', refresh: 'rt-1' });
  equal(await c.signOut({ local: true }), undefined);
  deepEqual(w.net.log, []);
  deepEqual(w.window.assigned, [], 'no navigation');
  deepEqual(await c.getTokens(), {});
});

test('sign_out_local_through_the_facade_resolves_without_navigating', async () => {
  const w = await world();
  equal(await client(w).signOut({ local: true }), undefined);
  deepEqual(w.window.assigned, []);
  deepEqual(w.net.log, []);
});

test('sign_out_without_revoke_sends_no_revocation', async () => {
  const w = await world();
  const c = client(w);
  const idToken = await idTokenFor(w);
  hold(c, { idToken, access: 'at-1', refresh: 'rt-1' });
  await c.signOut({ revoke: false });
  deepEqual(w.window.assigned, [`${w.provider.endpoints.logout}?id_token_hint=${idToken}`]);
  deepEqual(revocations(w), []);
  deepEqual(await c.getTokens(), {});
});

test('sign_out_ends_the_local_session_and_navigates_even_when_revocation_fails', async () => {
  const w = await world();
  const c = client(w);
  const idToken = await idTokenFor(w);
  hold(c, { idToken, access: 'at-1', refresh: 'rt-1' });
  w.net.route(w.provider.endpoints.revoke, 'network-error');
  await c.signOut();
  deepEqual(w.window.assigned, [`${w.provider.endpoints.logout}?id_token_hint=${idToken}`]);
  // Both were attempted, the second despite the first failing.
  deepEqual(revocations(w), [['refresh_token', 'rt-1'], ['access_token', 'at-1']]);
  deepEqual(await c.getTokens(), {});
});

test('sign_out_without_an_end_session_endpoint_clears_locally_and_has_no_url', async () => {
  const w = await world();
  discovery(w, ['end_session_endpoint']);
  const c = client(w, { issuer: OTHER });
  hold(c, { idToken: await idTokenFor(w, OTHER), access: 'at-1' });
  equal(await c.signOut(), undefined);
  deepEqual(w.window.assigned, [], 'no navigation');
  deepEqual(revocations(w, `${OTHER}/revoke`), [['access_token', 'at-1']]);
  deepEqual(await c.getTokens(), {});
});

test('sign_out_with_state_but_no_post_logout_redirect_uri_does_nothing', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { idToken: await idTokenFor(w), access: 'at-1', refresh: 'rt-1' });
  await rejects(c.signOut({ state: 's' }), 'invalid_parameter');
  deepEqual(revocations(w), []);
  deepEqual(w.window.assigned, []);
  equal((await c.getTokens()).refreshToken?.value, 'rt-1', 'the tokens are kept');
});

test('sign_out_clears_the_local_session_when_discovery_fails', async () => {
  const w = await world();
  const c = client(w, { issuer: OTHER }); // no discovery route: the fetch fails
  hold(c, { access: 'at-1' });
  await rejects(c.signOut(), 'network_error');
  deepEqual(await c.getTokens(), {});
  deepEqual(w.window.assigned, []);
});

test('sign_out_whose_navigation_fails_names_the_end_session_endpoint', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { idToken: await idTokenFor(w), access: 'at-1' });
  Object.defineProperty(w.window, 'location', {
    get: () => ({ href: 'https://app.example/', origin: 'https://app.example', assign: () => { throw new Error('blocked'); } }),
  });
  const error = await rejects(c.signOut(), 'invalid_parameter');
  match(error.message, /end_session_endpoint/);
  deepEqual(await c.getTokens(), {}, 'signed out locally all the same');
});

// ---- failures of ours --------------------------------------------------------------------
// The old Rust layer caught panics (a trap of the wasm module) and turned them into
// AuthError `internal`. In the shell, the core never panics on input, and any exception of
// ours inside a call (not an AuthError) becomes AuthError `internal` with its message.

test('a_failure_inside_a_call_rejects_with_auth_error_internal_and_its_message', async () => {
  const w = await world();
  w.env.random = () => {
    throw new Error('deliberate failure');
  };
  let error: unknown;
  try {
    await client(w).buildAuthorizeUrl();
  } catch (e) {
    error = e;
  }
  ok(error instanceof AuthError, `an AuthError, not ${String(error)}`);
  equal(error.name, 'AuthError');
  equal(error.code, 'internal');
  match(error.description, /deliberate failure/);
});

/** Makes the next answer of the fake network fail to be read, after the request went out. */
function breakNextAnswer(w: World, message: string): void {
  const fetch = w.env.fetch;
  w.env.fetch = async (input, init) => {
    w.env.fetch = fetch;
    const r = await fetch(input, init);
    const broken = { status: r.status, arrayBuffer: () => r.arrayBuffer(), headers: { get: () => { throw new TypeError(message); } } };
    return broken as unknown as Response;
  };
}

test('a_failure_after_an_await_leaves_the_same_client_usable', async () => {
  const w = await world();
  const c = client(w);
  hold(c, { access: 'at-1' });
  w.net.route(w.provider.endpoints.introspect, { body: { active: false } });
  breakNextAnswer(w, 'failure after an await');
  const error = await rejects(c.introspect('t'), 'internal');
  match(error.message, /failure after an await/);
  equal(w.net.to(w.provider.endpoints.introspect).length, 1, 'the request went out');
  equal((await c.introspect('t')).active, false, 'the next call works');
  equal((await c.getTokens()).accessToken?.value, 'at-1', 'the tokens are kept');
});

test('other_calls_keep_running_after_a_failure_of_another', async () => {
  const w = await world();
  const c = client(w);
  w.net.route(w.provider.endpoints.introspect, { body: { active: false } });
  breakNextAnswer(w, 'first call fails');
  const failing = c.introspect('a');
  const healthy = c.introspect('b');
  await rejects(failing, 'internal');
  equal((await healthy).active, false);
});

test('an_exception_thrown_by_an_injected_effect_rejects_with_internal', async () => {
  const w = await world();
  const c = client(w);
  const token = await idTokenFor(w);
  w.env.now = () => {
    throw new TypeError('thrown by JS');
  };
  const error = await rejects(c.verifyIdToken(token), 'internal');
  match(error.message, /thrown by JS/);
});

test('a_failure_inside_a_sync_call_throws_internal_with_its_message', async () => {
  const w = await world();
  const config = { issuer: 'https://dev-1.okta.com/oauth2/default', clientId: CLIENT_ID, redirectUri: REDIRECT_URI };
  Object.defineProperty(config, 'scopes', {
    enumerable: true,
    get: () => {
      throw new Error('sync failure');
    },
  });
  let error: unknown;
  try {
    clientWith(config as AuthConfig, w.env);
  } catch (e) {
    error = e;
  }
  ok(error instanceof AuthError, `an AuthError, not ${String(error)}`);
  equal(error.code, 'internal');
  match(error.description, /sync failure/);
  // Nothing is poisoned: the next client works.
  equal((await client(w).introspect('t')).active, true);
});

test('repeated_failures_leave_the_core_and_the_client_usable', async () => {
  // The old layer checked that caught panics did not leak the wasm stack; the shell's
  // equivalent: many failed calls in a row, then the same client and the core still work.
  const w = await world();
  const c = client(w);
  for (let i = 0; i < 20; i++) {
    breakNextAnswer(w, `failure ${i}`);
    await rejects(c.introspect('t'), 'internal');
  }
  equal((await c.introspect('t')).active, true);
  ok((await c.buildAuthorizeUrl()).url.startsWith(w.provider.endpoints.authorize), 'the core still answers');
});
