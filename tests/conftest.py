"""Shared fixtures: a real database per test (SQLite file, and PostgreSQL when
TEST_DATABASE_URL is set), migrated with Alembic, and the HTTP API on top of it.

Nothing here touches ``os.environ``: every ``Settings`` is built explicitly, so the
tests never depend on (or leak into) the environment they run in.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fastapi_offline import FastAPIOffline

from todochat.api.app import api_for_settings, bind_api
from todochat.auth import accounts, passwords
from todochat.auth.accounts import Auth
from todochat.db import get_engine
from todochat.settings import Settings

from tests.db_templates import PostgresSchemas, SqliteTemplate, new_schema_name, postgres_schema_url

FIXTURES = Path(__file__).parent / "fixtures"
BASE_URL = "http://testserver"
ALLOWED_ORIGIN = "http://allowed.example"
DEFAULT_PASSWORD = "correct-horse-42"


# ---------------------------------------------------------------- fixture data


@pytest.fixture(scope="session")
def better_auth() -> dict[str, Any]:
    """Tokens, JWKS, users and password hashes issued by a real Better Auth 1.7 server."""
    return json.loads((FIXTURES / "better_auth.json").read_text())


# ---------------------------------------------------------------- databases


POSTGRES_ONLY_WITH_URL = "TEST_DATABASE_URL is not set"


def _postgres_base_url() -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        # On a laptop without PostgreSQL the SQLite half still runs (the PostgreSQL half is
        # deselected at collection); in CI (.ci/run sets it) a missing database must fail
        # loudly, never pass by skipping.
        if os.environ.get("CI"):
            pytest.fail("TEST_DATABASE_URL is not set in CI: the PostgreSQL tests cannot run")
        # Unmarked PostgreSQL cases are a bug in the marking, not a reason to pass quietly.
        pytest.fail(f"{POSTGRES_ONLY_WITH_URL}, yet a PostgreSQL case was not deselected: mark it `postgresql`")
    return base


_POSTGRES_LEFT_OUT = pytest.StashKey[int]()


def pytest_itemcollected(item: pytest.Item) -> None:
    # Also where a test parametrizes ``empty_db_url`` itself (the fixture's mark is not used then).
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("empty_db_url") == "postgresql":
        item.add_marker(pytest.mark.postgresql)


@pytest.hookimpl(trylast=True)  # after -m and -k: count only what would have run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without TEST_DATABASE_URL (and outside CI) deselect the ``postgresql`` cases, with
    one line in the summary instead of a SKIPPED line each."""
    if os.environ.get("TEST_DATABASE_URL") or os.environ.get("CI"):
        return
    left_out = [item for item in items if item.get_closest_marker("postgresql")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
        config.stash[_POSTGRES_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left_out = config.stash.get(_POSTGRES_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} PostgreSQL test{'s' if left_out != 1 else ''} deselected: {POSTGRES_ONLY_WITH_URL} "
            "(set it to a PostgreSQL database to run them; CI fails without it)"
        )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of its own: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/test.db"
        yield url
        get_engine(url).dispose()
        return

    admin = request.getfixturevalue("postgres_schemas").admin
    schema = new_schema_name()
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = postgres_schema_url(_postgres_base_url(), schema)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.begin() as connection:
            connection.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    schemas = PostgresSchemas(_postgres_base_url())
    yield schemas
    schemas.close()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, empty_db_url: str) -> Iterator[str]:
    """A database of its own at the newest schema, made by Alembic: a copy of a file Alembic
    migrated once per session (SQLite), or a schema Alembic migrated, emptied of every row
    with its ids restarted (PostgreSQL). See tests/db_templates.py."""
    if empty_db_url.startswith("sqlite"):
        request.getfixturevalue("sqlite_template").copy_to(empty_db_url)
        yield empty_db_url
        return

    schemas: PostgresSchemas = request.getfixturevalue("postgres_schemas")
    schema = empty_db_url.rpartition("search_path%3D")[2]
    schemas.lend(schema)
    yield empty_db_url
    get_engine(empty_db_url).dispose()
    schemas.take_back(schema)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = get_engine(db_url)
    yield engine
    engine.dispose()


# ---------------------------------------------------------------- settings and auth


