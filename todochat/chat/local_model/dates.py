"""Due dates in what people type: find the date phrase in a sentence, then resolve it.

Finding is done here with a small grammar of date *pieces* (a day word, a weekday, a month
and day, an offset, a time of day...). We do not let ``dateparser.search`` find them because
it takes "march" in "march on", "may" in "I may" or "sat" in "sat nav" for dates. Resolving
the value of a piece is left to dateparser (month names, numeric dates, clock times) and
dateutil (weekday and month arithmetic); only the forms they get wrong or that we define
differently are computed by hand. Everything is in the user's local time: ``now`` is naive
local time and so are the results.

Decisions (also in the package docstring):
- "friday", "on friday": the next Friday strictly after today (a week ahead if today is Friday).
- "this friday": the Friday of this week, today included; if it has passed, next week's.
- "next friday": the Friday of next calendar week (weeks start on Monday). On Monday
  2026-11-23 "next monday" is 2026-11-30 and "next friday" is 2026-12-04.
- "next week" = next Monday; "next month"/"next year" = the first day of it;
  "this week" = this Sunday; "end of (the) week" = this Friday (Sunday at the weekend);
  "end of month/year" = its last day; "this weekend" = Saturday (today at the weekend).
- "12/4" is month/day (US style). A month and day without a year is the next such day,
  today included.
- Times of day: morning 09:00, afternoon 15:00, evening 19:00, tonight/night 20:00.
  A bare "at 5" means 17:00 for 1-6 o'clock, otherwise as written ("at 9" is 09:00);
  7 and 8 need am/pm or a part of the day (more in times_of_day and offsets).
  A time with no date is today if still ahead, else tomorrow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import dateparser
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from . import offsets, times_of_day
from .text import words_back

Due = dt.date | dt.datetime

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_SHORT = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3,
    "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}

_FULL_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_SHORT_WEEKDAY = r"(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
MONTH = _MONTH  # for the other readers: a month's name, full or short

_DAY_OF_MONTH = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+\d{4})?"

# Holidays on a fixed date (month, day), the next one on or after today. Movable feasts
# (Easter, Thanksgiving) are not here: no date is better than a wrong one.
_HOLIDAYS = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "xmas": (12, 25),
    "boxing day": (12, 26), "new year's eve": (12, 31), "new years eve": (12, 31),
    "new year's day": (1, 1), "new years day": (1, 1), "valentine's day": (2, 14),
    "valentines day": (2, 14), "valentine's": (2, 14), "st patrick's day": (3, 17),
    "st. patrick's day": (3, 17), "saint patrick's day": (3, 17), "halloween": (10, 31),
    "independence day": (7, 4), "fourth of july": (7, 4), "the fourth of july": (7, 4),
    "april fools day": (4, 1), "april fools' day": (4, 1), "april fool's day": (4, 1),
    "guy fawkes night": (11, 5), "bonfire night": (11, 5), "valentines": (2, 14),
}
_HOLIDAYS_BY_BARE_NAME = {name.replace("'", ""): month_day for name, month_day in _HOLIDAYS.items()}
# Easter moves every year (dateutil.easter computes it); Easter Monday is the day after.
_EASTER = {"easter": 0, "easter sunday": 0, "easter day": 0, "easter monday": 1}
_HOLIDAY_NAME = "|".join(
    re.escape(name).replace("'", "['’]?").replace(r"\ ", r"\s+")
    for name in sorted([*_HOLIDAYS, *_EASTER], key=len, reverse=True)
)
# "the day after christmas" is the 26th, not the 25th.
_HOLIDAY = rf"(?:(?:the\s+)?day\s+(?:after|before)\s+)?(?:{_HOLIDAY_NAME})"

# Each kind of piece, tried in this order; a longer match wins over a shorter overlapping one.
_PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("day", r"(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tomorow|tommorow|tmrw?|tmr|yesterday"),
    # Not after "last": "last friday" is a past day people rarely mean as a due date, and
    # reading it as the next Friday set a wrong date in silence; it stays in the title.
    ("weekday", rf"(?<!\blast\s)(?:(?:next|this|coming|this\s+coming)\s+)?{_FULL_WEEKDAY}"),
    # Abbreviations only after a word that makes them a date: "by fri", not "sat nav".
    ("weekday", rf"(?:next|this|on|by|until|till|before|due)\s+{_SHORT_WEEKDAY}(?![\w'])"),
    ("month_day", rf"{_MONTH}\s+{_DAY_OF_MONTH}{_YEAR}(?![\d:])"),
    ("month_day", rf"(?:the\s+)?{_DAY_OF_MONTH}\s+(?:of\s+)?{_MONTH}{_YEAR}"),
    ("numeric", r"\d{4}-\d{1,2}-\d{1,2}|(?:3[01]|[12]\d|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])(?:/\d{2,4})?"),
    ("ordinal", r"the\s+(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)(?:\s+of\s+(?:the|this|next)\s+month)?"),
    *offsets.PIECE_PATTERNS,
    ("period", r"(?:next|this)\s+(?:week(?:end)?|month|year)|(?:the\s+)?weekend"),
    ("period", r"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:day|week|month|year)|eod|eow|eom|eoy"),
    ("later", r"later\s+today"),
    ("holiday", _HOLIDAY),
    *times_of_day.PIECE_PATTERNS,
)
_PIECES = tuple((kind, re.compile(rf"(?<![\w#@/])(?:{pattern})(?![\w/])", re.I)) for kind, pattern in _PIECE_PATTERNS)

_DATE_KINDS = {"day", "weekday", "month_day", "numeric", "ordinal", "offset", "period", "later", "holiday"}
_TIME_KINDS = times_of_day.KINDS

# Words that attach a date to what precedes it: "due by friday", "on the 5th". At most
# three words ("no later than"), so only the last three before a date are searched.
_LEAD_IN = re.compile(
    r"(?:\b(?:due(?:\s+(?:on|by|date))?|on(?:\s+or\s+before)?|by|before|until|till|for|at(?:\s+the\s+latest)?"
    r"|from|starting|over|during|no\s+later\s+than)\s+)$",
    re.I,
)
_LEAD_IN_WORDS = 3
# What may separate two pieces of one date phrase: "tomorrow at 3pm", "friday, 5pm".
_JOINER = re.compile(r"^[\s,]*(?:(?:at|on|by|@)\s+)?$", re.I)

_DATEPARSER_BASE_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "DATE_ORDER": "MDY",
    "PREFER_DAY_OF_MONTH": "first",
}


@dataclass(frozen=True)
class Piece:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DueSpan:
    """A date phrase found in a sentence: where it is, and what it means."""

    start: int
    end: int
    value: Due

    @property
    def iso(self) -> str:
        return format_due(self.value)


def format_due(value: Due) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def find_due(text: str, now: dt.datetime, *, spare_title_words: bool = True) -> DueSpan | None:
    """The due date a sentence states, with its span (lead-in words like "by" included).

    When there are several date phrases the last one wins: dates come after the task
    ("prepare the talk for the 3rd ... by friday"). A date followed by "'s" is part of
    the title ("monday's review"), not a due date. Phrases are resolved from the last one
    back and only until one means a date, so a sentence full of them costs one resolution.
    """
    for group in reversed(_phrases(text, spare_title_words)):
        span = _span(text, group, now)
        if span is not None:
            return span
    return None


def find_all_dues(text: str, now: dt.datetime, *, spare_title_words: bool = True) -> list[DueSpan]:
    """Every date phrase, in order. ``spare_title_words`` leaves dates that belong to the
    title alone ("monday's review", "monday meeting notes")."""
    spans = (_span(text, group, now) for group in _phrases(text, spare_title_words))
    return [span for span in spans if span is not None]


def _phrases(text: str, spare_title_words: bool) -> list[list[Piece]]:
    pieces = [p for p in _scan(text) if not (spare_title_words and (_is_possessive(text, p) or _is_attributive(text, p)))]
    return list(_group(text, pieces))


def _span(text: str, group: list[Piece], now: dt.datetime) -> DueSpan | None:
    value = _resolve_group(group, now)
    if value is None:
        return None
    return DueSpan(_extend_over_lead_in(text, group[0].start), group[-1].end, value)


def resolve(phrase: str, now: dt.datetime) -> Due | None:
    """The value of a phrase that is only a date ("december 4", "tomorrow at 9")."""
    span = find_due(phrase, now, spare_title_words=False)
    if span is None:
        return None
    leftover = (phrase[: span.start] + phrase[span.end :]).strip(" ,.")
    return span.value if not leftover else None


# ---------------------------------------------------------------- finding


def _scan(text: str) -> list[Piece]:
    found = [
        Piece(kind, m.start(), m.end(), m.group(0))
        for kind, pattern in _PIECES
        for m in pattern.finditer(text)
    ]
    # Longest first, then keep each piece that does not overlap one already kept (the
    # characters kept pieces cover are marked, so each check looks at the piece's own span).
    found.sort(key=lambda p: (p.start - p.end, p.start))
    covered = bytearray(len(text))
    kept: list[Piece] = []
    for piece in found:
        if covered.find(1, piece.start, piece.end) == -1:
            covered[piece.start : piece.end] = b"\x01" * (piece.end - piece.start)
            kept.append(piece)
    return sorted(kept, key=lambda p: p.start)


_POSSESSIVE = re.compile(r"['’]s\b")


def _is_possessive(text: str, piece: Piece) -> bool:
    return bool(_POSSESSIVE.match(text, piece.end))


# Words after a weekday that still let it be a date: "call mom monday about the trip".
_AFTER_A_DATE = frozenset(
    "about and at to for with before after please or but so if then in around by from until till".split()
)


def _is_attributive(text: str, piece: Piece) -> bool:
    """A bare weekday or a holiday used as an adjective is part of the title: "prepare
    monday meeting notes", "for the friday review", "buy christmas presents". Not after
    "on"/"by"/"due"..., nor before a time."""
    if piece.kind == "weekday" and " " in piece.text.strip():
        return False
    if piece.kind not in ("weekday", "holiday"):
        return False
    if _DATE_PREPOSITION.search(text, words_back(text, 0, piece.start, 1), piece.start):
        return False
    following = _NEXT_WORD.match(text, piece.end)
    if not following or following.group(1).lower() in _AFTER_A_DATE:
        return False
    return not any(p.match(text, following.start(1)) for _, p in _PIECES)


_DATE_PREPOSITION = re.compile(r"\b(?:on|by|before|until|till|due|from|starting)\s+$", re.I)  # one word
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b", re.I)


def _group(text: str, pieces: list[Piece]) -> Iterable[list[Piece]]:
    """Adjacent pieces form one phrase: at most one date piece and one time piece each."""
    group: list[Piece] = []
    for piece in pieces:
        if piece.kind in _TIME_KINDS and not times_of_day.is_time_here(text, piece.kind, piece.start):
            continue  # "buy 2 tomorrow", "the 3pm slot": a count or a name, not a time
        if group and _JOINER.match(text[group[-1].end : piece.start]) and _fits(group, piece):
            group.append(piece)
            continue
        if group:
            yield group
        group = [piece]
    if group:
        yield group


def _fits(group: list[Piece], piece: Piece) -> bool:
    """One phrase holds one date and one time. A clock time may refine a part of the day
    ("tomorrow evening at 7"), and a calendar date may follow its weekday ("friday, dec 4th")."""
    dates = [p for p in group if p.kind in _DATE_KINDS]
    times = [p for p in group if p.kind in _TIME_KINDS]
    if piece.kind in _DATE_KINDS:
        return not dates or (
            len(dates) == 1 and dates[0].kind == "weekday" and piece.kind in ("month_day", "numeric")
        )
    return not times or (len(times) == 1 and (times[0].kind == "part") != (piece.kind == "part"))


def _extend_over_lead_in(text: str, start: int) -> int:
    match = _LEAD_IN.search(text, words_back(text, 0, start, _LEAD_IN_WORDS), start)
    if match and _OWN_PREPOSITION.match(text, start) and match.group().split()[-1].lower() in ("on", "at"):
        return start  # "put the kettle on at noon": "on" is not a lead-in here
    return match.start() if match else start


_OWN_PREPOSITION = re.compile(r"(?:at|@)(?!\w)", re.I)


# ---------------------------------------------------------------- resolving


def _resolve_group(group: list[Piece], now: dt.datetime) -> Due | None:
    today = now.date()
    date_pieces = [p for p in group if p.kind in _DATE_KINDS]
    time_pieces = [p for p in group if p.kind in _TIME_KINDS]
    # The most specific date wins: "friday, december 4th" is December 4th.
    date_piece = next((p for p in date_pieces if p.kind in ("month_day", "numeric")), None) or (
        date_pieces[0] if date_pieces else None
    )

    try:
        day: Due | None = _resolve_date(date_piece, now) if date_piece else None
    except (OverflowError, ValueError):  # "in 999999999 years"
        return None
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
    elif date_piece and re.search(r"tonight", date_piece.text, re.I):
        clock = times_of_day.PART_TIMES["night"]

    if clock is None:
        return day
    if day is None:  # a time alone: the next time the clock shows it ("this morning": today)
        candidate = dt.datetime.combine(today, clock)
        said_today = times_of_day.says_today([p.text for p in time_pieces])
        return candidate if candidate > now or said_today else candidate + dt.timedelta(days=1)
    day = times_of_day.day_of(day, clock, [p.text for p in group], today)
    return None if day is None else dt.datetime.combine(day, clock)


def _holiday(text: str, today: dt.date) -> dt.date | None:
    """The next date of a holiday, today included ("christmas" on Dec 25 is today), moved a
    day for "the day after/before"."""
    name = re.sub(r"\s+", " ", text.replace("’", "'"))
    shift = 0
    around = re.match(r"(?:the )?day (after|before) ", name)
    if around:
        shift, name = (1 if around.group(1) == "after" else -1), name[around.end():]

    def on(year: int) -> dt.date | None:
        if name in _EASTER:
            return easter(year) + dt.timedelta(days=_EASTER[name])
        month_day = _HOLIDAYS_BY_BARE_NAME.get(name.replace("'", ""))  # with or without apostrophes
        return dt.date(year, *month_day) if month_day else None

    this_year = on(today.year)
    if this_year is None:
        return None
    day = this_year if this_year + dt.timedelta(days=shift) >= today else on(today.year + 1)
    return day + dt.timedelta(days=shift)


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
        case "weekday":
            return _weekday(text, today)
        case "holiday":
            return _holiday(text, today)
        case "month_day" | "numeric":
            return _calendar_date(text, now)
        case "ordinal":
            return _day_of_month(int(re.search(r"\d+", text).group()), today)
        case "offset":
            return offsets.resolve(text, now)
        case "period":
            return _period(text, today)
        case "later":
            # "later today": a few hours from now, but never past today's evening.
            moment = min(now + dt.timedelta(hours=3), dt.datetime.combine(today, dt.time(21)))
            return moment.replace(minute=0, second=0, microsecond=0) if moment > now else today
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


def next_weekday(today: dt.date, target: int, *, include_today: bool = False) -> dt.date:
    days_ahead = (target - today.weekday()) % 7
    if days_ahead == 0 and not include_today:
        days_ahead = 7
    return today + dt.timedelta(days=days_ahead)


def weekday_index(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for candidate in (word, word.rstrip("s")):
        if candidate in WEEKDAYS:
            return WEEKDAYS.index(candidate)
        if candidate in _WEEKDAY_SHORT:
            return _WEEKDAY_SHORT[candidate]
    return None


def _calendar_date(text: str, now: dt.datetime) -> dt.date | None:
    cleaned = re.sub(r"^the\s+", "", text)
    settings = {**_DATEPARSER_BASE_SETTINGS, "RELATIVE_BASE": now}
    slash = re.match(r"(\d+)/(\d+)", cleaned)
    if slash and int(slash.group(1)) > 12:  # "31/12" can only be day/month
        settings["DATE_ORDER"] = "DMY"
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if re.search(r"\d{4}|\d+/\d+/\d{2,4}", cleaned):  # the year was written: keep it
        return parsed.date()
    # dateparser's "future" skips today ("nov 23" on Nov 23 is next year): we keep today.
    today = now.date()
    try:
        this_year = dt.date(today.year, parsed.month, parsed.day)
    except ValueError:  # Feb 29
        return parsed.date()
    return this_year if this_year >= today else parsed.date()


def _day_of_month(day: int, today: dt.date) -> dt.date | None:
    """"the 5th": this month's if still ahead (today included), else the next month that has it."""
    month_start = today.replace(day=1)
    for months_ahead in range(0, 13):
        month = month_start + relativedelta(months=months_ahead)
        try:
            candidate = month.replace(day=day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _period(text: str, today: dt.date) -> dt.date:
    end_of_week_sunday = today + dt.timedelta(days=6 - today.weekday())
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
