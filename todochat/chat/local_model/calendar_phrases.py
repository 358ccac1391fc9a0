"""Calendar dates said in more than one word, which ``dates`` finds as one piece each:

- a weekday of a month: "the first tuesday in october", "the last weekday of the month";
- a day of a month or year: "the last day of next month", "the third day of march";
- "friday after next", "the weekend after next", "wednesday next week", "tuesday of this week";
- counted from a day: "a week from friday", "two saturdays from now", "2 weeks from tomorrow";
- "this time next week" (same clock time), "first thing tomorrow" (09:00);
- a weekday with its date: "Fri, Dec 4", "tuesday the 1st" — the weekday must agree.

Numeric dates ("2026-12-04", "12/4") are numeric_dates.py's.

Decisions:
- "X after next" is a week after the "X" of ``dates`` (on Monday 2026-11-23 "friday after
  next" is Dec 4, "monday after next" Dec 7).
- "the first monday of <month>": this year's unless it has passed, then next year's; "of
  the/this month" this month's unless passed, then next month's.
- A weekday with a date must agree with it: "Fri, Sep 20" when Sep 20 is a Monday is
  ``UnclearDate`` — one of the two is a slip, and guessing which would be wrong in silence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from dateutil.relativedelta import relativedelta

from .calendar_words import (
    DAY_OF_MONTH,
    DAY_ORDINAL,
    MONTH,
    MONTH_MAY_CAPITALISED,
    NTH,
    ONE_WEEKDAY,
    SHORT_WEEKDAY,
    SPELLED_ORDINAL,
    WEEKDAYS,
    month_index,
    next_weekday,
    nth,
    ordinal_day,
    week_start,
    weekday_index,
)
from .lexicon import NUMBER_WORDS, number_value
from .numeric_dates import NUMERIC, UnclearDate, numeric_date

Due = dt.date | dt.datetime


_COUNT = r"(?:\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
# A spelled day after a month ("march first"): not after a lowercase "may".
_MONTH_BEFORE_SPELLED = MONTH_MAY_CAPITALISED
_YEAR = r"(?:,?\s+\d{4})?"
_DAY_ANCHOR = rf"tomorrow|(?:next\s+)?{ONE_WEEKDAY}|{MONTH}\s+{DAY_OF_MONTH}{_YEAR}|{DAY_OF_MONTH}\s+(?:of\s+)?{MONTH}{_YEAR}"


_A_DATE = (
    rf"{MONTH}\s+{DAY_OF_MONTH}{_YEAR}|{DAY_OF_MONTH}\s+(?:of\s+)?{MONTH}{_YEAR}|{NUMERIC}"
    rf"|the\s+(?:{DAY_ORDINAL}|{SPELLED_ORDINAL})"
)

# (kind, pattern) pairs for the date finder; every kind is a date kind.
PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("nth_weekday", rf"(?:the\s+)?{NTH}\s+(?:{ONE_WEEKDAY}|weekday)\s+(?:of|in)\s+(?:{MONTH}|(?:the|this|next)\s+month)"),
    ("day_of", rf"(?:the\s+)?(?:last|{SPELLED_ORDINAL}|{DAY_ORDINAL})\s+day\s+of\s+(?:(?:the|this|next)\s+(?:month|year)|{MONTH})"),
    ("after_next", rf"(?:the\s+)?(?:{ONE_WEEKDAY}|weekend|week)\s+after\s+next"),
    ("weekday_of_week", rf"{ONE_WEEKDAY}\s+(?:of\s+)?(?:this|next)\s+week|(?:this|next)\s+week\s+(?:on\s+)?{ONE_WEEKDAY}"),
    # A bare "from" at the end too: the message's cleaning takes a last "now" for politeness.
    ("counted_weekday", rf"{_COUNT}\s+(?:{ONE_WEEKDAY}s|weekends)\s+from(?:\s+(?:now|today)|(?=\s*\Z))"),
    ("from_day", rf"{_COUNT}\s+(?:day|week|month|year)s?\s+from\s+(?:{_DAY_ANCHOR})"),
    # Alone only after a task and at the end of a clause: "the first thing to check" and
    # "add first thing" are titles.
    ("first_thing", rf"(?<!\bthe\s)first\s+thing(?:(?:\s+in\s+the\s+morning)?\s+(?:on\s+)?(?:tomorrow|(?:next\s+|this\s+)?{ONE_WEEKDAY})(?:\s+morning)?"
                    r"|\s+in\s+the\s+morning)"
                    rf"|(?:tomorrow|(?:next\s+|this\s+)?{ONE_WEEKDAY})\s+(?:morning\s+)?first\s+thing"),
    ("first_thing", r"(?<!\bthe\s)(?<=\w\s)first\s+thing(?=\s*(?:[,.;!]|\Z))"),
    ("spelled_month_day", rf"{_MONTH_BEFORE_SPELLED}\s+(?:the\s+)?(?:{SPELLED_ORDINAL}){_YEAR}|(?:the\s+)?(?:{SPELLED_ORDINAL})\s+of\s+{MONTH}{_YEAR}"),
    ("month_ordinal", rf"(?:next|this)\s+month\s+on\s+the\s+(?:{DAY_ORDINAL}|{SPELLED_ORDINAL})"
                      rf"|(?:the\s+)?(?:{DAY_OF_MONTH}|{SPELLED_ORDINAL})\s+(?:of\s+)?(?:the|this|next)\s+month"),
    ("dated_weekday", rf"(?:{ONE_WEEKDAY}|{SHORT_WEEKDAY})\.?,?\s+(?:{_A_DATE})"),
)
KINDS = frozenset(kind for kind, _ in PIECE_PATTERNS)


def resolve(kind: str, text: str, now: dt.datetime, calendar_date: Callable[[str, dt.datetime], dt.date | None]) -> Due | None:
    """The value of one of these pieces. ``calendar_date`` reads a month and day ("dec 4")
    the way ``dates`` does; raises ``UnclearDate`` when the phrase cannot be trusted."""
    today = now.date()
    text = " ".join(text.lower().split())
    match kind:
        case "nth_weekday":
            return _nth_weekday(text, today)
        case "day_of":
            return _day_of(text, today)
        case "after_next":
            return _after_next(text, today)
        case "weekday_of_week":
            target = weekday_index(re.search(ONE_WEEKDAY, text).group())
            day = week_start(today, 1 if "next" in text else 0) + dt.timedelta(days=target)
            return day if day >= today else None
        case "counted_weekday":
            return _counted_weekday(text, today)
        case "from_day":
            return _from_day(text, now, calendar_date)
        case "first_thing":
            return _first_thing(text, now)
        case "spelled_month_day":
            return _spelled_month_day(text, now, calendar_date)
        case "month_ordinal":
            return _month_ordinal(text, today)
        case "dated_weekday":
            return _dated_weekday(text, now, calendar_date)
    return None


def _month_named(text: str, today: dt.date) -> tuple[int, int] | None:
    """(year, month) of "of/in <month>", "the/this month", "next month" in ``text``; a
    named month is this year's (the caller moves on when the day has passed)."""
    if "next month" in text:
        first = today.replace(day=1) + relativedelta(months=1)
        return first.year, first.month
    if re.search(r"\b(?:the|this) month\b", text):
        return today.year, today.month
    words = re.findall(r"[a-z]+\.?", text)
    month = next((month_index(w) for w in reversed(words) if month_index(w) and re.fullmatch(MONTH, w)), None)
    return (today.year, month) if month else None


