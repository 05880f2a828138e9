//! Redirect sign-in and its stored transactions.
//!
//! [`sign_in_with_redirect`] stores the [`Transaction`] (with the app state and the time)
//! and navigates the page to the provider; the provider sends the browser back to
//! `redirect_uri` with the response in the query or the fragment, and
//! [`handle_redirect`] finds the transaction by `state`, deletes it, validates the response,
//! redeems the code and cleans the address bar.
//!
//! Storage: `sessionStorage` under `okta-auth-wasm.tx.<state>`, with a copy in
//! `localStorage` for browsers that lose `sessionStorage` across the round trip (some
//! in-app browsers, a redirect that opens in a new tab). The entry is a form-encoded string
//! with a version field ([`serialize_transaction`]); an entry that cannot be read is
//! treated as absent and removed, never a panic. A transaction lives
//! [`TRANSACTION_LIFETIME_SECONDS`]; an expired one is removed when read. It is single use:
//! deleted from both storages as soon as its callback is handled, before any network
//! request, so a replayed callback finds nothing ([`Error::TransactionNotFound`]).

use std::rc::Rc;

use web_sys::Storage;

use crate::protocol::authorize::{AuthorizeRequest, Flow, ResponseMode, Transaction};
use crate::protocol::form;
use crate::protocol::response::{
    is_authorization_response, validate_authorization_response, ExpectedResponse, RawResponse,
    ResponseValue,
};
use crate::protocol::syntax::push_decimal;
use crate::protocol::Error;

use super::client::{Client, TokenSet};
use super::flow::{self, SignInOptions};
use super::messages::{self, Url};
use super::{clock, provider};

/// How long a stored transaction can be redeemed: 10 minutes, well beyond a sign-in with
/// MFA and far shorter than the lifetime of anything an attacker could plant.
pub const TRANSACTION_LIFETIME_SECONDS: i64 = 600;

/// The storage key prefix; the key is this followed by the transaction's `state`.
pub const KEY_PREFIX: &str = "okta-auth-wasm.tx.";

/// The format version of a stored entry (`v=1`); another version reads as absent.
const VERSION: &str = "1";

/// The parameters of an authorization response, removed from the address bar once the
/// callback is handled: RFC 6749 §4.1.2 and §4.1.2.1 (`code`, `state`, `error`,
/// `error_description`, `error_uri`), §4.2.2 (`access_token`, `token_type`, `expires_in`,
/// `scope`), OpenID Connect Core 1.0 §3.2.2.5 (`id_token`), RFC 9207 §2 (`iss`), and
/// OpenID Connect Session Management 1.0 §2 (`session_state`).
pub const RESPONSE_PARAMETERS: [&str; 12] = [
    "code",
    "state",
    "error",
    "error_description",
    "error_uri",
    "access_token",
    "token_type",
    "expires_in",
    "scope",
    "id_token",
    "iss",
    "session_state",
];

/// What a redirect sign-in keeps between leaving the app and coming back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTransaction {
    /// The request's transaction (state, nonce, PKCE verifier, redirect URI, ...).
    pub transaction: Transaction,
    /// The issuer it was sent to: another client on the page (another issuer) never
    /// redeems it, or its code and verifier would go to the wrong token endpoint.
    pub issuer: String,
    /// The client it was sent for.
    pub client_id: String,
    /// The app's `appState`, as JSON text.
    pub app_state: Option<String>,
    /// When it was stored, in seconds since the epoch.
    pub created_at: i64,
}

fn decimal(n: i64) -> String {
    let mut s = String::new();
    push_decimal(&mut s, n);
    s
}

/// The stored form: `application/x-www-form-urlencoded` pairs, `v=1` first.
pub fn serialize_transaction(stored: &StoredTransaction) -> String {
    let t = &stored.transaction;
    let scope = t.scopes.join(" ");
    let created_at = decimal(stored.created_at);
    let max_age = t.max_age.map(|m| decimal(i64::from(m)));
    let mut pairs: Vec<(&str, &str)> = vec![
        ("v", VERSION),
        ("iss", &stored.issuer),
        ("client_id", &stored.client_id),
        ("state", &t.state),
        ("nonce", &t.nonce),
        ("redirect_uri", &t.redirect_uri),
        ("response_type", t.response_type.as_str()),
        ("response_mode", t.response_mode.as_str()),
        ("scope", &scope),
        ("created_at", &created_at),
    ];
    if let Some(v) = &t.code_verifier {
        pairs.push(("code_verifier", v));
    }
    if let Some(m) = &max_age {
        pairs.push(("max_age", m));
    }
    if let Some(a) = &stored.app_state {
        pairs.push(("app_state", a));
    }
    form::serialize(pairs)
}

