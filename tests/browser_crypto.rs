//! Layer 2 for `browser::crypto` and the JWKS half of `browser::provider`: RS256 with
//! WebCrypto in headless Chromium, against the RFC 7515 A.2, OpenID Connect Core Appendix A
//! and Wycheproof vectors, the JWK set's cache and refetch rules, and the facade's
//! `verifyIdToken`.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Array, Object, Promise, JSON};
use okta_auth_wasm::api::{AuthClient, AuthConfigJs};
use okta_auth_wasm::browser::client::Client;
use okta_auth_wasm::browser::crypto::{import_rs256_key, verify_jwt, verify_rs256, KeyCache};
use okta_auth_wasm::browser::provider::verify_id_token;
use okta_auth_wasm::protocol::base64url;
use okta_auth_wasm::protocol::config::{
    ClientConfig, Endpoint, PopupResponseMode, ResponseType, StorageKind,
};
use okta_auth_wasm::protocol::id_token::{Expect, IdTokenExpectations, IdTokenSource};
use okta_auth_wasm::protocol::json::{self, Value};
use okta_auth_wasm::protocol::jwks::{parse_jwks, select_jwk};
use okta_auth_wasm::protocol::jwt::parse_compact_jws;
use okta_auth_wasm::protocol::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use support::*;

wasm_bindgen_test_configure!(run_in_browser);

const RFC7515: &str = include_str!("vectors/rfc7515-a2-rs256.json");
const OIDC: &str = include_str!("vectors/oidc-core-appendix-a.json");
const WYCHEPROOF: &str = include_str!("vectors/wycheproof-rsa_signature_2048_sha256_test.json");

/// A fixed clock for the tokens signed here (2023-11-14).
const NOW: i64 = 1_700_000_000;
const CLIENT_ID: &str = "0oa1spa";
const NONCE: &str = "n-0S6_WzA2Mj";

#[wasm_bindgen(inline_js = r#"
export function sign(signer, payload, header) {
  return signer.sign(payload, header === null ? undefined : header);
}
export function signerJwk(signer) { return signer.jwk; }
export function jwksOf(signers) { return { keys: signers.map((s) => s.jwk) }; }
export function route(status, contentType, body) {
  return { status, headers: { 'content-type': contentType }, body };
}
// A route whose response the test changes while the client runs: holder.current.
export function switchable(holder) { return () => holder.current; }
export function config(issuer) {
  return { issuer, clientId: '0oa1spa', redirectUri: 'https://app.example/callback' };
}
// Counts crypto.subtle.importKey and verify calls until the returned function is called,
// which restores them and returns [imports, verifies].
export function spySubtle() {
  const s = crypto.subtle;
  const { importKey, verify } = s;
  let imports = 0, verifies = 0;
  s.importKey = function (...a) { imports += 1; return importKey.apply(s, a); };
  s.verify = function (...a) { verifies += 1; return verify.apply(s, a); };
  return () => { delete s.importKey; delete s.verify; return [imports, verifies]; };
}
// Makes importKey reject as WebCrypto does for a key it refuses, until the returned
// function is called.
export function refuseImports() {
  const s = crypto.subtle;
  s.importKey = () => Promise.reject(new DOMException('refused', 'DataError'));
  return () => { delete s.importKey; };
}
export function authErrorCode(e) {
  return e instanceof Error && e.name === 'AuthError' ? e.code : undefined;
}
"#)]
extern "C" {
    fn sign(signer: &JsValue, payload: &JsValue, header: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = signerJwk)]
    fn signer_jwk(signer: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = jwksOf)]
    fn jwks_of(signers: &Array) -> JsValue;
    fn route(status: u16, content_type: &str, body: &JsValue) -> JsValue;
    fn switchable(holder: &JsValue) -> JsValue;
    fn config(issuer: &str) -> AuthConfigJs;
    #[wasm_bindgen(js_name = spySubtle)]
    fn spy_subtle() -> js_sys::Function;
    #[wasm_bindgen(js_name = refuseImports)]
    fn refuse_imports() -> js_sys::Function;
    #[wasm_bindgen(js_name = authErrorCode)]
    fn auth_error_code(e: &JsValue) -> JsValue;
}

// ---- helpers ---------------------------------------------------------------------------

fn json_route(body: &JsValue) -> JsValue {
    route(200, "application/json", body)
}

/// How many requests went to `url` since `mockFetch`.
fn fetches_of(url: &str) -> usize {
    fetch_log()
        .iter()
        .filter(|entry| prop(entry, "url").as_string().as_deref() == Some(url))
        .count()
}

