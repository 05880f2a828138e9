//! What every sign-in shares: per-call options turned into an authorize request, and the
//! completion of a validated authorization response (code exchange, ID token validation,
//! the [`TokenSet`] kept in the client).
//!
//! The protocol decisions are the core's ([`build_authorize_request`],
//! [`process_token_response`], the ID token rules behind [`provider::verify_id_token`]);
//! this module feeds them endpoints, randomness and the clock.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use web_sys::Window;

use crate::protocol::authorize::{
    build_authorize_request, AuthorizeParams, AuthorizeRandomness, AuthorizeRequest, Display, Flow,
    Prompt, ResponseMode, Transaction,
};
use crate::protocol::config::{ClientConfig, PopupResponseMode, ResponseType};
use crate::protocol::discovery::{derive_endpoints, Endpoints};
use crate::protocol::id_token::{Expect, IdTokenClaims, IdTokenExpectations, IdTokenSource};
use crate::protocol::renewal::validate_renewed_sub;
use crate::protocol::response::{Callback, IssParameter};
use crate::protocol::token::{build_authorization_code_request, process_token_response};
use crate::protocol::Error;

use super::client::{granted_scopes, AccessToken, Client, TokenSet};
use super::{http, provider, random, tokens};

/// Per-call sign-in options, as read by the facade from JS `SignInOptions`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignInOptions {
    /// `scopes`
    pub scopes: Option<Vec<String>>,
    /// `responseType`
    pub response_type: Option<String>,
    /// `responseMode`
    pub response_mode: Option<String>,
    /// `prompt`
    pub prompt: Option<String>,
    /// `display`
    pub display: Option<String>,
    /// `maxAge`
    pub max_age: Option<u32>,
    /// `loginHint`
    pub login_hint: Option<String>,
    /// `idp`
    pub idp: Option<String>,
    /// `idpScope`
    pub idp_scope: Option<String>,
    /// `sessionToken`
    pub session_token: Option<String>,
    /// `acrValues`
    pub acr_values: Option<String>,
    /// `state`
    pub state: Option<String>,
    /// `nonce`
    pub nonce: Option<String>,
    /// `extraParams`
    pub extra_params: Vec<(String, String)>,
    /// `appState`, already `JSON.stringify`-ed (redirect sign-in only).
    pub app_state: Option<String>,
    /// `redirectUri`: overrides the configured one for this call.
    pub redirect_uri: Option<String>,
    /// `popupResponseMode`: overrides the configured one for this call.
    pub popup_response_mode: Option<String>,
    /// Not an option of the JS API: set by a renewal through a silent sign-in, the tokens
    /// it renews ([`complete_sign_in`] keeps the answer only for that user, and only while
    /// those tokens are still held).
    pub renewing: Option<TokenSet>,
}

impl SignInOptions {
    /// The options of a renewal through a silent sign-in of the tokens `held`.
    #[inline(never)]
    pub fn renewing(held: TokenSet) -> SignInOptions {
        SignInOptions {
            renewing: Some(held),
            ..SignInOptions::default()
        }
    }
}

/// Popup and silent sign-ins under way in one client.
#[derive(Default)]
pub struct FlowState {
    /// The window of the popup sign-in under way: one at a time per client.
    pub(crate) popup: RefCell<Option<Window>>,
    /// The silent sign-in under way, with the options it was started with: a concurrent
    /// call with the same options waits for its result instead of starting another.
    pub(crate) silent: RefCell<Option<(SignInOptions, Signal<Result<TokenSet, Error>>)>>,
}

/// A value set once and awaited by any number of tasks: the meeting point of event
/// listeners, timers and the futures that wait on them. The first [`Signal::set`] wins;
/// later ones are ignored, so a message, a timeout and a closed popup can race safely.
pub struct Signal<T> {
    inner: Rc<RefCell<SignalState<T>>>,
}

struct SignalState<T> {
    value: Option<T>,
    wakers: Vec<Waker>,
}

impl<T> Clone for Signal<T> {
    fn clone(&self) -> Self {
        Signal {
            inner: self.inner.clone(),
        }
    }
}

