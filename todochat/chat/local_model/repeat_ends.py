"""What may follow a repeat, in any order: its first day ("starting dec 7", "from monday"),
its end ("until friday": UNTIL; "for 8 weeks", "3 times": COUNT, or UNTIL past COUNT's
limit), with times of day between them left in place for the date reader."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from todochat import recurrence

from . import dates
from .repeat_words import (
    CARDINAL,
    PART,
    UNIT,
    UNITS,
    UNREADABLE_AFTER,
    Due,
    Found,
    Reader,
    Recurrence,
    Refused,
    RuleDraft,
    cardinal_value,
    piece_at,
)

# ---------------------------------------------------------------- modifiers

_TIME_SKIP = piece_at(
    r"(?:at|@|around|by)\s*(?:\d{1,2}(?:[:.h]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?|h)?|noon|midday|midnight)"
    r"|\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d\d|noon|midday|midnight"
    rf"|(?:in\s+the\s+)?(?:{PART})|at\s+night"
)
_START_WORD = piece_at(r"(?:starting|beginning|commencing|effective)(?:\s+(?:on|from|at|with))?|as\s+of")
_FROM_WORD = piece_at(r"from")
_UNTIL_WORD = piece_at(r"(?:until|till|til|'til|through|thru|up\s+to|ending|ends)(?:\s+(?:on|at))?")
_FOR_DURATION = piece_at(rf"for\s+(?:the\s+next\s+|another\s+)?(?P<n>{CARDINAL}|an?)\s+(?P<unit>{UNIT})")
_FOR_VAGUE = piece_at(r"for\s+(?:the\s+next\s+)?(?:a\s+while|a\s+few|some|several|a\s+couple|many|ever|good)")
# A number too long to read ("for 99999999 weeks", "99999999 times") ends no repeat we could trust.
_HUGE_NUMBER = re.compile(r"\s*(?:for\s+(?:the\s+next\s+)?)?\d{8}", re.I)
# "at 9am and 5pm", "every morning and evening": several times a day, which no rule here says.
_AND_ANOTHER_TIME = re.compile(
    r"\s*(?:,\s*)?(?:and|&|,)\s*(?:(?:at|@)\s*)?(?:\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|\d{1,2}:\d\d|noon|midnight|(?:in\s+the\s+)?(?:morning|afternoon|evening|night))(?![\w'])",
    re.I,
)
_DURATION_YEARS_MAX = 100
_TIMES = piece_at(rf"(?:for\s+)?(?P<n>{CARDINAL})\s+times")
_PER = piece_at(r"a|an|per|each|every")
EVERY_AFTER_ONCE = piece_at(r"every|each")
_SEPARATOR = re.compile(r"[\s,]*")
_DATE_WINDOW = 60
_MODIFIERS_MAX = 6


def read_modifiers(text: str, reader: Reader, rule: RuleDraft, cuts: list, now: dt.datetime) -> Found | None:
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
                raise Refused  # "at 9am and 5pm"
            continue
        if reader.peek(UNREADABLE_AFTER) or reader.peek(_HUGE_NUMBER):
            raise Refused
        word = reader.take(_START_WORD)
        if word or reader.take(_FROM_WORD):
            value, date_end = _date_at(text, reader.pos, now)
            if value is None:
                if word:
                    raise Refused  # "starting next sprint"
                reader.pos = here
                break
            start_day, reader.pos = value, date_end
        elif reader.take(_UNTIL_WORD):
            value, date_end = _date_at(text, reader.pos, now)
            if value is None:
                raise Refused  # "until the project ends"
            until = value.date() if isinstance(value, dt.datetime) else value
            reader.pos = date_end
        elif match := reader.take(_FOR_DURATION):
            amount = cardinal_value(match.group("n"))
            unit = match.group("unit").lower().removesuffix("s")
            if not amount or unit not in UNITS or amount > 10_000:
                raise Refused
            freq, per = UNITS[unit]
            duration = _duration(freq, amount * per)
        elif reader.peek(_FOR_VAGUE):
            raise Refused
        elif match := reader.take(_TIMES):
            count = cardinal_value(match.group("n"))
            if reader.peek(_PER):
                raise Refused  # "3 times a week"
            if not count or count > recurrence.COUNT_MAX:
                raise Refused
        else:
            reader.pos = here
            break
        cuts.append((here, reader.pos, " "))
        end = reader.pos
    if count is not None and (until is not None or duration is not None):
        raise Refused  # "3 times until friday": RFC 5545 allows one end
    text_rule = rule.text()
    try:
        text_rule = recurrence.normalize(text_rule)
    except recurrence.RuleError:
        raise Refused from None
    first = _first_day(text_rule, start_day, now)
    if first is None:
        raise Refused
    if duration is not None:
        if until is not None:
            raise Refused
        count, until = _count_in(text_rule, first, duration)
    if until is not None:
        first_date = first.date() if isinstance(first, dt.datetime) else first
        if until < first_date:
            raise Refused  # ends before it starts
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
        raise Refused from None
    if end.year > begin.year + _DURATION_YEARS_MAX:
        raise Refused  # "for 5000 years"
    anchored = recurrence.anchored(recurrence.parse(rule), begin.date())
    series = rrulestr(f"RRULE:{anchored}", dtstart=begin).replace(until=end - dt.timedelta(microseconds=1))
    count = 0
    for _ in series:
        count += 1
        if count > recurrence.COUNT_MAX:
            return None, (end - dt.timedelta(days=1)).date()
    return count, None
