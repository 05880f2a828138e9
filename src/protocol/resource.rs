//! The endpoints used after sign-in: userinfo (OpenID Connect Core §5.3), token
//! introspection (RFC 7662), token revocation (RFC 7009) and RP-initiated logout (OpenID
//! Connect RP-Initiated Logout 1.0). A failed protected-resource response is read through
//! its `WWW-Authenticate: Bearer` challenge (RFC 6750 §3, [`super::www_authenticate`]).
//!
//! Requests and responses use the plain HTTP data of [`super::http`]; error bodies are read
//! by the same [`error_from_response`] as at the token endpoint.

use super::http::{
    error_from_response, form_post, is_media_type, json_object_body, optional_string,
    provider_error_in, HttpRequest, HttpResponse, Method,
};
use super::json::Value;
use super::url::parse_http_url;
use super::www_authenticate::parse_www_authenticate;
use super::{form, Error};

// ---- errors at a protected resource --------------------------------------------------

/// The error a failed protected-resource response stands for: RFC 6750 §3.1, the `error`
/// of a `WWW-Authenticate: Bearer` (or `DPoP`, RFC 9449 §7.1) challenge (`invalid_token`,
/// `insufficient_scope`, …);
/// else the body's error, as at the token endpoint ([`error_from_response`]). A header that
/// cannot be read is passed over: the status already says the request failed.
fn resource_error(response: &HttpResponse<'_>) -> Error {
    response
        .www_authenticate
        .and_then(|h| parse_www_authenticate(h).ok().flatten())
        .and_then(|challenge| challenge.to_error())
        .unwrap_or_else(|| error_from_response(response))
}

// ---- userinfo ------------------------------------------------------------------------

const USERINFO: &str = "userinfo response";

/// RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`,
/// the only syntax a token may have in an `Authorization: Bearer` header (and `DPoP`'s
/// `token68`, RFC 9449 §7.1, is the same).
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// The `Authorization` header's value that sends `access_token`: `Bearer <token>` (RFC
/// 6750 §2.1), or `DPoP <token>` for a DPoP-bound one (`dpop`, RFC 9449 §7.1).
///
/// A token outside RFC 6750's `b64token` syntax cannot be sent in the header and is refused
/// with [`Error::InvalidParameter`] rather than passed to `fetch` (which would throw, or
/// worse, send a header the server splits differently).
pub fn authorization(access_token: &str, dpop: bool) -> Result<String, Error> {
    if !is_b64token(access_token) {
        return Err(Error::InvalidParameter {
            name: "access_token".to_owned(),
            problem: "cannot be sent in an Authorization header (RFC 6750 §2.1 b64token)",
        });
    }
    let mut value = String::from(if dpop { "DPoP " } else { "Bearer " });
    value.push_str(access_token);
    Ok(value)
}

/// OpenID Connect Core §5.3.1 with RFC 6750 §2.1: `GET` the userinfo endpoint with
/// `Authorization: Bearer <access token>` (`DPoP <access token>` when `dpop`, RFC 9449
/// §7.1; [`authorization`]) and `Accept: application/json`.
pub fn build_userinfo_request(
    userinfo_endpoint: &str,
    access_token: &str,
    dpop: bool,
) -> Result<HttpRequest, Error> {
    let authorization = authorization(access_token, dpop)?;
    Ok(HttpRequest {
        method: Method::Get,
        url: userinfo_endpoint.to_owned(),
        headers: vec![
            ("Authorization", authorization),
            ("Accept", "application/json".to_owned()),
        ],
        body: None,
    })
}

/// The userinfo claims, after [`process_userinfo_response`] checked that they are about the
/// user of the ID token. Only that function builds one.
#[derive(Debug, Clone, PartialEq)]
pub struct UserInfo {
    claims: Value,
}

