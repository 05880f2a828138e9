/* tslint:disable */
/* eslint-disable */

/**
 * How many random bytes [`build_authorize_request`] takes (`crypto.getRandomValues`):
 * state, nonce and PKCE verifier ([`AuthorizeRandomness::LEN`]).
 */
export function authorize_random_length(): number;

/**
 * The expectations of the ID token of a code exchange's answer (OpenID Connect Core
 * §3.1.3.7): the nonce sent (step 11, sent on every flow), `at_hash` when present
 * (§3.1.3.8), `auth_time` against the `max_age` sent (step 13). `""` when the answer has
 * no ID token.
 */
export function back_id_token_expect(config: string, transaction: string, token_response: string): string;

/**
 * Builds the authorize request of one sign-in (RFC 6749 §4.1.1, OpenID Connect Core 1.0
 * §3.1.2.1, PKCE per RFC 7636 §4.2) with [`authorize::build_authorize_request`]: the
 * configuration's parameters, each overridden by `options` (the app's `SignInOptions` as
 * JSON), against the provider's authorization endpoint, with `random`
 * ([`authorize_random_length`] bytes from `crypto.getRandomValues`).
 *
 * `flow`: `"url"` (`buildAuthorizeUrl`) and `"redirect"` use the redirect defaults (OAuth
 * 2.0 Multiple Response Type Encoding Practices §5); `"redirect"` also refuses a response
 * mode no page can read back (`form_post`, the message modes). `"popup"` and `"silent"`
 * (`prompt=none`) take the per-call `popupResponseMode`, else the configured one, and
 * return the origin the response message must come from (`origin`; `page_origin` is
 * `location.origin`).
 *
 * Returns `{"url","state","nonce","codeVerifier"?,"transaction","origin"?}`;
 * `transaction` is the text the response is checked against (with `appState` for a
 * redirect, and `now` as its time).
 */
export function build_authorize_request(config: string, provider: string, options: string, flow: string, random: Uint8Array, page_origin: string, now: number): string;

/**
 * The event a change of the held tokens from `old` to `new` (stored texts, `""` for
 * none) is: `"added"` (tokens of a user not held before), `"renewed"` (new tokens of the
 * same user: same ID token `sub`, or neither has an ID token), `"removed"`, or `""` when
 * nothing changed.
 */
export function change_event(config: string, old: string, _new: string): string;

/**
 * The `search` and `hash` to leave in the address bar once a redirect response was read:
 * the response parameters removed from the part the transaction's `response_mode` used
 * ([`strip_response_parameters`]), everything else kept, so that a reload or a shared
 * link does not carry the code or tokens. `{"search","hash"}`, or `""` for other modes.
 */
export function cleaned_location(transaction: string, search: string, hash: string): string;

/**
 * RFC 6749 §4.1.3 with RFC 7636 §4.5: the code exchange of a validated response, with the
 * transaction's PKCE verifier and the same `redirect_uri`, the public client identified by
 * `client_id` in the body ([`token::build_authorization_code_request`]). The request as
 * JSON `{"method","url","headers":[[name,value],...],"body"}`; `""` when the response has
 * no code; `invalid_code_verifier` when the transaction has no verifier.
 */
export function code_exchange_request(config: string, provider: string, transaction: string, validated: string): string;

/**
 * Completes a refresh (RFC 6749 §6) of the held tokens with the token endpoint's answer
 * (read by [`process_token_response`]), and returns the tokens to keep (the stored text).
 * A new ID token has passed [`validate_id_token`] with [`refresh_id_token_expect`] (OpenID
 * Connect Core §12.2) before this call. Without one, the held ID token is kept while it
 * is not due itself ([`keeps_id_token_after_refresh`]). The access token is the answer's,
 * its scopes the granted `scope`, else the held ones (RFC 6749 §5.1). A rotated refresh
 * token replaces the held one, else the held one is kept (RFC 6749 §6, RFC 9700 §4.14.2).
 */
export function complete_refresh(config: string, held: string, token_response: string, now: number): string;

