#!/usr/bin/env bash
# A private PostgreSQL 15 server for the tests and benchmarks: one cluster in a directory of its
# own, reached only through a Unix socket in that directory (no TCP), with trust authentication
# (the socket's directory is the only way in) and durability as shipped (fsync and
# synchronous_commit on: the product promises durability and the benchmarks must be honest).
#
#   bash scripts/pg.sh start DIR                    creates the cluster in DIR if it has none
#                                                   (DIR absolute, created if missing), starts it,
#                                                   creates database tginvite, and prints one line
#                                                   on stdout: the libpq conninfo,
#                                                   host=DIR/sock port=5432 user=tginvite dbname=tginvite
#   bash scripts/pg.sh stop DIR                     stops it (pg_ctl -m fast); nothing if not running
#   bash scripts/pg.sh restart DIR [fast|immediate] stops it with that mode (default fast) and starts
#                                                   it again on the same data; prints the conninfo
#
# Or `source scripts/pg.sh` and call pg_start, pg_stop, pg_restart with the same arguments.
#
# The binaries are Debian's (postgresql-15: /usr/lib/postgresql/15/bin, PG_BIN to override). initdb
# refuses root, so as root the server runs as the user postgres (Debian's package creates it; else
# nobody), which then owns DIR: DIR's parent must be traversable by it (/tmp is; callers use
# `mktemp -d /tmp/tgi-pg.XXXXXX`). Not root, it runs as the caller. The server's log is DIR/log.
set -euo pipefail

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_port=5432

pg_die() {
  echo "pg.sh: $*" >&2
  return 1
}

# The user the server runs as: empty when not root (the caller itself).
pg_user() {
  if [[ $(id -u) != 0 ]]; then
    echo ""
  elif getent passwd postgres >/dev/null; then
    echo postgres
  else
    echo nobody
  fi
}

# Runs a command as the server's user, from DIR (so that no inaccessible working directory, such
# as /root, is inherited).
pg_as() {
  local dir=$1 user
  shift
  user=$(pg_user)
  if [[ -n "$user" ]]; then
    (cd "$dir" && runuser -u "$user" -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

# Checks DIR: absolute, only characters that need no quoting in postgresql.conf nor in a conninfo,
# and short enough for the socket's path (sun_path holds 107 bytes and a NUL).
pg_check_dir() {
  local dir=$1 socket
  [[ "$dir" == /* ]] || pg_die "DIR must be an absolute path, not '$dir'" || return
  [[ "$dir" =~ ^[A-Za-z0-9/._+-]+$ ]] ||
    pg_die "DIR may hold only letters, digits and / . _ + -, not '$dir'" || return
  socket="$dir/sock/.s.PGSQL.$pg_port"
  ((${#socket} <= 107)) ||
    pg_die "DIR is too long: the socket's path $socket is ${#socket} bytes, the limit is 107" ||
    return
}

pg_conninfo() {
  echo "host=$1/sock port=$pg_port user=tginvite dbname=tginvite"
}

# Prints the end of a log (DIR/log, the server's, unless told) to stderr, after a failure.
pg_show_log() {
  local f=${2:-$1/log}
  if [[ -s "$f" ]]; then
    echo "pg.sh: the end of $f:" >&2
    tail -n 30 "$f" >&2
  fi
}

pg_start() {
  (($# == 1)) || pg_die "usage: pg.sh start DIR" || return
  local dir=${1%/} user
  pg_check_dir "$dir" || return
  [[ -x "$pg_bin/postgres" ]] ||
    pg_die "no PostgreSQL 15 in $pg_bin (apt-get install postgresql-15)" || return
  user=$(pg_user)
  mkdir -p "$dir"
  if [[ -n "$user" ]]; then
    chown "$user:" "$dir"
    runuser -u "$user" -- test -w "$dir" -a -x "$dir" ||
      pg_die "$dir is not writable by the user $user: is a directory above it closed to others?" ||
      return
  fi

  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    pg_as "$dir" "$pg_bin/initdb" -D "$dir/data" --auth=trust -U tginvite -E UTF8 --locale=C \
      >"$dir/initdb.log" 2>&1 || { pg_show_log "$dir" "$dir/initdb.log"; pg_die "initdb failed"; return; }
    pg_as "$dir" mkdir -p "$dir/sock"
    # Appended after initdb's defaults, so these win. fsync and synchronous_commit stay on.
    pg_as "$dir" tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# scripts/pg.sh
listen_addresses = ''
unix_socket_directories = '$dir/sock'
port = $pg_port
max_connections = 200
shared_buffers = 128MB
EOF
  fi

  if pg_as "$dir" "$pg_bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
    pg_die "a server is already running in $dir (pg.sh stop $dir first)"
    return
  fi
  pg_as "$dir" "$pg_bin/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/log" >/dev/null ||
    { pg_show_log "$dir"; pg_die "the server in $dir did not start"; return; }

  local exists
  exists=$(pg_as "$dir" "$pg_bin/psql" -X -At -h "$dir/sock" -p "$pg_port" -U tginvite \
    -d postgres -c "select 1 from pg_database where datname = 'tginvite'") ||
    { pg_show_log "$dir"; pg_die "cannot connect to the server in $dir"; return; }
  if [[ "$exists" != 1 ]]; then
    pg_as "$dir" "$pg_bin/createdb" -h "$dir/sock" -p "$pg_port" -U tginvite tginvite ||
      pg_die "createdb tginvite failed" || return
  fi
  pg_conninfo "$dir"
}

# Stops the server in DIR with MODE (fast, immediate or smart); nothing if it is not running.
pg_stop() {
  (($# == 1 || $# == 2)) || pg_die "usage: pg.sh stop DIR [fast|immediate|smart]" || return
  local dir=${1%/} mode=${2:-fast} status=0
  case "$mode" in
    fast | immediate | smart) ;;
    *) pg_die "unknown stop mode '$mode' (fast, immediate or smart)" || return ;;
  esac
  [[ -f "$dir/data/PG_VERSION" ]] || return 0
  pg_as "$dir" "$pg_bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1 || status=$?
  # 3: not running.
  ((status == 3)) && return 0
  pg_as "$dir" "$pg_bin/pg_ctl" stop -w -t 60 -m "$mode" -D "$dir/data" >/dev/null ||
    { pg_show_log "$dir"; pg_die "the server in $dir did not stop"; return; }
}

pg_restart() {
  (($# == 1 || $# == 2)) || pg_die "usage: pg.sh restart DIR [fast|immediate]" || return
  pg_stop "$1" "${2:-fast}" || return
  pg_start "$1"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  command=${1:-}
  (($#)) && shift
  case "$command" in
    start) pg_start "$@" ;;
    stop) pg_stop "$@" ;;
    restart) pg_restart "$@" ;;
    *)
      echo "usage: pg.sh start DIR | stop DIR | restart DIR [fast|immediate]" >&2
      exit 2
      ;;
  esac
fi
