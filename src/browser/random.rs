//! Randomness from `crypto.getRandomValues` (through getrandom's `wasm_js` backend).

use crate::protocol::pkce::{generate_pkce, Pkce, VERIFIER_RANDOM_BYTES};
use crate::protocol::Error;

/// `N` bytes from the browser's CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Error::RandomUnavailable)?;
    Ok(bytes)
}

/// A fresh PKCE verifier and challenge (RFC 7636 §4.1, §4.2).
pub fn fresh_pkce() -> Result<Pkce, Error> {
    Ok(generate_pkce(&random_bytes::<VERIFIER_RANDOM_BYTES>()?))
}
