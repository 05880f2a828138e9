//! okta-auth-wasm: sign users of single-page apps in with Okta, or any OpenID Connect
//! provider, from WebAssembly. This crate is the package's core: stateless and synchronous,
//! under the TypeScript shell of `ts/` (every browser effect and all state).
//!
//! - [`protocol`]: the protocol rules, plain functions over plain data, tested natively.
//! - [`exports`]: every decision the shell asks for, strings and bytes in, a string out
//!   (`ts/core.ts` is its contract).
//! - [`abi`]: the one door of the wasm (`extern "C"`, no imports, no generated glue).
#![deny(missing_docs)]

pub mod protocol;

pub mod exports;

/// The core's one door in WebAssembly (`extern "C"`, no imports): see `ts/core.ts`.
pub mod abi;
