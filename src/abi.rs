//! The core's one door in WebAssembly: three `extern "C"` functions and no imports, so the
//! shell needs no generated glue (`ts/core.ts` is the other half, about 40 lines).
//!
//! 1. `okta_buf(len)` sizes the argument buffer and returns where the shell writes.
//! 2. The shell writes the arguments, each as a little-endian `u32` length then its bytes:
//!    the function's name first (see `dispatch`), then its arguments in order. Strings are
//!    UTF-8, byte arguments as they are, numbers as a little-endian `f64` (8 bytes).
//! 3. `okta_call()` runs the function and returns the length of its answer, which is at
//!    `okta_out()` until the next call: UTF-8 text, but for `jws_parts`, whose answer is
//!    bytes (an error is text there too, and only an error's first byte is 1).
//!
//! Each function is one of [`crate::exports`]: the same strings in and out as its native
//! tests use. Nothing is kept from one call to the next but these two buffers.
//!
//! Memory is a bump arena (wasm32 only): an allocation takes the next free bytes, freeing
//! does nothing, and `okta_buf` empties the whole arena, since no value outlives a call (the
//! answer is read by the shell before it starts the next one). No general allocator is
//! linked at all.

use core::cell::UnsafeCell;

use crate::exports::*;

/// The two buffers of the door. WebAssembly without threads runs one call at a time, and
/// no call re-enters the core, so plain interior mutability is sound.
struct Buffers {
    input: UnsafeCell<Vec<u8>>,
    output: UnsafeCell<Vec<u8>>,
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has a single thread.
unsafe impl Sync for Buffers {}

static BUFFERS: Buffers = Buffers {
    input: UnsafeCell::new(Vec::new()),
    output: UnsafeCell::new(Vec::new()),
};

/// Starts a call: empties the arena, then makes the argument buffer `len` bytes long (the
/// arena's first allocation) and returns its address.
#[no_mangle]
pub extern "C" fn okta_buf(len: u32) -> *mut u8 {
    // SAFETY: single-threaded, and no reference into the buffers outlives this call. The old
    // buffers lie in the arena being emptied: they are overwritten without being dropped or
    // reused, before anything else is allocated.
    unsafe {
        #[cfg(target_arch = "wasm32")]
        arena::reset();
        core::ptr::write(BUFFERS.output.get(), Vec::new());
        core::ptr::write(BUFFERS.input.get(), vec![0; len as usize]);
        (*BUFFERS.input.get()).as_mut_ptr()
    }
}

/// Runs the call written in the argument buffer; returns the answer's length in bytes.
#[no_mangle]
pub extern "C" fn okta_call() -> u32 {
    // SAFETY: as in okta_buf; the output is replaced only here, after the input is read.
    let input = unsafe { &*BUFFERS.input.get() };
    let answer = dispatch(&mut Args { rest: input });
    let output = unsafe { &mut *BUFFERS.output.get() };
    *output = answer;
    output.len() as u32
}

/// Where the last answer is.
#[no_mangle]
pub extern "C" fn okta_out() -> *const u8 {
    // SAFETY: as in okta_buf.
    unsafe { (*BUFFERS.output.get()).as_ptr() }
}

/// The bump arena: every allocation of a call in one run of memory from `__heap_base` up,
/// grown by `memory.grow` when needed and emptied by `okta_buf`. It replaces dlmalloc
/// (about 5 KB of code) with about 200 bytes.
#[cfg(target_arch = "wasm32")]
mod arena {
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32::{memory_grow, memory_size};
    use core::cell::Cell;

    const PAGE: usize = 65_536;

    struct Arena {
        /// The next free byte; 0 before the first allocation.
        next: Cell<usize>,
        /// The end of the memory.
        end: Cell<usize>,
        /// Where the last allocation starts: the one `realloc` may grow in place.
        last: Cell<usize>,
    }

    // SAFETY: wasm32-unknown-unknown without the atomics feature has a single thread.
    unsafe impl Sync for Arena {}

    #[global_allocator]
    static ARENA: Arena = Arena {
        next: Cell::new(0),
        end: Cell::new(0),
        last: Cell::new(0),
    };

    extern "C" {
        /// The first byte after the data and the stack, from the linker.
        static __heap_base: u8;
    }

    fn heap_base() -> usize {
        // Only the symbol's address is taken, never its value.
        core::ptr::addr_of!(__heap_base) as usize
    }

    /// Empties the arena: everything allocated before is free again.
    pub fn reset() {
        ARENA.next.set(heap_base());
        ARENA.last.set(0);
    }

