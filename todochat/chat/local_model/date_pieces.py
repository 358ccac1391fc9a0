"""Finding date phrases in a sentence: the kinds of date *pieces* (a day word, a weekday, a
month and day, an offset, a time of day...), their patterns, and which neighbouring pieces
make one phrase ("friday at 3pm", "tomorrow, 5pm"). What a phrase means is date_values.py's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import calendar_phrases, holiday_dates, offsets, times_of_day, title_dates
from .calendar_words import (
    DAY_OF_MONTH,
    DAY_ORDINAL,
    FULL_WEEKDAY,
    MONTH,
    SHORT_WEEKDAY,
    SPELLED_ORDINAL,
)
from .numeric_dates import NUMERIC
from .text import longest_first, words_back

# A written year after a date: ", 2027", or two digits after a day and month ("14th April
# 27") but not an hour ("4 December 10am", "24 October 10 o clock").
_YEAR = r"(?:,?\s+\d{4})?"
_YEAR_OR_SHORT = r"(?:,?\s+(?:\d{4}|'?\d{2}(?![\d:.]|\s*[ap]\.?m\b|\s*o['’]?\s?clock\b)))?"

# Each kind of piece, tried in this order; a longer match wins over a shorter overlapping one
# (of two as long, the first kind listed).
_PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("day", r"(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tomorow|tommorow|tmrw?|tmr|yesterday"),
    # A weekday that opens the sentence, before what to do: "monday call the bank",
    # "Tues pick up dry cleaning", "wed - gym" (title_dates.py decides, by the words after).
    ("start_weekday", rf"\A\s*(?:{FULL_WEEKDAY}|{SHORT_WEEKDAY})(?=\s*[:\-\u2013]\s|\s+[a-z])"),
    # Not after "last": "last friday" is a past day people rarely mean as a due date, and
    # reading it as the next Friday set a wrong date in silence; it stays in the title.
    ("weekday", rf"(?<!\blast\s)(?:(?:next|this|coming|this\s+coming)\s+)?{FULL_WEEKDAY}"),
    # Abbreviations only after a word that makes them a date: "by fri", not "sat nav".
    ("weekday", rf"(?:next|this|on|by|until|till|before|due)\s+{SHORT_WEEKDAY}(?![\w'])"),
    # ... or right beside a clock time: "Thu at 2pm", "at 4 Weds", "Weds 10am" (kept only
    # there: ``scan_pieces``), not "sat nav", "sun cream".
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

DATE_KINDS = {
    "day", "start_weekday", "weekday", "month_day", "numeric", "ordinal", "offset", "period", "later", "holiday",
    *calendar_phrases.KINDS,
}
TIME_KINDS = times_of_day.KINDS

# Words that attach a date to what precedes it: "due by friday", "on the 5th", "sometime
# tomorrow" (not a low priority there: slots.py reads "sometime" only at the end). At most
# three words ("no later than"), so only the last three before a date are searched.
_LEAD_IN = re.compile(
    r"""
    (?:\b(?:due(?:\s+(?:on|by|date))?|on(?:\s+or\s+before)?|by|before|until|till|for|at(?:\s+the\s+latest)?|from|starting|over|during|no\s+later\s+than|some\s*time|any\s*time)
        \s+)
    $
    """,
    re.I | re.X,
)
_LEAD_IN_WORDS = 3
# What may separate two pieces of one date phrase: "tomorrow at 3pm", "friday, 5pm".
# "tomorrow before 4pm", "on saturday for 9am": the time of that day (they were read as
# today's time, the day left in the title).
_JOINER = re.compile(r"^[\s,]*(?:(?:at|on|by|before|for|@)\s+)?$", re.I)


@dataclass(frozen=True)
class Piece:
    kind: str
    start: int
    end: int
    text: str


# ---------------------------------------------------------------- finding


def scan_pieces(text: str) -> list[Piece]:
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


def is_possessive(text: str, piece: Piece) -> bool:
    return bool(_POSSESSIVE.match(text, piece.end))


def is_part_of_a_name(text: str, pieces: list[Piece], index: int) -> bool:
    """A part of the day that ends a name before a date is the name's: "parents evening dec
    4th", "movie night friday" — not "tomorrow evening", "this evening"."""
    piece = pieces[index]
    if piece.kind != "part" or " " in piece.text.strip() or index + 1 >= len(pieces):
        return False
    after = pieces[index + 1]
    if after.kind not in DATE_KINDS or not _JOINER.match(text[piece.end : after.start]):
        return False
    if index > 0 and _JOINER.match(text[pieces[index - 1].end : piece.start]):
        return False  # "friday evening dec 4": the evening of a date before it
    return title_dates.names_before(text, piece.start)


def starts_a_piece(text: str, position: int) -> bool:
    return any(pattern.match(text, position) for _, pattern in _PIECES)


def group_pieces(text: str, pieces: list[Piece]) -> Iterable[list[Piece]]:
    """Adjacent pieces form one phrase: at most one date piece and one time piece each."""
    group: list[Piece] = []
    for index, piece in enumerate(pieces):
        if piece.kind in TIME_KINDS and not times_of_day.is_time_here(text, piece.kind, piece.start):
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
    if group and group[-1].kind in DATE_KINDS and _JOINER.match(text[group[-1].end : piece.start]):
        return False
    after = pieces[index + 1] if index + 1 < len(pieces) else None
    a_year = after is not None and after.kind in DATE_KINDS and after.kind not in DAY_KINDS_WITH_TIMES
    return not (a_year and YEAR_NUMBER.fullmatch(piece.text.strip()))


def _fits(group: list[Piece], piece: Piece) -> bool:
    """One phrase holds one date and one time. A clock time may refine a part of the day
    ("tomorrow evening at 7"), and a calendar date may follow its weekday ("friday, dec 4th")."""
    dates = [p for p in group if p.kind in DATE_KINDS]
    times = [p for p in group if p.kind in TIME_KINDS]
    if piece.kind in DATE_KINDS:
        return not dates or (
            len(dates) == 1 and dates[0].kind == "weekday" and piece.kind in ("month_day", "numeric")
        )
    return not times or (len(times) == 1 and (times[0].kind == "part") != (piece.kind == "part"))


def extend_over_lead_in(text: str, start: int) -> int:
    match = _LEAD_IN.search(text, words_back(text, 0, start, _LEAD_IN_WORDS), start)
    if match and _OWN_PREPOSITION.match(text, start) and match.group().split()[-1].lower() in ("on", "at"):
        return start  # "put the kettle on at noon": "on" is not a lead-in here
    return match.start() if match else start


_OWN_PREPOSITION = re.compile(r"(?:at|@)(?!\w)", re.I)


YEAR_NUMBER = re.compile(r"(?:19|20)\d\d")
DAY_KINDS_WITH_TIMES = frozenset({"day", "weekday", "start_weekday"})
