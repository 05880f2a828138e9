//! HTTP through `fetch`: sends the requests the protocol core builds, and hands back
//! status, the two headers the core reads, and the body bytes. One small JS helper does the
//! whole exchange (a single import instead of the Request, Headers and Response bindings).

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

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
    let network = || Error::Network { context };
    let method = match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let headers: Vec<String> = request
        .headers
        .iter()
        .flat_map(|(name, value)| [String::from(*name), value.clone()])
        .collect();
    let promise = http_send(method, &request.url, headers, request.body.as_deref());
    let answer: Array = JsFuture::from(promise)
        .await
        .map_err(|_| network())?
        .unchecked_into();
    Ok(Response {
        status: answer.get(0).as_f64().unwrap_or(0.0) as u16,
        content_type: answer.get(1).as_string(),
        www_authenticate: answer.get(2).as_string(),
        body: answer.get(3).unchecked_into::<Uint8Array>().to_vec(),
    })
}

#[wasm_bindgen(inline_js = r#"
export async function httpSend(method, url, flat, body) {
  const headers = [];
  for (let i = 0; i < flat.length; i += 2) headers.push([flat[i], flat[i + 1]]);
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) init.body = body;
  const r = await fetch(url, init);
  const h = r.headers;
  return [r.status, h.get('content-type') ?? undefined, h.get('www-authenticate') ?? undefined,
    new Uint8Array(await r.arrayBuffer())];
}
"#)]
extern "C" {
    /// `fetch(url, {method, headers, body, credentials: "omit", cache: "no-store"})`, read
    /// in full: `[status, content-type, www-authenticate, body bytes]`. Rejects when there
    /// is no HTTP response or the body cannot be read.
    #[wasm_bindgen(js_name = httpSend)]
    fn http_send(method: &str, url: &str, headers: Vec<String>, body: Option<&str>) -> Promise;
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
