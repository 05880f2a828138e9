//! The ID token claim rules of OpenID Connect Core 1.0 (§3.1.3.7 for the code flow,
//! §3.2.2.11 for the implicit flow, §3.3.2.12 for the hybrid flow, §12.2 for refreshes),
//! applied to a token whose signature already verified ([`VerifiedJwt`]).
//!
//! The caller states facts rather than flipping switches: where the token came from and
//! what came with it ([`IdTokenSource`]); the rules that follow from those facts (which
//! hash claims are required, whether a nonce must be there) are decided here.

use sha2::{Digest, Sha256};

use super::config::ClientConfig;
use super::json::Value;
use super::jwt::VerifiedJwt;
use super::{base64url, Error};

/// OpenID Connect Core §2 (`sub`): "It MUST NOT exceed 255 ASCII characters in length."
pub const MAX_SUB_LEN: usize = 255;

/// What a claim must be, as a typed switch rather than a boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect<T> {
    /// The value was sent: the claim must be present and equal to it.
    Value(T),
    /// Nothing was sent: the claim must be absent, since a value nobody asked for means
    /// the token answers some other request.
    Absent,
    /// Not checked at all. For a nonce this gives up the replay and injection defence
    /// (OpenID Connect Core §15.5.2): a token issued for another request is accepted.
    /// Use it only where the specification leaves the claim unchecked.
    Skip,
}

/// Where the ID token came from, with what came along with it in the same response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IdTokenSource<'a> {
    /// The authorization response (implicit `id_token`, `id_token token`, or hybrid
    /// `code id_token[ token]`), which travels through the browser and can be replayed or
    /// swapped: the nonce sent is required (OpenID Connect Core §3.2.2.11 step 11), and so
    /// are `at_hash` when an access token came with it (§3.2.2.10, §3.3.2.11) and `c_hash`
    /// when a code came with it (§3.3.2.11).
    AuthorizationResponse {
        /// The `nonce` sent with the authentication request (required for these flows by
        /// OpenID Connect Core §3.2.2.1).
        nonce: &'a str,
        /// The `access_token` of the same authorization response, if any.
        access_token: Option<&'a str>,
        /// The `code` of the same authorization response, if any.
        code: Option<&'a str>,
    },
    /// The token endpoint's answer to an authorization code (OpenID Connect Core §3.1.3.3).
    /// `at_hash` is optional there, and checked when present (§3.1.3.8, §3.3.3.9).
    TokenResponse {
        /// The `nonce` sent with the authentication request, on every flow (code + PKCE
        /// included, §3.1.3.7 step 11), or [`Expect::Absent`] when none was sent.
        nonce: Expect<&'a str>,
        /// The `access_token` of the same token response, if any.
        access_token: Option<&'a str>,
    },
    /// The token endpoint's answer to a refresh token (OpenID Connect Core §12.2): `sub`,
    /// `aud` and `azp` must be those of the original ID token, `auth_time` (if present) the
    /// original authentication's, and `nonce` either absent or the original one (errata
    /// set 2). `at_hash` is checked when present.
    RefreshResponse {
        /// The ID token the session started with, as validated then.
        original: &'a IdTokenClaims,
        /// The `access_token` of the same token response, if any.
        access_token: Option<&'a str>,
    },
}

/// What the ID token must match: the configuration, the request, the clock's leeway.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdTokenExpectations<'a> {
    /// The configured issuer; `iss` must equal it byte for byte (§3.1.3.7 step 2).
    pub issuer: &'a str,
    /// The client's `client_id`; `aud` must contain it (§3.1.3.7 step 3).
    pub client_id: &'a str,
    /// Where the token came from, and what came with it.
    pub source: IdTokenSource<'a>,
    /// The `max_age` sent with the authentication request, if one was (§3.1.3.7 step 13).
    /// `None` for a refresh, which is no authentication request.
    pub max_age: Option<u32>,
    /// Leeway for `exp`, `iat`, `nbf` and `auth_time`, in seconds.
    pub clock_skew_seconds: u32,
}

impl<'a> IdTokenExpectations<'a> {
    /// Expectations from the validated configuration (issuer, client id, clock skew),
    /// with no `max_age`.
    pub fn new(config: &'a ClientConfig, source: IdTokenSource<'a>) -> Self {
        IdTokenExpectations {
            issuer: &config.issuer,
            client_id: &config.client_id,
            source,
            max_age: None,
            clock_skew_seconds: config.clock_skew_seconds,
        }
    }
}

/// The claims of an ID token that passed [`validate_id_token`]. Only that function builds
/// one, so code that needs a validated ID token cannot be handed anything else.
#[derive(Debug, Clone, PartialEq)]
pub struct IdTokenClaims {
    token: String,
    iss: String,
    sub: String,
    aud: Vec<String>,
    azp: Option<String>,
    exp: i64,
    iat: i64,
    nbf: Option<i64>,
    nonce: Option<String>,
    auth_time: Option<i64>,
    payload_json: String,
}

impl IdTokenClaims {
    /// `iss`: the configured issuer.
    pub fn iss(&self) -> &str {
        &self.iss
    }

    /// `sub`: the user, unique within the issuer.
    pub fn sub(&self) -> &str {
        &self.sub
    }

    /// `aud`, as an array even when the token had a single string.
    pub fn aud(&self) -> &[String] {
        &self.aud
    }

    /// `azp`, if present (then equal to the client id).
    pub fn azp(&self) -> Option<&str> {
        self.azp.as_deref()
    }

    /// `exp`, in seconds since the epoch.
    pub fn exp(&self) -> i64 {
        self.exp
    }

    /// `iat`, in seconds since the epoch.
    pub fn iat(&self) -> i64 {
        self.iat
    }

    /// `nbf`, if present.
    pub fn nbf(&self) -> Option<i64> {
        self.nbf
    }

