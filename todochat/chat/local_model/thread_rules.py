"""Rules for messages that mean something only in a conversation (parser.py runs them
among its own): "undo that", "cancel that", "never mind" (with no question pending: the
change just made stays made, the reply says which and that "undo" takes it back); "also due friday" right after a
task was added; "it isn't paid yet"; "the second one" with no verb; a closing "too".
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import replies
from .adds import parse_task
from .answers import is_never_mind
from .dates import find_due
from .lexicon import DONE_OR_COMPLETE, is_past_tense_verb
from .plan import Plan, Request, target_plan
from .pointing import points_at_tasks
from .text import Message

# "make it high priority too", "delete that one as well": in a conversation, the "too"
# says this follows on from before; the request is the same without it.
_FOLLOWING_ON = re.compile(r"(?<=\S)(?:,?\s+(?:too|as\s+well|also))+$", re.I)


def without_following_on(message: Message) -> Message:
    """The message without a closing "too" / "as well" / "also"."""
    if _FOLLOWING_ON.search(message.text):
        return replace(message, text=_FOLLOWING_ON.sub("", message.text))
    return message


# "it isn't paid yet", "that wasn't sent after all": in a conversation, any past tense
# said of a task just talked about takes back its completion.
_NOT_YET = re.compile(
    r"""
    # "it isn't paid yet", "not done after all"
    ^(?P<ref>it|that|this|this\s+one|that\s+one|they|those|them)\s+
    (?:is\s+not|isn't|isnt|was\s+not|wasn't|hasn't\s+been|has\s+not\s+been|aren't
        |are\s+not|weren't|haven't\s+been)
    \s+(?:actually\s+|really\s+)?(?P<verb>[a-z]+)(?:\s+yet)?(?:\s+after\s+all)?$
    """,
    re.I | re.X,
)


def not_done_after_all(request: Request) -> Plan | None:
    """"it isn't paid yet": reopen the task just talked about."""
    match = _NOT_YET.match(request.text)
    if match and request.context is not None and (
        is_past_tense_verb(match.group("verb")) or match.group("verb").lower() in DONE_OR_COMPLETE
    ):
        return request.task_call("reopen_task", match.group("ref"))
    return None


_UNDO = re.compile(
    r"""
    # "undo", "undo that", "take that back"
    ^(?:undo|revert|reverse|roll\s*back)
    (?:\s+(?:that|it|this|(?:the\s+|my\s+|your\s+)?last\s+(?:one|change|action|thing|step|edit)|what\s+you\s+(?:just\s+)?did|the\s+change|(?:that|the)\s+last\s+(?:one|change|action|thing))
        )?
    (?:\s+(?:please|again|too))?$
    |^(?:take|put)\s+(?:that|it)\s+back$
    |^undo\s+undo$
    """,
    re.I | re.X,
)
# "cancel that", "scratch that": undo the change just made; with none just made, nothing to do.
_CANCEL_THAT = re.compile(r"^(?:cancel|scratch|forget|drop)\s+(?:that|this)(?:\s+last\s+(?:one|change|bit))?$", re.I)


def undo(request: Request) -> Plan | None:
    """"undo", "undo that", "take that back": the undo_last_change tool (this thread's newest change)."""
    if _UNDO.match(request.text):
        return Plan.call("undo_last_change")
    if _CANCEL_THAT.match(request.text):
        if request.context is not None and request.context.last_changed_something:
            return Plan.call("undo_last_change")
        return Plan.say(replies.NOTHING_CHANGED)
    if is_never_mind(request.text) and request.context is not None:
        # No question waits (answers.py took those): what just happened stays happened.
        done = request.context.last_change
        if done is not None:
            return Plan.say(replies.already_done(*done))
        return Plan.say(replies.NOTHING_PENDING)
    return None


def follow_up(request: Request) -> Plan | None:
    """"also due friday", "and high priority", "#home" right after a task was added or
    named: those attributes for it (for all of them after an add or change of several)."""
    context = request.context
    if context is None or not context.past or request.message.is_question:
        return None
    draft = parse_task(request.text, request.now)
    if draft.title or not draft.has_attributes():
        return None
    target = context.follow_up_target()
    if target is None:
        return None
    changes: dict = {}
    if draft.due and not (draft.recurrence and find_due(request.text, request.now) is None):
        changes["due"] = draft.due
    if draft.priority:
        changes["priority"] = draft.priority
    if draft.tags:
        changes["add_tags"] = list(draft.tags)
    if draft.recurrence:
        changes["recurrence"] = draft.recurrence
    return target_plan(target, "update_task", **changes)


def pointing_alone(request: Request) -> Plan | None:
    """"the first one", "both", with no question asked and no verb: ask what to do with it."""
    if request.context is None or not points_at_tasks(request.text):
        return None
    target = request.targets(request.text)
    if target is None:
        return None
    if target.say:
        return Plan.say(target.say)
    names = ", ".join(f"#{task.id} “{task.title}”" for task in target.tasks[:5]) or "that"
    return Plan.say(replies.what_to_do_with(names))
