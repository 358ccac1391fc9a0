"""Reflex turns on Redis keyspace notifications at start; it must not take away another
application's (issue 13, finding 7: it replaced the server-wide setting with its own).

Runs against the real Redis at REDIS_TEST_URL (default 127.0.0.1:6379; `.ci/run` starts
it) and puts the server's setting back afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from todochat.redis_keyspace import flags, merged

ROOT = Path(__file__).resolve().parents[1]
URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
REFLEX_NEEDS = set("K$sgxe")

# The app module as the server loads it, then Reflex's own calls, as its state manager and
# its websocket-owner records make them.
PROGRAM = """
import asyncio, sys
import todochat.todochat
from redis.asyncio import Redis
from reflex.istate.manager import redis as state_manager
from reflex.utils import token_manager

async def main():
    server = Redis.from_url(sys.argv[1])
    await state_manager.enable_keyspace_notifications(server)
    await token_manager.enable_keyspace_notifications(server)
    await server.aclose()

asyncio.run(main())
"""


@pytest.fixture
def redis_server():
    server = redis.Redis.from_url(URL)
    try:
        before = server.config_get("notify-keyspace-events")["notify-keyspace-events"]
    except redis.ConnectionError:
        pytest.fail(f"Redis is not reachable at {URL}: start it (`.ci/run` does) or set REDIS_TEST_URL")
    yield server
    server.config_set("notify-keyspace-events", before)
    server.close()


def events(server) -> str:
    return server.config_get("notify-keyspace-events")["notify-keyspace-events"]


def start_the_app(server) -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM, URL], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_app_adds_its_notifications_and_keeps_the_servers(redis_server):
    redis_server.config_set("notify-keyspace-events", "Elg")  # another application's
    start_the_app(redis_server)
    assert flags(events(redis_server)) == set("Elg") | REFLEX_NEEDS


def test_a_server_that_has_them_already_is_left_as_it_is(redis_server):
    redis_server.config_set("notify-keyspace-events", "AKE")
    start_the_app(redis_server)
    assert flags(events(redis_server)) == flags("AKE")


def test_flags_are_merged_as_redis_reads_them():
    assert merged("", "K$sgxe") == "".join(sorted("K$sgxe"))
    assert merged("AK", "K$sgxe") is None  # A covers g$lshzxetd
    assert flags(merged("Ex", "K$sgxe")) == set("ExK$sg" + "e")
