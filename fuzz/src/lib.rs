//! Fuzz harnesses for the protocol core of okta-auth-wasm, one function per target.
//!
//! Each function takes the fuzzer's bytes, feeds them to a parser that sees attacker-controlled
//! input in the browser, and where the parse succeeds runs what the library does next with
//! the result (key selection, response validation, claim rules, storage round trips, error
//! formatting). Besides "never panics", a few invariants are asserted: round trips
//! (base64url, form encoding, stored tokens, URL splitting) and that a response accepted
//! by `validate_authorization_response` carries exactly what was asked for.
//!
//! `fuzz_targets/*.rs` wrap these for libFuzzer; `tests/replay.rs` runs them on stable over
//! the seeds in `seeds/` plus deterministic mutations, where no nightly toolchain exists.

use std::sync::OnceLock;

use okta_auth_wasm::protocol::{
    base64url,
    config::{validate_config, ClientConfig, ConfigInput, Endpoint, ResponseType},
    discovery, form,
    http::{self, HttpResponse},
    id_token::{self, Expect, IdTokenClaims, IdTokenExpectations, IdTokenSource},
    json::{self, Value},
    jwks::{self, JwkSet},
    jwt::{self, JwsHeader},
    resource,
    response::{self, ExpectedResponse, IssParameter, RawResponse},
    stored, token, url, www_authenticate, Error,
};

/// A harness: the fuzzer's bytes in, a panic on any failure.
pub type Harness = fn(&[u8]);

/// The targets, by name, for `tests/replay.rs` and the scripts.
pub const TARGETS: &[(&str, Harness)] = &[
    ("json", json),
    ("jwt", jwt),
    ("id_token", id_token),
    ("jwks", jwks),
    ("discovery", discovery),
    ("url_response", url_response),
    ("post_message", post_message),
    ("token_response", token_response),
    ("www_authenticate", www_authenticate),
    ("resource", resource),
    ("stored", stored),
    ("url", url),
    ("encoding", encoding),
    ("core", core),
];

/// The configured issuer and client of every harness (a realistic Okta custom server).
pub const ISSUER: &str = "https://example.okta.com/oauth2/default";
/// The configured client id.
pub const CLIENT_ID: &str = "0oa1b2c3d4e5f6g7h8i9";
/// The `state` every authorization response is checked against.
pub const STATE: &str = "ZmFrZS1zdGF0ZS0xMjM0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcA";
/// The `nonce` ID tokens are checked against.
pub const NONCE: &str = "bm9uY2UtMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0";
/// The `sub` userinfo must match.
pub const SUB: &str = "00u1a2b3c4d5e6f7g8h9";

/// A realistic clock for the claim rules: 2023-11-14.
pub const NOW: i64 = 1_700_000_000;

fn config(with_overrides: bool) -> &'static ClientConfig {
    static PLAIN: OnceLock<ClientConfig> = OnceLock::new();
    static OVERRIDES: OnceLock<ClientConfig> = OnceLock::new();
    let cell = if with_overrides { &OVERRIDES } else { &PLAIN };
    cell.get_or_init(|| {
        let mut input = ConfigInput {
            issuer: Some(ISSUER.to_owned()),
            client_id: Some(CLIENT_ID.to_owned()),
            redirect_uri: Some("https://app.example.com/callback".to_owned()),
            ..ConfigInput::default()
        };
        if with_overrides {
            input.endpoints[Endpoint::Token as usize] =
                Some("https://example.okta.com/oauth2/default/v1/token".to_owned());
            input.endpoints[Endpoint::Keys as usize] =
                Some("http://127.0.0.1:8080/keys".to_owned());
        }
        validate_config(input).expect("the harness configuration is valid")
    })
}

