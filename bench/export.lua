-- wrk script: exportChatInviteLink on a random chat of the benchmark world (10,000 chats).
local chats = tonumber(os.getenv("BENCH_CHATS") or "10000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
math.randomseed(os.time())
request = function()
  local chat = -1001000000000 - math.random(1, chats)
  return wrk.format(nil, nil, nil, "chat_id=" .. chat)
end
