//! Sign-in in a popup window.
//!
//! Browsers let a page open a window only while it handles a user gesture, and an `await`
//! ends that: so [`sign_in_with_popup`] opens an empty window (`about:blank`) in its
//! synchronous part, before it returns the future, and points it at the authorize URL once
//! the endpoints are known. The response comes back as a `message` event
//! (`okta_post_message`, the default; `web_message`; or the app's callback page, see
//! [`super::messages::CALLBACK_MESSAGE_TYPE`]).
//!
//! Outcomes: the tokens, the provider's error, [`Error::PopupBlocked`] (`window.open` gave
//! no window), [`Error::PopupClosed`] (the user closed it; noticed within about 250 ms),
//! [`Error::Timeout`] (after `popupTimeoutMs`), or [`Error::PopupInProgress`] (another
//! popup sign-in of this client is open; that popup is brought to the front). The popup is
//! closed and every listener and timer removed on every outcome.

use std::future::Future;
use std::rc::Rc;

use js_sys::Object;
use web_sys::Window;

use crate::protocol::authorize::{AuthorizeParams, Flow};
use crate::protocol::Error;

use super::client::{Client, TokenSet};
use super::flow::{self, SignInOptions};
use super::messages::{self, Deadline, ExpectedMessage};

/// A new window every time: a named target could hand back a window some other sign-in
/// (another client on the page) is using.
const TARGET: &str = "_blank";

/// A popup, not a tab, sized for Okta's sign-in page.
const FEATURES: &str = "popup=yes,width=500,height=680";

const TIMEOUT: &str = "popup sign-in: no response from the provider within popupTimeoutMs";

/// The popup of one sign-in: dropping it closes the window and frees the client's popup
/// slot, so every outcome (and a future dropped before it finished) cleans up.
struct PopupGuard {
    client: Rc<Client>,
    popup: Window,
}

impl Drop for PopupGuard {
    fn drop(&mut self) {
        let _ = self.popup.close();
        let mut slot = self.client.flows.popup.borrow_mut();
        if slot.as_ref().is_some_and(|w| Object::is(w, &self.popup)) {
            *slot = None;
        }
    }
}

/// Opens the popup synchronously (inside the caller's click), then returns the future
/// that completes the sign-in. The options are read before the window opens, so a bad
/// option never flashes a window.
pub fn sign_in_with_popup(
    client: Rc<Client>,
    options: SignInOptions,
) -> impl Future<Output = Result<TokenSet, Error>> {
    let opened = read_params(&client, &options).and_then(|params| {
        let popup = open_popup(&client)?;
        Ok((
            params,
            PopupGuard {
                client: client.clone(),
                popup,
            },
        ))
    });
    async move {
        let (params, guard) = opened?;
        run(&client, &params, &guard).await
    }
}

fn read_params(client: &Client, options: &SignInOptions) -> Result<AuthorizeParams, Error> {
    let mode = flow::popup_response_mode(&client.config, options)?;
    flow::authorize_params(&client.config, options, Flow::Popup(mode))
}

/// `window.open` in the caller's task. One popup per client: while one is open, it is
/// focused and [`Error::PopupInProgress`] returned.
fn open_popup(client: &Client) -> Result<Window, Error> {
    if let Some(open) = client.flows.popup.borrow().as_ref() {
        if !open.closed().unwrap_or(true) {
            let _ = open.focus();
            return Err(Error::PopupInProgress);
        }
    }
    let window = web_sys::window().ok_or(Error::PopupBlocked)?;
    let popup = window
        .open_with_url_and_target_and_features("", TARGET, FEATURES)
        .ok()
        .flatten()
        .ok_or(Error::PopupBlocked)?;
    *client.flows.popup.borrow_mut() = Some(popup.clone());
    Ok(popup)
}

async fn run(
    client: &Client,
    params: &AuthorizeParams,
    guard: &PopupGuard,
) -> Result<TokenSet, Error> {
    let popup = &guard.popup;
    let (request, endpoints) = flow::build_request(client, params).await?;
    let expected = ExpectedMessage {
        origin: messages::expected_origin(&request.transaction, endpoints.authorize())?,
        source: popup.clone().into(),
        transaction: request.transaction.clone(),
        issuer: client.config.issuer.clone(),
        iss_parameter: flow::iss_parameter(client, request.transaction.response_mode).await?,
    };
    let deadline = Deadline {
        ms: client.config.popup_timeout_ms,
        what: TIMEOUT,
    };
    let callback = messages::await_response(expected, deadline, Some(popup.clone()), || {
        if popup.closed().unwrap_or(true) {
            return Err(Error::PopupClosed);
        }
        // replace, not assign: the about:blank page stays out of the popup's history.
        popup
            .location()
            .replace(&request.url)
            .map_err(|_| Error::PopupClosed)
    })
    .await?;
    // The user is done with the window; the code exchange needs none.
    let _ = popup.close();
    flow::complete_sign_in(client, &request.transaction, &callback, &endpoints, None).await
}
