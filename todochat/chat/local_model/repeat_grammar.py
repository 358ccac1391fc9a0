"""The grammar of a repeat after its trigger, one anchored piece at a time: the period ("every
other week", "every 3 months", "every 2nd day"), the days (weekday lists and ranges, "every
weekday", "every 3rd friday", "every 1st and 15th", "every last workday", "every jan 27")
and "of the month". The decisions are in repeats.py."""

from __future__ import annotations

import re

from todochat import recurrence
from todochat.recurrence.rules import DAY_CODES

from .repeat_words import (
    AFTER_AN_ADVERB,
    DAY_NUMBER,
    DAY_WORD,
    FOLLOWER,
    LIST_JOIN,
    MONTH_END,
    MONTH_NAME,
    MONTH_P,
    NUMBER,
    OF_THE_MONTH,
    OF_WORD,
    ON_WORD,
    ORDINAL_ITEM,
    OTHER,
    PART_WORD,
    RANGE,
    SINGLE,
    THE_WORD,
    TOO_FINE,
    UNIT_WORD,
    UNITS,
    VAGUE,
    WEEKDAY_ITEM,
    WEEKEND,
    WEEKEND_P,
    WORKDAY_WORD,
    WORKDAYS,
    Reader,
    Refused,
    RuleDraft,
    cardinal_value,
    month_day,
    month_number,
    ordinal_value,
    weekday_code,
)

# ---------------------------------------------------------------- the grammar


def weekday_list(reader: Reader) -> list[str] | None:
    """ "mon, wed and fri", "monday to friday", "tuesdays and thursdays": the days named
    (at most ten items: a list is read in bounded work however long the text)."""
    days: list[str] = []
    for _ in range(10):
        item = reader.take(WEEKDAY_ITEM)
        if not item:
            break
        code = weekday_code(item.group(0).strip())
        if code is None:
            return None
        back = reader.pos
        if reader.take(RANGE):
            last = reader.take(WEEKDAY_ITEM)
            end = weekday_code(last.group(0).strip()) if last else None
            if end is None:
                reader.pos = back
            else:
                a, b = DAY_CODES.index(code), DAY_CODES.index(end)
                days += [DAY_CODES[(a + i) % 7] for i in range((b - a) % 7 + 1)]
                code = None
        if code:
            days.append(code)
        back = reader.pos
        if not reader.take(LIST_JOIN) or not reader.peek(WEEKDAY_ITEM):
            reader.pos = back
            break
    return days or None


def ordinal_list(reader: Reader, first: re.Match[str]) -> list[int]:
    """ "1st and 15th", "first and third": the numbers, in order said."""
    values = [ordinal_value(first.group(0).strip())]
    for _ in range(5):
        back = reader.pos
        if reader.take(LIST_JOIN):
            item = reader.take(ORDINAL_ITEM)
            if item:
                values.append(ordinal_value(item.group(0).strip()))
                continue
        reader.pos = back
        break
    if any(v is None or v == 0 for v in values):
        raise Refused
    return values  # type: ignore[return-value]


def after_ordinals(reader: Reader, ords: list[int], freq: str, interval: int = 1) -> RuleDraft | None:
    """What follows "every 3rd" (or "every month on the 3rd"): a weekday, a workday, "day",
    a month, or nothing (a day of the month)."""
    positions_ok = all(1 <= n <= 5 or n == -1 for n in ords)
    weekday = reader.take(WEEKDAY_ITEM)
    if weekday:
        code = weekday_code(weekday.group(0).strip())
        if code is None or not positions_ok or freq not in ("MONTHLY", "YEARLY"):
            raise Refused
        rule = RuleDraft(freq, interval, by_day=tuple(f"{'+' if n > 0 else ''}{n}{code}" for n in ords))
        _of_month(reader, rule)
        return rule
    if reader.take(WORKDAY_WORD):
        if freq not in ("MONTHLY", "YEARLY") or any(abs(n) > 23 for n in ords):
            raise Refused
        rule = RuleDraft(freq, interval, by_day=WORKDAYS, by_set_pos=tuple(ords))
        _of_month(reader, rule)
        return rule
    if reader.take(DAY_WORD):
        if reader.take(OF_THE_MONTH) or ords == [-1]:
            return _month_days(ords, freq, interval, reader)
        if len(ords) == 1 and ords[0] >= 2 and freq == "MONTHLY" and interval == 1 and reader.after_every:
            return RuleDraft("DAILY", ords[0])  # "every 3rd day": an interval
        raise Refused
    if len(ords) == 1 and ords[0] >= 2 and freq == "MONTHLY" and reader.after_every:
        unit = reader.take(UNIT_WORD)
        if unit:  # "every second week", "every 3rd month"
            unit_freq, per = UNITS[unit.group(0).strip().lower().removesuffix("s")]
            return RuleDraft(unit_freq, ords[0] * per)
    return _month_days(ords, freq, interval, reader)