impl UserInfo {
    /// `sub`, equal to the ID token's.
    pub fn sub(&self) -> &str {
        self.claims
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// Every claim, as the provider sent them (a JSON object).
    pub fn claims(&self) -> &Value {
        &self.claims
    }

    /// Every claim, owned.
    pub fn into_claims(self) -> Value {
        self.claims
    }
}

/// OpenID Connect Core §5.3.2 / §5.3.3: reads a userinfo response.
///
/// - A status other than 200 is the provider's error: the `WWW-Authenticate: Bearer`
///   challenge's (RFC 6750 §3.1), else the body's.
/// - A signed or encrypted userinfo (`application/jwt`) is refused: this library does not
///   verify it, and claims it cannot verify are not passed on as if they were plain JSON.
/// - Otherwise the body must be `application/json` holding an object.
/// - `sub` is required, a string, and exactly `expected_sub`, the validated ID token's
///   `sub`; otherwise [`Error::SubMismatch`], since the claims may be another user's
///   (token substitution).
pub fn process_userinfo_response(
    response: &HttpResponse<'_>,
    expected_sub: &str,
) -> Result<UserInfo, Error> {
    if response.status != 200 {
        return Err(resource_error(response));
    }
    if is_media_type(response.content_type, "application/jwt") {
        return Err(Error::InvalidResponse {
            context: USERINFO,
            problem: "is a signed or encrypted JWT (application/jwt), which is not supported",
        });
    }
    let claims = json_object_body(response, USERINFO)?;
    let sub = match claims.get("sub") {
        None => {
            // No claims at all: a provider error sent with 200 says more than "sub missing".
            return Err(
                provider_error_in(&claims).unwrap_or(Error::InvalidResponse {
                    context: USERINFO,
                    problem: "sub is missing",
                }),
            );
        }
        Some(sub) => sub.as_str().ok_or(Error::InvalidResponse {
            context: USERINFO,
            problem: "sub is not a string",
        })?,
    };
    if sub != expected_sub {
        return Err(Error::SubMismatch {
            problem: "the userinfo sub is not the ID token's sub (OpenID Connect Core §5.3.2)",
        });
    }
    Ok(UserInfo { claims })
}

// ---- introspection and revocation ----------------------------------------------------

/// `token_type_hint` for introspection (RFC 7662 §2.1; Okta also takes `id_token`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenTypeHint {
    /// `access_token`
    AccessToken,
    /// `refresh_token`
    RefreshToken,
    /// `id_token`
    IdToken,
}

impl TokenTypeHint {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenTypeHint::AccessToken => "access_token",
            TokenTypeHint::RefreshToken => "refresh_token",
            TokenTypeHint::IdToken => "id_token",
        }
    }

    /// Reads a hint an app gave; anything else is [`Error::InvalidParameter`].
    pub fn parse(value: &str) -> Result<TokenTypeHint, Error> {
        match value {
            "access_token" => Ok(TokenTypeHint::AccessToken),
            "refresh_token" => Ok(TokenTypeHint::RefreshToken),
            "id_token" => Ok(TokenTypeHint::IdToken),
            _ => Err(Error::InvalidParameter {
                name: "token_type_hint".to_owned(),
                problem: "must be access_token, refresh_token or id_token",
            }),
        }
    }
}

/// The tokens that can be revoked (RFC 7009 §2.1), as `token_type_hint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocableToken {
    /// `access_token`
    AccessToken,
    /// `refresh_token`
    RefreshToken,
}

impl RevocableToken {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            RevocableToken::AccessToken => "access_token",
            RevocableToken::RefreshToken => "refresh_token",
        }
    }
}

fn non_empty_token(token: &str) -> Result<(), Error> {
    if token.is_empty() {
        // An empty token would "succeed" at revocation (RFC 7009 §2.2) and hide the bug.
        return Err(Error::InvalidParameter {
            name: "token".to_owned(),
            problem: "is empty",
        });
    }
    Ok(())
}

/// RFC 7662 §2.1: a form `POST` of `token`, `token_type_hint` and `client_id`.
///
/// A public client authenticates by `client_id` in the body (RFC 6749 §2.3, §3.2.1). It
/// never sends `Authorization: Basic base64(client_id)`: without a `:password` part,
/// providers refuse that header as malformed.
pub fn build_introspect_request(
    introspection_endpoint: &str,
    client_id: &str,
    token: &str,
    token_type_hint: Option<TokenTypeHint>,
) -> Result<HttpRequest, Error> {
    non_empty_token(token)?;
    let mut pairs = vec![("token", token)];
    if let Some(hint) = token_type_hint {
        pairs.push(("token_type_hint", hint.as_str()));
    }
    pairs.push(("client_id", client_id));
    Ok(form_post(introspection_endpoint, &pairs))
}

/// An introspection answer that passed [`process_introspect_response`]. Only that function
/// builds one.
#[derive(Debug, Clone, PartialEq)]
pub struct Introspection {
    active: bool,
    scope: Option<String>,
    client_id: Option<String>,
    username: Option<String>,
    token_type: Option<String>,
    exp: Option<i64>,
    iat: Option<i64>,
    nbf: Option<i64>,
    sub: Option<String>,
    aud: Vec<String>,
    iss: Option<String>,
    jti: Option<String>,
    raw: Value,
}

impl Introspection {
    /// `active`: whether the provider considers the token usable right now. The only
    /// member to trust when deciding; the others describe an active token.
    pub fn active(&self) -> bool {
        self.active
    }

    /// `scope`, space-separated, as sent.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// `client_id`
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// `username`
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// `token_type`
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// `exp`, seconds since the epoch.
    pub fn exp(&self) -> Option<i64> {
        self.exp
    }

    /// `iat`, seconds since the epoch.
    pub fn iat(&self) -> Option<i64> {
        self.iat
    }

    /// `nbf`, seconds since the epoch.
    pub fn nbf(&self) -> Option<i64> {
        self.nbf
    }

