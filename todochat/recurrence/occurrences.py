"""When a series comes next: the occurrence after a task is done (``next_occurrence``, in
bounded work however far the rule runs), the first day a rule lands on, and monthly and
yearly rules that name no day anchored to the start's day of month, clamped to shorter
months (``anchored``). ``dateutil.rrule`` computes the occurrences."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, weekday

from .rules import BYDAY_ITEM, DAY_CODES, FREQS, UNTIL_FIRST, UNTIL_LAST, Rule, RuleError, parse

# How far ahead a next occurrence is looked for, beyond the rule's own period: a rule with
# no occurrence in that window (Feb 30th, a 31st every 12 months from April) has ended.
_LOOKAHEAD_YEARS = 9


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
    day = anchor_day or (31 if is_month_end(start) else start.day)
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
        if DAY_CODES[start.weekday()] not in rule.get("BYDAY").split(","):
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
            match = BYDAY_ITEM.match(item)
            day = weekday(DAY_CODES.index(match.group(2)))
            days.append(day(int(match.group(1))) if match.group(1) else day)

    def ints(key: str) -> list[int] | None:
        value = rule.get(key)
        return [int(v) for v in value.split(",")] if value else None

    wkst = rule.get("WKST")
    return rrule(
        FREQS[rule.freq],
        dtstart=start,
        interval=_ONE_PERIOD[rule.freq] if one_period else rule.interval,
        wkst=DAY_CODES.index(wkst) if wkst else None,
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


def is_month_end(day: dt.date) -> bool:
    """The last day of its month (monthly series started there keep to month ends)."""
    # monthrange, not "tomorrow is the 1st": that would overflow on 9999-12-31.
    return day.day == calendar.monthrange(day.year, day.month)[1]
