"""Repeating tasks as RFC 5545 recurrence rules (the value of an ``RRULE`` line).

A task's ``recurrence`` is a rule such as ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270331``
("every other Tuesday until 31 Mar 2027"). The task's due date is the rule's start: it is
not stored in the rule, so moving a task moves its series. ``dateutil.rrule`` computes the
occurrences; this module decides which rules we accept, keeps them in one spelling, finds
the next occurrence in bounded work and says a rule in plain English.

What is accepted (anything else is refused with a sentence a person can act on):
- FREQ: HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY (no minutely or secondly: a task list
  is not a timer). INTERVAL 1-1000.
- BYDAY: weekdays; with MONTHLY or YEARLY also with a position (``3FR``, ``-1FR``).
  BYMONTHDAY (1..31, -31..-1) with MONTHLY or YEARLY; BYMONTH (1-12) with YEARLY, and
  needed there with BYMONTHDAY or a BYDAY weekday without position (else RFC 5545 means
  every month, or every week);
  BYSETPOS with BYDAY or BYMONTHDAY; WKST.
- COUNT 1-1000 or UNTIL (a date), not both (RFC 5545 forbids both). COUNT counts the
  occurrences left, this one included: completing a task whose rule says COUNT=8 schedules
  the next with COUNT=7, and completing COUNT=1 ends the series. Each completion is one
  step of constant work, instead of counting from a first date nobody stores.
- The five words the first version stored (``daily``, ``weekdays``, ``weekly``,
  ``monthly``, ``yearly``) are read as the rules they meant.

Monthly and yearly rules that name no day repeat on the start's day of month, clamped to
shorter months: a task first due Jan 31 repeats on the last day of each month, one due on
the 30th on Feb 28/29 in February and the 30th elsewhere (see ``anchored``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, HOURLY, MONTHLY, WEEKLY, YEARLY, rrule, weekday

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

_FREQS = {"HOURLY": HOURLY, "DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Parts in the order they are written back, so one rule has one spelling.
_ORDER = ("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST", "COUNT", "UNTIL")
_BY_PARTS_ALLOWED = {
    "HOURLY": set(),
    "DAILY": {"BYDAY"},
    "WEEKLY": {"BYDAY"},
    "MONTHLY": {"BYDAY", "BYMONTHDAY", "BYSETPOS"},
    "YEARLY": {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"},
}
_BYDAY_ITEM = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
# ASCII digits only: \d alone would also read other scripts' digits.
_UNTIL = re.compile(r"^(\d{8})(?:T\d{6}Z?)?$", re.ASCII)
# UNTIL lies in the due-date range: a series never runs past the last date a task may have.
UNTIL_FIRST = dt.date(DUE_YEAR_MIN, 1, 1)
UNTIL_LAST = dt.date(DUE_YEAR_MAX, 12, 31)
# How far ahead a next occurrence is looked for, beyond the rule's own period: a rule with
# no occurrence in that window (Feb 30th, a 31st every 12 months from April) has ended.
_LOOKAHEAD_YEARS = 9


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
    if freq not in _FREQS:
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
        if parts["WKST"] not in _DAY_CODES:
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
        match = _BYDAY_ITEM.match(item)
        if not match:
            raise RuleError(f"BYDAY {item[:12]!r} is not a weekday like TU, or 3FR / -1FR")
        if match.group(1) and not positions:
            raise RuleError("Weekdays with a position (3FR, -1FR) need FREQ=MONTHLY or YEARLY")
        key = (int(match.group(1) or 0), _DAY_CODES.index(match.group(2)))
        if key not in seen:
            seen.append(key)
    seen.sort(key=lambda k: (k[1], k[0]))
    return ",".join((f"{n}" if n else "") + _DAY_CODES[day] for n, day in seen)


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


# ---------------------------------------------------------------- occurrences


@dataclass(frozen=True)
class Occurrence:
    """The next task of a series: its due date (and time, for hourly rules) and the rule it
    carries on with (COUNT one less)."""

    due_date: dt.date
    due_time: dt.time | None
    rule: str


def anchored(rule: Rule, start: dt.date, anchor_day: int | None = None) -> Rule:
    """A monthly or yearly rule that names no day, pinned to ``anchor_day`` (default: the
    start's day; the last day of a month means month end). dateutil would skip months
    without that day (no Feb 30); people mean the last day there, so the day is written
    as "the last of these days": BYMONTHDAY=28,29,30;BYSETPOS=-1 is the 30th, or the end
    of February."""
    if rule.freq not in ("MONTHLY", "YEARLY") or rule.get("BYDAY") or rule.get("BYMONTHDAY"):
        return rule
    day = anchor_day or (31 if _is_month_end(start) else start.day)
    if rule.freq == "YEARLY" and not rule.get("BYMONTH"):
        rule = rule.replace("BYMONTH", str(start.month))
    if day <= 28:
        return rule.replace("BYMONTHDAY", str(day))
    if day == 31:
        return rule.replace("BYMONTHDAY", "-1")
    return rule.replace("BYMONTHDAY", ",".join(str(d) for d in range(28, day + 1))).replace("BYSETPOS", "-1")


def next_occurrence(
    text: str,
    due_date: dt.date,
    due_time: dt.time | None,
    now: dt.datetime,
    *,
    last_day: dt.date,
    anchor_day: int | None = None,
) -> Occurrence | None:
    """The occurrence after the one due ``due_date`` (at ``due_time``) that is not before
    ``now`` (naive, the user's local time): today for date rules, this hour for hourly ones.
    ``None`` when the series has ended (COUNT used up, past UNTIL, past ``last_day``, or no
    occurrence within the look-ahead). The work is bounded however old the due date is:
    the rule's start is moved forward by whole periods before dateutil iterates, and a rule
    with no occurrence stops at the look-ahead (``_search``)."""
    rule = anchored(parse(text), due_date, anchor_day)
    count = rule.get("COUNT")
    if count == "1":
        return None
    hourly = rule.freq == "HOURLY"
    start = dt.datetime.combine(due_date, due_time if hourly and due_time else dt.time())
    floor = now.replace(minute=0, second=0, microsecond=0) if hourly else dt.datetime.combine(now.date(), dt.time())
    if hourly and due_time is None:
        floor = max(floor, start)
    after = max(start, floor - dt.timedelta(microseconds=1))
    until = rule.get("UNTIL")
    end = dt.datetime.combine(last_day, dt.time.max)
    if until:
        end = min(end, dt.datetime.combine(dt.datetime.strptime(until, "%Y%m%d").date(), dt.time.max))
    if after >= end:
        return None
    shifted = _moved_forward(rule, start, after)
    found = _search(rule, shifted, after, until=min(end, _window(rule, after)), inc=False)
    if found is None:
        return None
    # The next task carries the rule as the user gave it (its day comes from its due date
    # again), with one occurrence fewer left.
    carried = parse(text)
    if count is not None:
        carried = carried.replace("COUNT", str(int(count) - 1))
    return Occurrence(found.date(), found.time() if hourly else due_time, str(carried))


def first_on_or_after(text: str, day: dt.date) -> dt.date | None:
    """The first day on or after ``day`` that a rule lands on ("every friday" said on a
    Monday: this Friday): the due date of a new repeating task given no date. UNTIL and
    COUNT are not looked at (``check`` does); ``None``: nothing within the look-ahead.
    INTERVAL neither: the series starts at the first matching day ("every other saturday"
    said on a Sunday is this Saturday, not the one in dateutil's second week from Sunday)."""
    return _first_day(parse(text).replace("INTERVAL", None), day)


def _first_day(rule: Rule, day: dt.date) -> dt.date | None:
    rule = anchored(rule, day)
    start = dt.datetime.combine(day, dt.time())
    try:
        found = _search(rule.replace("COUNT", None).replace("UNTIL", None), start, start, until=_window(rule, start), inc=True)
    except (OverflowError, ValueError):  # a day at the calendar's end: dateutil cannot step past year 9999
        return None
    return found.date() if found else None


def check(text: str, due_date: dt.date | None, due_time: dt.time | None) -> str:
    """The rule in its one spelling, if it can repeat a task due ``due_date`` (at
    ``due_time``); else RuleError saying why: an hourly rule needs a time to count hours
    from, and a rule must land on some day from the due date on, before its UNTIL. The
    due date is the series' start here, INTERVAL counted from it (every 12 months from
    April never has a 31st)."""
    rule = parse(text)
    if rule.freq == "HOURLY" and due_time is None:
        raise RuleError("An hourly repeat needs a due time to count the hours from")
    if due_date is not None and UNTIL_FIRST <= due_date <= UNTIL_LAST:
        first = _first_day(rule, due_date)
        if first is None:
            raise RuleError("This repeat never happens")
        until = rule.get("UNTIL")
        if until and first > dt.datetime.strptime(until, "%Y%m%d").date():
            raise RuleError("This repeat ends (UNTIL) before it first happens")
    return str(rule)


def _search(rule: Rule, start: dt.datetime, after: dt.datetime, *, until: dt.datetime, inc: bool) -> dt.datetime | None:
    """The rule's first occurrence after ``after`` (or on it, ``inc``) and not after ``until``,
    counting from ``start``, in bounded work.

    dateutil looks at ``until`` only when it has found an occurrence: a rule with none (Feb
    30th; every 12 months on the 31st from April; every 7 days on Tuesdays from a Monday)
    would have it walk every period up to the year 9999, millions of steps. So the periods
    that can come up empty are walked here, one dateutil period each, and stop at ``until``.
    """
    if rule.freq in ("MONTHLY", "YEARLY"):
        period = start
        while period <= until:
            found = _rrule(rule, period, until=until, one_period=True).after(after, inc=inc)
            if found is not None:
                return found
            # dateutil's next period: the next month or year the rule steps to, from its 1st.
            if rule.freq == "YEARLY":
                if period.year + rule.interval > dt.MAXYEAR:
                    return None
                period = period.replace(year=period.year + rule.interval, month=1, day=1)
            else:
                period = period.replace(day=1) + relativedelta(months=rule.interval)
        return None
    if rule.freq == "DAILY" and rule.get("BYDAY") and rule.interval % 7 == 0:
        # Every 7th (14th, ...) day is the start's weekday: the rule lands on it or never.
        if _DAY_CODES[start.weekday()] not in rule.get("BYDAY").split(","):
            return None
    # Hourly rules have no BY parts, weekly ones name weekdays every week has, and daily ones
    # with another interval reach every weekday within 7 steps: an occurrence comes soon.
    return _rrule(rule, start, until=until).after(after, inc=inc)


# A step past the year 9999: dateutil ends after the one period it was started in.
_ONE_PERIOD = {"MONTHLY": 12 * 10_000, "YEARLY": 10_000}


def _rrule(rule: Rule, start: dt.datetime, *, until: dt.datetime, one_period: bool = False) -> rrule:
    by_day = rule.get("BYDAY")
    days = None
    if by_day:
        days = []
        for item in by_day.split(","):
            match = _BYDAY_ITEM.match(item)
            day = weekday(_DAY_CODES.index(match.group(2)))
            days.append(day(int(match.group(1))) if match.group(1) else day)

    def ints(key: str) -> list[int] | None:
        value = rule.get(key)
        return [int(v) for v in value.split(",")] if value else None

    wkst = rule.get("WKST")
    return rrule(
        _FREQS[rule.freq],
        dtstart=start,
        interval=_ONE_PERIOD[rule.freq] if one_period else rule.interval,
        wkst=_DAY_CODES.index(wkst) if wkst else None,
        byweekday=days,
        bymonthday=ints("BYMONTHDAY"),
        bymonth=ints("BYMONTH"),
        bysetpos=ints("BYSETPOS"),
        until=until,
        cache=False,
    )


def _period(rule: Rule) -> relativedelta:
    step = rule.interval
    return {
        "HOURLY": relativedelta(hours=step),
        "DAILY": relativedelta(days=step),
        "WEEKLY": relativedelta(weeks=step),
        "MONTHLY": relativedelta(months=step),
        "YEARLY": relativedelta(years=step),
    }[rule.freq]


def _moved_forward(rule: Rule, start: dt.datetime, after: dt.datetime) -> dt.datetime:
    """``start`` moved forward by whole periods to just before ``after``, so occurrences keep
    their phase (every other week stays on its weeks) and iteration starts near ``after``.
    Monthly and yearly starts move to the 1st of their month: their day is in the rule."""
    if after <= start:
        return start
    step = rule.interval
    if rule.freq in ("HOURLY", "DAILY", "WEEKLY"):
        unit = {"HOURLY": dt.timedelta(hours=1), "DAILY": dt.timedelta(days=1), "WEEKLY": dt.timedelta(weeks=1)}[rule.freq]
        periods = (after - start) // (unit * step) - 1
        return start + unit * step * periods if periods > 0 else start
    months = (after.year - start.year) * 12 + after.month - start.month
    per = step * (12 if rule.freq == "YEARLY" else 1)
    periods = months // per - 1
    first_of_month = start.replace(day=1)
    return first_of_month + relativedelta(months=per * periods) if periods > 0 else first_of_month


def _window(rule: Rule, start: dt.datetime) -> dt.datetime:
    """How far from ``start`` an occurrence is looked for: two of the rule's periods and
    the look-ahead years (the end of the calendar for a start near it)."""
    try:
        return start + _period(rule) * 2 + relativedelta(years=_LOOKAHEAD_YEARS)
    except (OverflowError, ValueError):
        return dt.datetime.max


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month if day < dt.date.max else True


# ---------------------------------------------------------------- in words

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UNIT = {"HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def describe(text: str, today: dt.date | None = None) -> str:
    """A rule in plain English: "every other Tuesday until 31 Mar", "every month on the
    last day", "every weekday, 8 times". The year of an UNTIL date is said when it is not
    ``today``'s year. A rule that cannot be read is said as it is."""
    try:
        rule = parse(text)
    except RuleError:
        return text
    every = _every(rule)
    until = rule.get("UNTIL")
    if until:
        day = dt.datetime.strptime(until, "%Y%m%d").date()
        year = "" if today is not None and day.year == today.year else f" {day.year}"
        every += f" until {day.day} {_MONTH_NAMES[day.month - 1]}{year}"
    count = rule.get("COUNT")
    if count:
        # COUNT counts what is left, this one included (see ``next_occurrence``).
        every += ", last time" if count == "1" else f", {count} times"
    return every


def _every(rule: Rule) -> str:
    freq, step = rule.freq, rule.interval
    unit = _UNIT[freq]
    days = rule.get("BYDAY")
    lead = "every" if step == 1 else "every other" if step == 2 else f"every {step}"
    if freq in ("DAILY", "WEEKLY") and days:
        names = _weekday_names(days.split(","))
        if step == 1:
            return f"every {names}"
        if freq == "DAILY":
            return f"every {step} days, on {names}" if step > 2 else f"every other day, on {names}"
        if step == 2 and "," not in days:
            return f"every other {names}"  # "every other Tuesday"
        return f"every {'other week' if step == 2 else f'{step} weeks'} on {names}"
    plain = f"{lead} {unit}" if step <= 2 else f"every {step} {unit}s"
    if freq in ("HOURLY", "DAILY", "WEEKLY"):
        return plain
    on = _on_days(rule)
    if freq == "YEARLY":
        months = rule.get("BYMONTH")
        if months:
            names = _join([_MONTH_NAMES[int(m) - 1] for m in months.split(",")])
            month_days = rule.get("BYMONTHDAY")
            if month_days and not days and not rule.get("BYSETPOS") and "," not in month_days and int(month_days) > 0:
                return f"{plain} on {int(month_days)} {names}"
            month_days_only = rule.get("BYMONTHDAY") and not days
            return f"{plain} {'on ' + on + ' ' if on else ''}{'of' if month_days_only else 'in'} {names}"
    return f"{plain} on {on}" if on else plain


def _on_days(rule: Rule) -> str:
    days, month_days, positions = rule.get("BYDAY"), rule.get("BYMONTHDAY"), rule.get("BYSETPOS")
    if month_days and positions == "-1" and month_days.startswith("28"):
        top = int(month_days.split(",")[-1])
        return f"the {_ordinal(top)} (or the month's last day)"
    if days and positions and "," not in positions and not month_days and all(len(d) == 2 for d in days.split(",")):
        return f"the {_position(int(positions))} {_weekday_names(days.split(','), positioned=True)}"
    words = []
    if days:
        words.append(_weekday_names(days.split(","), positioned=True))
    if month_days:
        words.append(_join([_month_day(int(d)) for d in month_days.split(",")]))
    said = " and ".join(words)
    if positions:  # a rarer combination: said as "of these"
        said += f" (only the {_join([_position(int(p)) for p in positions.split(',')])} of these)"
    elif rule.freq == "MONTHLY" and month_days and max(int(d) for d in month_days.split(",")) > 28:
        said += " (skipping months without it)"  # RFC 5545: no Feb 30th, no move to the 28th
    return said


def _weekday_names(items: list[str], *, positioned: bool = False) -> str:
    codes = [item[-2:] for item in items]
    if not positioned or all(len(i) == 2 for i in items):
        if sorted(codes, key=_DAY_CODES.index) == list(_DAY_CODES[:5]):
            return "weekday"
        if sorted(codes, key=_DAY_CODES.index) == list(_DAY_CODES[5:]):
            return "weekend day" if positioned else "Saturday and Sunday"
        if len(codes) == 7:
            return "day"
    names = []
    for item in items:
        name = _DAY_NAMES[_DAY_CODES.index(item[-2:])]
        position = item[:-2]
        if position:
            name = f"the {_position(int(position))} {name}"
        elif len(items) > 2:
            name = name[:3]
        names.append(name)
    return _join(names)


def _month_day(day: int) -> str:
    return f"the {_position(day)} day" if day < 0 else f"the {_ordinal(day)}"


_POSITION_WORDS = ("first", "second", "third", "fourth", "fifth")


def _position(n: int) -> str:
    """A position in a month or a set, in words: "third", "last", "second to last"."""
    if n == -1:
        return "last"
    word = _POSITION_WORDS[abs(n) - 1] if abs(n) <= len(_POSITION_WORDS) else _ordinal(abs(n))
    return f"{word} to last" if n < 0 else word


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
