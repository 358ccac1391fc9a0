"""Alembic environment: the schema is todochat.models; the URL is DATABASE_URL.

A caller (the tests, ``todochat.migrate``) may hand in its own URL with
``config.attributes["url"]`` or an open connection with ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool, text
from sqlmodel import SQLModel, create_engine

import todochat.models  # noqa: F401  (registers every table on SQLModel.metadata)
from todochat.db import normalize_url
from todochat.settings import settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return normalize_url(config.attributes.get("url") or settings.DATABASE_URL)


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _migrate(connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two `migrate` runs at once (hosts or deploys starting together) take turns: the
            # second reads the revision only once the first has committed, and finds nothing
            # to do. The lock is per schema and ends with the transaction.
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('todochat migrate ' || current_schema()))"))
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _migrate(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
