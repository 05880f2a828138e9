/* @ts-self-types="./core.d.ts" */

/**
 * How many random bytes [`build_authorize_request`] takes (`crypto.getRandomValues`):
 * state, nonce and PKCE verifier ([`AuthorizeRandomness::LEN`]).
 * @returns {number}
 */
export function authorize_random_length() {
    const ret = wasm.authorize_random_length();
    return ret >>> 0;
}

/**
 * The expectations of the ID token of a code exchange's answer (OpenID Connect Core
 * §3.1.3.7): the nonce sent (step 11, sent on every flow), `at_hash` when present
 * (§3.1.3.8), `auth_time` against the `max_age` sent (step 13). `""` when the answer has
 * no ID token.
 * @param {string} config
 * @param {string} transaction
 * @param {string} token_response
 * @returns {string}
 */
export function back_id_token_expect(config, transaction, token_response) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(token_response, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.back_id_token_expect(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

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
 * @param {string} config
 * @param {string} provider
 * @param {string} options
 * @param {string} flow
 * @param {Uint8Array} random
 * @param {string} page_origin
 * @param {number} now
 * @returns {string}
 */
export function build_authorize_request(config, provider, options, flow, random, page_origin, now) {
    let deferred7_0;
    let deferred7_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(options, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(flow, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ptr4 = passArray8ToWasm0(random, wasm.__wbindgen_malloc);
        const len4 = WASM_VECTOR_LEN;
        const ptr5 = passStringToWasm0(page_origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len5 = WASM_VECTOR_LEN;
        const ret = wasm.build_authorize_request(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4, ptr5, len5, now);
        deferred7_0 = ret[0];
        deferred7_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred7_0, deferred7_1, 1);
    }
}

/**
 * The event a change of the held tokens from `old` to `new` (stored texts, `""` for
 * none) is: `"added"` (tokens of a user not held before), `"renewed"` (new tokens of the
 * same user: same ID token `sub`, or neither has an ID token), `"removed"`, or `""` when
 * nothing changed.
 * @param {string} config
 * @param {string} old
 * @param {string} _new
 * @returns {string}
 */
export function change_event(config, old, _new) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(old, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(_new, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.change_event(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * The `search` and `hash` to leave in the address bar once a redirect response was read:
 * the response parameters removed from the part the transaction's `response_mode` used
 * ([`strip_response_parameters`]), everything else kept, so that a reload or a shared
 * link does not carry the code or tokens. `{"search","hash"}`, or `""` for other modes.
 * @param {string} transaction
 * @param {string} search
 * @param {string} hash
 * @returns {string}
 */
export function cleaned_location(transaction, search, hash) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(search, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(hash, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.cleaned_location(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * RFC 6749 §4.1.3 with RFC 7636 §4.5: the code exchange of a validated response, with the
 * transaction's PKCE verifier and the same `redirect_uri`, the public client identified by
 * `client_id` in the body ([`token::build_authorization_code_request`]). The request as
 * JSON `{"method","url","headers":[[name,value],...],"body"}`; `""` when the response has
 * no code; `invalid_code_verifier` when the transaction has no verifier.
 * @param {string} config
 * @param {string} provider
 * @param {string} transaction
 * @param {string} validated
 * @returns {string}
 */
export function code_exchange_request(config, provider, transaction, validated) {
    let deferred5_0;
    let deferred5_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(validated, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ret = wasm.code_exchange_request(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3);
        deferred5_0 = ret[0];
        deferred5_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred5_0, deferred5_1, 1);
    }
}

/**
 * Completes a refresh (RFC 6749 §6) of the held tokens with the token endpoint's answer
 * (read by [`process_token_response`]), and returns the tokens to keep (the stored text).
 * A new ID token has passed [`validate_id_token`] with [`refresh_id_token_expect`] (OpenID
 * Connect Core §12.2) before this call. Without one, the held ID token is kept while it
 * is not due itself ([`keeps_id_token_after_refresh`]). The access token is the answer's,
 * its scopes the granted `scope`, else the held ones (RFC 6749 §5.1). A rotated refresh
 * token replaces the held one, else the held one is kept (RFC 6749 §6, RFC 9700 §4.14.2).
 * @param {string} config
 * @param {string} held
 * @param {string} token_response
 * @param {number} now
 * @returns {string}
 */
export function complete_refresh(config, held, token_response, now) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(token_response, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.complete_refresh(ptr0, len0, ptr1, len1, ptr2, len2, now);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

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
 * @param {string} config
 * @param {string} transaction
 * @param {string} validated
 * @param {string} token_response
 * @param {string} renewing
 * @param {number} now
 * @returns {string}
 */
export function complete_sign_in(config, transaction, validated, token_response, renewing, now) {
    let deferred6_0;
    let deferred6_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(validated, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(token_response, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ptr4 = passStringToWasm0(renewing, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len4 = WASM_VECTOR_LEN;
        const ret = wasm.complete_sign_in(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4, now);
        deferred6_0 = ret[0];
        deferred6_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred6_0, deferred6_1, 1);
    }
}

/**
 * Checks the app's configuration (`new AuthClient(config)`, its JSON form) and applies
 * the defaults: every option named, typed and in range, or `invalid_config` naming it
 * ([`validate_option_name`], [`validate_config`]). Returns the normalized configuration
 * (JSON, every field filled) that every other function takes as `config`.
 *
 * `storage` is a name, or for an app object `{"getItem": bool, "setItem": bool,
 * "removeItem": bool}` saying which of its methods are functions (all three must be).
 * `null` members count as absent.
 * @param {string} input
 * @returns {string}
 */
export function configure(input) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(input, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.configure(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * OpenID Connect Discovery 1.0 §4.1: `{issuer}/.well-known/openid-configuration`.
 * @param {string} config
 * @returns {string}
 */
export function discovery_url(config) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.discovery_url(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * OpenID Connect RP-Initiated Logout 1.0 §2: the end-session URL
 * ([`resource::build_end_session_url`]) with the held ID token as `id_token_hint`
 * (expired or not), the options' `postLogoutRedirectUri` else the configured one, and the
 * options' `state`. `""` when the provider has no end-session endpoint.
 * @param {string} config
 * @param {string} provider
 * @param {string} held
 * @param {string} options
 * @returns {string}
 */
export function end_session_url(config, provider, held, options) {
    let deferred5_0;
    let deferred5_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(options, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ret = wasm.end_session_url(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3);
        deferred5_0 = ret[0];
        deferred5_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred5_0, deferred5_1, 1);
    }
}

/**
 * The expectations of the ID token in a validated authorization response (OpenID Connect
 * Core §3.2.2.11, §3.3.2.12): the nonce sent is required, `at_hash` and `c_hash` bind
 * the access token and code that came with it, `auth_time` is checked against the
 * `max_age` sent (§3.1.3.7 step 13). `""` when the response has no ID token.
 * @param {string} config
 * @param {string} transaction
 * @param {string} validated
 * @returns {string}
 */
export function front_id_token_expect(config, transaction, validated) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(validated, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.front_id_token_expect(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * RFC 7662 §2.1: introspects `token` ([`resource::build_introspect_request`]: a form
 * POST, the public client identified by `client_id` in the body). `hint` is `""` (none),
 * `access_token`, `refresh_token` or `id_token` ([`TokenTypeHint::parse`]);
 * `invalid_config` `endpoints.introspect` without an introspection endpoint.
 * @param {string} config
 * @param {string} provider
 * @param {string} token
 * @param {string} hint
 * @returns {string}
 */
export function introspect_request(config, provider, token, hint) {
    let deferred5_0;
    let deferred5_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(token, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(hint, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ret = wasm.introspect_request(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3);
        deferred5_0 = ret[0];
        deferred5_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred5_0, deferred5_1, 1);
    }
}

/**
 * After a refresh refused with `invalid_grant` (RFC 6749 §5.2: the refresh token is
 * revoked, expired, or already rotated): `"current"` when the tokens held now (`current`,
 * read again from storage) carry another refresh token than the one `sent` and are not
 * due (another tab renewed first: use them), `"expired"` otherwise (clear the tokens).
 * @param {string} config
 * @param {string} sent
 * @param {string} current
 * @param {number} now
 * @returns {string}
 */
export function invalid_grant_outcome(config, sent, current, now) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(sent, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(current, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.invalid_grant_outcome(ptr0, len0, ptr1, len1, ptr2, len2, now);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * Whether the page's `location.search` or `location.hash` holds an authorization
 * response: `state` with `code`, `error`, `id_token` or `access_token`
 * ([`is_authorization_response`]). `"1"` or `"0"`.
 * @param {string} search
 * @param {string} hash
 * @returns {string}
 */
export function is_redirect_callback(search, hash) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(search, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(hash, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.is_redirect_callback(ptr0, len0, ptr1, len1);
        deferred3_0 = ret[0];
        deferred3_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * When the JWK set is fetched (RFC 7517 §5 key rotation), all times in seconds since the
 * epoch: `"fetch"` when none is cached (`fetched_at` < 0) or the cached one is
 * [`JWKS_MAX_AGE_SECONDS`] old (a key the provider removed stops being trusted);
 * `"refetch"` when the token's key is missing from it (`key_missing` ≠ 0) and the last
 * refetch for that reason is [`JWKS_REFETCH_INTERVAL_SECONDS`] ago or never happened
 * (`last_refetch` < 0: forged `kid`s cannot make the client hammer the provider);
 * `"use"` otherwise. A clock set back by the interval counts as the interval passed.
 * @param {number} fetched_at
 * @param {number} last_refetch
 * @param {number} now
 * @param {number} key_missing
 * @returns {string}
 */
export function jwks_action(fetched_at, last_refetch, now, key_missing) {
    let deferred1_0;
    let deferred1_1;
    try {
        const ret = wasm.jwks_action(fetched_at, last_refetch, now, key_missing);
        deferred1_0 = ret[0];
        deferred1_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
}

/**
 * The key that verifies `token` (its RSA `n` and `e`, as published): the JWS parsed with
 * the algorithms the shell verifies (RFC 7515 §5.2, RFC 8725 §3.1: `none` and `HS*`
 * never), its `alg` one of the provider's `algs` (comma-separated: Discovery §3
 * `id_token_signing_alg_values_supported`) or `unsupported_alg`, then
 * [`jwks::select_jwk`] over `jwks` (RFC 7517 §4; `kid`, `kty`, `use`, `alg`, `key_ops`;
 * RFC 7518 §3.3 key strength). `{"kid"?,"n","e"}`; `key_not_found` when no key fits
 * (the shell may then refetch, see [`jwks_action`]).
 * @param {string} token
 * @param {string} algs
 * @param {string} jwks
 * @returns {string}
 */
export function jws_key(token, algs, jwks) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(token, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(algs, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(jwks, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.jws_key(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

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
 * @param {string} kind
 * @param {string} detail
 * @returns {string}
 */
export function make_error(kind, detail) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(kind, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(detail, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.make_error(ptr0, len0, ptr1, len1);
        deferred3_0 = ret[0];
        deferred3_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * Reads a stored value (one key per issuer and client id): [`parse_stored_tokens`], all
 * or nothing (another version, issuer or client, a wrong type, an ID token that fails
 * [`restore_id_token`]: the error). Returns the normalized text, or `""` when the value
 * holds no token at all.
 * @param {string} config
 * @param {string} text
 * @returns {string}
 */
export function parse_stored(config, text) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.parse_stored(ptr0, len0, ptr1, len1);
        deferred3_0 = ret[0];
        deferred3_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * Reads the discovery document the shell fetched (OpenID Connect Discovery 1.0 §4.2):
 * a 200 must be `application/json` (else `invalid_response`, before parsing: an HTML page
 * served with 200 is no document), then [`discovery::process_discovery_response`] (the
 * issuer byte for byte, §4.3; the endpoints; the app's overrides applied). Returns the
 * `Provider` JSON: `issRequired` from `authorization_response_iss_parameter_supported`
 * (RFC 9207 §3), `algs` the supported algorithms narrowed to the published
 * `id_token_signing_alg_values_supported` (Discovery §3), RS256 when it is absent.
 * @param {string} config
 * @param {number} status
 * @param {string} content_type
 * @param {Uint8Array} body
 * @returns {string}
 */
export function process_discovery_response(config, status, content_type, body) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(content_type, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.process_discovery_response(ptr0, len0, status, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * RFC 7662 §2.2: reads the introspection answer ([`resource::process_introspect_response`]).
 * Returns the body text as sent.
 * @param {number} status
 * @param {string} content_type
 * @param {string} www_authenticate
 * @param {Uint8Array} body
 * @returns {string}
 */
export function process_introspect_response(status, content_type, www_authenticate, body) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(content_type, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(www_authenticate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.process_introspect_response(status, ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * Reads the answer to `GET jwks_uri` (OpenID Connect Discovery 1.0 §3, RFC 7517 §5):
 * another status than 200 is the provider's error or `unexpected_status`
 * ([`token::error_from_response`]); a 200 must be `application/json` or
 * `application/jwk-set+json` (RFC 7517 §8.5.1) and a JWK set ([`jwks::parse_jwks`]).
 * Returns the body as text, for [`jws_key`].
 * @param {number} status
 * @param {string} content_type
 * @param {string} www_authenticate
 * @param {Uint8Array} body
 * @returns {string}
 */
export function process_jwks_response(status, content_type, www_authenticate, body) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(content_type, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(www_authenticate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.process_jwks_response(status, ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * RFC 7009 §2.2: 200 means revoked (or already invalid); anything else is the provider's
 * error ([`resource::process_revoke_response`]). `""` on success.
 * @param {number} status
 * @param {string} content_type
 * @param {string} www_authenticate
 * @param {Uint8Array} body
 * @returns {string}
 */
export function process_revoke_response(status, content_type, www_authenticate, body) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(content_type, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(www_authenticate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.process_revoke_response(status, ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * RFC 6749 §5.1 / §5.2: reads the token endpoint's answer
 * ([`token::process_token_response`]): the provider's error (`invalid_grant`, ...), or an
 * answer with a Bearer `access_token`, and `expires_in`, `scope`, `refresh_token` and
 * `id_token` checked when present. Returns the answer as normalized JSON (the RFC 6749
 * §5.1 member names), which this function accepts again.
 * @param {number} status
 * @param {string} content_type
 * @param {string} www_authenticate
 * @param {Uint8Array} body
 * @returns {string}
 */
export function process_token_response(status, content_type, www_authenticate, body) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(content_type, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(www_authenticate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.process_token_response(status, ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * OpenID Connect Core §5.3.2 / §5.3.3: reads the userinfo answer
 * ([`resource::process_userinfo_response`]: the `WWW-Authenticate: Bearer` error of RFC
 * 6750 §3.1, no signed userinfo, a JSON object whose `sub` is the held ID token's, else
 * `sub_mismatch`). Returns the claims: the body text as sent.
 * @param {string} config
 * @param {string} held
 * @param {number} status
 * @param {string} content_type
 * @param {string} www_authenticate
 * @param {Uint8Array} body
 * @returns {string}
 */
export function process_userinfo_response(config, held, status, content_type, www_authenticate, body) {
    let deferred6_0;
    let deferred6_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(content_type, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(www_authenticate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ptr4 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        const len4 = WASM_VECTOR_LEN;
        const ret = wasm.process_userinfo_response(ptr0, len0, ptr1, len1, status, ptr2, len2, ptr3, len3, ptr4, len4);
        deferred6_0 = ret[0];
        deferred6_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred6_0, deferred6_1, 1);
    }
}

/**
 * The provider known without discovery ([`derive_endpoints`]: Okta's conventional
 * endpoints, or the app's overrides of `authorize`, `token` and `keys`), as the `Provider`
 * JSON: `{"authorize","token","keys","userinfo"?,"introspect"?,"revoke"?,"logout"?,
 * "issRequired": false, "algs"}`. `issRequired` is false: without a discovery document
 * nothing says the provider sends `iss` (RFC 9207 §2.4), so it is checked when present;
 * `algs` is RS256 (OpenID Connect Core §3.1.3.7 step 7). `""` when discovery is needed
 * ([`discovery_url`]).
 * @param {string} config
 * @returns {string}
 */
export function provider_from_config(config) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.provider_from_config(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * The `state` values of the responses in the fragment and the query, fragment first
 * ([`candidate_states`]): the keys of the transactions to look up (RFC 6749 §10.12). A
 * JSON array of strings.
 * @param {string} search
 * @param {string} hash
 * @returns {string}
 */
export function redirect_states(search, hash) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(search, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(hash, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.redirect_states(ptr0, len0, ptr1, len1);
        deferred3_0 = ret[0];
        deferred3_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * The expectations of the ID token of a refresh's answer (OpenID Connect Core §12.2):
 * `sub`, `aud`, `azp` and `auth_time` those of the held ID token, `nonce` absent or the
 * original one; without a held ID token, no nonce was sent for this grant and none is
 * checked. `at_hash` when present. `""` when the answer has no ID token.
 * @param {string} config
 * @param {string} held
 * @param {string} token_response
 * @returns {string}
 */
export function refresh_id_token_expect(config, held, token_response) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(token_response, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.refresh_id_token_expect(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * RFC 6749 §6: the refresh of the held tokens with their refresh token
 * ([`token::build_refresh_token_request`]); `not_authenticated` ("a refresh token") when
 * none is held.
 * @param {string} config
 * @param {string} provider
 * @param {string} held
 * @returns {string}
 */
export function refresh_request(config, provider, held) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.refresh_request(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * Seconds from `now` until the auto-renew timer fires: `expireEarlySeconds` before the
 * earliest known expiry, within its bounds ([`renewal::renewal_delay`]); `"-1"` when no
 * expiry is known.
 * @param {string} config
 * @param {string} stored
 * @param {number} now
 * @returns {string}
 */
export function renewal_delay(config, stored, now) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(stored, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.renewal_delay(ptr0, len0, ptr1, len1, now);
        deferred3_0 = ret[0];
        deferred3_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * Whether the stored tokens must be renewed before `which` (`"all"`, `"id"`, `"access"`)
 * is handed out: that token is expired or within `expireEarlySeconds` of it
 * ([`renewal::renewal_due`]). `"1"` or `"0"` (`"0"` for no tokens).
 * @param {string} config
 * @param {string} stored
 * @param {string} which
 * @param {number} now
 * @returns {string}
 */
export function renewal_due(config, stored, which, now) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(stored, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(which, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.renewal_due(ptr0, len0, ptr1, len1, ptr2, len2, now);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * RFC 7009 §2.1: revokes the held access or refresh token (`which`: `"access"`,
 * `"refresh"`; [`resource::build_revoke_request`]). `not_authenticated` "an access
 * token" / "a refresh token" when it is not held; `invalid_config` `endpoints.revoke`
 * without a revocation endpoint. The request JSON with `"token"`: the token revoked (to
 * forget with [`without_token`] once the provider answered 200).
 * @param {string} config
 * @param {string} provider
 * @param {string} held
 * @param {string} which
 * @returns {string}
 */
export function revoke_request(config, provider, held, which) {
    let deferred5_0;
    let deferred5_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(which, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ret = wasm.revoke_request(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3);
        deferred5_0 = ret[0];
        deferred5_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred5_0, deferred5_1, 1);
    }
}

/**
 * The app's `signOut` options (JSON; unknown names refused): `revoke` (default true:
 * revoke the refresh then the access token first), `local` (default false: only clear
 * the local tokens), `postLogoutRedirectUri` and `state`. Returns them normalized:
 * `{"revoke","local","postLogoutRedirectUri"?,"state"?}`.
 * @param {string} options
 * @returns {string}
 */
export function sign_out_options(options) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(options, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.sign_out_options(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * The storage keys of this client: `tokens` ([`stored::storage_key`]), the renewal
 * `marker` beside them ([`stored::renewal_marker_key`]), the Web Lock name of its
 * renewals (`lock`), and the prefix of stored transactions (`transactionPrefix`, followed
 * by the transaction's `state`).
 * @param {string} config
 * @returns {string}
 */
export function storage_keys(config) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.storage_keys(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * The app's `Tokens` (JSON) of stored tokens: `{"idToken": {"value", "claims" (the
 * payload exactly as signed), "expiresAt", "issuer", "clientId"}, "accessToken":
 * {"value", "expiresAt"?, "scopes", "tokenType"}, "refreshToken": {"value"}}`, each only
 * when held (`{}` for none).
 * @param {string} config
 * @param {string} stored
 * @returns {string}
 */
export function tokens_view(config, stored) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(stored, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.tokens_view(ptr0, len0, ptr1, len1);
        deferred3_0 = ret[0];
        deferred3_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * The app state (JSON text) a redirect sign-in stored with its transaction, or `""`.
 * @param {string} transaction
 * @returns {string}
 */
export function transaction_app_state(transaction) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.transaction_app_state(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * What a stored transaction text is worth to this client at `now`: `"corrupt"` (not what
 * [`serialize_transaction`] writes, or `state` given and not its state: remove it),
 * `"expired"` (older than its lifetime, [`is_live`]: remove it), `"foreign"` (another
 * issuer's or client's: leave it to its owner, RFC 6749 §10.12 and mix-up defence), or
 * `"live"`.
 * @param {string} config
 * @param {string} text
 * @param {string} state
 * @param {number} now
 * @returns {string}
 */
export function transaction_status(config, text, state, now) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(state, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.transaction_status(ptr0, len0, ptr1, len1, ptr2, len2, now);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * OpenID Connect Core §5.3.1 with RFC 6750 §2.1: `GET` userinfo with the held access
 * token as `Authorization: Bearer` ([`resource::build_userinfo_request`]).
 * `not_authenticated` "an access token" when none is held, "an ID token" when no ID token
 * is held (without one the answer's `sub` cannot be checked); `invalid_config`
 * `endpoints.userinfo` when the provider has no userinfo endpoint.
 * @param {string} config
 * @param {string} provider
 * @param {string} held
 * @returns {string}
 */
export function userinfo_request(config, provider, held) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.userinfo_request(ptr0, len0, ptr1, len1, ptr2, len2);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

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
 * @param {string} config
 * @param {string} token
 * @param {string} expect
 * @param {number} now
 * @returns {string}
 */
export function validate_id_token(config, token, expect, now) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(token, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(expect, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.validate_id_token(ptr0, len0, ptr1, len1, ptr2, len2, now);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

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
 * @param {string} config
 * @param {string} provider
 * @param {string} transaction
 * @param {string} data
 * @returns {string}
 */
export function validate_message(config, provider, transaction, data) {
    let deferred5_0;
    let deferred5_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(data, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ret = wasm.validate_message(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3);
        deferred5_0 = ret[0];
        deferred5_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred5_0, deferred5_1, 1);
    }
}

/**
 * Validates a redirect response against its (live, own) transaction: the part of a
 * redirect callback after the transaction was found by its state. The response is read
 * from the query or the fragment as the transaction's `response_mode` says (a
 * `form_post` is unreadable; a message mode never comes back to a page:
 * `transaction_not_found`), then [`response::validate_authorization_response`]: state
 * (RFC 6749 §10.12), `iss` (RFC 9207 §2.4), the provider's `error` (§4.1.2.1), what the
 * request asked for. Returns the validated response as JSON
 * `{"state","code"?,"idToken"?,"accessToken"?,"tokenType"?,"expiresIn"?,"scope"?}`.
 * @param {string} config
 * @param {string} provider
 * @param {string} transaction
 * @param {string} search
 * @param {string} hash
 * @returns {string}
 */
export function validate_redirect_response(config, provider, transaction, search, hash) {
    let deferred6_0;
    let deferred6_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(provider, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(transaction, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(search, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ptr4 = passStringToWasm0(hash, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len4 = WASM_VECTOR_LEN;
        const ret = wasm.validate_redirect_response(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4);
        deferred6_0 = ret[0];
        deferred6_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred6_0, deferred6_1, 1);
    }
}

/**
 * A token just renewed for `which` must not already be expired at `now`
 * ([`renewal::validate_renewed`]): `""`, or `expired`.
 * @param {string} config
 * @param {string} stored
 * @param {string} which
 * @param {number} now
 * @returns {string}
 */
export function validate_renewed(config, stored, which, now) {
    let deferred4_0;
    let deferred4_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(stored, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(which, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ret = wasm.validate_renewed(ptr0, len0, ptr1, len1, ptr2, len2, now);
        deferred4_0 = ret[0];
        deferred4_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * The `verifyIdToken(token, options)` checks: the options (`nonce`, `accessToken`,
 * `code`, `maxAge`, `now`; unknown names refused) and the rule that picks the source: a
 * `code` means a hybrid-flow ID token from the authorization response (OpenID Connect
 * Core §3.3.2.12), which requires the `nonce`; otherwise a token endpoint's, whose nonce
 * is checked when given and skipped otherwise. Returns `{"expect", "now"?}`: `expect` is
 * the expectations text (for any token: the shell hands the token to
 * [`validate_id_token`]), `now` the frozen clock if the app gave one.
 * @param {string} config
 * @param {string} options
 * @returns {string}
 */
export function verify_options(config, options) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(options, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ret = wasm.verify_options(ptr0, len0, ptr1, len1);
        deferred3_0 = ret[0];
        deferred3_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * The held tokens without the revoked one (RFC 7009 §2.2: forget it only once revoked):
 * `""` when `held` no longer holds exactly `token` as its `which` token (a renewal
 * replaced it meanwhile: the new one is left alone); else `{"remaining": stored text, or
 * "" when nothing is left, "removed": stored text holding only the removed token}`.
 * @param {string} config
 * @param {string} held
 * @param {string} which
 * @param {string} token
 * @returns {string}
 */
export function without_token(config, held, which, token) {
    let deferred5_0;
    let deferred5_1;
    try {
        const ptr0 = passStringToWasm0(config, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(held, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len1 = WASM_VECTOR_LEN;
        const ptr2 = passStringToWasm0(which, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len2 = WASM_VECTOR_LEN;
        const ptr3 = passStringToWasm0(token, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len3 = WASM_VECTOR_LEN;
        const ret = wasm.without_token(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3);
        deferred5_0 = ret[0];
        deferred5_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred5_0, deferred5_1, 1);
    }
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            const offset = table.grow(4);
            table.set(0, undefined);
            table.set(offset + 0, undefined);
            table.set(offset + 1, null);
            table.set(offset + 2, true);
            table.set(offset + 3, false);
        },
    };
    return {
        __proto__: null,
        "./core_bg.js": import0,
    };
}

function getStringFromWasm0(ptr, len) {
    return decodeText(ptr >>> 0, len);
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(ptr, len) {
    numBytesDecoded += len;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
        cachedTextDecoder.decode();
        numBytesDecoded = len;
    }
    return cachedTextDecoder.decode(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;


    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('core_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
