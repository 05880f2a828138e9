//! Layer 2: popup, silent (iframe) and redirect sign-in in headless Chromium, against a fake
//! provider served from the page (`tests/support/fake.js`): discovery, JWKS and token
//! endpoint of a loopback issuer that is never contacted for real.
//!
//! The popup is a stand-in: `window.open` is replaced by one that returns the window of a
//! same-origin iframe whose navigations are recorded and cancelled (Navigation API), so the
//! test reads the authorize URL and forges the provider's `message` with that window as
//! `event.source`. The silent flow uses the library's real hidden iframe.
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use js_sys::{Array, Promise};
use okta_auth_wasm::browser::client::{Client, TokenSet};
use okta_auth_wasm::browser::flow::{build_authorize_url, SignInOptions, Signal};
use okta_auth_wasm::browser::iframe::sign_in_silently;
use okta_auth_wasm::browser::popup::sign_in_with_popup;
use okta_auth_wasm::browser::redirect::{
    handle_redirect, is_redirect_callback, parse_transaction, prepare_redirect, save_transaction,
    StoredTransaction, KEY_PREFIX,
};
use okta_auth_wasm::protocol::config::ConfigInput;
use okta_auth_wasm::protocol::pkce::code_challenge_s256;
use okta_auth_wasm::protocol::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use support::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
// The provider's side: discovery, JWKS and a token endpoint whose ID token carries the
// nonce of the last authorize URL read with readAuthorize().
export function newProvider(issuer, clientId, signer) {
  const p = {
    issuer, clientId, signer, origin: new URL(issuer).origin,
    nonce: undefined, state: undefined, challenge: undefined,
    accessToken: 'at-' + Math.random().toString(36).slice(2),
    omitIdToken: false, tokenScope: 'openid profile',
  };
  p.idToken = (extra) => {
    const now = Math.floor(Date.now() / 1000);
    return signer.sign(Object.assign(
      { iss: issuer, aud: clientId, sub: 'user-1', iat: now, exp: now + 300, nonce: p.nonce },
      extra || {}));
  };
  p.table = {
    [issuer + '/.well-known/openid-configuration']: { body: {
      issuer,
      authorization_endpoint: issuer + '/authorize',
      token_endpoint: issuer + '/token',
      jwks_uri: issuer + '/keys',
      response_modes_supported: ['query', 'fragment', 'okta_post_message', 'web_message'],
    } },
    [issuer + '/keys']: { body: { keys: [signer.jwk] } },
    [issuer + '/token']: async () => {
      const body = { access_token: p.accessToken, token_type: 'Bearer', expires_in: 3600 };
      if (p.tokenScope) body.scope = p.tokenScope;
      if (!p.omitIdToken) body.id_token = await p.idToken();
      return { body };
    },
  };
  return p;
}

export function tokenRequestsIn(p, log) {
  return log.filter((e) => e.url === p.issuer + '/token')
    .map((e) => Object.fromEntries(new URLSearchParams(e.body)));
}

// A stand-in popup: a same-origin iframe returned by window.open, whose navigations are
// recorded and cancelled, and whose close()/focus() calls are counted.
// (A srcdoc document, not the initial about:blank one, for which the Navigation API fires
// no events.)
export async function fakePopup() {
  const frame = document.createElement('iframe');
  const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
  frame.srcdoc = '<!doctype html><title>stand-in popup</title>';
  document.body.appendChild(frame);
  await loaded;
  const win = frame.contentWindow;
  const rec = { frame, win, urls: [], opens: 0, closes: 0, focuses: 0 };
  win.navigation.addEventListener('navigate', (e) => { rec.urls.push(e.destination.url); e.preventDefault(); });
  win.close = () => { rec.closes += 1; };
  win.focus = () => { rec.focuses += 1; };
  const realOpen = window.open;
  window.open = (...args) => { rec.opens += 1; rec.openArgs = args; return win; };
  rec.userCloses = () => frame.remove();
  rec.restore = () => { window.open = realOpen; frame.remove(); };
  return rec;
}

export function blockPopups() {
  const realOpen = window.open;
  let calls = 0;
  window.open = () => { calls += 1; return null; };
  return () => { window.open = realOpen; return calls; };
}

// Counts what the library leaves behind: message listeners, intervals, pending timeouts.
export function trackCleanup() {
  const w = window;
  const orig = {
    add: w.addEventListener, remove: w.removeEventListener,
    si: w.setInterval, ci: w.clearInterval, st: w.setTimeout, ct: w.clearTimeout,
  };
  const t = { listeners: new Set(), intervals: new Set(), timeouts: new Set(), intervalMs: [] };
  w.addEventListener = function (type, fn, o) { if (type === 'message') t.listeners.add(fn); return orig.add.call(this, type, fn, o); };
  w.removeEventListener = function (type, fn, o) { if (type === 'message') t.listeners.delete(fn); return orig.remove.call(this, type, fn, o); };
  w.setInterval = function (fn, ms, ...a) { const id = orig.si.call(w, fn, ms, ...a); t.intervals.add(id); t.intervalMs.push(ms); return id; };
  w.clearInterval = function (id) { t.intervals.delete(id); return orig.ci.call(w, id); };
  w.setTimeout = function (fn, ms, ...a) {
    let id;
    id = orig.st.call(w, (...x) => { t.timeouts.delete(id); return fn(...x); }, ms, ...a);
    t.timeouts.add(id);
    return id;
  };
  w.clearTimeout = function (id) { t.timeouts.delete(id); return orig.ct.call(w, id); };
  t.pending = () => t.listeners.size + t.intervals.size + t.timeouts.size;
  t.restore = () => {
    delete w.addEventListener; delete w.removeEventListener;
    if (w.addEventListener !== orig.add) w.addEventListener = orig.add;
    if (w.removeEventListener !== orig.remove) w.removeEventListener = orig.remove;
    w.setInterval = orig.si; w.clearInterval = orig.ci; w.setTimeout = orig.st; w.clearTimeout = orig.ct;
  };
  return t;
}

