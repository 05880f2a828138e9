//! The token manager: where the tokens of the signed-in user live, how they are handed out,
//! renewed, shared between tabs and announced.
//!
//! - **Storage.** `memory` (the default), `sessionStorage`, `localStorage` or an app object
//!   with `getItem`/`setItem`/`removeItem`. Memory is the default because a script injected
//!   into the page (XSS) can read `localStorage` in one line and send the tokens away,
//!   whereas tokens held only inside the wasm instance are not in any global; the price is a
//!   new (silent) sign-in after each reload. `localStorage` survives reloads and is shared by
//!   the origin's tabs; `sessionStorage` survives reloads of one tab. One key per issuer and
//!   client id ([`storage_key`]), one versioned value ([`crate::protocol::stored`]); a value
//!   that cannot be read, is corrupt or was written by someone else is removed and reported
//!   with an `error` event, and the client is then signed out, never half signed in.
//! - **Renew on read.** [`get_tokens`] renews a token that is expired or within
//!   `expireEarlySeconds` of it before handing it out; if renewal fails, the error is
//!   returned, never the stale token.
//! - **Renewal** ([`renew_tokens`]): the refresh-token grant (RFC 6749 §6) when a refresh
//!   token is held, keeping the rotated one (OAuth 2.0 Security BCP, RFC 9700 §4.14.2);
//!   otherwise a silent sign-in in an iframe (`prompt=none`, OpenID Connect Core §3.1.2.1).
//!   `invalid_grant` (RFC 6749 §5.2: the refresh token is revoked or expired) clears the
//!   tokens and fires `expired`.
//! - **Many tabs.** With `localStorage` (or a custom object), another tab's change arrives
//!   as a `storage` event and fires the same events here. Renewals are serialised across
//!   tabs with the Web Locks API: the lock is taken, storage is read again, and if another
//!   tab renewed meanwhile its tokens are used instead of sending a second request (a tab
//!   that had to wait for the lock first waits for the other tab's renewal marker to show
//!   in its storage: see `withRenewalLock` below). Without
//!   Web Locks (old browsers, some embedded webviews) renewals are serialised within the tab
//!   only; two tabs may then refresh at the same moment, and with refresh token rotation the
//!   loser's `invalid_grant` is answered by reading storage again and adopting the winner's
//!   tokens when they are there, before anything is cleared.
//! - **Events** (`on`/`off`), each listener called with one argument:
//!   `added` ([`Tokens`]: a sign-in stored tokens where none of this user were held, or
//!   tokens were first read from storage),
//!   `renewed` (`Tokens`: the new set, after a renewal or a new sign-in of the same user),
//!   `expired` (`Tokens`: the set cleared because the provider refused to renew it),
//!   `removed` (`Tokens`: what was removed, by sign-out, revocation, another tab, or a
//!   storage value that was discarded), `error` (`AuthError`: storage that could not be read
//!   or written, or an automatic renewal that failed).
//!
//! [`Tokens`]: crate::api::tokens_to_js

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::config::StorageKind;
use crate::protocol::id_token::{Expect, IdTokenExpectations, IdTokenSource};
use crate::protocol::renewal::{
    keeps_id_token_after_refresh, renewal_delay, renewal_due, validate_renewed, Expiries,
};
use crate::protocol::stored::{
    parse_stored_tokens, renewal_marker_key, serialize_stored_tokens, storage_key,
    StoredAccessToken, StoredTokens,
};
use crate::protocol::token::{build_refresh_token_request, process_token_response};
use crate::protocol::Error;

use super::client::{AccessToken, Client, TokenSet};
use super::flow::{SignInOptions, Signal};
use super::{http, iframe, panic, provider};

pub use crate::protocol::renewal::Which;

/// The events of [`on`] / [`off`].
pub const EVENTS: [&str; 5] = ["added", "renewed", "expired", "removed", "error"];

