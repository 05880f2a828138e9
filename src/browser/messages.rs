//! The `message` listener that receives authorization responses from a popup or an iframe,
//! and the timers that bound the wait. Each is a guard: dropping it removes the listener or
//! clears the timer, so every outcome (response, error, closed popup, timeout) cleans up.
//!
//! A message is acted on only when all of these hold; anything else is ignored (not an
//! error: the listener keeps waiting, and the timeout or the closed popup ends the wait):
//!
//! 1. `event.origin` is the expected origin: the provider's (the authorization endpoint's
//!    origin) for `okta_post_message` and `web_message` (draft-sakimura-oauth-wmrm §5), the
//!    app's own for the callback page.
//! 2. `event.source` is the window the sign-in opened (the popup, or the iframe's
//!    `contentWindow`), so another frame of the same origin cannot answer for it.
//! 3. The payload has the transport's shape (a flat object for `okta_post_message`,
//!    `{type: "authorization_response", response}` for `web_message`,
//!    [`CALLBACK_MESSAGE_TYPE`] for the callback page).
//! 4. Its `state` is the pending transaction's. A message with a missing, different or
//!    non-string `state` from the right window and origin is ignored rather than fatal: it
//!    answers some other request (an earlier sign-in in the same window, or a forged message
//!    injected to abort this one), and RFC 6749 §10.12 makes it no answer to this request.
//!    The core's [`answers_state`] decides that. A message that does carry our `state` is
//!    then validated in full by [`validate_authorization_response`], and every outcome,
//!    the provider's own `error` or a malformed response included, ends the wait.

use js_sys::{Object, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Window};

use crate::protocol::authorize::{ResponseMode, Transaction};
use crate::protocol::json::{self, Value};
use crate::protocol::response::{
    answers_state, validate_authorization_response, Callback, ExpectedResponse, IssParameter,
    RawResponse,
};
use crate::protocol::Error;

use super::flow::Signal;

/// The `type` of the message that the app's callback page posts in `popupResponseMode:
/// "callback"` (the provider redirects the popup, or the iframe, to `redirectUri` with the
/// response in the query or the fragment, and that page hands it back):
///
/// ```js
/// // On the page at redirectUri, which must be on the app's own origin:
/// (window.opener || window.parent).postMessage(
///   { type: "okta-auth-wasm:callback", search: location.search, hash: location.hash },
///   location.origin,
/// );
/// ```
///
/// `search` and `hash` are `location.search` and `location.hash` as they are (with their
/// `?` and `#`). Which one is read follows the transaction's `response_mode` (`query` or
/// `fragment`). The library closes the popup itself.
pub const CALLBACK_MESSAGE_TYPE: &str = "okta-auth-wasm:callback";

#[wasm_bindgen]
extern "C" {
    /// The browser's WHATWG URL parser (no web-sys feature needed, no Rust copy shipped).
    #[wasm_bindgen(js_name = URL)]
    pub(crate) type Url;

    /// `new URL(url, base)`; throws on what is not a URL.
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    pub(crate) fn new_with_base(url: &str, base: &str) -> Result<Url, JsValue>;

    /// `url.origin`
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub(crate) fn origin(this: &Url) -> String;

    /// `url.pathname`
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub(crate) fn pathname(this: &Url) -> String;

    /// `url.search`: `?` and the query, or `""`.
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub(crate) fn search(this: &Url) -> String;

    /// `url.hash`: `#` and the fragment, or `""`.
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub(crate) fn hash(this: &Url) -> String;
}

/// The origin (WHATWG URL §4, `scheme://host[:port]`, default port left out) of `url`,
/// resolved against the page's address.
pub fn origin_of(url: &str) -> Result<String, Error> {
    let base = page_href().unwrap_or_default();
    Url::new_with_base(url, &base)
        .map(|u| u.origin())
        .map_err(|_| Error::InvalidParameter {
            name: "url".into(),
            problem: "is not a URL",
        })
}

/// `location.href` of the page.
pub fn page_href() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// The page's own origin (`location.origin`).
pub fn page_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

