#!/usr/bin/env bash
# Configures and builds into a folder. Usage: scripts/build.sh DIR [cmake options...]
set -euo pipefail
dir=${1:?usage: scripts/build.sh DIR [cmake options]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$root/$dir" -j"$(nproc)"
