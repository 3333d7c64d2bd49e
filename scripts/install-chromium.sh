#!/usr/bin/env bash
# Makes sure the browser tests' Chromium can start here. The browser itself comes from npm (the @sparticuz/chromium
# devDependency ships a headless Chromium for Linux x64, which `npm install` installs); it needs three shared
# libraries that Debian with Node usually has already: libnss3, libnspr4 and libexpat1. This installs those that are
# missing (needs root and apt, as on CI); otherwise it prints the command to run. Idempotent, and a no-op when
# nothing is missing.
set -euo pipefail

PACKAGES=(libnss3 libnspr4 libexpat1)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "chromium: the libraries the tests' Chromium needs are installed (${PACKAGES[*]})" >&2
  exit 0
fi

if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: missing ${missing[*]}; install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "chromium: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
