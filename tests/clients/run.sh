#!/bin/sh
# Runs the real-client tests against tginvited. TGINVITED=/path/to/tginvited picks the binary
# (default: ../../build/bin/tginvited, see tests/support/server.mjs). Extra arguments go to node --test.
set -eu
cd "$(dirname "$0")"

stamp=node_modules/.lockfile.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund
  printf '%s\n' "$want" > "$stamp"
fi

if [ -n "${TGINVITED:-}" ]; then
  export TGINVITED
fi

exec node --test --test-reporter=spec "$@" *.test.mjs
