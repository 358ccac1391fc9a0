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

from todochat.chat.eval_judge import judge
from todochat.chat.evaluation import FIXTURE_NOW, FIXTURE_TZ, Case, load_cases
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


def test_the_task_list_says_repeat_rules_in_words(tmp_path: Path, capsys):
    """Issue 11: ``cli tasks`` shows a rule as people say it; a rule that can never repeat
    its task is refused and nothing is seeded."""
    base = ["--db", f"sqlite:///{tmp_path}/nl.db", "--user", "nl@example.com", "--now", FIXTURE_NOW, "--tz", FIXTURE_TZ]
    seed_file = tmp_path / "given.json"
    seed_file.write_text(json.dumps([
        {"title": "team sync", "due": "2026-11-24", "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270331"},
        {"title": "book club", "due": "2026-12-18", "recurrence": "FREQ=MONTHLY;BYDAY=3FR"},
    ]))
    run([*base, "seed", str(seed_file)])
    listed = run([*base, "tasks"])
    assert "team sync  (due 2026-11-24, every other Tuesday until 31 Mar 2027)" in listed
    assert "book club  (due 2026-12-18, every month on the third Friday)" in listed

    seed_file.write_text(json.dumps([{"title": "feb 30", "due": "2026-11-24",
                                      "recurrence": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}]))
    out = io.StringIO()
    assert main([*base, "seed", str(seed_file)], out=out) != 0
    assert "Invalid task: This repeat never happens" in capsys.readouterr().err
    assert "feb 30" not in run([*base, "tasks"])


def test_seeding_names_the_task_and_field_that_is_refused(tmp_path: Path, capsys):
    """A bad task in a seed file is named by its place and field, in one line, and nothing
    is seeded (the same wording as the API and the editor)."""
    base = ["--db", f"sqlite:///{tmp_path}/seed.db", "--user", "seed@example.com"]
    seed_file = tmp_path / "given.json"
    seed_file.write_text(json.dumps([{"title": "fine"}, {"title": "x" * 501}]))
    assert main([*base, "seed", str(seed_file)], out=io.StringIO()) != 0
    err = capsys.readouterr().err.strip()
    assert err == "error: Invalid task 2: Title must be at most 500 characters"
    assert "fine" not in run([*base, "tasks"])


def test_stop_repeating_clears_the_rule(tmp_path: Path):
    """The offline model reads "stop repeating the gym" as update_task(clear_recurrence=True);
    the rule used to be kept, and the reply asked what to change."""
    base = ["--db", f"sqlite:///{tmp_path}/nl.db", "--user", "nl@example.com", "--now", FIXTURE_NOW, "--tz", FIXTURE_TZ]
    seed_file = tmp_path / "given.json"
    seed_file.write_text(json.dumps([{"title": "gym", "due": "2026-11-24", "recurrence": "FREQ=WEEKLY"}]))
    run([*base, "seed", str(seed_file)])
    reply = run([*base, "say", "stop repeating the gym"])
    [gym] = json.loads(run([*base, "tasks", "--json"]))
    assert gym["recurrence"] is None and gym["due"] == "2026-11-24", reply
