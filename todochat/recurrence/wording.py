"""A rule said in plain English for cards and replies: "every other Tuesday until 31 Mar
2027", "the last Friday of every month", "every 3rd of the month, 5 times"."""

from __future__ import annotations

import datetime as dt

from .rules import DAY_CODES, Rule, RuleError, parse

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
        if sorted(codes, key=DAY_CODES.index) == list(DAY_CODES[:5]):
            return "weekday"
        if sorted(codes, key=DAY_CODES.index) == list(DAY_CODES[5:]):
            return "weekend day" if positioned else "Saturday and Sunday"
        if len(codes) == 7:
            return "day"
    names = []
    for item in items:
        name = _DAY_NAMES[DAY_CODES.index(item[-2:])]
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