/**
 * Completes a sign-in from its transaction, its validated response and (for a code) the
 * token endpoint's answer, and returns the tokens to keep (the stored text). Every ID
 * token here has passed [`validate_id_token`] with its expectations (signature first, in
 * the shell) before this call; they are read back with [`restore_id_token`].
 *
 * 1. When both the authorization response and the token endpoint sent an ID token
 *    (hybrid flow), their `sub` must be identical (OpenID Connect Core §3.3.3.6), and
 *    the token endpoint's is kept.
 * 2. When an ID token was asked for (`id_token`, or `code` with `openid`, §3.1.3.3) and
 *    none came: `missing_parameter` `id_token`.
 * 3. The access token: the token endpoint's if a code was exchanged, else the
 *    authorization response's (implicit flow); it expires `expires_in` seconds after
 *    `now`; its scopes are the granted `scope`, else the requested ones (RFC 6749 §5.1).
 * 4. A renewal through a silent sign-in (`renewing`: the stored tokens it renews) must
 *    bring back the ID token of their user ([`renewal::validate_renewed_sub`]), or
 *    `sub_mismatch`. (Whether those tokens are still held is the shell's check.)
 */
export function complete_sign_in(config: string, transaction: string, validated: string, token_response: string, renewing: string, now: number): string;

/**
 * Checks the app's configuration (`new AuthClient(config)`, its JSON form) and applies
 * the defaults: every option named, typed and in range, or `invalid_config` naming it
 * ([`validate_option_name`], [`validate_config`]). Returns the normalized configuration
 * (JSON, every field filled) that every other function takes as `config`.
 *
 * `storage` is a name, or for an app object `{"getItem": bool, "setItem": bool,
 * "removeItem": bool}` saying which of its methods are functions (all three must be).
 * `null` members count as absent.
 */
export function configure(input: string): string;

/**
 * OpenID Connect Discovery 1.0 §4.1: `{issuer}/.well-known/openid-configuration`.
 */
export function discovery_url(config: string): string;

/**
 * OpenID Connect RP-Initiated Logout 1.0 §2: the end-session URL
 * ([`resource::build_end_session_url`]) with the held ID token as `id_token_hint`
 * (expired or not), the options' `postLogoutRedirectUri` else the configured one, and the
 * options' `state`. `""` when the provider has no end-session endpoint.
 */
export function end_session_url(config: string, provider: string, held: string, options: string): string;

/**
 * The expectations of the ID token in a validated authorization response (OpenID Connect
 * Core §3.2.2.11, §3.3.2.12): the nonce sent is required, `at_hash` and `c_hash` bind
 * the access token and code that came with it, `auth_time` is checked against the
 * `max_age` sent (§3.1.3.7 step 13). `""` when the response has no ID token.
 */
export function front_id_token_expect(config: string, transaction: string, validated: string): string;

/**
 * RFC 7662 §2.1: introspects `token` ([`resource::build_introspect_request`]: a form
 * POST, the public client identified by `client_id` in the body). `hint` is `""` (none),
 * `access_token`, `refresh_token` or `id_token` ([`TokenTypeHint::parse`]);
 * `invalid_config` `endpoints.introspect` without an introspection endpoint.
 */
export function introspect_request(config: string, provider: string, token: string, hint: string): string;

/**
 * After a refresh refused with `invalid_grant` (RFC 6749 §5.2: the refresh token is
 * revoked, expired, or already rotated): `"current"` when the tokens held now (`current`,
 * read again from storage) carry another refresh token than the one `sent` and are not
 * due (another tab renewed first: use them), `"expired"` otherwise (clear the tokens).
 */
export function invalid_grant_outcome(config: string, sent: string, current: string, now: number): string;

/**
 * Whether the page's `location.search` or `location.hash` holds an authorization
 * response: `state` with `code`, `error`, `id_token` or `access_token`
 * ([`is_authorization_response`]). `"1"` or `"0"`.
 */
export function is_redirect_callback(search: string, hash: string): string;

