"""todochat.recurrence: which repeat rules are accepted, the next date a repeating task is
due when it is ticked off, and how a rule reads in plain English (issue 11).

Dates are what a person sees on the task: local, naive, no zone. "Now" is the user's
local wall-clock time, so a DST change moves nothing.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from todochat import recurrence
from todochat.recurrence import (
    RuleError,
    check,
    describe,
    first_on_or_after,
    next_occurrence,
    normalize,
    parse,
)

LAST_DUE = dt.date(2999, 12, 31)


def following(rule: str, due: str, now: str, *, anchor_day: int | None = None) -> tuple[str, str] | None:
    """(next due, rule it carries) for a task due ``due`` ("YYYY-MM-DD[THH:MM]") ticked off at
    local ``now``; None when the series has ended."""
    day, _, time = due.partition("T")
    found = next_occurrence(
        rule, dt.date.fromisoformat(day), dt.time.fromisoformat(time) if time else None,
        dt.datetime.fromisoformat(now), last_day=LAST_DUE, anchor_day=anchor_day,
    )
    if found is None:
        return None
    when = found.due_date.isoformat() + (f"T{found.due_time:%H:%M}" if found.due_time else "")
    return when, found.rule


def chain(rule: str, due: str, times: int) -> list[str]:
    """Tick the task off on its due day, then the one it scheduled, and so on."""
    dates = []
    for _ in range(times):
        step = following(rule, due, due + "T12:00")
        if step is None:
            break
        due, rule = step
        dates.append(due)
    return dates


# ---------------------------------------------------------------- one spelling


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("daily", "FREQ=DAILY"),
        (" Weekdays ", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("weekly", "FREQ=WEEKLY"),
        ("monthly", "FREQ=MONTHLY"),
        ("YEARLY", "FREQ=YEARLY"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("freq=weekly;interval=1;byday=fr,mo,mo", "FREQ=WEEKLY;BYDAY=MO,FR"),
        ("FREQ=MONTHLY;BYDAY=+3FR", "FREQ=MONTHLY;BYDAY=3FR"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1,15,1", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1"),
        ("FREQ=DAILY;UNTIL=20270331T235959Z", "FREQ=DAILY;UNTIL=20270331"),
        ("FREQ=YEARLY;BYMONTHDAY=1;BYMONTH=3", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("FREQ=DAILY;COUNT=005;", "FREQ=DAILY;COUNT=5"),
        (" FREQ = WEEKLY; BYDAY=TU, TH ", "FREQ=WEEKLY;BYDAY=TU,TH"),  # as models write it
    ],
)
def test_every_spelling_of_a_rule_is_stored_one_way(given, stored):
    assert normalize(given) == stored
    assert normalize(stored) == stored


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        ("", "A repeat rule needs FREQ=HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("every tuesday", "Repeat rule part 'EVERY TUESDAY' is not NAME=VALUE"),
        ("FREQ=DAILY\x00", "A repeat rule needs FREQ"),
        ("FREQ=DAILY;X-NAME=1", "Repeat rules may not use 'X-NAME'"),
        ("FREQ=SECONDLY", "A repeat rule needs FREQ"),
        ("FREQ=DAILY;FREQ=WEEKLY", "Repeat rule says FREQ twice"),
        ("FREQ=DAILY;" + "INTERVAL=1;" * 1000, "at most 200 characters"),
        ("FREQ=DAILY;INTERVAL=1e9", "INTERVAL must be a whole number from 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=1000000000", "INTERVAL must be a whole number from 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=\u0661\u0662", "INTERVAL must be a whole number"),  # Arabic-Indic digits
        ("FREQ=DAILY;COUNT=0", "COUNT must be a whole number from 1 to 1000"),
        ("FREQ=DAILY;UNTIL=99991231", "UNTIL must be between 19000101 and 29991231"),
        ("FREQ=DAILY;UNTIL=20270230", "UNTIL is a date written YYYYMMDD"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "COUNT or UNTIL, not both"),
        ("FREQ=MONTHLY;BYDAY=FR;BYSETPOS=0", "BYSETPOS values cannot be 0"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs BYDAY or BYMONTHDAY"),
        ("FREQ=WEEKLY;BYDAY=3FR", "need FREQ=MONTHLY or YEARLY"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY must be a whole number from -31 to 31"),
        ("FREQ=WEEKLY;BYDAY=" + ",".join(["MO"] * 40), "BYDAY lists at most 35 days"),
        ("FREQ=WEEKLY;WKST=XX", "WKST is a weekday"),
        ("FREQ=YEARLY;BYMONTHDAY=15", "A yearly repeat on given days needs BYMONTH"),
    ],
)
def test_hostile_rules_are_refused_with_a_sentence(hostile, message):
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        parse(hostile)


def test_only_text_is_a_rule():
    with pytest.raises(RuleError, match="A repeat rule is text"):
        parse(7)  # type: ignore[arg-type]


# ---------------------------------------------------------------- next dates


@pytest.mark.parametrize(
    ("rule", "due", "expected"),
    [
        # Month ends: the 31st stays on each month's last day; the 30th comes back after February.
        ("FREQ=MONTHLY", "2026-01-31", ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]),
        ("FREQ=MONTHLY", "2028-01-31", ["2028-02-29", "2028-03-31", "2028-04-30"]),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-31", ["2026-02-28", "2026-03-31", "2026-04-30"]),
        ("FREQ=MONTHLY;BYMONTHDAY=31", "2026-01-31", ["2026-03-31", "2026-05-31", "2026-07-31"]),  # as RFC 5545 says
        ("FREQ=MONTHLY;INTERVAL=3", "2026-11-30", ["2027-02-28", "2027-05-31", "2027-08-31"]),
        # Leap years: Feb 29 falls back to the 28th and returns when there is one.
        ("FREQ=YEARLY", "2024-02-29", ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"]),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2024-02-29", ["2028-02-29", "2032-02-29"]),
        ("FREQ=DAILY", "2028-02-28", ["2028-02-29", "2028-03-01"]),
        # Todoist-style rules.
        ("FREQ=MONTHLY;BYDAY=3FR", "2026-11-20", ["2026-12-18", "2027-01-15", "2027-02-19"]),
        ("FREQ=MONTHLY;BYDAY=-1FR", "2026-11-27", ["2026-12-25", "2027-01-29", "2027-02-26"]),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2026-11-30", ["2026-12-31", "2027-01-29", "2027-02-26"]),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "2026-12-01", ["2026-12-15", "2027-01-01", "2027-01-15"]),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2026-11-24", ["2026-12-08", "2026-12-22", "2027-01-05"]),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "2026-11-27", ["2026-11-30", "2026-12-02", "2026-12-04"]),
        ("weekdays", "2026-12-31", ["2027-01-01", "2027-01-04", "2027-01-05"]),
        ("FREQ=DAILY;INTERVAL=3", "2026-12-30", ["2027-01-02", "2027-01-05"]),
        ("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "2026-11-26", ["2027-11-25", "2028-11-23"]),  # Thanksgiving
        ("FREQ=WEEKLY;BYDAY=SA,SU", "2026-11-28", ["2026-11-29", "2026-12-05", "2026-12-06"]),
        # A start that is not on the rule's day (the task was due Monday, the rule says Tuesday).
        ("FREQ=WEEKLY;BYDAY=TU", "2026-11-23", ["2026-11-24", "2026-12-01"]),
    ],
)
def test_next_dates_of_common_rules(rule, due, expected):
    assert chain(rule, due, len(expected)) == expected


def test_a_month_end_scheduled_from_the_30th_goes_back_to_the_30th():
    # Jan 30 -> Feb 28: the service passes the day the series was on (its _anchor_day).
    assert following("FREQ=MONTHLY", "2026-02-28", "2026-02-28T12:00", anchor_day=30) == ("2026-03-30", "FREQ=MONTHLY")
    assert following("FREQ=MONTHLY", "2026-02-28", "2026-02-28T12:00") == ("2026-03-31", "FREQ=MONTHLY")


def test_count_counts_down_and_ends_the_series():
    assert following("FREQ=WEEKLY;COUNT=3", "2026-11-23", "2026-11-23T12:00") == ("2026-11-30", "FREQ=WEEKLY;COUNT=2")
    assert following("FREQ=WEEKLY;COUNT=2", "2026-11-30", "2026-11-30T12:00") == ("2026-12-07", "FREQ=WEEKLY;COUNT=1")
    assert following("FREQ=WEEKLY;COUNT=1", "2026-12-07", "2026-12-07T12:00") is None
    # Three tasks in all, however late each is ticked off.
    assert chain("FREQ=DAILY;COUNT=3", "2026-11-23", 10) == ["2026-11-24", "2026-11-25"]


def test_until_is_the_last_day_a_task_may_be_due():
    rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20261222"
    assert chain(rule, "2026-11-24", 10) == ["2026-12-08", "2026-12-22"]
    # Ticked off after UNTIL: the series is over, not moved past its end.
    assert following(rule, "2026-12-08", "2026-12-23T09:00") is None


def test_every_other_week_keeps_its_weeks_after_a_year_overdue():
    # Due Tue 2025-11-25, ticked off a year and a day later (Wed 2026-11-25): the series'
    # Tuesdays are 2026-11-24, 2026-12-08, ... so the next is Dec 8, not Dec 1.
    assert following("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2025-11-25", "2026-11-25T10:00")[0] == "2026-12-08"
    assert following("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2025-11-25", "2026-11-24T10:00")[0] == "2026-11-24"
    # Overdue tasks skip to the first occurrence not before today, today included.
    assert following("FREQ=DAILY", "2026-11-01", "2026-11-23T22:00")[0] == "2026-11-23"


def test_dst_changes_nothing_dates_and_times_are_local():
    # Europe's clocks go forward on 2027-03-28 and back on 2027-10-31: still 09:00 each day.
    assert following("FREQ=DAILY", "2027-03-27T09:00", "2027-03-27T09:30") == ("2027-03-28T09:00", "FREQ=DAILY")
    assert following("FREQ=WEEKLY", "2027-10-25T09:00", "2027-10-25T10:00") == ("2027-11-01T09:00", "FREQ=WEEKLY")
    # Hourly rules count wall-clock hours: 00:00 + 4 hours is 04:00 on the short night too.
    assert following("FREQ=HOURLY;INTERVAL=4", "2027-03-28T00:00", "2027-03-28T00:10") == (
        "2027-03-28T04:00", "FREQ=HOURLY;INTERVAL=4")


def test_hourly_rules_count_from_the_due_time_and_skip_past_hours():
    assert following("FREQ=HOURLY;INTERVAL=4", "2026-11-23T09:00", "2026-11-23T09:05")[0] == "2026-11-23T13:00"
    # Ticked off at 15:30, six hours late: the next is the first not before this hour.
    assert following("FREQ=HOURLY;INTERVAL=4", "2026-11-23T09:00", "2026-11-23T15:30")[0] == "2026-11-23T17:00"
    assert following("FREQ=HOURLY", "2026-11-23T22:00", "2026-11-23T22:01")[0] == "2026-11-23T23:00"
    assert following("FREQ=HOURLY", "2026-11-23T23:00", "2026-11-23T23:05")[0] == "2026-11-24T00:00"


def test_the_series_ends_at_the_last_due_date():
    assert following("FREQ=DAILY", "2999-12-31", "2999-12-31T12:00") is None
    assert following("FREQ=YEARLY", "2999-06-01", "2999-06-01T12:00") is None


class LineCount:
    """Lines of dateutil and todochat/recurrence.py run inside the block: the work done,
    counted instead of timed."""

    def __enter__(self) -> LineCount:
        self.lines = 0
        self._previous = sys.gettrace()
        sys.settrace(self._frame)
        return self

    def __exit__(self, *_exc: object) -> None:
        sys.settrace(self._previous)

    def _frame(self, frame, _event, _arg):
        name = frame.f_code.co_filename
        return self._line if "/dateutil/" in name or name.endswith("todochat/recurrence.py") else None

    def _line(self, _frame, event, _arg):
        if event == "line":
            self.lines += 1
        return self._line


@pytest.mark.parametrize(
    "rule",
    ["FREQ=HOURLY", "FREQ=DAILY", "weekdays", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "FREQ=MONTHLY;BYDAY=3FR",
     "FREQ=MONTHLY", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"],
)
def test_a_task_due_in_1900_ticked_off_in_2999_takes_the_work_of_one_due_last_week(rule):
    """Step by step from 1900, an hourly rule is 9.6 million occurrences to walk through;
    the start is moved forward by whole periods first, so the work does not grow with the gap."""
    with LineCount() as recent:
        near = following(rule, "2999-05-25T09:00", "2999-06-01T12:00")
    with LineCount() as ancient:
        far = following(rule, "1900-01-01T09:00", "2999-06-01T12:00")
    if rule.endswith("BYMONTHDAY=29"):
        assert far is None and near is None  # no Feb 29 is left before the year 3000
    else:
        assert far[0] >= "2999-06-01" and near[0] >= "2999-06-01"
    assert ancient.lines < 30_000, ancient.lines
    assert ancient.lines < 3 * recent.lines + 2_000, (ancient.lines, recent.lines)


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2026-01-01"),
        ("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", "2026-04-01"),  # every April: no 31st
        ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "2026-11-23"),  # every 7th day from a Monday is a Monday
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", "2026-11-23"),  # no month has six Mondays
        ("FREQ=YEARLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", "2026-01-01"),
    ],
)
def test_a_rule_that_never_happens_is_found_out_in_bounded_work(rule, start):
    """Found while writing these tests: dateutil checks UNTIL only when it has found an
    occurrence, so a rule with none walked every period to the year 9999 (18 million
    lines for Feb 30th, on every create that asked)."""
    with LineCount() as work:
        assert following(rule, start, "2999-01-01T12:00") is None
        if "INTERVAL" not in rule:  # a new task's first day leaves INTERVAL out: that one is found
            assert first_on_or_after(rule, dt.date.fromisoformat(start)) is None
        with pytest.raises(RuleError, match="This repeat never happens"):
            check(rule, dt.date.fromisoformat(start), None)
    assert work.lines < 300_000, work.lines  # three calls; walking to 9999 was 18 to 40 million for one


def test_every_7th_day_on_its_own_weekday_is_weekly():
    assert chain("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "2026-11-24", 2) == ["2026-12-01", "2026-12-08"]
    assert chain("FREQ=DAILY;INTERVAL=2;BYDAY=TU", "2026-11-23", 2) == ["2026-12-01", "2026-12-15"]


# ---------------------------------------------------------------- a new task's first day, and what fits


def test_the_first_day_a_rule_lands_on():
    monday = dt.date(2026, 11, 23)
    assert first_on_or_after("FREQ=WEEKLY;BYDAY=FR", monday) == dt.date(2026, 11, 27)
    assert first_on_or_after("FREQ=WEEKLY;BYDAY=MO", monday) == monday
    assert first_on_or_after("FREQ=MONTHLY;BYDAY=3FR", monday) == dt.date(2026, 12, 18)
    assert first_on_or_after("weekdays", dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)
    assert first_on_or_after("FREQ=DAILY", dt.date(9999, 12, 31)) == dt.date(9999, 12, 31)
    assert first_on_or_after("FREQ=WEEKLY;BYDAY=MO", dt.date(9999, 12, 31)) is None  # the calendar's end, no crash


def test_check_refuses_what_cannot_repeat_the_task():
    due = dt.date(2026, 11, 24)
    assert check("rrule:freq=weekly;byday=tu", due, None) == "FREQ=WEEKLY;BYDAY=TU"
    with pytest.raises(RuleError, match="This repeat never happens"):
        check("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", due, None)
    with pytest.raises(RuleError, match="An hourly repeat needs a due time"):
        check("FREQ=HOURLY", due, None)
    with pytest.raises(RuleError, match="ends \\(UNTIL\\) before it first happens"):
        check("FREQ=WEEKLY;BYDAY=FR;UNTIL=20261126", due, None)
    assert check("FREQ=HOURLY", due, dt.time(9)) == "FREQ=HOURLY"
    assert check("FREQ=DAILY", None, None) == "FREQ=DAILY"  # no due date: nothing to check it against


# ---------------------------------------------------------------- in words


TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("daily", "every day"),
        ("weekdays", "every weekday"),
        ("weekly", "every week"),
        ("monthly", "every month"),
        ("yearly", "every year"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270331", "every other Tuesday until 31 Mar 2027"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20261231", "every other Tuesday until 31 Dec"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "every other week on Tuesday and Thursday"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "every 3 weeks on Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Mon, Wed and Fri"),
        ("FREQ=WEEKLY;BYDAY=SA,SU", "every Saturday and Sunday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "every day"),
        ("FREQ=WEEKLY;INTERVAL=2", "every other week"),
        ("FREQ=DAILY;INTERVAL=3", "every 3 days"),
        ("FREQ=HOURLY;INTERVAL=4", "every 4 hours"),
        ("FREQ=MONTHLY;BYDAY=3FR", "every month on the third Friday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"),
        ("FREQ=MONTHLY;BYDAY=-2FR", "every month on the second to last Friday"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "every month on the 1st and the 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", "every month on the 31st (skipping months without it)"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "every month on the last weekday"),
        ("FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1", "every month on the first weekend day"),
        ("FREQ=MONTHLY;INTERVAL=3", "every 3 months"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=14", "every year on 14 Mar"),
        ("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "every year on the fourth Thursday in Nov"),
        ("FREQ=YEARLY;INTERVAL=2", "every other year"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "every year on the last day of Feb"),
        ("FREQ=WEEKLY;COUNT=8", "every week, 8 times"),
        ("FREQ=DAILY;COUNT=1", "every day, last time"),
        ("not a rule", "not a rule"),  # said as it is, never an error
    ],
)
def test_rules_in_plain_english(rule, words):
    assert describe(rule, TODAY) == words


def test_an_until_in_another_year_says_the_year():
    assert describe("FREQ=DAILY;UNTIL=20270105", TODAY) == "every day until 5 Jan 2027"
    assert describe("FREQ=DAILY;UNTIL=20270105") == "every day until 5 Jan 2027"  # no today: always the year


def test_the_module_limits_are_what_the_api_documents():
    assert recurrence.RULE_MAX == 200
