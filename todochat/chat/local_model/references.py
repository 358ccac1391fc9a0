"""Which tasks "it", "them", "the first one", "both" or "the dentist one" mean, read from
the conversation so far (conversation.read_exchanges), never from memory: the model is
stateless, and a thread may be answered by any server worker.

What the thread offers, newest first:

- the *subject*: the tasks of the latest turn that showed or changed tasks (its cards, or
  the task lines of its tool results). "it"/"that" is its one task. Several tasks make "it"
  a question, never a guess — after an add of several too ("add buy eggs and call Rita" ->
  "make it high priority" asks which one); "them", "both", "all of them" mean all of them.
- the latest *list*: a list card, a choice card ("Which “milk” …?"), a bulk confirmation,
  or any turn that showed two or more tasks. "the first two", "the last one", "both",
  "all of them" and "the dentist one" pick from it, in the order it was shown. "them" /
  "all of them" right after a turn that showed or changed one task is a question ("Do
  you mean “scarf shopping”?"), neither that task nor an older list.

A task that was deleted since is never acted on by pointing at it: the reply says so, and
offers "undo" only when this thread's undo would bring it back (``undo_brings_back``). A
reference that cannot be resolved (nothing was shown, "the fifth one" of three) gets a
plain question or statement back, and nothing is called.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from . import replies
from .conversation import Exchange, ShownTask
from .lexicon import NUMBER_WORDS
from .pointing import (
    DESCRIBED_AFTER,
    DESCRIBED_BEFORE,
    ITEM_SEPARATOR,
    PLURAL,
    fitting,
    is_plural,
    is_singular,
    list_positions,
    normalize,
    points_at_tasks,
    trailing_position,
    without_list_suffix,
)
from .text import clean_reference
from .thread_shown import Pending, Shown, Target, reads_as_answer, shown_in, still_asking

# Tasks one pointing phrase may act on, one tool call each; "all of them" on a longer
# list goes through bulk_tasks (a confirmation card) or is refused in words.
MAX_DIRECT = 10

# Tools that act on one task per call, and which state a plural pointer skips for them.
_SKIP_DONE = {"complete_task"}
_SKIP_OPEN = {"reopen_task"}


class Context:
    """What the conversation so far lets words point at. ``past`` excludes the message
    being answered. ``override``: what pointing words mean while a question of ours is
    being answered ("Which task do you mean?" -> "buy milk")."""

    def __init__(self, past: Sequence[Exchange], now: dt.datetime, override: Target | None = None):
        self.past = list(past)
        self.now = now
        self.override = override
        self._shown = [shown for exchange in reversed(self.past) if (shown := shown_in(exchange)) is not None]

    def answering(self, pending: Pending, target: Target) -> Context:
        """The context the asking turn's message had, with ``target`` for its "it" (and
        no question pending: it is being answered)."""
        return Context(self.past[: pending.index], self.now, override=target)

    # -- what was shown

    @property
    def subject(self) -> Shown | None:
        """The latest turn that named tasks. A turn that called tools but showed none
        (nothing found) ends the search: "it" after it is unknown, not an older task."""
        for exchange in reversed(self.past):
            shown = shown_in(exchange)
            if shown is not None:
                return shown
            if exchange.calls:
                return None
        return None

    @property
    def latest_list(self) -> Shown | None:
        return next((shown for shown in self._shown if shown.is_list), None)

    @property
    def pending(self) -> Pending | None:
        """The question the conversation waits on: a choice or confirmation card of the
        previous turn, or a question of ours. Turns that only answered it unsuccessfully
        ("the fifth one" of three, "yes" to a choice) keep it waiting."""
        index = len(self.past) - 1
        while index >= 0:
            exchange = self.past[index]
            if exchange.calls or not still_asking(exchange) or index == 0:
                break
            if not reads_as_answer(exchange.user_text):
                break
            index -= 1
        if index < 0:
            return None
        exchange = self.past[index]
        for call in reversed(exchange.calls):
            for card in reversed(call.cards):
                if card.kind == "choice":
                    return Pending("choice", exchange, call.name, dict(call.arguments), card.tasks, card.more, index)
                if card.kind == "confirm" and call.name == "bulk_tasks":
                    return Pending("confirm", exchange, call.name, dict(call.arguments), card.tasks, card.more, index)
        if exchange.calls:
            return None
        if replies.is_question(exchange.reply):
            # A question of ours that names tasks ("#3 “buy milk” or #4 …") is answered from
            # those, in that order; one that names none, from the latest list.
            named = [int(found) for found in re.findall(r"#(\d+) “", exchange.reply)]
            known = {
                task.id: task for shown in reversed(self._shown) if shown.kinds != {"named"} for task in shown.tasks
            }
            if named:
                candidates = tuple(known.get(task_id) or ShownTask(id=task_id, title="") for task_id in named)
            else:
                shown = self.latest_list
                candidates = shown.tasks if shown else ()
            return Pending("question", exchange, candidates=candidates, index=index)
        if exchange.reply == replies.WHAT_TASK:
            return Pending("what_task", exchange, index=index)
        return None

    def follow_up_target(self) -> Target | None:
        """What "also due friday" right after a turn applies to: the task it added or
        changed (all of them when it added or changed several); None when the previous
        turn added or changed none."""
        if not self.past:
            return None
        shown = shown_in(self.past[-1])
        # Only after an add or a change: "tomorrow" after a list is no follow-up of anything.
        if shown is None or not shown.tasks or not shown.only_changed:
            return None
        return self._alive(shown.tasks)

    @property
    def last_changed_something(self) -> bool:
        """Whether the previous turn changed a task (something "cancel that" could undo)."""
        if not self.past:
            return False
        return any(card.kind in ("added", "changed", "deleted") for card in self.past[-1].all_cards)

    @property
    def last_change(self) -> tuple[str, tuple[ShownTask, ...]] | None:
        """What the previous turn did ("added", "completed", "reopened", "changed",
        "deleted") and to which tasks;
        None when it changed nothing."""
        if not self.past:
            return None
        for kind in ("deleted", "added", "changed"):
            cards = [card for card in self.past[-1].all_cards if card.kind == kind]
            tasks = [task for card in cards for task in card.tasks]
            if tasks:
                if kind == "changed":
                    kind = {"Completed": "completed", "Reopened": "reopened"}.get(cards[0].heading.split(" ", 1)[0], kind)
                return kind, tuple({task.id: task for task in tasks}.values())
        return None

    def undo_brings_back(self, tasks: Sequence[ShownTask]) -> bool:
        """Whether "undo" here (undo_last_change: this thread's newest change) would bring
        these deleted tasks back: the newest turn of this thread that changed tasks deleted
        every one of them. A task deleted in another conversation, or before a later
        change here, is not: the reply then says it was deleted and offers no undo."""
        wanted = {task.id for task in tasks}
        for exchange in reversed(self.past):
            cards = exchange.all_cards
            if any(call.name == "undo_last_change" for call in exchange.calls):
                return False
            changed = [card for card in cards if card.kind in ("added", "changed", "deleted")]
            if not changed:
                continue
            deleted = {task.id for card in changed if card.kind == "deleted" for task in card.tasks}
            for call in exchange.calls:
                if call.name in ("delete_task", "bulk_tasks"):
                    deleted |= {int(found) for found in re.findall(r"Deleted #(\d{1,9})", call.output)}
            return wanted <= deleted
        return False

    def _alive(self, tasks: Sequence[ShownTask]) -> Target:
        gone = [task for task in tasks if task.deleted]
        if gone:
            return Target.saying(replies.was_deleted(gone, undo=self.undo_brings_back(gone)))
        return Target.of(tasks)

    # -- resolving words

    def targets(
        self, words: str, *, tool: str | None = None, among: Sequence[ShownTask] | None = None
    ) -> Target | None:
        """What ``words`` point at, or None when they are no pointing words (a title).
        ``among``: the tasks a question asked about, to pick from instead of the thread's."""
        text = normalize(words)
        if not text:
            return self.override
        if self.override is not None and (is_singular(text) or is_plural(text)):
            return self.override
        if is_singular(text):
            return self._singular(among)
        bare = without_list_suffix(text)
        plural = PLURAL.match(bare)
        if plural:
            return self._plural(bare, plural.group("count"), tool, among)
        positions = list_positions(bare)
        if positions is not None:
            return self._picked(positions, among)
        described = self.described(text, among)
        if described is not None:
            return described
        return self._several(text, tool) if among is None else None

    def _singular(self, among: Sequence[ShownTask] | None = None) -> Target:
        shown = self.subject if among is None else Shown(Exchange(""), tuple(among), frozenset({"choice"}))
        if shown is None or not shown.tasks:
            return Target.saying(replies.WHICH_TASK)
        tasks = shown.tasks
        if len(tasks) > 1:
            return Target.saying(replies.which_one(tasks))
        return self._alive(tasks)

    def _plural(
        self, words: str, count_word: str | None, tool: str | None, among: Sequence[ShownTask] | None = None
    ) -> Target:
        if among is not None:
            shown: Shown | None = Shown(Exchange(""), tuple(among), frozenset({"choice"}))
        else:
            shown = self.subject
            if shown is not None and len(shown.tasks) == 1:
                # "remove all of them" right after one task was shown or changed: never an
                # older list, never that one task unasked.
                return Target.saying(replies.only_one(shown.tasks[0]))
            if shown is None or len(shown.tasks) < 2:
                shown = self.latest_list or shown
        if shown is None or not shown.tasks:
            return Target.saying(replies.WHICH_TASKS)
        wanted = 2 if re.search(r"\b(?:both|two)\b", words) else None
        if count_word:
            wanted = NUMBER_WORDS.get(count_word) or int(count_word)
        if wanted is not None and wanted != len(shown.tasks):
            return Target.saying(replies.count_mismatch(wanted, shown.tasks))
        tasks = [task for task in shown.tasks if not task.deleted]
        if tool in _SKIP_DONE:
            tasks = [task for task in tasks if not task.done]
        elif tool in _SKIP_OPEN:
            tasks = [task for task in tasks if task.done]
        if not tasks:
            gone = [task for task in shown.tasks if task.deleted]
            if gone and len(gone) == len(shown.tasks):
                return Target.saying(replies.was_deleted(gone, undo=self.undo_brings_back(gone)))
            return Target.saying(replies.nothing_left(tool))
        if len(tasks) > MAX_DIRECT or (shown.total or 0) > len(shown.tasks):
            return _too_many(shown, tool, len(tasks))
        return Target.of(tasks)

    def _picked(self, positions: list[tuple[int, int]], tasks: Sequence[ShownTask] | None = None) -> Target:
        if tasks is None:
            shown = self.latest_list
            if shown is None:
                return Target.saying(replies.NO_LIST)
            tasks = shown.tasks
        if not tasks:
            return Target.saying(replies.EMPTY_LIST)
        picked: list[ShownTask] = []
        for position, count in positions:
            start = position - 1 if position > 0 else len(tasks) + position
            if start < 0 or start + count > len(tasks) or count < 1:
                return Target.saying(replies.out_of_range(position, count, len(tasks)))
            picked.extend(tasks[start : start + count])
        return self._alive(list(dict.fromkeys(picked)))

    def described(self, words: str, tasks: Sequence[ShownTask] | None = None) -> Target | None:
        """"the dentist one", "the one due friday": the one task of the shown ones that fits.
        None when the words describe nothing, or there is nothing shown to pick from."""
        text = normalize(words)
        match = DESCRIBED_AFTER.match(text) or DESCRIBED_BEFORE.match(text)
        if not match or match.group("desc") in ("other", "same", "next", "this", "that"):
            return None
        if tasks is None:
            shown = self.latest_list or self.subject
            if shown is None:
                return None
            tasks = shown.tasks
        position = trailing_position(match.group("desc"))
        if position is not None:
            return self._picked(position, tasks)  # "complete the fifth one" while asked which
        fits = fitting(match.group("desc"), tasks, self.now)
        if fits is None:
            return None
        if len(fits) == 1:
            return self._alive(fits)
        if not fits:
            return Target.saying(replies.none_fits(match.group("desc")))
        return Target.saying(replies.which_one(fits))

    def _several(self, text: str, tool: str | None) -> Target | None:
        """"the first one and call mom": pointing words among titles, each part its reference."""
        parts = [part for part in ITEM_SEPARATOR.split(text) if part.strip()]
        if len(parts) < 2 or tool not in ("complete_task", "delete_task", "reopen_task"):
            return None
        resolved = [self.targets(part, tool=tool) if points_at_tasks(part) else None for part in parts]
        if all(target is None for target in resolved):
            return None
        refs: list[str] = []
        tasks: list[ShownTask] = []
        for part, target in zip(parts, resolved):
            if target is None:
                refs.append(clean_reference(part))
                continue
            if target.say:
                return target
            refs.extend(target.refs)
            tasks.extend(target.tasks)
        return Target(refs=tuple(dict.fromkeys(refs)), tasks=tuple(tasks))


_BULK_FILTERS = ("status", "priority", "tag", "due", "search")


def _too_many(shown: Shown, tool: str | None, count: int) -> Target:
    """"all of them" on a long list: bulk_tasks with the list's own filter, which asks the
    user to confirm, when the list came from one that bulk_tasks can repeat; else say so."""
    action = {"complete_task": "complete", "delete_task": "delete"}.get(tool or "")
    query = shown.list_call
    total = max(shown.total or 0, count)
    if action and query is not None and not (query.get("due_from") or query.get("due_to")):
        filters = {key: query[key] for key in _BULK_FILTERS if query.get(key)}
        if action == "complete":
            filters["status"] = "open"
        return Target(bulk={"action": action, **filters})
    return Target.saying(replies.too_many(total, MAX_DIRECT))
