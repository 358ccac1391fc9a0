"""The ``db_url`` databases (tests/db_templates.py) are what a new, migrated database is:
Alembic's newest revision, no rows, ids from 1, whatever the test before did."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from todochat import migrate
from todochat.db import session_scope
from todochat.models import Task, User

ROW_TABLES = ["user", "account", "jwks", "task", "chat_thread", "chat_item", "undo_action", "auth_session"]


def _rows(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t: connection.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in ROW_TABLES}


def _head() -> str:
    return ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_current_head()


# Two tests doing the same: the second runs on what the first left (the same PostgreSQL
# schema, cleared) and must see a new database all the same.
@pytest.mark.parametrize("turn", ["first", "second"])
def test_a_database_starts_empty_at_the_newest_revision_with_ids_from_1(engine, turn):
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [_head()]
    assert _rows(engine) == dict.fromkeys(ROW_TABLES, 0)

    with session_scope(engine) as session:
        session.add(User(id="u1", name="Ada", email="ada@example.com"))
        session.flush()
        first, second = Task(user_id="u1", title="one"), Task(user_id="u1", title="two")
        session.add_all([first, second])
        session.flush()
        assert (first.id, second.id) == (1, 2)

