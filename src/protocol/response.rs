//! Authorization responses (RFC 6749 §4.1.2 and §4.2.2, OpenID Connect Core 1.0 §3.1.2.5
//! and §3.2.2.5): one validator for every transport.
//!
//! The contract with the shell (`ts/`): every transport becomes a [`RawResponse`], a list
//! of name/value pairs in the order received, duplicates kept.
//!
//! - A redirect: the URL's query ([`RawResponse::from_query`]) or fragment
//!   ([`RawResponse::from_fragment`]), passed as `location.search` / `location.hash`.
//! - A message (`okta_post_message`, `web_message`): the shell checks
//!   `event.origin` and `event.source`, serialises `event.data` with `JSON.stringify`,
//!   parses it with [`crate::protocol::json::parse`] and hands the value to
//!   [`RawResponse::from_okta_post_message`] or [`RawResponse::from_web_message`].
//!
//! [`validate_authorization_response`] then checks it against what the request sent and
//! returns a [`ValidatedResponse`], which nothing else can construct.

use super::authorize::Transaction;
use super::config::ResponseType;
use super::form::{self, FormError};
use super::json::{Number, Value};
use super::Error;

/// Whether an authorization response must carry `iss` (RFC 9207).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssParameter {
    /// RFC 9207 §2.4: the provider said `authorization_response_iss_parameter_supported`,
    /// so a response without `iss` is refused.
    Required,
    /// `iss` is checked when present. Okta's responses (and `okta_post_message` payloads)
    /// carry none, so mix-up defence then rests on the ID token's `iss` alone.
    CheckIfPresent,
}

/// One parameter value of an authorization response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseValue {
    /// A string: every value of a query or fragment, and most values of a message.
    String(String),
    /// A JSON number: `expires_in` in a message (Okta has sent it both ways).
    Number(Number),
    /// A boolean, array or object in a message: refused if it is a parameter this
    /// library reads, ignored otherwise.
    Other,
}

/// An authorization response as received, before any check.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawResponse {
    /// Name/value pairs in the order received, duplicates kept.
    pub params: Vec<(String, ResponseValue)>,
}

const CONTEXT: &str = "authorization response";

fn bad(context: &'static str, problem: &'static str) -> Error {
    Error::InvalidResponse { context, problem }
}

fn form_error(e: FormError) -> Error {
    bad(
        CONTEXT,
        match e {
            FormError::BadEscape => "has a % not followed by two hex digits",
            FormError::NotUtf8 => "is not UTF-8 once decoded",
        },
    )
}

impl RawResponse {
    /// Decoded query or fragment pairs, as [`form::parse`] gives them.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> RawResponse {
        RawResponse {
            params: pairs
                .into_iter()
                .map(|(n, v)| (n, ResponseValue::String(v)))
                .collect(),
        }
    }

    /// A URL's query (`response_mode=query`), with or without its leading `?`.
    pub fn from_query(query: &str) -> Result<RawResponse, Error> {
        let query = query.strip_prefix('?').unwrap_or(query);
        form::parse(query)
            .map(RawResponse::from_pairs)
            .map_err(form_error)
    }

    /// A URL's fragment (`response_mode=fragment`), with or without its leading `#`. A `/`
    /// and then a `?` after the `#` are skipped too: hash routers rewrite
    /// `#access_token=...` to `#/access_token=...`, and some write `#/?...` or `#?...`.
    pub fn from_fragment(fragment: &str) -> Result<RawResponse, Error> {
        let f = strip_fragment_prefix(fragment);
        form::parse(f)
            .map(RawResponse::from_pairs)
            .map_err(form_error)
    }

    /// An `okta_post_message` payload: a flat object (`code`, `id_token`, `access_token`,
    /// `token_type`, `expires_in`, `scope`, `state`, `error`, `error_description`). Members
    /// that are `null` count as absent (`JSON.stringify` already drops `undefined` ones).
    pub fn from_okta_post_message(data: &Value) -> Result<RawResponse, Error> {
        match data.as_object() {
            Some(members) => Ok(RawResponse::from_members(members)),
            None => Err(bad("okta_post_message payload", "is not an object")),
        }
    }

    /// A `web_message` payload (draft-sakimura-oauth-wmrm §4.1):
    /// `{"type": "authorization_response", "response": {...}}`. Any other shape is refused;
    /// a listener that may receive other messages from the same window can keep waiting
    /// on this error.
    pub fn from_web_message(data: &Value) -> Result<RawResponse, Error> {
        const WM: &str = "web_message payload";
        if data.as_object().is_none() {
            return Err(bad(WM, "is not an object"));
        }
        if data.get("type").and_then(Value::as_str) != Some("authorization_response") {
            return Err(bad(WM, "type is not \"authorization_response\""));
        }
        match data.get("response").and_then(Value::as_object) {
            Some(members) => Ok(RawResponse::from_members(members)),
            None => Err(bad(WM, "response is not an object")),
        }
    }

    fn from_members(members: &[(String, Value)]) -> RawResponse {
        let params = members
            .iter()
            .filter_map(|(name, value)| {
                let v = match value {
                    Value::Null => return None,
                    Value::String(s) => ResponseValue::String(s.clone()),
                    Value::Number(n) => ResponseValue::Number(n.clone()),
                    Value::Bool(_) | Value::Array(_) | Value::Object(_) => ResponseValue::Other,
                };
                Some((name.clone(), v))
            })
            .collect();
        RawResponse { params }
    }

    fn get(&self, name: &str) -> Option<&ResponseValue> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A parameter that must be a string; `not_string` is the problem reported otherwise.
    fn get_str(&self, name: &str, not_string: &'static str) -> Result<Option<&str>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(ResponseValue::String(s)) => Ok(Some(s)),
            Some(_) => Err(bad(CONTEXT, not_string)),
        }
    }
}