impl<T: Clone> Default for Signal<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> Signal<T> {
    /// A signal not yet set.
    pub fn new() -> Self {
        Signal {
            inner: Rc::new(RefCell::new(SignalState {
                value: None,
                wakers: Vec::new(),
            })),
        }
    }

    /// Sets the value and wakes every waiter, unless a value was set before.
    pub fn set(&self, value: T) {
        let wakers = {
            let mut state = self.inner.borrow_mut();
            if state.value.is_some() {
                return;
            }
            state.value = Some(value);
            std::mem::take(&mut state.wakers)
        };
        // Woken outside the borrow: a waker may poll (and so borrow) right away.
        for waker in wakers {
            waker.wake();
        }
    }

    /// Whether a value was set.
    pub fn is_set(&self) -> bool {
        self.inner.borrow().value.is_some()
    }

    /// Whether `other` is this very signal (a clone of it), not merely an equal one.
    pub fn same_as(&self, other: &Signal<T>) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }

    /// A future of (a clone of) the value.
    pub fn wait(&self) -> SignalFuture<T> {
        SignalFuture {
            signal: self.clone(),
        }
    }
}

/// The future [`Signal::wait`] returns.
pub struct SignalFuture<T> {
    signal: Signal<T>,
}

impl<T: Clone> Future for SignalFuture<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.signal.inner.borrow_mut();
        if let Some(value) = &state.value {
            return Poll::Ready(value.clone());
        }
        if !state.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            state.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

fn invalid(name: &str, problem: &'static str) -> Error {
    Error::InvalidParameter {
        name: name.to_owned(),
        problem,
    }
}

/// Reads a per-call `responseType` with the same rule as the configuration's
/// ([`ResponseType::parse`]); the protocol core checks the combination.
pub fn parse_response_type(value: &str) -> Result<ResponseType, Error> {
    ResponseType::parse(value).map_err(|problem| invalid("responseType", problem))
}

/// How a popup or silent sign-in gets its response back: the per-call `popupResponseMode`,
/// else the configured one.
pub fn popup_response_mode(
    config: &ClientConfig,
    options: &SignInOptions,
) -> Result<PopupResponseMode, Error> {
    match options.popup_response_mode.as_deref() {
        None => Ok(config.popup_response_mode),
        Some("okta_post_message") => Ok(PopupResponseMode::OktaPostMessage),
        Some("web_message") => Ok(PopupResponseMode::WebMessage),
        Some("callback") => Ok(PopupResponseMode::Callback),
        Some(_) => Err(invalid(
            "popupResponseMode",
            "must be \"okta_post_message\", \"web_message\" or \"callback\"",
        )),
    }
}

/// The authorize parameters for one call (OpenID Connect Core 1.0 §3.1.2.1): the
/// configuration's, each overridden by the call's option when given. Values are checked by
/// [`build_authorize_request`]; only their syntax is read here.
pub fn authorize_params(
    config: &ClientConfig,
    options: &SignInOptions,
    flow: Flow,
) -> Result<AuthorizeParams, Error> {
    let mut p = AuthorizeParams::from_config(config, flow);
    if let Some(scopes) = &options.scopes {
        p.scopes = scopes.clone();
    }
    if let Some(rt) = &options.response_type {
        p.response_type = parse_response_type(rt)?;
    }
    if let Some(mode) = &options.response_mode {
        p.response_mode = Some(ResponseMode::parse(mode)?);
    }
    if let Some(prompt) = &options.prompt {
        p.prompt = Some(Prompt::parse(prompt)?);
    }
    p.display = match options.display.as_deref() {
        None => None,
        Some("page") => Some(Display::Page),
        Some("popup") => Some(Display::Popup),
        Some(_) => return Err(invalid("display", "must be \"page\" or \"popup\"")),
    };
    if let Some(uri) = &options.redirect_uri {
        p.redirect_uri = uri.clone();
    }
    p.max_age = options.max_age;
    p.login_hint = options.login_hint.clone();
    p.idp = options.idp.clone();
    p.idp_scope = options.idp_scope.clone();
    p.session_token = options.session_token.clone();
    p.acr_values = options.acr_values.clone();
    p.state = options.state.clone();
    p.nonce = options.nonce.clone();
    p.extra = options.extra_params.clone();
    Ok(p)
}