    impl Arena {
        /// `size` bytes at `start`, growing the memory if needed; false when it cannot.
        fn reserve(&self, start: usize, size: usize) -> bool {
            let Some(new_end) = start.checked_add(size) else {
                return false;
            };
            if self.end.get() == 0 {
                self.end.set(memory_size(0) * PAGE);
            }
            if new_end > self.end.get() {
                let pages = (new_end - self.end.get()).div_ceil(PAGE);
                if memory_grow(0, pages) == usize::MAX {
                    return false;
                }
                self.end.set(self.end.get() + pages * PAGE);
            }
            self.next.set(new_end);
            true
        }
    }

    unsafe impl GlobalAlloc for Arena {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if self.next.get() == 0 {
                reset();
            }
            let align = layout.align();
            let start = (self.next.get() + align - 1) & !(align - 1);
            if !self.reserve(start, layout.size()) {
                return core::ptr::null_mut();
            }
            self.last.set(start);
            start as *mut u8
        }

        unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // The last allocation (a growing String or Vec, most often) grows where it is.
            if ptr as usize == self.last.get() && self.reserve(ptr as usize, new_size) {
                return ptr;
            }
            let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            }
            new
        }
    }
}

/// The arguments of one call, read in order. A missing or malformed argument reads as empty
/// (or 0), which every function refuses by its own rules: the shell, not the app, writes them.
pub(crate) struct Args<'a> {
    rest: &'a [u8],
}

impl<'a> Args<'a> {
    fn bytes(&mut self) -> &'a [u8] {
        let Some((len, rest)) = self.rest.split_first_chunk::<4>() else {
            self.rest = &[];
            return &[];
        };
        let len = u32::from_le_bytes(*len) as usize;
        let Some((arg, rest)) = rest.split_at_checked(len) else {
            self.rest = &[];
            return &[];
        };
        self.rest = rest;
        arg
    }

    fn str(&mut self) -> &'a str {
        core::str::from_utf8(self.bytes()).unwrap_or("")
    }

    fn num(&mut self) -> f64 {
        match self.bytes().first_chunk::<8>() {
            Some(b) => f64::from_le_bytes(*b),
            None => f64::NAN,
        }
    }

    fn status(&mut self) -> u32 {
        // A saturating cast: an HTTP status is 100..=599, anything else is refused later.
        self.num() as u32
    }
}

/// The name of every function the door calls (fuzz/ picks from them).
pub const FUNCTIONS: [&str; 46] = [
    "configure",
    "provider_from_config",
    "discovery_url",
    "process_discovery_response",
    "authorize_random_length",
    "build_authorize_request",
    "is_redirect_callback",
    "redirect_states",
    "transaction_status",
    "cleaned_location",
    "transaction_app_state",
    "validate_redirect_response",
    "validate_message",
    "front_id_token_expect",
    "back_id_token_expect",
    "refresh_id_token_expect",
    "verify_options",
    "validate_id_token",
    "jws_key",
    "jws_parts",
    "process_jwks_response",
    "jwks_action",
    "code_exchange_request",
    "refresh_request",
    "renewal_path",
    "process_token_response",
    "complete_sign_in",
    "complete_refresh",
    "invalid_grant_outcome",
    "parse_stored",
    "tokens_view",
    "change_event",
    "renewal_due",
    "validate_renewed",
    "renewal_delay",
    "storage_keys",
    "userinfo_request",
    "process_userinfo_response",
    "introspect_request",
    "process_introspect_response",
    "revoke_request",
    "process_revoke_response",
    "without_token",
    "sign_out_options",
    "end_session_url",
    "make_error",
];

