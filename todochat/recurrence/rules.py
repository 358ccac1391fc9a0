"""Which RFC 5545 rules a task may repeat by, in one spelling: ``parse`` reads a rule (or one
of the five words the first version stored) and refuses anything else with a sentence a
person can act on; ``normalize`` writes it back the one way it is stored."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.rrule import DAILY, HOURLY, MONTHLY, WEEKLY, YEARLY

from todochat.limits import DUE_YEAR_MAX, DUE_YEAR_MIN, RULE_COUNT_MAX, RULE_INTERVAL_MAX, RULE_MAX

INTERVAL_MAX = RULE_INTERVAL_MAX
COUNT_MAX = RULE_COUNT_MAX

LEGACY_WORDS = {
    "daily": "FREQ=DAILY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
}

FREQS = {"HOURLY": HOURLY, "DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Parts in the order they are written back, so one rule has one spelling.
_ORDER = ("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST", "COUNT", "UNTIL")
_BY_PARTS_ALLOWED = {
    "HOURLY": set(),
    "DAILY": {"BYDAY"},
    "WEEKLY": {"BYDAY"},
    "MONTHLY": {"BYDAY", "BYMONTHDAY", "BYSETPOS"},
    "YEARLY": {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"},
}
BYDAY_ITEM = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
# ASCII digits only: \d alone would also read other scripts' digits.
_UNTIL = re.compile(r"^(\d{8})(?:T\d{6}Z?)?$", re.ASCII)
# UNTIL lies in the due-date range: a series never runs past the last date a task may have.
UNTIL_FIRST = dt.date(DUE_YEAR_MIN, 1, 1)
UNTIL_LAST = dt.date(DUE_YEAR_MAX, 12, 31)


class RuleError(ValueError):
    """A rule we do not accept; the message says why, in words for the person who sent it."""


@dataclass(frozen=True)
class Rule:
    """A checked rule, as parts in their one spelling."""

    parts: tuple[tuple[str, str], ...]

    def get(self, key: str) -> str | None:
        return dict(self.parts).get(key)

    def __str__(self) -> str:
        return ";".join(f"{k}={v}" for k, v in self.parts)

    @property
    def freq(self) -> str:
        return self.get("FREQ") or ""

    @property
    def interval(self) -> int:
        return int(self.get("INTERVAL") or 1)

    def replace(self, key: str, value: str | None) -> Rule:
        parts = dict(self.parts)
        if value is None:
            parts.pop(key, None)
        else:
            parts[key] = value
        return Rule(tuple((k, parts[k]) for k in _ORDER if k in parts))


def parse(text: str) -> Rule:
    """The rule ``text`` states, checked and in its one spelling. Raises RuleError."""
    if not isinstance(text, str):
        raise RuleError("A repeat rule is text, like FREQ=WEEKLY;BYDAY=TU")
    if len(text) > RULE_MAX:
        raise RuleError(f"A repeat rule is at most {RULE_MAX} characters")
    cleaned = text.strip()
    if cleaned.lower() in LEGACY_WORDS:
        cleaned = LEGACY_WORDS[cleaned.lower()]
    cleaned = cleaned.upper()
    if cleaned.startswith("RRULE:"):
        cleaned = cleaned[len("RRULE:") :]
    parts: dict[str, str] = {}
    # Spaces around parts and values are read past ("FREQ=WEEKLY; BYDAY=TU, TH"), as
    # people and models write them; inside a value they still make it wrong.
    for piece in filter(None, (p.strip() for p in cleaned.split(";"))):
        key, sep, value = piece.partition("=")
        key, value = key.strip(), re.sub(r"\s*,\s*", ",", value.strip())
        if not sep or not value:
            raise RuleError(f"Repeat rule part {piece[:20]!r} is not NAME=VALUE")
        if key not in _ORDER:
            raise RuleError(f"Repeat rules may not use {key[:20]!r} (they may use {', '.join(_ORDER)})")
        if key in parts:
            raise RuleError(f"Repeat rule says {key} twice")
        parts[key] = value
    freq = parts.get("FREQ")
    if freq not in FREQS:
        raise RuleError("A repeat rule needs FREQ=HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY")
    for key in ("BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"):
        if key in parts and key not in _BY_PARTS_ALLOWED[freq]:
            raise RuleError(f"{key} cannot be used with FREQ={freq}")
    # A yearly rule naming days of the month names the month: without one, RFC 5545 means
    # every month ("FREQ=YEARLY;BYMONTHDAY=15" is the 15th of each month), and a weekday
    # without a position every week: nobody means either by yearly. "The first Monday of
    # the year" (BYDAY=1MO) is fine.
    if freq == "YEARLY" and "BYMONTH" not in parts and (
        "BYMONTHDAY" in parts
        or ("BYDAY" in parts and "BYSETPOS" not in parts and any(d.strip()[-2:] == d.strip() for d in parts["BYDAY"].split(",")))
    ):
        raise RuleError("A yearly repeat on given days needs BYMONTH (which month), or use FREQ=MONTHLY or WEEKLY")
    # A position picks among days named by BYDAY or BYMONTHDAY ("the last weekday").
    if "BYSETPOS" in parts and not parts.keys() & {"BYDAY", "BYMONTHDAY"}:
        raise RuleError("BYSETPOS needs BYDAY or BYMONTHDAY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError("A repeat rule has COUNT or UNTIL, not both")
    checked = {"FREQ": freq}
    if "INTERVAL" in parts:
        interval = _integer(parts["INTERVAL"], 1, INTERVAL_MAX, "INTERVAL")
        if interval != 1:
            checked["INTERVAL"] = str(interval)
    if "COUNT" in parts:
        checked["COUNT"] = str(_integer(parts["COUNT"], 1, COUNT_MAX, "COUNT"))
    if "UNTIL" in parts:
        checked["UNTIL"] = _until(parts["UNTIL"]).strftime("%Y%m%d")
    if "BYDAY" in parts:
        checked["BYDAY"] = _by_day(parts["BYDAY"], positions=freq in ("MONTHLY", "YEARLY"))
    if "BYMONTHDAY" in parts:
        checked["BYMONTHDAY"] = _integers(parts["BYMONTHDAY"], 31, "BYMONTHDAY", negative=True)
    if "BYMONTH" in parts:
        checked["BYMONTH"] = _integers(parts["BYMONTH"], 12, "BYMONTH", negative=False)
    if "BYSETPOS" in parts:
        checked["BYSETPOS"] = _integers(parts["BYSETPOS"], 366, "BYSETPOS", negative=True)
    if "WKST" in parts:
        if parts["WKST"] not in DAY_CODES:
            raise RuleError("WKST is a weekday: MO, TU, WE, TH, FR, SA or SU")
        checked["WKST"] = parts["WKST"]
    return Rule(tuple((k, checked[k]) for k in _ORDER if k in checked))


def normalize(text: str) -> str:
    return str(parse(text))


def _integer(value: str, low: int, high: int, name: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,6}", value, re.ASCII) or not low <= int(value) <= high:
        raise RuleError(f"{name} must be a whole number from {low} to {high}")
    return int(value)


def _integers(value: str, high: int, name: str, *, negative: bool) -> str:
    items = value.split(",")
    if len(items) > 31:
        raise RuleError(f"{name} lists at most 31 values")
    numbers = []
    for item in items:
        number = _integer(item, -high if negative else 1, high, name)
        if number == 0:
            raise RuleError(f"{name} values cannot be 0")
        numbers.append(number)
    return ",".join(str(n) for n in sorted(set(numbers), key=lambda n: (n < 0, abs(n) if n < 0 else n)))


def _by_day(value: str, *, positions: bool) -> str:
    items = value.split(",")
    if len(items) > 35:
        raise RuleError("BYDAY lists at most 35 days")
    seen: list[tuple[int, int]] = []
    for item in items:
        match = BYDAY_ITEM.match(item)
        if not match:
            raise RuleError(f"BYDAY {item[:12]!r} is not a weekday like TU, or 3FR / -1FR")
        if match.group(1) and not positions:
            raise RuleError("Weekdays with a position (3FR, -1FR) need FREQ=MONTHLY or YEARLY")
        key = (int(match.group(1) or 0), DAY_CODES.index(match.group(2)))
        if key not in seen:
            seen.append(key)
    seen.sort(key=lambda k: (k[1], k[0]))
    return ",".join((f"{n}" if n else "") + DAY_CODES[day] for n, day in seen)


def _until(value: str) -> dt.date:
    match = _UNTIL.match(value)
    try:
        day = dt.datetime.strptime(match.group(1), "%Y%m%d").date() if match else _bad_until()
    except ValueError:
        return _bad_until()
    if not UNTIL_FIRST <= day <= UNTIL_LAST:
        raise RuleError(f"UNTIL must be between {UNTIL_FIRST:%Y%m%d} and {UNTIL_LAST:%Y%m%d}")
    return day


def _bad_until() -> dt.date:
    raise RuleError("UNTIL is a date written YYYYMMDD, like 20270331")
