"""Apply or check Alembic migrations (the only way the schema is created or changed).

``python -m todochat.migrate`` upgrades DATABASE_URL to the newest revision; ``make run``
and ``make test`` call it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import todochat.models  # noqa: F401  (every table on the metadata)
from alembic import command
from todochat.db import get_engine, normalize_url
from todochat.settings import settings

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["url"] = normalize_url(url or settings.DATABASE_URL)
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def schema_diff(url: str | None = None) -> list:
    """What autogenerate would change: empty when models and migrations agree."""
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, SQLModel.metadata)


if __name__ == "__main__":
    upgrade(sys.argv[1] if len(sys.argv) > 1 else None)