    /// `nonce`, if present.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// `auth_time`, if present.
    pub fn auth_time(&self) -> Option<i64> {
        self.auth_time
    }

    /// The payload's JSON text exactly as signed. The strict parser accepted it (a JSON
    /// object, no duplicate member names), so `JSON.parse` of it builds the object the
    /// claim rules read, in one call instead of one per member.
    pub fn payload_json(&self) -> &str {
        &self.payload_json
    }

    /// The ID token exactly as received (for `id_token_hint`, storage).
    pub fn id_token(&self) -> &str {
        &self.token
    }
}

/// OpenID Connect Core §3.1.3.7 (with §3.2.2.11, §3.3.2.12 and §12.2 as `source` says):
/// the claim rules, in the specification's order, each failing with its own error.
///
/// - `typ`, when present, is `JWT` (RFC 7519 §5.1; RFC 8725 §3.11: an access token in
///   RFC 9068's `at+jwt` format must not pass as an ID token).
/// - step 2: `iss` equals the configured issuer exactly.
/// - steps 3-5: `aud` (a string or an array of strings) contains the client id; with
///   several audiences `azp` is required; `azp`, when present, is the client id.
/// - step 9: `exp` is required and later than `now - skew`.
/// - step 10: `iat` is required and not later than `now + skew`; `nbf`, when present,
///   likewise (RFC 7519 §4.1.5).
/// - §2: `sub` is required, non-empty, ASCII and at most [`MAX_SUB_LEN`] characters.
/// - step 11: `nonce` as [`IdTokenSource`] says.
/// - §3.2.2.9, §3.3.2.11: `at_hash` and `c_hash` as [`IdTokenSource`] says.
/// - step 13: with `max_age`, `auth_time` is required and no older than
///   `max_age + skew` seconds.
///
/// NumericDate claims (RFC 7519 §2) may be non-integral numbers; they are floored to whole
/// seconds, which moves each by less than a second and never past the clock skew.
pub fn validate_id_token(
    jwt: &VerifiedJwt,
    expected: &IdTokenExpectations<'_>,
    now: i64,
) -> Result<IdTokenClaims, Error> {
    check_claims(jwt, expected, Some(now))
}

/// Reads back an ID token that the token manager stored after it passed
/// [`validate_id_token`] (its signature, nonce and hashes were checked then). The stored
/// value is only as trustworthy as the storage: the claim rules that do not depend on time
/// or on the original request are run again, so a value written for another issuer or
/// client, or one that is not an ID token at all, is refused rather than trusted:
///
/// - the compact JWS syntax and header (RFC 7515 §7.1), the signature not checked again;
/// - `typ`, `iss` (OpenID Connect Core §3.1.3.7 step 2), `aud` and `azp` (steps 3-5) against
///   the configuration; `exp` and `iat` present (steps 9-10) but not compared with the
///   clock (an expired ID token is kept, to be renewed); `sub` as in §2.
pub fn restore_id_token(
    token: &str,
    issuer: &str,
    client_id: &str,
) -> Result<IdTokenClaims, Error> {
    let jwt = super::jwt::parse_compact_jws(token)?.into_verified_unchecked();
    let expected = IdTokenExpectations {
        issuer,
        client_id,
        source: IdTokenSource::TokenResponse {
            nonce: Expect::Skip,
            access_token: None,
        },
        max_age: None,
        clock_skew_seconds: 0,
    };
    check_claims(&jwt, &expected, None)
}

/// The claim rules; `now: None` skips every comparison with the clock.
fn check_claims(
    jwt: &VerifiedJwt,
    expected: &IdTokenExpectations<'_>,
    now: Option<i64>,
) -> Result<IdTokenClaims, Error> {
    let p = jwt.payload();
    let skew = i64::from(expected.clock_skew_seconds);

    if let Some(typ) = jwt.header().typ() {
        let typ = strip_application_prefix(typ);
        if !typ.eq_ignore_ascii_case("JWT") {
            return Err(Error::InvalidClaim {
                claim: "typ",
                problem: "(a header parameter) is not JWT, so the token is no ID token",
            });
        }
    }

    let iss = required_string(p, "iss")?;
    if iss != expected.issuer {
        return Err(Error::IssuerMismatch {
            context: "id_token",
            expected: expected.issuer.to_owned(),
            received: iss.to_owned(),
        });
    }

    let aud = audiences(p)?;
    if !aud.iter().any(|a| a == expected.client_id) {
        return Err(Error::AudienceMismatch {
            problem: "the ID token's aud does not contain the client id",
        });
    }
    let azp = optional_string(p, "azp")?;
    if aud.len() > 1 && azp.is_none() {
        return Err(Error::AudienceMismatch {
            problem: "the ID token has several audiences and no azp",
        });
    }
    if azp.is_some_and(|azp| azp != expected.client_id) {
        return Err(Error::AudienceMismatch {
            problem: "the ID token's azp is not the client id",
        });
    }

    let exp = numeric_date(p, "exp")?.ok_or(missing("exp"))?;
    let iat = numeric_date(p, "iat")?.ok_or(missing("iat"))?;
    let nbf = numeric_date(p, "nbf")?;
    if let Some(now) = now {
        if exp <= now.saturating_sub(skew) {
            return Err(Error::Expired { exp, now });
        }
        if iat > now.saturating_add(skew) {
            return Err(Error::IssuedInFuture { iat, now });
        }
        if let Some(nbf) = nbf {
            if nbf > now.saturating_add(skew) {
                return Err(Error::NotYetValid { nbf, now });
            }
        }
    }

    let sub = required_string(p, "sub")?;
    if sub.is_empty() {
        return Err(Error::InvalidClaim {
            claim: "sub",
            problem: "is empty",
        });
    }
    if !sub.is_ascii() || sub.len() > MAX_SUB_LEN {
        return Err(Error::InvalidClaim {
            claim: "sub",
            problem: "is not at most 255 ASCII characters (OpenID Connect Core §2)",
        });
    }

    let nonce = optional_string(p, "nonce")?;
    validate_nonce(nonce, &expected.source)?;

    validate_hashes(jwt, &expected.source)?;

    let auth_time = numeric_date(p, "auth_time")?;
    if let (Some(max_age), Some(now)) = (expected.max_age, now) {
        let auth_time = auth_time.ok_or(Error::InvalidClaim {
            claim: "auth_time",
            problem: "is required when max_age was sent (OpenID Connect Core §3.1.2.1)",
        })?;
        let deadline = auth_time
            .saturating_add(i64::from(max_age))
            .saturating_add(skew);
        if deadline < now {
            return Err(Error::AuthTooOld {
                auth_time,
                max_age,
                now,
            });
        }
    }

    let claims = IdTokenClaims {
        token: jwt.as_str().to_owned(),
        iss: iss.to_owned(),
        sub: sub.to_owned(),
        aud,
        azp: azp.map(str::to_owned),
        exp,
        iat,
        nbf,
        nonce: nonce.map(str::to_owned),
        auth_time,
        // UTF-8: the JSON parser accepted these bytes.
        payload_json: core::str::from_utf8(jwt.payload_bytes())
            .unwrap_or_default()
            .to_owned(),
    };
    if let IdTokenSource::RefreshResponse { original, .. } = expected.source {
        validate_refresh(&claims, original)?;
    }
    Ok(claims)
}

