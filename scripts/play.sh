#!/usr/bin/env bash
# Installs what is missing, builds the playground with the sample project and
# serves it on http://127.0.0.1:$PORT/ (PORT defaults to 8080) until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
log "open http://127.0.0.1:${PORT:-8080}/ in a browser; Ctrl-C stops the server"
exec node "$WWW/serve.mjs" "$ROOT/dist"
