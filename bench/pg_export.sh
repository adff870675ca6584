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
#   pg        tginvited --db postgresql://... (schema tgi_export; cluster mode: each round takes
#             the schema's advisory lock, catches up, writes its ops, a changes row, the head and a
#             NOTIFY, and commits) on the 10,000-chat benchmark world, wrk POSTing
#             exportChatInviteLink (export_rr.lua: the chats in turn, so the requests in flight are
#             in different chats)
#   pg2       (PG_INSTANCES=2) two tginvited on one schema of their own (tgi_export2), one cluster:
#             the first started with the world, the second once the first listens, without
#             --world (it loads the world from the database); two wrk at once, each with half the
#             connections, on its own instance and its own half of the chats; req/s summed, p50
#             and p99 the larger of the two wrk's (each wrk's are printed too)
#   sqlite    the same on --db sqlite:... (for scale)
# with the same number of concurrent clients (pgbench clients, wrk connections). Each round runs
# pgbench, pgbench-pipe, pg, [pg2,] sqlite for each client count; prints the medians over the
# rounds of req/s, p50 and p99 (pgbench has no percentiles: they come from its per-transaction
# log), the medians of the per-round ratios and, per run, from the deltas of GET /metrics:
# tginvited's exports per commit (PostgreSQL: a round's ops / 2; SQLite: mutations per commit),
# its mean round time (lock to commit), and the share of rounds that caught up on another
# instance's changes. While pg and pg2 run, the wait events of their round connections are
# sampled from pg_stat_activity (every 0.2 s) and summed up at the end.
#
#   bench/pg_export.sh [ROUNDS] [SECONDS] [CLIENTS...]    defaults: 3 rounds, 6 s, clients 32 64
#   env: TGINVITED=path (default build-rel/bin/tginvited; this script builds nothing: a Release
#        build, e.g. bash scripts/build.sh build-rel -DCMAKE_BUILD_TYPE=Release), BENCH_SERVER_THREADS
#        (2), PGBENCH=path, PG_INSTANCES (1, or 2 to add pg2), PG_EXPORT_KEEP=1 (keep the work
#        directory: logs, samples, each instance's /metrics at the end)
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

if ((instances != 1 && instances != 2)); then
  echo "pg_export.sh: PG_INSTANCES=$instances: 1 or 2" >&2
  exit 2
fi
for c in "${clients[@]}"; do
  ((instances == 1 || c % 2 == 0)) || { echo "pg_export.sh: PG_INSTANCES=2 needs even clients" >&2; exit 2; }
