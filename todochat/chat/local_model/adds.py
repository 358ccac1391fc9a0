"""Turning what follows "add" into tasks: "eggs, bread and butter" is three tasks,
"prepare slides for monday's review by sunday, high priority #work" is one.

Pipeline per item: recurrence -> priority -> tags -> due date -> what is left is the title.
Before it, a date phrase too loose to set ("early next week", "4/5") is set aside whole
(no extractor takes its words, they stay in the title, ``unclear_notes`` says why), and a
date phrase holding a repeat's words is read as the date ("3 fridays from now").

Several items: the text is split at commas, semicolons and "and"; each piece is parsed on
its own. A piece with nothing but attributes ("..., high priority") lends them to every
item, and so do the attributes of the last item when the others have none of their own
("call mom and pay rent tomorrow": both tomorrow) — except a due date to an item whose
own was too loose. When the first item opens with a verb
and a later one does not ("buy milk and eggs"), it is one task whose object is a list,
and the text is kept whole. A comma before a clock time ("24th October, 9 pm") does not
split: the time is the date's. A time alone right beside a loose part of the day ("early
morning @ 3") sets nothing: it is not 15:00, and neither does a day after "after" ("call
back after this year": when it may start, not when it is due).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from todochat import recurrence as rrules

from . import dates, repeats, times_of_day
from .calendar_words import MONTH, MONTHS_DOTTED, SHORT_WEEKDAYS_DOTTED
from .date_values import Due
from .lexicon import starts_with_verb
from .repeat_words import Recurrence
from .repeats import extract_recurrence
from .slots import extract_priority, extract_tags
from .text import connector_span, strip_span
from .vague import Unclear

# "(?<!\s)": a run of spaces is entered at its first one only (entering it anywhere gives
# the same split, and entering it everywhere made a long run quadratic).
# A comma before a year or a calendar date ("on Thursday, December 10") is part of the
# date, not a new task: splitting there left the weekday to win over the date it names.
# So is a comma before a clock time ("24th October, 9 pm": splitting there lost the time).
# So is the period of an abbreviated month or weekday ("handover Dec. 5"), and a comma
# before a day and month ("Fri, 4 Dec").
_ABBREVIATION_BEFORE = "".join(
    rf"(?<!\b{word})" for word in (*MONTHS_DOTTED, *SHORT_WEEKDAYS_DOTTED)
)
_ITEM_SEPARATOR = re.compile(
    rf"""
    (?<!\s)\s*[,;]\s*(?:and\s+|&\s+|also\s+)?(?!\s*\d{{4}}\b)
    (?!\s*(?:at\s+)?\d{{1,2}}(?:[:.]\d\d)?\s*[ap]\.?m\b)(?!\s*{MONTH}\s+\d)
    (?!\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?!\w))
    |{_ABBREVIATION_BEFORE}\.\s+(?:and\s+|also\s+)?
    |(?<!\s)\s+(?:and|&|plus|and\s+also|as\s+well\s+as)\s+
    """,
    re.I | re.X,
)
# Matched at a position (``match(title, start, end)``), so no "^".
_TITLE_FILLER = re.compile(
    r"""
    (?:(?:a|an|the)\s+)?(?:new\s+)?(?:task|todo|to-do|item|reminder|entry)s?\s*
    (?:to|for|called|named|titled|:|-)?\s+
    |(?:to|that\s+i\s+(?:need|have|must|should)\s+to|that)\s+
    """,
    re.I | re.X,
)


@dataclass
class TaskDraft:
    title: str
    due: str | None = None
    priority: str | None = None
    tags: list[str] = field(default_factory=list)
    recurrence: str | None = None
    # Phrases that named a date too loosely to set one ("early next week"): the words stay
    # in the title and the reply says why (``unclear_notes``). Not sent to the tool.
    unclear: tuple[Unclear, ...] = ()

    def has_attributes(self) -> bool:
        return bool(self.due or self.priority or self.tags or self.recurrence)

    def as_arguments(self) -> dict[str, Any]:
        """One element of add_tasks' ``tasks`` list; optional keys only when said."""
        task: dict[str, Any] = {"title": self.title}
        if self.due:
            task["due"] = self.due
        if self.priority:
            task["priority"] = self.priority
        if self.tags:
            task["tags"] = list(self.tags)
        if self.recurrence:
            task["recurrence"] = self.recurrence
        return task


