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
- Numeric dates (calendar_phrases): a number over 12 tells day from month ("31/12",
  "3/15"), as do equal numbers ("5/5"); when both could be the month and differ ("12/4",
  "5/12", "03/04/2027") the user's convention is unknown: no date, the reply asks which.
  "24.12.2026" is day.month.year; "1/1/0027" is the year 27 (out of range: no date).
  A month and day without a year is the next such day, today included.
- Compounds ("friday after next", "the first tuesday in october", "a week from friday",
  "this time next week", "Fri, Dec 4"...) are calendar_phrases'; holidays holiday_dates'.
- Never wrong in silence: a phrase too loose for one day ("early next week", "tomorrow
  week": vague.py), a weekday that is not its date's ("Fri, Sep 20" on a Monday), a day
  its month lacks ("feb 30", "2027-02-29") and a numeric date of unknown order set no
  date; ``find_unclear`` names them for the reply.
- A four-digit number beside a calendar date or holiday is its year ("thanksgiving 2014",
  "last day of october 2015"), beside a day word or weekday a 24-hour time ("tomorrow
  1930"). A year already past, or not the year of the date read, sets no date.
- "tomorrow before 4pm", "on saturday for 9am": the time of that day.
- A phrase read only in part sets no date: date words beside it that it did not read
  ("15 minutes past 3pm", "2 days after next friday", "thanksgiving in 9 months", "Jul 18,
  Fri"): partial_dates.py.
- A short weekday ("thu", "weds", "fri.") is a date after a word that makes it one ("by
  fri") or joined to a clock time ("Thu at 2pm", "at 4 Weds", "Weds 10am"); otherwise it
  stays in the title ("sat nav", "sun cream").
- Date words that are part of a name stay in the title: "monday meeting notes", "the 3/4
  report", "1/2 lb butter", "watch Friday Night Lights", "parents evening dec 4th". A
  weekday opening the sentence is a date before something to do ("monday call the bank").
- Times of day: morning 09:00, afternoon 15:00, evening 19:00, tonight/night 20:00
  ("tonight" said at 20:00 or later is today with no time, not a time already past).
  A bare "at 5" means 17:00 for 1-6 o'clock, otherwise as written ("at 9" is 09:00);
  7 and 8 need am/pm or a part of the day (more in times_of_day and offsets).
  A time with no date is today if still ahead, else tomorrow. A compact time with no
  "at" ("1030") is read only right after its day ("tomorrow 0930"): before one it is a
  code ("flight BA 1030 on friday" keeps "1030" in the title; "at 1030" is a time).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import dateparser
from dateutil.relativedelta import relativedelta

from . import calendar_phrases, holiday_dates, offsets, partial_dates, times_of_day, title_dates, vague
from .calendar_phrases import NUMERIC, UnclearDate, check_day_exists, day_of_month, numeric_date
from .calendar_words import (
    DAY_OF_MONTH,
    DAY_ORDINAL,
    FULL_WEEKDAY,
    MONTH,
    SHORT_WEEKDAY,
    SPELLED_ORDINAL,
    WEEKDAYS,
    next_weekday,
    month_index,
    ordinal_day,
    weekday_index,
)
from .text import longest_first, words_back
from .vague import Unclear

Due = dt.date | dt.datetime

__all__ = [
    "MONTH", "WEEKDAYS", "DueSpan", "Unclear", "find_due", "find_unclear", "format_due", "unclear_at_end",
    "VAGUE_PATTERNS", "next_weekday", "resolve", "weekday_index",
]

# Phrases too loose to set a date from ("early next week", "tomorrow week"): vague.py
# reads them beside offsets.VAGUE_PATTERNS and times_of_day.VAGUE_PATTERNS.
VAGUE_PATTERNS = vague.CALENDAR_PATTERNS

# A written year after a date: ", 2027", or two digits after a day and month ("14th April
# 27") but not an hour ("4 December 10am", "24 October 10 o clock").
_YEAR = r"(?:,?\s+\d{4})?"
_YEAR_OR_SHORT = r"(?:,?\s+(?:\d{4}|'?\d{2}(?![\d:.]|\s*[ap]\.?m\b|\s*o['’]?\s?clock\b)))?"

# Each kind of piece, tried in this order; a longer match wins over a shorter overlapping one
# (of two as long, the first kind listed).
_PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("day", r"(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tomorow|tommorow|tmrw?|tmr|yesterday"),
    # A weekday that opens the sentence, before what to do: "monday call the bank",
    # "Tues pick up dry cleaning", "wed - gym" (``_is_attributive`` decides, by the words after).
    ("start_weekday", rf"\A\s*(?:{FULL_WEEKDAY}|{SHORT_WEEKDAY})(?=\s*[:\-\u2013]\s|\s+[a-z])"),
    # Not after "last": "last friday" is a past day people rarely mean as a due date, and
    # reading it as the next Friday set a wrong date in silence; it stays in the title.
    ("weekday", rf"(?<!\blast\s)(?:(?:next|this|coming|this\s+coming)\s+)?{FULL_WEEKDAY}"),
    # Abbreviations only after a word that makes them a date: "by fri", not "sat nav".
    ("weekday", rf"(?:next|this|on|by|until|till|before|due)\s+{SHORT_WEEKDAY}(?![\w'])"),
    # ... or right beside a clock time: "Thu at 2pm", "at 4 Weds", "Weds 10am" (kept only
    # there: ``_scan``), not "sat nav", "sun cream".
    ("short_weekday", rf"{SHORT_WEEKDAY}(?![\w'])"),
    ("month_day", rf"{MONTH}\s+(?:the\s+)?{DAY_OF_MONTH}{_YEAR}(?![\d:])"),  # "february the 15th"
    ("month_day", rf"(?:the\s+)?{DAY_OF_MONTH}\s+(?:of\s+)?{MONTH}{_YEAR_OR_SHORT}"),
    ("numeric", NUMERIC),
    # "the 17th", "on 3rd"; a spelled day only after a word that makes it a date: "on the
    # first", not "do the first draft".
    ("ordinal", rf"the\s+{DAY_ORDINAL}|(?:on|by|due|before|until|till)\s+(?:the\s+(?:{SPELLED_ORDINAL})|{DAY_ORDINAL})"),
    ("holiday", holiday_dates.PATTERN),  # before "the fourth of july" as a spelled date
    *calendar_phrases.PIECE_PATTERNS,
    *offsets.PIECE_PATTERNS,
    ("period", r"(?:next|this)\s+(?:week(?:end)?|month|year)|(?:the\s+)?weekend"),
    ("period", r"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:day|week|month|year)|eod|eow|eom|eoy"),
    ("period", rf"(?:the\s+)?(?:beginning|start)\s+of\s+next\s+(?:week|month|year)|(?:the\s+)?end\s+of\s+{MONTH}"),
    ("later", r"later\s+today"),
    *times_of_day.PIECE_PATTERNS,
)
# Not inside a longer number: "10:00:00" holds no "00:00".
_PIECES = tuple(
    (kind, re.compile(rf"(?<![\w#@/])(?<!\d[:.])(?:{pattern})(?![\w/])", re.I)) for kind, pattern in _PIECE_PATTERNS
)

_DATE_KINDS = {
    "day", "start_weekday", "weekday", "month_day", "numeric", "ordinal", "offset", "period", "later", "holiday",
    *calendar_phrases.KINDS,
}
_TIME_KINDS = times_of_day.KINDS

# Words that attach a date to what precedes it: "due by friday", "on the 5th", "sometime
# tomorrow" (not a low priority there: slots.py reads "sometime" only at the end). At most
# three words ("no later than"), so only the last three before a date are searched.
_LEAD_IN = re.compile(
    r"(?:\b(?:due(?:\s+(?:on|by|date))?|on(?:\s+or\s+before)?|by|before|until|till|for|at(?:\s+the\s+latest)?"
    r"|from|starting|over|during|no\s+later\s+than|some\s*time|any\s*time)\s+)$",
    re.I,
)
_LEAD_IN_WORDS = 3
# What may separate two pieces of one date phrase: "tomorrow at 3pm", "friday, 5pm".
# "tomorrow before 4pm", "on saturday for 9am": the time of that day (they were read as
# today's time, the day left in the title).
_JOINER = re.compile(r"^[\s,]*(?:(?:at|on|by|before|for|@)\s+)?$", re.I)

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
    """A date phrase found in a sentence: where it is, and what it means (``kinds``: the
    kinds of its pieces)."""

    start: int
    end: int
    value: Due
    kinds: frozenset[str] = frozenset()

    @property
    def iso(self) -> str:
        return format_due(self.value)

    @property
    def names_a_day(self) -> bool:
        """Whether a day was said, not only a time ("at 5pm")."""
        return bool(self.kinds & _DATE_KINDS)


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
    When the last date phrase cannot be trusted ("Fri, Sep 20" on a Monday, "4/5") there is
    no due date: an earlier phrase is not what the sentence's date was.
    """
    groups = _phrases(text, spare_title_words)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        try:
            span = _span(text, group, now)
        except UnclearDate:
            return None
        if span is not None:
            if spare_title_words and partial_dates.is_partly_read(
                text, group[0].start, span.end, group[0].kind, _previous_end(text, groups[:index], group)
            ):
                return None  # "15 minutes past 3pm", "thanksgiving in 9 months": not 3pm
            return span
    return None


def _previous_end(text: str, before: list[list[Piece]], group: list[Piece]) -> int | None:
    """Where the date phrase before ``group`` ends: the group before it, or a date piece
    left in the title ("thanksgiving" in "thanksgiving of next year")."""
    ends = [before[-1][-1].end] if before else []
    ends += [p.end for p in _scan(text) if p.kind in _DATE_KINDS and p.end <= group[0].start]
    return max(ends, default=None)


def find_all_dues(text: str, now: dt.datetime, *, spare_title_words: bool = True) -> list[DueSpan]:
    """Every date phrase, in order. ``spare_title_words`` leaves dates that belong to the
    title alone ("monday's review", "monday meeting notes")."""
    spans = []
    for group in _phrases(text, spare_title_words):
        try:
            span = _span(text, group, now)
        except UnclearDate:
            continue
        if span is not None:
            spans.append(span)
    return spans


def find_unclear(text: str, now: dt.datetime) -> list[Unclear]:
    """The phrases that name a date too loosely to set one, in order: vague ones ("early
    next week", "mother's day") unless they only describe a noun ("mid-year review"),
    a weekday that contradicts its date, a numeric date whose day/month order is unknown."""
    found = [u for u in vague.find(text) if not title_dates.loose_phrase_describes(text, u.start, u.end, _starts_a_piece)]
    for group in _phrases(text, True):
        if not any(p.kind in _MAY_BE_UNCLEAR for p in group):
            continue
        try:
            _resolve_group(group, now)
        except UnclearDate as unclear:
            words = text[group[0].start : group[-1].end]
            found.append(Unclear(group[0].start, group[-1].end, words, unclear.kind, unclear.reason))
    return sorted(found, key=lambda u: u.start)


def unclear_at_end(text: str, now: dt.datetime) -> Unclear | None:
    """The loose date phrase that ends ``text`` ("move the dentist to early next week"), if any."""
    found = find_unclear(text, now)
    if found and not text[found[-1].end :].strip(" .,!"):
        return found[-1]
    return None


# The kinds whose value may be ``UnclearDate``.
_MAY_BE_UNCLEAR = frozenset({"numeric", "dated_weekday", "month_day"})


def _phrases(text: str, spare_title_words: bool) -> list[list[Piece]]:
    loose = bytearray(len(text))  # the characters of loose phrases: no date is read there
    for phrase in vague.find(text):
        loose[phrase.start : phrase.end] = b"\x01" * (phrase.end - phrase.start)
    pieces = [p for p in _scan(text) if loose.find(1, p.start, p.end) == -1]
    if spare_title_words:
        pieces = [p for p in pieces if not (_is_possessive(text, p) or title_dates.is_attributive(text, p, _starts_a_piece))]
        pieces = [p for i, p in enumerate(pieces) if not _is_part_of_a_name(text, pieces, i)]
    groups = list(_group(text, pieces))
    if spare_title_words and groups and title_dates.has_a_lowercase_word(text):
        groups = [g for g in groups if not title_dates.is_a_title(text, g)]
    return groups


def _span(text: str, group: list[Piece], now: dt.datetime) -> DueSpan | None:
    value = _resolve_group(group, now)
    if value is None:
        return None
    start = group[0].start
    if group[0].kind == "start_weekday":
        start = len(text) - len(text.lstrip())
    return DueSpan(_extend_over_lead_in(text, start), group[-1].end, value, frozenset(p.kind for p in group))


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
    pieces = longest_first(found)
    return [
        _short_weekday(pieces, i)
        for i, p in enumerate(pieces)
        if p.kind != "short_weekday" or _beside_a_time(text, pieces, i)
    ]


def _short_weekday(pieces: list[Piece], index: int) -> Piece:
    piece = pieces[index]
    return Piece("weekday", piece.start, piece.end, piece.text) if piece.kind == "short_weekday" else piece


def _beside_a_time(text: str, pieces: list[Piece], index: int) -> bool:
    """Whether a short weekday ("thu", "weds") is joined to a clock time: then it is a date."""
    piece = pieces[index]
    for other, gap in (
        (pieces[index - 1] if index else None, lambda o: text[o.end : piece.start]),
        (pieces[index + 1] if index + 1 < len(pieces) else None, lambda o: text[piece.end : o.start]),
    ):
        if (
            other is not None
            and other.kind in ("time", "loose_time")
            and _JOINER.match(gap(other))
            and times_of_day.is_time_here(text, other.kind, other.start)
        ):
            return True
    return False


_POSSESSIVE = re.compile(r"['’]s\b")


def _is_possessive(text: str, piece: Piece) -> bool:
    return bool(_POSSESSIVE.match(text, piece.end))


def _is_part_of_a_name(text: str, pieces: list[Piece], index: int) -> bool:
    """A part of the day that ends a name before a date is the name's: "parents evening dec
    4th", "movie night friday" — not "tomorrow evening", "this evening"."""
    piece = pieces[index]
    if piece.kind != "part" or " " in piece.text.strip() or index + 1 >= len(pieces):
        return False
    after = pieces[index + 1]
    if after.kind not in _DATE_KINDS or not _JOINER.match(text[piece.end : after.start]):
        return False
    if index > 0 and _JOINER.match(text[pieces[index - 1].end : piece.start]):
        return False  # "friday evening dec 4": the evening of a date before it
    return title_dates.names_before(text, piece.start)


def _starts_a_piece(text: str, position: int) -> bool:
    return any(pattern.match(text, position) for _, pattern in _PIECES)


def _group(text: str, pieces: list[Piece]) -> Iterable[list[Piece]]:
    """Adjacent pieces form one phrase: at most one date piece and one time piece each."""
    group: list[Piece] = []
    for index, piece in enumerate(pieces):
        if piece.kind in _TIME_KINDS and not times_of_day.is_time_here(text, piece.kind, piece.start):
            continue  # "buy 2 tomorrow", "the 3pm slot": a count or a name, not a time
        if _is_a_code(text, pieces, index, group):
            continue  # "flight BA 1030 on friday": a flight number, not 10:30
        if group and _JOINER.match(text[group[-1].end : piece.start]) and _fits(group, piece):
            group.append(piece)
            continue
        if group:
            yield group
        group = [piece]
    if group:
        yield group


_COMPACT = re.compile(r"\d{3,4}")


def _is_a_code(text: str, pieces: list[Piece], index: int, group: list[Piece]) -> bool:
    """A compact number with no "at" ("1030") is a time only right after its day ("tomorrow
    0930"), or a year before a calendar date ("2018 March 18"); before a day it is a flight,
    a room, a form: "flight BA 1030 on friday" (read as Friday 10:30 in silence)."""
    piece = pieces[index]
    if piece.kind != "loose_time" or not _COMPACT.fullmatch(piece.text.strip()):
        return False
    if group and group[-1].kind in _DATE_KINDS and _JOINER.match(text[group[-1].end : piece.start]):
        return False
    after = pieces[index + 1] if index + 1 < len(pieces) else None
    a_year = after is not None and after.kind in _DATE_KINDS and after.kind not in _DAY_KINDS_WITH_TIMES
    return not (a_year and _YEAR_NUMBER.fullmatch(piece.text.strip()))


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

    year = _written_year(date_piece, time_pieces)
    if year is not None:
        time_pieces = [p for p in time_pieces if not _YEAR_NUMBER.fullmatch(p.text.strip())]
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
_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d")
_DAY_KINDS_WITH_TIMES = frozenset({"day", "weekday", "start_weekday"})


def _written_year(date_piece: Piece | None, time_pieces: list[Piece]) -> int | None:
    if date_piece is None or date_piece.kind in _DAY_KINDS_WITH_TIMES:
        return None
    years = [p for p in time_pieces if p.kind == "loose_time" and _YEAR_NUMBER.fullmatch(p.text.strip())]
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
