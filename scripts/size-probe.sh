#!/usr/bin/env bash
# The protocol core alone (src/size_probe.rs, feature `size-probe`), built and optimised
# exactly as pkg/'s wasm is: a lower bound for what any packaging of the core weighs
# (issue #7). Writes target/size-probe.json and prints raw and gzip -9 bytes.
set -euo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
detect_wasm_toolchain || die "no wasm32 toolchain: run 'make setup'"
wasm_bindgen_ok || die "wasm-bindgen $WASM_BINDGEN_VERSION missing: run 'make setup'"

# Its own target directory: the feature changes the crate, and pkg/'s build must not be
# rebuilt (or overwritten) because of it.
export CARGO_TARGET_DIR="$ROOT/target/size-probe"
"${WASM_CARGO[@]}" build --quiet --locked --release --target wasm32-unknown-unknown "${WASM_BUILD_STD[@]}" \
  "${WASM_RELEASE_ARGS[@]}" --lib --features size-probe
out="$CARGO_TARGET_DIR/pkg"
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name probe \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/okta_auth_wasm.wasm"
wasm-opt -Oz --converge --zero-filled-memory --low-memory-unused \
  --strip-producers --strip-target-features \
  "$out/probe_bg.wasm" -o "$out/probe_bg.wasm"

gz() { gzip -9 -n -c "$@" | wc -c; }
wasm_raw=$(wc -c <"$out/probe_bg.wasm")
wasm_gz=$(gz "$out/probe_bg.wasm")
js_raw=$(wc -c <"$out/probe.js")
js_gz=$(gz "$out/probe.js")
echo "size probe: the protocol core alone, one synchronous export (not a package):"
printf '  %-10s %8s %8s\n' "" raw "gzip -9" wasm "$wasm_raw" "$wasm_gz" "JS glue" "$js_raw" "$js_gz"
printf '{"wasm":{"raw":%d,"gzip":%d},"js":{"raw":%d,"gzip":%d}}\n' \
  "$wasm_raw" "$wasm_gz" "$js_raw" "$js_gz" >"$ROOT/target/size-probe.json"