/// Reads a stored entry; `None` for anything that is not exactly what
/// [`serialize_transaction`] writes (another version, a field missing or repeated, a value
/// out of its set, a PKCE verifier present without `code` or missing with it).
pub fn parse_transaction(text: &str) -> Option<StoredTransaction> {
    let pairs = form::parse(text).ok()?;
    let get = |name: &str| -> Option<Option<&str>> {
        let mut found = pairs.iter().filter(|(n, _)| n == name);
        let first = found.next().map(|(_, v)| v.as_str());
        // A repeated field: which one was written is unknowable, so the entry is unusable.
        match found.next() {
            Some(_) => None,
            None => Some(first),
        }
    };
    let required = |name: &str| get(name).flatten();
    if required("v")? != VERSION {
        return None;
    }
    let response_type = flow::parse_response_type(required("response_type")?).ok()?;
    let response_mode = ResponseMode::parse(required("response_mode")?).ok()?;
    let scopes: Vec<String> = required("scope")?.split(' ').map(str::to_owned).collect();
    if scopes.iter().any(String::is_empty) {
        return None;
    }
    let code_verifier = get("code_verifier")?.map(str::to_owned);
    if code_verifier.is_some() != response_type.code {
        return None;
    }
    let max_age = match get("max_age")? {
        None => None,
        Some(m) => Some(parse_digits(m).and_then(|n| u32::try_from(n).ok())?),
    };
    let state = required("state")?.to_owned();
    let nonce = required("nonce")?.to_owned();
    if state.is_empty() || nonce.is_empty() {
        return None;
    }
    Some(StoredTransaction {
        transaction: Transaction {
            state,
            nonce,
            code_verifier,
            redirect_uri: required("redirect_uri")?.to_owned(),
            response_type,
            response_mode,
            scopes,
            max_age,
        },
        issuer: required("iss")?.to_owned(),
        client_id: required("client_id")?.to_owned(),
        app_state: get("app_state")?.map(str::to_owned),
        created_at: parse_digits(required("created_at")?)?,
    })
}

fn parse_digits(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 15 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Whether a transaction stored at `created_at` is still usable at `now`. One stored in
/// the future (by more than the lifetime: the clock moved a lot, or the entry was
/// planted) is not.
pub fn is_live(created_at: i64, now: i64) -> bool {
    let age = now.saturating_sub(created_at);
    (-TRANSACTION_LIFETIME_SECONDS..=TRANSACTION_LIFETIME_SECONDS).contains(&age)
}

fn key(state: &str) -> String {
    let mut k = String::with_capacity(KEY_PREFIX.len() + state.len());
    k.push_str(KEY_PREFIX);
    k.push_str(state);
    k
}

/// `sessionStorage` then `localStorage`, each when the browser lets the page use it (both
/// throw in some sandboxed frames and with storage disabled).
fn storages() -> Vec<Storage> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    [window.session_storage(), window.local_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
        .collect()
}

/// Removes the transaction of `state` from both storages.
pub fn remove_transaction(state: &str) {
    let k = key(state);
    for storage in storages() {
        let _ = storage.remove_item(&k);
    }
}

/// Removes this library's entries that are expired or unreadable, so that abandoned
/// sign-ins do not pile up in `localStorage`.
fn sweep(now: i64) {
    for storage in storages() {
        let len = storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..len)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(KEY_PREFIX))
            .collect();
        for k in keys {
            let keep = storage
                .get_item(&k)
                .ok()
                .flatten()
                .and_then(|text| parse_transaction(&text))
                .is_some_and(|t| is_live(t.created_at, now));
            if !keep {
                let _ = storage.remove_item(&k);
            }
        }
    }
}

/// Stores `stored` in both storages (expired entries swept first). Succeeds when at least
/// one storage kept it.
pub fn save_transaction(stored: &StoredTransaction) -> Result<(), Error> {
    sweep(stored.created_at);
    let k = key(&stored.transaction.state);
    let text = serialize_transaction(stored);
    let kept = storages()
        .iter()
        .filter(|s| s.set_item(&k, &text).is_ok())
        .count();
    if kept == 0 {
        return Err(Error::Internal {
            problem: "neither sessionStorage nor localStorage could keep the sign-in transaction (storage disabled or full)".into(),
        });
    }
    Ok(())
}

