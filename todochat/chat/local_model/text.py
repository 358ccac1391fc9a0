"""Cleaning what people type before it is parsed, and cleaning task references after.

The grammar in parser.py matches plain, single-spaced text without politeness around it;
this module gets messages into that shape and turns the words that name a task ("the task
about calling mom") into the reference the tools resolve ("call mom").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import POLITE_PREFIXES, POLITE_SUFFIXES, base_verb, is_past_tense_verb

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})
_QUESTION_START = re.compile(
    r"^(?:what|what's|whats|which|who|whom|whose|where|when|why|how|is|are|am|was|were|do|does|"
    r"did|can|could|will|would|should|shall|have|has|may|might|any|anything)\b",
    re.I,
)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|heya|hiya|howdy|yo|greetings|hallo|hola|good\s+(?:morning|afternoon|evening|day))"
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
    greeted = False
    while match := _GREETING.match(text):
        greeted, text = True, text[match.end() :]
    plain = text.rstrip(" .!?;").strip()
    text = _strip_politeness(text)
    text = text.rstrip(" .!?;").strip()
    is_question = is_question or bool(_QUESTION_START.match(text))
    return Message(text=text, plain=plain, is_question=is_question, greeted=greeted)


def _strip_politeness(text: str) -> str:
    prefixes = sorted(POLITE_PREFIXES, key=len, reverse=True)
    suffixes = sorted(POLITE_SUFFIXES, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            match = re.match(rf"{re.escape(prefix)}\b[\s,!:]*", text, re.I)
            if match and match.end() < len(text):
                text, changed = text[match.end() :], True
                break
        for suffix in suffixes:
            match = re.search(rf"[\s,]+{re.escape(suffix)}[\s.!?]*$", text, re.I)
            if match and match.start() > 0:
                text, changed = text[: match.start()], True
                break
    return text.strip()


_REFERENCE_LEAD = re.compile(
    r"^(?:(?:the|my|a|an|that|this|our)\s+)?(?:(?:task|todo|to-do|item|reminder|one|entry)s?\s*)"
    r"(?:(?:about|called|named|titled|for|to|that\s+says|saying|with|regarding|re|on)\b\s*|:\s*)?",
    re.I,
)
_REFERENCE_TAIL = re.compile(
    r"\s+(?:(?:from|off|on|in)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?(?:list|tasks|todos)"
    r"|task|todo|item|reminder|already|too|as\s+well|now|please|again)$",
    re.I,
)
_TASK_NUMBER = re.compile(r"^(?:(?:task|item|number|no\.?|todo)\s*)?#?\s*(\d+)$", re.I)


def clean_reference(words: str, *, gerund: bool = False) -> str:
    """The words that name a task, as the tools want them: no articles, "task"/"item"
    scaffolding, quotes or list talk around them; "#42" for a number; a leading past tense
    back to its verb ("paid rent" -> "pay rent"). A leading gerund ("calling mom") is turned
    back only when the caller knows it is verbal (``gerund=True``) or it followed "the task
    about": "meeting with bob" is a noun far more often than a verb.

    Articles inside are dropped too ("pay the rent" -> "pay rent"): the tools match a
    reference's words against titles, so fewer filler words match more titles. A title in
    quotes is taken as written.
    """
    quoted = re.fullmatch(r"\s*[\"']([^\"']+)[\"']\s*", words)
    if quoted:
        return quoted.group(1).strip()
    ref = words.strip(" \"'.,:;!?")
    number = _TASK_NUMBER.match(ref)
    if number:
        return f"#{number.group(1)}"
    previous = None
    while previous != ref:
        previous = ref
        lead = _REFERENCE_LEAD.match(ref)
        if lead and lead.end() < len(ref):
            ref, gerund = ref[lead.end() :], True
        ref = re.sub(r"^(?:the|my|a|an|our|your)\s+", "", ref, flags=re.I)
        ref = _REFERENCE_TAIL.sub("", ref)
        ref = ref.strip(" \"'.,:;!?")
    ref = _verb_to_base(ref, gerund=gerund)
    without_articles = re.sub(r"\s+(?:the|a|an|my|our|your)(?=\s)", "", ref, flags=re.I)
    return without_articles or ref


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


def strip_connectors(text: str) -> str:
    """Drop words left dangling once a date or priority was cut out: "pay rent to" -> "pay rent"."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(
            r"\s+(?:to|by|on|at|for|due|until|till|and|with|from|-)$",
            "",
            text.strip(" ,;:-"),
            flags=re.I,
        )
    return text.strip(" ,;:-")
