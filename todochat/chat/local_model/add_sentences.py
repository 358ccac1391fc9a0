"""Sentences that add tasks: "add x", "remind me to x", "put x on my list", "x, y and z"
lists, and a bare task that reads like one ("buy milk tomorrow"); the body becomes task
drafts in adds.py. Text that opens with an edit verb or asks the assistant for something
else is never a task."""

from __future__ import annotations

import re

from . import replies
from .adds import has_task_attributes, parse_tasks, unclear_notes
from .lexicon import TASK_VERBS, first_word
from .plan import Plan, Request, ToolCall
from .pointing import is_plural, is_singular

# ---------------------------------------------------------------- add

_ADD_OPENING = re.compile(
    r"""
    # "add x", "new task: x", "remind me to x", "I need to x", "don't forget to x"
    ^
    (?:(?:add|create|make|new|put|insert|enter|log|record|jot\s+down|write\s+down|note\s+down|note|set\s+up|schedule\s+a\s+task)
        (?:\s+(?:a|an|the|another|one\s+more))?(?:\s+new)?
        (?:\s+(?:task|todo|to-do|item|reminder|entry|note)s?)?
        (?:\s*[:\-]\s*|\s+(?:(?:called|named|titled|to|for|that\s+says|saying)\s+)?)
        |(?:new\s+)?(?:task|todo|to-do|to\s+do|reminder|note\s+to\s+self)\s*[:\-]\s*
        |(?:set\s+(?:a|an|me\s+a)\s+reminder|remind\s+me|reminder)
        \s+(?:to|about|of|for|that\s+i\s+(?:need|have)\s+to)\s+
        |(?:please\s+)?remind\s+me\s+
        |(?:i|we)
        \s+(?:need|have|want|ought|got|gotta|must|should|'ve\s+got|have\s+got|'d\s+like|would\s+like|plan|intend)
        (?:\s+to)?\s+
        |(?:i|we)\s+(?:must|should|gotta)\s+|(?:need|have|got|gotta)\s+to\s+|gotta\s+
        |(?:i|we)\s+(?:will|'ll)\s+have\s+to\s+
        |(?:don't|dont|do\s+not)\s+(?:let\s+me\s+)?forget\s+(?:to|about)\s+
        |(?:remember|make\s+sure)\s+(?:to|i)\s+
        |(?:can\s+you\s+)?(?:help\s+me\s+)?remember\s+to\s+)
    """,
    re.I | re.X,
)
_MY_LIST = r"(?:my|the)\s+(?:todo\s+|to-do\s+|to\s+do\s+|task\s+|shopping\s+|grocery\s+|groceries\s+)?(?:list|tasks|todos|todo|to-dos)"
_ON_MY_LIST = re.compile(rf"^(?:put|add|stick|throw|pop|get)\s+(?P<body>.+?)\s+(?:on|to|onto|in|into)\s+{_MY_LIST}$", re.I)
_LIST_SUFFIX = re.compile(
    rf"""
    (?<!\s)\s+(?:to|on|onto|in|into)\s+{_MY_LIST}\b
    |(?<!\s)\s+as\s+an?\s+(?:new\s+)?(?:task|todo|reminder)$
    """,
    re.I | re.X,
)


_ADD_ALONE = re.compile(
    r"""
    # "add", "create a new task", "new todo": nothing to add yet
    ^(?:add|create|new|make)(?:\s+(?:a|an|another))?(?:\s+new)?
    (?:\s+(?:task|todo|to-do|item|reminder))?$
    """,
    re.I | re.X,
)


# "remind me what the dentist is", "remind me when the dentist is": a question, not a reminder.
_REMIND_QUESTION = re.compile(r"^(?:please\s+)?remind\s+me\s+(?:what|when|where|which|who|whom|whose|how|whether|if|why)\b", re.I)


def add_sentence(request: Request) -> Plan | None:
    if _REMIND_QUESTION.match(request.text):
        return Plan.say(replies.question_not_understood(request.message.plain or request.text))
    if _ADD_ALONE.match(request.text):
        return Plan.say(replies.WHAT_TASK)
    match = _ON_MY_LIST.match(request.text)
    if match:
        return add_plan(match.group("body"), request)
    match = _ADD_OPENING.match(request.text)
    if match and match.end() < len(request.text):
        return add_plan(request.text[match.end() :], request)
    return None