/// What a message must match to be taken as the answer to one authorize request.
#[derive(Debug, Clone)]
pub struct ExpectedMessage {
    /// `event.origin` must equal this.
    pub origin: String,
    /// `event.source` must be this window (the popup, or the iframe's `contentWindow`).
    pub source: JsValue,
    /// The pending request: its `state`, `response_type` and `response_mode` (which
    /// transport shape to read).
    pub transaction: Transaction,
    /// The configured issuer, for `iss` (RFC 9207).
    pub issuer: String,
    /// Whether `iss` is required.
    pub iss_parameter: IssParameter,
}

/// A registered `message` listener; dropping it removes it.
pub struct MessageListener {
    window: Window,
    closure: Closure<dyn FnMut(MessageEvent)>,
}

impl Drop for MessageListener {
    fn drop(&mut self) {
        let _ = self
            .window
            .remove_event_listener_with_callback("message", self.closure.as_ref().unchecked_ref());
    }
}

/// Listens on the page's window for the authorization response `expected` describes, and
/// sets `signal` to the core's verdict on the first message that passes the checks of this
/// module's documentation. The listener stays until the guard is dropped.
pub fn listen_for_response(
    expected: ExpectedMessage,
    signal: Signal<Result<Callback, Error>>,
) -> Result<MessageListener, Error> {
    let window = web_sys::window().ok_or(Error::Internal {
        problem: "no window: sign-in needs a browser page".into(),
    })?;
    let closure = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if signal.is_set() {
            return;
        }
        // A panic while judging must not reach the page as a trap: it ends this sign-in
        // with `internal` instead.
        let verdict =
            super::panic::catch(|| judge(&event, &expected)).unwrap_or_else(|e| Some(Err(e)));
        if let Some(verdict) = verdict {
            signal.set(verdict);
        }
    });
    window
        .add_event_listener_with_callback("message", closure.as_ref().unchecked_ref())
        .map_err(|_| Error::Internal {
            problem: "could not listen for message events".into(),
        })?;
    Ok(MessageListener { window, closure })
}

/// `None`: not for us, keep waiting. `Some`: the core's verdict on our response.
fn judge(event: &MessageEvent, expected: &ExpectedMessage) -> Option<Result<Callback, Error>> {
    if event.origin() != expected.origin {
        return None;
    }
    let source: JsValue = event.source()?.into();
    if !Object::is(&source, &expected.source) {
        return None;
    }
    // JSON.stringify then the core's strict parser: one JSON path, and nothing of the JS
    // object (getters, prototypes) reaches the core. A value it cannot serialise (cyclic,
    // BigInt, undefined) is no response.
    let text = JSON::stringify(&event.data()).ok()?.as_string()?;
    let value = json::parse(text.as_bytes()).ok()?;
    let raw = raw_response(&value, expected.transaction.response_mode).ok()?;
    if !answers_state(&raw, &expected.transaction.state) {
        return None;
    }
    let checks = ExpectedResponse::for_transaction(
        &expected.transaction,
        &expected.issuer,
        expected.iss_parameter,
    );
    Some(validate_authorization_response(&raw, &checks))
}

/// The payload as the transport of `mode` shapes it.
fn raw_response(value: &Value, mode: ResponseMode) -> Result<RawResponse, Error> {
    const CONTEXT: &str = "callback page message";
    let part = |name: &str| -> Result<&str, Error> {
        if value.get("type").and_then(Value::as_str) != Some(CALLBACK_MESSAGE_TYPE) {
            return Err(Error::InvalidResponse {
                context: CONTEXT,
                problem: "type is not \"okta-auth-wasm:callback\"",
            });
        }
        value
            .get(name)
            .and_then(Value::as_str)
            .ok_or(Error::InvalidResponse {
                context: CONTEXT,
                problem: "search or hash is not a string",
            })
    };
    match mode {
        ResponseMode::OktaPostMessage => RawResponse::from_okta_post_message(value),
        ResponseMode::WebMessage => RawResponse::from_web_message(value),
        ResponseMode::Query => RawResponse::from_query(part("search")?),
        ResponseMode::Fragment => RawResponse::from_fragment(part("hash")?),
        ResponseMode::FormPost => Err(form_post_unreadable()),
    }
}

/// `form_post` sends the response as a POST body to the server; no page script can read it.
pub fn form_post_unreadable() -> Error {
    Error::InvalidParameter {
        name: "responseMode".into(),
        problem: "form_post cannot be read by a browser app (the response is POSTed to a server)",
    }
}

