"""Alembic owns the schema: it must match the models, use Better Auth's names, and go down and up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from alembic import command
from todochat import migrate
from todochat.db import get_engine
from todochat.models import Account, Task, User

OUR_TABLES = {"user", "account", "jwks", "task", "chat_thread", "chat_item", "undo_action", "auth_session"}


def _tables(url: str) -> set[str]:
    return set(sa.inspect(get_engine(url)).get_table_names())


def _columns(url: str, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(get_engine(url)).get_columns(table)}


def test_upgrade_creates_every_table_and_matches_the_models(empty_db_url):
    assert not _tables(empty_db_url) & OUR_TABLES

    migrate.upgrade(empty_db_url)

    assert OUR_TABLES <= _tables(empty_db_url)
    assert migrate.schema_diff(empty_db_url) == []


def test_tables_use_better_auth_column_names(db_url):
    user = _columns(db_url, "user")
    account = _columns(db_url, "account")
    jwks = _columns(db_url, "jwks")

    assert {"id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"} <= user
    assert {"id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt"} <= account
    assert {"id", "publicKey", "privateKey", "createdAt", "expiresAt", "alg", "crv"} <= jwks
    # No snake_case twins of Better Auth's camelCase columns.
    assert not {"email_verified", "created_at", "user_id", "provider_id"} & (user | account)
    assert not {"public_key", "private_key"} & jwks


def test_user_email_is_unique_and_tasks_reference_users(db_url):
    inspector = sa.inspect(get_engine(db_url))
    unique_columns = [u["column_names"] for u in inspector.get_unique_constraints("user")]
    unique_columns += [i["column_names"] for i in inspector.get_indexes("user") if i["unique"]]
    assert ["email"] in unique_columns

    task_fks = {fk["referred_table"]: fk for fk in inspector.get_foreign_keys("task")}
    assert task_fks["user"]["constrained_columns"] == ["user_id"]
    account_fks = {fk["referred_table"]: fk for fk in inspector.get_foreign_keys("account")}
    assert account_fks["user"]["constrained_columns"] == ["userId"]


def test_downgrade_to_base_then_upgrade_again(db_url):
    config = migrate.alembic_config(db_url)

    command.downgrade(config, "base")
    assert not _tables(db_url) & OUR_TABLES

    migrate.upgrade(db_url)
    assert OUR_TABLES <= _tables(db_url)
    assert migrate.schema_diff(db_url) == []

    # The re-created schema is usable: a user with an account and a task round-trips.
    engine = get_engine(db_url)
    with Session(engine) as session:
        user = User(id="u1", name="Ada", email="ada@example.com")
        session.add(user)
        session.flush()
        session.add(Account(account_id="u1", provider_id="credential", user_id="u1", password="x:y"))
        session.add(Task(user_id="u1", title="Check migrations", due_date=dt.date(2026, 11, 23)))
        session.commit()
    with Session(engine) as session:
        assert session.exec(select(Task.title).where(Task.user_id == "u1")).all() == ["Check migrations"]
        assert session.exec(select(Account.provider_id)).all() == ["credential"]


def test_upgrade_is_idempotent(db_url):
    migrate.upgrade(db_url)
    migrate.upgrade(db_url)
    assert migrate.schema_diff(db_url) == []


def test_deleting_a_user_deletes_their_tasks_and_accounts(db_url):
    engine = get_engine(db_url)
    with Session(engine) as session:
        session.add(User(id="gone", name="Gone", email="gone@example.com"))
        session.flush()
        session.add(Account(account_id="gone", provider_id="credential", user_id="gone"))
        session.add(Task(user_id="gone", title="orphan?"))
        session.commit()
    with Session(engine) as session:
        session.delete(session.get(User, "gone"))
        session.commit()
    with Session(engine) as session:
        assert session.exec(select(Task)).all() == []
        assert session.exec(select(Account)).all() == []


def _better_auth_ddl() -> list[str]:
    text = (Path(__file__).parent / "fixtures" / "better_auth_schema.sql").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [statement for statement in text.split(";") if statement.strip()]


def test_a_database_better_auth_created_can_be_migrated_and_its_users_sign_in(
    empty_db_url, better_auth
):
    from todochat.auth.accounts import Auth
    from todochat.settings import Settings

    engine = get_engine(empty_db_url)
    sqlite = engine.dialect.name == "sqlite"
    fixture = better_auth["issuer_a"]
    with engine.begin() as connection:
        for statement in _better_auth_ddl():
            connection.exec_driver_sql(statement)
        for user in fixture["users"]:
            connection.execute(
                sa.text(
                    'INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt") '
                    "VALUES (:id, :name, :email, :verified, :created, :updated)"
                ),
                {
                    "id": user["id"],
                    "name": user["name"],
                    "email": user["email"],
                    "verified": 0 if sqlite else False,
                    "created": user["createdAt"],
                    "updated": user["updatedAt"],
                },
            )
        for account in fixture["accounts"]:
            connection.execute(
                sa.text(
                    'INSERT INTO account (id, "accountId", "providerId", "userId", password, '
                    '"createdAt", "updatedAt") VALUES (:id, :aid, :pid, :uid, :pw, :created, :updated)'
                ),
                {
                    "id": account["id"],
                    "aid": account["accountId"],
                    "pid": account["providerId"],
                    "uid": account["userId"],
                    "pw": account["password"],
                    "created": account["createdAt"],
                    "updated": account["updatedAt"],
                },
            )

    migrate.upgrade(empty_db_url)

    assert OUR_TABLES <= _tables(empty_db_url)
    auth = Auth(engine, Settings(DATABASE_URL=empty_db_url, TODOCHAT_SECRET="test-secret-of-16+chars"))
    for email, password in fixture["passwords"].items():
        assert auth.sign_in(email, password).email == email


def _user_row(connection, now: dt.datetime) -> None:
    """User u1, written straight into the table (the tests below predate the models)."""
    connection.execute(sa.text(
        'INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt") '
        "VALUES ('u1', 'U', 'u@example.com', false, :now, :now)").bindparams(
        sa.bindparam("now", type_=sa.DateTime)), {"now": now})


def test_due_key_is_backfilled_for_tasks_made_before_it_existed(empty_db_url):
    """Upgrading a database whose tasks predate ``due_key`` keeps their due order."""
    migrate.upgrade(empty_db_url, "0002")
    engine = get_engine(empty_db_url)
    now = dt.datetime(2026, 11, 23, 10, 0)
    with engine.begin() as connection:
        _user_row(connection, now)
        for title, due_date, due_time in (
            ("undated", None, None), ("friday", dt.date(2026, 11, 27), None), ("friday 9am", dt.date(2026, 11, 27), dt.time(9, 0)),
        ):
            connection.execute(sa.text(
                "INSERT INTO task (user_id, title, notes, completed, priority, due_date, due_time, tags, position, "
                "created_at, updated_at) VALUES ('u1', :title, '', false, 'medium', :d, :t, ' ', 0, :now, :now)").bindparams(
                sa.bindparam("d", type_=sa.Date), sa.bindparam("t", type_=sa.Time), sa.bindparam("now", type_=sa.DateTime)),
                {"title": title, "d": due_date, "t": due_time, "now": now})
    engine.dispose()

    migrate.upgrade(empty_db_url)

    from todochat.tasks import TaskFilter, TaskService

    with Session(get_engine(empty_db_url)) as session:
        titles = [t.title for t in TaskService(session, "u1").list(TaskFilter(), sort="due").items]
    assert titles == ["friday 9am", "friday", "undated"]
    assert migrate.schema_diff(empty_db_url) == []


def _task_rows(url: str, rows: list[tuple[str, str | None]], *, due: dt.date) -> None:
    """Tasks written straight into the table as the schema of the moment has it."""
    engine = get_engine(url)
    now = dt.datetime(2026, 11, 23, 10, 0)
    with engine.begin() as connection:
        _user_row(connection, now)
        for title, repeat in rows:
            connection.execute(sa.text(
                "INSERT INTO task (user_id, title, notes, completed, priority, due_date, tags, recurrence, position, "
                "due_key, created_at, updated_at) VALUES ('u1', :title, '', false, 'medium', :d, ' ', :r, 0, :key, :now, :now)"
            ).bindparams(sa.bindparam("d", type_=sa.Date), sa.bindparam("key", type_=sa.DateTime),
                         sa.bindparam("now", type_=sa.DateTime)),
                {"title": title, "d": due, "r": repeat, "key": dt.datetime.combine(due, dt.time(23, 59, 59)), "now": now})
    engine.dispose()


def _repeats(url: str) -> dict[str, str | None]:
    engine = get_engine(url)
    with Session(engine) as session:
        found = {t.title: t.recurrence for t in session.exec(select(Task))}
    engine.dispose()
    return found


def test_the_five_old_repeat_words_become_rules_and_still_repeat(empty_db_url):
    """Issue 11: a database of revision 0005 stored repeats as five words in 8 characters."""
    from todochat.tasks import TaskFilter, TaskService

    migrate.upgrade(empty_db_url, "0005")
    friday = dt.date(2026, 11, 27)
    words = ["daily", "weekdays", "weekly", "monthly", "yearly"]
    _task_rows(empty_db_url, [(word, word) for word in words] + [("once", None)], due=friday)

    migrate.upgrade(empty_db_url)

    assert _repeats(empty_db_url) == {
        "daily": "FREQ=DAILY", "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "weekly": "FREQ=WEEKLY",
        "monthly": "FREQ=MONTHLY", "yearly": "FREQ=YEARLY", "once": None,
    }
    assert migrate.schema_diff(empty_db_url) == []
    # The app completes each on its due day and schedules what the word meant.
    on_friday = lambda: dt.datetime(2026, 11, 27, 12, tzinfo=dt.timezone.utc)  # noqa: E731
    with Session(get_engine(empty_db_url)) as session:
        tasks = TaskService(session, "u1", clock=on_friday)
        nexts = {}
        for task in tasks.list(TaskFilter(status="open", search=None)).items:
            _, spawned = tasks.complete(task.id)
            nexts[task.title] = (spawned.due_date.isoformat(), spawned.recurrence) if spawned else None
        session.commit()
    assert nexts == {
        "daily": ("2026-11-28", "FREQ=DAILY"),
        "weekdays": ("2026-11-30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),  # Friday -> Monday
        "weekly": ("2026-12-04", "FREQ=WEEKLY"),
        "monthly": ("2026-12-27", "FREQ=MONTHLY"),
        "yearly": ("2027-11-27", "FREQ=YEARLY"),
        "once": None,
    }


def test_downgrading_turns_the_five_rules_back_into_words_and_drops_the_rest(empty_db_url):
    migrate.upgrade(empty_db_url)
    long_rule = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;UNTIL=20271231"
    _task_rows(empty_db_url, [("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"), ("monthly", "FREQ=MONTHLY"),
                              ("every other tuesday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"), ("last weekday", long_rule),
                              ("once", None)], due=dt.date(2026, 11, 24))

    command.downgrade(migrate.alembic_config(empty_db_url), "0005")

    assert _repeats(empty_db_url) == {"weekdays": "weekdays", "monthly": "monthly", "every other tuesday": None,
                                      "last weekday": None, "once": None}
    migrate.upgrade(empty_db_url)
    assert _repeats(empty_db_url)["weekdays"] == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert migrate.schema_diff(empty_db_url) == []
