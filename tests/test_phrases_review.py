"""Dates and times a hostile review found set wrong in silence (``fixtures/phrases/
review_dates.jsonl``): short weekdays beside a time, years with leading zeros, "after
<date>", minutes in words, day/month order, flight numbers, "tonight" late at night. Each
case is read as "add <text>" by the offline parser; the reply's note is checked for the
phrases that set no date."""

from __future__ import annotations

import datetime as dt

import pytest
from agents import Agent, Runner, function_tool, set_tracing_disabled
from pydantic import BaseModel

from phrase_cases import case_id, load, problems
from todochat.chat.local_model import LocalModel, parse_command

set_tracing_disabled(True)


class NewTask(BaseModel):
    title: str
    due: str | None = None

CASES = load("review")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_review_phrase(case: dict) -> None:
    assert problems(case) == []


MONDAY = dt.datetime(2026, 11, 30, 10, 30)


@pytest.mark.parametrize(
    ("say", "note"),
    [
        ("add pay deposit on 5/12", "I didn't set a date: “5/12” could be May 12 or December 5 — tell me which."),
        ("add party on 1/1/0027", "I didn't set a date: the year 0027 is out of range — tell me which day you meant."),
        ("add return gifts after christmas",
         "I didn't set a date: “after christmas” could be several days — tell me which day."),
        ("add clean garage sometime after the 15th",
         "I didn't set a date: “after the 15th” could be several days — tell me which day."),
        ("add take 2 pills at 8",
         "I didn't set a time: “at 8” could be more than one time — tell me the exact time."),
        ("add call dad tomorrow at half past 8",
         "I didn't set a time: “at half past 8” could be more than one time — tell me the exact time."),
        ("add call dad feb 30", "I didn't set a date: February has no 30th — tell me which day you meant."),
        ("add call dad 2027-02-29", "I didn't set a date: February 2027 has no 29th — tell me which day you meant."),
        ("add call Hy 2 weeks on friday",
         "I didn't set a date: “2 weeks on friday” could mean more than one day — tell me which day."),
    ],
)
def test_the_reply_says_why_no_date_was_set(say: str, note: str) -> None:
    assert note in parse_command(say, MONDAY).notes


def test_sometime_before_a_date_is_no_priority() -> None:
    """"sometime" said of when ("sometime after the 15th") set a low priority in silence."""
    [call] = parse_command("add clean garage sometime after the 15th", MONDAY).calls
    assert "priority" not in call.arguments["tasks"][0]
    [call] = parse_command("add clean garage sometime", MONDAY).calls
    assert call.arguments["tasks"][0]["priority"] == "low"


INSTRUCTIONS = "You manage the user's tasks.\n"
REVIEW_CLOCK = dt.datetime(2026, 11, 30, 10, 30, tzinfo=dt.timezone.utc)  # MONDAY, in UTC


@pytest.mark.parametrize(
    ("say", "added", "note"),
    [
        ("add pay deposit on 5/12", [{"title": "pay deposit on 5/12"}],
         "I didn't set a date: “5/12” could be May 12 or December 5 — tell me which."),
        ("add return gifts after christmas", [{"title": "return gifts after christmas"}],
         "I didn't set a date: “after christmas” could be several days — tell me which day."),
        ("add call dad at 8", [{"title": "call dad at 8"}],
         "I didn't set a time: “at 8” could be more than one time — tell me the exact time."),
    ],
)
async def test_the_real_model_says_it_in_its_reply(say: str, added: list[dict], note: str) -> None:
    """Through the offline model and the Agents SDK Runner, as test_date_declines does."""
    got: list[dict] = []

    @function_tool
    def add_tasks(tasks: list[NewTask]) -> str:
        """Add one or more tasks."""
        got.extend(t.model_dump(exclude_none=True) for t in tasks)
        return " ".join(f"Added “{t.title}”." for t in tasks)

    agent = Agent(name="todochat", instructions=INSTRUCTIONS, model=LocalModel(lambda: REVIEW_CLOCK), tools=[add_tasks])
    result = await Runner.run(agent, say)
    assert got == added
    assert result.final_output == f"Added “{added[0]['title']}”.\n\n{note}"