fn strip_fragment_prefix(s: &str) -> &str {
    let s = s.strip_prefix('#').unwrap_or(s);
    let s = s.strip_prefix('/').unwrap_or(s);
    s.strip_prefix('?').unwrap_or(s)
}

/// What the response is checked against: what the request sent, and the issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedResponse<'a> {
    /// The `state` sent with the request.
    pub state: &'a str,
    /// The configured issuer, for `iss` (RFC 9207).
    pub issuer: &'a str,
    /// The `response_type` sent: what the response must carry.
    pub response_type: ResponseType,
    /// Whether `iss` must be there.
    pub iss_parameter: IssParameter,
}

impl<'a> ExpectedResponse<'a> {
    /// What a stored transaction expects, for `issuer`.
    pub fn for_transaction(
        transaction: &'a Transaction,
        issuer: &'a str,
        iss_parameter: IssParameter,
    ) -> ExpectedResponse<'a> {
        ExpectedResponse {
            state: &transaction.state,
            issuer,
            response_type: transaction.response_type,
            iss_parameter,
        }
    }
}

/// An authorization response that passed [`validate_authorization_response`]: its state is
/// this transaction's, its issuer (if named) is the configured one, it is no error, and it
/// carries what the request asked for. Values the request did not ask for are not kept.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidatedResponse {
    code: Option<String>,
    id_token: Option<String>,
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u32>,
    scope: Option<String>,
    state: String,
}

impl ValidatedResponse {
    /// The authorization code; `Some` exactly when `code` was asked for.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The ID token, not yet verified; `Some` exactly when `id_token` was asked for.
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }

    /// The access token; `Some` exactly when `token` was asked for.
    pub fn access_token(&self) -> Option<&str> {
        self.access_token.as_deref()
    }

    /// `token_type` as sent (`Bearer` in any case); `Some` exactly with an access token.
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// `expires_in`, in seconds, if sent with the access token.
    pub fn expires_in(&self) -> Option<u32> {
        self.expires_in
    }

    /// `scope`, if sent (RFC 6749 §4.2.2: when it differs from the request's).
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// The `state`, equal to the transaction's.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// Rebuilds a response that [`validate_authorization_response`] accepted earlier, from
    /// the parts it kept (the stateless exports hand it to the shell as JSON and read it
    /// back). Crate-private: only code that got these parts from a [`ValidatedResponse`] may call it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_validated_parts(
        state: String,
        code: Option<String>,
        id_token: Option<String>,
        access_token: Option<String>,
        token_type: Option<String>,
        expires_in: Option<u32>,
        scope: Option<String>,
    ) -> ValidatedResponse {
        ValidatedResponse {
            code,
            id_token,
            access_token,
            token_type,
            expires_in,
            scope,
            state,
        }
    }
}

impl core::fmt::Debug for ValidatedResponse {
    // Tokens and codes stay out of logs.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ValidatedResponse")
            .field("code", &self.code.as_ref().map(|_| ".."))
            .field("id_token", &self.id_token.as_ref().map(|_| ".."))
            .field("access_token", &self.access_token.as_ref().map(|_| ".."))
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .field("state", &self.state)
            .finish()
    }
}

