//! Compact JWS (RFC 7515 §7.1) as JWTs use it (RFC 7519 §7.2): splitting, decoding and the
//! header rules. The signature itself is checked by the shell (`ts/crypto.ts`) with WebCrypto over
//! [`UnverifiedJwt::signing_input`]; only then may it call
//! `UnverifiedJwt::into_verified_unchecked`, and only a [`VerifiedJwt`] reaches the claim
//! rules of [`super::id_token`].
//!
//! Header parameters that would let the token choose its own key (`jwk`, `jku`, `x5u`,
//! `x5c`) are ignored: keys come only from the provider's JWK set (RFC 8725 §3.10).

use super::json::{self, Value};
use super::{base64url, Error};

/// The longest compact JWT accepted, in bytes. Okta ID tokens are 1-2 KiB, and a few KiB
/// more with a large `groups` claim; 64 KiB leaves room for that and refuses a megabyte
/// before any decoding or parsing.
pub const MAX_JWT_LEN: usize = 64 * 1024;

/// The `alg` values accepted when the caller names none: RS256 is what OpenID Connect
/// Core §3.1.3.7 step 7 makes the default, and the only one the shell verifies.
pub const DEFAULT_ALLOWED_ALGS: [&str; 1] = ["RS256"];

/// The JWS `alg` values whose signatures the shell verifies (with WebCrypto). RS256 only:
/// it is the algorithm OpenID Connect Core §3.1.3.7 step 7 makes the default and the one
/// Okta signs with.
pub const SUPPORTED_ALGS: [&str; 1] = ["RS256"];

/// The JOSE header of a JWS, after the header rules of RFC 7515 §4.1 were applied.
/// Only [`parse_compact_jws`] builds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwsHeader {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
}

impl JwsHeader {
    /// RFC 7515 §4.1.1 `alg`: one of the allowed algorithms, never `none` or `HS*`.
    pub fn alg(&self) -> &str {
        &self.alg
    }

    /// RFC 7515 §4.1.4 `kid`, if the header has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// RFC 7515 §4.1.9 `typ`, if the header has one. Not judged here: what a token's type
    /// must be depends on what the token is for (see [`super::id_token`]).
    pub fn typ(&self) -> Option<&str> {
        self.typ.as_deref()
    }
}

/// A compact JWS whose structure and header passed, but whose signature is not yet
/// checked: nothing in it may be trusted. Only [`parse_compact_jws`] builds one.
#[derive(Debug, Clone, PartialEq)]
pub struct UnverifiedJwt {
    token: String,
    signing_input_len: usize,
    header: JwsHeader,
    payload: Value,
    payload_bytes: Vec<u8>,
    signature: Vec<u8>,
}

impl UnverifiedJwt {
    /// The header.
    pub fn header(&self) -> &JwsHeader {
        &self.header
    }

    /// The payload, parsed. Unverified: do not act on it.
    pub fn payload(&self) -> &Value {
        &self.payload
    }

    /// RFC 7515 §5.2 step 8: `BASE64URL(header) || '.' || BASE64URL(payload)` exactly as
    /// received, the bytes the signature is checked over. Never re-serialised: a payload
    /// with CR LF or odd spacing must verify as it was signed.
    pub fn signing_input(&self) -> &[u8] {
        self.token
            .as_bytes()
            .get(..self.signing_input_len)
            .unwrap_or_default()
    }

    /// The decoded signature (RFC 7515 §5.2 step 7), never empty.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The compact serialization exactly as received.
    pub fn as_str(&self) -> &str {
        &self.token
    }

    /// Marks the token as verified. Call only after the signature verified over
    /// [`signing_input`](Self::signing_input) with the key that
    /// [`super::jwks::select_jwk`] selected for this token's header: anything built on
    /// the returned value trusts the payload.
    pub(crate) fn into_verified_unchecked(self) -> VerifiedJwt {
        VerifiedJwt {
            token: self.token,
            header: self.header,
            payload: self.payload,
            payload_bytes: self.payload_bytes,
        }
    }

