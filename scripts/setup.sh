#!/usr/bin/env bash
# Installs what the playground build needs and is missing, on Debian 12 with
# the Rust toolchain (rustup), Node.js and npm already there. Safe to rerun:
# every step checks first and skips what is already in place.
#
#   scripts/setup.sh            Rust target, wasm-bindgen-cli, npm packages
#   scripts/setup.sh --browser  also the test tools: Debian's chromium,
#                               chromium-driver and graphviz, and
#                               cargo-fuzz for the fuzz targets
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WITH_BROWSER=0
for argument in "$@"; do
  case "$argument" in
    --browser) WITH_BROWSER=1 ;;
    -h | --help)
      sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown option '$argument'; expected --browser or --help" ;;
  esac
done

# Runs a command as root: directly when this is root, else through sudo.
as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "'$*' needs root, and sudo is not installed; run this script as root"
  fi
}

require_base_tools() {
  local tool
  for tool in cargo rustup node npm; do
    command -v "$tool" >/dev/null 2>&1 ||
      die "$tool not found; install the Rust toolchain with rustup, and Node.js 20 with npm"
  done
}

install_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "Rust target wasm32-unknown-unknown is installed"
    return
  fi
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

install_wasm_bindgen() {
  local wanted installed
  wanted="$(wasm_bindgen_version)"
  installed="$(installed_wasm_bindgen_version)"
  if [[ "$installed" == "$wanted" ]]; then
    log "wasm-bindgen $wanted is installed"
    return
  fi
  # No --locked: the registry reached here lacks a version that
  # wasm-bindgen-cli's own lock file pins.
  log "cargo install wasm-bindgen-cli --version $wanted (about 2 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$wanted" --force
  installed="$(installed_wasm_bindgen_version)"
  [[ "$installed" == "$wanted" ]] ||
    die "installed wasm-bindgen-cli $wanted but 'wasm-bindgen --version' reports '$installed'; check PATH"
}

# The cargo-fuzz release scripts/fuzz.sh is written for.
CARGO_FUZZ_VERSION=0.13.2

install_cargo_fuzz() {
  if [[ "$(cargo fuzz --version 2>/dev/null)" == "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    log "cargo-fuzz $CARGO_FUZZ_VERSION is installed"
    return
  fi
  log "cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION --locked (about 1 minute on 2 cores)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
}

install_npm_packages() {
  # npm ci deletes and rewrites node_modules, so it runs only when the
  # stamp (the lock file's hash at the last install) differs.
  local stamp="$WWW/node_modules/.rocky-lock-sha256" hash
  hash="$(npm_lock_hash)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
    log "www/node_modules matches www/package-lock.json"
    return
  fi
  # No install scripts are needed: esbuild ships its binary in an optional
  # platform package, and the rest are plain JavaScript and WebAssembly.
  log "npm ci in www/"
  (cd "$WWW" && npm ci --ignore-scripts --no-audit --no-fund)
  printf '%s' "$hash" >"$stamp"
}

install_browser() {
  if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    log "chromium and chromium-driver are installed"
    return
  fi
  log "apt-get install chromium chromium-driver (about 165 MB)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
}

# Graphviz's dot renders the DOT export in the CLI tests, which fail in CI
# when it is missing.
install_graphviz() {
  if command -v dot >/dev/null 2>&1; then
    log "graphviz is installed ($(dot -V 2>&1))"
    return
  fi
  log "apt-get install graphviz"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y graphviz
}

main() {
  require_base_tools
  install_wasm_target
  install_wasm_bindgen
  install_npm_packages
  if ((WITH_BROWSER)); then
    install_browser
    install_graphviz
    install_cargo_fuzz
  fi
  log "setup is complete"
}

main "$@"
