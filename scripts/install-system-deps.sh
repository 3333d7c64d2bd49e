#!/usr/bin/env bash
# Installs the Debian packages that some test suites need and that npm cannot provide:
#   postgresql  (the PostgreSQL suite: npm run test:postgres)
#   chromium    (the HTML report's browser test, driven by playwright-core)
# Each is installed only when missing. Needs root (as on CI); otherwise prints the command to run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

bash "$here/install-postgres.sh" >/dev/null
if [[ -f "$here/install-chromium.sh" ]]; then
  bash "$here/install-chromium.sh"
fi
