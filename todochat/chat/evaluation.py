"""Score a model on things people say: "which model should I use?"

A case file is JSON Lines in the format of ``tests/fixtures/nl_commands.jsonl`` (see the
fixtures' README): ``id``, ``given`` (the user's tasks before), ``say``, ``expect``
(``count``, ``tasks``, ``absent``, ``mentions``, ``not_mentions``), and optionally ``now``
and ``tz`` for the case's clock. Each case runs through the same ChatKit server as
POST /chatkit, on a database of its own, and is judged on the tasks it leaves and the
reply it gets.

``python -m todochat.cli eval``, ``bench/model_score.py`` and ``tests/test_nl_commands.py``
all judge with ``eval_judge.judge``, so a case means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chatkit.server import ChatKitServer
from pydantic import ValidationError

from todochat.chat.client import ChatClient
from todochat.chat.context import RequestContext
from todochat.chat.eval_database import all_tasks, case_database
from todochat.chat.eval_judge import judge, quote
from todochat.chat.factory import build_chatkit_server
from todochat.chat.widgets import widget_text
from todochat.settings import Settings
from todochat.tasks import TaskCreate
from todochat.validation_text import first_message
from todochat.zones import zone_or_none

# The package's own shared cases, found from here so the cwd does not matter.
DEFAULT_CASES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "nl_commands.jsonl"

# The fixture's clock (its README): a Monday morning in UTC.
FIXTURE_NOW = "2026-11-23T10:00"
FIXTURE_TZ = "UTC"

# Bounds on what a case file may ask for: it is read whole and every case costs a model turn.
MAX_FILE_CHARS = 5 * 1024 * 1024
MAX_CASES = 1_000
MAX_SAY_CHARS = 10_000

EXPECT_KEYS = ("count", "tasks", "absent", "mentions", "not_mentions")
# Task JSON (``task_to_json``, as the API prints it) that a seed cannot set: `given` may be
# a copy of `tasks --json`.
READ_ONLY_TASK_FIELDS = frozenset({"id", "position", "created_at", "updated_at", "completed_at"})

REPLY_PREVIEW_CHARS = 120
SAY_PREVIEW_CHARS = 80
REASON_PREVIEW_CHARS = 300


class CaseFileError(ValueError):
    """A case file that cannot be run as it is; the message names the line when there is one."""


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class Case:
    id: str
    say: str
    given: tuple[dict[str, Any], ...] = ()
    expect: dict[str, Any] = field(default_factory=dict)
    now: str | None = None  # ISO date-time, local to `tz` unless it carries an offset
    tz: str | None = None


def load_cases(source: str | Path = DEFAULT_CASES) -> list[Case]:
    """Every case in a JSONL file (``"-"``: standard input), all checked before any runs."""
    return parse_cases(read_text(source), name=str(source))


def read_text(source: str | Path) -> str:
    try:
        if str(source) == "-":
            text = sys.stdin.read(MAX_FILE_CHARS + 1)
        else:
            with open(source, encoding="utf-8") as stream:
                text = stream.read(MAX_FILE_CHARS + 1)
    except OSError as exc:
        raise CaseFileError(f"cannot read {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CaseFileError(f"{source} is not UTF-8 text") from None
    if len(text) > MAX_FILE_CHARS:
        raise CaseFileError(f"{source} is larger than {MAX_FILE_CHARS // (1024 * 1024)} MiB")
    return text


def parse_cases(text: str, name: str = "the case file") -> list[Case]:
    cases: list[Case] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(cases) == MAX_CASES:
            raise CaseFileError(f"line {number}: more than {MAX_CASES} cases")
        try:
            case = parse_case(line, number)
        except ValueError as exc:
            raise CaseFileError(f"line {number}: {exc}") from None
        if case.id in seen:
            # Failures are reported by id: two cases with one id could not be told apart.
            raise CaseFileError(f"line {number}: duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise CaseFileError(f"no cases in {name}: it is empty")
    return cases


def parse_case(line: str, number: int) -> Case:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise ValueError("a case must be a JSON object")
    case_id = data.get("id", f"line-{number}")
    if not isinstance(case_id, (str, int)) or isinstance(case_id, bool) or not str(case_id).strip():
        raise ValueError("id must be a non-empty string")
    return Case(
        id=str(case_id),
        say=_say(data),
        given=tuple(_given(data.get("given", []))),
        expect=_expect(data.get("expect")),
        now=_now(data.get("now")),
        tz=_tz(data.get("tz")),
    )


def _say(data: dict[str, Any]) -> str:
    if "say" not in data:
        raise ValueError('missing "say" (what the user says)')
    say = data["say"]
    if not isinstance(say, str) or not say.strip():
        raise ValueError('"say" must be a non-empty string')
    if len(say) > MAX_SAY_CHARS:
        raise ValueError(f'"say" is longer than {MAX_SAY_CHARS:,} characters')
    return say


def _given(value: Any) -> Iterable[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError('"given" must be a list of tasks')
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise ValueError(f'"given"[{index}] must be a task object')
        writable = {k: v for k, v in item.items() if k not in READ_ONLY_TASK_FIELDS}
        try:
            TaskCreate.model_validate(writable)  # checked now, so no case fails half-seeded
        except ValidationError as exc:
            raise ValueError(f'"given"[{index}]: {first_message(exc, with_field=True)}') from None
        yield writable


def _expect(value: Any) -> dict[str, Any]:
    if value is None:
        raise ValueError('missing "expect" (what the turn should lead to)')
    if not isinstance(value, dict):
        raise ValueError('"expect" must be an object')
    unknown = sorted(set(value) - set(EXPECT_KEYS))
    if unknown:
        # A misspelt check ("mention") would otherwise pass silently.
        raise ValueError(f'"expect" has unknown key(s) {", ".join(unknown)}; known: {", ".join(EXPECT_KEYS)}')
    count = value.get("count", 0)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError('"expect.count" must be a whole number >= 0')
    if not _list_of(value.get("tasks", []), dict):
        raise ValueError('"expect.tasks" must be a list of objects')
    for key in ("absent", "mentions", "not_mentions"):
        if not _list_of(value.get(key, []), str):
            raise ValueError(f'"expect.{key}" must be a list of strings')
    return value


def _list_of(value: Any, kind: type) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) for item in value)


def _now(value: Any) -> str | None:
    if value is not None:
        parse_now(value)
    return value


def _tz(value: Any) -> str | None:
    if value is not None:
        parse_zone(value)
    return value


# ---------------------------------------------------------------- the clock


def parse_now(text: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"now must be an ISO date-time like {FIXTURE_NOW}, got {text!r}") from None


def parse_zone(name: Any) -> dt.tzinfo:
    zone = zone_or_none(name)
    if zone is None:
        raise ValueError(f"unknown time zone {name!r}")
    return zone


@dataclass(frozen=True)
class Clock:
    """When and where a case happens; a naive ``now`` is local to ``tz``."""

    now: str = FIXTURE_NOW
    tz: str = FIXTURE_TZ

    def for_case(self, case: Case) -> Clock:
        return Clock(now=case.now or self.now, tz=case.tz or self.tz)

    def zone(self) -> dt.tzinfo:
        return parse_zone(self.tz)

    def moment(self) -> dt.datetime:
        fixed = parse_now(self.now)
        return fixed if fixed.tzinfo else fixed.replace(tzinfo=self.zone())


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class Outcome:
    case: Case
    reasons: list[str]
    reply: str

    @property
    def passed(self) -> bool:
        return not self.reasons


async def run_case(server: ChatKitServer, case: Case, clock: Clock) -> Outcome:
    """One turn on a database of its own: no case sees another's tasks or threads."""
    with case_database(clock.zone(), clock.moment(), case.given) as context:
        reply, error = await _one_turn(server, context, case.say)
        if error is not None:
            return Outcome(case, [f"error: {error}"], reply)
        return Outcome(case, judge(case.expect, all_tasks(context), reply), reply)


