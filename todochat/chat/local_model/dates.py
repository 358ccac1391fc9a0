"""Due dates in what people type: find the date phrase in a sentence, then resolve it.

Finding uses a small grammar of date *pieces* (a day word, a weekday, a month and day, an
offset, a time of day...: date_pieces.py), not ``dateparser.search``, which takes "march"
in "march on", "may" in "I may" or "sat" in "sat nav" for dates. Resolving them is
date_values.py's: dateparser reads only a month and day ("dec 4", "4th of december 2026");
weekdays, periods, numeric dates (calendar_phrases.py) and clock times (times_of_day.py)
are worked out by hand, with dateutil for month arithmetic. Everything is in the user's
local time: ``now`` is naive local time and so are the results.

Decisions (also in the package docstring):
- "friday", "on friday": the next Friday strictly after today (a week ahead if today is Friday).
- "this friday": the Friday of this week, today included; if it has passed, next week's.
- "next friday": the Friday of next calendar week (weeks start on Monday). On Monday
  2026-11-23 "next monday" is 2026-11-30 and "next friday" is 2026-12-04.
- "next week" = next Monday; "next month"/"next year" = the first day of it;
  "this week" = this Sunday; "end of (the) week" = this Friday (Sunday at the weekend);
  "end of month/year" = its last day; "this weekend" = Saturday (today at the weekend).
- Numeric dates (calendar_phrases): a number over 12 tells day from month ("31/12",
  "3/15"), as do equal numbers ("5/5"); when both could be the month and differ ("12/4",
  "5/12", "03/04/2027") the user's convention is unknown: no date, the reply asks which.
  "24.12.2026" is day.month.year; "1/1/0027" is the year 27 (out of range: no date).
  A month and day without a year is the next such day, today included.
- Compounds ("friday after next", "the first tuesday in october", "a week from friday",
  "this time next week", "Fri, Dec 4"...) are calendar_phrases'; holidays holiday_dates'.
- Never wrong in silence: a phrase too loose for one day ("early next week", "tomorrow
  week": vague.py), a weekday that is not its date's ("Fri, Sep 20" on a Monday), a day
  its month lacks ("feb 30", "2027-02-29") and a numeric date of unknown order set no
  date; ``find_unclear`` names them for the reply.
- A four-digit number beside a calendar date or holiday is its year ("thanksgiving 2014",
  "last day of october 2015"), beside a day word or weekday a 24-hour time ("tomorrow
  1930"). A year already past, or not the year of the date read, sets no date.
- "tomorrow before 4pm", "on saturday for 9am": the time of that day.
- A phrase read only in part sets no date: date words beside it that it did not read
  ("15 minutes past 3pm", "2 days after next friday", "thanksgiving in 9 months", "Jul 18,
  Fri"): partial_dates.py.
- A short weekday ("thu", "weds", "fri.") is a date after a word that makes it one ("by
  fri") or joined to a clock time ("Thu at 2pm", "at 4 Weds", "Weds 10am"); otherwise it
  stays in the title ("sat nav", "sun cream").
- Date words that are part of a name stay in the title: "monday meeting notes", "the 3/4
  report", "1/2 lb butter", "watch Friday Night Lights", "parents evening dec 4th". A
  weekday opening the sentence is a date before something to do ("monday call the bank").
- Times of day: morning 09:00, afternoon 15:00, evening 19:00, tonight/night 20:00
  ("tonight" said at 20:00 or later is today with no time, not a time already past).
  A bare "at 5" means 17:00 for 1-6 o'clock, otherwise as written ("at 9" is 09:00);
  7 and 8 need am/pm or a part of the day (more in times_of_day and offsets).
  A time with no date is today if still ahead, else tomorrow. A compact time with no
  "at" ("1030") is read only right after its day ("tomorrow 0930"): before one it is a
  code ("flight BA 1030 on friday" keeps "1030" in the title; "at 1030" is a time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import partial_dates, title_dates, vague
from .date_pieces import (
    DATE_KINDS,
    Piece,
    extend_over_lead_in,
    group_pieces,
    is_part_of_a_name,
    is_possessive,
    scan_pieces,
    starts_a_piece,
)
from .date_values import Due, resolve_group
from .numeric_dates import UnclearDate
from .vague import Unclear


@dataclass(frozen=True)
class DueSpan:
    """A date phrase found in a sentence: where it is, and what it means (``kinds``: the
    kinds of its pieces)."""

    start: int
    end: int
    value: Due
    kinds: frozenset[str] = frozenset()

    @property
    def iso(self) -> str:
        return format_due(self.value)

    @property
    def names_a_day(self) -> bool:
        """Whether a day was said, not only a time ("at 5pm")."""
        return bool(self.kinds & DATE_KINDS)


def format_due(value: Due) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def find_due(text: str, now: dt.datetime, *, spare_title_words: bool = True) -> DueSpan | None:
    """The due date a sentence states, with its span (lead-in words like "by" included).

    When there are several date phrases the last one wins: dates come after the task
    ("prepare the talk for the 3rd ... by friday"). A date followed by "'s" is part of
    the title ("monday's review"), not a due date. Phrases are resolved from the last one
    back and only until one means a date, so a sentence full of them costs one resolution.
    When the last date phrase cannot be trusted ("Fri, Sep 20" on a Monday, "4/5") there is
    no due date: an earlier phrase is not what the sentence's date was.
    """
    groups = _phrases(text, spare_title_words)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        try:
            span = _span(text, group, now)
        except UnclearDate:
            return None
        if span is not None:
            if spare_title_words and partial_dates.is_partly_read(
                text, group[0].start, span.end, group[0].kind, _previous_end(text, groups[:index], group)
            ):
                return None  # "15 minutes past 3pm", "thanksgiving in 9 months": not 3pm
            return span
    return None


def _previous_end(text: str, before: list[list[Piece]], group: list[Piece]) -> int | None:
    """Where the date phrase before ``group`` ends: the group before it, or a date piece
    left in the title ("thanksgiving" in "thanksgiving of next year")."""
    ends = [before[-1][-1].end] if before else []
    ends += [p.end for p in scan_pieces(text) if p.kind in DATE_KINDS and p.end <= group[0].start]
    return max(ends, default=None)


def find_all_dues(text: str, now: dt.datetime, *, spare_title_words: bool = True) -> list[DueSpan]:
    """Every date phrase, in order. ``spare_title_words`` leaves dates that belong to the
    title alone ("monday's review", "monday meeting notes")."""
    spans = []
    for group in _phrases(text, spare_title_words):
        try:
            span = _span(text, group, now)
        except UnclearDate:
            continue
        if span is not None:
            spans.append(span)
    return spans


def find_unclear(text: str, now: dt.datetime) -> list[Unclear]:
    """The phrases that name a date too loosely to set one, in order: vague ones ("early
    next week", "mother's day") unless they only describe a noun ("mid-year review"),
    a weekday that contradicts its date, a numeric date whose day/month order is unknown."""
    found = [u for u in vague.find(text) if not title_dates.loose_phrase_describes(text, u.start, u.end, starts_a_piece)]
    for group in _phrases(text, True):
        if not any(p.kind in _MAY_BE_UNCLEAR for p in group):
            continue
        try:
            resolve_group(group, now)
        except UnclearDate as unclear:
            words = text[group[0].start : group[-1].end]
            found.append(Unclear(group[0].start, group[-1].end, words, unclear.kind, unclear.reason))
    return sorted(found, key=lambda u: u.start)


def unclear_at_end(text: str, now: dt.datetime) -> Unclear | None:
    """The loose date phrase that ends ``text`` ("move the dentist to early next week"), if any."""
    found = find_unclear(text, now)
    if found and not text[found[-1].end :].strip(" .,!"):
        return found[-1]
    return None


# The kinds whose value may be ``UnclearDate``.
_MAY_BE_UNCLEAR = frozenset({"numeric", "dated_weekday", "month_day"})


def _phrases(text: str, spare_title_words: bool) -> list[list[Piece]]:
    loose = bytearray(len(text))  # the characters of loose phrases: no date is read there
    for phrase in vague.find(text):
        loose[phrase.start : phrase.end] = b"\x01" * (phrase.end - phrase.start)
    pieces = [p for p in scan_pieces(text) if loose.find(1, p.start, p.end) == -1]
    if spare_title_words:
        pieces = [p for p in pieces if not (is_possessive(text, p) or title_dates.is_attributive(text, p, starts_a_piece))]
        pieces = [p for i, p in enumerate(pieces) if not is_part_of_a_name(text, pieces, i)]
    groups = list(group_pieces(text, pieces))
    if spare_title_words and groups and title_dates.has_a_lowercase_word(text):
        groups = [g for g in groups if not title_dates.is_a_title(text, g)]
    return groups


def _span(text: str, group: list[Piece], now: dt.datetime) -> DueSpan | None:
    value = resolve_group(group, now)
    if value is None:
        return None
    start = group[0].start
    if group[0].kind == "start_weekday":
        start = len(text) - len(text.lstrip())
    return DueSpan(extend_over_lead_in(text, start), group[-1].end, value, frozenset(p.kind for p in group))


def resolve(phrase: str, now: dt.datetime) -> Due | None:
    """The value of a phrase that is only a date ("december 4", "tomorrow at 9")."""
    span = find_due(phrase, now, spare_title_words=False)
    if span is None:
        return None
    leftover = (phrase[: span.start] + phrase[span.end :]).strip(" ,.")
    return span.value if not leftover else None
