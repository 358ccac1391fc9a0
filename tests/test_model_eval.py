"""`python -m todochat.cli eval`: scores the configured model on JSONL cases (offline model here)."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest

from todochat import cli
from todochat.chat import evaluation
from todochat.chat.eval_judge import judge
from todochat.settings import Settings

MILK = {"id": "add-milk", "say": "add buy milk", "expect": {"count": 1, "tasks": [{"title": "buy milk"}]}}
# The offline model keeps the user's words as the title: "pay the rent" never appears.
WRONG_TITLE = {"id": "wrong-title", "say": "add pay rent", "expect": {"tasks": [{"title": "pay the rent"}]}}


@pytest.fixture(autouse=True)
def offline_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads the process's settings: pin the offline model whatever the environment says."""
    monkeypatch.setattr(cli, "settings", Settings(TODOCHAT_MODEL="local"))


def write_cases(tmp_path: Path, *cases: dict) -> str:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(case) + "\n" for case in cases))
    return str(path)


def run_eval(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(["eval", *args], out=out)
    return code, out.getvalue()


# ---------------------------------------------------------------- scoring


def test_prints_failures_and_the_score(tmp_path: Path):
    code, out = run_eval(write_cases(tmp_path, MILK, WRONG_TITLE))

    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == "score: 1/2 (50.0%) with local"
    [failure] = lines[:-1]  # passing cases are not listed without -v
    assert failure.startswith('FAIL wrong-title: "add pay rent"')
    assert 'no task like {"title": "pay the rent"}' in failure
    assert "reply:" in failure and "pay rent" in failure.split("reply:")[1]


def test_verbose_lists_passing_cases_too(tmp_path: Path):
    code, out = run_eval(write_cases(tmp_path, MILK, WRONG_TITLE), "-v")

    assert code == 0
    assert out.splitlines()[0] == 'ok   add-milk: "add buy milk"'
    assert out.splitlines()[1].startswith("FAIL wrong-title")


def test_json_output(tmp_path: Path):
    code, out = run_eval(write_cases(tmp_path, MILK, WRONG_TITLE), "--json")

    assert code == 0
    report = json.loads(out)
    assert (report["model"], report["passed"], report["total"], report["score"]) == ("local", 1, 2, 0.5)
    [failure] = report["failures"]
    assert failure["id"] == "wrong-title"
    assert failure["say"] == "add pay rent"
    assert failure["reasons"] == ['no task like {"title": "pay the rent"}']
    assert "pay rent" in failure["reply"]


def test_cases_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(MILK) + "\n"))

    code, out = run_eval("-")

    assert (code, out) == (0, "score: 1/1 (100.0%) with local\n")


def test_default_file_is_the_shared_cases_wherever_the_cwd_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    shared = Path(__file__).parent / "fixtures" / "nl_commands.jsonl"
    assert evaluation.DEFAULT_CASES == shared.resolve()
    assert len(evaluation.load_cases()) == sum(1 for line in shared.read_text().splitlines() if line.strip())


# ---------------------------------------------------------------- isolation


def test_each_case_gets_a_fresh_database(tmp_path: Path):
    # Both add "buy milk" and expect exactly one task: a shared database would fail the second.
    again = {**MILK, "id": "add-milk-again"}

    code, out = run_eval(write_cases(tmp_path, MILK, again), "--json")

    assert code == 0
    assert json.loads(out)["passed"] == 2


def test_given_tasks_are_seeded_per_case(tmp_path: Path):
    with_milk = {"id": "seeded", "given": [{"title": "buy milk"}], "say": "add walk the dog", "expect": {"count": 2}}
    without = {"id": "not-seeded", "say": "add walk the dog", "expect": {"count": 1}}

    code, out = run_eval(write_cases(tmp_path, with_milk, without), "--json")

    assert code == 0
    assert json.loads(out)["failures"] == []