/// The token manager's state in one client.
#[derive(Default)]
pub struct TokenManager {
    /// The app's storage object, when `storage` is one.
    custom_storage: RefCell<Option<JsValue>>,
    listeners: RefCell<Vec<(&'static str, Function)>>,
    /// The stored value this client last read or wrote: a read that finds it unchanged
    /// keeps the tokens in memory as they are.
    last_raw: RefCell<Option<String>>,
    /// Whether storage was read once.
    loaded: Cell<bool>,
    /// The renewal under way in this client: concurrent calls wait for it.
    renewal: RefCell<Option<Renewal>>,
    /// The client itself, for timers and listeners (set by [`start`]).
    me: RefCell<Weak<Client>>,
    /// The auto-renew timer.
    timer: Cell<Option<i32>>,
}

fn storage_error(problem: &'static str) -> Error {
    Error::InvalidResponse {
        context: "token storage",
        problem,
    }
}

/// Hands the app's storage object (`storage: { getItem, setItem, removeItem }`) to the client.
pub fn set_custom_storage(client: &Client, storage: JsValue) {
    client.manager.custom_storage.replace(Some(storage));
}

/// Wires a new client to the page: `storage` events from other tabs, and, with
/// `autoRenew`, `visibilitychange` and `focus` (timers do not run in sleeping or
/// background tabs, so the expiry is checked again when the page comes back).
pub fn start(client: &Rc<Client>) {
    client.manager.me.replace(Rc::downgrade(client));
    let Some(window) = web_sys::window() else {
        return;
    };
    if matches!(
        client.config.storage,
        StorageKind::LocalStorage | StorageKind::Custom
    ) {
        let weak = Rc::downgrade(client);
        let key = key(client);
        let listener =
            Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
                // `key` is null when another tab called `localStorage.clear()`.
                if e.key().is_some_and(|k| k != key) {
                    return;
                }
                if let Some(client) = weak.upgrade() {
                    sync(&client);
                }
            });
        let _ =
            window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        listener.forget();
    }
    if client.config.auto_renew {
        let weak = Rc::downgrade(client);
        let check = Closure::<dyn Fn()>::new(move || {
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| Reflect::get(&d, &JsValue::from_str("visibilityState")).ok())
                .and_then(|v| v.as_string())
                .is_none_or(|v| v == "visible");
            if let (true, Some(client)) = (visible, weak.upgrade()) {
                renew_if_due(client);
            }
        });
        let _ = window.add_event_listener_with_callback("focus", check.as_ref().unchecked_ref());
        if let Some(document) = window.document() {
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                check.as_ref().unchecked_ref(),
            );
        }
        check.forget();
    }
}

fn key(client: &Client) -> String {
    storage_key(&client.config.issuer, &client.config.client_id)
}

/// The storage object of the configured backend, `None` for memory.
fn backend(client: &Client) -> Result<Option<JsValue>, Error> {
    let window = || web_sys::window().ok_or(storage_error("is not available: no window"));
    match client.config.storage {
        StorageKind::Memory => Ok(None),
        StorageKind::SessionStorage => window()?
            .session_storage()
            .ok()
            .flatten()
            .map(|s| Some(s.into()))
            .ok_or(storage_error(
                "sessionStorage is not available (blocked by the browser)",
            )),
        StorageKind::LocalStorage => window()?
            .local_storage()
            .ok()
            .flatten()
            .map(|s| Some(s.into()))
            .ok_or(storage_error(
                "localStorage is not available (blocked by the browser)",
            )),
        StorageKind::Custom => client
            .manager
            .custom_storage
            .borrow()
            .clone()
            .map(Some)
            .ok_or(storage_error("the custom storage object was not given")),
    }
}

fn call(storage: &JsValue, method: &str, args: &[&JsValue]) -> Result<JsValue, ()> {
    let f: Function = Reflect::get(storage, &JsValue::from_str(method))
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    match args {
        [a] => f.call1(storage, a),
        [a, b] => f.call2(storage, a, b),
        _ => f.call0(storage),
    }
    .map_err(|_| ())
}

fn read_raw(storage: &JsValue, key: &str) -> Result<Option<String>, Error> {
    let value = call(storage, "getItem", &[&key.into()])
        .map_err(|_| storage_error("could not be read (getItem threw)"))?;
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or(storage_error(
        "getItem returned something other than a string",
    ))
}

