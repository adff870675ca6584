#!/usr/bin/env bash
# The installed package, as a user of it sees it:
#   1. `cmake --install` this build into a temporary prefix;
#   2. `DESTDIR=... cmake --install` with the configured prefix: the programs, the library, the
#      man pages (every --help option in them, read by man -l and groff -ww), the systemd unit
#      (systemd-analyze verify) and its options file;
#   3. configure and build examples/ on its own against that prefix (find_package(tginvite)),
#      with -Wall -Wextra -Werror so the public headers compile cleanly in someone else's build;
#   4. run what was installed: tginvite --version, the example's usage answer (no token: exit 2),
#      and the example against the installed tginvited (a link for an id and for a @username).
#
# Usage: check_package.sh BUILD_DIR SOURCE_DIR CMAKE GENERATOR CXX_COMPILER
# (registered as the ctest package_install by cmake/install.cmake). Everything happens in a fresh
# temporary folder, removed at the end, so it can run beside other tests.
set -euo pipefail
build=$1 src=$2 cmake=$3 generator=$4 cxx=$5

work=$(mktemp -d "${TMPDIR:-/tmp}/tginvite-package.XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/prefix
echo "== install into $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }
for f in bin/tginvited bin/tginvite include/tginvite/client.h include/tginvite/types.h; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done
# lib/ or lib/<multiarch>/, as GNUInstallDirs chose.
for f in libtginvite_client.a tginviteConfig.cmake tginviteConfigVersion.cmake tginviteTargets.cmake; do
  [[ -n $(find "$prefix" -name "$f" -print -quit) ]] || fail "not installed: $f"
done
version=$("$prefix/bin/tginvite" --version)
[[ $version == "tginvite "* ]] || fail "tginvite --version printed: $version"
echo "$version"

echo "== install into a DESTDIR: programs, library, man pages, systemd unit, options file"
dest=$work/dest
DESTDIR=$dest "$cmake" --install "$build" >"$work/install-dest.log" \
  || { cat "$work/install-dest.log"; fail "DESTDIR=... cmake --install"; }
configured_prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
root=$dest$configured_prefix
for f in bin/tginvited bin/tginvite include/tginvite/client.h share/man/man8/tginvited.8 \
         share/man/man1/tginvite.1 lib/systemd/system/tginvited.service; do
  [[ -e $root/$f ]] || fail "not installed under DESTDIR: $configured_prefix/$f"
done
[[ -n $(find "$dest" -name libtginvite_client.a -print -quit) ]] || fail "no library under DESTDIR"
unit=$root/lib/systemd/system/tginvited.service
grep -qx "ExecStart=$configured_prefix/bin/tginvited \$TGINVITED_OPTIONS" "$unit" \
  || fail "the unit does not start $configured_prefix/bin/tginvited: $(grep ExecStart "$unit")"
env_file=$(sed -n 's/^EnvironmentFile=-//p' "$unit")
[[ -f $dest$env_file ]] || fail "the unit's EnvironmentFile $env_file is not installed"
grep -q '^TGINVITED_OPTIONS=".*--db sqlite:/var/lib/tginvited/' "$dest$env_file" \
  || fail "$env_file sets no --db in the service's state directory"

# Every option --help names is in the man page, as man shows it.
render() {  # render PAGE: the page as text, by man or else groff; nothing if neither exists
  if command -v man >/dev/null; then MANWIDTH=200 man -l "$1" 2>"$work/man.err"
  elif command -v groff >/dev/null; then groff -man -Tutf8 "$1" 2>"$work/man.err"
  fi
}
if command -v man >/dev/null || command -v groff >/dev/null; then
  for page in man8/tginvited.8:tginvited man1/tginvite.1:tginvite; do
    file=$root/share/man/${page%%:*} program=$root/bin/${page##*:}
    text=$(render "$file" | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g')
    [[ ! -s $work/man.err ]] || fail "$file: $(cat "$work/man.err")"
    options=$("$program" --help | grep -oE '^  --[a-z-]+' | sed 's/^ *//')
    [[ -n $options ]] || fail "$program --help lists no options"
    for o in $options; do
      grep -qF -- "$o" <<<"$text" || fail "$file lacks $o"
    done
    if command -v groff >/dev/null; then
      warnings=$(groff -man -ww -z "$file" 2>&1)
      [[ -z $warnings ]] || fail "groff warns about $file: $warnings"
    fi
    echo "$file: $(wc -w <<<"$options") options, as in --help"
  done
  grep -q -- '--log-format' <<<"$(render "$root/share/man/man8/tginvited.8")" || fail "no --log-format"
else
  echo "neither man nor groff: the man pages are not read"
fi

# systemd-analyze verify, with the unit's program and man page found where they were installed:
# a copy whose ExecStart points into the DESTDIR, MANPATH at its man pages (verify runs man for
# Documentation=man:tginvited(8)).
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$work/unit"
  sed "s|^ExecStart=$configured_prefix/|ExecStart=$root/|" "$unit" >"$work/unit/tginvited.service"
  MANPATH=$root/share/man systemd-analyze verify "$work/unit/tginvited.service" \
    >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
  [[ ! -s $work/verify.log ]] || { cat "$work/verify.log"; fail "systemd-analyze verify warned"; }
  echo "systemd-analyze verify: tginvited.service is clean"
else
  echo "no systemd-analyze: the unit is not verified"
fi

echo "== build examples/ against the installed package"
"$cmake" -S "$src/examples" -B "$work/examples" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "configuring examples/"; }
grep -q "^tginvite_DIR:PATH=$prefix/" "$work/examples/CMakeCache.txt" \
  || fail "tginvite was not found in $prefix: $(grep tginvite_DIR "$work/examples/CMakeCache.txt")"
"$cmake" --build "$work/examples" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "building examples/"; }
example=$work/examples/export_link
[[ -x $example ]] || fail "no export_link was built"

echo "== export_link without a token: usage, exit 2"
set +e
env -u TELEGRAM_BOT_TOKEN "$example" @demo_group >"$work/out" 2>"$work/err"
code=$?
set -e
[[ $code == 2 ]] || fail "export_link without a token exited $code"
grep -q "usage:" "$work/err" || fail "no usage text: $(cat "$work/err")"
[[ ! -s $work/out ]] || fail "stdout not empty: $(cat "$work/out")"

echo "== the installed tginvited and export_link together"
"$prefix/bin/tginvited" --listen 127.0.0.1:0 --db memory --world "$src/examples/demo-world.json" \
  --control-token package-test-control-token >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
port=
for _ in $(seq 300); do
  port=$(sed -n 's/.*listening on [^ :]*:\([0-9][0-9]*\).*/\1/p' "$work/server.err" | head -n1)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err"; fail "tginvited exited"; }
  sleep 0.1
done
[[ -n $port ]] || { cat "$work/server.err"; fail "tginvited did not start"; }

set +e
TELEGRAM_BOT_TOKEN=7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo \
TELEGRAM_API_URL=http://127.0.0.1:$port \
  "$example" -1001000000001 @demo_channel >"$work/out" 2>"$work/err"
code=$?
set -e
[[ $code == 0 ]] || fail "export_link exited $code: $(cat "$work/err")"
link='https://t\.me/\+[A-Za-z0-9_-]{16}'
grep -Eqx -- "-1001000000001 $link" "$work/out" || fail "no link for the id: $(cat "$work/out")"
grep -Eqx -- "@demo_channel $link" "$work/out" || fail "no link for the username: $(cat "$work/out")"
[[ $(wc -l <"$work/out") == 2 ]] || fail "more than two lines: $(cat "$work/out")"

set +e
TELEGRAM_BOT_TOKEN=7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo \
TELEGRAM_API_URL=http://127.0.0.1:$port "$example" @no_such_chat >"$work/out" 2>"$work/err"
code=$?
set -e
[[ $code == 1 ]] || fail "export_link of an unknown chat exited $code"
grep -q "^@no_such_chat error: Bad Request: chat not found" "$work/err" \
  || fail "unexpected error text: $(cat "$work/err")"

echo "package_install: all checks passed"
