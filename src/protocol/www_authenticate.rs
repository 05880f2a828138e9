//! The `WWW-Authenticate` header a protected resource answers with, and its `Bearer`
//! (RFC 6750 §3) or `DPoP` (RFC 9449 §7.1) challenge, read by [`parse_www_authenticate`].

use super::syntax::is_tchar;
use super::Error;

/// What [`Error::InvalidResponse`] names when a `WWW-Authenticate` header is unreadable.
const HEADER: &str = "WWW-Authenticate header";

/// The `Bearer` (RFC 6750 §3) or `DPoP` (RFC 9449 §7.1, the same parameters) challenge of
/// a `WWW-Authenticate` header. Only [`parse_www_authenticate`] builds one, so its values
/// passed the character rules of RFC 6750 §3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerChallenge {
    dpop: bool,
    realm: Option<String>,
    scope: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    error_uri: Option<String>,
}

impl BearerChallenge {
    /// Whether it is the `DPoP` scheme's challenge (RFC 9449 §7.1).
    pub fn is_dpop(&self) -> bool {
        self.dpop
    }

    /// `realm`
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// `scope`: the scopes needed, space-separated (sent with `insufficient_scope`).
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// `error`: `invalid_request`, `invalid_token`, `insufficient_scope` (RFC 6750 §3.1), or
    /// an extension. Absent when the request carried no token at all (§3.1).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// `error_description`
    pub fn error_description(&self) -> Option<&str> {
        self.error_description.as_deref()
    }

    /// `error_uri`
    pub fn error_uri(&self) -> Option<&str> {
        self.error_uri.as_deref()
    }

    /// The challenge's `error` and `error_description` as [`Error::Provider`], whose code
    /// is `invalid_token` or `insufficient_scope` for those errors; `None` without `error`.
    pub fn to_error(&self) -> Option<Error> {
        self.error.as_ref().map(|error| Error::Provider {
            error: error.clone(),
            description: self.error_description.clone(),
        })
    }
}

/// Reads a `WWW-Authenticate` header and returns its `Bearer` or `DPoP` challenge, if it
/// has one. With both (RFC 9449 §7.2 allows it), the one with an `error` wins, `DPoP`
/// first: the error of the scheme the request used is the one that explains it.
///
/// RFC 9110 §11.6.1 / §11.2 (was RFC 7235 §4.1, §2.1): a comma-separated list of challenges,
/// `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, `auth-param = token BWS "=" BWS (
/// token / quoted-string )`; schemes and parameter names are compared without regard to
/// case; empty list elements are skipped; other schemes before or after `Bearer` are read
/// and ignored; `DPoP`'s `algs` (RFC 9449 §7.1) is read and ignored. Strict everywhere else:
/// - anything outside the grammar, an unterminated quoted string, or a parameter named twice
///   in one challenge (RFC 9110 §11.2) is [`Error::InvalidResponse`];
/// - RFC 6750 §3: the `Bearer` and `DPoP` challenges use auth-params, never token68, and
///   there is at most one of each; `error` and `error_description` are `%x20-21 / %x23-5B / %x5D-7E` (`error`
///   non-empty), `scope` the same, `error_uri` the same without space.
pub fn parse_www_authenticate(header: &str) -> Result<Option<BearerChallenge>, Error> {
    let malformed = |problem| Error::InvalidResponse {
        context: HEADER,
        problem,
    };
    let mut c = Cursor {
        s: header,
        b: header.as_bytes(),
        i: 0,
    };
    let mut found: Option<BearerChallenge> = None;
    // Bit 0: a Bearer challenge was read; bit 1: a DPoP one.
    let mut seen = 0u8;
    c.skip_list_separators();
    while !c.at_end() {
        let scheme = c.token().ok_or(malformed("expected an auth-scheme"))?;
        let dpop = scheme.eq_ignore_ascii_case("DPoP");
        let is_bearer = dpop || scheme.eq_ignore_ascii_case("Bearer");
        let bit = 1 << u8::from(dpop);
        if is_bearer && seen & bit != 0 {
            return Err(malformed("has two Bearer or two DPoP challenges"));
        }
        let mut params: Vec<(&str, String)> = Vec::new();
        let spaced = c.skip_ows();
        match c.peek() {
            None | Some(b',') => {}
            Some(_) if !spaced => return Err(malformed("expected a space after the auth-scheme")),
            Some(_) => {
                if let Some(end) = c.token68_end() {
                    if is_bearer {
                        return Err(malformed(
                            "a Bearer or DPoP challenge has a token68 instead of auth-params (RFC 6750 §3)",
                        ));
                    }
                    c.i = end;
                    c.skip_ows();
                } else {
                    c.auth_params(&mut params).map_err(malformed)?;
                }
            }
        }
        if is_bearer {
            seen |= bit;
            let new = bearer_from(dpop, &params).map_err(malformed)?;
            // Ranked by (has an error, is DPoP); the first of a rank stays.
            let rank = |c: &BearerChallenge| (c.error.is_some(), c.dpop);
            if found.as_ref().is_none_or(|f| rank(&new) > rank(f)) {
                found = Some(new);
            }
        }
        match c.peek() {
            None => break,
            Some(b',') => c.skip_list_separators(),
            Some(_) => return Err(malformed("expected , between challenges")),
        }
    }
    Ok(found)
}

