"""Numeric dates: "2026-12-04", "2027/07/06", "24.12.2026", "2-15", "12/4", and whether a
day exists at all ("feb 30", "2027-02-29"); a date that cannot be told for sure is
``UnclearDate``, said in the reply rather than guessed.

Decisions:
- ``yyyy-mm-dd`` and ``yyyy/mm/dd`` as written; ``d.m.yyyy`` (dots) is
  day.month; with slashes a number over 12 tells the order ("31/12", "3/15"), and so do
  equal numbers ("5/5"). When both numbers are 12 or less and differ ("5/12", "12/4",
  "03/04/2027") the user's convention is unknown — May 12 to an American, 5 December to a
  Briton — so there is no date (``UnclearDate``, the reply asks which), whether or not one
  reading has passed. A written year of four digits is that year ("1/1/0027" is the year
  27, not 2027: before 1900 it is out of range, ``UnclearDate``); two digits are 20xx.
  A day its month lacks ("2027-02-29", "31/4") is ``UnclearDate`` too: said, not dropped.
  With dashes ("2-15") only an order a number over 12 settles is a date:
  "4-5" is as often a range ("4-5 apples") as a day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .calendar_words import DAY_NUMBER


class UnclearDate(Exception):
    """A phrase that names a date but not one we can be sure of: ``kind`` "contradiction"
    (``reason``: "Sep 20 is a Monday, not a Friday") or "order" ("April 5 or May 4")."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


_SLASH = rf"{DAY_NUMBER}/{DAY_NUMBER}(?:/(?:\d{{4}}|\d{{2}}))?"
NUMERIC = (
    r"(?<![\d.\-/])(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}"
    rf"|{DAY_NUMBER}\.{DAY_NUMBER}\.\d{{4}}|{_SLASH}|{DAY_NUMBER}-{DAY_NUMBER})(?![\d/]|[.\-]\d)"
)


# ---------------------------------------------------------------- numeric dates


def numeric_date(text: str, today: dt.date, weekday: int | None = None) -> dt.date | None:
    """A date written in numbers (see the module's decisions); ``UnclearDate`` when its
    day/month order cannot be told — unless a ``weekday`` said with it fits one reading
    only ("Fri 11/12" on 2026-11-23: Friday December 11)."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    try:
        if re.match(r"\d{4}", text):  # 2026-12-04, 2027/07/06
            if numbers[0] < 1900:
                raise UnclearDate("contradiction", f"the year {text[:4]} is out of range")
            check_day_exists(numbers[1], numbers[2], numbers[0])
            return dt.date(*numbers)
        if "." in text:  # 24.12.2026: day.month.year
            check_day_exists(numbers[1], numbers[0], numbers[2])
            return dt.date(numbers[2], numbers[1], numbers[0])
    except ValueError:
        return None
    first, second = numbers[0], numbers[1]
    year = None
    if len(numbers) == 3:
        written = re.findall(r"\d+", text)[2]
        year = numbers[2] + (2000 if len(written) <= 2 else 0)  # "0027" is the year 27, not 2027
        if year < 1900:
            raise UnclearDate("contradiction", f"the year {written} is out of range")
    if first <= 12 and second <= 12 and first != second:
        if "-" in text:
            return None  # "4-5": a range as often as a date
        # "5/12": May 12 to an American, 5 December to a Briton — never guessed.
        a, b = sorted((dt.date(year or today.year, first, second), dt.date(year or today.year, second, first)))
        if weekday is not None:
            ahead = [d if year or d >= today else _next_year(d) for d in (a, b)]
            fitting = [d for d in ahead if d is not None and d.weekday() == weekday]
            if fitting:  # both fit only a year apart: the nearer
                return min(fitting)
        raise UnclearDate("order", f"{a:%B} {a.day} or {b:%B} {b.day}")
    readings = []
    for month, day in ((first, second), (second, first)):
        try:
            readings.append(dt.date(year or today.year, month, day))
        except ValueError:
            continue
    readings = sorted(set(readings))
    if not readings:
        if "/" in text and (first > 12) != (second > 12):  # "31/4": April has no 31st
            check_day_exists(min(first, second), max(first, second), year)
        return None
    only = readings[0]
    if year is None and only < today:
        return _next_year(only)
    return only


def check_day_exists(month: int, day: int, year: int | None = None) -> None:
    """``UnclearDate`` for a day its month does not have ("feb 30", "2027-02-29"), said in
    the reply rather than dropped in silence; nothing for a month out of 1-12."""
    if not 1 <= month <= 12 or day < 1:
        return
    last = calendar.monthrange(year or 2024, month)[1]  # no year: Feb 29 exists
    if day > last:
        name = dt.date(2024, month, 1).strftime("%B")
        raise UnclearDate("contradiction", f"{name}{f' {year}' if year else ''} has no {_ordinal(day)}")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _next_year(day: dt.date) -> dt.date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # Feb 29
        return None