/// An RSA key set: the key of OpenID Connect Core Appendix A.7 under two kids, one without
/// `alg`, plus an EC key that is never selected.
fn fixed_jwks() -> &'static JwkSet {
    static JWKS: OnceLock<JwkSet> = OnceLock::new();
    JWKS.get_or_init(|| {
        const N: &str = "w7Zdfmece8iaB0kiTY8pCtiBtzbptJmP28nSWwtdjRu0f2GFpajvWE4VhfJAjEsOcwYzay7XGN0b-X84BfC8hmCTOj2b2eHT7NsZegFPKRUQzJ9wW8ipn_aDJWMGDuB1XyqT1E7DYqjUCEOD1b4FLpy_xPn6oV_TYOfQ9fZdbE5HGxJUzekuGcOKqOQ8M7wfYHhHHLxGpQVgL0apWuP2gDDOdTtpuld4D2LK1MZK99s9gaSjRHE8JDb1Z4IGhEcEyzkxswVdPndUWzfvWBBWXWxtSUvQGBRkuy1BHOa4sP6FKjWEeeF7gm7UMs2Nm2QUgNZw6xvEDGaLk4KASdIxRQ";
        let body = format!(
            r#"{{"keys":[
              {{"kty":"RSA","kid":"1e9gdk7","alg":"RS256","use":"sig","e":"AQAB","n":"{N}"}},
              {{"kty":"RSA","kid":"k1","e":"AQAB","n":"{N}"}},
              {{"kty":"EC","kid":"ec1","crv":"P-256","x":"AA","y":"AA"}}]}}"#
        );
        jwks::parse_jwks(body.as_bytes()).expect("the harness key set parses")
    })
}

/// Headers to select keys for, from fixed tokens: with each kid, with an unknown kid,
/// without kid, and with another allowed alg.
fn fixed_headers() -> &'static [JwsHeader] {
    static HEADERS: OnceLock<Vec<JwsHeader>> = OnceLock::new();
    HEADERS.get_or_init(|| {
        [
            r#"{"alg":"RS256","kid":"1e9gdk7"}"#,
            r#"{"alg":"RS256","kid":"k1"}"#,
            r#"{"alg":"RS256","kid":"nope"}"#,
            r#"{"alg":"RS256"}"#,
            r#"{"alg":"RS384","kid":"k1","typ":"JWT"}"#,
        ]
        .iter()
        .map(|h| {
            let t = compact(h.as_bytes(), b"{}", b"sig");
            jwt::parse_compact_jws_with_algs(&t, &["RS256", "RS384"])
                .expect("the harness headers parse")
                .header()
                .clone()
        })
        .collect()
    })
}

/// A valid original ID token, for refresh-response rules.
fn original_claims() -> &'static IdTokenClaims {
    static ORIGINAL: OnceLock<IdTokenClaims> = OnceLock::new();
    ORIGINAL.get_or_init(|| {
        let payload = format!(
            r#"{{"iss":"{ISSUER}","sub":"{SUB}","aud":"{CLIENT_ID}","exp":{},"iat":{},"auth_time":{},"nonce":"{NONCE}"}}"#,
            NOW + 3600,
            NOW - 10,
            NOW - 20
        );
        let t = compact(br#"{"alg":"RS256","kid":"k1"}"#, payload.as_bytes(), b"sig");
        id_token::restore_id_token(&t, ISSUER, CLIENT_ID).expect("the original ID token is valid")
    })
}

fn compact(header: &[u8], payload: &[u8], signature: &[u8]) -> String {
    let mut t = base64url::encode(header);
    t.push('.');
    t.push_str(&base64url::encode(payload));
    t.push('.');
    t.push_str(&base64url::encode(signature));
    t
}

/// Everything an error can be asked by the facade: a panic in formatting would be one too.
fn touch_error(e: &Error) {
    let _ = e.code();
    let _ = e.oauth_error();
    let _ = e.description();
    let _ = e.message();
    let _ = e.to_string();
    let _ = format!("{e:?}");
}

fn touch<T>(r: &Result<T, Error>) {
    if let Err(e) = r {
        touch_error(e);
    }
}

/// Splits off the first byte as a selector (0 when empty).
fn selector(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((s, rest)) => (*s, rest),
        None => (0, data),
    }
}

/// Splits at the first `\n`: (before, after), after empty if none.
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

fn walk(v: &Value, depth: usize) {
    let number = v
        .as_number()
        .map(|n| (n.as_str(), n.as_i64(), n.numeric_date()));
    let _ = (v.as_str(), number, v.as_i64(), v.as_bool());
    if let Some(items) = v.as_array() {
        for item in items {
            walk(item, depth + 1);
        }
    }
    if let Some(members) = v.as_object() {
        for (name, value) in members {
            // Member names are unique (a repeated name is refused), so `get` finds this one.
            assert!(
                v.get(name).is_some_and(|found| std::ptr::eq(found, value)),
                "get does not return the member"
            );
            walk(value, depth + 1);
        }
    }
    assert!(
        depth <= json::MAX_DEPTH + 1,
        "nesting beyond MAX_DEPTH was accepted"
    );
}

