-- wrk script: POST getMe with an empty JSON object, as grammY and Telegraf send it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "{}"