/**
 * When the JWK set is fetched (RFC 7517 §5 key rotation), all times in seconds since the
 * epoch: `"fetch"` when none is cached (`fetched_at` < 0) or the cached one is
 * [`JWKS_MAX_AGE_SECONDS`] old (a key the provider removed stops being trusted);
 * `"refetch"` when the token's key is missing from it (`key_missing` ≠ 0) and the last
 * refetch for that reason is [`JWKS_REFETCH_INTERVAL_SECONDS`] ago or never happened
 * (`last_refetch` < 0: forged `kid`s cannot make the client hammer the provider);
 * `"use"` otherwise. A clock set back by the interval counts as the interval passed.
 */
export function jwks_action(fetched_at: number, last_refetch: number, now: number, key_missing: number): string;

/**
 * The key that verifies `token` (its RSA `n` and `e`, as published): the JWS parsed with
 * the algorithms the shell verifies (RFC 7515 §5.2, RFC 8725 §3.1: `none` and `HS*`
 * never), its `alg` one of the provider's `algs` (comma-separated: Discovery §3
 * `id_token_signing_alg_values_supported`) or `unsupported_alg`, then
 * [`jwks::select_jwk`] over `jwks` (RFC 7517 §4; `kid`, `kty`, `use`, `alg`, `key_ops`;
 * RFC 7518 §3.3 key strength). `{"kid"?,"n","e"}`; `key_not_found` when no key fits
 * (the shell may then refetch, see [`jwks_action`]).
 */
export function jws_key(token: string, algs: string, jwks: string): string;

/**
 * An error of the shell's own (a browser effect that failed), with the core's codes and
 * texts, so that every `AuthError` reads the same whoever raised it. Always an error
 * text. `kind`:
 *
 * - `popup_blocked`, `popup_closed`, `popup_in_progress`, `transaction_not_found`,
 *   `invalid_signature` (crypto.subtle.verify answered false);
 * - `popup_timeout`, `silent_timeout` (`timeout`, with what timed out and why);
 * - `network`, `request_timeout`: `detail` is what was fetched (`"token endpoint"`, ...);
 * - `crypto`: `detail` `unavailable` (no secure context), `import`, `verify`;
 * - `not_authenticated_signed_out` (a renewal whose tokens were signed out meanwhile);
 * - `storage`: `detail` is the storage problem; `invalid_event`: `detail` is the name;
 * - `invalid_url`; `navigation`: `detail` `end_session` for the sign-out navigation,
 *   else the authorize one;
 * - `internal`, and any unknown kind: `detail` as the problem.
 */
export function make_error(kind: string, detail: string): string;

/**
 * Reads a stored value (one key per issuer and client id): [`parse_stored_tokens`], all
 * or nothing (another version, issuer or client, a wrong type, an ID token that fails
 * [`restore_id_token`]: the error). Returns the normalized text, or `""` when the value
 * holds no token at all.
 */
export function parse_stored(config: string, text: string): string;

/**
 * Reads the discovery document the shell fetched (OpenID Connect Discovery 1.0 §4.2):
 * a 200 must be `application/json` (else `invalid_response`, before parsing: an HTML page
 * served with 200 is no document), then [`discovery::process_discovery_response`] (the
 * issuer byte for byte, §4.3; the endpoints; the app's overrides applied). Returns the
 * `Provider` JSON: `issRequired` from `authorization_response_iss_parameter_supported`
 * (RFC 9207 §3), `algs` the supported algorithms narrowed to the published
 * `id_token_signing_alg_values_supported` (Discovery §3), RS256 when it is absent.
 */
export function process_discovery_response(config: string, status: number, content_type: string, body: Uint8Array): string;

/**
 * RFC 7662 §2.2: reads the introspection answer ([`resource::process_introspect_response`]).
 * Returns the body text as sent.
 */
export function process_introspect_response(status: number, content_type: string, www_authenticate: string, body: Uint8Array): string;

/**
 * Reads the answer to `GET jwks_uri` (OpenID Connect Discovery 1.0 §3, RFC 7517 §5):
 * another status than 200 is the provider's error or `unexpected_status`
 * ([`token::error_from_response`]); a 200 must be `application/json` or
 * `application/jwk-set+json` (RFC 7517 §8.5.1) and a JWK set ([`jwks::parse_jwks`]).
 * Returns the body as text, for [`jws_key`].
 */
