#!/usr/bin/env bash
# Builds pkg/, the publishable npm package: the Rust core (src/exports.rs behind the one door
# of src/abi.rs: no imports, so no generated glue) compiled to wasm and optimised, under the
# TypeScript shell of ts/ (entry ts/index.ts), which scripts/pkg.mjs bundles with esbuild
# into two ES modules, pkg/index.js (the .wasm inside) and pkg/slim.js, with their source
# maps and the .d.ts from tsc, plus package.json, README and LICENSE. Prints the size report and writes target/size-report.json.
set -euo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
detect_wasm_toolchain || die "no wasm32 toolchain: run 'make setup'"
[ -x node_modules/.bin/tsc ] || die "no TypeScript compiler in node_modules: run 'make setup'"
[ -f ts/index.ts ] || die "no ts/index.ts: the TypeScript shell is missing"

# pkg/ goes first: after a failed build it holds nothing stale.
rm -rf pkg
"${WASM_CARGO[@]}" build --quiet --locked --release --target wasm32-unknown-unknown "${WASM_BUILD_STD[@]}" \
  "${WASM_RELEASE_ARGS[@]}" --lib \
  || die "cargo build failed (see above): pkg/ not built"

mkdir -p pkg
# --zero-filled-memory: the module defines its own memory, which starts zeroed;
# --low-memory-unused: the data lies above 1 MB and the 1 MB stack grows down towards 0, so
# the low 1 KB is touched only by a stack within 1 KB of overflowing (already corruption).
# -ocimfs 50: a function with one caller is inlined into it only if it is small. By default
# every export (each called once, by the dispatcher) was inlined into one 63 KB okta_call,
# which the browser compiles whole on the first call: measured in V8, the first call took
# 5.6 ms, now 1.7 ms, for 344 B gzip.
wasm-opt -Oz --converge --zero-filled-memory --low-memory-unused -ocimfs 50 \
  --strip-producers --strip-target-features --strip-debug \
  target/wasm32-unknown-unknown/release/okta_auth_wasm.wasm -o pkg/okta_auth_wasm_bg.wasm
node scripts/pkg.mjs || die "scripts/pkg.mjs failed (see above): pkg/ is incomplete"

# Size report: what a browser downloads, raw and gzip -9 (the .maps are fetched by devtools
# only), for each entry: the default one is index.js alone (the .wasm inside), /slim is
# slim.js plus the .wasm.
gz() { gzip -9 -n -c "$@" | wc -c; }
raw() { wc -c <"$1"; }
wasm_raw=$(raw pkg/okta_auth_wasm_bg.wasm)
wasm_gz=$(gz pkg/okta_auth_wasm_bg.wasm)
index_raw=$(raw pkg/index.js)
index_gz=$(gz pkg/index.js)
slim_raw=$(raw pkg/slim.js)
slim_gz=$(gz pkg/slim.js)
echo "size report ($WASM_TOOLCHAIN toolchain; each file gzipped alone):"
printf '  %-30s %8s %8s\n' "" raw "gzip -9" \
  "okta-auth-wasm (index.js)" "$index_raw" "$index_gz" \
  "okta-auth-wasm/slim: slim.js" "$slim_raw" "$slim_gz" \
  "  + okta_auth_wasm_bg.wasm" "$wasm_raw" "$wasm_gz" \
  "  = total" $((slim_raw + wasm_raw)) $((slim_gz + wasm_gz))
immediate_abort=false
[ ${#WASM_RELEASE_ARGS[@]} -gt 0 ] && immediate_abort=true
printf '{"toolchain":"%s","immediateAbort":%s,"default":{"raw":%d,"gzip":%d},"slim":{"js":{"raw":%d,"gzip":%d},"wasm":{"raw":%d,"gzip":%d},"total":{"raw":%d,"gzip":%d}}}\n' \
  "$WASM_TOOLCHAIN" "$immediate_abort" "$index_raw" "$index_gz" "$slim_raw" "$slim_gz" "$wasm_raw" "$wasm_gz" \
  $((slim_raw + wasm_raw)) $((slim_gz + wasm_gz)) >target/size-report.json