fn to_stored(tokens: &TokenSet) -> StoredTokens {
    StoredTokens {
        id_token: tokens.id_token.clone(),
        access_token: tokens.access_token.as_ref().map(|at| StoredAccessToken {
            value: at.value.clone(),
            expires_at: at.expires_at,
            scopes: at.scopes.clone(),
            token_type: at.token_type.clone(),
        }),
        refresh_token: tokens.refresh_token.clone(),
    }
}

fn from_stored(stored: StoredTokens) -> Option<TokenSet> {
    let set = TokenSet {
        id_token: stored.id_token,
        access_token: stored.access_token.map(|at| AccessToken {
            value: at.value,
            expires_at: at.expires_at,
            scopes: at.scopes,
            token_type: at.token_type,
        }),
        refresh_token: stored.refresh_token,
    };
    (set.id_token.is_some() || set.access_token.is_some() || set.refresh_token.is_some())
        .then_some(set)
}

/// Calls the listeners of `event` with `payload`. A listener that throws does not stop the
/// others, nor the library.
fn emit(client: &Client, event: &str, payload: &JsValue) {
    let listeners: Vec<Function> = client
        .manager
        .listeners
        .borrow()
        .iter()
        .filter(|(e, _)| *e == event)
        .map(|(_, f)| f.clone())
        .collect();
    for f in listeners {
        let _ = f.call1(&JsValue::UNDEFINED, payload);
    }
}

fn emit_tokens(client: &Client, event: &str, tokens: &TokenSet) {
    emit(client, event, &crate::api::tokens_to_js(tokens));
}

fn emit_error(client: &Client, error: &Error) {
    emit(client, "error", &crate::api::to_js_error(error));
}

fn event_name(name: &str) -> Result<&'static str, Error> {
    EVENTS
        .iter()
        .find(|e| **e == name)
        .copied()
        .ok_or(Error::InvalidParameter {
            name: name.to_owned(),
            problem: "is not an event: added, renewed, expired, removed or error",
        })
}

/// `on(name, listener)`: adds a listener (once: adding the same function again does nothing).
pub fn on(client: &Client, name: &str, listener: Function) -> Result<(), Error> {
    let name = event_name(name)?;
    let mut listeners = client.manager.listeners.borrow_mut();
    if !listeners.iter().any(|(e, f)| *e == name && *f == listener) {
        listeners.push((name, listener));
    }
    Ok(())
}

/// `off(name, listener)`: removes a listener added with [`on`].
pub fn off(client: &Client, name: &str, listener: &Function) -> Result<(), Error> {
    let name = event_name(name)?;
    client
        .manager
        .listeners
        .borrow_mut()
        .retain(|(e, f)| !(*e == name && f == listener));
    Ok(())
}

fn same_user(a: &TokenSet, b: &TokenSet) -> bool {
    match (&a.id_token, &b.id_token) {
        (Some(x), Some(y)) => x.sub() == y.sub(),
        (None, None) => true,
        _ => false,
    }
}

/// The event a change of the held tokens from `old` to `new` is: `None` when nothing changed.
fn change_event(old: Option<&TokenSet>, new: Option<&TokenSet>) -> Option<&'static str> {
    match (old, new) {
        (None, None) => None,
        (Some(o), Some(n)) if o == n => None,
        (Some(o), Some(n)) if same_user(o, n) => Some("renewed"),
        (_, Some(_)) => Some("added"),
        (Some(_), None) => Some("removed"),
    }
}

