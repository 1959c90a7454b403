#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 from the machine's packages for the test suite, on a free
# loopback port in a temporary directory, as the postgres user (it refuses to run as root).
# Prints the connection URL on stdout; `scripts/postgres-for-tests.sh stop DIR` stops it.
set -euo pipefail
BIN=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
if [ "${1:-}" = "stop" ]; then
  runuser -u postgres -- "$BIN/pg_ctl" -D "$2/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$2"
  exit 0
fi
DIR=$(mktemp -d /tmp/warden-pg.XXXXXX)
chown postgres "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >"$DIR/initdb.log" 2>&1
runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off -c max_connections=200" start >/dev/null
echo "$DIR" > "$DIR/dir"
echo "postgres://postgres@127.0.0.1:$PORT/postgres $DIR"
