//! `application/x-www-form-urlencoded` (WHATWG URL §5), for authorize query strings, token
//! request bodies and authorization responses. Parsing is strict: a malformed `%` escape or
//! bytes that are not UTF-8 are refused rather than passed through.

/// Appends `value` percent-encoded: `A-Z a-z 0-9 * - . _` stay, space becomes `+`, every
/// other byte of its UTF-8 becomes `%XX`.
pub fn encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
    }
}

/// Serialises name/value pairs: `a=1&b=2`, both sides encoded.
pub fn serialize<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        encode_into(&mut out, name);
        out.push('=');
        encode_into(&mut out, value);
    }
    out
}

/// Why a form string could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormError {
    /// `%` not followed by two hex digits.
    BadEscape,
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

/// Parses `a=1&b=2` into decoded pairs, in order, duplicates kept (the caller decides what
/// a repeated name means). Empty segments (`a=1&&b=2`) are skipped; a segment without `=`
/// has an empty value, as in URLSearchParams.
pub fn parse(input: &str) -> Result<Vec<(String, String)>, FormError> {
    let mut pairs = Vec::new();
    for segment in input.split('&') {
        if segment.is_empty() {
            continue;
        }
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        pairs.push((decode(name)?, decode(value)?));
    }
    Ok(pairs)
}

/// Decodes one percent-encoded component, `+` as space.
pub fn decode(input: &str) -> Result<String, FormError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|h| char::from(*h).to_digit(16));
                let lo = bytes.get(i + 2).and_then(|l| char::from(*l).to_digit(16));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi * 16 + lo) as u8),
                    _ => return Err(FormError::BadEscape),
                }
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_url_search_params() {
        // Expected strings are what `new URLSearchParams({k: v}).toString()` gives in Chromium.
        assert_eq!(
            serialize([("scope", "openid profile email")]),
            "scope=openid+profile+email"
        );
        assert_eq!(
            serialize([("redirect_uri", "https://app.example/cb?x=1&y=2")]),
            "redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2"
        );
        assert_eq!(serialize([("s", "a*b-c.d_e~f")]), "s=a*b-c.d_e%7Ef");
        assert_eq!(serialize([("n", "é+")]), "n=%C3%A9%2B");
        assert_eq!(serialize([("a", "1"), ("b", "")]), "a=1&b=");
    }

    #[test]
    fn parses_what_it_serializes() {
        let pairs = [("code", "a b+c/d"), ("state", "é😀"), ("empty", "")];
        let parsed = parse(&serialize(pairs)).unwrap();
        let expected: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(parsed, expected);
    }

    #[test]
    fn keeps_duplicates_and_order_for_the_caller_to_judge() {
        let parsed = parse("state=a&code=1&state=b").unwrap();
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[2], ("state".to_string(), "b".to_string()));
    }

    #[test]
    fn skips_empty_segments_and_reads_bare_names() {
        assert_eq!(
            parse("&a=1&&flag&").unwrap(),
            [
                ("a".to_string(), "1".to_string()),
                ("flag".to_string(), String::new())
            ]
        );
    }

    #[test]
    fn never_panics_on_mutated_or_random_input() {
        use crate::protocol::testing::{mutations, random_inputs};
        let seed = b"code=a%20b+c&state=%C3%A9%F0%9F%98%80&x=%zz&&y";
        for input in mutations(seed, 2000)
            .into_iter()
            .chain(random_inputs(2000, 128))
        {
            let text = String::from_utf8_lossy(&input);
            if let Ok(pairs) = parse(&text) {
                // What parses re-serialises to something that parses to the same pairs.
                let again = serialize(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())));
                assert_eq!(parse(&again), Ok(pairs));
            }
        }
    }

    #[test]
    fn refuses_malformed_escapes_and_invalid_utf8() {
        assert_eq!(parse("a=%"), Err(FormError::BadEscape));
        assert_eq!(parse("a=%4"), Err(FormError::BadEscape));
        assert_eq!(parse("a=%zz"), Err(FormError::BadEscape));
        assert_eq!(parse("a=%ff"), Err(FormError::NotUtf8));
        assert_eq!(parse("a=%C3"), Err(FormError::NotUtf8));
    }
}