// ---- targets -------------------------------------------------------------------------

/// `json::parse`, then every accessor over the whole value.
pub fn json(data: &[u8]) {
    if let Ok(v) = json::parse(data) {
        walk(&v, 0);
    }
}

/// The compact JWS form: `jwt::parse_compact_jws` (and `_with_algs`), then the header
/// accessors, `jwks::select_jwk` against a fixed key set, and `id_token::restore_id_token`.
pub fn jwt(data: &[u8]) {
    let Some(token) = text(data) else { return };
    let r = jwt::parse_compact_jws(token);
    touch(&r);
    let r2 = jwt::parse_compact_jws_with_algs(token, &["RS256", "PS256", "ES256", "HS256", "none"]);
    touch(&r2);
    if r.is_ok() {
        assert!(
            r2.is_ok(),
            "a wider alg list refused what RS256 alone accepted"
        );
    }
    for parsed in [r, r2].into_iter().flatten() {
        let h = parsed.header();
        let _ = (h.alg(), h.kid(), h.typ());
        assert!(
            !h.alg().eq_ignore_ascii_case("none")
                && !h.alg().to_ascii_uppercase().starts_with("HS")
        );
        let _ = parsed.payload();
        let signing_input = parsed.signing_input();
        assert!(token.as_bytes().starts_with(signing_input));
        assert_eq!(token.as_bytes().get(signing_input.len()), Some(&b'.'));
        assert!(!parsed.signature().is_empty());
        assert_eq!(parsed.as_str(), token);
        select(fixed_jwks(), h);
        let verified = parsed.into_verified_for_fuzzing();
        let _ = (
            verified.payload_bytes(),
            verified.as_str(),
            verified.header(),
        );
    }
    let restored = id_token::restore_id_token(token, ISSUER, CLIENT_ID);
    touch(&restored);
    if let Ok(c) = restored {
        assert_eq!(c.iss(), ISSUER);
        assert!(c.aud().iter().any(|a| a == CLIENT_ID));
    }
}

fn select(set: &JwkSet, header: &JwsHeader) {
    let r = jwks::select_jwk(set, header);
    touch(&r);
    if let Ok(k) = r {
        let _ = (k.jwk(), k.n(), k.e(), k.kid(), k.modulus_bits());
        assert!(k.jwk().kty() == "RSA");
        if let Some(kid) = header.kid() {
            assert_eq!(k.kid(), Some(kid));
        }
    }
}

/// The claim rules: the input is `<selector><header JSON>\n<payload JSON>`, built into a
/// compact JWS, parsed, and checked by `id_token::validate_id_token` for every source
/// (authorization response, token response with each nonce expectation, refresh) at
/// extreme clocks, skews and `max_age`s, and by `restore_id_token`.
pub fn id_token(data: &[u8]) {
    let (sel, rest) = selector(data);
    let (header, payload) = line(rest);
    let token = compact(header, payload, b"signature");
    let restored = id_token::restore_id_token(&token, ISSUER, CLIENT_ID);
    touch(&restored);
    let Ok(parsed) = jwt::parse_compact_jws_with_algs(&token, &["RS256", "RS384", "ES256"]) else {
        return;
    };
    let verified = parsed.into_verified_for_fuzzing();
    let now = [NOW, 0, i64::MIN, i64::MAX][usize::from(sel & 3)];
    let skew = [300, 0, 600, u32::MAX][usize::from((sel >> 2) & 3)];
    let max_age = [None, Some(0), Some(3600), Some(u32::MAX)][usize::from((sel >> 4) & 3)];
    let access_token = "eyJraWQiOiJrMSJ9.access.token";
    let at_hash = id_token::at_hash(access_token);
    let _ = id_token::c_hash("code-123");
    let sources = [
        IdTokenSource::AuthorizationResponse {
            nonce: NONCE,
            access_token: Some(access_token),
            code: Some("code-123"),
        },
        IdTokenSource::AuthorizationResponse {
            nonce: NONCE,
            access_token: None,
            code: None,
        },
        IdTokenSource::TokenResponse {
            nonce: Expect::Value(NONCE),
            access_token: Some(access_token),
        },
        IdTokenSource::TokenResponse {
            nonce: Expect::Absent,
            access_token: None,
        },
        IdTokenSource::TokenResponse {
            nonce: Expect::Skip,
            access_token: None,
        },
        IdTokenSource::RefreshResponse {
            original: original_claims(),
            access_token: Some(access_token),
        },
    ];
    for source in sources {
        let expected = IdTokenExpectations {
            issuer: ISSUER,
            client_id: CLIENT_ID,
            source,
            max_age,
            clock_skew_seconds: skew,
        };
        let r = id_token::validate_id_token(&verified, &expected, now);
        touch(&r);
        if let Ok(c) = r {
            let _ = (
                c.iss(),
                c.sub(),
                c.azp(),
                c.exp(),
                c.iat(),
                c.nbf(),
                c.auth_time(),
            );
            let _ = c.id_token();
            // The payload's text as signed, which the app JSON.parses: a JSON object.
            let payload = json::parse(c.payload_json().as_bytes())
                .expect("the claims' JSON text is no longer JSON");
            assert!(payload.as_object().is_some());
            assert_eq!(c.iss(), ISSUER);
            assert!(c.aud().iter().any(|a| a == CLIENT_ID));
            assert!(!c.sub().is_empty() && c.sub().len() <= id_token::MAX_SUB_LEN);
            assert!(c.exp() > now.saturating_sub(i64::from(skew)));
            if let IdTokenSource::AuthorizationResponse { .. } = source {
                assert_eq!(c.nonce(), Some(NONCE));
            }
            if let IdTokenSource::AuthorizationResponse {
                access_token: Some(_),
                ..
            } = source
            {
                assert_eq!(
                    payload.get("at_hash").and_then(Value::as_str),
                    Some(at_hash.as_str())
                );
            }
        }
    }
}

