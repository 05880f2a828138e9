//! RS256 signature verification with WebCrypto (RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with
//! SHA-256), over the exact bytes received (RFC 7515 §5.2 step 8), and the cache of keys
//! already imported, so that a warm verification costs one `crypto.subtle.verify` call.
//!
//! Only keys that [`select_jwk`](crate::protocol::jwks::select_jwk) chose, and so passed
//! its strength rules, reach `importKey`: this module takes a [`SelectedJwk`], never a
//! raw JWK. The only way from an [`UnverifiedJwt`] to a [`VerifiedJwt`] in the browser
//! layer is [`verify_jwt`], which marks a token verified only when `verify` said `true`.

use std::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::protocol::jwks::SelectedJwk;
use crate::protocol::jwt::{UnverifiedJwt, VerifiedJwt};
use crate::protocol::Error;

/// The JWS `alg` values this module verifies (defined by the protocol core).
pub use crate::protocol::jwt::SUPPORTED_ALGS;

/// WebCrypto's name for RS256 (Web Cryptography API, the RSASSA-PKCS1-v1_5 algorithm).
const RSASSA_PKCS1_V1_5: &str = "RSASSA-PKCS1-v1_5";

/// How many imported keys one cache keeps. A provider publishes two or three keys at a
/// time (current, next, previous); the bound stops a key set that keeps changing from
/// growing the cache without end.
pub const MAX_CACHED_KEYS: usize = 16;

fn crypto_error(problem: &'static str) -> Error {
    Error::Crypto { problem }
}

/// `globalThis.crypto.subtle`: present in windows and workers, but only in a secure
/// context (https, or http on localhost), as the WebCrypto specification requires.
fn subtle() -> Result<SubtleCrypto, Error> {
    let unavailable = || {
        crypto_error(
            "crypto.subtle is unavailable: WebCrypto needs a secure context (https or localhost)",
        )
    };
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .ok()
        .filter(JsValue::is_object)
        .ok_or_else(unavailable)?;
    Reflect::get(&crypto, &JsValue::from_str("subtle"))
        .ok()
        .and_then(|s| s.dyn_into::<SubtleCrypto>().ok())
        .ok_or_else(unavailable)
}

fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), Error> {
    Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| crypto_error("could not build the WebCrypto arguments"))
}

/// `{name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"}` (Web Cryptography API, RsaHashedImportParams).
fn rs256_import_params() -> Result<Object, Error> {
    let params = Object::new();
    set(&params, "name", &JsValue::from_str(RSASSA_PKCS1_V1_5))?;
    set(&params, "hash", &JsValue::from_str("SHA-256"))?;
    Ok(params)
}

/// Imports `jwk` as an RS256 verification key: `crypto.subtle.importKey("jwk", {kty:
/// "RSA", n, e, alg: "RS256", ext: true}, {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"},
/// false, ["verify"])`, with `n` and `e` exactly as the provider published them (RFC 7518
/// §6.3.1). The key is not extractable and can only verify. A refusal by WebCrypto is
/// [`Error::Crypto`].
pub async fn import_rs256_key(jwk: &SelectedJwk<'_>) -> Result<CryptoKey, Error> {
    let subtle = subtle()?;
    let key_data = Object::new();
    set(&key_data, "kty", &JsValue::from_str("RSA"))?;
    set(&key_data, "n", &JsValue::from_str(jwk.n()))?;
    set(&key_data, "e", &JsValue::from_str(jwk.e()))?;
    set(&key_data, "alg", &JsValue::from_str("RS256"))?;
    set(&key_data, "ext", &JsValue::TRUE)?;
    let usages = Array::of1(&JsValue::from_str("verify"));
    let refused = || crypto_error("WebCrypto refused to import the RSA key");
    let promise: Promise = subtle
        .import_key_with_object("jwk", &key_data, &rs256_import_params()?, false, &usages)
        .map_err(|_| refused())?;
    JsFuture::from(promise)
        .await
        .map_err(|_| refused())?
        .dyn_into::<CryptoKey>()
        .map_err(|_| refused())
}

