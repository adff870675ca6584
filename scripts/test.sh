#!/usr/bin/env bash
# Installs what is missing, starts a private PostgreSQL 15 (scripts/pg.sh, in a temporary directory
# under /tmp, stopped and removed at exit; every stage's tests see its conninfo in
# TGINVITE_TEST_POSTGRES, and TGINVITE_REQUIRE_POSTGRES=1, which makes a PostgreSQL test fail
# rather than skip when it finds no PostgreSQL; tests/pg/pg_script_test.sh checks pg.sh first),
# builds, and runs every test:
#   1. the format check (clang-format, config in .clang-format), and no include with "..";
#   2. a Release build with g++ (-O3, what a user builds): unit tests and end-to-end tests
#      (ctest), then the real-client tests (grammY, Telegraf, node-telegram-bot-api, Python
#      requests, PHP curl);
#   3. the text-formatting layer against TDLib's own parsers (tests/text_diff, npm's prebuilt
#      libtdjson);
#   4. an AddressSanitizer + UBSan build with clang 14 that also holds the libFuzzer targets
#      (TGINVITE_FUZZ=ON: every library is compiled once with -fsanitize=fuzzer-no-link,address,
#      undefined, so one compile serves both): unit and end-to-end tests, then a short run of every
#      fuzz target (FUZZ_SECONDS each, default 10; scripts/fuzz.sh);
#   5. a ThreadSanitizer build with g++ (TGINVITE_SANITIZE=thread): unit and end-to-end tests, a
#      data race failing the test that meets it (halt_on_error).
# Every build treats warnings as errors (TGINVITE_WERROR, off in a plain build), so a warning that
# only -O3 or only clang shows stops the run here. At the end (or at a failure) it prints the
# seconds each stage took.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# The time report: each stage's seconds, printed at the end, and at a failure up to it.
stage_names=()
stage_seconds=()
stage_start=$(date +%s)
run_start=$stage_start
stage_name="install-deps"
next_stage() {
  local now
  now=$(date +%s)
  stage_names+=("$stage_name")
  stage_seconds+=($((now - stage_start)))
  stage_name=$1
  stage_start=$now
  echo "== $1"
}
time_report() {
  local status=$1 now i
  now=$(date +%s)
  stage_names+=("$stage_name")
  stage_seconds+=($((now - stage_start)))
  echo "== time report (seconds per stage)"
  for i in "${!stage_names[@]}"; do
    printf '  %-40s %5d\n' "${stage_names[$i]}" "${stage_seconds[$i]}"
  done
  printf '  %-40s %5d%s\n' total $((now - run_start)) "$([ "$status" = 0 ] || echo " (failed)")"
}
# At exit: the private PostgreSQL stopped and its directory removed, then the time report. The
# script's exit status stays the one it exited with.
pg_dir=""
on_exit() {
  local status=$?
  if [[ -n "$pg_dir" ]]; then
    bash "$root/scripts/pg.sh" stop "$pg_dir" || true
    rm -rf "$pg_dir"
  fi
  time_report "$status"
}
trap on_exit EXIT

bash scripts/install-deps.sh --test

next_stage "private PostgreSQL 15 (scripts/pg.sh)"
pg_dir=$(mktemp -d /tmp/tgi-pg.XXXXXX)
TGINVITE_TEST_POSTGRES=$(bash scripts/pg.sh start "$pg_dir")
export TGINVITE_TEST_POSTGRES
# A PostgreSQL test that finds no server (or no PostgreSQL 15) fails here instead of skipping.
export TGINVITE_REQUIRE_POSTGRES=1
echo "PostgreSQL serving the tests: $(/usr/lib/postgresql/15/bin/postgres --version)," \
  "TGINVITE_TEST_POSTGRES='$TGINVITE_TEST_POSTGRES'"
bash tests/pg/pg_script_test.sh

next_stage "format check"
mapfile -t sources < <(git ls-files '*.cc' '*.h')
clang-format --dry-run -Werror "${sources[@]}"
echo "clang-format: ${#sources[@]} files clean"
# The layers' include paths (cmake/layers.cmake) hold only if no include climbs out with "..".
if grep -nE '^\s*#\s*include\s*["<][^">]*\.\.' "${sources[@]}"; then
  echo "includes with '..' go around the layer rule (docs/architecture.md); include from src/" >&2
  exit 1
fi
echo "includes: none climbs out with '..'"

next_stage "release build (g++)"
bash scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DTGINVITE_WERROR=ON
next_stage "release: unit and end-to-end tests"
(cd build && ctest --output-on-failure -j2)

next_stage "release: real clients"
TGINVITED="$root/build/bin/tginvited" bash tests/clients/run.sh

next_stage "text formatting against TDLib (tests/text_diff)"
bash tests/text_diff/run.sh build

next_stage "AddressSanitizer + UBSan + fuzz build (clang 14)"
CC=clang-14 CXX=clang++-14 bash scripts/build.sh build-asan -DTGINVITE_FUZZ=ON -DTGINVITE_WERROR=ON
next_stage "asan: unit and end-to-end tests"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j2)
next_stage "asan: fuzz smoke, ${FUZZ_SECONDS:-10} s a target"
BUILD_DIR=build-asan NO_BUILD=1 bash scripts/fuzz.sh "${FUZZ_SECONDS:-10}"

next_stage "ThreadSanitizer build (g++)"
bash scripts/build.sh build-tsan -DTGINVITE_SANITIZE=thread -DTGINVITE_WERROR=ON
next_stage "tsan: unit and end-to-end tests"
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  ctest --output-on-failure -j2)
