"""Repeats said in words ("every other tuesday", "every 3rd friday until march"), read as
RFC 5545 rules (``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``) and cut out of the phrase.

The grammar follows Todoist's recurring dates. A repeat starts at a trigger word — "every",
"each", "ev", an adverb ("daily", "weekly", "fortnightly"...), or a plural weekday
("mondays", "on weekends") — and is read forward from there, one anchored piece at a time:

- the period: "every day", "every other week", "every 3 months", "every 8 hours", "every
  quarter", "every fortnight", "every 2nd day", "once a week", "once every 10 days";
- the days: "every mon, wed and fri", "every weekday"/"workday", "every weekend",
  "every monday to friday", "on mondays"; "every 3rd friday", "every first and third
  monday", "every last friday" (monthly, ``BYDAY=+3FR`` / ``-1FR``); "every 1st", "every
  1st and 15th", "every last day" (``BYMONTHDAY``); "every first workday" / "last workday"
  (``BYSETPOS``); "every jan 27", "every 27th of january", "every 4th thursday of
  november" (yearly); and the same after a period: "every 2 weeks on monday", "every
  month on the 15th", "every year on march 1", "the 1st of every month";
- then, in any order: "starting dec 7"/"from monday" (the first due date), "until dec
  31"/"till friday"/"ending in 6 months" (``UNTIL``), "for 8 weeks"/"3 times" (``COUNT``).
  A time said with the repeat ("at 9am", "every morning", "every monday night") is left in
  the phrase for the date reader: it becomes the due time.

Decisions (tests pin each one):
- "biweekly" and "fortnightly" are every 2 weeks (as Todoist reads them; the other sense,
  twice a week, names no days). "quarterly" every 3 months; "semiannually"/"half-yearly"
  every 6 months. "bimonthly" and "biannually" mean both "every two" and "twice a": no
  repeat, the word stays in the title.
- "every 3rd friday"/"every second tuesday" are the 3rd/2nd of the month (Todoist);
  "every 2nd day"/"every third week" are intervals, as "every 2 days"/"every 3 weeks".
- "every weekend" is Saturday and Sunday; "every morning/afternoon/evening/night" is
  every day at the part of day's time (09:00, 15:00, 19:00, 20:00: the date reader's
  decisions, not Todoist's 12:00/22:00).
- A day of month past the 28th is clamped in short months, as ``recurrence.anchored``
  does for a rule that names no day: "every 31st" is the last day of each month, "every
  30th" the 30th or February's last day, "every feb 29" February's last day ("every 1st
  and 30th" keeps the 30th as said: a list cannot be clamped).
- "every 8 hours" with no time said is first due 8 hours from now ("every hour": in an
  hour), as "in 8 hours" reads; a time said is the first ("starting at 7pm").
- A date said after "starting"/"from" is the first due date (the first day the rule lands
  on from it); "until X" ends on X itself; "ending in 6 months" counts from today. A
  "for"-duration together with an UNTIL, or "3 times" with either, is refused (RFC 5545
  allows one end).
- A repeat said after the task must end there or before a word that may follow it ("at",
  "on", "until", "with", a weekday, a date, a tag...): "make every day count" is a title.
  A repeat said first is followed by its task ("every monday call the landlord"). Two
  repeats in one task: the first one said wins ("every monday and every friday" is one
  list).
- A duration is counted in occurrences from the first one: COUNT is how many the rule has
  in [first, first + duration). "every friday for 8 weeks" is 8, "every day for 2 weeks"
  14, "every weekday for 2 weeks" 10. Past COUNT's limit (1000) the same end is written as
  UNTIL (the last day inside the duration) rather than clamped.
- An interval past ``recurrence.INTERVAL_MAX`` (1000), a count past COUNT_MAX, or a number
  of 8 digits or more is not read: the words stay in the title (never a clamped rule).
- Never wrong in silence: an adjective before a noun stays in the title ("the weekly
  report", "daily standup notes", "the Daily Mail", "everyday carry"), a counted weekday
  is a date ("3 fridays from now"), and a repeat that is only partly understood ("every
  day except sunday", "every few days", "every 30 minutes", "3 times a day", "every day
  until the project ends", "twice weekly", "at 9am and 5pm") sets no repeat at all:
  every word stays, a date among them too ("except sunday"), and the message is not split
  into tasks inside them.

Linear work on hostile input: triggers are found in one ``finditer``; every other piece
is an anchored ``match`` at a position, or a search in a window of a few words, and lists
("mon, tue, ...") are read to a fixed number of items.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from todochat import recurrence

from . import dates
from .calendar_words import MONTH, ONE_WEEKDAY, SPELLED_ORDINALS
from .lexicon import ONES, TEENS, one_of
from .text import words_back

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

_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
_WEEKEND = ("SA", "SU")
_WEEKDAY_WORD = r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ORDINAL_WORDS = {**SPELLED_ORDINALS, "last": -1}
# The counts a repeat is said with: "every two weeks", "every twenty-four hours". Not
# "seventeen" or "nineteen": no phrase set has them, and reading them is a change of its own.
_CARDINAL_WORDS = {
    **ONES, **{word: n for word, n in TEENS.items() if n not in (17, 19)},
    "twenty": 20, "twenty-four": 24, "thirty": 30, "forty-eight": 48, "ninety": 90,
}
_UNITS = {  # unit word -> (FREQ, periods of FREQ per unit)
    "hour": ("HOURLY", 1), "hr": ("HOURLY", 1), "day": ("DAILY", 1), "week": ("WEEKLY", 1),
    "wk": ("WEEKLY", 1), "fortnight": ("WEEKLY", 2), "month": ("MONTHLY", 1), "mo": ("MONTHLY", 1),
    "quarter": ("MONTHLY", 3), "year": ("YEARLY", 1), "yr": ("YEARLY", 1),
}
_ADVERBS = {  # word -> (FREQ, INTERVAL, BYDAY, part of day put back for the date reader)
    "daily": ("DAILY", 1, None, None), "everyday": ("DAILY", 1, None, None),
    "nightly": ("DAILY", 1, None, "night"), "hourly": ("HOURLY", 1, None, None),
    "weekly": ("WEEKLY", 1, None, None), "fortnightly": ("WEEKLY", 2, None, None),
    "biweekly": ("WEEKLY", 2, None, None), "bi-weekly": ("WEEKLY", 2, None, None),
    "monthly": ("MONTHLY", 1, None, None), "quarterly": ("MONTHLY", 3, None, None),
    "semiannually": ("MONTHLY", 6, None, None), "semi-annually": ("MONTHLY", 6, None, None),
    "half-yearly": ("MONTHLY", 6, None, None), "yearly": ("YEARLY", 1, None, None),
    "annually": ("YEARLY", 1, None, None), "weekdays": ("WEEKLY", 1, _WORKDAYS, None),
    "weekends": ("WEEKLY", 1, _WEEKEND, None),
}
_AMBIGUOUS_ADVERBS = r"bi-?monthly|bi-?annually|bi-?annual|bi-?yearly|semi-?weekly|semi-?monthly"
_AMBIGUOUS = re.compile(_AMBIGUOUS_ADVERBS, re.I)


_END = r"(?![\w'’@/-]|\.\w)"  # a whole word: not part of "daily@example.com", "a/b", "x.daily.y"
_ORDINAL = rf"(?:\d{{1,2}}(?:st|nd|rd|th)|{one_of(_ORDINAL_WORDS)})"
_CARDINAL = rf"(?:\d{{1,7}}(?![\d.,:/]\d)|{one_of(_CARDINAL_WORDS)})"
_UNIT = rf"(?:{one_of(_UNITS)})s?"
_PART = r"morning|afternoon|evening|night"
_WORKDAY = r"(?:week|work|business)[\s-]?days?"
_WEEKEND_WORD = r"weekends?"


def _p(pattern: str) -> re.Pattern[str]:
    """A piece read at a position: spaces before it, a whole word at its end."""
    return re.compile(rf"\s*(?:{pattern}){_END}", re.I)


# One pass finds every place a repeat may start.
_TRIGGER = re.compile(
    rf"(?<![\w'’#@/.-])(?:every|each|ev|once|{one_of(_ADVERBS)}|{_AMBIGUOUS_ADVERBS}"
    rf"|{ONE_WEEKDAY}s){_END}",
    re.I,
)
_SINGLE = _p(r"single")
_OTHER = _p(r"other")
_NUMBER = _p(_CARDINAL)
_ORDINAL_ITEM = _p(_ORDINAL)
# Between two items of a list; nothing but a space is enough between two weekdays
# ("every tuesday thursday"), which the caller checks by peeking at the next item.
_LIST_JOIN = re.compile(r"\s*(?:(?:,\s*and|,|and|&|\+|/)(?:\s*(?:every|each|on)(?!\w))?)?(?=\s*\w)", re.I)
_UNIT_WORD = _p(_UNIT)
_WORKDAY_WORD = _p(_WORKDAY)
_WEEKEND_P = _p(_WEEKEND_WORD)
# A hyphen may follow a weekday: "mon-fri" is a range.
_WEEKDAY_ITEM = re.compile(rf"\s*{_WEEKDAY_WORD}s?\.?(?![\w'’])", re.I)
_RANGE = re.compile(r"\s*(?:-|to|through|thru|till|until)(?=\s*\w)", re.I)
_PART_WORD = _p(_PART)
_MONTH_P = _p(MONTH)
_MONTH_NAME = re.compile(MONTH, re.I)
_DAY_NUMBER = _p(r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?")
_OF_THE_MONTH = _p(r"of\s+(?:the|every|each)\s+month")
_OF = _p(r"of")
_ON = _p(r"on")
_THE = _p(r"the")
_DAY = _p(r"days?")
_A = _p(r"an?|per")
_TOO_FINE = _p(r"(?:minute|min|second|sec)s?")
_MONTH_END = _p(r"end\s+of\s+(?:the\s+)?month|month[\s-]?end")
_END_WORD = _p(r"end")
# Words that make the phrase only partly understood: no repeat at all.
_VAGUE = _p(r"few|couple|several|so\s+often|now\s+and\s+then|once\s+in\s+a\s+while|other\s+(?:now|once)")
_UNREADABLE_AFTER = _p(
    r"except|excluding|apart\s+from|but\s+not|other\s+than|or\s+so|or\s+two|ish|give\s+or\s+take|at\s+most|at\s+least"
    rf"|or\s+(?:every|each|the|{_WEEKDAY_WORD})|-ish"
)
# "3 times a day", "twice a week": several a period, which no rule here says.
_SEVERAL_A = re.compile(
    rf"(?:{_CARDINAL}\s+times|twice|thrice)\s*(?:(?:a|an|per|each|every)\s*)?$", re.I
)

# ---------------------------------------------------------------- modifiers

_TIME_SKIP = _p(
    r"(?:at|@|around|by)\s*(?:\d{1,2}(?:[:.h]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?|h)?|noon|midday|midnight)"
    r"|\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d\d|noon|midday|midnight"
    rf"|(?:in\s+the\s+)?(?:{_PART})|at\s+night"
)
_START_WORD = _p(r"(?:starting|beginning|commencing|effective)(?:\s+(?:on|from|at|with))?|as\s+of")
_FROM_WORD = _p(r"from")
_UNTIL_WORD = _p(r"(?:until|till|til|'til|through|thru|up\s+to|ending|ends)(?:\s+(?:on|at))?")
_FOR_DURATION = _p(rf"for\s+(?:the\s+next\s+|another\s+)?(?P<n>{_CARDINAL}|an?)\s+(?P<unit>{_UNIT})")
_FOR_VAGUE = _p(r"for\s+(?:the\s+next\s+)?(?:a\s+while|a\s+few|some|several|a\s+couple|many|ever|good)")
# A number too long to read ("for 99999999 weeks", "99999999 times") ends no repeat we could trust.
_HUGE_NUMBER = re.compile(r"\s*(?:for\s+(?:the\s+next\s+)?)?\d{8}", re.I)
# "at 9am and 5pm", "every morning and evening": several times a day, which no rule here says.
_AND_ANOTHER_TIME = re.compile(
    r"\s*(?:,\s*)?(?:and|&|,)\s*(?:(?:at|@)\s*)?(?:\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|\d{1,2}:\d\d|noon|midnight|(?:in\s+the\s+)?(?:morning|afternoon|evening|night))(?![\w'])",
    re.I,
)
_DURATION_YEARS_MAX = 100
_TIMES = _p(rf"(?:for\s+)?(?P<n>{_CARDINAL})\s+times")
_PER = _p(r"a|an|per|each|every")
_EVERY_AFTER_ONCE = _p(r"every|each")
_SEPARATOR = re.compile(r"[\s,]*")
_DATE_WINDOW = 60
_MODIFIERS_MAX = 6

# Around a trigger: the words before it that belong to it ("repeat", "once", "on").
_BEFORE = re.compile(
    r"(?:(?:(?<![\w'])and\s+|,\s*)?(?<![\w'])(?:repeat(?:s|ing|ed)?|recurr?(?:s|ing|ent)?|recurring)(?:\s+it)?\s+)?"
    r"(?:(?<![\w'])(?:once|on)\s+)?$",
    re.I,
)
# "the 1st of every month", "the last friday of each month", "end of every month".
_MONTHLY_PREFIX = re.compile(
    rf"(?:\bon\s+)?(?:\bthe\s+)?(?:(?P<ords>{_ORDINAL}(?:\s*(?:,|and|&)\s*{_ORDINAL}){{0,4}})"
    rf"(?:\s+(?P<what>day|{_WEEKDAY_WORD}|{_WORKDAY}))?|(?P<end>end))\s+of\s+$",
    re.I,
)
_DETERMINER = re.compile(
    r"\b(?:the|a|an|my|our|your|his|her|their|its|this|that|these|those|some|all|most|many|twice|thrice)\s+$"
    rf"|\b{_CARDINAL}\s+(?:times\s+)?$|\b(?:few|couple(?:\s+of)?|several|other|next|last|past)\s+$",
    re.I,
)
_COUNTED = re.compile(rf"\b(?:{_CARDINAL}|a\s+few|few|couple(?:\s+of)?|several)\s+$", re.I)
_FOLLOWER = re.compile(r"\s*([A-Za-z]+|\d|[^\w\s]|$)")
_AFTER_AN_ADVERB = frozenset(
    """at on in from starting beginning until till til through thru ending for by before after and or but
    with without to please high low medium urgent important asap priority prio tagged labelled labeled
    every each except this next tomorrow today tonight morning afternoon evening night noon midnight
    effective as then so if when while during around about since commencing once p1 p2 p3 p4
    unless via using into onto over under near between of per w please remind""".split()
) | {w for w in ("monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays"
                 " thursdays fridays saturdays sundays").split()}
_FROM_NOW = re.compile(r"\s+(?:from\s+(?:now|today)|ago|later|away|out|before|after|in\s+a\s+row|back)\b", re.I)


class _Refused(Exception):
    """A repeat only partly understood: no repeat is set, every word stays."""


@dataclass
class _Rule:
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


class _Reader:
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


def _ordinal_value(word: str) -> int | None:
    word = " ".join(word.lower().split())
    if word[:1].isdigit():
        return int(re.match(r"\d+", word).group())
    return _ORDINAL_WORDS.get(word)


def _cardinal_value(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _CARDINAL_WORDS.get(word, 1 if word in ("a", "an") else None)


def _weekday_code(word: str) -> str | None:
    index = dates.weekday_index(word)
    return _WEEKDAY_CODES[index] if index is not None else None


def _month_number(word: str) -> int:
    return _MONTHS.index(word.lower().rstrip(".")[:3]) + 1


def _month_day(day: int, month: int | None = None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(BYMONTHDAY, BYSETPOS) for a day of month, clamped in short months as
    ``recurrence.anchored`` clamps: the 31st is the last day, the 30th the 30th or the
    month's last day; in a named month the day as said, but Feb 29 is February's last day."""
    if not 1 <= day <= (_MONTH_DAYS[month - 1] if month else 31):
        raise _Refused
    if day <= 28 or (month and month != 2):  # a named month other than February has its day every year
        return (day,), ()
    if day == 31 or month == 2:  # the 31st, Feb 29: the month's last day
        return (-1,), ()
    return tuple(range(28, day + 1)), (-1,)


