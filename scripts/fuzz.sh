#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (see docs/reliability.md) on seeds
# from the shared corpus and the sample project, and prints each target's
# executions, coverage and crashes.
#
#   scripts/fuzz.sh                      every target for 60 s
#   scripts/fuzz.sh --seconds 600 compile_model
#   scripts/fuzz.sh --smoke              every target briefly, as CI does
#
# Targets are built without a sanitizer, so plain stable Rust builds them:
# the code under test is safe Rust, and a panic, a stack overflow or a
# timeout is what the runs look for. A crash leaves its input in
# fuzz/artifacts/<target>/; `cargo fuzz run --sanitizer none TARGET FILE`
# (in fuzz/) replays it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TARGETS=(compile_model compile_project share_link dbt_jinja)
SECONDS_EACH=60
RUNS=""
targets=()
while (($# > 0)); do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --smoke) SECONDS_EACH=10; RUNS=2000; shift ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]} > 0)) || targets=("${ALL_TARGETS[@]}")

command -v cargo-fuzz >/dev/null 2>&1 || die "cargo-fuzz is missing; run scripts/setup.sh"
node "$ROOT/scripts/fuzz_seeds.mjs"

cd "$ROOT/fuzz"
log "cargo fuzz build --sanitizer none --release (${targets[*]})"
for target in "${targets[@]}"; do
  cargo fuzz build --sanitizer none "$target"
done

failed=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  # -timeout: an input that takes 10 s would freeze the page, so it counts
  # as a failure. -max_len fits a small project or a long model.
  args=(-max_total_time="$SECONDS_EACH" -timeout=10 -max_len=65536 -print_final_stats=1)
  [[ -n "$RUNS" ]] && args+=(-runs="$RUNS")
  log "cargo fuzz run $target -- ${args[*]}"
  output="$(mktemp)"
  if cargo fuzz run --sanitizer none "$target" "corpus/$target" -- "${args[@]}" >"$output" 2>&1; then
    status=passed
  else
    status=FAILED
    failed=1
    tail -n 40 "$output" >&2
  fi
  # The last status line, such as `#95191 DONE cov: 12627 ft: 43845 ...`.
  last="$(grep -E '^#[0-9]+[[:space:]].*cov: ' "$output" | tail -n 1 | tr -s '[:space:]' ' ' || true)"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$output" | tail -n 1)"
  summary+=("$target: $status, ${execs:-?} executions; last status: ${last:-none}")
  rm -f "$output"
done

printf '\n'
printf '%s\n' "${summary[@]}"
exit "$failed"
