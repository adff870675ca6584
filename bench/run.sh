#!/usr/bin/env bash
# Measures tginvited against a minimal HTTP server built on the same library (Beast), in the same
# run, with wrk: getMe, durable exportChatInviteLink spread over a world of 10,000 chats, and
# durable sendMessage (HTML text, an inline keyboard) into those chats.
# Rounds are interleaved (minimal, getMe, export, minimal, ...) and medians reported, because this
# machine's speed drifts by tens of percent within minutes. Prints requests/s, p50 and p99.
# The baseline is the minimal server at its fastest: each round runs it with 1 and with 2 I/O
# threads (on a machine of 2 cores, wrk takes one, and one thread is often faster) and takes the
# faster of the two; ratios are per round against that. tginvited runs at its defaults (what a
# user runs), or with BENCH_SERVER_THREADS=N threads.
#
#   bench/run.sh [ROUNDS] [SECONDS] [CONNECTIONS]      defaults: 3 rounds, 10 s, 64 connections
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-3}
seconds=${2:-10}
conns=${3:-64}
threads=${BENCH_SERVER_THREADS:-default}

bash scripts/install-deps.sh --bench >/dev/null
if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  bash scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release -DTGINVITE_TESTS=OFF >/dev/null
fi

source bench/lib.sh
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

token=$bench_token
minimal_port=18901  # one thread; 18903: two
server_port=18902

build-bench/bin/minimal_http_server $minimal_port 1 2>/dev/null &
build-bench/bin/minimal_http_server 18903 2 2>/dev/null &
start_tginvited build-bench/bin/tginvited $server_port "$threads" "$work"

# run NAME URL SCRIPT: one wrk run; appends "NAME rps p50_us p99_us" to $work/results.
run() { wrk_run "$1" "$2" "$3" "$conns" "$seconds" >>"$work/results"; }

base="http://127.0.0.1"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds" >&2
  run minimal1 "$base:$minimal_port/bot$token/getMe" bench/getme.lua
  run minimal2 "$base:18903/bot$token/getMe" bench/getme.lua
  run getMe "$base:$server_port/bot$token/getMe" bench/getme.lua
  run export "$base:$server_port/bot$token/exportChatInviteLink" bench/export.lua
  run send "$base:$server_port/bot$token/sendMessage" bench/send.lua
done

echo
echo "wrk -t1 -c$conns -d${seconds}s, $rounds interleaved rounds, tginvited threads: $threads"
echo "(each: median of the rounds; min-max in brackets; minimal: the faster of minimal1 and"
echo " minimal2, the minimal server with 1 and 2 threads, in each round; ratios against it)"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p50, p99, errors = line.split()
    rows.setdefault(name, []).append((float(rps), float(p50), float(p99), int(errors)))
# The baseline of each round: the faster minimal server.
rows["minimal"] = [max(a, b, key=lambda r: r[0]) for a, b in zip(rows["minimal1"], rows["minimal2"])]
def med(name, i): return statistics.median(r[i] for r in rows[name])
base = med("minimal", 0)
print(f"{'endpoint':<10} {'req/s':>18} {'p50 us':>8} {'p99 us':>8} {'non-2xx':>8} {'ratio':>6}")
for name in ("minimal1", "minimal2", "minimal", "getMe", "export", "send"):
    rps = [r[0] for r in rows[name]]
    print(f"{name:<10} {med(name,0):>8.0f} ({min(rps):.0f}-{max(rps):.0f}) {med(name,1):>8.0f} "
          f"{med(name,2):>8.0f} {sum(r[3] for r in rows[name]):>8} {med(name,0)/base:>6.2f}")
wins = sum(1 for a, b in zip(rows["minimal1"], rows["minimal2"]) if a[0] >= b[0])
print(f"minimal: 1 thread the faster in {wins} of {len(rows['minimal1'])} rounds")
# Ratios per round, so drift between rounds cancels out.
for name in ("getMe", "export", "send"):
    per_round = [rows[name][i][0] / rows["minimal"][i][0] for i in range(len(rows[name]))]
    print(f"{name} / minimal per round: " + ", ".join(f"{x:.2f}" for x in per_round) +
          f"  (median {statistics.median(per_round):.2f})")
PY
links=$(curl -s -H "Authorization: Bearer bench" \
  "http://127.0.0.1:$server_port/control/v1/chats/-1001000000001/invite-links" | grep -o '"is_primary":true,"is_revoked":false' | wc -l)
echo "sanity: chat -1001000000001 has $links active primary link(s) (must be 1 if it was exported)"