def parse_tasks(body: str, now: dt.datetime) -> list[TaskDraft]:
    """The tasks in an add request's body (the words after "add"). Empty titles are dropped."""
    drafts = [parse_task(piece, now) for piece in _items(body, now) if piece.strip()]
    titled = [d for d in drafts if d.title]
    if not titled:
        return []
    if len(drafts) > 1 and any(_only_loose_words(d) for d in titled):
        # "call mom, early next week": the loose date is said of the task before it, and
        # is no task of its own; its words stay in one title with the rest.
        whole = parse_task(body, now)
        return [whole] if whole.title else []
    if len(titled) > 1 and starts_with_verb(titled[0].title) and not all(
        starts_with_verb(d.title) for d in titled[1:]
    ):
        if all(d.due for d in titled):
            # "call mom tomorrow and dad friday": each has its own day, so each is a task,
            # with the first one's verb (it was one task "call mom tomorrow and dad", due Friday).
            words = titled[0].title.split()
            verb = " ".join(words[:2] if len(words) > 2 and words[1].lower() in _PARTICLES else words[:1])
            return [d if starts_with_verb(d.title) else replace(d, title=f"{verb} {d.title}") for d in titled]
        whole = parse_task(body, now)
        return [whole] if whole.title else []

    shared = TaskDraft(title="")
    for draft in [d for d in drafts if not d.title] + ([titled[-1]] if len(titled) > 1 else []):
        shared = _fill_missing(shared, draft)
    return [_fill_missing(draft, shared) for draft in titled]


def parse_task(text: str, now: dt.datetime) -> TaskDraft:
    unclear = tuple(dates.find_unclear(text, now))
    # A loose phrase keeps its words: no extractor may take one of them ("sometime" in
    # "sometime next week" is not a low priority), so they are hidden until the title is made.
    text, hidden = _hide(text, [(u.start, u.end) for u in unclear if not u.detail or u.kind == "regional"])
    # A date phrase that holds a repeat's words is a date: "3 fridays from now" is one day.
    claimed = dates.find_due(text, now) if _FROM_NOW.search(text) else None
    if claimed and claimed.kinds & _CLAIMS_REPEAT_WORDS:
        text = text[: claimed.start] + " " + text[claimed.end :]
    else:
        claimed = None
    recurrence, text = extract_recurrence(text, now)
    priority, text = extract_priority(text)
    tags, text = extract_tags(text)
    due_span = claimed or dates.find_due(text, now)
    if due_span and not claimed and recurrence is None and _in_unread_repeat(text, due_span, now):
        due_span = None
    if due_span and not due_span.names_a_day and any(u.kind != "time" for u in unclear):
        due_span = None  # "early next week at 5pm": the time alone is no day's
    if due_span and not due_span.names_a_day and _beside_hidden(text, due_span.start, due_span.end):
        due_span = None  # "early morning @ 3": 3 in the early morning, not 15:00
    if (
        due_span
        and any(_SEVEN_OR_EIGHT.fullmatch(u.words) for u in unclear)
        and _beside_hidden(text, due_span.start, due_span.end)
    ):
        due_span = None  # "tomorrow at half past 8": that day's time is unknown, so is the phrase read
    if due_span and due_span.names_a_day and _AFTER_BEFORE.search(text, max(0, due_span.start - 8), due_span.start):
        # "connect back after this year": when it may start, not its due date; said in the reply.
        after = _AFTER_BEFORE.search(text, max(0, due_span.start - 8), due_span.start)
        words = _unhide(text[after.start() : due_span.end], hidden)
        unclear += (Unclear(after.start(), due_span.end, words, "days"),)
        due_span = None
    due = due_span.value if due_span else None
    if due_span and not claimed:
        text = text[: due_span.start] + " " + text[due_span.end :]
    if recurrence:
        due = _first_occurrence(recurrence, due, now)
    text = _unhide(text, hidden)
    return TaskDraft(
        title=clean_title(text),
        due=dates.format_due(due) if due else None,
        priority=priority,
        tags=tags,
        recurrence=recurrence.rule if recurrence else None,
        unclear=unclear,
    )


_CLAIMS_REPEAT_WORDS = frozenset({"counted_weekday"})
_SEVEN_OR_EIGHT = re.compile(times_of_day.SEVEN_OR_EIGHT, re.I)
_PARTICLES = frozenset("up out off back in on down over away".split())  # "pick up", "drop off"
_FROM_NOW = re.compile(r"s\s+from(?:\s+(?:now|today))?\b", re.I)
_HIDDEN = re.compile("\ue000([\ue100-\ue8ff]+)\ue001")


# In a new task "after <day>" says when it may start, not when it is due (a query's "due
# after friday" is a filter: queries.py). A time keeps it: "call after 5pm" is 17:00.
_AFTER_BEFORE = re.compile(r"\bafter\s+$", re.I)
_HIDDEN_BEFORE = re.compile(r"\ue001[\s,]*(?:(?:at|@)\s*)?$")
_HIDDEN_AFTER = re.compile(r"[\s,]*\ue000")


def _beside_hidden(text: str, start: int, end: int) -> bool:
    """Whether a loose phrase set aside by ``_hide`` is right beside ``text[start:end]``."""
    return bool(_HIDDEN_BEFORE.search(text, max(0, start - 8), start) or _HIDDEN_AFTER.match(text, end))