/// Reads storage again and takes what another tab (or an earlier page) put there. An
/// unchanged value keeps the tokens in memory; a changed one replaces them and fires the
/// matching event; one that cannot be read or trusted is removed, and `error` fires. A
/// storage that cannot be read at all fires `error` and keeps the tokens in memory.
pub fn sync(client: &Client) {
    let Some(storage) = (match backend(client) {
        Ok(s) => s,
        Err(e) => {
            if !client.manager.loaded.replace(true) {
                emit_error(client, &e);
            }
            return;
        }
    }) else {
        client.manager.loaded.set(true);
        return;
    };
    let key = key(client);
    let raw = match read_raw(&storage, &key) {
        Ok(raw) => raw,
        Err(e) => {
            emit_error(client, &e);
            return;
        }
    };
    if client.manager.loaded.get() && *client.manager.last_raw.borrow() == raw {
        return;
    }
    client.manager.loaded.set(true);
    let new = match &raw {
        None => None,
        Some(text) => {
            match parse_stored_tokens(text, &client.config.issuer, &client.config.client_id) {
                Ok(stored) => from_stored(stored),
                Err(e) => {
                    // Discarded whole: a half-read session is worse than none.
                    let _ = call(&storage, "removeItem", &[&key.as_str().into()]);
                    client.manager.last_raw.replace(None);
                    let old = client.tokens.replace(None);
                    emit_error(client, &e);
                    if let Some(old) = old {
                        emit_tokens(client, "removed", &old);
                    }
                    return;
                }
            }
        }
    };
    client.manager.last_raw.replace(raw);
    let old = client.tokens.replace(new.clone());
    match (change_event(old.as_ref(), new.as_ref()), &new, &old) {
        (Some("removed"), _, Some(old)) => emit_tokens(client, "removed", old),
        (Some(event), Some(new), _) => emit_tokens(client, event, new),
        _ => {}
    }
    schedule(client);
}

/// Writes the held tokens to storage (or removes the key when none are held).
fn persist(client: &Client) {
    let storage = match backend(client) {
        Ok(Some(s)) => s,
        Ok(None) => return,
        Err(e) => return emit_error(client, &e),
    };
    let key = key(client);
    let tokens = client.tokens.borrow().clone();
    let result = match &tokens {
        Some(t) => {
            let text = serialize_stored_tokens(
                &to_stored(t),
                &client.config.issuer,
                &client.config.client_id,
            );
            let r = call(
                &storage,
                "setItem",
                &[&key.as_str().into(), &text.as_str().into()],
            );
            client.manager.last_raw.replace(Some(text));
            r
        }
        None => {
            client.manager.last_raw.replace(None);
            call(&storage, "removeItem", &[&key.as_str().into()])
        }
    };
    if result.is_err() {
        emit_error(
            client,
            &storage_error("could not be written (setItem or removeItem threw: full, or blocked)"),
        );
    }
}

/// Keeps the tokens of a sign-in or a renewal: in memory, in storage, announced with
/// `added` (no tokens of this user held before) or `renewed`.
pub fn store(client: &Client, tokens: TokenSet) {
    if !client.manager.loaded.get() {
        sync(client);
    }
    let old = client.tokens.replace(Some(tokens.clone()));
    client.manager.loaded.set(true);
    persist(client);
    if let Some(event) = change_event(old.as_ref(), Some(&tokens)) {
        emit_tokens(client, event, &tokens);
    }
    schedule(client);
}

/// Removes `removed` from the held tokens (sign-out, revocation): `remaining` is kept and
/// stored, `removed` fires with `removed`.
pub fn remove(client: &Client, remaining: Option<TokenSet>, removed: &TokenSet) {
    let remaining = remaining
        .filter(|t| t.id_token.is_some() || t.access_token.is_some() || t.refresh_token.is_some());
    client.tokens.replace(remaining);
    client.manager.loaded.set(true);
    persist(client);
    emit_tokens(client, "removed", removed);
    schedule(client);
}

/// Clears every token held (`signOut`): storage too; fires `removed` if any were held.
pub fn clear(client: &Client) -> Option<TokenSet> {
    let held = client.tokens.borrow().clone();
    if let Some(held) = &held {
        remove(client, None, held);
    } else {
        persist(client);
    }
    held
}

/// The expiry times of `tokens`, for the rules of [`crate::protocol::renewal`].
fn expiries(tokens: &TokenSet) -> Expiries {
    Expiries {
        id_token: tokens.id_token.as_ref().map(|t| t.exp()),
        access_token: tokens.access_token.as_ref().and_then(|t| t.expires_at),
    }
}

/// Whether `tokens` must be renewed before `which` is handed out ([`renewal_due`]).
fn due(tokens: &TokenSet, which: Which, early: i64, now: i64) -> bool {
    renewal_due(expiries(tokens), which, early, now)
}

