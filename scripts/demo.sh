#!/usr/bin/env bash
# Installs what is missing, builds, and runs tginvited on SQLite with the demo world
# (examples/demo-world.json). Ctrl-C stops it. The database is ./tginvite-demo.db.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
bash scripts/build.sh build -DCMAKE_BUILD_TYPE=Release -DTGINVITE_TESTS=OFF

port=${PORT:-8081}
token=7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo
control=${TGINVITE_CONTROL_TOKEN:-demo-control-token}
cat <<MSG

tginvited demo on http://127.0.0.1:$port
  bot token:      $token   (@invite_demo_bot)
  chats:          -1001000000001 (supergroup @demo_group), -1001000000002 (channel @demo_channel),
                  -4001 (basic group); the bot administers all three with can_invite_users
  users:          100001 (Alice, creator), 100002 (Bob)
  control token:  $control
  web console:    http://127.0.0.1:$port/console/   (sign in with the control token)

Export a link:
  curl -s http://127.0.0.1:$port/bot$token/exportChatInviteLink -d chat_id=-1001000000001

Let Bob join through it (put the link in place of LINK):
  curl -s http://127.0.0.1:$port/control/v1/join -H "Authorization: Bearer $control" \\
       -d '{"user_id":100002,"invite_link":"LINK"}'

MSG
exec env TGINVITE_CONTROL_TOKEN="$control" build/bin/tginvited --listen "127.0.0.1:$port" \
  --db sqlite:tginvite-demo.db --world examples/demo-world.json
