"""The tasks package's pure rules, without a database: the stored forms of the task
columns (tags, priority), the day a monthly series keeps after a short month, and which
repeat rules a task may carry."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest

from todochat.models import DEFAULT_PRIORITY, PRIORITIES, Task, decode_tags, encode_tags
from todochat.tasks import InvalidRepeat, LAST_DUE, TaskCreate
from todochat.tasks import Sort
from todochat.tasks.paging import SORT_KEYS, decode_cursor, encode_cursor
from todochat.recurrence import is_month_end
from todochat.tasks.repeats import anchor_day, check_repeat, following


def task(due: str | None, rule: str | None = "FREQ=MONTHLY", *, task_id: int = 2, parent: int | None = 1) -> Task:
    return Task(
        id=task_id,
        user_id="u",
        title="rent",
        due_date=dt.date.fromisoformat(due) if due else None,
        recurrence=rule,
        spawned_from_id=parent,
    )


# ---------------------------------------------------------------- columns


@pytest.mark.parametrize("tags", [[], ["home"], ["home", "work", "x-y_z"]])
def test_tags_read_back_as_written_and_each_sits_between_spaces(tags):
    stored = encode_tags(tags)
    assert decode_tags(stored) == tags
    assert stored.startswith(" ") and stored.endswith(" ")
    assert all(f" {tag} " in stored for tag in tags)
    assert " wor " not in stored  # a prefix of a tag is not a tag


def test_no_tags_is_a_single_space():
    assert encode_tags([]) == " " and decode_tags(" ") == []


def test_priorities_lowest_first_and_a_new_task_is_medium():
    assert PRIORITIES == ("low", "medium", "high")
    assert TaskCreate(title="x").priority == DEFAULT_PRIORITY == "medium"


def test_priority_cursor_ranks_high_above_medium_above_low():
    def rank(priority: str) -> int:
        t = Task(id=1, user_id="u", title="x", priority=priority, created_at=dt.datetime(2026, 1, 1))
        return decode_cursor("priority", encode_cursor("priority", t))[0]

    assert rank("high") > rank("medium") > rank("low") > 0


def test_every_sort_a_caller_may_name_has_a_keyset_ending_in_the_task_id():
    assert set(get_args(Sort)) == set(SORT_KEYS)
    assert all(keys[-1].key.expr.name == "id" for keys in SORT_KEYS.values())


# ---------------------------------------------------------------- repeats


def test_a_month_end_scheduled_from_the_30th_keeps_the_30th():
    parents = {1: task("2026-01-30", task_id=1, parent=None)}
    assert anchor_day(task("2026-02-28"), parents.get) == 30


@pytest.mark.parametrize(
    "child, parent",
    [
        (task("2026-02-28"), None),  # the parent is gone (or another user's)
        (task("2026-02-28"), task("2026-01-31", task_id=1)),  # a month end itself: ambiguous
        (task("2026-02-28"), task("2026-01-15", task_id=1)),  # not a day that clamps to the 28th
        (task("2026-02-28"), task("2026-01-30", "FREQ=WEEKLY", task_id=1)),  # not monthly
        (task("2026-02-28"), task("2026-01-30", "FREQ=MONTHLY;BYMONTHDAY=30", task_id=1)),  # names its day
    ],
)
def test_no_anchor_when_the_parent_cannot_say(child, parent):
    assert anchor_day(child, {1: parent}.get) is None


def test_the_parent_is_only_looked_up_for_a_monthly_task_due_at_a_month_end():
    def no_lookup(_task_id: int) -> Task | None:
        raise AssertionError("looked up")

    assert anchor_day(task("2026-02-27"), no_lookup) is None  # not a month end
    assert anchor_day(task("2026-02-28", "FREQ=WEEKLY"), no_lookup) is None
    assert anchor_day(task(None), no_lookup) is None
    assert anchor_day(task("2026-02-28", parent=None), no_lookup) is None


def test_month_end_includes_leap_days_and_the_last_representable_day():
    assert is_month_end(dt.date(2028, 2, 29)) and not is_month_end(dt.date(2028, 2, 28))
    assert is_month_end(dt.date(2026, 2, 28)) and is_month_end(dt.date(9999, 12, 31))


def test_check_repeat_refuses_a_rule_that_never_lands_and_hourly_without_a_time():
    check_repeat(None, dt.date(2026, 2, 1), None)
    check_repeat("FREQ=WEEKLY", dt.date(2026, 2, 1), None)
    with pytest.raises(InvalidRepeat):
        check_repeat("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", dt.date(2026, 2, 1), None)
    with pytest.raises(InvalidRepeat):
        check_repeat("FREQ=HOURLY", dt.date(2026, 2, 1), None)


def test_following_an_unreadable_rule_or_the_last_due_day_ends_the_series():
    now = dt.datetime(2026, 2, 1, 9, 0)
    assert following(task("2026-02-01", "not a rule"), now, None) is None
    assert following(task("2026-02-01", None), now, None) is None
    assert following(task(LAST_DUE.isoformat(), "FREQ=DAILY"), now, None) is None
    nxt = following(task("2026-02-01", "FREQ=WEEKLY;COUNT=2"), now, None)
    assert (nxt.due_date, nxt.rule) == (dt.date(2026, 2, 8), "FREQ=WEEKLY;COUNT=1")


def test_an_undated_task_repeats_from_the_users_today():
    now = dt.datetime(2026, 2, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    nxt = following(task(None, "FREQ=DAILY"), now, None)
    assert nxt.due_date == dt.date(2026, 2, 2)
