#!/usr/bin/env bash
# Installs everything the project needs, idempotently and quietly when already done:
# a wasm toolchain, Chromium and Firefox ESR, the npm tooling from package-lock.json, and
# cargo-fuzz where a nightly toolchain exists. Safe to run on every `make` target.
set -euo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"

say() { echo "setup: $*"; }

apt_install() {
  command -v apt-get >/dev/null 2>&1 \
    || die "missing $* and no apt-get here: install them with your package manager"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  say "installing Debian packages: $*"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

# 1. System packages: the Debian wasm toolchain only when no rustup wasm target exists;
#    never `rustup target add` (it can hang where rust-std cannot be downloaded).
missing=()
detect_wasm_toolchain || missing+=("${DEBIAN_RUST_PACKAGES[@]}")
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$FIREFOX" ] || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
  detect_wasm_toolchain || die "no wasm32 toolchain after installing ${DEBIAN_RUST_PACKAGES[*]}"
fi
detect_native_cargo || die "no cargo: install Rust (rustup) or Debian's cargo-web"

# 2. Node tooling (binaryen's wasm-opt, esbuild, TypeScript's tsc, playwright-core, puppeteer-core, ...),
#    reinstalled only when the lockfile changed (or a node_modules from before TypeScript
#    was pinned lacks tsc).
command -v node >/dev/null 2>&1 || die "Node.js 20.12 or newer is required"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=12)?0:1)' \
  || die "Node.js 20.12 or newer is required (found $(node --version))"
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x node_modules/.bin/tsc ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" >"$stamp"
fi

# 3. cargo-fuzz for the fuzz layer, only where a nightly toolchain exists (without one the
#    layer replays its harnesses on stable instead, and says so). Cached outside the clone;
#    building it takes about a minute. A failure here only warns: the fuzz layer then says
#    loudly that it did not fuzz, and the other targets still work.
if detect_fuzz_toolchain && ! cargo_fuzz_ok; then
  say "building cargo-fuzz $CARGO_FUZZ_VERSION into $CARGO_FUZZ_DIR (about a minute, once)"
  "${NATIVE_CARGO[@]}" install --quiet --locked --force --root "$CARGO_FUZZ_DIR" \
    cargo-fuzz --version "$CARGO_FUZZ_VERSION" \
    || say "WARNING: cargo-fuzz $CARGO_FUZZ_VERSION did not install; the fuzz layer will not fuzz"
fi
