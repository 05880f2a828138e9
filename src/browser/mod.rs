//! The only code that touches browser APIs. It feeds the protocol core bytes, time and
//! randomness, and decides nothing about the protocol itself.

pub mod random;