/// Calls the function named first. Arguments are read left to right, as Rust evaluates a
/// call's arguments.
pub(crate) fn dispatch(a: &mut Args<'_>) -> Vec<u8> {
    let text = match a.str() {
        "configure" => configure(a.str()),
        "provider_from_config" => provider_from_config(a.str()),
        "discovery_url" => discovery_url(a.str()),
        "process_discovery_response" => {
            process_discovery_response(a.str(), a.status(), a.str(), a.bytes())
        }
        "authorize_random_length" => {
            let mut s = String::new();
            crate::protocol::syntax::push_decimal(&mut s, i64::from(authorize_random_length()));
            s
        }
        "build_authorize_request" => build_authorize_request(
            a.str(),
            a.str(),
            a.str(),
            a.str(),
            a.bytes(),
            a.str(),
            a.num(),
        ),
        "is_redirect_callback" => is_redirect_callback(a.str(), a.str()),
        "redirect_states" => redirect_states(a.str(), a.str()),
        "transaction_status" => transaction_status(a.str(), a.str(), a.str(), a.num()),
        "cleaned_location" => cleaned_location(a.str(), a.str(), a.str()),
        "transaction_app_state" => transaction_app_state(a.str()),
        "validate_redirect_response" => {
            validate_redirect_response(a.str(), a.str(), a.str(), a.str(), a.str())
        }
        "validate_message" => validate_message(a.str(), a.str(), a.str(), a.str()),
        "front_id_token_expect" => front_id_token_expect(a.str(), a.str(), a.str()),
        "back_id_token_expect" => back_id_token_expect(a.str(), a.str(), a.str()),
        "refresh_id_token_expect" => refresh_id_token_expect(a.str(), a.str(), a.str()),
        "verify_options" => verify_options(a.str(), a.str()),
        "validate_id_token" => validate_id_token(a.str(), a.str(), a.num()),
        "jws_key" => jws_key(a.str(), a.str(), a.str()),
        "jws_parts" => return jws_parts(a.str(), a.str()),
        "process_jwks_response" => process_jwks_response(a.status(), a.str(), a.str(), a.bytes()),
        "jwks_action" => jwks_action(a.num(), a.num(), a.num(), a.status()),
        "code_exchange_request" => code_exchange_request(a.str(), a.str(), a.str(), a.str()),
        "refresh_request" => refresh_request(a.str(), a.str(), a.str()),
        "renewal_path" => renewal_path(a.str(), a.str()),
        "process_token_response" => process_token_response(a.status(), a.str(), a.str(), a.bytes()),
        "complete_sign_in" => {
            complete_sign_in(a.str(), a.str(), a.str(), a.str(), a.str(), a.num())
        }
        "complete_refresh" => complete_refresh(a.str(), a.str(), a.str(), a.num()),
        "invalid_grant_outcome" => invalid_grant_outcome(a.str(), a.str(), a.str(), a.num()),
        "parse_stored" => parse_stored(a.str(), a.str()),
        "tokens_view" => tokens_view(a.str(), a.str()),
        "change_event" => change_event(a.str(), a.str(), a.str()),
        "renewal_due" => renewal_due(a.str(), a.str(), a.str(), a.num()),
        "validate_renewed" => validate_renewed(a.str(), a.str(), a.str(), a.num()),
        "renewal_delay" => renewal_delay(a.str(), a.str(), a.num()),
        "storage_keys" => storage_keys(a.str()),
        "userinfo_request" => userinfo_request(a.str(), a.str(), a.str()),
        "process_userinfo_response" => {
            process_userinfo_response(a.str(), a.str(), a.status(), a.str(), a.str(), a.bytes())
        }
        "introspect_request" => introspect_request(a.str(), a.str(), a.str(), a.str()),
        "process_introspect_response" => {
            process_introspect_response(a.status(), a.str(), a.str(), a.bytes())
        }
        "revoke_request" => revoke_request(a.str(), a.str(), a.str(), a.str()),
        "process_revoke_response" => {
            process_revoke_response(a.status(), a.str(), a.str(), a.bytes())
        }
        "without_token" => without_token(a.str(), a.str(), a.str(), a.str()),
        "sign_out_options" => sign_out_options(a.str()),
        "end_session_url" => end_session_url(a.str(), a.str(), a.str(), a.str()),
        "make_error" => make_error(a.str(), a.str()),
        other => make_error("internal", other),
    };
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(args: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for a in args {
            out.extend_from_slice(&(a.len() as u32).to_le_bytes());
            out.extend_from_slice(a);
        }
        out
    }

    #[test]
    fn dispatches_by_name_with_arguments_in_order() {
        let input = encode(&[b"is_redirect_callback", b"?code=a&state=b", b""]);
        assert_eq!(dispatch(&mut Args { rest: &input }), b"1");
        let input = encode(&[b"is_redirect_callback", b"", b""]);
        assert_eq!(dispatch(&mut Args { rest: &input }), b"0");
    }

    #[test]
    fn reads_numbers_as_little_endian_f64() {
        let now = 1_700_000_000f64.to_le_bytes();
        let input = encode(&[
            b"jwks_action",
            &(-1f64).to_le_bytes(),
            &(-1f64).to_le_bytes(),
            &now,
            &0f64.to_le_bytes(),
        ]);
        assert_eq!(dispatch(&mut Args { rest: &input }), b"fetch");
    }

    #[test]
    fn every_listed_function_is_one_the_door_calls() {
        for name in FUNCTIONS {
            let input = encode(&[name.as_bytes()]);
            let answer = String::from_utf8(dispatch(&mut Args { rest: &input })).unwrap();
            assert!(!answer.contains(name), "{name}: {answer}");
        }
    }

    #[test]
    fn an_unknown_function_is_an_internal_error() {
        let input = encode(&[b"no_such_function"]);
        assert!(dispatch(&mut Args { rest: &input }).starts_with(b"\x01internal\x01"));
    }

    #[test]
    fn truncated_arguments_read_as_empty_never_panic() {
        let mut input = encode(&[b"configure", b"{}"]);
        input.truncate(input.len() - 1);
        assert!(dispatch(&mut Args { rest: &input }).starts_with(&[1]));
        assert!(dispatch(&mut Args { rest: &[1, 0] }).starts_with(&[1]));
    }
}
