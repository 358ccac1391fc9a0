"""Quick add on the Tasks page reads the box with the assistant's parser, plus !high/!low."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from todochat import quick_add
from todochat.limits import MESSAGE_MAX_CHARS

NOW = dt.datetime(2026, 11, 30, 9, 0)  # a Monday
TODAY = NOW.date()


def test_reads_date_tag_and_bang_priority():
    reading = quick_add.read("water plants tomorrow #home !high", NOW)
    assert (reading.title, reading.due, reading.priority, reading.tags) == ("water plants", "2026-12-01", "high", ["home"])
    assert [chip.label for chip in reading.chips(TODAY)] == ["Tomorrow · Tue Dec 1", "High priority", "#home"]


@pytest.mark.parametrize(
    ("text", "priority"),
    [("call bob p1", "high"), ("call bob p2", "medium"), ("call bob p3", "low"), ("call bob !low", "low"),
     ("!high call bob", "high"), ("call bob !1", "high"), ("call bob !3", "low"), ("call bob !urgent", "high")],
)
def test_priority_spellings(text, priority):
    reading = quick_add.read(text, NOW)
    assert (reading.title, reading.priority) == ("call bob", priority)


def test_times_and_repeats():
    reading = quick_add.read("call bob friday 3pm", NOW)
    assert reading.due == "2026-12-04T15:00"
    assert reading.chips(TODAY)[0].label == "Friday · Fri Dec 4, 3:00 PM"
    # At 9:00 on a Monday, this Monday's 7:00 has passed: the series starts next Monday.
    weekly = quick_add.read("gym every monday at 7am", NOW)
    assert (weekly.title, weekly.recurrence, weekly.due) == ("gym", "FREQ=WEEKLY;BYDAY=MO", "2026-12-07T07:00")
    assert [chip.label for chip in weekly.chips(TODAY)] == ["Mon Dec 7, 7:00 AM", "Every Monday"]


def test_plain_titles_stay_as_typed():
    # The chat's reader trims "item", "to" and glues "x !y"; a title in a box is kept whole.
    for text in ("Item 05", "to-do list review", "x !wow", "add a task to call bob"):
        reading = quick_add.read(text, NOW)
        assert reading.title == text and not reading.chips(TODAY)
    assert quick_add.read("Item 05 tomorrow", NOW).title == "Item 05"


def test_removed_chips_are_not_used_and_a_date_gives_its_words_back():
    first = quick_add.read("read tomorrow and tomorrow #fun !low", NOW)
    assert first.title == "read tomorrow"
    dropped = {f"due:{first.due}", "tag:fun"}
    again = quick_add.read("read tomorrow and tomorrow #fun !low", NOW, dropped)
    assert (again.title, again.due, again.tags, again.priority) == ("read tomorrow and tomorrow", None, [], "low")
    assert quick_add.read("water plants tomorrow with high priority", NOW, {"due:2026-12-01"}).title == "water plants tomorrow"
    # A different date typed after removing one is read again.
    assert quick_add.read("read friday", NOW, dropped).due == "2026-12-04"


def test_attributes_only_leave_no_title():
    assert quick_add.read("tomorrow #home !high", NOW).title == ""


def test_long_input_is_bounded():
    huge = "tomorrow " * (MESSAGE_MAX_CHARS // 9 + 10)
    assert quick_add.read(huge, NOW).due is None  # over the limit: taken as typed, refused by TaskService
    words = " ".join(["#t tomorrow"] * 40)
    started = time.perf_counter()
    quick_add.read(f"x {words}", NOW, {"due:2026-12-01"})
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("rule", "label"),
    [("FREQ=MONTHLY;BYDAY=3FR", "Every month on the third Friday"),
     ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20261231", "Every other Tuesday until 31 Dec"),
     ("FREQ=DAILY;COUNT=30", "Every day, 30 times"),
     ("weekdays", "Every weekday")],
)
def test_a_repeat_rule_chip_says_the_rule_in_words(rule, label):
    """Issue 11: whatever rule the parser reads, the chip says it as a person would."""
    reading = quick_add.QuickAdd(title="x", recurrence=rule)
    assert [chip.label for chip in reading.chips(TODAY)] == [label]