export function process_jwks_response(status: number, content_type: string, www_authenticate: string, body: Uint8Array): string;

/**
 * RFC 7009 §2.2: 200 means revoked (or already invalid); anything else is the provider's
 * error ([`resource::process_revoke_response`]). `""` on success.
 */
export function process_revoke_response(status: number, content_type: string, www_authenticate: string, body: Uint8Array): string;

/**
 * RFC 6749 §5.1 / §5.2: reads the token endpoint's answer
 * ([`token::process_token_response`]): the provider's error (`invalid_grant`, ...), or an
 * answer with a Bearer `access_token`, and `expires_in`, `scope`, `refresh_token` and
 * `id_token` checked when present. Returns the answer as normalized JSON (the RFC 6749
 * §5.1 member names), which this function accepts again.
 */
export function process_token_response(status: number, content_type: string, www_authenticate: string, body: Uint8Array): string;

/**
 * OpenID Connect Core §5.3.2 / §5.3.3: reads the userinfo answer
 * ([`resource::process_userinfo_response`]: the `WWW-Authenticate: Bearer` error of RFC
 * 6750 §3.1, no signed userinfo, a JSON object whose `sub` is the held ID token's, else
 * `sub_mismatch`). Returns the claims: the body text as sent.
 */
export function process_userinfo_response(config: string, held: string, status: number, content_type: string, www_authenticate: string, body: Uint8Array): string;

/**
 * The provider known without discovery ([`derive_endpoints`]: Okta's conventional
 * endpoints, or the app's overrides of `authorize`, `token` and `keys`), as the `Provider`
 * JSON: `{"authorize","token","keys","userinfo"?,"introspect"?,"revoke"?,"logout"?,
 * "issRequired": false, "algs"}`. `issRequired` is false: without a discovery document
 * nothing says the provider sends `iss` (RFC 9207 §2.4), so it is checked when present;
 * `algs` is RS256 (OpenID Connect Core §3.1.3.7 step 7). `""` when discovery is needed
 * ([`discovery_url`]).
 */
export function provider_from_config(config: string): string;

/**
 * The `state` values of the responses in the fragment and the query, fragment first
 * ([`candidate_states`]): the keys of the transactions to look up (RFC 6749 §10.12). A
 * JSON array of strings.
 */
export function redirect_states(search: string, hash: string): string;

/**
 * The expectations of the ID token of a refresh's answer (OpenID Connect Core §12.2):
 * `sub`, `aud`, `azp` and `auth_time` those of the held ID token, `nonce` absent or the
 * original one; without a held ID token, no nonce was sent for this grant and none is
 * checked. `at_hash` when present. `""` when the answer has no ID token.
 */
export function refresh_id_token_expect(config: string, held: string, token_response: string): string;

/**
 * RFC 6749 §6: the refresh of the held tokens with their refresh token
 * ([`token::build_refresh_token_request`]); `not_authenticated` ("a refresh token") when
 * none is held.
 */
export function refresh_request(config: string, provider: string, held: string): string;

/**
 * Seconds from `now` until the auto-renew timer fires: `expireEarlySeconds` before the
 * earliest known expiry, within its bounds ([`renewal::renewal_delay`]); `"-1"` when no
 * expiry is known.
 */
export function renewal_delay(config: string, stored: string, now: number): string;

/**
 * Whether the stored tokens must be renewed before `which` (`"all"`, `"id"`, `"access"`)
 * is handed out: that token is expired or within `expireEarlySeconds` of it
 * ([`renewal::renewal_due`]). `"1"` or `"0"` (`"0"` for no tokens).
 */
export function renewal_due(config: string, stored: string, which: string, now: number): string;

/**
 * RFC 7009 §2.1: revokes the held access or refresh token (`which`: `"access"`,
 * `"refresh"`; [`resource::build_revoke_request`]). `not_authenticated` "an access
 * token" / "a refresh token" when it is not held; `invalid_config` `endpoints.revoke`
 * without a revocation endpoint. The request JSON with `"token"`: the token revoked (to
 * forget with [`without_token`] once the provider answered 200).
 */