/// Checks an authorization response, in this order:
///
/// 1. RFC 6749 §3.1: no parameter appears twice ([`Error::DuplicateParameter`]); with two
///    `state`s or two `code`s there is no telling which one the provider meant.
/// 2. RFC 6749 §10.12 (CSRF): `state` must be there ([`Error::StateMissing`]) and equal the
///    transaction's ([`Error::StateMismatch`]). This comes before `error`: RFC 6749
///    §4.1.2.1 and §4.2.2.1 put `state` in error responses too, so an error whose state is
///    missing or wrong is not an answer to this request (it may be forged to show a
///    misleading message or to abort a sign-in) and is refused as such, not reported as
///    the provider's error.
/// 3. RFC 9207 §2.4 (mix-up defence): `iss`, when present, must equal the issuer
///    ([`Error::IssuerMismatch`]); when [`IssParameter::Required`], it must be present
///    ([`Error::MissingParameter`]). Error responses are checked too. One exception, as
///    in oidc-provider and OpenID Connect: a success response to a request for an
///    `id_token` may leave `iss` out, since the ID token's signed `iss` claim is then
///    checked against the issuer before anything is accepted and before a code is redeemed
///    (OIDC Core §3.2.2.11, §3.3.2.8).
/// 4. RFC 6749 §4.1.2.1, §4.2.2.1: `error` becomes [`Error::Provider`] with
///    `error_description`.
/// 5. OAuth 2.0 Multiple Response Types §3: every response type asked for is there
///    (`code`, `id_token`, `access_token`; an empty value counts as missing,
///    [`Error::MissingParameter`]).
/// 6. RFC 6749 §4.2.2 and RFC 6750 §4: with an access token, `token_type` is there and is
///    `Bearer`, compared without regard to case (RFC 6749 §5.1).
/// 7. RFC 6749 §4.2.2: `expires_in`, if present with an access token, is a non-negative
///    whole number of seconds, as a JSON number or a string of digits, at most 2^32 - 1.
///
/// Parameters the library reads must be strings (except `expires_in`); values the request
/// did not ask for (an `access_token` in a code-flow response, say) are ignored, not kept.
pub fn validate_authorization_response(
    raw: &RawResponse,
    expected: &ExpectedResponse<'_>,
) -> Result<ValidatedResponse, Error> {
    let mut names: Vec<&str> = raw.params.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(name) = crate::protocol::syntax::first_duplicate(&mut names) {
        return Err(Error::DuplicateParameter {
            name: name.to_owned(),
        });
    }

    let state = raw
        .get_str("state", "state is not a string")?
        .ok_or(Error::StateMissing)?;
    if !constant_time_eq(state.as_bytes(), expected.state.as_bytes()) {
        return Err(Error::StateMismatch);
    }

    match raw.get_str("iss", "iss is not a string")? {
        Some(iss) if iss != expected.issuer => {
            return Err(Error::IssuerMismatch {
                context: "authorization response",
                expected: expected.issuer.to_owned(),
                received: iss.to_owned(),
            })
        }
        Some(_) => {}
        None if expected.iss_parameter == IssParameter::Required
            && !(expected.response_type.id_token && raw.get("error").is_none()) =>
        {
            return Err(Error::MissingParameter { name: "iss" })
        }
        None => {}
    }

    if let Some(error) = raw.get_str("error", "error is not a string")? {
        // A malformed description must not hide the provider's error behind our own.
        let description = match raw.get("error_description") {
            Some(ResponseValue::String(d)) => Some(d.clone()),
            _ => None,
        };
        return Err(Error::Provider {
            error: error.to_owned(),
            description,
        });
    }

    let rt = expected.response_type;
    let code = if rt.code {
        Some(required(raw, "code", "code is not a string")?)
    } else {
        None
    };
    let id_token = if rt.id_token {
        Some(required(raw, "id_token", "id_token is not a string")?)
    } else {
        None
    };
    let (access_token, token_type, expires_in) = if rt.token {
        let access_token = required(raw, "access_token", "access_token is not a string")?;
        let token_type = required(raw, "token_type", "token_type is not a string")?;
        if !token_type.eq_ignore_ascii_case("Bearer") {
            return Err(bad(
                CONTEXT,
                "token_type is not Bearer (RFC 6750), the only type a browser can use",
            ));
        }
        let expires_in = match raw.get("expires_in") {
            None => None,
            Some(v) => Some(expires_in(v)?),
        };
        (Some(access_token), Some(token_type), expires_in)
    } else {
        (None, None, None)
    };
    let scope = raw
        .get_str("scope", "scope is not a string")?
        .map(str::to_owned);

    Ok(ValidatedResponse {
        code,
        id_token,
        access_token,
        token_type,
        expires_in,
        scope,
        state: state.to_owned(),
    })
}

fn required(
    raw: &RawResponse,
    name: &'static str,
    not_string: &'static str,
) -> Result<String, Error> {
    match raw.get_str(name, not_string)? {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err(Error::MissingParameter { name }),
    }
}

fn expires_in(value: &ResponseValue) -> Result<u32, Error> {
    const PROBLEM: &str = "expires_in is not a whole number of seconds from 0 to 4294967295";
    let n = match value {
        ResponseValue::Number(n) => n
            .as_i64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(bad(CONTEXT, PROBLEM))?,
        ResponseValue::String(s) => {
            if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(CONTEXT, PROBLEM));
            }
            s.parse::<u32>().map_err(|_| bad(CONTEXT, PROBLEM))?
        }
        ResponseValue::Other => return Err(bad(CONTEXT, PROBLEM)),
    };
    Ok(n)
}