    /// `sub`
    pub fn sub(&self) -> Option<&str> {
        self.sub.as_deref()
    }

    /// `aud`: one string or a list, always given as a list; empty when absent.
    pub fn aud(&self) -> &[String] {
        &self.aud
    }

    /// `iss`
    pub fn iss(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// `jti`
    pub fn jti(&self) -> Option<&str> {
        self.jti.as_deref()
    }

    /// The whole response object, with members this type does not name.
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}

const INTROSPECTION: &str = "introspection response";

/// RFC 7662 §2.2 / §2.3: reads an introspection response.
///
/// - A status other than 200, or a 200 whose body is an error object, is the provider's
///   error ([`error_from_response`]).
/// - The body must be `application/json` holding an object, with `active` a boolean.
/// - For an active token the members of §2.2 must have their types: `scope`, `client_id`,
///   `username`, `token_type`, `sub`, `iss`, `jti` strings; `exp`, `iat`, `nbf` integers;
///   `aud` a string or an array of strings.
/// - For an inactive token the other members are not read (§2.2: the server SHOULD NOT
///   send them, and they say nothing about a dead token), so a stray one cannot turn
///   "inactive" into an error.
pub fn process_introspect_response(response: &HttpResponse<'_>) -> Result<Introspection, Error> {
    if response.status != 200 {
        return Err(resource_error(response));
    }
    let raw = json_object_body(response, INTROSPECTION)?;
    if let Some(error) = provider_error_in(&raw) {
        return Err(error);
    }
    let invalid = |problem| Error::InvalidResponse {
        context: INTROSPECTION,
        problem,
    };
    let active = match raw.get("active") {
        None => return Err(invalid("active is missing")),
        Some(v) => v.as_bool().ok_or(invalid("active is not a boolean"))?,
    };
    let mut info = Introspection {
        active,
        scope: None,
        client_id: None,
        username: None,
        token_type: None,
        exp: None,
        iat: None,
        nbf: None,
        sub: None,
        aud: Vec::new(),
        iss: None,
        jti: None,
        raw: Value::Null,
    };
    if active {
        let string = |name, problem| {
            optional_string(&raw, name, invalid(problem)).map(|s| s.map(str::to_owned))
        };
        let integer = |name, problem| match raw.get(name) {
            None => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or(invalid(problem)),
        };
        info.scope = string("scope", "scope is not a string")?;
        info.client_id = string("client_id", "client_id is not a string")?;
        info.username = string("username", "username is not a string")?;
        info.token_type = string("token_type", "token_type is not a string")?;
        info.exp = integer("exp", "exp is not an integer")?;
        info.iat = integer("iat", "iat is not an integer")?;
        info.nbf = integer("nbf", "nbf is not an integer")?;
        info.sub = string("sub", "sub is not a string")?;
        info.iss = string("iss", "iss is not a string")?;
        info.jti = string("jti", "jti is not a string")?;
        info.aud = match raw.get("aud") {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or(invalid("aud is not a string or an array of strings"))?,
            Some(_) => return Err(invalid("aud is not a string or an array of strings")),
        };
    }
    info.raw = raw;
    Ok(info)
}

/// RFC 7009 §2.1: a form `POST` of `token`, `token_type_hint` and `client_id`, the public
/// client authenticating by `client_id` in the body, never by a `Basic` header (see
/// [`build_introspect_request`]).
pub fn build_revoke_request(
    revocation_endpoint: &str,
    client_id: &str,
    token: &str,
    token_type_hint: RevocableToken,
) -> Result<HttpRequest, Error> {
    non_empty_token(token)?;
    Ok(form_post(
        revocation_endpoint,
        &[
            ("token", token),
            ("token_type_hint", token_type_hint.as_str()),
            ("client_id", client_id),
        ],
    ))
}

/// RFC 7009 §2.2: 200 means revoked, or already invalid, whatever the body; the body is
/// not read. Any other status is the provider's error (§2.2.1: `unsupported_token_type`,
/// or `invalid_client`, … as in RFC 6749 §5.2), else [`Error::UnexpectedStatus`] (a 503
/// asks to retry later).
pub fn process_revoke_response(response: &HttpResponse<'_>) -> Result<(), Error> {
    if response.status == 200 {
        Ok(())
    } else {
        Err(resource_error(response))
    }
}

// ---- RP-initiated logout -------------------------------------------------------------

/// OpenID Connect RP-Initiated Logout 1.0 §2: the URL to navigate the browser to.
///
/// Parameters, each only when given: `id_token_hint`, `client_id`,
/// `post_logout_redirect_uri`, `state`. They are appended to `end_session_endpoint` with
/// `?`, or `&` when it already has a query.
///
/// Decisions where the spec leaves a choice:
/// - `client_id` is sent exactly when `id_token_hint` is not. §2 names this case ("to
///   specify the Client Identifier when post_logout_redirect_uri is used and id_token_hint
///   is not") so the provider knows which client's registered URIs to check; with an ID
///   token it is redundant. Note that Okta documents `id_token_hint` as required: without
///   one it shows its own error page instead of redirecting, so pass the stored ID token
///   even if it has expired (§2 allows an expired one).
/// - `state` without `post_logout_redirect_uri` is refused ([`Error::InvalidParameter`]):
///   it is only ever returned to that URI, so the app could not get it back.
/// - The endpoint must be an absolute `https` URL (plain `http` on loopback only) without a
///   `#fragment`, and `post_logout_redirect_uri` an absolute `http(s)` URL: the result is
///   navigated to, so it must not become a `javascript:` or relative URL.
pub fn build_end_session_url(
    end_session_endpoint: &str,
    client_id: &str,
    id_token_hint: Option<&str>,
    post_logout_redirect_uri: Option<&str>,
    state: Option<&str>,
) -> Result<String, Error> {
    let invalid = |name: &str, problem| Error::InvalidParameter {
        name: name.to_owned(),
        problem,
    };
    let endpoint = parse_http_url(end_session_endpoint)
        .map_err(|_| invalid("end_session_endpoint", "must be an absolute http(s) URL"))?;
    if !endpoint.is_https() && !endpoint.is_loopback() {
        return Err(invalid(
            "end_session_endpoint",
            "must use https (plain http only on loopback)",
        ));
    }
    if endpoint.fragment.is_some() {
        return Err(invalid("end_session_endpoint", "must not have a #fragment"));
    }
    if let Some(uri) = post_logout_redirect_uri {
        if parse_http_url(uri).is_err() {
            return Err(invalid(
                "post_logout_redirect_uri",
                "must be an absolute http(s) URL",
            ));
        }
    }
    if state.is_some() && post_logout_redirect_uri.is_none() {
        return Err(invalid(
            "state",
            "is only returned to a post_logout_redirect_uri, and none is given",
        ));
    }

    let mut pairs: Vec<(&str, &str)> = Vec::new();
    match id_token_hint {
        Some(hint) => pairs.push(("id_token_hint", hint)),
        None => pairs.push(("client_id", client_id)),
    }
    if let Some(uri) = post_logout_redirect_uri {
        pairs.push(("post_logout_redirect_uri", uri));
    }
    if let Some(state) = state {
        pairs.push(("state", state));
    }

    let mut url = String::from(end_session_endpoint);
    match endpoint.query {
        None => url.push('?'),
        Some(q) if q.is_empty() || q.ends_with('&') => {}
        Some(_) => url.push('&'),
    }
    url.push_str(&form::serialize(pairs));
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::json;
    use crate::protocol::testing::{mutations, random_inputs};

    fn json_response(status: u16, body: &str) -> HttpResponse<'_> {
        HttpResponse {
            status,
            content_type: Some("application/json"),
            www_authenticate: None,
            body: body.as_bytes(),
        }
    }

