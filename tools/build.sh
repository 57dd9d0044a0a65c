#!/usr/bin/env bash
# Builds gradlab: the native build (CLI, Catch2 tests, benchmark) in build/, and
# the WebAssembly build (the site in build-wasm/site, the node module in
# build-wasm/node) in build-wasm/.
# build-sanitize/ holds the Catch2 suite and the libFuzzer target built by clang
# with AddressSanitizer and UBSan.
#   usage: tools/build.sh [native|wasm|sanitize|all]   (default all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tools/env.sh"
what=${1:-all}
jobs=$(nproc)
if [ "$what" = all ] || [ "$what" = native ]; then
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build" -j"$jobs"
fi
if [ "$what" = all ] || [ "$what" = sanitize ]; then
  CXX=clang++-14 cmake -S "$root" -B "$root/build-sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRADLAB_SANITIZE=ON >/dev/null
  cmake --build "$root/build-sanitize" -j"$jobs" --target core_tests fuzz_session
fi
if [ "$what" = all ] || [ "$what" = wasm ]; then
  emcmake cmake -S "$root" -B "$root/build-wasm" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build-wasm" -j"$jobs"
fi