/// Builds the authorize request of one sign-in (RFC 6749 §4.1.1, OpenID Connect Core 1.0
/// §3.1.2.1, PKCE per RFC 7636 §4.2) from parameters already read by [`authorize_params`]
/// (so a bad option fails before any network request): the endpoints, then fresh
/// randomness. Returns the endpoints too, for the token request that follows.
pub async fn build_request(
    client: &Client,
    params: &AuthorizeParams,
) -> Result<(AuthorizeRequest, Endpoints), Error> {
    let endpoints = provider::endpoints(client).await?;
    let bytes = random::random_bytes::<{ AuthorizeRandomness::LEN }>()?;
    let request = build_authorize_request(
        endpoints.authorize(),
        params,
        &AuthorizeRandomness::from_bytes(&bytes),
    )?;
    Ok((request, endpoints))
}

/// The authorize request of a redirect sign-in, built with the client's endpoints: the
/// response comes back to `redirect_uri` in the query (`code`) or the fragment (tokens),
/// per OAuth 2.0 Multiple Response Type Encoding Practices §5, unless `responseMode` says
/// otherwise. Nothing is stored: the caller keeps the transaction.
pub async fn build_authorize_url(
    client: &Rc<Client>,
    options: &SignInOptions,
) -> Result<AuthorizeRequest, Error> {
    let params = authorize_params(&client.config, options, Flow::Redirect)?;
    Ok(build_request(client, &params).await?.0)
}

/// Whether authorization responses must carry `iss` (RFC 9207 §2.4): only when the
/// discovery document says so. An issuer whose endpoints are known without discovery
/// (Okta's conventions, or overrides) fetches none, and `iss` is then checked when present.
/// Okta's `okta_post_message` payload never carries `iss` (a flat object predating RFC
/// 9207), so in that mode `iss` is checked when present, whatever discovery says; the
/// message's origin and source are checked instead.
pub async fn iss_parameter(client: &Client, mode: ResponseMode) -> Result<IssParameter, Error> {
    if mode == ResponseMode::OktaPostMessage || derive_endpoints(&client.config).is_some() {
        return Ok(IssParameter::CheckIfPresent);
    }
    Ok(provider::discovery(client).await?.iss_parameter())
}

