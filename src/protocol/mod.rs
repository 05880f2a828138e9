//! The sans-IO core: plain functions over plain data, no web-sys, no clock, no randomness
//! of its own. The shell (`ts/`, through [`crate::exports`]) feeds it bytes, URLs, time and random bytes.

pub mod authorize;
pub mod base64url;
pub mod config;
pub mod discovery;
pub mod dpop;
mod error;
pub mod form;
pub mod http;
pub mod id_token;
pub mod json;
pub mod jwks;
pub mod jwt;
pub mod pkce;
pub mod renewal;
pub mod resource;
pub mod response;
pub mod stored;
pub(crate) mod syntax;
pub mod token;
pub mod transaction;
pub mod url;
pub mod www_authenticate;

#[cfg(test)]
pub(crate) mod testing;

pub use error::{Error, KNOWN_PROVIDER_ERRORS};
