"""A tab reconnecting after the worker holding its websocket was killed keeps its page
state (todochat/socket_owners.py); a second tab with a live tab's token still gets a new
one, as Reflex intends. Against a Redis server of the test's own, with a real process
that holds a connection and is killed."""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys

import pytest
import redis.asyncio as aioredis
from reflex.utils.token_manager import RedisTokenManager, SocketRecord

from todochat import live_processes
from todochat.live_processes import beat, is_alive, this_process
from todochat.settings import settings
from todochat.socket_owners import take_over_dead_owners

from tests.throwaway_services import OwnRedis

ANOTHER_WORKER = """
import asyncio, sys
from todochat.live_processes import beat, this_process
async def main():
    await beat(sys.argv[1])  # as its lifespan task does: a named connection, kept open
    print(this_process(), flush=True)
    await asyncio.sleep(600)
asyncio.run(main())
"""


@pytest.fixture
def another_worker(own_redis):
    process = subprocess.Popen([sys.executable, "-c", ANOTHER_WORKER, own_redis.url], stdout=subprocess.PIPE, text=True)
    instance = process.stdout.readline().strip()
    assert instance, "the other worker did not start"
    yield process, instance
    process.kill()
    process.wait()


async def test_a_tab_whose_worker_was_killed_keeps_its_token(own_redis, another_worker):
    take_over_dead_owners()
    await beat(own_redis.url)  # this worker's own beat, as its lifespan task makes it
    process, instance = another_worker
    redis = aioredis.Redis.from_url(own_redis.url)
    manager = RedisTokenManager(redis)
    manager._reset_instance_id()
    assert manager.instance_id == this_process()  # Reflex's id for this worker is ours
    token = "tab-token-1"
    await redis.set(manager._get_redis_key(token), pickle.dumps(SocketRecord(instance_id=instance, sid="old-sid")))

    # The other worker is alive: a second tab with this token is a duplicate, as before.
    assert await manager.link_token_to_sid(token, "sid-1") not in (None, token)

    process.send_signal(signal.SIGKILL)
    process.wait()
    # Killed: the tab reconnecting here keeps its token, so its page state.
    assert await manager.link_token_to_sid(token, "sid-2") is None
    record = pickle.loads(await redis.get(manager._get_redis_key(token)))
    assert (record.instance_id, record.sid) == (this_process(), "sid-2")
    await redis.aclose()


@pytest.fixture
async def redis_without_client_command(monkeypatch):
    """A Redis that refuses CLIENT (as managed services and ACLs may)."""
    server = OwnRedis(extra_args=["--rename-command", "CLIENT", ""])
    server.start()
    monkeypatch.setattr(settings, "REDIS_URL", server.url)
    yield server
    await live_processes.close_connections()
    server.stop()


async def test_a_redis_that_refuses_client_leaves_reflex_as_it_was(redis_without_client_command):
    """Nobody's connections can be seen: a tab with a recorded owner is a duplicate, as in
    Reflex, and the beats that tell a lost turn still work."""
    take_over_dead_owners()
    url = redis_without_client_command.url
    await beat(url)
    redis = aioredis.Redis.from_url(url)
    manager = RedisTokenManager(redis)
    manager._reset_instance_id()
    token = "tab-token-2"
    await redis.set(manager._get_redis_key(token), pickle.dumps(SocketRecord(instance_id="gone", sid="old-sid")))
    assert await manager.link_token_to_sid(token, "sid-1") not in (None, token)
    assert await redis.exists("todochat:process:" + this_process())
    assert not await is_alive("gone", url)
    await redis.aclose()
