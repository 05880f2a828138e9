//! The sans-IO core: plain functions over plain data, no web-sys, no clock, no randomness
//! of its own. The browser layer feeds it bytes, URLs, time and random bytes.

pub mod base64url;
pub mod config;
mod error;
pub mod form;
pub mod json;
pub mod pkce;
pub mod url;

pub use error::{Error, KNOWN_PROVIDER_ERRORS};
