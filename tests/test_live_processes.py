"""With several workers a chat turn runs on one of them; a page load on another must tell
a turn still being written from one whose worker died (issue 13, "a worker killed
mid-turn"). Against a Redis server of the test's own (tests/throwaway_services.py)."""

from __future__ import annotations

import asyncio


from todochat import live_processes
from todochat.live_processes import beat, is_alive, this_process
from todochat.settings import settings
from todochat.ui.chat_turn import turn_was_lost



async def test_a_turn_on_a_live_worker_is_left_alone_and_one_on_a_dead_worker_is_lost(own_redis):
    await beat(own_redis.url, "worker-2", ttl=1)  # another worker, beating
    assert await is_alive("worker-2")
    assert not await turn_was_lost(True, "worker-2")
    assert await turn_was_lost(True, "a-worker-that-never-beat")
    assert not await turn_was_lost(True, this_process())

    await asyncio.sleep(1.2)  # worker-2 stopped beating: killed
    assert not await is_alive("worker-2")
    assert await turn_was_lost(True, "worker-2")


async def test_the_lifespan_task_keeps_this_process_alive_for_others(own_redis, monkeypatch):
    monkeypatch.setattr(live_processes, "BEAT_SECONDS", 0.05)
    beating = asyncio.create_task(live_processes.keep_alive())
    try:
        # As another process asks: it is not this_process() there, so it looks in Redis.
        import redis.asyncio as aioredis

        other = aioredis.Redis.from_url(own_redis.url)
        for _ in range(100):  # the first beat, however busy the machine (at most 5 s)
            if await other.exists(live_processes.KEY_PREFIX + this_process()):
                break
            await asyncio.sleep(0.05)
        assert await other.exists(live_processes.KEY_PREFIX + this_process())
        assert 0 < await other.ttl(live_processes.KEY_PREFIX + this_process()) <= live_processes.PROCESS_TTL_SECONDS
        beating.cancel()
        await asyncio.gather(beating, return_exceptions=True)
        # Stopped: this process is gone at once, not 15 s later.
        assert not await other.exists(live_processes.KEY_PREFIX + this_process())
        await other.aclose()
    finally:
        beating.cancel()


async def test_the_lifespan_task_stops_even_when_a_beat_swallows_the_cancel(monkeypatch):
    """Found by make test hanging: a cancel arriving as one of redis's own timeouts ends is
    swallowed inside its client, and the beat returns as if nothing happened. The task
    must end all the same (a worker that never stops cannot be restarted)."""
    beats = []

    async def swallowing_beat(url, process=None, ttl=0):
        beats.append(url)
        try:
            await asyncio.sleep(0.2)
        except asyncio.CancelledError:
            pass  # what redis's client did with the cancel

    monkeypatch.setattr(settings, "REDIS_URL", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(live_processes, "beat", swallowing_beat)
    monkeypatch.setattr(live_processes, "BEAT_SECONDS", 0.01)
    beating = asyncio.create_task(live_processes.keep_alive())
    while not beats:
        await asyncio.sleep(0.01)
    beating.cancel()
    done, _ = await asyncio.wait({beating}, timeout=5)
    assert beating in done and beating.cancelled()


async def test_redis_unreachable_leaves_a_running_turn_alone(monkeypatch):
    monkeypatch.setattr(settings, "REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens
    assert not await turn_was_lost(True, "worker-2")


def test_forked_workers_are_different_processes():
    """The app server imports the app, then forks its workers: each must have its own id,
    or a dead worker's turn would look alive to its siblings."""
    import os

    parent = this_process()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(write, this_process().encode())
        os._exit(0)
    os.waitpid(child, 0)
    os.close(write)
    assert os.read(read, 100).decode() not in ("", parent)
    os.close(read)
    assert this_process() == parent
