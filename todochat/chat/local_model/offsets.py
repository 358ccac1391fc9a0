"""Dates counted from now: "in 2 days", "3 weeks from today", "in an hour and a half",
"two weeks hence", "a week from tomorrow", "in 3 business days", "2 weekends from now",
and a shift at the end of a sentence ("push it back a week", "a day earlier": an amount
and a direction only; the update tool moves the task's own date by it). The date finder in
``dates`` asks this module for its offset pieces (``PIECE_PATTERNS``) and their values
(``resolve``).

Decisions:
- Clock units (minutes, hours) give a minute-exact moment ("in 2 hours" at 10:00 is
  12:00); day units and longer give a date ("in 2 days"). "1 hr 30 min", "an hour and a
  half", "half an hour", "1.5 hours" and "90 mins" add up.
- A fortnight is 14 days; "in 3 business days" (or working days) skips Saturdays and
  Sundays, counted from today; months and years keep the day of the month (dateutil:
  Jan 31 + 1 month is Feb 28).
- "from now", "from today", "hence", "later", "after ..." ("after an hour") and "+..."
  ("+15 minutes") and "in ... ('s) time" count from today; "from
  tomorrow" (or "after tomorrow") from tomorrow ("a week from tomorrow" is 8 days ahead).
- "3 fridays from now" is the third Friday after today; "2 weekends from now" the
  Saturday of the second weekend after today.
- Vague amounts set no date ("in a few days", "in a couple of days", "in several weeks",
  "in a while", "soon", "at some point next week"): they stay in the title. "A couple (of)"
  minutes or hours is 2 (a short wait, where the minute hardly matters); a couple of days
  or more is vague: the day is the point of a due date.
- "in about 2 hours" is 2 hours ("about" leaves the title); "in an hour or two", "in 2 or
  3 days", "in 2-3 weeks" are vague.
- Half units of days or longer ("in a week and a half", "in 2.5 days") set no date.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from .calendar_words import ONE_WEEKDAY, WEEKDAYS
from .lexicon import NUMBER_WORDS, ONES, TEENS, TENS, number_value, one_of

# For the postponement at the end of a sentence (and other readers): a count and a unit.
COUNT = r"(?:\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
UNIT = r"(?:minute|min|hour|hr|day|week|wk|month|year|yr)s?"

# 1-99 in words: "five", "fifteen", "twenty five", "ninety-nine".
_NUMBER_WORD = rf"(?:{one_of(TENS)}(?:[\s-]?{one_of(ONES)})?|{one_of(TEENS)}|{one_of(ONES)})"
_AMOUNT = rf"(?:\d{{1,9}}(?:\.\d{{1,3}})?|{_NUMBER_WORD}|an?|a\s+couple(?:\s+of)?|a\s+pair\s+of|couple\s+of)"
_UNIT_WORD = (
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|fortnights?|months?|years?|yrs?"
    r"|(?:business|working|work)\s*days?)"
)
_UNIT_LETTER = r"(?:h|d|w|y)"  # "1h", "2d": only right after digits
_ONE_AMOUNT = "|".join((
    r"\d{1,3}\s*h\s*[0-5]?\d\s*(?:m|mins?)?",  # 2h30, 1h 30m
    rf"{_AMOUNT}\s+{_UNIT_WORD}(?:\s+and\s+a\s+half)?",
    rf"\d{{1,9}}(?:\.\d{{1,3}})?\s*(?:{_UNIT_WORD}|{_UNIT_LETTER})",
    rf"{_AMOUNT}\s+and\s+a\s+half\s+{_UNIT_WORD}",
    r"(?:a\s+)?half\s+(?:an?\s+)?hour|half-hour",
    r"(?:a\s+|one\s+|three\s+)?quarters?\s+of\s+an\s+hour",
))
# "1 hr 30 min", "2 hours and 15 minutes"
_DURATION = rf"(?:{_ONE_AMOUNT})(?:\s*(?:,\s*)?(?:and\s+)?(?:{_ONE_AMOUNT}))?"
# "after" counts from a day too: "a week after tomorrow", "2 days after next friday".
_FROM = rf"(?:(?:from|after)\s+(?:now|today|tomorrow|(?:this\s+|next\s+)?{ONE_WEEKDAY})|hence|on\s+from\s+today)"

_APPROX_WORD = r"(?:about|around|roughly|approximately|approx\.?|maybe|like)"
_DAYS_OR_MORE = r"(?:days?|weeks?|fortnights?|months?|years?|(?:business|working|work)\s*days?)"
# "a few hours" is vague, "a couple of hours" is 2 hours, "a couple of days" vague again.
_VAGUE_AMOUNT = (
    rf"(?:(?:a\s+)?few|several|some|a\s+number\s+of|many)\s+(?:{_UNIT_WORD})"
    rf"|(?:a\s+)?couple(?:\s+of)?\s+{_DAYS_OR_MORE}"
)
# Phrases too loose to set a date from (see the module docstring).
VAGUE_PATTERNS: tuple[str, ...] = (
    rf"(?:with)?in\s+(?:the\s+)?(?:next\s+)?(?:{_VAGUE_AMOUNT})(?:['’]s?\s+time)?",
    rf"(?:{_VAGUE_AMOUNT})\s+{_FROM}",
    rf"(?:(?:with)?in\s+)?{_AMOUNT}\s+(?:{_DAYS_OR_MORE})\s+and\s+a\s+half(?:\s+{_FROM})?",
    rf"(?:with)?in\s+(?:the\s+)?(?:coming|next)\s+(?:{_DAYS_OR_MORE})",
    r"in\s+a\s+(?:little\s+)?(?:while|bit)",
    # "in an hour or two", "in a day or so", "in 2 or 3 days", "in 2-3 weeks"
    rf"(?:with)?in\s+(?:{_APPROX_WORD}\s+)?{_AMOUNT}\s+{_UNIT_WORD}\s+or\s+(?:so|more|{_NUMBER_WORD}|\d+)",
    rf"(?:with)?in\s+(?:{_APPROX_WORD}\s+)?(?:{_NUMBER_WORD}|\d+)\s*(?:or|to|-|–)\s*(?:{_NUMBER_WORD}|\d+)"
    rf"\s+{_UNIT_WORD}",
    r"(?:some\s*time\s+)?(?<!\bas\s)soon(?!\s+as\b)",
    r"one\s+of\s+these\s+days",
    r"(?:at\s+)?some\s+point\s+(?:next|this)\s+(?:week|month|year)",
)

# (kind, pattern) pairs for the date finder; "offset" is one of its date kinds. The vague
# phrases are offsets too, that ``resolve`` gives no value: so they set no date.
PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "offset",
        rf"(?:with)?in\s+(?:the\s+next\s+|{_APPROX_WORD}\s+)?{_DURATION}(?:['’]s?\s+time|\s+from\s+now)?"
        rf"|{_DURATION}\s+{_FROM}"
        # "2 days later", "after an hour", "+15 minutes": counted from now too ("later" in
        # lower case only: "watch 28 Days Later" is a film)
        rf"|{_DURATION}\s+(?-i:later)|after\s+{_DURATION}(?!\s+(?:of|from|and)\b)|\+\s?{_DURATION}"
        rf"|{_AMOUNT}\s+(?:{ONE_WEEKDAY}s|weekends?)\s+from\s+(?:now|today)",
    ),
    ("offset", "|".join(VAGUE_PATTERNS)),
)
_VAGUE = re.compile("|".join(VAGUE_PATTERNS), re.I)

# Each amount of an offset piece, read one after another ("1 hr" then "30 min").
_PART = re.compile(
    rf"""
    \b
    (?:(\d{{1,3}})\s*h\s*([0-5]?\d)(?!\s*(?:h|d|w|y|hours?|hrs?|days?)\b)
        |(?:a\s+)?(half)\s+(?:an?\s+)?hour|half-(hour)
        |(?:(a|one|three)\s+)?(quarters?)\s+of\s+an\s+hour
        |({_AMOUNT})\s+and\s+a\s+half\s+({_UNIT_WORD})
        |(\d{{1,9}}(?:\.\d{{1,3}})?(?=\s*(?:{_UNIT_WORD}|{_UNIT_LETTER}\b))|{_AMOUNT}(?=\s+{_UNIT_WORD}))
        \s*({_UNIT_WORD}|{_UNIT_LETTER}\b)(\s+and\s+a\s+half)?)
    """,
    re.I | re.X,
)
_NTH_WEEKDAY = re.compile(rf"({_AMOUNT})\s+({ONE_WEEKDAY}|weekend)s?\s+from", re.I)
_MAX_COUNT = 100_000  # "in 999999999 days" is no date


def resolve(text: str, now: dt.datetime) -> dt.date | dt.datetime | None:
    """The value of an offset piece: a date for day units, a minute-exact moment for clock
    units ("in 2 hours"); ``None`` for a vague one ("in a few days")."""
    if _VAGUE.fullmatch(" ".join(text.split())):
        return None
    today = now.date()
    nth = _NTH_WEEKDAY.match(text)
    if nth:
        return _nth_weekday(nth.group(1), nth.group(2).lower(), today)
    start = _start(text, now)
    total = relativedelta()
    business_days = 0
    clock = found = False
    for part in _PART.finditer(text):
        found = True
        amount, unit = _amount_and_unit(part)
        if amount is None:
            return None
        unit_name = _unit_name(unit)
        if unit_name in ("minute", "hour"):
            clock = True
            minutes = amount * (60 if unit_name == "hour" else 1)
            if minutes.denominator != 1:
                return None
            total += relativedelta(minutes=int(minutes))
            continue
        if amount.denominator != 1:  # "in 2.5 days": no date is better than a guess
            return None
        if unit_name == "business_day":
            business_days += int(amount)
        else:
            total += _offset(int(amount), unit_name)
    if not found:
        return None
    moment = start + total
    if clock:
        return moment.replace(second=0, microsecond=0)
    return _add_business_days(moment.date(), business_days)


def _start(text: str, now: dt.datetime) -> dt.datetime:
    """What an offset counts from: now, tomorrow ("a week from tomorrow") or the next
    weekday, strictly after today as "friday" alone is ("a week from friday")."""
    base = re.search(rf"\b(?:from|after)\s+(?:this\s+|next\s+)?(tomorrow|{ONE_WEEKDAY})\b", text, re.I)
    if base is None:
        return now
    if base.group(1).lower() == "tomorrow":
        return now + dt.timedelta(days=1)
    if re.search(r"\bnext\s", base.group(0), re.I):  # "from next friday": next week's, as dates reads it
        start_of_next_week = now.date() - dt.timedelta(days=now.weekday()) + dt.timedelta(weeks=1)
        day = start_of_next_week + dt.timedelta(days=WEEKDAYS.index(base.group(1).lower()))
        return dt.datetime.combine(day, now.time())
    days_ahead = (WEEKDAYS.index(base.group(1).lower()) - now.weekday()) % 7 or 7
    return now + dt.timedelta(days=days_ahead)


def _amount_and_unit(part: re.Match[str]) -> tuple[Fraction | None, str]:
    (hours, minutes, half, half_hour, quarters_count, quarters, half_amount, half_unit,
     amount, unit, and_a_half) = part.groups()
    if hours:  # "2h30"
        return Fraction(int(hours) * 60 + int(minutes)), "minute"
    if half or half_hour:
        return Fraction(1, 2), "hour"
    if quarters:
        return Fraction(3 if (quarters_count or "").lower() == "three" else 1, 4), "hour"
    if half_amount:
        count = _count(half_amount)
        return (None if count is None else count + Fraction(1, 2)), half_unit
    count = _count(amount)
    if count is not None and and_a_half:
        count += Fraction(1, 2)
    return count, unit


def _count(token: str) -> Fraction | None:
    token = " ".join(token.lower().split())
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        value = Fraction(token)
    elif token in ("a couple of", "a couple", "couple of", "a pair of"):  # "in a couple hours"
        value = Fraction(2)
    else:
        words = _word_number(token)
        value = Fraction(words) if words is not None else None
    if value is None or not 0 < value <= _MAX_COUNT:
        return None
    return value


def _word_number(token: str) -> int | None:
    if token in ("a", "an"):
        return 1
    total = 0
    for word in re.split(r"[\s-]+", token):
        value = ONES.get(word) or TEENS.get(word) or TENS.get(word)
        if value is None:
            return None
        total += value
    return total or None


def _unit_name(unit: str) -> str:
    unit = " ".join(unit.lower().split())
    if re.match(r"(?:business|working|work)", unit):
        return "business_day"
    for name, prefixes in (
        ("minute", ("min",)), ("hour", ("h",)), ("day", ("d",)), ("fortnight", ("f",)),
        ("week", ("w",)), ("month", ("mo",)), ("year", ("y",)),
    ):
        if unit.startswith(prefixes):
            return name
    raise ValueError(unit)


def _add_business_days(day: dt.date, count: int) -> dt.date:
    """``count`` weekdays after ``day`` (Saturdays and Sundays are skipped)."""
    if not count:
        return day
    weeks, rest = divmod(count, 5)
    day += dt.timedelta(weeks=weeks)
    while rest:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def _nth_weekday(count_text: str, name: str, today: dt.date) -> dt.date | None:
    """"3 fridays from now": the third Friday after today; "2 weekends": the second Saturday."""
    count = _count(count_text)
    if count is None or count.denominator != 1:
        return None
    target = 5 if name == "weekend" else WEEKDAYS.index(name)
    days_ahead = (target - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=days_ahead) + dt.timedelta(weeks=int(count) - 1)


# A shift at the end of a sentence: "... back 2 days", "... by a week", "... 1 day earlier",
# "... forward a week" ("ahead" is "forward"). A count of more than 6 digits is too far
# (and not read: int() of a 5000-digit number is an error).
_SHIFT_AT_END = re.compile(
    rf"(?<!\s)\s+(?:(back|out|forward|ahead|over)\s+)?(?:by\s+|for\s+)?(?:another\s+)?({COUNT})\s+({UNIT})"
    rf"(?:\s+(earlier|sooner|later|back|forward|ahead|out))?\s*$",
    re.I,
)
_SHIFT_UNIT_LETTER = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_SHIFT_UNIT_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
SHIFT_MAX_DAYS = 3650  # as the update tool allows


class Shift(NamedTuple):
    """A shift said at the end of a sentence: where it starts, the amount as an ISO 8601
    duration without a sign ("P2D"), its direction word ("earlier", "later", "forward" or
    "" when none was said: the verb decides), and whether it is more than the tool allows."""

    start: int
    duration: str
    direction: str
    too_far: bool


def find_trailing_shift(text: str) -> Shift | None:
    """A postponement at the end of a sentence ("... by a week", "... back 2 days", "... a
    day earlier"). The date it lands on is not computed here: the update tool shifts the
    task's own due date (keeping its time), which only the tool knows."""
    match = _SHIFT_AT_END.search(text)
    if not match or _is_clock_unit(match.group(3)) or re.search(r"few|couple", match.group(2), re.I):
        return None  # "push it back a few days": how many? no date is better than a guess
    count = match.group(2)
    amount = SHIFT_MAX_DAYS + 1 if count.isdigit() and len(count) > 6 else number_value(count)
    if not amount:  # "push it back 0 days"
        return None
    unit = match.group(3).lower().rstrip("s")
    unit = {"wk": "week", "yr": "year"}.get(unit, unit)
    words = {(match.group(1) or "").lower(), (match.group(4) or "").lower()} - {""}
    directions = {"earlier" if w in ("earlier", "sooner") else "forward" if w in ("forward", "ahead") else "later" for w in words}
    direction = directions.pop() if len(directions) == 1 else ("conflict" if directions else "")
    too_far = amount * _SHIFT_UNIT_DAYS[unit] > SHIFT_MAX_DAYS
    return Shift(match.start(), f"P{amount}{_SHIFT_UNIT_LETTER[unit]}", direction, too_far)


def _offset(amount: int, unit: str) -> relativedelta:
    if unit == "minute":
        return relativedelta(minutes=amount)
    if unit == "hour":
        return relativedelta(hours=amount)
    if unit == "day":
        return relativedelta(days=amount)
    if unit == "week":
        return relativedelta(weeks=amount)
    if unit == "fortnight":
        return relativedelta(weeks=2 * amount)
    if unit == "month":
        return relativedelta(months=amount)
    return relativedelta(years=amount)


def _is_clock_unit(unit: str) -> bool:
    return unit.lower().rstrip("s") in ("minute", "min", "hour", "hr")
