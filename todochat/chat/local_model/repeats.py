"""Repeats said in words ("every other tuesday", "every 3rd friday until march"), read as
RFC 5545 rules (``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``) and cut out of the phrase.

The grammar follows Todoist's recurring dates. A repeat starts at a trigger word — "every",
"each", "ev", an adverb ("daily", "weekly", "fortnightly"...), or a plural weekday
("mondays", "on weekends") — and is read forward from there, one anchored piece at a time:

- the period: "every day", "every other week", "every 3 months", "every 8 hours", "every
  quarter", "every fortnight", "every 2nd day", "once a week", "once every 10 days";
- the days: "every mon, wed and fri", "every weekday"/"workday", "every weekend",
  "every monday to friday", "on mondays"; "every 3rd friday", "every first and third
  monday", "every last friday" (monthly, ``BYDAY=+3FR`` / ``-1FR``); "every 1st", "every
  1st and 15th", "every last day" (``BYMONTHDAY``); "every first workday" / "last workday"
  (``BYSETPOS``); "every jan 27", "every 27th of january", "every 4th thursday of
  november" (yearly); and the same after a period: "every 2 weeks on monday", "every
  month on the 15th", "every year on march 1", "the 1st of every month";
- then, in any order: "starting dec 7"/"from monday" (the first due date), "until dec
  31"/"till friday"/"ending in 6 months" (``UNTIL``), "for 8 weeks"/"3 times" (``COUNT``).
  A time said with the repeat ("at 9am", "every morning", "every monday night") is left in
  the phrase for the date reader: it becomes the due time.

Decisions (tests pin each one):
- "biweekly" and "fortnightly" are every 2 weeks (as Todoist reads them; the other sense,
  twice a week, names no days). "quarterly" every 3 months; "semiannually"/"half-yearly"
  every 6 months. "bimonthly" and "biannually" mean both "every two" and "twice a": no
  repeat, the word stays in the title.
- "every 3rd friday"/"every second tuesday" are the 3rd/2nd of the month (Todoist);
  "every 2nd day"/"every third week" are intervals, as "every 2 days"/"every 3 weeks".
- "every weekend" is Saturday and Sunday; "every morning/afternoon/evening/night" is
  every day at the part of day's time (09:00, 15:00, 19:00, 20:00: the date reader's
  decisions, not Todoist's 12:00/22:00).
- A day of month past the 28th is clamped in short months, as ``recurrence.anchored``
  does for a rule that names no day: "every 31st" is the last day of each month, "every
  30th" the 30th or February's last day, "every feb 29" February's last day ("every 1st
  and 30th" keeps the 30th as said: a list cannot be clamped).
- "every 8 hours" with no time said is first due 8 hours from now ("every hour": in an
  hour), as "in 8 hours" reads; a time said is the first ("starting at 7pm").
- A date said after "starting"/"from" is the first due date (the first day the rule lands
  on from it); "until X" ends on X itself; "ending in 6 months" counts from today. A
  "for"-duration together with an UNTIL, or "3 times" with either, is refused (RFC 5545
  allows one end).
- A repeat said after the task must end there or before a word that may follow it ("at",
  "on", "until", "with", a weekday, a date, a tag...): "make every day count" is a title.
  A repeat said first is followed by its task ("every monday call the landlord"). Two
  repeats in one task: the first one said wins ("every monday and every friday" is one
  list).
- A duration is counted in occurrences from the first one: COUNT is how many the rule has
  in [first, first + duration). "every friday for 8 weeks" is 8, "every day for 2 weeks"
  14, "every weekday for 2 weeks" 10. Past COUNT's limit (1000) the same end is written as
  UNTIL (the last day inside the duration) rather than clamped.
- An interval past ``recurrence.INTERVAL_MAX`` (1000), a count past COUNT_MAX, or a number
  of 8 digits or more is not read: the words stay in the title (never a clamped rule).
- Never wrong in silence: an adjective before a noun stays in the title ("the weekly
  report", "daily standup notes", "the Daily Mail", "everyday carry"), a counted weekday
  is a date ("3 fridays from now"), and a repeat that is only partly understood ("every
  day except sunday", "every few days", "every 30 minutes", "3 times a day", "every day
  until the project ends", "twice weekly", "at 9am and 5pm") sets no repeat at all:
  every word stays, a date among them too ("except sunday"), and the message is not split
  into tasks inside them.

Linear work on hostile input: triggers are found in one ``finditer``; every other piece
is an anchored ``match`` at a position, or a search in a window of a few words, and lists
("mon, tue, ...") are read to a fixed number of items.
"""

