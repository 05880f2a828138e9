#!/usr/bin/env bash
# Runs the test layers named as arguments (default: all), prints each layer's counts, and
# fails if a layer fails or executes zero tests. Layers:
#   native   cargo test: the protocol core
#   browser  wasm-bindgen-test in headless Chromium: browser layer and facade
#   e2e      node --test tests/e2e: the built pkg/ in a real page (needs `make pkg` first;
#            OKTA_PKG_DIR=pkg-next: pkg-next/ instead, after `make pkg-next`)
#   fuzz     scripts/fuzz-smoke.sh: each fuzz target of fuzz/ for a few seconds
#   types    tsc --noEmit --strict over the TypeScript shell (ts/) and its tests (tests/shell/);
#            counts the source files without / with errors
#   shell    node --test tests/shell: the shell in Chromium against fakes (needs `make pkg-next`)
#   e2e-next the e2e suites of the API (all but the package's shape and the demo, which are
#            pkg/'s) on pkg-next/ (needs `make pkg-next`)
set -uo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
mkdir -p target/test-logs
rm -f target/test-logs/*.results

layers=("$@")
[ ${#layers[@]} -gt 0 ] || layers=(native types browser shell e2e e2e-next fuzz)

# Every layer runs under a time limit (seconds; override with the variable), far above its
# normal time (warm: native 14 s, e2e 85 s, fuzz 2 min; cold compiles add minutes), so that a
# stuck test fails the layer with a message instead of stalling CI. Inside the layers the
# tests have their own, shorter limits (node --test: per suite; browser: per binary below).
NATIVE_LAYER_TIMEOUT=${NATIVE_LAYER_TIMEOUT:-1200}
E2E_LAYER_TIMEOUT=${E2E_LAYER_TIMEOUT:-1500}
FUZZ_LAYER_TIMEOUT=${FUZZ_LAYER_TIMEOUT:-1500}
TYPES_LAYER_TIMEOUT=${TYPES_LAYER_TIMEOUT:-1200}
# The fallback limit of an e2e test that sets none of its own (ms).
E2E_TEST_TIMEOUT=${E2E_TEST_TIMEOUT:-300000}

# bounded NAME SECONDS CMD...: runs CMD, ending it (and the processes of its group that
# ignore SIGTERM, 15 s later) after SECONDS, and says so.
bounded() {
  local name=$1 limit=$2
  shift 2
  timeout -k 15 "$limit" "$@"
  local rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "$name: stopped after its time limit of ${limit}s (the layer hung or ran far too long; see the output above)"
  fi
  return $rc
}

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
  # A layer that writes a .results file (the browser layer) is counted from it alone.
  [ -f "target/test-logs/$name.results" ] && log="target/test-logs/$name.results"
  case $name in
    e2e | e2e-next | shell)
      passed=$(sed -nE 's/^(# |ℹ )pass ([0-9]+)$/\2/p' "$log" | tail -1)
      # A cancelled test (its suite or hook timed out, or it never finished) is a failure.
      failed=$(sed -nE 's/^(# |ℹ )(fail|cancelled) ([0-9]+)$/\3/p' "$log" | tail -2 | awk '{s+=$1} END {print s+0}')
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
  summary+=("$(printf '%-9s %5d passed, %d failed  %4ds  %s' "$name" "$passed" "$failed" $((SECONDS - start)) "$verdict")")
}

# Each tests/browser*.rs binary runs in its own Chromium session, through
# scripts/wasm-test-runner.sh: wasm-bindgen-test-runner with its HTTP server kept warm, since
# its tiny_http loses a connection in a burst and the page then never starts (measured: 3 of
# 8 runs of one binary stalled without, 0 of 8 with). As a second line of defence, the
# binaries are compiled first, then each runs under a time limit (normal runs take under
# 15 s) and is retried when it printed no result; only printed results are counted.
BROWSER_BINARY_TIMEOUT=${BROWSER_BINARY_TIMEOUT:-60}
browser_tests() {
  local cargo_test=("${WASM_CARGO[@]}" test --locked --target wasm32-unknown-unknown "${WASM_BUILD_STD[@]}")
  "${cargo_test[@]}" --no-run --test 'browser*' || return $?
  local results=target/test-logs/browser.results attempt_log=target/test-logs/browser.attempt
  : >"$results"
  local rc=0 file name attempt out
  for file in tests/browser*.rs; do
    name=$(basename "$file" .rs)
    for attempt in 1 2 3; do
      local drivers_before
      drivers_before=$(pgrep -x chromedriver | sort)
      # webdriver.json (repo root) gives chromedriver Debian's Chromium and headless flags.
      CHROMEDRIVER="$CHROMEDRIVER" WASM_BINDGEN_TEST_TIMEOUT=180 \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$ROOT/scripts/wasm-test-runner.sh" \
        timeout -k 15 "$BROWSER_BINARY_TIMEOUT" "${cargo_test[@]}" --test "$name" 2>&1 | tee "$attempt_log"
      out=${PIPESTATUS[0]}
      [ "$out" -eq 124 ] || [ "$out" -eq 137 ] || break
      # timeout ends cargo; the runner it started (this checkout's) and the chromedriver that
      # appeared with it may live on. Other checkouts' test runs are left alone.
      pkill -f "(wasm-bindgen-test-runner|wasm-test-runner.sh) $ROOT/target/wasm32-unknown-unknown/debug/deps/$name-[0-9a-f]*\.wasm" 2>/dev/null
      comm -13 <(echo "$drivers_before") <(pgrep -x chromedriver | sort) | xargs -r kill 2>/dev/null
      echo "browser: $name gave no result within ${BROWSER_BINARY_TIMEOUT}s (attempt $attempt of 3)"
    done
    # Only the last attempt counts. Its printed result counts even when tests failed, so the
    # summary shows the failures (a timed-out attempt printed none).
    grep -E '^test result:' "$attempt_log" >>"$results" || true
    [ "$out" -eq 0 ] || rc=$out
  done
  return $rc
}

# The types layer: tsc --noEmit (strict, ts/tsconfig.json) over the shell and over its tests,
# with a cargo-style result line: "passed" are the source files without a type error.
types_check() {
  local tsc=node_modules/.bin/tsc project out rc=0 files=0 bad=0 n
  for project in ts tests/shell; do
    out=$("$tsc" --noEmit --pretty false -p "$project/tsconfig.json" 2>&1) || rc=1
    [ -z "$out" ] || printf '%s\n' "$out"
    # Each file once: the tests' project includes the shell's files too.
    n=$("$tsc" --listFilesOnly -p "$project/tsconfig.json" | grep -F "$ROOT/$project/" | grep -v '\.d\.ts$' | wc -l)
    files=$((files + n))
    bad=$((bad + $(printf '%s\n' "$out" | sed -nE 's/^([^(]+)\([0-9]+,[0-9]+\): error TS.*/\1/p' | sort -u | wc -l)))
  done
  if [ "$rc" -eq 0 ]; then
    echo "test result: ok. $files passed; 0 failed (tsc --noEmit, ts/ and tests/shell/)"
  else
    echo "test result: FAILED. $((files - bad)) passed; $bad failed (tsc --noEmit, ts/ and tests/shell/)"
  fi
  return $rc
}

