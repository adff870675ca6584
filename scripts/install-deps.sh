#!/usr/bin/env bash
# Installs what tginvite needs on Debian 12, and only what is missing. Used by scripts/demo.sh
# (build and run) and scripts/test.sh (build and test everything). Run as root.
#
#   scripts/install-deps.sh            build dependencies (libpq-dev: the server links libpq)
#   scripts/install-deps.sh --test     also what the tests drive: Node.js, Python requests and
#                                      prometheus_client (/metrics is parsed with it), PHP curl,
#                                      ss (iproute2: tests/e2e/slow_clients.test.mjs reads sockets),
#                                      clang 14 with its sanitizer and libFuzzer runtimes
#                                      (the ASan + UBSan + fuzz build of scripts/test.sh),
#                                      Chromium and Firefox ESR (the console's browser tests), and
#                                      PostgreSQL 15 with psql (scripts/pg.sh starts a private one)
#   scripts/install-deps.sh --bench    also wrk, curl, python3, procps (pgrep), and PostgreSQL 15
#                                      with psql and pgbench, for bench/
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libsqlite3-dev libpq-dev libssl-dev zlib1g-dev libgtest-dev
)
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(clang-format python3 python3-requests python3-prometheus-client php-cli php-curl
                       iproute2 clang-14 libclang-rt-14-dev chromium firefox-esr
                       postgresql-15 postgresql-client-15) ;;
    --bench) packages+=(wrk curl python3 procps postgresql-15 postgresql-client-15) ;;
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
# Node.js: any installed one will do (the tests need 18 or newer); else Debian's.
if [[ " $* " == *" --test "* ]] && ! command -v node >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
