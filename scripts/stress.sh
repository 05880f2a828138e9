#!/usr/bin/env bash
# `make test-stress`: the end-to-end layer N times in a row (N=5) while HOG busy loops
# (default: one per core) compete for the CPU, as on a loaded CI machine. Prints, for each
# run, its passes, failures (by name) and its slowest test, then a summary; exits 1 if any
# run failed. Not part of `make test`: it takes N times the e2e layer's time, and longer
# under the hog. Logs: target/test-logs/stress-K.log and stress-K.durations.jsonl.
set -uo pipefail
. "$(dirname "$0")/toolchain.sh"
cd "$ROOT"
[ -f pkg/index.js ] || die "pkg/ is not built: run 'make pkg'"

N=${N:-5}
HOG=${HOG:-$(nproc)}
logs=target/test-logs
mkdir -p "$logs"

hogs=()
stop_hogs() {
  [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null
  hogs=()
}
trap stop_hogs EXIT
trap 'stop_hogs; exit 130' INT TERM
for _ in $(seq "$HOG"); do
  (trap - INT TERM; while :; do :; done) &
  hogs+=($!)
done
echo "stress: $N runs of the e2e layer beside $HOG busy loops (pids ${hogs[*]})"

clean=0
results=()
for k in $(seq "$N"); do
  log="$logs/stress-$k.log"
  durations="$logs/stress-$k.durations.jsonl"
  rm -f "$durations"
  start=$SECONDS
  E2E_REPORTER_ARGS="--test-reporter-destination=stdout --test-reporter=$ROOT/scripts/durations-reporter.mjs --test-reporter-destination=$ROOT/$durations" \
    scripts/test.sh e2e >"$log" 2>&1
  rc=$?
  took=$((SECONDS - start))
  line=$(node -e '
    const fs = require("fs");
    const rows = fs.existsSync(process.argv[1]) ? fs.readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse) : [];
    const name = (r) => `${require("path").basename(r.file ?? "?")} > ${r.name}`;
    const passed = rows.filter((r) => r.ok).length;
    const failed = rows.filter((r) => !r.ok);
    const slowest = rows.reduce((a, r) => (!a || r.ms > a.ms ? r : a), null);
    let out = `${passed} passed, ${failed.length} failed`;
    if (slowest) out += `; slowest: ${name(slowest)} (${slowest.ms} ms)`;
    for (const f of failed) out += `\n      FAILED: ${name(f)} (${f.ms} ms)`;
    console.log(out);
  ' "$durations")
  verdict=ok
  if [ "$rc" -ne 0 ] || ! grep -q '^total: [1-9][0-9]* passed, 0 failed$' "$log"; then
    verdict="FAILED (exit $rc; log $log)"
  else
    clean=$((clean + 1))
  fi
  results+=("run $k/$N: ${took}s, $line  $verdict")
  echo "${results[-1]}"
done
stop_hogs
echo
echo "stress: $clean of $N runs clean"
printf '  %s\n' "${results[@]}"
[ "$clean" -eq "$N" ]
