//! Not shipped: a measuring instrument for issue #7 (`scripts/size-probe.sh`, `make bench`).
//!
//! The protocol core alone behind one synchronous export, with the smallest glue
//! wasm-bindgen makes (strings and bytes in, a string out): no browser layer, no async, no
//! web-sys, no facade objects. Every entry point of the core that the browser layer calls is
//! reached with inputs only known at run time, so none of it is optimised away, and errors
//! keep their full texts (code, message, description), as the package ships them.
//!
//! Its size is therefore a lower bound for any packaging of this core: whatever does the
//! browser work (the Rust browser layer today, or hand-written JS) comes on top. It is built
//! only with `--features size-probe`, which also leaves the browser layer and the facade out.
#![allow(missing_docs)]

use wasm_bindgen::prelude::*;

use crate::protocol::authorize::{
    build_authorize_request, AuthorizeParams, AuthorizeRandomness, Flow, ResponseMode, Transaction,
};
use crate::protocol::config::{validate_config, ConfigInput, PopupResponseMode};
use crate::protocol::discovery::{derive_endpoints, discovery_url, process_discovery_response};
use crate::protocol::id_token::{
    restore_id_token, validate_id_token, Expect, IdTokenExpectations, IdTokenSource,
};
use crate::protocol::jwks::{parse_jwks, select_jwk};
use crate::protocol::jwt::{parse_compact_jws_with_algs, DEFAULT_ALLOWED_ALGS};
use crate::protocol::renewal::{
    renewal_delay, renewal_due, validate_renewed, validate_renewed_sub, Expiries, Which,
};
use crate::protocol::resource::{
    build_end_session_url, build_introspect_request, build_revoke_request, build_userinfo_request,
    parse_www_authenticate, process_introspect_response, process_revoke_response,
    process_userinfo_response, RevocableToken,
};
use crate::protocol::response::{
    answers_state, is_authorization_response, validate_authorization_response, ExpectedResponse,
    IssParameter, RawResponse,
};
use crate::protocol::stored::{parse_stored_tokens, serialize_stored_tokens, storage_key};
use crate::protocol::token::{
    build_authorization_code_request, build_refresh_token_request, process_token_response,
    HttpResponse,
};
use crate::protocol::{json, Error};

fn to_js(error: Error) -> JsValue {
    let mut s = String::from(error.code());
    s.push('\n');
    s.push_str(&error.message());
    s.push('\n');
    s.push_str(&error.description());
    if let Some(oauth) = error.oauth_error() {
        s.push('\n');
        s.push_str(oauth);
    }
    JsValue::from_str(&s)
}

/// Runs one protocol step, chosen by `step`, on `a`, `b`, `c` and `bytes`.
#[wasm_bindgen]
pub fn probe(step: u32, a: &str, b: &str, c: &str, bytes: &[u8]) -> Result<String, JsValue> {
    run(step, a, b, c, bytes).map_err(to_js)
}

