-- wrk script (pg_export.sh): exportChatInviteLink on the chats BENCH_CHAT_FIRST ..
-- BENCH_CHAT_FIRST + BENCH_CHAT_COUNT - 1 of the benchmark world (chat i is -1001000000000 - i),
-- in turn: requests in flight at once are in different chats (as pgbench's clients are), and
-- two instances given disjoint ranges never touch the same chat.
local first = tonumber(os.getenv("BENCH_CHAT_FIRST") or "1")
local count = tonumber(os.getenv("BENCH_CHAT_COUNT") or "10000")
local next_chat = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  local chat = -1001000000000 - (first + next_chat)
  next_chat = (next_chat + 1) % count
  return wrk.format(nil, nil, nil, "chat_id=" .. chat)
end
