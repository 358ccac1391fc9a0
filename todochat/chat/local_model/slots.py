"""Task attributes said in words — priority and tags — found and cut out of a phrase.
Repeats have a grammar of their own in ``repeats`` (``Recurrence`` and
``extract_recurrence`` are importable from here too, as before).

Each extractor takes a phrase and returns what it found plus the phrase without it, so the
parser can peel attributes off one at a time and keep what is left as the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import HASHTAG, PRIORITY_CODES, PRIORITY_LEVELS, PRIORITY_NOUN, PRIORITY_WORDS_ALONE, one_of


_PRIO = PRIORITY_NOUN
_CODES = {level: one_of(code for code, its_level in PRIORITY_CODES.items() if its_level == level) for level in PRIORITY_LEVELS}

# Phrases that can only mean a priority, wherever they stand ("fix tap with high priority").
_PRIORITY_PHRASES: tuple[tuple[str, str], ...] = (
    ("low", r"(?:not|nothing)\s+(?:very\s+|that\s+|too\s+)?(?:important|urgent|pressing)"),
    ("low", rf"low(?:est)?[\s-]*{_PRIO}|{_PRIO}\s*[:=]?\s*low|{_CODES['low']}|no\s+rush|no\s+hurry|unimportant"),
    ("low", r"whenever(?:\s+i\s+(?:can|get\s+(?:a\s+chance|around\s+to\s+it)|have\s+(?:the\s+)?time))?"),
    # "sometime" only at the end ("clean garage sometime"): before more words it says when
    # ("sometime after the 15th", "sometime tomorrow"), not how much it matters.
    ("low", r"some\s*day|sometime(?=\s*(?:[.,;:!?)]|$))|eventually|(?:if|when)\s+i\s+(?:have|get|find)\s+(?:the\s+|some\s+)?time"),
    ("medium", rf"(?:medium|normal|mid|average|moderate)[\s-]*{_PRIO}|{_PRIO}\s*[:=]?\s*(?:medium|normal)|{_CODES['medium']}"),
    ("high", rf"(?:high(?:est)?|top|max(?:imum)?)[\s-]*{_PRIO}|{_PRIO}\s*[:=]?\s*high|{_CODES['high']}|asap|a\.s\.a\.p\.?"),
    ("high", r"very\s+(?:important|urgent)|super\s+(?:important|urgent)|!{2,}"),
)
# Single words that are also adjectives in titles ("important email to bob"). They set a
# priority only at the very end of a phrase ("file taxes, urgent"), or at the start when
# followed by a colon or "!" ("urgent: file taxes"); "urgent" also bare at the start.
_PRIORITY_WORDS = PRIORITY_WORDS_ALONE
_BARE_AT_START = {"urgent", "urgently"}
_NEED_COLON = set(PRIORITY_LEVELS)  # "high: file taxes", never "turn the heat to low"
_PRIORITY_LEAD_IN = r"(?:(?:with|as|at|and|it'?s|it\s+is|is|marked(?:\s+as)?|set\s+to)\s+)?(?:an?\s+)?(?:very\s+)?"

_TAG_WORD = r"\#?([\w][\w-]*)"  # "\#": the same in re.VERBOSE
# "#12" is a task number. A hashtag is not preceded by a word character or "&" ("x#y",
# "&#39;") unless that is the end of the hashtag before it ("#work#home"); extract_tags checks.
_HASHTAG = re.compile(HASHTAG)
_NOT_BEFORE_A_HASHTAG = re.compile(r"[\w&]")
_TAG_PHRASE = re.compile(
    rf"""
    (?:\b(?:tagged|label(?:l)?ed|(?:and\s+)?(?:tag|label)\s+it)
        \s+(?:(?:as|with)\s+)?(?:the\s+)?{_TAG_WORD}
        |\bwith\s+(?:the\s+)?(?:tag|label)\s+{_TAG_WORD}
        |\bwith\s+the\s+{_TAG_WORD}\s+(?:tag|label))
    """,
    re.I | re.X,
)

_PRIORITY_PATTERNS = tuple(
    (level, re.compile(rf"(?:^|(?<=[\s,(]))(?!(?<=\s)\s)[,(]?\s*{_PRIORITY_LEAD_IN}(?:{phrase})\s*[):]?(?=$|[\s,.!;)])", re.I))
    for level, phrase in _PRIORITY_PHRASES
)
# Each word at the start, and at the end after spaces, commas or "(" — a run of them is
# entered at its first character only (the lookbehind), so ",,,,," costs one pass, not one
# pass per comma.
_PRIORITY_WORD_PATTERNS = tuple(
    (
        word,
        level,
        re.compile(rf"\s*{word}\b\s*([:!-]+)?\s*", re.I),
        re.compile(rf"(?<![\s,(])[\s,(]+{_PRIORITY_LEAD_IN}{word}\s*[)!]*\s*$", re.I),
    )
    for word, level in _PRIORITY_WORDS.items()
)


def extract_priority(text: str) -> tuple[str | None, str]:
    """("high", "fix the tap") from "fix the tap with high priority"."""
    for level, pattern in _PRIORITY_PATTERNS:
        match = pattern.search(text)
        if match:
            return level, _cut(text, match.start(), match.end())
    for word, level, start_pattern, end_pattern in _PRIORITY_WORD_PATTERNS:
        at_start = start_pattern.match(text)
        if at_start and (at_start.group(1) or word in _BARE_AT_START):
            return level, text[at_start.end() :].strip()
        at_end = end_pattern.search(text)
        if at_end and word not in _NEED_COLON:
            return level, _cut(text, at_end.start(), at_end.end())
    return None, text


def extract_tags(text: str) -> tuple[list[str], str]:
    """(["travel", "work"], "book flights") from "book flights #travel #work".

    Tag phrases ("tagged travel") first, then hashtags; each kind is found in one pass over
    the text and all of them cut out at once (not one search and one cut per tag, which made
    "#a#a#a..." quadratic). A hashtag right after another one counts ("#work#home"), as it
    did when each was cut out before the next was looked for.
    """
    tags: list[str] = []
    seen: set[str] = set()

    def found(tag: str) -> None:
        if tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag.lower())

    spans: list[tuple[int, int]] = []
    for match in _later_matches(_TAG_PHRASE, text, spans):
        found(next(group for group in match.groups() if group))
        spans.append(match.span())
    text = _cut_all(text, spans)

    spans = []
    for match in _later_matches(_HASHTAG, text, spans):
        at = match.start()
        follows_a_hashtag = bool(spans) and spans[-1][1] == at
        if at > 0 and not follows_a_hashtag and _NOT_BEFORE_A_HASHTAG.match(text, at - 1):
            continue
        found(match.group(1))
        spans.append(match.span())
    return tags, _cut_all(text, spans)


def _later_matches(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """The pattern's matches, left to right. Once something was cut out (``spans``), the
    text ends without " ,;-" (every cut strips them), so a match running into them is
    matched again without them ("#a #b-" gives "b", as cutting one at a time did)."""
    text_end = len(text.rstrip(_CUT_STRIP))
    for match in pattern.finditer(text):
        if spans and match.end() > text_end:
            match = pattern.match(text, match.start(), text_end)
            if match is None:
                continue
        yield match


_CUT_STRIP = " ,;-"


def _cut(text: str, start: int, end: int) -> str:
    """Remove text[start:end] and tidy the seam (double spaces, a comma left dangling)."""
    return _cut_all(text, [(start, end)])


def _cut_all(text: str, spans: list[tuple[int, int]]) -> str:
    """Remove the (ordered, non-overlapping) spans and tidy the seams, in one pass: what
    cutting them out one after another gives (the pieces between them, stripped, joined by
    single spaces)."""
    if not spans:
        return text
    pieces = [text[: spans[0][0]].rstrip()]
    pieces += [text[end:next_start].strip() for (_, end), (next_start, _) in zip(spans, spans[1:])]
    pieces.append(text[spans[-1][1] :].lstrip())
    joined = " ".join([pieces[0]] + [piece for piece in pieces[1:-1] if piece] + [pieces[-1]])
    joined = re.sub(r"(?<!\s)\s+([,.;:!?])", r"\1", joined)
    for _ in spans:  # one pass per cut, as cutting one at a time did (",,,," -> ","), until no change
        tidier = re.sub(r",\s*,", ",", joined)
        if tidier == joined:
            break
        joined = tidier
    return joined.strip(_CUT_STRIP)
