#!/usr/bin/env bash
# Compares two tginvited builds in one run, for a change's "before and after": both servers are
# started on the benchmark world (10,000 chats, fresh SQLite databases) beside the minimal server,
# and every round measures minimal, then getMe and durable exportChatInviteLink on A and on B,
# with the order of A and B swapped every other round, so that the machine's drift falls on both
# alike. Prints each endpoint's median requests/s, p50 and p99 for A and B, and the median of the
# per-round B/A ratios (the figure to quote: > 1 means B is faster).
#
#   bench/compare.sh A_TGINVITED B_TGINVITED [ROUNDS] [SECONDS] [CONNECTIONS]
#   defaults: 6 rounds of 10 s, 64 connections. Builds build-bench/ (for the minimal server)
#   unless BENCH_NO_BUILD is set.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
a_bin=$(realpath "${1:?usage: bench/compare.sh A_TGINVITED B_TGINVITED [ROUNDS] [SECONDS] [CONNECTIONS]}")
b_bin=$(realpath "${2:?usage: bench/compare.sh A_TGINVITED B_TGINVITED [ROUNDS] [SECONDS] [CONNECTIONS]}")
rounds=${3:-6}
seconds=${4:-10}
conns=${5:-64}
threads=${BENCH_SERVER_THREADS:-2}

bash scripts/install-deps.sh --bench >/dev/null
if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  bash scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release -DTGINVITE_TESTS=OFF >/dev/null
fi

source bench/lib.sh
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/a" "$work/b"
token=$bench_token
minimal_port=18911 a_port=18912 b_port=18913

build-bench/bin/minimal_http_server $minimal_port "$threads" 2>/dev/null &
start_tginvited "$a_bin" $a_port "$threads" "$work/a"
start_tginvited "$b_bin" $b_port "$threads" "$work/b"

base="http://127.0.0.1"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds" >&2
  order="a b"
  ((r % 2 == 0)) && order="b a"
  wrk_run minimal "$base:$minimal_port/bot$token/getMe" bench/getme.lua "$conns" "$seconds" \
    >>"$work/results"
  for endpoint in getMe export send; do
    script=bench/getme.lua method=getMe
    [[ $endpoint == export ]] && script=bench/export.lua method=exportChatInviteLink
    [[ $endpoint == send ]] && script=bench/send.lua method=sendMessage
    for s in $order; do
      port=$a_port
      [[ $s == b ]] && port=$b_port
      wrk_run "$endpoint-$s" "$base:$port/bot$token/$method" "$script" "$conns" "$seconds" \
        >>"$work/results"
    done
  done
done

echo
echo "A: $a_bin"
echo "B: $b_bin"
echo "wrk -t1 -c$conns -d${seconds}s, $rounds interleaved rounds, server threads: $threads"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p50, p99, errors = line.split()
    rows.setdefault(name, []).append((float(rps), float(p50), float(p99), int(errors)))
med = lambda name, i: statistics.median(r[i] for r in rows[name])
print(f"{'endpoint':<10} {'req/s':>9} {'p50 us':>8} {'p99 us':>8} {'non-2xx':>8} {'/minimal':>9}")
names = ["minimal"] + [f"{e}-{s}" for e in ("getMe", "export", "send") for s in ("a", "b")]
for name in names:
    per_round = [r[0] / m[0] for r, m in zip(rows[name], rows["minimal"])]
    print(f"{name:<10} {med(name, 0):>9.0f} {med(name, 1):>8.0f} {med(name, 2):>8.0f} "
          f"{sum(r[3] for r in rows[name]):>8} {statistics.median(per_round):>9.2f}")
for e in ("getMe", "export", "send"):
    ratios = [b[0] / a[0] for a, b in zip(rows[f"{e}-a"], rows[f"{e}-b"])]
    print(f"{e} B/A per round: " + ", ".join(f"{x:.2f}" for x in ratios) +
          f"  (median {statistics.median(ratios):.2f})")
PY