for layer in "${layers[@]}"; do
  case $layer in
    native)
      detect_native_cargo || die "no cargo: run 'make setup'"
      run_layer native bounded native "$NATIVE_LAYER_TIMEOUT" "${NATIVE_CARGO[@]}" test --locked
      ;;
    browser)
      detect_wasm_toolchain || die "no wasm32 toolchain: run 'make setup'"
      run_layer browser browser_tests
      ;;
    e2e)
      # OKTA_PKG_DIR (default pkg; tests/e2e/harness.mjs reads it too): the package under test.
      [ -f "${OKTA_PKG_DIR:-pkg}/index.js" ] || die "${OKTA_PKG_DIR:-pkg}/ is not built: run 'make ${OKTA_PKG_DIR:-pkg}'"
      # --test-force-exit: a suite whose tests are done ends even if a handle stays open.
      run_layer e2e bounded e2e "$E2E_LAYER_TIMEOUT" node --test --test-concurrency=1 --test-force-exit \
        --test-timeout="$E2E_TEST_TIMEOUT" --test-reporter=spec ${E2E_REPORTER_ARGS:-} tests/e2e/
      ;;
    fuzz)
      run_layer fuzz bounded fuzz "$FUZZ_LAYER_TIMEOUT" scripts/fuzz-smoke.sh
      ;;
    types)
      [ -x node_modules/.bin/tsc ] || die "no TypeScript compiler in node_modules: run 'make setup'"
      export -f types_check
      export ROOT
      run_layer types bounded types "$TYPES_LAYER_TIMEOUT" bash -c types_check
      ;;
    shell)
      [ -f pkg-next/okta_auth_wasm_bg.wasm ] || die "pkg-next/ is not built: run 'make pkg-next'"
      run_layer shell bounded shell "$E2E_LAYER_TIMEOUT" node --test --test-concurrency=1 --test-force-exit \
        --test-timeout="$E2E_TEST_TIMEOUT" --test-reporter=spec tests/shell/
      ;;
    e2e-next)
      [ -f pkg-next/index.js ] || die "pkg-next/ is not built: run 'make pkg-next'"
      mapfile -t suites < <(ls tests/e2e/*.test.mjs | grep -vE '/(package|demo)\.test\.mjs$')
      OKTA_PKG_DIR=pkg-next run_layer e2e-next bounded e2e-next "$E2E_LAYER_TIMEOUT" node --test --test-concurrency=1 \
        --test-force-exit --test-timeout="$E2E_TEST_TIMEOUT" --test-reporter=spec ${E2E_REPORTER_ARGS:-} "${suites[@]}"
      ;;
    *) die "unknown test layer: $layer" ;;
  esac
done

echo
echo "test layers:"
printf '  %s\n' "${summary[@]}"
echo "total: $total_passed passed, $total_failed failed"
exit $status