    /// Fuzzing only (the `fuzzing` feature, never on in a build that ships): lets `fuzz/`
    /// reach [`super::id_token::validate_id_token`]'s clock and nonce rules, which need a
    /// [`VerifiedJwt`] and so a signature check the native core cannot run.
    #[cfg(feature = "fuzzing")]
    #[doc(hidden)]
    pub fn into_verified_for_fuzzing(self) -> VerifiedJwt {
        self.into_verified_unchecked()
    }
}

/// A JWT whose signature verified with a key from the provider's JWK set. Built only by
/// `UnverifiedJwt::into_verified_unchecked`, so code that takes a `&VerifiedJwt` cannot
/// be handed an unchecked token.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt {
    token: String,
    header: JwsHeader,
    payload: Value,
    payload_bytes: Vec<u8>,
}

impl VerifiedJwt {
    /// The header.
    pub fn header(&self) -> &JwsHeader {
        &self.header
    }

    /// The payload, parsed: a JSON object (RFC 7519 §7.2 step 10).
    pub fn payload(&self) -> &Value {
        &self.payload
    }

    /// The payload's JSON text exactly as received, once base64url-decoded.
    pub fn payload_bytes(&self) -> &[u8] {
        &self.payload_bytes
    }

    /// The compact serialization exactly as received (for `id_token_hint`, storage).
    pub fn as_str(&self) -> &str {
        &self.token
    }
}

fn malformed(problem: &'static str) -> Error {
    Error::MalformedJwt { problem }
}

/// [`parse_compact_jws_with_algs`] with [`DEFAULT_ALLOWED_ALGS`].
pub fn parse_compact_jws(token: &str) -> Result<UnverifiedJwt, Error> {
    parse_compact_jws_with_algs(token, &DEFAULT_ALLOWED_ALGS)
}

/// RFC 7515 §5.2 steps 1-7 and RFC 7519 §7.2 for a compact JWS: three parts of strict
/// base64url without padding, a JSON-object header and payload without repeated member
/// names (RFC 7515 §5.2 step 4), a non-empty signature, an `alg` from `allowed_algs`
/// (RFC 8725 §3.1; `none` and `HS*` are refused even when listed, since a public client
/// has no secret to check an HMAC with and `none` is no signature), and no `crit`
/// (RFC 7515 §4.1.11: this library understands no extension).
pub fn parse_compact_jws_with_algs<S: AsRef<str>>(
    token: &str,
    allowed_algs: &[S],
) -> Result<UnverifiedJwt, Error> {
    let parts = structure(token, allowed_algs)?;
    let payload = match json::parse(&parts.payload_bytes) {
        Ok(v @ Value::Object(_)) => v,
        _ => return Err(malformed("payload is not a JSON object")),
    };
    Ok(UnverifiedJwt {
        token: token.to_owned(),
        signing_input_len: parts.signing_input_len,
        header: parts.header,
        payload,
        payload_bytes: parts.payload_bytes,
        signature: parts.signature,
    })
}

/// [`parse_compact_jws_with_algs`] without its last step: the structure, the three parts'
/// base64url and the header rules, but the payload is not parsed as JSON. What may be
/// checked of a token before its signature is: the shell verifies the signature with the
/// key this header selects, and only then is the payload read (its JSON then refused as
/// `malformed_jwt` like here).
pub fn parse_jws_parts<S: AsRef<str>>(token: &str, allowed_algs: &[S]) -> Result<JwsParts, Error> {
    structure(token, allowed_algs)
}

/// A compact JWS split and decoded, its header checked, its payload not yet parsed:
/// nothing in it may be trusted.
pub struct JwsParts {
    /// The header, after the rules of RFC 7515 §4.1.
    pub header: JwsHeader,
    /// The length of the signing input (RFC 7515 §5.2 step 8): the token's bytes up to
    /// its last dot, exactly as received.
    pub signing_input_len: usize,
    payload_bytes: Vec<u8>,
    /// The decoded signature, never empty.
    pub signature: Vec<u8>,
}