fn early(client: &Client) -> i64 {
    i64::from(client.config.expire_early_seconds)
}

/// The held tokens (storage read again first), renewed first when `which` is expired or
/// within `expireEarlySeconds` of it. `None` when nobody is signed in. A failed renewal is
/// returned as the error; the stale token is never handed out. A renewed token that is
/// still expired (a provider issuing tokens that live shorter than the clock allows) is
/// [`Error::Expired`].
pub async fn get_tokens(client: Rc<Client>, which: Which) -> Result<Option<TokenSet>, Error> {
    sync(&client);
    let Some(held) = client.tokens.borrow().clone() else {
        return Ok(None);
    };
    if !due(&held, which, early(&client), client.now()) {
        return Ok(Some(held));
    }
    let renewed = renew_tokens(client.clone()).await?;
    validate_renewed(expiries(&renewed), which, client.now())?;
    Ok(Some(renewed))
}

/// `isAuthenticated()`: whether a usable ID or access token is held, renewing first as
/// [`get_tokens`] does; a failed renewal is `false`.
pub async fn is_authenticated(client: Rc<Client>) -> bool {
    matches!(
        get_tokens(client, Which::All).await,
        Ok(Some(t)) if t.id_token.is_some() || t.access_token.is_some()
    )
}

/// The renewal under way in a client: its outcome, and the Promise of its task.
type Renewal = (Signal<Result<TokenSet, Error>>, Promise);

/// `renewTokens()`: one renewal at a time per client (concurrent calls share its result),
/// and, with a storage shared by tabs, one at a time per origin through the Web Lock
/// `okta-auth-wasm:renew:` + storage key. Once the lock is held, storage is read again: when
/// another tab renewed the tokens meanwhile, they are returned without a request.
/// Otherwise the refresh-token grant when a refresh token is held, else a silent sign-in.
///
/// The renewal runs as its own task: a caller that stops waiting does not stop it, and a
/// panic in it (a trap, which runs no destructor) rejects the task's Promise, so the slot
/// is freed and later renewals start afresh instead of waiting for ever.
pub async fn renew_tokens(client: Rc<Client>) -> Result<TokenSet, Error> {
    let joined = client.manager.renewal.borrow().clone();
    let (outcome, task) = match joined {
        Some(renewal) => renewal,
        None => {
            let outcome = Signal::new();
            let (done, owner) = (outcome.clone(), client.clone());
            let task = panic::future_to_promise(async move {
                done.set(renew_now(owner).await);
                Ok(JsValue::UNDEFINED)
            });
            let renewal = (outcome, task);
            client.manager.renewal.replace(Some(renewal.clone()));
            renewal
        }
    };
    let _ = JsFuture::from(task.clone()).await;
    {
        let mut slot = client.manager.renewal.borrow_mut();
        if slot.as_ref().is_some_and(|(_, t)| **t == *task) {
            *slot = None;
        }
    }
    if outcome.is_set() {
        outcome.wait().await
    } else {
        Err(Error::Internal {
            problem: "the renewal stopped on an internal error".into(),
        })
    }
}

async fn renew_now(client: Rc<Client>) -> Result<TokenSet, Error> {
    sync(&client);
    let before = client.tokens.borrow().clone();
    let shared = matches!(
        client.config.storage,
        StorageKind::LocalStorage | StorageKind::Custom
    );
    if shared {
        let mut name = String::from("okta-auth-wasm:renew:");
        name.push_str(&key(&client));
        let storage = backend(&client).ok().flatten().unwrap_or(JsValue::NULL);
        let marker_key = renewal_marker_key(&client.config.issuer, &client.config.client_id);
        let done: Signal<Result<TokenSet, Error>> = Signal::new();
        let finished = done.clone();
        let work = Closure::once_into_js(move || -> Promise {
            // The lock is held until this Promise settles; a panic rejects it.
            panic::future_to_promise(async move {
                finished.set(renew_locked(client, before).await);
                Ok(JsValue::UNDEFINED)
            })
        });
        let _ = JsFuture::from(with_renewal_lock(
            &name,
            &storage,
            &marker_key,
            work.unchecked_ref(),
        ))
        .await;
        if done.is_set() {
            done.wait().await
        } else {
            Err(Error::Internal {
                problem: "the renewal failed under the Web Lock".into(),
            })
        }
    } else {
        renew_locked(client.clone(), before).await
    }
}

