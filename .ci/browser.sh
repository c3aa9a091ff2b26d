#!/usr/bin/env bash
# What the browser tests need: Chromium from Debian's packages (never a downloaded browser
# build) and axe-core from the npm registry, pinned by tests/browser/package-lock.json.
# Installs what is missing; fails (never skips) when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v npm >/dev/null || need_apt+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]} from Debian's packages..."
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
command -v chromium >/dev/null || { echo "FAIL: chromium is not installed (apt-get install chromium)." >&2; exit 1; }

axe=tests/browser/node_modules/axe-core/axe.min.js
stamp=tests/browser/node_modules/.installed
if [ ! -f "$axe" ] || [ ! -f "$stamp" ] || [ tests/browser/package-lock.json -nt "$stamp" ]; then
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
[ -f "$axe" ] || { echo "FAIL: $axe is missing (npm ci --prefix tests/browser)." >&2; exit 1; }
echo "Chromium $(chromium --version 2>/dev/null | awk '{print $2}') and axe-core are ready."
