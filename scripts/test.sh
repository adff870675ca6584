#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test:
#   1. the format check (clang-format, config in .clang-format), and no include with "..";
#   2. a Release build (-O3, what a user builds): unit tests and end-to-end tests (ctest), then the
#      real-client tests (grammY, Telegraf, node-telegram-bot-api, Python requests, PHP curl);
#   3. the text-formatting layer against TDLib's own parsers (tests/text_diff, npm's prebuilt
#      libtdjson);
#   4. an AddressSanitizer + UBSan build: unit tests and end-to-end tests again.
# Both builds treat warnings as errors (TGINVITE_WERROR, off in a plain build), so a warning that
# only -O3 shows stops the run here first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh --test

echo "== format check"
mapfile -t sources < <(git ls-files '*.cc' '*.h')
clang-format --dry-run -Werror "${sources[@]}"
echo "clang-format: ${#sources[@]} files clean"
# The layers' include paths (cmake/layers.cmake) hold only if no include climbs out with "..".
if grep -nE '^\s*#\s*include\s*["<][^">]*\.\.' "${sources[@]}"; then
  echo "includes with '..' go around the layer rule (docs/architecture.md); include from src/" >&2
  exit 1
fi
echo "includes: none climbs out with '..'"

echo "== release build"
bash scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DTGINVITE_WERROR=ON
(cd build && ctest --output-on-failure -j2)

echo "== real clients"
TGINVITED="$root/build/bin/tginvited" bash tests/clients/run.sh

echo "== text formatting against TDLib (tests/text_diff)"
bash tests/text_diff/run.sh build

echo "== AddressSanitizer + UBSan build"
bash scripts/build.sh build-asan -DTGINVITE_SANITIZE=ON -DTGINVITE_WERROR=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j2)