async def _one_turn(server: ChatKitServer, context: RequestContext, text: str) -> tuple[str, str | None]:
    """The reply as the user sees it (messages and the words on cards), and the error, if any."""
    parts: list[str] = []
    error: str | None = None
    async for event in ChatClient(server, context).create_thread(text):
        if event.type == "thread.item.done" and event.item.type == "assistant_message":
            parts.append("".join(part.text for part in event.item.content))
        elif event.type == "thread.item.done" and event.item.type == "widget":
            parts.append(widget_text(event.item.widget.model_dump(mode="json", exclude_none=True)))
        elif event.type == "error":
            error = event.message or event.code
    return "\n".join(parts), error


# ---------------------------------------------------------------- a whole run


@dataclass(frozen=True)
class Report:
    model: str
    outcomes: list[Outcome]

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def passed(self) -> int:
        return sum(outcome.passed for outcome in self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.passed]

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 0.0

    def fraction(self) -> str:
        return f"{self.passed}/{self.total} ({self.percent:.1f}%)"

    def score_line(self) -> str:
        return f"score: {self.fraction()} with {self.model}"

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "passed": self.passed,
            "total": self.total,
            "score": round(self.passed / self.total, 4) if self.total else 0.0,
            "failures": [
                {"id": o.case.id, "say": o.case.say, "reasons": o.reasons, "reply": o.reply} for o in self.failures
            ],
        }


async def evaluate(
    cases: Iterable[Case],
    config: Settings,
    clock: Clock = Clock(),
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Report:
    """Every case through the model ``config`` names, one after another (gentle on rate
    limits, and the order of output follows the file). ``on_outcome`` sees each as it ends."""
    server = build_chatkit_server(config)
    outcomes = []
    for case in cases:
        outcome = await _run_case_safely(server, case, clock.for_case(case))
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return Report(model=config.TODOCHAT_MODEL, outcomes=outcomes)


async def _run_case_safely(server: ChatKitServer, case: Case, clock: Clock) -> Outcome:
    # One broken case (a tool bug, an odd model answer) must not cost the scores of the rest.
    try:
        return await run_case(server, case, clock)
    except Exception as exc:  # noqa: BLE001
        return Outcome(case, [f"crashed: {type(exc).__name__}: {exc}"], "")


# ---------------------------------------------------------------- text output


def outcome_line(outcome: Outcome) -> str:
    """One line per case: id, what was said, and for a failure why, and the reply it got."""
    said = f"{outcome.case.id}: {quote(_shorten(outcome.case.say, SAY_PREVIEW_CHARS))}"
    if outcome.passed:
        return f"ok   {said}"
    reasons = "; ".join(_shorten(reason, REASON_PREVIEW_CHARS) for reason in outcome.reasons)
    reply = quote(_shorten(outcome.reply, REPLY_PREVIEW_CHARS))
    return f"FAIL {said} -> {reasons} | reply: {reply}"


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())  # one line, whatever the reply's layout
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."
