"""The offline model's phrase sets, read the way a user's message is: "add <text>" through
the offline parser, at the case's fixed clock.

Sets: ``tests/fixtures/date_phrases.jsonl`` (issue 11's measured set, also scored by
``bench/date_libraries.py``) and every ``tests/fixtures/phrases/*.jsonl``. One case per
line: ``{"class", "text", "now", "tz", "due", "repeat", "title"}`` plus optional
``"ambiguous": true`` (no date may be set: the words stay in the title). ``due`` is an ISO
date or local date-time (or null), ``repeat`` an RRULE without DTSTART (or null).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SETS = [FIXTURES / "date_phrases.jsonl", *sorted((FIXTURES / "phrases").glob("*.jsonl"))]


def load(*classes: str) -> list[dict]:
    """Every case of these classes (all classes if none named), from every set."""
    cases = []
    for path in SETS:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                case["where"] = f"{path.name}:{number}"
                if not classes or case["class"] in classes:
                    cases.append(case)
    return cases


@dataclass
class Reading:
    due: str | None
    repeat: str | None
    title: str


def read(text: str, now: dt.datetime) -> Reading:
    """What the offline model adds for "add <text>": the first task's due date, repeat rule
    and the titles of all tasks (" / " between them when the sentence was split)."""
    from todochat.chat.local_model import parse_command

    plan = parse_command("add " + text, now)
    tasks = [task for call in plan.calls if call.name == "add_tasks" for task in call.arguments["tasks"]]
    if not tasks:
        return Reading(None, None, "")
    first = tasks[0]
    return Reading(first.get("due"), first.get("recurrence"), " / ".join(t["title"] for t in tasks))


def rule_spelling(rule: str | None) -> str | None:
    """A rule in its one spelling (``recurrence.normalize``), so "+3FR" and "3FR" agree."""
    from todochat import recurrence

    if not rule:
        return None
    try:
        return recurrence.normalize(rule)
    except recurrence.RuleError:
        return f"unreadable: {rule}"


def _norm_title(title: str) -> str:
    return " ".join(title.lower().replace(",", " ").split())


def problems(case: dict) -> list[str]:
    """What the offline model gets wrong on one case; empty when it is right."""
    got = read(case["text"], dt.datetime.fromisoformat(case["now"]))
    found = []
    expected_due = None if case.get("ambiguous") else case["due"]
    if got.due != expected_due:
        found.append(f"due {got.due} != {expected_due}")
    if rule_spelling(got.repeat) != rule_spelling(case["repeat"]):
        found.append(f"repeat {got.repeat} != {case['repeat']}")
    if _norm_title(got.title) != _norm_title(case["title"]):
        found.append(f"title {got.title!r} != {case['title']!r}")
    return found


def case_id(case: dict) -> str:
    return f"{case['where']} {case['text']}"
