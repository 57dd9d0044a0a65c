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
export GRADLAB_CLI="$root/build/gradlab" GRADLAB_MNIST="$root/build/data/mnist.bin"
export GRADLAB_WASM_DIR="$root/build-wasm/node" GRADLAB_SITE="$root/build-wasm/site"
export GRADLAB_TEST_OUTPUT="$root/test-output"
echo "== wasm under node"
node --test tests/node/
echo "== the page in chromium"
node --test tests/browser/
echo "== all tests passed; screenshots in test-output/"
