//! DPoP (RFC 9449), the core's part: the signing input of a proof (§4.2), which the shell
//! signs with its non-extractable ES256 key; the key's thumbprint (RFC 7638) that binds
//! codes and tokens to it; `ath`; and the nonce challenges of §8 and §9. The key itself,
//! and the signature, are WebCrypto's.

use sha2::{Digest, Sha256};

use super::http::{error_from_response, HttpResponse};
use super::json::{self, Value};
use super::stored::push_json_string;
use super::syntax::{is_scope_token, is_tchar, push_decimal};
use super::url::parse_http_url;
use super::www_authenticate::parse_www_authenticate;
use super::{base64url, Error};

fn invalid(name: &str, problem: &'static str) -> Error {
    Error::InvalidParameter {
        name: name.to_owned(),
        problem,
    }
}

/// `BASE64URL(SHA-256(bytes))`: a JWK thumbprint (RFC 7638 §3) or `ath` (RFC 9449 §4.2).
fn sha256_b64(bytes: &[u8]) -> String {
    base64url::encode(&Sha256::digest(bytes))
}

/// Whether `s` is what [`sha256_b64`] gives: 43 base64url characters (32 bytes).
pub fn is_sha256_b64(s: &str) -> bool {
    s.len() == 43 && base64url::decode(s).is_some()
}

/// RFC 9449 §4.2: `ath`, the base64url SHA-256 of the ASCII access token.
pub fn ath(access_token: &str) -> String {
    sha256_b64(access_token.as_bytes())
}

/// The required members of a public key, as RFC 7638 §3.2 orders them, without white
/// space: `{"crv":"P-256","kty":"EC","x","y"}` (RFC 7638 §3.2.1 with RFC 7518 §6.2.1:
/// x and y 32 bytes each), or with `rsa` also `{"e","kty":"RSA","n"}` (§3.2.1 with RFC
/// 7518 §6.3.1). Other members (`ext`, `key_ops`, `alg`, ...) are left out; a private key
/// (`d`) is refused, so that it can never reach a proof's header.
pub fn public_jwk(jwk: &str, rsa: bool) -> Result<String, Error> {
    let v = json::parse(jwk.as_bytes()).map_err(|_| bad_jwk())?;
    if v.get("d").is_some() {
        return Err(invalid("jwk", "must be the public key: it has d"));
    }
    let text = |name| v.get(name).and_then(Value::as_str).unwrap_or_default();
    // The required members in RFC 7638's order: the fixed text around the key's two
    // base64url numbers, of `len` bytes each (0: any but none).
    let (head, middle, a, b, len) = match (text("kty"), text("crv")) {
        ("EC", "P-256") => (
            r#"{"crv":"P-256","kty":"EC","x":""#,
            r#"","y":""#,
            "x",
            "y",
            32,
        ),
        ("RSA", _) if rsa => (r#"{"e":""#, r#"","kty":"RSA","n":""#, "e", "n", 0),
        _ => return Err(bad_jwk()),
    };
    let (a, b) = (text(a), text(b));
    if !is_b64_of(a, len) || !is_b64_of(b, len) {
        return Err(bad_jwk());
    }
    // base64url and fixed names: nothing to escape.
    let mut out = String::from(head);
    for part in [a, middle, b, "\"}"] {
        out.push_str(part);
    }
    Ok(out)
}

fn bad_jwk() -> Error {
    invalid(
        "jwk",
        "must be a public P-256 JWK (kty EC, crv P-256, 32-byte x and y)",
    )
}

/// Base64url of `len` bytes (0: of any length but 0).
fn is_b64_of(s: &str, len: usize) -> bool {
    base64url::decode(s).is_some_and(|b| b.len() == len || len == 0 && !b.is_empty())
}

/// RFC 7638 §3: the JWK SHA-256 thumbprint of a public key (see [`public_jwk`]), base64url:
/// RFC 9449's `jkt`.
pub fn jwk_thumbprint(jwk: &str) -> Result<String, Error> {
    Ok(sha256_b64(public_jwk(jwk, true)?.as_bytes()))
}

/// RFC 9449 §4.2 `htm`: the methods `fetch` normalizes (Fetch §2.2.1) upper-cased as it
/// does, any other RFC 9110 method token kept as given (as `fetch` sends it).
fn htm(method: &str) -> Result<String, Error> {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    if let Some(m) = NORMALIZED.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        return Ok((*m).to_owned());
    }
    if method.is_empty() || !method.bytes().all(is_tchar) {
        return Err(invalid("method", "must be an HTTP method (RFC 9110 §9.1)"));
    }
    Ok(method.to_owned())
}

