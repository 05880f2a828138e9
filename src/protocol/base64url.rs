//! base64url without padding (RFC 4648 §5), as JOSE and PKCE use it.
//!
//! Hand-written rather than a crate: a few hundred bytes of wasm.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `bytes` as base64url with no `=` padding (RFC 7515 §2, RFC 7636 §4.1).
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk[0];
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Decodes base64url with no padding, strictly: `=` padding, `+` `/`, white space, a
/// length of 1 mod 4, or non-zero bits left over in the last symbol are all refused, so that
/// exactly one string decodes to a given byte sequence (RFC 7515 §2, RFC 4648 §3.5).
pub fn decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    // 6 bits a symbol, 8 a byte: a last group of 2 or 3 symbols gives 1 or 2 bytes.
    let mut out = vec![0; bytes.len() / 4 * 3 + bytes.len() % 4 * 3 / 4];
    let mut written = 0;
    // The symbols' bits, the newest lowest; `bits` of them not yet written out.
    let (mut acc, mut bits) = (0u32, 0);
    // 0xff marks a byte out of the alphabet: one check at the end, not one per symbol.
    let mut invalid = 0u8;
    for b in bytes {
        let v = symbol_value(*b);
        invalid |= v;
        acc = acc << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out[written] = (acc >> bits) as u8;
            written += 1;
        }
    }
    // A last group of 2 or 3 symbols leaves 4 or 2 bits over: they must be zero.
    (invalid & 0x80 == 0 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

/// The 6-bit value of a base64url symbol, 0xff for any other byte.
fn symbol_value(b: u8) -> u8 {
    SYMBOL_VALUES[usize::from(b)]
}

/// [`ALPHABET`] inverted: each byte's 6-bit value, 0xff for bytes out of the alphabet.
static SYMBOL_VALUES: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    /// RFC 4648 §10 test vectors, with `+/` mapped to `-_` and padding removed.
    #[test]
    fn encodes_rfc4648_vectors_without_padding() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(encode(input), expected);
        }
    }

    #[test]
    fn decodes_what_it_encodes() {
        for len in 0..70u8 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(37).wrapping_add(len))
                .collect();
            assert_eq!(decode(&encode(&bytes)), Some(bytes));
        }
    }

    #[test]
    fn decode_refuses_padding_standard_alphabet_and_whitespace() {
        for bad in ["Zg==", "Zm8=", "+/+/", "Zm9v\n", "Zm 9v", "Z", "Zm9vY", "é"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn decode_refuses_non_canonical_trailing_bits() {
        // "Zg" is the canonical form of b"f"; "Zh" differs only in bits that encode nothing.
        assert_eq!(decode("Zg"), Some(b"f".to_vec()));
        assert_eq!(decode("Zh"), None);
        assert_eq!(decode("Zm8"), Some(b"fo".to_vec()));
        assert_eq!(decode("Zm9"), None);
    }

    #[test]
    fn decode_never_panics_and_accepts_only_canonical_forms() {
        use crate::protocol::testing::{mutations, random_inputs};
        for input in mutations(b"eyJhbGciOiJSUzI1NiJ9-_", 2000)
            .into_iter()
            .chain(random_inputs(2000, 64))
        {
            let text = String::from_utf8_lossy(&input);
            if let Some(bytes) = decode(&text) {
                assert_eq!(encode(&bytes), text, "non-canonical input decoded");
            }
        }
    }

    #[test]
    fn uses_the_url_safe_alphabet() {
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "-_-_");
    }
}