/// RFC 7515 §4.1.9: "application/" may be left out of a `typ` media type.
fn strip_application_prefix(typ: &str) -> &str {
    match typ.get(..12) {
        Some(prefix) if prefix.eq_ignore_ascii_case("application/") => {
            typ.get(12..).unwrap_or_default()
        }
        _ => typ,
    }
}

/// OpenID Connect Core §3.1.3.7 step 11, §3.2.2.11 step 11, §12.2.
fn validate_nonce(nonce: Option<&str>, source: &IdTokenSource<'_>) -> Result<(), Error> {
    let ok = match *source {
        IdTokenSource::AuthorizationResponse { nonce: sent, .. }
        | IdTokenSource::TokenResponse {
            nonce: Expect::Value(sent),
            ..
        } => nonce == Some(sent),
        IdTokenSource::TokenResponse {
            nonce: Expect::Absent,
            ..
        } => nonce.is_none(),
        IdTokenSource::TokenResponse {
            nonce: Expect::Skip,
            ..
        } => true,
        IdTokenSource::RefreshResponse { original, .. } => {
            nonce.is_none() || nonce == original.nonce()
        }
    };
    if ok {
        Ok(())
    } else {
        Err(Error::NonceMismatch)
    }
}

/// `at_hash` (OpenID Connect Core §3.2.2.9, §3.2.2.10, §3.3.2.11, §3.1.3.8) and `c_hash`
/// (§3.3.2.10, §3.3.2.11).
fn validate_hashes(jwt: &VerifiedJwt, source: &IdTokenSource<'_>) -> Result<(), Error> {
    let (access_token, at_hash_required, code) = match *source {
        IdTokenSource::AuthorizationResponse {
            access_token, code, ..
        } => (access_token, true, code),
        IdTokenSource::TokenResponse { access_token, .. }
        | IdTokenSource::RefreshResponse { access_token, .. } => (access_token, false, None),
    };
    if let Some(access_token) = access_token {
        check_hash(
            jwt,
            "at_hash",
            access_token,
            at_hash_required,
            Error::AtHashMismatch,
        )?;
    }
    if let Some(code) = code {
        check_hash(jwt, "c_hash", code, true, Error::CHashMismatch)?;
    }
    Ok(())
}

fn check_hash(
    jwt: &VerifiedJwt,
    claim: &'static str,
    value: &str,
    required: bool,
    mismatch: Error,
) -> Result<(), Error> {
    let Some(received) = optional_string(jwt.payload(), claim)? else {
        return if required {
            Err(Error::InvalidClaim {
                claim,
                problem: "is required when the value it hashes comes with the ID token from the authorization endpoint",
            })
        } else {
            Ok(())
        };
    };
    // §3.2.2.9: the hash is the one of the JWS alg; only SHA-256 algorithms are supported.
    if !matches!(jwt.header().alg(), "RS256" | "PS256" | "ES256") {
        return Err(Error::InvalidClaim {
            claim,
            problem: "cannot be checked: the token's alg does not hash with SHA-256",
        });
    }
    if received == left_half_sha256(value) {
        Ok(())
    } else {
        Err(mismatch)
    }
}

/// OpenID Connect Core §12.2 (errata set 2): a refreshed ID token speaks of the same
/// authentication as the original. `iss` is already held to the configured issuer.
fn validate_refresh(new: &IdTokenClaims, original: &IdTokenClaims) -> Result<(), Error> {
    if new.sub != original.sub {
        return Err(Error::InvalidClaim {
            claim: "sub",
            problem: "differs from the original ID token's (OpenID Connect Core §12.2)",
        });
    }
    if new.aud != original.aud {
        return Err(Error::AudienceMismatch {
            problem: "the refreshed ID token's aud differs from the original's (OpenID Connect Core §12.2)",
        });
    }
    if new.azp != original.azp {
        return Err(Error::AudienceMismatch {
            problem: "the refreshed ID token's azp differs from the original's (OpenID Connect Core §12.2)",
        });
    }
    if new.auth_time.is_some() && new.auth_time != original.auth_time {
        return Err(Error::InvalidClaim {
            claim: "auth_time",
            problem: "differs from the original authentication's (OpenID Connect Core §12.2)",
        });
    }
    Ok(())
}

/// OpenID Connect Core §3.2.2.9: `at_hash` for an RS256 token, the base64url of the
/// left-most half of the SHA-256 of the ASCII access token.
pub fn at_hash(access_token: &str) -> String {
    left_half_sha256(access_token)
}