/// A JWK set document: `jwks::parse_jwks`, every key's accessors, then `select_jwk` for
/// fixed headers (kid present, absent, unknown; two algs).
pub fn jwks(data: &[u8]) {
    let r = jwks::parse_jwks(data);
    touch(&r);
    let Ok(set) = r else { return };
    for k in set.keys() {
        let _ = (
            k.kty(),
            k.kid(),
            k.key_use(),
            k.alg(),
            k.key_ops(),
            k.n(),
            k.e(),
        );
    }
    for header in fixed_headers() {
        select(&set, header);
    }
}

/// A discovery response: `<selector><body>`; the selector picks the status and whether the
/// app overrides endpoints. Then `discovery::process_discovery_response` and every accessor.
pub fn discovery(data: &[u8]) {
    let (sel, body) = selector(data);
    let status = [200, 200, 200, 200, 400, 404, 500, 0][usize::from(sel & 7)];
    let config = config(sel & 8 != 0);
    let r = discovery::process_discovery_response(status, body, config);
    touch(&r);
    if let Ok(d) = &r {
        assert_eq!(d.issuer(), config.issuer);
        let e = d.endpoints();
        let _ = (
            e.authorize(),
            e.token(),
            e.keys(),
            e.userinfo(),
            e.introspect(),
        );
        let _ = (e.revoke(), e.logout());
        for endpoint in Endpoint::ALL {
            let got = e.get(endpoint);
            if let Some(o) = config.endpoint_override(endpoint) {
                assert_eq!(got, Some(o), "an override was not applied");
            }
            if let Some(u) = got {
                assert!(
                    url::parse_http_url(u).is_ok(),
                    "an unusable endpoint passed: {u}"
                );
            }
        }
        let _ = d.response_modes_supported();
        let _ = d.supports_response_mode("okta_post_message");
        let _ = d.supports_response_mode("fragment");
        let _ = d.id_token_signing_alg_values_supported();
        let _ = d.code_challenge_methods_supported();
        let _ = d.iss_parameter();
    }
    if let Some(s) = text(body) {
        let _ = discovery::issuer_shape(s);
        let _ = discovery::discovery_url(s);
    }
    let _ = discovery::derive_endpoints(config);
}

const RESPONSE_TYPES: [ResponseType; 5] = [
    ResponseType {
        code: true,
        id_token: false,
        token: false,
    },
    ResponseType {
        code: false,
        id_token: true,
        token: false,
    },
    ResponseType {
        code: false,
        id_token: true,
        token: true,
    },
    ResponseType {
        code: true,
        id_token: true,
        token: false,
    },
    ResponseType {
        code: true,
        id_token: true,
        token: true,
    },
];

