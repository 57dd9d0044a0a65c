#!/usr/bin/env bash
# The long round of the page's fuzzing (tests/browser/pagefuzz.test.mjs): 10⁴ URL
# hashes, 3,000 script-API calls and 3,000 postMessage payloads (or the counts
# given), in Debian's chromium. About ten minutes.
#   usage: bench/fuzz-page.sh [hashes] [calls] [messages] [seed]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh" --browser
"$root/tools/build.sh" wasm >/dev/null
export GRADLAB_SITE="$root/build-wasm/site" GRADLAB_TEST_OUTPUT="$root/bench/out"
export GRADLAB_FUZZ_HASHES=${1:-10000} GRADLAB_FUZZ_CALLS=${2:-3000} GRADLAB_FUZZ_MESSAGES=${3:-3000} GRADLAB_FUZZ_SEED=${4:-2026}
exec node --test "$root/tests/browser/pagefuzz.test.mjs"