def _in_month(year: int, month: int, pick: Callable[[dt.date], dt.date | None]) -> dt.date | None:
    if not 1 <= year <= 9999:
        return None
    return pick(dt.date(year, month, 1))


def _nth_weekday(text: str, today: dt.date) -> dt.date | None:
    count = nth(re.search(NTH, text).group())
    weekday = re.search(rf"{ONE_WEEKDAY}|weekday", text).group()

    def pick(first: dt.date) -> dt.date | None:
        if weekday == "weekday":  # Monday to Friday
            days = [first + dt.timedelta(days=i) for i in range((first + relativedelta(months=1) - first).days)]
            workdays = [d for d in days if d.weekday() < 5]
            return workdays[-1] if count == -1 else (workdays[count - 1] if count <= len(workdays) else None)
        target = weekday_index(weekday)
        if count == -1:
            last = first + relativedelta(months=1, days=-1)
            return last - dt.timedelta(days=(last.weekday() - target) % 7)
        day = first + dt.timedelta(days=(target - first.weekday()) % 7 + 7 * (count - 1))
        return day if day.month == first.month else None  # no fifth monday this month

    return _this_or_next(text, today, pick)


def _this_or_next(text: str, today: dt.date, pick: Callable[[dt.date], dt.date | None]) -> dt.date | None:
    """``pick`` applied to the month the text names; when that day has passed, to the next
    such month (next year's for a named month, next month for "the month"), never for "next month"."""
    named = _month_named(text, today)
    if named is None:
        return None
    year, month = named
    day = _in_month(year, month, pick)
    if day is not None and day >= today:
        return day
    if re.search(r"\b(?:next|this) month\b", text):
        return None  # said of one month: a day of it that has passed is no due date
    later = dt.date(year, month, 1) + (relativedelta(months=1) if re.search(r"\bthe month\b", text) else relativedelta(years=1))
    day = _in_month(later.year, later.month, pick)
    return day if day is not None and day >= today else None


