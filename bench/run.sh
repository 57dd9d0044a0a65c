#!/usr/bin/env bash
# The benchmark, one command: installs what is missing, builds gradlab natively
# (g++ -O2 and -O3 -march=native) and as WebAssembly, then runs bench/run.mjs:
# every implementation, round-robin, and the page's smoothness, load time and size.
# Writes bench/results.json and the table in bench/README.md.
#   usage: bench/run.sh [--rounds N] [--epochs N]     (defaults: 3 rounds, 5 timed epochs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/env.sh"
"$root/tools/setup.sh" --browser
"$root/tools/build.sh" wasm >/dev/null
for variant in O2 native; do
  case $variant in
    O2) flags="-O2 -DNDEBUG" ;;
    native) flags="-O3 -march=native -DNDEBUG" ;;
  esac
  dir="$root/build-bench-$variant"
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="$flags" -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$dir" --target bench_native mnist_data -j2 >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
done
exec node "$root/bench/run.mjs" "$@"
