//! Shared by the browser test binaries (`tests/browser*.rs`, each with `mod support;`): the
//! Rust side of `fake.js` and the small helpers they all need. Not every binary uses every
//! item, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::future::Future;

use js_sys::{Array, Function, Object, Promise, Reflect};
use okta_auth_wasm::browser::client::{AccessToken, Client};
use okta_auth_wasm::browser::flow::Signal;
use okta_auth_wasm::protocol::config::{validate_config, ConfigInput};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

#[wasm_bindgen(module = "/tests/support/fake.js")]
extern "C" {
    #[wasm_bindgen(js_name = mockFetch)]
    pub fn mock_fetch(table: &JsValue);
    #[wasm_bindgen(js_name = unmockFetch)]
    pub fn unmock_fetch();
    #[wasm_bindgen(js_name = fetchLog)]
    pub fn fetch_log() -> Array;
    #[wasm_bindgen(js_name = makeSigner)]
    pub fn make_signer(kid: &str) -> Promise;
    #[wasm_bindgen(js_name = halfHash)]
    pub fn half_hash(value: &str) -> Promise;
    #[wasm_bindgen(js_name = dispatchMessage)]
    pub fn dispatch_message(data: &JsValue, origin: &str, source: &JsValue);
    #[wasm_bindgen(js_name = nowSeconds)]
    pub fn now_seconds() -> f64;
    #[wasm_bindgen(js_name = readAuthorize)]
    pub fn read_authorize(provider: &JsValue, url: &str) -> JsValue;
    #[wasm_bindgen(js_name = silentFrames)]
    pub fn silent_frames() -> Array;
    pub fn sleep(ms: u32) -> Promise;
    #[wasm_bindgen(js_name = waitFor)]
    pub fn wait_for(f: &Function, ms: u32) -> Promise;
}

// ---- JS values ---------------------------------------------------------------------------

pub fn prop(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap()
}

pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(obj, &JsValue::from_str(key), value).unwrap();
}

/// A plain object with the properties given, in order.
pub fn js_obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj: JsValue = Object::new().into();
    for (key, value) in pairs {
        set(&obj, key, value);
    }
    obj
}

/// [`js_obj`] with string values.
pub fn str_obj(pairs: &[(&str, &str)]) -> JsValue {
    let obj: JsValue = Object::new().into();
    for (key, value) in pairs {
        set(&obj, key, &JsValue::from_str(value));
    }
    obj
}

// ---- promises and time -------------------------------------------------------------------

/// The value `p` resolves to (the test fails if it rejects).
pub async fn wait(p: Promise) -> JsValue {
    JsFuture::from(p).await.unwrap()
}

pub async fn pause(ms: u32) {
    wait(sleep(ms)).await;
}

/// Runs `f` in the background; the signal holds its result.
pub fn spawn<T: Clone + 'static>(f: impl Future<Output = T> + 'static) -> Signal<T> {
    let signal = Signal::new();
    let done = signal.clone();
    spawn_local(async move { done.set(f.await) });
    signal
}

/// The library's silent iframe, once it has an authorize URL.
pub async fn silent_frame() -> JsValue {
    let f = Closure::<dyn Fn() -> JsValue>::new(|| {
        let frame = silent_frames().get(0);
        let src = if frame.is_undefined() {
            None
        } else {
            prop(&frame, "src").as_string()
        };
        match src {
            Some(s) if !s.is_empty() => frame,
            _ => JsValue::FALSE,
        }
    });
    JsFuture::from(wait_for(f.as_ref().unchecked_ref(), 10_000))
        .await
        .expect("no silent iframe with an authorize URL")
}

// ---- the fake provider and the client ----------------------------------------------------

/// A fresh RS256 signer of `fake.js` whose JWK has the key id `kid`.
pub async fn signer(kid: &str) -> JsValue {
    wait(make_signer(kid)).await
}

/// The options every client needs; the others are left to their defaults.
pub fn config_input(issuer: &str, client_id: &str, redirect_uri: &str) -> ConfigInput {
    ConfigInput {
        issuer: Some(issuer.into()),
        client_id: Some(client_id.into()),
        redirect_uri: Some(redirect_uri.into()),
        ..ConfigInput::default()
    }
}

/// A client of `input`, which must validate.
pub fn validated_client(input: ConfigInput) -> Client {
    Client::new(validate_config(input).unwrap())
}

/// A bearer access token for the `openid` scope.
pub fn access_token(value: &str, expires_at: i64) -> AccessToken {
    AccessToken {
        value: value.into(),
        expires_at: Some(expires_at),
        scopes: vec!["openid".into()],
        token_type: "Bearer".into(),
    }
}