def _day_of(text: str, today: dt.date) -> dt.date | None:
    """"the last day of next month", "the third day of march", "the first day of next year"."""
    which = re.match(r"(?:the )?(.+?) day of ", text).group(1)
    if re.search(r"\b(?:next|this|the) year$", text):
        year = today.year + (1 if "next" in text else 0)
        if not 1 <= year <= 9999:
            return None
        day = dt.date(year, 12, 31) if which == "last" else dt.date(year, 1, 1) + dt.timedelta(days=(ordinal_day(which) or 1) - 1)
        return day if day >= today and day.year == year else None

    def pick(first: dt.date) -> dt.date | None:
        if which == "last":
            return first + relativedelta(months=1, days=-1)
        number = ordinal_day(which)
        try:
            return first.replace(day=number) if number else None
        except ValueError:
            return None

    return _this_or_next(text, today, pick)


def _after_next(text: str, today: dt.date) -> dt.date:
    """A week after the coming one: "friday after next", "the weekend after next" (its
    Saturday), "the week after next" (its Monday)."""
    which = text.split()[-3]
    if which == "week":
        return week_start(today, 2)
    target = 5 if which == "weekend" else weekday_index(which)
    return next_weekday(today, target) + dt.timedelta(weeks=1)


def _count(text: str) -> int | None:
    found = re.match(_COUNT, text)
    return number_value(found.group()) if found else None


def _counted_weekday(text: str, today: dt.date) -> dt.date | None:
    """"two saturdays from now": the second Saturday after today; "2 weekends from now"
    the second weekend's Saturday (this one counts when today is a weekday)."""
    count = _count(text)  # at most three digits: a date past year 9999 is OverflowError, no date
    if not count:
        return None
    if "weekend" in text:
        first = next_weekday(today, 5)
    else:
        first = next_weekday(today, weekday_index(re.search(ONE_WEEKDAY, text).group()))
    return first + dt.timedelta(weeks=count - 1)


def _from_day(text: str, now: dt.datetime, calendar_date) -> dt.date | None:
    """"a week from friday", "2 weeks from tomorrow", "3 days from dec 4"."""
    count = _count(text)
    unit, anchor = re.search(r"(day|week|month|year)s?\s+from\s+(.+)$", text).groups()
    if not count:
        return None
    today = now.date()
    if anchor == "tomorrow":
        base: dt.date | None = today + dt.timedelta(days=1)
    elif re.fullmatch(rf"(?:next\s+)?{ONE_WEEKDAY}", anchor):
        target = weekday_index(anchor.split()[-1])
        base = week_start(today, 1) + dt.timedelta(days=target) if anchor.startswith("next") else next_weekday(today, target)
    else:
        base = calendar_date(anchor, now)
    if base is None:
        return None
    try:
        return base + relativedelta(**{unit + "s": count})
    except (OverflowError, ValueError):
        return None


