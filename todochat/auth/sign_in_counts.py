"""Where the sign-in guard keeps its counts: times of recent attempts, per key.

``MemoryCounts`` for one process; ``RedisCounts`` when several workers (or hosts) must
count the same attempts, or a guesser could spread them over the workers. Keys hold
emails and addresses: Redis gets only an HMAC of them, and each expires with its window.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import uuid
from collections import deque
from typing import Protocol

import redis

# Keys (emails, addresses) remembered at most: a spray of made-up emails cannot grow memory.
MAX_KEYS = 50_000
REDIS_TIMEOUT_SECONDS = 2.0


class CountsUnavailable(RuntimeError):
    """The counts cannot be read or written (Redis down): sign-in waits rather than goes unguarded."""


class Counts(Protocol):
    def recent(self, key: str, since: float) -> list[float]:
        """The key's times after ``since``, oldest first."""

    def record(self, key: str, now: float, window: float) -> None:
        """One more time for ``key``, kept for ``window`` seconds."""

    def add(self, key: str, now: float, window: float) -> list[float]:
        """``record``, then the key's times within the window, this one included: in one
        step, so that attempts made at once each see the others."""

    def forget(self, key: str) -> None: ...


class MemoryCounts:
    def __init__(self) -> None:
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.RLock()  # add() holds it across record() and recent()

    def recent(self, key: str, since: float) -> list[float]:
        with self._lock:
            times = self._times.get(key)
            if times is None:
                return []
            while times and times[0] <= since:
                times.popleft()
            if not times:
                del self._times[key]
            return list(times)

    def record(self, key: str, now: float, window: float) -> None:
        with self._lock:
            if len(self._times) >= MAX_KEYS and key not in self._times:
                self._times.clear()  # rather forget everyone than grow without bound
            self._times.setdefault(key, deque()).append(now)

    def add(self, key: str, now: float, window: float) -> list[float]:
        with self._lock:
            self.record(key, now, window)
            return self.recent(key, now - window)

    def forget(self, key: str) -> None:
        with self._lock:
            self._times.pop(key, None)


class RedisCounts:
    """A sorted set per key: members are unique, scores the times."""

    def __init__(self, url: str, secret: str, prefix: str = "todochat:sign-in:"):
        # Keys are HMACs under the app's secret: Redis never holds an email or an address,
        # nor a plain hash that a list of emails would reverse.
        self._hmac_key = hashlib.sha256(b"sign-in counts\x00" + secret.encode()).digest()
        self.redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return self.prefix + hmac.new(self._hmac_key, key.encode(), hashlib.sha256).hexdigest()

    def recent(self, key: str, since: float) -> list[float]:
        name = self._key(key)
        try:
            pipe = self.redis.pipeline()
            pipe.zremrangebyscore(name, "-inf", since)
            pipe.zrange(name, 0, -1, withscores=True)
            _, members = pipe.execute()
        except redis.RedisError as exc:
            raise CountsUnavailable(str(exc)) from exc
        return [score for _, score in members]

    def record(self, key: str, now: float, window: float) -> None:
        name = self._key(key)
        try:
            pipe = self.redis.pipeline()
            pipe.zadd(name, {uuid.uuid4().hex: now})
            pipe.expire(name, max(1, int(window) + 1))
            pipe.execute()
        except redis.RedisError as exc:
            raise CountsUnavailable(str(exc)) from exc

    def add(self, key: str, now: float, window: float) -> list[float]:
        name = self._key(key)
        try:
            pipe = self.redis.pipeline(transaction=True)  # MULTI/EXEC: one step for every client
            pipe.zremrangebyscore(name, "-inf", now - window)
            pipe.zadd(name, {uuid.uuid4().hex: now})
            pipe.expire(name, max(1, int(window) + 1))
            pipe.zrange(name, 0, -1, withscores=True)
            *_, members = pipe.execute()
        except redis.RedisError as exc:
            raise CountsUnavailable(str(exc)) from exc
        return [score for _, score in members]

    def forget(self, key: str) -> None:
        try:
            self.redis.delete(self._key(key))
        except redis.RedisError as exc:
            raise CountsUnavailable(str(exc)) from exc