fn run(step: u32, a: &str, b: &str, c: &str, bytes: &[u8]) -> Result<String, Error> {
    let config = validate_config(ConfigInput {
        issuer: Some(a.into()),
        client_id: Some(b.into()),
        redirect_uri: Some(c.into()),
        ..ConfigInput::default()
    })?;
    let response = HttpResponse {
        status: step as u16,
        content_type: Some(b),
        www_authenticate: Some(c),
        body: bytes,
    };
    let transaction = Transaction {
        state: b.into(),
        nonce: c.into(),
        code_verifier: Some(a.into()),
        redirect_uri: c.into(),
        response_type: config.response_type,
        response_mode: ResponseMode::Query,
        scopes: config.scopes.clone(),
        max_age: None,
    };
    let mut out = String::new();
    match step {
        0 => {
            let params = AuthorizeParams::from_config(
                &config,
                Flow::Popup(PopupResponseMode::OktaPostMessage),
            );
            let mut random = [0u8; AuthorizeRandomness::LEN];
            for (r, b) in random.iter_mut().zip(bytes) {
                *r = *b;
            }
            let randomness = AuthorizeRandomness::from_bytes(&random);
            out = build_authorize_request(a, &params, &randomness)?.url;
        }
        1 | 2 | 3 | 16 => {
            if !is_authorization_response(a) {
                return Ok(out);
            }
            let raw = match step {
                1 => RawResponse::from_query(a)?,
                2 => RawResponse::from_fragment(a)?,
                _ => {
                    let data = json::parse(bytes).map_err(|_| Error::InvalidSignature)?;
                    if step == 3 {
                        RawResponse::from_okta_post_message(&data)?
                    } else {
                        RawResponse::from_web_message(&data)?
                    }
                }
            };
            if !answers_state(&raw, b) {
                return Ok(out);
            }
            let expected = ExpectedResponse::for_transaction(
                &transaction,
                &config.issuer,
                IssParameter::Required,
            );
            let callback = validate_authorization_response(&raw, &expected)?;
            out.push_str(callback.code().unwrap_or_default());
        }
        4 => out.push_str(process_token_response(&response)?.access_token()),
        5 => {
            let jwt = parse_compact_jws_with_algs(a, &DEFAULT_ALLOWED_ALGS)?;
            let set = parse_jwks(bytes)?;
            out.push_str(select_jwk(&set, jwt.header())?.n());
            // The signature is WebCrypto's business, outside the core.
            let verified = jwt.into_verified_unchecked();
            let source = IdTokenSource::TokenResponse {
                nonce: Expect::Value(b),
                access_token: Some(c),
            };
            let expected = IdTokenExpectations::new(&config, source);
            out.push_str(validate_id_token(&verified, &expected, i64::from(step))?.payload_json());
        }
        6 => out.push_str(restore_id_token(a, b, c)?.payload_json()),
        7 => {
            let discovery = process_discovery_response(200, bytes, &config)?;
            out.push_str(discovery.endpoints().token());
        }
        8 => out = serialize_stored_tokens(&parse_stored_tokens(a, b, c)?, b, c),
        9 => out.push_str(process_userinfo_response(&response, a)?.sub()),
        10 => {
            if process_introspect_response(&response)?.active() {
                out.push_str("active");
            }
        }
        11 => process_revoke_response(&response)?,
        12 => {
            if let Some(challenge) = parse_www_authenticate(a)? {
                out.push_str(challenge.realm().unwrap_or_default());
            }
        }
        13 => out = build_end_session_url(a, b, Some(c), Some(c), Some(b))?,
        14 => {
            out.push_str(&build_userinfo_request(a, b)?.url);
            out.push_str(&build_introspect_request(a, b, c, None)?.url);
            out.push_str(&build_revoke_request(a, b, c, RevocableToken::AccessToken)?.url);
            out.push_str(&build_authorization_code_request(a, b, c, a, b).url);
            out.push_str(&build_refresh_token_request(a, b, c, None)?.url);
        }
        15 => {
            let (early, now) = (i64::from(config.expire_early_seconds), i64::from(step));
            let expiries = Expiries {
                id_token: bytes.first().map(|b| i64::from(*b)),
                access_token: bytes.get(1).map(|b| i64::from(*b)),
            };
            let which = match a.len() % 3 {
                0 => Which::All,
                1 => Which::IdToken,
                _ => Which::AccessToken,
            };
            if renewal_due(expiries, which, early, now) {
                validate_renewed(expiries, which, now)?;
                out.push_str("renewed");
            }
            if renewal_delay(expiries, early, now).is_some_and(|s| s > 60) {
                out.push_str("later");
            }
            validate_renewed_sub(Some(a), (!b.is_empty()).then_some(b))?;
        }
        _ => {
            if let Some(endpoints) = derive_endpoints(&config) {
                out.push_str(endpoints.keys());
            }
            out.push_str(&discovery_url(a));
            out.push_str(&storage_key(a, b));
        }
    }
    Ok(out)
}
