//! HTTP through `fetch`: sends the requests the protocol core builds, and hands back
//! status, the two headers the core reads, and the body bytes. One small JS helper does the
//! whole exchange (a single import instead of the Request, Headers and Response bindings).

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::token::{HttpRequest, HttpResponse, Method};
use crate::protocol::Error;

use super::client::Client;

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
/// [`Error::Network`] naming `context`; no complete response (body included) within
/// `httpTimeoutMs` aborts the request: [`Error::RequestTimeout`]. A stalled provider thus
/// cannot hold the renewal's Web Lock, and every tab waiting on it, for ever. Cookies are
/// never sent (`credentials: "omit"`): the token endpoint authenticates the client by
/// `client_id` and PKCE, not by a session, and responses are never cached (`cache:
/// "no-store"`).
pub async fn send(
    client: &Client,
    request: &HttpRequest,
    context: &'static str,
) -> Result<Response, Error> {
    let method = match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let headers: Vec<String> = request
        .headers
        .iter()
        .flat_map(|(name, value)| [String::from(*name), value.clone()])
        .collect();
    let promise = http_send(
        method,
        &request.url,
        headers,
        request.body.as_deref(),
        client.config.http_timeout_ms,
    );
    let answer: Array = JsFuture::from(promise)
        .await
        .map_err(|e| match e.as_string().as_deref() {
            Some("timeout") => Error::RequestTimeout { context },
            _ => Error::Network { context },
        })?
        .unchecked_into();
    Ok(Response {
        status: answer.get(0).as_f64().unwrap_or(0.0) as u16,
        content_type: answer.get(1).as_string(),
        www_authenticate: answer.get(2).as_string(),
        body: answer.get(3).unchecked_into::<Uint8Array>().to_vec(),
    })
}

#[wasm_bindgen(inline_js = r#"
export async function httpSend(method, url, flat, body, ms) {
  const headers = [];
  for (let i = 0; i < flat.length; i += 2) headers.push([flat[i], flat[i + 1]]);
  const abort = new AbortController();
  const init = { method, headers, credentials: 'omit', cache: 'no-store', signal: abort.signal };
  if (body !== undefined) init.body = body;
  const exchange = async () => {
    const r = await fetch(url, init);
    const h = r.headers;
    return [r.status, h.get('content-type') ?? undefined, h.get('www-authenticate') ?? undefined,
      new Uint8Array(await r.arrayBuffer())];
  };
  // The timer settles the call even if the fetch in use ignores the abort signal.
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => { abort.abort(); reject('timeout'); }, ms);
  });
  try {
    return await Promise.race([exchange(), late]);
  } finally {
    clearTimeout(timer);
  }
}
"#)]
extern "C" {
    /// `fetch(url, {method, headers, body, credentials: "omit", cache: "no-store"})`, read
    /// in full: `[status, content-type, www-authenticate, body bytes]`. Rejects when there
    /// is no HTTP response or the body cannot be read, with the string "timeout" when `ms`
    /// passed first (the request is then aborted).
    #[wasm_bindgen(js_name = httpSend)]
    fn http_send(
        method: &str,
        url: &str,
        headers: Vec<String>,
        body: Option<&str>,
        ms: u32,
    ) -> Promise;
}

/// `GET url` with `Accept: application/json`.
pub async fn get_json(
    client: &Client,
    url: &str,
    context: &'static str,
) -> Result<Response, Error> {
    let request = HttpRequest {
        method: Method::Get,
        url: url.to_owned(),
        headers: vec![("Accept", "application/json".to_owned())],
        body: None,
    };
    send(client, &request, context).await
}