/// OpenID Connect Core §3.3.2.11: `c_hash` for an RS256 token, the base64url of the
/// left-most half of the SHA-256 of the ASCII code.
pub fn c_hash(code: &str) -> String {
    left_half_sha256(code)
}

fn left_half_sha256(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    base64url::encode(digest.get(..16).unwrap_or_default())
}

fn missing(claim: &'static str) -> Error {
    Error::InvalidClaim {
        claim,
        problem: "is required",
    }
}

fn required_string<'p>(p: &'p Value, claim: &'static str) -> Result<&'p str, Error> {
    optional_string(p, claim)?.ok_or(missing(claim))
}

fn optional_string<'p>(p: &'p Value, claim: &'static str) -> Result<Option<&'p str>, Error> {
    match p.get(claim) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::InvalidClaim {
            claim,
            problem: "is not a string",
        }),
    }
}

/// OpenID Connect Core §2: `aud` is a string, or an array of strings.
fn audiences(p: &Value) -> Result<Vec<String>, Error> {
    let wrong = Error::InvalidClaim {
        claim: "aud",
        problem: "is not a string or a non-empty array of strings",
    };
    match p.get("aud") {
        None => Err(missing("aud")),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|a| a.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or(wrong),
        Some(_) => Err(wrong),
    }
}

