//! Layer 2: the browser layer and the facade, in headless Chromium (wasm-bindgen-test).
//! Run with `make test-browser`.
#![cfg(target_arch = "wasm32")]

mod support;

use okta_auth_wasm::api::{to_js_error, AuthClient, AuthConfigJs};
use okta_auth_wasm::browser::random::{fresh_pkce, random_bytes};
use okta_auth_wasm::protocol::pkce::{code_challenge_s256, validate_code_verifier};
use okta_auth_wasm::protocol::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use support::{js_obj, prop};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function countGetRandomValuesCalls() {
  const original = crypto.getRandomValues;
  let calls = 0;
  crypto.getRandomValues = function (array) { calls += 1; return original.call(crypto, array); };
  return () => { crypto.getRandomValues = original; return calls; };
}
export function isAuthError(e) {
  return e instanceof Error && e.name === 'AuthError' && e.constructor.name === 'AuthError';
}
export function config(overrides) {
  return Object.assign({
    issuer: 'https://dev-1.okta.com/oauth2/default',
    clientId: '0oa1spa',
    redirectUri: 'https://app.example/callback',
  }, overrides);
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = countGetRandomValuesCalls)]
    fn count_get_random_values_calls() -> js_sys::Function;
    #[wasm_bindgen(js_name = isAuthError)]
    fn is_auth_error(e: &JsValue) -> bool;
    fn config(overrides: &JsValue) -> AuthConfigJs;
}

#[wasm_bindgen_test]
fn random_bytes_come_from_crypto_get_random_values() {
    let stop = count_get_random_values_calls();
    let a = random_bytes::<32>().unwrap();
    let b = random_bytes::<32>().unwrap();
    let calls = stop.call0(&JsValue::NULL).unwrap().as_f64().unwrap();
    assert!(calls >= 2.0, "crypto.getRandomValues called {calls} times");
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

#[wasm_bindgen_test]
fn fresh_pkce_is_a_valid_s256_pair_and_never_repeats() {
    let first = fresh_pkce().unwrap();
    let second = fresh_pkce().unwrap();
    assert_eq!(first.code_verifier.len(), 43);
    assert_eq!(validate_code_verifier(&first.code_verifier), Ok(()));
    assert_eq!(
        first.code_challenge,
        code_challenge_s256(&first.code_verifier)
    );
    assert_ne!(first.code_verifier, second.code_verifier);
}

#[wasm_bindgen_test]
fn library_errors_become_auth_errors_with_code_and_description() {
    let e = to_js_error(&Error::InvalidConfig {
        field: "issuer",
        problem: "is required",
    });
    assert!(is_auth_error(&e));
    assert_eq!(prop(&e, "code"), "invalid_config");
    assert_eq!(prop(&e, "message"), "invalid_config: issuer is required");
    assert_eq!(prop(&e, "description"), "issuer is required");
    assert!(prop(&e, "oauthError").is_undefined());
}

#[wasm_bindgen_test]
fn constructs_a_client_from_a_js_config_with_defaults() {
    let client = AuthClient::new(config(&JsValue::UNDEFINED)).unwrap();
    assert_eq!(client.issuer(), "https://dev-1.okta.com/oauth2/default");
    assert_eq!(client.client_id(), "0oa1spa");
    assert_eq!(client.scopes(), ["openid", "profile", "email"]);
    assert_eq!(client.response_type(), "code");
}

fn constructor_error(overrides: JsValue) -> JsValue {
    match AuthClient::new(config(&overrides)) {
        Ok(_) => panic!("config was accepted"),
        Err(e) => e,
    }
}

#[wasm_bindgen_test]
fn js_values_of_the_wrong_type_name_their_option() {
    let cases: [(&str, JsValue, &str); 6] = [
        ("issuer", JsValue::from_f64(1.0), "issuer must be a string"),
        (
            "scopes",
            JsValue::from_str("openid"),
            "scopes must be an array of strings",
        ),
        (
            "clockSkewSeconds",
            JsValue::from_str("300"),
            "clockSkewSeconds must be a number",
        ),
        (
            "autoRenew",
            JsValue::from_str("yes"),
            "autoRenew must be true or false",
        ),
        (
            "endpoints",
            JsValue::from_str("https://x"),
            "endpoints must be an object of URLs",
        ),
        (
            "storage",
            js_obj(&[("getItem", JsValue::TRUE)]),
            "storage must be",
        ),
    ];
    for (key, value, expected) in cases {
        let e = constructor_error(js_obj(&[(key, value)]));
        assert!(is_auth_error(&e));
        assert_eq!(prop(&e, "code"), "invalid_config");
        let description = prop(&e, "description").as_string().unwrap();
        assert!(description.starts_with(expected), "{key}: {description}");
    }
}

#[wasm_bindgen_test]
fn an_endpoint_override_error_names_the_nested_option() {
    let endpoints = js_obj(&[("token", JsValue::from_str("http://dev-1.okta.com/t"))]);
    let e = constructor_error(js_obj(&[("endpoints", endpoints)]));
    let description = prop(&e, "description").as_string().unwrap();
    assert!(
        description.starts_with("endpoints.token must use https"),
        "{description}"
    );
}

#[wasm_bindgen_test]
fn a_misspelt_option_is_refused_not_ignored() {
    let e = constructor_error(js_obj(&[("scope", JsValue::from_str("openid"))]));
    assert_eq!(prop(&e, "code"), "invalid_config");
    let message = prop(&e, "message").as_string().unwrap();
    assert!(message.contains("unknown option \"scope\""), "{message}");
}

#[wasm_bindgen_test]
fn a_custom_storage_object_is_accepted() {
    let noop = js_sys::Function::new_no_args("");
    let storage = js_obj(&[
        ("getItem", noop.clone().into()),
        ("setItem", noop.clone().into()),
        ("removeItem", noop.into()),
    ]);
    assert!(AuthClient::new(config(&js_obj(&[("storage", storage)]))).is_ok());
}