fn bearer_from(dpop: bool, params: &[(&str, String)]) -> Result<BearerChallenge, &'static str> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let challenge = BearerChallenge {
        dpop,
        realm: get("realm"),
        scope: get("scope"),
        error: get("error"),
        error_description: get("error_description"),
        error_uri: get("error_uri"),
    };
    if challenge.error.as_deref() == Some("") {
        return Err("the challenge's error is empty");
    }
    let checks = [
        (
            &challenge.error,
            true,
            "the challenge's error has characters RFC 6750 §3 forbids",
        ),
        (
            &challenge.error_description,
            true,
            "the challenge's error_description has characters RFC 6750 §3 forbids",
        ),
        (
            &challenge.scope,
            true,
            "the challenge's scope has characters RFC 6750 §3 forbids",
        ),
        (
            &challenge.error_uri,
            false,
            "the challenge's error_uri has characters RFC 6750 §3 forbids",
        ),
    ];
    for (value, space_allowed, problem) in checks {
        if value
            .as_deref()
            .is_some_and(|v| !v.bytes().all(|b| is_nqschar(b, space_allowed)))
        {
            return Err(problem);
        }
    }
    Ok(challenge)
}

/// RFC 9110 §11.2: each auth-param name at most once per challenge, case-insensitively.
fn unique_names(params: &[(&str, String)]) -> Result<(), &'static str> {
    // The names are tokens, so a space cannot occur in one: one buffer, split on spaces.
    let mut lower = String::new();
    for (name, _) in params {
        lower.push_str(name);
        lower.push(' ');
    }
    lower.make_ascii_lowercase();
    let mut names: Vec<&str> = lower.split_terminator(' ').collect();
    if super::syntax::first_duplicate(&mut names).is_some() {
        return Err("names an auth-param twice in one challenge (RFC 9110 §11.2)");
    }
    Ok(())
}

/// RFC 6750 §3: `%x20-21 / %x23-5B / %x5D-7E`, with or without the space.
fn is_nqschar(b: u8, space_allowed: bool) -> bool {
    (b == b' ' && space_allowed)
        || b == 0x21
        || (0x23..=0x5b).contains(&b)
        || (0x5d..=0x7e).contains(&b)
}

struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at_end(&self) -> bool {
        self.i >= self.b.len()
    }

    /// OWS: spaces and tabs. Says whether there were any.
    fn skip_ows(&mut self) -> bool {
        let start = self.i;
        while let Some(b' ' | b'\t') = self.peek() {
            self.i += 1;
        }
        self.i > start
    }

    /// RFC 9110 §5.6.1: list elements may be empty (`a, , b`).
    fn skip_list_separators(&mut self) {
        while let Some(b' ' | b'\t' | b',') = self.peek() {
            self.i += 1;
        }
    }

    fn token(&mut self) -> Option<&'a str> {
        let start = self.i;
        while self.peek().is_some_and(is_tchar) {
            self.i += 1;
        }
        // tchar is ASCII, so both ends are char boundaries.
        self.s.get(start..self.i).filter(|t| !t.is_empty())
    }

    /// RFC 9110 §11.2: `token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" )
    /// *"="`, standing alone: followed only by OWS and then `,` or the end. Where it would
    /// end, if a token68 starts here.
    fn token68_end(&self) -> Option<usize> {
        let mut j = self.i;
        let at = |j: usize| self.b.get(j).copied();
        while at(j).is_some_and(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)) {
            j += 1;
        }
        if j == self.i {
            return None;
        }
        while at(j) == Some(b'=') {
            j += 1;
        }
        let end = j;
        while let Some(b' ' | b'\t') = at(j) {
            j += 1;
        }
        matches!(at(j), None | Some(b',')).then_some(end)
    }

    /// `#auth-param` of one challenge; stops before the `,` that starts the next challenge.
    fn auth_params(&mut self, params: &mut Vec<(&'a str, String)>) -> Result<(), &'static str> {
        loop {
            let name = self.token().ok_or("expected an auth-param name")?;
            self.skip_ows();
            if self.peek() != Some(b'=') {
                return Err("expected = after an auth-param name");
            }
            self.i += 1;
            self.skip_ows();
            let value = if self.peek() == Some(b'"') {
                self.quoted_string()?
            } else {
                self.token()
                    .ok_or("expected a token or a quoted string as an auth-param value")?
                    .to_owned()
            };
            params.push((name, value));
            self.skip_ows();
            if self.peek() != Some(b',') {
                return unique_names(params);
            }
            // After the comma: another auth-param of this challenge (`name =`), or the next
            // challenge's scheme. Look ahead without consuming the latter.
            let comma = self.i;
            self.skip_list_separators();
            let after = self.i;
            let next_is_param = self.token().is_some() && {
                self.skip_ows();
                self.peek() == Some(b'=')
            };
            if next_is_param {
                self.i = after;
            } else {
                self.i = comma;
                return unique_names(params);
            }
        }
    }

    /// RFC 9110 §5.6.4: `DQUOTE *( qdtext / quoted-pair ) DQUOTE`, escapes resolved.
    fn quoted_string(&mut self) -> Result<String, &'static str> {
        self.i += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                None => return Err("has an unterminated quoted string"),
                Some(b'"') => {
                    self.i += 1;
                    // Only ASCII backslashes were removed from valid UTF-8.
                    return String::from_utf8(out).map_err(|_| "is not UTF-8");
                }
                Some(b'\\') => {
                    let escaped = self
                        .b
                        .get(self.i + 1)
                        .copied()
                        .ok_or("has an unterminated quoted string")?;
                    if !(escaped == b'\t' || (0x20..=0x7e).contains(&escaped) || escaped >= 0x80) {
                        return Err("has a control character in a quoted string");
                    }
                    out.push(escaped);
                    self.i += 2;
                }
                Some(b) if b == b'\t' || (0x20..=0x7e).contains(&b) || b >= 0x80 => {
                    out.push(b);
                    self.i += 1;
                }
                Some(_) => return Err("has a control character in a quoted string"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{mutations, random_inputs};

    fn challenge(header: &str) -> BearerChallenge {
        match parse_www_authenticate(header) {
            Ok(Some(c)) => c,
            other => panic!("{header:?}: {other:?}"),
        }
    }

    fn header_problem(header: &str) -> &'static str {
        match parse_www_authenticate(header) {
            Err(Error::InvalidResponse {
                context: "WWW-Authenticate header",
                problem,
            }) => problem,
            other => panic!("{header:?}: expected invalid_response, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_rfc6750_invalid_token_challenge() {
        // RFC 6750 §3, second example.
        let c = challenge(
            r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
        );
        assert_eq!(c.realm(), Some("example"));
        assert_eq!(c.error(), Some("invalid_token"));
        assert_eq!(c.error_description(), Some("The access token expired"));
        assert_eq!(c.scope(), None);
        assert_eq!(c.error_uri(), None);
    }

    #[test]
    fn reads_a_challenge_without_error_as_no_error() {
        // RFC 6750 §3, first example: a request that carried no token.
        let c = challenge(r#"Bearer realm="example""#);
        assert_eq!(c.error(), None);
        assert_eq!(c.to_error(), None);
    }

    #[test]
    fn reads_an_okta_insufficient_scope_challenge() {
        let c = challenge(
            r#"Bearer authorization_uri="https://dev-1.okta.com/oauth2/v1/authorize", realm="https://dev-1.okta.com", scope="openid profile", error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - openid, profile.", resource="/oauth2/v1/userinfo""#,
        );
        assert_eq!(c.scope(), Some("openid profile"));
        let err = c.to_error().unwrap();
        assert_eq!(err.code(), "insufficient_scope");
    }

    #[test]
    fn reads_bearer_after_and_before_other_schemes() {
        let c = challenge(
            r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Bearer error="invalid_token", Basic realm="simple""#,
        );
        assert_eq!(c.error(), Some("invalid_token"));
        assert_eq!(c.realm(), None);
        let c =
            challenge(r#"Negotiate a87421000492aa874209af8bc028==, Bearer error=invalid_token"#);
        assert_eq!(c.error(), Some("invalid_token"));
    }

    #[test]
    fn reads_a_dpop_challenge_with_algs_like_a_bearer_one() {
        // RFC 9449 §7.1's example, and the §9 nonce challenge.
        let c = challenge(
            r#"DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256""#,
        );
        assert!(c.is_dpop());
        assert_eq!(c.error(), Some("invalid_token"));
        assert_eq!(c.to_error().unwrap().code(), "invalid_token");
        let c = challenge(
            r#"dpop error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
        );
        assert!(c.is_dpop());
        assert_eq!(c.error(), Some("use_dpop_nonce"));
        assert!(!challenge(r#"Bearer error="invalid_token""#).is_dpop());
        assert!(challenge(r#"DPoP algs="ES256 PS256""#).to_error().is_none());
    }

    #[test]
    fn prefers_the_challenge_with_an_error_dpop_first() {
        let c = challenge(r#"Bearer realm="r", DPoP algs="ES256", error="use_dpop_nonce""#);
        assert!(c.is_dpop());
        assert_eq!(c.error(), Some("use_dpop_nonce"));
        let c = challenge(r#"DPoP algs="ES256", Bearer error="invalid_token""#);
        assert!(!c.is_dpop());
        let c = challenge(r#"Bearer error="invalid_token", DPoP error="invalid_token""#);
        assert!(c.is_dpop());
        let c = challenge(r#"DPoP error="use_dpop_nonce", Bearer error="invalid_token""#);
        assert!(c.is_dpop());
        assert_eq!(
            header_problem(r#"DPoP error="a", dpop error="b""#),
            "has two Bearer or two DPoP challenges"
        );
        assert_eq!(
            header_problem("DPoP abc=="),
            "a Bearer or DPoP challenge has a token68 instead of auth-params (RFC 6750 §3)"
        );
    }

    #[test]
    fn returns_none_without_a_bearer_challenge() {
        assert_eq!(parse_www_authenticate(r#"Basic realm="x""#), Ok(None));
        assert_eq!(parse_www_authenticate(""), Ok(None));
        assert_eq!(parse_www_authenticate(" , ,"), Ok(None));
    }

    #[test]
    fn matches_scheme_and_parameter_names_without_regard_to_case() {
        let c = challenge(r#"bEaReR ERROR="invalid_token""#);
        assert_eq!(c.error(), Some("invalid_token"));
    }

    #[test]
    fn resolves_quoted_pairs_and_allows_ows_around_equals_and_commas() {
        let c =
            challenge("Bearer realm = \"a\\\"b\\c\" ,, error\t=\"x\"  ,  error_description=\"y\"");
        assert_eq!(c.realm(), Some("a\"bc"));
        assert_eq!(c.error(), Some("x"));
        assert_eq!(c.error_description(), Some("y"));
    }

    #[test]
    fn rejects_quote_in_bearer_error_description() {
        assert_eq!(
            header_problem(r#"Bearer error_description="say \"hi\"""#),
            "the challenge's error_description has characters RFC 6750 §3 forbids"
        );
    }

    #[test]
    fn reads_a_bare_bearer_scheme() {
        assert_eq!(challenge("Bearer").error(), None);
        assert_eq!(challenge("Basic realm=x, Bearer").error(), None);
    }

    #[test]
    fn rejects_unterminated_quoted_string() {
        assert_eq!(
            header_problem(r#"Bearer error="invalid_token"#),
            "has an unterminated quoted string"
        );
    }

    #[test]
    fn rejects_parameter_named_twice_in_one_challenge() {
        assert_eq!(
            header_problem(r#"Bearer error="invalid_token", ERROR="insufficient_scope""#),
            "names an auth-param twice in one challenge (RFC 9110 §11.2)"
        );
    }

    #[test]
    fn rejects_parameter_named_twice_far_apart_among_many() {
        let mut header = String::from("Bearer Realm=\"first\"");
        for i in 0..2000 {
            header.push_str(", p");
            header.push_str(&i.to_string());
            header.push_str("=v");
        }
        assert!(parse_www_authenticate(&header).is_ok());
        header.push_str(", realm=\"last\"");
        assert_eq!(
            header_problem(&header),
            "names an auth-param twice in one challenge (RFC 9110 §11.2)"
        );
    }

    #[test]
    fn allows_the_same_parameter_name_in_different_challenges() {
        let challenge = parse_www_authenticate(r#"Basic realm="a", Bearer realm="b""#)
            .unwrap()
            .unwrap();
        assert_eq!(challenge.realm(), Some("b"));
    }

    #[test]
    fn rejects_two_bearer_challenges() {
        assert_eq!(
            header_problem(r#"Bearer error="a", Bearer error="b""#),
            "has two Bearer or two DPoP challenges"
        );
    }

    #[test]
    fn rejects_bearer_challenge_with_token68() {
        assert_eq!(
            header_problem("Bearer abc=="),
            "a Bearer or DPoP challenge has a token68 instead of auth-params (RFC 6750 §3)"
        );
    }

    #[test]
    fn rejects_parameter_without_value() {
        assert_eq!(
            header_problem(r#"Bearer realm="x", error="#),
            "expected a token or a quoted string as an auth-param value"
        );
    }

    #[test]
    fn rejects_missing_space_after_scheme() {
        assert_eq!(
            header_problem(r#"Bearer"x""#),
            "expected a space after the auth-scheme"
        );
    }

    #[test]
    fn rejects_missing_comma_between_parameters() {
        assert_eq!(
            header_problem(r#"Bearer realm="a" error="b""#),
            "expected , between challenges"
        );
    }

    #[test]
    fn rejects_control_characters_in_quoted_strings() {
        assert_eq!(
            header_problem("Bearer error_description=\"a\u{1}b\""),
            "has a control character in a quoted string"
        );
    }

    #[test]
    fn rejects_empty_bearer_error() {
        assert_eq!(
            header_problem(r#"Bearer error="""#),
            "the challenge's error is empty"
        );
    }

    #[test]
    fn rejects_bearer_error_description_outside_rfc6750_characters() {
        assert_eq!(
            header_problem("Bearer error=\"x\", error_description=\"expir\u{e9}\""),
            "the challenge's error_description has characters RFC 6750 §3 forbids"
        );
    }

    #[test]
    fn rejects_bearer_error_uri_with_space() {
        assert_eq!(
            header_problem(r#"Bearer error_uri="https://x.example/a b""#),
            "the challenge's error_uri has characters RFC 6750 §3 forbids"
        );
    }

    #[test]
    fn parse_www_authenticate_never_panics() {
        let seed = br#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic abc==, Bearer realm="x", error="invalid_token", error_description="The access token expired""#;
        let mut inputs = mutations(seed, 2000);
        inputs.extend(random_inputs(2000, 256));
        for bytes in &inputs {
            let _ = parse_www_authenticate(&String::from_utf8_lossy(bytes));
        }
    }
}
