#!/usr/bin/env bash
# The differential test of src/text against TDLib (README.md beside this file).
#   tests/text_diff/run.sh [BUILD_DIR] [--inputs N] [--seed S] [--show K] [--print P]
# Installs the npm package with libtdjson.so if it is missing (this needs the npm registry),
# builds the driver in BUILD_DIR (default build/, configured if need be) and runs it. The last
# line reads "text_diff: N inputs, M equal, K known differences"; the exit status is 1 if any
# other difference was found.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build
if [[ $# -gt 0 && $1 != --* ]]; then
  build=$1
  shift
fi
lib=$here/node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so
if [[ ! -f $lib ]]; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
fi
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target text_diff_driver -j2 >/dev/null
exec "$build/bin/text_diff_driver" "$lib" "$@"
