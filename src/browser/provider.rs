//! What the client learns about the provider, cached per client: the discovery document
//! (or Okta's conventional endpoints), the JWK set and the imported WebCrypto keys.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::protocol::discovery::{
    derive_endpoints, discovery_url, process_discovery_response, Discovery, Endpoints,
};
use crate::protocol::id_token::{validate_id_token, IdTokenClaims, IdTokenExpectations};
use crate::protocol::jwks::{parse_jwks, select_jwk, JwkSet};
use crate::protocol::jwt::{parse_compact_jws_with_algs, JwsHeader, DEFAULT_ALLOWED_ALGS};
use crate::protocol::token::{error_from_response, is_media_type};
use crate::protocol::Error;

use super::client::Client;
use super::crypto::{self, KeyCache, SUPPORTED_ALGS};
use super::http;

pub use crate::protocol::jwks::{JWKS_MAX_AGE_SECONDS, JWKS_REFETCH_INTERVAL_SECONDS};

/// The per-client cache.
#[derive(Default)]
pub struct ProviderCache {
    discovery: RefCell<Option<Discovery>>,
    jwks: RefCell<Option<CachedJwks>>,
    /// When the JWK set was last fetched again because of an unknown `kid`.
    last_refetch: Cell<Option<i64>>,
    keys: KeyCache,
}

struct CachedJwks {
    set: Rc<JwkSet>,
    fetched_at: i64,
}

/// The endpoints to use: from the discovery document when the issuer's endpoints cannot
/// be derived from Okta's conventions; derived otherwise. Overrides from the configuration
/// win either way. Fetched once per client.
pub async fn endpoints(client: &Client) -> Result<Endpoints, Error> {
    if let Some(endpoints) = derive_endpoints(&client.config) {
        return Ok(endpoints);
    }
    Ok(discovery(client).await?.endpoints().clone())
}

/// The discovery document, fetched and checked once per client (OpenID Connect Discovery
/// §4). A success response must be `application/json` (§4.2), else
/// [`Error::InvalidResponse`]. A failed fetch is not cached, so the next call tries again.
pub async fn discovery(client: &Client) -> Result<Discovery, Error> {
    if let Some(d) = client.provider.discovery.borrow().as_ref() {
        return Ok(d.clone());
    }
    const CONTEXT: &str = "discovery document";
    let response = http::get_json(client, &discovery_url(&client.config.issuer), CONTEXT).await?;
    // OpenID Connect Discovery 1.0 §4.2: the document is served as application/json.
    // Anything else (an HTML login or error page with status 200) is refused before parsing.
    if response.status == 200
        && !is_media_type(response.content_type.as_deref(), "application/json")
    {
        return Err(Error::InvalidResponse {
            context: CONTEXT,
            problem: "Content-Type is not application/json",
        });
    }
    let d = process_discovery_response(response.status, &response.body, &client.config)?;
    *client.provider.discovery.borrow_mut() = Some(d.clone());
    Ok(d)
}

/// OpenID Connect Core 1.0 §3.1.3.7 steps 6-8 then every claim rule: the whole check of an
/// ID token, in this order, failing closed at each step.
///
/// 1. Parse it as a compact JWS (RFC 7515 §5.2) whose `alg` WebCrypto verifies here
///    ([`SUPPORTED_ALGS`]): `none`, `HS256` and the like are
///    [`Error::UnsupportedAlg`] before any request is made (RFC 8725 §3.1).
/// 2. The endpoints ([`endpoints`]; discovery only when they cannot be derived).
/// 3. The `alg` must also be one the provider says it signs ID tokens with, when the
///    discovery document is known and lists `id_token_signing_alg_values_supported`
///    (OpenID Connect Discovery 1.0 §3); without that list, RS256 (Core §3.1.3.7 step 7).
/// 4. The JWK set (`jwks_uri`), fetched once per client and used for at most
///    [`JWKS_MAX_AGE_SECONDS`]; success must be `application/json` or
///    `application/jwk-set+json` (RFC 7517 §8.5.1). When no key fits the header
///    ([`Error::KeyNotFound`]: a rotated key), the set is fetched once more, unless it was
///    just fetched for this call or was last fetched for that reason less than
///    [`JWKS_REFETCH_INTERVAL_SECONDS`] ago.
/// 5. [`select_jwk`] (RFC 7517 §4, RFC 7518 §3.3 key strength), then the signature with
///    WebCrypto over the received signing input ([`crypto::verify_jwt`]): a false
///    `verify` is [`Error::InvalidSignature`], and the token is trusted only after a true.
/// 6. [`validate_id_token`]: `typ`, `iss`, `aud`, `azp`, `exp`, `iat`, `nbf`, `sub`,
///    `nonce`, `at_hash`, `c_hash`, `auth_time`, with `now` as the clock.
pub async fn verify_id_token(
    client: &Client,
    id_token: &str,
    expected: &IdTokenExpectations<'_>,
    now: i64,
) -> Result<IdTokenClaims, Error> {
    let jwt = parse_compact_jws_with_algs(id_token, &SUPPORTED_ALGS)?;
    let endpoints = endpoints(client).await?;
    let alg = jwt.header().alg();
    if !allowed_algs(client).contains(&alg) {
        return Err(Error::UnsupportedAlg {
            alg: alg.to_owned(),
        });
    }
    let set = key_set_for(client, endpoints.keys(), jwt.header(), now).await?;
    let key = select_jwk(&set, jwt.header())?;
    let verified =
        crypto::verify_jwt(&client.provider.keys, &client.config.issuer, &key, jwt).await?;
    validate_id_token(&verified, expected, now)
}