_FIRST_THING = dt.time(9)


def _first_thing(text: str, now: dt.datetime) -> dt.datetime:
    """"first thing tomorrow": 09:00 that day; "first thing" alone: the next 09:00."""
    today = now.date()
    weekday = re.search(ONE_WEEKDAY, text)
    if "tomorrow" in text:
        day = today + dt.timedelta(days=1)
    elif weekday:
        target = weekday_index(weekday.group())
        if re.search(r"\bnext\s", text):
            day = week_start(today, 1) + dt.timedelta(days=target)
        elif re.search(r"\bthis\s", text):
            day = today + dt.timedelta(days=(target - today.weekday()) % 7)
        else:
            day = next_weekday(today, target)
    else:
        moment = dt.datetime.combine(today, _FIRST_THING)
        return moment if moment > now else moment + dt.timedelta(days=1)
    return dt.datetime.combine(day, _FIRST_THING)


def _spelled_month_day(text: str, now: dt.datetime, calendar_date) -> dt.date | None:
    """"march first", "the third of may" -> read as "march 1", "3 may"."""
    spelled = re.search(SPELLED_ORDINAL, text)
    number = ordinal_day(spelled.group()) if spelled else None
    if not number:
        return None
    return calendar_date(text[: spelled.start()] + str(number) + text[spelled.end() :], now)


def _month_ordinal(text: str, today: dt.date) -> dt.date | None:
    """"next month on the 5th", "the 20th of next month", "20 of the month"."""
    number = ordinal_day(re.search(rf"{DAY_ORDINAL}|{SPELLED_ORDINAL}|\d+", text).group())
    if not number:
        return None

    def pick(first: dt.date) -> dt.date | None:
        try:
            return first.replace(day=number)
        except ValueError:
            return None

    return _this_or_next(text, today, pick)


def _dated_weekday(text: str, now: dt.datetime, calendar_date) -> dt.date | None:
    """"Fri, Dec 4", "thursday, december 10", "tuesday the 1st": the date, if the weekday
    agrees with it."""
    weekday = re.match(r"[a-z]+", text).group()
    rest = text[len(weekday):].lstrip(".,").strip()
    spelled = re.search(SPELLED_ORDINAL, rest)
    if spelled:  # "monday, the first of march" -> "the 1 of march"
        rest = rest[: spelled.start()] + str(ordinal_day(spelled.group())) + rest[spelled.end() :]
    if rest.startswith("the ") and not re.search(MONTH + r"\s*$", rest):
        number = ordinal_day(rest[4:])
        day = day_of_month(number, now.date()) if number else None
    elif re.fullmatch(NUMERIC, rest):
        day = numeric_date(rest, now.date(), weekday_index(weekday))
    else:
        day = calendar_date(rest, now)
    if day is None:
        return None
    said = weekday_index(weekday)
    if said is not None and day.weekday() != said:
        shown = f"{day:%b} {day.day}" + ("" if day.year == now.year else f", {day.year}")
        raise UnclearDate("contradiction", f"{shown} is a {WEEKDAYS[day.weekday()].title()}, not a {WEEKDAYS[said].title()}")
    return day


def day_of_month(day: int, today: dt.date) -> dt.date | None:
    """"the 5th": this month's if still ahead (today included), else the next month that has it."""
    month_start = today.replace(day=1)
    for months_ahead in range(0, 13):
        try:
            month = month_start + relativedelta(months=months_ahead)
            candidate = month.replace(day=day)
        except (ValueError, OverflowError):
            continue
        if candidate >= today:
            return candidate
    return None