/// Completes a sign-in from its transaction and its validated authorization response, and
/// keeps the tokens in the client:
///
/// 1. An ID token from the authorization response is verified first (signature, then
///    OpenID Connect Core 1.0 §3.1.3.7) against the nonce sent, with `at_hash` / `c_hash`
///    for what came along (§3.2.2.11, §3.3.2.12): before the code is redeemed (§3.3.2.8),
///    since without RFC 9207 `iss` its signed `iss` is the only mix-up defence (RFC 9700
///    §4.4), and a code and verifier meant for another provider must not be sent anywhere.
/// 2. A code is exchanged at the token endpoint with the PKCE verifier and the same
///    `redirect_uri` (RFC 6749 §4.1.3, RFC 7636 §4.5), and the answer read by
///    [`process_token_response`] (RFC 6749 §5.1). An ID token from the token endpoint is
///    verified against the nonce sent too (§3.1.3.7 step 11), `at_hash` checked when
///    present (§3.1.3.8).
/// 3. When both came (hybrid flow), their `sub` must be identical (§3.3.3.6; `iss` is
///    already the configured issuer in both), and the token endpoint's is kept.
/// 4. When an ID token was asked for (`id_token`, or `code` with the `openid` scope,
///    §3.1.3.3) and none came, [`Error::MissingParameter`] `id_token`.
/// 5. The access token: the token endpoint's if a code was exchanged, else the
///    authorization response's (implicit flow); it expires `expires_in` seconds after it
///    arrived; its scopes are the granted `scope`, else the requested ones (RFC 6749 §5.1).
/// 6. A renewal (`renewing`: the tokens renewed) must bring the ID token of their user
///    back ([`validate_renewed_sub`]), or [`Error::SubMismatch`] and nothing is kept: a
///    provider session that now belongs to someone else must not swap the signed-in user
///    without a sign-in. And its answer is kept only while those tokens are still held
///    ([`tokens::superseded`]): a sign-out during the renewal stays a sign-out.
pub async fn complete_sign_in(
    client: &Client,
    transaction: &Transaction,
    callback: &Callback,
    endpoints: &Endpoints,
    renewing: Option<&TokenSet>,
) -> Result<TokenSet, Error> {
    let front_id_token = match callback.id_token() {
        None => None,
        Some(id_token) => {
            let source = IdTokenSource::AuthorizationResponse {
                nonce: &transaction.nonce,
                access_token: callback.access_token(),
                code: callback.code(),
            };
            Some(verify(client, transaction, id_token, source, client.now()).await?)
        }
    };
    let token_response = match callback.code() {
        None => None,
        Some(code) => {
            let verifier = transaction
                .code_verifier
                .as_deref()
                .ok_or(Error::InvalidCodeVerifier)?;
            let request = build_authorization_code_request(
                endpoints.token(),
                &client.config.client_id,
                code,
                &transaction.redirect_uri,
                verifier,
            );
            let response = http::send(client, &request, "token endpoint").await?;
            Some(process_token_response(&response.as_http())?)
        }
    };
    let now = client.now();
    let back_id_token = match token_response.as_ref().and_then(|t| t.id_token()) {
        None => None,
        Some(id_token) => {
            let source = IdTokenSource::TokenResponse {
                nonce: Expect::Value(&transaction.nonce),
                access_token: token_response.as_ref().map(|t| t.access_token()),
            };
            Some(verify(client, transaction, id_token, source, now).await?)
        }
    };
    let id_token = match (front_id_token, back_id_token) {
        (Some(front), Some(back)) => {
            if front.sub() != back.sub() {
                return Err(Error::SubMismatch {
                    problem:
                        "the two ID tokens name different users (OpenID Connect Core §3.3.3.6)",
                });
            }
            Some(back)
        }
        (front, back) => back.or(front),
    };
    if id_token.is_none() && transaction.expects_id_token() {
        return Err(Error::MissingParameter { name: "id_token" });
    }

    let requested = || transaction.scopes.clone();
    let (access_token, refresh_token) = match &token_response {
        Some(t) => (
            Some(AccessToken::from_token_response(t, now, requested)),
            t.refresh_token().map(str::to_owned),
        ),
        None => (
            callback.access_token().map(|value| AccessToken {
                value: value.to_owned(),
                expires_at: callback
                    .expires_in()
                    .map(|s| now.saturating_add(i64::from(s))),
                scopes: granted_scopes(callback.scope(), requested),
                token_type: callback.token_type().unwrap_or("Bearer").to_owned(),
            }),
            None,
        ),
    };

    if let Some(held) = renewing {
        validate_renewed_sub(
            held.id_token.as_ref().map(IdTokenClaims::sub),
            id_token.as_ref().map(IdTokenClaims::sub),
        )?;
        if let Some(outcome) = tokens::superseded(client, held) {
            return outcome;
        }
    }

    let tokens = TokenSet {
        id_token,
        access_token,
        refresh_token,
    };
    tokens::store(client, tokens.clone());
    Ok(tokens)
}

async fn verify(
    client: &Client,
    transaction: &Transaction,
    id_token: &str,
    source: IdTokenSource<'_>,
    now: i64,
) -> Result<IdTokenClaims, Error> {
    let mut expected = IdTokenExpectations::new(&client.config, source);
    // OpenID Connect Core 1.0 §3.1.3.7 step 13: auth_time against the max_age sent.
    expected.max_age = transaction.max_age;
    provider::verify_id_token(client, id_token, &expected, now).await
}
