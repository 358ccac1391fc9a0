"""Update sentences about when a task is due: reschedule ("move x to friday", "x is due
tomorrow", "change x to friday"), postpone or bring forward by an amount ("push it back 2
days": update_task's ``shift_due``), and clear the due date or its time ("remove the due
date from x", "x has no time"). updates.py tries them in its order."""

from __future__ import annotations

import datetime as dt
import re

from . import dates, offsets, replies
from .plan import Plan, Request
from .text import strip_connectors

_CHANGE_TO = re.compile(r"^(?:change|edit|update|switch|turn)\s+(?P<ref>.+?)\s+(?:to|into)\s+(?P<value>.+)$", re.I)


_DUE_WORD = r"(?:due\s+date|deadline|due|date|reminder|schedule)"
_CLEAR_DUE = (
    re.compile(
        rf"""
        ^(?:remove|clear|delete|drop|take|unset|get\s+rid\s+of|wipe)\s+(?:off\s+)?
        (?:the\s+)?{_DUE_WORD}\s+(?:from|of|on|for|off)\s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        rf"""
        ^(?P<ref>.+?)\s+(?:has|have|has\s+got|needs|should\s+have|gets)\s+no\s+
        (?:more\s+)?{_DUE_WORD}(?:\s+anymore)?$
        """,
        re.I | re.X,
    ),
    re.compile(
        rf"""
        ^(?P<ref>.+?)\s+(?:doesn't|does\s+not|don't|no\s+longer)\s+
        (?:have|has|need|needs)\s+(?:a\s+|any\s+)?{_DUE_WORD}(?:\s+anymore)?$
        """,
        re.I | re.X,
    ),
    re.compile(r"^(?P<ref>.+?)\s+(?:is\s+not|isn't|is\s+no\s+longer)\s+due(?:\s+anymore)?$", re.I),
    re.compile(rf"^(?:no\s+{_DUE_WORD}\s+(?:for|on)|unschedule|undate)\s+(?P<ref>.+)$", re.I),
    re.compile(
        rf"""
        ^(?:make|set|leave)\s+(?P<ref>.+?)\s+
        (?:undated|unscheduled|without\s+(?:a\s+)?{_DUE_WORD}|with\s+no\s+{_DUE_WORD})$
        """,
        re.I | re.X,
    ),
)


_RESCHEDULE_VERB = re.compile(
    r"""
    ^
    (?P<verb>move|reschedule|re-schedule|push(?:\s+back)?|postpone|delay|defer|shift
        |bump|put\s+off|put\s+back|change|set|make|update|snooze|bring(?:\s+forward)?)
    \s+(?P<rest>.+)$
    """,
    re.I | re.X,
)
_POSTPONE_VERB = re.compile(r"^(?:postpone|delay|defer|push\s+back|put\s+off|snooze)\s+(?P<ref>.+)$", re.I)
_DUE_REF_SCAFFOLDING = re.compile(
    rf"""
    ^(?:the\s+)?{_DUE_WORD}\s+(?:of|for|on)\s+
    |(?:'s|s')\s+{_DUE_WORD}$
    |(?<!\s)\s+(?:due|due\s+date|deadline)$
    """,
    re.I | re.X,
)
_CLEAR_TIME = (
    re.compile(
        r"""
        ^(?:remove|clear|delete|drop|unset|take\s+off)\s+(?:the\s+)?(?:due\s+)?time\s+
        (?:from|of|on|for|off)\s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(r"^(?P<ref>.+?)\s+(?:has|needs|should\s+have|gets)\s+no\s+(?:due\s+)?time(?:\s+anymore)?$", re.I),
)
_IS_DUE = re.compile(
    r"""
    ^(?P<ref>.+?)\s+(?:is|'s|should\s+be|must\s+be|needs\s+to\s+be|has\s+to\s+be)\s+
    (?:now\s+|actually\s+)?(?:due|done|finished|ready|completed)\s+(?P<when>.+)$
    """,
    re.I | re.X,
)


def clear_due_sentence(request: Request) -> Plan | None:
    for pattern in _CLEAR_DUE:
        match = pattern.match(request.text)
        if match:
            return request.task_call("update_task", match.group("ref"), clear_due=True)
    return None


def reschedule_sentence(request: Request) -> Plan | None:
    for pattern in _CLEAR_TIME:  # "remove the time from the dentist": the date stays
        match = pattern.match(request.text)
        if match:
            return request.task_call("update_task", match.group("ref"), clear_time=True)
    match = _IS_DUE.match(request.text)
    if match:
        due = dates.resolve(match.group("when"), request.now)
        if due is not None:
            return request.task_call("update_task", match.group("ref"), due=dates.format_due(due))
        loose = _loose_date(match.group("when"), request.now, whole=True)
        if loose:
            return loose
    match = _RESCHEDULE_VERB.match(request.text)
    if not match:
        return None
    rest = match.group("rest")
    verb = " ".join(match.group("verb").lower().split())
    shift = offsets.find_trailing_shift(rest)
    if shift is not None:
        return _shift_plan(request, verb, rest, shift)
    if verb == "bring":  # "bring dessert to the party friday": no reschedule without "forward"
        return None
    due = dates.find_due(rest, request.now)
    if due and not rest[due.end :].strip(" .,!"):
        ref = _due_reference(rest[: due.start])
        if ref:
            return request.task_call("update_task", ref, due=due.iso)
    loose = _loose_date(rest, request.now)
    if loose:
        return loose
    postpone = _POSTPONE_VERB.match(request.text)
    if postpone:  # "postpone X" with no amount: a day later than its own date
        return request.task_call("update_task", _due_reference(postpone.group("ref")), shift_due="P1D")
    return None


SHIFT_WHICH_WAY = "Earlier or later? Say “a week earlier” or “push it back a week”. Nothing was changed."
SHIFT_TOO_FAR = "I can move a task by at most 10 years (3650 days) at a time. Nothing was changed."


def _shift_plan(request: Request, verb: str, rest: str, shift: offsets.Shift) -> Plan | None:
    """"push it back 2 days", "postpone it by a week", "move it 1 day earlier", "bring it
    forward a week": update_task's ``shift_due``, which moves the task's own due date and
    keeps its time. "Forward" is earlier after "bring" only ("move it forward a week" could
    mean either: asked); a direction that contradicts the verb ("postpone it a day earlier")
    is asked too."""
    brings = verb.startswith("bring")
    postpones = _POSTPONE_VERB.match(request.text) is not None
    direction = shift.direction or ("earlier" if brings else "later")
    if direction == "forward":
        direction = "earlier" if brings else "unclear"
    if verb == "bring" and not shift.direction:
        return None  # "bring water 2 days": no "forward", no reschedule
    if direction == "unclear" or shift.direction == "conflict" or (direction == "earlier" and postpones) or (
        direction == "later" and brings
    ):
        return Plan.say(SHIFT_WHICH_WAY)
    if shift.too_far:
        return Plan.say(SHIFT_TOO_FAR)
    ref = _due_reference(rest[: shift.start])
    if not ref:
        return None
    return request.task_call("update_task", ref, shift_due=("-" if direction == "earlier" else "") + shift.duration)


def _due_reference(text: str) -> str:
    ref = strip_connectors(text)
    ref = re.sub(r"(?<!\s)\s+(?:to|until|till|'til|for|back|out|forward|over|off)$", "", ref, flags=re.I)
    return _DUE_REF_SCAFFOLDING.sub("", ref).strip()


def change_to_sentence(request: Request) -> Plan | None:
    """"change X to Y": Y decides — a date reschedules, anything else renames."""
    match = _CHANGE_TO.match(request.text)
    if not match:
        return None
    value = match.group("value").strip(" \"'")
    due = dates.resolve(value, request.now)
    if due is not None:
        return request.task_call("update_task", match.group("ref"), due=dates.format_due(due))
    loose = _loose_date(value, request.now, whole=True)
    if loose:
        return loose
    return request.task_call("update_task", match.group("ref"), title=value)


def _loose_date(text: str, now: dt.datetime, *, whole: bool = False) -> Plan | None:
    """"move the dentist to early next week": no date to move it to; the reply says why
    rather than a wrong date set, or a new task added, in silence."""
    unclear = dates.unclear_at_end(text, now)
    if unclear is None or (whole and text[: unclear.start].strip()):
        return None
    return Plan.say(replies.unclear_note(unclear.kind, unclear.words, unclear.detail, change=True))