/// RFC 7515 §5.2 steps 1-7 but the payload's JSON (see [`parse_compact_jws_with_algs`]).
fn structure<S: AsRef<str>>(token: &str, allowed_algs: &[S]) -> Result<JwsParts, Error> {
    // Checked before anything else so that a huge input costs one comparison.
    if token.len() > MAX_JWT_LEN {
        return Err(malformed("is longer than 65536 bytes"));
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(if token.bytes().filter(|b| *b == b'.').count() == 4 {
            malformed("is a JWE (five parts): encrypted tokens are not supported")
        } else {
            malformed("must have exactly three dot-separated parts")
        });
    };

    let header_bytes = base64url::decode(header_b64)
        .ok_or(malformed("header is not base64url without padding"))?;
    let payload_bytes = base64url::decode(payload_b64)
        .ok_or(malformed("payload is not base64url without padding"))?;
    if signature_b64.is_empty() {
        return Err(malformed("signature is empty: unsecured JWTs are refused"));
    }
    let signature = base64url::decode(signature_b64)
        .ok_or(malformed("signature is not base64url without padding"))?;

    let header_json = match json::parse(&header_bytes) {
        Ok(v @ Value::Object(_)) => v,
        _ => return Err(malformed("header is not a JSON object")),
    };
    Ok(JwsParts {
        header: validate_header(&header_json, allowed_algs)?,
        signing_input_len: header_b64.len() + 1 + payload_b64.len(),
        payload_bytes,
        signature,
    })
}

/// RFC 7515 §4.1.1 (`alg`), §4.1.4 (`kid`), §4.1.9 (`typ`), §4.1.11 (`crit`).
fn validate_header<S: AsRef<str>>(header: &Value, allowed_algs: &[S]) -> Result<JwsHeader, Error> {
    let alg = match header.get("alg") {
        None => return Err(malformed("header has no alg")),
        Some(Value::String(alg)) => alg,
        Some(_) => return Err(malformed("header alg is not a string")),
    };
    if is_never_allowed(alg) || !allowed_algs.iter().any(|a| a.as_ref() == alg) {
        return Err(Error::UnsupportedAlg { alg: alg.clone() });
    }
    if header.get("crit").is_some() {
        return Err(Error::UnsupportedCrit);
    }
    Ok(JwsHeader {
        alg: alg.clone(),
        kid: optional_string(header, "kid", "header kid is not a string")?,
        typ: optional_string(header, "typ", "header typ is not a string")?,
    })
}

/// RFC 8725 §3.1 and §3.2: `none` is no signature, and an HMAC key would be a secret a
/// browser cannot keep (or, worse, the public key misused as one). Compared without case
/// so that a caller's list cannot let `None` or `hs256` through either.
fn is_never_allowed(alg: &str) -> bool {
    alg.eq_ignore_ascii_case("none")
        || alg
            .get(..2)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("HS"))
}

fn optional_string(
    header: &Value,
    name: &str,
    problem: &'static str,
) -> Result<Option<String>, Error> {
    match header.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(malformed(problem)),
    }
}

