"""Reflex's Redis keyspace notifications, added to the server's instead of replacing them.

Reflex (its state locks and its websocket-owner records) needs keyspace notifications, and
turns them on with ``CONFIG SET notify-keyspace-events K$sgxe`` at start: that replaces
whatever the Redis server had, so another application sharing it silently loses its own
notifications. ``keep_other_keyspace_events()`` makes Reflex add only the flags that are
missing, keeping the rest. Called by the app module before any Redis connection is made.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import ResponseError

# Redis's "A" stands for these (redis.conf, "notify-keyspace-events"; not n or m).
_ALL = "g$lshzxetd"


def flags(events: str) -> set[str]:
    chars = set(events)
    if "A" in chars:
        chars = (chars - {"A"}) | set(_ALL)
    return chars


def merged(current: str, needed: str) -> str | None:
    """The flags to set so that ``needed`` are on and ``current`` stay on; None: already so."""
    have, want = flags(current), flags(needed)
    if want <= have:
        return None
    return "".join(sorted(have | want))


def keep_other_keyspace_events() -> None:
    from reflex.istate.manager import redis as state_manager
    from reflex.utils import token_manager

    replace = state_manager.enable_keyspace_notifications

    async def add_keyspace_notifications(redis: Redis, events: str = state_manager.NOTIFY_KEYSPACE_EVENTS) -> None:
        try:
            current = (await redis.config_get("notify-keyspace-events")).get("notify-keyspace-events", "")
        except ResponseError:
            # CONFIG refused (a managed Redis): Reflex's own call decides, and honours
            # REFLEX_IGNORE_REDIS_CONFIG_ERROR for servers configured out of band.
            await replace(redis, events)
            return
        if isinstance(current, bytes):
            current = current.decode()
        events = merged(current, events)
        if events is not None:
            await replace(redis, events)

    state_manager.enable_keyspace_notifications = add_keyspace_notifications
    token_manager.enable_keyspace_notifications = add_keyspace_notifications