/// `response::validate_authorization_response` for every response type and `iss` rule, with
/// what an accepted response must then carry.
fn validate_response(raw: &RawResponse) {
    for response_type in RESPONSE_TYPES {
        for iss_parameter in [IssParameter::CheckIfPresent, IssParameter::Required] {
            let expected = ExpectedResponse {
                state: STATE,
                issuer: ISSUER,
                response_type,
                iss_parameter,
            };
            let r = response::validate_authorization_response(raw, &expected);
            touch(&r);
            let Ok(cb) = r else { continue };
            let _ = format!("{cb:?}");
            assert_eq!(cb.state(), STATE);
            assert_eq!(cb.code().is_some(), response_type.code);
            assert_eq!(cb.id_token().is_some(), response_type.id_token);
            assert_eq!(cb.access_token().is_some(), response_type.token);
            assert_eq!(cb.token_type().is_some(), response_type.token);
            if let Some(t) = cb.token_type() {
                assert!(t.eq_ignore_ascii_case("bearer"));
            }
            for v in [cb.code(), cb.id_token(), cb.access_token()]
                .into_iter()
                .flatten()
            {
                assert!(!v.is_empty());
            }
            let _ = (cb.expires_in(), cb.scope());
            let names: Vec<&str> = raw.params.iter().map(|(n, _)| n.as_str()).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "a repeated parameter passed");
            assert!(!names.contains(&"error"), "an error response passed");
        }
    }
}

/// A redirect's `location.search` / `location.hash`: `RawResponse::from_query`,
/// `from_fragment`, `is_authorization_response`, then `validate_authorization_response`.
pub fn url_response(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let _ = response::is_authorization_response(s);
    for r in [RawResponse::from_query(s), RawResponse::from_fragment(s)] {
        touch(&r);
        if let Ok(raw) = r {
            validate_response(&raw);
        }
    }
}

/// A `postMessage` payload as the browser layer hands it over (`JSON.stringify` of
/// `event.data`): `json::parse`, `RawResponse::from_okta_post_message` and
/// `from_web_message`, then `validate_authorization_response`.
pub fn post_message(data: &[u8]) {
    let Ok(v) = json::parse(data) else { return };
    for r in [
        RawResponse::from_okta_post_message(&v),
        RawResponse::from_web_message(&v),
    ] {
        touch(&r);
        if let Ok(raw) = r {
            validate_response(&raw);
        }
    }
}

fn content_type(sel: u8) -> Option<&'static str> {
    [
        Some("application/json"),
        Some("application/json;charset=UTF-8"),
        Some("APPLICATION/JSON ; charset=utf-8"),
        Some("text/html"),
        Some("application/jwt"),
        Some("application/json-seq"),
        Some(""),
        None,
    ][usize::from(sel & 7)]
}

/// A token endpoint response: `<selector><body>`; the selector picks status and
/// `Content-Type`. Then `token::process_token_response` (and `http::error_from_response`,
/// `http::provider_error_in`), the response's accessors at extreme clocks, and
/// `restore_id_token` on its ID token.
pub fn token_response(data: &[u8]) {
    let (sel, body) = selector(data);
    let status = [200, 200, 200, 200, 400, 401, 500, 302][usize::from((sel >> 3) & 7)];
    let response = HttpResponse {
        status,
        content_type: content_type(sel),
        www_authenticate: None,
        body,
    };
    touch_error(&http::error_from_response(&response));
    if let Ok(v) = json::parse(body) {
        if let Some(e) = http::provider_error_in(&v) {
            touch_error(&e);
        }
    }
    // With a DPoP key (RFC 9449 §5) the token_type must be DPoP instead of Bearer.
    let jkt = "c_6TURx2uHQ4sakmur8zG7H_riNRM9NGAk1Z5Fvi58Q";
    if let Ok(t) = token::process_token_response(&response, Some(jkt)) {
        assert!(t.token_type().eq_ignore_ascii_case("DPoP"));
        assert_eq!(t.dpop_jkt(), Some(jkt));
    }
    let r = token::process_token_response(&response, None);
    touch(&r);
    let Ok(t) = r else { return };
    assert_eq!(status, 200);
    let _ = format!("{t:?}");
    assert!(t.token_type().eq_ignore_ascii_case("Bearer"));
    assert_eq!(t.dpop_jkt(), None);
    for token in [Some(t.access_token()), t.refresh_token()]
        .into_iter()
        .flatten()
    {
        assert!(!token.is_empty() && token.bytes().all(|b| (0x20..=0x7e).contains(&b)));
    }
    if let Some(scopes) = t.scopes() {
        assert!(
            scopes.iter().all(|s| !s.is_empty()),
            "an empty scope token passed"
        );
    }
    assert!(t.id_token() != Some(""));
    let _ = (
        t.token_type(),
        t.expires_in(),
        t.scope(),
        t.scopes(),
        t.refresh_token(),
    );
    for now in [NOW, 0, -1, i64::MIN, i64::MAX] {
        if let Some(at) = t.expires_at(now) {
            assert!(at >= now, "expires_at went back in time");
        }
    }
    if let Some(id) = t.id_token() {
        touch(&id_token::restore_id_token(id, ISSUER, CLIENT_ID));
    }
}