# ---------------------------------------------------------------- the grammar


def _weekday_list(reader: _Reader) -> list[str] | None:
    """ "mon, wed and fri", "monday to friday", "tuesdays and thursdays": the days named
    (at most ten items: a list is read in bounded work however long the text)."""
    days: list[str] = []
    for _ in range(10):
        item = reader.take(_WEEKDAY_ITEM)
        if not item:
            break
        code = _weekday_code(item.group(0).strip())
        if code is None:
            return None
        back = reader.pos
        if reader.take(_RANGE):
            last = reader.take(_WEEKDAY_ITEM)
            end = _weekday_code(last.group(0).strip()) if last else None
            if end is None:
                reader.pos = back
            else:
                a, b = _WEEKDAY_CODES.index(code), _WEEKDAY_CODES.index(end)
                days += [_WEEKDAY_CODES[(a + i) % 7] for i in range((b - a) % 7 + 1)]
                code = None
        if code:
            days.append(code)
        back = reader.pos
        if not reader.take(_LIST_JOIN) or not reader.peek(_WEEKDAY_ITEM):
            reader.pos = back
            break
    return days or None


def _ordinal_list(reader: _Reader, first: re.Match[str]) -> list[int]:
    """ "1st and 15th", "first and third": the numbers, in order said."""
    values = [_ordinal_value(first.group(0).strip())]
    for _ in range(5):
        back = reader.pos
        if reader.take(_LIST_JOIN):
            item = reader.take(_ORDINAL_ITEM)
            if item:
                values.append(_ordinal_value(item.group(0).strip()))
                continue
        reader.pos = back
        break
    if any(v is None or v == 0 for v in values):
        raise _Refused
    return values  # type: ignore[return-value]


