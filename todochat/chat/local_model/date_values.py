"""What a date phrase means: its pieces resolved against "now" into one date, or one date
and time (naive local time). Month-and-day phrases ("dec 4", "4th of december 2026") are
read by dateparser; weekdays, periods ("next month", "end of the week") and a phrase's
time are worked out here, numeric dates by calendar_phrases and clock times by
times_of_day."""

from __future__ import annotations

import datetime as dt
import re

import dateparser
from dateutil.relativedelta import relativedelta

from . import calendar_phrases, holiday_dates, offsets, times_of_day
from .calendar_phrases import day_of_month
from .calendar_words import (
    MONTH,
    month_index,
    next_weekday,
    ordinal_day,
    weekday_index,
)
from .date_pieces import DATE_KINDS, DAY_KINDS_WITH_TIMES, TIME_KINDS, YEAR_NUMBER, Piece
from .numeric_dates import NUMERIC, check_day_exists, numeric_date

Due = dt.date | dt.datetime


_DATEPARSER_BASE_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "DATE_ORDER": "MDY",
    "PREFER_DAY_OF_MONTH": "first",
}


# ---------------------------------------------------------------- resolving


def resolve_group(group: list[Piece], now: dt.datetime) -> Due | None:
    today = now.date()
    date_pieces = [p for p in group if p.kind in DATE_KINDS]
    time_pieces = [p for p in group if p.kind in TIME_KINDS]
    # The most specific date wins: "friday, december 4th" is December 4th.
    date_piece = next((p for p in date_pieces if p.kind in ("month_day", "numeric")), None) or (
        date_pieces[0] if date_pieces else None
    )

    year = _written_year(date_piece, time_pieces)
    if year is not None:
        time_pieces = [p for p in time_pieces if not YEAR_NUMBER.fullmatch(p.text.strip())]
        if year < today.year:
            return None
        if year > today.year:  # "thanksgiving 2014": that year's, counted from its start
            now = dt.datetime(year, 1, 1)
    try:
        day: Due | None = _resolve_date(date_piece, now) if date_piece else None
    except (OverflowError, ValueError):  # "in 999999999 years"
        return None
    if year is not None and (day is None or day.year != year):
        return None  # "easter 2013" read in 2013 after Easter: that one has passed
    if date_piece and day is None:
        return None
    if isinstance(day, dt.datetime):  # "in 2 hours", "later": already a moment
        return day

    clock: dt.time | None = None
    if time_pieces:
        clock = times_of_day.clock_of(
            [(p.kind, p.text) for p in time_pieces], [p.text for p in group], now
        )
        if clock is None or (times_of_day.needs_partner([p.kind for p in time_pieces]) and not date_piece):
            return None
    elif date_piece and re.search(r"tonight", date_piece.text, re.I) and now.time() < times_of_day.PART_TIMES["night"]:
        clock = times_of_day.PART_TIMES["night"]  # said after 20:00 it is still tonight: no time

    if clock is None:
        return day
    if day is None:  # a time alone: the next time the clock shows it ("this morning": today)
        candidate = dt.datetime.combine(today, clock)
        said_today = times_of_day.says_today([p.text for p in time_pieces])
        return candidate if candidate > now or said_today else candidate + dt.timedelta(days=1)
    day = times_of_day.day_of(day, clock, [p.text for p in group], today)
    return None if day is None else dt.datetime.combine(day, clock)


# A four-digit number beside a calendar date is its year, not a 24-hour time: "thanksgiving
# 2013", "last day of october 2015", "2018 March 18" (it read as 20:13, in silence). Beside
# a day word or weekday it stays a time: "tomorrow 1930".


def _written_year(date_piece: Piece | None, time_pieces: list[Piece]) -> int | None:
    if date_piece is None or date_piece.kind in DAY_KINDS_WITH_TIMES:
        return None
    years = [p for p in time_pieces if p.kind == "loose_time" and YEAR_NUMBER.fullmatch(p.text.strip())]
    return int(years[0].text) if years else None