/// RFC 9449 §4.2 `htu`: the request's absolute http(s) URL without query and fragment.
pub fn htu(url: &str) -> Result<&str, Error> {
    parse_http_url(url).map_err(|_| invalid("url", "must be an absolute http(s) URL"))?;
    let end = url.bytes().position(|b| b == b'?' || b == b'#');
    Ok(url.get(..end.unwrap_or(url.len())).unwrap_or(url))
}

/// Checks a request's method and URL as [`build_dpop_proof`] reads them; the normalized
/// method.
pub fn check_request(method: &str, url: &str) -> Result<String, Error> {
    htu(url)?;
    htm(method)
}

/// RFC 9449 §4.2: the signing input `BASE64URL(header) "." BASE64URL(claims)` of a DPoP
/// proof for `method` `url`, which the shell signs with ES256 and completes with `"."` and
/// the signature's base64url.
///
/// - header (§4.2): `{"typ":"dpop+jwt","alg":"ES256","jwk"}`, the public key's required
///   members only ([`public_jwk`]: a P-256 key, never `d`);
/// - `jti`: the base64url of `random`, at least 16 bytes (§11.1: unguessable);
/// - `htm` and `htu` ([`check_request`]); `iat` is `now`;
/// - `nonce` (§8, §9) when not empty: `1*NQCHAR` (§8.1: `%x21 / %x23-5B / %x5D-7E`);
/// - `ath` when not empty: 43 base64url characters, from [`ath`].
pub fn build_dpop_proof(
    jwk: &str,
    method: &str,
    url: &str,
    nonce: &str,
    ath: &str,
    random: &[u8],
    now: i64,
) -> Result<String, Error> {
    let key = public_jwk(jwk, false)?;
    let htm = check_request(method, url)?;
    if random.len() < 16 {
        return Err(Error::Internal {
            problem: "a DPoP proof needs 16 random bytes for its jti".into(),
        });
    }
    // NQCHAR is the character set of a scope token (RFC 6749 §3.3).
    if !nonce.is_empty() && !is_scope_token(nonce) {
        return Err(invalid(
            "nonce",
            "is not a DPoP nonce (RFC 9449 §8.1 NQCHAR)",
        ));
    }
    if !ath.is_empty() && !is_sha256_b64(ath) {
        return Err(invalid("ath", "is not a base64url SHA-256 hash"));
    }
    let mut header = String::from("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":");
    header.push_str(&key);
    header.push('}');
    let mut claims = String::from("{\"jti\":\"");
    claims.push_str(&base64url::encode(random));
    claims.push('"');
    push_claim(&mut claims, "htm", &htm);
    push_claim(&mut claims, "htu", htu(url)?);
    push_claim(&mut claims, "nonce", nonce);
    push_claim(&mut claims, "ath", ath);
    claims.push_str(",\"iat\":");
    push_decimal(&mut claims, now);
    claims.push('}');
    let mut out = base64url::encode(header.as_bytes());
    out.push('.');
    out.push_str(&base64url::encode(claims.as_bytes()));
    Ok(out)
}

/// `,"name":"value"` unless `value` is empty. The value is escaped: htu may hold a `"`
/// (the others are tokens, NQCHARs or base64url).
fn push_claim(claims: &mut String, name: &str, value: &str) {
    if !value.is_empty() {
        claims.push_str(",\"");
        claims.push_str(name);
        claims.push_str("\":");
        push_json_string(claims, value);
    }
}

/// Whether an HTTP answer asks for a (new) DPoP nonce: the token endpoint's `400` with
/// the error `use_dpop_nonce` (RFC 9449 §8), or a resource's `401` with a `DPoP`
/// challenge of that error (§9). The shell then retries once, with the `DPoP-Nonce` it
/// got.
pub fn is_nonce_challenge(response: &HttpResponse<'_>) -> bool {
    const NONCE: &str = "use_dpop_nonce";
    match response.status {
        400 => error_from_response(response).oauth_error() == Some(NONCE),
        401 => response
            .www_authenticate
            .and_then(|h| parse_www_authenticate(h).ok().flatten())
            .is_some_and(|c| c.is_dpop() && c.error() == Some(NONCE)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as J};

    /// A P-256 public key as WebCrypto's `exportKey('jwk')` gives it (generated with jose
    /// 6.2.18's `generateKeyPair('ES256')`).
    const EC_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"gYT4JX0Uc69Lj3Y7ugzoUUErX9pgF4B_4sM8LA81HN4","y":"anknwymlozhgw9wYkWqkjA_q1Cjgr76edC8DxtBVDBA","ext":true,"key_ops":["verify"]}"#;
    /// Its RFC 7638 thumbprint, computed independently by jose 6.2.18
    /// (`calculateJwkThumbprint(jwk, 'sha256')` in Node), not by this code.
    const EC_JKT: &str = "c_6TURx2uHQ4sakmur8zG7H_riNRM9NGAk1Z5Fvi58Q";
    const URL: &str = "https://api.example/v1/things";
    const NOW: i64 = 1_700_000_000;
    /// RFC 9449 §7.1's example access token and its `ath`.
    const RFC_AT: &str = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    const RFC_ATH: &str = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo";

    fn random() -> Vec<u8> {
        (0..16).collect()
    }

    fn proof(jwk: &str, method: &str, url: &str, nonce: &str, ath: &str) -> Result<String, Error> {
        build_dpop_proof(jwk, method, url, nonce, ath, &random(), NOW)
    }

    /// The decoded header and claims of a signing input.
    fn parts(input: &str) -> (String, J) {
        let (h, c) = input.split_once('.').unwrap();
        let h = String::from_utf8(base64url::decode(h).unwrap()).unwrap();
        let c = serde_json::from_slice(&base64url::decode(c).unwrap()).unwrap();
        (h, c)
    }

    fn claims(method: &str, url: &str, nonce: &str, ath: &str) -> J {
        parts(&proof(EC_JWK, method, url, nonce, ath).unwrap()).1
    }

    fn problem(r: Result<String, Error>) -> (String, &'static str) {
        match r {
            Err(Error::InvalidParameter { name, problem }) => (name, problem),
            other => panic!("expected invalid_parameter, got {other:?}"),
        }
    }

    #[test]
    fn header_is_dpop_jwt_es256_with_the_public_key_members_only() {
        let (header, _) = parts(&proof(EC_JWK, "GET", URL, "", "").unwrap());
        // Exactly these bytes: ext and key_ops of the WebCrypto export are left out.
        assert_eq!(
            header,
            r#"{"typ":"dpop+jwt","alg":"ES256","jwk":{"crv":"P-256","kty":"EC","x":"gYT4JX0Uc69Lj3Y7ugzoUUErX9pgF4B_4sM8LA81HN4","y":"anknwymlozhgw9wYkWqkjA_q1Cjgr76edC8DxtBVDBA"}}"#
        );
    }

    #[test]
    fn refuses_a_jwk_holding_the_private_key() {
        let private = EC_JWK.replace(
            r#""ext""#,
            r#""d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE","ext""#,
        );
        assert_eq!(
            problem(proof(&private, "GET", URL, "", "")),
            ("jwk".into(), "must be the public key: it has d")
        );
        assert!(jwk_thumbprint(&private).is_err());
    }

    #[test]
    fn refuses_a_jwk_that_is_not_a_p256_public_key() {
        let x = "gYT4JX0Uc69Lj3Y7ugzoUUErX9pgF4B_4sM8LA81HN4";
        let y = "anknwymlozhgw9wYkWqkjA_q1Cjgr76edC8DxtBVDBA";
        for bad in [
            json!({"kty": "EC", "crv": "P-384", "x": x, "y": y}),
            json!({"kty": "OKP", "crv": "P-256", "x": x, "y": y}),
            json!({"kty": "EC", "crv": "P-256", "x": x}),
            json!({"kty": "EC", "crv": "P-256", "x": &x[1..], "y": y}),
            json!({"kty": "EC", "crv": "P-256", "x": format!("{x}AA"), "y": y}),
            json!({"kty": "EC", "crv": "P-256", "x": format!("{x}="), "y": y}),
            json!({"kty": "EC", "crv": "P-256", "x": x.replace('_', "/"), "y": y}),
            json!({"kty": "EC", "crv": "P-256", "x": 1, "y": y}),
            json!({"kty": "RSA", "n": x, "e": "AQAB"}),
            json!([1]),
        ] {
            assert_eq!(
                problem(proof(&bad.to_string(), "GET", URL, "", "")).0,
                "jwk",
                "{bad}"
            );
        }
        assert_eq!(problem(proof("{", "GET", URL, "", "")).0, "jwk");
    }

    #[test]
    fn jti_is_the_base64url_of_the_random_bytes() {
        assert_eq!(claims("GET", URL, "", "")["jti"], "AAECAwQFBgcICQoLDA0ODw");
        let other = build_dpop_proof(EC_JWK, "GET", URL, "", "", &[7; 16], NOW).unwrap();
        assert_eq!(parts(&other).1["jti"], "BwcHBwcHBwcHBwcHBwcHBw");
    }

    #[test]
    fn refuses_fewer_than_16_random_bytes() {
        let r = build_dpop_proof(EC_JWK, "GET", URL, "", "", &[7; 15], NOW);
        assert_eq!(r.unwrap_err().code(), "internal");
    }

    #[test]
    fn htm_upper_cases_the_methods_fetch_normalizes_and_keeps_others() {
        for (given, htm) in [
            ("get", "GET"),
            ("pOsT", "POST"),
            ("delete", "DELETE"),
            ("head", "HEAD"),
            ("options", "OPTIONS"),
            ("Put", "PUT"),
            // fetch sends PATCH as given: "patch" stays lower case.
            ("patch", "patch"),
            ("PATCH", "PATCH"),
            ("M-SEARCH", "M-SEARCH"),
        ] {
            assert_eq!(claims(given, URL, "", "")["htm"], htm, "{given}");
        }
    }

    #[test]
    fn refuses_a_method_that_is_not_a_token() {
        for bad in ["", "GE T", "GET\n", "(GET)", "GÉT"] {
            assert_eq!(
                problem(proof(EC_JWK, bad, URL, "", "")).0,
                "method",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn htu_is_the_url_without_query_and_fragment() {
        for (url, htu) in [
            (
                "https://api.example/v1/things",
                "https://api.example/v1/things",
            ),
            (
                "https://api.example/a/b?x=1&y=2#f",
                "https://api.example/a/b",
            ),
            (
                "https://api.example/a#frag?notquery",
                "https://api.example/a",
            ),
            ("http://localhost:8080/?", "http://localhost:8080/"),
        ] {
            assert_eq!(claims("GET", url, "", "")["htu"], htu, "{url}");
        }
    }

    #[test]
    fn refuses_a_relative_or_non_http_url() {
        for bad in [
            "/v1/things",
            "api.example/v1",
            "ftp://api.example/",
            "https://",
            "",
        ] {
            assert_eq!(
                problem(proof(EC_JWK, "GET", bad, "", "")).0,
                "url",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn nonce_is_sent_only_when_given_and_must_be_nqchars() {
        assert_eq!(claims("GET", URL, "", "").get("nonce"), None);
        assert_eq!(
            claims("GET", URL, "eyJ7S_zG.eyJH0-Z.HX4w-7v", "")["nonce"],
            "eyJ7S_zG.eyJH0-Z.HX4w-7v"
        );
        assert_eq!(claims("GET", URL, "!#[]~", "")["nonce"], "!#[]~");
        for bad in ["a b", "a\"b", "a\\b", "é", "a\tb"] {
            assert_eq!(
                problem(proof(EC_JWK, "GET", URL, bad, "")).0,
                "nonce",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ath_is_sent_only_when_given_and_is_the_sha256_of_the_access_token() {
        // RFC 9449 §7.1's example pair.
        assert_eq!(ath(RFC_AT), RFC_ATH);
        assert_eq!(claims("GET", URL, "", "").get("ath"), None);
        assert_eq!(claims("GET", URL, "", RFC_ATH)["ath"], RFC_ATH);
        for bad in [
            "abc",
            &RFC_ATH[1..],
            &format!("{RFC_ATH}A"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQE+",
        ] {
            assert_eq!(
                problem(proof(EC_JWK, "GET", URL, "", bad)).0,
                "ath",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn iat_is_now_and_the_claims_are_exactly_these() {
        assert_eq!(
            claims("post", "https://as.example/token?x#y", "n-1", RFC_ATH),
            json!({
                "jti": "AAECAwQFBgcICQoLDA0ODw",
                "htm": "POST",
                "htu": "https://as.example/token",
                "nonce": "n-1",
                "ath": RFC_ATH,
                "iat": NOW,
            })
        );
        let later = build_dpop_proof(EC_JWK, "GET", URL, "", "", &random(), NOW + 5).unwrap();
        assert_eq!(parts(&later).1["iat"], NOW + 5);
    }

    #[test]
    fn thumbprint_of_the_rfc7638_example_rsa_key() {
        // RFC 7638 §3.1.
        let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
        assert_eq!(
            jwk_thumbprint(jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn thumbprint_of_an_ec_key_matches_an_independent_implementation() {
        assert_eq!(jwk_thumbprint(EC_JWK).unwrap(), EC_JKT);
        // Member order and the members outside RFC 7638 §3.2 do not change it.
        let reordered = r#"{"y":"anknwymlozhgw9wYkWqkjA_q1Cjgr76edC8DxtBVDBA","alg":"ES256","x":"gYT4JX0Uc69Lj3Y7ugzoUUErX9pgF4B_4sM8LA81HN4","crv":"P-256","kty":"EC"}"#;
        assert_eq!(jwk_thumbprint(reordered).unwrap(), EC_JKT);
        assert!(is_sha256_b64(EC_JKT));
    }

    fn response<'a>(status: u16, header: Option<&'a str>, body: &'a str) -> HttpResponse<'a> {
        HttpResponse {
            status,
            content_type: Some("application/json"),
            www_authenticate: header,
            body: body.as_bytes(),
        }
    }

    #[test]
    fn detects_the_token_endpoints_nonce_challenge() {
        // RFC 9449 §8's example.
        let body = r#"{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}"#;
        assert!(is_nonce_challenge(&response(400, None, body)));
    }

    #[test]
    fn detects_a_resource_servers_nonce_challenge() {
        // RFC 9449 §9's example.
        let header = r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#;
        assert!(is_nonce_challenge(&response(401, Some(header), "")));
        let both = r#"Bearer realm="r", DPoP algs="ES256", error="use_dpop_nonce""#;
        assert!(is_nonce_challenge(&response(401, Some(both), "")));
    }

    #[test]
    fn near_misses_are_no_nonce_challenge() {
        let nonce_body = r#"{"error":"use_dpop_nonce"}"#;
        for r in [
            response(400, None, r#"{"error":"invalid_grant"}"#),
            response(400, None, r#"{"error":"invalid_dpop_proof"}"#),
            response(401, Some(r#"Bearer error="use_dpop_nonce""#), ""),
            response(401, Some(r#"DPoP error="invalid_token""#), ""),
            response(401, Some(r#"DPoP algs="ES256""#), ""),
            response(401, Some(r#"DPoP error="use_dpop_nonce"#), ""),
            response(401, None, nonce_body),
            response(403, Some(r#"DPoP error="use_dpop_nonce""#), ""),
            response(200, None, nonce_body),
            response(400, Some(r#"DPoP error="use_dpop_nonce""#), "{}"),
        ] {
            assert!(!is_nonce_challenge(&r), "{r:?}");
        }
    }
}
