"""Filters in a question about tasks: "what high priority work is due this week?".

``query_filters`` returns the list_tasks / bulk_tasks filter arguments a sentence states.
Each filter is found and cut out in turn (tag, priority, due window, status), so what is
left can become a search term when the sentence asks to search ("find tasks about milk").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from . import dates
from .calendar_words import weekday_index
from .lexicon import DONE_IN_QUERIES, DONE_STATES, HASHTAG, IMPORTANT_WORDS, PRIORITY_LEVELS, number_value, one_of
from .slots import extract_priority
from .text import strip_connectors

# Named windows the list tool understands directly.
_DUE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("overdue", r"over\s*due|past\s+(?:due|deadline)|late|behind|missed|expired|slipped"),
    ("no_date", r"(?:with\s*out|with\s+no|no|have\s+no|has\s+no)\s+(?:an?\s+|any\s+)?(?:due\s+)?(?:date|deadline)s?|undated|unscheduled"),
    ("today", r"(?:for\s+|due\s+|on\s+)?(?:today|tonight|this\s+(?:morning|afternoon|evening))(?:'s)?"),
    ("tomorrow", r"(?:for\s+|due\s+|on\s+)?(?:tomorrow|tmrw?)(?:'s)?"),
    ("this_week", r"(?:for\s+|due\s+|during\s+|in\s+|later\s+)?this\s+week(?:'s)?|(?:for\s+)?the\s+rest\s+of\s+the\s+week"),
    ("next_week", r"(?:for\s+|due\s+|during\s+|in\s+)?next\s+week(?:'s)?"),
)
_DONE_WORDS = one_of(DONE_IN_QUERIES)
_NOT_DONE = re.compile(
    rf"""
    \b
    (?:not(?:\s+yet)?|n't(?:\s+yet)?|yet\s+to\s+be|to\s+(?:be|get)
        |need(?:s)?\s+to\s+be|un)
    \s*(?:{_DONE_WORDS})\b
    |\b
    (?:incomplete|unfinished|undone|open|pending|outstanding|remaining|left|still
        |active|to\s*-?\s*do|todo|not\s+done)
    \b
    """,
    re.I | re.X,
)
_DONE = re.compile(
    rf"""
    \b(?:{_DONE_WORDS})\b
    |\bdid\s+i\s+(?:do|finish|complete|get\s+done)\b
    |\bhave\s+i\s+(?:done|finished|completed)\b
    """,
    re.I | re.X,
)
_ALL = re.compile(
    rf"""
    \b
    (?:all|every(?:thing)?|both
        |including\s+(?:the\s+)?{one_of(DONE_STATES)}(?:\s+ones)?|whole|entire)
    \b
    """,
    re.I | re.X,
)

_TAG = re.compile(
    rf"""
    (?<![\w&]){HASHTAG}
    |\b(?:tagged|labell?ed|with\s+(?:the\s+)?(?:tag|label))\s+(?:as\s+|with\s+)?\#?
    ([\w][\w-]*)
    |\bwith\s+the\s+\#?([\w][\w-]*)\s+(?:tag|label)\b
    |\b(?:in|under)\s+(?:the\s+)?\#?([\w][\w-]*)\s+(?:tag|label|category|list|project)\b
    """,
    re.I | re.X,
)
# "show my work tasks": a word right before "tasks" that is no other filter is a tag.
_TAG_BEFORE_NOUN = re.compile(
    r"""
    \b
    (?:my|the|all|any|our|your|show|list|display|view|see|get|delete|remove|complete
        |clear|finish|close)
    \s+([a-z][\w-]*)\s+(?:tasks|todos|to-dos|items|stuff|things|chores)\b
    """,
    re.I | re.X,
)
_NOT_TAGS = frozenset(
    """my all the open pending done completed finished remaining overdue high low medium priority
    urgent important today's tomorrow's current recent outstanding new old active other unfinished
    incomplete these those any some your our every recurring repeating upcoming due late undated
    of many much which what whose are is were was have has my which no more few several next last
    this week's month's month daily weekly monthly yearly future past closed checked ticked
    """.split()
)
_SEARCH_MARKER = re.compile(
    r"""
    \b
    (?:about|containing|contains|contain|mentioning|mentions|mention|matching|match
        |related\s+to|regarding|called|named|titled|with\s+the\s+(?:word|words|text)
        |that\s+(?:say|says|mention|contain)s?
        |(?:tasks?|todos?|anything|something|items?)\s+(?:for|to))
    \s+(?P<term>.+)$
    """,
    re.I | re.X,
)
_SEARCH_VERB = re.compile(r"^(?:find|search(?:\s+for)?|look\s+(?:for|up)|lookup|locate|grep)\s+(?P<term>.+)$", re.I)
_SCAFFOLDING = re.compile(
    r"""
    \b
    (?:my|all|the|any|a|an|of|tasks?|todos?|to-dos?|items?|ones?|things?|stuff
        |in\s+(?:it|them|the\s+title|the\s+name)|on\s+my\s+list|i\s+have|do\s+i\s+have
        |is\s+there|are\s+there|anything|something|everything|list)
    \b
    """,
    re.I | re.X,
)


def query_filters(text: str, now: dt.datetime, *, default_status: str = "open") -> dict[str, Any]:
    """Filter arguments for list_tasks / bulk_tasks; keys with nothing said are left out,
    except ``status`` which is always set."""
    filters: dict[str, Any] = {}
    rest = text

    tag, rest = _take_tag(rest)
    if tag:
        filters["tag"] = tag

    priority, rest = extract_priority(rest)
    if priority is None:
        priority, rest = _take_bare_priority(rest)
    if priority:
        filters["priority"] = priority

    window, rest = _take_due_window(rest, now)
    filters.update(window)

    filters["status"] = _status(rest, default_status, filtered=len(filters) > 0)
    if "due" in filters and filters["due"] == "overdue" and filters["status"] == "done":
        filters["status"] = "open"  # nothing done is overdue

    term = search_term(rest)
    if term:
        filters["search"] = term
    return filters


def search_term(text: str) -> str | None:
    """What to search titles for, when the sentence asks to search; else None."""
    match = _SEARCH_MARKER.search(text) or _SEARCH_VERB.match(text)
    if not match:
        return None
    term = _SCAFFOLDING.sub(" ", match.group("term"))
    term = strip_connectors(" ".join(term.split())).strip(" \"'")
    term = re.sub(r"^(?:(?:for|about|with|to)\s+)+", "", term, flags=re.I)
    return term or None


def _take_tag(text: str) -> tuple[str | None, str]:
    match = _TAG.search(text)
    if match:
        tag = next(group for group in match.groups() if group)
        return tag.lower(), (text[: match.start()] + " " + text[match.end() :]).strip()
    for match in _TAG_BEFORE_NOUN.finditer(text):
        word = match.group(1).lower()
        if word not in _NOT_TAGS and not _is_filter_word(word):
            return word, (text[: match.start(1)] + text[match.end(1) :]).strip()
    return None, text


def _is_filter_word(word: str) -> bool:
    return bool(_NOT_DONE.fullmatch(word) or _DONE.fullmatch(word) or weekday_index(word) is not None)


def _take_bare_priority(text: str) -> tuple[str | None, str]:
    """"urgent tasks", "important stuff", "high priority" mid-sentence: in a question these
    can only be filters."""
    match = re.search(rf"\b{one_of((*IMPORTANT_WORDS, 'high'))}\b(?:[\s-]+prio(?:rity)?)?", text, re.I)
    if match:
        return "high", (text[: match.start()] + text[match.end() :]).strip()
    match = re.search(rf"\b{one_of(level for level in PRIORITY_LEVELS if level != 'high')}\b(?:[\s-]+prio(?:rity)?)?", text, re.I)
    if match:
        return match.group(0).split()[0].lower(), (text[: match.start()] + text[match.end() :]).strip()
    return None, text


def _take_due_window(text: str, now: dt.datetime) -> tuple[dict[str, Any], str]:
    today = now.date()
    for name, pattern in _DUE_KEYWORDS:
        match = re.search(rf"\b(?:{pattern})\b", text, re.I)
        if match:
            return {"due": name}, _without(text, match)

    match = re.search(r"\b(?:in\s+the\s+|within\s+the\s+|over\s+the\s+|for\s+the\s+)?(?:next|coming|following)\s+(\w+)\s+days\b", text, re.I)
    if match and number_value(match.group(1)):
        end = today + dt.timedelta(days=number_value(match.group(1)))
        return {"due_from": today.isoformat(), "due_to": end.isoformat()}, _without(text, match)

    match = re.search(r"\b(this|next)\s+(month|weekend)\b", text, re.I)
    if match:
        start, end = _named_range(match.group(1).lower(), match.group(2).lower(), today)
        return {"due_from": start.isoformat(), "due_to": end.isoformat()}, _without(text, match)

    span = dates.find_due(text, now)
    if span is None:
        return {}, text
    day = span.value.date() if isinstance(span.value, dt.datetime) else span.value
    lead = text[span.start : span.end].split()[0].lower()
    before = re.search(r"\bbefore\s*$", text[: span.start], re.I) or lead == "before"
    after = re.search(r"\b(?P<word>after|since|from|starting)\s*$", text[: span.start], re.I)
    after_word = after.group("word").lower() if after else lead
    rest = (text[: span.start] + " " + text[span.end :]).strip()
    if before:
        return {"due_to": _day_step(day, -1).isoformat()}, rest
    if lead in ("by", "until", "till"):
        return {"due_to": day.isoformat()}, rest
    if after_word in ("after", "from", "since", "starting"):
        return {"due_from": _day_step(day, 1 if after_word == "after" else 0).isoformat()}, rest
    return {"due_from": day.isoformat(), "due_to": day.isoformat()}, rest


def _day_step(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, stopping at the calendar's ends ("before 0001-01-01")."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


def _named_range(which: str, period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if period == "month":
        first = today.replace(day=1)
        if which == "next":
            first = (first + dt.timedelta(days=32)).replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return (today if which == "this" else first), last
    saturday = today + dt.timedelta(days=5 - today.weekday()) if today.weekday() < 5 else today - dt.timedelta(days=today.weekday() - 5)
    if which == "next":
        saturday += dt.timedelta(weeks=1)
    return max(saturday, today), saturday + dt.timedelta(days=1)


def _status(text: str, default: str, *, filtered: bool) -> str:
    if _NOT_DONE.search(text):
        return "open"
    if _DONE.search(text):
        return "done"
    if _ALL.search(text) and not filtered:
        return "all"
    return default


def _without(text: str, match: re.Match) -> str:
    return (text[: match.start()] + " " + text[match.end() :]).strip()