fn vector(text: &str) -> Value {
    json::parse(text.as_bytes()).unwrap()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// `token` with one bit of its signature flipped (in the middle, so the length stays).
fn flip_signature_bit(token: &str) -> String {
    let (input, signature) = token.rsplit_once('.').unwrap();
    let mut sig = base64url::decode(signature).unwrap();
    let middle = sig.len() / 2;
    sig[middle] ^= 0x01;
    format!("{input}.{}", base64url::encode(&sig))
}

/// A client for `issuer` whose authorize/token/keys endpoints are overridden under
/// `base`, so that no discovery is needed. Built as a struct literal: this bypasses
/// `validate_config` on purpose, for the OpenID Connect Core Appendix A issuer
/// `http://server.example.com`, which is plain http on a non-loopback host.
fn client_without_validation(issuer: &str, client_id: &str, base: &str) -> Client {
    let mut endpoints: [Option<String>; Endpoint::ALL.len()] = Default::default();
    endpoints[Endpoint::Authorize as usize] = Some(format!("{base}/authorize"));
    endpoints[Endpoint::Token as usize] = Some(format!("{base}/token"));
    endpoints[Endpoint::Keys as usize] = Some(format!("{base}/keys"));
    Client::new(ClientConfig {
        issuer: issuer.into(),
        client_id: client_id.into(),
        redirect_uri: "https://app.example/callback".into(),
        post_logout_redirect_uri: None,
        scopes: vec!["openid".into()],
        response_type: ResponseType {
            code: true,
            id_token: false,
            token: false,
        },
        storage: StorageKind::Memory,
        clock_skew_seconds: 300,
        expire_early_seconds: 30,
        popup_timeout_ms: 120_000,
        silent_timeout_ms: 10_000,
        http_timeout_ms: 30_000,
        popup_response_mode: PopupResponseMode::OktaPostMessage,
        endpoints,
        auto_renew: false,
    })
}

/// A validated client for the https `issuer`, its keys at `{issuer}/keys` (no discovery).
fn client(issuer: &str) -> Client {
    let mut input = config_input(issuer, CLIENT_ID, "https://app.example/callback");
    for (endpoint, path) in [
        (Endpoint::Authorize, "/authorize"),
        (Endpoint::Token, "/token"),
        (Endpoint::Keys, "/keys"),
    ] {
        input.endpoints[endpoint as usize] = Some(format!("{issuer}{path}"));
    }
    validated_client(input)
}

/// A validated client for `issuer` that has to use discovery.
fn discovering_client(issuer: &str) -> Client {
    validated_client(config_input(
        issuer,
        CLIENT_ID,
        "https://app.example/callback",
    ))
}

fn claims_for(issuer: &str, now: i64) -> JsValue {
    JSON::parse(&format!(
        r#"{{"iss":"{issuer}","sub":"alice","aud":"{CLIENT_ID}","nonce":"{NONCE}","iat":{now},"exp":{}}}"#,
        now + 3600
    ))
    .unwrap()
}

/// A fresh ID token for `issuer`, signed by `signer` with the header `{alg: RS256, kid,
/// typ: JWT}` of the signer's kid (or `header`, a JSON text, if given).
async fn token(signer: &JsValue, issuer: &str, header: Option<&str>) -> String {
    let header = header.map_or(JsValue::NULL, |h| JSON::parse(h).unwrap());
    wait(sign(signer, &claims_for(issuer, NOW), &header))
        .await
        .as_string()
        .unwrap()
}

fn jwks_route(signers: &[&JsValue]) -> JsValue {
    let list: Array = signers.iter().copied().collect();
    json_route(&jwks_of(&list))
}

/// Serves `keys` with what the returned holder's `current` is (`first` to begin with), for
/// a test that changes the provider's answer while the client runs.
fn serve_switchable(keys: &str, first: &JsValue) -> JsValue {
    let holder: JsValue = Object::new().into();
    set(&holder, "current", first);
    mock_fetch(&js_obj(&[(keys, switchable(&holder))]));
    holder
}

async fn verify(client: &Client, token: &str, now: i64) -> Result<String, Error> {
    let source = IdTokenSource::TokenResponse {
        nonce: Expect::Value(NONCE),
        access_token: None,
    };
    let expected = IdTokenExpectations::new(&client.config, source);
    verify_id_token(client, token, &expected, now)
        .await
        .map(|claims| claims.sub().to_owned())
}

fn code_of<T: std::fmt::Debug>(r: Result<T, Error>) -> &'static str {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.code(),
    }
}

