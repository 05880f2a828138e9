//! The plain HTTP data every endpoint module shares: [`HttpRequest`] (what the shell sends
//! with `fetch`) and [`HttpResponse`] (what it read back), the form `POST` the endpoints
//! send, the readers of a JSON response body, and [`error_from_response`], the one reader
//! of OAuth and Okta error bodies.

use super::json::{self, Value};
use super::{form, Error};

// ---- plain HTTP data ------------------------------------------------------------------

/// An HTTP method the endpoints use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// The method's name, as `fetch` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request for the shell to send with `fetch`, exactly as built: the protocol core
/// decides every byte, the shell decides nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: Method,
    /// The endpoint URL.
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(&'static str, String)>,
    /// An `application/x-www-form-urlencoded` body, for `POST`.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The value of header `name` (compared without regard to case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

// Requests carry codes, verifiers and tokens: keep them out of logs and panic messages.
impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &"<redacted>")
            .field("body", &"<redacted>")
            .finish()
    }
}

/// An HTTP response as the shell read it. Only the headers the protocol reads are
/// carried; `None` means the header was absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The `WWW-Authenticate` header (several are joined with `, `, as `fetch` does).
    pub www_authenticate: Option<&'a str>,
    /// The body bytes.
    pub body: &'a [u8],
}

/// RFC 6749 §4.1.3, §6; RFC 7662 §2.1; RFC 7009 §2.1: a form `POST` that asks for JSON.
pub(crate) fn form_post(url: &str, pairs: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: url.to_owned(),
        headers: vec![
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("Accept", "application/json".to_owned()),
        ],
        body: Some(form::serialize(pairs.iter().copied())),
    }
}

/// RFC 8259 §11 / RFC 9110 §8.3.1: the media type is `application/json`, compared without
/// regard to case, parameters (`; charset=UTF-8`) ignored.
pub(crate) fn is_media_type(content_type: Option<&str>, expected: &str) -> bool {
    content_type
        .and_then(|ct| ct.split(';').next())
        .map(|t| t.trim_matches(|c| c == ' ' || c == '\t'))
        .is_some_and(|t| t.eq_ignore_ascii_case(expected))
}

/// A success body: `application/json` holding one JSON object.
pub(crate) fn json_object_body(
    response: &HttpResponse<'_>,
    context: &'static str,
) -> Result<Value, Error> {
    if !is_media_type(response.content_type, "application/json") {
        return Err(Error::InvalidResponse {
            context,
            problem: "Content-Type is not application/json",
        });
    }
    let value = json::parse(response.body).map_err(|e| Error::InvalidResponse {
        context,
        problem: e.0,
    })?;
    if value.as_object().is_none() {
        return Err(Error::InvalidResponse {
            context,
            problem: "is not a JSON object",
        });
    }
    Ok(value)
}

/// A member that may be absent but, when present, must be a string.
pub(crate) fn optional_string<'v>(
    body: &'v Value,
    name: &str,
    wrong_type: Error,
) -> Result<Option<&'v str>, Error> {
    match body.get(name) {
        None => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or(wrong_type),
    }
}

// ---- errors at every endpoint ----------------------------------------------------------

/// The error a failed response stands for, for every endpoint (token, userinfo,
/// introspection, revocation): the provider's error from the body if it sent one
/// ([`provider_error_in`]), else [`Error::UnexpectedStatus`].
///
/// The body is read whatever its `Content-Type` says and a malformed body is not an error of
/// its own: the status already says the request failed, and refusing a sloppy error body
/// would only hide the provider's reason. (`resource.rs` reads a `WWW-Authenticate: Bearer`
/// challenge first, then calls this.)
pub fn error_from_response(response: &HttpResponse<'_>) -> Error {
    json::parse(response.body)
        .ok()
        .and_then(|value| provider_error_in(&value))
        .unwrap_or(Error::UnexpectedStatus {
            status: response.status,
        })
}

/// The provider error a JSON body carries, if any:
/// - RFC 6749 §5.2: `error` (a non-empty string) and optional `error_description`;
/// - else Okta's API error object: `errorCode` as the error, `errorSummary` as the
///   description, followed by the `errorSummary` of each of `errorCauses` and by
///   `(errorId …)`, which Okta support asks for.
///
/// Values are kept as sent; a description of the wrong type is dropped rather than hiding
/// the error itself.
pub fn provider_error_in(body: &Value) -> Option<Error> {
    let text = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(error) = text("error") {
        return Some(Error::Provider {
            error: error.to_owned(),
            description: text("error_description").map(str::to_owned),
        });
    }
    let code = text("errorCode")?;
    let mut description = String::new();
    if let Some(summary) = text("errorSummary") {
        description.push_str(summary);
    }
    let causes = body
        .get("errorCauses")
        .and_then(Value::as_array)
        .unwrap_or_default();
    for cause in causes {
        if let Some(summary) = cause.get("errorSummary").and_then(Value::as_str) {
            if !summary.is_empty() {
                description.push_str(if description.is_empty() { "" } else { "; " });
                description.push_str(summary);
            }
        }
    }
    if let Some(id) = text("errorId") {
        description.push_str(if description.is_empty() { "" } else { " " });
        description.push_str("(errorId ");
        description.push_str(id);
        description.push(')');
    }
    Some(Error::Provider {
        error: code.to_owned(),
        description: (!description.is_empty()).then_some(description),
    })
}
