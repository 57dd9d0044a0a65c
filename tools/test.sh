#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: the native
# Catch2 suite and CLI tests (ctest), the wasm module under node, and the page in
# Debian's chromium. Screenshots land in test-output/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools/setup.sh --browser
tools/build.sh all
echo "== native: ctest"
ctest --test-dir build --output-on-failure -j2
echo "== native, with AddressSanitizer and UBSan: the Catch2 suite, then a minute of fuzzing"
build-sanitize/tests/core/core_tests
fuzz_out=$(mktemp -d)
mkdir "$fuzz_out/corpus"
fuzz_status=0
build-sanitize/tests/fuzz/fuzz_session -max_total_time=60 -print_final_stats=1 -artifact_prefix="$fuzz_out/" \
  "$fuzz_out/corpus" tests/fuzz/corpus >"$fuzz_out/log" 2>&1 || fuzz_status=$?
grep -E '^(stat::|#[0-9]+ +DONE)' "$fuzz_out/log" || true
if [ "$fuzz_status" -ne 0 ]; then
  tail -60 "$fuzz_out/log"
  echo "fuzz: failed (status $fuzz_status); the input is in $fuzz_out"
  exit 1
fi
rm -rf "$fuzz_out"
export GRADLAB_CLI="$root/build/gradlab" GRADLAB_MNIST="$root/build/data/mnist.bin"
export GRADLAB_WASM_DIR="$root/build-wasm/node" GRADLAB_SITE="$root/build-wasm/site"
export GRADLAB_TEST_OUTPUT="$root/test-output"
echo "== wasm under node"
node --test tests/node/
echo "== the page in chromium"
node --test tests/browser/
echo "== all tests passed; screenshots in test-output/"