def _month_days(ords: list[int], freq: str, interval: int, reader: Reader) -> RuleDraft | None:
    """ "every 1st", "the 15th of every month", "every 27th of january", "every 27 jan"."""
    back = reader.pos
    month = None
    reader.take(OF_WORD)
    named = reader.take(MONTH_P)
    if named and freq in ("MONTHLY", "YEARLY"):
        month = month_number(named.group(0).strip())
        freq = "YEARLY"
    else:
        reader.pos = back
        if not reader.take(OF_THE_MONTH) and not at_boundary(reader):
            return None  # "every 1st grader": not a day of the month
    if freq not in ("MONTHLY", "YEARLY") or (month and len(ords) != 1):
        raise Refused
    if len(ords) == 1:
        days, positions = month_day(ords[0], month) if ords[0] != -1 else ((-1,), ())
        return RuleDraft(freq, interval, by_month_day=days, by_month=month, by_set_pos=positions)
    if any(not 1 <= n <= 31 and n != -1 for n in ords):
        raise Refused
    return RuleDraft(freq, interval, by_month_day=tuple(-1 if n == 31 else n for n in ords), by_month=month)


def at_boundary(reader: Reader) -> bool:
    """Whether what follows ends the repeat: the end, punctuation, a number, or a word that
    may follow a repeat ("at", "on", "until", a weekday...) rather than a noun it describes."""
    follower = FOLLOWER.match(reader.text, reader.pos)
    word = follower.group(1) if follower else ""
    if not word or not word[0].isalpha():
        return True
    lower = word.lower()
    return lower in AFTER_AN_ADVERB or bool(MONTH_NAME.fullmatch(lower))


def _of_month(reader: Reader, rule: RuleDraft) -> None:
    """ "... of the month" (noise) or "... of november" (yearly, in that month)."""
    if reader.take(OF_THE_MONTH):
        return
    back = reader.pos
    if reader.take(OF_WORD):
        month = reader.take(MONTH_P)
        if month:
            rule.freq, rule.by_month = "YEARLY", month_number(month.group(0).strip())
            return
    reader.pos = back


def read_period(reader: Reader, interval: int) -> RuleDraft | None:
    """ "day", "2 weeks", "other month", "weekday", "weekend", "mondays" after "every"."""
    if reader.take(TOO_FINE):
        raise Refused
    unit = reader.take(UNIT_WORD)
    if unit:
        word = unit.group(0).strip().lower()
        if word.endswith("s") and word[:-1] in UNITS:
            word = word[:-1]
        freq, per = UNITS[word]
        return RuleDraft(freq, interval * per)
    if reader.take(WORKDAY_WORD):
        if interval != 1:
            raise Refused  # "every other weekday": which ones?
        return RuleDraft("WEEKLY", by_day=WORKDAYS)
    if reader.take(WEEKEND_P):
        return RuleDraft("WEEKLY", interval, by_day=WEEKEND)
    days = weekday_list(reader)
    if days:
        return RuleDraft("WEEKLY", interval, by_day=tuple(days))
    if interval == 1 and reader.peek(PART_WORD):
        return RuleDraft("DAILY")  # "every morning": the part of day stays for the date reader
    return None


