#!/usr/bin/env bash
# Native benchmark: builds the core twice (g++ -O2, the portable SSE2 baseline,
# and -O3 -march=native) and measures both workloads with each.
# usage: bench/run_native.sh [timed epochs]   (results: bench/out/native.jsonl)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
epochs=${1:-7}
out="$root/bench/out"
mkdir -p "$out"
: > "$out/native.jsonl"
for variant in O2 native; do
  case $variant in
    O2) flags="-O2 -DNDEBUG" ;;
    native) flags="-O3 -march=native -DNDEBUG" ;;
  esac
  dir="$root/build-bench-$variant"
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="$flags" -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$dir" --target bench_native mnist_data -j2 >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
  echo "== native $variant ($flags)"
  "$dir/bench/bench_native" "$dir/data/mnist.bin" "$epochs"
  "$dir/bench/bench_native" "$dir/data/mnist.bin" "$epochs" --json | sed "s/^{/{\"build\":\"$variant\",/" >> "$out/native.jsonl"
done