export function pageOrigin() { return location.origin; }
export function pageHref() { return location.href; }
export function pushUrl(url) { history.pushState({ keep: 'me' }, '', url); }
export function historyState() { return history.state; }
export function replaceUrl(url) { history.replaceState(null, '', url); }
export function storageGet(which, key) { return window[which].getItem(key); }
export function storageSet(which, key, value) { window[which].setItem(key, value); }
export function mark() { return performance.now(); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = newProvider)]
    fn new_provider(issuer: &str, client_id: &str, signer: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = tokenRequestsIn)]
    fn token_requests_in(p: &JsValue, log: &Array) -> Array;
    #[wasm_bindgen(js_name = fakePopup)]
    fn fake_popup_promise() -> Promise;
    #[wasm_bindgen(js_name = blockPopups)]
    fn block_popups() -> js_sys::Function;
    #[wasm_bindgen(js_name = trackCleanup)]
    fn track_cleanup() -> JsValue;
    #[wasm_bindgen(js_name = pageOrigin)]
    fn page_origin() -> String;
    #[wasm_bindgen(js_name = pageHref)]
    fn page_href() -> String;
    #[wasm_bindgen(js_name = pushUrl)]
    fn push_url(url: &str);
    #[wasm_bindgen(js_name = historyState)]
    fn history_state() -> JsValue;
    #[wasm_bindgen(js_name = replaceUrl)]
    fn replace_url(url: &str);
    #[wasm_bindgen(js_name = storageGet)]
    fn storage_get(which: &str, key: &str) -> Option<String>;
    #[wasm_bindgen(js_name = storageSet)]
    fn storage_set(which: &str, key: &str, value: &str);
    fn mark() -> f64;
}

const CLIENT_ID: &str = "spa-client";
/// The origin of every fake provider here: a loopback port nothing listens on.
const PROVIDER_ORIGIN: &str = "http://127.0.0.1:9";

