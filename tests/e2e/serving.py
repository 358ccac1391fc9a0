"""`make serve` as the browser tests and the load test start it: on a PostgreSQL schema of
their own, with the settings make serve decides left to it, by the very command `make -n
serve` prints (so the Makefile's recipe is what runs)."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests.db_templates import new_schema_name, postgres_schema_url
from tests.e2e.conftest import reflex_env
from todochat.db import normalize_url

# What make serve decides (APP_URL follows PORT; WORKERS, the pool), never whatever the
# test process was given.
DECIDED_BY_MAKE_SERVE = ("APP_URL", "CORS_ORIGINS", "CHATKIT_DOMAIN_KEY", "WORKERS", "DATABASE_POOL_SIZE",
                         "DATABASE_MAX_OVERFLOW", "MAKEFLAGS", "MAKELEVEL")


@contextmanager
def postgres_schema(server_url: str, prefix: str) -> Iterator[str]:
    """A schema of its own on ``server_url``, dropped afterwards; yields its DATABASE_URL."""
    schema = new_schema_name(prefix)
    admin = sa.create_engine(normalize_url(server_url), poolclass=sa.NullPool)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_schema_url(server_url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def serve_env(database_url: str, redis_url: str, **settings: str) -> dict[str, str]:
    """The environment for make serve: a new TODOCHAT_SECRET each time (Redis keeps HMACs
    under it for minutes: an earlier run's must not count), then ``settings``."""
    env = {**reflex_env(), "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "TODOCHAT_SECRET": secrets.token_urlsafe(24)}
    for name in DECIDED_BY_MAKE_SERVE:
        env.pop(name, None)
    env.update(settings)
    return env


def model_at(base_url: str) -> dict[str, str]:
    """Settings for a model served at ``base_url`` (tests/fake_openai.py) over Chat Completions."""
    return {"TODOCHAT_MODEL": "openai:gpt-test", "OPENAI_API_KEY": "sk-e2e", "OPENAI_BASE_URL": base_url,
            "OPENAI_API": "chat_completions"}


def serve_command(project: Path, env: dict[str, str], *variables: str) -> str:
    """The command `make -n serve VARIABLES...` prints, to run with ``bash -c``."""
    printed = subprocess.run(["make", "-s", "-n", "serve", *variables], cwd=project, env=env, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()
    if not printed or "-m todochat.serve" not in printed[-1]:
        raise RuntimeError(f"make -n serve printed no serve command: {printed}")
    return printed[-1]
