#!/usr/bin/env bash
# Builds gradlab natively (CLI, tests, benchmark) into build/.
#   usage: tools/build.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/env.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)"
