"""Every line of nl_commands.jsonl through the CLI path: seed → say → tasks (offline model).

Clock 2026-11-23T10:00 (a Monday), zone UTC, as the fixture's README says.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from todochat.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "nl_commands.jsonl"
CASES = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]
CLOCK = ["--now", "2026-11-23T10:00", "--tz", "UTC"]


def run(args: list[str]) -> str:
    out = io.StringIO()
    assert main(args, out=out) == 0, out.getvalue()
    return out.getvalue()


def matches(task: dict, expected: dict) -> bool:
    for key, value in expected.items():
        if key == "title":
            if task["title"].lower() != value.lower():
                return False
        elif task.get(key) != value:
            return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_nl_command(case: dict, tmp_path: Path):
    base = ["--db", f"sqlite:///{tmp_path}/nl.db", "--user", "nl@example.com", *CLOCK]
    seed_file = tmp_path / "given.json"
    seed_file.write_text(json.dumps(case["given"]))
    run([*base, "seed", str(seed_file)])

    reply = run([*base, "say", case["say"]]).lower()
    tasks = json.loads(run([*base, "tasks", "--json"]))
    expect = case["expect"]
    state = json.dumps(tasks, indent=1)

    if "count" in expect:
        assert len(tasks) == expect["count"], f"reply:\n{reply}\ntasks:\n{state}"
    for wanted in expect.get("tasks", []):
        assert any(matches(t, wanted) for t in tasks), f"no task like {wanted}\nreply:\n{reply}\ntasks:\n{state}"
    for title in expect.get("absent", []):
        assert all(t["title"].lower() != title.lower() for t in tasks), f"{title!r} still there:\n{state}"
    for text in expect.get("mentions", []):
        assert text.lower() in reply, f"reply does not mention {text!r}:\n{reply}"
    for text in expect.get("not_mentions", []):
        assert text.lower() not in reply, f"reply mentions {text!r}:\n{reply}"