    // ---- userinfo

    const USERINFO_OK: &str = r#"{"sub":"00uid4BxXw6I6TV4m0g3","name":"John Doe","email":"john.doe@example.com","email_verified":true}"#;

    #[test]
    fn userinfo_request_is_a_get_with_a_bearer_header() {
        let req = build_userinfo_request(
            "https://dev-1.okta.com/oauth2/default/v1/userinfo",
            "mF_9.B5f-4.1JqM",
            false,
        )
        .unwrap();
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url, "https://dev-1.okta.com/oauth2/default/v1/userinfo");
        assert_eq!(req.header("Authorization"), Some("Bearer mF_9.B5f-4.1JqM"));
        assert_eq!(req.header("Accept"), Some("application/json"));
        assert_eq!(req.body, None);
    }

    #[test]
    fn userinfo_request_sends_a_dpop_bound_token_with_the_dpop_scheme() {
        let req =
            build_userinfo_request("https://x.example/userinfo", "Kz~8mXK1EalY", true).unwrap();
        assert_eq!(req.header("Authorization"), Some("DPoP Kz~8mXK1EalY"));
        assert_eq!(authorization("a.b", false).unwrap(), "Bearer a.b");
        assert!(authorization("a b", true).is_err());
    }

    #[test]
    fn rejects_bearer_token_that_could_inject_a_header() {
        for bad in ["a\r\nX-Evil: 1", "a b", "", "==", "a=b"] {
            assert_eq!(
                build_userinfo_request("https://x.example/userinfo", bad, false).unwrap_err(),
                Error::InvalidParameter {
                    name: "access_token".into(),
                    problem: "cannot be sent in an Authorization header (RFC 6750 §2.1 b64token)"
                },
                "{bad:?}"
            );
        }
    }

    #[test]
    fn accepts_padded_b64token() {
        assert!(build_userinfo_request("https://x.example/userinfo", "abc+/==", false).is_ok());
    }

    #[test]
    fn reads_userinfo_for_the_expected_sub() {
        let u = process_userinfo_response(&json_response(200, USERINFO_OK), "00uid4BxXw6I6TV4m0g3")
            .unwrap();
        assert_eq!(u.sub(), "00uid4BxXw6I6TV4m0g3");
        assert_eq!(
            u.claims().get("email").and_then(Value::as_str),
            Some("john.doe@example.com")
        );
        assert_eq!(
            u.into_claims(),
            json::parse(USERINFO_OK.as_bytes()).unwrap()
        );
    }

    #[test]
    fn rejects_userinfo_when_sub_differs_from_the_id_token() {
        assert_eq!(
            process_userinfo_response(&json_response(200, USERINFO_OK), "00uOTHER"),
            Err(Error::SubMismatch {
                problem: "the userinfo sub is not the ID token's sub (OpenID Connect Core §5.3.2)"
            })
        );
    }

    #[test]
    fn rejects_userinfo_sub_that_differs_only_in_case() {
        assert_eq!(
            process_userinfo_response(&json_response(200, USERINFO_OK), "00UID4BXXW6I6TV4M0G3"),
            Err(Error::SubMismatch {
                problem: "the userinfo sub is not the ID token's sub (OpenID Connect Core §5.3.2)"
            })
        );
    }

    #[test]
    fn rejects_userinfo_without_sub() {
        assert_eq!(
            process_userinfo_response(&json_response(200, r#"{"name":"x"}"#), "s"),
            Err(Error::InvalidResponse {
                context: "userinfo response",
                problem: "sub is missing"
            })
        );
    }

    #[test]
    fn rejects_userinfo_sub_that_is_not_a_string() {
        assert_eq!(
            process_userinfo_response(&json_response(200, r#"{"sub":1}"#), "1"),
            Err(Error::InvalidResponse {
                context: "userinfo response",
                problem: "sub is not a string"
            })
        );
    }

    #[test]
    fn rejects_signed_userinfo() {
        let mut r = json_response(200, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        r.content_type = Some("application/jwt; charset=utf-8");
        assert_eq!(
            process_userinfo_response(&r, "s"),
            Err(Error::InvalidResponse {
                context: "userinfo response",
                problem: "is a signed or encrypted JWT (application/jwt), which is not supported"
            })
        );
    }

    #[test]
    fn rejects_userinfo_that_is_not_json_content_type() {
        let mut r = json_response(200, USERINFO_OK);
        r.content_type = Some("text/plain");
        assert_eq!(
            process_userinfo_response(&r, "00uid4BxXw6I6TV4m0g3"),
            Err(Error::InvalidResponse {
                context: "userinfo response",
                problem: "Content-Type is not application/json"
            })
        );
    }

    #[test]
    fn rejects_userinfo_that_is_not_an_object() {
        assert_eq!(
            process_userinfo_response(&json_response(200, r#""00u1""#), "00u1")
                .unwrap_err()
                .code(),
            "invalid_response"
        );
    }

    #[test]
    fn reads_expired_token_from_userinfo_www_authenticate() {
        // Okta's userinfo answers 401 with the error in the header and no body.
        let r = HttpResponse {
            status: 401,
            content_type: None,
            www_authenticate: Some(
                r#"Bearer authorization_uri="https://dev-1.okta.com/oauth2/v1/authorize", realm="https://dev-1.okta.com", scope="openid", error="invalid_token", error_description="The access token is invalid.", resource="/oauth2/v1/userinfo""#,
            ),
            body: b"",
        };
        let err = process_userinfo_response(&r, "s").unwrap_err();
        assert_eq!(
            err,
            Error::Provider {
                error: "invalid_token".into(),
                description: Some("The access token is invalid.".into())
            }
        );
        assert_eq!(err.code(), "invalid_token");
    }

    #[test]
    fn reads_invalid_token_from_a_dpop_challenge_as_from_a_bearer_one() {
        // RFC 9449 §7.1: a DPoP-bound token refused at the resource.
        let r = HttpResponse {
            status: 401,
            content_type: None,
            www_authenticate: Some(r#"DPoP algs="ES256", error="invalid_token""#),
            body: b"",
        };
        let err = process_userinfo_response(&r, "s").unwrap_err();
        assert_eq!(
            err,
            Error::Provider {
                error: "invalid_token".into(),
                description: None
            }
        );
        assert_eq!(err.code(), "invalid_token");
    }

    #[test]
    fn reads_insufficient_scope_from_403_www_authenticate() {
        let r = HttpResponse {
            status: 403,
            content_type: None,
            www_authenticate: Some(r#"Bearer error="insufficient_scope", scope="openid""#),
            body: b"",
        };
        assert_eq!(
            process_userinfo_response(&r, "s").unwrap_err().code(),
            "insufficient_scope"
        );
    }

    #[test]
    fn falls_back_to_the_body_when_the_challenge_has_no_error() {
        let mut r = json_response(
            401,
            r#"{"errorCode":"invalid_client","errorSummary":"Invalid value for 'client_id' parameter."}"#,
        );
        r.www_authenticate = Some(r#"Bearer realm="x""#);
        assert_eq!(
            process_userinfo_response(&r, "s"),
            Err(Error::Provider {
                error: "invalid_client".into(),
                description: Some("Invalid value for 'client_id' parameter.".into())
            })
        );
    }

    #[test]
    fn passes_over_a_malformed_challenge_and_reports_the_status() {
        let r = HttpResponse {
            status: 401,
            content_type: None,
            www_authenticate: Some(r#"Bearer error="invalid_token"#),
            body: b"",
        };
        assert_eq!(
            process_userinfo_response(&r, "s"),
            Err(Error::UnexpectedStatus { status: 401 })
        );
    }

    #[test]
    fn process_userinfo_response_never_panics() {
        let mut inputs = mutations(USERINFO_OK.as_bytes(), 2000);
        inputs.extend(random_inputs(2000, 256));
        for body in &inputs {
            for status in [200, 401] {
                let r = HttpResponse {
                    status,
                    content_type: Some("application/json"),
                    www_authenticate: Some("Bearer error=\"invalid_token\""),
                    body,
                };
                let _ = process_userinfo_response(&r, "00uid4BxXw6I6TV4m0g3");
            }
        }
    }

    // ---- introspection

    /// RFC 7662 §2.2, the example response.
    const RFC7662_ACTIVE: &str = r#"{"active":true,"client_id":"l238j323ds-23ij4","username":"jdoe","scope":"read write dolphin","sub":"Z5O3upPC88QrAjx00dis","aud":"https://protected.example.net/resource","iss":"https://server.example.com/","exp":1419356238,"iat":1419350238,"extension_field":"twenty-seven"}"#;

    fn introspect(body: &str) -> Result<Introspection, Error> {
        process_introspect_response(&json_response(200, body))
    }

    fn introspect_problem(body: &str) -> &'static str {
        match introspect(body) {
            Err(Error::InvalidResponse {
                context: "introspection response",
                problem,
            }) => problem,
            other => panic!("{body}: expected invalid_response, got {other:?}"),
        }
    }

    #[test]
    fn introspect_request_posts_token_hint_and_client_id_without_basic_auth() {
        let req = build_introspect_request(
            "https://dev-1.okta.com/oauth2/default/v1/introspect",
            "0oa1spa",
            "mF_9.B5f-4.1JqM",
            Some(TokenTypeHint::AccessToken),
        )
        .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.header("Accept"), Some("application/json"));
        assert_eq!(req.header("Authorization"), None);
        assert_eq!(
            req.body.as_deref(),
            Some("token=mF_9.B5f-4.1JqM&token_type_hint=access_token&client_id=0oa1spa")
        );
    }

    #[test]
    fn introspect_request_omits_absent_hint() {
        let req = build_introspect_request("https://x.example/i", "c", "t", None).unwrap();
        assert_eq!(req.body.as_deref(), Some("token=t&client_id=c"));
    }

    #[test]
    fn rejects_introspect_request_with_empty_token() {
        assert_eq!(
            build_introspect_request("https://x.example/i", "c", "", None).unwrap_err(),
            Error::InvalidParameter {
                name: "token".into(),
                problem: "is empty"
            }
        );
    }

    #[test]
    fn reads_token_type_hints() {
        for h in [
            TokenTypeHint::AccessToken,
            TokenTypeHint::RefreshToken,
            TokenTypeHint::IdToken,
        ] {
            assert_eq!(TokenTypeHint::parse(h.as_str()), Ok(h));
        }
        assert_eq!(
            TokenTypeHint::parse("Access_Token").unwrap_err().code(),
            "invalid_parameter"
        );
    }

    #[test]
    fn reads_the_rfc7662_example_response() {
        let i = introspect(RFC7662_ACTIVE).unwrap();
        assert!(i.active());
        assert_eq!(i.client_id(), Some("l238j323ds-23ij4"));
        assert_eq!(i.username(), Some("jdoe"));
        assert_eq!(i.scope(), Some("read write dolphin"));
        assert_eq!(i.sub(), Some("Z5O3upPC88QrAjx00dis"));
        assert_eq!(i.aud(), ["https://protected.example.net/resource"]);
        assert_eq!(i.iss(), Some("https://server.example.com/"));
        assert_eq!(i.exp(), Some(1_419_356_238));
        assert_eq!(i.iat(), Some(1_419_350_238));
        assert_eq!(i.nbf(), None);
        assert_eq!(i.token_type(), None);
        assert_eq!(i.jti(), None);
        assert_eq!(
            i.raw().get("extension_field").and_then(Value::as_str),
            Some("twenty-seven")
        );
    }

    #[test]
    fn reads_aud_given_as_a_list() {
        let i = introspect(r#"{"active":true,"aud":["a","b"]}"#).unwrap();
        assert_eq!(i.aud(), ["a", "b"]);
    }

    #[test]
    fn reads_inactive_token_without_reading_other_members() {
        // RFC 7662 §2.2 example of an inactive token, plus a stray member of the wrong type.
        let i = introspect(r#"{"active":false,"exp":"soon"}"#).unwrap();
        assert!(!i.active());
        assert_eq!(i.exp(), None);
        assert_eq!(i.aud(), [] as [String; 0]);
    }

    #[test]
    fn rejects_introspection_without_active() {
        assert_eq!(introspect_problem(r#"{"sub":"x"}"#), "active is missing");
    }

    #[test]
    fn rejects_active_that_is_not_a_boolean() {
        assert_eq!(
            introspect_problem(r#"{"active":"true"}"#),
            "active is not a boolean"
        );
    }

    #[test]
    fn rejects_active_token_with_exp_that_is_not_an_integer() {
        assert_eq!(
            introspect_problem(r#"{"active":true,"exp":"1419356238"}"#),
            "exp is not an integer"
        );
    }

    #[test]
    fn rejects_active_token_with_scope_that_is_not_a_string() {
        assert_eq!(
            introspect_problem(r#"{"active":true,"scope":["read"]}"#),
            "scope is not a string"
        );
    }

    #[test]
    fn rejects_active_token_with_aud_list_holding_a_non_string() {
        assert_eq!(
            introspect_problem(r#"{"active":true,"aud":["a",1]}"#),
            "aud is not a string or an array of strings"
        );
    }

    #[test]
    fn rejects_introspection_that_is_not_json_content_type() {
        let mut r = json_response(200, RFC7662_ACTIVE);
        r.content_type = Some("text/html");
        assert_eq!(
            process_introspect_response(&r).unwrap_err().code(),
            "invalid_response"
        );
    }

    #[test]
    fn reads_introspection_error_body() {
        let r = json_response(
            401,
            r#"{"error":"invalid_client","error_description":"No client credentials found."}"#,
        );
        assert_eq!(
            process_introspect_response(&r),
            Err(Error::Provider {
                error: "invalid_client".into(),
                description: Some("No client credentials found.".into())
            })
        );
    }

    #[test]
    fn treats_introspection_error_object_with_status_200_as_an_error() {
        assert_eq!(
            introspect(r#"{"error":"invalid_request","active":false}"#)
                .unwrap_err()
                .code(),
            "invalid_request"
        );
    }

    #[test]
    fn process_introspect_response_never_panics() {
        let mut inputs = mutations(RFC7662_ACTIVE.as_bytes(), 2000);
        inputs.extend(random_inputs(2000, 256));
        for body in &inputs {
            for status in [200, 400] {
                let r = HttpResponse {
                    status,
                    content_type: Some("application/json"),
                    www_authenticate: None,
                    body,
                };
                let _ = process_introspect_response(&r);
            }
        }
    }

    // ---- revocation

    #[test]
    fn revoke_request_posts_token_hint_and_client_id_without_basic_auth() {
        let req = build_revoke_request(
            "https://dev-1.okta.com/oauth2/default/v1/revoke",
            "0oa1spa",
            "tGzv3JOkF0XG5Qx2TlKWIA",
            RevocableToken::RefreshToken,
        )
        .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://dev-1.okta.com/oauth2/default/v1/revoke");
        assert_eq!(req.header("Authorization"), None);
        assert_eq!(
            req.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            req.body.as_deref(),
            Some("token=tGzv3JOkF0XG5Qx2TlKWIA&token_type_hint=refresh_token&client_id=0oa1spa")
        );
        let req =
            build_revoke_request("https://x.example/r", "c", "t", RevocableToken::AccessToken)
                .unwrap();
        assert_eq!(
            req.body.as_deref(),
            Some("token=t&token_type_hint=access_token&client_id=c")
        );
    }

    #[test]
    fn rejects_revoke_request_with_empty_token() {
        assert_eq!(
            build_revoke_request("https://x.example/r", "c", "", RevocableToken::AccessToken)
                .unwrap_err()
                .code(),
            "invalid_parameter"
        );
    }

    #[test]
    fn revocation_succeeds_on_200_whatever_the_body() {
        for body in ["", "not json", r#"{"error":"ignored"}"#] {
            let r = HttpResponse {
                status: 200,
                content_type: None,
                www_authenticate: None,
                body: body.as_bytes(),
            };
            assert_eq!(process_revoke_response(&r), Ok(()), "{body}");
        }
    }

    #[test]
    fn reads_unsupported_token_type_from_revocation() {
        let r = json_response(400, r#"{"error":"unsupported_token_type"}"#);
        let err = process_revoke_response(&r).unwrap_err();
        assert_eq!(err.oauth_error(), Some("unsupported_token_type"));
        assert_eq!(err.code(), "provider_error");
    }

    #[test]
    fn reports_revocation_503_as_unexpected_status() {
        let r = json_response(503, "");
        assert_eq!(
            process_revoke_response(&r),
            Err(Error::UnexpectedStatus { status: 503 })
        );
    }

    // ---- end session

    const LOGOUT: &str = "https://dev-1.okta.com/oauth2/default/v1/logout";

    #[test]
    fn end_session_url_carries_hint_redirect_and_state() {
        let url = build_end_session_url(
            LOGOUT,
            "0oa1spa",
            Some("eyJ.eyJ.sig"),
            Some("https://app.example/?signed=out"),
            Some("af0ifjsldkj"),
        )
        .unwrap();
        assert_eq!(
            url,
            "https://dev-1.okta.com/oauth2/default/v1/logout?id_token_hint=eyJ.eyJ.sig\
             &post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F%3Fsigned%3Dout&state=af0ifjsldkj"
        );
    }

    #[test]
    fn end_session_url_sends_client_id_when_there_is_no_id_token_hint() {
        let url =
            build_end_session_url(LOGOUT, "0oa1spa", None, Some("https://app.example/"), None)
                .unwrap();
        assert_eq!(
            url,
            "https://dev-1.okta.com/oauth2/default/v1/logout?client_id=0oa1spa\
             &post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F"
        );
    }

    #[test]
    fn end_session_url_appends_to_an_existing_query() {
        let cases = [
            (
                "https://idp.example/logout?tenant=a",
                "https://idp.example/logout?tenant=a&id_token_hint=t",
            ),
            (
                "https://idp.example/logout?",
                "https://idp.example/logout?id_token_hint=t",
            ),
            (
                "https://idp.example/logout?tenant=a&",
                "https://idp.example/logout?tenant=a&id_token_hint=t",
            ),
        ];
        for (endpoint, want) in cases {
            assert_eq!(
                build_end_session_url(endpoint, "c", Some("t"), None, None).unwrap(),
                want
            );
        }
    }

    #[test]
    fn rejects_end_session_state_without_post_logout_redirect_uri() {
        assert_eq!(
            build_end_session_url(LOGOUT, "c", Some("t"), None, Some("s")).unwrap_err(),
            Error::InvalidParameter {
                name: "state".into(),
                problem: "is only returned to a post_logout_redirect_uri, and none is given"
            }
        );
    }

    #[test]
    fn rejects_end_session_endpoint_that_is_not_an_http_url() {
        for bad in ["javascript://x/%0aalert(1)", "/logout", ""] {
            match build_end_session_url(bad, "c", Some("t"), None, None) {
                Err(Error::InvalidParameter { name, .. }) => {
                    assert_eq!(name, "end_session_endpoint", "{bad:?}")
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn rejects_plain_http_end_session_endpoint_on_a_public_host() {
        assert_eq!(
            build_end_session_url("http://idp.example/logout", "c", Some("t"), None, None)
                .unwrap_err(),
            Error::InvalidParameter {
                name: "end_session_endpoint".into(),
                problem: "must use https (plain http only on loopback)"
            }
        );
        assert!(
            build_end_session_url("http://127.0.0.1:4000/logout", "c", Some("t"), None, None)
                .is_ok()
        );
    }

    #[test]
    fn rejects_end_session_endpoint_with_fragment() {
        assert_eq!(
            build_end_session_url("https://idp.example/logout#x", "c", Some("t"), None, None)
                .unwrap_err(),
            Error::InvalidParameter {
                name: "end_session_endpoint".into(),
                problem: "must not have a #fragment"
            }
        );
    }

    #[test]
    fn build_end_session_url_never_panics() {
        let seed = b"https://u@[::1]:443/logout?tenant=a&x=[y]#f";
        let mut inputs = mutations(seed, 2000);
        inputs.extend(random_inputs(2000, 256));
        for bytes in &inputs {
            let s = String::from_utf8_lossy(bytes);
            let _ = build_end_session_url(&s, "c", Some(&s), Some(&s), Some("st"));
            let _ = build_end_session_url(LOGOUT, &s, None, Some(&s), None);
        }
    }

    #[test]
    fn rejects_post_logout_redirect_uri_that_is_not_an_http_url() {
        for bad in ["javascript://x/%0aalert(1)", "/after-logout"] {
            assert_eq!(
                build_end_session_url(LOGOUT, "c", Some("t"), Some(bad), None).unwrap_err(),
                Error::InvalidParameter {
                    name: "post_logout_redirect_uri".into(),
                    problem: "must be an absolute http(s) URL"
                },
                "{bad:?}"
            );
        }
    }
}
