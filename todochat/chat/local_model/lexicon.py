"""Word lists the offline model understands English with, and the few word-level helpers.

Kept apart from the grammar so that teaching the model a new verb or synonym is a one-line
change to a set here, not an edit to a pattern.
"""

from __future__ import annotations

import re

from todochat.models import PRIORITIES

# Verbs people start tasks with. Used to tell "call mom and pay rent" (two tasks, each starts
# with a verb) from "buy milk and eggs" (one task whose object is a list), to recognise a bare
# "buy milk tomorrow" as a task, and to turn "called"/"watering" back into "call"/"water".
TASK_VERBS = frozenset(
    """
    apply arrange ask assemble attend back bake bathe feed finish fix follow book bring
    brush build buy call cancel change charge check clean clear collect cook copy cut
    deliver deposit design do download drink draft drive drop eat edit email empty fill file
    find fold get give go grab hang help hire install invite iron learn leave lock mail make
    meet mop move mow order organize organise pack paint pay phone pick plan plant play
    post practice practise prepare print read rebook record refill register remember renew
    rent repair replace reply research reserve return review ring run schedule scan see sell
    send set shop sign sort start study submit take talk tell test text tidy top train
    transfer update upload vacuum visit walk wash watch water wipe write wrap
    """.split()
)

# Irregular past tenses (and past participles) of common task verbs: "I paid the rent".
IRREGULAR_PAST = {
    "bought": "buy", "brought": "bring", "built": "build", "did": "do", "done": "do",
    "drank": "drink", "drew": "draw", "drove": "drive", "ate": "eat", "fed": "feed",
    "found": "find", "got": "get", "gave": "give", "given": "give", "went": "go",
    "gone": "go", "hung": "hang", "kept": "keep", "left": "leave", "made": "make",
    "met": "meet", "paid": "pay", "put": "put", "read": "read", "rang": "ring", "ran": "run",
    "saw": "see", "seen": "see", "sold": "sell", "sent": "send", "set": "set", "spoke": "speak",
    "took": "take", "taken": "take", "taught": "teach", "told": "tell", "thought": "think",
    "threw": "throw", "wrote": "write", "written": "write", "won": "win", "woke": "wake",
    "swept": "sweep", "spent": "spend", "sat": "sit", "hid": "hide", "rode": "ride",
    "came": "come", "cut": "cut", "caught": "catch", "fought": "fight", "forgot": "forget",
    "understood": "understand", "withdrew": "withdraw", "dealt": "deal", "chose": "choose",
}

THANKS = ("thanks", "thank you", "thank u", "thx", "ty", "cheers", "much appreciated", "appreciate it")

# Adverbs and interjections people put around commands, removed before parsing.
POLITE_PREFIXES = (
    "please", "pls", "plz", "kindly", "hey", "hi", "hello", "ok", "okay", "oh", "so", "and", "also",
    "now", "then", "yes", "yeah", "alright", "right", "actually", "oops", "whoops", "wait", "hmm",
    "um", "uh", "sorry", "well", "btw", "by the way", "quick one", "quickly",
    "can you", "could you", "would you", "will you", "can u", "could u",
    "would you mind", "i want you to", "i'd like you to", "i would like you to",
    "go ahead and", "help me", "assistant",
)
POLITE_SUFFIXES = ("please", "pls", "plz", "thanks", "thank you", "for me", "now", "thx")

# A hashtag, its word in group 1: "#home", "#follow-up"; not "#12" (a task id) nor "#1st".
# "\#" so that it reads the same inside re.VERBOSE patterns.
HASHTAG = r"\#(?=[\w-]*[^\W\d_])([\w][\w-]*)"

# Numbers in words: every reader builds its own range from these three ("twenty five",
# "forty-five" are a ten and a one).
ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
UP_TO_TWELVE = {**ONES, "ten": 10, "eleven": 11, "twelve": 12}  # the hours of a clock face

# Amounts: "a day", "two weeks", "a couple of days".
NUMBER_WORDS = {
    "a": 1, "an": 1, **UP_TO_TWELVE,
    "couple": 2, "a couple of": 2, "a few": 3, "few": 3,
}

