"""Several processes starting at once on one database (workers, hosts, deploys).

Found running two workers by hand (issue 13): on an empty database each made its own
signing key; without TODOCHAT_SECRET they could read ``instance/secret`` half written;
two ``migrate`` runs at once could fail; and a server whose secret did not open the stored
key answered sign-up with a 500 yet kept the new account.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from todochat import migrate
from todochat.auth.keys import KeyStore
from todochat.db import get_engine
from todochat.models import Jwks, User

from tests.conftest import sign_up

ROOT = Path(__file__).resolve().parents[1]
AT_ONCE = 8


def all_at_once(work, count: int = AT_ONCE) -> list:
    """Run ``work()`` in ``count`` threads released together; return what each returned."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work()
        except BaseException as exc:  # noqa: BLE001 (reported below, with the others)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_workers_starting_together_make_one_signing_key(engine):
    # Each worker has its own key store (its own process); they share only the database.
    kids = all_at_once(lambda: KeyStore(engine, "a-secret-of-16+chars").signing_key().kid)
    with Session(engine) as session:
        rows = session.exec(select(Jwks)).all()
    assert len(rows) == 1
    assert set(kids) == {rows[0].id}


def test_processes_starting_together_read_one_whole_secret(tmp_path):
    """Workers spawned together without TODOCHAT_SECRET: every one reads the same secret,
    none an empty or partial file, and no draft is left behind."""
    go = tmp_path / "go"
    program = (
        "import pathlib, time\n"
        "from todochat.settings import Settings\n"
        f"while not pathlib.Path({str(go)!r}).exists(): time.sleep(0.001)\n"
        "print(Settings().secret)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TODOCHAT_SECRET"}
    env["PYTHONPATH"] = str(ROOT)
    processes = [
        subprocess.Popen([sys.executable, "-c", program], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(AT_ONCE)
    ]
    go.touch()
    secrets = {process.communicate(timeout=120)[0].strip() for process in processes}
    assert all(process.returncode == 0 for process in processes)
    stored = (tmp_path / "instance" / "secret").read_text().strip()
    assert secrets == {stored} and len(stored) >= 32
    assert sorted(p.name for p in (tmp_path / "instance").iterdir()) == ["secret"]


@pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)
def test_two_migrations_at_once_both_succeed(empty_db_url):
    """Hosts or deploys starting together each run `migrate`: they take turns."""
    command = [sys.executable, "-m", "todochat.migrate", empty_db_url]
    runs = [subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    failures = [err for run in runs if (err := run.communicate(timeout=120)[1]) and run.returncode != 0]
    assert not failures, failures
    with get_engine(empty_db_url).connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    assert len(versions) == 1
    assert migrate.schema_diff(empty_db_url) == []


async def test_a_secret_that_cannot_open_the_key_refuses_sign_up_and_writes_nothing(
    engine, make_settings, client_for, auth
):
    from todochat.auth.accounts import Auth

    first = client_for(auth)
    await sign_up(first)  # the key is made, sealed with this server's secret
    misconfigured = client_for(Auth(engine, make_settings(TODOCHAT_SECRET="not-the-secret-it-was-made-with")))
    answer = await misconfigured.post(
        "/api/auth/sign-up/email", json={"name": "Ada", "email": "ada@example.com", "password": "correct-horse-42"}
    )
    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "SIGNING_KEY_UNAVAILABLE"
    assert "TODOCHAT_SECRET" not in answer.text  # the operator's detail goes to the log
    with Session(engine) as session:
        assert session.exec(select(User).where(User.email == "ada@example.com")).first() is None