from __future__ import annotations

import datetime as dt
import re

from .repeat_ends import EVERY_AFTER_ONCE, read_modifiers
from .repeat_grammar import (
    after_every,
    after_ordinals,
    at_boundary,
    copy_days,
    on_days,
    ordinal_list,
    read_period,
    weekday_list,
)
from .repeat_words import (
    A_OR_PER,
    ADVERBS,
    AMBIGUOUS,
    CARDINAL,
    END_WORD,
    ORDINAL,
    ORDINAL_ITEM,
    PART_WORD,
    SEVERAL_A,
    TRIGGER,
    UNREADABLE_AFTER,
    WEEKDAY_WORD,
    WORKDAY,
    Found,
    Reader,
    Recurrence,
    Refused,
    RuleDraft,
)
from .text import words_back

# Around a trigger: the words before it that belong to it ("repeat", "once", "on").
_BEFORE = re.compile(
    r"""
    (?:(?:(?<![\w'])and\s+|,\s*)?(?<![\w'])
        (?:repeat(?:s|ing|ed)?|recurr?(?:s|ing|ent)?|recurring)(?:\s+it)?\s+)?
    (?:(?<![\w'])(?:once|on)\s+)?$
    """,
    re.I | re.X,
)
# "the 1st of every month", "the last friday of each month", "end of every month".
_MONTHLY_PREFIX = re.compile(
    rf"(?:\bon\s+)?(?:\bthe\s+)?(?:(?P<ords>{ORDINAL}(?:\s*(?:,|and|&)\s*{ORDINAL}){{0,4}})"
    rf"(?:\s+(?P<what>day|{WEEKDAY_WORD}|{WORKDAY}))?|(?P<end>end))\s+of\s+$",
    re.I,
)
_DETERMINER = re.compile(
    rf"""
    \b
    (?:the|a|an|my|our|your|his|her|their|its|this|that|these|those|some|all|most
        |many|twice|thrice)
    \s+$
    |\b{CARDINAL}\s+(?:times\s+)?$
    |\b(?:few|couple(?:\s+of)?|several|other|next|last|past)\s+$
    """,
    re.I | re.X,
)
_COUNTED = re.compile(rf"\b(?:{CARDINAL}|a\s+few|few|couple(?:\s+of)?|several)\s+$", re.I)


_FROM_NOW = re.compile(r"\s+(?:from\s+(?:now|today)|ago|later|away|out|before|after|in\s+a\s+row|back)\b", re.I)


# ---------------------------------------------------------------- finding


def find_all(text: str, now: dt.datetime) -> tuple[list[Found], int | None]:
    """Every repeat in the text, left to right, and where one that was only partly
    understood starts (then no repeat is set from the text, and its words stay)."""
    found: list[Found] = []
    after = 0
    first_word = len(text) - len(text.lstrip())  # a repeat said first is followed by its task
    for trigger in TRIGGER.finditer(text):
        if trigger.start() < after:
            continue
        try:
            one = _read_at(text, trigger, now, first_word)
        except Refused:
            return found, trigger.start()
        if one is not None:
            found.append(one)
            after = one.end
    return found, None


def extract_recurrence(text: str, now: dt.datetime) -> tuple[Recurrence | None, str]:
    """(Recurrence("FREQ=WEEKLY;BYDAY=TU"), "put the bins out") from "put the bins out
    every tuesday". The first repeat said wins; a time said with it stays in the text for
    the date reader ("every monday night" leaves "night")."""
    found, refused_at = find_all(text, now)
    if refused_at is not None or not found:
        return None, text
    first = found[0]
    return first.recurrence, _cut(text, first.cuts)


def unread_from(text: str, now: dt.datetime) -> int | None:
    """Where a repeat that was only partly understood starts ("every day except sunday"):
    its words stay in the title, so no date is read from them either ("sunday")."""
    return find_all(text, now)[1]


def spans(text: str, now: dt.datetime) -> list[tuple[int, int]]:
    """Where repeats stand, modifiers included: a list of tasks is not split inside one
    ("gym every mon, wed and fri", "every day at 9, starting monday"), nor after a repeat
    only partly understood ("every day at 9am and 5pm" stays one task, its words whole)."""
    found, refused_at = find_all(text, now)
    protected = [(one.start, one.end) for one in found]
    if refused_at is not None:
        protected.append((refused_at, len(text)))
    return protected