/// [`SUPPORTED_ALGS`] narrowed to the discovery document's
/// `id_token_signing_alg_values_supported` when a document was fetched and lists it
/// (OpenID Connect Discovery 1.0 §3); [`DEFAULT_ALLOWED_ALGS`] otherwise (OpenID Connect
/// Core §3.1.3.7 step 7). Empty when the provider signs with nothing verifiable here.
fn allowed_algs(client: &Client) -> Vec<&'static str> {
    let discovery = client.provider.discovery.borrow();
    match discovery
        .as_ref()
        .and_then(Discovery::id_token_signing_alg_values_supported)
    {
        Some(published) => SUPPORTED_ALGS
            .iter()
            .copied()
            .filter(|alg| published.iter().any(|p| p == alg))
            .collect(),
        None => DEFAULT_ALLOWED_ALGS
            .iter()
            .copied()
            .filter(|alg| SUPPORTED_ALGS.contains(alg))
            .collect(),
    }
}

/// The JWK set to select `header`'s key from: the cached one while younger than
/// [`JWKS_MAX_AGE_SECONDS`], else fetched. If no key fits the header, fetched once more
/// (RFC 7517 §5 key rotation), rate-limited as [`verify_id_token`] says; the cached set
/// is kept when that fetch fails, and its error returned.
async fn key_set_for(
    client: &Client,
    url: &str,
    header: &JwsHeader,
    now: i64,
) -> Result<Rc<JwkSet>, Error> {
    let cache = &client.provider;
    let cached = cache
        .jwks
        .borrow()
        .as_ref()
        .filter(|c| now.abs_diff(c.fetched_at) < JWKS_MAX_AGE_SECONDS)
        .map(|c| c.set.clone());
    let Some(set) = cached else {
        // Just fetched: fetching again for an unknown kid would bring the same set.
        return fetch_and_cache_jwks(client, url, now).await;
    };
    if !matches!(select_jwk(&set, header), Err(Error::KeyNotFound { .. })) {
        return Ok(set);
    }
    // A clock set back by the interval or more counts as the interval having passed.
    let may_refetch = cache
        .last_refetch
        .get()
        .is_none_or(|last| now.abs_diff(last) >= JWKS_REFETCH_INTERVAL_SECONDS);
    if !may_refetch {
        return Ok(set);
    }
    // Recorded before the request, so that concurrent verifications refetch only once.
    cache.last_refetch.set(Some(now));
    fetch_and_cache_jwks(client, url, now).await
}

async fn fetch_and_cache_jwks(client: &Client, url: &str, now: i64) -> Result<Rc<JwkSet>, Error> {
    let set = Rc::new(fetch_jwks(client, url).await?);
    *client.provider.jwks.borrow_mut() = Some(CachedJwks {
        set: set.clone(),
        fetched_at: now,
    });
    Ok(set)
}

/// `GET jwks_uri` (OpenID Connect Discovery 1.0 §3, RFC 7517 §5). Status 200 served as
/// `application/json` or `application/jwk-set+json` (RFC 7517 §8.5.1) is parsed with
/// [`parse_jwks`]; another status is the provider's error or
/// [`Error::UnexpectedStatus`] ([`error_from_response`]); a fetch without response
/// (offline, CORS) is [`Error::Network`].
async fn fetch_jwks(client: &Client, url: &str) -> Result<JwkSet, Error> {
    const CONTEXT: &str = "JWK set";
    let response = http::get_json(client, url, CONTEXT).await?;
    if response.status != 200 {
        return Err(error_from_response(&response.as_http()));
    }
    let content_type = response.content_type.as_deref();
    if !is_media_type(content_type, "application/json")
        && !is_media_type(content_type, "application/jwk-set+json")
    {
        return Err(Error::InvalidResponse {
            context: CONTEXT,
            problem: "Content-Type is not application/json or application/jwk-set+json",
        });
    }
    parse_jwks(&response.body)
}
