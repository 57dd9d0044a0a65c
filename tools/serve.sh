#!/usr/bin/env bash
# Installs what is missing, builds the site and serves it at
# http://127.0.0.1:8000/ (PORT=... to change the port). Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh" wasm
exec node "$root/tools/serve.mjs" "$root/build-wasm/site" "${PORT:-8000}"
