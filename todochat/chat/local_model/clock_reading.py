"""The clock a time phrase names: "3pm", "17:30", "1030", "15h30", "noon", "a quarter to
six" (17:45), "half three" (15:30), "ten thirty"; the half of the day said with it
("tonight", "in the morning") decides am or pm, by the rules in times_of_day.py."""

from __future__ import annotations

import datetime as dt
import re

from .lexicon import ONES, TEENS
from .time_words import AMPM, APPROX, HOUR12, HOUR_WORD, MINUTE_TENS, MINUTE_WORD, NUMBER_WORD, OCLOCK

# ---------------------------------------------------------------- reading a time


_HALVES = (
    ("morning", re.compile(r"morning|in the a\.?m")),
    ("pm", re.compile(r"in the p\.?m")),
    ("afternoon", re.compile("afternoon")),
    ("evening", re.compile("tonight|evening|(?<!mid)night")),
)


def half_of_day(phrase: list[str]) -> str | None:
    """The part of the day a phrase says: "morning", "afternoon", "evening" (evening,
    tonight, night), or "both" when it says two."""
    joined = " ".join(phrase).lower()
    halves = [half for half, pattern in _HALVES if pattern.search(joined)]
    return "both" if len(halves) > 1 else halves[0] if halves else None


_LEAD = re.compile(rf"^(?:(?:at|@)\s*)?(?:{APPROX}\s+)?", re.I)
_NOON = re.compile(r"(?:(?:twelve|12)\s+)?(noon|midday|midnight)")
_AM_PM_END = re.compile(rf"\s*({AMPM})$")
_MINUTES_PHRASE = re.compile(
    rf"""
    (?:a\s+)?(quarter|half|\d{{1,2}}|{NUMBER_WORD})(?:\s+min(?:ute)?s?)?\s+
    (past|after|to|till|til|before|of)\s+(.+)
    """,
    re.X,
)
_BRITISH_HALF = re.compile(rf"half\s+({HOUR12})")
_COLON = re.compile(r"(\d{1,2})[:.](\d\d)")
_FOUR_DIGITS = re.compile(r"(\d\d)(\d\d)")
_H_NOTATION = re.compile(r"(\d{1,2})h(\d\d)?")
_HOUR_AND_MINUTES = re.compile(rf"(\d{{1,2}}|{HOUR_WORD})(?:[\s-]+({MINUTE_WORD}))?(?:\s*{OCLOCK})?")


def read_clock(text: str, half: str | None) -> dt.time | None:
    """A time piece's clock, with ``half`` (the part of the day) from the rest of the phrase."""
    cleaned = " ".join(text.lower().replace("’", "'").split())
    cleaned = cleaned[_LEAD.match(cleaned).end() :].removesuffix(" sharp")
    minutes = _minutes_of_day(cleaned, half)
    if minutes is None:
        return None
    return dt.time(*divmod(minutes % (24 * 60), 60))


def _minutes_of_day(text: str, half: str | None) -> int | None:
    """Minutes since midnight ("midnight" is 0, or 24:00 when minutes are counted to it)."""
    phrase = _MINUTES_PHRASE.fullmatch(text)
    if phrase:
        amount, relation, target = phrase.groups()
        count = {"quarter": 15, "half": 30}.get(amount) or _number(amount)
        if count is None or not 0 < count < 60 or (amount == "half" and relation not in ("past", "after")):
            return None
        counted_to = relation not in ("past", "after")
        hour = _hour_of(target, half, midnight_is_24=counted_to)
        if hour is None:
            return None
        return hour * 60 + (-count if counted_to else count)
    british = _BRITISH_HALF.fullmatch(text)
    if british:
        hour = _hour_of(british.group(1), half)
        return None if hour is None else hour * 60 + 30
    return _clock_minutes(text, half)


def _hour_of(text: str, half: str | None, *, midnight_is_24: bool = False) -> int | None:
    """The hour (0-24) a minute count is counted from: "3pm", "six", "noon", "midnight"."""
    noon = _NOON.fullmatch(text)
    if noon:
        return 12 if noon.group(1) != "midnight" else 24 if midnight_is_24 else 0
    minutes = _clock_minutes(text, half)
    if minutes is None or minutes % 60:
        return None
    return minutes // 60


def _clock_minutes(text: str, half: str | None) -> int | None:
    noon = _NOON.fullmatch(text)
    if noon:
        return 0 if noon.group(1) == "midnight" else 12 * 60
    said = None
    am_pm = _AM_PM_END.search(text)
    if am_pm:
        said, text = am_pm.group(1)[0] + "m", text[: am_pm.start()]
    elif re.fullmatch(r"\d{1,2}(?::\d\d)?[ap]", text):  # "3p", "3:15p"
        said, text = text[-1] + "m", text[:-1]
    if said and half and (said == "am") != (half == "morning"):  # "9pm tomorrow morning"
        return None

    three_digits = re.fullmatch(r"([1-9])([0-5]\d)", text)
    if three_digits and said:  # "330 pm" is 3:30 pm
        text = f"{three_digits.group(1)}:{three_digits.group(2)}"
    for pattern in (_FOUR_DIGITS, _H_NOTATION):  # 24-hour forms: as written
        found = pattern.fullmatch(text)
        if found and not said:
            hour, minute = int(found.group(1)), int(found.group(2) or 0)
            return hour * 60 + minute if hour < 24 and minute < 60 else None
    found = _COLON.fullmatch(text)
    if found:
        hour, minute = int(found.group(1)), int(found.group(2))
        if minute >= 60:
            return None
        if not said and (hour == 0 or hour > 12 or found.group(1).startswith("0")):
            return hour * 60 + minute if hour < 24 else None
    else:
        found = _HOUR_AND_MINUTES.fullmatch(text)
        if not found:
            return None
        hour = _number(found.group(1))
        minute = _number(found.group(2)) if found.group(2) else 0
        if hour is None or minute is None or minute >= 60:
            return None
        if found.group(1).startswith("0") and not said:  # "at 09": as written
            return hour * 60 + minute
    hour = _twelve_hour(hour, said or half)
    return None if hour is None else hour * 60 + minute


def _twelve_hour(hour: int, half: str | None) -> int | None:
    """The 24-hour hour of 1-12 o'clock said with ``half`` ("am"/"pm" as written, or the
    part of the day the phrase names), by the rules of the module docstring."""
    if not 1 <= hour <= 12:
        return None
    if half in ("am", "pm"):
        return hour % 12 + (12 if half == "pm" else 0)
    if half == "morning":
        return hour if hour != 12 else None  # "12 in the morning": noon or midnight?
    if half == "afternoon":
        return hour + 12 if hour <= 6 else 12 if hour == 12 else None
    if half == "evening":
        return hour + 12 if 5 <= hour <= 11 else None  # "at 1 tonight", "12 tonight": which day?
    if hour == 12 or 9 <= hour <= 11:
        return hour
    return hour + 12 if hour <= 6 else None  # 7 and 8: morning or evening?


def _number(token: str) -> int | None:
    """"7" -> 7, "twenty five" / "twenty-five" -> 25, "oh five" -> 5."""
    if token.isdigit():
        return int(token)
    total = 0
    for word in re.split(r"[\s-]+", token.replace("'", " ")):
        if word in ("o", "oh"):
            continue
        value = ONES.get(word) or TEENS.get(word) or MINUTE_TENS.get(word)
        if value is None:
            return None
        total += value
    return total or None
