#!/usr/bin/env bash
# The conversation loop: a Release tginvited on SQLite with BOTS bots long-polling getUpdates and
# USERS simulated users, each sending /start to the bots in turn through the control plane and
# waiting for the bot's answer (sendMessage with HTML and an inline keyboard) before the next one.
# Prints per round and as medians (bench/conversation_load.mjs measures): exchanges/s and
# messages/s, the user-message-to-reply latency p50/p99/max, and the server's CPU per exchange.
# Compare figures only within one run; never assert on them.
#
#   bench/conversation.sh [ROUNDS] [SECONDS] [USERS]    defaults: 3 rounds, 10 s, 64 users
#   env: BENCH_SERVER_THREADS (2), BENCH_BOTS (100), BENCH_NO_BUILD=1, TGINVITED=path
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-3}
seconds=${2:-10}
users=${3:-64}
threads=${BENCH_SERVER_THREADS:-2}
bots=${BENCH_BOTS:-100}
server=${TGINVITED:-build-bench/bin/tginvited}

bash scripts/install-deps.sh --bench >/dev/null
if ! command -v node >/dev/null; then bash scripts/install-deps.sh --test >/dev/null; fi
if [[ -z "${BENCH_NO_BUILD:-}" && -z "${TGINVITED:-}" ]]; then
  bash scripts/build.sh build-bench -DCMAKE_BUILD_TYPE=Release -DTGINVITE_TESTS=OFF >/dev/null
fi

source bench/lib.sh
make_work_dir
python3 bench/make_conversation_world.py "$bots" "$users" >"$work/world.json"
start_tginvited_logged conversation.sh "$server" "$threads"
status=0
node bench/conversation_load.mjs --url "http://127.0.0.1:$port" --control-token bench \
  --bots "$bots" --users "$users" --rounds "$rounds" --seconds "$seconds" \
  --server-pid "$server_pid" --clk-tck "$(getconf CLK_TCK)" || status=$?
stop_tginvited
exit "$status"