/// The live transaction of `state` for this client, if any. An expired or unreadable entry
/// is removed; an entry of another issuer or client is left for its owner.
pub fn load_transaction(client: &Client, state: &str, now: i64) -> Option<StoredTransaction> {
    let k = key(state);
    for storage in storages() {
        let Some(text) = storage.get_item(&k).ok().flatten() else {
            continue;
        };
        match parse_transaction(&text) {
            Some(stored) if stored.transaction.state == state => {
                if !is_live(stored.created_at, now) {
                    remove_transaction(state);
                    return None;
                }
                if stored.issuer != client.config.issuer
                    || stored.client_id != client.config.client_id
                {
                    return None;
                }
                return Some(stored);
            }
            _ => {
                let _ = storage.remove_item(&k);
            }
        }
    }
    None
}

/// The storage half of a redirect sign-in: builds the authorize request (redirect
/// defaults: OAuth 2.0 Multiple Response Type Encoding Practices §5), stores its
/// transaction with the app state and the time, and returns the request. Only `query` and
/// `fragment` responses can come back to a page, so another `responseMode` is refused.
pub async fn prepare_redirect(
    client: &Client,
    options: &SignInOptions,
) -> Result<AuthorizeRequest, Error> {
    let params = flow::authorize_params(&client.config, options, Flow::Redirect)?;
    let (request, _) = flow::build_request(client, &params).await?;
    match request.transaction.response_mode {
        ResponseMode::Query | ResponseMode::Fragment => {}
        ResponseMode::FormPost => return Err(messages::form_post_unreadable()),
        ResponseMode::OktaPostMessage | ResponseMode::WebMessage => {
            return Err(Error::InvalidParameter {
                name: "responseMode".into(),
                problem: "must be query or fragment for a redirect sign-in (message modes are for signInWithPopup and signInSilently)",
            })
        }
    }
    save_transaction(&StoredTransaction {
        transaction: request.transaction.clone(),
        issuer: client.config.issuer.clone(),
        client_id: client.config.client_id.clone(),
        app_state: options.app_state.clone(),
        created_at: clock::now_seconds(),
    })?;
    Ok(request)
}

/// Stores the transaction and navigates to the provider.
pub async fn sign_in_with_redirect(
    client: Rc<Client>,
    options: SignInOptions,
) -> Result<(), Error> {
    let request = prepare_redirect(&client, &options).await?;
    let navigated = web_sys::window().map(|w| w.location().assign(&request.url));
    if !matches!(navigated, Some(Ok(()))) {
        remove_transaction(&request.transaction.state);
        return Err(Error::Internal {
            problem: "the browser refused to navigate to the authorize URL".into(),
        });
    }
    Ok(())
}

/// `url` resolved against the page's address, with the page's address as the default.
fn parse_url(url: Option<&str>) -> Result<Url, Error> {
    let here = messages::page_href().unwrap_or_default();
    Url::new_with_base(url.unwrap_or(&here), &here).map_err(|_| Error::InvalidParameter {
        name: "url".into(),
        problem: "is not a URL",
    })
}

/// Whether `url` (default `location.href`) holds an authorization response: its query or
/// its fragment has `state` and one of `code`, `error`, `id_token`, `access_token`
/// ([`is_authorization_response`]). Nothing is read from storage.
pub fn is_redirect_callback(client: &Client, url: Option<&str>) -> bool {
    let _ = client;
    parse_url(url).is_ok_and(|u| {
        is_authorization_response(&u.search()) || is_authorization_response(&u.hash())
    })
}

/// The `state` values of the responses in the fragment and the query, fragment first.
fn candidate_states(search: &str, hash: &str) -> Vec<String> {
    let mut states = Vec::new();
    for part in [hash, search] {
        if !is_authorization_response(part) {
            continue;
        }
        let raw = if part.starts_with('#') {
            RawResponse::from_fragment(part)
        } else {
            RawResponse::from_query(part)
        };
        if let Ok(raw) = raw {
            states.extend(raw.params.into_iter().filter_map(|(n, v)| match v {
                ResponseValue::String(s) if n == "state" => Some(s),
                _ => None,
            }));
        }
    }
    states
}

