"""`make serve` (issue 13, "A production mode, one command") refuses settings that cannot
work, before it starts or writes anything: one line naming the fix, exit status 2.

Each case runs the launcher as `make serve` does (``python -m todochat.serve``), against
the real PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_TEST_URL), and checks that the
database was left as it was and that nothing listens on the ports it was given.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from todochat.db import get_engine
from todochat.serve import checks
from todochat.settings import Settings

from tests.throwaway_services import free_port

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
SECRET = "serve-test-secret-of-16+chars"
# Settings the launcher reads: only what each case gives it.
SETTINGS = ("DATABASE_URL", "REDIS_URL", "TODOCHAT_SECRET", "DATABASE_POOL_SIZE", "DATABASE_MAX_OVERFLOW", "APP_URL")
postgresql = pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def serve(workers: str, port: int | None = None, **settings: str) -> tuple[int, list[str]]:
    """Run the launcher; returns its exit status and its stderr lines."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(settings)
    port, backend_port = port or free_port(), free_port()
    done = subprocess.run(
        [sys.executable, "-m", "todochat.serve", "--port", str(port), "--backend-port", str(backend_port),
         "--workers", workers],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert not _listening(port) and not _listening(backend_port)
    assert done.stdout == ""
    return done.returncode, done.stderr.splitlines()


def _tables(url: str) -> list[str]:
    with get_engine(url).connect() as connection:
        return sa.inspect(connection).get_table_names()


def test_several_workers_on_sqlite_are_refused(tmp_path):
    database = tmp_path / "todochat.db"
    status, lines = serve("2", DATABASE_URL=f"sqlite:///{database}", REDIS_URL=REDIS_URL, TODOCHAT_SECRET=SECRET)
    assert status == 2
    assert lines == ["make serve: 2 workers cannot share a SQLite database: set DATABASE_URL to PostgreSQL "
                     "(postgresql://user@host/db), or WORKERS=1"]
    assert not database.exists()  # not migrated: not even created


@postgresql
def test_several_workers_without_redis_are_refused(empty_db_url):
    status, lines = serve("3", DATABASE_URL=empty_db_url, TODOCHAT_SECRET=SECRET)
    assert status == 2
    assert lines == ["make serve: 3 workers keep page state in Redis: set REDIS_URL (e.g. redis://localhost:6379/0), "
                     "or WORKERS=1"]
    assert _tables(empty_db_url) == []


@postgresql
def test_several_workers_without_a_secret_are_refused_with_how_to_make_one(empty_db_url):
    status, lines = serve("2", DATABASE_URL=empty_db_url, REDIS_URL=REDIS_URL)
    assert status == 2
    assert len(lines) == 1
    assert lines[0].startswith("make serve: 2 workers must share one TODOCHAT_SECRET: set it, the same on every host")
    assert "TODOCHAT_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')" in lines[0]
    assert _tables(empty_db_url) == []


@postgresql
def test_pools_larger_than_the_servers_max_connections_are_refused(empty_db_url):
    with get_engine(empty_db_url).connect() as connection:
        limit = int(connection.execute(sa.text("SHOW max_connections")).scalar_one())
        reserved = int(connection.execute(sa.text("SHOW superuser_reserved_connections")).scalar_one())
        if connection.dialect.server_version_info >= (16,):
            reserved += int(connection.execute(sa.text("SHOW reserved_connections")).scalar_one())
    allowed = limit - reserved - checks.CONNECTIONS_KEPT_FREE
    workers = 4
    pool = allowed // (2 * workers) + 1  # pool + overflow, times the workers: just over
    status, lines = serve(str(workers), DATABASE_URL=empty_db_url, REDIS_URL=REDIS_URL, TODOCHAT_SECRET=SECRET,
                          DATABASE_POOL_SIZE=str(pool), DATABASE_MAX_OVERFLOW=str(pool))
    assert status == 2
    assert lines == [
        f"make serve: {workers} workers x {2 * pool} PostgreSQL connections (DATABASE_POOL_SIZE {pool} + "
        f"DATABASE_MAX_OVERFLOW {pool}) = {workers * 2 * pool}, over the {allowed} this server allows "
        f"(max_connections {limit}, less {reserved} reserved and {checks.CONNECTIONS_KEPT_FREE} kept free): "
        "lower WORKERS, DATABASE_POOL_SIZE or DATABASE_MAX_OVERFLOW, or raise max_connections"
    ]
    assert _tables(empty_db_url) == []


@postgresql
def test_pools_that_fit_pass(empty_db_url):
    settings = Settings(DATABASE_URL=empty_db_url, REDIS_URL=REDIS_URL, TODOCHAT_SECRET=SECRET)  # 8 + 8 each
    checks.check_database_connections(settings, 2)
    checks.check_redis(settings)


@postgresql
@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/test", "make serve: the database does not answer ("),
        ("REDIS_URL", "redis://127.0.0.1:1/0", "make serve: Redis does not answer ("),
    ],
)
def test_a_database_or_redis_that_does_not_answer_is_refused(empty_db_url, setting, value, expected):
    settings = {"DATABASE_URL": empty_db_url, "REDIS_URL": REDIS_URL, "TODOCHAT_SECRET": SECRET, setting: value}
    status, lines = serve("2", **settings)
    assert status == 2
    assert len(lines) == 1 and lines[0].startswith(expected), lines
    assert lines[0].endswith(f"check {setting}" if setting == "DATABASE_URL" else "start it, or check REDIS_URL")