def _resolve_date(piece: Piece, now: dt.datetime) -> Due | None:
    today = now.date()
    text = " ".join(piece.text.lower().split())
    match piece.kind:
        case "day":
            if "after" in text:
                return today + dt.timedelta(days=2)
            if text.startswith("tom") or text.startswith("tm"):
                return today + dt.timedelta(days=1)
            if text == "yesterday":  # a task that was due then: overdue at once
                return today - dt.timedelta(days=1)
            return today
        case "weekday" | "start_weekday":
            return _weekday(text, today)
        case "holiday":
            return holiday_dates.next_date(text, today)
        case "month_day":
            return _calendar_date(text, now)
        case "numeric":
            return numeric_date(text, today)
        case "ordinal":
            day = ordinal_day(re.sub(r"^(?:(?:on|by|due|before|until|till)\s+)?(?:the\s+)?", "", text))
            return day_of_month(day, today) if day else None
        case "offset":
            return offsets.resolve(text, now)
        case "period":
            return _period(text, today)
        case "later":
            # "later today": a few hours from now, but never past today's evening.
            moment = min(now + dt.timedelta(hours=3), dt.datetime.combine(today, dt.time(21)))
            return moment.replace(minute=0, second=0, microsecond=0) if moment > now else today
    if piece.kind in calendar_phrases.KINDS:
        return calendar_phrases.resolve(piece.kind, text, now, _calendar_date)
    return None


def _weekday(text: str, today: dt.date) -> dt.date:
    target = weekday_index(text.split()[-1])
    modifier = text.split()[0]
    if modifier == "next":
        start_of_next_week = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=1)
        return start_of_next_week + dt.timedelta(days=target)
    if modifier == "this" and "coming" not in text:
        return today + dt.timedelta(days=(target - today.weekday()) % 7)
    return next_weekday(today, target)


def _calendar_date(text: str, now: dt.datetime) -> dt.date | None:
    """A month and day, with or without a year ("dec 4", "4th of december 2026", "14th
    April 27"): dateparser reads it; without a year it is the next such day, today included."""
    cleaned = re.sub(r"^the\s+", "", text.lower())
    cleaned = re.sub(rf"^({MONTH})\s+the\s+", r"\1 ", cleaned)  # "february the 15th"
    short_year = re.search(rf"^\d+(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH})\s*,?\s+'?(\d{{2}})$", cleaned)
    if short_year:  # "14th april 27": dateparser takes "27" for a day
        cleaned = cleaned[: short_year.start(2)].rstrip(" ,'") + " 20" + short_year.group(2)
    if re.fullmatch(NUMERIC, cleaned):
        return numeric_date(cleaned, now.date())
    settings = {**_DATEPARSER_BASE_SETTINGS, "RELATIVE_BASE": now}
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        _no_such_day(cleaned)  # "feb 30": said, not dropped in silence
        return None
    if re.search(r"\d{4}", cleaned):  # the year was written: keep it
        return parsed.date()
    # dateparser's "future" skips today ("nov 23" on Nov 23 is next year): we keep today.
    today = now.date()
    try:
        this_year = dt.date(today.year, parsed.month, parsed.day)
    except ValueError:  # Feb 29
        return parsed.date()
    return this_year if this_year >= today else parsed.date()


def _no_such_day(cleaned: str) -> None:
    month = re.search(MONTH, cleaned)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", cleaned)
    year = re.search(r"\b(\d{4})\b", cleaned)
    number = month_index(month.group()) if month else None
    if number and day:
        check_day_exists(number, int(day.group(1)), int(year.group(1)) if year else None)


def _period(text: str, today: dt.date) -> dt.date | None:
    end_of_week_sunday = today + dt.timedelta(days=6 - today.weekday())
    month = re.search(rf"of ({MONTH})$", text)
    if month and month_index(month.group(1)):  # "end of march": its last day, the next one ahead
        number = month_index(month.group(1))
        last = dt.date(today.year, number, 1) + relativedelta(months=1, days=-1)
        return last if last >= today else dt.date(today.year + 1, number, 1) + relativedelta(months=1, days=-1)
    if "next" in text and re.search(r"\b(?:beginning|start) of", text):
        return _period(text[text.index("next") :], today)
    if "end of next" in text:  # the end of next week / month / year
        if "week" in text:
            return next_weekday(today, 0) + dt.timedelta(days=4)
        if "month" in text:
            return today.replace(day=1) + relativedelta(months=2, days=-1)
        return dt.date(today.year + 1, 12, 31)
    if "weekend" in text:
        if today.weekday() >= 5 and not text.startswith("next"):
            return today
        saturday = today + dt.timedelta(days=5 - today.weekday())
        return saturday + dt.timedelta(weeks=1) if text.startswith("next") else saturday
    if text.startswith("next"):
        if "week" in text:
            return next_weekday(today, 0)
        if "month" in text:
            return today.replace(day=1) + relativedelta(months=1)
        return dt.date(today.year + 1, 1, 1)
    if "day" in text or text == "eod":
        return today
    if "week" in text or text == "eow":
        if text.startswith("this"):
            return end_of_week_sunday
        friday = today + dt.timedelta(days=4 - today.weekday())
        return friday if friday >= today else end_of_week_sunday
    if "month" in text or text == "eom":
        return today.replace(day=1) + relativedelta(months=1, days=-1)
    return dt.date(today.year, 12, 31)