def after_every(reader: Reader) -> RuleDraft | None:
    """The repeat after "every"/"each", or None when what follows is not one."""
    reader.after_every = True
    reader.take(SINGLE)
    if reader.peek(VAGUE):
        raise Refused
    if reader.take(OTHER):
        return read_period(reader, 2)
    number = reader.take(NUMBER)
    if number:
        value = cardinal_value(number.group(0).strip())
        if value is None:
            return None
        if reader.peek(MONTH_P):  # "every 27 jan": read as "every 27th of jan"
            return _month_days([value], "YEARLY", 1, reader)
        if not 1 <= value <= recurrence.INTERVAL_MAX:
            if reader.peek(UNIT_WORD) or reader.peek(WEEKDAY_ITEM) or reader.peek(TOO_FINE):
                raise Refused
            return None
        return read_period(reader, value)
    ordinal = reader.take(ORDINAL_ITEM)
    if ordinal:
        return after_ordinals(reader, ordinal_list(reader, ordinal), "MONTHLY")
    if reader.take(MONTH_END):  # "every end of the month", "every month end"
        return RuleDraft("MONTHLY", by_month_day=(-1,))
    month = reader.take(MONTH_P)
    if month:  # "every jan 27"
        day = reader.take(DAY_NUMBER)
        if not day:
            if reader.peek(THE_WORD) or reader.peek(ORDINAL_ITEM):
                raise Refused
            return None
        value = int(re.match(r"\d+", day.group(0).strip()).group())
        rule = _month_days([value], "YEARLY", 1, reader)
        rule.by_month = month_number(month.group(0).strip())
        rule.by_month_day, rule.by_set_pos = month_day(value, rule.by_month)
        return rule
    return read_period(reader, 1)


def on_days(reader: Reader, rule: RuleDraft) -> None:
    """ "every 2 weeks on monday", "every month on the 15th", "every year on march 1",
    "weekly on mondays", "monthly on the last day"."""
    if rule.named_days() or rule.freq not in ("WEEKLY", "MONTHLY", "YEARLY"):
        return
    back = reader.pos
    if not reader.take(ON_WORD):
        return
    if rule.freq == "WEEKLY":
        if reader.take(WORKDAY_WORD):
            rule.by_day = WORKDAYS
            return
        if reader.take(WEEKEND_P):
            rule.by_day = WEEKEND
            return
        days = weekday_list(reader)
        if days:
            rule.by_day = tuple(days)
            return
        reader.pos = back
        return
    if reader.peek(WEEKDAY_ITEM):
        raise Refused  # "every month on friday": which friday?
    reader.take(THE_WORD)
    reader.after_every = False
    ordinal = reader.take(ORDINAL_ITEM)
    if ordinal:
        found = after_ordinals(reader, ordinal_list(reader, ordinal), rule.freq, rule.interval)
        if found is not None:
            if rule.freq == "YEARLY" and found.by_month is None and not found.by_set_pos and found.by_month_day:
                raise Refused  # "every year on the 15th": of which month?
            copy_days(found, rule)
            return
    if rule.freq == "YEARLY":
        month = reader.take(MONTH_P)
        day = reader.take(DAY_NUMBER) if month else None
        if month and day:
            rule.by_month = month_number(month.group(0).strip())
            value = int(re.match(r"\d+", day.group(0).strip()).group())
            rule.by_month_day, rule.by_set_pos = month_day(value, rule.by_month)
            return
        number = reader.take(DAY_NUMBER) if not month else None
        month = reader.take(MONTH_P) if number else None
        if number and month:
            rule.by_month = month_number(month.group(0).strip())
            value = int(re.match(r"\d+", number.group(0).strip()).group())
            rule.by_month_day, rule.by_set_pos = month_day(value, rule.by_month)
            return
    reader.pos = back


def copy_days(found: RuleDraft, rule: RuleDraft) -> None:
    rule.freq, rule.by_day, rule.by_month_day = found.freq, found.by_day, found.by_month_day
    rule.by_month, rule.by_set_pos = found.by_month or rule.by_month, found.by_set_pos
