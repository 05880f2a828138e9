//! No Rust panic reaches the page as `RuntimeError: unreachable`: it becomes an `AuthError`
//! with code `internal`, and the client stays usable.
//!
//! On wasm32 a panic aborts (`panic = "abort"`: the only strategy a stable toolchain's
//! prebuilt std supports there). The panic hook still runs, then the module executes
//! `unreachable` and the trap unwinds every wasm frame up to the nearest JS caller, without
//! running a destructor. Left alone, that caller is the page (a synchronous method throws
//! `RuntimeError: unreachable`) or wasm-bindgen's microtask that polls futures (the trap is
//! an uncaught error, and the method's Promise never settles).
//!
//! So every facade entry point runs its Rust code one JS frame deeper, inside a `try`
//! ([`catch`] for synchronous methods, [`future_to_promise`] for each poll of an async one).
//! A trap, or any JS exception thrown through Rust frames, stops there: the entry point
//! throws or rejects with [`Error::Internal`], whose problem is the panic message that
//! [`install`]'s hook recorded. The frames between the `try` and the trap are gone; their
//! owned values leak, and a future that trapped is leaked too, never polled again. The rest
//! of the module is intact: the instance is not poisoned (traps do not do that), and the
//! executor's queue keeps running because the trap never reaches it.
//!
//! The shadow stack does not leak either: the Rust frame that called the `try` restores the
//! stack pointer when it returns. Checked in Chromium (`tests/browser_resources.rs`).
//!
//! What no catch can undo: a `RefCell` borrowed in a skipped frame stays borrowed. Browser
//! code therefore keeps its borrows of the client's state to short statements that cannot
//! panic (a clone, a `take`, a replace), never around calls into the protocol core. And
//! std's panic count stays raised (`std::thread::panicking()` is true from then on), which
//! nothing here reads. Code that JS calls other than through the facade (a `Closure` given
//! to `addEventListener`, a timer) is not covered; it can wrap its body in [`catch`].
//!
//! The published package is built with `-Cpanic=immediate-abort` (see scripts/toolchain.sh):
//! a panic executes `unreachable` at once, without running the hook, so no message is
//! recorded and the AuthError's description is the trap's text (`RuntimeError:
//! unreachable`). Everything else above holds unchanged. Builds with the normal panic
//! strategy (the tests, a rustup toolchain without `rust-src`) record the message.
//!
//! `panic = "unwind"` (nightly, `-Zbuild-std=std,panic_unwind`) is no way out today: the
//! stable toolchain's prebuilt wasm32 std cannot unwind, and under unwind wasm-bindgen
//! 0.2.129 requires every `Closure` and callback to be `UnwindSafe`, which the crate's
//! closures over `Rc<Client>` are not.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use crate::protocol::Error;

#[wasm_bindgen(inline_js = r#"
export function catchEscape(f) {
  try {
    f();
    return undefined;
  } catch (e) {
    try { return String(e); } catch { return 'an exception that cannot be converted to a string'; }
  }
}
"#)]
extern "C" {
    /// Calls `f`; `None` when it returned, else what it threw (a trap, a panic under
    /// `panic = "unwind"`, or a JS exception), as text.
    #[wasm_bindgen(js_name = catchEscape)]
    fn catch_escape(f: &mut dyn FnMut()) -> Option<String>;
}

thread_local! {
    /// The message of the last panic, set by the hook, taken by the entry point that caught it.
    static LAST_PANIC: Cell<Option<String>> = const { Cell::new(None) };
}

/// Installs the panic hook (idempotent). The hook records the panic's message and location
/// for [`Error::Internal`], then calls the hook installed before it (the default one writes
/// to stderr, which goes nowhere on wasm32-unknown-unknown; an app's
/// `console_error_panic_hook` keeps working).
pub fn install() {
    // No hook ever runs under immediate-abort; leaving it out drops std's default hook
    // (stderr printing) from the binary.
    #[cfg(not(panic = "immediate-abort"))]
    install_hook();
}

#[cfg(not(panic = "immediate-abort"))]
fn install_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = describe(info);
            let _ = LAST_PANIC.try_with(|last| last.set(Some(message)));
            previous(info);
        }));
    });
}