export function revoke_request(config: string, provider: string, held: string, which: string): string;

/**
 * The app's `signOut` options (JSON; unknown names refused): `revoke` (default true:
 * revoke the refresh then the access token first), `local` (default false: only clear
 * the local tokens), `postLogoutRedirectUri` and `state`. Returns them normalized:
 * `{"revoke","local","postLogoutRedirectUri"?,"state"?}`.
 */
export function sign_out_options(options: string): string;

/**
 * The storage keys of this client: `tokens` ([`stored::storage_key`]), the renewal
 * `marker` beside them ([`stored::renewal_marker_key`]), the Web Lock name of its
 * renewals (`lock`), and the prefix of stored transactions (`transactionPrefix`, followed
 * by the transaction's `state`).
 */
export function storage_keys(config: string): string;

/**
 * The app's `Tokens` (JSON) of stored tokens: `{"idToken": {"value", "claims" (the
 * payload exactly as signed), "expiresAt", "issuer", "clientId"}, "accessToken":
 * {"value", "expiresAt"?, "scopes", "tokenType"}, "refreshToken": {"value"}}`, each only
 * when held (`{}` for none).
 */
export function tokens_view(config: string, stored: string): string;

/**
 * The app state (JSON text) a redirect sign-in stored with its transaction, or `""`.
 */
export function transaction_app_state(transaction: string): string;

/**
 * What a stored transaction text is worth to this client at `now`: `"corrupt"` (not what
 * [`serialize_transaction`] writes, or `state` given and not its state: remove it),
 * `"expired"` (older than its lifetime, [`is_live`]: remove it), `"foreign"` (another
 * issuer's or client's: leave it to its owner, RFC 6749 §10.12 and mix-up defence), or
 * `"live"`.
 */
export function transaction_status(config: string, text: string, state: string, now: number): string;

/**
 * OpenID Connect Core §5.3.1 with RFC 6750 §2.1: `GET` userinfo with the held access
 * token as `Authorization: Bearer` ([`resource::build_userinfo_request`]).
 * `not_authenticated` "an access token" when none is held, "an ID token" when no ID token
 * is held (without one the answer's `sub` cannot be checked); `invalid_config`
 * `endpoints.userinfo` when the provider has no userinfo endpoint.
 */
export function userinfo_request(config: string, provider: string, held: string): string;

/**
 * OpenID Connect Core §3.1.3.7 (with §3.2.2.11, §3.3.2.12 and §12.2 as `expect` says):
 * every claim rule of [`id_token::validate_id_token`] (`typ`, `iss`, `aud`, `azp`,
 * `exp`, `iat`, `nbf`, `sub`, `nonce`, `at_hash`, `c_hash`, `auth_time`) with `now` as the
 * clock. Returns the claims: the payload's JSON text exactly as signed.
 *
 * **The signature is not checked here.** The shell calls this only for a token whose
 * signature `crypto.subtle.verify` accepted, with the key [`jws_key`] chose for it (the
 * one rule the shell owns, in `verifiedClaims`, `ts/crypto.ts`). Called on any other
 * token, it would read claims nobody vouched for.
 *
 * `expect` comes from `*_id_token_expect` or [`verify_options`]; when it names a token,
 * `token` must be that one.
 */
export function validate_id_token(config: string, token: string, expect: string, now: number): string;

/**
 * Judges a `message` event of a popup or silent sign-in. The shell checked first that
 * `event.origin` is the expected origin ([`build_authorize_request`]'s `origin`) and that
 * `event.source` is the sign-in's window; `data` is `JSON.stringify(event.data)`.
 *
 * `""` (ignore it, keep waiting) when the data is not JSON, does not have the transport's
 * shape, or does not carry this transaction's `state` ([`answers_state`]: RFC 6749 §10.12,
 * it answers some other request, or is forged to abort this one). Otherwise the verdict
 * of [`response::validate_authorization_response`], which ends the wait: the validated
 * response (as [`validate_redirect_response`] returns it) or the error.
 */
export function validate_message(config: string, provider: string, transaction: string, data: string): string;