/// A `WWW-Authenticate` header value: `www_authenticate::parse_www_authenticate`, the
/// challenge's accessors and `to_error`, and the revoke/userinfo/introspect readers with a
/// 401 or 403 carrying it.
pub fn www_authenticate(data: &[u8]) {
    let Some(header) = text(data) else { return };
    let r = www_authenticate::parse_www_authenticate(header);
    touch(&r);
    if let Ok(Some(c)) = &r {
        let _ = (
            c.is_dpop(),
            c.realm(),
            c.scope(),
            c.error(),
            c.error_description(),
            c.error_uri(),
        );
        if let Some(e) = c.to_error() {
            touch_error(&e);
        }
    }
    for status in [401, 403] {
        let response = HttpResponse {
            status,
            content_type: Some("application/json"),
            www_authenticate: Some(header),
            body: br#"{"error":"invalid_token"}"#,
        };
        touch(&resource::process_revoke_response(&response));
        touch(&resource::process_userinfo_response(&response, SUB));
        touch(&resource::process_introspect_response(&response));
    }
}

/// A userinfo or introspection response: `<selector><WWW-Authenticate>\n<body>`; the
/// selector picks status, `Content-Type`, and whether the header is sent.
pub fn resource(data: &[u8]) {
    let (sel, rest) = selector(data);
    let (header, body) = line(rest);
    let Some(header) = text(header) else { return };
    let status = [200, 200, 200, 400, 401, 403, 500, 204][usize::from((sel >> 3) & 7)];
    let response = HttpResponse {
        status,
        content_type: content_type(sel),
        www_authenticate: (sel & 0x40 != 0).then_some(header),
        body,
    };
    let r = resource::process_userinfo_response(&response, SUB);
    touch(&r);
    if let Ok(u) = r {
        assert_eq!(u.sub(), SUB);
        assert!(u.claims().as_object().is_some());
        let _ = u.into_claims();
    }
    let r = resource::process_introspect_response(&response);
    touch(&r);
    if let Ok(i) = r {
        let _ = (
            i.active(),
            i.scope(),
            i.client_id(),
            i.username(),
            i.token_type(),
        );
        let _ = (
            i.exp(),
            i.iat(),
            i.nbf(),
            i.sub(),
            i.aud(),
            i.iss(),
            i.jti(),
            i.raw(),
        );
    }
    touch(&resource::process_revoke_response(&response));
}

/// A stored value (localStorage, sessionStorage, or the app's own storage):
/// `stored::parse_stored_tokens`; what it accepts must serialise and read back the same.
pub fn stored(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let r = stored::parse_stored_tokens(s, ISSUER, CLIENT_ID);
    touch(&r);
    let Ok(tokens) = r else { return };
    let again = stored::serialize_stored_tokens(&tokens, ISSUER, CLIENT_ID);
    let back = stored::parse_stored_tokens(&again, ISSUER, CLIENT_ID)
        .unwrap_or_else(|e| panic!("a re-serialised value was refused: {e:?}\n{again}"));
    assert_eq!(back, tokens, "the stored value changed in a round trip");
    // Stored for this client and issuer: refused for another.
    assert!(stored::parse_stored_tokens(s, ISSUER, "0oa-other-client").is_err());
    let _ = stored::storage_key(ISSUER, CLIENT_ID);
}

