//! Proof Key for Code Exchange (RFC 7636), S256 only: `plain` is never offered.

use sha2::{Digest, Sha256};

use super::{base64url, Error};

/// How many random bytes make a code verifier: 32 bytes give 43 base64url characters
/// and 256 bits of entropy (RFC 7636 §4.1 and §7.1).
pub const VERIFIER_RANDOM_BYTES: usize = 32;

/// A code verifier and its S256 challenge, ready for an authorize and a token request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkce {
    /// The secret kept by the app until the token request (`code_verifier`).
    pub code_verifier: String,
    /// `BASE64URL(SHA256(ASCII(code_verifier)))`, sent as `code_challenge`.
    pub code_challenge: String,
}

impl Pkce {
    /// `code_challenge_method`: always `S256`.
    pub const METHOD: &'static str = "S256";
}

/// RFC 7636 §4.1: a verifier from 32 random octets, base64url-encoded.
/// Randomness is passed in, so the caller decides where it comes from and tests are exact.
pub fn generate_pkce(random: &[u8; VERIFIER_RANDOM_BYTES]) -> Pkce {
    let code_verifier = base64url::encode(random);
    let code_challenge = code_challenge_s256(&code_verifier);
    Pkce {
        code_verifier,
        code_challenge,
    }
}

/// RFC 7636 §4.2: `code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
pub fn code_challenge_s256(code_verifier: &str) -> String {
    base64url::encode(&Sha256::digest(code_verifier.as_bytes()))
}

/// RFC 7636 §4.1: a verifier supplied by a caller must be 43 to 128 characters of
/// `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
pub fn validate_code_verifier(code_verifier: &str) -> Result<(), Error> {
    let len_ok = (43..=128).contains(&code_verifier.len());
    let chars_ok = code_verifier
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if len_ok && chars_ok {
        Ok(())
    } else {
        Err(Error::InvalidCodeVerifier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_matches_rfc7636_appendix_b() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/rfc7636-pkce.json")).unwrap();
        let octets: Vec<u8> = v["verifier_octets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap() as u8)
            .collect();
        let octets: [u8; 32] = octets.try_into().unwrap();

        let pkce = generate_pkce(&octets);

        assert_eq!(pkce.code_verifier, v["code_verifier"].as_str().unwrap());
        assert_eq!(pkce.code_challenge, v["code_challenge"].as_str().unwrap());
        assert_eq!(Pkce::METHOD, v["code_challenge_method"].as_str().unwrap());
    }

    #[test]
    fn generated_verifier_is_43_unreserved_characters() {
        let pkce = generate_pkce(&[0xff; 32]);
        assert_eq!(pkce.code_verifier.len(), 43);
        assert_eq!(validate_code_verifier(&pkce.code_verifier), Ok(()));
    }

    #[test]
    fn different_randomness_gives_different_verifiers() {
        assert_ne!(generate_pkce(&[1; 32]), generate_pkce(&[2; 32]));
    }

    #[test]
    fn accepts_supplied_verifiers_of_43_and_128_characters() {
        assert_eq!(validate_code_verifier(&"a".repeat(43)), Ok(()));
        assert_eq!(validate_code_verifier(&"Az09-._~".repeat(16)), Ok(()));
    }

    #[test]
    fn rejects_verifier_shorter_than_43_characters() {
        assert_eq!(
            validate_code_verifier(&"a".repeat(42)),
            Err(Error::InvalidCodeVerifier)
        );
    }

    #[test]
    fn rejects_verifier_longer_than_128_characters() {
        assert_eq!(
            validate_code_verifier(&"a".repeat(129)),
            Err(Error::InvalidCodeVerifier)
        );
    }

    #[test]
    fn rejects_verifier_with_reserved_characters() {
        for bad in ["+", "/", "=", " ", "é"] {
            let verifier = format!("{}{}", "a".repeat(42), bad);
            assert_eq!(
                validate_code_verifier(&verifier),
                Err(Error::InvalidCodeVerifier),
                "{bad:?}"
            );
        }
    }
}
