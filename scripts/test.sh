#!/usr/bin/env bash
# Runs every test: setup (with the browser), rustfmt's check, the Rust
# tests, clippy with warnings denied, a wasm32 build of rocky-core, the
# playground build, the JS unit tests and the browser tests. Each step has a
# time limit, and the script exits non-zero at the first step that fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# Limits in seconds, with wide margins: on a fresh clone (2 cores, tools
# already installed) the whole script took about 2.5 minutes, and a fresh
# machine adds about 2 minutes for wasm-bindgen-cli plus Chromium's download.
SETUP_LIMIT=1800
CARGO_TEST_LIMIT=1800
CORE_WASM_LIMIT=900
BUILD_LIMIT=1800
E2E_LIMIT=600
FUZZ_LIMIT=1200

# Every step's output is also kept here, so the last line can sum up the
# counts that cargo and node's test runner print.
mkdir -p test-results
OUTPUT_LOG=test-results/test-output.log
: >"$OUTPUT_LOG"

# Runs "$@" under `timeout LIMIT` and names the step if it fails or times out.
step() {
  local name="$1" limit="$2" started status
  shift 2
  log "$name"
  started="$(date +%s)"
  set +e
  timeout --kill-after=30 "$limit" "$@" 2>&1 | tee -a "$OUTPUT_LOG"
  status="${PIPESTATUS[0]}"
  set -e
  if ((status == 124 || status == 137)); then
    die "step '$name' timed out after $limit s"
  elif ((status != 0)); then
    die "step '$name' failed with exit code $status"
  fi
  log "$name: passed in $(($(date +%s) - started)) s"
}

step "setup" "$SETUP_LIMIT" scripts/setup.sh --browser
# rustfmt and clippy come with the machine's toolchain; rustup cannot fetch
# components here, so a toolchain without them skips those two checks.
if cargo fmt --version >/dev/null 2>&1; then
  step "cargo fmt --check" 120 cargo fmt --all --check
else
  log "cargo fmt is not installed; skipping the format check"
fi
step "cargo test --workspace" "$CARGO_TEST_LIMIT" cargo test --workspace
if cargo clippy --version >/dev/null 2>&1; then
  step "cargo clippy" "$CARGO_TEST_LIMIT" cargo clippy --workspace --all-targets -- -D warnings
else
  log "cargo clippy is not installed; skipping the lint check"
fi
# Builds the fuzz targets and runs each on its seeds plus 2,000 inputs, as
# a smoke check; scripts/fuzz.sh without --smoke runs them for longer.
step "fuzz smoke run" "$FUZZ_LIMIT" scripts/fuzz.sh --smoke
step "cargo build -p rocky-core --target wasm32-unknown-unknown" "$CORE_WASM_LIMIT" \
  cargo build -p rocky-core --target wasm32-unknown-unknown
step "build the playground" "$BUILD_LIMIT" scripts/build.sh
step "JavaScript unit tests" 120 node --test --test-concurrency=1 tests/js/
rm -f test-results/metrics.json
step "browser tests" "$E2E_LIMIT" node --test --test-concurrency=1 tests/e2e/
if [[ -f test-results/metrics.json ]]; then
  log "measured (test-results/metrics.json): $(tr -d ' \n' <test-results/metrics.json)"
fi

# Sums cargo's "test result: ok. N passed; N failed; N ignored" lines and
# node's "# pass N", "# fail N" and "# skipped N" lines.
awk '
  /^test result:/ { passed += $4; failed += $6; skipped += $8 }
  /^# pass [0-9]+$/ { passed += $3 }
  /^# fail [0-9]+$/ { failed += $3 }
  /^# skipped [0-9]+$/ { skipped += $3 }
  END { printf "total: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$OUTPUT_LOG"
