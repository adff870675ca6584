#!/usr/bin/python3
"""A plain Python bot script using requests (Debian python3-requests 2.28.1), written the way
such scripts usually are: requests.post(f"{base}/bot{token}/{method}", json=params), no Session.

Usage: python_requests_client.py CONFIG_JSON
CONFIG_JSON names the base URL, tokens and chats (see script-client.mjs). The script runs a
fixed scenario and prints one JSON object: label -> {status, content_type, body}. The node test
(python-requests.test.mjs) asserts on it.
"""
import json
import sys

import requests

TIMEOUT = 10


def record(r):
    try:
        body = r.json()
    except ValueError:
        body = {"_not_json": r.text}
    return {"status": r.status_code, "content_type": r.headers.get("Content-Type"), "body": body}


def main():
    cfg = json.loads(sys.argv[1])
    base = cfg["base"]

    def url(token, method):
        return f"{base}/bot{token}/{method}"

    def call(method, params=None, token=None, form=False):
        u = url(token or cfg["token"], method)
        if params is None:
            r = requests.post(u, timeout=TIMEOUT)
        elif form:
            r = requests.post(u, data=params, timeout=TIMEOUT)
        else:
            r = requests.post(u, json=params, timeout=TIMEOUT)
        return record(r)

    out = {"requests_version": requests.__version__}
    out["getMe"] = call("getMe")
    out["getMe_get"] = record(requests.get(url(cfg["token"], "getMe"), timeout=TIMEOUT))

    out["export_1"] = call("exportChatInviteLink", {"chat_id": cfg["demo_id"]})
    out["export_2"] = call("exportChatInviteLink", {"chat_id": cfg["demo_id"]})
    out["export_3"] = call("exportChatInviteLink", {"chat_id": cfg["demo_username"]})
    out["export_4_form"] = call("exportChatInviteLink", {"chat_id": cfg["demo_id"]}, form=True)

    out["err_missing"] = call("exportChatInviteLink", {"chat_id": cfg["missing_username"]})
    out["err_rights"] = call("exportChatInviteLink", {"chat_id": cfg["no_rights_id"]})
    out["err_not_member"] = call("exportChatInviteLink", {"chat_id": cfg["public_nobot_username"]})

    upgraded = call("exportChatInviteLink", {"chat_id": cfg["old_group_id"]})
    out["err_upgraded"] = upgraded
    # What a bot does with the migrate error: retry on the new chat id.
    new_id = (upgraded["body"].get("parameters") or {}).get("migrate_to_chat_id")
    if new_id is not None:
        out["export_migrated"] = call("exportChatInviteLink", {"chat_id": new_id})

    # Formatted messages to the group, as bots send them: JSON with the keyboard as an object, and
    # a form with the keyboard as a JSON string.
    keyboard = {"inline_keyboard": [[{"text": "Open", "url": "https://t.me/demo_group"}],
                                    [{"text": "OK \u2705", "callback_data": "ok"}]]}
    out["send_html"] = call("sendMessage", {
        "chat_id": cfg["demo_id"], "text": "<b>Bold</b> &amp; <i>italic</i> \U0001F3DF",
        "parse_mode": "HTML", "reply_markup": keyboard})
    out["send_markdownv2_markup_string"] = call("sendMessage", {
        "chat_id": cfg["demo_id"], "text": "*Bold* and \\. a [link](https://example.com)",
        "parse_mode": "MarkdownV2", "reply_markup": json.dumps(keyboard)}, form=True)
    out["err_send_bad_html"] = call("sendMessage", {
        "chat_id": cfg["demo_id"], "text": "a <br> b", "parse_mode": "HTML"})

    for name, token in cfg["wrong_tokens"].items():
        out[f"err_token_{name}_getMe"] = call("getMe", token=token)
        out[f"err_token_{name}_export"] = call("exportChatInviteLink", {"chat_id": cfg["demo_id"]}, token=token)

    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