def _hide(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """``text`` with each span replaced by a token no pattern reads (private-use
    characters that number it), and the words hidden, by number. One pass each way."""
    parts, words, position = [], [], 0
    for start, end in sorted(spans):
        parts += [text[position:start], "\ue000" + _token_digits(len(words)) + "\ue001"]
        words.append(text[start:end])
        position = end
    return "".join(parts) + text[position:], words


def _token_digits(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 0x800)
        digits += chr(0xE100 + digit)
        if not number:
            return digits


def _unhide(text: str, words: list[str]) -> str:
    def back(match: re.Match[str]) -> str:
        number = sum((ord(c) - 0xE100) * 0x800**i for i, c in enumerate(match.group(1)))
        return words[number] if number < len(words) else ""

    return _HIDDEN.sub(back, text) if words else text


def _only_loose_words(draft: TaskDraft) -> bool:
    return bool(draft.unclear) and clean_title(" ".join(u.words for u in draft.unclear)).lower() == draft.title.lower()


def unclear_notes(draft: TaskDraft) -> list[Unclear]:
    """The loose phrases of a draft worth a word in the reply: a date phrase when no date
    was set, a loose time when no time was."""
    return [
        u for u in draft.unclear
        if draft.due is None or (u.kind == "time" and "T" not in draft.due)
    ]


def clean_title(text: str) -> str:
    """The title left once attributes were cut out: no "a task to" in front, no dangling
    connector or quote at either end. Peeled on [start, end) of one string, so a title
    made of "to to to ..." costs one pass, not one copy per word."""
    title = " ".join(text.split())
    start, end = 0, len(title)
    while True:
        previous = (start, end)
        filler = _TITLE_FILLER.match(title, start, end)
        if filler:
            start = filler.end()
        start, end = connector_span(title, start, end)
        start, end = strip_span(title, start, end, " \"'")
        if (start, end) == previous:
            break
    title = re.sub(r"(?<!\s)\s+([,.;:!?])", r"\1", title[start:end])
    return "" if title.lower() in _NOT_A_TITLE else title


# What is left of "remind me to" or "add a task": nothing to call a task.
_NOT_A_TITLE = frozenset({"to", "a", "an", "the", "and", "task", "todo", "it", "this", "that", "#"})


def has_task_attributes(text: str, now: dt.datetime) -> bool:
    """Whether a phrase says when, how important, which tag or how often: what makes
    "finish the report by friday" a new task rather than a completion."""
    return (
        dates.find_due(text, now) is not None
        or bool(dates.find_unclear(text, now))
        or extract_priority(text)[0] is not None
        or bool(extract_tags(text)[0])
        or extract_recurrence(text, now)[0] is not None
    )


def _first_occurrence(recurrence: Recurrence, said: Due | None, now: dt.datetime) -> Due:
    """A repeating task's first due date: the first day its rule lands on, counted from the
    start said ("starting dec 7"), else from the date said with it, else from today; at the
    time said ("at 9am", "every morning"). A time said alone is today's if still ahead,
    else tomorrow's (the date reader's rule), so "every weekday at 9am" said on Monday at
    10:00 is first due Tuesday 09:00. An hourly repeat with no time said is first due one
    interval from now ("every 8 hours": 8 hours from now, as "in 8 hours")."""
    start = recurrence.start
    clock = said.time() if isinstance(said, dt.datetime) else start.time() if isinstance(start, dt.datetime) else None
    if recurrence.hourly:
        if isinstance(said, dt.datetime) and start is None:
            return said
        if isinstance(start, dt.datetime):
            return start
        moment = now.replace(second=0, microsecond=0)
        if start is not None:
            return dt.datetime.combine(start, moment.time())
        return moment + dt.timedelta(hours=recurrence.interval)
    if start is not None:
        day = start.date() if isinstance(start, dt.datetime) else start
    elif said is not None:
        day = said.date() if isinstance(said, dt.datetime) else said
    else:
        day = now.date()
    first = rrules.first_on_or_after(recurrence.rule, day) or day
    return dt.datetime.combine(first, clock) if clock else first


def _in_unread_repeat(text: str, due_span: dates.DueSpan, now: dt.datetime) -> bool:
    """Whether the date is part of a repeat that was only partly understood ("walk every
    day except sunday"): those words stay in the title, the date with them."""
    unread = repeats.unread_from(text, now)
    return unread is not None and due_span.end > unread


def _items(body: str, now: dt.datetime) -> list[str]:
    """The body split at item separators, except inside a repeat: "gym every mon, wed and
    fri" is one task, "walk every day at 9, starting monday" too."""
    protected = repeats.spans(body, now)
    if not protected:
        return _ITEM_SEPARATOR.split(body)
    pieces, at, index = [], 0, 0
    for separator in _ITEM_SEPARATOR.finditer(body):
        while index < len(protected) and protected[index][1] <= separator.start():
            index += 1
        if index < len(protected) and protected[index][0] < separator.end():
            continue  # inside a repeat
        pieces.append(body[at : separator.start()])
        at = separator.end()
    pieces.append(body[at:])
    return pieces


def _fill_missing(draft: TaskDraft, source: TaskDraft) -> TaskDraft:
    return replace(
        draft,
        due=draft.due or (None if draft.unclear else source.due),  # a loose date is not another's
        priority=draft.priority or source.priority,
        tags=draft.tags or list(source.tags),
        recurrence=draft.recurrence or source.recurrence,
        unclear=draft.unclear if draft.title else draft.unclear + source.unclear,
    )
