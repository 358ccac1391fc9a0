"""Sentences that change one task: rename, reschedule or postpone, set priority, tag and
untag, notes, clear the due date, set or stop a repeat — each to one update_task call.

Each rule below recognises its own sentence shapes; ``update_plan`` tries them in an order
where the more specific shape wins ("remove the due date from x" before anything that
could read "x" as a date, "change x to friday" — a date, so a reschedule — last).
"""

from __future__ import annotations

import re
from typing import Any

from todochat import recurrence

from . import dates, repeats, replies
from .lexicon import PRIORITY_BY_WORD, PRIORITY_NOUN, one_of
from .plan import Plan, Request
from .repeats import extract_recurrence
from .text import strip_connectors, words_back
from .update_dates import change_to_sentence, clear_due_sentence, reschedule_sentence

_RENAME = (
    re.compile(r"^(?:rename|retitle|re-name|re-title)\s+(?P<ref>.+?)\s+(?:to|as|into)\s+(?P<title>.+)$", re.I),
    re.compile(
        r"""
        ^(?:change|edit|update|set)\s+(?:the\s+)?(?:title|name|text|wording)\s+
        (?:of|for|on)\s+(?P<ref>.+?)\s+to\s+(?P<title>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        ^(?:change|edit|update|set)\s+(?P<ref>.+?)(?:'s|s')\s+
        (?:title|name|text|wording)\s+to\s+(?P<title>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(r"^(?P<ref>.+?)\s+should\s+(?:be\s+called|say|read)\s+(?P<title>.+)$", re.I),
)


# A list of tags: words (a "#" allowed before each) separated by spaces, one "," or "&",
# or "and" (a word like the others; _tag_words drops it). Written so that a list can be
# read only one way: a word is taken whole (``*+``), the separator in one piece — the
# former ``[\w][\w-]*(?:\s*(?:,|and|&)?\s*#?[\w][\w-]*)*`` could split a word or a gap
# in exponentially many ways, and tried them all before giving up: "untag call the bank
# about the loan today" (40 characters) took 22 s. At most _LIST_ITEMS words (more tags
# than a task may have), so each place a lazy reference could end costs a bounded look.
_LIST_ITEMS = 32
# "\#": a "#" these lists are read the same in re.VERBOSE patterns.
_TAG_LIST = rf"\#?[\w][\w-]*+(?:\s*+[,&]?+\s*+\#?[\w][\w-]*+){{0,{_LIST_ITEMS - 1}}}"
# A hashtag of digits only is a task's number ("remove #12 from my list"), not a tag.
_HASHTAG = r"\#(?![0-9]++(?![\w-]))[\w-]++"
_HASHTAG_LIST = rf"{_HASHTAG}(?:(?>\s*(?:,|and)?\s*){_HASHTAG}){{0,{_LIST_ITEMS - 1}}}"
_TAG_ADD = (
    re.compile(
        rf"""
        ^(?:tag|label)\s+(?P<ref>.+?)\s+(?:with|as|under|using)\s+(?:the\s+)?
        (?:tags?\s+|labels?\s+)?(?P<tags>{_TAG_LIST})(?:\s+tags?)?$
        """,
        re.I | re.X,
    ),
    re.compile(rf"^(?:tag|label)\s+(?P<ref>.+?)\s+(?P<tags>{_HASHTAG_LIST})$", re.I),
    re.compile(
        rf"""
        ^(?:add|put|attach|apply)\s+(?:the\s+|a\s+)?(?:tags?|labels?)\s+
        (?P<tags>{_TAG_LIST})\s+(?:to|on)\s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        ^(?:add|put|attach|apply)\s+(?:the\s+|a\s+)?(?P<tags>\#?[\w-]+)\s+(?:tag|label)
        \s+(?:to|on)\s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(rf"^(?:add|put|attach|apply)\s+(?P<tags>{_HASHTAG_LIST})\s+(?:to|on)\s+(?P<ref>.+)$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s+should\s+be\s+tagged\s+(?:as\s+|with\s+)?(?P<tags>{_TAG_LIST})$", re.I),
)
_TAG_REMOVE = (
    re.compile(rf"^(?:untag|unlabel)\s+(?P<tags>{_TAG_LIST})\s+from\s+(?P<ref>.+)$", re.I),
    re.compile(rf"^(?:untag|unlabel)\s+(?P<ref>.+?)\s+(?P<tags>{_HASHTAG_LIST})$", re.I),
    re.compile(
        rf"""
        ^(?:remove|delete|drop|take|clear|strip)\s+(?:the\s+)?(?:tags?|labels?)\s+
        (?P<tags>{_TAG_LIST})\s+(?:from|off|on)\s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        ^(?:remove|delete|drop|take|clear|strip)\s+(?:the\s+)?(?P<tags>\#?[\w-]+)\s+
        (?:tag|label)\s+(?:from|off|on)\s+(?P<ref>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(rf"^(?:remove|delete|drop|take)\s+(?P<tags>{_HASHTAG_LIST})\s+(?:from|off)\s+(?P<ref>.+)$", re.I),
)
_UNTAG_UNSPECIFIED = re.compile(r"^(?:untag|unlabel)\s+(?P<ref>.+)$", re.I)
_NOTE = (
    re.compile(
        r"""
        ^(?:add|put|attach|write|append)\s+(?:a\s+|the\s+)?(?:note|comment|description)
        \s+(?:to|on|for)\s+(?P<ref>.+?)\s*(?::|saying|that\s+says|-)\s*(?P<note>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        ^(?:set|change|update)\s+(?:the\s+)?(?:notes?|description)\s+(?:of|for|on)\s+
        (?P<ref>.+?)\s+to\s+(?P<note>.+)$
        """,
        re.I | re.X,
    ),
    re.compile(r"^(?:notes?|comment)\s+(?:for|on|to)\s+(?P<ref>.+?)\s*:\s*(?P<note>.+)$", re.I),
)


_RULE_WORDS = r"(?:daily|weekly|monthly|yearly|annual|weekday)"
_RULE_WORD_MEANS = {"annual": "yearly", "weekday": "weekdays"}
# "make X a weekly task": the adjective names the repeat (the repeat grammar leaves an
# adjective before a noun alone).
_RULE_WORD_TASK = re.compile(
    rf"""
    ^(?:make|set|turn)\s+(?P<ref>.+?)\s+(?:into\s+)?(?:an?\s+)?(?P<rule>{_RULE_WORDS})
    \s+(?:task|thing|habit|chore|event)$
    """,
    re.I | re.X,
)
_STOP_REPEAT = (
    re.compile(r"^(?:stop\s+repeating|don't\s+repeat|do\s+not\s+repeat|unrepeat|stop\s+recurring)\s+(?P<ref>.+)$", re.I),
    re.compile(
        r"""
        ^(?P<ref>.+?)\s+
        (?:should(?:n't|\s+not)\s+(?:repeat|recur)
            |(?:does(?:n't|\s+not)|no\s+longer|won't|will\s+not)\s+(?:repeat|recur)s?
            |(?:is(?:n't|\s+not)|is\s+no\s+longer)\s+(?:recurring|repeating))
        (?:\s+anymore)?$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        ^(?:make|set|turn)\s+(?P<ref>.+?)\s+(?:into\s+)?(?:a\s+)?
        (?:one[\s-]?(?:off|time)|non[\s-]?(?:recurring|repeating)
            |not\s+(?:recurring|repeating)|never\s+repeat|single|once)
        (?:\s+(?:task|thing|event))?$
        """,
        re.I | re.X,
    ),
    re.compile(
        r"""
        ^(?:remove|clear|delete|turn\s+off|stop|cancel)\s+(?:the\s+)?
        (?:recurrence|repeat|repetition|recurring|repeating)\s+(?:from|of|on|for)\s+
        (?P<ref>.+)$
        """,
        re.I | re.X,
    ),
)
_SET_REPEAT = (
    re.compile(r"^(?:make|set|turn|change)\s+(?P<rest>.+)$", re.I),
    re.compile(r"^(?:repeat|recur)\s+(?P<rest>.+)$", re.I),
    re.compile(r"^(?P<rest>.+?\s+(?:should|must|needs\s+to|has\s+to|will)?\s*(?:repeats?|recurs?|happens?)\s+.+)$", re.I),
)
_PRIORITY_LEVELS = PRIORITY_BY_WORD
_PRIORITY_LEVEL = (
    rf"(?P<level>{one_of(PRIORITY_BY_WORD)}|"
    r"not\s+(?:very\s+|that\s+)?(?:important|urgent)|no\s+rush|less\s+important|more\s+important)"
    rf"(?:[\s-]+{PRIORITY_NOUN})?\s*$"
)
_PRIORITY_FILLER = r"to|as|at|be|into|is|a|an|the|:"
_PRIORITY_TAIL = re.compile(rf"(?:^|\s+)(?:(?:{_PRIORITY_FILLER})\s+)*(?:(?:a|an)\s+)?{_PRIORITY_LEVEL}", re.I)
# _PRIORITY_TAIL.search, in two linear steps (``search`` entered every filler word of
# "change a to a to a ... " and read all the fillers after it: quadratic): the level at
# the end (at most five words: "not very important - priority"), then the filler words
# before it, one by one.
_LEVEL_AT_END = re.compile(rf"(?<!\S){_PRIORITY_LEVEL}", re.I)
_LEVEL_WORDS = 5
_FILLER_WORD = re.compile(_PRIORITY_FILLER, re.I)
_PRIORITY_REF_SCAFFOLDING = re.compile(
    r"""
    ^(?:the\s+)?(?:priority|prio|importance)\s+(?:of|for|on)\s+
    |(?:'s|s')\s+(?:priority|prio|importance)$
    |(?<!\s)\s+(?:priority|prio)$
    """,
    re.I | re.X,
)


def update_plan(request: Request) -> Plan | None:
    """The update_task call a sentence asks for, or None if it is not an update."""
    for rule in (_rename, _tags_update, _note_update, clear_due_sentence, _recurrence_update, _priority_update, reschedule_sentence, change_to_sentence):
        plan = rule(request)
        if plan is not None:
            return plan
    return None


def _update_call(words: str, request: Request, **changes: Any) -> Plan:
    return request.task_call("update_task", words, **changes)


def _rename(request: Request) -> Plan | None:
    for pattern in _RENAME:
        match = pattern.match(request.text)
        if match:
            title = match.group("title").strip(" \"'")
            return _update_call(match.group("ref"), request, title=title) if title else None
    return None


def _tags_update(request: Request) -> Plan | None:
    for pattern, key in [(p, "add_tags") for p in _TAG_ADD] + [(p, "remove_tags") for p in _TAG_REMOVE]:
        match = pattern.match(request.text)
        if match:
            return _update_call(match.group("ref"), request, **{key: _tag_words(match.group("tags"))})
    if _UNTAG_UNSPECIFIED.match(request.text):
        return Plan.say(replies.WHICH_TAG)
    match = re.match(r"^tag\s+(?P<ref>.+)\s+(?P<tag>[\w-]+)$", request.text, re.I)
    if match:  # "tag book flights travel": the last word is the tag
        return _update_call(match.group("ref"), request, add_tags=[match.group("tag").lower()])
    return None


def _tag_words(text: str) -> list[str]:
    words = re.split(r"[\s,&]+|\band\b", text)
    return [w.lstrip("#").lower() for w in words if w.strip("#") and w.lower() not in ("and", "tag", "tags")]


def _note_update(request: Request) -> Plan | None:
    for pattern in _NOTE:
        match = pattern.match(request.text)
        if match:
            return _update_call(match.group("ref"), request, notes=match.group("note").strip(" \"'"))
    return None


def _recurrence_update(request: Request) -> Plan | None:
    """ "stop repeating X"; "make the gym repeat every mon, wed and fri", "X should repeat
    every other week", "make X a weekly task": the rule (``repeats``), and the start said
    with it ("... starting dec 7") as the new due date."""
    for pattern in _STOP_REPEAT:
        match = pattern.match(request.text)
        if match:
            return _update_call(match.group("ref"), request, clear_recurrence=True)
    for pattern in _SET_REPEAT:
        match = pattern.match(request.text)
        if not match:
            continue
        repeat, rest = extract_recurrence(match.group("rest"), request.now)
        if repeat is None:
            if repeats.unread_from(match.group("rest"), request.now) is not None:
                return Plan.say(replies.WHICH_REPEAT)  # "repeat every few days": not a date either
            continue
        changes: dict[str, Any] = {"recurrence": repeat.rule}
        if repeat.start is not None:
            changes["due"] = dates.format_due(repeat.start)
        due = dates.find_due(rest, request.now)
        if due and due.end >= len(rest.rstrip()):
            changes["due"] = due.iso
            rest = rest[: due.start]
        for leftover in (r"(?:repeat|recur|happen)s?", r"(?:an?\s+)?(?:task|thing|habit|chore)", r"should|must|needs\s+to|has\s+to|will|to", r"an?|into"):
            rest = re.sub(rf"(?<!\s)\s+(?:{leftover})$", "", strip_connectors(rest), flags=re.I)
        return _update_call(rest, request, **changes)
    match = _RULE_WORD_TASK.match(request.text)
    if match:
        word = match.group("rule").lower()
        rule = recurrence.normalize(recurrence.LEGACY_WORDS[_RULE_WORD_MEANS.get(word, word)])
        return _update_call(match.group("ref"), request, recurrence=rule)
    return None


def _priority_update(request: Request) -> Plan | None:
    text = request.text
    match = re.match(r"^(?P<verb>prioriti[sz]e|deprioriti[sz]e|de-prioriti[sz]e)\s+(?P<ref>.+)$", text, re.I)
    if match:
        level = "high" if match.group("verb").lower().startswith("prior") else "low"
        return _update_call(match.group("ref"), request, priority=level)
    match = re.match(r"^(?P<verb>raise|increase|bump\s+up|lower|decrease|reduce|drop)\s+(?:the\s+)?(?:priority|importance)\s+(?:of|for|on)\s+(?P<ref>.+)$", text, re.I)
    if match:
        level = "high" if match.group("verb").lower() in ("raise", "increase", "bump up") else "low"
        return _update_call(match.group("ref"), request, priority=level)

    verb = re.match(r"^(?:make|mark|set|flag|change|switch|bump|put|move|turn|update|raise|lower)\s+", text, re.I)
    being = re.match(r"^(?P<ref>.+?)\s+(?:is|are|should\s+be|must\s+be|needs\s+to\s+be|'s)\s+(?:now\s+|actually\s+|really\s+|very\s+)?(?P<rest>.+)$", text, re.I)
    if verb:
        rest = text[verb.end() :]
    elif being and _PRIORITY_TAIL.fullmatch(" " + being.group("rest")):
        rest = text
    else:
        return None
    tail = _priority_tail(rest)
    if not tail:
        return None
    tail_start, level_words = tail
    level_words = " ".join(level_words.lower().split())
    level = _PRIORITY_LEVELS.get(level_words)
    if level is None:
        level = "high" if level_words == "more important" else "low"
    ref = rest[:tail_start]
    if not verb:
        ref = being.group("ref")
    ref = _PRIORITY_REF_SCAFFOLDING.sub("", strip_connectors(ref)).strip()
    return _update_call(ref, request, priority=level) if ref else None


def _priority_tail(text: str) -> tuple[int, str] | None:
    """Where ``_PRIORITY_TAIL.search(text)`` starts, and its level words."""
    match = _LEVEL_AT_END.search(text, words_back(text, 0, len(text), _LEVEL_WORDS))
    if match is None:
        return None
    start = match.start()
    while True:  # the filler words before the level ("to", "a", "the"...), each a whole word
        word_end = start
        while word_end > 0 and text[word_end - 1].isspace():
            word_end -= 1
        word_start = word_end
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
        if word_end == start or word_start == word_end or not _FILLER_WORD.fullmatch(text, word_start, word_end):
            break
        start = word_start
    while start > 0 and text[start - 1].isspace():  # and the spaces before the first word
        start -= 1
    return start, match.group("level")
