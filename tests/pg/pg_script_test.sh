#!/usr/bin/env bash
# Checks scripts/pg.sh on a cluster of its own (a temporary directory, removed at the end): it
# starts and answers on the conninfo it prints, fsync is on, it listens on no TCP address, a table
# committed before an immediate restart (a crash, recovery from the WAL) is there after it, and stop
# is idempotent. Run by scripts/test.sh; prints "pg.sh: ok". A few seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pg_sh="$root/scripts/pg.sh"
psql_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}/psql

dir=$(mktemp -d /tmp/tgi-pg.XXXXXX)
cleanup() {
  bash "$pg_sh" stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT

fail() {
  echo "pg_script_test: $*" >&2
  exit 1
}

# One query's value, unaligned and without headers.
query() {
  "$psql_bin" -X -At -v ON_ERROR_STOP=1 "$conninfo" -c "$1"
}

conninfo=$(bash "$pg_sh" start "$dir")
expected="host=$dir/sock port=5432 user=tginvite dbname=tginvite"
[[ "$conninfo" == "$expected" ]] || fail "start printed '$conninfo', expected '$expected'"

[[ $(query 'select 1') == 1 ]] || fail "select 1"
[[ $(query 'show fsync') == on ]] || fail "fsync is not on"
[[ $(query 'show synchronous_commit') == on ]] || fail "synchronous_commit is not on"
[[ -z $(query 'show listen_addresses') ]] || fail "listen_addresses is not empty"
[[ $(query 'show max_connections') == 200 ]] || fail "max_connections is not 200"
[[ $(query 'select current_user || current_database()') == tginvitetginvite ]] ||
  fail "not user tginvite on database tginvite"

query 'create table survivor (x int); insert into survivor values (42)' >/dev/null
conninfo_again=$(bash "$pg_sh" restart "$dir" immediate)
[[ "$conninfo_again" == "$expected" ]] || fail "restart printed '$conninfo_again'"
[[ $(query 'select x from survivor') == 42 ]] || fail "the committed row is gone after restart immediate"

bash "$pg_sh" restart "$dir" fast >/dev/null
[[ $(query 'select count(*) from survivor') == 1 ]] || fail "the table is gone after restart fast"

bash "$pg_sh" stop "$dir"
bash "$pg_sh" stop "$dir" || fail "a second stop failed"
! "$psql_bin" -X -At "$conninfo" -c 'select 1' >/dev/null 2>&1 || fail "the server still answers after stop"

echo "pg.sh: ok"
