//! The provider's JWK set (RFC 7517 §5) and the choice of the one key a token's signature
//! is checked with. The check itself is WebCrypto's: `importKey("jwk", {kty: "RSA", n, e,
//! alg: "RS256", ext: true})` then `verify` with RSASSA-PKCS1-v1_5 / SHA-256, fed with
//! [`SelectedJwk::n`] and [`SelectedJwk::e`] exactly as the provider published them.
//!
//! When [`select_jwk`] answers [`Error::KeyNotFound`] for a token that names a `kid`, the
//! provider may have rotated its keys: the shell should fetch the set once more
//! (not more, or a forged `kid` becomes a way to make it hammer the provider).

use super::json::{self, Value};
use super::jwt::JwsHeader;
use super::{base64url, Error};

/// The shortest RSA modulus accepted, in bits (RFC 7518 §3.3: "2048 bits or larger MUST
/// be used"; NIST SP 800-131A).
pub const MIN_RSA_BITS: u32 = 2048;

/// The longest RSA modulus accepted, in bits: what browsers' WebCrypto supports, and a
/// bound on the cost of one verification that a hostile key set could otherwise raise.
pub const MAX_RSA_BITS: u32 = 16384;

/// How long a fetched JWK set is used before it is fetched again, in seconds (like jose's
/// `cacheMaxAge`): a key the provider removed from its set (RFC 7517 §5) stops being
/// trusted within this time even when no unknown `kid` comes along.
pub const JWKS_MAX_AGE_SECONDS: u64 = 600;

/// The least time between two fetches of the JWK set caused by an unknown `kid`, in
/// seconds: key rotation is picked up at once, but a stream of forged `kid`s cannot make
/// the client hammer the provider (see this module).
pub const JWKS_REFETCH_INTERVAL_SECONDS: u64 = 60;

/// A parsed JWK set. Only [`parse_jwks`] builds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwkSet {
    keys: Vec<Jwk>,
}

impl JwkSet {
    /// Every key of the set, in the provider's order, usable or not.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }
}

/// One key of a [`JwkSet`]. Keys of a type other than RSA (EC, OKP, oct) and keys with
/// members of the wrong JSON type are kept, so that the set reads as the provider wrote
/// it, but [`select_jwk`] never picks them (RFC 7517 §5: such keys SHOULD be ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    kty: String,
    kid: Option<String>,
    key_use: Option<String>,
    alg: Option<String>,
    key_ops: Option<Vec<String>>,
    n: Option<String>,
    e: Option<String>,
    state: KeyState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyState {
    /// A member has the wrong JSON type: the key is ignored (RFC 7517 §5).
    Ignored,
    /// Any `kty` but `RSA`, or none: never selected.
    NotRsa,
    /// An RSA key whose `n` or `e` cannot be used, and why: selecting it is an error
    /// rather than a fall-back to another key.
    BadRsa(&'static str),
    /// An RSA key with a well-formed `n` and `e`; size and exponent are judged on selection.
    Rsa {
        modulus_bits: u32,
        exponent_problem: Option<&'static str>,
    },
}

impl Jwk {
    /// RFC 7517 §4.1 `kty`; empty when the key has none.
    pub fn kty(&self) -> &str {
        &self.kty
    }

    /// RFC 7517 §4.5 `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// RFC 7517 §4.2 `use`.
    pub fn key_use(&self) -> Option<&str> {
        self.key_use.as_deref()
    }

    /// RFC 7517 §4.4 `alg`.
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }

    /// RFC 7517 §4.3 `key_ops`.
    pub fn key_ops(&self) -> Option<&[String]> {
        self.key_ops.as_deref()
    }

    /// RFC 7518 §6.3.1.1 `n`, the base64url string exactly as published.
    pub fn n(&self) -> Option<&str> {
        self.n.as_deref()
    }

    /// RFC 7518 §6.3.1.2 `e`, the base64url string exactly as published.
    pub fn e(&self) -> Option<&str> {
        self.e.as_deref()
    }

    /// RFC 7517 §4.2-§4.4 and RFC 7515 §4.1.1: an RSA key whose declared use, algorithm
    /// and operations allow verifying a signature made with `alg`.
    fn may_verify(&self, alg: &str) -> bool {
        !matches!(self.state, KeyState::Ignored | KeyState::NotRsa)
            && self.key_use.as_deref().is_none_or(|u| u == "sig")
            && self.alg.as_deref().is_none_or(|a| a == alg)
            && self
                .key_ops
                .as_deref()
                .is_none_or(|ops| ops.iter().any(|op| op == "verify"))
    }
}

