"""Database engines and sessions shared by the UI states, the API and the chat store."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from todochat.settings import settings


def normalize_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs (psycopg2 is not installed)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


CONNECT_TIMEOUT_SECONDS = 5
SQLITE_WRITE_WAIT_SECONDS = 30


@lru_cache(maxsize=None)
def get_engine(url: str | None = None) -> Engine:
    url = normalize_url(url or settings.DATABASE_URL)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_WRITE_WAIT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        _writers_take_turns(engine)
    else:
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=settings.DATABASE_POOL_SIZE,
            max_overflow=settings.DATABASE_MAX_OVERFLOW,
            # A server that does not answer (a network cut, not a refusal) fails in seconds,
            # not after the operating system's minutes: a 503, and /health says so.
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        )
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the UI read while the API writes; foreign keys are off by default in SQLite.
    # SQLite's lower() folds only ASCII; ours folds "Über" like PostgreSQL does.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _writers_take_turns(engine: Engine) -> None:
    """One writing transaction at a time per process: the others wait on a lock, and one of
    them starts the moment it is released.

    SQLite has one writer. One that finds the file locked sleeps and tries again (after 1,
    2, 5 ... 100 ms), so under a few concurrent chat turns most of a turn's time went to
    those sleeps, and a slow one waited seconds. A transaction takes this lock at its first
    statement that writes (the Python driver begins the transaction there too: reads before
    it hold no snapshot) and gives it back when its connection returns to the pool, after
    the commit or rollback. Reads never wait for it (WAL; a statement that is not a SELECT
    or PRAGMA, such as a WITH, counts as writing). Other processes on the same file still
    meet SQLite's own timeout. A wait past SQLITE_WRITE_WAIT_SECONDS is the error SQLite
    itself gives, so it is answered as a busy database (503) like any other.
    """
    turn = threading.Lock()
    holding = "todochat_holds_write_turn"

    def before_statement(connection, _cursor, statement: str, *_args) -> None:
        info = connection.connection.info  # per driver connection, kept across checkouts
        if info.get(holding) or statement.lstrip()[:6].upper() in ("SELECT", "PRAGMA"):
            return
        if not turn.acquire(timeout=SQLITE_WRITE_WAIT_SECONDS):
            raise OperationalError(statement, None, sqlite3.OperationalError("database is locked"))
        info[holding] = True

    def released(_dbapi_connection, record, *_args) -> None:
        if record is not None and record.info.pop(holding, False):
            turn.release()

    event.listen(engine, "before_cursor_execute", before_statement)
    for name in ("checkin", "invalidate", "detach"):
        event.listen(engine.pool, name, released)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def lock_for_writing(session: Session, table: str) -> None:
    """Hold back every other writer of ``table`` until this transaction ends; readers go on.

    For a check-then-insert that two processes may run at once (the first signing key):
    the second waits for the first to commit, then finds its row.
    """
    if session.get_bind().dialect.name == "postgresql":
        # SHARE ROW EXCLUSIVE conflicts with itself and with every insert, update and delete.
        session.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))
    else:
        # SQLite locks the whole file: a write statement takes the write lock even when it
        # changes nothing, and holds it to the end of the transaction.
        session.execute(text(f'DELETE FROM "{table}" WHERE 0'))
