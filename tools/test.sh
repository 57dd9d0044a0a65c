#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh" --browser
"$root/tools/build.sh"
ctest --test-dir "$root/build" --output-on-failure -j2