done

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
  [[ -n "${PG_EXPORT_KEEP:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

pg_start "$work/pg" >/dev/null
sock="$work/pg/sock"
pg_uri() { echo "postgresql:///tginvite?host=$sock&port=5432&user=tginvite&options=-csearch_path%3D$1"; }
pg_sql() { "${psql[@]}" -h "$sock" -U tginvite -d tginvite "$@"; }
pg_sql -c "CREATE SCHEMA tgi_export; CREATE SCHEMA tgi_export2; CREATE SCHEMA pgbench_export"

client_backends() {
  pg_sql -At -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'
    AND pid <> pg_backend_pid() ORDER BY pid"
}
# start_server NAME DB [WORLD]: starts tginvited on DB (and WORLD), on a port it picks; sets
# port_NAME and backends_NAME (the PostgreSQL backends that appeared while it started) and appends
# its pid to pids.
start_server() {
  local name=$1 db=$2 world=${3:-} log="$work/$1.log" port= pid before
  before=$(client_backends)
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
  printf -v "backends_$name" %s "$(comm -13 <(echo "$before") <(client_backends) | tr '\n' ' ')"
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
if ((instances == 2)); then
  start_server pg2a "$(pg_uri tgi_export2)" "$work/world.json"
  start_server pg2b "$(pg_uri tgi_export2)"  # no world: loads it from the database
fi
start_server sqlite "sqlite:$work/bench.db" "$work/world.json"

url() { echo "http://127.0.0.1:$1/bot$bench_token/exportChatInviteLink"; }
export BENCH_CHAT_FIRST=1 BENCH_CHAT_COUNT=$chats
# Every chat exported once before measuring: from then on each export revokes a link and makes one
# (two upserts), as in pgbench.
# On PostgreSQL, until every chat of the range has its link: warm_range PORT SCHEMA FIRST COUNT
# CONNECTIONS runs wrk from the first chat of the range that has none (wrk discards the request of
# its first call of request(), hence FIRST - 1).
warm_range() {
  local port=$1 schema=$2 first=$3 count=$4 conns=$5 missing
  for _ in $(seq 40); do
    missing=$(pg_sql -At -c "SELECT min(i) FROM generate_series($first, $((first + count - 1))) AS i
      WHERE NOT EXISTS (SELECT 1 FROM $schema.invite_links
                        WHERE chat_id = -1001000000000 - i AND NOT is_revoked)")
    [[ -z "$missing" ]] && return 0
    BENCH_CHAT_FIRST=$((missing - 1)) BENCH_CHAT_COUNT=$((first + count - missing + 1)) \
      wrk_run warmup "$(url "$port")" bench/export_rr.lua "$conns" 3 >/dev/null
  done
  echo "warm-up: chats of $schema still without a link" >&2
  exit 1
}
half=$((chats / 2))
warm_range "$port_pg" tgi_export 1 "$chats" 32
if ((instances == 2)); then
  warm_range "$port_pg2a" tgi_export2 1 "$half" 16 &
  warm_range "$port_pg2b" tgi_export2 $((half + 1)) "$half" 16
  wait $! || exit 1
fi
wrk_run warmup "$(url "$port_sqlite")" bench/export_rr.lua 32 3 >/dev/null

# CPU, for the analysis: cpu_sample [BACKEND...] prints the machine's busy and all jiffies,
# PostgreSQL's jiffies (the postmaster with its reaped children, plus its live children) and those
# of the BACKENDs (tginvited's round connections); cpu_columns BEFORE AFTER prints "machine% pg%
# rounds%" between two samples (machine: of all cores; pg and rounds: of one core).
postmaster=$(head -1 "$work/pg/data/postmaster.pid")
# Each tginvited on PostgreSQL has two connections: rounds, and notices (LISTEN, the delivery
# lease, broadcasts). Its round connection is the one whose last statement is none of those.
round_backend() {
  local pids=${1// /,} b
  b=$(pg_sql -At -c "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity
    WHERE pid IN (${pids%,}) AND query NOT LIKE 'LISTEN %' AND query NOT LIKE '%delivery_lease%'
      AND query NOT LIKE 'SELECT pg_notify(\$1, \$2)'")
  [[ "$b" =~ ^[0-9]+$ ]] || { echo "not one round backend among '$1': '$b'" >&2; exit 1; }
  echo "$b"
}
round_pg=$(round_backend "$backends_pg")
if ((instances == 2)); then
  round_pg2a=$(round_backend "$backends_pg2a")
  round_pg2b=$(round_backend "$backends_pg2b")
fi
# All of tginvited's connections (rounds and notices), comma-separated.
all_backends=$(echo $backends_pg ${backends_pg2a:-} ${backends_pg2b:-} | tr ' ' ,)
jiffies() { [[ -r /proc/$1/stat ]] && awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat" || echo 0; }
cpu_sample() {
  local pg p b=0
  pg=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$postmaster/stat")
  for p in $(pgrep -P "$postmaster"); do pg=$((pg + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  for p in "$@"; do b=$((b + $(jiffies "$p"))); done
  echo "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat) $pg $b"
}
cpu_columns() {
  awk -v b="$1" -v a="$2" -v hz="$(getconf CLK_TCK)" -v wall="$3" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    printf "%.0f %.0f %.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]), 100 * (y[3] - x[3]) / hz / wall,
      100 * (y[4] - x[4]) / hz / wall }'
}

# metrics PORT: the unlabelled samples of /metrics, "name value" a line.
metrics() { curl -sf "http://127.0.0.1:$1/metrics" | awk 'NF == 2 && $1 !~ /[{#]/'; }
# store_metrics PORT...: the sums over the instances of: commit batch sum and count (SQLite:
# mutations), round seconds sum and count, round ops sum, replayed changes sum and count (cluster).
store_metrics() {
  local p
  for p in "$@"; do metrics "$p"; done | awk '
    { v[$1] += $2 }
    END { printf "%s %s %s %s %s %s %s\n", v["tginvited_store_commit_batch_size_sum"] + 0,
      v["tginvited_store_commit_batch_size_count"] + 0, v["tginvited_store_round_seconds_sum"] + 0,
      v["tginvited_store_round_seconds_count"] + 0, v["tginvited_store_round_ops_sum"] + 0,
      v["tginvited_store_replayed_changes_sum"] + 0, v["tginvited_store_replayed_changes_count"] + 0 }'
}

# waits_start NAME CLIENTS BACKEND...: samples the wait events of the BACKENDs every 0.2 s in the
# background (one psql session, \watch), into $work/waits; waits_stop ends it.
waits_start() {
  local name=$1 c=$2
  shift 2
  local list
  list=$(IFS=,; echo "$*")
  printf '%s\n' "SELECT '$name', $c, replace(coalesce(state, '-'), ' ', '_'),
      coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-') FROM pg_stat_activity
    WHERE pid IN ($list)" '\watch 0.2' |
    "${psql[@]}" -h "$sock" -U tginvite -d tginvite -At -F' ' >>"$work/waits" 2>/dev/null &
  waits_pid=$!
}
waits_stop() {
  kill -INT "$waits_pid" 2>/dev/null || true
  wait "$waits_pid" 2>/dev/null || true
}

# tginvited_row NAME CLIENTS "WRK LINE" BEFORE AFTER CPU EXTRA: appends "NAME CLIENTS rps p50 p99
# errors batch round_ms catchup% machine% pg% rounds% EXTRA" to the results.
tginvited_row() {
  awk -v name="$1" -v c="$2" -v l="$3" -v before="$4" -v after="$5" -v cpu="$6" -v extra="$7" 'BEGIN {
      split(l, f, " "); split(before, b, " "); split(after, a, " ")
      n = a[2] - b[2]; rounds = a[4] - b[4]
      if (rounds > 0) {  # cluster: a round is 2 ops an export
        batch = sprintf("%.2f", (a[5] - b[5]) / 2 / rounds)
        rms = sprintf("%.3f", 1000 * (a[3] - b[3]) / rounds)
        catchup = sprintf("%.0f", 100 * (a[7] - b[7]) / rounds)
      } else {
        batch = (n > 0) ? sprintf("%.2f", (a[1] - b[1]) / n) : "-"
        rms = "-"; catchup = "-"
      }
      printf "%s %s %s %s %s %s %s %s %s %s %s\n", name, c, f[2], f[3], f[4], f[5], batch, rms,
        catchup, cpu, extra }' >>"$work/results"
}

# run_tginvited NAME CLIENTS: one wrk run on one instance.
run_tginvited() {
  local name=$1 c=$2 port_var=port_$1 round_var=round_$1 before after line cpu0 t0 cpu rounds=()
  [[ $name == pg ]] && rounds=("$round_pg")
  before=$(store_metrics "${!port_var}")
  ((${#rounds[@]})) && waits_start "$name" "$c" "${rounds[@]}"
  cpu0=$(cpu_sample "${rounds[@]}")
  t0=$(date +%s.%N)
  line=$(wrk_run "$name" "$(url "${!port_var}")" bench/export_rr.lua "$c" "$seconds")
  cpu=$(cpu_columns "$cpu0" "$(cpu_sample "${rounds[@]}")" "$(echo "$(date +%s.%N) $t0" | awk '{ print $1 - $2 }')")
  ((${#rounds[@]})) && waits_stop
  after=$(store_metrics "${!port_var}")
  tginvited_row "$name" "$c" "$line" "$before" "$after" "$cpu" -
}

# run_pair CLIENTS: two wrk at once, CLIENTS/2 connections each, on pg2a (the first half of the
# chats) and pg2b (the second half).
run_pair() {
  local c=$1 h=$(($1 / 2)) before after cpu0 t0 cpu la lb
  before=$(store_metrics "$port_pg2a" "$port_pg2b")
  waits_start pg2 "$c" "$round_pg2a" "$round_pg2b"
  cpu0=$(cpu_sample "$round_pg2a" "$round_pg2b")
  t0=$(date +%s.%N)
  BENCH_CHAT_FIRST=1 BENCH_CHAT_COUNT=$half \
    wrk_run pg2a "$(url "$port_pg2a")" bench/export_rr.lua "$h" "$seconds" >"$work/wrk_a" &
  BENCH_CHAT_FIRST=$((half + 1)) BENCH_CHAT_COUNT=$half \
    wrk_run pg2b "$(url "$port_pg2b")" bench/export_rr.lua "$h" "$seconds" >"$work/wrk_b"
  wait $!
  cpu=$(cpu_columns "$cpu0" "$(cpu_sample "$round_pg2a" "$round_pg2b")" "$(echo "$(date +%s.%N) $t0" | awk '{ print $1 - $2 }')")
  waits_stop
  after=$(store_metrics "$port_pg2a" "$port_pg2b")
  read -r _ ra pa50 pa99 ea <"$work/wrk_a"
  read -r _ rb pb50 pb99 eb <"$work/wrk_b"
  la="pg2 $((ra + rb)) $((pa50 > pb50 ? pa50 : pb50)) $((pa99 > pb99 ? pa99 : pb99)) $((ea + eb))"
  tginvited_row pg2 "$c" "$la" "$before" "$after" "$cpu" "$ra,$pa50,$pa99,$rb,$pb50,$pb99"
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
      AND pid NOT IN (pg_backend_pid(), $all_backends)") == 0 ]] && break
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
print(f"{name} {clients} {tps:.0f} {q[49]:.0f} {q[98]:.0f} {failed.group(1) if failed else 0} - - - {cpu} -")
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
    ((instances == 2)) && run_pair "$c"
    run_tginvited sqlite "$c"
  done
done

echo
echo "$rounds interleaved rounds of ${seconds} s; pgbench -M prepared -j1, wrk -t1; tginvited threads: $threads;" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "(median of the rounds; req/s min-max in brackets; pg2: two instances, req/s summed, p50 and p99 the"
echo " larger of its two wrk's; batch: exports per commit (PostgreSQL: a round's ops / 2, SQLite: mutations"
echo " per commit); round: ms from the lock to the commit; catch%: rounds that caught up on the other"
echo " instance's changes; cpu%: the machine busy, of all cores; pg%: PostgreSQL's processes and rb%: the"
echo " backends of tginvited's round connections, of one core)"
python3 - "$work/results" "$work/waits" <<'PY'
import collections, os, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, c, rps, p50, p99, err, batch, rms, catch, machine, pg, rb, extra = line.split()
    rows.setdefault((name, int(c)), []).append(
        (float(rps), float(p50), float(p99), int(err), batch, rms, catch, machine, pg, rb, extra))
med = lambda xs: statistics.median(list(xs))
def col(rs, i, fmt):
    return "-" if any(r[i] == "-" for r in rs) else fmt.format(med(float(r[i]) for r in rs))
names = [n for n in ("pgbench", "pgbench-pipe", "pg", "pg2", "sqlite") if any(k[0] == n for k in rows)]
print(f"{'config':<12} {'clients':>7} {'req/s':>22} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
      f"{'batch':>6} {'round':>6} {'catch%':>6} {'cpu%':>5} {'pg%':>5} {'rb%':>5}")
clients = sorted({c for _, c in rows})
for c in clients:
    for name in names:
        rs = rows[(name, c)]
        rps = [r[0] for r in rs]
        print(f"{name:<12} {c:>7} {med(rps):>8.0f} ({min(rps):>5.0f}-{max(rps):>5.0f}) "
              f"{med(r[1] for r in rs) / 1000:>7.2f} {med(r[2] for r in rs) / 1000:>7.2f} "
              f"{sum(r[3] for r in rs):>6} {col(rs, 4, '{:.1f}'):>6} {col(rs, 5, '{:.2f}'):>6} "
              f"{col(rs, 6, '{:.0f}'):>6} {col(rs, 7, '{:.0f}'):>5} {col(rs, 8, '{:.0f}'):>5} "
              f"{col(rs, 9, '{:.0f}'):>5}")
for c in clients:
    if ("pg2", c) in rows:
        e = [[float(x) for x in r[10].split(",")] for r in rows[("pg2", c)]]
        print(f"pg2, {c} clients, each wrk (median of the rounds): "
              f"a {med(x[0] for x in e):.0f} req/s p50 {med(x[1] for x in e) / 1000:.2f} p99 {med(x[2] for x in e) / 1000:.2f} ms; "
              f"b {med(x[3] for x in e):.0f} req/s p50 {med(x[4] for x in e) / 1000:.2f} p99 {med(x[5] for x in e) / 1000:.2f} ms")
pairs = [("pg", "pgbench"), ("pg", "pgbench-pipe"), ("pg2", "pg"), ("pg2", "pgbench"), ("sqlite", "pgbench")]
for c in clients:
    for name, base in pairs:
        if (name, c) not in rows:
            continue
        per = [a[0] / b[0] for a, b in zip(rows[(name, c)], rows[(base, c)])]
        print(f"{name} / {base}, {c} clients, per round: " + ", ".join(f"{x:.2f}" for x in per)
              + f"  (median {med(per):.2f})")
if os.path.exists(sys.argv[2]):
    waits = collections.defaultdict(collections.Counter)
    for line in open(sys.argv[2]):
        f = line.split()
        if len(f) == 5:
            waits[(f[0], int(f[1]))][" ".join(f[2:])] += 1
    print("wait events of the round connections (state, wait type, event: share of the samples)")
    for key in sorted(waits):
        n = sum(waits[key].values())
        print(f"  {key[0]}, {key[1]} clients ({n} samples): " + ", ".join(
            f"{k} {100 * v / n:.0f}%" for k, v in waits[key].most_common()))
PY
links() {
  curl -s -H "Authorization: Bearer bench" "http://127.0.0.1:$1/control/v1/chats/$2/invite-links" |
    grep -o '"is_primary":true,"is_revoked":false' | wc -l
}
check_schema() {
  pg_sql -At -F/ -c "SELECT count(*) FILTER (WHERE NOT is_revoked),
      count(DISTINCT chat_id) FILTER (WHERE NOT is_revoked AND is_primary), count(*) FROM $1.invite_links"
}
echo "sanity (active primary links must be 1 a chat):" \
  "pg: chat -1001000000001 $(links "$port_pg" -1001000000001), tgi_export active/chats/all $(check_schema tgi_export)"
if ((instances == 2)); then
  echo "  pg2: chat -1001000000001 $(links "$port_pg2a" -1001000000001) on a, $(links "$port_pg2b" -1001000000001) on b;" \
    "chat -1001000010000 $(links "$port_pg2a" -1001000010000) on a, $(links "$port_pg2b" -1001000010000) on b;" \
    "tgi_export2 active/chats/all $(check_schema tgi_export2) (active and chats must be $chats)"
fi
# Each instance's /metrics at the end, kept with PG_EXPORT_KEEP=1 (the work directory is printed).
for name in pg pg2a pg2b; do
  port_var=port_$name
  [[ -n "${!port_var:-}" ]] && metrics "${!port_var}" >"$work/metrics.$name"
done
[[ -n "${PG_EXPORT_KEEP:-}" ]] && echo "kept: $work" || true
