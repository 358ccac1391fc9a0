"""What a thread has shown, read from one exchange at a time: the tasks a turn showed or
changed (``Shown``: its cards, or the task lines of its tool results), the question it left
open (``Pending``), and what a pointing word comes to (``Target``: tasks, a bulk filter, or
words to say instead). references.py decides which of them "it" or "the first two" mean."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import replies
from .conversation import Card, Exchange, ShownTask, read_facts
from .pointing import (
    normalize,
    points_at_tasks,
)


@dataclass(frozen=True)
class Target:
    """What pointing words resolved to: references for the tools ("#12"), or words to say instead."""

    refs: tuple[str, ...] = ()
    say: str | None = None
    tasks: tuple[ShownTask, ...] = ()
    bulk: dict | None = None  # bulk_tasks' filters, for "all of them" on a list too long to name

    @classmethod
    def of(cls, tasks: Sequence[ShownTask]) -> Target:
        return cls(refs=tuple(f"#{task.id}" for task in tasks), tasks=tuple(tasks))

    @classmethod
    def saying(cls, text: str) -> Target:
        return cls(say=text)


# ---------------------------------------------------------------- the conversation


@dataclass(frozen=True)
class Shown:
    """Tasks one turn showed or changed, in order, and how."""

    exchange: Exchange
    tasks: tuple[ShownTask, ...]
    kinds: frozenset[str]  # the kinds of its cards (conversation.Card.kind)
    list_call: dict | None = None  # list_tasks' arguments, when a list card came from it
    total: int | None = None  # how many tasks the list had in all (a card shows one page)

    @property
    def is_list(self) -> bool:
        return bool(self.kinds & {"list", "choice", "confirm"}) or len(self.tasks) > 1

    @property
    def only_added(self) -> bool:
        return self.kinds == {"added"}

    @property
    def only_changed(self) -> bool:
        """Every task of the turn was added or changed by it (none just shown)."""
        return bool(self.kinds) and self.kinds <= {"added", "changed"}


@dataclass(frozen=True)
class Pending:
    """The question the assistant's last turn asked, which this message may answer."""

    kind: str  # "choice" (a tool's choice card), "confirm" (a bulk action), "question" / "what_task" (ours)
    exchange: Exchange
    tool: str | None = None
    arguments: dict | None = None
    candidates: tuple[ShownTask, ...] = ()
    more: int = 0
    index: int = 0  # the asking turn's place in ``Context.past``


def still_asking(exchange: Exchange) -> bool:
    return replies.is_question(exchange.reply) or exchange.reply == replies.PICK_ONE


_YES_NO = re.compile(r"^(?:yes|yeah|yep|yup|sure|ok|okay|no|nope|nah)\b", re.I)


def reads_as_answer(text: str) -> bool:
    """A message that only answered a question ("the fifth one", "yes"), not a new request."""
    return points_at_tasks(text) or bool(_YES_NO.match(normalize(text)))


_NAMED_IN_REPLY = re.compile(r"#(\d{1,9}) “([^”]*)”")


def shown_in(exchange: Exchange) -> Shown | None:
    """The tasks a turn showed or changed, from its cards (or its tools' task lines)."""
    cards: list[Card] = exchange.all_cards
    tasks: list[ShownTask] = []
    kinds: set[str] = set()
    list_call: dict | None = None
    total: int | None = None
    for call in exchange.calls:
        for card in call.cards:
            kinds.add("list" if call.name == "list_tasks" else card.kind)
            if call.name == "list_tasks":
                list_call = dict(call.arguments)
                counted = re.search(r"\((\d+) tasks?\)$", card.heading)
                total = int(counted.group(1)) if counted else None
    for card in exchange.cards:
        kinds.add(card.kind)
    for card in cards:
        if card.kind in ("note",):
            continue
        tasks.extend(card.tasks)
    if not cards and exchange.calls:
        for call in exchange.calls:
            tasks.extend(read_facts(call.output.split("\n\n", 1)[1] if "\n\n" in call.output else ""))
        kinds.add("result")
    elif not exchange.calls:
        # A question of ours that named tasks ("What should I do with #3 “pay rent”?").
        named = _NAMED_IN_REPLY.findall(exchange.reply)
        tasks.extend(ShownTask(id=int(task_id), title=title) for task_id, title in named)
        kinds.add("named")
    if not tasks and "list" not in kinds:
        return None
    unique = list({task.id: task for task in tasks}.values())
    return Shown(exchange=exchange, tasks=tuple(unique), kinds=frozenset(kinds), list_call=list_call, total=total)
