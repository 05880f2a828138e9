#!/usr/bin/env bash
# Builds pkg/, the publishable npm package, and prints its size report.
set -euo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
detect_wasm_toolchain || die "no wasm32 toolchain: run 'make setup'"
wasm_bindgen_ok || die "wasm-bindgen $WASM_BINDGEN_VERSION missing: run 'make setup'"

"${WASM_CARGO[@]}" build --quiet --locked --release --target wasm32-unknown-unknown "${WASM_BUILD_STD[@]}" \
  "${WASM_RELEASE_ARGS[@]}" --lib

rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name okta_auth_wasm \
  target/wasm32-unknown-unknown/release/okta_auth_wasm.wasm
# --zero-filled-memory: the module defines its own memory, which starts zeroed;
# --low-memory-unused: the data lies above 1 MB and the 1 MB stack grows down towards 0, so
# the low 1 KB is touched only by a stack within 1 KB of overflowing (already corruption).
wasm-opt -Oz --converge --zero-filled-memory --low-memory-unused \
  --strip-producers --strip-target-features \
  pkg/okta_auth_wasm_bg.wasm -o pkg/okta_auth_wasm_bg.wasm
node scripts/minify-imports.mjs pkg/okta_auth_wasm_bg.wasm pkg/okta_auth_wasm.js
node scripts/pkg.mjs

# Size report: what a browser downloads, raw and gzip -9.
gz() { gzip -9 -n -c "$@" | wc -c; }
wasm_raw=$(wc -c <pkg/okta_auth_wasm_bg.wasm)
wasm_gz=$(gz pkg/okta_auth_wasm_bg.wasm)
mapfile -t js_files < <(cd pkg && find . -name '*.js' | sort)
js_raw=0
js_gz=0
for f in "${js_files[@]}"; do
  js_raw=$((js_raw + $(wc -c <"pkg/$f")))
  js_gz=$((js_gz + $(gz "pkg/$f")))
done
echo "size report ($WASM_TOOLCHAIN toolchain; JS glue = ${js_files[*]#./}, each gzipped alone):"
printf '  %-10s %8s %8s\n' "" raw "gzip -9" wasm "$wasm_raw" "$wasm_gz" "JS glue" "$js_raw" "$js_gz" total $((wasm_raw + js_raw)) $((wasm_gz + js_gz))
immediate_abort=false
[ ${#WASM_RELEASE_ARGS[@]} -gt 0 ] && immediate_abort=true
printf '{"toolchain":"%s","immediateAbort":%s,"wasm":{"raw":%d,"gzip":%d},"js":{"raw":%d,"gzip":%d},"total":{"raw":%d,"gzip":%d}}\n' \
  "$WASM_TOOLCHAIN" "$immediate_abort" "$wasm_raw" "$wasm_gz" "$js_raw" "$js_gz" $((wasm_raw + js_raw)) $((wasm_gz + js_gz)) >target/size-report.json
