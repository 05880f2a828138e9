//! The token manager's storage format: one key per issuer and client id, one versioned JSON
//! value under it. Written by this library, read back by any tab of the origin, and
//! possibly tampered with or left by an older version: [`parse_stored_tokens`] reads it
//! whole or refuses it, so a session is never half-read.
//!
//! The ID token is stored as the compact JWS received, and its claims are rebuilt on load
//! by [`restore_id_token`] (the time-independent claim rules, against the configured issuer
//! and client id). Storing the claims as JSON instead would trust whatever a foreign writer
//! put there.

use super::id_token::{restore_id_token, IdTokenClaims};
use super::json::{self, Value};
use super::Error;

/// The version of the stored value this library writes and reads. A value of any other
/// version is refused (discarded by the token manager), never guessed at.
pub const STORAGE_VERSION: i64 = 1;

/// The storage key of one client's tokens: `okta-auth-wasm:tokens:` + client id + ` ` +
/// issuer. Two clients of one issuer, or one client id at two issuers, never share a key.
pub fn storage_key(issuer: &str, client_id: &str) -> String {
    client_key("okta-auth-wasm:tokens:", issuer, client_id)
}

/// The storage key of one client's renewal marker, beside its tokens in the same storage:
/// `okta-auth-wasm:renewed:` + client id + ` ` + issuer. Its value is a fresh random string
/// written at the end of every renewal made under the cross-tab lock, after the tokens.
/// A tab that waited for that lock reads the tokens only once it sees the marker change:
/// its storage may show another tab's writes later than the lock is handed over (Chromium
/// keeps a copy of `localStorage` per renderer process, updated by messages that are not
/// ordered with the lock's), and tokens read before then would be the ones just renewed
/// away.
pub fn renewal_marker_key(issuer: &str, client_id: &str) -> String {
    client_key("okta-auth-wasm:renewed:", issuer, client_id)
}

fn client_key(prefix: &str, issuer: &str, client_id: &str) -> String {
    let mut key = String::from(prefix);
    key.push_str(client_id);
    key.push(' ');
    key.push_str(issuer);
    key
}

/// An access token as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccessToken {
    /// The token.
    pub value: String,
    /// Seconds since the epoch, if known.
    pub expires_at: Option<i64>,
    /// The granted scopes.
    pub scopes: Vec<String>,
    /// `Bearer` (RFC 6750).
    pub token_type: String,
}

/// What one client keeps in storage.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTokens {
    /// The ID token, claims rebuilt by [`restore_id_token`].
    pub id_token: Option<IdTokenClaims>,
    /// The access token.
    pub access_token: Option<StoredAccessToken>,
    /// The refresh token.
    pub refresh_token: Option<String>,
    /// The thumbprint (RFC 7638) of the DPoP key the tokens are bound to (RFC 9449 §5);
    /// `None` for bearer tokens, and in values written before DPoP.
    pub dpop_jkt: Option<String>,
}

/// The stored value, as JSON text:
/// `{"version":1,"issuer":..,"clientId":..,"idToken":..,"accessToken":{"value":..,
/// "expiresAt":..,"scopes":[..],"tokenType":..},"refreshToken":..,"dpopJkt":..}` (absent tokens are
/// left out). The issuer and client id are repeated in the value so that a value copied
/// under another key is refused too.
pub fn serialize_stored_tokens(tokens: &StoredTokens, issuer: &str, client_id: &str) -> String {
    let mut s = String::from("{\"version\":1,\"issuer\":");
    push_json_string(&mut s, issuer);
    s.push_str(",\"clientId\":");
    push_json_string(&mut s, client_id);
    if let Some(id) = &tokens.id_token {
        s.push_str(",\"idToken\":");
        push_json_string(&mut s, id.id_token());
    }
    if let Some(at) = &tokens.access_token {
        s.push_str(",\"accessToken\":{\"value\":");
        push_json_string(&mut s, &at.value);
        if let Some(exp) = at.expires_at {
            s.push_str(",\"expiresAt\":");
            super::syntax::push_decimal(&mut s, exp);
        }
        s.push_str(",\"scopes\":[");
        for (i, scope) in at.scopes.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            push_json_string(&mut s, scope);
        }
        s.push_str("],\"tokenType\":");
        push_json_string(&mut s, &at.token_type);
        s.push('}');
    }
    if let Some(rt) = &tokens.refresh_token {
        s.push_str(",\"refreshToken\":");
        push_json_string(&mut s, rt);
    }
    if let Some(jkt) = &tokens.dpop_jkt {
        s.push_str(",\"dpopJkt\":");
        push_json_string(&mut s, jkt);
    }
    s.push('}');
    s
}

/// RFC 8259 §7.
pub(crate) fn push_json_string(s: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                s.push_str("\\u00");
                s.push(HEX[(c as usize) >> 4] as char);
                s.push(HEX[(c as usize) & 0xf] as char);
            }
            c => s.push(c),
        }
    }
    s.push('"');
}

