# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the tests. Source it, then:
#   pg_start   # initdb + start on a free port; exports FORSAT_TEST_PG_URL
#   pg_stop    # stop the server and remove its folder (safe to call twice)
# initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` user (created by Debian's postgresql package); otherwise to the
# current user. Data, socket and log live in one mktemp folder.

PG_DIR=""
PG_PORT=""
PG_BIN=""
# The superuser's password of the throwaway cluster (it listens on 127.0.0.1 only).
PG_PASSWORD="forsat-test-owner"

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

# Run a PostgreSQL tool as the cluster's owner, from inside the cluster folder.
pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_DIR" && "$@")
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on.
pg_free_port() {
  local p tries=0
  while ((tries < 200)); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      printf '%s\n' "$p"
      return 0
    fi
    tries=$((tries + 1))
  done
  return 1
}

pg_start() {
  PG_BIN="$(pg_bindir)" || die "PostgreSQL server binaries not found: run scripts/setup (apt package postgresql)"
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user to own the test cluster (apt package postgresql creates it)"
    PG_DIR="$(mktemp -d /tmp/forsat-pg.XXXXXX)"
    chown postgres: "$PG_DIR"
  else
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/forsat-pg.XXXXXX")"
  fi
  chmod 700 "$PG_DIR"
  pg_as_owner mkdir "$PG_DIR/sock"
  # Over TCP every role signs in with its password (scram-sha-256), as on a team
  # server: the tests connect as Forsat users' own login roles. The socket is trusted.
  printf '%s\n' "$PG_PASSWORD" >"$PG_DIR/pw"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_DIR/pw"; fi
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$PG_DIR/pw" -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; pg_stop; die "initdb failed"; }

  local attempt
  for attempt in 1 2 3; do
    PG_PORT="$(pg_free_port)" || { pg_stop; die "no free port for PostgreSQL"; }
    local opts="-p $PG_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -o "$opts" start >/dev/null; then
      export FORSAT_TEST_PG_URL="postgres://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
      # For tests that stop and start the server (a team server going away):
      # FORSAT_TEST_PG_CTL="pg_ctl -D DATA" and its start options.
      export FORSAT_TEST_PG_CTL="$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log"
      export FORSAT_TEST_PG_OPTS="$opts"
      export FORSAT_TEST_PG_OWNER="$([[ $EUID -eq 0 ]] && echo postgres || true)"
      return 0
    fi
    say "PostgreSQL did not start on port $PG_PORT (attempt $attempt):"
    tail -n 5 "$PG_DIR/server.log" 2>/dev/null || true
  done
  pg_stop
  die "could not start PostgreSQL"
}

pg_stop() {
  [[ -n $PG_DIR && -d $PG_DIR ]] || return 0
  if [[ -f $PG_DIR/data/postmaster.pid ]]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
  unset FORSAT_TEST_PG_URL FORSAT_TEST_PG_CTL FORSAT_TEST_PG_OPTS FORSAT_TEST_PG_OWNER
}