/// Test support: a compact JWS of `header` and `payload` JSON texts, with a dummy signature.
/// Claim rules do not depend on the signature, so tests build tokens this way and wrap
/// them with `UnverifiedJwt::into_verified_unchecked`.
#[cfg(test)]
pub(crate) fn unsigned_token_for_tests(header: &str, payload: &str) -> String {
    let mut t = base64url::encode(header.as_bytes());
    t.push('.');
    t.push_str(&base64url::encode(payload.as_bytes()));
    t.push('.');
    t.push_str(&base64url::encode(b"not a signature"));
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{mutations, random_inputs};

    const HEADER: &str = r#"{"alg":"RS256","kid":"k1"}"#;
    const PAYLOAD: &str = r#"{"iss":"https://op.example","sub":"alice"}"#;

    fn token(header: &str, payload: &str) -> String {
        unsigned_token_for_tests(header, payload)
    }

    fn problem(result: Result<UnverifiedJwt, Error>) -> &'static str {
        match result {
            Err(Error::MalformedJwt { problem }) => problem,
            other => panic!("expected MalformedJwt, got {other:?}"),
        }
    }

    fn vector(name: &str) -> serde_json::Value {
        let text = match name {
            "rfc7515" => include_str!("../../tests/vectors/rfc7515-a2-rs256.json"),
            _ => include_str!("../../tests/vectors/oidc-core-appendix-a.json"),
        };
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn parses_rfc7515_a2_and_keeps_the_received_signing_input() {
        let v = vector("rfc7515");
        let compact = v["compact"].as_str().unwrap();
        let jwt = parse_compact_jws(compact).unwrap();

        assert_eq!(jwt.header().alg(), "RS256");
        assert_eq!(jwt.header().kid(), None);
        let second_dot = compact.rfind('.').unwrap();
        assert_eq!(jwt.signing_input(), &compact.as_bytes()[..second_dot]);
        assert_eq!(jwt.signature().len(), 256);
        assert_eq!(jwt.as_str(), compact);
        assert_eq!(
            jwt.payload().get("iss").and_then(Value::as_str),
            Some("joe")
        );

        let verified = jwt.into_verified_unchecked();
        // RFC 7515 A.2's payload is written with CR LF; the bytes must survive as sent.
        assert_eq!(
            verified.payload_bytes(),
            b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
        );
    }

    #[test]
    fn parses_the_oidc_core_appendix_a_id_tokens() {
        let v = vector("oidc");
        for (name, token) in v["id_tokens"].as_object().unwrap() {
            let token = token.as_str().unwrap();
            let jwt = parse_compact_jws(token).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(jwt.header().kid(), Some("1e9gdk7"), "{name}");
            assert_eq!(
                jwt.signing_input(),
                &token.as_bytes()[..token.rfind('.').unwrap()]
            );
            // Pretty-printed with LF: kept as received, not re-serialised.
            assert!(jwt.payload_bytes.starts_with(b"{\n \"iss\""), "{name}");
        }
    }

    #[test]
    fn rejects_token_longer_than_the_cap_cheaply() {
        let huge = "a".repeat(1 << 20);
        assert_eq!(
            problem(parse_compact_jws(&huge)),
            "is longer than 65536 bytes"
        );
        let just_over = format!("{}.{}", token(HEADER, PAYLOAD), "a".repeat(MAX_JWT_LEN));
        assert_eq!(
            problem(parse_compact_jws(&just_over)),
            "is longer than 65536 bytes"
        );
    }

    #[test]
    fn rejects_token_without_three_parts() {
        let t = token(HEADER, PAYLOAD);
        let (two, _) = t.rsplit_once('.').unwrap();
        for bad in [
            two.to_owned(),
            format!("{t}.x"),
            String::new(),
            "...".into(),
        ] {
            assert_eq!(
                problem(parse_compact_jws(&bad)),
                "must have exactly three dot-separated parts",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_jwe_with_a_clear_reason() {
        assert_eq!(
            problem(parse_compact_jws("eyJ.a.b.c.d")),
            "is a JWE (five parts): encrypted tokens are not supported"
        );
    }

    #[test]
    fn rejects_padded_or_standard_base64_parts() {
        let t = token(HEADER, PAYLOAD);
        let (h, rest) = t.split_once('.').unwrap();
        let padded = format!("{h}=.{rest}");
        assert_eq!(
            problem(parse_compact_jws(&padded)),
            "header is not base64url without padding"
        );
        let (hp, sig) = t.rsplit_once('.').unwrap();
        let (h, p) = hp.split_once('.').unwrap();
        let plus = format!("{h}.{p}+.{sig}");
        assert_eq!(
            problem(parse_compact_jws(&plus)),
            "payload is not base64url without padding"
        );
        let bad_sig = format!("{hp}.{sig}/");
        assert_eq!(
            problem(parse_compact_jws(&bad_sig)),
            "signature is not base64url without padding"
        );
    }

    #[test]
    fn rejects_unsecured_jwt_with_empty_signature() {
        let t = token(HEADER, PAYLOAD);
        let (hp, _) = t.rsplit_once('.').unwrap();
        assert_eq!(
            problem(parse_compact_jws(&format!("{hp}."))),
            "signature is empty: unsecured JWTs are refused"
        );
    }

    #[test]
    fn rejects_header_that_is_not_a_json_object() {
        for header in ["[]", "\"RS256\"", "{", ""] {
            assert_eq!(
                problem(parse_compact_jws(&token(header, PAYLOAD))),
                "header is not a JSON object",
                "{header}"
            );
        }
    }

    #[test]
    fn rejects_payload_that_is_not_a_json_object() {
        for payload in ["[]", "42", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", ""] {
            assert_eq!(
                problem(parse_compact_jws(&token(HEADER, payload))),
                "payload is not a JSON object",
                "{payload}"
            );
        }
    }

    #[test]
    fn rejects_header_with_duplicate_members() {
        // A second alg that one parser reads and another ignores is an algorithm confusion.
        let header = r#"{"alg":"RS256","alg":"none"}"#;
        assert_eq!(
            problem(parse_compact_jws(&token(header, PAYLOAD))),
            "header is not a JSON object"
        );
    }

    #[test]
    fn rejects_payload_with_duplicate_claims() {
        let payload = r#"{"sub":"alice","sub":"mallory"}"#;
        assert_eq!(
            problem(parse_compact_jws(&token(HEADER, payload))),
            "payload is not a JSON object"
        );
    }

    #[test]
    fn rejects_header_without_alg() {
        assert_eq!(
            problem(parse_compact_jws(&token(r#"{"kid":"k1"}"#, PAYLOAD))),
            "header has no alg"
        );
    }

    #[test]
    fn rejects_alg_that_is_not_a_string() {
        assert_eq!(
            problem(parse_compact_jws(&token(r#"{"alg":["RS256"]}"#, PAYLOAD))),
            "header alg is not a string"
        );
    }

    #[test]
    fn rejects_alg_outside_the_allowed_list() {
        let t = token(r#"{"alg":"RS512"}"#, PAYLOAD);
        assert_eq!(
            parse_compact_jws(&t),
            Err(Error::UnsupportedAlg {
                alg: "RS512".into()
            })
        );
        assert!(parse_compact_jws_with_algs(&t, &["RS256", "RS512"]).is_ok());
    }

    #[test]
    fn rejects_alg_none_even_when_listed() {
        for alg in ["none", "None", "NONE"] {
            let t = token(&format!(r#"{{"alg":"{alg}"}}"#), PAYLOAD);
            assert_eq!(
                parse_compact_jws_with_algs(&t, &["RS256", alg]),
                Err(Error::UnsupportedAlg { alg: alg.into() })
            );
        }
    }

    #[test]
    fn rejects_hmac_algs_even_when_listed() {
        for alg in ["HS256", "HS384", "HS512", "hs256"] {
            let t = token(&format!(r#"{{"alg":"{alg}"}}"#), PAYLOAD);
            assert_eq!(
                parse_compact_jws_with_algs(&t, &[alg]),
                Err(Error::UnsupportedAlg { alg: alg.into() })
            );
        }
    }

    #[test]
    fn alg_comparison_is_case_sensitive() {
        // RFC 7515 §4.1.1: alg values are case-sensitive.
        let t = token(r#"{"alg":"rs256"}"#, PAYLOAD);
        assert_eq!(
            parse_compact_jws(&t),
            Err(Error::UnsupportedAlg {
                alg: "rs256".into()
            })
        );
    }

    #[test]
    fn rejects_header_with_crit() {
        for crit in [r#"["exp"]"#, "[]", r#""b64""#] {
            let header = format!(r#"{{"alg":"RS256","crit":{crit},"b64":false}}"#);
            assert_eq!(
                parse_compact_jws(&token(&header, PAYLOAD)),
                Err(Error::UnsupportedCrit),
                "{crit}"
            );
        }
    }

    #[test]
    fn rejects_kid_that_is_not_a_string() {
        assert_eq!(
            problem(parse_compact_jws(&token(
                r#"{"alg":"RS256","kid":1}"#,
                PAYLOAD
            ))),
            "header kid is not a string"
        );
    }

    #[test]
    fn rejects_typ_that_is_not_a_string() {
        assert_eq!(
            problem(parse_compact_jws(&token(
                r#"{"alg":"RS256","typ":null}"#,
                PAYLOAD
            ))),
            "header typ is not a string"
        );
    }

    #[test]
    fn keeps_kid_and_typ() {
        let jwt = parse_compact_jws(&token(r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#, PAYLOAD))
            .unwrap();
        assert_eq!(jwt.header().kid(), Some("k1"));
        assert_eq!(jwt.header().typ(), Some("JWT"));
    }

    #[test]
    fn ignores_an_embedded_jwk() {
        // CVE-2018-0114 style: a token that carries its own key must not get to use it.
        // The header is accepted, and nothing of the jwk is kept.
        let header = r#"{"alg":"RS256","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"},"jku":"https://evil.example/keys"}"#;
        let jwt = parse_compact_jws(&token(header, PAYLOAD)).unwrap();
        assert_eq!(
            *jwt.header(),
            JwsHeader {
                alg: "RS256".into(),
                kid: None,
                typ: None
            }
        );
    }

    #[test]
    fn never_panics_on_mutated_tokens() {
        let v = vector("oidc");
        let seed = v["id_tokens"]["A.2"].as_str().unwrap().as_bytes().to_vec();
        for m in mutations(&seed, 2000) {
            let _ = parse_compact_jws(&String::from_utf8_lossy(&m));
        }
        // Mutating the decoded JSON reaches the header and payload rules, not just base64.
        let header = br#"{"alg":"RS256","kid":"k1","typ":"JWT","crit":["x"]}"#;
        for m in mutations(header, 2000) {
            let t = token(&String::from_utf8_lossy(&m), PAYLOAD);
            let _ = parse_compact_jws(&t);
        }
    }

    /// Reports, asserts nothing: `cargo test --release bench_ -- --ignored --nocapture`.
    /// The best of 15 rounds, for a shared machine.
    #[test]
    #[ignore = "a benchmark: run it by name"]
    fn bench_parsing_an_okta_sized_id_token() {
        use std::hint::black_box as bb;
        fn report(name: &str, mut f: impl FnMut()) {
            let rounds = (0..16).map(|_| {
                let start = std::time::Instant::now();
                for _ in 0..2000 {
                    f();
                }
                start.elapsed().as_secs_f64() * 1e6 / 2000.0
            });
            let best = rounds.skip(1).fold(f64::INFINITY, f64::min);
            println!("{name:<32} {best:7.3} µs");
        }
        let payload = r#"{"iss":"https://dev-1.okta.com/oauth2/default","sub":"00u1alice","aud":"0oa1spa","iat":1700000000,"exp":1700003600,"nonce":"abc","name":"Alice Example","email":"alice@example.com","ver":1,"jti":"ID.abcdefghijklmnop","amr":["pwd"],"idp":"00o1","auth_time":1700000000,"at_hash":"xxxxxxxxxxxxxxxxxxxxxx"}"#;
        let signature = base64url::encode(&[0xa5; 256]);
        let payload_b64 = base64url::encode(payload.as_bytes());
        let t = format!(
            "{}.{payload_b64}.{signature}",
            base64url::encode(br#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#)
        );
        report("json::parse, 301-byte payload", || {
            bb(json::parse(bb(payload.as_bytes())).is_ok());
        });
        report("base64url::decode, payload", || {
            bb(base64url::decode(bb(&payload_b64)).is_some());
        });
        report("base64url::decode, signature", || {
            bb(base64url::decode(bb(&signature)).is_some());
        });
        report("parse_compact_jws, 797 bytes", || {
            bb(parse_compact_jws(bb(&t)).is_ok());
        });
    }

    #[test]
    fn never_panics_on_random_input() {
        for r in random_inputs(2000, 256) {
            let _ = parse_compact_jws(&String::from_utf8_lossy(&r));
            let mut t = base64url::encode(&r);
            t.push_str(".e30.c2ln");
            let _ = parse_compact_jws(&t);
        }
    }
}
