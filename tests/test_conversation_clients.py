"""A conversation with the offline model through the user-facing entry points: the command
line (`say --thread`, one process per turn, as a user types it) and POST /chatkit (what the
ChatKit web component calls). Each turn is a new request: all the model knows of the turns
before is what the thread holds.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from todochat import cli
from todochat.auth.accounts import Auth
from todochat.chat.client import decode_sse, user_input
from todochat.chat.which_task import question_text
from todochat.chat.widgets import widget_text


def run_cli(args: list[str], capsys) -> tuple[str, str]:
    out = io.StringIO()
    code = cli.main(args, out=out)
    printed, err = out.getvalue(), capsys.readouterr().err
    assert code == 0, (args, printed, err)
    return printed, err


@pytest.fixture
def cli_base(db_url, make_settings, monkeypatch) -> list[str]:
    monkeypatch.setattr(cli, "settings", make_settings(TODOCHAT_MODEL="local"))
    return ["--db", db_url, "--user", "ada@example.com", "--now", "2026-11-23T10:00", "--tz", "UTC"]


def tasks_by_cli(base: list[str], capsys) -> list[dict]:
    printed, _ = run_cli([*base, "tasks", "--json"], capsys)
    return json.loads(printed)


def test_it_and_undo_over_the_cli(cli_base, capsys):
    said, err = run_cli([*cli_base, "say", "add call the plumber"], capsys)
    assert "Added" in said
    thread = ["--thread", re.search(r"\(thread (\S+)\)", err).group(1)]

    said, _ = run_cli([*cli_base, "say", "make it high priority", *thread], capsys)
    assert "Updated" in said and "high" in said
    [task] = tasks_by_cli(cli_base, capsys)
    assert (task["title"], task["priority"]) == ("call the plumber", "high")

    said, _ = run_cli([*cli_base, "say", "undo that", *thread], capsys)
    assert "Undone: “call the plumber” is back as it was." in said
    [task] = tasks_by_cli(cli_base, capsys)
    assert task["priority"] == "medium"

    # Without --thread the conversation starts afresh: "it" means nothing there.
    said, _ = run_cli([*cli_base, "say", "mark it done"], capsys)
    assert "Which task do you mean?" in said
    assert not tasks_by_cli(cli_base, capsys)[0]["completed"]


def test_a_choice_answered_in_words_over_the_cli(cli_base, capsys, tmp_path):
    given = tmp_path / "given.json"
    given.write_text(json.dumps([{"title": "buy milk", "due": "2026-11-25"}, {"title": "buy milk"}]))
    run_cli([*cli_base, "seed", str(given)], capsys)
    said, err = run_cli([*cli_base, "say", "delete milk"], capsys)
    assert "Which “milk” should I delete?" in said
    thread = ["--thread", re.search(r"\(thread (\S+)\)", err).group(1)]

    said, _ = run_cli([*cli_base, "say", "the one due wednesday", *thread], capsys)
    assert "Deleted" in said
    [left] = tasks_by_cli(cli_base, capsys)
    assert (left["title"], left["due"]) == ("buy milk", None)


async def post(client, headers: dict, request: dict) -> tuple[str, list]:
    response = await client.post("/chatkit", json=request, headers=headers)
    assert response.status_code == 200, response.text
    events = decode_sse(response.content)
    assert not [e for e in events if e.type == "error"], events
    words = []
    for event in events:
        if event.type == "thread.item.done" and event.item.type == "assistant_message":
            words.append("".join(part.text for part in event.item.content))
        elif event.type in ("thread.item.done", "thread.item.replaced") and event.item.type == "widget":
            words.append(widget_text(event.item.widget.model_dump(mode="json", exclude_none=True)))
        elif event.type == "thread.item.done" and event.item.type == "structured_input":
            words.append(question_text(event.item))
    return "\n".join(words), events


async def test_a_conversation_over_post_chatkit(engine, make_settings, client_for, signup):
    client = client_for(Auth(engine, make_settings(TODOCHAT_MODEL="local")))
    ada = await signup(client)
    said, events = await post(
        client, ada.headers, {"type": "threads.create", "params": {"input": user_input("add call the plumber")}}
    )
    thread_id = events[0].thread.id

    async def say(text: str) -> str:
        request = {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": user_input(text)}}
        return (await post(client, ada.headers, request))[0]

    async def tasks() -> list[dict]:
        return (await client.get("/api/tasks?status=all", headers=ada.headers)).json()["items"]

    assert "Updated" in await say("tag it home")
    assert [(t["title"], t["tags"]) for t in await tasks()] == [("call the plumber", ["home"])]
    said = await say("undo that")
    assert "back as it was" in said
    assert [(t["title"], t["tags"]) for t in await tasks()] == [("call the plumber", [])]

    await say("add call the plumber")  # a second one of that name
    said = await say("complete plumber")
    assert "Which “plumber” should I mark done?" in said
    said = await say("both")
    assert said.count("Marked") == 2
    assert [t["completed"] for t in await tasks()] == [True, True]
    said = await say("undo")
    assert said.count("back as it was") == 2
    assert [t["completed"] for t in await tasks()] == [False, False]

    # Another user's thread is not theirs to continue, and none of their tasks moved.
    bob = await signup(client)
    response = await client.post(
        "/chatkit",
        json={"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": user_input("undo")}},
        headers=bob.headers,
    )
    assert response.status_code == 404
    assert [t["completed"] for t in await tasks()] == [False, False]
