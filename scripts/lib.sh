# Helpers shared by the scripts in this folder. Source it, do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WWW="$ROOT/www"

log() {
  printf '==> %s\n' "$*" >&2
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prints the wasm-bindgen version that the build needs: Cargo.lock's
# wasm-bindgen package, or the workspace's `wasm-bindgen = "=X"` pin while no
# crate depends on it yet. wasm-bindgen-cli must match it exactly, or it
# rejects the module with a schema version mismatch.
wasm_bindgen_version() {
  local version=""
  if [[ -f "$ROOT/Cargo.lock" ]]; then
    version="$(awk '
      $0 == "name = \"wasm-bindgen\"" { found = 1; next }
      found && /^version = / { gsub(/"/, "", $3); print $3; exit }
      /^\[\[package\]\]/ { found = 0 }
    ' "$ROOT/Cargo.lock")"
  fi
  if [[ -z "$version" ]]; then
    version="$(sed -n 's/^wasm-bindgen *= *"=\([0-9][0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -n 1)"
  fi
  [[ -n "$version" ]] || die "no wasm-bindgen version found in Cargo.lock or Cargo.toml"
  printf '%s\n' "$version"
}

# Prints the installed wasm-bindgen-cli version, or nothing if it is missing.
installed_wasm_bindgen_version() {
  if command -v wasm-bindgen >/dev/null 2>&1; then
    wasm-bindgen --version | awk '{ print $2 }'
  fi
}

# Prints the SHA-256 of www/package-lock.json.
npm_lock_hash() {
  sha256sum "$WWW/package-lock.json" | awk '{ print $1 }'
}

# Cargo installs binaries here; a fresh shell may not have it on PATH yet.
if [[ -d "${CARGO_HOME:-$HOME/.cargo}/bin" ]]; then
  PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