/// RFC 7519 §2 NumericDate: seconds since the epoch, possibly non-integral (floored; see
/// [`Number::numeric_date`](super::json::Number::numeric_date)).
fn numeric_date(p: &Value, claim: &'static str) -> Result<Option<i64>, Error> {
    match p.get(claim) {
        None => Ok(None),
        Some(v) => match v.as_number().and_then(|n| n.numeric_date()) {
            Some(seconds) => Ok(Some(seconds)),
            None => Err(Error::InvalidClaim {
                claim,
                problem: "is not a NumericDate (a number of seconds within ±2^53)",
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::jwt::{
        parse_compact_jws, parse_compact_jws_with_algs, unsigned_token_for_tests,
    };
    use crate::protocol::testing::{mutations, random_inputs};
    use serde_json::{json, Value as J};

    const ISS: &str = "https://op.example";
    const CLIENT: &str = "0oa-client";
    const NONCE: &str = "n-0S6_WzA2Mj";
    const NOW: i64 = 1_700_000_000;
    const SKEW: u32 = 300;

    fn claims() -> J {
        json!({
            "iss": ISS,
            "sub": "00u-alice",
            "aud": CLIENT,
            "exp": NOW + 3600,
            "iat": NOW - 10,
            "nonce": NONCE,
        })
    }

    fn with(mut c: J, claim: &str, value: J) -> J {
        c[claim] = value;
        c
    }

    fn without(mut c: J, claim: &str) -> J {
        c.as_object_mut().unwrap().remove(claim);
        c
    }

    fn verified_with_header(header: &str, payload: &str) -> VerifiedJwt {
        let t = unsigned_token_for_tests(header, payload);
        parse_compact_jws_with_algs(&t, &["RS256", "RS384"])
            .unwrap()
            .into_verified_unchecked()
    }

    fn verified(c: &J) -> VerifiedJwt {
        verified_with_header(r#"{"alg":"RS256","kid":"k1"}"#, &c.to_string())
    }

    fn code_flow() -> IdTokenSource<'static> {
        IdTokenSource::TokenResponse {
            nonce: Expect::Value(NONCE),
            access_token: None,
        }
    }

    fn expect(source: IdTokenSource<'_>) -> IdTokenExpectations<'_> {
        IdTokenExpectations {
            issuer: ISS,
            client_id: CLIENT,
            source,
            max_age: None,
            clock_skew_seconds: SKEW,
        }
    }

    fn validate(c: &J) -> Result<IdTokenClaims, Error> {
        validate_id_token(&verified(c), &expect(code_flow()), NOW)
    }

    fn validate_from(c: &J, source: IdTokenSource<'_>) -> Result<IdTokenClaims, Error> {
        validate_id_token(&verified(c), &expect(source), NOW)
    }

    fn invalid_claim(r: Result<IdTokenClaims, Error>) -> (&'static str, &'static str) {
        match r {
            Err(Error::InvalidClaim { claim, problem }) => (claim, problem),
            other => panic!("expected InvalidClaim, got {other:?}"),
        }
    }

    // ---- OpenID Connect Core Appendix A ------------------------------------------------

    struct Appendix {
        v: J,
    }

    impl Appendix {
        fn load() -> Self {
            Appendix {
                v: serde_json::from_str(include_str!(
                    "../../tests/vectors/oidc-core-appendix-a.json"
                ))
                .unwrap(),
            }
        }

        fn token(&self, name: &str) -> VerifiedJwt {
            let t = self.v["id_tokens"][name].as_str().unwrap();
            parse_compact_jws(t).unwrap().into_verified_unchecked()
        }

        fn str(&self, key: &str) -> &str {
            self.v[key].as_str().unwrap()
        }

        fn hash_input(&self, claim: &str) -> &str {
            let h = self.v["hashes"].as_array().unwrap();
            let h = h.iter().find(|h| h["claim"] == claim).unwrap();
            h["input"].as_str().unwrap()
        }

        fn expect<'a>(&'a self, source: IdTokenSource<'a>) -> IdTokenExpectations<'a> {
            IdTokenExpectations {
                issuer: self.str("issuer"),
                client_id: self.str("client_id"),
                source,
                max_age: None,
                clock_skew_seconds: 0,
            }
        }

        /// Inside [iat, exp], as the vectors require.
        fn now(&self) -> i64 {
            (self.v["iat"].as_i64().unwrap() + self.v["exp"].as_i64().unwrap()) / 2
        }
    }

    #[test]
    fn accepts_oidc_core_a2_code_flow_id_token() {
        let a = Appendix::load();
        let source = IdTokenSource::TokenResponse {
            nonce: Expect::Value(a.str("nonce")),
            access_token: None,
        };
        let claims = validate_id_token(&a.token("A.2"), &a.expect(source), a.now()).unwrap();
        assert_eq!(claims.iss(), "http://server.example.com");
        assert_eq!(claims.sub(), "248289761001");
        assert_eq!(claims.aud(), ["s6BhdRkqt3"]);
        assert_eq!(claims.exp(), 1_311_281_970);
        assert_eq!(claims.iat(), 1_311_280_970);
        assert_eq!(claims.nonce(), Some("n-0S6_WzA2Mj"));
        assert_eq!(claims.auth_time(), None);
        let payload: J = serde_json::from_str(claims.payload_json()).unwrap();
        assert_eq!(payload["email"], "janedoe@example.com");
        assert_eq!(claims.id_token(), a.v["id_tokens"]["A.2"].as_str().unwrap());
    }

    #[test]
    fn accepts_oidc_core_a3_implicit_id_token_with_at_hash() {
        let a = Appendix::load();
        let source = IdTokenSource::AuthorizationResponse {
            nonce: a.str("nonce"),
            access_token: Some(a.hash_input("at_hash")),
            code: None,
        };
        assert!(validate_id_token(&a.token("A.3 (at_hash)"), &a.expect(source), a.now()).is_ok());
    }

    #[test]
    fn accepts_oidc_core_a6_hybrid_id_token_with_c_hash() {
        let a = Appendix::load();
        let source = IdTokenSource::AuthorizationResponse {
            nonce: a.str("nonce"),
            access_token: None,
            code: Some(a.hash_input("c_hash")),
        };
        assert!(validate_id_token(&a.token("A.6 (c_hash)"), &a.expect(source), a.now()).is_ok());
    }

    #[test]
    fn rejects_oidc_core_a3_with_another_access_token() {
        let a = Appendix::load();
        let source = IdTokenSource::AuthorizationResponse {
            nonce: a.str("nonce"),
            access_token: Some("an-access-token-of-another-response"),
            code: None,
        };
        assert_eq!(
            validate_id_token(&a.token("A.3 (at_hash)"), &a.expect(source), a.now()),
            Err(Error::AtHashMismatch)
        );
    }

    #[test]
    fn rejects_oidc_core_a6_with_another_code() {
        let a = Appendix::load();
        let source = IdTokenSource::AuthorizationResponse {
            nonce: a.str("nonce"),
            access_token: None,
            code: Some("a-code-swapped-in-by-an-attacker"),
        };
        assert_eq!(
            validate_id_token(&a.token("A.6 (c_hash)"), &a.expect(source), a.now()),
            Err(Error::CHashMismatch)
        );
    }

    #[test]
    fn rejects_oidc_core_a2_outside_its_validity() {
        let a = Appendix::load();
        let source = IdTokenSource::TokenResponse {
            nonce: Expect::Value(a.str("nonce")),
            access_token: None,
        };
        let exp = a.v["exp"].as_i64().unwrap();
        assert_eq!(
            validate_id_token(&a.token("A.2"), &a.expect(source), exp),
            Err(Error::Expired { exp, now: exp })
        );
    }

    #[test]
    fn at_hash_matches_oidc_core_a3() {
        let a = Appendix::load();
        assert_eq!(at_hash(a.hash_input("at_hash")), "77QmUPtjPfzWtF2AnpK9RQ");
    }

    #[test]
    fn c_hash_matches_oidc_core_a6() {
        let a = Appendix::load();
        assert_eq!(c_hash(a.hash_input("c_hash")), "LDktKdoQak3Pk0cnXxCltA");
    }

    // ---- one rule at a time ------------------------------------------------------------

    #[test]
    fn accepts_the_baseline_token() {
        let claims = validate(&claims()).unwrap();
        assert_eq!(claims.sub(), "00u-alice");
        assert_eq!(claims.aud(), [CLIENT]);
    }

    #[test]
    fn rejects_id_token_with_typ_of_an_access_token() {
        for typ in ["at+jwt", "application/at+jwt", "JOSE+JSON"] {
            let jwt = verified_with_header(
                &json!({ "alg": "RS256", "typ": typ }).to_string(),
                &claims().to_string(),
            );
            assert_eq!(
                validate_id_token(&jwt, &expect(code_flow()), NOW),
                Err(Error::InvalidClaim {
                    claim: "typ",
                    problem: "(a header parameter) is not JWT, so the token is no ID token"
                }),
                "{typ}"
            );
        }
    }

    #[test]
    fn accepts_typ_jwt_in_any_spelling() {
        for typ in ["JWT", "jwt", "application/jwt", "Application/JWT"] {
            let jwt = verified_with_header(
                &json!({ "alg": "RS256", "typ": typ }).to_string(),
                &claims().to_string(),
            );
            assert!(
                validate_id_token(&jwt, &expect(code_flow()), NOW).is_ok(),
                "{typ}"
            );
        }
    }

    #[test]
    fn rejects_id_token_from_another_issuer() {
        assert_eq!(
            validate(&with(claims(), "iss", json!("https://op.example/"))),
            Err(Error::IssuerMismatch {
                context: "id_token",
                expected: ISS.into(),
                received: "https://op.example/".into()
            })
        );
    }

    #[test]
    fn rejects_id_token_without_iss() {
        assert_eq!(
            invalid_claim(validate(&without(claims(), "iss"))),
            ("iss", "is required")
        );
    }

    #[test]
    fn rejects_id_token_when_aud_lacks_client_id() {
        for aud in [json!("another-client"), json!(["another-client", "third"])] {
            let c = with(with(claims(), "aud", aud), "azp", json!(CLIENT));
            assert_eq!(
                validate(&c),
                Err(Error::AudienceMismatch {
                    problem: "the ID token's aud does not contain the client id"
                })
            );
        }
    }

    #[test]
    fn rejects_id_token_without_aud() {
        assert_eq!(
            invalid_claim(validate(&without(claims(), "aud"))),
            ("aud", "is required")
        );
    }

    #[test]
    fn rejects_aud_of_the_wrong_type() {
        for aud in [
            json!(42),
            json!([]),
            json!([CLIENT, 7]),
            json!({ "0": CLIENT }),
        ] {
            assert_eq!(
                invalid_claim(validate(&with(claims(), "aud", aud.clone()))),
                ("aud", "is not a string or a non-empty array of strings"),
                "{aud}"
            );
        }
    }

    #[test]
    fn accepts_aud_array_with_one_element() {
        assert!(validate(&with(claims(), "aud", json!([CLIENT]))).is_ok());
    }

    #[test]
    fn rejects_several_audiences_without_azp() {
        assert_eq!(
            validate(&with(claims(), "aud", json!([CLIENT, "api://default"]))),
            Err(Error::AudienceMismatch {
                problem: "the ID token has several audiences and no azp"
            })
        );
    }

    #[test]
    fn accepts_several_audiences_with_azp_of_the_client() {
        let c = with(claims(), "aud", json!(["api://default", CLIENT]));
        let claims = validate(&with(c, "azp", json!(CLIENT))).unwrap();
        assert_eq!(claims.azp(), Some(CLIENT));
    }

    #[test]
    fn rejects_azp_of_another_client() {
        // Even with one audience: azp names the party the token was issued to.
        assert_eq!(
            validate(&with(claims(), "azp", json!("another-client"))),
            Err(Error::AudienceMismatch {
                problem: "the ID token's azp is not the client id"
            })
        );
    }

    #[test]
    fn rejects_azp_of_the_wrong_type() {
        assert_eq!(
            invalid_claim(validate(&with(claims(), "azp", json!([CLIENT])))),
            ("azp", "is not a string")
        );
    }

    #[test]
    fn rejects_expired_id_token() {
        let exp = NOW - i64::from(SKEW);
        assert_eq!(
            validate(&with(claims(), "exp", json!(exp))),
            Err(Error::Expired { exp, now: NOW })
        );
    }

    #[test]
    fn accepts_id_token_expired_within_the_clock_skew() {
        let exp = NOW - i64::from(SKEW) + 1;
        assert!(validate(&with(claims(), "exp", json!(exp))).is_ok());
    }

    #[test]
    fn rejects_id_token_without_exp() {
        assert_eq!(
            invalid_claim(validate(&without(claims(), "exp"))),
            ("exp", "is required")
        );
    }

    #[test]
    fn rejects_id_token_issued_in_the_future() {
        let iat = NOW + i64::from(SKEW) + 1;
        assert_eq!(
            validate(&with(claims(), "iat", json!(iat))),
            Err(Error::IssuedInFuture { iat, now: NOW })
        );
    }

    #[test]
    fn accepts_id_token_issued_in_the_future_within_the_clock_skew() {
        assert!(validate(&with(claims(), "iat", json!(NOW + i64::from(SKEW)))).is_ok());
    }

    #[test]
    fn rejects_id_token_without_iat() {
        assert_eq!(
            invalid_claim(validate(&without(claims(), "iat"))),
            ("iat", "is required")
        );
    }

    #[test]
    fn rejects_id_token_not_yet_valid() {
        let nbf = NOW + i64::from(SKEW) + 1;
        assert_eq!(
            validate(&with(claims(), "nbf", json!(nbf))),
            Err(Error::NotYetValid { nbf, now: NOW })
        );
    }

    #[test]
    fn accepts_nbf_within_the_clock_skew() {
        let c = validate(&with(claims(), "nbf", json!(NOW + 5))).unwrap();
        assert_eq!(c.nbf(), Some(NOW + 5));
    }

    #[test]
    fn rejects_numeric_dates_of_the_wrong_type() {
        for claim in ["exp", "iat", "nbf", "auth_time"] {
            for value in [json!("1700003600"), json!(null), json!(1e300)] {
                assert_eq!(
                    invalid_claim(validate(&with(claims(), claim, value.clone()))),
                    (
                        claim_name(claim),
                        "is not a NumericDate (a number of seconds within ±2^53)"
                    ),
                    "{claim}: {value}"
                );
            }
        }
    }

    fn claim_name(claim: &str) -> &'static str {
        match claim {
            "exp" => "exp",
            "iat" => "iat",
            "nbf" => "nbf",
            _ => "auth_time",
        }
    }

    #[test]
    fn floors_non_integral_numeric_dates() {
        let c = with(claims(), "exp", json!(NOW as f64 + 3600.9));
        let c = with(c, "iat", json!(NOW as f64 - 10.5));
        let claims = validate(&c).unwrap();
        assert_eq!(claims.exp(), NOW + 3600);
        assert_eq!(claims.iat(), NOW - 11);
    }

    #[test]
    fn rejects_id_token_without_sub() {
        assert_eq!(
            invalid_claim(validate(&without(claims(), "sub"))),
            ("sub", "is required")
        );
    }

    #[test]
    fn rejects_sub_of_the_wrong_type() {
        assert_eq!(
            invalid_claim(validate(&with(claims(), "sub", json!(248289761001u64)))),
            ("sub", "is not a string")
        );
    }

    #[test]
    fn rejects_empty_sub() {
        assert_eq!(
            invalid_claim(validate(&with(claims(), "sub", json!("")))),
            ("sub", "is empty")
        );
    }

    #[test]
    fn rejects_sub_longer_than_255_characters() {
        assert!(validate(&with(claims(), "sub", json!("a".repeat(255)))).is_ok());
        assert_eq!(
            invalid_claim(validate(&with(claims(), "sub", json!("a".repeat(256))))),
            (
                "sub",
                "is not at most 255 ASCII characters (OpenID Connect Core §2)"
            )
        );
    }

    #[test]
    fn rejects_non_ascii_sub() {
        assert_eq!(
            invalid_claim(validate(&with(claims(), "sub", json!("alicé")))),
            (
                "sub",
                "is not at most 255 ASCII characters (OpenID Connect Core §2)"
            )
        );
    }

    // ---- nonce --------------------------------------------------------------------------

    #[test]
    fn rejects_id_token_with_another_nonce() {
        assert_eq!(
            validate(&with(claims(), "nonce", json!("replayed"))),
            Err(Error::NonceMismatch)
        );
    }

    #[test]
    fn rejects_id_token_without_the_nonce_sent_on_code_flow_with_pkce() {
        assert_eq!(
            validate(&without(claims(), "nonce")),
            Err(Error::NonceMismatch)
        );
    }

    #[test]
    fn rejects_front_channel_id_token_without_the_nonce_sent() {
        let source = IdTokenSource::AuthorizationResponse {
            nonce: NONCE,
            access_token: None,
            code: None,
        };
        assert_eq!(
            validate_from(&without(claims(), "nonce"), source),
            Err(Error::NonceMismatch)
        );
    }

    #[test]
    fn rejects_nonce_when_none_was_sent() {
        let source = IdTokenSource::TokenResponse {
            nonce: Expect::Absent,
            access_token: None,
        };
        assert_eq!(validate_from(&claims(), source), Err(Error::NonceMismatch));
        assert!(validate_from(&without(claims(), "nonce"), source).is_ok());
    }

    #[test]
    fn skipping_the_nonce_check_accepts_any_nonce() {
        let source = IdTokenSource::TokenResponse {
            nonce: Expect::Skip,
            access_token: None,
        };
        assert!(validate_from(&with(claims(), "nonce", json!("other")), source).is_ok());
    }

    #[test]
    fn rejects_nonce_of_the_wrong_type() {
        assert_eq!(
            invalid_claim(validate(&with(claims(), "nonce", json!(1)))),
            ("nonce", "is not a string")
        );
    }

    // ---- at_hash and c_hash -----------------------------------------------------------

    const ACCESS_TOKEN: &str = "eyJraWQiOiJhdCJ9.access.token";
    const CODE: &str = "auth-code-123";

    fn front_channel(
        access_token: Option<&'static str>,
        code: Option<&'static str>,
    ) -> IdTokenSource<'static> {
        IdTokenSource::AuthorizationResponse {
            nonce: NONCE,
            access_token,
            code,
        }
    }

    #[test]
    fn rejects_implicit_id_token_without_at_hash() {
        assert_eq!(
            invalid_claim(validate_from(&claims(), front_channel(Some(ACCESS_TOKEN), None))),
            (
                "at_hash",
                "is required when the value it hashes comes with the ID token from the authorization endpoint"
            )
        );
    }

    #[test]
    fn rejects_implicit_id_token_with_wrong_at_hash() {
        let c = with(claims(), "at_hash", json!(at_hash("another token")));
        assert_eq!(
            validate_from(&c, front_channel(Some(ACCESS_TOKEN), None)),
            Err(Error::AtHashMismatch)
        );
        let c = with(claims(), "at_hash", json!(at_hash(ACCESS_TOKEN)));
        assert!(validate_from(&c, front_channel(Some(ACCESS_TOKEN), None)).is_ok());
    }

    #[test]
    fn rejects_at_hash_of_the_wrong_type() {
        let c = with(claims(), "at_hash", json!(null));
        assert_eq!(
            invalid_claim(validate_from(&c, front_channel(Some(ACCESS_TOKEN), None))),
            ("at_hash", "is not a string")
        );
    }

    #[test]
    fn accepts_code_flow_id_token_without_at_hash() {
        let source = IdTokenSource::TokenResponse {
            nonce: Expect::Value(NONCE),
            access_token: Some(ACCESS_TOKEN),
        };
        assert!(validate_from(&claims(), source).is_ok());
    }

    #[test]
    fn rejects_code_flow_id_token_with_wrong_at_hash() {
        let source = IdTokenSource::TokenResponse {
            nonce: Expect::Value(NONCE),
            access_token: Some(ACCESS_TOKEN),
        };
        let c = with(claims(), "at_hash", json!(at_hash("another token")));
        assert_eq!(validate_from(&c, source), Err(Error::AtHashMismatch));
    }

    #[test]
    fn rejects_hybrid_id_token_without_c_hash() {
        assert_eq!(
            invalid_claim(validate_from(&claims(), front_channel(None, Some(CODE)))),
            (
                "c_hash",
                "is required when the value it hashes comes with the ID token from the authorization endpoint"
            )
        );
    }

    #[test]
    fn rejects_hybrid_id_token_with_wrong_c_hash() {
        let c = with(claims(), "c_hash", json!(c_hash("another code")));
        assert_eq!(
            validate_from(&c, front_channel(None, Some(CODE))),
            Err(Error::CHashMismatch)
        );
    }

    #[test]
    fn rejects_hash_checks_for_an_alg_without_sha256() {
        let c = with(claims(), "at_hash", json!(at_hash(ACCESS_TOKEN)));
        let jwt = verified_with_header(r#"{"alg":"RS384"}"#, &c.to_string());
        assert_eq!(
            invalid_claim(validate_id_token(
                &jwt,
                &expect(front_channel(Some(ACCESS_TOKEN), None)),
                NOW
            )),
            (
                "at_hash",
                "cannot be checked: the token's alg does not hash with SHA-256"
            )
        );
    }

    // ---- max_age and auth_time ----------------------------------------------------------

    fn with_max_age(c: &J, max_age: u32) -> Result<IdTokenClaims, Error> {
        let mut e = expect(code_flow());
        e.max_age = Some(max_age);
        validate_id_token(&verified(c), &e, NOW)
    }

    #[test]
    fn rejects_id_token_without_auth_time_when_max_age_was_sent() {
        assert_eq!(
            invalid_claim(with_max_age(&claims(), 600)),
            (
                "auth_time",
                "is required when max_age was sent (OpenID Connect Core §3.1.2.1)"
            )
        );
        assert!(validate(&claims()).is_ok());
    }

    #[test]
    fn rejects_authentication_older_than_max_age() {
        let auth_time = NOW - 600 - i64::from(SKEW) - 1;
        assert_eq!(
            with_max_age(&with(claims(), "auth_time", json!(auth_time)), 600),
            Err(Error::AuthTooOld {
                auth_time,
                max_age: 600,
                now: NOW
            })
        );
    }

    #[test]
    fn accepts_authentication_within_max_age_and_skew() {
        let auth_time = NOW - 600 - i64::from(SKEW);
        let c = with_max_age(&with(claims(), "auth_time", json!(auth_time)), 600).unwrap();
        assert_eq!(c.auth_time(), Some(auth_time));
    }

    // ---- refresh (§12.2) ----------------------------------------------------------------

    fn original() -> IdTokenClaims {
        let c = with(claims(), "auth_time", json!(NOW - 100));
        validate(&c).unwrap()
    }

    fn refreshed() -> J {
        let c = without(claims(), "nonce");
        with(c, "auth_time", json!(NOW - 100))
    }

    fn refresh(original: &IdTokenClaims, c: &J) -> Result<IdTokenClaims, Error> {
        let source = IdTokenSource::RefreshResponse {
            original,
            access_token: Some(ACCESS_TOKEN),
        };
        validate_from(c, source)
    }

    #[test]
    fn accepts_refreshed_id_token_of_the_same_authentication() {
        let o = original();
        assert!(refresh(&o, &refreshed()).is_ok());
        // The original nonce may come back (OpenID Connect Core §12.2, errata set 2).
        assert!(refresh(&o, &with(refreshed(), "nonce", json!(NONCE))).is_ok());
        // auth_time may be left out.
        assert!(refresh(&o, &without(refreshed(), "auth_time")).is_ok());
    }

    #[test]
    fn rejects_refreshed_id_token_for_another_user() {
        assert_eq!(
            invalid_claim(refresh(
                &original(),
                &with(refreshed(), "sub", json!("mallory"))
            )),
            (
                "sub",
                "differs from the original ID token's (OpenID Connect Core §12.2)"
            )
        );
    }

    #[test]
    fn rejects_refreshed_id_token_with_another_aud() {
        let c = with(refreshed(), "aud", json!([CLIENT, "api://x"]));
        assert_eq!(
            refresh(&original(), &with(c, "azp", json!(CLIENT))),
            Err(Error::AudienceMismatch {
                problem: "the refreshed ID token's aud differs from the original's (OpenID Connect Core §12.2)"
            })
        );
    }

    #[test]
    fn rejects_refreshed_id_token_with_azp_the_original_lacked() {
        assert_eq!(
            refresh(&original(), &with(refreshed(), "azp", json!(CLIENT))),
            Err(Error::AudienceMismatch {
                problem: "the refreshed ID token's azp differs from the original's (OpenID Connect Core §12.2)"
            })
        );
    }

    #[test]
    fn rejects_refreshed_id_token_with_another_auth_time() {
        assert_eq!(
            invalid_claim(refresh(
                &original(),
                &with(refreshed(), "auth_time", json!(NOW))
            )),
            (
                "auth_time",
                "differs from the original authentication's (OpenID Connect Core §12.2)"
            )
        );
    }

    #[test]
    fn rejects_refreshed_id_token_with_another_nonce() {
        assert_eq!(
            refresh(&original(), &with(refreshed(), "nonce", json!("other"))),
            Err(Error::NonceMismatch)
        );
    }

    #[test]
    fn checks_at_hash_of_a_refreshed_id_token_when_present() {
        let c = with(refreshed(), "at_hash", json!(at_hash("old access token")));
        assert_eq!(refresh(&original(), &c), Err(Error::AtHashMismatch));
    }

    // ---- robustness ---------------------------------------------------------------------

    #[test]
    fn never_panics_on_mutated_claims() {
        let c = with(claims(), "aud", json!([CLIENT, "x"]));
        let c = with(c, "azp", json!(CLIENT));
        let c = with(c, "at_hash", json!(at_hash(ACCESS_TOKEN)));
        let c = with(c, "auth_time", json!(NOW - 5));
        let seed = c.to_string();
        let o = original();
        let sources = [
            code_flow(),
            front_channel(Some(ACCESS_TOKEN), Some(CODE)),
            IdTokenSource::RefreshResponse {
                original: &o,
                access_token: Some(ACCESS_TOKEN),
            },
        ];
        let mut inputs = mutations(seed.as_bytes(), 2000);
        inputs.extend(random_inputs(2000, 256));
        for m in inputs {
            let t = unsigned_token_for_tests(r#"{"alg":"RS256"}"#, &String::from_utf8_lossy(&m));
            let Ok(jwt) = parse_compact_jws(&t) else {
                continue;
            };
            let jwt = jwt.into_verified_unchecked();
            for source in sources {
                let mut e = expect(source);
                e.max_age = Some(60);
                for now in [NOW, i64::MIN, i64::MAX] {
                    let _ = validate_id_token(&jwt, &e, now);
                }
            }
        }
    }

    #[test]
    fn never_panics_on_extreme_numbers() {
        for n in [
            json!(-9.007199254740992e15),
            json!(9.007199254740992e15),
            json!(-0.5),
        ] {
            for claim in ["exp", "iat", "nbf", "auth_time"] {
                let mut e = expect(code_flow());
                e.max_age = Some(u32::MAX);
                e.clock_skew_seconds = u32::MAX;
                for now in [i64::MIN, 0, i64::MAX] {
                    let _ =
                        validate_id_token(&verified(&with(claims(), claim, n.clone())), &e, now);
                }
            }
        }
    }
}
