"""Sentences that change a task's state: "delete all completed tasks" (bulk_tasks, which
asks first), "mark x as not done" / "x isn't done" (reopen), "I paid the rent" / "x is done"
/ "tick off x" (complete), "remove x" / "x is cancelled" (delete)."""

from __future__ import annotations

import re

from .adds import has_task_attributes
from .lexicon import DONE_BULK_GROUP, DONE_OR_COMPLETE, DONE_SAID_OF_A_TASK, base_verb, is_past_tense_verb, one_of
from .plan import Plan, Request
from .pointing import is_plural, points_at_tasks
from .queries import query_filters
from .thread_rules import not_done_after_all

# ---------------------------------------------------------------- bulk

_BULK_VERB = r"(?P<verb>delete|remove|clear(?:\s+out)?|clean\s+up|purge|erase|get\s+rid\s+of|wipe(?:\s+out)?|trash|drop|" \
    r"complete|finish|close|mark|check\s+off|tick\s+off|cross\s+off)"
_BULK_QUANTIFIER = re.compile(r"\b(?:all|every(?:thing)?|each|the\s+whole\s+list)\b", re.I)
# A bulk request starts with its quantifier ("delete all done tasks", "complete every
# overdue task"); one later in the words is part of a title: "delete gym every monday"
# named one task and offered to delete all of them.
_BULK_START = re.compile(r"^(?:(?:of\s+)?(?:my|the|your)\s+)?(?:all|every(?:thing)?|each|the\s+whole\s+list)\b", re.I)
_BULK_DONE_GROUP = re.compile(
    rf"""
    # "the completed tasks", "my old done ones from the list"
    ^(?:the\s+|my\s+)?(?:old\s+)?
    {one_of(DONE_BULK_GROUP)}
    (?:\s+(?:tasks|todos|to-dos|items|ones|stuff))?
    (?:\s+(?:from|off)\s+(?:my|the)\s+list)?$
    """,
    re.I | re.X,
)


def bulk_sentence(request: Request) -> Plan | None:
    match = re.match(rf"^{_BULK_VERB}\s+(?P<rest>.+)$", request.text, re.I)
    if not match:
        return None
    verb, rest = match.group("verb").lower(), match.group("rest")
    completes = verb in ("complete", "finish", "close", "mark", "check off", "tick off", "cross off")
    if completes:
        done_tail = re.search(rf"(?<!\s)\s+(?:as\s+)?{one_of(DONE_OR_COMPLETE)}(?:\s+off)?$", rest, re.I)
        if verb == "mark" and not done_tail:
            return None
        rest = rest[: done_tail.start()] if done_tail else rest
        if request.context is not None and is_plural(rest):
            return request.task_call("complete_task", rest)  # "complete all of them": the ones shown
        if not _BULK_START.match(rest):
            return None
        filters = query_filters(_BULK_QUANTIFIER.sub(" ", rest), request.now, default_status="open")
        filters["status"] = "open"
        return Plan.call("bulk_tasks", action="complete", **filters)
    if request.context is not None and is_plural(rest):
        return request.task_call("delete_task", rest)  # "delete all of those": the ones shown
    if _BULK_DONE_GROUP.match(rest):
        return Plan.call("bulk_tasks", action="delete", status="done")
    if not _BULK_START.match(rest):
        return None
    filters = query_filters(_BULK_QUANTIFIER.sub(" ", rest), request.now, default_status="all")
    return Plan.call("bulk_tasks", action="delete", **filters)


# ---------------------------------------------------------------- reopen / complete / delete