// ---- RFC 7515 A.2 ----------------------------------------------------------------------

async fn verify_rfc7515(compact: &str) -> Result<Vec<u8>, Error> {
    let v = vector(RFC7515);
    let jwk = v.get("jwk").unwrap();
    let jwks = format!(
        r#"{{"keys":[{{"kty":"RSA","n":"{}","e":"{}"}}]}}"#,
        text(jwk, "n"),
        text(jwk, "e")
    );
    let set = parse_jwks(jwks.as_bytes()).unwrap();
    let jwt = parse_compact_jws(compact)?;
    let key = select_jwk(&set, jwt.header())?;
    let verified = verify_jwt(&KeyCache::default(), "joe", &key, jwt).await?;
    Ok(verified.payload_bytes().to_vec())
}

#[wasm_bindgen_test]
async fn rfc7515_a2_verifies_over_the_received_bytes_with_cr_lf() {
    let v = vector(RFC7515);
    let payload = verify_rfc7515(text(&v, "compact")).await.unwrap();
    assert_eq!(
        payload,
        b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
    );
}

#[wasm_bindgen_test]
async fn rfc7515_a2_with_one_signature_bit_flipped_is_invalid_signature() {
    let v = vector(RFC7515);
    let tampered = flip_signature_bit(text(&v, "compact"));
    assert_eq!(
        verify_rfc7515(&tampered).await,
        Err(Error::InvalidSignature)
    );
}

// ---- OpenID Connect Core 1.0 Appendix A -----------------------------------------------

/// Each Appendix A token with the source its response type gives it: A.2 alone (implicit
/// `id_token`), A.3 with its access token (`at_hash`), A.6 with its code (`c_hash`).
async fn verify_appendix_a(
    name: &str,
    token: &str,
    nonce: &str,
    now: i64,
) -> Result<String, Error> {
    let v = vector(OIDC);
    let hashes = v.get("hashes").and_then(Value::as_array).unwrap();
    let input_of = |claim: &str| {
        hashes
            .iter()
            .find(|h| text(h, "claim") == claim)
            .map(|h| text(h, "input"))
    };
    let (access_token, code) = match name {
        "A.2" => (None, None),
        n if n.starts_with("A.3") => (input_of("at_hash"), None),
        n if n.starts_with("A.6") => (None, input_of("c_hash")),
        other => panic!("unexpected vector {other}"),
    };
    // One client per token: nothing cached carries over.
    let client = client_without_validation(
        text(&v, "issuer"),
        text(&v, "client_id"),
        "https://server.example.com",
    );
    let source = IdTokenSource::AuthorizationResponse {
        nonce,
        access_token,
        code,
    };
    let expected = IdTokenExpectations::new(&client.config, source);
    verify_id_token(&client, token, &expected, now)
        .await
        .map(|claims| claims.sub().to_owned())
}

fn serve_appendix_a_jwks() {
    let v = JSON::parse(OIDC).unwrap();
    mock_fetch(&js_obj(&[(
        "https://server.example.com/keys",
        json_route(&prop(&v, "jwks")),
    )]));
}

fn appendix_a_tokens() -> Vec<(String, String)> {
    let v = vector(OIDC);
    v.get("id_tokens")
        .and_then(Value::as_object)
        .unwrap()
        .iter()
        .map(|(name, t)| (name.clone(), t.as_str().unwrap().to_owned()))
        .collect()
}

fn appendix_a_times() -> (i64, i64, String) {
    let v = vector(OIDC);
    (
        v.get("iat").and_then(Value::as_i64).unwrap(),
        v.get("exp").and_then(Value::as_i64).unwrap(),
        text(&v, "nonce").to_owned(),
    )
}

