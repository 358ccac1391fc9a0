"""Words that point at tasks shown earlier, recognised (references.py resolves them):

- "it", "that", "this one" (``is_singular``);
- "them", "those", "both", "them both", "all of them", "all three" (``PLURAL``);
- positions in a list: "the first one", "the last", "the first two", "the top 3", "the
  first and the third" (``list_positions``); "#2" and "number 2" stay task ids;
- descriptions: "the dentist one", "the one due friday", "the high priority one", "the
  done one" (``DESCRIBED_*``), and which tasks fit one (``fitting``).

Every pattern is anchored, with no nested quantifiers: linear on any input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from todochat.chat.matching import meaningful, words as title_words

from . import dates
from .calendar_words import SPELLED_ORDINALS
from .conversation import ShownTask
from .lexicon import DONE_DESCRIBED, NUMBER_WORDS, PRIORITY_DESCRIBED, one_of
from .slots import extract_priority, extract_tags

_NORMALIZE = re.compile(r"[\s]+")
_SINGULAR = re.compile(
    r"""
    ^
    (?:it|this|that|this\s+one|that\s+one
        |(?:this|that|the)\s+(?:task|item|todo|to-do|same\s+task)|the\s+same\s+one
        |the\s+one\s+(?:you\s+)?(?:just\s+)?
        (?:added|changed|mentioned|showed(?:\s+me)?))
    $
    """,
    re.I | re.X,
)
_LIST_WORDS = r"(?:list|tasks|results|ones)"
_LIST_SUFFIX = re.compile(
    rf"""
    \s+
    (?:(?:on|in|from|of)\s+(?:that|the|this|your|my)\s+(?:last\s+)?
        {_LIST_WORDS}(?:\s+(?:you\s+)?(?:just\s+)?(?:showed|shown|gave)(?:\s+me)?)?
        |of\s+(?:them|those|these)
        |(?:that\s+)?you\s+(?:just\s+)?(?:showed|listed|gave)(?:\s+me)?
        |(?:shown\s+)?above)
    $
    """,
    re.I | re.X,
)
PLURAL = re.compile(
    r"""
    ^
    (?:them|they|these|those|these\s+ones|those\s+ones
        |(?:these|those)\s+(?:tasks|items|todos)
        |(?:all|each|every\s+one)\s+of\s+(?:them|these|those|the\s+above)
        |all\s+(?:the\s+)?(?:tasks|items|ones)|everything|all
        |(?:all\s+)?(?:both|the\s+two)(?:\s+of\s+(?:them|these|those))?
        |the\s+two\s+of\s+them|(?:them|these|those|'em)\s+(?:all|both)|all\s+of\s+'em
        |'em
        |(?:all|these|those)
        \s+(?P<count>two|three|four|five|six|seven|eight|nine|ten|\d+)
        (?:\s+(?:tasks|items|ones|todos|of\s+(?:them|these|those)))?)
    $
    """,
    re.I | re.X,
)
_ORDINAL_WORDS = {
    **{word: n for word, n in SPELLED_ORDINALS.items() if n <= 12}, "last": -1,
    "penultimate": -2, "second to last": -2, "second-to-last": -2, "next to last": -2,
}
_ORDINAL = r"(?:second[\s-]to[\s-]last|next\s+to\s+last|penultimate|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|\d{1,2}(?:st|nd|rd|th))"
# "#2" and "number 2" stay task ids (text.clean_reference), whatever a list showed.
_ORDINAL_ITEM = re.compile(
    rf"""
    ^(?:the\s+)?
    (?:(?P<ordinal>{_ORDINAL})
        |(?P<end>first|top|last|bottom)
        \s+(?P<count>two|three|four|five|six|seven|eight|nine|ten|couple|few|\d{{1,2}})
        )
    (?:\s+(?:one|ones|task|tasks|item|items|todo|todos))?$
    """,
    re.I | re.X,
)
ITEM_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+", re.I)
# "the dentist one", "the one about the dentist", "the one due friday", "the high priority one".
DESCRIBED_BEFORE = re.compile(r"^(?:the\s+)?(?P<desc>.+?)\s+one$", re.I)
DESCRIBED_AFTER = re.compile(
    r"""
    ^(?:the\s+)?one\s+
    (?:(?:that|which)(?:'s|\s+is|\s+was|\s+says|\s+mentions)?\s+
        |(?:about|for|with|called|named|titled|saying|mentioning|regarding|on)\s+)?
    (?P<desc>.+)$
    """,
    re.I | re.X,
)
_DONE_WORDS = re.compile(rf"\b{one_of(DONE_DESCRIBED)}\b", re.I)
_OPEN_WORDS = re.compile(r"\b(?:open|unfinished|not\s+done|pending|outstanding)\b", re.I)
_NO_DATE = re.compile(r"\b(?:with(?:out|\s+no)\s+(?:a\s+)?(?:due\s+)?date|undated|no\s+(?:due\s+)?date)\b", re.I)
_DESC_FILLER = re.compile(r"\b(?:due|on|by|for|at|is|was|it's|its|that|which|the|a|an|priority|prio|tagged|with|tag)\b", re.I)


_TRAILING = re.compile(r"(?:\s+(?:too|as\s+well|now|please|again|also|then|instead))+$", re.I)


def normalize(words: str) -> str:
    text = _NORMALIZE.sub(" ", words.strip().strip(" .,!?;:\"'“”")).lower()
    return _TRAILING.sub("", text)


def is_singular(words: str) -> bool:
    return bool(_SINGULAR.match(normalize(words)))


def is_plural(words: str) -> bool:
    return bool(PLURAL.match(without_list_suffix(normalize(words))))


def without_list_suffix(words: str) -> str:
    previous = None
    while previous != words:
        previous = words
        words = _LIST_SUFFIX.sub("", words).strip()
    return words


def list_positions(words: str) -> list[tuple[int, int]] | None:
    """"the first two" -> [(1, 2)], "the last one" -> [(-1, 1)], "the first and third" ->
    [(1, 1), (3, 1)]: (position from 1, or from the end when negative; how many). None if
    the words are not positions."""
    parts = [part for part in ITEM_SEPARATOR.split(words) if part]
    found: list[tuple[int, int]] = []
    for part in parts:
        match = _ORDINAL_ITEM.match(part.strip())
        if not match:
            return None
        if match.group("ordinal"):
            word = " ".join(match.group("ordinal").replace("-", " ").split())
            position = _ORDINAL_WORDS.get(word) or int(re.match(r"\d+", word).group())
            found.append((position, 1))
        else:
            count = NUMBER_WORDS.get(match.group("count")) or int(match.group("count"))
            found.append((1 if match.group("end") in ("first", "top") else -count, count))
    return found or None


# "complete the fifth" as a description ("the ... one"): a position after other words.
_TRAILING_POSITION = re.compile(rf"(?:^|\s)(?:the\s+)?(?P<ordinal>{_ORDINAL})$", re.I)


def trailing_position(desc: str) -> list[tuple[int, int]] | None:
    """"complete the fifth" (what "complete the fifth one" describes) -> [(5, 1)]: the
    position it ends with, so it is read as one, never as words of a title."""
    match = _TRAILING_POSITION.search(desc)
    return list_positions(match.group("ordinal")) if match else None


def points_at_tasks(words: str) -> bool:
    """Whether ``words`` are pointing words ("it", "both", "the first two", "the dentist one")."""
    text = normalize(words)
    bare = without_list_suffix(text)
    return bool(
        is_singular(text) or PLURAL.match(bare) or list_positions(bare) is not None
        or DESCRIBED_AFTER.match(text) or DESCRIBED_BEFORE.match(text)
    )


def fitting(desc: str, tasks: Sequence[ShownTask], now: dt.datetime) -> list[ShownTask] | None:
    """The tasks that fit a description ("dentist", "due friday", "high priority", "#work",
    "done"); None if the description says nothing that can be checked."""
    checks = []
    rest = desc
    if _NO_DATE.search(rest):
        checks.append(lambda task: task.due is None)
        rest = _NO_DATE.sub(" ", rest)
    due = dates.find_due(rest, now)
    if due is not None:
        day = due.value.date() if isinstance(due.value, dt.datetime) else due.value
        checks.append(lambda task, day=day: task.due is not None and task.due[:10] == day.isoformat())
        rest = rest[: due.start] + " " + rest[due.end :]
    tags, rest = extract_tags(rest)
    tag_word = re.search(r"\btag(?:ged)?\s+#?([\w-]+)", rest, re.I)
    if tag_word:
        tags.append(tag_word.group(1).lower())
        rest = rest[: tag_word.start()] + " " + rest[tag_word.end() :]
    for tag in tags:
        checks.append(lambda task, tag=tag: tag in task.tags)
    priority, rest = extract_priority(rest)
    if priority is None:
        level = re.search(rf"\b({one_of(PRIORITY_DESCRIBED)})\b", rest, re.I)
        if level:
            priority = PRIORITY_DESCRIBED[level.group(1).lower()]
            rest = rest[: level.start()] + " " + rest[level.end() :]
    if priority:
        checks.append(lambda task, level=priority: task.priority == level)
    if _DONE_WORDS.search(rest):
        checks.append(lambda task: task.done)
        rest = _DONE_WORDS.sub(" ", rest)
    elif _OPEN_WORDS.search(rest):
        checks.append(lambda task: not task.done)
        rest = _OPEN_WORDS.sub(" ", rest)
    rest = _DESC_FILLER.sub(" ", rest)
    wanted = set(meaningful(rest)) if rest.strip() else set()
    if wanted:
        checks.append(lambda task: _has_words(wanted, task))
    if not checks:
        return None
    return [task for task in tasks if all(check(task) for check in checks)]


def _has_words(wanted: set[str], task: ShownTask) -> bool:
    """Every wanted word is a word of the title (or starts one: "dent" finds "dentist"),
    or one of the task's tags ("the family one")."""
    have = title_words(task.title) + [tag.lower() for tag in task.tags]
    return all(word in have or (len(word) >= 3 and any(h.startswith(word) for h in have)) for word in wanted)
