"""Dates counted from now: "in 2 days", "3 weeks from today", and a postponement at the
end of a sentence ("push it back a week"). The date finder in ``dates`` asks this module
for its offset pieces (``PIECE_PATTERNS``) and their values (``resolve``)."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from .lexicon import NUMBER_WORDS, number_value

COUNT = r"(?:\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
UNIT = r"(?:minute|min|hour|hr|day|week|wk|month|year|yr)s?"

# (kind, pattern) pairs for the date finder; "offset" is one of its date kinds.
PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("offset", rf"(?:with)?in\s+{COUNT}\s+{UNIT}|{COUNT}\s+{UNIT}\s+from\s+(?:now|today)"),
)
# Phrases that name a time too loosely to set one ("in a few days", "early next week"):
# no date is set from them; they stay in the title and the reply says so (see dates).
VAGUE_PATTERNS: tuple[str, ...] = ()


def resolve(text: str, now: dt.datetime) -> dt.date | dt.datetime | None:
    """The value of an offset piece: a date for day units, a minute-exact moment for clock
    units ("in 2 hours")."""
    found = re.search(rf"({COUNT})\s+({UNIT})", text, re.I)
    if not found:
        return None
    count, unit = found.groups()
    moment = now + _offset(count, unit)
    return moment.replace(second=0, microsecond=0) if _is_clock_unit(unit) else moment.date()


_SHIFT_AT_END = re.compile(
    rf"(?<!\s)\s+(?:back\s+|out\s+|forward\s+|over\s+)?(?:by\s+|for\s+)?(?:another\s+)?({COUNT})\s+({UNIT})\s*$", re.I
)


def find_trailing_shift(text: str, now: dt.datetime) -> tuple[int, dt.date] | None:
    """A postponement at the end of a sentence ("... by a week", "... back 2 days"): where
    it starts, and the day it lands on counted from today (the task's own due date is not
    known here; the brief accepts "relative to now")."""
    match = _SHIFT_AT_END.search(text)
    if not match or _is_clock_unit(match.group(2)):
        return None
    return match.start(), (now + _offset(match.group(1), match.group(2))).date()


def _offset(count: str, unit: str) -> relativedelta:
    amount = number_value(count) or 1
    unit = unit.lower().rstrip("s")
    if unit in ("minute", "min"):
        return relativedelta(minutes=amount)
    if unit in ("hour", "hr"):
        return relativedelta(hours=amount)
    if unit == "day":
        return relativedelta(days=amount)
    if unit in ("week", "wk"):
        return relativedelta(weeks=amount)
    if unit == "month":
        return relativedelta(months=amount)
    return relativedelta(years=amount)


def _is_clock_unit(unit: str) -> bool:
    return unit.lower().rstrip("s") in ("minute", "min", "hour", "hr")
