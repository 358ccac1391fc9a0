"""Date words that belong to the title, not the due date: "prepare monday meeting notes",
"buy christmas presents", "mix 3/4 cup flour", "see the 3 pm slot options", "watch Friday
Night Lights", "read The 9/11 Report", "parents evening dec 4th".

``dates`` finds the date pieces of a sentence and asks here which of them only describe a
noun or are part of a name. Each check looks at the words next to a piece, never the whole
sentence again. ``starts_a_piece(text, position)`` is the date finder's own test for "a date
piece starts here" (so "friday at 5" is a date: a time follows, not a noun).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import holiday_dates
from .calendar_words import MONTH, weekday_index
from .lexicon import TASK_VERBS
from .text import words_back

StartsAPiece = Callable[[str, int], bool]

# Words after a date that still let it be one: "call mom monday about the trip".
AFTER_A_DATE = frozenset(
    "about and at to for with before after please or but so if then in around by from until till".split()
)
# Pieces that can describe the noun after them: "the friday review", "christmas presents",
# "the 3/4 report", "1/2 lb butter", "the 3 pm slot", "the 3rd chapter", "the dec 4 deadline".
_ADJECTIVE_KINDS = frozenset({"weekday", "holiday", "numeric", "ordinal", "time", "bare_hour", "month_day", "spelled_month_day"})
# Of those, the ones that describe a noun only after "the" (or "a", "my", "for"...): "dec 4
# recital" is a date first, "the dec 4 recital" is a recital's name, "for 8pm show" a show's;
# "at 3 pm people arrive" is a time. A holiday written as a date needs none ("4th of july party").
_ONLY_AFTER_THE = frozenset({"time", "bare_hour", "month_day", "spelled_month_day"})


def is_attributive(text: str, piece, starts_a_piece: StartsAPiece) -> bool:
    """A weekday, holiday, number or time used as an adjective is part of the title (see
    the module). Not after "on"/"by"/"due"..., nor before another date word. A weekday that
    opens the sentence is a date when what follows is something to do ("monday call the
    bank", "wed - gym"), not when it names a thing ("monday meeting notes", "friday review")."""
    if piece.kind == "start_weekday":
        return not _opens_a_task(text, piece.end) and describes_a_noun(text, piece.start, piece.end, starts_a_piece)
    if piece.kind not in _ADJECTIVE_KINDS or (piece.kind == "weekday" and " " in piece.text.strip()):
        return False
    own_the = piece.text.lower().startswith("the") or piece.kind == "ordinal"  # "the 3rd", "before the first"
    holiday = _HOLIDAY.fullmatch(piece.text.strip())  # "a 4th of July flag", "4th of july party"
    after_the = piece.kind in _ONLY_AFTER_THE and not own_the and not holiday
    return describes_a_noun(text, piece.start, piece.end, starts_a_piece, after_the=after_the)


def describes_a_noun(text: str, start: int, end: int, starts_a_piece: StartsAPiece, *, after_the: bool = False) -> bool:
    """Whether the words at [start, end) come before a noun they describe: another word
    follows that is not a date's ("at", "for", another date piece), and no date word
    ("on", "by") comes before them; with ``after_the``, "the" must."""
    before = words_back(text, 0, start, 1)
    if _DATE_PREPOSITION.search(text, before, start):
        return False
    if after_the and not _NOUN_PHRASE_BEFORE.search(text, before, start):
        return False
    following = _NEXT_WORD.match(text, end)
    if not following or following.group(1).lower() in AFTER_A_DATE:
        return False
    return not starts_a_piece(text, following.start(1))


def loose_phrase_describes(text: str, start: int, end: int, starts_a_piece: StartsAPiece) -> bool:
    """A loose date phrase before a noun names it ("mid-year review", "mother's day card"),
    not before what to do ("early next week call mom")."""
    if not describes_a_noun(text, start, end, starts_a_piece):
        return False
    if _DETERMINER_BEFORE.search(text, words_back(text, 0, start, 1), start):
        return True  # "the mid-year review": "review" is a noun here
    following = _NEXT_WORD.match(text, end)
    return following.group(1).lower() not in TASK_VERBS


def names_before(text: str, start: int) -> bool:
    """Whether the word before ``start`` makes a name with what follows ("parents evening",
    "movie night"): a word, not a date's ("at", "on")."""
    before = text[words_back(text, 0, start, 1) : start].strip()
    return bool(before) and before.lower() not in AFTER_A_DATE and not _DATE_PREPOSITION.search(before + " ")


def _opens_a_task(text: str, end: int) -> bool:
    """"monday call the bank", "Mon: review PRs": a separator, or a verb with more after it."""
    if _SEPARATOR_AFTER.match(text, end):
        return True
    verb = _VERB_THEN_MORE.match(text, end)
    return bool(verb) and verb.group(1).lower() in TASK_VERBS


def has_a_lowercase_word(text: str) -> bool:
    return bool(_LOWERCASE_WORD.search(text))


def is_a_title(text: str, group) -> bool:
    """A date phrase written as part of a capitalised name in a lowercase sentence is the
    name's: "watch Friday Night Lights", "watch The Day After Tomorrow", "read The 9/11
    Report". (The caller checks the sentence has a lowercase word: one typed all in
    capitals per word, "Call Mom Friday", is no sign.)"""
    start, end = group[0].start, group[-1].end
    lettered = [w for w in _WORD.findall(text, start, end) if w[0].isalpha()]
    if any(not w[0].isupper() for w in lettered):
        return False
    before = _LAST_WORD.search(text, words_back(text, 0, start, 1), start)
    after = _FIRST_WORD.match(text, end)
    if before and before.group(1) in ("The", "A", "An"):
        return True
    if after and _is_title_word(after.group(1)):
        return True
    # "The Day After Tomorrow", "Next Year in Jerusalem", "Twelfth Night": words a date
    # writes in lowercase, capitalised (a holiday's name is capitalised anyway).
    if any(p.kind == "holiday" for p in group) or not any(w.lower() in _LOWERCASE_DATE_WORDS for w in lettered):
        return False
    return len(lettered) > 1 or bool(before and _CAPITALISED.fullmatch(before.group(1)))


def _is_title_word(word: str) -> bool:
    """Capitalised and not a date's own word (a weekday, a month)."""
    return bool(_CAPITALISED.fullmatch(word)) and weekday_index(word) is None and not _MONTH_WORD.fullmatch(word)


_CAPITALISED = re.compile(r"[A-Z][\w'’]*")
_LOWERCASE_WORD = re.compile(r"(?<![\w'’])[a-z][\w'’]*")
_LOWERCASE_DATE_WORDS = frozenset(
    "the a an next this last after before day week month year weekend tomorrow today tonight night morning "
    "afternoon evening end of".split()
)
_WORD = re.compile(r"[^\s,]+")
_LAST_WORD = re.compile(r"([^\s,]+)\s+$")
_FIRST_WORD = re.compile(r"\s+([^\s,]+)")
_MONTH_WORD = re.compile(MONTH, re.I)
# Before a time or date that describes the noun after it: "the 9am meeting", "a 4th of July
# flag", "book 2 tickets for 8pm show" (not "at 3 pm people arrive": "at" makes it a time).
_NOUN_PHRASE_BEFORE = re.compile(r"\b(?:the|a|an|my|our|your|his|her|their|for)\s+$", re.I)
_HOLIDAY = re.compile(holiday_dates.PATTERN, re.I)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|my|our|your|his|her|their)\s+$", re.I)
_DATE_PREPOSITION = re.compile(r"\b(?:on|by|before|until|till|due|from|starting)\s+$", re.I)  # one word
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b", re.I)
_SEPARATOR_AFTER = re.compile(r"\s*[:\-\u2013]\s")
_VERB_THEN_MORE = re.compile(r"\s+([a-z]+)\s+\S", re.I)
