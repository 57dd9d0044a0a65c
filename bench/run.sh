#!/usr/bin/env bash
# The benchmark, one command: installs what is missing, builds gradlab natively
# (g++ -O2 and -O3 -march=native), as WebAssembly and with the sanitizers, then
# runs bench/run.mjs (the speed benchmark: every implementation, round-robin, and
# the page's smoothness, load time and size), bench/walk.mjs (the walk-through's
# cold load) and bench/hardening.mjs (the long
# fuzzing of the core and of the page, the sanitized suite, the ten-minute soak).
# Writes bench/results.json, bench/walk.json, bench/hardening.json and their sections of bench/README.md.
#   usage: bench/run.sh [--only speed|hardening] [--rounds N] [--epochs N]
#          (defaults: both; 7 rounds, 3 timed runs each)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
only=""
speed_args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --only ]; then
    only=${2:-}
    case "$only" in speed|hardening) ;; *) echo "bench/run.sh: --only takes speed or hardening" >&2; exit 2 ;; esac
    shift 2
  else
    speed_args+=("$1")
    shift
  fi
done
source "$root/tools/env.sh"
"$root/tools/setup.sh" --browser
"$root/tools/build.sh" wasm >/dev/null
if [ "$only" != hardening ]; then
  for variant in O2 native; do
    case $variant in
      O2) flags="-O2 -DNDEBUG" ;;
      native) flags="-O3 -march=native -DNDEBUG" ;;
    esac
    dir="$root/build-bench-$variant"
    cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="$flags" -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$dir" --target bench_native mnist_data -j2 >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
  done
  node "$root/bench/run.mjs" "${speed_args[@]}"
  node "$root/bench/walk.mjs"
fi
if [ "$only" != speed ]; then
  "$root/tools/build.sh" sanitize >/dev/null
  node "$root/bench/hardening.mjs"
fi
