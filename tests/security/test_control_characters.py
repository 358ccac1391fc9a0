"""Issue 9, findings 9 and 10: NUL characters were a 500 on PostgreSQL, and control
characters and bidi overrides were stored and printed raw (terminal escape injection)."""

from __future__ import annotations

import io

from tests.chat_helpers import make_user
from tests.conftest import DEFAULT_PASSWORD
from todochat import cli
from todochat.db import session_scope
from todochat.models import Task, due_key_of
from todochat.chat.client import decode_sse, user_input


async def test_nul_in_a_name_or_email_is_a_clear_4xx(client):
    for body in (
        {"name": "Ada\x00", "email": "ada@example.com", "password": DEFAULT_PASSWORD},
        {"name": "Ada", "email": "ada\x00@example.com", "password": DEFAULT_PASSWORD},
        {"name": "Ada", "email": "ada@exa\x1bmple.com", "password": DEFAULT_PASSWORD},
    ):
        response = await client.post("/api/auth/sign-up/email", json=body)
        assert response.status_code == 400, response.text
        assert response.json()["code"] in ("INVALID_NAME", "INVALID_EMAIL")
    signing_in = await client.post("/api/auth/sign-in/email", json={"email": "a\x00@example.com", "password": "x" * 8})
    assert signing_in.status_code == 401


async def test_control_characters_are_stripped_from_names(client):
    body = {"name": "Ada\x1b[31m \u202eevil", "email": "ada@example.com", "password": DEFAULT_PASSWORD}
    response = await client.post("/api/auth/sign-up/email", json=body)
    assert response.status_code == 200 and response.json()["user"]["name"] == "Ada[31m evil"


async def test_a_chat_message_with_nul_gets_a_clean_reply(client, signup):
    ada = await signup(client)
    request = {"type": "threads.create", "params": {"input": user_input("add pay\x00 rent\x1b[2J")}}
    response = await client.post("/chatkit", json=request, headers=ada.headers)
    assert response.status_code == 200
    events = decode_sse(response.content)
    assert not [e for e in events if e.type == "error"], events
    thread = await client.post(
        "/chatkit", json={"type": "threads.get_by_id", "params": {"thread_id": events[0].thread.id}}, headers=ada.headers
    )
    title = thread.json()["title"]
    assert "\x00" not in title and "\x1b" not in title


def test_the_cli_never_prints_control_characters_from_older_rows(engine, db_url):
    """Rows written before input was cleaned (or straight into the database) still hold
    escapes: the CLI's output, the task list and the assistant's reply, leaves them out."""
    user_id = make_user(engine, "old@example.com")
    with session_scope(engine) as session:
        session.add(Task(user_id=user_id, title="pay\x1b[2J rent\x07 \u202eevil", due_key=due_key_of(None, None)))
    for command in (["tasks"], ["say", "show my tasks"]):
        out = io.StringIO()
        assert cli.main(["--db", db_url, "--user", "old@example.com", *command], out=out) == 0
        printed = out.getvalue()
        assert "pay[2J rent evil" in printed
        assert not any(ch in printed for ch in ("\x1b", "\x07", "\u202e")), (command, printed)


async def test_a_title_of_only_invisible_characters_is_empty(client, signup):
    """Found by the hostile review of issue 9: a zero-width space alone made a blank row."""
    ada = await signup(client)
    for title in ("\u200b", "\u200b\ufeff \u2060", "\u00ad"):
        response = await client.post("/api/tasks", json={"title": title}, headers=ada.headers)
        assert response.status_code == 422 and "empty" in response.text, title
    family = (await client.post("/api/tasks", json={"title": "call 👨\u200d👩\u200d👧"}, headers=ada.headers)).json()
    assert family["title"] == "call 👨\u200d👩\u200d👧"
