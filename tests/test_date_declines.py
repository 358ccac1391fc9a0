"""Never wrong in silence (issue 11): when a message names a time too loosely — "early
next week", "tomorrow week", a weekday that is not its date's, "4/5" — the task gets no
date, keeps the words in its title, and the reply says so in one plain sentence. Run
through the real offline model (Agents SDK Runner), the CLI's ``say`` and quick add.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from agents import Agent, Runner, function_tool, set_tracing_disabled
from pydantic import BaseModel

from todochat import quick_add
from todochat.chat.local_model import LocalModel
from todochat.cli import main

set_tracing_disabled(True)

INSTRUCTIONS = "You manage the user's tasks.\n"
MONDAY = dt.datetime(2026, 11, 23, 10, 0)


class NewTask(BaseModel):
    title: str
    due: str | None = None


def adding_agent(added: list[dict]) -> Agent:
    @function_tool
    def add_tasks(tasks: list[NewTask]) -> str:
        """Add one or more tasks."""
        added.extend(t.model_dump(exclude_none=True) for t in tasks)
        return " ".join(f"Added “{t.title}”." for t in tasks)

    return Agent(name="todochat", instructions=INSTRUCTIONS, model=LocalModel(lambda: MONDAY.replace(tzinfo=dt.timezone.utc)), tools=[add_tasks])


@pytest.mark.parametrize(
    ("say", "title", "note"),
    [
        ("add get flu shot early next week", "get flu shot early next week",
         "I didn't set a date: “early next week” could be several days — tell me which day."),
        ("remind me to fix the fence at some point next week", "fix the fence at some point next week",
         "I didn't set a date: “at some point next week” could be several days — tell me which day."),
        # "sometime" is no low priority here: the whole phrase is the loose date.
        ("add call the plumber sometime next week", "call the plumber sometime next week",
         "I didn't set a date: “sometime next week” could be several days — tell me which day."),
        ("add call the bank tomorrow week", "call the bank tomorrow week",
         "I didn't set a date: “tomorrow week” could mean more than one day — tell me which day."),
        ("add conference Fri, Sep 20 at 7:30 PM", "conference Fri, Sep 20 at 7:30 PM",
         "I didn't set a date: Sep 20, 2027 is a Monday, not a Friday — tell me which day you meant."),
        ("add send the forms by 4/5", "send the forms by 4/5",
         "I didn't set a date: “4/5” could be April 5 or May 4 — tell me which."),
        ("add buy flowers for mother's day", "buy flowers for mother's day",
         "I didn't set a date: Mother's Day is on different days in different countries — tell me the date."),
    ],
)
async def test_a_loose_date_is_not_set_and_the_reply_says_why(say: str, title: str, note: str) -> None:
    added: list[dict] = []
    result = await Runner.run(adding_agent(added), say)
    assert added == [{"title": title}]
    assert result.final_output == f"Added “{title}”.\n\n{note}"


async def test_a_clear_date_gets_no_note() -> None:
    added: list[dict] = []
    result = await Runner.run(adding_agent(added), "add get flu shot next tuesday")
    assert added == [{"title": "get flu shot", "due": "2026-12-01"}]
    assert result.final_output == "Added “get flu shot”."


async def test_a_loose_date_after_a_comma_stays_with_its_task() -> None:
    """"call mom, early next week" is one task, not a second one called "early next week"."""
    added: list[dict] = []
    result = await Runner.run(adding_agent(added), "call mom, early next week")
    assert added == [{"title": "call mom, early next week"}]
    assert "“early next week” could be several days" in result.final_output


async def test_each_line_of_a_list_says_its_own() -> None:
    added: list[dict] = []
    result = await Runner.run(adding_agent(added), "add these:\n- book dentist tomorrow\n- service the car mid december")
    assert added == [{"title": "book dentist", "due": "2026-11-24"}, {"title": "service the car mid december"}]
    assert result.final_output.endswith("I didn't set a date: “mid december” could be several days — tell me which day.")


async def test_the_streamed_reply_says_it_too() -> None:
    added: list[dict] = []
    result = Runner.run_streamed(adding_agent(added), "add visit aunt sue early december")
    async for _ in result.stream_events():
        pass
    assert added == [{"title": "visit aunt sue early december"}]
    assert "“early december” could be several days — tell me which day." in result.final_output


def cli(tmp_path: Path, *args: str) -> str:
    out = io.StringIO()
    base = ["--db", f"sqlite:///{tmp_path}/declines.db", "--user", "ada@example.com", "--now", "2026-11-23T10:00", "--tz", "UTC"]
    assert main([*base, *args], out=out) == 0, out.getvalue()
    return out.getvalue()


def test_cli_say_stores_no_date_and_says_why(tmp_path: Path) -> None:
    reply = cli(tmp_path, "say", "add court date 03/04/2027")
    assert "I didn't set a date: “03/04/2027” could be March 4 or April 3 — tell me which." in reply
    [task] = json.loads(cli(tmp_path, "tasks", "--json"))
    assert task["title"] == "court date 03/04/2027"
    assert task["due"] is None


def test_cli_say_with_a_clear_date_has_no_note(tmp_path: Path) -> None:
    reply = cli(tmp_path, "say", "add court date 13/04/2027")  # 13 can only be the day
    assert "didn't set a date" not in reply
    [task] = json.loads(cli(tmp_path, "tasks", "--json"))
    assert (task["title"], task["due"]) == ("court date", "2027-04-13")


@pytest.mark.parametrize(
    "text", ["get flu shot early next week", "call the bank tomorrow week", "send the forms by 4/5", "concert Fri, Sep 20 at 7:30 PM"]
)
def test_quick_add_shows_no_date_chip_for_a_loose_date(text: str) -> None:
    reading = quick_add.read(text, MONDAY)
    assert reading.due is None
    assert reading.title == text
    assert [chip.kind for chip in reading.chips(MONDAY.date())] == []


@pytest.mark.parametrize(
    ("say", "reply"),
    [
        ("move the dentist to early next week",
         "I didn't change the date: “early next week” could be several days — tell me which day."),
        ("postpone the dentist to mid december",
         "I didn't change the date: “mid december” could be several days — tell me which day."),
        ("the dentist is due tomorrow week",
         "I didn't change the date: “tomorrow week” could mean more than one day — tell me which day."),
        ("reschedule the dentist to 4/5", "I didn't change the date: “4/5” could be April 5 or May 4 — tell me which."),
    ],
)
async def test_a_loose_date_moves_no_task_and_adds_none(say: str, reply: str) -> None:
    """Before, "move X to early next week" moved it to next Monday in silence; read as no
    update, it must not become a new task "move X to early next week" either."""
    added: list[dict] = []
    result = await Runner.run(adding_agent(added), say)
    assert added == []
    assert result.final_output == reply


async def test_a_time_said_with_a_loose_day_sets_nothing() -> None:
    """"early next week at 5pm": 5pm of which day? Not today's."""
    added: list[dict] = []
    result = await Runner.run(adding_agent(added), "add get flu shot early next week at 5pm")
    assert added == [{"title": "get flu shot early next week at 5pm"}]
    assert result.final_output.endswith("“early next week” could be several days — tell me which day.")


async def test_a_loose_date_takes_no_date_from_the_task_beside_it() -> None:
    """A date said for the last task is lent to the others that have none — not to one
    whose date was said too loosely."""
    added: list[dict] = []
    result = await Runner.run(adding_agent(added), "add get flu shot early next week, and pay rent tomorrow")
    assert added == [{"title": "get flu shot early next week"}, {"title": "pay rent", "due": "2026-11-24"}]
    assert "“early next week” could be several days" in result.final_output