// The cross-tab renewal lock (Web Locks API), and the renewal marker beside the tokens
// (`renewal_marker_key`). Another tab's writes may show here later than its lock is handed
// over (Chromium keeps a copy of localStorage per renderer process, updated by messages that
// are not ordered with the lock's), so a renewal that had to wait for the lock first waits
// until the marker the other tab wrote after its tokens shows here: 10 ms polls (a custom
// storage object has no event), at most 3 s (the other tab may have stopped under the lock
// without writing it). Every renewal under the lock ends by writing a fresh marker: a value
// that only has to differ from the last one (time and Math.random, no secret). Without Web
// Locks, or when they refuse, `work` runs unlocked. `work()` returns a Promise; so does
// this, rejected when `work` failed under the lock (it panicked: the lock is released).
#[wasm_bindgen(inline_js = r#"
const marker = (storage, key) => { try { return storage.getItem(key); } catch { return null; } };
export async function withRenewalLock(name, storage, key, work) {
  const seen = marker(storage, key);
  const run = async (contended) => {
    for (let waited = 0; contended && waited < 3000 && marker(storage, key) === seen; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    try { return await work(); } finally {
      try { storage.setItem(key, Date.now().toString(36) + Math.random().toString(36).slice(1)); } catch {}
    }
  };
  const locks = globalThis.navigator?.locks;
  let ran = false;
  const locked = (contended) => (lock) => lock && ((ran = true), run(contended));
  try {
    await locks.request(name, { ifAvailable: true }, locked(false));
    if (!ran) await locks.request(name, locked(true));
  } catch (e) {
    if (ran) throw e;
    return work();
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = withRenewalLock)]
    fn with_renewal_lock(name: &str, storage: &JsValue, key: &str, work: &Function) -> Promise;
}

async fn renew_locked(client: Rc<Client>, before: Option<TokenSet>) -> Result<TokenSet, Error> {
    sync(&client);
    let held = client.tokens.borrow().clone();
    if let Some(h) = &held {
        if held != before && !due(h, Which::All, early(&client), client.now()) {
            // Another tab renewed while this one waited for the lock.
            return Ok(h.clone());
        }
    }
    match held {
        Some(h) if h.refresh_token.is_some() => refresh(&client, h).await,
        // Renewal, not a new sign-in: the provider's session must still be this user's.
        Some(h) => iframe::sign_in_silently(client.clone(), SignInOptions::renewing(h)).await,
        // Signed out (here or in another tab) while this renewal waited: renewing nothing
        // must not turn into a new sign-in.
        None if before.is_some() => Err(signed_out()),
        None => iframe::sign_in_silently(client.clone(), SignInOptions::default()).await,
    }
}

fn signed_out() -> Error {
    Error::NotAuthenticated {
        missing: "the tokens being renewed (the user signed out meanwhile)",
    }
}

/// The one rule for storing a renewal's answer (refresh or silent sign-in), checked after
/// its last await: it replaces only the tokens it renewed (`renewed`). `None` when those are
/// still held (store the answer); otherwise the outcome instead of storing: the tokens held
/// now (another tab or sign-in replaced them: they are newer), or [`Error::NotAuthenticated`]
/// when the user signed out meanwhile, here or in another tab (a late answer must not undo
/// a sign-out).
pub fn superseded(client: &Client, renewed: &TokenSet) -> Option<Result<TokenSet, Error>> {
    sync(client);
    let current = client.tokens.borrow().clone();
    match current {
        Some(held) if held == *renewed => None,
        Some(held) => Some(Ok(held)),
        None => Some(Err(signed_out())),
    }
}

