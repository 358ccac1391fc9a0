"""A tab whose worker died keeps its page state when it reconnects to another worker.

Reflex (0.10, ``RedisTokenManager``) records in Redis which worker holds each tab's
websocket, for an hour. A tab that connects while such a record exists is taken for a
duplicate of another open tab and given a new token, that is a blank page state. When
the record's worker was killed, that blank state lost the reply in progress: the tab that
reconnected to another worker showed neither the reply nor that it was cut off.

``take_over_dead_owners()`` changes two things in Reflex:
- a worker's Reflex id is its ``live_processes.this_process()``, so the record names a
  process whose life can be checked;
- a record whose process is dead is removed before Reflex looks for it, so the tab keeps
  its token, and with it the turn that ``ChatState`` then reports as lost.

Dead here means: that process's named connection is not open
(``live_processes.connected_processes``). The kernel closes a killed process's
connections at once, so the tab that reconnects within a second is not taken for a
duplicate. (``live_processes.is_alive``, which decides that a turn was lost, waits for the
process's key to expire: ending a turn wants more proof.) Where that cannot be told (a
Redis that refuses CLIENT), Reflex's behaviour is left as it was.
"""

from __future__ import annotations

import logging
import pickle

from redis.exceptions import RedisError

from todochat.live_processes import connected_processes, this_process

logger = logging.getLogger(__name__)

# Deletes the record only if it is still the one read (a live worker may relink it).
_DELETE_IF_UNCHANGED = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def take_over_dead_owners() -> None:
    from reflex.utils import token_manager

    def _reset_instance_id(self) -> None:
        self.instance_id = this_process()  # made per process, after the fork

    link = token_manager.RedisTokenManager.link_token_to_sid
    if getattr(link, "takes_over_dead_owners", False):
        return  # already done in this process
    token_manager.TokenManager._reset_instance_id = _reset_instance_id

    async def link_token_to_sid(self, token: str, sid: str) -> str | None:
        known = self.token_to_socket.get(token)
        if known is None or known.sid != sid:  # not a reconnection Reflex answers locally
            await _forget_dead_owner(self, token)
        return await link(self, token, sid)

    link_token_to_sid.takes_over_dead_owners = True
    token_manager.RedisTokenManager.link_token_to_sid = link_token_to_sid


async def _forget_dead_owner(manager, token: str) -> None:
    key = manager._get_redis_key(token)
    try:
        raw = await manager.redis.get(key)
        if raw is None:
            return
        owner = getattr(pickle.loads(raw), "instance_id", None)  # noqa: S301 (Reflex's own record, in Reflex's Redis)
        if owner is None or owner == manager.instance_id:
            return
        alive = await connected_processes(manager.redis)
        if alive is None or owner in alive:
            return
        await manager.redis.eval(_DELETE_IF_UNCHANGED, 1, key, raw)
        logger.info("tab %s… reconnected: its worker %s is gone, the tab keeps its page state", token[:8], owner)
    except (RedisError, OSError, pickle.UnpicklingError) as exc:
        logger.warning("could not check the worker that held a tab's websocket: %s", exc)
