"""What `make serve` refuses to start with: each refusal is one line naming the fix.

Everything here runs before anything is started or written (no migration, no build, no
process), so a refused start leaves the machine as it was. The launcher prints the line
and exits with status 2.
"""

from __future__ import annotations

import socket

import sqlalchemy as sa

from todochat.db import normalize_url
from todochat.serve.machine import MAX_WORKERS, workers_it_can_take
from todochat.settings import Settings

PREFIX = "make serve:"
MAKE_A_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
# PostgreSQL connections left for everything but the workers: the next deploy's migration,
# psql, backups, monitoring. Added to what the server keeps for superusers itself.
CONNECTIONS_KEPT_FREE = 10


class Refusal(Exception):
    """A reason not to start, as the one line the operator reads."""

    def __init__(self, reason: str):
        super().__init__(f"{PREFIX} {reason}")


def check_workers(raw: str) -> int:
    """WORKERS as given (a whole number), or what the machine can take when it is empty."""
    if not raw.strip():
        return workers_it_can_take()
    # ASCII digits, a few of them: int() of thousands of digits (or of "٣") is not a count.
    digits = raw.strip()
    count = int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 3 else 0
    if not 1 <= count <= MAX_WORKERS:
        raise Refusal(f"WORKERS must be a whole number from 1 to {MAX_WORKERS}, not {raw!r} (unset: what the machine can take)")
    return count


def check_settings(settings: Settings, workers: int) -> None:
    """The refusals that need no server: several workers need PostgreSQL, Redis and one secret."""
    if workers <= 1:
        return
    if settings.DATABASE_URL.startswith("sqlite"):
        # SQLite takes one writer at a time and lives on one host: workers would queue on
        # its lock and time out under load, and a second host could not share it at all.
        raise Refusal(
            f"{workers} workers cannot share a SQLite database: set DATABASE_URL to PostgreSQL "
            "(postgresql://user@host/db), or WORKERS=1"
        )
    if not settings.REDIS_URL:
        # Without Redis each worker keeps its own page states: a browser whose websocket
        # lands on another worker after a reconnect would find itself signed out.
        raise Refusal(f"{workers} workers keep page state in Redis: set REDIS_URL (e.g. redis://localhost:6379/0), or WORKERS=1")
    if not settings.TODOCHAT_SECRET:
        # Unset, each host generates its own instance/secret, and a host whose secret differs
        # cannot open the signing key the others made (sign-in answers 503 there).
        raise Refusal(
            f"{workers} workers must share one TODOCHAT_SECRET: set it, the same on every host, "
            f"e.g. TODOCHAT_SECRET=$({MAKE_A_SECRET})"
        )


def check_ports_free(port: int | None, backend_port: int) -> None:
    """nginx listens on ``port`` (every address; None: no nginx of ours), the backend on
    127.0.0.1:``backend_port``."""
    if port == backend_port:
        raise Refusal(f"PORT and BACKEND_PORT are both {port}: set BACKEND_PORT to another port")
    wanted = [("PORT", "0.0.0.0", port)] if port is not None else []
    for name, host, number in [*wanted, ("BACKEND_PORT", "127.0.0.1", backend_port)]:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, number))
            except OSError as exc:
                raise Refusal(f"port {number} is not free ({exc.strerror}): stop what uses it, or set {name}") from None


def check_database_connections(settings: Settings, workers: int) -> None:
    """PostgreSQL: the database answers, and every worker's pool at its fullest fits in it.

    Each worker has its own pool of up to DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW
    connections. Past the server's max_connections new connections fail ("too many
    clients already"), which users would meet as errors under load, not at start.
    """
    url = normalize_url(settings.DATABASE_URL)
    if url.startswith("sqlite"):
        return
    engine = sa.create_engine(url, poolclass=sa.NullPool, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            limit = int(connection.execute(sa.text("SHOW max_connections")).scalar_one())
            reserved = int(connection.execute(sa.text("SHOW superuser_reserved_connections")).scalar_one())
            # PostgreSQL 16 keeps some for roles with pg_use_reserved_connections too.
            if connection.dialect.server_version_info >= (16,):
                reserved += int(connection.execute(sa.text("SHOW reserved_connections")).scalar_one())
    except sa.exc.DBAPIError as exc:
        raise Refusal(f"the database does not answer ({_first_line(exc.orig or exc)}): check DATABASE_URL") from None
    finally:
        engine.dispose()
    each = settings.DATABASE_POOL_SIZE + settings.DATABASE_MAX_OVERFLOW
    allowed = limit - reserved - CONNECTIONS_KEPT_FREE
    if workers * each > allowed:
        raise Refusal(
            f"{workers} workers x {each} PostgreSQL connections (DATABASE_POOL_SIZE {settings.DATABASE_POOL_SIZE} "
            f"+ DATABASE_MAX_OVERFLOW {settings.DATABASE_MAX_OVERFLOW}) = {workers * each}, over the {allowed} "
            f"this server allows (max_connections {limit}, less {reserved} reserved and {CONNECTIONS_KEPT_FREE} "
            "kept free): lower WORKERS, DATABASE_POOL_SIZE or DATABASE_MAX_OVERFLOW, or raise max_connections"
        )


def check_redis(settings: Settings) -> None:
    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=10, socket_timeout=10)
    try:
        client.ping()
    except redis.ResponseError as exc:  # it answers, and refuses: a database number it lacks, a password
        raise Refusal(f"Redis refuses the connection ({_first_line(exc)}): check REDIS_URL") from None
    except redis.RedisError as exc:
        raise Refusal(f"Redis does not answer ({_first_line(exc)}): start it, or check REDIS_URL") from None
    finally:
        client.close()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
