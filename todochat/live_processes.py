"""Which app processes are alive: a chat turn whose process died must be told from one
still running on another worker.

Without Redis there is one process, and it owns the page state: a turn recorded by any
other process id was cut off by a restart. With Redis (several workers, or hosts) every
process keeps a key ``todochat:process:<id>`` that expires PROCESS_TTL_SECONDS after its
last beat; a turn whose process has no key was cut off when that worker died.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
import weakref

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from todochat.settings import settings

_me: tuple[int, str] | None = None
BEAT_SECONDS = 5.0
PROCESS_TTL_SECONDS = 15  # three beats missed: the process is gone
KEY_PREFIX = "todochat:process:"
CLIENT_NAME_PREFIX = "todochat-process-"

logger = logging.getLogger(__name__)
# One client per event loop and URL: an asyncio client belongs to the loop that made it.
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, aioredis.Redis]] = weakref.WeakKeyDictionary()
_named: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, aioredis.Redis]] = weakref.WeakKeyDictionary()


def this_process() -> str:
    """Who this process is: a new id on every start (and every dev reload). Made on first
    use in each process, not at import: the app server imports the app once and then forks
    its workers, which would otherwise all share one id."""
    global _me
    if _me is None or _me[0] != os.getpid():
        _me = (os.getpid(), uuid.uuid4().hex)
    return _me[1]


def _redis(url: str) -> aioredis.Redis:
    per_url = _clients.setdefault(asyncio.get_running_loop(), {})
    if url not in per_url:
        per_url[url] = aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return per_url[url]


def _named_connection(url: str) -> aioredis.Redis:
    """One connection of this process's, held open and named after it, so that other
    processes can see it is alive (``connected_processes``): the kernel closes a killed
    process's connections at once, long before its key expires."""
    per_url = _named.setdefault(asyncio.get_running_loop(), {})
    if url not in per_url:
        per_url[url] = aioredis.Redis.from_url(url, single_connection_client=True, socket_timeout=2,
                                               socket_connect_timeout=2)
    return per_url[url]


async def connected_processes(redis: aioredis.Redis) -> set[str] | None:
    """The processes with a named connection open to this Redis now. None when that cannot
    be told: CLIENT LIST refused, or this process's own connection is not among them (the
    name was refused, or ``redis`` is another server than REDIS_URL)."""
    try:
        clients = await redis.client_list()
    except RedisError:
        return None
    names = (client.get("name", "") for client in clients)
    connected = {name[len(CLIENT_NAME_PREFIX):] for name in names if name.startswith(CLIENT_NAME_PREFIX)}
    return connected if this_process() in connected else None


async def beat(url: str, process: str | None = None, ttl: int = PROCESS_TTL_SECONDS) -> None:
    await _redis(url).set(KEY_PREFIX + (process or this_process()), "1", ex=ttl)
    if process is None:
        try:
            # Again on every beat: a connection that dropped comes back without its name.
            await _named_connection(url).client_setname(CLIENT_NAME_PREFIX + this_process())
        except RedisError as exc:  # a Redis that refuses CLIENT: the key alone says it
            logger.debug("could not name this process's Redis connection: %s", exc)


async def is_alive(process: str, url: str | None = None) -> bool:
    url = url if url is not None else settings.REDIS_URL
    if process == this_process():
        return True
    if not url:
        return False  # one process, and it is not the one that recorded the turn
    try:
        return bool(await _redis(url).exists(KEY_PREFIX + process))
    except (RedisError, OSError, RuntimeError):
        return True  # cannot tell: rather leave a running turn alone than end it


async def keep_alive() -> None:
    """The app's lifespan task: beat until the process stops (only with Redis)."""
    if not settings.REDIS_URL:
        return
    try:
        while True:
            # Each beat in a task of its own: redis's client can swallow a cancel that
            # arrives as one of its timeouts ends (and return as if nothing happened), so
            # this task, stopping, must not be waiting inside it; it waits here.
            beating = asyncio.ensure_future(beat(settings.REDIS_URL))
            try:
                await asyncio.wait({beating})
            except asyncio.CancelledError:
                beating.cancel()
                raise
            if not beating.cancelled() and beating.exception() is not None:
                # The next beat tries again; the task must not end.
                logger.warning("could not mark this process alive in Redis: %s", beating.exception())
            await asyncio.sleep(BEAT_SECONDS)
    finally:
        # Stopping (a deploy, a dev reload): its turns are lost now, not in 15 s.
        with contextlib.suppress(Exception):
            await asyncio.shield(_redis(settings.REDIS_URL).delete(KEY_PREFIX + this_process()))
        await close_connections()


async def close_connections() -> None:
    """Close this event loop's clients (a client left to the garbage collector after its
    loop has closed complains that the loop is closed)."""
    loop = asyncio.get_running_loop()
    for clients in (_clients, _named):
        for client in clients.pop(loop, {}).values():
            with contextlib.suppress(Exception):
                await client.aclose()