@pytest.mark.parametrize("workers", ["0", "two", "-1", "65", "\u0663", "9" * 5000])
def test_workers_must_be_a_whole_number(tmp_path, workers):
    status, lines = serve(workers, DATABASE_URL=f"sqlite:///{tmp_path}/todochat.db")
    assert status == 2
    assert lines == [f"make serve: WORKERS must be a whole number from 1 to 64, not {workers!r} "
                     "(unset: what the machine can take)"]


def test_a_port_in_use_is_refused(tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "todochat.serve", "--port", str(port), "--backend-port", str(free_port()),
             "--workers", "1"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/todochat.db"},
            capture_output=True, text=True, timeout=120,
        )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"make serve: port {port} is not free (Address already in use): stop what uses it, or set PORT"
    ]


def test_a_short_secret_is_refused_in_one_line(tmp_path):
    status, lines = serve("1", DATABASE_URL=f"sqlite:///{tmp_path}/todochat.db", TODOCHAT_SECRET="short")
    assert status == 2
    assert lines == ["make serve: TODOCHAT_SECRET is not valid: TODOCHAT_SECRET must be at least 16 characters "
                     "(e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"]


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("APP_URL", "notaurl", "make serve: APP_URL is not valid: must be the public web address, "
                               "e.g. https://todo.example.com, not 'notaurl'"),
        ("APP_URL", "ftp://todo.example.com", "make serve: APP_URL is not valid: must be the public web address, "
                                              "e.g. https://todo.example.com, not 'ftp://todo.example.com'"),
        ("DATABASE_URL", "mysql://x@y/z", "make serve: DATABASE_URL is not valid: must be sqlite:///<file> "
                                          "or postgresql://user@host/db, not a 'mysql' URL"),
    ],
)
def test_settings_the_app_cannot_run_on_are_refused_in_one_line(tmp_path, setting, value, expected):
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path}/todochat.db", setting: value}
    assert serve("1", **settings) == (2, [expected])
    assert not (tmp_path / "todochat.db").exists()


def test_a_redis_database_number_it_lacks_is_a_refusal_not_silence(tmp_path):
    status, lines = serve("1", DATABASE_URL=f"sqlite:///{tmp_path}/todochat.db", REDIS_URL=REDIS_URL.rsplit("/", 1)[0] + "/99")
    assert status == 2
    assert lines == ["make serve: Redis refuses the connection (DB index is out of range): check REDIS_URL"]