/**
 * Validates a redirect response against its (live, own) transaction: the part of a
 * redirect callback after the transaction was found by its state. The response is read
 * from the query or the fragment as the transaction's `response_mode` says (a
 * `form_post` is unreadable; a message mode never comes back to a page:
 * `transaction_not_found`), then [`response::validate_authorization_response`]: state
 * (RFC 6749 §10.12), `iss` (RFC 9207 §2.4), the provider's `error` (§4.1.2.1), what the
 * request asked for. Returns the validated response as JSON
 * `{"state","code"?,"idToken"?,"accessToken"?,"tokenType"?,"expiresIn"?,"scope"?}`.
 */
export function validate_redirect_response(config: string, provider: string, transaction: string, search: string, hash: string): string;

/**
 * A token just renewed for `which` must not already be expired at `now`
 * ([`renewal::validate_renewed`]): `""`, or `expired`.
 */
export function validate_renewed(config: string, stored: string, which: string, now: number): string;

/**
 * The `verifyIdToken(token, options)` checks: the options (`nonce`, `accessToken`,
 * `code`, `maxAge`, `now`; unknown names refused) and the rule that picks the source: a
 * `code` means a hybrid-flow ID token from the authorization response (OpenID Connect
 * Core §3.3.2.12), which requires the `nonce`; otherwise a token endpoint's, whose nonce
 * is checked when given and skipped otherwise. Returns `{"expect", "now"?}`: `expect` is
 * the expectations text (for any token: the shell hands the token to
 * [`validate_id_token`]), `now` the frozen clock if the app gave one.
 */
export function verify_options(config: string, options: string): string;

/**
 * The held tokens without the revoked one (RFC 7009 §2.2: forget it only once revoked):
 * `""` when `held` no longer holds exactly `token` as its `which` token (a renewal
 * replaced it meanwhile: the new one is left alone); else `{"remaining": stored text, or
 * "" when nothing is left, "removed": stored text holding only the removed token}`.
 */
export function without_token(config: string, held: string, which: string, token: string): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly authorize_random_length: () => number;
    readonly back_id_token_expect: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly build_authorize_request: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number, k: number, l: number, m: number) => [number, number];
    readonly change_event: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly cleaned_location: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly code_exchange_request: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly complete_refresh: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly complete_sign_in: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number, k: number) => [number, number];
    readonly configure: (a: number, b: number) => [number, number];
    readonly discovery_url: (a: number, b: number) => [number, number];
    readonly end_session_url: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly front_id_token_expect: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly introspect_request: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly invalid_grant_outcome: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly is_redirect_callback: (a: number, b: number, c: number, d: number) => [number, number];
    readonly jwks_action: (a: number, b: number, c: number, d: number) => [number, number];
    readonly jws_key: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly make_error: (a: number, b: number, c: number, d: number) => [number, number];
    readonly parse_stored: (a: number, b: number, c: number, d: number) => [number, number];
    readonly process_discovery_response: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly process_introspect_response: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly process_jwks_response: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly process_revoke_response: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly process_token_response: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly process_userinfo_response: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number, k: number) => [number, number];
    readonly provider_from_config: (a: number, b: number) => [number, number];
    readonly redirect_states: (a: number, b: number, c: number, d: number) => [number, number];
    readonly refresh_id_token_expect: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly refresh_request: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly renewal_delay: (a: number, b: number, c: number, d: number, e: number) => [number, number];
    readonly renewal_due: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly revoke_request: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly sign_out_options: (a: number, b: number) => [number, number];
    readonly storage_keys: (a: number, b: number) => [number, number];
    readonly tokens_view: (a: number, b: number, c: number, d: number) => [number, number];
    readonly transaction_app_state: (a: number, b: number) => [number, number];
    readonly transaction_status: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly userinfo_request: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly validate_id_token: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly validate_message: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly validate_redirect_response: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number) => [number, number];
    readonly validate_renewed: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly verify_options: (a: number, b: number, c: number, d: number) => [number, number];
    readonly without_token: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
