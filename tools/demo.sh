#!/usr/bin/env bash
# Installs what is missing, builds, and prints Nielsen's table: the learning speed
# of each hidden layer of [784,30,30,30,30,10] at initialization.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh" >/dev/null
"$root/build/gradlab" --layers 784,30,30,30,30,10 --data mnist --epochs 0 --probe 1000
