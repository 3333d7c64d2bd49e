#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries are on this machine and prints their folder (e.g.
# /usr/lib/postgresql/15/bin). Installs Debian's `postgresql` package when they are missing (needs root,
# as on CI). Everything else goes to stderr, so callers can do: bindir="$(bash scripts/install-postgres.sh)".
set -euo pipefail

find_bindir() {
  local candidate
  if [[ -n "${PG_BINDIR:-}" && -x "${PG_BINDIR}/initdb" ]]; then
    echo "$PG_BINDIR"
    return 0
  fi
  # Debian keeps the server binaries off PATH, one folder per major version; take the newest.
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$candidate" && -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
    echo "$candidate"
    return 0
  fi
  if command -v pg_config >/dev/null 2>&1; then
    candidate="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$candidate" && -x "$candidate/initdb" ]]; then
      echo "$candidate"
      return 0
    fi
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

if bindir="$(find_bindir)"; then
  echo "$bindir"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-postgres: PostgreSQL's server (initdb, pg_ctl) is not installed and this is not root." >&2
  echo "install-postgres: install it with: sudo apt-get install -y postgresql  (or set PG_BINDIR to its bin folder)" >&2
  exit 1
fi

echo "install-postgres: installing Debian's postgresql package..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update >&2
apt-get install -y --no-install-recommends postgresql >&2

if bindir="$(find_bindir)"; then
  echo "$bindir"
  exit 0
fi
echo "install-postgres: postgresql was installed but initdb was not found under /usr/lib/postgresql/*/bin." >&2
exit 1