def bare_task(request: Request) -> Plan | None:
    """Text with no command verb: a task if it reads like one ("buy milk tomorrow",
    "urgent: file taxes"), never a question or a request to the assistant."""
    if request.message.is_question:
        return None
    text = request.text
    if is_request_to_assistant(text):
        return None
    if first_word(text) in _EDIT_VERBS:
        # "move dentist to 4", "clear the due date": an edit not understood is never a new
        # task called by its words ("add move the couch to the garage" still adds).
        return Plan.say(replies.edit_not_understood(request.message.plain or text))
    if _NAMED_TASK.match(text):
        return _named_task_changes(text, request)  # None: not understood, and no new task
    if has_task_attributes(text, request.now) or first_word(text) in TASK_VERBS:
        return add_plan(text, request)
    return None


# A message that opens with a task's number: "#12 pay rent tomorrow" — an @-mention of a
# task reaches the model so (history.py). The task exists; a copy titled "#12 pay rent"
# is never what was meant.
_NAMED_TASK = re.compile(r"^\#[1-9]\d{0,9}(?!\w)")


def _named_task_changes(text: str, request: Request) -> Plan | None:
    """"#12 pay rent tomorrow, high priority": the named task gets the date, priority, tags
    or repeat said after it; None when no such change is said."""
    drafts = parse_tasks(text, request.now)
    if len(drafts) != 1 or not drafts[0].has_attributes():
        return None
    draft = drafts[0].as_arguments()
    changes = {key: draft[key] for key in ("due", "priority", "recurrence") if key in draft}
    if draft.get("tags"):
        changes["add_tags"] = draft["tags"]
    return request.task_call("update_task", draft["title"], **changes)


# Verbs that open an edit of a task: a message starting with one that no rule understood
# gets a plain sentence back, never a task titled with its words.
_EDIT_VERBS = frozenset({"move", "reschedule", "postpone", "push", "change", "clear", "rename", "delay", "shift", "bump", "edit"})


_CHAT_VERBS = {"tell", "explain", "translate", "sing", "say", "describe", "define", "summarize", "calculate", "compute", "imagine", "pretend"}


def is_request_to_assistant(text: str) -> bool:
    """"tell me a joke", "write me a poem", "explain quantum physics": chat, not tasks."""
    return bool(re.match(r"^\w+\s+(?:me|us)\b", text, re.I)) or first_word(text) in _CHAT_VERBS


def add_plan(body: str, request: Request) -> Plan:
    body = _LIST_SUFFIX.sub("", body.strip())  # "add x to my list for tomorrow"
    drafts = parse_tasks(body, request.now)
    if not drafts:
        return Plan.say(replies.WHAT_TASK)
    if request.context is not None and any(is_singular(draft.title) or is_plural(draft.title) for draft in drafts):
        return Plan.say(replies.WHAT_TASK)  # "make it urgent-ish": never a task called "it"
    notes = tuple(replies.unclear_note(u.kind, u.words, u.detail) for d in drafts for u in unclear_notes(d))
    return Plan(calls=(ToolCall("add_tasks", {"tasks": [draft.as_arguments() for draft in drafts]}),), notes=notes)


_UNMISTAKABLE_ADD = re.compile(
    r"""
    # an add whatever follows, even an edit verb ("add move the couch")
    ^
    (?:(?:don't|dont|do\s+not)\s+(?:let\s+me\s+)?forget|remind\s+me
        |set\s+(?:a|an|me\s+a)\s+reminder
        |add\s+(?!(?:the\s+|a\s+)?(?:tags?|labels?|notes?|comments?|\#)))
    """,
    re.I | re.X,
)


def explicit_add(request: Request) -> Plan | None:
    """"add ...", "remind me ...", "don't forget ...": an add whatever verbs follow
    ("remind me to delete old photos" must not delete anything)."""
    return add_sentence(request) if _UNMISTAKABLE_ADD.match(request.text) else None