_DONE_WORD = one_of(DONE_SAID_OF_A_TASK)
_REOPEN = (
    re.compile(
        r"""
        # "reopen x", "undo x", "restore x"
        ^
        (?:reopen|re-open|unmark|uncheck|untick|uncomplete|un-complete|unfinish|undo
            |undelete|restore|revive|resurrect|unarchive)
        \s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        # "mark x as not done", "set x back to open"
        ^(?:mark|set|put)\s+(?P<ref>.+?)\s+(?:as\s+|back\s+(?:to|as)\s+)?
        (?:not\s+(?:yet\s+)?done|undone|not\s+complete(?:d)?|incomplete|unfinished
            |not\s+finished|open|pending|to\s*-?\s*do|active|unchecked|uncompleted
            |outstanding)
        (?:\s+again)?$
        """,
        re.I | re.X,
    ),
    re.compile(
        rf"""
        # "x is not done yet", "x wasn't finished after all"
        ^(?P<ref>.+?)\s+
        (?:is\s+not|isn't|isnt|was\s+not|wasn't|wasnt|'s\s+not|hasn't\s+been
            |has\s+not\s+been|is\s+no\s+longer|aren't|are\s+not)
        \s+(?:actually\s+|really\s+|quite\s+)?{_DONE_WORD}(?:\s+yet)?(?:\s+after\s+all)?
        $
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        # "x is still open", "x still needs doing"
        ^(?P<ref>.+?)\s+
        (?:is\s+still\s+(?:open|pending|to\s+do|not\s+done)
            |still\s+needs\s+(?:to\s+be\s+)?(?:done|doing|finishing))
        $
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        # "I didn't finish x", "haven't done x yet"
        ^(?:i\s+)?(?:didn't|did\s+not|didnt|haven't|have\s+not|havent)\s+
        (?:actually\s+|really\s+|yet\s+)?
        (?:(?:finish|complete|do|finished|completed|done)\s+)?(?P<ref>.+?)(?:\s+yet)?
        (?:\s+after\s+all)?$
        """,
        re.I | re.X,
    ),
)
_COMPLETE = (
    re.compile(rf"^(?:mark|set|put)\s+(?P<ref>.+?)\s+(?:as\s+)?{_DONE_WORD}$", re.I),
    re.compile(r"^(?:mark|check|tick|cross|strike)\s+off\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:mark|check|tick|cross|strike)\s+(?P<ref>.+?)\s+off(?:\s+(?:my|the)\s+list)?$", re.I),
    re.compile(
        rf"""
        # "x is done", "x has been finished"
        ^(?P<ref>.+?)\s+(?:is|are|was|were|has\s+been|have\s+been|'s|got)\s+
        (?:now\s+|all\s+|finally\s+|already\s+)?{_DONE_WORD}$
        """,
        re.I | re.X,
    ),
    re.compile(r"^(?:i(?:'m|\s+am)\s+)?(?:all\s+)?(?:done|finished|through)\s+with\s+(?P<ref>.+)$", re.I, ),
    re.compile(
        r"""
        # "I just finished x", "already did x"
        ^
        (?:i\s+(?:just\s+|already\s+|finally\s+)?
            |i've\s+(?:just\s+|already\s+|finally\s+)?
            |i\s+have\s+(?:just\s+|already\s+|finally\s+)?|just\s+|already\s+|finally\s+)?
        (?:finished|completed|done|did|accomplished)\s+(?P<gerund_ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(r"^(?:done|finished|completed|complete|check|tick|✓|✔)\s*[:\-]\s*(?P<ref>.+)$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s*[:\-]?\s+{_DONE_WORD}$|^(?P<ref2>.+?)\s*(?:✓|✔|✅)$", re.I),
)
# Imperatives that complete: "complete walk the dog". With a date they are new tasks
# instead ("finish the report by friday"), handled by the bare-task rule.
_COMPLETE_IMPERATIVE = re.compile(r"^(?:complete|finish|close|resolve|tick)\s+(?P<ref>.+)$", re.I)
_PAST_TENSE = re.compile(
    r"""
    # "I paid the rent", "we've called mom": a past tense of a task verb
    ^
    (?:(?:i|we)\s+(?:just\s+|already\s+|finally\s+|have\s+|'ve\s+)?|i've\s+|we've\s+
        |just\s+|already\s+|finally\s+)?
    (?P<verb>[a-z]+)(?:\s+(?P<object>.+))?$
    """,
    re.I | re.X,
)
_DELETE = (
    re.compile(
        r"""
        # "delete x", "remove x"
        ^
        (?:delete|remove|erase|del|trash|discard|scrap|ditch|drop|cancel|nix|axe|bin
            |scratch|kill|dump)
        \s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        # "get rid of x", "forget about x"
        ^
        (?:get\s+rid\s+of|forget\s+about|forget|never\s*mind(?:\s+about)?
            |throw\s+(?:away|out)|take\s+off|wipe\s+out|cross\s+out|rm)
        \s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        # "take x off my list"
        ^(?:take|get)\s+(?P<ref>.+?)\s+off\s+(?:of\s+)?(?:my|the)\s+
        (?:todo\s+|to-do\s+|task\s+)?(?:list|tasks)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        # "x is cancelled", "x is no longer needed"
        ^(?P<ref>.+?)\s+(?:is|was|has\s+been|got)\s+
        (?:cancell?ed|called\s+off|no\s+longer\s+(?:needed|necessary|relevant)
            |not\s+needed(?:\s+anymore)?|irrelevant|obsolete)
        (?:\s+anymore)?$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        # "I don't need to x anymore"
        ^(?:i\s+)?(?:don't|do\s+not|no\s+longer)\s+(?:need|have|want)\s+to\s+
        (?P<ref>.+?)(?:\s+anymore|\s+any\s+more)?$
        """,
        re.I | re.X,
    ),
    re.compile(r"^no\s+need\s+to\s+(?P<ref>.+?)(?:\s+anymore|\s+any\s+more)?$", re.I),
)


def reopen_sentence(request: Request) -> Plan | None:
    plan = not_done_after_all(request)
    if plan is not None:
        return plan
    for pattern in _REOPEN:
        match = pattern.match(request.text)
        if match:
            ref = re.sub(r"^(?:completing|finishing|marking|checking|ticking)\s+(?:off\s+)?", "", match.group("ref"), flags=re.I)
            ref = re.sub(r"(?<!\s)\s+(?:as\s+)?(?:done|complete(?:d)?|finished)$", "", ref, flags=re.I)
            return request.task_call("reopen_task", ref, gerund=True)
    return None


def complete_sentence(request: Request) -> Plan | None:
    for pattern in _COMPLETE:
        match = pattern.match(request.text)
        if match:
            groups = {k: v for k, v in match.groupdict().items() if v}
            return request.task_call("complete_task", groups.get("ref") or groups.get("ref2") or groups["gerund_ref"], gerund=True)
    match = _COMPLETE_IMPERATIVE.match(request.text)
    if match and (not has_task_attributes(match.group("ref"), request.now) or _points(request, match.group("ref"))):
        return request.task_call("complete_task", match.group("ref"))
    match = _PAST_TENSE.match(request.text)
    if match and is_past_tense_verb(match.group("verb")) and match.group("verb").lower() not in _NOT_COMPLETIONS:
        verb = base_verb(match.group("verb")) or match.group("verb")
        return request.task_call("complete_task", f"{verb} {match.group('object') or ''}")
    return None


# Past tenses that do not report a task as done.
_NOT_COMPLETIONS = {"added", "created", "forgot", "missed", "needed", "wanted", "skipped", "failed", "postponed", "moved", "delayed", "rescheduled", "left"}


def _points(request: Request, words: str) -> bool:
    """Whether words point at tasks the conversation showed ("the one due friday")."""
    return request.context is not None and points_at_tasks(words)


def delete_sentence(request: Request) -> Plan | None:
    for pattern in _DELETE:
        match = pattern.match(request.text)
        if match:
            return request.task_call("delete_task", match.group("ref"))
    return None
