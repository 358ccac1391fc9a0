"""The offline model's plans checked against the real tools, not fakes that can drift:
every tool call it plans for the parser's cases and the phrase sets must name one of
``todochat.chat.tools.TOOLS`` and pass that tool's JSON schema and its own argument check
(what the Agents SDK would refuse before the tool ran)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import jsonschema
import pytest

from phrase_cases import load
from tests.test_local_parser import ADDS, CALLS, FRIDAY_MORNING, MONDAY, NEW_YEARS_EVE, SATURDAY_NIGHT, _fixture_cases
from todochat.chat.local_model import parse_command
from todochat.chat.tool_errors import argument_problem
from todochat.chat.tools import TOOLS


def _optional_everywhere(schema: Any) -> Any:
    """The schema without ``required``: strict schemas list every field there, but the tool
    fills what is left out with its default (its own check below still says what is missing)."""
    if isinstance(schema, dict):
        return {key: _optional_everywhere(value) for key, value in schema.items() if key != "required"}
    if isinstance(schema, list):
        return [_optional_everywhere(value) for value in schema]
    return schema


VALIDATORS = {
    tool.name: jsonschema.Draft202012Validator(_optional_everywhere(copy.deepcopy(tool.params_json_schema)))
    for tool in TOOLS
}


def refusals(text: str, now: dt.datetime) -> list[str]:
    """Why the real tools would refuse the calls planned for ``text``; empty when none would."""
    found = []
    for call in parse_command(text, now).calls:
        validator = VALIDATORS.get(call.name)
        if validator is None:
            found.append(f"{text!r}: no tool named {call.name}")
            continue
        # As the model sends it: JSON text, read back by the tool.
        raw = json.dumps(call.arguments, ensure_ascii=False)
        found += [f"{text!r}: {call.name} schema: {error.message}" for error in validator.iter_errors(json.loads(raw))]
        problem = argument_problem(call.name, raw)
        if problem is not None:
            found.append(f"{text!r}: {problem}")
    return found


COMMANDS = [text for text, _ in ADDS] + [text for text, _, _ in CALLS] + [case["say"] for case in _fixture_cases()]
CLOCKS = [MONDAY, SATURDAY_NIGHT, FRIDAY_MORNING, NEW_YEARS_EVE]


@pytest.mark.parametrize("now", CLOCKS, ids=[f"{now:%a %H:%M}" for now in CLOCKS])
def test_the_parsers_commands_plan_calls_the_real_tools_accept(now: dt.datetime) -> None:
    assert [problem for text in COMMANDS for problem in refusals(text, now)] == []


def test_every_phrase_case_plans_calls_the_real_tools_accept() -> None:
    cases = load()
    assert len(cases) > 1000
    found = [problem for case in cases for problem in refusals("add " + case["text"], dt.datetime.fromisoformat(case["now"]))]
    assert found == []


def test_a_plan_the_tools_would_refuse_is_caught() -> None:
    assert VALIDATORS["list_tasks"].is_valid({"status": "open"})
    assert not VALIDATORS["list_tasks"].is_valid({"status": "pending"})
    assert not VALIDATORS["update_task"].is_valid({"reference": "x", "colour": "red"})
    assert argument_problem("add_tasks", json.dumps({"tasks": [{"title": "x", "recurrence": "FREQ=SOMETIMES"}]}))
