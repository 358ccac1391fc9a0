"""Phrases that name a time too loosely to set one: "early next week", "tomorrow week",
"at some point next week", "this summer", "mother's day".

No date is set from them (the date finder in ``dates`` ignores every piece inside one), the
words stay in the title, and the offline model's reply says why (``replies.unclear_note``).
Calendar phrases are listed here; ``offsets.VAGUE_PATTERNS`` ("in a few days") and
``times_of_day.VAGUE_PATTERNS`` ("6ish") are read beside them, and ``SEVEN_OR_EIGHT`` ("call
dad at 8": morning or evening?) unless a half of the day comes just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import holiday_dates, offsets, times_of_day
from .calendar_words import MONTH, ONE_WEEKDAY
from .text import longest_first

_A_DAY = rf"(?:(?:next|this)\s+)?(?:{ONE_WEEKDAY}|tomorrow|today|tonight|(?:the\s+)?day\s+after(?:\s+tomorrow)?)"

# (pattern, kind): "days" — it spans several days ("could be several days"); "readings" —
# it reads as more than one day ("tomorrow week": tomorrow, or a week after it?).
_CALENDAR: tuple[tuple[str, str], ...] = (
    (r"(?:early|late|mid)[\s-]+(?:next\s+|this\s+)?(?:week|month|year)", "days"),
    (rf"(?:(?:early|late|mid)[\s-]+(?:in\s+)?|the\s+middle\s+of\s+){MONTH}", "days"),
    (r"(?:(?:at\s+)?some\s*(?:point|time)|one\s+day|any\s*(?:time|day))\s+(?:(?:next|this)\s+(?:week(?:end)?|month|year)|in\s+the\s+next\s+(?:week|month))", "days"),
    (r"later\s+(?:this|next)\s+(?:week|month|year)|(?:earlier|later)\s+in\s+the\s+(?:week|month|year)", "days"),
    (r"(?:the\s+)?(?:end|middle|beginning|start)\s+of\s+(?:the\s+|this\s+|next\s+)?(?:quarter|season|summer|winter|spring|autumn|fall)", "days"),
    (r"(?:next|this)\s+quarter|(?:this|next|in\s+the|over\s+the|during\s+the)\s+(?:spring|summer|autumn|fall|winter)(?:\s+(?:break|holidays?))?", "days"),
    (rf"(?:the\s+)?(?:first|second|third|fourth|last|final)\s+(?:week|weekend|fortnight|half)\s+(?:of|in)\s+(?:{MONTH}|(?:the|this|next)\s+month)", "days"),
    (r"(?:in\s+)?the\s+next\s+(?:week|month)\s+or\s+(?:so|two)|within\s+the\s+(?:week|month)", "days"),
    # British "tomorrow week", "a week on friday" (a week after it) read as the day itself elsewhere.
    # "2 weeks on friday" too (it read as Friday, "2 weeks" left in the title); not a
    # repeat's "every 2 weeks on monday".
    (rf"(?:tomorrow|{ONE_WEEKDAY})\s+week|(?<!every\s)(?:a|one|two|three|four|[1-9])\s+weeks?\s+(?:on\s+)?(?:tomorrow|{ONE_WEEKDAY})", "readings"),
    # Two days offered: "friday or saturday", "tomorrow or the day after".
    (rf"{_A_DAY}\s+or\s+{_A_DAY}", "readings"),
    (r"(?:the\s+)?bank\s+holiday(?:\s+(?:monday|weekend))?", "days"),
)
# The holiday names whose day depends on the country.
_REGIONAL = holiday_dates.REGIONAL_PATTERN


@dataclass(frozen=True)
class Unclear:
    """A phrase in a message that names a date (or time) but not one to trust: where it is,
    and why ("days", "readings", "regional", "time", "contradiction", "order"), with a
    ``detail`` for the last three ("Mother's Day", "Sep 20 is a Monday, not a Friday")."""

    start: int
    end: int
    words: str
    kind: str
    detail: str = ""


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w#@/])(?:{pattern})(?![\w/])", re.I)


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    *((_compile(pattern), kind) for pattern, kind in _CALENDAR),
    (_compile(rf"(?:{_REGIONAL})"), "regional"),
    *((_compile(pattern), "days") for pattern in offsets.VAGUE_PATTERNS),
    *((_compile(pattern), "time") for pattern in times_of_day.VAGUE_PATTERNS),
)
_SEVEN_OR_EIGHT = _compile(times_of_day.SEVEN_OR_EIGHT)
_WINDOW = 30
# A bare hour after a task verb, before a part of the day: "meet 8 this evening" (20:00, or
# eight people?), "buy 2 this evening", "call 4 tomorrow afternoon". The number is no time
# after a task verb (times_of_day.loose_is_time), and reading the part of the day alone set
# 19:00 with "8" left in the title; now nothing is set there and the reply asks.
_HOUR_BEFORE_PART = _compile(
    r"(?:1[0-2]|[1-9])\s+(?:(?:this|tomorrow|today)\s+|in\s+the\s+)(?:morning|afternoon|evening|night)"
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")


def find(text: str) -> list[Unclear]:
    """Every loose phrase in ``text``, in order; of overlapping ones the longest."""
    found = [
        Unclear(m.start(), m.end(), m.group(0), kind, holiday_dates.regional_name(m.group(0)) if kind == "regional" else "")
        for pattern, kind in _PATTERNS
        for m in pattern.finditer(text)
    ]
    found += [
        Unclear(m.start(), m.end(), m.group(0), "time")
        for m in _SEVEN_OR_EIGHT.finditer(text)
        if not times_of_day.HALF_OF_DAY_BEFORE.search(text, max(0, m.start() - _WINDOW), m.start())
    ]
    found += [
        Unclear(m.start(), m.end(), m.group(0), "time")
        for m in _HOUR_BEFORE_PART.finditer(text)
        if _after_task_verb(text, m.start())
    ]
    return longest_first(found)


def _after_task_verb(text: str, start: int) -> bool:
    before = _WORD_BEFORE.search(text, max(0, start - _WINDOW), start)
    return before is not None and times_of_day.is_task_verb(before.group(1))