/// The key a token's signature is to be checked with, after the strength rules passed.
/// Only [`select_jwk`] builds one, so the shell cannot import an unchecked key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectedJwk<'a> {
    jwk: &'a Jwk,
    n: &'a str,
    e: &'a str,
    modulus_bits: u32,
}

impl<'a> SelectedJwk<'a> {
    /// The key as it appears in the set.
    pub fn jwk(&self) -> &'a Jwk {
        self.jwk
    }

    /// `n` for `importKey("jwk", ...)`, exactly as published.
    pub fn n(&self) -> &'a str {
        self.n
    }

    /// `e` for `importKey("jwk", ...)`, exactly as published.
    pub fn e(&self) -> &'a str {
        self.e
    }

    /// The key's `kid`, if it has one.
    pub fn kid(&self) -> Option<&'a str> {
        self.jwk.kid()
    }

    /// The modulus length in bits, leading zero octets not counted.
    pub fn modulus_bits(&self) -> u32 {
        self.modulus_bits
    }
}

fn invalid(problem: &'static str) -> Error {
    Error::InvalidResponse {
        context: "JWK set",
        problem,
    }
}

/// RFC 7517 §5: a JSON object whose `keys` member is an array of JSON objects. Keys that
/// are not RSA, or whose members have the wrong JSON type, are kept but never selected
/// (RFC 7517 §5); an RSA key's `n` and `e` must be strict base64url (RFC 7518 §6.3.1), else
/// selecting that key fails rather than falling back to another.
pub fn parse_jwks(body: &[u8]) -> Result<JwkSet, Error> {
    let doc = json::parse(body).map_err(|_| invalid("is not valid JSON"))?;
    if doc.as_object().is_none() {
        return Err(invalid("is not a JSON object"));
    }
    let keys = doc
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(invalid("has no keys array"))?;
    let keys = keys
        .iter()
        .map(|k| match k {
            Value::Object(_) => Ok(parse_jwk(k)),
            _ => Err(invalid("has a key that is not a JSON object")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(JwkSet { keys })
}

fn parse_jwk(key: &Value) -> Jwk {
    let mut ignored = false;
    let mut string = |name: &str| match key.get(name) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            ignored = true;
            None
        }
    };
    let kty = string("kty").unwrap_or_default();
    let kid = string("kid");
    let key_use = string("use");
    let alg = string("alg");
    let n = string("n");
    let e = string("e");
    let key_ops = match key.get("key_ops") {
        None => None,
        Some(Value::Array(ops)) => {
            let strings: Option<Vec<String>> = ops
                .iter()
                .map(|op| op.as_str().map(str::to_owned))
                .collect();
            if strings.is_none() {
                ignored = true;
            }
            strings
        }
        Some(_) => {
            ignored = true;
            None
        }
    };
    let state = if ignored {
        KeyState::Ignored
    } else if kty != "RSA" {
        // RFC 7517 §4.1: kty values are case-sensitive.
        KeyState::NotRsa
    } else if key.get("d").is_some() {
        // RFC 7518 §6.3.2: a published private exponent means anyone can sign.
        KeyState::BadRsa("an RSA key publishes its private exponent d")
    } else {
        rsa_state(n.as_deref(), e.as_deref())
    };
    Jwk {
        kty,
        kid,
        key_use,
        alg,
        key_ops,
        n,
        e,
        state,
    }
}

/// RFC 7518 §6.3.1: `n` and `e` are base64url big-endian unsigned integers.
fn rsa_state(n: Option<&str>, e: Option<&str>) -> KeyState {
    let Some(n) = n.and_then(base64url::decode) else {
        return KeyState::BadRsa("an RSA key's n is missing or not base64url without padding");
    };
    let Some(e) = e.and_then(base64url::decode) else {
        return KeyState::BadRsa("an RSA key's e is missing or not base64url without padding");
    };
    let n = strip_leading_zeros(&n);
    let (Some(first), Some(last)) = (n.first(), n.last()) else {
        return KeyState::BadRsa("an RSA key's n is zero");
    };
    if last & 1 == 0 {
        return KeyState::BadRsa("an RSA key's n is even, so not an RSA modulus");
    }
    // Counted in u64 so that no length of n can overflow; anything past u32 is too long anyway.
    let bits = (n.len() as u64 - 1) * 8 + u64::from(8 - first.leading_zeros());
    KeyState::Rsa {
        modulus_bits: u32::try_from(bits).unwrap_or(u32::MAX),
        exponent_problem: exponent_problem(strip_leading_zeros(&e)),
    }
}

/// FIPS 186-5 §A.1.1 (as FIPS 186-4 §B.3.1 before it): the public exponent is odd and
/// 2^16 < e < 2^256. This refuses e = 0 and e = 1 (no encryption at all), even exponents
/// (no RSA key has one), and e = 3, with which lax PKCS #1 v1.5 verifiers were forged
/// (Bleichenbacher 2006) and which no OpenID provider publishes.
fn exponent_problem(e: &[u8]) -> Option<&'static str> {
    match e {
        [] => Some("an RSA key's e is zero"),
        [.., last] if last & 1 == 0 => Some("an RSA key's e is even"),
        // Below three octets, or 0x010000 itself (even, caught above): at most 65535.
        _ if e.len() < 3 => Some("an RSA key's e is below 65537 (FIPS 186-5 §A.1.1)"),
        _ if e.len() > 32 => Some("an RSA key's e is 2^256 or more (FIPS 186-5 §A.1.1)"),
        _ => None,
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Picks the one key to check `header`'s signature with (RFC 7515 §4.1.4, RFC 7517 §4,
/// OpenID Connect Core §10.1): among the RSA keys whose `use` (when present) is `sig`,
/// whose `alg` (when present) is the header's, and whose `key_ops` (when present) include
/// `verify`, the one whose `kid` is the header's; or, when the header has no `kid`, the
/// only one. Several keys fitting, duplicate `kid`s included, is [`Error::AmbiguousKey`]:
/// guessing would let the provider's set, not the token, decide. Then the key must be
/// strong enough: a modulus of at least [`MIN_RSA_BITS`] (RFC 7518 §3.3) and an exponent
/// following FIPS 186-5 §A.1.1.
pub fn select_jwk<'a>(jwks: &'a JwkSet, header: &JwsHeader) -> Result<SelectedJwk<'a>, Error> {
    let kid = header.kid();
    let mut fitting = jwks
        .keys
        .iter()
        .filter(|k| k.may_verify(header.alg()) && (kid.is_none() || k.kid() == kid));
    let jwk = match (fitting.next(), fitting.next()) {
        (Some(only), None) => only,
        (Some(_), Some(_)) => return Err(Error::AmbiguousKey),
        (None, _) => {
            return Err(Error::KeyNotFound {
                kid: kid.map(str::to_owned),
            })
        }
    };
    let (modulus_bits, exponent_problem) = match jwk.state {
        KeyState::Rsa {
            modulus_bits,
            exponent_problem,
        } => (modulus_bits, exponent_problem),
        KeyState::BadRsa(problem) => return Err(invalid(problem)),
        // may_verify keeps neither.
        KeyState::Ignored | KeyState::NotRsa => {
            return Err(Error::KeyNotFound {
                kid: kid.map(str::to_owned),
            })
        }
    };
    if modulus_bits < MIN_RSA_BITS {
        return Err(Error::KeyTooSmall { bits: modulus_bits });
    }
    if modulus_bits > MAX_RSA_BITS {
        return Err(invalid("an RSA key's n is longer than 16384 bits"));
    }
    if let Some(problem) = exponent_problem {
        return Err(invalid(problem));
    }
    let (Some(n), Some(e)) = (jwk.n(), jwk.e()) else {
        // A Rsa state is only built from a present n and e.
        return Err(invalid("an RSA key lacks n or e"));
    };
    Ok(SelectedJwk {
        jwk,
        n,
        e,
        modulus_bits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::jwt::{parse_compact_jws, unsigned_token_for_tests};
    use crate::protocol::testing::{mutations, random_inputs};
    use serde_json::{json, Value as J};

    fn oidc() -> J {
        serde_json::from_str(include_str!(
            "../../tests/vectors/oidc-core-appendix-a.json"
        ))
        .unwrap()
    }

    fn rfc7515() -> J {
        serde_json::from_str(include_str!("../../tests/vectors/rfc7515-a2-rs256.json")).unwrap()
    }

    fn wycheproof_key(group: usize) -> J {
        let v: J = serde_json::from_str(include_str!(
            "../../tests/vectors/wycheproof-rsa_signature_2048_sha256_test.json"
        ))
        .unwrap();
        v["testGroups"][group]["keyJwk"].clone()
    }

    /// The OIDC Core Appendix A.7 key, as published there.
    fn a7_key() -> J {
        oidc()["jwks"]["keys"][0].clone()
    }

    fn set(keys: &[J]) -> JwkSet {
        parse_jwks(json!({ "keys": keys }).to_string().as_bytes()).unwrap()
    }

    fn with(mut key: J, member: &str, value: J) -> J {
        key[member] = value;
        key
    }

    fn without(mut key: J, member: &str) -> J {
        key.as_object_mut().unwrap().remove(member);
        key
    }

    fn header(alg: &str, kid: Option<&str>) -> JwsHeader {
        let h = match kid {
            Some(kid) => json!({ "alg": alg, "kid": kid }),
            None => json!({ "alg": alg }),
        };
        let t = unsigned_token_for_tests(&h.to_string(), "{}");
        parse_compact_jws(&t).unwrap().header().clone()
    }

    /// An odd modulus of exactly `bits` bits: enough for every rule here, which never
    /// does arithmetic with it.
    fn modulus(bits: usize) -> String {
        let mut n = vec![0xa5u8; bits.div_ceil(8)];
        n[0] = 1 << ((bits - 1) % 8);
        *n.last_mut().unwrap() |= 1;
        base64url::encode(&n)
    }

    fn rsa_key(kid: &str, bits: usize) -> J {
        json!({ "kty": "RSA", "kid": kid, "n": modulus(bits), "e": "AQAB" })
    }

    fn invalid_problem(r: Result<SelectedJwk<'_>, Error>) -> &'static str {
        match r {
            Err(Error::InvalidResponse {
                context: "JWK set",
                problem,
            }) => problem,
            other => panic!("expected InvalidResponse, got {other:?}"),
        }
    }

    #[test]
    fn selects_the_oidc_core_a7_key_by_kid() {
        let v = oidc();
        let jwks = parse_jwks(v["jwks"].to_string().as_bytes()).unwrap();
        let token = v["id_tokens"]["A.2"].as_str().unwrap();
        let jwt = parse_compact_jws(token).unwrap();

        let key = select_jwk(&jwks, jwt.header()).unwrap();

        assert_eq!(key.kid(), Some("1e9gdk7"));
        assert_eq!(key.n(), v["jwks"]["keys"][0]["n"].as_str().unwrap());
        assert_eq!(key.e(), "AQAB");
        assert_eq!(key.modulus_bits(), 2048);
        assert_eq!(key.jwk().alg(), Some("RS256"));
    }

    #[test]
    fn selects_the_only_key_when_the_header_has_no_kid() {
        let v = rfc7515();
        let jwks = set(&[v["jwk"].clone()]);
        let jwt = parse_compact_jws(v["compact"].as_str().unwrap()).unwrap();

        let key = select_jwk(&jwks, jwt.header()).unwrap();

        assert_eq!(key.kid(), None);
        assert_eq!(key.n(), v["jwk"]["n"].as_str().unwrap());
        assert_eq!(key.modulus_bits(), 2048);
    }

    #[test]
    fn kid_absent_multiple_jwks() {
        let jwks = set(&[a7_key(), rsa_key("other", 2048)]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", None)),
            Err(Error::AmbiguousKey)
        );
    }

    #[test]
    fn kid_absent_no_rsa_key() {
        let ec = json!({ "kty": "EC", "crv": "P-256", "x": "AA", "y": "AA" });
        assert_eq!(
            select_jwk(&set(&[ec]), &header("RS256", None)),
            Err(Error::KeyNotFound { kid: None })
        );
    }

    #[test]
    fn rejects_unknown_kid() {
        let jwks = set(&[a7_key()]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("rotated-away"))),
            Err(Error::KeyNotFound {
                kid: Some("rotated-away".into())
            })
        );
    }

    #[test]
    fn never_selects_a_key_whose_use_is_not_sig() {
        let jwks = set(&[with(a7_key(), "use", json!("enc"))]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("1e9gdk7"))),
            Err(Error::KeyNotFound {
                kid: Some("1e9gdk7".into())
            })
        );
        let jwks = set(&[with(a7_key(), "use", json!("sig"))]);
        assert!(select_jwk(&jwks, &header("RS256", Some("1e9gdk7"))).is_ok());
    }

    #[test]
    fn never_selects_a_key_for_another_alg() {
        let jwks = set(&[with(a7_key(), "alg", json!("PS256"))]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("1e9gdk7"))),
            Err(Error::KeyNotFound {
                kid: Some("1e9gdk7".into())
            })
        );
    }

    #[test]
    fn never_selects_a_key_whose_key_ops_lack_verify() {
        let jwks = set(&[with(a7_key(), "key_ops", json!(["sign", "encrypt"]))]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("1e9gdk7"))),
            Err(Error::KeyNotFound {
                kid: Some("1e9gdk7".into())
            })
        );
        let jwks = set(&[with(a7_key(), "key_ops", json!(["verify"]))]);
        assert!(select_jwk(&jwks, &header("RS256", Some("1e9gdk7"))).is_ok());
    }

    #[test]
    fn rejects_1024_bit_key() {
        let jwks = set(&[rsa_key("weak", 1024)]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("weak"))),
            Err(Error::KeyTooSmall { bits: 1024 })
        );
    }

    #[test]
    fn rejects_2047_bit_key() {
        let jwks = set(&[rsa_key("short", 2047)]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("short"))),
            Err(Error::KeyTooSmall { bits: 2047 })
        );
    }

    #[test]
    fn counts_modulus_bits_after_leading_zero_octets() {
        // RFC 7518 §6.3.1.1 forbids the extra zero octet, but some libraries emit it.
        let mut n = base64url::decode(&modulus(2048)).unwrap();
        n.insert(0, 0);
        let padded = json!({ "kty": "RSA", "kid": "z", "n": base64url::encode(&n), "e": "AQAB" });
        let jwks = set(&[padded]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("z")))
                .unwrap()
                .modulus_bits(),
            2048
        );
        // A 1024-bit modulus padded to 256 octets with zeros is still 1024 bits.
        let mut n = vec![0u8; 128];
        n.extend(base64url::decode(&modulus(1024)).unwrap());
        let padded = json!({ "kty": "RSA", "kid": "z", "n": base64url::encode(&n), "e": "AQAB" });
        assert_eq!(
            select_jwk(&set(&[padded]), &header("RS256", Some("z"))),
            Err(Error::KeyTooSmall { bits: 1024 })
        );
    }

    #[test]
    fn rejects_modulus_beyond_16384_bits() {
        let jwks = set(&[rsa_key("huge", 16392)]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", Some("huge")))),
            "an RSA key's n is longer than 16384 bits"
        );
    }

    #[test]
    fn rejects_duplicate_kids() {
        let jwks = set(&[a7_key(), rsa_key("1e9gdk7", 2048)]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("1e9gdk7"))),
            Err(Error::AmbiguousKey)
        );
    }

    #[test]
    fn keeps_but_never_selects_keys_of_another_kty() {
        let ec = json!({ "kty": "EC", "kid": "1e9gdk7", "crv": "P-256", "x": "AA", "y": "AA" });
        let jwks = set(std::slice::from_ref(&ec));
        assert_eq!(jwks.keys().len(), 1);
        assert_eq!(jwks.keys()[0].kty(), "EC");
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("1e9gdk7"))),
            Err(Error::KeyNotFound {
                kid: Some("1e9gdk7".into())
            })
        );
        // Next to the EC key, the RSA key is the only candidate for a token without kid.
        let jwks = set(&[ec, a7_key()]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", None)).unwrap().kid(),
            Some("1e9gdk7")
        );
    }

    #[test]
    fn kty_is_case_sensitive() {
        let jwks = set(&[with(a7_key(), "kty", json!("rsa"))]);
        assert_eq!(
            select_jwk(&jwks, &header("RS256", None)),
            Err(Error::KeyNotFound { kid: None })
        );
    }

    #[test]
    fn ignores_keys_with_members_of_the_wrong_type() {
        for (member, value) in [
            ("kid", json!(7)),
            ("use", json!(["sig"])),
            ("alg", json!(null)),
            ("key_ops", json!("verify")),
            ("key_ops", json!([1])),
            ("kty", json!(true)),
        ] {
            let jwks = set(&[with(a7_key(), member, value.clone())]);
            assert_eq!(jwks.keys().len(), 1);
            assert_eq!(
                select_jwk(&jwks, &header("RS256", None)),
                Err(Error::KeyNotFound { kid: None }),
                "{member}: {value}"
            );
        }
    }

    #[test]
    fn rejects_rsa_key_without_strict_base64url_n() {
        for n in [json!(null), json!("AQAB="), json!("a+b/"), json!(12)] {
            let key = with(a7_key(), "n", n.clone());
            let jwks = set(&[key]);
            let r = select_jwk(&jwks, &header("RS256", Some("1e9gdk7")));
            if n.is_string() {
                assert_eq!(
                    invalid_problem(r),
                    "an RSA key's n is missing or not base64url without padding",
                    "{n}"
                );
            } else {
                // n of the wrong JSON type: the key is ignored, as RFC 7517 §5 asks.
                assert_eq!(
                    r,
                    Err(Error::KeyNotFound {
                        kid: Some("1e9gdk7".into())
                    }),
                    "{n}"
                );
            }
        }
        let jwks = set(&[without(a7_key(), "n")]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", None))),
            "an RSA key's n is missing or not base64url without padding"
        );
    }

    #[test]
    fn rejects_rsa_key_without_strict_base64url_e() {
        for e in [json!("AQAB=="), json!("AQ A")] {
            let jwks = set(&[with(a7_key(), "e", e)]);
            assert_eq!(
                invalid_problem(select_jwk(&jwks, &header("RS256", None))),
                "an RSA key's e is missing or not base64url without padding"
            );
        }
        let jwks = set(&[without(a7_key(), "e")]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", None))),
            "an RSA key's e is missing or not base64url without padding"
        );
    }

    #[test]
    fn rejects_zero_or_even_modulus() {
        let jwks = set(&[with(a7_key(), "n", json!(""))]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", None))),
            "an RSA key's n is zero"
        );
        let mut n = base64url::decode(&modulus(2048)).unwrap();
        *n.last_mut().unwrap() &= 0xfe;
        let jwks = set(&[with(a7_key(), "n", json!(base64url::encode(&n)))]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", None))),
            "an RSA key's n is even, so not an RSA modulus"
        );
    }

    #[test]
    fn rejects_empty_or_zero_exponent() {
        for e in ["", "AA", "AAAA"] {
            let jwks = set(&[with(a7_key(), "e", json!(e))]);
            assert_eq!(
                invalid_problem(select_jwk(&jwks, &header("RS256", None))),
                "an RSA key's e is zero",
                "{e:?}"
            );
        }
    }

    #[test]
    fn rejects_exponent_one() {
        let jwks = set(&[with(a7_key(), "e", json!("AQ"))]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", None))),
            "an RSA key's e is below 65537 (FIPS 186-5 §A.1.1)"
        );
    }

    #[test]
    fn rejects_even_exponent() {
        // 65538 and 65536.
        for e in ["AQAC", "AQAA"] {
            let jwks = set(&[with(a7_key(), "e", json!(e))]);
            assert_eq!(
                invalid_problem(select_jwk(&jwks, &header("RS256", None))),
                "an RSA key's e is even",
                "{e}"
            );
        }
    }

    #[test]
    fn rejects_exponent_of_2_pow_256_or_more() {
        let mut e = vec![1u8];
        e.extend([0u8; 31]);
        e.push(1);
        let jwks = set(&[with(a7_key(), "e", json!(base64url::encode(&e)))]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", None))),
            "an RSA key's e is 2^256 or more (FIPS 186-5 §A.1.1)"
        );
    }

    #[test]
    fn rejects_wycheproof_e3_keys() {
        for group in [1, 2] {
            let key = wycheproof_key(group);
            assert_eq!(key["e"], "Aw");
            let jwks = set(&[key]);
            assert_eq!(
                invalid_problem(select_jwk(&jwks, &header("RS256", Some("none")))),
                "an RSA key's e is below 65537 (FIPS 186-5 §A.1.1)"
            );
        }
    }

    #[test]
    fn accepts_wycheproof_2048_bit_e65537_key() {
        let jwks = set(&[wycheproof_key(0)]);
        let key = select_jwk(&jwks, &header("RS256", Some("none"))).unwrap();
        assert_eq!(key.modulus_bits(), 2048);
        assert_eq!(key.e(), "AQAB");
    }

    #[test]
    fn accepts_exponent_65537_with_leading_zero_octets() {
        let jwks = set(&[with(a7_key(), "e", json!("AAEAAQ"))]);
        let key = select_jwk(&jwks, &header("RS256", None)).unwrap();
        // Handed to WebCrypto exactly as published.
        assert_eq!(key.e(), "AAEAAQ");
    }

    #[test]
    fn rejects_key_that_publishes_its_private_exponent() {
        let jwks = set(&[with(a7_key(), "d", json!("AQAB"))]);
        assert_eq!(
            invalid_problem(select_jwk(&jwks, &header("RS256", None))),
            "an RSA key publishes its private exponent d"
        );
    }

    #[test]
    fn rejects_jwks_that_is_not_json() {
        assert_eq!(
            parse_jwks(b"<html>"),
            Err(Error::InvalidResponse {
                context: "JWK set",
                problem: "is not valid JSON"
            })
        );
    }

    #[test]
    fn rejects_jwks_that_is_not_an_object() {
        assert_eq!(
            parse_jwks(br#"[{"kty":"RSA"}]"#),
            Err(Error::InvalidResponse {
                context: "JWK set",
                problem: "is not a JSON object"
            })
        );
    }

    #[test]
    fn rejects_jwks_without_keys_array() {
        for body in [&br#"{}"#[..], br#"{"keys":{}}"#, br#"{"keys":null}"#] {
            assert_eq!(
                parse_jwks(body),
                Err(Error::InvalidResponse {
                    context: "JWK set",
                    problem: "has no keys array"
                })
            );
        }
    }

    #[test]
    fn rejects_jwks_whose_key_is_not_an_object() {
        assert_eq!(
            parse_jwks(br#"{"keys":[{"kty":"oct"},"AQAB"]}"#),
            Err(Error::InvalidResponse {
                context: "JWK set",
                problem: "has a key that is not a JSON object"
            })
        );
    }

    #[test]
    fn rejects_jwks_with_duplicate_members() {
        assert_eq!(
            parse_jwks(br#"{"keys":[{"kty":"RSA","kty":"EC"}]}"#),
            Err(Error::InvalidResponse {
                context: "JWK set",
                problem: "is not valid JSON"
            })
        );
    }

    #[test]
    fn empty_set_finds_no_key() {
        let jwks = parse_jwks(br#"{"keys":[]}"#).unwrap();
        assert_eq!(
            select_jwk(&jwks, &header("RS256", Some("k"))),
            Err(Error::KeyNotFound {
                kid: Some("k".into())
            })
        );
    }

    #[test]
    fn never_panics_on_mutated_jwks() {
        let mut keys = vec![a7_key(), rfc7515()["jwk"].clone()];
        keys.push(json!({ "kty": "EC", "kid": "e", "use": "sig", "key_ops": ["verify"] }));
        let seed = json!({ "keys": keys }).to_string();
        let headers = [header("RS256", None), header("RS256", Some("1e9gdk7"))];
        for m in mutations(seed.as_bytes(), 2000) {
            if let Ok(jwks) = parse_jwks(&m) {
                for h in &headers {
                    let _ = select_jwk(&jwks, h);
                }
            }
        }
    }

    #[test]
    fn never_panics_on_random_input() {
        let h = header("RS256", None);
        for r in random_inputs(2000, 256) {
            if let Ok(jwks) = parse_jwks(&r) {
                let _ = select_jwk(&jwks, &h);
            }
            // Random bytes as n and e reach the integer rules.
            let key = json!({ "kty": "RSA", "n": base64url::encode(&r), "e": base64url::encode(&r[..r.len().min(40)]) });
            let _ = select_jwk(&set(&[key]), &h);
        }
    }
}
