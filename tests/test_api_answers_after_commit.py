"""A task write is answered only once it is committed: the client that got 201 (or 200)
and asks again at once, on another connection (another worker, behind nginx), finds what
it wrote. Found by bench/load.py: FastAPI ends a ``yield`` dependency (where the
transaction commits) after the response is sent, unless its scope is "function".

Over real HTTP (uvicorn on 127.0.0.1), with each commit made slow, so that answering
first would always show.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest
import sqlalchemy as sa

from todochat.api import create_api
from todochat.auth.accounts import Auth

from tests.live_server import serving

SLOW_COMMIT_SECONDS = 0.5


@pytest.fixture
def live_api(engine, make_settings):
    with serving(create_api(Auth(engine, make_settings()))) as url:
        yield url


@pytest.fixture
def slow_commits(engine):
    """Each commit of a transaction that wrote a task takes SLOW_COMMIT_SECONDS (others,
    such as the reader's, do not)."""
    task_write = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?task\b", re.I)

    def noticing(connection, cursor, statement, *args) -> None:
        if task_write.match(statement):
            connection.info["wrote a task"] = True

    def slowly(connection) -> None:
        if connection.info.pop("wrote a task", False):
            time.sleep(SLOW_COMMIT_SECONDS)

    sa.event.listen(engine, "before_cursor_execute", noticing)
    sa.event.listen(engine, "commit", slowly)
    yield
    sa.event.remove(engine, "commit", slowly)
    sa.event.remove(engine, "before_cursor_execute", noticing)


def test_what_the_api_said_it_wrote_is_there_when_asked_at_once(live_api, slow_commits):
    with httpx.Client(base_url=live_api, timeout=30) as writer, httpx.Client(base_url=live_api, timeout=30) as reader:
        signed_up = writer.post("/api/auth/sign-up/email",
                                json={"name": "Ada", "email": "ada@example.com", "password": "correct-horse-42"})
        headers = {"Authorization": f"Bearer {signed_up.json()['token']}"}

        created = writer.post("/api/tasks", json={"title": "pay rent"}, headers=headers)
        assert created.status_code == 201
        task_id = created.json()["id"]
        assert reader.get(f"/api/tasks/{task_id}", headers=headers).status_code == 200

        patched = writer.patch(f"/api/tasks/{task_id}", json={"priority": "high"}, headers=headers)
        assert patched.status_code == 200
        assert reader.get(f"/api/tasks/{task_id}", headers=headers).json()["priority"] == "high"

        assert writer.delete(f"/api/tasks/{task_id}", headers=headers).status_code in (200, 204)
        assert reader.get(f"/api/tasks/{task_id}", headers=headers).status_code == 404