fn prop_str(obj: &JsValue, key: &str) -> String {
    prop(obj, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

/// The token requests made since the fake provider was installed, as decoded forms.
fn token_requests(provider: &JsValue) -> Array {
    token_requests_in(provider, &fetch_log())
}

async fn fake_popup() -> JsValue {
    wait(fake_popup_promise()).await
}

/// Posts `data` to the page as the provider's page in the stand-in popup does.
fn post_from_popup(popup: &JsValue, data: &JsValue) {
    dispatch_message(data, PROVIDER_ORIGIN, &prop(popup, "win"));
}

/// A loopback issuer served by the fake provider, and a client for it.
struct Env {
    client: Rc<Client>,
    provider: JsValue,
    issuer: String,
}

impl Drop for Env {
    fn drop(&mut self) {
        unmock_fetch();
    }
}

async fn setup(name: &str, tweak: impl FnOnce(&mut ConfigInput)) -> Env {
    let issuer = format!("{PROVIDER_ORIGIN}/{name}");
    let signer = signer(&format!("kid-{name}")).await;
    let provider = new_provider(&issuer, CLIENT_ID, &signer);
    mock_fetch(&prop(&provider, "table"));
    let redirect_uri = format!("{}/callback", page_origin());
    let mut input = config_input(&issuer, CLIENT_ID, &redirect_uri);
    tweak(&mut input);
    let client = Rc::new(validated_client(input));
    Env {
        client,
        provider,
        issuer,
    }
}

/// The first URL the stand-in popup was sent to.
async fn popup_navigation(popup: &JsValue) -> String {
    let urls = prop(popup, "urls");
    let f = Closure::<dyn Fn() -> JsValue>::new(move || Array::from(&urls).get(0));
    wait(wait_for(f.as_ref().unchecked_ref(), 10_000))
        .await
        .as_string()
        .unwrap()
}

/// Starts a popup sign-in with `options` in a fresh stand-in popup; returns the popup, the
/// pending result and the query of the authorize URL the popup was sent to (read by the
/// provider: its next ID token carries that nonce).
async fn start_popup(
    env: &Env,
    options: SignInOptions,
) -> (JsValue, Signal<Result<TokenSet, Error>>, JsValue) {
    let popup = fake_popup().await;
    let pending = spawn(sign_in_with_popup(env.client.clone(), options));
    let url = popup_navigation(&popup).await;
    let q = read_authorize(&env.provider, &url);
    (popup, pending, q)
}

fn code(result: &Result<TokenSet, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

fn call(f: &JsValue, name: &str) -> JsValue {
    let f: js_sys::Function = prop(f, name).into();
    f.call0(&JsValue::NULL).unwrap()
}

fn assert_cleaned_up(tracker: &JsValue) {
    let pending = call(tracker, "pending").as_f64().unwrap();
    call(tracker, "restore");
    assert_eq!(pending, 0.0, "listeners or timers left behind");
}

// ---- popup --------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn popup_sign_in_exchanges_the_code_with_pkce_through_okta_post_message() {
    let env = setup("popup-ok", |_| {}).await;
    let tracker = track_cleanup();
    let popup = fake_popup().await;
    let pending = spawn(sign_in_with_popup(
        env.client.clone(),
        SignInOptions::default(),
    ));
    // Opened synchronously, before anything was awaited.
    assert_eq!(prop(&popup, "opens"), 1.0);
    assert_eq!(Array::from(&prop(&popup, "openArgs")).get(0), "");
    let url = popup_navigation(&popup).await;
    assert!(
        url.starts_with(&format!("{}/authorize?", env.issuer)),
        "{url}"
    );
    let q = read_authorize(&env.provider, &url);
    assert_eq!(prop_str(&q, "response_mode"), "okta_post_message");
    assert_eq!(prop_str(&q, "response_type"), "code");
    assert_eq!(prop_str(&q, "code_challenge_method"), "S256");
    assert_eq!(prop_str(&q, "client_id"), CLIENT_ID);
    let state = prop_str(&q, "state");

    post_from_popup(&popup, &str_obj(&[("code", "code-1"), ("state", &state)]));
    let tokens = pending.wait().await.unwrap();

    let requests = token_requests(&env.provider);
    assert_eq!(requests.length(), 1);
    let body = requests.get(0);
    assert_eq!(prop_str(&body, "grant_type"), "authorization_code");
    assert_eq!(prop_str(&body, "code"), "code-1");
    assert_eq!(prop_str(&body, "client_id"), CLIENT_ID);
    assert_eq!(
        prop_str(&body, "redirect_uri"),
        format!("{}/callback", page_origin())
    );
    assert_eq!(
        code_challenge_s256(&prop_str(&body, "code_verifier")),
        prop_str(&q, "code_challenge")
    );

    let id = tokens.id_token.as_ref().unwrap();
    assert_eq!(id.sub(), "user-1");
    assert_eq!(id.nonce(), Some(prop_str(&q, "nonce").as_str()));
    let at = tokens.access_token.as_ref().unwrap();
    assert_eq!(at.value, prop_str(&env.provider, "accessToken"));
    assert_eq!(at.scopes, ["openid", "profile"]);
    let expires_at = at.expires_at.unwrap() as f64;
    assert!((expires_at - (now_seconds() + 3600.0)).abs() <= 5.0);
    assert_eq!(*env.client.tokens.borrow(), Some(tokens.clone()));

    assert!(prop(&popup, "closes").as_f64().unwrap() >= 1.0);
    assert_cleaned_up(&tracker);
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn popup_blocked_when_window_open_returns_null() {
    let env = setup("popup-blocked", |_| {}).await;
    let restore = block_popups();
    let result = sign_in_with_popup(env.client.clone(), SignInOptions::default()).await;
    let calls = restore.call0(&JsValue::NULL).unwrap();
    assert_eq!(calls, 1.0);
    assert_eq!(code(&result), "popup_blocked");
    // Refused before any request.
    assert_eq!(fetch_log().length(), 0);
}

#[wasm_bindgen_test]
async fn popup_closed_by_the_user_is_noticed_by_a_poll_every_250_ms() {
    // The bound the user sees is the poll's period, read from the timer armed (not from the
    // wall clock, which a loaded machine stretches).
    let env = setup("popup-closed", |_| {}).await;
    let tracker = track_cleanup();
    let popup = fake_popup().await;
    let pending = spawn(sign_in_with_popup(
        env.client.clone(),
        SignInOptions::default(),
    ));
    popup_navigation(&popup).await;
    let periods: Vec<f64> = Array::from(&prop(&tracker, "intervalMs"))
        .iter()
        .filter_map(|ms| ms.as_f64())
        .collect();
    assert_eq!(periods, [250.0], "one poll of `closed`, every 250 ms");
    call(&popup, "userCloses");
    let result = pending.wait().await;
    assert_eq!(code(&result), "popup_closed");
    assert_cleaned_up(&tracker);
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn popup_times_out_after_popup_timeout_ms() {
    let env = setup("popup-timeout", |c| c.popup_timeout_ms = Some(150.0)).await;
    let tracker = track_cleanup();
    let popup = fake_popup().await;
    let started = mark();
    let result = sign_in_with_popup(env.client.clone(), SignInOptions::default()).await;
    let elapsed = mark() - started;
    assert_eq!(code(&result), "timeout");
    assert!(elapsed >= 150.0, "timed out after {elapsed} ms");
    assert!(prop(&popup, "closes").as_f64().unwrap() >= 1.0);
    assert_cleaned_up(&tracker);
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn a_second_popup_sign_in_is_refused_and_focuses_the_open_popup() {
    let env = setup("popup-in-progress", |_| {}).await;
    let popup = fake_popup().await;
    let first = spawn(sign_in_with_popup(
        env.client.clone(),
        SignInOptions::default(),
    ));
    popup_navigation(&popup).await;
    let second = sign_in_with_popup(env.client.clone(), SignInOptions::default()).await;
    assert_eq!(code(&second), "popup_in_progress");
    assert_eq!(prop(&popup, "opens"), 1.0);
    assert_eq!(prop(&popup, "focuses"), 1.0);
    assert!(!first.is_set());
    call(&popup, "userCloses");
    assert_eq!(code(&first.wait().await), "popup_closed");
    call(&popup, "restore");

    // The slot is free again once the first one ended.
    let popup = fake_popup().await;
    let third = spawn(sign_in_with_popup(
        env.client.clone(),
        SignInOptions::default(),
    ));
    assert_eq!(prop(&popup, "opens"), 1.0);
    popup_navigation(&popup).await;
    call(&popup, "userCloses");
    assert_eq!(code(&third.wait().await), "popup_closed");
    call(&popup, "restore");
}

/// Starts a popup sign-in, sends `noise` (data, origin, source), checks it is ignored,
/// then completes with the real response.
async fn ignores_then_completes(
    name: &str,
    noise: impl FnOnce(&JsValue, &str) -> (JsValue, String, JsValue),
) {
    let env = setup(name, |_| {}).await;
    let (popup, pending, q) = start_popup(&env, SignInOptions::default()).await;
    let state = prop_str(&q, "state");
    let (data, origin, source) = noise(&popup, &state);
    dispatch_message(&data, &origin, &source);
    pause(50).await;
    assert!(!pending.is_set(), "the message was acted on");
    assert_eq!(token_requests(&env.provider).length(), 0);

    post_from_popup(&popup, &str_obj(&[("code", "code-2"), ("state", &state)]));
    let result = pending.wait().await;
    assert_eq!(code(&result), "ok");
    let requests = token_requests(&env.provider);
    assert_eq!(requests.length(), 1);
    assert_eq!(prop_str(&requests.get(0), "code"), "code-2");
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn ignores_message_from_another_origin() {
    ignores_then_completes("ignore-origin", |popup, state| {
        (
            str_obj(&[("code", "evil"), ("state", state)]),
            "http://127.0.0.1:8".into(),
            prop(popup, "win"),
        )
    })
    .await;
}

#[wasm_bindgen_test]
async fn ignores_message_from_another_window_with_the_provider_origin() {
    ignores_then_completes("ignore-source", |_, state| {
        (
            str_obj(&[("code", "evil"), ("state", state)]),
            PROVIDER_ORIGIN.into(),
            web_sys::window().unwrap().into(),
        )
    })
    .await;
}

#[wasm_bindgen_test]
async fn ignores_message_with_a_wrong_state() {
    ignores_then_completes("ignore-state", |popup, _| {
        (
            str_obj(&[("error", "access_denied"), ("state", "not-this-one")]),
            PROVIDER_ORIGIN.into(),
            prop(popup, "win"),
        )
    })
    .await;
}

#[wasm_bindgen_test]
async fn ignores_a_message_whose_state_is_not_a_string() {
    ignores_then_completes("ignore-state-type", |popup, _| {
        (
            js_obj(&[("error", "access_denied".into()), ("state", 5.into())]),
            PROVIDER_ORIGIN.into(),
            prop(popup, "win"),
        )
    })
    .await;
}

#[wasm_bindgen_test]
async fn ignores_a_message_that_is_not_a_response() {
    ignores_then_completes("ignore-shape", |popup, _| {
        (
            JsValue::from_str("hello from the sign-in widget"),
            PROVIDER_ORIGIN.into(),
            prop(popup, "win"),
        )
    })
    .await;
}

#[wasm_bindgen_test]
async fn provider_error_in_the_popup_rejects_with_its_code() {
    let env = setup("popup-error", |_| {}).await;
    let tracker = track_cleanup();
    let (popup, pending, q) = start_popup(&env, SignInOptions::default()).await;
    let state = prop_str(&q, "state");
    post_from_popup(
        &popup,
        &str_obj(&[
            ("error", "access_denied"),
            (
                "error_description",
                "User is not assigned to the client application.",
            ),
            ("state", &state),
        ]),
    );
    let result = pending.wait().await;
    let e = result.unwrap_err();
    assert_eq!(e.code(), "access_denied");
    assert_eq!(e.oauth_error(), Some("access_denied"));
    assert_eq!(token_requests(&env.provider).length(), 0);
    assert!(prop(&popup, "closes").as_f64().unwrap() >= 1.0);
    assert_cleaned_up(&tracker);
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn popup_web_message_mode_reads_the_wrapped_response() {
    let env = setup("popup-web-message", |c| {
        c.popup_response_mode = Some("web_message".into())
    })
    .await;
    let (popup, pending, q) = start_popup(&env, SignInOptions::default()).await;
    assert_eq!(prop_str(&q, "response_mode"), "web_message");
    let data = js_obj(&[
        ("type", "authorization_response".into()),
        (
            "response",
            str_obj(&[("code", "code-wm"), ("state", &prop_str(&q, "state"))]),
        ),
    ]);
    post_from_popup(&popup, &data);
    assert_eq!(code(&pending.wait().await), "ok");
    assert_eq!(
        prop_str(&token_requests(&env.provider).get(0), "code"),
        "code-wm"
    );
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn popup_callback_mode_reads_the_query_posted_by_the_app_origin_page() {
    let env = setup("popup-callback", |_| {}).await;
    let options = SignInOptions {
        popup_response_mode: Some("callback".into()),
        ..Default::default()
    };
    let (popup, pending, q) = start_popup(&env, options).await;
    assert_eq!(prop_str(&q, "response_mode"), "query");
    let state = prop_str(&q, "state");
    let search = format!("?code=code-cb&state={state}");
    let message = str_obj(&[
        ("type", "okta-auth-wasm:callback"),
        ("search", &search),
        ("hash", ""),
    ]);
    // From the provider's origin it is not the callback page: ignored.
    dispatch_message(&message, PROVIDER_ORIGIN, &prop(&popup, "win"));
    pause(50).await;
    assert!(!pending.is_set());
    dispatch_message(&message, &page_origin(), &prop(&popup, "win"));
    assert_eq!(code(&pending.wait().await), "ok");
    assert_eq!(
        prop_str(&token_requests(&env.provider).get(0), "code"),
        "code-cb"
    );
    call(&popup, "restore");
}

/// The provider's next ID token, with the `at_hash` of `access_token`.
async fn id_token_with_at_hash(provider: &JsValue, access_token: &str) -> String {
    let at_hash = wait(half_hash(access_token)).await.as_string().unwrap();
    let sign: js_sys::Function = prop(provider, "idToken").into();
    let extra = str_obj(&[("at_hash", &at_hash)]);
    wait(sign.call1(&JsValue::NULL, &extra).unwrap().into())
        .await
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
async fn popup_implicit_flow_verifies_the_front_channel_id_token_and_at_hash() {
    let env = setup("popup-implicit", |_| {}).await;
    let options = SignInOptions {
        response_type: Some("id_token token".into()),
        ..Default::default()
    };
    let (popup, pending, q) = start_popup(&env, options).await;
    assert!(prop(&q, "code_challenge").is_undefined());
    let access_token = "implicit-at";
    let id_token = id_token_with_at_hash(&env.provider, access_token).await;
    post_from_popup(
        &popup,
        &str_obj(&[
            ("id_token", &id_token),
            ("access_token", access_token),
            ("token_type", "Bearer"),
            ("expires_in", "3600"),
            ("scope", "openid email"),
            ("state", &prop_str(&q, "state")),
        ]),
    );
    let tokens = pending.wait().await.unwrap();
    assert_eq!(token_requests(&env.provider).length(), 0);
    let at = tokens.access_token.unwrap();
    assert_eq!(at.value, access_token);
    assert_eq!(at.scopes, ["openid", "email"]);
    assert!(at.expires_at.is_some());
    assert_eq!(tokens.id_token.unwrap().sub(), "user-1");
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn popup_implicit_id_token_with_a_wrong_at_hash_is_refused() {
    let env = setup("popup-implicit-bad", |_| {}).await;
    let options = SignInOptions {
        response_type: Some("id_token token".into()),
        ..Default::default()
    };
    let (popup, pending, q) = start_popup(&env, options).await;
    let id_token = id_token_with_at_hash(&env.provider, "some-other-token").await;
    post_from_popup(
        &popup,
        &str_obj(&[
            ("id_token", &id_token),
            ("access_token", "implicit-at"),
            ("token_type", "Bearer"),
            ("state", &prop_str(&q, "state")),
        ]),
    );
    assert_eq!(code(&pending.wait().await), "at_hash_mismatch");
    assert!(env.client.tokens.borrow().is_none());
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn a_code_flow_with_openid_but_no_id_token_from_the_token_endpoint_is_refused() {
    let env = setup("popup-no-id-token", |_| {}).await;
    set(&env.provider, "omitIdToken", &JsValue::TRUE);
    let (popup, pending, q) = start_popup(&env, SignInOptions::default()).await;
    let state = prop_str(&q, "state");
    post_from_popup(&popup, &str_obj(&[("code", "code-3"), ("state", &state)]));
    let e = pending.wait().await.unwrap_err();
    assert_eq!(e, Error::MissingParameter { name: "id_token" });
    assert!(env.client.tokens.borrow().is_none());
    call(&popup, "restore");
}

#[wasm_bindgen_test]
async fn an_id_token_with_another_nonce_is_refused() {
    let env = setup("popup-bad-nonce", |_| {}).await;
    let (popup, pending, q) = start_popup(&env, SignInOptions::default()).await;
    let state = prop_str(&q, "state");
    set(&env.provider, "nonce", &"replayed-nonce".into());
    post_from_popup(&popup, &str_obj(&[("code", "code-4"), ("state", &state)]));
    assert_eq!(code(&pending.wait().await), "nonce_mismatch");
    call(&popup, "restore");
}

// ---- silent -------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn silent_sign_in_completes_in_a_hidden_iframe_that_is_then_removed() {
    let env = setup("silent-ok", |_| {}).await;
    let tracker = track_cleanup();
    let pending = spawn(sign_in_silently(
        env.client.clone(),
        SignInOptions::default(),
    ));
    let frame = silent_frame().await;
    let style = prop(&frame, "style");
    assert_eq!(prop_str(&style, "display"), "none");
    let q = read_authorize(&env.provider, &prop_str(&frame, "src"));
    assert_eq!(prop_str(&q, "prompt"), "none");
    assert_eq!(prop_str(&q, "response_mode"), "okta_post_message");
    dispatch_message(
        &str_obj(&[("code", "code-s"), ("state", &prop_str(&q, "state"))]),
        PROVIDER_ORIGIN,
        &prop(&frame, "contentWindow"),
    );
    let tokens = pending.wait().await.unwrap();
    assert_eq!(tokens.id_token.unwrap().sub(), "user-1");
    assert_eq!(silent_frames().length(), 0);
    assert_cleaned_up(&tracker);
}

#[wasm_bindgen_test]
async fn silent_login_required_rejects_with_login_required_and_removes_the_iframe() {
    let env = setup("silent-login-required", |_| {}).await;
    let tracker = track_cleanup();
    let pending = spawn(sign_in_silently(
        env.client.clone(),
        SignInOptions::default(),
    ));
    let frame = silent_frame().await;
    let q = read_authorize(&env.provider, &prop_str(&frame, "src"));
    dispatch_message(
        &str_obj(&[
            ("error", "login_required"),
            (
                "error_description",
                "The client specified not to prompt, but the user is not logged in.",
            ),
            ("state", &prop_str(&q, "state")),
        ]),
        PROVIDER_ORIGIN,
        &prop(&frame, "contentWindow"),
    );
    let result = pending.wait().await;
    assert_eq!(code(&result), "login_required");
    assert_eq!(silent_frames().length(), 0);
    assert_eq!(token_requests(&env.provider).length(), 0);
    assert_cleaned_up(&tracker);
}

#[wasm_bindgen_test]
async fn silent_timeout_names_the_likely_causes_and_removes_the_iframe() {
    let env = setup("silent-timeout", |c| c.silent_timeout_ms = Some(200.0)).await;
    let tracker = track_cleanup();
    let result = sign_in_silently(env.client.clone(), SignInOptions::default()).await;
    let e = result.unwrap_err();
    assert_eq!(e.code(), "timeout");
    let description = e.description();
    assert!(description.contains("third-party cookies"), "{description}");
    assert!(description.contains("redirect URI"), "{description}");
    assert!(description.contains("framed"), "{description}");
    assert_eq!(silent_frames().length(), 0);
    assert_cleaned_up(&tracker);
}

#[wasm_bindgen_test]
async fn concurrent_silent_calls_share_one_iframe_and_one_token_request() {
    let env = setup("silent-shared", |_| {}).await;
    let first = spawn(sign_in_silently(
        env.client.clone(),
        SignInOptions::default(),
    ));
    let second = spawn(sign_in_silently(
        env.client.clone(),
        SignInOptions::default(),
    ));
    let frame = silent_frame().await;
    pause(30).await;
    assert_eq!(silent_frames().length(), 1);
    let q = read_authorize(&env.provider, &prop_str(&frame, "src"));
    dispatch_message(
        &str_obj(&[("code", "code-shared"), ("state", &prop_str(&q, "state"))]),
        PROVIDER_ORIGIN,
        &prop(&frame, "contentWindow"),
    );
    let a = first.wait().await.unwrap();
    let b = second.wait().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(token_requests(&env.provider).length(), 1);
    assert_eq!(silent_frames().length(), 0);
}

// ---- redirect -----------------------------------------------------------------------

fn key(state: &str) -> String {
    format!("{KEY_PREFIX}{state}")
}

#[wasm_bindgen_test]
async fn redirect_sign_in_stores_the_transaction_in_session_and_local_storage() {
    let env = setup("redirect-store", |_| {}).await;
    let options = SignInOptions {
        app_state: Some(r#"{"returnTo":"/orders/7"}"#.into()),
        max_age: Some(900),
        ..Default::default()
    };
    let request = prepare_redirect(&env.client, &options).await.unwrap();
    let t = &request.transaction;
    assert!(
        request.url.contains("response_mode=query"),
        "{}",
        request.url
    );
    let session = storage_get("sessionStorage", &key(&t.state)).unwrap();
    let local = storage_get("localStorage", &key(&t.state)).unwrap();
    assert_eq!(session, local);
    let stored = parse_transaction(&session).unwrap();
    assert_eq!(&stored.transaction, t);
    assert_eq!(stored.issuer, env.issuer);
    assert_eq!(stored.client_id, CLIENT_ID);
    assert_eq!(
        stored.app_state.as_deref(),
        Some(r#"{"returnTo":"/orders/7"}"#)
    );
    assert!((stored.created_at as f64 - now_seconds()).abs() <= 2.0);
    assert!(t.code_verifier.is_some());
    okta_auth_wasm::browser::redirect::remove_transaction(&t.state);
}

/// A stored transaction and the callback URL that answers it, on another address than the
/// page (so the address bar is left alone).
async fn stored_and_callback(env: &Env, app_state: Option<&str>) -> (String, String) {
    let options = SignInOptions {
        app_state: app_state.map(str::to_owned),
        ..Default::default()
    };
    let request = prepare_redirect(&env.client, &options).await.unwrap();
    read_authorize(&env.provider, &request.url);
    let state = request.transaction.state;
    let url = format!("https://app.example/callback?code=code-r&state={state}");
    (state, url)
}

#[wasm_bindgen_test]
async fn handle_redirect_exchanges_the_code_returns_app_state_and_deletes_the_transaction() {
    let env = setup("redirect-ok", |_| {}).await;
    let (state, url) = stored_and_callback(&env, Some(r#"{"returnTo":"/x"}"#)).await;
    let (tokens, app_state) = handle_redirect(env.client.clone(), Some(url))
        .await
        .unwrap();
    assert_eq!(app_state.as_deref(), Some(r#"{"returnTo":"/x"}"#));
    assert_eq!(tokens.id_token.as_ref().unwrap().sub(), "user-1");
    assert_eq!(*env.client.tokens.borrow(), Some(tokens));
    let body = token_requests(&env.provider).get(0);
    assert_eq!(prop_str(&body, "code"), "code-r");
    assert_eq!(
        code_challenge_s256(&prop_str(&body, "code_verifier")),
        prop_str(&env.provider, "challenge")
    );
    assert_eq!(storage_get("sessionStorage", &key(&state)), None);
    assert_eq!(storage_get("localStorage", &key(&state)), None);
}

#[wasm_bindgen_test]
async fn a_replayed_callback_is_transaction_not_found() {
    let env = setup("redirect-replay", |_| {}).await;
    let (_, url) = stored_and_callback(&env, None).await;
    assert!(handle_redirect(env.client.clone(), Some(url.clone()))
        .await
        .is_ok());
    let replay = handle_redirect(env.client.clone(), Some(url)).await;
    assert_eq!(replay.unwrap_err(), Error::TransactionNotFound);
    assert_eq!(token_requests(&env.provider).length(), 1);
}

#[wasm_bindgen_test]
async fn a_failed_callback_still_consumes_the_transaction() {
    let env = setup("redirect-error", |_| {}).await;
    let (state, _) = stored_and_callback(&env, None).await;
    let url = format!("https://app.example/callback?error=access_denied&state={state}");
    let e = handle_redirect(env.client.clone(), Some(url))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "access_denied");
    assert_eq!(storage_get("sessionStorage", &key(&state)), None);
    assert_eq!(storage_get("localStorage", &key(&state)), None);
}

#[wasm_bindgen_test]
async fn an_expired_transaction_is_transaction_not_found_and_removed() {
    let env = setup("redirect-expired", |_| {}).await;
    let request = prepare_redirect(&env.client, &SignInOptions::default())
        .await
        .unwrap();
    let state = request.transaction.state.clone();
    save_transaction(&StoredTransaction {
        transaction: request.transaction,
        issuer: env.issuer.clone(),
        client_id: CLIENT_ID.into(),
        app_state: None,
        created_at: now_seconds() as i64 - 601,
    })
    .unwrap();
    let url = format!("https://app.example/callback?code=c&state={state}");
    let e = handle_redirect(env.client.clone(), Some(url))
        .await
        .unwrap_err();
    assert_eq!(e, Error::TransactionNotFound);
    assert_eq!(storage_get("sessionStorage", &key(&state)), None);
    assert_eq!(storage_get("localStorage", &key(&state)), None);
    assert_eq!(token_requests(&env.provider).length(), 0);
}

#[wasm_bindgen_test]
async fn a_corrupt_storage_entry_is_transaction_not_found_not_a_panic() {
    let env = setup("redirect-corrupt", |_| {}).await;
    let corrupt = [
        "%zz%",
        "v=1&state=corrupt-1",
        "v=2&iss=x",
        "",
        "v=1&v=1&state=corrupt-1&nonce=n&response_type=code&response_mode=query&scope=openid&created_at=1&redirect_uri=x&iss=x&client_id=x",
    ];
    for (i, text) in corrupt.iter().enumerate() {
        let state = format!("corrupt-{i}");
        storage_set("sessionStorage", &key(&state), text);
        storage_set("localStorage", &key(&state), "\u{0}garbage");
        let url = format!("https://app.example/callback?code=c&state={state}");
        let e = handle_redirect(env.client.clone(), Some(url))
            .await
            .unwrap_err();
        assert_eq!(e, Error::TransactionNotFound, "{text}");
        assert_eq!(storage_get("sessionStorage", &key(&state)), None);
        assert_eq!(storage_get("localStorage", &key(&state)), None);
    }
}

#[wasm_bindgen_test]
async fn a_transaction_of_another_issuer_is_not_redeemed() {
    let env = setup("redirect-owner", |_| {}).await;
    let other = setup("redirect-other", |_| {}).await;
    let (state, url) = stored_and_callback(&other, None).await;
    mock_fetch(&prop(&env.provider, "table"));
    let e = handle_redirect(env.client.clone(), Some(url))
        .await
        .unwrap_err();
    assert_eq!(e, Error::TransactionNotFound);
    // Left for the client it belongs to.
    assert!(storage_get("sessionStorage", &key(&state)).is_some());
    okta_auth_wasm::browser::redirect::remove_transaction(&state);
}

#[wasm_bindgen_test]
async fn handle_redirect_removes_the_response_parameters_from_the_address_bar() {
    let env = setup("redirect-clean", |_| {}).await;
    let original = page_href();
    let request = prepare_redirect(&env.client, &SignInOptions::default())
        .await
        .unwrap();
    read_authorize(&env.provider, &request.url);
    let state = &request.transaction.state;
    push_url(&format!(
        "/callback-test?keep=1&code=code-h&state={state}&session_state=s&tab=a%20b#section-2"
    ));
    let result = handle_redirect(env.client.clone(), None).await;
    let cleaned = page_href();
    let history_kept = history_state();
    replace_url(&original);
    assert_eq!(code(&result.map(|r| r.0)), "ok");
    assert_eq!(
        cleaned,
        format!("{}/callback-test?keep=1&tab=a%20b#section-2", page_origin())
    );
    assert_eq!(prop_str(&history_kept, "keep"), "me");
}

#[wasm_bindgen_test]
async fn handle_redirect_reads_a_fragment_response() {
    let env = setup("redirect-fragment", |_| {}).await;
    let options = SignInOptions {
        response_mode: Some("fragment".into()),
        ..Default::default()
    };
    let request = prepare_redirect(&env.client, &options).await.unwrap();
    read_authorize(&env.provider, &request.url);
    let state = &request.transaction.state;
    let url = format!("https://app.example/callback?state=app-own#code=code-f&state={state}");
    let result = handle_redirect(env.client.clone(), Some(url)).await;
    assert_eq!(code(&result.map(|r| r.0)), "ok");
    assert_eq!(
        prop_str(&token_requests(&env.provider).get(0), "code"),
        "code-f"
    );
}

/// Mix-up (RFC 9700 §4.4): the provider sends no `iss` (as Okta does), so in a hybrid flow
/// the front-channel ID token's `iss` is the only sign that the response came from another
/// provider. It must be checked before the code and the PKCE verifier go to the token
/// endpoint (OpenID Connect Core 1.0 §3.3.2.8), or they reach the wrong provider.
#[wasm_bindgen_test]
async fn a_hybrid_response_from_another_issuer_is_refused_before_the_code_is_redeemed() {
    let env = setup("redirect-mix-up", |_| {}).await;
    let options = SignInOptions {
        response_type: Some("code id_token".into()),
        ..Default::default()
    };
    let request = prepare_redirect(&env.client, &options).await.unwrap();
    read_authorize(&env.provider, &request.url);
    let state = &request.transaction.state;
    let code_value = "code-of-another-provider";
    let c_hash = wait(half_hash(code_value)).await.as_string().unwrap();
    let sign: js_sys::Function = prop(&env.provider, "idToken").into();
    let extra = str_obj(&[
        ("iss", "http://127.0.0.1:9/another-provider"),
        ("c_hash", &c_hash),
    ]);
    let id_token = wait(sign.call1(&JsValue::NULL, &extra).unwrap().into())
        .await
        .as_string()
        .unwrap();
    let url =
        format!("https://app.example/callback#code={code_value}&id_token={id_token}&state={state}");
    let result = handle_redirect(env.client.clone(), Some(url)).await;
    assert_eq!(code(&result.map(|r| r.0)), "issuer_mismatch");
    assert_eq!(
        token_requests(&env.provider).length(),
        0,
        "the code and the PKCE verifier were sent before the ID token was checked"
    );
    assert!(env.client.tokens.borrow().is_none());
}

#[wasm_bindgen_test]
fn is_redirect_callback_recognises_query_and_fragment_responses() {
    let client = validated_client(config_input(
        "https://dev-1.okta.com",
        CLIENT_ID,
        "https://app.example/callback",
    ));
    let yes = [
        "https://app.example/callback?code=abc&state=xyz",
        "https://app.example/callback?error=login_required&state=xyz",
        "https://app.example/callback#id_token=a.b.c&state=xyz",
        "https://app.example/callback#/access_token=t&token_type=Bearer&state=xyz",
    ];
    let no = [
        "https://app.example/callback",
        "https://app.example/callback?code=abc",
        "https://app.example/callback?state=xyz",
        "https://app.example/orders?page=2#top",
    ];
    for url in yes {
        assert!(is_redirect_callback(&client, Some(url)), "{url}");
    }
    for url in no {
        assert!(!is_redirect_callback(&client, Some(url)), "{url}");
    }
    // The test page's own address holds no response.
    assert!(!is_redirect_callback(&client, None));
}

#[wasm_bindgen_test]
async fn redirect_sign_in_refuses_a_message_response_mode() {
    let env = setup("redirect-mode", |_| {}).await;
    let options = SignInOptions {
        response_mode: Some("okta_post_message".into()),
        ..Default::default()
    };
    let e = prepare_redirect(&env.client, &options).await.unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
}

// ---- the authorize URL --------------------------------------------------------------

#[wasm_bindgen_test]
async fn build_authorize_url_applies_the_per_call_overrides() {
    let client = Rc::new(validated_client(config_input(
        "https://dev-1.okta.com/oauth2/default",
        CLIENT_ID,
        "https://app.example/callback",
    )));
    let options = SignInOptions {
        scopes: Some(vec!["openid".into(), "offline_access".into()]),
        prompt: Some("login".into()),
        login_hint: Some("ada@example.com".into()),
        display: Some("popup".into()),
        redirect_uri: Some("https://app.example/other".into()),
        extra_params: vec![("ui_locales".into(), "fr".into())],
        state: Some("my-state".into()),
        ..Default::default()
    };
    let request = build_authorize_url(&client, &options).await.unwrap();
    let q = read_authorize(&JsValue::from(js_sys::Object::new()), &request.url);
    assert!(request
        .url
        .starts_with("https://dev-1.okta.com/oauth2/default/v1/authorize?"));
    assert_eq!(prop_str(&q, "scope"), "openid offline_access");
    assert_eq!(prop_str(&q, "prompt"), "login");
    assert_eq!(prop_str(&q, "login_hint"), "ada@example.com");
    assert_eq!(prop_str(&q, "display"), "popup");
    assert_eq!(prop_str(&q, "redirect_uri"), "https://app.example/other");
    assert_eq!(prop_str(&q, "ui_locales"), "fr");
    assert_eq!(prop_str(&q, "state"), "my-state");
    assert_eq!(prop_str(&q, "response_mode"), "query");
    assert_eq!(
        request.transaction.redirect_uri,
        "https://app.example/other"
    );

    let bad = SignInOptions {
        response_type: Some("code code".into()),
        ..Default::default()
    };
    let e = build_authorize_url(&client, &bad).await.unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
}
