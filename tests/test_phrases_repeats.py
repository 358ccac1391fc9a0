"""Issue 11, repeats: what the offline model reads from "add <text>" when the text says
how often — every repeat case of the phrase sets (``date_phrases.jsonl`` class "repeat"
and ``phrases/repeats.jsonl``), the adjectives that are not repeats ("the weekly report"),
and every negative written for repeats (no repeat is set and every word stays).

Rules are compared in ``recurrence.normalize`` spelling (``phrase_cases``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.phrase_cases import case_id, load, problems
from todochat.chat.local_model import parse_command

MONDAY = dt.datetime(2026, 11, 23, 10, 0)

# Negatives of the measured set that are about repeats: an adjective before a noun.
_ADJECTIVES = {"review the weekly report", "clean up the daily standup notes"}

CASES = load("repeat") + [
    case for case in load("negative") if case["text"] in _ADJECTIVES or case["where"].startswith("repeats.jsonl")
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_repeat_phrase(case: dict) -> None:
    assert problems(case) == []


# The update path: a repeat said about an existing task becomes the same rule.
UPDATES = [
    ("make the gym repeat every mon, wed and fri", {"reference": "gym", "recurrence": "FREQ=WEEKLY;BYDAY=MO,WE,FR"}),
    ("the gym should repeat every other week", {"reference": "gym", "recurrence": "FREQ=WEEKLY;INTERVAL=2"}),
    ("pay rent should repeat on the 1st of every month", {"reference": "pay rent", "recurrence": "FREQ=MONTHLY;BYMONTHDAY=1"}),
    ("set the standup to repeat every weekday", {"reference": "standup", "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}),
    ("make water plants repeat every 3 days starting tomorrow",
     {"reference": "water plants", "recurrence": "FREQ=DAILY;INTERVAL=3", "due": "2026-11-24"}),
    ("change the gym to repeat every tuesday and thursday until dec 31",
     {"reference": "gym", "recurrence": "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231"}),
    ("repeat call mom every sunday", {"reference": "call mom", "recurrence": "FREQ=WEEKLY;BYDAY=SU"}),
    ("make budget a monthly task", {"reference": "budget", "recurrence": "FREQ=MONTHLY"}),
    ("make review the weekly report repeat monthly", {"reference": "review weekly report", "recurrence": "FREQ=MONTHLY"}),
    ("stop repeating the gym", {"reference": "gym", "clear_recurrence": True}),
    ("the gym shouldn't repeat anymore", {"reference": "gym", "clear_recurrence": True}),
]


@pytest.mark.parametrize(("text", "arguments"), UPDATES, ids=[text for text, _ in UPDATES])
def test_repeat_update(text: str, arguments: dict) -> None:
    plan = parse_command(text, MONDAY)
    assert [(call.name, call.arguments) for call in plan.calls] == [("update_task", arguments)]


def test_a_repeat_update_only_partly_understood_changes_nothing() -> None:
    plan = parse_command("make budget repeat every few days", MONDAY)
    assert plan.calls == () and "every 3 days" in plan.reply
