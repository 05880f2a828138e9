//! The state behind one `AuthClient`: its configuration, what it learned about the provider,
//! the tokens it holds, and the sign-ins under way. Shared by the browser modules through
//! `Rc<Client>` (JS is single-threaded; borrows never live across an `.await`).

use std::cell::RefCell;

use crate::protocol::config::ClientConfig;
use crate::protocol::id_token::IdTokenClaims;

use super::flow::FlowState;
use super::provider::ProviderCache;

/// One client.
pub struct Client {
    /// The validated configuration.
    pub config: ClientConfig,
    /// Discovery document, endpoints, JWK set and imported keys.
    pub provider: ProviderCache,
    /// The tokens of the signed-in user, in memory (the token manager adds storage).
    pub tokens: RefCell<Option<TokenSet>>,
    /// Popup and silent sign-ins under way.
    pub flows: FlowState,
}

impl Client {
    /// A client with nothing learned and nobody signed in.
    pub fn new(config: ClientConfig) -> Self {
        Client {
            config,
            provider: ProviderCache::default(),
            tokens: RefCell::new(None),
            flows: FlowState::default(),
        }
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
