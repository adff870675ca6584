#!/usr/bin/env python3
"""Writes the world of bench/conversation.sh: BOTS bots and USERS users (no chats needed: the
users talk to the bots in private chats).

  make_conversation_world.py BOTS USERS
Bot i (1-based) has id 7200000000 + i and token f"{id}:BenchConversation{i:012d}xxxxxxx"; user j
(0-based) has id 300000 + j."""
import json
import sys

bots = int(sys.argv[1]) if len(sys.argv) > 1 else 100
users = int(sys.argv[2]) if len(sys.argv) > 2 else 64
world = {
    "bots": [{"id": 7200000000 + i, "token": f"{7200000000 + i}:BenchConversation{i:012d}xxxxxxx",
              "username": f"talk{i}_bot", "first_name": f"Talk {i}"} for i in range(1, bots + 1)],
    "users": [{"id": 300000 + j, "first_name": f"User {j}"} for j in range(users)],
    "chats": [],
}
json.dump(world, sys.stdout)