def _after_ordinals(reader: _Reader, ords: list[int], freq: str, interval: int = 1) -> _Rule | None:
    """What follows "every 3rd" (or "every month on the 3rd"): a weekday, a workday, "day",
    a month, or nothing (a day of the month)."""
    positions_ok = all(1 <= n <= 5 or n == -1 for n in ords)
    weekday = reader.take(_WEEKDAY_ITEM)
    if weekday:
        code = _weekday_code(weekday.group(0).strip())
        if code is None or not positions_ok or freq not in ("MONTHLY", "YEARLY"):
            raise _Refused
        rule = _Rule(freq, interval, by_day=tuple(f"{'+' if n > 0 else ''}{n}{code}" for n in ords))
        _of_month(reader, rule)
        return rule
    if reader.take(_WORKDAY_WORD):
        if freq not in ("MONTHLY", "YEARLY") or any(abs(n) > 23 for n in ords):
            raise _Refused
        rule = _Rule(freq, interval, by_day=_WORKDAYS, by_set_pos=tuple(ords))
        _of_month(reader, rule)
        return rule
    if reader.take(_DAY):
        if reader.take(_OF_THE_MONTH) or ords == [-1]:
            return _month_days(ords, freq, interval, reader)
        if len(ords) == 1 and ords[0] >= 2 and freq == "MONTHLY" and interval == 1 and reader.after_every:
            return _Rule("DAILY", ords[0])  # "every 3rd day": an interval
        raise _Refused
    if len(ords) == 1 and ords[0] >= 2 and freq == "MONTHLY" and reader.after_every:
        unit = reader.take(_UNIT_WORD)
        if unit:  # "every second week", "every 3rd month"
            unit_freq, per = _UNITS[unit.group(0).strip().lower().removesuffix("s")]
            return _Rule(unit_freq, ords[0] * per)
    return _month_days(ords, freq, interval, reader)


