//! The endpoints used after sign-in, with the tokens the client holds: userinfo (OpenID
//! Connect Core §5.3), introspection (RFC 7662), revocation (RFC 7009) and sign-out
//! (OpenID Connect RP-Initiated Logout 1.0). The requests and the reading of the responses
//! are the protocol core's ([`crate::protocol::resource`]); this module picks the tokens,
//! sends, and forgets what was revoked.

use std::rc::Rc;

use crate::protocol::config::Endpoint;
use crate::protocol::discovery::Endpoints;
use crate::protocol::resource::{
    build_end_session_url, build_introspect_request, build_revoke_request, build_userinfo_request,
    process_introspect_response, process_revoke_response, process_userinfo_response, Introspection,
    RevocableToken, TokenTypeHint, UserInfo,
};
use crate::protocol::Error;

use super::client::{Client, TokenSet};
use super::{http, provider, tokens};

/// `signOut` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOutOptions {
    /// Revoke the refresh then the access token first (default true).
    pub revoke: bool,
    /// Overrides the configured `postLogoutRedirectUri`.
    pub post_logout_redirect_uri: Option<String>,
    /// `state` for the end-session request.
    pub state: Option<String>,
    /// Only clear local tokens (default false).
    pub local: bool,
}

impl Default for SignOutOptions {
    fn default() -> Self {
        SignOutOptions {
            revoke: true,
            post_logout_redirect_uri: None,
            state: None,
            local: false,
        }
    }
}

/// An optional endpoint the provider does not publish and the app did not configure.
fn no_endpoint(endpoint: Endpoint) -> Error {
    Error::InvalidConfig {
        field: endpoint.field(),
        problem: "is needed: the provider's discovery document names no such endpoint",
    }
}

fn endpoint(endpoints: &Endpoints, endpoint: Endpoint) -> Result<&str, Error> {
    endpoints.get(endpoint).ok_or_else(|| no_endpoint(endpoint))
}

/// OpenID Connect Core §5.3.1 / §5.3.2: the userinfo claims for the held access token,
/// sent as `Authorization: Bearer` (RFC 6750 §2.1). Their `sub` must be the held ID
/// token's, or [`Error::SubMismatch`]: the claims could be another user's.
///
/// - No access token held: [`Error::NotAuthenticated`] "an access token"; no ID token
///   held: "an ID token" (without one, `sub` cannot be checked). Expiry is not checked
///   here: the provider decides, and answers `invalid_token`.
/// - A 401/403 with `WWW-Authenticate: Bearer error="..."` is that error (RFC 6750 §3.1:
///   code `invalid_token`, `insufficient_scope`). The tokens are kept: what to do about a
///   rejected token (renew, sign in again) is the app's or the token manager's decision.
/// - No userinfo endpoint known: [`Error::InvalidConfig`] naming `endpoints.userinfo`.
pub async fn get_user(client: Rc<Client>) -> Result<UserInfo, Error> {
    tokens::sync(&client);
    let (access_token, expected_sub) = {
        let tokens = client.tokens.borrow();
        let tokens = tokens.as_ref();
        let access_token = tokens
            .and_then(|t| t.access_token.as_ref())
            .map(|t| t.value.clone());
        let sub = tokens
            .and_then(|t| t.id_token.as_ref())
            .map(|id| id.sub().to_owned());
        (access_token, sub)
    };
    let access_token = access_token.ok_or(Error::NotAuthenticated {
        missing: "an access token",
    })?;
    let expected_sub = expected_sub.ok_or(Error::NotAuthenticated {
        missing: "an ID token",
    })?;
    let endpoints = provider::endpoints(&client).await?;
    let request = build_userinfo_request(endpoint(&endpoints, Endpoint::Userinfo)?, &access_token)?;
    let response = http::send(&client, &request, "userinfo endpoint").await?;
    process_userinfo_response(&response.as_http(), &expected_sub)
}

/// RFC 7662 §2: introspects any token, the client authenticating by `client_id` in the
/// form body (never a `Basic` header). `hint` is `access_token`, `refresh_token` or
/// `id_token` (Okta), anything else [`Error::InvalidParameter`] before any request.
/// No introspection endpoint known: [`Error::InvalidConfig`] naming `endpoints.introspect`.
pub async fn introspect(
    client: Rc<Client>,
    token: String,
    hint: Option<String>,
) -> Result<Introspection, Error> {
    let hint = hint.as_deref().map(TokenTypeHint::parse).transpose()?;
    let endpoints = provider::endpoints(&client).await?;
    let request = build_introspect_request(
        endpoint(&endpoints, Endpoint::Introspect)?,
        &client.config.client_id,
        &token,
        hint,
    )?;
    let response = http::send(&client, &request, "introspection endpoint").await?;
    process_introspect_response(&response.as_http())
}

