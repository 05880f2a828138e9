//! The only code that touches browser APIs. It feeds the protocol core bytes, time and
//! randomness, and decides nothing about the protocol itself.

pub mod client;
pub mod clock;
pub mod crypto;
pub mod flow;
pub mod http;
pub mod iframe;
pub mod messages;
pub mod panic;
pub mod popup;
pub mod provider;
pub mod random;
pub mod redirect;
pub mod resource;
pub mod tokens;
