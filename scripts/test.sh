#!/usr/bin/env bash
# Runs the test layers named as arguments (default: all), prints each layer's counts, and
# fails if a layer fails or executes zero tests. Layers:
#   native   cargo test: the protocol core
#   browser  wasm-bindgen-test in headless Chromium: browser layer and facade
#   e2e      node --test tests/e2e: the built pkg/ in a real page (needs `make pkg` first)
set -uo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
mkdir -p target/test-logs

layers=("$@")
[ ${#layers[@]} -gt 0 ] || layers=(native browser e2e)

total_passed=0
total_failed=0
summary=()
status=0

run_layer() {
  local name=$1
  shift
  local log="target/test-logs/$name.log"
  echo "==> $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local passed failed
  case $name in
    e2e)
      passed=$(sed -nE 's/^(# |ℹ )pass ([0-9]+)$/\2/p' "$log" | tail -1)
      failed=$(sed -nE 's/^(# |ℹ )fail ([0-9]+)$/\2/p' "$log" | tail -1)
      ;;
    *)
      passed=$(sed -nE 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
      failed=$(sed -nE 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
      ;;
  esac
  passed=${passed:-0}
  failed=${failed:-0}
  local verdict=ok
  if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
    verdict="FAILED (exit $rc)"
    status=1
  elif [ "$passed" -eq 0 ]; then
    verdict="FAILED (no test executed)"
    status=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summary+=("$(printf '%-8s %5d passed, %d failed  %4ds  %s' "$name" "$passed" "$failed" $((SECONDS - start)) "$verdict")")
}

for layer in "${layers[@]}"; do
  case $layer in
    native)
      detect_native_cargo || die "no cargo: run 'make setup'"
      run_layer native "${NATIVE_CARGO[@]}" test --locked
      ;;
    browser)
      detect_wasm_toolchain || die "no wasm32 toolchain: run 'make setup'"
      # webdriver.json (repo root) gives chromedriver Debian's Chromium and headless flags.
      run_layer browser env CHROMEDRIVER="$CHROMEDRIVER" WASM_BINDGEN_TEST_TIMEOUT=180 \
        "${WASM_CARGO[@]}" test --locked --target wasm32-unknown-unknown "${WASM_BUILD_STD[@]}" --test 'browser*'
      ;;
    e2e)
      [ -f pkg/index.js ] || die "pkg/ is not built: run 'make pkg'"
      run_layer e2e node --test --test-reporter=spec --test-concurrency=1 tests/e2e/
      ;;
    *) die "unknown test layer: $layer" ;;
  esac
done

echo
echo "test layers:"
printf '  %s\n' "${summary[@]}"
echo "total: $total_passed passed, $total_failed failed"
exit $status