/// Whether `raw` is an answer to the request whose `state` is `state`: one of its `state`
/// parameters is a string equal to it (compared in constant time). A message that is not
/// (no `state`, another one, a number, an array) answers some other request and says
/// nothing about this one (RFC 6749 §10.12), so a listener waiting for this answer ignores
/// it rather than failing; one that is goes to [`validate_authorization_response`] in
/// full, and anything malformed in it (a repeated parameter, say) is then an error.
pub fn answers_state(raw: &RawResponse, state: &str) -> bool {
    raw.params.iter().any(|(name, value)| {
        name == "state"
            && matches!(value, ResponseValue::String(s) if constant_time_eq(s.as_bytes(), state.as_bytes()))
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    // Timing may reveal the length, never how much of a guessed state was right.
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a URL's query or fragment (`location.search`, `location.hash`, with their
/// leading `?` or `#`) holds an authorization response: `state` together with `code`,
/// `error`, `id_token` or `access_token`. Only names are looked at, so that a malformed
/// response is still recognised, and refused by [`validate_authorization_response`],
/// rather than passed over. A string starting with `#` is read as a fragment, with the
/// same prefixes skipped as [`RawResponse::from_fragment`].
pub fn is_authorization_response(query_or_fragment: &str) -> bool {
    let s = if query_or_fragment.starts_with('#') {
        strip_fragment_prefix(query_or_fragment)
    } else {
        query_or_fragment
            .strip_prefix('?')
            .unwrap_or(query_or_fragment)
    };
    let mut has_state = false;
    let mut has_result = false;
    for segment in s.split('&') {
        let raw_name = segment.split_once('=').map_or(segment, |(n, _)| n);
        let Ok(name) = form::decode(raw_name) else {
            continue;
        };
        match name.as_str() {
            "state" => has_state = true,
            "code" | "error" | "id_token" | "access_token" => has_result = true,
            _ => {}
        }
    }
    has_state && has_result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_string_state_equal_to_the_transactions_answers_it() {
        let raw = |pairs: &[(&str, ResponseValue)]| RawResponse {
            params: pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
        };
        let s = |v: &str| ResponseValue::String(v.to_owned());
        assert!(answers_state(
            &raw(&[("code", s("c")), ("state", s("abc"))]),
            "abc"
        ));
        assert!(!answers_state(&raw(&[("code", s("c"))]), "abc"));
        assert!(!answers_state(&raw(&[("state", s("abd"))]), "abc"));
        assert!(!answers_state(&raw(&[("state", s("ab"))]), "abc"));
        let Ok(Value::Number(five)) = json::parse(b"5") else {
            panic!("5 is a JSON number")
        };
        assert!(!answers_state(
            &raw(&[("state", ResponseValue::Number(five))]),
            "5"
        ));
        assert!(!answers_state(
            &raw(&[("state", ResponseValue::Other)]),
            "abc"
        ));
        // Ours among others: it answers this request, and validation then refuses the
        // repeated parameter.
        let repeated = raw(&[("state", s("other")), ("state", s("abc"))]);
        assert!(answers_state(&repeated, "abc"));
    }
    use crate::protocol::json;
    use crate::protocol::testing::{mutations, random_inputs};

    const STATE: &str = "s7Vq0hVqkN0Qp6yVbqUeH8zYx1c2d3e4f5g6h7i8j9k";
    const ISSUER: &str = "https://dev-1.okta.com/oauth2/default";

    fn rt(code: bool, id_token: bool, token: bool) -> ResponseType {
        ResponseType {
            code,
            id_token,
            token,
        }
    }

    fn expected(response_type: ResponseType) -> ExpectedResponse<'static> {
        ExpectedResponse {
            state: STATE,
            issuer: ISSUER,
            response_type,
            iss_parameter: IssParameter::CheckIfPresent,
        }
    }

    fn code_flow() -> ExpectedResponse<'static> {
        expected(rt(true, false, false))
    }

    fn implicit() -> ExpectedResponse<'static> {
        expected(rt(false, true, true))
    }

    fn query(q: &str) -> RawResponse {
        RawResponse::from_query(q).unwrap()
    }

    fn with_state(rest: &str) -> RawResponse {
        query(&format!("?{rest}&state={STATE}"))
    }

    fn message(json_text: &str) -> RawResponse {
        RawResponse::from_okta_post_message(&json::parse(json_text.as_bytes()).unwrap()).unwrap()
    }

    fn implicit_message(extra: &str) -> RawResponse {
        message(&format!(
            r#"{{"id_token":"eyJ.a.b","access_token":"at","token_type":"Bearer","scope":"openid","state":"{STATE}"{extra}}}"#
        ))
    }

    fn problem_of(r: Result<ValidatedResponse, Error>) -> &'static str {
        match r {
            Err(Error::InvalidResponse { problem, .. }) => problem,
            other => panic!("expected invalid_response, got {other:?}"),
        }
    }

    #[test]
    fn accepts_a_code_response_from_the_query() {
        let cb = validate_authorization_response(
            &with_state("code=SplxlOBeZQQYbYS6WxSbIA"),
            &code_flow(),
        )
        .unwrap();
        assert_eq!(cb.code(), Some("SplxlOBeZQQYbYS6WxSbIA"));
        assert_eq!(cb.state(), STATE);
        assert_eq!(cb.id_token(), None);
        assert_eq!(cb.access_token(), None);
    }

    #[test]
    fn accepts_an_implicit_response_from_the_fragment() {
        let raw = RawResponse::from_fragment(&format!(
            "#id_token=eyJ.a.b&access_token=at&token_type=Bearer&expires_in=3600&scope=openid+profile&state={STATE}"
        ))
        .unwrap();
        let cb = validate_authorization_response(&raw, &implicit()).unwrap();
        assert_eq!(cb.id_token(), Some("eyJ.a.b"));
        assert_eq!(cb.access_token(), Some("at"));
        assert_eq!(cb.token_type(), Some("Bearer"));
        assert_eq!(cb.expires_in(), Some(3600));
        assert_eq!(cb.scope(), Some("openid profile"));
    }

    #[test]
    fn fragment_prefixes_of_hash_routers_are_skipped() {
        for prefix in ["#", "#/", "#?", "#/?", ""] {
            let raw = RawResponse::from_fragment(&format!("{prefix}code=c&state={STATE}")).unwrap();
            let cb = validate_authorization_response(&raw, &code_flow()).unwrap();
            assert_eq!(cb.code(), Some("c"), "{prefix:?}");
        }
    }

    #[test]
    fn accepts_an_okta_post_message_payload_with_string_expires_in() {
        let cb = validate_authorization_response(
            &implicit_message(r#","expires_in":"3600""#),
            &implicit(),
        )
        .unwrap();
        assert_eq!(cb.expires_in(), Some(3600));
    }

    #[test]
    fn accepts_an_okta_post_message_payload_with_numeric_expires_in() {
        let cb = validate_authorization_response(
            &implicit_message(r#","expires_in":3600"#),
            &implicit(),
        )
        .unwrap();
        assert_eq!(cb.expires_in(), Some(3600));
    }

    #[test]
    fn null_members_of_a_message_count_as_absent() {
        let cb = validate_authorization_response(
            &implicit_message(r#","error":null,"expires_in":null"#),
            &implicit(),
        )
        .unwrap();
        assert_eq!(cb.expires_in(), None);
    }

    #[test]
    fn accepts_a_web_message_payload() {
        let data = json::parse(
            format!(
                r#"{{"type":"authorization_response","response":{{"code":"c","state":"{STATE}"}}}}"#
            )
            .as_bytes(),
        )
        .unwrap();
        let raw = RawResponse::from_web_message(&data).unwrap();
        let cb = validate_authorization_response(&raw, &code_flow()).unwrap();
        assert_eq!(cb.code(), Some("c"));
    }

    #[test]
    fn rejects_web_message_of_another_type_or_shape() {
        for (text, problem) in [
            (
                r#"{"type":"relay","response":{}}"#,
                "type is not \"authorization_response\"",
            ),
            (
                r#"{"response":{}}"#,
                "type is not \"authorization_response\"",
            ),
            (
                r#"{"type":"authorization_response"}"#,
                "response is not an object",
            ),
            (
                r#"{"type":"authorization_response","response":"code=c"}"#,
                "response is not an object",
            ),
            (r#"["authorization_response"]"#, "is not an object"),
        ] {
            let data = json::parse(text.as_bytes()).unwrap();
            assert_eq!(
                RawResponse::from_web_message(&data),
                Err(Error::InvalidResponse {
                    context: "web_message payload",
                    problem
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_okta_post_message_payload_that_is_not_an_object() {
        let data = json::parse(b"\"code=c\"").unwrap();
        assert_eq!(
            RawResponse::from_okta_post_message(&data),
            Err(Error::InvalidResponse {
                context: "okta_post_message payload",
                problem: "is not an object"
            })
        );
    }

    #[test]
    fn rejects_malformed_query() {
        assert_eq!(
            RawResponse::from_query("?code=%zz"),
            Err(bad(CONTEXT, "has a % not followed by two hex digits"))
        );
        assert_eq!(
            RawResponse::from_fragment("#code=%ff"),
            Err(bad(CONTEXT, "is not UTF-8 once decoded"))
        );
    }

    #[test]
    fn rejects_repeated_parameter() {
        let r = validate_authorization_response(
            &query(&format!("code=a&code=b&state={STATE}")),
            &code_flow(),
        );
        assert_eq!(
            r,
            Err(Error::DuplicateParameter {
                name: "code".into()
            })
        );
    }

    #[test]
    fn rejects_repeated_state_even_when_one_matches() {
        let r = validate_authorization_response(
            &query(&format!("code=a&state={STATE}&state=forged")),
            &code_flow(),
        );
        assert_eq!(
            r,
            Err(Error::DuplicateParameter {
                name: "state".into()
            })
        );
    }

    #[test]
    fn finds_a_repeated_parameter_among_many_quickly() {
        let mut q = String::new();
        for i in 0..200_000 {
            q.push('p');
            q.push_str(&i.to_string());
            q.push_str("=x&");
        }
        q.push_str("p7=y");
        let r = validate_authorization_response(&query(&q), &code_flow());
        assert_eq!(r, Err(Error::DuplicateParameter { name: "p7".into() }));
    }

    #[test]
    fn rejects_response_without_state() {
        let r = validate_authorization_response(&query("code=a"), &code_flow());
        assert_eq!(r, Err(Error::StateMissing));
    }

    #[test]
    fn rejects_response_with_another_state() {
        for other in ["x", "", &STATE[1..], &format!("{STATE}x")] {
            let r = validate_authorization_response(
                &query(&format!("code=a&state={other}")),
                &code_flow(),
            );
            assert_eq!(r, Err(Error::StateMismatch), "{other:?}");
        }
    }

    #[test]
    fn rejects_state_that_is_not_a_string() {
        let raw = message(r#"{"code":"c","state":1}"#);
        assert_eq!(
            problem_of(validate_authorization_response(&raw, &code_flow())),
            "state is not a string"
        );
    }

    #[test]
    fn forged_error_without_state_is_refused_as_state_missing() {
        let r = validate_authorization_response(
            &query("error=access_denied&error_description=Call+0800+to+unlock"),
            &code_flow(),
        );
        assert_eq!(r, Err(Error::StateMissing));
    }

    #[test]
    fn forged_error_with_another_state_is_refused_as_state_mismatch() {
        let r = validate_authorization_response(
            &query("error=login_required&state=other"),
            &code_flow(),
        );
        assert_eq!(r, Err(Error::StateMismatch));
    }

    #[test]
    fn error_response_becomes_a_provider_error_with_its_own_code() {
        let r = validate_authorization_response(
            &with_state("error=login_required&error_description=The+user+is+not+logged+in."),
            &code_flow(),
        );
        let e = r.unwrap_err();
        assert_eq!(
            e,
            Error::Provider {
                error: "login_required".into(),
                description: Some("The user is not logged in.".into()),
            }
        );
        assert_eq!(e.code(), "login_required");
    }

    #[test]
    fn every_documented_okta_error_keeps_its_code() {
        for known in crate::protocol::KNOWN_PROVIDER_ERRORS {
            let e = validate_authorization_response(
                &with_state(&format!("error={known}")),
                &implicit(),
            )
            .unwrap_err();
            assert_eq!(e.code(), known);
            assert_eq!(e.oauth_error(), Some(known));
        }
        let e = validate_authorization_response(&with_state("error=something_new"), &implicit())
            .unwrap_err();
        assert_eq!(e.code(), "provider_error");
    }

    #[test]
    fn error_from_a_message_keeps_its_description() {
        let raw = message(&format!(
            r#"{{"error":"consent_required","error_description":"Consent needed","state":"{STATE}"}}"#
        ));
        assert_eq!(
            validate_authorization_response(&raw, &implicit()),
            Err(Error::Provider {
                error: "consent_required".into(),
                description: Some("Consent needed".into()),
            })
        );
    }

    #[test]
    fn rejects_response_from_another_issuer() {
        let r = validate_authorization_response(
            &with_state("code=c&iss=https%3A%2F%2Fevil.example"),
            &code_flow(),
        );
        assert_eq!(
            r,
            Err(Error::IssuerMismatch {
                context: "authorization response",
                expected: ISSUER.into(),
                received: "https://evil.example".into(),
            })
        );
    }

    #[test]
    fn rejects_error_response_from_another_issuer() {
        let r = validate_authorization_response(
            &with_state("error=access_denied&iss=https%3A%2F%2Fevil.example"),
            &code_flow(),
        );
        assert!(matches!(r, Err(Error::IssuerMismatch { .. })), "{r:?}");
    }

    #[test]
    fn accepts_matching_iss() {
        let raw = with_state("code=c&iss=https%3A%2F%2Fdev-1.okta.com%2Foauth2%2Fdefault");
        assert!(validate_authorization_response(&raw, &code_flow()).is_ok());
    }

    #[test]
    fn rejects_response_without_iss_when_the_provider_promised_it() {
        let mut e = code_flow();
        e.iss_parameter = IssParameter::Required;
        let r = validate_authorization_response(&with_state("code=c"), &e);
        assert_eq!(r, Err(Error::MissingParameter { name: "iss" }));
    }

    #[test]
    fn an_id_token_response_may_leave_iss_out_even_when_promised() {
        // The ID token's signed iss is checked instead (oidc-provider omits the parameter).
        for rt in [
            rt(false, true, true),
            rt(false, true, false),
            rt(true, true, false),
        ] {
            let mut e = expected(rt);
            e.iss_parameter = IssParameter::Required;
            let raw = with_state("code=c&id_token=x.y.z&access_token=at&token_type=Bearer");
            assert!(validate_authorization_response(&raw, &e).is_ok());
            // Present, it must still match.
            let raw = with_state("id_token=x.y.z&code=c&access_token=at&token_type=Bearer&iss=https%3A%2F%2Fevil.example");
            let r = validate_authorization_response(&raw, &e);
            assert!(matches!(r, Err(Error::IssuerMismatch { .. })), "{r:?}");
            // An error response carries no ID token: iss stays required there.
            let r = validate_authorization_response(&with_state("error=access_denied"), &e);
            assert_eq!(r, Err(Error::MissingParameter { name: "iss" }));
        }
        // A code-only response has no ID token to stand in for iss.
        let mut e = expected(rt(true, false, false));
        e.iss_parameter = IssParameter::Required;
        let r = validate_authorization_response(&with_state("code=c&id_token=x.y.z"), &e);
        assert_eq!(r, Err(Error::MissingParameter { name: "iss" }));
    }

    #[test]
    fn rejects_code_response_without_code() {
        for raw in [with_state("scope=openid"), with_state("code=")] {
            let r = validate_authorization_response(&raw, &code_flow());
            assert_eq!(r, Err(Error::MissingParameter { name: "code" }));
        }
    }

    #[test]
    fn rejects_implicit_response_without_id_token() {
        let r = validate_authorization_response(
            &with_state("access_token=at&token_type=Bearer"),
            &implicit(),
        );
        assert_eq!(r, Err(Error::MissingParameter { name: "id_token" }));
    }

    #[test]
    fn rejects_implicit_response_without_access_token() {
        let r = validate_authorization_response(
            &with_state("id_token=x&token_type=Bearer"),
            &implicit(),
        );
        assert_eq!(
            r,
            Err(Error::MissingParameter {
                name: "access_token"
            })
        );
    }

    #[test]
    fn rejects_hybrid_response_without_code() {
        let r = validate_authorization_response(
            &with_state("id_token=x"),
            &expected(rt(true, true, false)),
        );
        assert_eq!(r, Err(Error::MissingParameter { name: "code" }));
    }

    #[test]
    fn rejects_access_token_without_token_type() {
        let r =
            validate_authorization_response(&with_state("id_token=x&access_token=at"), &implicit());
        assert_eq!(r, Err(Error::MissingParameter { name: "token_type" }));
    }

    #[test]
    fn rejects_token_type_other_than_bearer() {
        for tt in ["DPoP", "mac", "Bearerx", ""] {
            let r = validate_authorization_response(
                &with_state(&format!("id_token=x&access_token=at&token_type={tt}")),
                &implicit(),
            );
            if tt.is_empty() {
                assert_eq!(r, Err(Error::MissingParameter { name: "token_type" }));
            } else {
                assert_eq!(
                    problem_of(r),
                    "token_type is not Bearer (RFC 6750), the only type a browser can use",
                    "{tt}"
                );
            }
        }
    }

    #[test]
    fn token_type_bearer_is_case_insensitive() {
        for tt in ["bearer", "BEARER", "BeArEr"] {
            let raw = with_state(&format!("id_token=x&access_token=at&token_type={tt}"));
            let cb = validate_authorization_response(&raw, &implicit()).unwrap();
            assert_eq!(cb.token_type(), Some(tt));
        }
    }

    #[test]
    fn rejects_expires_in_that_is_not_a_non_negative_integer() {
        const PROBLEM: &str = "expires_in is not a whole number of seconds from 0 to 4294967295";
        for bad_value in [
            r#""-1""#,
            r#""1.5""#,
            r#""""#,
            r#"" 60""#,
            r#""+60""#,
            r#""1e3""#,
            r#""4294967296""#,
            r#""99999999999""#,
            "-1",
            "1.5",
            "4294967296",
            "true",
            "[60]",
        ] {
            let raw = implicit_message(&format!(r#","expires_in":{bad_value}"#));
            assert_eq!(
                problem_of(validate_authorization_response(&raw, &implicit())),
                PROBLEM,
                "{bad_value}"
            );
        }
        let raw = with_state("id_token=x&access_token=at&token_type=Bearer&expires_in=abc");
        assert_eq!(
            problem_of(validate_authorization_response(&raw, &implicit())),
            PROBLEM
        );
    }

    #[test]
    fn accepts_expires_in_of_zero_and_the_largest_value() {
        for (value, want) in [
            (r#""0""#, 0),
            ("0", 0),
            (r#""4294967295""#, u32::MAX),
            ("4294967295", u32::MAX),
        ] {
            let raw = implicit_message(&format!(r#","expires_in":{value}"#));
            let cb = validate_authorization_response(&raw, &implicit()).unwrap();
            assert_eq!(cb.expires_in(), Some(want), "{value}");
        }
    }

    #[test]
    fn rejects_requested_value_that_is_not_a_string() {
        let raw = message(&format!(r#"{{"code":{{"a":1}},"state":"{STATE}"}}"#));
        assert_eq!(
            problem_of(validate_authorization_response(&raw, &code_flow())),
            "code is not a string"
        );
    }

    #[test]
    fn ignores_values_the_request_did_not_ask_for() {
        // A token injected into a code-flow response is never handed to the app.
        let raw = with_state("code=c&access_token=injected&token_type=Bearer&id_token=x&flag=true");
        let cb = validate_authorization_response(&raw, &code_flow()).unwrap();
        assert_eq!(cb.access_token(), None);
        assert_eq!(cb.id_token(), None);
        assert_eq!(cb.token_type(), None);
    }

    #[test]
    fn debug_output_hides_codes_and_tokens() {
        let cb = validate_authorization_response(&implicit_message(""), &implicit()).unwrap();
        let shown = format!("{cb:?}");
        assert!(
            !shown.contains("eyJ.a.b") && !shown.contains("\"at\""),
            "{shown}"
        );
    }

    #[test]
    fn expected_response_follows_the_transaction() {
        let t = Transaction {
            state: STATE.into(),
            nonce: "n".into(),
            code_verifier: Some("v".into()),
            redirect_uri: "https://app.example/callback".into(),
            response_type: rt(true, false, false),
            response_mode: crate::protocol::authorize::ResponseMode::Query,
            scopes: vec!["openid".into()],
            max_age: None,
        };
        let e = ExpectedResponse::for_transaction(&t, ISSUER, IssParameter::Required);
        assert_eq!(e.state, STATE);
        assert_eq!(e.issuer, ISSUER);
        assert_eq!(e.response_type, t.response_type);
        assert_eq!(e.iss_parameter, IssParameter::Required);
    }

    #[test]
    fn recognises_authorization_responses_in_urls() {
        for yes in [
            "?code=abc&state=xyz",
            "?state=xyz&error=access_denied",
            "#id_token=a&state=b",
            "#/access_token=a&state=b",
            "#?access_token=a&state=b",
            "code=abc&state=xyz",
            "?code=%zz&state=xyz",
            "?code&state",
            "?c%6Fde=a&state=b&x=%zz",
        ] {
            assert!(is_authorization_response(yes), "{yes}");
        }
        for no in [
            "",
            "?",
            "#",
            "?code=abc",
            "?state=xyz",
            "?page=2&state=xyz",
            "#/settings",
            "?codes=a&state=b",
        ] {
            assert!(!is_authorization_response(no), "{no}");
        }
    }

    #[test]
    fn never_panics_on_any_query_or_fragment() {
        let seed = format!(
            "#/id_token=eyJ.a.b&access_token=a%20t&token_type=Bearer&expires_in=3600&state={STATE}&iss=https%3A%2F%2Fx"
        );
        let mut inputs = mutations(seed.as_bytes(), 2000);
        inputs.extend(random_inputs(2000, 256));
        for bytes in &inputs {
            let s = String::from_utf8_lossy(bytes);
            let _ = is_authorization_response(&s);
            for raw in [RawResponse::from_query(&s), RawResponse::from_fragment(&s)]
                .into_iter()
                .flatten()
            {
                let _ = validate_authorization_response(&raw, &implicit());
                let _ = validate_authorization_response(&raw, &code_flow());
            }
        }
    }

    #[test]
    fn never_panics_on_any_message() {
        let seed = format!(
            r#"{{"type":"authorization_response","response":{{"code":"c","id_token":"x","access_token":"at","token_type":"Bearer","expires_in":"3600","state":"{STATE}","error":null}}}}"#
        );
        let mut inputs = mutations(seed.as_bytes(), 2000);
        inputs.extend(random_inputs(2000, 256));
        let all = expected(rt(true, true, true));
        for bytes in &inputs {
            let Ok(value) = json::parse(bytes) else {
                continue;
            };
            for raw in [
                RawResponse::from_web_message(&value),
                RawResponse::from_okta_post_message(&value),
                value.get("response").map_or(
                    Err(Error::StateMissing),
                    RawResponse::from_okta_post_message,
                ),
            ]
            .into_iter()
            .flatten()
            {
                let _ = validate_authorization_response(&raw, &all);
            }
        }
    }
}