@pytest.fixture(scope="session", autouse=True)
def password_hashes_made_once() -> Iterator[None]:
    """Sign-up's scrypt (about 0.1 s, its cost fixed by Better Auth) is paid once per
    password in a test session, not once per test; as Django's docs advise for test
    suites, but keeping the real algorithm. Each hash is a real Better Auth hash of that
    password (tests/test_auth_accounts.py checks one byte for byte), and a sign-in checks
    it for real. Tests of the hashing itself call todochat.auth.passwords directly."""
    hashes: dict[str, str] = {}
    verdicts: dict[tuple[str, str], bool] = {}

    def hash_once(password: str) -> str:
        if password not in hashes:
            hashes[password] = passwords.hash_password(password)
        return hashes[password]

    def verify_once(stored: str, password: str) -> bool:
        key = (stored, password)
        if key not in verdicts:
            verdicts[key] = passwords.verify_password(stored, password)
        return verdicts[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "hash_password", hash_once)
        patch.setattr(accounts, "verify_password", verify_once)
        yield


@pytest.fixture
def make_settings(db_url: str) -> Callable[..., Settings]:
    """Build ``Settings`` for this test's database; keyword arguments override the defaults."""

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "DATABASE_URL": db_url,
            "TODOCHAT_SECRET": "test-secret-of-16+chars",
            "APP_URL": BASE_URL,
            "CORS_ORIGINS": ALLOWED_ORIGIN,
            "BETTER_AUTH_URL": None,
            "TOKEN_TTL_SECONDS": 3600,
        }
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def auth(engine: Engine, settings: Settings) -> Auth:
    return Auth(engine, settings)


# ---------------------------------------------------------------- HTTP clients


class ApiApps:
    """Apps made by ``api_for_settings``, lent to one client at a time and bound to its
    test's ``Auth`` (``bind_api``, as ``create_api`` does). FastAPI prepares each new app's
    routes on its first request (about 50 ms), more than most tests cost; an app is reused
    only for settings equal in everything but the database."""

    def __init__(self) -> None:
        self._free: dict[str, list[FastAPIOffline]] = defaultdict(list)

    def lend(self, auth: Auth) -> tuple[str, FastAPIOffline]:
        shape = auth.config.model_dump_json(exclude={"DATABASE_URL"})
        api = self._free[shape].pop() if self._free[shape] else api_for_settings(auth.config)
        bind_api(api, auth)
        return shape, api

    def give_back(self, shape: str, api: FastAPIOffline) -> None:
        api.state.auth = api.state.chatkit_server = None  # nothing of a finished test lives on
        self._free[shape].append(api)


@pytest.fixture(scope="session")
def api_apps() -> ApiApps:
    return ApiApps()


@pytest.fixture
async def client_for(api_apps: ApiApps) -> AsyncIterator[Callable[[Auth], httpx.AsyncClient]]:
    """Make an httpx client talking to the API (as ``create_api(auth)`` builds it)
    in-process; closed at teardown."""
    lent: list[tuple[httpx.AsyncClient, str, FastAPIOffline]] = []

    def make(auth: Auth) -> httpx.AsyncClient:
        shape, api = api_apps.lend(auth)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url=BASE_URL)
        lent.append((client, shape, api))
        return client

    yield make
    for client, shape, api in lent:
        await client.aclose()
        api_apps.give_back(shape, api)


@pytest.fixture
async def client(client_for: Callable[[Auth], httpx.AsyncClient], auth: Auth) -> httpx.AsyncClient:
    return client_for(auth)


class SignedUp(NamedTuple):
    """What a sign-up returns: unpacks as ``token, user``."""

    token: str
    user: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def sign_up(
    client: httpx.AsyncClient,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    name: str = "Test User",
) -> SignedUp:
    """Create an account through ``POST /api/auth/sign-up/email``; returns (token, user JSON)."""
    email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
    response = await client.post(
        "/api/auth/sign-up/email", json={"name": name, "email": email, "password": password}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return SignedUp(body["token"], body["user"])


@pytest.fixture
def signup() -> Callable[..., Awaitable[SignedUp]]:
    """``await signup(client, email=None, password=..., name=...)`` -> (token, user JSON)."""
    return sign_up


@pytest.fixture
def auth_headers() -> Callable[[str], dict[str, str]]:
    return bearer


@pytest.fixture
async def own_redis(monkeypatch):
    """A Redis server of the test's own (tests/throwaway_services.py), which the app's
    settings point at; this loop's live_processes clients are closed after."""
    from todochat import live_processes
    from todochat.settings import settings

    from tests.throwaway_services import OwnRedis

    server = OwnRedis()
    server.start()
    monkeypatch.setattr(settings, "REDIS_URL", server.url)
    yield server
    await live_processes.close_connections()
    server.stop()
