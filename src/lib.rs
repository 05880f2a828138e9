//! okta-auth-wasm: sign users of single-page apps in with Okta, or any OpenID Connect
//! provider, from WebAssembly.
//!
//! - [`protocol`]: the pure, synchronous protocol core (no browser APIs), tested natively.
//! - `browser`: the only code that touches web-sys (wasm32 only).
//! - `api`: the thin `#[wasm_bindgen]` facade that JS sees (wasm32 only).
//!
//! With the `size-probe` feature (never shipped), `browser` and `api` are left out and
//! `size_probe` exports the bare protocol core, to measure it (`scripts/size-probe.sh`).
#![deny(missing_docs)]

pub mod protocol;

#[cfg(all(target_arch = "wasm32", not(feature = "size-probe")))]
pub mod browser;

#[cfg(all(target_arch = "wasm32", not(feature = "size-probe")))]
pub mod api;

#[cfg(all(target_arch = "wasm32", feature = "size-probe"))]
pub mod size_probe;
