//! Redirect sign-in and its stored transactions.
//!
//! [`sign_in_with_redirect`] stores the [`Transaction`](crate::protocol::authorize::Transaction) (with the app state and the time)
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

use crate::protocol::authorize::{AuthorizeRequest, Flow, ResponseMode};
use crate::protocol::response::{
    is_authorization_response, validate_authorization_response, ExpectedResponse, RawResponse,
};
use crate::protocol::Error;

use super::client::{Client, TokenSet};
use super::flow::{self, SignInOptions};
use super::messages::{self, Url};
use super::{clock, provider};

pub use crate::protocol::transaction::{
    candidate_states, is_live, parse_transaction, serialize_transaction, strip_response_parameters,
    StoredTransaction, KEY_PREFIX, RESPONSE_PARAMETERS, TRANSACTION_LIFETIME_SECONDS,
};

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
