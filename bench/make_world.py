#!/usr/bin/env python3
"""Writes a world file with one bot administering N supergroups (the benchmark's world)."""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
bot = 7000000001
world = {
    "bots": [{"id": bot, "token": "7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",
              "username": "bench_bot", "first_name": "Bench"}],
    "users": [{"id": 100001, "first_name": "Owner"}],
    "chats": [{"id": -1001000000000 - i, "type": "supergroup", "title": f"Chat {i}",
               "members": [{"user_id": 100001, "status": "creator"},
                           {"user_id": bot, "status": "administrator",
                            "rights": {"can_invite_users": True}}]}
              for i in range(1, n + 1)],
}
json.dump(world, sys.stdout)