def _month_days(ords: list[int], freq: str, interval: int, reader: _Reader) -> _Rule | None:
    """ "every 1st", "the 15th of every month", "every 27th of january", "every 27 jan"."""
    back = reader.pos
    month = None
    reader.take(_OF)
    named = reader.take(_MONTH_P)
    if named and freq in ("MONTHLY", "YEARLY"):
        month = _month_number(named.group(0).strip())
        freq = "YEARLY"
    else:
        reader.pos = back
        if not reader.take(_OF_THE_MONTH) and not _at_boundary(reader):
            return None  # "every 1st grader": not a day of the month
    if freq not in ("MONTHLY", "YEARLY") or (month and len(ords) != 1):
        raise _Refused
    if len(ords) == 1:
        days, positions = _month_day(ords[0], month) if ords[0] != -1 else ((-1,), ())
        return _Rule(freq, interval, by_month_day=days, by_month=month, by_set_pos=positions)
    if any(not 1 <= n <= 31 and n != -1 for n in ords):
        raise _Refused
    return _Rule(freq, interval, by_month_day=tuple(-1 if n == 31 else n for n in ords), by_month=month)


def _at_boundary(reader: _Reader) -> bool:
    """Whether what follows ends the repeat: the end, punctuation, a number, or a word that
    may follow a repeat ("at", "on", "until", a weekday...) rather than a noun it describes."""
    follower = _FOLLOWER.match(reader.text, reader.pos)
    word = follower.group(1) if follower else ""
    if not word or not word[0].isalpha():
        return True
    lower = word.lower()
    return lower in _AFTER_AN_ADVERB or bool(_MONTH_NAME.fullmatch(lower))


