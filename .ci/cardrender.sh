#!/usr/bin/env bash
# Installs what notify/teams/render_test.go needs to render the Teams cards
# with the real adaptivecards renderer: Debian's chromium (when
# /usr/bin/chromium is missing) and the npm packages of tools/cardrender.
# Idempotent; run from anywhere. Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian chromium"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null | tail -n 1

echo "== npm packages for tools/cardrender"
cd tools/cardrender
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
node -e 'console.log("adaptivecards " + require("adaptivecards/package.json").version + ", playwright-core " + require("playwright-core/package.json").version)'
