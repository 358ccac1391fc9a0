"""Find the task a person means by a few words ("the dentist", "called mom", "#42").

Exact title first, then every meaningful word of the reference found in the title
(after light stemming, so "calling mom" finds "call mom"), then close spellings.
Several matches are returned as they are: the caller asks which one, never guesses.
"""

from __future__ import annotations

import difflib
import re

from todochat.models import Task
from todochat.tasks import TaskFilter, TaskService

_WORD = re.compile(r"[\w']+")
_ID_REF = re.compile(r"^#?(\d{1,9})$")
# "#12 pay rent": a task's number and its title, as an @-mention reaches the model
# (history.py) and as a model may repeat a task it was shown ("#12 pay rent — due ...").
_ID_AND_TITLE = re.compile(r"^#([1-9]\d{0,8})\s+(?P<title>\S.*)$", re.S)
_FILLER = {
    "a", "an", "the", "my", "our", "task", "tasks", "todo", "item", "one", "about", "called",
    "named", "for", "to", "that", "this", "it", "of", "on", "please",
}
CANDIDATE_LIMIT = 200


def stem(word: str) -> str:
    word = word.lower().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, keep in (("ing", 4), ("ed", 3), ("es", 3), ("s", 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    # "running" -> "runn": fold the doubled consonant a suffix leaves behind.
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


def meaningful(text: str) -> list[str]:
    kept = [w for w in _WORD.findall(text.lower()) if w not in _FILLER]
    return [stem(w) for w in kept] or words(text)


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def find_tasks(tasks: TaskService, reference: str, *, status: str = "all") -> list[Task]:
    """Tasks matching ``reference``; ``status`` ("open", "done", "all") narrows the search."""
    reference = (reference or "").strip().strip("\"'“”‘’")
    if not reference:
        return []
    as_id = _ID_REF.match(reference)
    if as_id:
        try:
            task = tasks.get(int(as_id.group(1)))
        except Exception:
            task = None
        if task is not None:
            return [task]
    titled = _ID_AND_TITLE.match(reference)
    if titled:
        task = _own_task(tasks, int(titled.group(1)))
        if task is not None and _agrees(titled.group("title"), task.title):
            return [task]
        # No such task, or another title: the words are a title themselves ("#2 pencils").

    ref_words = meaningful(reference)
    # Let the database narrow things down: every stem must occur somewhere in the title.
    flt = TaskFilter(status=status, search=" ".join(w for w in ref_words if len(w) >= 2) or None)
    candidates = tasks.list(flt, sort="due", limit=CANDIDATE_LIMIT).items

    exact = [t for t in candidates if _normal(t.title) == _normal(reference)]
    if exact:
        return exact
    wanted = set(ref_words)
    by_words = [t for t in candidates if wanted <= set(words(t.title))]
    if by_words:
        return by_words

    # A typo or a different word order: compare against every title of this status.
    everything = tasks.list(TaskFilter(status=status), sort="due", limit=CANDIDATE_LIMIT).items
    titles = {_normal(t.title): t for t in everything}
    close = difflib.get_close_matches(_normal(reference), list(titles), n=5, cutoff=0.8)
    return [titles[c] for c in close]


def _own_task(tasks: TaskService, task_id: int) -> Task | None:
    """The user's task with this id, or None (another user's, deleted, never was)."""
    found = tasks.get_many([task_id])
    return found[0] if found else None


def _agrees(words_given: str, title: str) -> bool:
    """Whether the words after "#12" name task 12: its title, or all of the title's words a
    sentence left ("#12 pay rent" for "pay rent to landlord" whose "to landlord" a date
    rule took)."""
    given = meaningful(words_given)
    return _normal(words_given) == _normal(title) or bool(given) and set(given) <= set(words(title))
