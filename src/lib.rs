//! okta-auth-wasm: sign users of single-page apps in with Okta, or any OpenID Connect
//! provider, from WebAssembly.
//!
//! - [`protocol`]: the pure, synchronous protocol core (no browser APIs), tested natively.
//! - `browser`: the only code that touches web-sys (wasm32 only).
//! - `api`: the thin `#[wasm_bindgen]` facade that JS sees (wasm32 only).
#![deny(missing_docs)]

pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod browser;

#[cfg(target_arch = "wasm32")]
pub mod api;
