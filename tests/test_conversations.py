"""Conversations with the offline model, turn by turn, through the ChatKit server (the
code path of POST /chatkit): tests/fixtures/conversations.jsonl.

Each line: ``id``, ``given`` (the user's tasks before; ids 1, 2, … in that order),
``turns`` and optionally ``postgres: true`` (run on PostgreSQL too). A turn says
something (``say``), in the conversation so far, or in another one (``"thread": "b"``),
and ``expect``s what the user then sees:

- ``count``, ``tasks``, ``absent``, ``mentions``, ``not_mentions``: as in nl_commands.jsonl
  (todochat.chat.eval_judge.judge), the mentions read in the turn's replies and in the
  words of the cards it showed or changed in place;
- ``unchanged: true``: the user's tasks are exactly as before the turn;
- ``cards``: how many new cards the turn showed.

Clock 2026-11-23T10:00 UTC, a Monday (tests.chat_helpers.NOW).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.chat_helpers import collect, context, make_user, tree
from todochat.chat.client import ChatClient
from todochat.chat.eval_judge import judge
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.chat.which_task import question_text
from todochat.chat.widgets import widget_text
from todochat.db import session_scope
from todochat.tasks import TaskCreate, TaskFilter, TaskService, task_to_json

FIXTURE = Path(__file__).parent / "fixtures" / "conversations.jsonl"
CASES = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]
TURN_KEYS = {"say", "thread", "expect"}
EXPECT_KEYS = {"count", "tasks", "absent", "mentions", "not_mentions", "unchanged", "cards"}

RUNS = [pytest.param("sqlite", case, id=case["id"]) for case in CASES] + [
    pytest.param("postgresql", case, id=f"{case['id']}-pg") for case in CASES if case.get("postgres")
]


def test_the_conversations_are_well_formed() -> None:
    assert len(CASES) >= 40
    assert len({case["id"] for case in CASES}) == len(CASES)
    for case in CASES:
        assert set(case) <= {"id", "given", "turns", "postgres"}, case["id"]
        assert case["turns"], case["id"]
        for turn in case["turns"]:
            assert set(turn) <= TURN_KEYS and turn.get("say"), (case["id"], turn)
            assert set(turn.get("expect", {})) <= EXPECT_KEYS, (case["id"], turn)
    assert sum(bool(case.get("postgres")) for case in CASES) >= 10


def all_tasks(engine, user_id: str) -> list[dict]:
    with session_scope(engine) as session:
        page = TaskService(session, user_id).list(TaskFilter(status="all"), sort="created", limit=200)
        return [task_to_json(task) for task in page.items]


def seen(events: list) -> tuple[str, int]:
    """What the user sees of one turn: replies, and the words on each card it showed or
    replaced; and how many new cards it showed."""
    parts: list[str] = []
    cards = 0
    for event in events:
        if event.type == "thread.item.done" and event.item.type == "assistant_message":
            parts.append("".join(part.text for part in event.item.content))
        elif event.type in ("thread.item.done", "thread.item.replaced") and event.item.type == "widget":
            parts.append(widget_text(tree(event.item)))
        elif event.type == "thread.item.done" and event.item.type == "structured_input":
            parts.append(question_text(event.item))
            cards += event.type == "thread.item.done"
    return "\n".join(parts), cards


@pytest.mark.parametrize(("empty_db_url", "case"), RUNS, indirect=["empty_db_url"])
async def test_conversation(engine, case: dict) -> None:
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    user_id = make_user(engine, "talker@example.com")
    with session_scope(engine) as session:
        TaskService(session, user_id).create_many([TaskCreate.model_validate(task) for task in case.get("given", [])])
    chat = ChatClient(server, context(engine, user_id))
    threads: dict[str, str] = {}
    transcript: list[str] = []
    for number, turn in enumerate(case["turns"], 1):
        name = turn.get("thread", "a")
        before = all_tasks(engine, user_id)
        events = await collect(
            chat.send(threads[name], turn["say"]) if name in threads else chat.create_thread(turn["say"])
        )
        threads.setdefault(name, events[0].thread.id if events and events[0].type == "thread.created" else "")
        errors = [event for event in events if event.type == "error"]
        text, cards = seen(events)
        transcript.append(f"> {turn['say']}\n{text}")
        after = all_tasks(engine, user_id)
        expect = dict(turn.get("expect", {}))
        reasons = judge({k: v for k, v in expect.items() if k not in ("unchanged", "cards")}, after, text)
        if errors:
            reasons.append(f"error: {errors[0].message}")
        if expect.get("unchanged") and after != before:
            reasons.append("the tasks changed")
        if "cards" in expect and cards != expect["cards"]:
            reasons.append(f"expected {expect['cards']} new card(s), saw {cards}")
        assert not reasons, "\n".join(
            [f"turn {number}: {turn['say']!r}", *reasons, "", *transcript, "", json.dumps(after, indent=1)]
        )
