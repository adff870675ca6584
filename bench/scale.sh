#!/usr/bin/env bash
# A big world: how long tginvited takes to load a world file of N chats (the benchmark's world:
# one bot administering N supergroups, each with one creator), how much memory it then holds,
# and how long a restart from the SQLite database takes and what it holds then. Each size is run
# RUNS times (fresh database each run); prints each run and the medians.
#
#   bench/scale.sh [RUNS] [CHATS...]        defaults: 3 runs, 1000000 chats
#
# Times are from the process's start to its "listening on" log line (the listener opens once the
# world is loaded and, with --world, applied and durable). Memory is VmRSS after the server has
# answered one exportChatInviteLink and sat idle 2 s (steady state), less the VmRSS of the same
# binary on a world of 0 chats; per chat = that / N. TGINVITED=path (default build-bench's,
# built here unless BENCH_NO_BUILD=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-3}
shift || true
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(1000000)

bash scripts/install-deps.sh --bench >/dev/null
if [[ -z "${TGINVITED:-}" && -z "${BENCH_NO_BUILD:-}" ]]; then
  bash scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release -DTGINVITE_TESTS=OFF >/dev/null
fi
binary=${TGINVITED:-build-bench/bin/tginvited}
source bench/lib.sh
make_work_dir
token=$bench_token

# start NAME [ARGS...]: starts the server on $work/bench.db (and ARGS); sets seconds (start to
# listening).
start() {
  local name=$1 t0
  shift
  rm -f "$work/server.log"  # not the last run's "listening on"
  t0=$(date +%s.%N)
  TGINVITE_CONTROL_TOKEN=bench "$binary" --listen 127.0.0.1:0 --db "sqlite:$work/bench.db" \
    --log-level info "$@" 2>"$work/server.log" &
  server_pid=$!
  port=
  while [[ -z "$port" ]]; do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log" 2>/dev/null)
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$name: tginvited did not start:" >&2
      cat "$work/server.log" >&2
      exit 1
    fi
    [[ -z "$port" ]] && sleep 0.02
  done
  seconds=$(echo "$(date +%s.%N) - $t0" | bc)
}

# steady_rss_kb: one export (the world answers), 2 s idle, then VmRSS in KiB.
steady_rss_kb() {
  curl -sf "http://127.0.0.1:$port/bot$token/exportChatInviteLink?chat_id=-1001000000001" \
    >/dev/null || { echo "the export failed" >&2; exit 1; }
  sleep 2
  awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status"
}

# base_rss_kb: VmRSS of the server on a world of 0 chats.
python3 bench/make_world.py 0 >"$work/world.json"
rm -f "$work"/bench.db*
start base --world "$work/world.json"
curl -sf "http://127.0.0.1:$port/bot$token/getMe" >/dev/null
sleep 2
base_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status")
stop_tginvited

results=$work/results
for n in "${sizes[@]}"; do
  python3 bench/make_world.py "$n" >"$work/world.json"
  echo "$n chats: world file $(du -m "$work/world.json" | cut -f1) MiB" >&2
  for r in $(seq "$runs"); do
    rm -f "$work"/bench.db*
    start load --world "$work/world.json"
    load_s=$seconds
    load_kb=$(steady_rss_kb)
    stop_tginvited
    start restart
    restart_s=$seconds
    restart_kb=$(steady_rss_kb)
    stop_tginvited
    echo "$n $load_s $load_kb $restart_s $restart_kb" >>"$results"
    echo "  run $r: load $load_s s, RSS $load_kb KiB; restart $restart_s s, RSS $restart_kb KiB" >&2
  done
done

echo
echo "$binary; $runs runs a size; RSS of the same binary on 0 chats: $base_kb KiB"
python3 - "$results" "$base_kb" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    n, ls, lk, rs, rk = line.split()
    rows.setdefault(int(n), []).append((float(ls), int(lk), float(rs), int(rk)))
base = int(sys.argv[2])
print(f"{'chats':>9} {'world file load s':>18} {'RSS MiB':>8} {'B/chat':>7} "
      f"{'restart s':>10} {'RSS MiB':>8} {'B/chat':>7}")
for n, rs in sorted(rows.items()):
    med = lambda i: statistics.median(r[i] for r in rs)
    per = lambda kb: (kb - base) * 1024 / n if n else 0
    print(f"{n:>9} {med(0):>18.2f} {med(1)/1024:>8.0f} {per(med(1)):>7.0f} "
          f"{med(2):>10.2f} {med(3)/1024:>8.0f} {per(med(3)):>7.0f}")
PY
