"""Reflex turns on Redis keyspace notifications at start; it must not take away another
application's (issue 13, finding 7: it replaced the server-wide setting with its own).

Each test runs its own Redis server (tests/throwaway_services.py): the setting is
server-wide, and the shared one is left alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import redis

from todochat.redis_keyspace import flags, merged

from tests.throwaway_services import OwnRedis

ROOT = Path(__file__).resolve().parents[1]
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
    own = OwnRedis()
    own.start()
    server = redis.Redis.from_url(own.url)
    server.url = own.url
    yield server
    server.close()
    own.stop()


def events(server) -> str:
    return server.config_get("notify-keyspace-events")["notify-keyspace-events"]


def start_the_app(server) -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM, server.url], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_app_adds_its_notifications_and_keeps_the_servers(redis_server):
    redis_server.config_set("notify-keyspace-events", "Elg")  # another application's
    start_the_app(redis_server)
    assert flags(events(redis_server)) == set("Elg") | REFLEX_NEEDS


def test_a_server_that_has_them_already_is_left_as_it_is(redis_server):
    redis_server.config_set("notify-keyspace-events", "AKE")
    start_the_app(redis_server)
    assert flags(events(redis_server)) == flags("AKE")


def test_a_server_that_refuses_config_is_left_to_reflex(redis_server):
    """A managed Redis without CONFIG: Reflex's own call runs (and fails as Reflex would,
    or is ignored with REFLEX_IGNORE_REDIS_CONFIG_ERROR), never our CONFIG GET's error."""
    import os

    own = OwnRedis(extra_args=["--rename-command", "CONFIG", ""])
    own.start()
    try:
        ignoring = {**os.environ, "REFLEX_IGNORE_REDIS_CONFIG_ERROR": "true"}
        done = subprocess.run([sys.executable, "-c", PROGRAM, own.url], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=ignoring)
        assert done.returncode == 0, done.stderr
    finally:
        own.stop()


def test_flags_are_merged_as_redis_reads_them():
    assert merged("", "K$sgxe") == "".join(sorted("K$sgxe"))
    assert merged("AK", "K$sgxe") is None  # A covers g$lshzxetd
    assert flags(merged("Ex", "K$sgxe")) == set("ExK$sg" + "e")
