# Shared by bench/run.sh and bench/export_cpu.sh (sourced, from the repository root).

bench_token=7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo

# start_tginvited BINARY PORT THREADS DIR: writes the 10,000-chat world to DIR/world.json, starts
# BINARY on it with a fresh SQLite database in DIR, sets server_pid and returns once it answers.
start_tginvited() {
  local binary=$1 port=$2 threads=$3 dir=$4
  python3 bench/make_world.py 10000 >"$dir/world.json"
  TGINVITE_CONTROL_TOKEN=bench "$binary" --listen "127.0.0.1:$port" --threads "$threads" \
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
