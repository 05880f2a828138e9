//! Layer 2: the token manager in headless Chromium: each storage backend, corrupt and
//! foreign storage, renew on read with an injected clock, renewal failures, concurrent
//! reads sharing one refresh, events, and another tab's change arriving as a `storage`
//! event. The provider is faked in the page (`tests/support/fake.js`).
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use okta_auth_wasm::api::{AuthClient, AuthConfigJs};
use okta_auth_wasm::browser::client::{Client, TokenSet};
use okta_auth_wasm::browser::resource::{sign_out_url, SignOutOptions};
use okta_auth_wasm::browser::tokens::{self, get_tokens, renew_tokens, Which};
use okta_auth_wasm::protocol::config::{ConfigInput, StorageInput};
use okta_auth_wasm::protocol::renewal::MAX_RENEWAL_DELAY_SECONDS;
use okta_auth_wasm::protocol::stored::storage_key;
use okta_auth_wasm::protocol::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use support::*;

wasm_bindgen_test_configure!(run_in_browser);

const CLIENT_ID: &str = "spa-tokens";

#[wasm_bindgen(inline_js = r#"
// A provider with discovery, JWKS and a token endpoint answering the refresh-token grant:
// each refresh rotates the refresh token (rt-1, rt-2, ...) and is counted. While p.hold is
// a Promise (holdRefreshes), refresh requests are counted, then wait for it: the test
// decides what happens while a refresh is under way.
export function newProvider(issuer, clientId, signer) {
  const p = { issuer, clientId, signer, refreshes: 0, fail: null, delayMs: 0, hold: null, rt: 'rt-0', bodies: [] };
  p.idToken = (extra) => {
    const now = Math.floor(Date.now() / 1000);
    return signer.sign(Object.assign({ iss: issuer, aud: clientId, sub: 'user-1', iat: now, exp: now + 3600 }, extra || {}));
  };
  p.table = {
    [issuer + '/.well-known/openid-configuration']: { body: {
      issuer, authorization_endpoint: issuer + '/authorize', token_endpoint: issuer + '/token',
      jwks_uri: issuer + '/keys', response_modes_supported: ['query', 'fragment', 'okta_post_message'],
    } },
    [issuer + '/keys']: { body: { keys: [signer.jwk] } },
    [issuer + '/token']: async (request, body) => {
      const form = Object.fromEntries(new URLSearchParams(body));
      p.bodies.push(form);
      // The code of a silent sign-in: the ID token carries the nonce of the authorize URL
      // last read with readAuthorize(); no refresh token is issued.
      // p.codeSub: the user the provider's session now belongs to (default user-1).
      // p.noIdToken: the answer carries no ID token (a client that did not ask for openid).
      if (form.grant_type === 'authorization_code') return { body: {
        access_token: 'at-silent', token_type: 'Bearer', expires_in: 3600, scope: 'openid',
        id_token: p.noIdToken ? undefined : await p.idToken({ nonce: p.nonce, sub: p.codeSub || 'user-1' }),
      } };
      if (form.grant_type !== 'refresh_token') return { status: 400, body: { error: 'unsupported_grant_type' } };
      p.refreshes += 1;
      if (p.delayMs) await new Promise((r) => setTimeout(r, p.delayMs));
      if (p.hold) await p.hold;
      if (p.fail) return { status: 400, body: { error: p.fail } };
      const n = p.refreshes;
      p.rt = 'rt-' + n;
      return { body: {
        access_token: 'at-' + n, token_type: 'Bearer', expires_in: 3600, refresh_token: p.rt,
        scope: 'openid offline_access', id_token: p.noIdTokenOnRefresh ? undefined : await p.idToken(),
      } };
    },
  };
  return p;
}

// A stored value in the library's format, with tokens that expire at `exp`.
export async function storedValue(p, exp, extra) {
  const o = Object.assign({
    version: 1, issuer: p.issuer, clientId: p.clientId,
    idToken: await p.idToken({ exp }),
    accessToken: { value: 'at-0', expiresAt: exp, scopes: ['openid', 'offline_access'], tokenType: 'Bearer' },
    refreshToken: 'rt-0',
  }, extra || {});
  return JSON.stringify(o);
}

// Records events: recorder.listener(name) is a listener; recorder.events [[name, payload]].
export function recorder() {
  const r = { events: [] };
  r.listener = (name) => (payload) => { r.events.push([name, payload]); };
  r.names = () => r.events.map((e) => e[0]);
  return r;
}

// An app storage object over a Map, counting its calls.
export function mapStorage() {
  const m = new Map();
  return { m, calls: [],
    getItem(k) { this.calls.push('get'); return m.has(k) ? m.get(k) : null; },
    setItem(k, v) { this.calls.push('set'); m.set(k, String(v)); },
    removeItem(k) { this.calls.push('remove'); m.delete(k); } };
}

// The grant_type of each request to the provider's token endpoint in `log`.
export function grantTypes(p, log) {
  return log.filter((e) => e.url === p.issuer + '/token')
    .map((e) => new URLSearchParams(e.body).get('grant_type'));
}

// What the browser does when the page comes back: `focus` on window, `visibilitychange`
// on document.
export function windowFocus() { window.dispatchEvent(new Event('focus')); }
export function pageVisible() { document.dispatchEvent(new Event('visibilitychange')); }
export function visibilityState() { return document.visibilityState; }

// What another tab does: writes localStorage, and the browser fires `storage` here.
export function otherTabWrites(key, value) {
  const old = localStorage.getItem(key);
  if (value == null) localStorage.removeItem(key); else localStorage.setItem(key, value);
  window.dispatchEvent(new StorageEvent('storage', { key, oldValue: old, newValue: value ?? null, storageArea: localStorage }));
}

// Holds the provider's refresh answers until the returned function is called.
export function holdRefreshes(p) {
  let release;
  p.hold = new Promise((r) => { release = r; });
  return () => { p.hold = null; release(); };
}