def test_the_db_option_is_not_touched(tmp_path: Path):
    db = tmp_path / "mine.db"

    code, _ = run_eval_with_globals(["--db", f"sqlite:///{db}"], write_cases(tmp_path, MILK))

    assert code == 0
    assert not db.exists()


def run_eval_with_globals(global_args: list[str], *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main([*global_args, "eval", *args], out=out)
    return code, out.getvalue()


# ---------------------------------------------------------------- the clock


def test_a_case_with_its_own_now(tmp_path: Path):
    new_year = {
        "id": "new-year", "now": "2026-12-31T10:00", "say": "add x tomorrow",
        "expect": {"tasks": [{"title": "x", "due": "2027-01-01"}]},
    }

    code, out = run_eval(write_cases(tmp_path, new_year))

    assert code == 0
    assert out == "score: 1/1 (100.0%) with local\n"


def test_a_case_with_its_own_zone(tmp_path: Path):
    # 20:00 UTC is already Tuesday 09:00 in Auckland: "tomorrow" is Wednesday there.
    auckland = {
        "id": "auckland", "now": "2026-11-23T20:00+00:00", "tz": "Pacific/Auckland", "say": "add call mum tomorrow",
        "expect": {"tasks": [{"title": "call mum", "due": "2026-11-25"}]},
    }

    code, out = run_eval(write_cases(tmp_path, auckland))

    assert code == 0
    assert out == "score: 1/1 (100.0%) with local\n"


def test_global_now_applies_to_cases_without_their_own(tmp_path: Path):
    tomorrow = {"id": "tomorrow", "say": "add x tomorrow", "expect": {"tasks": [{"title": "x", "due": "2027-01-01"}]}}

    fixture_code, fixture_out = run_eval(write_cases(tmp_path, tomorrow))
    global_clock = run_eval_with_globals(["--now", "2026-12-31T10:00"], write_cases(tmp_path, tomorrow))

    assert fixture_code == 0
    assert 'no task like {"title": "x", "due": "2027-01-01"}' in fixture_out  # due 2026-11-24
    assert global_clock == (0, "score: 1/1 (100.0%) with local\n")


# ---------------------------------------------------------------- failures while running


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unavailable_model_fails_every_case_with_its_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    unreachable = Settings(
        TODOCHAT_MODEL="openai:eval-test", OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=f"http://127.0.0.1:{closed_port()}/v1", MODEL_TIMEOUT_SECONDS=10,
    )
    monkeypatch.setattr(cli, "settings", unreachable)

    code, out = run_eval(write_cases(tmp_path, MILK, WRONG_TITLE), "--json")

    assert code == 0
    report = json.loads(out)
    assert (report["model"], report["passed"], report["total"]) == ("openai:eval-test", 0, 2)
    for failure in report["failures"]:
        [reason] = failure["reasons"]
        assert reason.startswith("error: The assistant is unavailable")


def test_a_crashing_case_does_not_stop_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real_turn = evaluation._one_turn

    async def crash_on_boom(server, context, text):
        if text == "boom":
            raise RuntimeError("tool\nexploded")  # one line per case, even so
        return await real_turn(server, context, text)

    monkeypatch.setattr(evaluation, "_one_turn", crash_on_boom)
    boom = {"id": "boom", "say": "boom", "expect": {}}

    code, out = run_eval(write_cases(tmp_path, boom, MILK))

    assert code == 0
    assert out.splitlines() == [
        'FAIL boom: "boom" -> crashed: RuntimeError: tool exploded | reply: ""',
        "score: 1/2 (50.0%) with local",
    ]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("lines", "bad_line", "message"),
    [
        ([json.dumps(MILK), '{"id": "x", "say": '], 2, "not valid JSON"),
        (['["add buy milk"]'], 1, "must be a JSON object"),
        ([json.dumps(MILK), "", json.dumps({"id": "no-say", "expect": {}})], 3, 'missing "say"'),
        ([json.dumps({**MILK, "say": "add " + "x" * 10_000})], 1, "longer than 10,000"),
        ([json.dumps({**MILK, "expect": {"mention": ["milk"]}})], 1, "unknown key(s) mention"),
        ([json.dumps({**MILK, "expect": {"count": "one"}})], 1, "expect.count"),
        ([json.dumps({**MILK, "given": [{"title": ""}]})], 1, '"given"[0]'),
        ([json.dumps({**MILK, "now": "next tuesday"})], 1, "ISO date-time"),
        ([json.dumps({**MILK, "tz": "Mars/Olympus"})], 1, "unknown time zone"),
        ([json.dumps(MILK), json.dumps(MILK)], 2, "duplicate id"),
    ],
    ids=["bad-json", "not-an-object", "missing-say", "say-too-long", "unknown-expect-key",
         "bad-count", "bad-given", "bad-now", "bad-tz", "duplicate-id"],
)
def test_bad_case_file_is_rejected_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], bad_line: int, message: str
):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n")

    code, out = run_eval(str(path), "-v")  # -v: a case that ran would print a line

    assert code == 2
    assert out == ""
    error = capsys.readouterr().err
    assert error.startswith(f"error: line {bad_line}: ")
    assert message in error