/// URLs (endpoints from discovery, the page's own location): `url::parse_http_url`; the
/// parts it returns must put the input back together.
pub fn url(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(p) = url::parse_http_url(s) else {
        return;
    };
    let _ = (p.is_https(), p.is_loopback());
    let mut whole = String::new();
    whole.push_str(p.scheme);
    whole.push_str("://");
    if let Some(u) = p.userinfo {
        whole.push_str(u);
        whole.push('@');
    }
    whole.push_str(p.host);
    if let Some(port) = p.port {
        whole.push(':');
        whole.push_str(port);
        assert!(port.parse::<u16>().is_ok(), "port {port:?} is not 0-65535");
    }
    whole.push_str(p.path);
    if let Some(q) = p.query {
        whole.push('?');
        whole.push_str(q);
    }
    if let Some(f) = p.fragment {
        whole.push('#');
        whole.push_str(f);
    }
    assert_eq!(whole, s, "the parts do not make up the URL");
    assert!(!p.host.is_empty());
}

/// base64url and form encoding: strict decoding means one encoding per byte string, so
/// `encode(decode(s)) == s`; and form pairs survive `serialize` then `parse`.
pub fn encoding(data: &[u8]) {
    let b64 = base64url::encode(data);
    assert_eq!(base64url::decode(&b64).as_deref(), Some(data));
    let Some(s) = text(data) else { return };
    if let Some(bytes) = base64url::decode(s) {
        assert_eq!(
            base64url::encode(&bytes),
            s,
            "two encodings decode to the same bytes"
        );
    }
    if let Ok(pairs) = form::parse(s) {
        let again = form::serialize(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        assert_eq!(
            form::parse(&again).ok(),
            Some(pairs),
            "form pairs changed in a round trip"
        );
    }
    if let Ok(d) = form::decode(s) {
        let mut e = String::new();
        form::encode_into(&mut e, &d);
        assert_eq!(form::decode(&e).ok(), Some(d));
    }
}

/// The core's door (`okta_auth_wasm::abi`) as the shell calls it, with arbitrary arguments:
/// the first byte picks the function, bit 0 of the second puts a valid normalized
/// configuration first (so the functions get past it), and the rest is split at 0xff into
/// the arguments (text, bytes or numbers, as each function reads them). Besides never
/// panicking: the answer is text (but for jws_parts' bytes, whose layout is checked), and an error
/// has its code, message and description.
pub fn core(data: &[u8]) {
    use okta_auth_wasm::abi::{okta_buf, okta_call, okta_out, FUNCTIONS};
    let (pick, rest) = selector(data);
    let (flags, rest) = selector(rest);
    let function = usize::from(pick) % FUNCTIONS.len();
    let name = FUNCTIONS[function];
    let mut args: Vec<Vec<u8>> = Vec::new();
    if flags & 1 == 1 {
        args.push(normalized_config().as_bytes().to_vec());
    }
    args.extend(rest.split(|b| *b == 0xff).map(<[u8]>::to_vec));
    let mut input = Vec::new();
    for a in &args {
        input.extend_from_slice(&(a.len() as u32).to_le_bytes());
        input.extend_from_slice(a);
    }
    // SAFETY: the door's buffers are the crate's statics; this harness is their only user
    // (one thread), and each pointer is used before the next call of the door.
    let answer = unsafe {
        let at = okta_buf(input.len() as u32);
        std::ptr::copy_nonoverlapping(input.as_ptr(), at, input.len());
        let len = okta_call(function as u32) as usize;
        std::slice::from_raw_parts(okta_out(), len).to_vec()
    };
    if name == "jws_parts" && answer.first() == Some(&0) {
        // Its one answer in bytes: 0, the signature's length, the signature, the signing input.
        let len = answer
            .get(1..5)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap()) as usize);
        let len = len.expect("jws_parts answered without the signature's length");
        assert!(
            5 + len <= answer.len(),
            "jws_parts: the signature runs past the answer"
        );
        assert!(len > 0, "jws_parts: an empty signature");
        return;
    }
    let answer = String::from_utf8(answer).expect("the core answered with text that is not UTF-8");
    if let Some(error) = answer.strip_prefix('\u{1}') {
        let fields: Vec<&str> = error.split('\u{1}').collect();
        assert!(
            fields.len() >= 3,
            "an error without code, message and description: {answer:?}"
        );
        assert!(!fields[0].is_empty(), "an error without a code: {answer:?}");
    }
}

/// What `configure` writes for the harnesses' client.
fn normalized_config() -> &'static str {
    static CONFIG: OnceLock<String> = OnceLock::new();
    CONFIG.get_or_init(|| {
        okta_auth_wasm::exports::configure(&format!(
            r#"{{"issuer":"{ISSUER}","clientId":"{CLIENT_ID}","redirectUri":"https://app.example/callback","scopes":["openid","offline_access"]}}"#
        ))
    })
}