/// RFC 6749 §6 with the held refresh token. The answer is read by [`process_token_response`]
/// (RFC 6749 §5.1); a new ID token is verified against the original one (OpenID Connect
/// Core §12.2); a rotated refresh token replaces the old one, else the old one is kept.
async fn refresh(client: &Rc<Client>, held: TokenSet) -> Result<TokenSet, Error> {
    let refresh_token = held.refresh_token.clone().unwrap_or_default();
    let endpoints = provider::endpoints(client).await?;
    let request = build_refresh_token_request(
        endpoints.token(),
        &client.config.client_id,
        &refresh_token,
        None,
    )?;
    let response = http::send(client, &request, "token endpoint").await?;
    let answer = match process_token_response(&response.as_http()) {
        Ok(answer) => answer,
        Err(e) if e.oauth_error() == Some("invalid_grant") => {
            // Without Web Locks another tab may have rotated the token first: adopt its
            // tokens rather than sign the user out.
            sync(client);
            let now_held = client.tokens.borrow().clone();
            if let Some(t) = now_held {
                if t.refresh_token.as_deref() != Some(refresh_token.as_str())
                    && !due(&t, Which::All, early(client), client.now())
                {
                    return Ok(t);
                }
                client.tokens.replace(None);
                persist(client);
                emit_tokens(client, "expired", &t);
            }
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let now = client.now();
    let id_token = match answer.id_token() {
        None => held
            .id_token
            .clone()
            .filter(|t| keeps_id_token_after_refresh(t.exp(), early(client), now)),
        Some(id_token) => {
            let source = match &held.id_token {
                Some(original) => IdTokenSource::RefreshResponse {
                    original,
                    access_token: Some(answer.access_token()),
                },
                // No ID token to compare with: no nonce was sent for this grant.
                None => IdTokenSource::TokenResponse {
                    nonce: Expect::Skip,
                    access_token: Some(answer.access_token()),
                },
            };
            let expected = IdTokenExpectations::new(&client.config, source);
            Some(provider::verify_id_token(client, id_token, &expected, now).await?)
        }
    };
    // While the request was out the tokens may have been signed out, revoked or replaced
    // (here or in another tab).
    if let Some(outcome) = superseded(client, &held) {
        return outcome;
    }
    let held_scopes = || {
        held.access_token
            .as_ref()
            .map(|t| t.scopes.clone())
            .unwrap_or_default()
    };
    let tokens = TokenSet {
        id_token,
        access_token: Some(AccessToken::from_token_response(&answer, now, held_scopes)),
        refresh_token: Some(
            answer
                .refresh_token()
                .map(str::to_owned)
                .unwrap_or(refresh_token),
        ),
    };
    store(client, tokens.clone());
    Ok(tokens)
}

/// Renews in the background when the held tokens are due (a failure fires `error`), and
/// otherwise arms the renewal timer again.
fn renew_if_due(client: Rc<Client>) {
    wasm_bindgen_futures::spawn_local(async move {
        sync(&client);
        let is_due = client
            .tokens
            .borrow()
            .as_ref()
            .is_some_and(|t| due(t, Which::All, early(&client), client.now()));
        if is_due {
            if let Err(e) = renew_tokens(client.clone()).await {
                emit_error(&client, &e);
            }
        } else {
            // Not due: the timer fired at its longest delay (tokens that outlive it), or a
            // focus came first. Arm it again, or nothing would renew these tokens.
            schedule(&client);
        }
    });
}

/// With `autoRenew`, (re)arms the timer to fire after [`renewal_delay`]: `expireEarlySeconds`
/// before the earliest expiry, within its bounds.
fn schedule(client: &Client) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(id) = client.manager.timer.take() {
        window.clear_timeout_with_handle(id);
    }
    if !client.config.auto_renew {
        return;
    }
    let Some(me) = client.manager.me.borrow().upgrade() else {
        return;
    };
    let seconds = client
        .tokens
        .borrow()
        .as_ref()
        .and_then(|t| renewal_delay(expiries(t), early(client), client.now()));
    let Some(seconds) = seconds else {
        return;
    };
    let weak = Rc::downgrade(&me);
    let fire = Closure::once_into_js(move || {
        if let Some(client) = weak.upgrade() {
            client.manager.timer.set(None);
            renew_if_due(client);
        }
    });
    if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        fire.unchecked_ref(),
        (seconds * 1000) as i32,
    ) {
        client.manager.timer.set(Some(id));
    }
}
