"""Cleaning what people type before it is parsed, and cleaning task references after.

The grammar in parser.py matches plain, single-spaced text without politeness around it;
this module gets messages into that shape and turns the words that name a task ("the task
about calling mom") into the reference the tools resolve ("call mom").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .lexicon import POLITE_PREFIXES, POLITE_SUFFIXES, base_verb, is_past_tense_verb


class _HasSpan(Protocol):
    start: int
    end: int


_Span = TypeVar("_Span", bound=_HasSpan)

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})
_QUESTION_START = re.compile(
    r"^(?:what|what's|whats|which|who|whom|whose|where|when|why|how|is|are|am|was|were|do|does|"
    r"did|can|could|will|would|should|shall|have|has|may|might|any|anything)\b",
    re.I,
)
# Matched at a position (``match(text, pos)``), so no "^": greetings are read one after another.
_GREETING = re.compile(
    r"(?:hi|hello|hey|heya|hiya|howdy|yo|greetings|hallo|hola|good\s+(?:morning|afternoon|evening|day))"
    r"(?:\s+(?:there|again|all|you|assistant|bot|buddy|friend|todochat))?(?:[\s,!.:;-]+|$)",
    re.I,
)


@dataclass(frozen=True)
class Message:
    text: str  # without politeness and end punctuation, single-spaced, case kept
    plain: str  # single-spaced, without end punctuation or greeting, politeness kept ("great, thanks")
    is_question: bool
    greeted: bool  # it opened with a greeting ("hi, add milk")


def clean_message(raw: str) -> Message:
    text = " ".join(raw.translate(_QUOTES).split())
    is_question = text.rstrip().endswith("?")
    greeted, start = False, 0
    while match := _GREETING.match(text, start):
        greeted, start = True, match.end()
    text = text[start:]
    plain = text.rstrip(" .!?;").strip()
    text = _strip_politeness(text)
    text = text.rstrip(" .!?;").strip()
    is_question = is_question or bool(_QUESTION_START.match(text))
    return Message(text=text, plain=plain, is_question=is_question, greeted=greeted)


# Politeness is peeled off both ends one word at a time (longest phrase first, never the
# whole message). The text is not sliced on each step but narrowed to [start, end), so
# "please please ... please" costs one pass, not one pass per word.
_PREFIXES = tuple(sorted(POLITE_PREFIXES, key=len, reverse=True))
_SUFFIXES = tuple(sorted(POLITE_SUFFIXES, key=len, reverse=True))
_PREFIX = re.compile("(?:" + "|".join(re.escape(p) for p in _PREFIXES) + r")\b[\s,!:]*", re.I)
_EACH_PREFIX = tuple(re.compile(rf"{re.escape(p)}\b[\s,!:]*", re.I) for p in _PREFIXES)
_EACH_SUFFIX = tuple(re.compile(re.escape(s), re.I) for s in _SUFFIXES)
_SUFFIX_LENGTHS = tuple(len(s) for s in _SUFFIXES)


# "in 2 weeks from now": the "now" is the date's, not politeness.
_COUNTED_FROM_NOW = re.compile(r"\bfrom$", re.I)


def _strip_politeness(text: str) -> str:
    start, end, suffix_looked_at = 0, len(text), None
    changed = True
    while changed:
        changed = False
        prefix_end = _polite_prefix_end(text, start, end)
        if prefix_end is not None:
            start, changed = prefix_end, True
        if end != suffix_looked_at:  # none at this end stays so when the start moves right
            suffix_looked_at = end
            suffix_start = _polite_suffix_start(text, start, end)
            if suffix_start is not None:
                end, changed = suffix_start, True
    return text[start:end].strip()


def _polite_prefix_end(text: str, start: int, end: int) -> int | None:
    """Where the longest polite opening of text[start:end] ends, unless it is all there is."""
    match = _PREFIX.match(text, start, end)  # the first phrase (longest first) that matches
    if match is None:
        return None
    if match.end() < end:
        return match.end()
    for pattern in _EACH_PREFIX:  # that one was everything: a shorter one may leave something
        match = pattern.match(text, start, end)
        if match and match.end() < end:
            return match.end()
    return None


def _polite_suffix_start(text: str, start: int, end: int) -> int | None:
    r"""Where a polite closing of text[start:end] starts: spaces or commas, then the phrase,
    then only spaces and ".!?" (what ``[\s,]+phrase[\s.!?]*$`` finds), unless it is all there is."""
    word_end = end
    while word_end > start and (text[word_end - 1] in ".!?" or text[word_end - 1].isspace()):
        word_end -= 1
    for pattern, length in zip(_EACH_SUFFIX, _SUFFIX_LENGTHS):
        word_start = word_end - length
        if word_start <= start or not pattern.fullmatch(text, word_start, word_end):
            continue
        run_start = word_start
        while run_start > start and (text[run_start - 1] == "," or text[run_start - 1].isspace()):
            run_start -= 1
        if run_start < word_start and run_start > start:
            if _COUNTED_FROM_NOW.search(text, max(start, run_start - 5), run_start):
                continue  # "2 weeks from now"
            return run_start
    return None


# Matched at a position (``match(ref, start, end)``), so no "^".
# Not before a number: "Item 05" is a title (a task id has no leading zero, see _TASK_NUMBER),
# and not inside a word ("itemize receipts").
_REFERENCE_LEAD = re.compile(
    r"""
    (?:(?:the|my|a|an|that|this|our)\s+)?
    (?:(?:task|todo|to-do|item|reminder|one|entry)s?\b\s*+)(?!\d)
    (?:(?:about|called|named|titled|for|to|that\s+says|saying|with|regarding|re|on)
        \b\s*
        |:\s*)?
    """,
    re.I | re.X,
)
_LEADING_ARTICLE = re.compile(r"(?:the|my|a|an|our|your)\s+", re.I)
# At most four words ("from my to-do list") after the spaces it starts with.
_REFERENCE_TAIL = re.compile(
    r"(?<!\s)\s+(?:(?:from|off|on|in)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?(?:list|tasks|todos)"
    r"|task|todo|item|reminder|already|too|as\s+well|now|please|again)$",
    re.I,
)
_REFERENCE_TAIL_WORDS = 4
_INNER_ARTICLE = re.compile(r"(?<!\s)\s+(?:the|a|an|my|our|your)(?=\s)", re.I)
# "task 7", "#7", "7": the task with id 7. "Item 05" is no id (ids have no leading zero): a title.
_TASK_NUMBER = re.compile(r"^(?:(?:task|item|number|no\.?|todo)\s*+#?\s*+(?P<after_noun>[1-9]\d*+)|#?\s*+(?P<alone>\d++))$", re.I)
_REFERENCE_PUNCTUATION = " \"'.,:;!?"


def clean_reference(words: str, *, gerund: bool = False) -> str:
    """The words that name a task, as the tools want them: no articles, "task"/"item"
    scaffolding, quotes or list talk around them; "#42" for a number; a leading past tense
    back to its verb ("paid rent" -> "pay rent"). A leading gerund ("calling mom") is turned
    back only when the caller knows it is verbal (``gerund=True``) or it followed "the task
    about": "meeting with bob" is a noun far more often than a verb.

    Articles inside are dropped too ("pay the rent" -> "pay rent"): the tools match a
    reference's words against titles, so fewer filler words match more titles. A title in
    quotes is taken as written.

    Scaffolding is peeled off both ends until none is left, on [start, end) of one string
    (no copy per step), and the end is looked at only when it moved, in its last few words:
    one pass over the words however many "the task about"s they hold.
    """
    quoted = re.fullmatch(r"\s*[\"']([^\"']+)[\"']\s*", words)
    if quoted:
        return quoted.group(1).strip()
    ref = words.strip(_REFERENCE_PUNCTUATION)
    number = _TASK_NUMBER.match(ref)
    if number:
        return f"#{number.group('after_noun') or number.group('alone')}"
    start, end, tail_looked_at = 0, len(ref), None
    while True:
        previous = (start, end)
        lead = _REFERENCE_LEAD.match(ref, start, end)
        if lead and lead.end() < end:
            start, gerund = lead.end(), True
        article = _LEADING_ARTICLE.match(ref, start, end)
        if article:
            start = article.end()
        if end != tail_looked_at:  # no tail at this end stays so when the start moves right
            tail_looked_at = end
            tail = _REFERENCE_TAIL.search(ref, words_back(ref, start, end, _REFERENCE_TAIL_WORDS), end)
            if tail:
                end = tail.start()
        start, end = strip_span(ref, start, end, _REFERENCE_PUNCTUATION)
        if (start, end) == previous:
            break
    # "remove task 12 from my list": a number once the list talk is off — but not a title
    # said to be one ("the task called Item 5").
    number = None if _REFERENCE_LEAD.match(ref) else _TASK_NUMBER.match(ref[start:end])
    if number:
        return f"#{number.group('after_noun') or number.group('alone')}"
    ref = _verb_to_base(ref[start:end], gerund=gerund)
    without_articles = _INNER_ARTICLE.sub("", ref)
    return without_articles or ref


def strip_span(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    """``text[start:end].strip(chars)`` as a span of ``text``."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def words_back(text: str, start: int, end: int, count: int) -> int:
    """Where the last ``count`` words of text[start:end] begin, with the spaces before them:
    a phrase of at most that many words that ends at ``end`` starts at or after it."""
    i = end
    for _ in range(count):
        while i > start and text[i - 1].isspace():
            i -= 1
        while i > start and not text[i - 1].isspace():
            i -= 1
    while i > start and text[i - 1].isspace():
        i -= 1
    return i


