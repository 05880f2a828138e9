#!/usr/bin/env bash
# Runs the test layers named as arguments (default: all), prints each layer's counts, and
# fails if a layer fails or executes zero tests. Layers:
#   native   cargo test: the Rust core (protocol rules and the exports the shell calls)
#   types    tsc --noEmit --strict over the TypeScript shell (ts/) and its tests (tests/shell/),
#            counting the source files without / with errors; then scripts/types-package.mjs:
#            the packed package under tsc (README snippets, tests/types/app.ts; bundler and
#            nodenext resolution), publint and arethetypeswrong (needs `make pkg`)
#   shell    node --test tests/shell: the shell in Chromium against fakes (needs `make pkg`)
#   e2e      node --test tests/e2e: the built pkg/ in a real page (needs `make pkg` first), in
#            Chromium, and in Firefox ESR for the suites of tests/e2e/firefox/
#   fuzz     scripts/fuzz-smoke.sh: each fuzz target of fuzz/ for a few seconds
#   bundlers scripts/bundlers.mjs: the packed package installed into minimal apps (Vite,
#            webpack, esbuild, Rollup, Next.js, examples/: tests/bundlers/README.md), each
#            built, served and signed in in Chromium; prints the case table and its time
#            (needs `make pkg`; installs each app's lockfile once, with npm ci)
set -uo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
mkdir -p target/test-logs

layers=("$@")
[ ${#layers[@]} -gt 0 ] || layers=(native types shell e2e fuzz bundlers)

# Every layer runs under a time limit (seconds; override with the variable), far above its
# normal time (warm: native 6 s, types 4 s, shell 30 s, e2e 85 s in Chromium + 70 s in Firefox,
# fuzz 2 min; cold compiles
# add minutes), so that a
# stuck test fails the layer with a message instead of stalling CI. Inside the layers the
# tests have their own, shorter limits (node --test: per test).
NATIVE_LAYER_TIMEOUT=${NATIVE_LAYER_TIMEOUT:-1200}
E2E_LAYER_TIMEOUT=${E2E_LAYER_TIMEOUT:-1500}
FUZZ_LAYER_TIMEOUT=${FUZZ_LAYER_TIMEOUT:-1500}
TYPES_LAYER_TIMEOUT=${TYPES_LAYER_TIMEOUT:-1200}
# bundlers: warm about a minute; a cold run adds each app's npm ci (minutes on a slow link).
BUNDLERS_LAYER_TIMEOUT=${BUNDLERS_LAYER_TIMEOUT:-1800}
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
  case $name in
    e2e | shell)
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
    types)
      [ -x node_modules/.bin/tsc ] || die "no TypeScript compiler in node_modules: run 'make setup'"
      export -f types_check
      export ROOT
      [ -f pkg/index.d.ts ] || die "pkg/ is not built: run 'make pkg'"
      run_layer types bounded types "$TYPES_LAYER_TIMEOUT" bash -c 'types_check; a=$?; node scripts/types-package.mjs; exit $((a | $?))'
      ;;
    shell)
      [ -f pkg/okta_auth_wasm_bg.wasm ] || die "pkg/ is not built: run 'make pkg'"
      run_layer shell bounded shell "$E2E_LAYER_TIMEOUT" node --test --test-concurrency=1 --test-force-exit \
        --test-timeout="$E2E_TEST_TIMEOUT" --test-reporter=spec tests/shell/
      ;;
    e2e)
      [ -f pkg/index.js ] || die "pkg/ is not built: run 'make pkg'"
      # --test-force-exit: a suite whose tests are done ends even if a handle stays open.
      run_layer e2e bounded e2e "$E2E_LAYER_TIMEOUT" node --test --test-concurrency=1 --test-force-exit \
        --test-timeout="$E2E_TEST_TIMEOUT" --test-reporter=spec ${E2E_REPORTER_ARGS:-} tests/e2e/
      ;;
    fuzz)
      run_layer fuzz bounded fuzz "$FUZZ_LAYER_TIMEOUT" scripts/fuzz-smoke.sh
      ;;
    bundlers)
      [ -f pkg/index.js ] || die "pkg/ is not built: run 'make pkg'"
      # BUNDLERS_CASES="vite8 webpack": only those case directories.
      run_layer bundlers bounded bundlers "$BUNDLERS_LAYER_TIMEOUT" node scripts/bundlers.mjs ${BUNDLERS_CASES:-}
      ;;
    *) die "unknown test layer: $layer" ;;
  esac
done

echo
echo "test layers:"
printf '  %s\n' "${summary[@]}"
echo "total: $total_passed passed, $total_failed failed"
exit $status