/// The origin a message for `transaction` must come from: the provider's (its
/// authorization endpoint's origin) when the provider posts it, the app's own when the
/// callback page does (`query` or `fragment`).
pub fn expected_origin(
    transaction: &Transaction,
    authorize_endpoint: &str,
) -> Result<String, Error> {
    match transaction.response_mode {
        ResponseMode::OktaPostMessage | ResponseMode::WebMessage => origin_of(authorize_endpoint),
        ResponseMode::FormPost => Err(form_post_unreadable()),
        ResponseMode::Query | ResponseMode::Fragment => {
            let own = page_origin().ok_or(Error::Internal {
                problem: "the page has no origin".into(),
            })?;
            // The callback page posts from the redirect URI's origin: another origin would
            // never be listened to, and the sign-in could only time out.
            if origin_of(&transaction.redirect_uri)? != own {
                return Err(Error::InvalidParameter {
                    name: "redirectUri".into(),
                    problem: "must be on the app's own origin for popupResponseMode \"callback\" (or a query/fragment responseMode)",
                });
            }
            Ok(own)
        }
    }
}

/// A `setTimeout` or `setInterval`; dropping it clears it.
pub struct Timer {
    window: Window,
    handle: i32,
    repeat: bool,
    _closure: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `f` once after `ms` milliseconds.
    pub fn once(ms: u32, f: impl FnMut() + 'static) -> Result<Timer, Error> {
        Timer::start(ms, false, f)
    }

    /// Calls `f` every `ms` milliseconds.
    pub fn every(ms: u32, f: impl FnMut() + 'static) -> Result<Timer, Error> {
        Timer::start(ms, true, f)
    }

    fn start(ms: u32, repeat: bool, f: impl FnMut() + 'static) -> Result<Timer, Error> {
        let window = web_sys::window().ok_or(Error::Internal {
            problem: "no window: sign-in needs a browser page".into(),
        })?;
        let mut f = f;
        // A panicking tick is contained (the sign-in's deadline still ends the wait).
        let closure = Closure::<dyn FnMut()>::new(move || {
            let _ = super::panic::catch(&mut f);
        });
        let callback = closure.as_ref().unchecked_ref();
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let handle = if repeat {
            window.set_interval_with_callback_and_timeout_and_arguments_0(callback, ms)
        } else {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms)
        }
        .map_err(|_| Error::Internal {
            problem: "could not start a timer".into(),
        })?;
        Ok(Timer {
            window,
            handle,
            repeat,
            _closure: closure,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if self.repeat {
            self.window.clear_interval_with_handle(self.handle);
        } else {
            self.window.clear_timeout_with_handle(self.handle);
        }
    }
}

/// How long to wait, and what to say when the wait is over.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    /// Milliseconds from the moment the listener is in place.
    pub ms: u32,
    /// The [`Error::Timeout`] description: what timed out and its likely causes.
    pub what: &'static str,
}

/// How often a popup's `closed` is read: a closed popup is reported within about 250 ms.
pub const CLOSED_POLL_MS: u32 = 250;

/// Waits for the authorization response `expected` describes: installs the listener, the
/// deadline and (for a popup) the `closed` poll, then calls `navigate` to send the window
/// to the provider, and returns the first outcome: the core's verdict on the response,
/// [`Error::Timeout`], or [`Error::PopupClosed`]. The listener and the timers are removed
/// whatever the outcome.
pub async fn await_response(
    expected: ExpectedMessage,
    deadline: Deadline,
    popup: Option<Window>,
    navigate: impl FnOnce() -> Result<(), Error>,
) -> Result<Callback, Error> {
    let signal: Signal<Result<Callback, Error>> = Signal::new();
    let _listener = listen_for_response(expected, signal.clone())?;
    let on_timeout = signal.clone();
    let _deadline = Timer::once(deadline.ms, move || {
        on_timeout.set(Err(Error::Timeout {
            what: deadline.what,
        }))
    })?;
    let _closed_poll = match popup {
        None => None,
        Some(popup) => {
            let on_closed = signal.clone();
            Some(Timer::every(CLOSED_POLL_MS, move || {
                // A window we can no longer read is as good as closed.
                if popup.closed().unwrap_or(true) {
                    on_closed.set(Err(Error::PopupClosed));
                }
            })?)
        }
    };
    navigate()?;
    signal.wait().await
}
