# okta-auth-wasm. The two commands of the README: `make demo` and `make test`.
# Every target installs what it needs first (`make setup`, idempotent and quiet when done).
SHELL := /bin/bash

.PHONY: setup pkg test test-native test-types test-shell test-e2e test-fuzz test-bundlers test-stress fuzz demo bench clean

setup:
	@scripts/setup.sh

pkg: setup
	@scripts/build-pkg.sh

# Every layer: the Rust core natively, the TypeScript shell's types, the shell in Chromium
# against fakes, end to end on pkg/ (in Chromium and Firefox ESR), a fuzz smoke (each fuzz
# target for FUZZ_SECONDS, default 5), and the packed package in bundler and framework apps,
# each signed in.
test: pkg
	@scripts/test.sh native types shell e2e fuzz bundlers

test-native: setup
	@scripts/test.sh native

test-types: pkg
	@scripts/test.sh types

test-shell: pkg
	@scripts/test.sh shell

test-e2e: pkg
	@scripts/test.sh e2e

test-fuzz: setup
	@scripts/test.sh fuzz

# BUNDLERS_CASES="vite8 webpack" runs only those apps (tests/bundlers/*/, examples/*/).
test-bundlers: pkg
	@scripts/test.sh bundlers

# Not part of `make test`: the e2e layer N times (N=5) beside a CPU hog (HOG busy loops,
# default one per core); prints each run's passes, failures and slowest test.
test-stress: pkg
	@N=$(or $(N),5) scripts/stress.sh

# Long fuzz runs: FUZZ_RUNS executions per target (default 1000000), all targets or
# FUZZ_TARGETS="jwt json"; FUZZ_ARGS= adds libFuzzer flags. Needs a nightly toolchain
# (cargo-fuzz comes with `make setup`).
fuzz: setup
	@FUZZ_RUNS=$(or $(FUZZ_RUNS),1000000) scripts/fuzz-smoke.sh $(FUZZ_TARGETS)

# DEMO_SMOKE=1: one headless run instead of serving until Ctrl-C (or SIGTERM). Ports:
# DEMO_PORT (8080), DEMO_ORG_PORT (4000), DEMO_CUSTOM_PORT (4001); 0 takes a free one.
# The ports are checked first: a second `make demo` says so before rebuilding pkg/.
demo: setup
	@DEMO_CHECK_PORTS=1 node scripts/demo.mjs
	@scripts/build-pkg.sh
	@DEMO_SMOKE=$(DEMO_SMOKE) node scripts/demo.mjs

# Size and speed next to okta-auth-js & co., with issue #14's targets: writes bench/results.json
# and bench/README.md.
bench: pkg
	@node bench/run.mjs

clean:
	rm -rf target pkg node_modules