/// RFC 7009 §2: revokes the held access or refresh token, then forgets it locally, only
/// once the provider answered 200 (§2.2); on any error the token is kept, so the app can
/// retry. A token the client no longer holds by then (replaced by a renewal during the
/// request) is left alone: only the revoked value is forgotten.
///
/// Nothing held: [`Error::NotAuthenticated`] "an access token" / "a refresh token". No
/// revocation endpoint known: [`Error::InvalidConfig`] naming `endpoints.revoke`.
pub async fn revoke(client: Rc<Client>, which: RevocableToken) -> Result<(), Error> {
    tokens::sync(&client);
    let token = held(client.tokens.borrow().as_ref(), which).ok_or(match which {
        RevocableToken::AccessToken => Error::NotAuthenticated {
            missing: "an access token",
        },
        RevocableToken::RefreshToken => Error::NotAuthenticated {
            missing: "a refresh token",
        },
    })?;
    let endpoints = provider::endpoints(&client).await?;
    revoke_token(
        &client,
        endpoint(&endpoints, Endpoint::Revoke)?,
        &token,
        which,
    )
    .await?;
    let current = client.tokens.borrow().clone();
    if let Some(mut set) = current {
        if held(Some(&set), which).as_deref() == Some(token.as_str()) {
            let mut removed = TokenSet {
                id_token: None,
                access_token: None,
                refresh_token: None,
            };
            match which {
                RevocableToken::AccessToken => removed.access_token = set.access_token.take(),
                RevocableToken::RefreshToken => removed.refresh_token = set.refresh_token.take(),
            }
            tokens::remove(&client, Some(set), &removed);
        }
    }
    Ok(())
}

fn held(tokens: Option<&TokenSet>, which: RevocableToken) -> Option<String> {
    let tokens = tokens?;
    match which {
        RevocableToken::AccessToken => tokens.access_token.as_ref().map(|t| t.value.clone()),
        RevocableToken::RefreshToken => tokens.refresh_token.clone(),
    }
}

async fn revoke_token(
    client: &Client,
    endpoint: &str,
    token: &str,
    which: RevocableToken,
) -> Result<(), Error> {
    let request = build_revoke_request(endpoint, &client.config.client_id, token, which)?;
    let response = http::send(client, &request, "revocation endpoint").await?;
    process_revoke_response(&response.as_http())
}

/// Everything [`sign_out`] does but the navigation; returns the URL to navigate to, if any.
///
/// - `local: true`: clears the local tokens; nothing is sent, no URL (the other options are
///   ignored).
/// - Otherwise the endpoints are looked up first (discovery, cached), then the end-session
///   URL is built (OpenID Connect RP-Initiated Logout 1.0 §2, see
///   [`build_end_session_url`]): `id_token_hint` is the held ID token, expired or not;
///   `post_logout_redirect_uri` the option, else the configured one; `state` the option.
///   Unusable options ([`Error::InvalidParameter`]) reject here, before anything is done.
/// - From then on the local session ends whatever happens: the local tokens are cleared
///   first (a slow or hanging revocation cannot keep them usable), also when the endpoint
///   lookup failed, in which case that error is returned after clearing.
/// - With `revoke` (the default), the refresh token then the access token are revoked
///   (RFC 7009), each only if held and only if a revocation endpoint is known. Revocation is
///   best effort: a failure is not reported and does not stop the sign-out, since the
///   local session is already over and the end-session request still ends the provider's.
/// - No end-session endpoint known: `None` (the sign-out is local plus revocation).
pub async fn sign_out_url(
    client: Rc<Client>,
    options: SignOutOptions,
) -> Result<Option<String>, Error> {
    tokens::sync(&client);
    if options.local {
        tokens::clear(&client);
        return Ok(None);
    }
    let endpoints = match provider::endpoints(&client).await {
        Ok(endpoints) => endpoints,
        Err(e) => {
            tokens::clear(&client);
            return Err(e);
        }
    };
    let id_token_hint = client
        .tokens
        .borrow()
        .as_ref()
        .and_then(|t| t.id_token.as_ref())
        .map(|id| id.id_token().to_owned());
    let post_logout_redirect_uri = options
        .post_logout_redirect_uri
        .as_deref()
        .or(client.config.post_logout_redirect_uri.as_deref());
    let url = endpoints
        .logout()
        .map(|logout| {
            build_end_session_url(
                logout,
                &client.config.client_id,
                id_token_hint.as_deref(),
                post_logout_redirect_uri,
                options.state.as_deref(),
            )
        })
        .transpose()?;

    let held = tokens::clear(&client);
    if let (true, Some(revoke), Some(held)) = (options.revoke, endpoints.revoke(), held) {
        if let Some(refresh_token) = &held.refresh_token {
            let _ =
                revoke_token(&client, revoke, refresh_token, RevocableToken::RefreshToken).await;
        }
        if let Some(access_token) = &held.access_token {
            let _ = revoke_token(
                &client,
                revoke,
                &access_token.value,
                RevocableToken::AccessToken,
            )
            .await;
        }
    }
    Ok(url)
}

/// Signs out ([`sign_out_url`]), then navigates the page to the end-session endpoint
/// (OpenID Connect RP-Initiated Logout 1.0 §2) with `location.assign`, when one is known.
/// Resolves just before the page starts to leave.
pub async fn sign_out(client: Rc<Client>, options: SignOutOptions) -> Result<(), Error> {
    let Some(url) = sign_out_url(client, options).await? else {
        return Ok(());
    };
    let location = web_sys::window()
        .ok_or(Error::Internal {
            problem: String::from("signOut needs a window to navigate"),
        })?
        .location();
    location.assign(&url).map_err(|_| Error::InvalidParameter {
        name: String::from("end_session_endpoint"),
        problem: "could not be navigated to",
    })
}
