# Sourced by the other scripts (bash). Finds the tools without installing anything;
# scripts/setup.sh installs what is missing.
#
# The wasm toolchain, in order of preference:
#   1. rustup: a toolchain whose sysroot already holds the wasm32-unknown-unknown std
#      (`rustup target add wasm32-unknown-unknown` done by the developer beforehand).
#   2. Debian: rustc-web + cargo-web + rust-web-src + lld, building std from source with
#      RUSTC_BOOTSTRAP=1 ... -Zbuild-std=std,panic_abort (for machines where rustup cannot
#      download rust-std for wasm32).
# Sets WASM_TOOLCHAIN (rustup|debian), WASM_CARGO (command array), WASM_BUILD_STD (args).
#
# The published package (scripts/build-pkg.sh, release) additionally takes WASM_RELEASE_ARGS:
# std rebuilt from source with `-Cpanic=immediate-abort`, which removes the panic message,
# location and formatting machinery (about 10 KB gzip). It needs std's sources, so it is on
# for the Debian path, and on the rustup path only when the toolchain has `rust-src`
# (`rustup component add rust-src`); otherwise the rustup build keeps `panic = "abort"` and
# is larger. A panic then traps instead of printing; the shell turns the trap into an
# AuthError `internal` and continues on a fresh instance (ts/core.ts). Native tests build
# with the normal panic.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_CACHE=${OKTA_AUTH_WASM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/okta-auth-wasm}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
# Debian's Firefox ESR, the e2e layer's second engine (driven over WebDriver BiDi).
FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}
export FIREFOX
export PATH="$ROOT/node_modules/.bin:$PATH"

DEBIAN_RUST_PACKAGES=(rustc-web cargo-web rust-web-src lld-22)

# The release's std panic strategy, as target rustflags.
IMMEDIATE_ABORT_CONFIG=(--config 'target.wasm32-unknown-unknown.rustflags=["-Zunstable-options","-Cpanic=immediate-abort"]')

# Whether the rustc command given knows the immediate-abort panic strategy (Rust 1.91+).
immediate_abort_ok() {
  "$@" -Zunstable-options -Cpanic=immediate-abort --target wasm32-unknown-unknown --print cfg 2>/dev/null \
    | grep -qx 'panic="immediate-abort"'
}

detect_wasm_toolchain() {
  local sysroot
  if command -v rustc >/dev/null 2>&1 \
    && sysroot=$(cd "$ROOT" && rustc --print sysroot 2>/dev/null) \
    && [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
    WASM_TOOLCHAIN=rustup
    WASM_CARGO=(cargo)
    WASM_BUILD_STD=()
    WASM_RELEASE_ARGS=()
    if [ -d "$sysroot/lib/rustlib/src/rust/library/std" ] \
      && (cd "$ROOT" && immediate_abort_ok env RUSTC_BOOTSTRAP=1 rustc); then
      WASM_CARGO=(env RUSTC_BOOTSTRAP=1 cargo)
      WASM_RELEASE_ARGS=(-Zbuild-std=std,panic_abort "${IMMEDIATE_ABORT_CONFIG[@]}")
    fi
    return 0
  fi
  if [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] \
    && [ -d /usr/lib/rustlib/src/rust/library ] \
    && { command -v rust-lld >/dev/null 2>&1 || command -v wasm-ld-22 >/dev/null 2>&1; }; then
    WASM_TOOLCHAIN=debian
    # /usr/bin/cargo must drive /usr/bin/rustc, not a rustup proxy earlier on PATH: the std
    # sources of rust-web-src match that compiler only.
    WASM_CARGO=(env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 /usr/bin/cargo)
    WASM_BUILD_STD=(-Zbuild-std=std,panic_abort)
    WASM_RELEASE_ARGS=()
    if immediate_abort_ok env RUSTC_BOOTSTRAP=1 /usr/bin/rustc; then
      WASM_RELEASE_ARGS=("${IMMEDIATE_ABORT_CONFIG[@]}")
    fi
    return 0
  fi
  return 1
}

# Native cargo for the core's tests and for building cargo-fuzz.
detect_native_cargo() {
  if command -v cargo >/dev/null 2>&1; then
    NATIVE_CARGO=(cargo)
  elif [ -x /usr/bin/cargo ]; then
    NATIVE_CARGO=(env RUSTC=/usr/bin/rustc /usr/bin/cargo)
  else
    return 1
  fi
}

die() {
  echo "error: $*" >&2
  exit 1
}

# The fuzz layer (fuzz/, scripts/fuzz-smoke.sh): cargo-fuzz at a pinned version, cached
# outside the clone, driving a rustup nightly toolchain (libFuzzer needs nightly flags).
CARGO_FUZZ_VERSION=0.13.1
CARGO_FUZZ_DIR="$TOOLS_CACHE/cargo-fuzz-$CARGO_FUZZ_VERSION"
FUZZ_TOOLCHAIN=${FUZZ_TOOLCHAIN:-nightly}
export PATH="$CARGO_FUZZ_DIR/bin:$PATH"

cargo_fuzz_ok() {
  [ "$("$CARGO_FUZZ_DIR/bin/cargo-fuzz" --version 2>/dev/null)" = "cargo-fuzz $CARGO_FUZZ_VERSION" ]
}

# An installed rustup toolchain named $FUZZ_TOOLCHAIN; never installs one (no download).
detect_fuzz_toolchain() {
  command -v rustup >/dev/null 2>&1 \
    && rustup toolchain list 2>/dev/null | grep -qE "^$FUZZ_TOOLCHAIN(-[a-z0-9_]+)*( |$)" \
    && RUSTUP_AUTO_INSTALL=0 rustup run "$FUZZ_TOOLCHAIN" rustc --version >/dev/null 2>&1
}
