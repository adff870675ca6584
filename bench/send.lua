-- wrk script: durable sendMessage with HTML formatting and an inline keyboard, to a random chat of
-- the benchmark world (10,000 chats), form-encoded as many bots send it.
local chats = tonumber(os.getenv("BENCH_CHATS") or "10000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
math.randomseed(os.time())
-- text=<b>Welcome</b>, <i>new member</i>! Read the <a href="https://example.com/rules">rules</a>.
local text = "%3Cb%3EWelcome%3C%2Fb%3E%2C%20%3Ci%3Enew%20member%3C%2Fi%3E%21%20Read%20the%20" ..
             "%3Ca%20href%3D%22https%3A%2F%2Fexample.com%2Frules%22%3Erules%3C%2Fa%3E."
-- reply_markup={"inline_keyboard":[[{"text":"Accept","callback_data":"accept"},{"text":"Rules","url":"https://example.com/rules"}]]}
local markup = "%7B%22inline_keyboard%22%3A%5B%5B%7B%22text%22%3A%22Accept%22%2C%22callback_data%22" ..
               "%3A%22accept%22%7D%2C%7B%22text%22%3A%22Rules%22%2C%22url%22%3A%22https%3A%2F%2F" ..
               "example.com%2Frules%22%7D%5D%5D%7D"
request = function()
  local chat = -1001000000000 - math.random(1, chats)
  return wrk.format(nil, nil, nil,
    "chat_id=" .. chat .. "&parse_mode=HTML&text=" .. text .. "&reply_markup=" .. markup)
end
