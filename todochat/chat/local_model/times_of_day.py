"""Times of day in what people type: "3pm", "17:30", "noon", "at 5", "tomorrow evening".
The date finder in ``dates`` asks this module for its time pieces (``PIECE_PATTERNS``,
kinds in ``KINDS``) and for the clock a phrase's time pieces name (``clock_of``).

Decisions: morning 09:00, afternoon 15:00, evening 19:00, tonight/night 20:00. A bare
"at 5" means 17:00 for 1-6 o'clock, otherwise as written ("at 9" is 09:00); any hour said
with "evening", "tonight" or "afternoon" is pm.
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

_CLOCK = r"(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.?m\.?|p\.?m\.?)|(?:[01]?\d|2[0-3]):[0-5]\d"

# (kind, pattern) pairs for the date finder.
PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("time", rf"(?:at\s+|@\s*|around\s+)?(?:{_CLOCK})|(?:at\s+)?(?:noon|midday|midnight)"),
    ("bare_hour", r"(?:at|@)\s*(?:1[0-2]|[1-9])(?:\s*o'?clock)?(?![\d:./])"),
    ("part", r"(?:(?:this|in\s+the)\s+)?(?:morning|afternoon|evening)|(?:at\s+)?night"),
)
KINDS = frozenset(kind for kind, _ in PIECE_PATTERNS)
# Phrases that name a time too loosely to set one ("in a few days", "early next week"):
# no date is set from them; they stay in the title and the reply says so (see dates).
VAGUE_PATTERNS: tuple[str, ...] = ()

PART_TIMES = {"morning": dt.time(9), "afternoon": dt.time(15), "evening": dt.time(19), "night": dt.time(20)}

_DATEPARSER_SETTINGS = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}


def clock_of(pieces: list[tuple[str, str]], phrase: list[str], now: dt.datetime) -> dt.time | None:
    """The clock time that a phrase's time pieces (``(kind, text)``, in order) name, or
    ``None`` when one of them means no time. ``phrase`` is the text of every piece of the
    phrase, dates included: "tonight at 9" is 21:00."""
    evening = any(re.search(r"tonight|evening|night|afternoon", text, re.I) for text in phrase)
    clock: dt.time | None = None
    for kind, text in pieces:
        if kind == "time":
            clock = _parse_clock(text, now, evening)
        elif kind == "bare_hour":
            clock = _bare_hour(text, evening)
        elif clock is None:
            clock = _part_of_day_time(text)
        if clock is None:
            return None
    return clock


def _parse_clock(text: str, now: dt.datetime, evening: bool) -> dt.time | None:
    """"3pm", "15:00", "noon" via dateparser; "5:30" with no am/pm follows the bare-hour
    rule (1-6 o'clock, or any hour said with "evening", is pm)."""
    cleaned = re.sub(r"^(?:at|@|around)\s*", "", text.lower().strip())
    cleaned = re.sub(r"\bmidday\b", "noon", cleaned)
    cleaned = re.sub(r"([ap])\.?m\.?", r"\1m", cleaned)  # "p.m." -> "pm"
    cleaned = re.sub(r"^(\d+)\.(\d\d)", r"\1:\2", cleaned)  # "3.30pm" -> "3:30pm"
    parsed = dateparser.parse(
        cleaned, languages=["en"], settings={**_DATEPARSER_SETTINGS, "RELATIVE_BASE": now}
    )
    if parsed is None:
        return None
    clock = parsed.time().replace(second=0, microsecond=0)
    said_half_of_day = re.search(r"[ap]m|noon|midnight", cleaned) or re.match(r"0\d", cleaned)
    if not said_half_of_day and 1 <= clock.hour <= 11 and (evening or clock.hour <= 6):
        clock = clock.replace(hour=clock.hour + 12)
    return clock


def _bare_hour(text: str, evening: bool) -> dt.time:
    hour = int(re.search(r"\d+", text).group())
    if hour == 12:
        return dt.time(12)
    if evening or hour <= 6:
        return dt.time(hour + 12)
    return dt.time(hour)


def _part_of_day_time(text: str) -> dt.time:
    word = text.lower().split()[-1]
    return PART_TIMES[word]

