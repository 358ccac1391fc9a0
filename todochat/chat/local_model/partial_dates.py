"""Date phrases read only in part: the words right beside the phrase found still belong to
the date, so the value found is not the one meant — and a wrong date set in silence is
worse than none. ``dates.find_due`` sets no date then; the words stay in the title.

Found on the public test corpora of duckling and chrono (``tests/fixtures/corpora``), where
each of these set a wrong date before:
- a count before "past/after/to/before/from/of" before the phrase: "15 minutes past 3pm",
  "twenty after 3pm", "2 days after next friday", "a week after tomorrow", "three days
  after easter", "20th of the next month", "tuesday after christmas", "mon to october 5";
- an ordinal right before it: "the 5th last day of may", "fifth last day of may";
- a number read as no time before a part of the day: "3 in the am", "11 at night",
  "at 730 in the evening", "3:20 in afternoon" (not after a task verb or a label:
  "buy 2 this evening", "room 101 in the morning" keep their date), or before "day after
  tomorrow" ("2 day after tomorrow");
- another calendar's holiday: "chinese new year's day" is not January 1st;
- a part of the day that is a noun: "the night journey", "night of power" (not 20:00);
- right after it a number (also "05/31/2024.14:15"), a "+", a month or a weekday, "o'clock" or "-ish": "Jul 18, Fri"
  (which one?), "next tuesday +10 days", "Aug 9 96", "in 1d 2hr 5min", "in 1d, 2hr, and 5min", "Sunday, March,
  6th 2016", "at 150ish";
- another date phrase right before it, or one word ("of", "in", "after", ...) apart:
  "thanksgiving in 9 months", "thanksgiving of next year", "tomorrow after 4pm".

Every pattern looks at a bounded window beside the phrase and is anchored at the phrase,
so a long message costs no more than a short one.
"""

from __future__ import annotations

import re

from .calendar_words import MONTH, ONE_WEEKDAY, SHORT_WEEKDAYS, SHORT_WEEKDAYS_DOTTED, SPELLED_ORDINAL
from .lexicon import TASK_VERBS, base_verb, one_of
from .time_words import NUMBER_WORD
from .times_of_day import loose_is_time

_WINDOW = 60
_WEEKDAY = rf"{one_of(SHORT_WEEKDAYS)}(?:[a-z]*day)?"
_UNIT = r"(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|fortnights?|months?|years?)"
_COUNT = rf"(?:\d+(?:st|nd|rd|th)?|{NUMBER_WORD}|{SPELLED_ORDINAL}|a|an|half|quarter|couple)"
_RELATION = r"(?:past|after|to|till|til|before|from|of)"

# Not "one to": "move the second one to friday", "this one to tomorrow" — "one" is the
# pronoun there, and the date is whole. Nor a task's number: "move #12 to friday", "move
# task 12 to friday" (a tagged task reaches the model as "#12 <title>").
_COUNTED_BEFORE = re.compile(
    rf"""
    (?:\b(?!one\s+(?:to|till|til)\b)(?<!\#)(?<!task\s)(?<!todo\s){_COUNT}\s+(?:(?:of\s+)?{_UNIT}\s+)?
        |\b{_WEEKDAY}\.?\s+)
    {_RELATION}\s+(?:the\s+)?$
    """,
    re.I | re.X,
)
_ORDINAL_BEFORE = re.compile(rf"\b(?:\d+(?:st|nd|rd|th)|{SPELLED_ORDINAL})\s+$", re.I)
_NUMBER_BEFORE = re.compile(r"(?<![\w:.])(\d{1,2}[:.]\d\d|\d{1,4})\s+(?:(?:in|at)\s+)?$", re.I)
# A month only with its day ("tomorrow may be late" is no month), an abbreviated weekday
# only at the end ("tomorrow sun cream" is no Sunday).
_AFTER_WEEKDAY = (
    rf"{ONE_WEEKDAY}\b"
    rf"|{one_of(SHORT_WEEKDAYS_DOTTED)}\.?(?=\s*(?:$|[,.;!?]))"
)
_CONTINUES_AFTER = re.compile(
    rf"[.:]\d|[\s,]*and\s+\d+\s*(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\b"
    rf"|[\s,]*(?:[+]|\d|o['’]?\s?clock\b|-?ish\b|{MONTH}[\s,]+\d|{_AFTER_WEEKDAY})", re.I
)
# A calendar other than the Gregorian one names the holiday: "chinese new year's day".
_OTHER_CALENDAR_BEFORE = re.compile(
    r"""
    \b
    (?:chinese|lunar|jewish|hebrew|islamic|hindu|persian|ethiopian|coptic|korean
        |vietnamese|tamil|julian)
    \s+$
    """,
    re.I | re.X,
)
# A part of the day that is a noun: "the night journey", "night of power".
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
_CONNECTOR = re.compile(r"[\s,]*(?:(?:of|in|after|from|to|the|of\s+the|after\s+the)\s+)?$", re.I)


def is_partly_read(text: str, start: int, end: int, first_kind: str, previous_end: int | None) -> bool:
    """Whether the date phrase ``text[start:end]`` (its first piece of kind ``first_kind``)
    has date words beside it that it did not read. ``previous_end`` is where the date
    phrase before it ends, if any."""
    before = text[max(0, start - _WINDOW) : start]
    if _COUNTED_BEFORE.search(before) or _ORDINAL_BEFORE.search(before):
        return True
    if first_kind == "holiday" and _OTHER_CALENDAR_BEFORE.search(before):
        return True
    if first_kind == "part" and (_THE_BEFORE.search(before) or _OF_AFTER.match(text, end)):
        return True
    if first_kind == "part" or text.startswith("day", start):  # "3 in the am", "2 day after tomorrow"
        number = _NUMBER_BEFORE.search(before)
        if number and _number_may_be_a_time(text, start - len(before) + number.start(1)):
            return True
    if _CONTINUES_AFTER.match(text, end, min(len(text), end + _WINDOW)):
        return True
    return previous_end is not None and bool(_CONNECTOR.fullmatch(text, previous_end, start))


def _number_may_be_a_time(text: str, position: int) -> bool:
    """A number before a part of the day is its hour unless a task verb or a label counts
    it: "feed the cat 3 in the morning" — but "buy 2 this evening", "room 101 tonight"."""
    word = re.search(r"(\S+)\s+$", text[max(0, position - 30) : position])
    if word and (word.group(1).lower() in TASK_VERBS or base_verb(word.group(1).lower())):
        return False
    return loose_is_time(text, position)
