#!/usr/bin/env bash
# Durable exportChatInviteLink on PostgreSQL, against PostgreSQL's own pgbench on the same
# transaction, in one run (issue 15). One private PostgreSQL server (scripts/pg.sh) serves both:
#   pgbench   bench/pg_export.sql: the statements of one export (the old primary link upserted as
#             revoked, the new one upserted: tgi_op_link twice, src/store/postgres/pg_write.cc) in
#             one transaction (BEGIN ... END, synchronous_commit on), each client in its own
#             chat, on a schema of its own made by tginvited's migrations (-M prepared, -j1):
#             four round trips a transaction
#   pgbench-pipe  the same in pgbench's pipeline mode (\startpipeline ... \endpipeline): one round
#             trip a transaction, as tginvited's writer sends a batch
#   pg        tginvited --db postgresql://... (schema tgi_export) on the 10,000-chat benchmark
#             world, wrk POSTing exportChatInviteLink (export_rr.lua: the chats in turn, so the
#             requests in flight are in different chats)
#   sqlite    the same on --db sqlite:... (for scale)
# with the same number of concurrent clients (pgbench clients, wrk connections). Each round runs
# pgbench, pgbench-pipe, pg, sqlite for each client count; prints the medians over the rounds of
# req/s, p50 and p99 (pgbench has no percentiles: they come from its per-transaction log), the
# median of the per-round ratios to pgbench and, per run, tginvited's mean commit batch
# (mutations per transaction) and mean commit time, from the deltas of GET /metrics.
#
#   bench/pg_export.sh [ROUNDS] [SECONDS] [CLIENTS...]    defaults: 3 rounds, 6 s, clients 32 64
#   env: TGINVITED=path (default build-rel/bin/tginvited; this script builds nothing: a Release
#        build, e.g. bash scripts/build.sh build-rel -DCMAKE_BUILD_TYPE=Release), BENCH_SERVER_THREADS
#        (2), PGBENCH=path, PG_INSTANCES (1; the place for a second tginvited on the same schema,
#        not implemented yet)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-3}
seconds=${2:-6}
shift $(($# < 2 ? $# : 2))
clients=("$@")
((${#clients[@]})) || clients=(32 64)
threads=${BENCH_SERVER_THREADS:-2}
instances=${PG_INSTANCES:-1}
chats=10000
server=${TGINVITED:-build-rel/bin/tginvited}
[[ -x "$server" ]] || { echo "pg_export.sh: no tginvited at $server (set TGINVITED)" >&2; exit 2; }

if ((instances != 1)); then
  # A second instance would serve the same schema with the chats split between the instances
  # (BENCH_CHAT_FIRST/BENCH_CHAT_COUNT in export_rr.lua, one wrk per instance, req/s summed).
  echo "pg_export.sh: PG_INSTANCES=$instances: only 1 is implemented" >&2
  exit 2
fi

bash scripts/install-deps.sh --bench >/dev/null
pgbench=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
[[ -x "$pgbench" ]] || pgbench=/usr/bin/pgbench
psql=(psql -X -q -v ON_ERROR_STOP=1)

source bench/lib.sh
source scripts/pg.sh
# Short: the server's socket path must fit in 107 bytes.
work=$(mktemp -d /tmp/tgi-pgx.XXXXXX)
chmod 711 "$work"  # the server may run as postgres (scripts/pg.sh)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pg_stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

pg_start "$work/pg" >/dev/null
sock="$work/pg/sock"
pg_uri() { echo "postgresql:///tginvite?host=$sock&port=5432&user=tginvite&options=-csearch_path%3D$1"; }
pg_sql() { "${psql[@]}" -h "$sock" -U tginvite -d tginvite "$@"; }
pg_sql -c "CREATE SCHEMA tgi_export; CREATE SCHEMA pgbench_export"

# start_server NAME DB [WORLD]: starts tginvited on DB (and WORLD), on a port it picks; sets
# port_NAME and appends its pid to pids.
start_server() {
  local name=$1 db=$2 world=${3:-} log="$work/$1.log" port= pid
  local args=(--listen 127.0.0.1:0 --threads "$threads" --db "$db" --log-level info)
  [[ -n "$world" ]] && args+=(--world "$world")
  TGINVITE_CONTROL_TOKEN=bench "$server" "${args[@]}" 2>"$log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 600); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    echo "$name: tginvited did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  printf -v "port_$name" %s "$port"
}

# pgbench's schema: tginvited's migrations, applied by starting it there once (no world).
start_server schema "$(pg_uri pgbench_export)"
kill -TERM "${pids[-1]}"
wait "${pids[-1]}" || true
unset 'pids[-1]'

# The pipelined variant of pg_export.sql.
sed -e 's/^BEGIN;$/\\startpipeline\nBEGIN;/' -e 's/^END;$/END;\n\\endpipeline/' bench/pg_export.sql \
  >"$work/pg_export_pipe.sql"

python3 bench/make_world.py "$chats" >"$work/world.json"
start_server pg "$(pg_uri tgi_export)" "$work/world.json"
start_server sqlite "sqlite:$work/bench.db" "$work/world.json"

url() { echo "http://127.0.0.1:$1/bot$bench_token/exportChatInviteLink"; }
export BENCH_CHAT_FIRST=1 BENCH_CHAT_COUNT=$chats
# Every chat exported once before measuring: from then on each export revokes a link and makes one
# (two upserts), as in pgbench.
for name in pg sqlite; do
  port_var=port_$name
  wrk_run warmup "$(url "${!port_var}")" bench/export_rr.lua 32 3 >/dev/null
done

# CPU, for the analysis: cpu_sample prints the machine's busy and all jiffies, PostgreSQL's jiffies
# (the postmaster with its reaped children, plus its live children) and those of the backend of
# tginvited's writer connection; cpu_columns BEFORE AFTER prints "machine% pg% writer%" between
# two samples (machine: of all cores; pg and writer: of one core).
postmaster=$(head -1 "$work/pg/data/postmaster.pid")
# tginvited's only connection once it has loaded the world: its writer's.
writer_backend=$(pg_sql -At -c "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity
  WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
[[ "$writer_backend" =~ ^[0-9]+$ ]] || { echo "not one writer backend: '$writer_backend'" >&2; exit 1; }
jiffies() { [[ -r /proc/$1/stat ]] && awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat" || echo 0; }
cpu_sample() {
  local pg p
  pg=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$postmaster/stat")
  for p in $(pgrep -P "$postmaster"); do pg=$((pg + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat) $pg $(jiffies "$writer_backend")"
}
cpu_columns() {
  awk -v b="$1" -v a="$2" -v hz="$(getconf CLK_TCK)" -v wall="$3" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    printf "%.0f %.0f %.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]), 100 * (y[3] - x[3]) / hz / wall,
      100 * (y[4] - x[4]) / hz / wall }'
}

# metric PORT NAME: the value of an unlabelled sample on /metrics (0 if absent).
metric() {
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }'
}
store_metrics() {
  local p=$1
  echo "$(metric "$p" tginvited_store_commit_batch_size_sum) $(metric "$p" tginvited_store_commit_batch_size_count) $(metric "$p" tginvited_store_commit_seconds_sum)"
}

# run_tginvited NAME CLIENTS: one wrk run; appends "NAME CLIENTS rps p50 p99 errors batch commit_ms
# machine% pg% writer%".
run_tginvited() {
  local name=$1 c=$2 port_var=port_$1 before after line cpu0 cpu1 t0 cpu
  before=$(store_metrics "${!port_var}")
  cpu0=$(cpu_sample)
  t0=$(date +%s.%N)
  line=$(wrk_run "$name" "$(url "${!port_var}")" bench/export_rr.lua "$c" "$seconds")
  cpu1=$(cpu_sample)
  cpu=$(cpu_columns "$cpu0" "$cpu1" "$(echo "$(date +%s.%N) $t0" | awk '{ print $1 - $2 }')")
  after=$(store_metrics "${!port_var}")
  awk -v l="$line" -v c="$c" -v before="$before" -v after="$after" -v cpu="$cpu" 'BEGIN {
      split(l, f, " "); split(before, b, " "); split(after, a, " ")
      n = a[2] - b[2]
      t = a[3] - b[3]  # no commit_seconds on SQLite
      batch = (n > 0) ? (a[1] - b[1]) / n : 0
      commit = (n > 0 && t > 0) ? sprintf("%.3f", 1000 * t / n) : "-"
      printf "%s %s %s %s %s %s %.2f %s %s\n", f[1], c, f[2], f[3], f[4], f[5], batch, commit, cpu }' \
    >>"$work/results"
}

# run_pgbench NAME SCRIPT CLIENTS RUN: seeds each client's active primary link in chats of this run's own
# (RUN * 1000 + client), runs pgbench on SCRIPT, and appends "NAME CLIENTS tps p50 p99 failures - -
# machine% pg% -".
run_pgbench() {
  local name=$1 script=$2 c=$3 run=$4 offset=$(($4 * 1000))
  local hash_base=$((1000000000000000 + $4 * 1000000000000))
  local epoch cpu0 cpu1 t0 cpu
  epoch=$(date +%s)
  pg_sql -c "SET search_path = pgbench_export;
    INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked,
                              creates_join_request, created)
    SELECT ($hash_base + c::bigint * 100000000)::text, -1001000000001 - c - $offset, 7000000001,
           true, false, false, $epoch - 1
    FROM generate_series(0, $c - 1) AS c"
  rm -f "$work"/pgb.*
  cpu0=$(cpu_sample)
  t0=$(date +%s.%N)
  PGOPTIONS="-csearch_path=pgbench_export" "$pgbench" -n -h "$sock" -U tginvite -M prepared \
    -c "$c" -j 1 -T "$seconds" -l --log-prefix="$work/pgb" \
    -D n=0 -D chat_offset="$offset" -D hash_base="$hash_base" -D bot=7000000001 \
    -D epoch="$epoch" -f "$script" tginvite >"$work/pgbench.out" 2>&1 ||
    { cat "$work/pgbench.out" >&2; exit 1; }
  # pgbench's backends gone (reaped: their CPU is in the postmaster's cutime), then the sample.
  for _ in $(seq 50); do
    [[ $(pg_sql -At -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'
      AND pid NOT IN (pg_backend_pid(), $writer_backend)") == 0 ]] && break
    sleep 0.05
  done
  cpu1=$(cpu_sample)
  cpu=$(cpu_columns "$cpu0" "$cpu1" "$(echo "$(date +%s.%N) $t0" | awk '{ print $1 - $2 }')")
  python3 - "$name" "${cpu% *} -" "$work/pgbench.out" "$work"/pgb.* >>"$work/results" <<'PY'
import re, statistics, sys
name = sys.argv.pop(1)
cpu = sys.argv.pop(1)
out = open(sys.argv[1]).read()
tps = float(re.search(r"^tps = ([0-9.]+)", out, re.M).group(1))
clients = int(re.search(r"^number of clients: (\d+)", out, re.M).group(1))
failed = re.search(r"^number of failed transactions: (\d+)", out, re.M)
lat = []
for path in sys.argv[2:]:
    for line in open(path):
        f = line.split()
        if f[2].isdigit():  # "failed" or "skipped" instead of a latency otherwise
            lat.append(int(f[2]))
lat.sort()
q = statistics.quantiles(lat, n=100)
print(f"{name} {clients} {tps:.0f} {q[49]:.0f} {q[98]:.0f} {failed.group(1) if failed else 0} - - {cpu}")
PY
}

run=0
for r in $(seq "$rounds"); do
  for c in "${clients[@]}"; do
    echo "round $r/$rounds, $c clients" >&2
    run=$((run + 1))
    run_pgbench pgbench bench/pg_export.sql "$c" "$run"
    run=$((run + 1))
    run_pgbench pgbench-pipe "$work/pg_export_pipe.sql" "$c" "$run"
    run_tginvited pg "$c"
    run_tginvited sqlite "$c"
  done
done

echo
echo "$rounds interleaved rounds of ${seconds} s; pgbench -M prepared -j1, wrk -t1; tginvited threads: $threads"
echo "(median of the rounds; req/s min-max in brackets; batch: mutations per store commit, commit: ms per"
echo " commit; cpu%: the machine busy, of all cores; pg%: PostgreSQL's processes and wb%: the backend of"
echo " tginvited's writer connection, of one core)"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, c, rps, p50, p99, err, batch, commit, machine, pg, writer = line.split()
    rows.setdefault((name, int(c)), []).append(
        (float(rps), float(p50), float(p99), int(err), batch, commit, machine, pg, writer))
med = lambda xs: statistics.median(xs)
print(f"{'config':<12} {'clients':>7} {'req/s':>22} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
      f"{'batch':>6} {'commit':>7} {'cpu%':>5} {'pg%':>5} {'wb%':>5}")
for c in sorted({c for _, c in rows}):
    for name in ("pgbench", "pgbench-pipe", "pg", "sqlite"):
        rs = rows[(name, c)]
        rps = [r[0] for r in rs]
        batch = "-" if rs[0][4] == "-" else f"{med(float(r[4]) for r in rs):.1f}"
        commit = "-" if "-" in (r[5] for r in rs) else f"{med(float(r[5]) for r in rs):.2f}"
        cpu = [("-" if rs[0][i] == "-" else f"{med(float(r[i]) for r in rs):.0f}") for i in (6, 7, 8)]
        print(f"{name:<12} {c:>7} {med(rps):>8.0f} ({min(rps):>5.0f}-{max(rps):>5.0f}) "
              f"{med(r[1] for r in rs) / 1000:>7.2f} {med(r[2] for r in rs) / 1000:>7.2f} "
              f"{sum(r[3] for r in rs):>6} {batch:>6} {commit:>7} {cpu[0]:>5} {cpu[1]:>5} {cpu[2]:>5}")
for c in sorted({c for _, c in rows}):
    for name, base in (("pg", "pgbench"), ("pg", "pgbench-pipe"), ("sqlite", "pgbench")):
        per = [a[0] / b[0] for a, b in zip(rows[(name, c)], rows[(base, c)])]
        print(f"{name} / {base}, {c} clients, per round: " + ", ".join(f"{x:.2f}" for x in per)
              + f"  (median {med(per):.2f})")
PY
links=$(curl -s -H "Authorization: Bearer bench" \
  "http://127.0.0.1:$port_pg/control/v1/chats/-1001000000001/invite-links" |
  grep -o '"is_primary":true,"is_revoked":false' | wc -l)
rows=$(pg_sql -At -c "SELECT count(*) FILTER (WHERE NOT is_revoked), count(*) FROM tgi_export.invite_links")
echo "sanity: chat -1001000000001 has $links active primary link(s) on pg (must be 1);" \
  "tgi_export.invite_links active/all: ${rows/|//} (active must be $chats)"
