"""What the parser decides (a Plan: tool calls or a reply) and what each rule reads (a
Request: the cleaned message, the user's local time, and any text they quoted).

Also how a rule turns the words that name a task into the tools' ``reference``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import dates, repeats, replies
from .text import Message, clean_reference, strip_connectors

if TYPE_CHECKING:
    from .references import Context
    from .thread_shown import Target


# "mark it as done" names a task only with quoted text; "mark as done" names none.
_POINTING_WORDS = frozenset({"it", "this", "that", "this one", "that one", "them", "these", "those"})
_FUNCTION_WORDS = frozenset({"as", "to", "with", "from", "for", "on", "at", "by", "of", "in", "and", "the", "a", "an"})


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What the model does with one user message: call tools, or just say something."""

    calls: tuple[ToolCall, ...] = ()
    reply: str | None = None
    # What the reply after the calls adds in the model's own words: a date it did not set
    # and why ("I didn't set a date: “early next week” could be several days — ...").
    notes: tuple[str, ...] = ()

    @classmethod
    def call(cls, name: str, **arguments: Any) -> Plan:
        return cls(calls=(ToolCall(name, arguments),))

    @classmethod
    def say(cls, text: str) -> Plan:
        return cls(reply=text)


@dataclass(frozen=True)
class Request:
    message: Message
    now: dt.datetime
    quoted: str | None = None
    # The conversation so far (references.py): what "it", "the first one", "both" mean.
    # None: the message is read alone.
    context: Context | None = None

    @property
    def text(self) -> str:
        return self.message.text

    def reference(self, words: str, *, gerund: bool = False) -> str:
        """The task reference in ``words``: repeat and date words dropped (the tools match
        titles, and a row says "every monday" beside its title: "delete gym every monday"
        names "gym"), "it"/"this" replaced by the text the user quoted, if any."""
        recurrence, rest = repeats.extract_recurrence(words, self.now)
        if recurrence is not None and rest.strip():
            words = rest
        due = dates.find_due(words, self.now)
        if due and (words[: due.start] + words[due.end :]).strip():
            words = words[: due.start] + " " + words[due.end :]
        ref = clean_reference(strip_connectors(" ".join(words.split())), gerund=gerund)
        if ref.lower() in _POINTING_WORDS:
            return clean_reference(self.quoted) if self.quoted else ""
        return "" if ref.lower() in _FUNCTION_WORDS else ref

    def task_call(self, tool: str, words: str, *, gerund: bool = False, **changes: Any) -> Plan:
        """A call of a tool that takes a ``reference`` (plus ``changes`` for update_task);
        a question back when no task is named.

        Pointing words ("it", "them", "the first two", "the dentist one") are resolved
        from the conversation: one call per task they mean, each by its id, or what to say
        when they mean nothing for sure. Text the user quoted still stands for "it"."""
        target = self.targets(words, tool)
        if target is not None:
            return target_plan(target, tool, **changes)
        reference = self.reference(words, gerund=gerund)
        if not reference:
            return Plan.say(replies.WHICH_TASK)
        return Plan.call(tool, reference=reference, **changes)

    def targets(self, words: str, tool: str | None = None) -> Target | None:
        """What pointing words mean here; None for words that name a task themselves."""
        if self.context is None:
            return None
        if self.quoted and self.context.override is None and " ".join(words.lower().split()) in _POINTING_WORDS:
            return None
        return self.context.targets(words, tool=tool)


def target_plan(target: Target, tool: str, **changes: Any) -> Plan:
    """The calls (or the words) a resolved target leads to."""
    if target.say:
        return Plan.say(target.say)
    if target.bulk is not None:
        return Plan(calls=(ToolCall("bulk_tasks", dict(target.bulk)),))
    if not target.refs:
        return Plan.say(replies.WHICH_TASK)
    return Plan(calls=tuple(ToolCall(tool, {"reference": ref, **changes}) for ref in target.refs))
