#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ (all, or those named as arguments) and fails on any crash,
# panic, broken invariant, timeout or out-of-memory. Prints one `test result:` line per run
# for scripts/test.sh.
#
#   FUZZ_SECONDS=5    the smoke: each target for this many seconds (make test, make test-fuzz)
#   FUZZ_RUNS=N       long runs instead: each target for N executions (make fuzz)
#   FUZZ_TOOLCHAIN    the rustup toolchain for cargo-fuzz (default nightly)
#   FUZZ_ARGS         more libFuzzer flags, e.g. "-max_len=65536 -timeout=2"
#
# With a nightly toolchain and cargo-fuzz (scripts/setup.sh installs cargo-fuzz when a
# nightly toolchain exists): libFuzzer, coverage-guided, starting from fuzz/seeds/<target>
# and growing fuzz/corpus/<target> (not committed); a crashing input is saved under
# fuzz/artifacts/<target>/. Without them: a loud warning, then the same harnesses on
# stable through fuzz/tests/replay.rs (seeds, truncations, deterministic mutations), which
# is no substitute for fuzzing but not nothing. Long runs need libFuzzer.
set -uo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT/fuzz"
mkdir -p "$ROOT/target/test-logs"

FUZZ_SECONDS=${FUZZ_SECONDS:-5}
FUZZ_RUNS=${FUZZ_RUNS:-}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi

if ! detect_fuzz_toolchain || ! cargo_fuzz_ok; then
  why="no rustup toolchain '$FUZZ_TOOLCHAIN'"
  detect_fuzz_toolchain && why="no cargo-fuzz $CARGO_FUZZ_VERSION in $CARGO_FUZZ_DIR (run 'make setup')"
  {
    echo "fuzz: ################################################################"
    echo "fuzz: WARNING: $why."
    echo "fuzz: NOT fuzzing. Falling back to replaying seeds and deterministic"
    echo "fuzz: mutations through the same harnesses on stable (fuzz/tests/replay.rs)."
    echo "fuzz: ################################################################"
  } >&2
  [ -z "$FUZZ_RUNS" ] || die "long fuzz runs (FUZZ_RUNS) need libFuzzer: $why"
  detect_native_cargo || die "no cargo: run 'make setup'"
  # Not --locked (cargo fuzz does not lock either): fuzz/Cargo.lock also pins the library's
  # own dependencies, and a change to those must not break the fuzz layer.
  exec "${NATIVE_CARGO[@]}" test --release --no-default-features --test replay -- "$@"
fi

fuzz=(cargo "+$FUZZ_TOOLCHAIN" fuzz)
# No sanitizer: the protocol core has no unsafe code, so AddressSanitizer would only slow
# it down; panics, overflow checks and debug assertions are what fail here.
build_flags=(--sanitizer none)
echo "fuzz: building ${#targets[@]} targets with $("${fuzz[@]}" --version) on $(rustc "+$FUZZ_TOOLCHAIN" --version)"
build_log="$ROOT/target/test-logs/fuzz-build.log"
"${fuzz[@]}" build "${build_flags[@]}" >"$build_log" 2>&1 \
  || { cat "$build_log"; die "the fuzz targets do not build"; }

if [ -n "$FUZZ_RUNS" ]; then limit=(-runs="$FUZZ_RUNS"); else limit=(-max_total_time="$FUZZ_SECONDS"); fi
# A smoke run of one target that has not ended 2 minutes after its FUZZ_SECONDS is stuck
# (libFuzzer's own -timeout catches one slow input, not a hang outside it): it is ended and
# fails. Long runs (FUZZ_RUNS) are not bounded.
bound=()
[ -n "$FUZZ_RUNS" ] || bound=(timeout -k 10 $((FUZZ_SECONDS + 120)))
passed=0
failed=0
start=$SECONDS
for t in "${targets[@]}"; do
  log="$ROOT/target/test-logs/fuzz-$t.log"
  mkdir -p "corpus/$t" "artifacts/$t"
  # -timeout: one input taking 10 s is a failure (a quadratic parser on a crafted input).
  "${bound[@]}" "${fuzz[@]}" run "${build_flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
    -dict=dict/oidc.dict -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${limit[@]}" ${FUZZ_ARGS:-} </dev/null >"$log" 2>&1
  rc=$?
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
  rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    printf 'fuzz: %-17s ok      %10s runs  %7s exec/s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$cov"
  else
    failed=$((failed + 1))
    printf 'fuzz: %-17s FAILED  (exit %d) after %s runs; log: %s\n' "$t" "$rc" "${runs:-?}" "$log"
    [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || echo "fuzz:   not ended $((FUZZ_SECONDS + 120)) s after its start: stopped"
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written to|^Base64:' "$log" | sed 's/^/fuzz:   /' | head -20
  fi
done
verdict=ok
[ "$failed" -eq 0 ] || verdict=FAILED
echo "test result: $verdict. $passed passed; $failed failed; 0 ignored; 0 measured; 0 filtered out; finished in $((SECONDS - start))s"
[ "$failed" -eq 0 ]
