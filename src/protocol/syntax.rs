//! Small lexical rules shared by several parts of the core.

/// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
pub(crate) fn is_scope_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// RFC 9110 §5.6.2: `tchar`, the characters of a `token` (an auth-scheme, a method).
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 6749 §3.3: a scope list is one or more scope tokens; repeating one is a mistake.
/// On failure, says what is wrong as a sentence fragment for the caller's error.
pub(crate) fn check_scope_list<S: AsRef<str>>(scopes: &[S]) -> Result<(), &'static str> {
    if scopes.is_empty() {
        return Err("must name at least one scope");
    }
    for (i, scope) in scopes.iter().enumerate() {
        let scope = scope.as_ref();
        if !is_scope_token(scope) {
            return Err(
                "must be printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)",
            );
        }
        if scopes[..i].iter().any(|s| s.as_ref() == scope) {
            return Err("must not repeat a scope");
        }
    }
    Ok(())
}

/// Appends `n` in decimal, without the formatting machinery of `format!`.
pub(crate) fn push_decimal(s: &mut String, n: i64) {
    if n < 0 {
        s.push('-');
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        s.push(char::from(*d));
    }
}

/// A name that occurs more than once in `names` (sorting them, in place), if any. Sorted
/// rather than compared pairwise: input with many names must not stall the page in
/// quadratic time.
pub(crate) fn first_duplicate<'a>(names: &mut [&'a str]) -> Option<&'a str> {
    heapsort(names);
    names
        .windows(2)
        .find_map(|pair| (pair[0] == pair[1]).then_some(pair[0]))
}

/// Sorts `v` in place: heapsort, O(n log n) in the worst case like `sort_unstable`, in a
/// small fraction of its code (the standard sort is about 3 KB of wasm).
pub(crate) fn heapsort<T: Ord>(v: &mut [T]) {
    let n = v.len();
    for root in (0..n / 2).rev() {
        sift_down(v, root, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Moves `v[root]` down the max-heap `v[..end]` to its place.
fn sift_down<T: Ord>(v: &mut [T], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heapsort_sorts_like_the_standard_sort() {
        let mut seed = 0x2545_f491_u32;
        for len in 0..40 {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed % 7
                })
                .collect();
            let mut want = v.clone();
            want.sort();
            heapsort(&mut v);
            assert_eq!(v, want);
        }
        let mut words = ["state", "code", "state", "iss", "a", "code"];
        heapsort(&mut words);
        assert_eq!(words, ["a", "code", "code", "iss", "state", "state"]);
    }

    #[test]
    fn first_duplicate_finds_a_repeated_name_wherever_it_stands() {
        assert_eq!(first_duplicate(&mut []), None);
        assert_eq!(first_duplicate(&mut ["state", "code", "iss"]), None);
        assert_eq!(
            first_duplicate(&mut ["state", "code", "iss", "state"]),
            Some("state")
        );
        let mut many: Vec<String> = (0..500).map(|i| i.to_string()).collect();
        many.push("250".to_owned());
        let mut names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(first_duplicate(&mut names), Some("250"));
        // Case matters: callers that compare case-insensitively fold the names first.
        assert_eq!(first_duplicate(&mut ["Realm", "realm"]), None);
    }

    #[test]
    fn scope_tokens_exclude_space_quote_and_backslash() {
        assert!(is_scope_token("openid"));
        assert!(is_scope_token("okta.users.read:self!~"));
        for bad in ["", "a b", "a\"b", "a\\b", "é", "a\tb"] {
            assert!(!is_scope_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn scope_lists_must_be_non_empty_valid_and_without_repeats() {
        assert_eq!(check_scope_list(&["openid", "email"]), Ok(()));
        assert_eq!(
            check_scope_list::<&str>(&[]),
            Err("must name at least one scope")
        );
        assert!(check_scope_list(&["openid", "a b"])
            .unwrap_err()
            .starts_with("must be printable"));
        assert_eq!(
            check_scope_list(&["openid", "openid"]),
            Err("must not repeat a scope")
        );
    }

    #[test]
    fn writes_integers_in_decimal() {
        for (n, want) in [
            (0, "0"),
            (7, "7"),
            (-5, "-5"),
            (1_311_281_970, "1311281970"),
        ] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, want);
        }
        let mut s = String::new();
        push_decimal(&mut s, i64::MIN);
        assert_eq!(s, "-9223372036854775808");
    }
}
