#!/usr/bin/env bash
# Builds pkg-next/, the package growing beside pkg/: the Rust protocol core alone (feature
# `core`: src/exports.rs behind the one door of src/abi.rs, no browser layer, no imports, so
# no wasm-bindgen glue) under the TypeScript shell of ts/ (entry ts/index.ts).
# scripts/pkg-next.mjs then bundles ts/index.ts with esbuild into pkg-next/index.js, emits the
# declarations with tsc, and writes package.json, README, LICENSE.
# Prints a size report like build-pkg.sh and writes target/size-report-next.json.
set -euo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
detect_wasm_toolchain || die "no wasm32 toolchain: run 'make setup'"
[ -x node_modules/.bin/tsc ] || die "no TypeScript compiler in node_modules: run 'make setup'"
[ -f ts/index.ts ] || die "no ts/index.ts: the TypeScript shell is missing"

# Its own target directory: the feature changes the crate, and pkg/'s build must not be
# rebuilt (or overwritten) because of it.
export CARGO_TARGET_DIR="$ROOT/target/core"
# pkg-next/ goes first: after a failed build it holds nothing stale.
rm -rf pkg-next
"${WASM_CARGO[@]}" build --quiet --locked --release --target wasm32-unknown-unknown "${WASM_BUILD_STD[@]}" \
  "${WASM_RELEASE_ARGS[@]}" --lib --features core \
  || die "cargo build --features core failed (see above): pkg-next/ not built"

mkdir -p pkg-next
# The same flags as pkg/ (scripts/build-pkg.sh says why).
wasm-opt -Oz --converge --zero-filled-memory --low-memory-unused \
  --strip-producers --strip-target-features --strip-debug \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/okta_auth_wasm.wasm" -o pkg-next/okta_auth_wasm_bg.wasm
node scripts/pkg-next.mjs || die "scripts/pkg-next.mjs failed (see above): pkg-next/ is incomplete"

# Size report: what a browser downloads, raw and gzip -9 (the .map is fetched by devtools only).
gz() { gzip -9 -n -c "$@" | wc -c; }
wasm_raw=$(wc -c <pkg-next/okta_auth_wasm_bg.wasm)
wasm_gz=$(gz pkg-next/okta_auth_wasm_bg.wasm)
mapfile -t js_files < <(cd pkg-next && find . -name '*.js' | sort)
js_raw=0
js_gz=0
for f in "${js_files[@]}"; do
  js_raw=$((js_raw + $(wc -c <"pkg-next/$f")))
  js_gz=$((js_gz + $(gz "pkg-next/$f")))
done
echo "size report, pkg-next ($WASM_TOOLCHAIN toolchain; JS = ${js_files[*]#./}, each gzipped alone):"
printf '  %-10s %8s %8s\n' "" raw "gzip -9" wasm "$wasm_raw" "$wasm_gz" "JS" "$js_raw" "$js_gz" total $((wasm_raw + js_raw)) $((wasm_gz + js_gz))
immediate_abort=false
[ ${#WASM_RELEASE_ARGS[@]} -gt 0 ] && immediate_abort=true
printf '{"toolchain":"%s","immediateAbort":%s,"wasm":{"raw":%d,"gzip":%d},"js":{"raw":%d,"gzip":%d},"total":{"raw":%d,"gzip":%d}}\n' \
  "$WASM_TOOLCHAIN" "$immediate_abort" "$wasm_raw" "$wasm_gz" "$js_raw" "$js_gz" $((wasm_raw + js_raw)) $((wasm_gz + js_gz)) >target/size-report-next.json
