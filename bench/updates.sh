#!/usr/bin/env bash
# Measures update delivery on the durable path: a Release tginvited on SQLite (WAL, FULL), a world
# of BOTS bots each administering its own supergroup (bench/make_updates_world.py), every bot
# long-polling getUpdates (timeout=30, offset = last update_id + 1, allowed_updates set in its first
# call), while CONCURRENCY parallel POST /control/v1/join make users join the chats through one
# invite link per chat (createChatInviteLink, member_limit 0). Each join is one chat_member update.
#
# Prints per round and as medians over the rounds (bench/updates_load.mjs does the measuring):
# joins accepted/s and updates received/s over a fixed window, the check that the updates received
# equal the joins accepted, the join-to-update latency p50/p99 (POST sent -> update parsed by the
# poller), and context: server threads, CPUs, bots, concurrency, server CPU per join.
# This machine's speed drifts by tens of percent within minutes (the team's notes on this
# machine, shared/research/limits.md, outside this repository): compare figures only within one
# run, and never assert on them.
#
#   bench/updates.sh [ROUNDS] [SECONDS] [CONCURRENCY]    defaults: 3 rounds, 10 s, 64 joins in flight
#   env: BENCH_SERVER_THREADS (2), BENCH_BOTS (100), BENCH_USERS (20000), BENCH_NO_BUILD=1
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-3}
seconds=${2:-10}
conc=${3:-64}
threads=${BENCH_SERVER_THREADS:-2}
bots=${BENCH_BOTS:-100}
users=${BENCH_USERS:-20000}

bash scripts/install-deps.sh --bench >/dev/null
if ! command -v node >/dev/null; then bash scripts/install-deps.sh --test >/dev/null; fi
if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  bash scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release -DTGINVITE_TESTS=OFF >/dev/null
fi

source bench/lib.sh
make_work_dir
python3 bench/make_updates_world.py "$bots" "$users" >"$work/world.json"
start_tginvited_logged updates.sh build-bench/bin/tginvited "$threads"

status=0
node bench/updates_load.mjs --url "http://127.0.0.1:$port" --control-token bench \
  --bots "$bots" --users "$users" --rounds "$rounds" --seconds "$seconds" --concurrency "$conc" \
  --server-pid "$server_pid" --clk-tck "$(getconf CLK_TCK)" --server-threads "$threads" || status=$?

# Stop the server (SIGTERM drains and exits 0) and show its group-commit count for the whole run.
stop_tginvited
commits=$(sed -n 's/.*sqlite_store: \(committed .*\)/\1/p' "$work/server.log")
echo "server (whole run, setup included): ${commits:-no commit line logged}"
grep -E ' (WARN|ERROR) ' "$work/server.log" | head -5 || true
exit "$status"
