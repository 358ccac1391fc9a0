"""Shared fixtures: a real database per test (SQLite file, and PostgreSQL when
TEST_DATABASE_URL is set), migrated with Alembic, and the HTTP API on top of it.

Nothing here touches ``os.environ``: every ``Settings`` is built explicitly, so the
tests never depend on (or leak into) the environment they run in.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from todochat import migrate
from todochat.api import create_api
from todochat.auth.accounts import Auth
from todochat.db import get_engine, normalize_url
from todochat.settings import Settings

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


def _postgres_schema_url(base: str, schema: str) -> str:
    # psycopg passes libpq ``options`` through: every connection starts in this schema.
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of its own: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/test.db"
        yield url
        get_engine(url).dispose()
        return

    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        # On a laptop without PostgreSQL the SQLite half still runs; in CI (.ci/run sets
        # it) a missing database must fail loudly, never pass by skipping.
        if os.environ.get("CI"):
            pytest.fail("TEST_DATABASE_URL is not set in CI: the PostgreSQL tests cannot run")
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(normalize_url(base), poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_schema_url(base, schema)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.begin() as connection:
            connection.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """An empty database brought to the newest schema by Alembic (the only way it is made)."""
    migrate.upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = get_engine(db_url)
    yield engine
    engine.dispose()


# ---------------------------------------------------------------- settings and auth


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


@pytest.fixture
async def client_for() -> AsyncIterator[Callable[[Auth], httpx.AsyncClient]]:
    """Make an httpx client talking to ``create_api(auth)`` in-process; closed at teardown."""
    clients: list[httpx.AsyncClient] = []

    def make(auth: Auth) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_api(auth)), base_url=BASE_URL
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


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
