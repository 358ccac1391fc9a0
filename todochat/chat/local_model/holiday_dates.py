"""Holidays people name as due dates ("buy gifts by christmas", "bbq on labor day"), and
the day each falls on.

Three kinds: a fixed month and day (Christmas), a day counted from Easter (Good Friday;
dateutil computes Easter), and a weekday rule (Thanksgiving is the fourth Thursday of
November: ``relativedelta(month=11, day=1, weekday=TH(+4))``). The ``holidays`` package
would know more countries, but it is not a dependency and these few rules are stable.

Where countries disagree the US day is used when the name is American ("labor day",
"memorial day", "thanksgiving"); a name whose day differs between the US and the UK
("mother's day", "labour day") is in ``REGIONAL``: no date is set from it, and the reply
asks for the day (see ``dates.find_unclear``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter
from dateutil.relativedelta import MO, SU, TH, relativedelta

_Rule = Callable[[int], dt.date]


def _fixed(month: int, day: int) -> _Rule:
    return lambda year: dt.date(year, month, day)


def _from_easter(days: int, method: int = EASTER_WESTERN) -> _Rule:
    return lambda year: easter(year, method) + dt.timedelta(days=days)


def _nth_weekday(month: int, weekday, days_after: int = 0) -> _Rule:
    """``weekday`` is dateutil's, with its count: ``TH(+4)`` the fourth Thursday, ``MO(-1)``
    the last Monday (counted back from the month's last day)."""
    day = 31 if weekday.n < 0 else 1
    return lambda year: dt.date(year, month, 1) + relativedelta(day=day, weekday=weekday) + dt.timedelta(days=days_after)


_RULES: dict[str, _Rule] = {
    # A fixed day each year.
    "christmas eve": _fixed(12, 24), "christmas day": _fixed(12, 25), "christmas": _fixed(12, 25),
    "xmas": _fixed(12, 25), "xmas day": _fixed(12, 25), "xmas eve": _fixed(12, 24), "boxing day": _fixed(12, 26),
    "new year's eve": _fixed(12, 31), "new years eve": _fixed(12, 31), "nye": _fixed(12, 31),
    "new year's day": _fixed(1, 1), "new years day": _fixed(1, 1),
    "valentine day": _fixed(2, 14), "saint paddy's day": _fixed(3, 17), "st. paddy's day": _fixed(3, 17),
    "valentine's day": _fixed(2, 14), "valentines day": _fixed(2, 14), "valentine's": _fixed(2, 14), "valentines": _fixed(2, 14),
    "st patrick's day": _fixed(3, 17), "st. patrick's day": _fixed(3, 17), "saint patrick's day": _fixed(3, 17),
    "st paddy's day": _fixed(3, 17),
    "halloween": _fixed(10, 31), "independence day": _fixed(7, 4), "fourth of july": _fixed(7, 4),
    "the fourth of july": _fixed(7, 4), "4th of july": _fixed(7, 4), "the 4th of july": _fixed(7, 4),
    "april fools day": _fixed(4, 1), "april fools' day": _fixed(4, 1), "april fool's day": _fixed(4, 1),
    "guy fawkes night": _fixed(11, 5), "bonfire night": _fixed(11, 5), "juneteenth": _fixed(6, 19),
    "veterans day": _fixed(11, 11), "veterans' day": _fixed(11, 11), "remembrance day": _fixed(11, 11),
    "canada day": _fixed(7, 1), "australia day": _fixed(1, 26), "burns night": _fixed(1, 25),
    "st andrew's day": _fixed(11, 30), "st david's day": _fixed(3, 1), "st george's day": _fixed(4, 23),
    "cinco de mayo": _fixed(5, 5),
    # Counted from Easter Sunday.
    "easter": _from_easter(0), "easter sunday": _from_easter(0), "easter day": _from_easter(0),
    "easter monday": _from_easter(1), "easter mon": _from_easter(1), "good friday": _from_easter(-2), "maundy thursday": _from_easter(-3),
    "palm sunday": _from_easter(-7), "ash wednesday": _from_easter(-46), "shrove tuesday": _from_easter(-47),
    "pancake day": _from_easter(-47), "mardi gras": _from_easter(-47), "mothering sunday": _from_easter(-21),
    # Found in duckling's corpus: read as the bare weekday ("whit monday": next Monday) they
    # set a wrong date in silence.
    "branch sunday": _from_easter(-7), "ascension day": _from_easter(39), "pentecost": _from_easter(49),
    "whit sunday": _from_easter(49), "whitsunday": _from_easter(49), "white sunday": _from_easter(49),
    "whit monday": _from_easter(50), "whitmonday": _from_easter(50), "trinity sunday": _from_easter(56),
    "corpus christi": _from_easter(60),
    # Orthodox Easter and the days counted from it (dateutil's Orthodox method).
    "orthodox easter": _from_easter(0, EASTER_ORTHODOX), "orthodox easter sunday": _from_easter(0, EASTER_ORTHODOX),
    "orthodox good friday": _from_easter(-2, EASTER_ORTHODOX), "orthodox great friday": _from_easter(-2, EASTER_ORTHODOX),
    "clean monday": _from_easter(-48, EASTER_ORTHODOX), "orthodox clean monday": _from_easter(-48, EASTER_ORTHODOX),
    "lazarus saturday": _from_easter(-8, EASTER_ORTHODOX), "orthodox lazarus saturday": _from_easter(-8, EASTER_ORTHODOX),
    # A weekday of a month (US federal holidays where the name is American).
    "thanksgiving": _nth_weekday(11, TH(+4)), "thanksgiving day": _nth_weekday(11, TH(+4)),
    "black friday": _nth_weekday(11, TH(+4), 1), "cyber monday": _nth_weekday(11, TH(+4), 4),
    "labor day": _nth_weekday(9, MO(+1)), "memorial day": _nth_weekday(5, MO(-1)),
    "mlk day": _nth_weekday(1, MO(+3)), "martin luther king day": _nth_weekday(1, MO(+3)),
    "martin luther king jr day": _nth_weekday(1, MO(+3)), "martin luther king's day": _nth_weekday(1, MO(+3)), "martin luther king jr. day": _nth_weekday(1, MO(+3)),
    "presidents day": _nth_weekday(2, MO(+3)), "presidents' day": _nth_weekday(2, MO(+3)),
    "president's day": _nth_weekday(2, MO(+3)), "columbus day": _nth_weekday(10, MO(+2)),
    "father's day": _nth_weekday(6, SU(+3)), "fathers day": _nth_weekday(6, SU(+3)),
}

# Names whose day depends on the country: Mother's Day is in May in the US, on Mothering
# Sunday (March) in the UK; Labour Day is September in Canada, May elsewhere.
REGIONAL = {
    "mother's day": "Mother's Day", "mothers day": "Mother's Day", "mothers' day": "Mother's Day",
    "labour day": "Labour Day",
}


def _name_pattern(names) -> str:
    # Longest first, so "christmas eve" wins over "christmas"; apostrophes optional.
    return "|".join(
        re.escape(name).replace("'", "['’]?").replace(r"\ ", r"\s+")
        for name in sorted(names, key=len, reverse=True)
    )


_NAMES = _name_pattern(_RULES)
# "the day after christmas" is the 26th, not the 25th.
# "this thanksgiving", "next christmas": the next one (the word left in the title before).
PATTERN = rf"(?:(?:this|next|coming|this\s+coming)\s+|(?:the\s+)?day\s+(?:after|before)\s+)?(?:{_NAMES})"
REGIONAL_PATTERN = _name_pattern(REGIONAL)

_BY_BARE_NAME = {name.replace("'", ""): rule for name, rule in _RULES.items()}


def _bare(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'")).replace("'", "")


def regional_name(text: str) -> str:
    """How to write a regional holiday's name in a reply ("Mother's Day")."""
    return {name.replace("'", ""): shown for name, shown in REGIONAL.items()}.get(_bare(text), text)


def next_date(text: str, today: dt.date) -> dt.date | None:
    """The next date of a holiday, today included ("christmas" on Dec 25 is today), moved a
    day for "the day after/before"."""
    name = re.sub(r"^(?:this |next |coming |this coming )", "", _bare(text))
    shift = 0
    around = re.match(r"(?:the )?day (after|before) ", name)
    if around:
        shift, name = (1 if around.group(1) == "after" else -1), name[around.end():]
    rule = _BY_BARE_NAME.get(name)
    if rule is None:
        return None
    for year in (today.year, today.year + 1):
        if not 1 <= year <= 9998:
            return None
        day = rule(year) + dt.timedelta(days=shift)
        if day >= today:
            return day
    return None