# "Done" words: the states a finished task is said to be in ("x is done", "the completed
# ones"). Each reader takes the base and the few words its sentences add; a space in a word
# matches any run of spaces (``one_of``).
DONE_STATES = ("done", "completed", "finished")
# "x isn't done yet", "mark all done": the states and the bare "complete" ("x is complete").
DONE_OR_COMPLETE = (*DONE_STATES, "complete")
# Describing shown tasks and bulk groups ("the checked off one"): the states and the ticks.
DONE_DESCRIBED = (*DONE_STATES, "checked off", "checked", "ticked off", "ticked")
# A bulk group ("delete all closed tasks"): the descriptions and "closed".
DONE_BULK_GROUP = (*DONE_DESCRIBED, "closed")
# A question's status ("what have I accomplished?"): a tick only with "off" ("checked" alone
# is too often a verb: "which ones have I checked").
DONE_IN_QUERIES = (*DONE_OR_COMPLETE, "accomplished", "checked off", "ticked off", "crossed off", "closed")
# "mark x as sorted", "x has been taken care of": a sentence about one task takes looser words
# (and "checked"/"ticked" without "off").
DONE_SAID_OF_A_TASK = (
    *DONE_OR_COMPLETE, "checked", "ticked", "resolved", "closed", "handled", "sorted", "taken care of",
)

# Priority words. The levels are the data model's (models.PRIORITIES: low, medium, high);
# "priority", "prio", "pri" is the noun a level is said with ("high priority", "prio: low").
PRIORITY_LEVELS = PRIORITIES
PRIORITY_NOUN = r"(?:prio(?:rity)?|pri)"
# Adjectives that say a task matters, high priority: "urgent", "important stuff".
IMPORTANT_WORDS = ("urgent", "important", "critical")
# Describing a shown task ("the urgent one"): the levels and the two commonest adjectives.
PRIORITY_DESCRIBED = {**{level: level for level in PRIORITY_LEVELS}, "urgent": "high", "important": "high"}
# One word alone at the start or end of a new task ("file taxes, urgent"): the adjectives,
# with "urgently" and "crucial", then the levels (tried in this order).
PRIORITY_WORDS_ALONE = {
    "urgent": "high", "urgently": "high", "important": "high", "critical": "high", "crucial": "high",
    **{level: level for level in reversed(PRIORITY_LEVELS)},
}
# "P1"-style codes, Todoist's: p0/p1 high, p2 medium, p3/p4 low.
PRIORITY_CODES = {"p0": "high", "p1": "high", "p2": "medium", "p3": "low", "p4": "low"}
# The level an update names in one word ("make it top", "set it to p1"): the levels, their
# superlatives and synonyms, the adjectives, "asap" and the codes.
PRIORITY_BY_WORD = {
    **{word: "high" for word in ("high", "highest", "top", "max", *IMPORTANT_WORDS, "asap")},
    **{word: "medium" for word in ("medium", "normal", "mid", "average")},
    **{word: "low" for word in ("low", "lowest", "unimportant")},
    **PRIORITY_CODES,
}

_VOWELS = set("aeiou")


def base_verb(word: str) -> str | None:
    """The base form of a past tense or gerund of a known verb ("paid" -> "pay",
    "watering" -> "water", "calling" -> "call"), or None when unsure.

    Only known verbs are rewritten, so "need" or "bed" are never mangled into "ne"/"b".
    """
    lower = word.lower()
    if lower in IRREGULAR_PAST:
        return IRREGULAR_PAST[lower]
    for suffix in ("ing", "ied", "ed"):
        if not lower.endswith(suffix) or len(lower) <= len(suffix) + 1:
            continue
        stem = lower[: -len(suffix)]
        candidates = [stem + "y"] if suffix == "ied" else [stem, stem + "e"]
        if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            candidates.append(stem[:-1])  # "shopping" -> "shop", "planned" -> "plan"
        for candidate in candidates:
            if candidate in TASK_VERBS:
                return candidate
    return None


def is_past_tense_verb(word: str) -> bool:
    """True for "called", "paid", "bought": a word that reports something already done."""
    lower = word.lower()
    if lower in ("read", "put", "set", "cut"):  # same as the base form: ambiguous
        return False
    if lower in IRREGULAR_PAST:
        return True
    return lower.endswith("ed") and base_verb(lower) is not None


def starts_with_verb(text: str) -> bool:
    """Whether a phrase opens with a task verb: "call mom" yes, "eggs" no."""
    first = first_word(text)
    return first in TASK_VERBS or base_verb(first) is not None


def first_word(text: str) -> str:
    match = re.match(r"\s*([A-Za-z']+)", text)
    return match.group(1).lower() if match else ""


def number_value(token: str) -> int | None:
    """"3" -> 3, "three" -> 3, "a" -> 1; None for anything else."""
    token = token.lower().strip()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def one_of(words) -> str:
    """A regex group matching any of ``words``, longest first (so "twenty" is not read as
    "twenty" of "twenty five"), spaces inside a word matching any run of spaces."""
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) + ")"
