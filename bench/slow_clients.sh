#!/usr/bin/env bash
# A normal client's latency with and without hostile connections, in the same run: per round, wrk
# (-t1, CONNECTIONS connections, POST getMe) alone, then again while bench/hostile_clients holds
# HOSTILE connections open, shared equally by the kinds of BENCH_MIX (by default all four: slowloris
# headers and bodies (a byte every
# 2 s), silent connections (never a byte), and slow readers (a 2 KiB receive window, 8 pipelined
# getUpdates each answering 100 updates of 4,000 characters, about 0.4 MB, read 256 bytes every
# 2 s)); a connection the server closes comes back 2 s later. The server runs with short timeouts (BENCH_SERVER_ARGS, below) so that every kind is cut
# within a round, and hostile_clients reports how long the server let each kind live.
#
# Prints per round: req/s, p50 and p99 without and with the hostile connections and their
# ratios; the server's RSS (VmRSS) and open fds before, at the peak during (sampled every 0.2 s)
# and after (once the server has closed what the hostile clients left); and hostile_clients'
# report. Then the medians over the rounds. This machine's speed drifts by tens of percent
# within minutes: compare the ratios measured within one run, and never assert on them.
#
#   bench/slow_clients.sh [ROUNDS] [SECONDS] [HOSTILE] [CONNECTIONS]
#       defaults: 3 rounds, 20 s, 2000 hostile connections, 16 normal connections
#   env: BENCH_SERVER_THREADS (2), BENCH_NO_BUILD=1, TGINVITED=path, HOSTILE_CLIENTS=path,
#        BENCH_MIX (default "header body silent reader"),
#        BENCH_SERVER_ARGS (default "--header-timeout 5 --body-timeout 10 --write-timeout 10
#        --idle-timeout 15 --no-guards": the reference's guards would cut the slow readers'
#        repeated getUpdates to one update each; the bench measures the worst case, big answers)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-3}
seconds=${2:-20}
hostile=${3:-2000}
conns=${4:-16}
threads=${BENCH_SERVER_THREADS:-2}
server=${TGINVITED:-build-bench/bin/tginvited}
load=${HOSTILE_CLIENTS:-build-bench/bin/hostile_clients}
read -r -a mix <<<"${BENCH_MIX:-header body silent reader}"
server_args=${BENCH_SERVER_ARGS:---header-timeout 5 --body-timeout 10 --write-timeout 10 --idle-timeout 15 --no-guards}

bash scripts/install-deps.sh --bench >/dev/null
if [[ -z "${BENCH_NO_BUILD:-}" && -z "${TGINVITED:-}" ]]; then
  bash scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release -DTGINVITE_TESTS=OFF >/dev/null
fi

# Every hostile connection is an fd here and one in the server (which raises its own soft limit
# to the hard one); wrk, the server's database and some slack need a few hundred more.
need=$((hostile + conns + 500))
if (($(ulimit -Hn) < need)); then
  echo "slow_clients.sh: the hard fd limit $(ulimit -Hn) is below the $need needed" >&2
  exit 1
fi
ulimit -n "$(ulimit -Hn)"

source bench/lib.sh
make_work_dir
python3 bench/make_conversation_world.py 1 1 >"$work/world.json"
# shellcheck disable=SC2086 # BENCH_SERVER_ARGS is a list of words
start_tginvited_logged slow_clients.sh "$server" "$threads" $server_args
token="7200000001:BenchConversation000000000001xxxxxxx"
base="http://127.0.0.1:$port"

# 100 updates of 4,000 characters waiting for the bot: every getUpdates?limit=100 answers them.
text=$(printf 'x%.0s' $(seq 4000))
for i in $(seq 100); do
  curl -sf -H "Authorization: Bearer bench" -H "Content-Type: application/json" \
    -d "{\"from\":300000,\"chat_id\":7200000001,\"text\":\"$i $text\"}" \
    "$base/control/v1/messages" >/dev/null
done
answer=$(curl -sf "$base/bot$token/getUpdates?limit=100" | wc -c)
echo "getUpdates?limit=100 answers $answer bytes" >&2

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status"; }
# The kernel's memory for all TCP sockets of the machine, in KiB (what clients that do not read
# leave in socket buffers): the bench's connections are nearly all of them.
tcp_kb() { awk -v page="$(getconf PAGESIZE)" '/^TCP:/ { print $NF * page / 1024 }' /proc/net/sockstat; }
fds() { find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }

# sample_peak FILE: until killed, writes "max_rss_kb max_fds max_tcp_kb" to FILE every 0.2 s.
sample_peak() {
  local max_rss=0 max_fds=0 max_tcp=0 r f t
  while true; do
    r=$(rss_kb) f=$(fds) t=$(tcp_kb)
    ((r > max_rss)) && max_rss=$r
    ((f > max_fds)) && max_fds=$f
    ((t > max_tcp)) && max_tcp=$t
    echo "$max_rss $max_fds $max_tcp" >"$1.tmp" && mv "$1.tmp" "$1"
    sleep 0.2
  done
}

# Each kind of the mix gets an equal share; the first kind takes what the division leaves.
share=$((hostile / ${#mix[@]}))
kinds=()
for kind in "${mix[@]}"; do kinds+=("--$kind" "$share"); done
kinds[1]=$((hostile - share * (${#mix[@]} - 1)))
for r in $(seq "$rounds"); do
  echo "round $r/$rounds" >&2
  before_rss=$(rss_kb) before_fds=$(fds) before_tcp=$(tcp_kb)
  quiet=$(wrk_run quiet "$base/bot$token/getMe" bench/getme.lua "$conns" "$seconds")

  "$load" --port "$port" "${kinds[@]}" --interval-ms 2000 --pipeline 8 --read-bytes 256 \
    --rcvbuf 2048 --reader-target "/bot$token/getUpdates?limit=100" >"$work/hostile.out" &
  load_pid=$!
  for _ in $(seq 300); do
    grep -q '^ready' "$work/hostile.out" && break
    sleep 0.1
  done
  grep -q '^ready' "$work/hostile.out" || { echo "hostile_clients did not connect" >&2; exit 1; }
  sample_peak "$work/peak" &
  sampler_pid=$!
  hostile_run=$(wrk_run hostile "$base/bot$token/getMe" bench/getme.lua "$conns" "$seconds")
  kill "$load_pid"
  wait "$load_pid" || true
  kill "$sampler_pid"
  wait "$sampler_pid" 2>/dev/null || true
  read -r peak_rss peak_fds peak_tcp <"$work/peak"

  # After: once the server has closed what the hostile clients left (their close reached it).
  for _ in $(seq 150); do
    (($(fds) <= before_fds + 2)) && break
    sleep 0.2
  done
  after_rss=$(rss_kb) after_fds=$(fds)
  echo "$r $quiet $hostile_run $before_rss $peak_rss $after_rss $before_fds $peak_fds $after_fds" \
    "$before_tcp $peak_tcp $(tcp_kb)" \
    >>"$work/results"
  sed "s/^/  round $r: /" "$work/hostile.out" | grep -v ready >>"$work/reports"
done

stop_tginvited
echo
echo "normal client: wrk -t1 -c$conns -d${seconds}s POST getMe; server threads: $threads;" \
  "server args: $server_args"
echo "hostile: $hostile connections (${kinds[*]});" \
  "a getUpdates answer is $answer bytes"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"{'round':>5} {'req/s':>7} {'p50us':>6} {'p99us':>7} | {'req/s':>7} {'p50us':>6} {'p99us':>7}"
      f" | {'rps x':>5} {'p99 x':>5} | {'RSS MB before/peak/after':>24} | fds before/peak/after"
      f" | TCP MB before/peak/after")
ratios = []
for row in rows:
    r = row[0]
    q = [float(x) for x in row[2:5]]
    h = [float(x) for x in row[7:10]]
    mem = [int(x) / 1024 for x in row[11:14]]
    fd = row[14:17]
    tcp = [float(x) / 1024 for x in row[17:20]]
    rps_x, p99_x = h[0] / q[0], h[2] / q[2]
    ratios.append((rps_x, p99_x, h[1] / q[1]))
    print(f"{r:>5} {q[0]:>7.0f} {q[1]:>6.0f} {q[2]:>7.0f} | {h[0]:>7.0f} {h[1]:>6.0f} {h[2]:>7.0f}"
          f" | {rps_x:>5.2f} {p99_x:>5.2f} | {mem[0]:>7.1f} {mem[1]:>7.1f} {mem[2]:>7.1f}"
          f"  | {fd[0]}/{fd[1]}/{fd[2]} | {tcp[0]:.0f}/{tcp[1]:.0f}/{tcp[2]:.0f}")
med = lambda i: statistics.median(x[i] for x in ratios)
print(f"medians of the per-round ratios (hostile / quiet): req/s {med(0):.2f}, p50 {med(2):.2f},"
      f" p99 {med(1):.2f}")
PY
echo "hostile_clients per round (life: from connect to the server's close, for those it closed):"
cat "$work/reports"