#[cfg(not(panic = "immediate-abort"))]
/// `message at file:line`, built without the formatting machinery. Must not panic: a panic
/// inside the hook aborts without a message.
fn describe(info: &std::panic::PanicHookInfo<'_>) -> String {
    let mut s = String::from(
        info.payload_as_str()
            .unwrap_or("a panic without a text message"),
    );
    if let Some(location) = info.location() {
        s.push_str(" at ");
        s.push_str(location.file());
        s.push(':');
        crate::protocol::syntax::push_decimal(&mut s, i64::from(location.line()));
    }
    s
}

/// The error for a call that did not return: the recorded panic message if there is one,
/// else what was thrown (a trap without a panic, such as running out of memory, or a JS
/// exception that crossed Rust frames).
fn internal(escaped: Option<String>) -> Error {
    let problem = LAST_PANIC
        .try_with(Cell::take)
        .ok()
        .flatten()
        .or(escaped)
        .unwrap_or_else(|| String::from("the call did not return"));
    Error::Internal { problem }
}

fn forget_stale_panic() {
    let _ = LAST_PANIC.try_with(Cell::take);
}

/// Runs `f`; a panic in it (or any exception thrown through it) becomes
/// [`Error::Internal`] instead of unwinding into the caller. For synchronous entry points.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Error> {
    install();
    forget_stale_panic();
    let mut f = Some(f);
    let mut out = None;
    let escaped = catch_escape(&mut || {
        if let Some(f) = f.take() {
            out = Some(f());
        }
    });
    match (escaped, out) {
        (None, Some(value)) => Ok(value),
        (escaped, _) => Err(internal(escaped)),
    }
}

/// Runs `future` as a JS Promise, like `wasm_bindgen_futures::future_to_promise`, but each
/// poll runs inside [`catch`]'s `try`: a panic rejects the Promise with an `AuthError` of code
/// `internal` (instead of leaving it pending forever), and the executor goes on with the
/// other tasks. An `Err` rejects with the error as `AuthError`.
pub fn future_to_promise<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    spawn_guarded(Box::pin(future))
}

/// A facade future, boxed once: [`Guarded`] and the executor's task exist once in the
/// binary instead of once per entry point.
type BoxedCall = Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>;

fn spawn_guarded(future: BoxedCall) -> Promise {
    install();
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    // The executor calls the closure synchronously; this cannot be None.
    let Some((resolve, reject)) = settle else {
        return Promise::reject(&crate::api::to_js_error(&internal(None)));
    };
    wasm_bindgen_futures::spawn_local(Guarded {
        future: Some(future),
        resolve,
        reject,
    });
    promise
}

/// A future whose polls are caught; it settles the Promise of [`future_to_promise`].
struct Guarded {
    /// `None` once settled.
    future: Option<BoxedCall>,
    resolve: Function,
    reject: Function,
}

impl Future for Guarded {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Every field is Unpin (the future is boxed).
        let this = self.get_mut();
        let Some(future) = this.future.as_mut() else {
            return Poll::Ready(());
        };
        forget_stale_panic();
        let mut polled = None;
        let escaped = catch_escape(&mut || polled = Some(future.as_mut().poll(cx)));
        let (settle, value) = match (escaped, polled) {
            (None, Some(Poll::Pending)) => return Poll::Pending,
            (None, Some(Poll::Ready(Ok(value)))) => (&this.resolve, value),
            (None, Some(Poll::Ready(Err(error)))) => {
                (&this.reject, crate::api::to_js_error(&error))
            }
            (escaped, _) => {
                // The poll stopped halfway: the future's state is unknown, so it must be
                // neither polled nor dropped again (a drop could free a value twice).
                if let Some(future) = this.future.take() {
                    std::mem::forget(future);
                }
                (&this.reject, crate::api::to_js_error(&internal(escaped)))
            }
        };
        // Resolving or rejecting a pending Promise cannot throw.
        let _ = settle.call1(&JsValue::UNDEFINED, &value);
        this.future = None;
        Poll::Ready(())
    }
}