def _read_at(text: str, trigger: re.Match[str], now: dt.datetime, first_word: int) -> Found | None:
    word = trigger.group(0).lower()
    start = trigger.start()
    reader = Reader(text, trigger.end())
    put_back = ""
    if word in ("every", "each", "ev"):
        rule = after_every(reader)
        if rule is None:
            return None
        if SEVERAL_A.search(text, words_back(text, 0, start, 3), start):
            raise Refused  # "3 times every day"
        on_days(reader, rule)
        if rule.freq == "MONTHLY" and not rule.named_days() and reader.take(END_WORD):
            rule.by_month_day = (-1,)  # "every month end"
        if rule.freq == "MONTHLY" and not rule.named_days():
            start = _monthly_prefix(text, start, rule)
    elif word == "once":
        if reader.take(A_OR_PER):
            rule = read_period(reader, 1)
        elif reader.take(EVERY_AFTER_ONCE):
            rule = after_every(reader)
        else:
            return None
        if rule is None:
            return None
        on_days(reader, rule)
    elif AMBIGUOUS.fullmatch(word):
        if _is_adverb_here(text, trigger):
            raise Refused
        return None
    elif word in ADVERBS:
        if not _is_adverb_here(text, trigger):
            return None
        freq, interval, by_day, put_back = ADVERBS[word]
        rule = RuleDraft(freq, interval, by_day=by_day or ())
        put_back = put_back or ""
        on_days(reader, rule)
    else:  # "mondays", "on tuesdays and thursdays"
        if _COUNTED.search(text, words_back(text, 0, start, 2), start) or _FROM_NOW.match(text, trigger.end()):
            return None
        if not _is_adverb_here(text, trigger):
            return None
        reader.pos = start
        days = weekday_list(reader)
        if not days:
            return None
        rule = RuleDraft("WEEKLY", by_day=tuple(days))
    before = _BEFORE.search(text, words_back(text, 0, start, 4), start)
    if before and before.start() < start:
        start = before.start()
    if start > first_word and not _after_the_repeat_ok(reader):
        return None  # "make every day count": not a repeat said after a task
    core_end = reader.pos
    if reader.peek(UNREADABLE_AFTER):
        raise Refused
    cuts = [(start, core_end, f" {put_back} " if put_back else " ")]
    return read_modifiers(text, reader, rule, cuts, now)


def _after_the_repeat_ok(reader: Reader) -> bool:
    """After a repeat that follows a task, what may come: the end, a time or date, a
    preposition... but not a word that makes it part of the title ("make every day count").
    A repeat said first is followed by the task itself ("every monday call the landlord")."""
    back = reader.pos
    reader.take(PART_WORD)  # "every monday night ..."
    ok = at_boundary(reader)
    reader.pos = back
    return ok


def _is_adverb_here(text: str, trigger: re.Match[str]) -> bool:
    """An adverb ("floss daily", "weekly at 9") and not an adjective ("the weekly report",
    "daily standup notes", "Daily Mail"), nor "twice weekly"."""
    start = trigger.start()
    if _DETERMINER.search(text, words_back(text, 0, start, 2), start):
        return False
    return at_boundary(Reader(text, trigger.end()))


def _monthly_prefix(text: str, start: int, rule: RuleDraft) -> int:
    """ "the 1st of every month", "the last friday of each month", "end of every month":
    the days said before "every month" (read in a window of a few words)."""
    match = _MONTHLY_PREFIX.search(text, words_back(text, 0, start, 9), start)
    if not match:
        return start
    if match.group("end"):
        rule.by_month_day = (-1,)
        return match.start()
    reader = Reader(match.group("ords"), 0)
    first = reader.take(ORDINAL_ITEM)
    ords = ordinal_list(reader, first) if first else []
    what = (match.group("what") or "").lower()
    tail = Reader(what, 0)
    found = after_ordinals(tail, ords, "MONTHLY", rule.interval) if ords else None
    if found is None:
        return start
    copy_days(found, rule)
    return match.start()


def _cut(text: str, cuts: tuple[tuple[int, int, str], ...]) -> str:
    """The text without the repeat's spans (each replaced by its put-back words), single-spaced."""
    pieces, at = [], 0
    for start, end, put in sorted(cuts):
        pieces += [text[at:start], put]
        at = max(at, end)
    pieces.append(text[at:])
    joined = " ".join("".join(pieces).split())
    joined = re.sub(r"(?<!\s)\s+([,.;:!?])", r"\1", joined)
    return joined.strip(" ,;-")
