#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, TGINVITE_FUZZ=ON with clang 14, ASan + UBSan) in
# build-fuzz/ and runs each for SECONDS, then prints per target the executions
# (stat::number_of_executed_units) and the coverage reached (the last "cov:" and "ft:" figures).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     SECONDS defaults to 10; TARGET defaults to all
#
# Each target starts from its seed corpus (fuzz/corpus/<target>/, read only), with its dictionary
# (fuzz/<target>.dict: the keys, tags and headers its input is made of), and a working corpus
# of its own under build-fuzz/fuzz-work/<target>/, kept between runs, so long runs build on each
# other. A crash, a leak, a sanitizer report, a failed invariant or an input running over 10 s
# stops that target; its input is left in build-fuzz/fuzz-artifacts/<target>/ and the script
# exits 1 after running the others. Environment: BUILD_DIR (build-fuzz), JOBS (2),
# FUZZ_ARGS (more libFuzzer flags, e.g. "-jobs=2 -workers=2" or "-max_len=65536"),
# WORK_DIR (where the working corpora, artifacts and logs go; default BUILD_DIR),
# RUNS (stop a target after this many executions, as libFuzzer's -runs, whichever of it and
# SECONDS comes first), NO_BUILD=1 (run the binaries already in BUILD_DIR/bin: a long run then
# goes on undisturbed while the build folder is rebuilt, if BUILD_DIR is a copy).
# Long runs: fuzz/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=${1:-10}
shift || true
build=${BUILD_DIR:-build-fuzz}
jobs=${JOBS:-2}
all=(http_request_fuzz params_fuzz args_fuzz json_params_fuzz text_parse_fuzz reply_markup_fuzz world_file_fuzz
     control_bodies_fuzz)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

start=$(date +%s)
if [ "${NO_BUILD:-0}" != 1 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=${CC:-clang-14} CXX=${CXX:-clang++-14} cmake -S . -B "$build" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTGINVITE_FUZZ=ON -DTGINVITE_TESTS=OFF >/dev/null
  fi
  cmake --build "$build" -j "$jobs" --target "${targets[@]}"
fi
built=$(date +%s)
echo "== build: $((built - start)) s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
work_root=${WORK_DIR:-$build}
runs=()
[ -z "${RUNS:-}" ] || runs=(-runs="$RUNS")
failed=()
summary=()
for t in "${targets[@]}"; do
  work="$work_root/fuzz-work/$t"
  artifacts="$work_root/fuzz-artifacts/$t"
  log="$work_root/fuzz-logs/$t.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  echo "== $t: ${seconds} s"
  # shellcheck disable=SC2086
  if "$build/bin/$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$artifacts/" "${dict[@]}" "${runs[@]}" ${FUZZ_ARGS:-} \
      "$work" "fuzz/corpus/$t" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$t")
    grep -E 'ERROR|invariant failed|runtime error|Test unit written' "$log" | head -20 || true
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)
  summary+=("$(printf '%-22s %-6s execs %-10s %-20s %s' "$t" "$status" "${execs:-?}" \
    "${cov:-cov: ?}" "${corp:-}")")
done
echo "== fuzz summary (${seconds} s each${RUNS:+ or $RUNS executions}; logs in $work_root/fuzz-logs/)"
printf '%s\n' "${summary[@]}"
echo "== total: $(($(date +%s) - start)) s, build $((built - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]} (inputs in $work_root/fuzz-artifacts/)" >&2
  exit 1
fi
