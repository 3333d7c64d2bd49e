#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster and returns the command's exit code:
#
#   bash scripts/with-postgres.sh jest -c jest.postgres.config.ts
#
# Installs PostgreSQL when missing (scripts/install-postgres.sh), creates a cluster in a temporary folder
# (trust auth on loopback only, a free port, its unix socket in the same folder), exports
#   DATABASE_URL (TLS, the server verified against a CA made for the run), PGHOST, PGPORT, PGUSER, PGDATABASE,
#   PGSSLMODE, PGSSLROOTCERT
#   PRIVACY_KIT_PG_CTL   a wrapper around pg_ctl for this cluster (e.g. "$PRIVACY_KIT_PG_CTL" restart),
#                        used by the fault tests to stop and start the server mid-test
#   PRIVACY_KIT_PG_DIR   the temporary folder (data/, server.log, socket)
# runs the command, then stops the cluster and removes the folder on every exit (also on failure or Ctrl-C).
#
# initdb and postgres refuse to run as root: as root they run as the `postgres` OS user (created if missing).
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: bash scripts/with-postgres.sh <command> [args...]" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bindir="$(bash "$here/install-postgres.sh")"

if [[ "$(id -u)" -eq 0 ]]; then
  run_user=postgres
  if ! id -u "$run_user" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /usr/sbin/nologin "$run_user"
  fi
  if command -v runuser >/dev/null 2>&1; then
    as_pg=(runuser -u "$run_user" --)
  else
    as_pg=(su -s /bin/sh "$run_user" -c '"$0" "$@"')
  fi
else
  run_user="$(id -un)"
  as_pg=()
fi

workdir="$(mktemp -d /tmp/privacy-kit-pg.XXXXXX)"
chmod 700 "$workdir"
if [[ "$(id -u)" -eq 0 ]]; then chown "$run_user" "$workdir"; fi
data="$workdir/data"
log="$workdir/server.log"

cleanup() {
  local status=$?
  if [[ -f "$data/postmaster.pid" ]]; then
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
}

"${as_pg[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-instructions >"$workdir/initdb.log" 2>&1 || {
  cat "$workdir/initdb.log" >&2
  echo "with-postgres: initdb failed (see above)." >&2
  exit 1
}

# TLS: a throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made here; clients verify
# the server against the CA (DATABASE_URL carries sslmode=verify-full and the CA's path).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=privacy-kit throwaway CA" \
  -keyout "$workdir/ca.key" -out "$workdir/ca.crt" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$data/server.key" -out "$workdir/server.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$workdir/san.ext"
openssl x509 -req -in "$workdir/server.csr" -CA "$workdir/ca.crt" -CAkey "$workdir/ca.key" -CAcreateserial -days 2 \
  -extfile "$workdir/san.ext" -out "$data/server.crt" >/dev/null 2>&1
rm -f "$workdir/ca.key" "$workdir/server.csr"
chmod 600 "$data/server.key"
if [[ "$(id -u)" -eq 0 ]]; then chown "$run_user" "$data/server.key" "$data/server.crt"; fi
chmod 644 "$workdir/ca.crt"

# pg_hba.conf from initdb --auth=trust trusts local sockets and 127.0.0.1/::1 only; listen on loopback only.
started=0
for attempt in 1 2 3; do
  port="$(free_port)"
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$workdir'"
    echo "max_connections = 200"
    echo "shared_buffers = 64MB"
    echo "logging_collector = off"
    echo "ssl = on"
    echo "ssl_cert_file = 'server.crt'"
    echo "ssl_key_file = 'server.key'"
  } >>"$data/postgresql.conf"
  if "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
    started=1
    break
  fi
  echo "with-postgres: start on port $port failed (attempt $attempt):" >&2
  tail -n 20 "$log" >&2 || true
done
if [[ "$started" -ne 1 ]]; then
  echo "with-postgres: could not start PostgreSQL." >&2
  exit 1
fi

"$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc 'CREATE DATABASE privacy_kit_test' >/dev/null

ctl="$workdir/pg-ctl"
prefix=""
if [[ ${#as_pg[@]} -gt 0 ]]; then prefix="$(printf '%q ' "${as_pg[@]}")"; fi
printf '#!/usr/bin/env bash\n# pg_ctl for the throwaway cluster: "%s" restart | stop | start | status\nexec %s"%s/pg_ctl" -D "%s" -l "%s" -w -t 60 "$@"\n' \
  "$ctl" "$prefix" "$bindir" "$data" "$log" >"$ctl"
chmod 755 "$ctl"

export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE=privacy_kit_test
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/privacy_kit_test?sslmode=verify-full&sslrootcert=$workdir/ca.crt"
export PGSSLMODE=verify-full PGSSLROOTCERT="$workdir/ca.crt"
export PRIVACY_KIT_PG_CTL="$ctl" PRIVACY_KIT_PG_DIR="$workdir"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (temporary cluster in $workdir)" >&2

# The command runs in the background so that a signal to this script stops it at once (bash runs traps only
# between foreground commands): the signal is passed on, and the cluster goes when the command has ended.
set +e
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' INT TERM
wait "$child"
status=$?
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
set -e
exit "$status"
