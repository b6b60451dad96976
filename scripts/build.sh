#!/usr/bin/env bash
# Builds the playground into dist/ (see docs/playground-contract.md for its
# files) without trunk, using only tools that scripts/setup.sh installs.
# Rebuilds are incremental: cargo reuses its cache, and wasm-bindgen and
# wasm-opt run only when the compiled module or the tool versions change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIST="$ROOT/dist"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BINDGEN_OUT="$TARGET_DIR/playground-bindgen"
DUCKDB_DIST="$WWW/node_modules/@duckdb/duckdb-wasm/dist"
DUCKDB_FILES=(duckdb-mvp.wasm duckdb-eh.wasm duckdb-browser-mvp.worker.js duckdb-browser-eh.worker.js)
WASM_OPT="$WWW/node_modules/.bin/wasm-opt"
ESBUILD="$WWW/node_modules/.bin/esbuild"

require_tools() {
  local missing=()
  command -v cargo >/dev/null 2>&1 || missing+=("cargo (Rust toolchain)")
  command -v rustc >/dev/null 2>&1 || missing+=("rustc (Rust toolchain)")
  if command -v rustc >/dev/null 2>&1 &&
    [[ ! -d "$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null)" ]]; then
    missing+=("the wasm32-unknown-unknown Rust target")
  fi
  command -v wasm-bindgen >/dev/null 2>&1 || missing+=("wasm-bindgen (wasm-bindgen-cli)")
  command -v node >/dev/null 2>&1 || missing+=("node")
  [[ -x "$WASM_OPT" ]] || missing+=("$WASM_OPT (npm package binaryen)")
  [[ -x "$ESBUILD" ]] || missing+=("$ESBUILD (npm package esbuild)")
  local file
  for file in "${DUCKDB_FILES[@]}"; do
    [[ -f "$DUCKDB_DIST/$file" ]] || missing+=("$DUCKDB_DIST/$file (npm package @duckdb/duckdb-wasm)")
  done
  if ((${#missing[@]} > 0)); then
    printf 'error: missing build tools:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    die "run scripts/setup.sh to install them"
  fi

  local wanted installed
  wanted="$(wasm_bindgen_version)"
  installed="$(installed_wasm_bindgen_version)"
  if [[ "$installed" != "$wanted" ]]; then
    die "wasm-bindgen $installed is installed but Cargo.lock needs $wanted; run scripts/setup.sh"
  fi
}

# Prints the wasm-opt flags for the WebAssembly features that rustc enables by
# default for wasm32-unknown-unknown (Rust 1.95: bulk-memory, multivalue,
# mutable-globals, nontrapping-fptoint, reference-types, sign-ext). wasm-opt
# rejects a module that uses a feature it was not given. It also reads the
# module's target_features section, but the flags keep the build working
# where a tool in between drops that section.
wasm_opt_feature_flags() {
  local feature
  rustc --print cfg --target wasm32-unknown-unknown |
    sed -n 's/^target_feature="\(.*\)"$/\1/p' |
    while read -r feature; do
      case "$feature" in
        bulk-memory) echo --enable-bulk-memory ;;
        bulk-memory-opt) echo --enable-bulk-memory-opt ;;
        call-indirect-overlong) echo --enable-call-indirect-overlong ;;
        exception-handling) echo --enable-exception-handling ;;
        extended-const) echo --enable-extended-const ;;
        multimemory) echo --enable-multimemory ;;
        multivalue) echo --enable-multivalue ;;
        mutable-globals) echo --enable-mutable-globals ;;
        nontrapping-fptoint) echo --enable-nontrapping-float-to-int ;;
        reference-types) echo --enable-reference-types ;;
        relaxed-simd) echo --enable-relaxed-simd ;;
        sign-ext) echo --enable-sign-ext ;;
        simd128) echo --enable-simd ;;
        tail-call) echo --enable-tail-call ;;
        *) die "rustc enables the WebAssembly feature '$feature', which scripts/build.sh has no wasm-opt flag for" ;;
      esac
    done
}