// Resolves once the Web Locks whose names start with `prefix` are held `held` times and
// awaited `pending` times; rejects after `ms`, naming what it saw.
export async function webLocks(prefix, held, pending, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const q = await navigator.locks.query();
    const count = (list) => list.filter((l) => l.name.startsWith(prefix)).length;
    if (count(q.held) === held && count(q.pending) === pending) return;
    if (Date.now() > end) throw new Error(`Web Locks ${prefix}*: ${count(q.held)} held and ${count(q.pending)} awaited after ${ms} ms, not ${held} and ${pending}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Two views `a` and `b` of one storage, as two renderer processes see localStorage in
// Chromium: a view's own writes show in it at once, the other view's only after flushB()
// (for b: the browser's messages that bring each process's copy up to date, which are not
// ordered with the Web Locks' hand-over). readsB() counts getItem calls on b.
export function laggingStorage() {
  const state = () => ({ m: new Map(), pending: [], reads: 0 });
  const sa = state(), sb = state();
  const view = (self, other) => ({
    getItem(k) { self.reads += 1; return self.m.has(k) ? self.m.get(k) : null; },
    setItem(k, v) { self.m.set(k, String(v)); other.pending.push([k, String(v)]); },
    removeItem(k) { self.m.delete(k); other.pending.push([k, null]); },
  });
  return {
    a: view(sa, sb), b: view(sb, sa),
    flushB() { for (const [k, v] of sb.pending) { if (v === null) sb.m.delete(k); else sb.m.set(k, v); } sb.pending = []; },
    readsB() { return sb.reads; },
  };
}

// Keeps every window.setTimeout of at least `minMs` instead of arming it: trap.timers holds
// [callback, ms] (fire one by calling it); trap.restore() puts the real setTimeout back.
export function trapLongTimers(minMs) {
  const real = window.setTimeout;
  const trap = { timers: [], restore() { window.setTimeout = real; } };
  window.setTimeout = function (f, ms, ...args) {
    if (ms < minMs) return real.call(window, f, ms, ...args);
    trap.timers.push([f, ms]);
    return 1e9 + trap.timers.length;
  };
  return trap;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = newProvider)]
    fn new_provider(issuer: &str, client_id: &str, signer: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = storedValue)]
    fn stored_value(provider: &JsValue, exp: f64, extra: &JsValue) -> Promise;
    fn recorder() -> JsValue;
    #[wasm_bindgen(js_name = mapStorage)]
    fn map_storage() -> JsValue;
    #[wasm_bindgen(js_name = otherTabWrites)]
    fn other_tab_writes(key: &str, value: Option<String>);
    #[wasm_bindgen(js_name = grantTypes)]
    fn grant_types(provider: &JsValue, log: &Array) -> Array;
    #[wasm_bindgen(js_name = windowFocus)]
    fn window_focus();
    #[wasm_bindgen(js_name = pageVisible)]
    fn page_visible();
    #[wasm_bindgen(js_name = visibilityState)]
    fn visibility_state() -> String;
    #[wasm_bindgen(js_name = trapLongTimers)]
    fn trap_long_timers(min_ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = holdRefreshes)]
    fn hold_refreshes(provider: &JsValue) -> Function;
    #[wasm_bindgen(js_name = webLocks)]
    fn web_locks(prefix: &str, held: u32, pending: u32, ms: u32) -> Promise;
    #[wasm_bindgen(js_name = laggingStorage)]
    fn lagging_storage() -> JsValue;
}

fn num(v: &JsValue, key: &str) -> f64 {
    prop(v, key).as_f64().unwrap()
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn session_storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

struct Env {
    client: Rc<Client>,
    provider: JsValue,
    issuer: String,
    events: JsValue,
}

impl Env {
    fn key(&self) -> String {
        storage_key(&self.issuer, CLIENT_ID)
    }

    fn refreshes(&self) -> f64 {
        num(&self.provider, "refreshes")
    }

    fn event_names(&self) -> Vec<String> {
        names_of(&self.events)
    }

    /// The payload of the last event called `name`.
    fn last_event(&self, name: &str) -> JsValue {
        let events: Array = prop(&self.events, "events").into();
        events
            .iter()
            .filter(|e| Array::from(e).get(0).as_string().as_deref() == Some(name))
            .last()
            .map(|e| Array::from(&e).get(1))
            .unwrap()
    }

    /// Writes a stored value whose tokens expire at `exp`.
    async fn seed(&self, storage: &web_sys::Storage, exp: f64, extra: JsValue) {
        let value = wait(stored_value(&self.provider, exp, &extra)).await;
        storage
            .set_item(&self.key(), &value.as_string().unwrap())
            .unwrap();
    }
}

/// The names of the events a `recorder()` recorded, in order.
fn names_of(events: &JsValue) -> Vec<String> {
    let names: Array = prop(events, "names")
        .unchecked_into::<Function>()
        .call0(events)
        .unwrap()
        .into();
    names.iter().map(|n| n.as_string().unwrap()).collect()
}

/// A client of a fresh issuer with its fake provider, autoRenew off, every event recorded.
async fn env(name: &str, storage: &str) -> Env {
    env_at(format!("https://{name}.tokens.example"), storage).await
}

/// [`env`] with the issuer given.
async fn env_at(issuer: String, storage: &str) -> Env {
    let signer = signer("k1").await;
    let provider = new_provider(&issuer, CLIENT_ID, &signer);
    mock_fetch(&prop(&provider, "table"));
    let client = client_with(&issuer, storage, ConfigInput::default());
    let events = recorder();
    let listener = prop(&events, "listener").unchecked_into::<Function>();
    for name in tokens::EVENTS {
        let f = listener.call1(&events, &name.into()).unwrap();
        tokens::on(&client, name, f.unchecked_into()).unwrap();
    }
    Env {
        client,
        provider,
        issuer,
        events,
    }
}

/// A started client of `issuer` over `storage` ("custom": give it its object with
/// `tokens::set_custom_storage`), autoRenew off, with the options `more` sets.
fn client_with(issuer: &str, storage: &str, more: ConfigInput) -> Rc<Client> {
    let storage = match storage {
        "custom" => StorageInput::Custom,
        name => StorageInput::Name(name.into()),
    };
    let client = Rc::new(validated_client(ConfigInput {
        storage: Some(storage),
        auto_renew: Some(false),
        scopes: more.scopes,
        http_timeout_ms: more.http_timeout_ms,
        ..config_input(issuer, CLIENT_ID, "https://app.example/callback")
    }));
    tokens::start(&client);
    client
}

/// `signOut({ local: true })`.
async fn sign_out_locally(client: &Rc<Client>) {
    let options = SignOutOptions {
        local: true,
        ..SignOutOptions::default()
    };
    sign_out_url(client.clone(), options).await.unwrap();
}

fn access_only(value: &str, expires_at: i64) -> TokenSet {
    TokenSet {
        id_token: None,
        access_token: Some(access_token(value, expires_at)),
        refresh_token: None,
    }
}

fn now() -> i64 {
    now_seconds() as i64
}

fn access_value(t: &Option<TokenSet>) -> Option<String> {
    t.as_ref()
        .and_then(|t| t.access_token.as_ref())
        .map(|a| a.value.clone())
}

// ---- storage backends ---------------------------------------------------------------------

#[wasm_bindgen_test]
async fn memory_storage_keeps_tokens_out_of_web_storage() {
    let e = env("memory", "memory").await;
    tokens::store(&e.client, access_only("at-mem", now() + 3600));
    let got = get_tokens(e.client.clone(), Which::All).await.unwrap();
    assert_eq!(access_value(&got).as_deref(), Some("at-mem"));
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    assert_eq!(session_storage().get_item(&e.key()).unwrap(), None);
    assert_eq!(e.event_names(), ["added"]);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn local_storage_tokens_survive_a_new_client() {
    let e = env("local", "localStorage").await;
    tokens::store(&e.client, access_only("at-local", now() + 3600));
    let raw = local_storage().get_item(&e.key()).unwrap().unwrap();
    assert!(raw.starts_with("{\"version\":1,"), "{raw}");
    let again = Rc::new(Client::new(e.client.config.clone()));
    let got = get_tokens(again, Which::AccessToken).await.unwrap();
    assert_eq!(access_value(&got).as_deref(), Some("at-local"));
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn session_storage_tokens_survive_a_new_client() {
    let e = env("session", "sessionStorage").await;
    tokens::store(&e.client, access_only("at-session", now() + 3600));
    assert!(session_storage().get_item(&e.key()).unwrap().is_some());
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    let again = Rc::new(Client::new(e.client.config.clone()));
    let got = get_tokens(again, Which::All).await.unwrap();
    assert_eq!(access_value(&got).as_deref(), Some("at-session"));
    session_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn custom_storage_object_serves_the_facade() {
    let e = env("custom", "memory").await;
    let storage = map_storage();
    let value = wait(stored_value(
        &e.provider,
        (now() + 3600) as f64,
        &JsValue::UNDEFINED,
    ))
    .await;
    let map = prop(&storage, "m");
    let set: Function = prop(&map, "set").unchecked_into();
    set.call2(&map, &e.key().into(), &value).unwrap();

    let client = AuthClient::new(facade_config(&e.issuer, storage, false)).unwrap();
    let at = wait(client.get_access_token()).await;
    assert_eq!(prop(&at, "value").as_string().as_deref(), Some("at-0"));
    assert_eq!(
        prop(&at, "tokenType").as_string().as_deref(),
        Some("Bearer")
    );
    let id = wait(client.get_id_token()).await;
    assert_eq!(
        prop(&id, "clientId").as_string().as_deref(),
        Some(CLIENT_ID)
    );
    assert_eq!(
        prop(&prop(&id, "claims"), "sub").as_string().as_deref(),
        Some("user-1")
    );
    assert_eq!(wait(client.is_authenticated()).await, JsValue::TRUE);

    // signOut({local: true}) removes the value from the app's object.
    wait(client.sign_out(js_obj(&[("local", true.into())]))).await;
    let has: Function = prop(&map, "has").unchecked_into();
    assert_eq!(has.call1(&map, &e.key().into()).unwrap(), JsValue::FALSE);
    assert_eq!(wait(client.is_authenticated()).await, JsValue::FALSE);
    unmock_fetch();
}

// ---- corrupt and foreign storage ----------------------------------------------------------

#[wasm_bindgen_test]
async fn discards_corrupt_storage_with_an_error_event() {
    let e = env("corrupt", "localStorage").await;
    local_storage()
        .set_item(&e.key(), "{\"version\":1,")
        .unwrap();
    let got = get_tokens(e.client.clone(), Which::All).await.unwrap();
    assert_eq!(got, None);
    assert_eq!(e.event_names(), ["error"]);
    assert_eq!(
        prop(&e.last_event("error"), "code").as_string().as_deref(),
        Some("invalid_response")
    );
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn discards_an_id_token_of_another_issuer() {
    let e = env("foreign", "localStorage").await;
    let other = new_provider(
        "https://evil.tokens.example",
        CLIENT_ID,
        &signer("k2").await,
    );
    let evil = wait(stored_value(
        &other,
        (now() + 3600) as f64,
        &JsValue::UNDEFINED,
    ))
    .await
    .as_string()
    .unwrap();
    // The value claims the right issuer; the ID token inside names another.
    let forged = evil.replace("https://evil.tokens.example\"", &format!("{}\"", e.issuer));
    local_storage().set_item(&e.key(), &forged).unwrap();
    assert_eq!(
        get_tokens(e.client.clone(), Which::All).await.unwrap(),
        None
    );
    assert_eq!(
        prop(&e.last_event("error"), "code").as_string().as_deref(),
        Some("issuer_mismatch")
    );
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn discards_a_value_of_another_version() {
    let e = env("version", "localStorage").await;
    let extra = js_obj(&[("version", 2.into())]);
    e.seed(&local_storage(), (now() + 3600) as f64, extra).await;
    assert_eq!(
        get_tokens(e.client.clone(), Which::All).await.unwrap(),
        None
    );
    assert_eq!(e.event_names(), ["error"]);
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn discards_a_custom_storage_value_that_is_no_string() {
    let e = env("notstring", "memory").await;
    let storage = map_storage();
    let map = prop(&storage, "m");
    let set: Function = prop(&map, "set").unchecked_into();
    set.call2(&map, &e.key().into(), &js_sys::Object::new())
        .unwrap();
    let client = AuthClient::new(facade_config(&e.issuer, storage, false)).unwrap();
    let events = recorder();
    let listener: Function = prop(&events, "listener").unchecked_into();
    client
        .on(
            "error".into(),
            listener
                .call1(&events, &"error".into())
                .unwrap()
                .unchecked_into(),
        )
        .unwrap();
    let tokens = wait(client.get_tokens()).await;
    assert_eq!(
        js_sys::Object::keys(tokens.unchecked_ref::<js_sys::Object>()).length(),
        0
    );
    let recorded: Array = prop(&events, "events").into();
    assert_eq!(recorded.length(), 1);
    assert_eq!(
        prop(&Array::from(&recorded.get(0)).get(1), "code")
            .as_string()
            .as_deref(),
        Some("invalid_response")
    );
    unmock_fetch();
}

// ---- expiry and renew on read -------------------------------------------------------------

#[wasm_bindgen_test]
async fn hands_out_a_fresh_token_without_renewal() {
    let e = env("fresh", "localStorage").await;
    e.seed(&local_storage(), (now() + 3600) as f64, JsValue::UNDEFINED)
        .await;
    let got = get_tokens(e.client.clone(), Which::AccessToken)
        .await
        .unwrap();
    assert_eq!(access_value(&got).as_deref(), Some("at-0"));
    assert_eq!(e.refreshes(), 0.0);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn renews_on_read_within_expire_early_seconds() {
    let e = env("early", "localStorage").await;
    let exp = now() + 100;
    e.seed(&local_storage(), exp as f64, JsValue::UNDEFINED)
        .await;
    // 20 s before expiry: inside the default 30 s window.
    e.client.clock_override.set(Some(exp - 20));
    let got = get_tokens(e.client.clone(), Which::AccessToken)
        .await
        .unwrap();
    assert_eq!(access_value(&got).as_deref(), Some("at-1"));
    assert_eq!(e.refreshes(), 1.0);
    // The rotated refresh token is kept, in memory and in storage.
    let held = e.client.tokens.borrow().clone().unwrap();
    assert_eq!(held.refresh_token.as_deref(), Some("rt-1"));
    let raw = local_storage().get_item(&e.key()).unwrap().unwrap();
    assert!(raw.contains("\"refreshToken\":\"rt-1\""), "{raw}");
    assert!(e.event_names().contains(&"renewed".to_string()));
    let renewed = e.last_event("renewed");
    assert_eq!(
        prop(&prop(&renewed, "accessToken"), "value")
            .as_string()
            .as_deref(),
        Some("at-1")
    );
    // The refresh request sent the old refresh token.
    let bodies: Array = prop(&e.provider, "bodies").into();
    assert_eq!(
        prop(&bodies.get(0), "refresh_token").as_string().as_deref(),
        Some("rt-0")
    );
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn renews_on_read_an_expired_token() {
    let e = env("expired", "sessionStorage").await;
    let exp = now() + 100;
    e.seed(&session_storage(), exp as f64, JsValue::UNDEFINED)
        .await;
    e.client.clock_override.set(Some(exp + 5));
    let got = get_tokens(e.client.clone(), Which::IdToken).await.unwrap();
    let id = got.unwrap().id_token.unwrap();
    assert!(id.exp() > exp + 5);
    assert_eq!(e.refreshes(), 1.0);
    session_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn returns_the_renewal_error_not_the_stale_token() {
    let e = env("stale", "localStorage").await;
    let exp = now() + 100;
    e.seed(&local_storage(), exp as f64, JsValue::UNDEFINED)
        .await;
    set(&e.provider, "fail", &"server_error".into());
    e.client.clock_override.set(Some(exp + 1));
    let err = get_tokens(e.client.clone(), Which::AccessToken)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "server_error");
    // A transient failure keeps the session for the next try.
    assert!(e.client.tokens.borrow().is_some());
    assert!(local_storage().get_item(&e.key()).unwrap().is_some());
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn invalid_grant_clears_the_tokens_and_fires_expired() {
    let e = env("invalidgrant", "localStorage").await;
    e.seed(&local_storage(), (now() + 3600) as f64, JsValue::UNDEFINED)
        .await;
    set(&e.provider, "fail", &"invalid_grant".into());
    let err = renew_tokens(e.client.clone()).await.unwrap_err();
    assert_eq!(err.code(), "invalid_grant");
    assert!(e.client.tokens.borrow().is_none());
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    assert_eq!(e.event_names(), ["added", "expired"]);
    assert_eq!(
        prop(&prop(&e.last_event("expired"), "refreshToken"), "value")
            .as_string()
            .as_deref(),
        Some("rt-0")
    );
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn sign_out_during_a_refresh_leaves_no_tokens_behind() {
    // A refresh is on its way when the app signs out: its answer must not bring the
    // tokens (and a fresh refresh token) back into memory and storage.
    let e = env("signoutrace", "localStorage").await;
    e.seed(&local_storage(), (now() + 3600) as f64, JsValue::UNDEFINED)
        .await;
    let release = hold_refreshes(&e.provider);
    let pending = spawn(renew_tokens(e.client.clone()));
    let provider = e.provider.clone();
    eventually("a refresh request", 10_000, move || {
        num(&provider, "refreshes") >= 1.0
    })
    .await;
    sign_out_locally(&e.client).await;
    assert!(e.client.tokens.borrow().is_none());
    assert!(!pending.is_set(), "the refresh answer is still held");
    release.call0(&JsValue::NULL).unwrap();
    let _ = pending.wait().await;
    assert!(
        e.client.tokens.borrow().is_none(),
        "the refresh answer brought the tokens back after sign-out"
    );
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    assert_eq!(e.event_names(), ["added", "removed"]);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn a_stalled_refresh_times_out_keeps_the_tokens_and_frees_the_lock() {
    // The token endpoint never answers: after httpTimeoutMs the request is aborted and the
    // renewal fails with `timeout` naming the token endpoint. The tokens are kept, and the
    // Web Lock is free: the next renewal, the provider answering again, goes through.
    let e = env("stalled", "memory").await;
    let more = ConfigInput {
        http_timeout_ms: Some(200.0),
        ..ConfigInput::default()
    };
    let client = client_with(&e.issuer, "localStorage", more);
    e.seed(&local_storage(), (now() + 3600) as f64, JsValue::UNDEFINED)
        .await;
    let release = hold_refreshes(&e.provider);
    let err = renew_tokens(client.clone()).await.unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert!(
        err.description()
            .contains("token endpoint within httpTimeoutMs"),
        "{}",
        err.description()
    );
    assert_eq!(
        access_value(&client.tokens.borrow()).as_deref(),
        Some("at-0")
    );
    let lock = format!("okta-auth-wasm:renew:{}", e.key());
    wait(web_locks(&lock, 0, 0, 10_000)).await;
    release.call0(&JsValue::NULL).unwrap();
    let renewed = renew_tokens(client.clone()).await.unwrap();
    assert_eq!(access_value(&Some(renewed)).as_deref(), Some("at-2"));
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn a_refresh_without_an_id_token_drops_the_due_one_and_renews_no_more() {
    // OpenID Connect Core §12.2 allows a refresh answer without an ID token. The held one is
    // due (20 s left, inside the 30 s window): kept, it would make every read renew again.
    let e = env("noidrefresh", "localStorage").await;
    set(&e.provider, "noIdTokenOnRefresh", &JsValue::TRUE);
    let at = js_obj(&[
        ("value", "at-0".into()),
        ("expiresAt", ((now() + 3600) as f64).into()),
        ("scopes", Array::new().into()),
        ("tokenType", "Bearer".into()),
    ]);
    let extra = js_obj(&[("accessToken", at)]);
    e.seed(&local_storage(), (now() + 20) as f64, extra).await;
    let first = get_tokens(e.client.clone(), Which::All).await.unwrap();
    assert_eq!(e.refreshes(), 1.0);
    assert_eq!(access_value(&first).as_deref(), Some("at-1"));
    assert!(
        first.and_then(|t| t.id_token).is_none(),
        "the due ID token is dropped"
    );
    for _ in 0..3 {
        let again = get_tokens(e.client.clone(), Which::All).await.unwrap();
        assert_eq!(access_value(&again).as_deref(), Some("at-1"));
    }
    assert!(tokens::is_authenticated(e.client.clone()).await);
    assert_eq!(e.refreshes(), 1.0, "no renewal loop");
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn a_renewal_that_panics_frees_the_slot_for_the_next_one() {
    // A panic traps: no destructor runs in the frames it skips. The renewal runs as its own
    // task, so the trap rejects that task, its callers get `internal`, and the next renewal
    // starts afresh instead of joining one that will never end. The panic is provoked by
    // holding a borrow of the tokens while the renewal stores its answer (memory storage:
    // no Web Lock, whose callback would catch it first).
    let e = env("panicking", "memory").await;
    tokens::store(
        &e.client,
        TokenSet {
            id_token: None,
            access_token: Some(access_token("at-0", now() + 3600)),
            refresh_token: Some("rt-0".into()),
        },
    );
    let renew = |client: Rc<Client>| {
        // As the facade calls it: each poll inside the panic guard.
        okta_auth_wasm::browser::panic::future_to_promise(async move {
            renew_tokens(client).await.map(|t| {
                t.access_token
                    .map(|a| JsValue::from(a.value))
                    .unwrap_or_default()
            })
        })
    };
    let held = e.client.tokens.borrow();
    let first = JsFuture::from(renew(e.client.clone())).await;
    drop(held);
    assert_eq!(
        prop(&first.unwrap_err(), "code").as_string().as_deref(),
        Some("internal")
    );
    let second = spawn(JsFuture::from(renew(e.client.clone())));
    let settled = second.clone();
    eventually("the renewal after the panicked one", 10_000, move || {
        settled.is_set()
    })
    .await;
    let value = second.wait().await.unwrap();
    assert_eq!(value.as_string().as_deref(), Some("at-2"));
    assert_eq!(e.refreshes(), 2.0);
    unmock_fetch();
}

// ---- one request for many readers -------------------------------------------------------

#[wasm_bindgen_test]
async fn concurrent_reads_make_one_refresh_request() {
    let e = env("concurrent", "localStorage").await;
    let exp = now() + 100;
    e.seed(&local_storage(), exp as f64, JsValue::UNDEFINED)
        .await;
    set(&e.provider, "delayMs", &50.into());
    e.client.clock_override.set(Some(exp + 1));
    let reads: Vec<_> = (0..5)
        .map(|i| {
            let which = if i % 2 == 0 {
                Which::AccessToken
            } else {
                Which::All
            };
            spawn(get_tokens(e.client.clone(), which))
        })
        .collect();
    for read in reads {
        let got = read.wait().await.unwrap();
        assert_eq!(access_value(&got).as_deref(), Some("at-1"));
    }
    assert_eq!(e.refreshes(), 1.0);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn two_clients_of_one_storage_share_one_renewal_through_web_locks() {
    // Two clients of one localStorage stand for two tabs: the second waits for the Web Lock,
    // reads storage again, and takes the first one's tokens instead of refreshing.
    let e = env("twotabs", "localStorage").await;
    let exp = now() + 100;
    e.seed(&local_storage(), exp as f64, JsValue::UNDEFINED)
        .await;
    let release = hold_refreshes(&e.provider);
    let other = Rc::new(Client::new(e.client.config.clone()));
    e.client.clock_override.set(Some(exp + 1));
    other.clock_override.set(Some(exp + 1));
    // The interleaving, step by step: the first client's refresh is held under the lock;
    // the second asks for the lock and waits; only then is the refresh answered.
    let first = spawn(get_tokens(e.client.clone(), Which::All));
    let provider = e.provider.clone();
    eventually("the first client's refresh request", 10_000, move || {
        num(&provider, "refreshes") >= 1.0
    })
    .await;
    let second = spawn(get_tokens(other.clone(), Which::All));
    wait(web_locks(
        &format!("okta-auth-wasm:renew:{}", e.key()),
        1,
        1,
        10_000,
    ))
    .await;
    assert_eq!(
        e.refreshes(),
        1.0,
        "the second waits without a request of its own"
    );
    release.call0(&JsValue::NULL).unwrap();
    assert_eq!(
        access_value(&first.wait().await.unwrap()).as_deref(),
        Some("at-1")
    );
    assert_eq!(
        access_value(&second.wait().await.unwrap()).as_deref(),
        Some("at-1")
    );
    assert_eq!(e.refreshes(), 1.0);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn a_tab_handed_the_lock_before_the_other_tabs_tokens_show_waits_for_them() {
    // Chromium keeps a copy of localStorage per renderer process, brought up to date by
    // messages that are not ordered with the Web Lock's hand-over: tab b can get the lock
    // from tab a while its copy still shows the tokens a just renewed away (seen in the
    // e2e test about 1 run in 10). Refreshing then sends the rotated refresh token, which a
    // provider with reuse detection (oidc-provider; Auth0) answers by revoking the grant.
    // b must wait until a's renewal marker shows, then take a's tokens.
    let e = env("lagging", "memory").await;
    let storage = lagging_storage();
    let view = |name: &str| {
        let client = client_with(&e.issuer, "custom", ConfigInput::default());
        tokens::set_custom_storage(&client, prop(&storage, name));
        client
    };
    let (a, b) = (view("a"), view("b"));
    let seeded = wait(stored_value(
        &e.provider,
        (now() + 3600) as f64,
        &JsValue::UNDEFINED,
    ))
    .await;
    let set_a: Function = prop(&prop(&storage, "a"), "setItem").unchecked_into();
    set_a
        .call2(&prop(&storage, "a"), &e.key().into(), &seeded)
        .unwrap();
    call_method(&storage, "flushB");

    let release = hold_refreshes(&e.provider);
    let first = spawn(renew_tokens(a.clone()));
    let provider = e.provider.clone();
    eventually("tab a's refresh request", 10_000, move || {
        num(&provider, "refreshes") >= 1.0
    })
    .await;
    let second = spawn(renew_tokens(b.clone()));
    wait(web_locks(
        &format!("okta-auth-wasm:renew:{}", e.key()),
        1,
        1,
        10_000,
    ))
    .await;
    release.call0(&JsValue::NULL).unwrap();
    assert_eq!(
        access_value(&Some(first.wait().await.unwrap())).as_deref(),
        Some("at-1")
    );
    // a has released the lock; b holds it now and reads its (stale) copy.
    let reads = call_method(&storage, "readsB").as_f64().unwrap();
    let counted = storage.clone();
    eventually(
        "tab b reading its storage under the lock",
        10_000,
        move || call_method(&counted, "readsB").as_f64().unwrap() > reads,
    )
    .await;
    call_method(&storage, "flushB");
    let got = second.wait().await.unwrap();
    assert_eq!(access_value(&Some(got.clone())).as_deref(), Some("at-1"));
    assert_eq!(got.refresh_token.as_deref(), Some("rt-1"));
    assert_eq!(
        e.refreshes(),
        1.0,
        "tab b refreshed with a refresh token a had rotated"
    );
    unmock_fetch();
}

/// Calls `obj[method]()`.
fn call_method(obj: &JsValue, method: &str) -> JsValue {
    prop(obj, method)
        .unchecked_into::<Function>()
        .call0(obj)
        .unwrap()
}

// ---- events --------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn another_tab_change_fires_events_here() {
    let e = env("storageevent", "localStorage").await;
    e.seed(&local_storage(), (now() + 3600) as f64, JsValue::UNDEFINED)
        .await;
    get_tokens(e.client.clone(), Which::All).await.unwrap();
    let at = js_obj(&[
        ("value", "at-from-tab-2".into()),
        ("scopes", Array::new().into()),
        ("tokenType", "Bearer".into()),
    ]);
    let extra = js_obj(&[("accessToken", at)]);
    let value = wait(stored_value(&e.provider, (now() + 3600) as f64, &extra)).await;
    other_tab_writes(&e.key(), value.as_string());
    assert_eq!(e.event_names(), ["added", "renewed"]);
    assert_eq!(
        access_value(&e.client.tokens.borrow().clone()).as_deref(),
        Some("at-from-tab-2")
    );
    other_tab_writes(&e.key(), None);
    assert_eq!(e.event_names(), ["added", "renewed", "removed"]);
    assert!(e.client.tokens.borrow().is_none());
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn off_removes_a_listener() {
    let e = env("off", "memory").await;
    let events = recorder();
    let listener: Function = prop(&events, "listener")
        .unchecked_into::<Function>()
        .call1(&events, &"added".into())
        .unwrap()
        .unchecked_into();
    tokens::on(&e.client, "added", listener.clone()).unwrap();
    tokens::off(&e.client, "added", &listener).unwrap();
    tokens::store(&e.client, access_only("at", now() + 3600));
    assert_eq!(Array::from(&prop(&events, "events")).length(), 0);
    unmock_fetch();
}

#[wasm_bindgen_test]
fn on_refuses_an_unknown_event() {
    let client = validated_client(config_input(
        "https://unknown-event.tokens.example",
        CLIENT_ID,
        "https://app.example/callback",
    ));
    let err = tokens::on(&client, "refreshed", Function::new_no_args("")).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }));
    assert_eq!(err.code(), "invalid_parameter");
}

// ---- renewal without a refresh token, and autoRenew -----------------------------------------

/// Waits until `f` holds, failing the test with `what` after `ms`.
async fn eventually(what: &str, ms: u32, f: impl Fn() -> bool + 'static) {
    let f = Closure::<dyn Fn() -> bool>::new(f);
    let result = JsFuture::from(wait_for(f.as_ref().unchecked_ref(), ms)).await;
    assert!(result.is_ok(), "{what}: not within {ms} ms");
}

/// The facade's configuration for `issuer` with `storage` (a name or an object) and
/// `autoRenew`.
fn facade_config(issuer: &str, storage: JsValue, auto_renew: bool) -> AuthConfigJs {
    js_obj(&[
        ("issuer", issuer.into()),
        ("clientId", CLIENT_ID.into()),
        ("redirectUri", "https://app.example/cb".into()),
        ("storage", storage),
        ("autoRenew", auto_renew.into()),
    ])
    .unchecked_into()
}

/// An `AuthClient` of `issuer` over localStorage (as an app creates it: autoRenew runs only
/// there), and a recorder of all its events.
fn auth_client(issuer: &str, auto_renew: bool) -> (AuthClient, JsValue) {
    let client = AuthClient::new(facade_config(issuer, "localStorage".into(), auto_renew)).unwrap();
    let events = recorder();
    let listener: Function = prop(&events, "listener").unchecked_into();
    for name in tokens::EVENTS {
        let f = listener.call1(&events, &name.into()).unwrap();
        client.on(name.into(), f.unchecked_into()).unwrap();
    }
    (client, events)
}

/// The value of the access token in the payload of the last `renewed` event.
fn renewed_access_token(events: &JsValue) -> Option<String> {
    let recorded: Array = prop(events, "events").into();
    recorded
        .iter()
        .filter(|e| Array::from(e).get(0).as_string().as_deref() == Some("renewed"))
        .last()
        .and_then(|e| prop(&prop(&Array::from(&e).get(1), "accessToken"), "value").as_string())
}

/// Answers the silent sign-in in `frame` with a code, as Okta's page posts it from the
/// iframe: the `state` of its authorize URL, read into `q`.
fn answer_silent_frame(frame: &JsValue, q: &JsValue) {
    let message = js_obj(&[("code", "code-silent".into()), ("state", prop(q, "state"))]);
    dispatch_message(
        &message,
        "http://127.0.0.1:9",
        &prop(frame, "contentWindow"),
    );
}

/// The `grant_type` of each token request the provider of `e` received, in order.
fn grants_seen(e: &Env) -> Vec<String> {
    grant_types(&e.provider, &fetch_log())
        .iter()
        .map(|g| g.as_string().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn renews_through_a_silent_iframe_when_no_refresh_token_is_held() {
    // A loopback port nothing listens on: the iframe's navigation fails at once, and the
    // provider's answer is forged from its window, as Okta's page would post it.
    let e = env_at("http://127.0.0.1:9/tokens-silent".into(), "localStorage").await;
    let extra = js_obj(&[("refreshToken", JsValue::UNDEFINED)]);
    e.seed(&local_storage(), (now() + 3600) as f64, extra).await;
    let pending = spawn(renew_tokens(e.client.clone()));
    let frame = silent_frame().await;
    let src = prop(&frame, "src").as_string().unwrap();
    assert!(
        src.starts_with("http://127.0.0.1:9/tokens-silent/authorize?"),
        "{src}"
    );
    let q = read_authorize(&e.provider, &src);
    assert_eq!(prop(&q, "prompt").as_string().as_deref(), Some("none"));
    assert_eq!(
        prop(&q, "response_mode").as_string().as_deref(),
        Some("okta_post_message")
    );
    answer_silent_frame(&frame, &q);
    let renewed = pending.wait().await.unwrap();
    assert_eq!(
        access_value(&Some(renewed.clone())).as_deref(),
        Some("at-silent")
    );
    assert_eq!(renewed.refresh_token, None);
    // The code grant, never the refresh-token grant.
    let grants = grants_seen(&e);
    assert_eq!(grants, ["authorization_code"]);
    assert_eq!(e.refreshes(), 0.0);
    // Stored, in memory and in storage, and announced.
    assert_eq!(
        access_value(&e.client.tokens.borrow().clone()).as_deref(),
        Some("at-silent")
    );
    let raw = local_storage().get_item(&e.key()).unwrap().unwrap();
    assert!(raw.contains("\"at-silent\""), "{raw}");
    assert_eq!(e.event_names(), ["added", "renewed"]);
    assert_eq!(
        prop(&prop(&e.last_event("renewed"), "accessToken"), "value")
            .as_string()
            .as_deref(),
        Some("at-silent")
    );
    assert_eq!(silent_frames().length(), 0);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn a_silent_renewal_that_signs_in_another_user_keeps_nothing() {
    // The provider's session now belongs to user-2; the held tokens are user-1's.
    let e = env_at("http://127.0.0.1:9/tokens-switch".into(), "localStorage").await;
    set(&e.provider, "codeSub", &"user-2".into());
    let extra = js_obj(&[("refreshToken", JsValue::UNDEFINED)]);
    e.seed(&local_storage(), (now() + 3600) as f64, extra).await;
    let before = local_storage().get_item(&e.key()).unwrap().unwrap();
    let pending = spawn(renew_tokens(e.client.clone()));
    let frame = silent_frame().await;
    let q = read_authorize(&e.provider, &prop(&frame, "src").as_string().unwrap());
    answer_silent_frame(&frame, &q);
    let err = pending.wait().await.unwrap_err();
    assert_eq!(err.code(), "sub_mismatch", "{err:?}");
    // The code was redeemed (the check needs the verified ID token), but nothing was kept.
    let grants = grants_seen(&e);
    assert_eq!(grants, ["authorization_code"]);
    assert_eq!(
        access_value(&e.client.tokens.borrow().clone()).as_deref(),
        Some("at-0")
    );
    assert_eq!(local_storage().get_item(&e.key()).unwrap().unwrap(), before);
    assert!(
        !e.event_names().iter().any(|n| n == "renewed"),
        "{:?}",
        e.event_names()
    );
    assert_eq!(silent_frames().length(), 0);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn sign_out_during_a_silent_renewal_leaves_no_tokens_behind() {
    // The iframe path of the rule the refresh path follows (tokens::superseded): the answer
    // of a renewal that outlived a sign-out is not stored.
    let e = env_at(
        "http://127.0.0.1:9/tokens-silent-out".into(),
        "localStorage",
    )
    .await;
    let extra = js_obj(&[("refreshToken", JsValue::UNDEFINED)]);
    e.seed(&local_storage(), (now() + 3600) as f64, extra).await;
    let pending = spawn(renew_tokens(e.client.clone()));
    let frame = silent_frame().await;
    let q = read_authorize(&e.provider, &prop(&frame, "src").as_string().unwrap());
    sign_out_locally(&e.client).await;
    answer_silent_frame(&frame, &q);
    let err = pending.wait().await.unwrap_err();
    assert_eq!(err.code(), "not_authenticated", "{err:?}");
    assert_eq!(grants_seen(&e), ["authorization_code"]);
    assert!(e.client.tokens.borrow().is_none());
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    assert_eq!(e.event_names(), ["added", "removed"]);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn a_renewal_that_waited_for_the_lock_and_finds_the_tokens_gone_signs_nobody_in() {
    // Tab a refreshes under the lock, tab b waits for it, and a signs out meanwhile. b then
    // holds nothing to renew: not_authenticated, and no silent sign-in of whoever the
    // provider's session belongs to.
    let e = env("lockedout", "localStorage").await;
    e.seed(&local_storage(), (now() + 3600) as f64, JsValue::UNDEFINED)
        .await;
    let other = Rc::new(Client::new(e.client.config.clone()));
    tokens::start(&other);
    let release = hold_refreshes(&e.provider);
    let first = spawn(renew_tokens(e.client.clone()));
    let provider = e.provider.clone();
    eventually("tab a's refresh request", 10_000, move || {
        num(&provider, "refreshes") >= 1.0
    })
    .await;
    let second = spawn(renew_tokens(other.clone()));
    let lock = format!("okta-auth-wasm:renew:{}", e.key());
    wait(web_locks(&lock, 1, 1, 10_000)).await;
    sign_out_locally(&e.client).await;
    release.call0(&JsValue::NULL).unwrap();
    assert_eq!(first.wait().await.unwrap_err().code(), "not_authenticated");
    let err = second.wait().await.unwrap_err();
    assert_eq!(err.code(), "not_authenticated", "{err:?}");
    assert_eq!(silent_frames().length(), 0, "no silent sign-in was started");
    assert_eq!(grants_seen(&e), ["refresh_token"]);
    assert!(other.tokens.borrow().is_none());
    assert_eq!(local_storage().get_item(&e.key()).unwrap(), None);
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn a_silent_renewal_without_an_id_token_keeps_nothing() {
    // The held tokens are user-1's; the renewal's answer has an access token and no ID
    // token (the client asks for no openid scope), so nothing shows whose it is.
    let issuer = "http://127.0.0.1:9/tokens-no-id".to_owned();
    let e = env_at(issuer.clone(), "memory").await;
    set(&e.provider, "noIdToken", &JsValue::TRUE);
    let more = ConfigInput {
        scopes: Some(vec!["profile".into()]),
        ..ConfigInput::default()
    };
    let client = client_with(&issuer, "localStorage", more);
    let extra = js_obj(&[("refreshToken", JsValue::UNDEFINED)]);
    e.seed(&local_storage(), (now() + 3600) as f64, extra).await;
    let before = local_storage().get_item(&e.key()).unwrap().unwrap();
    let pending = spawn(renew_tokens(client.clone()));
    let frame = silent_frame().await;
    let q = read_authorize(&e.provider, &prop(&frame, "src").as_string().unwrap());
    answer_silent_frame(&frame, &q);
    let err = pending.wait().await.unwrap_err();
    assert_eq!(err.code(), "sub_mismatch", "{err:?}");
    assert!(
        err.description().contains("no ID token"),
        "{}",
        err.description()
    );
    assert_eq!(grants_seen(&e), ["authorization_code"]);
    assert_eq!(
        access_value(&client.tokens.borrow()).as_deref(),
        Some("at-0")
    );
    assert_eq!(local_storage().get_item(&e.key()).unwrap().unwrap(), before);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

/// Seeds tokens 20 s from expiry (inside the default 30 s `expireEarlySeconds`) and an
/// `AuthClient` over them; nothing is requested until something happens.
async fn due_tokens_and_client(name: &str, auto_renew: bool) -> (Env, AuthClient, JsValue) {
    let e = env(name, "localStorage").await;
    e.seed(&local_storage(), (now() + 20) as f64, JsValue::UNDEFINED)
        .await;
    let (client, events) = auth_client(&e.issuer, auto_renew);
    pause(50).await;
    assert_eq!(fetch_log().length(), 0);
    (e, client, events)
}

/// Waits for the background refresh, and checks it was announced and stored.
async fn assert_renewed_in_background(e: &Env, events: &JsValue, ms: u32) {
    let provider = e.provider.clone();
    eventually("a refresh request", ms, move || {
        num(&provider, "refreshes") >= 1.0
    })
    .await;
    let recorded = events.clone();
    eventually("a renewed event", 10_000, move || {
        names_of(&recorded).iter().any(|n| n == "renewed")
    })
    .await;
    assert_eq!(e.refreshes(), 1.0);
    assert_eq!(renewed_access_token(events).as_deref(), Some("at-1"));
    assert!(!names_of(events).iter().any(|n| n == "error"));
    let raw = local_storage().get_item(&e.key()).unwrap().unwrap();
    assert!(raw.contains("\"refreshToken\":\"rt-1\""), "{raw}");
}

#[wasm_bindgen_test]
async fn auto_renew_renews_due_tokens_when_the_window_gains_focus() {
    let (e, client, events) = due_tokens_and_client("autofocus", true).await;
    window_focus();
    assert_renewed_in_background(&e, &events, 10_000).await;
    drop(client);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn auto_renew_renews_due_tokens_when_the_page_becomes_visible() {
    assert_eq!(visibility_state(), "visible");
    let (e, client, events) = due_tokens_and_client("autovisible", true).await;
    page_visible();
    assert_renewed_in_background(&e, &events, 10_000).await;
    drop(client);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn without_auto_renew_focus_and_visibility_request_nothing() {
    let (e, client, events) = due_tokens_and_client("noautorenew", false).await;
    window_focus();
    page_visible();
    pause(500).await;
    assert_eq!(fetch_log().length(), 0);
    assert_eq!(e.refreshes(), 0.0);
    assert!(names_of(&events).is_empty(), "{:?}", names_of(&events));
    drop(client);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn auto_renew_timer_capped_long_before_expiry_is_armed_again_when_it_fires() {
    // Tokens for 30 days: longer than the longest timer (MAX_RENEWAL_DELAY_SECONDS, about
    // 23 days), so the timer fires while nothing is due yet. It must then be armed again,
    // or the tokens would expire with no renewal scheduled.
    let max_ms = (MAX_RENEWAL_DELAY_SECONDS * 1000) as f64;
    let trap = trap_long_timers(max_ms);
    let e = env("autolong", "localStorage").await;
    e.seed(
        &local_storage(),
        (now() + 30 * 86_400) as f64,
        JsValue::UNDEFINED,
    )
    .await;
    let (client, _events) = auth_client(&e.issuer, true);
    wait(client.get_access_token()).await;
    let timers: Array = prop(&trap, "timers").into();
    let armed = timers.length();
    assert!(armed >= 1, "no renewal timer armed");
    let last = Array::from(&timers.get(armed - 1));
    assert_eq!(last.get(1).as_f64(), Some(max_ms));
    let fire: Function = last.get(0).unchecked_into();
    fire.call0(&JsValue::NULL).unwrap();
    let counted = timers.clone();
    eventually("the renewal timer armed again", 10_000, move || {
        counted.length() == armed + 1
    })
    .await;
    let again = Array::from(&timers.get(armed));
    assert_eq!(again.get(1).as_f64(), Some(max_ms));
    assert_eq!(e.refreshes(), 0.0, "renewed although nothing was due");
    let restore: Function = prop(&trap, "restore").unchecked_into();
    restore.call0(&trap).unwrap();
    drop(client);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}

#[wasm_bindgen_test]
async fn auto_renew_timer_renews_expire_early_seconds_before_expiry() {
    // Expiry in 33 s with the default 30 s window: due in 3 s, so the timer is armed for
    // the 10 s minimum when the tokens are read. The test reads the delay armed, lets the
    // tokens become due (the timer trapped, nothing can fire early), and fires the timer
    // itself: no race with the clock, however loaded the machine.
    let trap = trap_long_timers(10_000.0);
    let e = env("autotimer", "localStorage").await;
    e.seed(&local_storage(), (now() + 33) as f64, JsValue::UNDEFINED)
        .await;
    let (client, events) = auth_client(&e.issuer, true);
    let at = wait(client.get_access_token()).await;
    assert_eq!(prop(&at, "value").as_string().as_deref(), Some("at-0"));
    let restore: Function = prop(&trap, "restore").unchecked_into();
    restore.call0(&trap).unwrap();
    let timers: Array = prop(&trap, "timers").into();
    let delays: Vec<f64> = timers
        .iter()
        .filter_map(|t| Array::from(&t).get(1).as_f64())
        .collect();
    assert!(
        !delays.is_empty() && delays.iter().all(|ms| *ms == 10_000.0),
        "the renewal timer is armed for the 10 s minimum: {delays:?}"
    );
    pause(3000).await;
    assert_eq!(e.refreshes(), 0.0, "renewed before the timer fired");
    let fire: Function = Array::from(&timers.get(timers.length() - 1))
        .get(0)
        .unchecked_into();
    fire.call0(&JsValue::NULL).unwrap();
    assert_renewed_in_background(&e, &events, 10_000).await;
    drop(client);
    local_storage().remove_item(&e.key()).unwrap();
    unmock_fetch();
}
