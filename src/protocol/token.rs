//! The token endpoint: exchanging an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.5),
//! refreshing (RFC 6749 §6), and reading the answer (RFC 6749 §5.1, §5.2).
//!
//! Requests and responses use the plain HTTP data of [`super::http`]; error bodies are read
//! by its [`error_from_response`], as at every endpoint.

use super::http::{
    error_from_response, form_post, json_object_body, optional_string, provider_error_in,
    HttpRequest, HttpResponse,
};
use super::json::Value;
use super::syntax::{check_scope_list, is_scope_token};
use super::Error;

/// What [`Error::InvalidResponse`] names when a token response is unusable.
const CONTEXT: &str = "token response";

// ---- requests ------------------------------------------------------------------------

/// RFC 6749 §4.1.3 with RFC 7636 §4.5: the authorization code exchange, as a public client
/// identified by `client_id` in the body (RFC 6749 §3.2.1).
///
/// The inputs come from values already checked: the endpoint from the validated
/// configuration or discovery, `code` from a validated response
/// ([`ValidatedResponse`](super::response::ValidatedResponse)), `redirect_uri` from the
/// configuration (it must be identical to the authorize request's, §4.1.3), and
/// `code_verifier` from `generate_pkce`. Everything is form-encoded, so no value can
/// change the request's shape.
pub fn build_authorization_code_request(
    token_endpoint: &str,
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    code_verifier: &str,
) -> HttpRequest {
    form_post(
        token_endpoint,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier),
            ("client_id", client_id),
        ],
    )
}

/// RFC 6749 §6: a refresh, as a public client identified by `client_id`.
///
/// `scope`, if given, asks for a narrower set than was granted; it must be one or more
/// scope tokens (RFC 6749 §3.3), each once. Whether they are within the original grant is
/// the provider's to judge (`invalid_scope`): the original grant is not always known here,
/// since a token response may omit `scope` when it equals the request (§5.1).
pub fn build_refresh_token_request(
    token_endpoint: &str,
    client_id: &str,
    refresh_token: &str,
    scope: Option<&[&str]>,
) -> Result<HttpRequest, Error> {
    if refresh_token.is_empty() {
        return Err(Error::InvalidParameter {
            name: "refresh_token".to_owned(),
            problem: "is empty",
        });
    }
    let joined = match scope {
        None => None,
        Some(scopes) => Some(join_scopes(scopes)?),
    };
    let mut pairs = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    if let Some(joined) = &joined {
        pairs.push(("scope", joined));
    }
    pairs.push(("client_id", client_id));
    Ok(form_post(token_endpoint, &pairs))
}

fn join_scopes(scopes: &[&str]) -> Result<String, Error> {
    check_scope_list(scopes).map_err(|problem| Error::InvalidParameter {
        name: "scope".to_owned(),
        problem,
    })?;
    Ok(scopes.join(" "))
}

// ---- the response --------------------------------------------------------------------

/// A successful token response that passed every check of [`process_token_response`].
/// Only that function builds one.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenResponse {
    access_token: String,
    token_type: String,
    expires_in: Option<u64>,
    scope: Option<String>,
    refresh_token: Option<String>,
    id_token: Option<String>,
    dpop_jkt: Option<String>,
}

impl TokenResponse {
    /// `access_token`: non-empty, printable ASCII (RFC 6749 Appendix A.12).
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// `token_type` as sent: `Bearer` in some letter case, or `DPoP` when asked for.
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// `expires_in`, in seconds, if sent (RFC 6749 §5.1 only recommends it).
    pub fn expires_in(&self) -> Option<u64> {
        self.expires_in
    }

    /// When the access token expires: `now` (when the response arrived) plus `expires_in`.
    pub fn expires_at(&self, now: i64) -> Option<i64> {
        self.expires_in
            .map(|s| now.saturating_add(i64::try_from(s).unwrap_or(i64::MAX)))
    }

    /// `scope` exactly as sent. Absent means the granted scope is the requested one
    /// (RFC 6749 §5.1).
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// `scope` as a list of scope tokens; `None` when `scope` was not sent.
    pub fn scopes(&self) -> Option<Vec<&str>> {
        self.scope.as_deref().map(|s| s.split(' ').collect())
    }

