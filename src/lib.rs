//! okta-auth-wasm: sign users of single-page apps in with Okta, or any OpenID Connect
//! provider, from WebAssembly.
//!
//! - [`protocol`]: the pure, synchronous protocol core (no browser APIs), tested natively.
//! - `browser`: the only code that touches web-sys (wasm32 only).
//! - `api`: the thin `#[wasm_bindgen]` facade that JS sees (wasm32 only).
//!
//! With the `size-probe` feature (never shipped), `browser` and `api` are left out and
//! `size_probe` exports the bare protocol core, to measure it (`scripts/size-probe.sh`).
//!
//! With the `core` feature, `browser` and `api` are left out too, and [`exports`] gives the
//! TypeScript shell (`ts/`) the stateless, synchronous core: strings and bytes in, strings
//! out (`ts/core.ts` is its contract), through the one door of [`abi`].
#![deny(missing_docs)]

pub mod protocol;

#[cfg(all(
    target_arch = "wasm32",
    not(feature = "size-probe"),
    not(feature = "core")
))]
pub mod browser;

#[cfg(all(
    target_arch = "wasm32",
    not(feature = "size-probe"),
    not(feature = "core")
))]
pub mod api;

#[cfg(any(feature = "core", all(test, not(target_arch = "wasm32"))))]
pub mod exports;

/// The core's one door in WebAssembly (`extern "C"`, no imports): see `ts/core.ts`.
#[cfg(any(feature = "core", all(test, not(target_arch = "wasm32"))))]
pub mod abi;

#[cfg(all(target_arch = "wasm32", feature = "size-probe"))]
pub mod size_probe;