/// Completes a redirect sign-in; returns the tokens and the app state JSON.
///
/// 1. The transaction: the `state` of the response in the fragment or the query names it;
///    none live for this client is [`Error::TransactionNotFound`] (RFC 6749 §10.12: a
///    response to no request of ours is refused).
/// 2. It is deleted from both storages at once: single use, before any network request.
/// 3. When `url` is the page's address, the response parameters ([`RESPONSE_PARAMETERS`])
///    are removed from the address bar with `history.replaceState`, path and other
///    parameters kept, so a reload or a shared link does not carry the code or tokens.
/// 4. The response, read from the query or the fragment as the transaction's
///    `response_mode` says, is validated by the core (state, `iss`, error, completeness),
///    then completed as every sign-in is ([`flow::complete_sign_in`]).
pub async fn handle_redirect(
    client: Rc<Client>,
    url: Option<String>,
) -> Result<(TokenSet, Option<String>), Error> {
    let here = messages::page_href();
    let parsed = parse_url(url.as_deref())?;
    let (search, hash) = (parsed.search(), parsed.hash());
    let now = clock::now_seconds();
    let stored = candidate_states(&search, &hash)
        .iter()
        .find_map(|state| load_transaction(&client, state, now))
        .ok_or(Error::TransactionNotFound)?;
    let transaction = &stored.transaction;
    remove_transaction(&transaction.state);

    if url.is_none() || url == here {
        clean_address_bar(&parsed, transaction.response_mode);
    }

    let raw = match transaction.response_mode {
        ResponseMode::Query => RawResponse::from_query(&search)?,
        ResponseMode::Fragment => RawResponse::from_fragment(&hash)?,
        ResponseMode::FormPost => return Err(messages::form_post_unreadable()),
        ResponseMode::OktaPostMessage | ResponseMode::WebMessage => {
            return Err(Error::TransactionNotFound)
        }
    };
    let iss_parameter = flow::iss_parameter(&client, transaction.response_mode).await?;
    let expected =
        ExpectedResponse::for_transaction(transaction, &client.config.issuer, iss_parameter);
    let callback = validate_authorization_response(&raw, &expected)?;
    let endpoints = provider::endpoints(&client).await?;
    let tokens = flow::complete_sign_in(&client, transaction, &callback, &endpoints, None).await?;
    Ok((tokens, stored.app_state))
}

fn is_response_parameter(segment: &str) -> bool {
    let raw_name = segment.split_once('=').map_or(segment, |(n, _)| n);
    form::decode(raw_name).is_ok_and(|name| RESPONSE_PARAMETERS.contains(&name.as_str()))
}

/// `part` (`?query` or `#fragment`) without the response parameters; the other segments
/// are kept byte for byte. Empty when nothing else is left.
pub fn strip_response_parameters(part: &str) -> String {
    let (mark, body) = if let Some(body) = part.strip_prefix('?') {
        ('?', body)
    } else if let Some(body) = part.strip_prefix('#') {
        ('#', body)
    } else {
        return String::new();
    };
    // Hash routers write `#/access_token=...`, `#/?...` or `#?...`: keep that lead.
    let mut lead = String::new();
    let mut rest = body;
    if mark == '#' {
        if let Some(r) = rest.strip_prefix('/') {
            lead.push('/');
            rest = r;
        }
        if let Some(r) = rest.strip_prefix('?') {
            lead.push('?');
            rest = r;
        }
    }
    let kept: Vec<&str> = rest
        .split('&')
        .filter(|s| !s.is_empty() && !is_response_parameter(s))
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    out.push(mark);
    out.push_str(&lead);
    out.push_str(&kept.join("&"));
    out
}

/// `history.replaceState` to the same address without the response parameters (in the
/// part the response mode used), keeping `history.state`.
fn clean_address_bar(url: &Url, mode: ResponseMode) {
    let (search, hash) = match mode {
        ResponseMode::Query => (strip_response_parameters(&url.search()), url.hash()),
        ResponseMode::Fragment => (url.search(), strip_response_parameters(&url.hash())),
        _ => return,
    };
    let mut clean = url.pathname();
    clean.push_str(&search);
    clean.push_str(&hash);
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
    let _ = history.replace_state_with_url(&state, "", Some(&clean));
}