def _of_month(reader: _Reader, rule: _Rule) -> None:
    """ "... of the month" (noise) or "... of november" (yearly, in that month)."""
    if reader.take(_OF_THE_MONTH):
        return
    back = reader.pos
    if reader.take(_OF):
        month = reader.take(_MONTH_P)
        if month:
            rule.freq, rule.by_month = "YEARLY", _month_number(month.group(0).strip())
            return
    reader.pos = back


def _period(reader: _Reader, interval: int) -> _Rule | None:
    """ "day", "2 weeks", "other month", "weekday", "weekend", "mondays" after "every"."""
    if reader.take(_TOO_FINE):
        raise _Refused
    unit = reader.take(_UNIT_WORD)
    if unit:
        word = unit.group(0).strip().lower()
        if word.endswith("s") and word[:-1] in _UNITS:
            word = word[:-1]
        freq, per = _UNITS[word]
        return _Rule(freq, interval * per)
    if reader.take(_WORKDAY_WORD):
        if interval != 1:
            raise _Refused  # "every other weekday": which ones?
        return _Rule("WEEKLY", by_day=_WORKDAYS)
    if reader.take(_WEEKEND_P):
        return _Rule("WEEKLY", interval, by_day=_WEEKEND)
    days = _weekday_list(reader)
    if days:
        return _Rule("WEEKLY", interval, by_day=tuple(days))
    if interval == 1 and reader.peek(_PART_WORD):
        return _Rule("DAILY")  # "every morning": the part of day stays for the date reader
    return None


def _after_every(reader: _Reader) -> _Rule | None:
    """The repeat after "every"/"each", or None when what follows is not one."""
    reader.after_every = True
    reader.take(_SINGLE)
    if reader.peek(_VAGUE):
        raise _Refused
    if reader.take(_OTHER):
        return _period(reader, 2)
    number = reader.take(_NUMBER)
    if number:
        value = _cardinal_value(number.group(0).strip())
        if value is None:
            return None
        if reader.peek(_MONTH_P):  # "every 27 jan": read as "every 27th of jan"
            return _month_days([value], "YEARLY", 1, reader)
        if not 1 <= value <= recurrence.INTERVAL_MAX:
            if reader.peek(_UNIT_WORD) or reader.peek(_WEEKDAY_ITEM) or reader.peek(_TOO_FINE):
                raise _Refused
            return None
        return _period(reader, value)
    ordinal = reader.take(_ORDINAL_ITEM)
    if ordinal:
        return _after_ordinals(reader, _ordinal_list(reader, ordinal), "MONTHLY")
    if reader.take(_MONTH_END):  # "every end of the month", "every month end"
        return _Rule("MONTHLY", by_month_day=(-1,))
    month = reader.take(_MONTH_P)
    if month:  # "every jan 27"
        day = reader.take(_DAY_NUMBER)
        if not day:
            if reader.peek(_THE) or reader.peek(_ORDINAL_ITEM):
                raise _Refused
            return None
        value = int(re.match(r"\d+", day.group(0).strip()).group())
        rule = _month_days([value], "YEARLY", 1, reader)
        rule.by_month = _month_number(month.group(0).strip())
        rule.by_month_day, rule.by_set_pos = _month_day(value, rule.by_month)
        return rule
    return _period(reader, 1)


