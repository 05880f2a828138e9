//! Silent sign-in in a hidden iframe (OpenID Connect Core 1.0 §3.1.2.1 `prompt=none`): the
//! provider answers from its session cookie without showing a page, or with
//! `login_required` (`consent_required`, `interaction_required`) when it would need one.
//!
//! The iframe is `display: none` (out of layout and of the accessibility tree) and removed
//! on every outcome. The response comes back as a `message` event, as for the popup
//! (`okta_post_message` unless `popupResponseMode` says otherwise; see
//! [`super::messages`]). Concurrent calls with the same options share one request.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlIFrameElement;

use crate::protocol::authorize::Flow;
use crate::protocol::Error;

use super::client::{Client, TokenSet};
use super::flow::{self, SignInOptions, Signal};
use super::messages::{self, Deadline, ExpectedMessage};

/// What a silent timeout says: `prompt=none` never shows a page, so silence means the
/// response could not reach the app.
pub const TIMEOUT: &str = "silent sign-in: no response from the provider within silentTimeoutMs. Likely causes: the browser blocks third-party cookies (the provider's session is not sent to the hidden iframe), the app's origin is not a trusted origin or the redirect URI is not registered with the provider, or the provider refuses to be framed (X-Frame-Options / CSP frame-ancestors)";

/// The hidden iframe of one silent sign-in; dropping it removes it from the page.
struct IframeGuard(HtmlIFrameElement);

impl Drop for IframeGuard {
    fn drop(&mut self) {
        self.0.remove();
    }
}

/// Joined silent sign-in: dropping it before the result is known (the leading call was
/// abandoned) releases the waiters with an error rather than leaving them hanging, and
/// frees the client's slot.
struct SharedGuard {
    client: Rc<Client>,
    signal: Signal<Result<TokenSet, Error>>,
}

impl Drop for SharedGuard {
    fn drop(&mut self) {
        self.signal.set(Err(Error::Internal {
            problem: "the silent sign-in that this call was waiting for was abandoned".into(),
        }));
        let mut slot = self.client.flows.silent.borrow_mut();
        if slot.as_ref().is_some_and(|(_, s)| s.same_as(&self.signal)) {
            *slot = None;
        }
    }
}

/// `prompt=none` in a hidden iframe; concurrent calls share one request. A call made while
/// another with the same options is under way waits for that one's result (the tokens, or
/// its error); a call with other options runs its own request.
pub async fn sign_in_silently(
    client: Rc<Client>,
    options: SignInOptions,
) -> Result<TokenSet, Error> {
    let joined = client
        .flows
        .silent
        .borrow()
        .as_ref()
        .filter(|(o, _)| *o == options)
        .map(|(_, signal)| signal.clone());
    if let Some(signal) = joined {
        return signal.wait().await;
    }
    let guard = {
        let mut slot = client.flows.silent.borrow_mut();
        if slot.is_some() {
            None
        } else {
            let signal = Signal::new();
            *slot = Some((options.clone(), signal.clone()));
            Some(SharedGuard {
                client: client.clone(),
                signal,
            })
        }
    };
    let result = run(&client, &options).await;
    if let Some(guard) = guard {
        guard.signal.set(result.clone());
    }
    result
}

async fn run(client: &Client, options: &SignInOptions) -> Result<TokenSet, Error> {
    let mode = flow::popup_response_mode(&client.config, options)?;
    let params = flow::authorize_params(&client.config, options, Flow::Silent(mode))?;
    let (request, endpoints) = flow::build_request(client, &params).await?;
    let origin = messages::expected_origin(&request.transaction, endpoints.authorize())?;
    let iss_parameter = flow::iss_parameter(client, request.transaction.response_mode).await?;

    let internal = |problem: &'static str| Error::Internal {
        problem: problem.into(),
    };
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(internal("no document: silent sign-in needs a browser page"))?;
    let iframe: HtmlIFrameElement = document
        .create_element("iframe")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or(internal("could not create an iframe"))?;
    let iframe = IframeGuard(iframe);
    let _ = iframe.0.style().set_property("display", "none");
    let _ = iframe.0.set_attribute("aria-hidden", "true");
    let _ = iframe.0.set_attribute("tabindex", "-1");
    let _ = iframe
        .0
        .set_attribute("title", "okta-auth-wasm silent sign-in");
    let parent = match document.body() {
        Some(body) => body.into(),
        None => document
            .document_element()
            .ok_or(internal("the document has no element to hold the iframe"))?,
    };
    parent
        .insert_adjacent_element("beforeend", &iframe.0)
        .map_err(|_| internal("could not insert the iframe"))?;
    // The browsing context exists once the iframe is in the document; its WindowProxy
    // stays the same across the navigations that follow.
    let content = iframe
        .0
        .content_window()
        .ok_or(internal("the iframe has no window"))?;

    let expected = ExpectedMessage {
        origin,
        source: content.into(),
        transaction: request.transaction.clone(),
        issuer: client.config.issuer.clone(),
        iss_parameter,
    };
    let deadline = Deadline {
        ms: client.config.silent_timeout_ms,
        what: TIMEOUT,
    };
    let callback = messages::await_response(expected, deadline, None, || {
        iframe.0.set_src(&request.url);
        Ok(())
    })
    .await?;
    drop(iframe);
    flow::complete_sign_in(
        client,
        &request.transaction,
        &callback,
        &endpoints,
        options.renewing.as_ref(),
    )
    .await
}
