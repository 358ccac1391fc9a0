"""Migrated databases made once per session, handed to each test as if new.

Running Alembic costs about 0.3 s per database, and most tests want a database at the
newest revision. So Alembic runs once per session and per database kind:

- SQLite: Alembic migrates one template file; each test gets a byte-for-byte copy of it
  at its own path (a new file, a new URL, nothing shared).
- PostgreSQL: Alembic migrates one spare schema. A test's own (empty, uniquely named)
  schema is swapped for it by renaming, so the test still has a URL of its own. Afterwards
  every row is deleted and every sequence restarted (ids start at 1 again, as in a new
  database) and the schema goes back to being the spare. A schema a test changed (its
  Alembic revision or its tables differ) or that cannot be cleared is dropped instead,
  and Alembic migrates a new spare when the next test asks.

Tests of the migrations themselves use ``empty_db_url`` and run Alembic for real.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import sqlalchemy as sa

from todochat import migrate
from todochat.db import normalize_url


def postgres_schema_url(base: str, schema: str) -> str:
    # psycopg passes libpq ``options`` through: every connection starts in this schema.
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def new_schema_name(prefix: str = "t") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


class SqliteTemplate:
    """One SQLite file migrated by Alembic, copied for each test."""

    def __init__(self, directory: Path):
        self.path = directory / "template.db"
        self._made = False

    def copy_to(self, url: str) -> None:
        if not self._made:
            # Alembic's own engine (NullPool) is closed when it returns: the file is complete,
            # with no journal beside it.
            migrate.upgrade(f"sqlite:///{self.path}")
            self._made = True
        target = Path(url.removeprefix("sqlite:///"))
        if target.exists():
            raise RuntimeError(f"{target} already exists: a test database must be new")
        shutil.copyfile(self.path, target)


class PostgresSchemas:
    """One PostgreSQL schema migrated by Alembic, lent to one test at a time."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        # One connection kept for the session: a new one per schema statement costs more than the statement.
        self.admin = sa.create_engine(normalize_url(base_url), pool_size=1, max_overflow=2)
        self.spare: str | None = None
        self.revision: str | None = None
        self.tables: list[str] = []  # children before parents: the order rows can be deleted in

    def _migrate_spare(self) -> str:
        name = new_schema_name("tpl")
        with self.admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        migrate.upgrade(postgres_schema_url(self.base_url, name))
        with self.admin.connect() as connection:
            revision = connection.execute(sa.text(f'SELECT version_num FROM "{name}".alembic_version')).scalar_one()
            metadata = sa.MetaData()
            metadata.reflect(connection, schema=name)
        tables = [t.name for t in reversed(metadata.sorted_tables) if t.name != "alembic_version"]
        if self.revision is None:
            self.revision, self.tables = revision, tables
        elif (revision, sorted(tables)) != (self.revision, sorted(self.tables)):
            raise RuntimeError("Alembic made a different schema than earlier in this session")
        return name

    def lend(self, schema: str) -> None:
        """Turn ``schema`` (empty, just made for one test) into a migrated one."""
        spare = self.spare or self._migrate_spare()
        self.spare = None
        with self.admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}"'))
            connection.execute(sa.text(f'ALTER SCHEMA "{spare}" RENAME TO "{schema}"'))

    def take_back(self, schema: str) -> None:
        """After the test: clear ``schema`` and keep it as the spare, or leave it to be dropped.

        Either way an empty schema called ``schema`` is left, for its owner to drop.
        """
        spare = new_schema_name("tpl")
        try:
            with self.admin.begin() as connection:
                connection.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
                if not self._unchanged(connection, schema):
                    return
                for table in self.tables:
                    connection.execute(sa.text(f'DELETE FROM "{schema}"."{table}"'))
                sequences = connection.execute(
                    sa.text("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = :s"),
                    {"s": schema},
                ).scalars()
                for sequence in list(sequences):
                    connection.execute(sa.text(f'ALTER SEQUENCE "{schema}"."{sequence}" RESTART'))
                connection.execute(sa.text(f'ALTER SCHEMA "{schema}" RENAME TO "{spare}"'))
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        except sa.exc.DBAPIError:
            return  # e.g. a lock still held: the owner drops this schema, a new spare is migrated
        self.spare = spare

    def _unchanged(self, connection: sa.Connection, schema: str) -> bool:
        tables = set(
            connection.execute(
                sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            ).scalars()
        )
        if tables != {*self.tables, "alembic_version"}:
            return False
        versions = connection.execute(sa.text(f'SELECT version_num FROM "{schema}".alembic_version')).scalars().all()
        return versions == [self.revision]

    def close(self) -> None:
        if self.spare is not None:
            with self.admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{self.spare}" CASCADE'))
        self.admin.dispose()