def _on_days(reader: _Reader, rule: _Rule) -> None:
    """ "every 2 weeks on monday", "every month on the 15th", "every year on march 1",
    "weekly on mondays", "monthly on the last day"."""
    if rule.named_days() or rule.freq not in ("WEEKLY", "MONTHLY", "YEARLY"):
        return
    back = reader.pos
    if not reader.take(_ON):
        return
    if rule.freq == "WEEKLY":
        if reader.take(_WORKDAY_WORD):
            rule.by_day = _WORKDAYS
            return
        if reader.take(_WEEKEND_P):
            rule.by_day = _WEEKEND
            return
        days = _weekday_list(reader)
        if days:
            rule.by_day = tuple(days)
            return
        reader.pos = back
        return
    if reader.peek(_WEEKDAY_ITEM):
        raise _Refused  # "every month on friday": which friday?
    reader.take(_THE)
    reader.after_every = False
    ordinal = reader.take(_ORDINAL_ITEM)
    if ordinal:
        found = _after_ordinals(reader, _ordinal_list(reader, ordinal), rule.freq, rule.interval)
        if found is not None:
            if rule.freq == "YEARLY" and found.by_month is None and not found.by_set_pos and found.by_month_day:
                raise _Refused  # "every year on the 15th": of which month?
            _copy(found, rule)
            return
    if rule.freq == "YEARLY":
        month = reader.take(_MONTH_P)
        day = reader.take(_DAY_NUMBER) if month else None
        if month and day:
            rule.by_month = _month_number(month.group(0).strip())
            value = int(re.match(r"\d+", day.group(0).strip()).group())
            rule.by_month_day, rule.by_set_pos = _month_day(value, rule.by_month)
            return
        number = reader.take(_DAY_NUMBER) if not month else None
        month = reader.take(_MONTH_P) if number else None
        if number and month:
            rule.by_month = _month_number(month.group(0).strip())
            value = int(re.match(r"\d+", number.group(0).strip()).group())
            rule.by_month_day, rule.by_set_pos = _month_day(value, rule.by_month)
            return
    reader.pos = back


def _copy(found: _Rule, rule: _Rule) -> None:
    rule.freq, rule.by_day, rule.by_month_day = found.freq, found.by_day, found.by_month_day
    rule.by_month, rule.by_set_pos = found.by_month or rule.by_month, found.by_set_pos


# ---------------------------------------------------------------- finding


@dataclass(frozen=True)
class Found:
    """A repeat in a text: what it means and the spans to cut (with what to put back)."""

    recurrence: Recurrence
    start: int
    end: int
    cuts: tuple[tuple[int, int, str], ...]


def find_all(text: str, now: dt.datetime) -> tuple[list[Found], int | None]:
    """Every repeat in the text, left to right, and where one that was only partly
    understood starts (then no repeat is set from the text, and its words stay)."""
    found: list[Found] = []
    after = 0
    first_word = len(text) - len(text.lstrip())  # a repeat said first is followed by its task
    for trigger in _TRIGGER.finditer(text):
        if trigger.start() < after:
            continue
        try:
            one = _read_at(text, trigger, now, first_word)
        except _Refused:
            return found, trigger.start()
        if one is not None:
            found.append(one)
            after = one.end
    return found, None


def extract_recurrence(text: str, now: dt.datetime) -> tuple[Recurrence | None, str]:
    """(Recurrence("FREQ=WEEKLY;BYDAY=TU"), "put the bins out") from "put the bins out
    every tuesday". The first repeat said wins; a time said with it stays in the text for
    the date reader ("every monday night" leaves "night")."""
    found, refused_at = find_all(text, now)
    if refused_at is not None or not found:
        return None, text
    first = found[0]
    return first.recurrence, _cut(text, first.cuts)


def unread_from(text: str, now: dt.datetime) -> int | None:
    """Where a repeat that was only partly understood starts ("every day except sunday"):
    its words stay in the title, so no date is read from them either ("sunday")."""
    return find_all(text, now)[1]


def spans(text: str, now: dt.datetime) -> list[tuple[int, int]]:
    """Where repeats stand, modifiers included: a list of tasks is not split inside one
    ("gym every mon, wed and fri", "every day at 9, starting monday"), nor after a repeat
    only partly understood ("every day at 9am and 5pm" stays one task, its words whole)."""
    found, refused_at = find_all(text, now)
    protected = [(one.start, one.end) for one in found]
    if refused_at is not None:
        protected.append((refused_at, len(text)))
    return protected