def _verb_to_base(phrase: str, *, gerund: bool) -> str:
    match = re.match(r"([A-Za-z]+)(.*)$", phrase, re.S)
    if not match or not match.group(2).strip():
        return phrase
    word = match.group(1)
    if is_past_tense_verb(word) or (gerund and word.lower().endswith("ing")):
        base = base_verb(word)
        if base:
            return base + match.group(2)
    return phrase


_CONNECTOR = re.compile(r"to|by|on|at|for|due|until|till|and|with|from|-", re.I)
_CONNECTOR_EDGES = " ,;:-"
_PARTICLE_VERB = re.compile(r"\b(?:put|turn|switch|keep|leave|try|log|carry)\b(?:\s+\S+){0,3}\s+$", re.I)


def strip_connectors(text: str) -> str:
    """Drop words left dangling once a date or priority was cut out: "pay rent to" -> "pay rent"."""
    start, end = connector_span(text, 0, len(text))
    return text[start:end]


def connector_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``strip_connectors(text[start:end])`` as a span of ``text``: trims " ,;:-" and drops a
    last word that is a connector (after a space), again and again, each word looked at once."""
    while True:
        start, end = strip_span(text, start, end, _CONNECTOR_EDGES)
        word_start = end
        while word_start > start and not text[word_start - 1].isspace():
            word_start -= 1
        if word_start == start or not _CONNECTOR.fullmatch(text, word_start, end):
            return start, end
        if text[word_start:end].lower() == "on" and _PARTICLE_VERB.search(
            text, words_back(text, start, word_start, 4), word_start
        ):
            return start, end  # "put the kettle on": a particle, not a connector
        end = word_start
        while end > start and text[end - 1].isspace():
            end -= 1


def longest_first(found: list[_Span]) -> list[_Span]:
    """Of overlapping finds (anything with ``start`` and ``end``), the longest, then the
    earliest; returned in text order. The characters kept finds cover are marked, so each
    check looks at the find's own span only: linear in the text, however many finds."""
    if not found:
        return []
    found = sorted(found, key=lambda f: (f.start - f.end, f.start))
    covered = bytearray(max(f.end for f in found))
    kept = []
    for f in found:
        if covered.find(1, f.start, f.end) == -1:
            covered[f.start : f.end] = b"\x01" * (f.end - f.start)
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
