//! The state behind one `AuthClient`: its configuration, what it learned about the provider,
//! the tokens it holds, and the sign-ins under way. Shared by the browser modules through
//! `Rc<Client>` (JS is single-threaded; borrows never live across an `.await`).

use std::cell::{Cell, RefCell};

use crate::protocol::config::ClientConfig;
use crate::protocol::id_token::IdTokenClaims;
use crate::protocol::token::TokenResponse;

use super::clock;
use super::flow::FlowState;
use super::provider::ProviderCache;
use super::tokens::TokenManager;

/// One client.
pub struct Client {
    /// The validated configuration.
    pub config: ClientConfig,
    /// Discovery document, endpoints, JWK set and imported keys.
    pub provider: ProviderCache,
    /// The tokens of the signed-in user, in memory; the token manager ([`super::tokens`])
    /// keeps them in step with storage. Write them only through it.
    pub tokens: RefCell<Option<TokenSet>>,
    /// Popup and silent sign-ins under way.
    pub flows: FlowState,
    /// Storage, events, renewal and auto-renew of the tokens ([`super::tokens`]).
    pub manager: TokenManager,
    /// Test support: when set, the time the token manager and sign-in completion use,
    /// instead of [`clock::now_seconds`].
    pub clock_override: Cell<Option<i64>>,
}

impl Client {
    /// A client with nothing learned and nobody signed in.
    pub fn new(config: ClientConfig) -> Self {
        Client {
            config,
            provider: ProviderCache::default(),
            tokens: RefCell::new(None),
            flows: FlowState::default(),
            manager: TokenManager::default(),
            clock_override: Cell::new(None),
        }
    }

    /// Seconds since the epoch: [`Client::clock_override`] if set, else the clock.
    pub fn now(&self) -> i64 {
        self.clock_override.get().unwrap_or_else(clock::now_seconds)
    }
}

/// An access token as the app uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The token itself.
    pub value: String,
    /// Seconds since the epoch (from `expires_in` and the clock at receipt), if known.
    pub expires_at: Option<i64>,
    /// The granted scopes (the response's `scope`, else the requested ones).
    pub scopes: Vec<String>,
    /// `Bearer`.
    pub token_type: String,
}

impl AccessToken {
    /// The access token of a token endpoint answer received at `now` (RFC 6749 §5.1): it
    /// expires `expires_in` seconds later; its scopes are the granted `scope`, else
    /// `requested` (the server may omit `scope` when it granted what was asked).
    pub fn from_token_response(
        answer: &TokenResponse,
        now: i64,
        requested: impl FnOnce() -> Vec<String>,
    ) -> Self {
        AccessToken {
            value: answer.access_token().to_owned(),
            expires_at: answer.expires_at(now),
            scopes: granted_scopes(answer.scope(), requested),
            token_type: answer.token_type().to_owned(),
        }
    }
}

/// A response's space-separated `scope`, or `requested` when it is absent or empty
/// (RFC 6749 §5.1: `scope` is optional when identical to the request).
pub fn granted_scopes(scope: Option<&str>, requested: impl FnOnce() -> Vec<String>) -> Vec<String> {
    match scope {
        Some(s) if !s.is_empty() => s.split(' ').map(str::to_owned).collect(),
        _ => requested(),
    }
}

/// What a sign-in or a renewal produced.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenSet {
    /// The validated ID token, when `openid` was asked for.
    pub id_token: Option<IdTokenClaims>,
    /// The access token, when the flow produced one.
    pub access_token: Option<AccessToken>,
    /// The refresh token, when `offline_access` was granted.
    pub refresh_token: Option<String>,
}
