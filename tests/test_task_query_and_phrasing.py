"""A ListQuery in TaskService terms, and in the words a reply and a card heading use."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from todochat.chat.phrasing import day_words, describe_query, describe_range, quote_list
from todochat.chat.task_query import ListQuery, to_filter
from todochat.models import Task

WEDNESDAY = dt.date(2026, 11, 25)


def test_due_windows_become_the_services_strict_bounds():
    tomorrow = to_filter(ListQuery(due="tomorrow"), WEDNESDAY)
    assert tomorrow.due_on == dt.date(2026, 11, 26) and tomorrow.status == "open"
    next_week = to_filter(ListQuery(due="next_week"), WEDNESDAY)
    # Mon Nov 30 .. Sun Dec 6, inclusive.
    assert (next_week.due_after, next_week.due_before) == (dt.date(2026, 11, 29), dt.date(2026, 12, 7))


def test_open_tasks_due_this_week_include_the_overdue_ones_done_ones_do_not():
    open_ = to_filter(ListQuery(due="this_week"), WEDNESDAY)
    assert (open_.due_after, open_.due_before) == (None, dt.date(2026, 11, 30))
    done = to_filter(ListQuery(status="done", due="this_week"), WEDNESDAY)
    assert (done.due_after, done.due_before) == (dt.date(2026, 11, 24), dt.date(2026, 11, 30))


def test_an_inclusive_range_and_the_calendars_ends():
    flt = to_filter(ListQuery(due_from=dt.date(2026, 12, 1), due_to=dt.date(2026, 12, 7)), WEDNESDAY)
    assert (flt.due_after, flt.due_before) == (dt.date(2026, 11, 30), dt.date(2026, 12, 8))
    ends = to_filter(ListQuery(due_from=dt.date.min, due_to=dt.date.max), WEDNESDAY)
    assert (ends.due_after, ends.due_before) == (None, None)


def test_a_query_validates_like_input():
    assert ListQuery(tag="#Home").tag == "home"
    with pytest.raises(ValidationError):
        ListQuery(search="a\x00b")
    with pytest.raises(ValidationError):
        ListQuery(colour="red")


def test_a_query_in_words():
    assert describe_query(ListQuery(due="this_week")) == "open tasks due this week"
    assert describe_query(ListQuery(priority="high", tag="home", search="rent"), 1) == (
        "1 open high-priority task tagged #home matching “rent”"
    )
    assert describe_query(ListQuery(status="all", due="overdue"), 2) == "2 tasks that are overdue"
    span = ListQuery(due_from=dt.date(2026, 12, 4), due_to=dt.date(2026, 12, 4))
    assert describe_query(span, today=WEDNESDAY) == "open tasks due Fri Dec 4"


def test_days_and_ranges_as_a_person_says_them():
    assert day_words(WEDNESDAY, WEDNESDAY) == "today"
    assert day_words(dt.date(2027, 1, 4), WEDNESDAY) == "Mon Jan 4, 2027"
    assert describe_range(None, dt.date(2026, 11, 26), WEDNESDAY) == "due by tomorrow"
    assert describe_range(dt.date.min, dt.date.max, WEDNESDAY) == ""


def test_a_long_list_of_titles_is_cut_with_a_count():
    tasks = [Task(id=i, user_id="u", title=f"t{i}") for i in range(7)]
    assert quote_list(tasks) == "“t0”, “t1”, “t2”, “t3”, “t4” and 2 more"
    assert quote_list(tasks[:1]) == "“t0”"