@pytest.mark.parametrize("content", ["", "\n  \n"], ids=["empty", "blank-lines"])
def test_an_empty_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str):
    path = tmp_path / "cases.jsonl"
    path.write_text(content)

    assert run_eval(str(path)) == (2, "")
    assert "no cases" in capsys.readouterr().err


def test_too_many_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(evaluation, "MAX_CASES", 2)
    cases = [{**MILK, "id": f"case-{n}"} for n in range(3)]

    assert run_eval(write_cases(tmp_path, *cases)) == (2, "")
    assert "line 3: more than 2 cases" in capsys.readouterr().err


def test_too_large_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(evaluation, "MAX_FILE_CHARS", 100)
    path = write_cases(tmp_path, MILK, {**MILK, "id": "second"})

    assert run_eval(path) == (2, "")
    assert "larger than" in capsys.readouterr().err


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert run_eval(str(tmp_path / "nope.jsonl")) == (2, "")
    assert "cannot read" in capsys.readouterr().err


def test_a_bad_global_clock_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert run_eval_with_globals(["--tz", "Nowhere/Atall"], write_cases(tmp_path, MILK), "-v") == (2, "")
    assert "unknown time zone" in capsys.readouterr().err


# ---------------------------------------------------------------- judging (shared with test_nl_commands)

TASKS = [
    {"title": "Buy milk", "completed": False, "due": "2026-11-24", "priority": "medium"},
    {"title": "walk the dog", "completed": True, "due": None, "priority": "high"},
]


@pytest.mark.parametrize(
    ("expect", "reply", "reasons"),
    [
        ({"count": 2, "tasks": [{"title": "buy MILK", "due": "2026-11-24"}], "absent": ["pay rent"],
          "mentions": ["Milk"], "not_mentions": ["rent"]}, "Added buy milk", []),
        ({"count": 1}, "", ["expected 1 task, found 2"]),
        ({"count": 3}, "", ["expected 3 tasks, found 2"]),
        ({"tasks": [{"title": "buy milk", "completed": True}]}, "",
         ['no task like {"title": "buy milk", "completed": true}']),
        ({"absent": ["Walk the dog"]}, "", ['"Walk the dog" still there']),
        ({"mentions": ["rent"]}, "Added buy milk", ['reply does not mention "rent"']),
        ({"not_mentions": ["MILK"]}, "Added buy milk", ['reply mentions "MILK"']),
    ],
    ids=["all-met", "count-one", "count-many", "no-such-task", "still-there", "not-mentioned", "mentioned"],
)
def test_judge(expect: dict, reply: str, reasons: list[str]):
    assert judge(expect, TASKS, reply) == reasons