#[wasm_bindgen_test]
async fn oidc_core_appendix_a_tokens_verify_with_the_clock_inside_iat_exp() {
    let (iat, exp, nonce) = appendix_a_times();
    serve_appendix_a_jwks();
    let tokens = appendix_a_tokens();
    assert_eq!(tokens.len(), 3);
    for (name, token) in &tokens {
        for now in [iat, (iat + exp) / 2, exp] {
            assert_eq!(
                verify_appendix_a(name, token, &nonce, now).await,
                Ok("248289761001".to_owned()),
                "{name} at {now}"
            );
        }
    }
    // A new client per call, so each fetched the JWK set once.
    assert_eq!(fetches_of("https://server.example.com/keys"), 9);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn oidc_core_appendix_a_tokens_after_exp_and_the_skew_are_expired() {
    let (_, exp, nonce) = appendix_a_times();
    serve_appendix_a_jwks();
    for (name, token) in appendix_a_tokens() {
        let r = verify_appendix_a(&name, &token, &nonce, exp + 301).await;
        assert_eq!(code_of(r), "expired", "{name}");
    }
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn oidc_core_appendix_a_tokens_with_another_nonce_are_nonce_mismatch() {
    let (iat, _, _) = appendix_a_times();
    serve_appendix_a_jwks();
    for (name, token) in appendix_a_tokens() {
        let r = verify_appendix_a(&name, &token, "another-nonce", iat).await;
        assert_eq!(code_of(r), "nonce_mismatch", "{name}");
    }
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn oidc_core_appendix_a_tokens_with_one_flipped_signature_byte_are_invalid_signature() {
    let (iat, _, nonce) = appendix_a_times();
    serve_appendix_a_jwks();
    for (name, token) in appendix_a_tokens() {
        let r = verify_appendix_a(&name, &flip_signature_bit(&token), &nonce, iat).await;
        assert_eq!(code_of(r), "invalid_signature", "{name}");
    }
    unmock_fetch();
}

// ---- Wycheproof RSASSA-PKCS1-v1_5 2048 SHA-256 -----------------------------------------

/// Every case of `wycheproof-rsa_signature_2048_sha256_test.json`: each group's key goes
/// through `parse_jwks` + `select_jwk` (so the key-strength rules apply), then each case's
/// raw message through `verify_rs256`. "valid" must verify, "invalid" must not,
/// "acceptable" may do either. The two groups with e = 3 are refused by the key-strength
/// rule (e must be at least 65537, FIPS 186-5 §A.1.1) before WebCrypto sees them: their
/// cases are counted as refused, never verified.
#[wasm_bindgen_test]
async fn wycheproof_rs256_valid_cases_verify_invalid_ones_do_not_and_e3_keys_are_refused_by_the_strength_rule(
) {
    let w = vector(WYCHEPROOF);
    let groups = w.get("testGroups").and_then(Value::as_array).unwrap();
    let (mut verified, mut rejected, mut rejected_by_webcrypto_error, mut refused) = (0, 0, 0, 0);
    let (mut acceptable_verified, mut total) = (0, 0);
    for group in groups {
        let jwk = group.get("keyJwk").unwrap();
        let jwks = format!(
            r#"{{"keys":[{{"kty":"RSA","kid":"{}","alg":"RS256","n":"{}","e":"{}"}}]}}"#,
            text(jwk, "kid"),
            text(jwk, "n"),
            text(jwk, "e")
        );
        let set = parse_jwks(jwks.as_bytes()).unwrap();
        let header_token = format!(
            "{}.{}.c2ln",
            base64url::encode(
                format!(r#"{{"alg":"RS256","kid":"{}"}}"#, text(jwk, "kid")).as_bytes()
            ),
            base64url::encode(b"{}")
        );
        let header_jwt = parse_compact_jws(&header_token).unwrap();
        let tests = group.get("tests").and_then(Value::as_array).unwrap();
        total += tests.len();
        let key = match select_jwk(&set, header_jwt.header()) {
            Ok(key) => import_rs256_key(&key).await.unwrap(),
            Err(e) => {
                assert_eq!(text(jwk, "e"), "Aw", "only the e=3 keys are refused");
                assert_eq!(
                    e,
                    Error::InvalidResponse {
                        context: "JWK set",
                        problem: "an RSA key's e is below 65537 (FIPS 186-5 §A.1.1)"
                    }
                );
                refused += tests.len();
                continue;
            }
        };
        for case in tests {
            let id = case.get("tcId").and_then(Value::as_i64).unwrap();
            let msg = hex(text(case, "msg"));
            let sig = hex(text(case, "sig"));
            let outcome = verify_rs256(&key, &msg, &sig).await;
            match (text(case, "result"), outcome) {
                ("valid", Ok(true)) => verified += 1,
                ("valid", other) => panic!("tcId {id}: valid case gave {other:?}"),
                ("invalid", Ok(false)) => rejected += 1,
                ("invalid", Err(Error::Crypto { .. })) => rejected_by_webcrypto_error += 1,
                ("invalid", other) => panic!("tcId {id}: invalid case gave {other:?}"),
                ("acceptable", Ok(true)) => {
                    verified += 1;
                    acceptable_verified += 1;
                }
                ("acceptable", Ok(false)) => rejected += 1,
                (result, other) => panic!("tcId {id}: {result} case gave {other:?}"),
            }
        }
    }
    console_log!(
        "wycheproof: {total} cases, {verified} verified ({acceptable_verified} acceptable), \
         {rejected} rejected by verify, {rejected_by_webcrypto_error} rejected as WebCrypto \
         errors, {refused} refused by the e >= 65537 rule"
    );
    assert_eq!(total, 259);
    assert_eq!(refused, 2);
    assert_eq!(
        verified + rejected + rejected_by_webcrypto_error + refused,
        259
    );
    // 7 valid; the one acceptable case (tcId 8, MissingNull) is Chromium's choice.
    assert_eq!(verified - acceptable_verified, 7);
    assert_eq!(rejected + acceptable_verified, 250);
    // Chromium answers `false` for every bad signature, never a rejected promise: a forged
    // token is `invalid_signature`, not `crypto_error`.
    assert_eq!(rejected_by_webcrypto_error, 0);
}

// ---- the JWK set: cache, rotation, failures ---------------------------------------------

#[wasm_bindgen_test]
async fn unknown_kid_refetches_the_jwks_once_and_accepts_the_rotated_key() {
    let issuer = "https://rotation.example";
    let keys = "https://rotation.example/keys";
    let (a, b) = (signer("key-a").await, signer("key-b").await);
    let holder = serve_switchable(keys, &jwks_route(&[&a]));
    let client = client(issuer);

    assert_eq!(
        verify(&client, &token(&a, issuer, None).await, NOW).await,
        Ok("alice".into())
    );
    assert_eq!(fetches_of(keys), 1);
    // The provider rotates: key-b is published and signs from now on.
    set(&holder, "current", &jwks_route(&[&a, &b]));
    assert_eq!(
        verify(&client, &token(&b, issuer, None).await, NOW).await,
        Ok("alice".into())
    );
    assert_eq!(fetches_of(keys), 2);
    // Both keys are now known: no more requests.
    assert_eq!(
        verify(&client, &token(&a, issuer, None).await, NOW).await,
        Ok("alice".into())
    );
    assert_eq!(
        verify(&client, &token(&b, issuer, None).await, NOW).await,
        Ok("alice".into())
    );
    assert_eq!(fetches_of(keys), 2);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn unknown_kid_twice_within_60_s_refetches_only_once_then_key_not_found() {
    let issuer = "https://forged-kid.example";
    let keys = "https://forged-kid.example/keys";
    let (a, ghost) = (signer("key-a").await, signer("ghost").await);
    mock_fetch(&js_obj(&[(keys, jwks_route(&[&a]))]));
    let client = client(issuer);
    assert!(verify(&client, &token(&a, issuer, None).await, NOW)
        .await
        .is_ok());
    assert_eq!(fetches_of(keys), 1);

    let forged = token(&ghost, issuer, None).await;
    let r = verify(&client, &forged, NOW + 1).await;
    assert_eq!(
        r,
        Err(Error::KeyNotFound {
            kid: Some("ghost".into())
        })
    );
    assert_eq!(fetches_of(keys), 2, "one refetch for the unknown kid");
    let r = verify(&client, &forged, NOW + 60).await;
    assert_eq!(code_of(r), "key_not_found");
    assert_eq!(fetches_of(keys), 2, "no second refetch within 60 s");
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn unknown_kid_60_s_after_the_last_refetch_may_refetch_again() {
    let issuer = "https://late-rotation.example";
    let keys = "https://late-rotation.example/keys";
    let (a, b) = (signer("key-a").await, signer("key-b").await);
    let holder = serve_switchable(keys, &jwks_route(&[&a]));
    let client = client(issuer);
    assert!(verify(&client, &token(&a, issuer, None).await, NOW)
        .await
        .is_ok());

    let early = token(&b, issuer, None).await;
    assert_eq!(
        code_of(verify(&client, &early, NOW + 10).await),
        "key_not_found"
    );
    assert_eq!(fetches_of(keys), 2);
    set(&holder, "current", &jwks_route(&[&a, &b]));
    assert_eq!(
        code_of(verify(&client, &early, NOW + 69).await),
        "key_not_found"
    );
    assert_eq!(fetches_of(keys), 2);
    assert_eq!(verify(&client, &early, NOW + 70).await, Ok("alice".into()));
    assert_eq!(fetches_of(keys), 3);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn unknown_kid_on_a_cold_cache_fetches_the_jwks_only_once() {
    let issuer = "https://cold.example";
    let keys = "https://cold.example/keys";
    let (a, ghost) = (signer("key-a").await, signer("ghost").await);
    mock_fetch(&js_obj(&[(keys, jwks_route(&[&a]))]));
    let client = client(issuer);
    let r = verify(&client, &token(&ghost, issuer, None).await, NOW).await;
    assert_eq!(code_of(r), "key_not_found");
    assert_eq!(fetches_of(keys), 1, "the set was just fetched: no refetch");
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn key_reissued_under_the_same_kid_replaces_the_old_one_once_the_set_is_refetched() {
    let issuer = "https://reissued.example";
    let keys = "https://reissued.example/keys";
    let (old, new) = (signer("k1").await, signer("k1").await);
    let holder = serve_switchable(keys, &jwks_route(&[&old]));
    let client = client(issuer);
    let (old_token, new_token) = (
        token(&old, issuer, None).await,
        token(&new, issuer, None).await,
    );
    assert!(verify(&client, &old_token, NOW).await.is_ok());

    set(&holder, "current", &jwks_route(&[&new]));
    // The cached set is used for up to 600 s; then it is fetched again.
    assert_eq!(
        code_of(verify(&client, &new_token, NOW + 1).await),
        "invalid_signature"
    );
    assert_eq!(fetches_of(keys), 1);
    assert_eq!(
        verify(&client, &new_token, NOW + 600).await,
        Ok("alice".into())
    );
    assert_eq!(fetches_of(keys), 2);
    // The key imported for k1 before is no longer trusted.
    assert_eq!(
        code_of(verify(&client, &old_token, NOW + 601).await),
        "invalid_signature"
    );
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn token_signed_by_another_key_with_the_same_kid_is_invalid_signature() {
    let issuer = "https://same-kid.example";
    let keys = "https://same-kid.example/keys";
    let (real, impostor) = (signer("k1").await, signer("k1").await);
    mock_fetch(&js_obj(&[(keys, jwks_route(&[&real]))]));
    let client = client(issuer);
    let r = verify(&client, &token(&impostor, issuer, None).await, NOW).await;
    assert_eq!(r, Err(Error::InvalidSignature));
    unmock_fetch();
}

fn unsigned_token(header: &str) -> String {
    let payload = format!(
        r#"{{"iss":"https://alg.example","sub":"alice","aud":"{CLIENT_ID}","iat":{NOW},"exp":{}}}"#,
        NOW + 3600
    );
    format!(
        "{}.{}.{}",
        base64url::encode(header.as_bytes()),
        base64url::encode(payload.as_bytes()),
        base64url::encode(b"not a signature")
    )
}

#[wasm_bindgen_test]
async fn alg_none_token_is_unsupported_alg_before_any_fetch() {
    mock_fetch(&js_obj(&[]));
    // This issuer needs discovery: any request would show in the log.
    let client = discovering_client("https://alg.example");
    let r = verify(&client, &unsigned_token(r#"{"alg":"none"}"#), NOW).await;
    assert_eq!(r, Err(Error::UnsupportedAlg { alg: "none".into() }));
    assert_eq!(fetch_log().length(), 0);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn hs256_token_is_unsupported_alg_before_any_fetch() {
    mock_fetch(&js_obj(&[]));
    let client = discovering_client("https://alg.example");
    let r = verify(
        &client,
        &unsigned_token(r#"{"alg":"HS256","kid":"k1"}"#),
        NOW,
    )
    .await;
    assert_eq!(
        r,
        Err(Error::UnsupportedAlg {
            alg: "HS256".into()
        })
    );
    assert_eq!(fetch_log().length(), 0);
    unmock_fetch();
}

async fn jwks_failure(issuer: &str, handler: JsValue) -> Result<String, Error> {
    let a = signer("key-a").await;
    mock_fetch(&js_obj(&[(&format!("{issuer}/keys"), handler)]));
    let r = verify(&client(issuer), &token(&a, issuer, None).await, NOW).await;
    unmock_fetch();
    r
}

#[wasm_bindgen_test]
async fn jwks_served_as_text_html_is_invalid_response() {
    let body = JSON::parse(r#"{"keys":[]}"#).unwrap();
    let r = jwks_failure("https://html-jwks.example", route(200, "text/html", &body)).await;
    assert_eq!(
        r,
        Err(Error::InvalidResponse {
            context: "JWK set",
            problem: "Content-Type is not application/json or application/jwk-set+json"
        })
    );
}

#[wasm_bindgen_test]
async fn jwks_served_as_jwk_set_json_is_accepted() {
    let issuer = "https://jwk-set-json.example";
    let a = signer("key-a").await;
    let list: Array = [&a].into_iter().collect();
    let handler = route(
        200,
        "application/jwk-set+json; charset=utf-8",
        &jwks_of(&list),
    );
    mock_fetch(&js_obj(&[("https://jwk-set-json.example/keys", handler)]));
    let r = verify(&client(issuer), &token(&a, issuer, None).await, NOW).await;
    assert_eq!(r, Ok("alice".into()));
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn jwks_that_is_not_json_is_invalid_response() {
    let body = JsValue::from_str("{\"keys\": [");
    let r = jwks_failure("https://bad-json.example", json_route(&body)).await;
    assert_eq!(
        r,
        Err(Error::InvalidResponse {
            context: "JWK set",
            problem: "is not valid JSON"
        })
    );
}

#[wasm_bindgen_test]
async fn jwks_network_error_is_network_error() {
    let r = jwks_failure(
        "https://offline.example",
        JsValue::from_str("network-error"),
    )
    .await;
    assert_eq!(r, Err(Error::Network { context: "JWK set" }));
}

#[wasm_bindgen_test]
async fn jwks_status_500_without_error_body_is_unexpected_status() {
    let body = JsValue::from_str("<h1>oops</h1>");
    let r = jwks_failure("https://jwks-500.example", route(500, "text/html", &body)).await;
    assert_eq!(r, Err(Error::UnexpectedStatus { status: 500 }));
}

#[wasm_bindgen_test]
async fn jwks_status_500_with_oauth_error_body_is_that_provider_error() {
    let body = JSON::parse(r#"{"error":"server_error","error_description":"down"}"#).unwrap();
    let r = jwks_failure(
        "https://jwks-500-body.example",
        route(500, "application/json", &body),
    )
    .await;
    assert_eq!(code_of(r.clone()), "server_error");
    assert_eq!(
        r,
        Err(Error::Provider {
            error: "server_error".into(),
            description: Some("down".into())
        })
    );
}

#[wasm_bindgen_test]
async fn failed_jwks_fetch_is_not_cached() {
    let issuer = "https://flaky.example";
    let keys = "https://flaky.example/keys";
    let a = signer("key-a").await;
    let holder = serve_switchable(keys, &JsValue::from_str("network-error"));
    let client = client(issuer);
    let t = token(&a, issuer, None).await;
    assert_eq!(code_of(verify(&client, &t, NOW).await), "network_error");
    set(&holder, "current", &jwks_route(&[&a]));
    assert_eq!(verify(&client, &t, NOW).await, Ok("alice".into()));
    assert_eq!(fetches_of(keys), 2);
    unmock_fetch();
}

// ---- discovery ---------------------------------------------------------------------------

fn discovery_doc(issuer: &str, extra: &str) -> JsValue {
    JSON::parse(&format!(
        r#"{{"issuer":"{issuer}","authorization_endpoint":"{issuer}/authorize","token_endpoint":"{issuer}/token","jwks_uri":"{issuer}/keys"{extra}}}"#
    ))
    .unwrap()
}

#[wasm_bindgen_test]
async fn discovery_served_as_text_html_is_invalid_response() {
    let issuer = "https://html-discovery.example";
    let a = signer("key-a").await;
    mock_fetch(&js_obj(&[(
        "https://html-discovery.example/.well-known/openid-configuration",
        route(200, "text/html", &discovery_doc(issuer, "")),
    )]));
    let r = verify(
        &discovering_client(issuer),
        &token(&a, issuer, None).await,
        NOW,
    )
    .await;
    assert_eq!(
        r,
        Err(Error::InvalidResponse {
            context: "discovery document",
            problem: "Content-Type is not application/json"
        })
    );
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn rs256_token_is_unsupported_alg_when_discovery_lists_only_other_algs() {
    let issuer = "https://es256-only.example";
    let a = signer("key-a").await;
    mock_fetch(&js_obj(&[
        (
            "https://es256-only.example/.well-known/openid-configuration",
            json_route(&discovery_doc(
                issuer,
                r#","id_token_signing_alg_values_supported":["ES256"]"#,
            )),
        ),
        ("https://es256-only.example/keys", jwks_route(&[&a])),
    ]));
    let r = verify(
        &discovering_client(issuer),
        &token(&a, issuer, None).await,
        NOW,
    )
    .await;
    assert_eq!(
        r,
        Err(Error::UnsupportedAlg {
            alg: "RS256".into()
        })
    );
    assert_eq!(fetches_of("https://es256-only.example/keys"), 0);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn discovered_jwks_uri_verifies_when_discovery_lists_rs256() {
    let issuer = "https://discovered.example";
    let a = signer("key-a").await;
    mock_fetch(&js_obj(&[
        (
            "https://discovered.example/.well-known/openid-configuration",
            json_route(&discovery_doc(
                issuer,
                r#","id_token_signing_alg_values_supported":["RS256","ES256"]"#,
            )),
        ),
        ("https://discovered.example/keys", jwks_route(&[&a])),
    ]));
    let client = discovering_client(issuer);
    let t = token(&a, issuer, None).await;
    assert_eq!(verify(&client, &t, NOW).await, Ok("alice".into()));
    assert_eq!(verify(&client, &t, NOW).await, Ok("alice".into()));
    assert_eq!(fetch_log().length(), 2, "discovery and JWK set, once each");
    unmock_fetch();
}

// ---- WebCrypto -----------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn warm_verification_imports_the_key_once_and_calls_verify_once() {
    let issuer = "https://warm.example";
    let a = signer("key-a").await;
    mock_fetch(&js_obj(&[("https://warm.example/keys", jwks_route(&[&a]))]));
    let client = client(issuer);
    let t = token(&a, issuer, None).await;
    let stop = spy_subtle();
    for _ in 0..3 {
        assert_eq!(verify(&client, &t, NOW).await, Ok("alice".into()));
    }
    let counts = Array::from(&stop.call0(&JsValue::NULL).unwrap());
    assert_eq!(counts.get(0).as_f64(), Some(1.0), "importKey calls");
    assert_eq!(counts.get(1).as_f64(), Some(3.0), "verify calls");
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn key_webcrypto_refuses_to_import_is_crypto_error_and_is_not_cached() {
    let issuer = "https://refused.example";
    let a = signer("key-a").await;
    mock_fetch(&js_obj(&[(
        "https://refused.example/keys",
        jwks_route(&[&a]),
    )]));
    let client = client(issuer);
    let t = token(&a, issuer, None).await;
    let restore = refuse_imports();
    let r = verify(&client, &t, NOW).await;
    restore.call0(&JsValue::NULL).unwrap();
    assert_eq!(
        r,
        Err(Error::Crypto {
            problem: "WebCrypto refused to import the RSA key"
        })
    );
    assert_eq!(verify(&client, &t, NOW).await, Ok("alice".into()));
    unmock_fetch();
}

// ---- the facade ------------------------------------------------------------------------------

async fn facade_verify(token: &str) -> Result<JsValue, JsValue> {
    let issuer = "http://127.0.0.1:9";
    let client = AuthClient::new(config(issuer)).unwrap();
    let options = js_obj(&[
        ("nonce", JsValue::from_str(NONCE)),
        ("now", JsValue::from_f64(NOW as f64)),
    ]);
    JsFuture::from(client.verify_id_token(token.to_owned(), options)).await
}

fn serve_loopback_provider(signer: &JsValue) {
    let issuer = "http://127.0.0.1:9";
    mock_fetch(&js_obj(&[
        (
            "http://127.0.0.1:9/.well-known/openid-configuration",
            json_route(&discovery_doc(issuer, "")),
        ),
        ("http://127.0.0.1:9/keys", jwks_route(&[signer])),
    ]));
}

#[wasm_bindgen_test]
async fn facade_verify_id_token_resolves_to_the_claims() {
    let a = signer("loopback-key").await;
    serve_loopback_provider(&a);
    let t = token(&a, "http://127.0.0.1:9", None).await;
    let claims = facade_verify(&t).await.unwrap();
    unmock_fetch();
    assert_eq!(prop(&claims, "sub").as_string().as_deref(), Some("alice"));
    assert_eq!(
        prop(&claims, "iss").as_string().as_deref(),
        Some("http://127.0.0.1:9")
    );
    assert_eq!(prop(&claims, "nonce").as_string().as_deref(), Some(NONCE));
    assert_eq!(prop(&claims, "exp").as_f64(), Some((NOW + 3600) as f64));
}

#[wasm_bindgen_test]
async fn facade_verify_id_token_rejects_a_tampered_token_with_invalid_signature() {
    let a = signer("loopback-key").await;
    serve_loopback_provider(&a);
    let t = token(&a, "http://127.0.0.1:9", None).await;
    let e = facade_verify(&flip_signature_bit(&t)).await.unwrap_err();
    unmock_fetch();
    assert_eq!(
        auth_error_code(&e).as_string().as_deref(),
        Some("invalid_signature")
    );
}
