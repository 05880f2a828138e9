#!/usr/bin/env bash
# cargo's runner for the browser tests (scripts/test.sh sets it): wasm-bindgen-test-runner,
# with its HTTP server kept warm.
#
# Why: the runner serves the test page with tiny_http 0.12, whose task pool loses a wake-up
# when several connections arrive at once while fewer threads are idle (TaskPool::spawn
# counts a notified thread as still waiting). Chromium opens a burst of connections for the
# page's modules; one of them then waits in the queue behind keep-alive connections that
# never end, and the page never starts its tests (reproduced: 10 simultaneous connections
# to a fresh runner leave one unanswered; 2 of 4 runs of one test binary stalled).
# scripts/warm-test-server.mjs opens connections one at a time and closes them together,
# again and again, so that more idle threads wait than Chromium opens connections.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export WASM_BINDGEN_TEST_ADDRESS=127.0.0.1:$port
node "$here/warm-test-server.mjs" "$port" &
warmer=$!
wasm-bindgen-test-runner "$@"
rc=$?
kill "$warmer" 2>/dev/null
wait "$warmer" 2>/dev/null
exit $rc