fn corrupt(problem: &'static str) -> Error {
    Error::InvalidResponse {
        context: "stored tokens",
        problem,
    }
}

fn optional_string<'a>(v: &'a Value, key: &str) -> Result<Option<&'a str>, Error> {
    match v.get(key) {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(_) => Err(corrupt("a token is not a non-empty string")),
    }
}

/// Reads a stored value back, all or nothing. Refused with [`Error::InvalidResponse`]
/// (context "stored tokens") when it is not JSON, not an object, of another
/// [`STORAGE_VERSION`], written for another issuer or client id, or has a member of the
/// wrong type; an ID token that fails [`restore_id_token`] refuses the whole value with
/// that error (`issuer_mismatch`, `audience_mismatch`, `malformed_jwt`, ...). Unknown
/// members are ignored.
pub fn parse_stored_tokens(
    text: &str,
    issuer: &str,
    client_id: &str,
) -> Result<StoredTokens, Error> {
    let v = json::parse(text.as_bytes()).map_err(|_| corrupt("is not JSON"))?;
    if v.as_object().is_none() {
        return Err(corrupt("is not a JSON object"));
    }
    match v.get("version").and_then(Value::as_i64) {
        Some(STORAGE_VERSION) => {}
        Some(_) => return Err(corrupt("was written by another version of the library")),
        None => {
            return Err(corrupt(
                "has no version: it was not written by this library",
            ))
        }
    }
    if v.get("issuer").and_then(Value::as_str) != Some(issuer)
        || v.get("clientId").and_then(Value::as_str) != Some(client_id)
    {
        return Err(corrupt("belongs to another issuer or client"));
    }
    let id_token = optional_string(&v, "idToken")?
        .map(|t| restore_id_token(t, issuer, client_id))
        .transpose()?;
    let access_token = match v.get("accessToken") {
        None => None,
        Some(at) => {
            if at.as_object().is_none() {
                return Err(corrupt("accessToken is not an object"));
            }
            let value = optional_string(at, "value")?
                .ok_or(corrupt("accessToken has no value"))?
                .to_owned();
            let expires_at = match at.get("expiresAt") {
                None => None,
                Some(n) => Some(
                    n.as_i64()
                        .ok_or(corrupt("expiresAt is not a whole number"))?,
                ),
            };
            let scopes = at
                .get("scopes")
                .and_then(Value::as_array)
                .ok_or(corrupt("scopes is not an array"))?
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or(corrupt("scopes is not an array of strings"))?;
            let token_type = optional_string(at, "tokenType")?
                .ok_or(corrupt("accessToken has no tokenType"))?
                .to_owned();
            Some(StoredAccessToken {
                value,
                expires_at,
                scopes,
                token_type,
            })
        }
    };
    let refresh_token = optional_string(&v, "refreshToken")?.map(str::to_owned);
    let dpop_jkt = optional_string(&v, "dpopJkt")?.map(str::to_owned);
    Ok(StoredTokens {
        id_token,
        access_token,
        refresh_token,
        dpop_jkt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::jwt::unsigned_token_for_tests;
    use crate::protocol::testing::mutations;

    const ISS: &str = "https://op.example.com";
    const CID: &str = "spa";

    fn id_token(iss: &str, aud: &str) -> String {
        let mut payload = String::from("{\"iss\":\"");
        payload.push_str(iss);
        payload.push_str("\",\"sub\":\"u1\",\"aud\":\"");
        payload.push_str(aud);
        payload.push_str("\",\"exp\":1000,\"iat\":900,\"nonce\":\"n\"}");
        unsigned_token_for_tests("{\"alg\":\"RS256\",\"kid\":\"k\"}", &payload)
    }

    fn full() -> StoredTokens {
        StoredTokens {
            id_token: Some(restore_id_token(&id_token(ISS, CID), ISS, CID).unwrap()),
            access_token: Some(StoredAccessToken {
                value: "at\"\\\u{1}é".into(),
                expires_at: Some(1_700_000_000),
                scopes: vec!["openid".into(), "offline_access".into()],
                token_type: "Bearer".into(),
            }),
            refresh_token: Some("rt".into()),
            dpop_jkt: None,
        }
    }

    #[test]
    fn round_trips_every_token() {
        let t = full();
        let text = serialize_stored_tokens(&t, ISS, CID);
        assert_eq!(parse_stored_tokens(&text, ISS, CID).unwrap(), t);
    }

    #[test]
    fn round_trips_a_dpop_binding_and_reads_old_values_as_unbound() {
        let mut t = full();
        t.access_token.as_mut().unwrap().token_type = "DPoP".into();
        t.dpop_jkt = Some("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I".into());
        let text = serialize_stored_tokens(&t, ISS, CID);
        assert!(
            text.ends_with(",\"dpopJkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}"),
            "{text}"
        );
        assert_eq!(parse_stored_tokens(&text, ISS, CID).unwrap(), t);
        // A value written before DPoP has no dpopJkt: its tokens are unbound.
        let old = serialize_stored_tokens(&full(), ISS, CID);
        assert!(!old.contains("dpopJkt"));
        assert_eq!(parse_stored_tokens(&old, ISS, CID).unwrap().dpop_jkt, None);
        // Written by someone else: an empty or non-string key is no key.
        for bad in ["\"\"", "1", "null"] {
            let text = format!("{},\"dpopJkt\":{bad}}}", &old[..old.len() - 1]);
            assert_eq!(
                parse_stored_tokens(&text, ISS, CID),
                Err(corrupt("a token is not a non-empty string")),
                "{bad}"
            );
        }
    }

    #[test]
    fn round_trips_an_empty_set() {
        let t = StoredTokens {
            id_token: None,
            access_token: None,
            refresh_token: None,
            dpop_jkt: None,
        };
        let text = serialize_stored_tokens(&t, ISS, CID);
        assert_eq!(parse_stored_tokens(&text, ISS, CID).unwrap(), t);
    }

    #[test]
    fn restores_an_expired_id_token() {
        // exp 1000 is long past: kept, so that it can be renewed.
        let claims = restore_id_token(&id_token(ISS, CID), ISS, CID).unwrap();
        assert_eq!(claims.exp(), 1000);
        assert_eq!(claims.nonce(), Some("n"));
    }

    #[test]
    fn refuses_a_value_that_is_not_json() {
        assert_eq!(
            parse_stored_tokens("{oops", ISS, CID).unwrap_err().code(),
            "invalid_response"
        );
    }

    #[test]
    fn refuses_another_version() {
        let text =
            serialize_stored_tokens(&full(), ISS, CID).replace("\"version\":1", "\"version\":2");
        assert_eq!(
            parse_stored_tokens(&text, ISS, CID),
            Err(corrupt("was written by another version of the library"))
        );
    }

    #[test]
    fn refuses_a_value_without_version() {
        assert_eq!(
            parse_stored_tokens("{\"accessToken\":\"x\"}", ISS, CID),
            Err(corrupt(
                "has no version: it was not written by this library"
            ))
        );
    }

    #[test]
    fn refuses_a_value_of_another_client() {
        let text = serialize_stored_tokens(&full(), ISS, CID);
        assert_eq!(
            parse_stored_tokens(&text, ISS, "other"),
            Err(corrupt("belongs to another issuer or client"))
        );
        assert_eq!(
            parse_stored_tokens(&text, "https://evil.example", CID),
            Err(corrupt("belongs to another issuer or client"))
        );
    }

    #[test]
    fn refuses_an_id_token_of_another_issuer() {
        let mut text = String::from("{\"version\":1,\"issuer\":\"https://op.example.com\",\"clientId\":\"spa\",\"idToken\":\"");
        text.push_str(&id_token("https://evil.example", CID));
        text.push_str("\"}");
        assert_eq!(
            parse_stored_tokens(&text, ISS, CID).unwrap_err().code(),
            "issuer_mismatch"
        );
    }

    #[test]
    fn refuses_an_id_token_for_another_audience() {
        let mut text = String::from("{\"version\":1,\"issuer\":\"https://op.example.com\",\"clientId\":\"spa\",\"idToken\":\"");
        text.push_str(&id_token(ISS, "other"));
        text.push_str("\"}");
        assert_eq!(
            parse_stored_tokens(&text, ISS, CID).unwrap_err().code(),
            "audience_mismatch"
        );
    }

    #[test]
    fn refuses_an_access_token_of_the_wrong_type() {
        let text = "{\"version\":1,\"issuer\":\"https://op.example.com\",\"clientId\":\"spa\",\"accessToken\":\"x\"}";
        assert_eq!(
            parse_stored_tokens(text, ISS, CID),
            Err(corrupt("accessToken is not an object"))
        );
    }

    #[test]
    fn keys_differ_per_issuer_and_client() {
        assert_ne!(storage_key(ISS, "a"), storage_key(ISS, "b"));
        assert_ne!(storage_key("https://a", CID), storage_key("https://b", CID));
        assert_eq!(
            storage_key(ISS, CID),
            "okta-auth-wasm:tokens:spa https://op.example.com"
        );
    }

    #[test]
    fn renewal_marker_key_is_per_client_and_not_the_tokens_key() {
        assert_eq!(
            renewal_marker_key(ISS, CID),
            "okta-auth-wasm:renewed:spa https://op.example.com"
        );
        assert_ne!(renewal_marker_key(ISS, "a"), renewal_marker_key(ISS, "b"));
        assert_ne!(renewal_marker_key(ISS, CID), storage_key(ISS, CID));
    }

    #[test]
    fn never_panics_on_mutated_values() {
        let text = serialize_stored_tokens(&full(), ISS, CID);
        for m in mutations(text.as_bytes(), 3000) {
            let _ = parse_stored_tokens(&String::from_utf8_lossy(&m), ISS, CID);
        }
    }
}
