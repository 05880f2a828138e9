//! The stored transaction of a sign-in, and the address-bar rules of a redirect callback:
//! pure functions over text, shared by every shell.
//!
//! A transaction is what a sign-in keeps between the authorize request and its response
//! (state, nonce, PKCE verifier, redirect URI, ...), with the issuer and client it was sent
//! for and the time it was made. Its stored form is a form-encoded string with a version
//! field ([`serialize_transaction`]); anything else reads as absent ([`parse_transaction`]),
//! never a panic. It lives [`TRANSACTION_LIFETIME_SECONDS`] ([`is_live`]).

use super::authorize::{ResponseMode, Transaction};
use super::config::ResponseType;
use super::form;
use super::response::{is_authorization_response, RawResponse, ResponseValue};
use super::syntax::push_decimal;

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
    /// The thumbprint of the DPoP key (RFC 9449 §10) whose proofs the code exchange
    /// carries; `None` without DPoP, and in entries written before it.
    pub dpop_jkt: Option<String>,
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
    if let Some(j) = &stored.dpop_jkt {
        pairs.push(("dpop_jkt", j));
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
    let response_type = ResponseType::parse(required("response_type")?).ok()?;
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
        dpop_jkt: match get("dpop_jkt")? {
            Some("") => return None,
            j => j.map(str::to_owned),
        },
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

/// The `state` values of the responses in the fragment and the query, fragment first.
pub fn candidate_states(search: &str, hash: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(dpop_jkt: Option<&str>) -> StoredTransaction {
        StoredTransaction {
            transaction: Transaction {
                state: "s".into(),
                nonce: "n".into(),
                code_verifier: Some("v".repeat(43)),
                redirect_uri: "https://app.example/cb".into(),
                response_type: ResponseType::parse("code").unwrap(),
                response_mode: ResponseMode::Query,
                scopes: vec!["openid".into()],
                max_age: None,
            },
            issuer: "https://op.example".into(),
            client_id: "spa".into(),
            app_state: None,
            created_at: 1_700_000_000,
            dpop_jkt: dpop_jkt.map(str::to_owned),
        }
    }

    #[test]
    fn keeps_the_dpop_key_thumbprint_and_reads_entries_without_one() {
        const JKT: &str = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
        let bound = serialize_transaction(&stored(Some(JKT)));
        assert!(bound.ends_with("&dpop_jkt=0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));
        assert_eq!(parse_transaction(&bound), Some(stored(Some(JKT))));
        // An entry written before DPoP: the same text without the field.
        let old = serialize_transaction(&stored(None));
        assert!(!old.contains("dpop_jkt"));
        assert_eq!(parse_transaction(&old), Some(stored(None)));
        // Empty or repeated: not what serialize_transaction writes.
        assert_eq!(parse_transaction(&format!("{old}&dpop_jkt=")), None);
        assert_eq!(parse_transaction(&format!("{bound}&dpop_jkt=x")), None);
    }
}
