//! The core's one door in WebAssembly: three `extern "C"` functions and no imports, so the
//! shell needs no generated glue (`ts/core.ts` is the other half, about 40 lines).
//!
//! 1. `okta_buf(len)` sizes the argument buffer and returns where the shell writes.
//! 2. The shell writes the arguments in order, each as a little-endian `u32` length then
//!    its bytes. Strings are UTF-8, byte arguments as they are, numbers as a little-endian
//!    `f64` (8 bytes).
//! 3. `okta_call(function)` runs the function of that number ([`FUNCTIONS`], the order of
//!    the `door!` list below) and returns the length of its answer, which is at
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

/// Runs function number `function` ([`FUNCTIONS`]) with the arguments written in the
/// argument buffer; returns the answer's length in bytes.
#[no_mangle]
pub extern "C" fn okta_call(function: u32) -> u32 {
    // SAFETY: as in okta_buf; the output is replaced only here, after the input is read.
    let input = unsafe { &*BUFFERS.input.get() };
    let answer = dispatch(function, &mut Args { rest: input });
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

/// What a function of the door answers, as the bytes left at `okta_out()`.
trait IntoAnswer {
    fn into_answer(self) -> Vec<u8>;
}

impl IntoAnswer for String {
    fn into_answer(self) -> Vec<u8> {
        self.into_bytes()
    }
}

impl IntoAnswer for Vec<u8> {
    fn into_answer(self) -> Vec<u8> {
        self
    }
}

impl IntoAnswer for u32 {
    fn into_answer(self) -> Vec<u8> {
        let mut s = String::new();
        crate::protocol::syntax::push_decimal(&mut s, i64::from(self));
        s.into_bytes()
    }
}

/// The functions of the door, in the order that numbers them (`okta_call(number)`), each
/// with how its arguments are read: `FUNCTIONS` and `dispatch` come from this one list, and
/// `ts/core.ts` lists the same names in the same order (a test below compares them).
macro_rules! door {
    ($( $name:ident ( $($arg:ident),* ) ),* $(,)?) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        enum Function { $($name),* }

        /// The name of every function of the door, by number (fuzz/ picks from them).
        pub const FUNCTIONS: &[&str] = &[$(stringify!($name)),*];

        /// Calls function number `function` (an index of [`FUNCTIONS`]). Arguments are read
        /// left to right, as Rust evaluates a call's arguments.
        pub(crate) fn dispatch(function: u32, a: &mut Args<'_>) -> Vec<u8> {
            $(
                if function == Function::$name as u32 {
                    return $name($(a.$arg()),*).into_answer();
                }
            )*
            make_error("internal", "no such function of the core").into_bytes()
        }
    };
}