/// `crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, data)` (RFC 8017 §8.2.2 with
/// SHA-256): `Ok(true)` only when WebCrypto answers `true`. A rejected promise or an
/// answer that is not a boolean is [`Error::Crypto`], never a `true`.
pub async fn verify_rs256(
    key: &CryptoKey,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<bool, Error> {
    let failed = || crypto_error("WebCrypto could not run the RS256 verification");
    // `verify()` takes a copy of both buffers before it returns (Web Cryptography API,
    // `verify()` steps 4-5), so handing it views into the wasm memory is safe.
    let promise = subtle()?
        .verify_with_str_and_u8_array_and_u8_array(RSASSA_PKCS1_V1_5, key, signature, signing_input)
        .map_err(|_| failed())?;
    JsFuture::from(promise)
        .await
        .map_err(|_| failed())?
        .as_bool()
        .ok_or_else(failed)
}

struct CachedKey {
    issuer: String,
    /// The `kid`; keys without one are told apart by `n`.
    kid: Option<String>,
    n: String,
    e: String,
    key: CryptoKey,
}

impl CachedKey {
    /// Same issuer, and same `kid` (or, without a `kid`, same `n`).
    fn is_slot_of(&self, issuer: &str, jwk: &SelectedJwk<'_>) -> bool {
        self.issuer == issuer
            && match jwk.kid() {
                Some(kid) => self.kid.as_deref() == Some(kid),
                None => self.kid.is_none() && self.n == jwk.n(),
            }
    }
}

/// Imported WebCrypto keys, by issuer and `kid` (issuer and `n` for a key without `kid`).
/// A cached key is used only if its `n` and `e` are still those of the key the JWK set now
/// publishes under that `kid`: a provider that reuses a `kid` for a new key gets the new
/// key imported, never the old one trusted.
#[derive(Default)]
pub struct KeyCache {
    entries: RefCell<Vec<CachedKey>>,
}

impl KeyCache {
    /// The imported key for `jwk`, from the cache or imported now (then cached, the oldest
    /// entry dropped beyond [`MAX_CACHED_KEYS`]). A failed import is not cached.
    pub async fn key_for(&self, issuer: &str, jwk: &SelectedJwk<'_>) -> Result<CryptoKey, Error> {
        let cached = self
            .entries
            .borrow()
            .iter()
            .find(|c| c.is_slot_of(issuer, jwk) && c.n == jwk.n() && c.e == jwk.e())
            .map(|c| c.key.clone());
        if let Some(key) = cached {
            return Ok(key);
        }
        let key = import_rs256_key(jwk).await?;
        let mut entries = self.entries.borrow_mut();
        entries.retain(|c| !c.is_slot_of(issuer, jwk));
        if entries.len() >= MAX_CACHED_KEYS {
            entries.remove(0);
        }
        entries.push(CachedKey {
            issuer: issuer.to_owned(),
            kid: jwk.kid().map(str::to_owned),
            n: jwk.n().to_owned(),
            e: jwk.e().to_owned(),
            key: key.clone(),
        });
        Ok(key)
    }
}

/// RFC 7515 §5.2 step 8: checks `jwt`'s signature over its signing input exactly as
/// received, with `jwk` (the key [`select_jwk`](crate::protocol::jwks::select_jwk) chose
/// for this token's header, imported once per issuer and `kid` through `keys`). Returns
/// the [`VerifiedJwt`] only when WebCrypto's `verify` answered `true`; `false` is
/// [`Error::InvalidSignature`]. A header `alg` other than RS256 is
/// [`Error::UnsupportedAlg`] (RFC 8725 §3.1), whatever the caller allowed.
pub async fn verify_jwt(
    keys: &KeyCache,
    issuer: &str,
    jwk: &SelectedJwk<'_>,
    jwt: UnverifiedJwt,
) -> Result<VerifiedJwt, Error> {
    if !SUPPORTED_ALGS.contains(&jwt.header().alg()) {
        return Err(Error::UnsupportedAlg {
            alg: jwt.header().alg().to_owned(),
        });
    }
    let key = keys.key_for(issuer, jwk).await?;
    if verify_rs256(&key, jwt.signing_input(), jwt.signature()).await? {
        Ok(jwt.into_verified_unchecked())
    } else {
        Err(Error::InvalidSignature)
    }
}
