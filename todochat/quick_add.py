"""Quick add: the Tasks page's add box reads "water plants tomorrow #home !high" the way
the assistant reads "add water plants tomorrow #home !high".

The reading itself is the offline model's (``local_model.adds.parse_task``: dates, times,
repeats, ``#tags``, "high priority", ``p1``–``p3``); this module only adds what people type
into a quick-add box and not into a chat — ``!high`` / ``!medium`` / ``!low`` (and ``!1``–``!3``)
— and turns the result into chips: one per understood attribute, each removable, so a
misread date is seen and dropped before anything is stored.

Nothing here validates or writes: TaskService does both with what ``QuickAdd.task_data`` gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from difflib import SequenceMatcher

from todochat import recurrence
from todochat.chat.local_model.adds import parse_task
from todochat.formatting import due_label
from todochat.limits import MESSAGE_MAX_CHARS

# "!high" anywhere, as a word of its own ("fix tap!high" is not one, "!!" is the parser's).
_BANG_PRIORITY = re.compile(r"(?<![\w!])!(high|h|urgent|medium|med|normal|m|low|l|[123])(?![\w!])", re.I)
_BANG_LEVEL = {"high": "high", "h": "high", "urgent": "high", "1": "high", "medium": "medium", "med": "medium",
               "normal": "medium", "m": "medium", "2": "medium", "low": "low", "l": "low", "3": "low"}

PRIORITY_LABELS = {"high": "High priority", "medium": "Medium priority", "low": "Low priority"}


@dataclasses.dataclass
class Chip:
    """One understood attribute: ``key`` names it for removal ("due:2026-12-01", "tag:home")."""

    key: str = ""  # "due:2026-12-01", "priority:high", "repeat:weekly", "tag:home"
    kind: str = ""  # due | priority | tag | repeat
    label: str = ""


@dataclasses.dataclass
class QuickAdd:
    title: str
    due: str | None = None  # YYYY-MM-DD or YYYY-MM-DDTHH:MM, local
    priority: str | None = None
    tags: list[str] = dataclasses.field(default_factory=list)
    recurrence: str | None = None

    def without(self, dropped: set[str]) -> QuickAdd:
        """This reading with the chips the person removed left out. A key names the value
        too ("due:2026-12-01"), so a date typed anew after removing one shows again."""
        return QuickAdd(
            title=self.title,
            due=None if f"due:{self.due}" in dropped else self.due,
            priority=None if f"priority:{self.priority}" in dropped else self.priority,
            tags=[tag for tag in self.tags if f"tag:{tag}" not in dropped],
            recurrence=None if f"repeat:{self.recurrence}" in dropped else self.recurrence,
        )

    def chips(self, today: dt.date) -> list[Chip]:
        chips = []
        if self.due:
            chips.append(Chip(f"due:{self.due}", "due", due_chip_label(self.due, today)))
        if self.recurrence:
            chips.append(Chip(f"repeat:{self.recurrence}", "repeat", repeat_chip_label(self.recurrence, today)))
        if self.priority:
            chips.append(Chip(f"priority:{self.priority}", "priority", PRIORITY_LABELS.get(self.priority, self.priority)))
        chips += [Chip(f"tag:{tag}", "tag", f"#{tag}") for tag in self.tags]
        return chips


def read(text: str, now: dt.datetime, dropped: frozenset[str] | set[str] = frozenset()) -> QuickAdd:
    """What the add box says, less the chips removed (``dropped`` keys). ``now`` is the
    user's local time (naive), as the assistant's.

    A removed date chip gives its words back to the title: "read tomorrow and tomorrow"
    with the date removed is the title as typed, not "read tomorrow".
    """
    text = " ".join(str(text).split())
    if len(text) > MESSAGE_MAX_CHARS:
        # Longer than any chat message the parser is measured on: taken as typed, and
        # TaskService refuses it as an over-long title.
        return QuickAdd(title=text)
    bang_level = None
    for match in _BANG_PRIORITY.finditer(text):
        bang_level = _BANG_LEVEL[match.group(1).lower()]  # the last one said wins
    rest = _BANG_PRIORITY.sub(" ", text)
    draft = parse_task(rest, now)
    title = _title_as_typed(rest, draft, now)
    if draft.due and f"due:{draft.due}" in dropped:
        title = _with_date_words(rest, title, now)
    reading = QuickAdd(
        title=title,
        due=draft.due,
        priority=bang_level or draft.priority,
        tags=list(draft.tags),
        recurrence=draft.recurrence,
    )
    return reading.without(set(dropped))


# A word nobody types, put in front so the parser's title clean-up ("a task to ...",
# "item ...", a leading "to") finds no opening to trim: in an add box the words are the title.
_GUARD = "qqguardqq"


def _title_as_typed(text: str, draft, now: dt.datetime) -> str:
    """The title as typed, minus only the words that became attributes.

    The chat's reader drops "add a task to" and the like, which in a quick-add box are
    part of a title ("Item 05", "To-do list review"); read again behind a guard word, the
    same parser cuts the attributes and leaves the rest. Where the guard changes what is
    understood (a priority word said first: "urgent: fix tap"), its own title stands.
    """
    if not (draft.due or draft.priority or draft.tags or draft.recurrence):
        return " ".join(text.split())
    guarded = parse_task(f"{_GUARD} {text}", now)
    same_reading = (guarded.due, guarded.priority, guarded.tags, guarded.recurrence) == (
        draft.due, draft.priority, draft.tags, draft.recurrence)
    if not same_reading or not guarded.title.startswith(_GUARD):
        return draft.title
    return guarded.title[len(_GUARD):].strip()


_SPLIT_MAX_WORDS = 12


def _with_date_words(text: str, title: str, now: dt.datetime) -> str:
    """The title with the words that were read as its date put back where they stood."""
    words, kept = text.split(), title.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=words, b=kept, autojunk=False).get_opcodes():
        if op == "delete":
            out += _date_part(words[i1:i2], now)
        else:  # equal, or the parser's tidying of a word ("plants ," -> "plants,")
            out += kept[j1:j2]
    return " ".join(out)


def _date_part(run: list[str], now: dt.datetime) -> list[str]:
    """Of words cut from the title, those that said the date: the whole run when it says
    nothing else, else the side of a split that holds the date ("tomorrow" of
    "tomorrow with high priority")."""
    reading = parse_task(" ".join(run), now)
    if not reading.due:
        return []
    if not (reading.priority or reading.tags or reading.recurrence):
        return run
    if len(run) > _SPLIT_MAX_WORDS:
        return []  # a date is said in a few words; longer runs are not searched (cost grows as n²)
    for cut in range(1, len(run)):
        left, right = parse_task(" ".join(run[:cut]), now), parse_task(" ".join(run[cut:]), now)
        if left.due and not right.due:
            return _date_part(run[:cut], now) + (run[cut:] if _says_nothing(right) else [])
        if right.due and not left.due:
            return (run[:cut] if _says_nothing(left) else []) + _date_part(run[cut:], now)
    return []


def _says_nothing(reading) -> bool:
    """Plain words ("and"): they go back with the date beside them."""
    return not (reading.due or reading.priority or reading.tags or reading.recurrence)


def due_chip_label(due: str, today: dt.date) -> str:
    """'Tomorrow · Tue Dec 1, 3:00 PM': the relative word and the date it means, so a
    misread is plain to see."""
    day = dt.date.fromisoformat(due[:10])
    time = dt.time.fromisoformat(due[11:16]) if len(due) > 10 else None
    relative = due_label(day, None, today)
    absolute = f"{day.strftime('%a %b')} {day.day}" + (f", {day.year}" if day.year != today.year else "")
    label = absolute if relative.startswith(day.strftime("%b")) else f"{relative} · {absolute}"
    if time is not None:
        hour = time.hour % 12 or 12
        label += f", {hour}:{time.minute:02d} {'AM' if time.hour < 12 else 'PM'}"
    return label


def repeat_chip_label(rule: str, today: dt.date) -> str:
    """"Every other Tuesday until 31 Mar": the rule the parser read, as people say it."""
    words = recurrence.describe(rule, today)
    return words[:1].upper() + words[1:]
