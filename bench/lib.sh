# Shared by the bench scripts (sourced, from the repository root): start_tginvited and wrk_run by
# run.sh, compare.sh and export_cpu.sh; make_work_dir, start_tginvited_logged and stop_tginvited
# by updates.sh and conversation.sh.

bench_token=7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo

# start_tginvited BINARY PORT THREADS DIR: writes the 10,000-chat world to DIR/world.json, starts
# BINARY on it with a fresh SQLite database in DIR, sets server_pid and returns once it answers.
# THREADS "" (or "default"): tginvited's default --threads.
start_tginvited() {
  local binary=$1 port=$2 threads=$3 dir=$4
  local thread_args=()
  if [[ -n "$threads" && "$threads" != default ]]; then thread_args=(--threads "$threads"); fi
  python3 bench/make_world.py 10000 >"$dir/world.json"
  TGINVITE_CONTROL_TOKEN=bench "$binary" --listen "127.0.0.1:$port" "${thread_args[@]}" \
    --db "sqlite:$dir/bench.db" --world "$dir/world.json" --log-level warn &
  server_pid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/bot$bench_token/getMe" >/dev/null && return 0
    sleep 0.1
  done
  echo "tginvited did not answer on port $port" >&2
  return 1
}

# wrk_run NAME URL SCRIPT CONNECTIONS SECONDS: one wrk run (-t1); prints
# "NAME requests/s p50_us p99_us non-2xx".
wrk_run() {
  local out
  out=$(wrk -t1 -c"$4" -d"$5s" --latency -s "$3" "$2")
  awk -v name="$1" '
    function us(v) {
      if (v ~ /us$/) return v + 0;
      if (v ~ /ms$/) return v * 1000;
      if (v ~ /s$/) return v * 1000000;
      return v;
    }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = us($2) }
    /^ +99%/ { p99 = us($2) }
    /Non-2xx/ { errors = $4 }
    END { printf "%s %.0f %.0f %.0f %s\n", name, rps, p50, p99, errors + 0 }' <<<"$out"
}

# make_work_dir: a fresh temporary directory in $work, removed when the script exits, after
# killing the server of $server_pid if one is still running.
make_work_dir() {
  work=$(mktemp -d)
  server_pid=
  trap cleanup_work_dir EXIT
}
cleanup_work_dir() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

# start_tginvited_logged NAME BINARY THREADS [ARGS...]: starts BINARY (with ARGS after its own) on $work/world.json with a fresh
# SQLite database in $work, logging (level info) to $work/server.log. Port 0: the server picks a
# free port and logs it, so parallel runs do not collide. Sets server_pid, and port once the log
# names it; if the server does not start, prints "NAME: tginvited did not start:" and its log, and
# exits 1.
start_tginvited_logged() {
  local name=$1 binary=$2 threads=$3
  shift 3
  TGINVITE_CONTROL_TOKEN=bench "$binary" --listen 127.0.0.1:0 --threads "$threads" \
    --db "sqlite:$work/bench.db" --world "$work/world.json" --log-level info "$@" \
    2>"$work/server.log" &
  server_pid=$!
  port=
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log")
    [[ -n "$port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    echo "$name: tginvited did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
}

# stop_tginvited: stops the server of $server_pid (SIGTERM drains and exits 0) and waits for it.
stop_tginvited() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=
}
