#!/usr/bin/env bash
# The long fuzz run: the libFuzzer target (tests/fuzz/fuzz_session.cpp, built with
# ASan and UBSan) for N executions (default 10⁶) on every core, from the corpus in
# tests/fuzz/corpus; new inputs go to bench/out/fuzz-corpus. Any crash, sanitizer
# report or leak stops it with the input that caused it (bench/out/crash-*).
# Prints libFuzzer's final statistics. Several hours at ~80 executions a second
# a core under the sanitizers.
#   usage: bench/fuzz.sh [executions]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh" sanitize >/dev/null
runs=${1:-1000000}
jobs=$(nproc)
mkdir -p "$root/bench/out/fuzz-corpus"
cd "$root/bench/out"
# Each of the jobs runs its share of the executions.
exec "$root/build-sanitize/tests/fuzz/fuzz_session" -runs=$(( (runs + jobs - 1) / jobs )) -jobs="$jobs" -workers="$jobs" \
  -print_final_stats=1 -artifact_prefix="$root/bench/out/" "$root/bench/out/fuzz-corpus" "$root/tests/fuzz/corpus"
