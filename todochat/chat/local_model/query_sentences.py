"""Sentences that ask: "show my tasks", "what's due today", "find milk" (list_tasks with
queries.py's filters), and questions about one task ("did I call mom?", "when is the
dentist?", "is the report done?")."""

from __future__ import annotations

import re

from . import replies
from .lexicon import base_verb
from .plan import Plan, Request
from .queries import query_filters, search_term
from .text import clean_reference

# ---------------------------------------------------------------- list / search

# Commands that only ever ask to see tasks.
_QUERY_COMMAND = re.compile(
    r"""
    # "show ...", "list ...", "find ...", "check my list"
    ^
    (?:show|list|display|view|see|give\s+me|pull\s+up|bring\s+up|print
        |let\s+me\s+see|let's\s+see|can\s+i\s+see|i\s+want\s+to\s+see|find|search
        |look\s+(?:for|up)|lookup|locate
        |check\s+(?:my|the)\s+(?:list|tasks|todos|agenda))
    \b
    """,
    re.I | re.X,
)
_LIST_OPENING = re.compile(
    rf"""
    # a command above, or a question about the list: "what's due", "do I have ...", "my tasks"
    {_QUERY_COMMAND.pattern}
    |^
    (?:tell\s+me|what|what's|whats|which|do\s+i|did\s+i|have\s+i|am\s+i|any|anything
        |is\s+there|are\s+there|how\s+many|my|all|tasks|todos|to-dos|overdue|pending
        |upcoming|remaining|outstanding|completed|finished|where|when)
    \b
    """,
    re.I | re.X,
)
# A query that names nothing ("show me", "list", "my list"): the open tasks.
_JUST_THE_LIST = re.compile(
    r"""
    # "show me", "list", "show all my tasks", "my todo list"
    ^
    (?:(?:show|list|display|view|see|give|print|pull\s+up|bring\s+up)
        (?:\s+(?:me|us))?(?:\s+(?:my|the|all))?
        (?:\s+(?:list|tasks|todos|to-dos|to\s+do\s+list|todo\s+list))?
        |my\s+(?:list|tasks|todos|todo\s+list))
    $
    """,
    re.I | re.X,
)
_TASK_CONTEXT = re.compile(
    r"""
    # words that make a question about tasks ("what's on my plate", "anything overdue")
    \b
    (?:tasks?|todos?|to-dos?|to\s+do|list|agenda|plate|schedule|due|overdue|pending
        |left|remaining|outstanding|finished|completed|done|open|have|got|need\s+to
        |planned|priority|urgent|important|tagged|deadlines?|reminders?|items?|chores?
        |things|anything|everything|late|upcoming|scheduled|coming\s+up|about|containing
        |mentioning|called|named|complete|next|up\s+next|coming\s+up|did\s+i\s+\w+
        |i\s+(?:should|must|can|could)?\s*do)
    \b
    |\#\w
    """,
    re.I | re.X,
)


def list_sentence(request: Request) -> Plan | None:
    text = request.text
    if _JUST_THE_LIST.match(text):
        return Plan.call("list_tasks", status="open")
    if not _LIST_OPENING.match(text) or not _TASK_CONTEXT.search(text):
        if not re.match(r"^(?:find|search|look\s+(?:for|up)|lookup|locate)\s+\S", text, re.I):
            return None
    filters = query_filters(text, request.now)
    if "search" not in filters:
        term = search_term(text)
        if term:
            filters["search"] = term
    return Plan.call("list_tasks", **filters)


_QUESTION_OPENING = re.compile(
    r"""
    # "what ...", "is ...", "did I ...": a question, never a task
    ^
    (?:what|what's|whats|which|how\s+many|do\s+i|did\s+i|have\s+i|am\s+i|any
        |anything|is\s+there|are\s+there|when|where)
    \b
    """,
    re.I | re.X,
)


# "did I call mom?", "when is the dentist due?": questions about one task -> look it up.
_ABOUT_ONE_TASK = (
    re.compile(
        r"""
        ^(?:did|have)\s+i\s+(?:already\s+|ever\s+)?
        (?!(?:finish|finished|complete|completed|do|done|get|got)\b)(?P<verb>[a-z]+)\s+
        (?P<object>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(r"^when\s+(?:is|was|are|'s)\s+(?P<object>.+?)(?:\s+due)?$", re.I),
    re.compile(
        r"""
        ^when\s+(?:do|did|should|must)\s+i\s+(?:need\s+to\s+|have\s+to\s+)?
        (?P<verb>[a-z]+)\s+(?P<object>.+)$
        """,
        re.I | re.X,
    ),
)


# "is walk the dog done?", "has the rent been paid yet?" (asked with a question mark).
_IS_IT_DONE = re.compile(
    r"^(?:is|are|was|were|has|have)\s+(?P<object>.+?)\s+(?:been\s+|already\s+|really\s+)?"
    r"(?:done|completed|complete|finished|checked\s+off|ticked\s+off)(?:\s+(?:yet|already))?$",
    re.I,
)


def question_sentence(request: Request) -> Plan | None:
    """Questions and show/find commands never change anything: "which tasks have I
    finished?" lists done tasks, "did I call mom?" looks the task up, "show completed" is
    not a completion; whatever is not about tasks is off-topic."""
    done_yet = _IS_IT_DONE.match(request.text) if request.message.is_question else None
    if done_yet:
        # "is walk the dog done?": look the task up (its card says done or open), never complete it.
        return Plan.call("list_tasks", status="all", search=clean_reference(done_yet.group("object")))
    if not (_QUESTION_OPENING.match(request.text) or _QUERY_COMMAND.match(request.text)):
        return None
    for pattern in _ABOUT_ONE_TASK:
        match = pattern.match(request.text)
        if match:
            verb = match.groupdict().get("verb")
            words = f"{base_verb(verb) or verb} {match.group('object')}" if verb else match.group("object")
            return Plan.call("list_tasks", status="all", search=clean_reference(words))
    return list_sentence(request) or Plan.say(replies.OFF_TOPIC)
