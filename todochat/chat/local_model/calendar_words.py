"""The calendar's words: weekday and month names (full and short), ordinals ("third",
"3rd"), and the weekday arithmetic every date reader shares."""

from __future__ import annotations

import datetime as dt
import re

from .lexicon import one_of

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_SHORT = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3,
    "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)

# The spellings the readers take, built from the tables above.
SHORT_WEEKDAYS = tuple(_WEEKDAY_SHORT)  # "mon", "tue", "tues", "weds", "thurs", ...
# A short weekday before its period ("Fri."): no "weds", which these readers never took.
SHORT_WEEKDAYS_DOTTED = tuple(word for word in SHORT_WEEKDAYS if word != "weds")
WEEKDAY_STEMS = tuple(day[:3] for day in WEEKDAYS)  # "mon" .. "sun": "(?:mon|...)[a-z]*"
ANY_WEEKDAY = one_of((*WEEKDAYS, *SHORT_WEEKDAYS))  # "monday", "mon", "tues", "thurs", ...
MONTH_ABBREVIATIONS = tuple(month[:3] for month in MONTHS)  # "jan" .. "dec"
# A month's abbreviation before its period ("Dec. 5"): "sept" too, but not "may", a word.
MONTHS_DOTTED = (*(word for word in MONTH_ABBREVIATIONS if word != "may"), "sept")

FULL_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
ONE_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
SHORT_WEEKDAY = r"(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?"


def _month(may: str) -> str:
    return (
        rf"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|{may}|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    )


MONTH = _month("may")
# Before a spelled day ("march first"): "May" only capitalised, a lowercase "may" being far
# more often the verb ("I may first call the bank").
MONTH_MAY_CAPITALISED = _month("(?-i:May)")
DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9])"
DAY_OF_MONTH = rf"{DAY_NUMBER}(?:st|nd|rd|th)?"
DAY_ORDINAL = rf"{DAY_NUMBER}(?:st|nd|rd|th)"

_UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth")
# "first" .. "thirty-first": the days of a month, spelled.
SPELLED_ORDINALS: dict[str, int] = {word: n for n, word in enumerate(_UNITS) if word}
SPELLED_ORDINALS.update({word: 10 + n for n, word in enumerate(_TEENS)})
SPELLED_ORDINALS.update({"twentieth": 20, "thirtieth": 30, "thirty-first": 31, "thirty first": 31})
SPELLED_ORDINALS.update({f"twenty-{word}": 20 + n for n, word in enumerate(_UNITS) if word})
SPELLED_ORDINALS.update({f"twenty {word}": 20 + n for n, word in enumerate(_UNITS) if word})
SPELLED_ORDINAL = "|".join(
    re.escape(word).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]") for word in sorted(SPELLED_ORDINALS, key=len, reverse=True)
)
# Which one of a month's weekdays: "the first monday", "the last friday", "the 2nd tuesday".
NTH = r"(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)"
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1,
        "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}


def nth(word: str) -> int:
    return _NTH[word.lower()]


def ordinal_day(word: str) -> int | None:
    """"3rd" -> 3, "third" -> 3, "twenty-first" -> 21."""
    word = " ".join(word.lower().replace("-", " ").split())
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", word)
    if digits:
        return int(digits.group(1))
    return SPELLED_ORDINALS.get(word) or SPELLED_ORDINALS.get(word.replace(" ", "-"))


def month_index(word: str) -> int | None:
    """"dec", "December", "sept." -> 12, 12, 9 (1-based)."""
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    for number, name in enumerate(MONTHS, 1):
        if name.startswith(word) or (word == "sept" and number == 9):
            return number
    return None


def weekday_index(word: str) -> int | None:
    word = word.lower().rstrip(".,:")
    for candidate in (word, word.rstrip("s")):
        if candidate in WEEKDAYS:
            return WEEKDAYS.index(candidate)
        if candidate in _WEEKDAY_SHORT:
            return _WEEKDAY_SHORT[candidate]
    return None


def next_weekday(today: dt.date, target: int, *, include_today: bool = False) -> dt.date:
    days_ahead = (target - today.weekday()) % 7
    if days_ahead == 0 and not include_today:
        days_ahead = 7
    return today + dt.timedelta(days=days_ahead)


def week_start(today: dt.date, weeks_ahead: int = 0) -> dt.date:
    """The Monday of this week (weeks start on Monday), or of a week ahead."""
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks_ahead)
