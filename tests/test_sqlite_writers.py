"""SQLite's writers take turns inside a process (db._writers_take_turns, issue 14): a
second writer waits for the first to end, then writes, without meeting SQLite's lock;
readers never wait; a transaction that fails or is thrown away lets the next one go."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from todochat import migrate
from todochat.db import get_engine, session_scope

NO_HANG = 20  # only a guard: every wait below ends on an event long before


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path}/writers.db"
    migrate.upgrade(url)
    engine = get_engine(url)
    with session_scope(engine) as session:
        session.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    engine.dispose()


def in_thread(work) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def another_thread_can_write(engine) -> bool:
    """Whether a writer in another thread gets its turn (and writes "next") in time."""
    done = threading.Event()

    def next_writer():
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO note (body) VALUES ('next')"))
        done.set()

    in_thread(next_writer)
    return done.wait(NO_HANG)


def notes(engine) -> list[str]:
    with session_scope(engine) as session:
        return [row[0] for row in session.execute(text("SELECT body FROM note ORDER BY id"))]


def test_a_second_writer_waits_for_the_first_then_writes(engine):
    first_wrote, let_first_commit = threading.Event(), threading.Event()
    order: list[str] = []
    errors: list[BaseException] = []

    def first():
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO note (body) VALUES ('first')"))
            first_wrote.set()
            let_first_commit.wait(NO_HANG)
            order.append("first committing")

    def second():
        try:
            first_wrote.wait(NO_HANG)
            with session_scope(engine) as session:
                # SQLite's own wait off: without its turn in the process, this writer would
                # fail at once with "database is locked"; with it, it never meets the lock.
                session.execute(text("PRAGMA busy_timeout = 0"))
                session.execute(text("INSERT INTO note (body) VALUES ('second')"))
                order.append("second wrote")
        except BaseException as exc:  # "database is locked" would land here
            errors.append(exc)

    threads = [in_thread(first), in_thread(second)]
    first_wrote.wait(NO_HANG)
    # The second writer is queued, not failing: nothing lands while the first holds on.
    threads[1].join(0.5)
    assert threads[1].is_alive() and not errors
    let_first_commit.set()
    for thread in threads:
        thread.join(NO_HANG)
    assert not errors
    assert order == ["first committing", "second wrote"]
    assert notes(engine) == ["first", "second"]


def test_readers_do_not_wait_for_a_writer(engine):
    with session_scope(engine) as session:
        session.execute(text("INSERT INTO note (body) VALUES ('committed')"))
    writing, read_done = threading.Event(), threading.Event()

    def writer():
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO note (body) VALUES ('not yet')"))
            writing.set()
            read_done.wait(NO_HANG)  # holds its turn until the reader has read

    thread = in_thread(writer)
    writing.wait(NO_HANG)
    assert notes(engine) == ["committed"]  # read while the writer holds its turn
    read_done.set()
    thread.join(NO_HANG)
    assert notes(engine) == ["committed", "not yet"]


def test_a_failed_transaction_lets_the_next_writer_go(engine):
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO note (body) VALUES ('rolled back')"))
            raise RuntimeError("the work failed")

    assert another_thread_can_write(engine), "the failed transaction kept its turn"
    assert notes(engine) == ["next"]


def test_a_connection_thrown_away_mid_write_lets_the_next_writer_go(engine):
    connection = engine.connect()
    connection.execute(text("INSERT INTO note (body) VALUES ('lost')"))
    connection.invalidate()  # as after a driver error: the connection is discarded
    connection.close()

    assert another_thread_can_write(engine), "the discarded connection kept its turn"
    assert notes(engine) == ["next"]


def test_a_writer_that_waits_too_long_gets_the_busy_database_error(engine, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import todochat.db

    monkeypatch.setattr(todochat.db, "SQLITE_WRITE_WAIT_SECONDS", 0.2)
    holding, let_go = threading.Event(), threading.Event()

    def first():
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO note (body) VALUES ('first')"))
            holding.set()
            let_go.wait(NO_HANG)

    thread = in_thread(first)
    holding.wait(NO_HANG)
    # The error SQLite itself gives: the API answers it 503 with Retry-After, like any busy database.
    with pytest.raises(OperationalError, match="database is locked"):
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO note (body) VALUES ('too late')"))
    let_go.set()
    thread.join(NO_HANG)
    assert notes(engine) == ["first"]
