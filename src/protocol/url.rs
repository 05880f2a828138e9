//! A strict splitter for absolute `http`/`https` URLs (RFC 3986 §3).
//!
//! The protocol core has to reason about URLs without a browser, and the `url` crate would
//! more than double the wasm. This accepts only what an OpenID Connect client needs to
//! accept, and refuses everything else rather than guessing: no whitespace or control
//! characters, no backslashes, a non-empty host, a numeric port.

/// The parts of an absolute URL, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// Lowercased by comparison only: `http` or `https`, as written.
    pub scheme: &'a str,
    /// `user:pass` before an `@`, if any.
    pub userinfo: Option<&'a str>,
    /// The host as written: a name, an IPv4 address, or `[v6]` with brackets.
    pub host: &'a str,
    /// The port digits, if any.
    pub port: Option<&'a str>,
    /// Everything from the first `/` after the authority up to `?` or `#`; may be empty.
    pub path: &'a str,
    /// After `?`, without it.
    pub query: Option<&'a str>,
    /// After `#`, without it.
    pub fragment: Option<&'a str>,
}

impl UrlParts<'_> {
    /// `https`, compared without regard to case.
    pub fn is_https(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("https")
    }

    /// `localhost`, `127.0.0.0/8` or `[::1]`: hosts where plain http cannot leave the machine.
    pub fn is_loopback(&self) -> bool {
        let host = self.host;
        if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
            return true;
        }
        let mut octets = 0;
        for part in host.split('.') {
            let valid = !part.is_empty()
                && part.len() <= 3
                && part.bytes().all(|b| b.is_ascii_digit())
                && part.parse::<u16>().is_ok_and(|n| n <= 255);
            if !valid || (octets == 0 && part != "127") {
                return false;
            }
            octets += 1;
        }
        octets == 4
    }
}

/// Why a string is not an acceptable absolute URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not of the form `scheme://host...`, or holds characters a URL cannot.
    NotAbsolute,
    /// A scheme other than `http` or `https`.
    NotHttp,
    /// The port is not a number from 0 to 65535.
    BadPort,
}

/// Splits an absolute `http(s)://` URL into its parts, refusing anything ambiguous.
pub fn parse_http_url(input: &str) -> Result<UrlParts<'_>, UrlProblem> {
    // Characters a browser would silently strip or rewrite: refuse them so the string we
    // validate is the string that gets used.
    if input.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\') {
        return Err(UrlProblem::NotAbsolute);
    }
    let (scheme, rest) = input.split_once("://").ok_or(UrlProblem::NotAbsolute)?;
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(UrlProblem::NotAbsolute);
    }
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(UrlProblem::NotHttp);
    }

    let (before_fragment, fragment) = match rest.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (rest, None),
    };
    let (before_query, query) = match before_fragment.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (before_fragment, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };

    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((u, hp)) => (Some(u), hp),
        None => (None, authority),
    };
    let (host, port) = split_host_port(host_port)?;
    if host.is_empty() {
        return Err(UrlProblem::NotAbsolute);
    }
    Ok(UrlParts {
        scheme,
        userinfo,
        host,
        port,
        path,
        query,
        fragment,
    })
}

fn split_host_port(host_port: &str) -> Result<(&str, Option<&str>), UrlProblem> {
    let (host, port) = if host_port.starts_with('[') {
        let end = host_port.find(']').ok_or(UrlProblem::NotAbsolute)?;
        let (host, after) = host_port.split_at(end + 1);
        let inner = &host[1..host.len() - 1];
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(UrlProblem::NotAbsolute);
        }
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(UrlProblem::NotAbsolute),
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.starts_with('[') {
        // bracketed IPv6 literal, checked above
    } else if host
        .bytes()
        .any(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%')))
    {
        return Err(UrlProblem::NotAbsolute);
    }
    if let Some(port) = port {
        let ok = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65535);
        if !ok {
            return Err(UrlProblem::BadPort);
        }
    }
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_an_okta_custom_server_issuer() {
        let u = parse_http_url("https://dev-1.okta.com:8443/oauth2/default?x=1#f").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.userinfo, None);
        assert_eq!(u.host, "dev-1.okta.com");
        assert_eq!(u.port, Some("8443"));
        assert_eq!(u.path, "/oauth2/default");
        assert_eq!(u.query, Some("x=1"));
        assert_eq!(u.fragment, Some("f"));
        assert!(u.is_https());
    }

    #[test]
    fn splits_a_bare_origin() {
        let u = parse_http_url("http://127.0.0.1:4000").unwrap();
        assert_eq!((u.host, u.port, u.path), ("127.0.0.1", Some("4000"), ""));
        assert!(u.is_loopback());
        assert!(!u.is_https());
    }

    #[test]
    fn keeps_userinfo_apart_from_the_host() {
        let u = parse_http_url("https://evil.example@good.example/").unwrap();
        assert_eq!(u.userinfo, Some("evil.example"));
        assert_eq!(u.host, "good.example");
    }

    #[test]
    fn recognises_loopback_hosts_only() {
        for host in ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "[::1]"] {
            let url = format!("http://{host}/cb");
            assert!(parse_http_url(&url).unwrap().is_loopback(), "{host}");
        }
        for host in [
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "128.0.0.1",
            "127.0.0",
            "127.0.0.256",
            "[::2]",
            "10.0.0.1",
        ] {
            let url = format!("http://{host}/cb");
            assert!(!parse_http_url(&url).unwrap().is_loopback(), "{host}");
        }
    }

    #[test]
    fn refuses_relative_and_malformed_urls() {
        for bad in [
            "",
            "/callback",
            "example.com/callback",
            "https:/example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/\ncallback",
            "https:\\\\example.com",
            "https://[::1/",
            "https://[zz]/",
            "https://a<b/",
            "1https://example.com",
        ] {
            assert_eq!(parse_http_url(bad), Err(UrlProblem::NotAbsolute), "{bad:?}");
        }
    }

    #[test]
    fn refuses_other_schemes() {
        for bad in [
            "javascript://x.example/%0aalert(1)",
            "ftp://x.example/",
            "file://host/etc",
        ] {
            assert_eq!(parse_http_url(bad), Err(UrlProblem::NotHttp), "{bad:?}");
        }
    }

    #[test]
    fn refuses_bad_ports() {
        for bad in [
            "http://h:/",
            "http://h:65536/",
            "http://h:8x/",
            "http://h:123456/",
        ] {
            assert_eq!(parse_http_url(bad), Err(UrlProblem::BadPort), "{bad:?}");
        }
    }

    #[test]
    fn never_panics_on_arbitrary_prefixes_of_tricky_input() {
        let tricky = "https://u:p@[::1]:443/p/a?q=1&r=[x]#frag://@:?[]";
        for end in 0..=tricky.len() {
            let _ = parse_http_url(&tricky[..end]);
        }
        for start in 0..=tricky.len() {
            let _ = parse_http_url(&tricky[start..]);
        }
    }
}