door! {
    configure(str),
    provider_from_config(str),
    discovery_url(str),
    process_discovery_response(str, status, str, bytes),
    authorize_random_length(),
    build_authorize_request(str, str, str, str, bytes, str, num, str),
    is_redirect_callback(str, str),
    redirect_states(str, str),
    transaction_status(str, str, str, num),
    cleaned_location(str, str, str),
    transaction_app_state(str),
    validate_redirect_response(str, str, str, str, str),
    validate_message(str, str, str, str),
    front_id_token_expect(str, str, str),
    back_id_token_expect(str, str, str),
    refresh_id_token_expect(str, str, str),
    verify_options(str, str),
    validate_id_token(str, str, num),
    jws_key(str, str, str),
    jws_parts(str, str),
    process_jwks_response(status, str, str, bytes),
    jwks_action(num, num, num, status),
    code_exchange_request(str, str, str, str),
    refresh_request(str, str, str),
    renewal_path(str, str),
    process_token_response(status, str, str, bytes, str),
    complete_sign_in(str, str, str, str, str, num),
    complete_refresh(str, str, str, num),
    invalid_grant_outcome(str, str, str, num),
    parse_stored(str, str),
    tokens_view(str, str),
    change_event(str, str, str),
    renewal_due(str, str, str, num),
    validate_renewed(str, str, str, num),
    renewal_delay(str, str, num),
    storage_keys(str),
    userinfo_request(str, str, str),
    process_userinfo_response(str, str, status, str, str, bytes),
    introspect_request(str, str, str, str),
    process_introspect_response(status, str, str, bytes),
    revoke_request(str, str, str, str),
    process_revoke_response(status, str, str, bytes),
    without_token(str, str, str, str),
    sign_out_options(str),
    end_session_url(str, str, str, str),
    make_error(str, str),
    dpop_proof(str, str, str, str, str, bytes, num),
    dpop_jkt(str),
    dpop_nonce_challenge(status, str, str, bytes),
    api_request(str, str, str, str),
    dpop_bound_key(str, str),
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

    /// The number of the function `name`.
    fn number(name: &str) -> u32 {
        FUNCTIONS.iter().position(|f| *f == name).unwrap() as u32
    }

    #[test]
    fn dispatches_by_number_with_arguments_in_order() {
        let input = encode(&[b"?code=a&state=b", b""]);
        assert_eq!(
            dispatch(number("is_redirect_callback"), &mut Args { rest: &input }),
            b"1"
        );
        let input = encode(&[b"", b""]);
        assert_eq!(
            dispatch(number("is_redirect_callback"), &mut Args { rest: &input }),
            b"0"
        );
        assert_eq!(
            dispatch(number("authorize_random_length"), &mut Args { rest: &[] }),
            b"96"
        );
    }

    #[test]
    fn reads_numbers_as_little_endian_f64() {
        let now = 1_700_000_000f64.to_le_bytes();
        let input = encode(&[
            &(-1f64).to_le_bytes(),
            &(-1f64).to_le_bytes(),
            &now,
            &0f64.to_le_bytes(),
        ]);
        assert_eq!(
            dispatch(number("jwks_action"), &mut Args { rest: &input }),
            b"fetch"
        );
    }

    #[test]
    fn every_number_calls_the_function_of_its_name() {
        // Each function, without arguments, answers something of its own: its first error
        // names what it missed, and no two answers are the same.
        let answers: Vec<Vec<u8>> = (0..FUNCTIONS.len() as u32)
            .map(|f| dispatch(f, &mut Args { rest: &[] }))
            .collect();
        assert_eq!(
            answers[number("make_error") as usize],
            make_error("", "").into_bytes()
        );
        assert_eq!(
            answers[number("configure") as usize],
            configure("").into_bytes()
        );
        assert_eq!(answers[number("jws_parts") as usize], jws_parts("", ""));
        assert_eq!(
            answers[number("storage_keys") as usize],
            storage_keys("").into_bytes()
        );
    }

    #[test]
    fn an_unknown_number_is_an_internal_error() {
        for f in [FUNCTIONS.len() as u32, u32::MAX] {
            assert!(dispatch(f, &mut Args { rest: &[] }).starts_with(b"\x01internal\x01"));
        }
    }

    #[test]
    fn truncated_arguments_read_as_empty_never_panic() {
        let mut input = encode(&[b"{}"]);
        input.truncate(input.len() - 1);
        assert!(dispatch(number("configure"), &mut Args { rest: &input }).starts_with(&[1]));
        assert!(dispatch(number("configure"), &mut Args { rest: &[1, 0] }).starts_with(&[1]));
    }

    /// The shell numbers the functions by its own list (`const enum Fn` in ts/core.ts): it
    /// must be this one, in this order.
    #[test]
    fn the_shell_numbers_the_functions_as_the_door_does() {
        let ts = include_str!("../ts/core.ts");
        let body = ts
            .split_once("const enum Fn {")
            .and_then(|(_, rest)| rest.split_once('}'))
            .map(|(body, _)| body)
            .expect("ts/core.ts has a const enum Fn");
        let names: Vec<&str> = body
            .lines()
            .map(|l| l.trim().trim_end_matches(','))
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .collect();
        assert_eq!(names, FUNCTIONS);
    }
}
