#!/usr/bin/env bash
# Installs the Debian packages that some test suites need and that npm cannot provide:
#   postgresql                  (the PostgreSQL suite: npm run test:postgres, which also installs it by itself)
#   libnss3 libnspr4 libexpat1  (the shared libraries of the browser test's Chromium, which comes from npm)
# Each is installed only when missing. Needs root; otherwise prints the command to run. Neither `npm test` nor CI
# needs it on a Debian machine with Node: it is the fix the tests name when something is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

bash "$here/install-postgres.sh" >/dev/null
if [[ -f "$here/install-chromium.sh" ]]; then
  bash "$here/install-chromium.sh"
fi
