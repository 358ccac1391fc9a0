"""Whether each service the app depends on answers now: what GET /health reports.

A load balancer or an operator reads it; a dead dependency makes /health say so within
seconds (Redis: a second; PostgreSQL: the engine's connect timeout, db.py) instead of
hanging.
"""

from __future__ import annotations

from functools import lru_cache

import redis
from sqlalchemy import text
from sqlalchemy.engine import Engine

CHECK_TIMEOUT_SECONDS = 1.0


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS)


def redis_answers(url: str | None) -> bool | None:
    """None when the app runs without Redis (one process)."""
    if not url:
        return None
    try:
        return bool(_redis(url).ping())
    except (redis.RedisError, OSError, ValueError):
        return False
