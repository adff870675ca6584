#!/usr/bin/env python3
"""Writes the world of bench/updates.sh: BOTS bots, each the only bot (an administrator with
can_invite_users) of its own supergroup, whose creator is one owner user; and USERS plain users who
join those chats through invite links during the benchmark.

    bench/make_updates_world.py [BOTS] [USERS]          defaults: 100 bots, 20000 users

Ids and tokens are derived from the index, so bench/updates_load.mjs can recompute them:
  bot i (1-based):  id 7100000000+i, token "<id>:BenchUpdates" + i as 12 digits + "xxxxxxxxxx"
  chat i:           -1002000000000-i (bot i is its administrator)
  owner:            100001 (creator of every chat)
  user j (0-based): 200000+j
"""
import json
import sys

bots = int(sys.argv[1]) if len(sys.argv) > 1 else 100
users = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
owner = 100001


def bot_id(i):
    return 7100000000 + i


def bot_token(i):
    return f"{bot_id(i)}:BenchUpdates{i:012d}xxxxxxxxxx"


world = {
    "bots": [{"id": bot_id(i), "token": bot_token(i), "username": f"bench_updates_{i}_bot",
              "first_name": f"Bench {i}"} for i in range(1, bots + 1)],
    "users": [{"id": owner, "first_name": "Owner"}] +
             [{"id": 200000 + j, "first_name": f"U{j}"} for j in range(users)],
    "chats": [{"id": -1002000000000 - i, "type": "supergroup", "title": f"Updates {i}",
               "members": [{"user_id": owner, "status": "creator"},
                           {"user_id": bot_id(i), "status": "administrator",
                            "rights": {"can_invite_users": True}}]}
              for i in range(1, bots + 1)],
}
json.dump(world, sys.stdout)