build_wasm() {
  log "cargo build --release -p rocky-web -p rocky-dbt-web --target wasm32-unknown-unknown"
  (cd "$ROOT" && cargo build --release -p rocky-web -p rocky-dbt-web --target wasm32-unknown-unknown)
  local flags
  flags="$(wasm_opt_feature_flags | tr '\n' ' ')"
  bind_module rocky_web "$flags"
  bind_module rocky_dbt_web "$flags"
}

# Runs wasm-bindgen and wasm-opt on the module NAME (the crate's library
# name) into dist/NAME.js and dist/NAME_bg.wasm, unless they are up to date.
bind_module() {
  local name="$1" flags="$2"
  local wasm_in="$TARGET_DIR/wasm32-unknown-unknown/release/$name.wasm"
  local out="$BINDGEN_OUT/$name"
  [[ -f "$wasm_in" ]] || die "cargo finished but $wasm_in is missing"

  local stamp_file stamp
  stamp_file="$DIST/.$name.stamp"
  stamp="$(sha256sum "$wasm_in" | awk '{ print $1 }') $(wasm-bindgen --version) $("$WASM_OPT" --version) $flags"
  if [[ -f "$DIST/$name.js" && -f "$DIST/${name}_bg.wasm" && -f "$stamp_file" &&
    "$(cat "$stamp_file")" == "$stamp" ]]; then
    log "$name.js and ${name}_bg.wasm are up to date"
    return
  fi

  log "wasm-bindgen --target web $name.wasm"
  rm -rf "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm_in"

  log "wasm-opt -Oz $flags ${name}_bg.wasm"
  # shellcheck disable=SC2086 # one word per flag
  "$WASM_OPT" -Oz $flags "$out/${name}_bg.wasm" -o "$DIST/${name}_bg.wasm.tmp"
  mv "$DIST/${name}_bg.wasm.tmp" "$DIST/${name}_bg.wasm"
  cp "$out/$name.js" "$DIST/$name.js"
  if [[ -d "$out/snippets" ]]; then
    mkdir -p "$DIST/snippets"
    cp -R "$out/snippets/." "$DIST/snippets/"
  fi
  printf '%s' "$stamp" >"$stamp_file"
}

build_bridge() {
  log "esbuild www/src/bridge.js"
  "$ESBUILD" "$WWW/src/bridge.js" --bundle --minify --format=iife --target=es2020 \
    --sourcemap --log-level=warning --outfile="$DIST/bridge.js"
}

copy_static() {
  log "copying index.html, main.js, style.css, dbt-worker.js and DuckDB's files"
  # -u copies only files newer than the copy, so the 75 MB of DuckDB are copied once.
  cp -u "$ROOT/index.html" "$WWW/src/main.js" "$WWW/style.css" "$WWW/src/dbt-worker.js" "$DIST/"
  mkdir -p "$DIST/duckdb"
  local file
  for file in "${DUCKDB_FILES[@]}"; do
    cp -u "$DUCKDB_DIST/$file" "$DIST/duckdb/$file"
  done
}

main() {
  require_tools
  mkdir -p "$DIST"
  build_wasm
  build_bridge
  copy_static
  local raw gzipped
  raw="$(stat -c %s "$DIST/rocky_web_bg.wasm")"
  gzipped="$(gzip -9 -c "$DIST/rocky_web_bg.wasm" | wc -c)"
  log "built $DIST (rocky_web_bg.wasm: $raw bytes, $gzipped bytes gzip -9)"
  raw="$(stat -c %s "$DIST/rocky_dbt_web_bg.wasm")"
  gzipped="$(gzip -9 -c "$DIST/rocky_dbt_web_bg.wasm" | wc -c)"
  log "the dbt importer, loaded on demand: rocky_dbt_web_bg.wasm, $raw bytes, $gzipped bytes gzip -9"
}

main "$@"
