"""Every line of nl_commands.jsonl through the CLI path: seed → say → tasks (offline model).

Clock 2026-11-23T10:00 (a Monday), zone UTC, as the fixture's README says. Cases are read
and judged by ``todochat.chat.evaluation``, the code behind ``cli eval``, so this test and
the eval agree on what passing a case means.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from todochat.chat.evaluation import FIXTURE_NOW, FIXTURE_TZ, Case, judge, load_cases
from todochat.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "nl_commands.jsonl"
CASES = load_cases(FIXTURE)


def run(args: list[str]) -> str:
    out = io.StringIO()
    assert main(args, out=out) == 0, out.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_nl_command(case: Case, tmp_path: Path):
    clock = ["--now", case.now or FIXTURE_NOW, "--tz", case.tz or FIXTURE_TZ]
    base = ["--db", f"sqlite:///{tmp_path}/nl.db", "--user", "nl@example.com", *clock]
    seed_file = tmp_path / "given.json"
    seed_file.write_text(json.dumps(list(case.given)))
    run([*base, "seed", str(seed_file)])

    reply = run([*base, "say", case.say])
    tasks = json.loads(run([*base, "tasks", "--json"]))

    reasons = judge(case.expect, tasks, reply)
    assert not reasons, "\n".join([*reasons, "reply:", reply, "tasks:", json.dumps(tasks, indent=1)])
