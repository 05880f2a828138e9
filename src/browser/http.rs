//! HTTP through `fetch` (gloo-net, no serde): sends the requests the protocol core builds,
//! and hands back status, the two headers the core reads, and the body bytes.

use gloo_net::http::{Request, RequestBuilder};
use web_sys::{RequestCache, RequestCredentials};

use crate::protocol::token::{HttpRequest, HttpResponse, Method};
use crate::protocol::Error;

/// A response, read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// `Content-Type`, if sent (and exposed by CORS: it is a safelisted header).
    pub content_type: Option<String>,
    /// `WWW-Authenticate`, if sent and exposed by the provider's CORS headers.
    pub www_authenticate: Option<String>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The borrowed form the protocol core's `process_*_response` functions read.
    pub fn as_http(&self) -> HttpResponse<'_> {
        HttpResponse {
            status: self.status,
            content_type: self.content_type.as_deref(),
            www_authenticate: self.www_authenticate.as_deref(),
            body: &self.body,
        }
    }
}

/// Sends `request`. A failure without an HTTP response (offline, DNS, TLS, CORS) is
/// [`Error::Network`] naming `context`. Cookies are never sent (`credentials: "omit"`):
/// the token endpoint authenticates the client by `client_id` and PKCE, not by a session,
/// and responses are never cached (`cache: "no-store"`).
pub async fn send(request: &HttpRequest, context: &'static str) -> Result<Response, Error> {
    let builder = match request.method {
        Method::Get => Request::get(&request.url),
        Method::Post => Request::post(&request.url),
    };
    let builder: RequestBuilder = request
        .headers
        .iter()
        .fold(builder, |b, (name, value)| b.header(name, value))
        .credentials(RequestCredentials::Omit)
        .cache(RequestCache::NoStore);
    let network = || Error::Network { context };
    let built = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|_| network())?;
    let response = built.send().await.map_err(|_| network())?;
    let headers = response.headers();
    Ok(Response {
        status: response.status(),
        content_type: headers.get("content-type"),
        www_authenticate: headers.get("www-authenticate"),
        body: response.binary().await.map_err(|_| network())?,
    })
}

/// `GET url` with `Accept: application/json`.
pub async fn get_json(url: &str, context: &'static str) -> Result<Response, Error> {
    let request = HttpRequest {
        method: Method::Get,
        url: url.to_owned(),
        headers: vec![("Accept", "application/json".to_owned())],
        body: None,
    };
    send(&request, context).await
}
