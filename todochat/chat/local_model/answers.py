"""A message that answers the assistant's last question, in words.

The questions (references.Context.pending):

- a choice card a tool showed ("Which “milk” should I delete?"): "the first one", "the
  second", "the last one", "both", "all of them", "the dentist one", "the one due friday",
  or words of one title -> the same tool again, on the task(s) picked, by id;
- a bulk confirmation ("Delete 3 tasks?"): "yes" -> each listed task, by id (at most
  references.MAX_DIRECT; more are confirmed on the card);
- a question of ours ("Which task do you mean?", "Which one do you mean: #3 … or #4 …?"):
  the request that asked it is read again with the answer for its "it";
- "What should the task say?": the add that asked it, with the answer as the task.

"no", "never mind", "none of them" change nothing, and say so. A message that is a request
of its own ("show my tasks", "add call mom") is no answer: it is read as usual.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import replies
from .plan import Plan, Request, ToolCall, target_plan
from .pointing import fitting, normalize, points_at_tasks
from .references import MAX_DIRECT, Context
from .text import clean_reference
from .thread_shown import Pending, Target

Reparse = Callable[[str, Context], Plan]

_NO = re.compile(
    r"""
    # "no", "never mind", "cancel that"
    ^
    (?:no|nope|nah|no\ thanks|no\ thank\ you|never\s*mind|nvm|cancel|cancel\ it
        |cancel\ that|stop|don't|do\ not|don't\ do\ it|none|neither
        |none\ of\ (?:them|these|those)(?:\ please)?|neither\ of\ (?:them|these|those)
        |forget\ it|forget\ about\ it|forget\ that|leave\ it|leave\ it\ be|leave\ them
        |skip\ it|not\ now|nothing|no,?\ leave\ it|no,?\ don't|no,?\ never\s*mind
        |no,?\ thanks|actually,?\ no|actually,?\ never\s*mind|oops,?\ never\s*mind
        |wrong\ one)
    $
    """,
    re.I | re.X,
)
_YES = re.compile(
    r"""
    # "yes", "go ahead", "do it"
    ^
    (?:yes|yeah|yep|yup|ya|sure|ok|okay|k|confirm|confirmed|go\ ahead|go\ for\ it
        |do\ it|please\ do|yes\ please|yes,?\ do\ it|yes,?\ go\ ahead|yes,?\ confirm
        |yes,?\ please|correct|right|absolutely|of\ course|affirmative
        |yes,?\ (?:delete|complete|remove)\ (?:them|it|all\ of\ them|those)
        |(?:ok|okay),?\ do\ it)
    $
    """,
    re.I | re.X,
)


def is_never_mind(text: str) -> bool:
    return bool(_NO.match(normalize(text)))


def answer(request: Request, reparse: Reparse, is_request: Callable[[Request], bool]) -> Plan | None:
    """The plan for a message that answers a pending question; None if it answers none."""
    context = request.context
    if context is None:
        return None
    pending = context.pending
    if pending is None:
        return None
    said = normalize(request.message.plain)
    if _NO.match(said) or _NO.match(normalize(request.text)):
        return Plan.say(replies.NOTHING_CHANGED)
    if _YES.match(said):
        if pending.kind == "confirm":
            return _confirmed(pending, pending.candidates)
        if pending.kind == "choice":
            return Plan.say(replies.PICK_ONE)
        return None
    target = _picked(context, pending, request.text)
    if target is None:
        if request.message.is_question or is_request(request):
            return None
        target = _named(context, pending, request.text)
        if target is None:
            return _add_answer(pending, request, reparse, context)
    if target.say:
        return Plan.say(target.say)
    return _redo(context, pending, target, reparse)


def _picked(context: Context, pending: Pending, text: str) -> Target | None:
    """"the first one", "both", "all of them", "the dentist one", picked from what was asked about."""
    if pending.kind == "what_task":
        return None
    if not points_at_tasks(text):
        return None
    return context.targets(text, tool=pending.tool, among=list(pending.candidates) or None)


def _named(context: Context, pending: Pending, text: str) -> Target | None:
    """Words of a title: the one task asked about that has them, or (for our own "Which
    task do you mean?") the words themselves, for the tools to find."""
    if pending.kind == "what_task":
        return None
    candidates = [task for task in pending.candidates if task.title]
    if candidates:
        fits = fitting(text, candidates, context.now)
        if fits and len(fits) == 1:
            return Target.of(fits) if not fits[0].deleted else Target.saying(replies.was_deleted(fits))
        if fits and len(fits) > 1:
            return Target.saying(replies.which_one(fits))
    if pending.kind == "question":
        reference = clean_reference(text)
        return Target(refs=(reference,)) if reference else None
    return None


def _add_answer(pending: Pending, request: Request, reparse: Reparse, context: Context) -> Plan | None:
    """"add" -> "What should the task say?" -> "buy milk": the add, with its task."""
    if pending.kind != "what_task":
        return None
    return reparse(f"{pending.exchange.user_text} {request.message.text}", context.answering(pending, Target()))


def _redo(context: Context, pending: Pending, target: Target, reparse: Reparse) -> Plan:
    if pending.kind == "choice" and pending.tool:
        arguments = {key: value for key, value in (pending.arguments or {}).items() if key != "reference"}
        return target_plan(target, pending.tool, **arguments)
    if pending.kind == "confirm":
        return _confirmed(pending, target.tasks)
    return reparse(pending.exchange.user_text, context.answering(pending, target))


def _confirmed(pending: Pending, tasks) -> Plan:
    """"yes" to "Delete 3 tasks?": each task the card listed, by id, as if named one by one."""
    action = (pending.arguments or {}).get("action")
    tool = {"complete": "complete_task", "delete": "delete_task"}.get(action)
    if tool is None:
        return Plan.say(replies.NOTHING_TO_CONFIRM)
    if pending.more or len(tasks) > MAX_DIRECT:
        return Plan.say(replies.confirm_on_the_card(action))
    chosen = [task for task in tasks if not task.deleted and not (action == "complete" and task.done)]
    if not chosen:
        return Plan.say(replies.nothing_left(tool))
    return Plan(calls=tuple(ToolCall(tool, {"reference": f"#{task.id}"}) for task in chosen))