def _read_at(text: str, trigger: re.Match[str], now: dt.datetime, first_word: int) -> Found | None:
    word = trigger.group(0).lower()
    start = trigger.start()
    reader = _Reader(text, trigger.end())
    put_back = ""
    if word in ("every", "each", "ev"):
        rule = _after_every(reader)
        if rule is None:
            return None
        if _SEVERAL_A.search(text, words_back(text, 0, start, 3), start):
            raise _Refused  # "3 times every day"
        _on_days(reader, rule)
        if rule.freq == "MONTHLY" and not rule.named_days() and reader.take(_END_WORD):
            rule.by_month_day = (-1,)  # "every month end"
        if rule.freq == "MONTHLY" and not rule.named_days():
            start = _monthly_prefix(text, start, rule)
    elif word == "once":
        if reader.take(_A):
            rule = _period(reader, 1)
        elif reader.take(_EVERY_AFTER_ONCE):
            rule = _after_every(reader)
        else:
            return None
        if rule is None:
            return None
        _on_days(reader, rule)
    elif _AMBIGUOUS.fullmatch(word):
        if _is_adverb_here(text, trigger):
            raise _Refused
        return None
    elif word in _ADVERBS:
        if not _is_adverb_here(text, trigger):
            return None
        freq, interval, by_day, put_back = _ADVERBS[word]
        rule = _Rule(freq, interval, by_day=by_day or ())
        put_back = put_back or ""
        _on_days(reader, rule)
    else:  # "mondays", "on tuesdays and thursdays"
        if _COUNTED.search(text, words_back(text, 0, start, 2), start) or _FROM_NOW.match(text, trigger.end()):
            return None
        if not _is_adverb_here(text, trigger):
            return None
        reader.pos = start
        days = _weekday_list(reader)
        if not days:
            return None
        rule = _Rule("WEEKLY", by_day=tuple(days))
    before = _BEFORE.search(text, words_back(text, 0, start, 4), start)
    if before and before.start() < start:
        start = before.start()
    if start > first_word and not _after_the_repeat_ok(reader):
        return None  # "make every day count": not a repeat said after a task
    core_end = reader.pos
    if reader.peek(_UNREADABLE_AFTER):
        raise _Refused
    cuts = [(start, core_end, f" {put_back} " if put_back else " ")]
    return _modifiers(text, reader, rule, cuts, now)


def _after_the_repeat_ok(reader: _Reader) -> bool:
    """After a repeat that follows a task, what may come: the end, a time or date, a
    preposition... but not a word that makes it part of the title ("make every day count").
    A repeat said first is followed by the task itself ("every monday call the landlord")."""
    back = reader.pos
    reader.take(_PART_WORD)  # "every monday night ..."
    ok = _at_boundary(reader)
    reader.pos = back
    return ok


def _is_adverb_here(text: str, trigger: re.Match[str]) -> bool:
    """An adverb ("floss daily", "weekly at 9") and not an adjective ("the weekly report",
    "daily standup notes", "Daily Mail"), nor "twice weekly"."""
    start = trigger.start()
    if _DETERMINER.search(text, words_back(text, 0, start, 2), start):
        return False
    return _at_boundary(_Reader(text, trigger.end()))


def _monthly_prefix(text: str, start: int, rule: _Rule) -> int:
    """ "the 1st of every month", "the last friday of each month", "end of every month":
    the days said before "every month" (read in a window of a few words)."""
    match = _MONTHLY_PREFIX.search(text, words_back(text, 0, start, 9), start)
    if not match:
        return start
    if match.group("end"):
        rule.by_month_day = (-1,)
        return match.start()
    reader = _Reader(match.group("ords"), 0)
    first = reader.take(_ORDINAL_ITEM)
    ords = _ordinal_list(reader, first) if first else []
    what = (match.group("what") or "").lower()
    tail = _Reader(what, 0)
    found = _after_ordinals(tail, ords, "MONTHLY", rule.interval) if ords else None
    if found is None:
        return start
    _copy(found, rule)
    return match.start()