    /// `refresh_token`, if one was issued: non-empty, printable ASCII (RFC 6749 Appendix A.17).
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// `id_token`, if one was issued (OpenID Connect Core §3.1.3.3). Not yet validated:
    /// its signature and claims are checked by the `jwt` and `id_token` modules.
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }

    /// The thumbprint of the DPoP key the access token is bound to (RFC 9449 §5), when the
    /// request carried a proof by it: the caller's, never the provider's.
    pub fn dpop_jkt(&self) -> Option<&str> {
        self.dpop_jkt.as_deref()
    }
}

// Tokens are credentials: keep them out of logs and panic messages.
impl core::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// RFC 6749 §5.1 / §5.2: reads a token endpoint response.
///
/// - A status other than 200, or a 200 whose body is an error object, is the provider's
///   error ([`error_from_response`] / [`provider_error_in`]).
/// - The body must be `application/json` holding an object (§5.1).
/// - `token_type` is required and compared without regard to case. Without `dpop_jkt`
///   it must be `Bearer` (§5.1, RFC 6750 §4): a `DPoP` token is useless without a proof
///   key, and an unknown type has rules this library cannot follow. With `dpop_jkt` (the
///   request carried a proof by that key) it must be `DPoP` (RFC 9449 §5), else
///   [`Error::DpopNotBound`]: a bearer token where a bound one was asked for is refused.
/// - `access_token` is required: a non-empty string of printable ASCII (Appendix A.12).
/// - `expires_in`, if present, is a non-negative whole number, given as a JSON number or as
///   a string of digits (Okta and others send either; Appendix A.14 `1*DIGIT`).
/// - `scope`, if present, is scope tokens separated by single spaces (§3.3).
/// - `refresh_token` (Appendix A.17) and `id_token`, if present, are non-empty strings;
///   `null` is not "absent" but a wrong type.
pub fn process_token_response(
    response: &HttpResponse<'_>,
    dpop_jkt: Option<&str>,
) -> Result<TokenResponse, Error> {
    if response.status != 200 {
        return Err(error_from_response(response));
    }
    let body = json_object_body(response, CONTEXT)?;
    if let Some(error) = provider_error_in(&body) {
        return Err(error);
    }
    let invalid = |problem| Error::InvalidResponse {
        context: CONTEXT,
        problem,
    };

    let token_type = match body.get("token_type") {
        None => return Err(invalid("token_type is missing")),
        Some(v) => v.as_str().ok_or(invalid("token_type is not a string"))?,
    };
    match dpop_jkt {
        None if !token_type.eq_ignore_ascii_case("Bearer") => {
            return Err(invalid(NOT_BEARER));
        }
        Some(_) if !token_type.eq_ignore_ascii_case("DPoP") => {
            return Err(Error::DpopNotBound {
                token_type: token_type.to_owned(),
            });
        }
        _ => {}
    }

    let access_token = match body.get("access_token") {
        None => return Err(invalid("access_token is missing")),
        Some(v) => v.as_str().ok_or(invalid("access_token is not a string"))?,
    };
    if !is_vschar_string(access_token) {
        return Err(invalid(
            "access_token is empty or not printable ASCII (RFC 6749 Appendix A.12)",
        ));
    }

    let expires_in = match body.get("expires_in") {
        None => None,
        Some(v) => Some(read_expires_in(v).ok_or(invalid(
            "expires_in is not a non-negative whole number of seconds",
        ))?),
    };

    let scope = optional_string(&body, "scope", invalid("scope is not a string"))?;
    if let Some(scope) = scope {
        if !scope.split(' ').all(is_scope_token) {
            return Err(invalid(
                "scope is not scope tokens separated by single spaces (RFC 6749 §3.3)",
            ));
        }
    }

    let refresh_token = optional_string(
        &body,
        "refresh_token",
        invalid("refresh_token is not a string"),
    )?;
    if refresh_token.is_some_and(|t| !is_vschar_string(t)) {
        return Err(invalid(
            "refresh_token is empty or not printable ASCII (RFC 6749 Appendix A.17)",
        ));
    }

    let id_token = optional_string(&body, "id_token", invalid("id_token is not a string"))?;
    if id_token == Some("") {
        return Err(invalid("id_token is empty"));
    }

    Ok(TokenResponse {
        access_token: access_token.to_owned(),
        token_type: token_type.to_owned(),
        expires_in,
        scope: scope.map(str::to_owned),
        refresh_token: refresh_token.map(str::to_owned),
        id_token: id_token.map(str::to_owned),
        dpop_jkt: dpop_jkt.map(str::to_owned),
    })
}

