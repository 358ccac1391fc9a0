"""The words repeats are said in (weekdays as RFC 5545 codes, units, adverbs, ordinals and
counts), the patterns read at a position, and what a repeat being read holds: the rule so
far (``RuleDraft``), the position (``Reader``), and what was found (``Recurrence``, ``Found``).
The grammar that reads them is repeat_grammar.py; repeats.py has the decisions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from todochat import recurrence
from todochat.recurrence.rules import DAY_CODES

from .calendar_words import ANY_WEEKDAY, MONTH, MONTH_ABBREVIATIONS, ONE_WEEKDAY, SPELLED_ORDINALS, WEEKDAYS, weekday_index
from .lexicon import ONES, TEENS, one_of

Due = dt.date | dt.datetime


@dataclass(frozen=True)
class Recurrence:
    """A repeat read from words: the rule (``recurrence.normalize`` spelling) and, when
    said ("starting dec 7"), the first due date (a datetime when a time was said with it)."""

    rule: str
    start: Due | None = None

    @property
    def hourly(self) -> bool:
        return self.rule.startswith("FREQ=HOURLY")

    @property
    def interval(self) -> int:
        return recurrence.parse(self.rule).interval


# ---------------------------------------------------------------- words

WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
WEEKEND = ("SA", "SU")
WEEKDAY_WORD = ANY_WEEKDAY
_MONTHS = MONTH_ABBREVIATIONS
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ORDINAL_WORDS = {**SPELLED_ORDINALS, "last": -1}
# The counts a repeat is said with: "every two weeks", "every twenty-four hours". Not
# "seventeen" or "nineteen": no phrase set has them, and reading them is a change of its own.
_CARDINAL_WORDS = {
    **ONES, **{word: n for word, n in TEENS.items() if n not in (17, 19)},
    "twenty": 20, "twenty-four": 24, "thirty": 30, "forty-eight": 48, "ninety": 90,
}
UNITS = {  # unit word -> (FREQ, periods of FREQ per unit)
    "hour": ("HOURLY", 1), "hr": ("HOURLY", 1), "day": ("DAILY", 1), "week": ("WEEKLY", 1),
    "wk": ("WEEKLY", 1), "fortnight": ("WEEKLY", 2), "month": ("MONTHLY", 1), "mo": ("MONTHLY", 1),
    "quarter": ("MONTHLY", 3), "year": ("YEARLY", 1), "yr": ("YEARLY", 1),
}
ADVERBS = {  # word -> (FREQ, INTERVAL, BYDAY, part of day put back for the date reader)
    "daily": ("DAILY", 1, None, None), "everyday": ("DAILY", 1, None, None),
    "nightly": ("DAILY", 1, None, "night"), "hourly": ("HOURLY", 1, None, None),
    "weekly": ("WEEKLY", 1, None, None), "fortnightly": ("WEEKLY", 2, None, None),
    "biweekly": ("WEEKLY", 2, None, None), "bi-weekly": ("WEEKLY", 2, None, None),
    "monthly": ("MONTHLY", 1, None, None), "quarterly": ("MONTHLY", 3, None, None),
    "semiannually": ("MONTHLY", 6, None, None), "semi-annually": ("MONTHLY", 6, None, None),
    "half-yearly": ("MONTHLY", 6, None, None), "yearly": ("YEARLY", 1, None, None),
    "annually": ("YEARLY", 1, None, None), "weekdays": ("WEEKLY", 1, WORKDAYS, None),
    "weekends": ("WEEKLY", 1, WEEKEND, None),
}
_AMBIGUOUS_ADVERBS = r"bi-?monthly|bi-?annually|bi-?annual|bi-?yearly|semi-?weekly|semi-?monthly"
AMBIGUOUS = re.compile(_AMBIGUOUS_ADVERBS, re.I)


_END = r"(?![\w'’@/-]|\.\w)"  # a whole word: not part of "daily@example.com", "a/b", "x.daily.y"
ORDINAL = rf"(?:\d{{1,2}}(?:st|nd|rd|th)|{one_of(_ORDINAL_WORDS)})"
CARDINAL = rf"(?:\d{{1,7}}(?![\d.,:/]\d)|{one_of(_CARDINAL_WORDS)})"
UNIT = rf"(?:{one_of(UNITS)})s?"
PART = r"morning|afternoon|evening|night"
WORKDAY = r"(?:week|work|business)[\s-]?days?"
_WEEKEND_WORD = r"weekends?"


def piece_at(pattern: str) -> re.Pattern[str]:
    """A piece read at a position: spaces before it, a whole word at its end."""
    return re.compile(rf"\s*(?:{pattern}){_END}", re.I)


# One pass finds every place a repeat may start.
TRIGGER = re.compile(
    rf"(?<![\w'’#@/.-])(?:every|each|ev|once|{one_of(ADVERBS)}|{_AMBIGUOUS_ADVERBS}"
    rf"|{ONE_WEEKDAY}s){_END}",
    re.I,
)
SINGLE = piece_at(r"single")
OTHER = piece_at(r"other")
NUMBER = piece_at(CARDINAL)
ORDINAL_ITEM = piece_at(ORDINAL)
# Between two items of a list; nothing but a space is enough between two weekdays
# ("every tuesday thursday"), which the caller checks by peeking at the next item.
LIST_JOIN = re.compile(r"\s*(?:(?:,\s*and|,|and|&|\+|/)(?:\s*(?:every|each|on)(?!\w))?)?(?=\s*\w)", re.I)
UNIT_WORD = piece_at(UNIT)
WORKDAY_WORD = piece_at(WORKDAY)
WEEKEND_P = piece_at(_WEEKEND_WORD)
# A hyphen may follow a weekday: "mon-fri" is a range.
WEEKDAY_ITEM = re.compile(rf"\s*{WEEKDAY_WORD}s?\.?(?![\w'’])", re.I)
RANGE = re.compile(r"\s*(?:-|to|through|thru|till|until)(?=\s*\w)", re.I)
PART_WORD = piece_at(PART)
MONTH_P = piece_at(MONTH)
MONTH_NAME = re.compile(MONTH, re.I)
DAY_NUMBER = piece_at(r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?")
OF_THE_MONTH = piece_at(r"of\s+(?:the|every|each)\s+month")
OF_WORD = piece_at(r"of")
ON_WORD = piece_at(r"on")
THE_WORD = piece_at(r"the")
DAY_WORD = piece_at(r"days?")
A_OR_PER = piece_at(r"an?|per")
TOO_FINE = piece_at(r"(?:minute|min|second|sec)s?")
MONTH_END = piece_at(r"end\s+of\s+(?:the\s+)?month|month[\s-]?end")
END_WORD = piece_at(r"end")
# Words that make the phrase only partly understood: no repeat at all.
VAGUE = piece_at(r"few|couple|several|so\s+often|now\s+and\s+then|once\s+in\s+a\s+while|other\s+(?:now|once)")
UNREADABLE_AFTER = piece_at(
    r"except|excluding|apart\s+from|but\s+not|other\s+than|or\s+so|or\s+two|ish|give\s+or\s+take|at\s+most|at\s+least"
    rf"|or\s+(?:every|each|the|{WEEKDAY_WORD})|-ish"
)
# "3 times a day", "twice a week": several a period, which no rule here says.
SEVERAL_A = re.compile(
    rf"(?:{CARDINAL}\s+times|twice|thrice)\s*(?:(?:a|an|per|each|every)\s*)?$", re.I
)


FOLLOWER = re.compile(r"\s*([A-Za-z]+|\d|[^\w\s]|$)")
AFTER_AN_ADVERB = frozenset(
    """at on in from starting beginning until till til through thru ending for by before after and or but
    with without to please high low medium urgent important asap priority prio tagged labelled labeled
    every each except this next tomorrow today tonight morning afternoon evening night noon midnight
    effective as then so if when while during around about since commencing once p1 p2 p3 p4
    unless via using into onto over under near between of per w please remind""".split()
) | {*WEEKDAYS, *(day + "s" for day in WEEKDAYS)}


class Refused(Exception):
    """A repeat only partly understood: no repeat is set, every word stays."""


@dataclass
class RuleDraft:
    freq: str
    interval: int = 1
    by_day: tuple[str, ...] = ()
    by_month_day: tuple[int, ...] = ()
    by_month: int | None = None
    by_set_pos: tuple[int, ...] = ()

    def named_days(self) -> bool:
        return bool(self.by_day or self.by_month_day)

    def text(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.by_month:
            parts.append(f"BYMONTH={self.by_month}")
        if self.by_month_day:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.by_month_day)))
        if self.by_day:
            parts.append("BYDAY=" + ",".join(self.by_day))
        if self.by_set_pos:
            parts.append("BYSETPOS=" + ",".join(map(str, self.by_set_pos)))
        return ";".join(parts)


class Reader:
    """A position in the text and the anchored pieces read from it."""

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos
        # Right after "every": "every 3rd day" is an interval, "on the 3rd day" is not.
        self.after_every = False

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.match(self.text, self.pos)
        if match:
            self.pos = match.end()
        return match

    def peek(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        return pattern.match(self.text, self.pos)


# ---------------------------------------------------------------- values


def ordinal_value(word: str) -> int | None:
    word = " ".join(word.lower().split())
    if word[:1].isdigit():
        return int(re.match(r"\d+", word).group())
    return _ORDINAL_WORDS.get(word)


def cardinal_value(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _CARDINAL_WORDS.get(word, 1 if word in ("a", "an") else None)


def weekday_code(word: str) -> str | None:
    index = weekday_index(word)
    return DAY_CODES[index] if index is not None else None


def month_number(word: str) -> int:
    return _MONTHS.index(word.lower().rstrip(".")[:3]) + 1


def month_day(day: int, month: int | None = None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(BYMONTHDAY, BYSETPOS) for a day of month, clamped in short months as
    ``recurrence.anchored`` clamps: the 31st is the last day, the 30th the 30th or the
    month's last day; in a named month the day as said, but Feb 29 is February's last day."""
    if not 1 <= day <= (_MONTH_DAYS[month - 1] if month else 31):
        raise Refused
    if day <= 28 or (month and month != 2):  # a named month other than February has its day every year
        return (day,), ()
    if day == 31 or month == 2:  # the 31st, Feb 29: the month's last day
        return (-1,), ()
    return tuple(range(28, day + 1)), (-1,)


@dataclass(frozen=True)
class Found:
    """A repeat in a text: what it means and the spans to cut (with what to put back)."""

    recurrence: Recurrence
    start: int
    end: int
    cuts: tuple[tuple[int, int, str], ...]
