#!/usr/bin/env bash
# Where the server's CPU goes per exportChatInviteLink: starts tginvited on a fresh database with
# the 10,000-chat world, runs wrk (-t1 -c64) for ROUNDS rounds of SECONDS each, and prints per
# round the requests/s, the p99 latency and, for each server thread (tgi-writer, tgi-sync,
# tgi-checkpoint, the I/O threads), its CPU time divided by the requests answered, in us.
# From /proc/PID/task/*/stat (utime+stime, 10 ms ticks): use rounds of several seconds.
#
#   bench/export_cpu.sh [ROUNDS] [SECONDS]        defaults: 3 rounds of 8 s
#   TGINVITED=path/to/tginvited bench/export_cpu.sh   (default: build-bench/bin/tginvited)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-3}
seconds=${2:-8}
server=${TGINVITED:-build-bench/bin/tginvited}
port=18903

source bench/lib.sh
token=$bench_token
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
start_tginvited "$server" $port 2 "$work"
pid=$server_pid

# name-tid ticks, one line per thread
snapshot() {
  for t in /proc/$pid/task/*; do
    echo "$(cat "$t/comm")-$(basename "$t") $(awk '{print $14 + $15}' "$t/stat")"
  done | sort
}
for r in $(seq "$rounds"); do
  snapshot >"$work/before"
  out=$(wrk -t1 -c64 -d"${seconds}s" --latency -s bench/export.lua \
    "http://127.0.0.1:$port/bot$token/exportChatInviteLink")
  snapshot >"$work/after"
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
  printf "round %d: %s req/s, p99 %s; CPU us per request:" "$r" "$rps" "$p99"
  join "$work/before" "$work/after" | awk -v rps="$rps" -v s="$seconds" '
    { us = ($3 - $2) * 10000 / (rps * s); total += us; if (us >= 0.1) printf " %s %.1f", $1, us }
    END { printf "; total %.1f\n", total }'
done