const NOT_BEARER: &str =
    "token_type is not Bearer (a DPoP token needs dpop: true; other types are not supported)";

/// RFC 6749 Appendix A: `1*VSCHAR`, `VSCHAR = %x20-7E`.
fn is_vschar_string(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// RFC 6749 §5.1 / Appendix A.14: a number, or a string of 1 to 16 ASCII digits, no larger
/// than 2^53 so that JavaScript holds it exactly.
fn read_expires_in(value: &Value) -> Option<u64> {
    const LIMIT: u64 = 1 << 53;
    let n = match value {
        Value::Number(_) => u64::try_from(value.as_i64()?).ok()?,
        Value::String(s) => {
            if s.is_empty() || s.len() > 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse::<u64>().ok()?
        }
        _ => return None,
    };
    (n <= LIMIT).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::http::Method;
    use crate::protocol::json;
    use crate::protocol::testing::{mutations, random_inputs};

    /// RFC 6750 §4, the example token response.
    const RFC6750_EXAMPLE: &str = r#"{"access_token":"mF_9.B5f-4.1JqM","token_type":"Bearer","expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"}"#;

    /// The shape of an Okta authorization-code token response.
    const OKTA_OK: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"eyJraWQiOiJrMSJ9.eyJzdWIiOiIwMHUxIn0.c2ln","scope":"openid profile email offline_access","refresh_token":"a9VpZDRCeFh3Nkk2VdY","id_token":"eyJraWQiOiJrMSJ9.eyJzdWIiOiIwMHUxIn0.c2ln"}"#;

    fn json_response(status: u16, body: &str) -> HttpResponse<'_> {
        HttpResponse {
            status,
            content_type: Some("application/json"),
            www_authenticate: None,
            body: body.as_bytes(),
        }
    }

    fn ok(body: &str) -> TokenResponse {
        process_token_response(&json_response(200, body), None)
            .unwrap_or_else(|e| panic!("{body}: {e:?}"))
    }

    fn problem(body: &str) -> &'static str {
        match process_token_response(&json_response(200, body), None) {
            Err(Error::InvalidResponse {
                context: "token response",
                problem,
            }) => problem,
            other => panic!("{body}: expected invalid_response, got {other:?}"),
        }
    }

    /// `OKTA_OK` with one member replaced (or removed, for `None`).
    fn okta_with(name: &str, value: Option<&str>) -> String {
        let v = json::parse(OKTA_OK.as_bytes()).unwrap();
        let mut members: Vec<String> = Vec::new();
        let mut replaced = false;
        for (k, val) in v.as_object().unwrap() {
            if k == name {
                replaced = true;
                if let Some(new) = value {
                    members.push(format!("\"{k}\":{new}"));
                }
            } else {
                members.push(format!("\"{k}\":{}", to_json(val)));
            }
        }
        if !replaced {
            if let Some(new) = value {
                members.push(format!("\"{name}\":{new}"));
            }
        }
        format!("{{{}}}", members.join(","))
    }

    fn to_json(v: &Value) -> String {
        match v {
            Value::String(s) => serde_json::to_string(s).unwrap(),
            Value::Number(n) => n.as_str().to_owned(),
            other => panic!("unexpected {other:?}"),
        }
    }

    // ---- requests

    #[test]
    fn authorization_code_request_is_a_form_post_with_pkce_and_client_id() {
        let req = build_authorization_code_request(
            "https://dev-1.okta.com/oauth2/default/v1/token",
            "0oa1spa",
            "c0de+/=",
            "https://app.example/callback?x=1",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        );
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.method.as_str(), "POST");
        assert_eq!(req.url, "https://dev-1.okta.com/oauth2/default/v1/token");
        assert_eq!(
            req.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.header("Accept"), Some("application/json"));
        assert_eq!(req.header("Authorization"), None);
        assert_eq!(
            req.body.as_deref(),
            Some(
                "grant_type=authorization_code&code=c0de%2B%2F%3D\
                 &redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%3Fx%3D1\
                 &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_id=0oa1spa"
            )
        );
    }

    #[test]
    fn refresh_request_sends_refresh_token_and_client_id() {
        let req = build_refresh_token_request("https://idp.example/token", "0oa1spa", "rt&1", None)
            .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            req.body.as_deref(),
            Some("grant_type=refresh_token&refresh_token=rt%261&client_id=0oa1spa")
        );
    }

    #[test]
    fn refresh_request_sends_narrower_scope_space_separated() {
        let req = build_refresh_token_request(
            "https://idp.example/token",
            "0oa1spa",
            "rt",
            Some(&["openid", "email"]),
        )
        .unwrap();
        assert_eq!(
            req.body.as_deref(),
            Some("grant_type=refresh_token&refresh_token=rt&scope=openid+email&client_id=0oa1spa")
        );
    }

    #[test]
    fn rejects_refresh_request_with_empty_refresh_token() {
        let err = build_refresh_token_request("https://idp.example/token", "c", "", None);
        assert_eq!(
            err,
            Err(Error::InvalidParameter {
                name: "refresh_token".into(),
                problem: "is empty"
            })
        );
    }

    #[test]
    fn rejects_refresh_request_with_empty_scope_list() {
        let err = build_refresh_token_request("https://idp.example/token", "c", "rt", Some(&[]));
        assert_eq!(err.unwrap_err().code(), "invalid_parameter");
    }

    #[test]
    fn rejects_refresh_request_with_scope_that_is_not_a_scope_token() {
        for bad in ["openid email", "", "a\"b", "a\\b", "é"] {
            match build_refresh_token_request("https://t.example", "c", "rt", Some(&[bad])) {
                Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "scope", "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn rejects_refresh_request_with_repeated_scope() {
        let err = build_refresh_token_request(
            "https://t.example",
            "c",
            "rt",
            Some(&["openid", "openid"]),
        );
        assert_eq!(
            err,
            Err(Error::InvalidParameter {
                name: "scope".into(),
                problem: "must not repeat a scope"
            })
        );
    }

    #[test]
    fn request_debug_output_hides_codes_and_tokens() {
        let req =
            build_authorization_code_request("https://t.example", "c", "SECRETCODE", "r", "v");
        let shown = format!("{req:?}");
        assert!(!shown.contains("SECRETCODE"), "{shown}");
    }

    // ---- successful responses

    #[test]
    fn reads_the_rfc6750_example_token_response() {
        let t = ok(RFC6750_EXAMPLE);
        assert_eq!(t.access_token(), "mF_9.B5f-4.1JqM");
        assert_eq!(t.token_type(), "Bearer");
        assert_eq!(t.expires_in(), Some(3600));
        assert_eq!(t.expires_at(1_000), Some(4_600));
        assert_eq!(t.refresh_token(), Some("tGzv3JOkF0XG5Qx2TlKWIA"));
        assert_eq!(t.id_token(), None);
        assert_eq!(t.scope(), None);
        assert_eq!(t.scopes(), None);
    }

    #[test]
    fn reads_an_okta_token_response_with_scope_and_id_token() {
        let t = ok(OKTA_OK);
        assert_eq!(t.scope(), Some("openid profile email offline_access"));
        assert_eq!(
            t.scopes(),
            Some(vec!["openid", "profile", "email", "offline_access"])
        );
        assert_eq!(t.refresh_token(), Some("a9VpZDRCeFh3Nkk2VdY"));
        assert!(t.id_token().is_some_and(|s| s.starts_with("eyJ")));
    }

    #[test]
    fn accepts_token_type_in_any_letter_case() {
        for tt in ["\"bearer\"", "\"BEARER\"", "\"beaRer\""] {
            ok(&okta_with("token_type", Some(tt)));
        }
    }

    #[test]
    fn accepts_expires_in_as_a_numeric_string() {
        let t = ok(&okta_with("expires_in", Some("\"3600\"")));
        assert_eq!(t.expires_in(), Some(3600));
    }

    #[test]
    fn accepts_missing_expires_in() {
        let t = ok(&okta_with("expires_in", None));
        assert_eq!(t.expires_in(), None);
        assert_eq!(t.expires_at(1_000), None);
    }

    #[test]
    fn accepts_json_content_type_with_parameters_in_any_case() {
        let mut r = json_response(200, OKTA_OK);
        r.content_type = Some("Application/JSON ; charset=UTF-8");
        assert!(process_token_response(&r, None).is_ok());
    }

    #[test]
    fn token_response_debug_output_hides_tokens() {
        let shown = format!("{:?}", ok(RFC6750_EXAMPLE));
        assert!(!shown.contains("mF_9"), "{shown}");
        assert!(!shown.contains("tGzv3"), "{shown}");
    }

    // ---- one broken rule at a time

    #[test]
    fn rejects_token_response_that_is_not_json_content_type() {
        let mut r = json_response(200, OKTA_OK);
        r.content_type = Some("text/html");
        assert_eq!(
            process_token_response(&r, None),
            Err(Error::InvalidResponse {
                context: "token response",
                problem: "Content-Type is not application/json"
            })
        );
        r.content_type = None;
        assert_eq!(
            process_token_response(&r, None).unwrap_err().code(),
            "invalid_response"
        );
    }

    #[test]
    fn rejects_token_response_with_malformed_json() {
        assert_eq!(problem("{\"access_token\":"), "unexpected end of input");
    }

    #[test]
    fn rejects_token_response_with_duplicate_members() {
        assert_eq!(
            problem(r#"{"access_token":"a","access_token":"b","token_type":"Bearer"}"#),
            "duplicate member name"
        );
    }

    #[test]
    fn rejects_token_response_that_is_not_an_object() {
        assert_eq!(problem("[]"), "is not a JSON object");
    }

    #[test]
    fn rejects_token_response_without_token_type() {
        assert_eq!(
            problem(&okta_with("token_type", None)),
            "token_type is missing"
        );
    }

    #[test]
    fn rejects_dpop_token_type() {
        assert_eq!(
            problem(&okta_with("token_type", Some("\"DPoP\""))),
            NOT_BEARER
        );
    }

    const JKT: &str = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    #[test]
    fn accepts_a_dpop_token_type_in_any_case_when_dpop_was_asked_for() {
        for tt in ["\"DPoP\"", "\"dpop\"", "\"DPOP\""] {
            let body = okta_with("token_type", Some(tt));
            let t = process_token_response(&json_response(200, &body), Some(JKT)).unwrap();
            assert_eq!(t.dpop_jkt(), Some(JKT));
        }
        assert_eq!(ok(OKTA_OK).dpop_jkt(), None);
    }

    #[test]
    fn refuses_a_bearer_token_when_dpop_was_asked_for() {
        for tt in ["Bearer", "bearer", "N_A", "DPoP "] {
            let body = okta_with("token_type", Some(&format!("\"{tt}\"")));
            assert_eq!(
                process_token_response(&json_response(200, &body), Some(JKT)),
                Err(Error::DpopNotBound {
                    token_type: tt.into()
                })
            );
        }
    }

    #[test]
    fn use_dpop_nonce_stays_the_providers_error_when_dpop_was_asked_for() {
        let r = json_response(
            400,
            r#"{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof."}"#,
        );
        let err = process_token_response(&r, Some(JKT)).unwrap_err();
        assert_eq!(err.code(), "provider_error");
        assert_eq!(err.oauth_error(), Some("use_dpop_nonce"));
    }

    #[test]
    fn rejects_token_type_that_only_starts_with_bearer() {
        assert_eq!(
            problem(&okta_with("token_type", Some("\"Bearer \""))),
            NOT_BEARER
        );
    }

    #[test]
    fn rejects_token_type_that_is_not_a_string() {
        assert_eq!(
            problem(&okta_with("token_type", Some("1"))),
            "token_type is not a string"
        );
    }

    #[test]
    fn rejects_token_response_without_access_token() {
        assert_eq!(
            problem(&okta_with("access_token", None)),
            "access_token is missing"
        );
    }

    #[test]
    fn rejects_empty_access_token() {
        assert_eq!(
            problem(&okta_with("access_token", Some("\"\""))),
            "access_token is empty or not printable ASCII (RFC 6749 Appendix A.12)"
        );
    }

    #[test]
    fn rejects_access_token_with_control_or_non_ascii_characters() {
        for bad in ["\"a\\r\\nX-Evil: 1\"", "\"jeton\u{e9}\""] {
            assert_eq!(
                problem(&okta_with("access_token", Some(bad))),
                "access_token is empty or not printable ASCII (RFC 6749 Appendix A.12)",
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_access_token_that_is_not_a_string() {
        assert_eq!(
            problem(&okta_with("access_token", Some("null"))),
            "access_token is not a string"
        );
    }

    #[test]
    fn rejects_negative_fractional_or_non_numeric_expires_in() {
        for bad in [
            "-1",
            "1.5",
            "\"-1\"",
            "\"1.5\"",
            "\"\"",
            "\" 3600\"",
            "\"3600s\"",
            "\"99999999999999999\"",
            "1e300",
            "true",
            "null",
        ] {
            assert_eq!(
                problem(&okta_with("expires_in", Some(bad))),
                "expires_in is not a non-negative whole number of seconds",
                "{bad}"
            );
        }
    }

    #[test]
    fn accepts_zero_expires_in() {
        assert_eq!(
            ok(&okta_with("expires_in", Some("0"))).expires_in(),
            Some(0)
        );
    }

    #[test]
    fn rejects_scope_that_is_not_a_string() {
        assert_eq!(
            problem(&okta_with("scope", Some("[\"openid\"]"))),
            "scope is not a string"
        );
    }

    #[test]
    fn rejects_scope_with_empty_or_doubled_separators() {
        for bad in [
            "\"\"",
            "\"openid  email\"",
            "\" openid\"",
            "\"openid\\temail\"",
        ] {
            assert_eq!(
                problem(&okta_with("scope", Some(bad))),
                "scope is not scope tokens separated by single spaces (RFC 6749 §3.3)",
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_refresh_token_that_is_null() {
        assert_eq!(
            problem(&okta_with("refresh_token", Some("null"))),
            "refresh_token is not a string"
        );
    }

    #[test]
    fn rejects_empty_refresh_token() {
        assert_eq!(
            problem(&okta_with("refresh_token", Some("\"\""))),
            "refresh_token is empty or not printable ASCII (RFC 6749 Appendix A.17)"
        );
    }

    #[test]
    fn rejects_id_token_that_is_not_a_string() {
        assert_eq!(
            problem(&okta_with("id_token", Some("{}"))),
            "id_token is not a string"
        );
    }

    #[test]
    fn rejects_empty_id_token() {
        assert_eq!(
            problem(&okta_with("id_token", Some("\"\""))),
            "id_token is empty"
        );
    }

    // ---- provider errors

    #[test]
    fn reads_oauth_error_body_on_400() {
        let r = json_response(
            400,
            r#"{"error":"invalid_grant","error_description":"The authorization code is invalid or has expired."}"#,
        );
        let err = process_token_response(&r, None).unwrap_err();
        assert_eq!(
            err,
            Error::Provider {
                error: "invalid_grant".into(),
                description: Some("The authorization code is invalid or has expired.".into())
            }
        );
        assert_eq!(err.code(), "invalid_grant");
    }

    #[test]
    fn reads_oauth_error_without_description() {
        let r = json_response(401, r#"{"error":"invalid_client"}"#);
        assert_eq!(
            process_token_response(&r, None),
            Err(Error::Provider {
                error: "invalid_client".into(),
                description: None
            })
        );
    }

    #[test]
    fn drops_error_description_of_the_wrong_type() {
        let r = json_response(400, r#"{"error":"invalid_request","error_description":42}"#);
        assert_eq!(
            process_token_response(&r, None),
            Err(Error::Provider {
                error: "invalid_request".into(),
                description: None
            })
        );
    }

    #[test]
    fn reads_okta_api_error_object_with_causes_and_error_id() {
        let r = json_response(
            403,
            r#"{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action","errorLink":"E0000006","errorId":"oae1EW5nYdrRzqwf0eb2VfPSA","errorCauses":[{"errorSummary":"Cause one"},{"errorSummary":"Cause two"}]}"#,
        );
        let err = process_token_response(&r, None).unwrap_err();
        assert_eq!(
            err,
            Error::Provider {
                error: "E0000006".into(),
                description: Some(
                    "You do not have permission to perform the requested action; Cause one; Cause two (errorId oae1EW5nYdrRzqwf0eb2VfPSA)"
                        .into()
                )
            }
        );
        assert_eq!(err.code(), "provider_error");
        assert_eq!(err.oauth_error(), Some("E0000006"));
    }

    #[test]
    fn reads_okta_error_code_alone() {
        let r = json_response(400, r#"{"errorCode":"E0000001"}"#);
        assert_eq!(
            process_token_response(&r, None),
            Err(Error::Provider {
                error: "E0000001".into(),
                description: None
            })
        );
    }

    #[test]
    fn prefers_oauth_error_over_okta_error_code() {
        let r = json_response(400, r#"{"errorCode":"E0000001","error":"invalid_scope"}"#);
        assert_eq!(
            process_token_response(&r, None).unwrap_err().code(),
            "invalid_scope"
        );
    }

    #[test]
    fn treats_error_object_with_status_200_as_an_error() {
        let r = json_response(
            200,
            r#"{"error":"invalid_grant","access_token":"x","token_type":"Bearer"}"#,
        );
        assert_eq!(
            process_token_response(&r, None).unwrap_err().code(),
            "invalid_grant"
        );
    }

    #[test]
    fn reads_error_body_whatever_its_content_type() {
        let mut r = json_response(400, r#"{"error":"invalid_request"}"#);
        r.content_type = Some("text/plain");
        assert_eq!(
            process_token_response(&r, None).unwrap_err().code(),
            "invalid_request"
        );
    }

    #[test]
    fn reports_unexpected_status_when_the_error_body_is_not_an_oauth_error() {
        for body in [
            "<html>Bad gateway</html>",
            "{}",
            r#"{"error":""}"#,
            r#"{"error":7}"#,
            "",
        ] {
            let r = json_response(502, body);
            assert_eq!(
                process_token_response(&r, None),
                Err(Error::UnexpectedStatus { status: 502 }),
                "{body}"
            );
        }
    }

    #[test]
    fn treats_other_success_statuses_as_unexpected() {
        let r = json_response(201, RFC6750_EXAMPLE);
        assert_eq!(
            process_token_response(&r, None),
            Err(Error::UnexpectedStatus { status: 201 })
        );
    }

    #[test]
    fn provider_cannot_spoof_a_library_error_code() {
        let r = json_response(400, r#"{"error":"state_mismatch"}"#);
        assert_eq!(
            process_token_response(&r, None).unwrap_err().code(),
            "provider_error"
        );
    }

    // ---- never panics

    #[test]
    fn process_token_response_never_panics() {
        let mut inputs = mutations(OKTA_OK.as_bytes(), 2000);
        inputs.extend(mutations(
            br#"{"errorCode":"E1","errorSummary":"s","errorId":"i","errorCauses":[{"errorSummary":"c"}]}"#,
            2000,
        ));
        inputs.extend(random_inputs(2000, 256));
        for body in &inputs {
            for status in [200, 400, 401, 500] {
                let r = HttpResponse {
                    status,
                    content_type: Some("application/json"),
                    www_authenticate: None,
                    body,
                };
                let _ = process_token_response(&r, None);
            }
        }
    }
}