def _modifiers(text: str, reader: _Reader, rule: _Rule, cuts: list, now: dt.datetime) -> Found | None:
    """The start, end and count said after a repeat, in any order, with times of day
    between them left in place."""
    start_day: Due | None = None
    until: dt.date | None = None
    count: int | None = None
    duration: relativedelta | None = None
    end = reader.pos
    for _ in range(_MODIFIERS_MAX):
        reader.take(_SEPARATOR)
        here = reader.pos
        if reader.take(_TIME_SKIP):
            if reader.peek(_AND_ANOTHER_TIME):
                raise _Refused  # "at 9am and 5pm"
            continue
        if reader.peek(_UNREADABLE_AFTER) or reader.peek(_HUGE_NUMBER):
            raise _Refused
        word = reader.take(_START_WORD)
        if word or reader.take(_FROM_WORD):
            value, date_end = _date_at(text, reader.pos, now)
            if value is None:
                if word:
                    raise _Refused  # "starting next sprint"
                reader.pos = here
                break
            start_day, reader.pos = value, date_end
        elif reader.take(_UNTIL_WORD):
            value, date_end = _date_at(text, reader.pos, now)
            if value is None:
                raise _Refused  # "until the project ends"
            until = value.date() if isinstance(value, dt.datetime) else value
            reader.pos = date_end
        elif match := reader.take(_FOR_DURATION):
            amount = _cardinal_value(match.group("n"))
            unit = match.group("unit").lower().removesuffix("s")
            if not amount or unit not in _UNITS or amount > 10_000:
                raise _Refused
            freq, per = _UNITS[unit]
            duration = _duration(freq, amount * per)
        elif reader.peek(_FOR_VAGUE):
            raise _Refused
        elif match := reader.take(_TIMES):
            count = _cardinal_value(match.group("n"))
            if reader.peek(_PER):
                raise _Refused  # "3 times a week"
            if not count or count > recurrence.COUNT_MAX:
                raise _Refused
        else:
            reader.pos = here
            break
        cuts.append((here, reader.pos, " "))
        end = reader.pos
    if count is not None and (until is not None or duration is not None):
        raise _Refused  # "3 times until friday": RFC 5545 allows one end
    text_rule = rule.text()
    try:
        text_rule = recurrence.normalize(text_rule)
    except recurrence.RuleError:
        raise _Refused from None
    first = _first_day(text_rule, start_day, now)
    if first is None:
        raise _Refused
    if duration is not None:
        if until is not None:
            raise _Refused
        count, until = _count_in(text_rule, first, duration)
    if until is not None:
        first_date = first.date() if isinstance(first, dt.datetime) else first
        if until < first_date:
            raise _Refused  # ends before it starts
        text_rule += f";UNTIL={until:%Y%m%d}"
    elif count is not None:
        text_rule += f";COUNT={count}"
    found = Recurrence(recurrence.normalize(text_rule), start_day)
    return Found(found, cuts[0][0], end, tuple(cuts))


def _duration(freq: str, amount: int) -> relativedelta:
    return {
        "HOURLY": relativedelta(hours=amount), "DAILY": relativedelta(days=amount),
        "WEEKLY": relativedelta(weeks=amount), "MONTHLY": relativedelta(months=amount),
        "YEARLY": relativedelta(years=amount),
    }[freq]


def _date_at(text: str, pos: int, now: dt.datetime) -> tuple[Due | None, int]:
    """The date phrase that starts at ``pos`` (read by the date reader in a window of a few
    words), and where it ends."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    window_end = min(len(text), pos + _DATE_WINDOW)
    if window_end < len(text):
        space = text.rfind(" ", pos, window_end)
        window_end = space if space > pos else window_end
    window = text[pos:window_end]
    for span in dates.find_all_dues(window, now, spare_title_words=False):
        if span.start == 0:
            return span.value, pos + span.end
        break
    return None, pos


def _first_day(rule: str, start: Due | None, now: dt.datetime) -> Due | None:
    """The first occurrence, as the date reader would give it with no time said (a time
    said later moves it, in adds): for COUNT and to refuse a rule that never occurs."""
    if rule.startswith("FREQ=HOURLY"):
        return start if isinstance(start, dt.datetime) else now.replace(second=0, microsecond=0)
    day = start.date() if isinstance(start, dt.datetime) else start or now.date()
    return recurrence.first_on_or_after(rule, day)


def _count_in(rule: str, first: Due, duration: relativedelta) -> tuple[int | None, dt.date | None]:
    """How many occurrences the rule has in [first, first + duration); past COUNT_MAX, the
    last day inside the duration as an UNTIL instead."""
    begin = first if isinstance(first, dt.datetime) else dt.datetime.combine(first, dt.time())
    try:
        end = begin + duration
    except (OverflowError, ValueError):
        raise _Refused from None
    if end.year > begin.year + _DURATION_YEARS_MAX:
        raise _Refused  # "for 5000 years"
    anchored = recurrence.anchored(recurrence.parse(rule), begin.date())
    series = rrulestr(f"RRULE:{anchored}", dtstart=begin).replace(until=end - dt.timedelta(microseconds=1))
    count = 0
    for _ in series:
        count += 1
        if count > recurrence.COUNT_MAX:
            return None, (end - dt.timedelta(days=1)).date()
    return count, None


def _cut(text: str, cuts: tuple[tuple[int, int, str], ...]) -> str:
    """The text without the repeat's spans (each replaced by its put-back words), single-spaced."""
    pieces, at = [], 0
    for start, end, put in sorted(cuts):
        pieces += [text[at:start], put]
        at = max(at, end)
    pieces.append(text[at:])
    joined = " ".join("".join(pieces).split())
    joined = re.sub(r"(?<!\s)\s+([,.;:!?])", r"\1", joined)
    return joined.strip(" ,;-")
