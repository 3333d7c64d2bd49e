#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium, for the HTML report's browser test
# (packages/cli/test/*.browser.test.ts, driven by playwright-core). Installs the `chromium` package when it is
# missing (needs root, as on CI); otherwise prints the command to run. Idempotent.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo present) at $CHROMIUM" >&2
  exit 0
fi

if [[ "$(id -u)" != "0" ]]; then
  echo "chromium is missing at $CHROMIUM; install it as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

echo "chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium

if [[ ! -x "$CHROMIUM" ]]; then
  echo "chromium: the package installed, but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo installed) at $CHROMIUM" >&2
