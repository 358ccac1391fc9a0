"""Natural language -> what to do: tool calls for the task tools, or a plain reply.

``parse_command(text, now)`` is a pure function. The message is cleaned (text.py), then
intent rules are tried in order; each rule is a small function that recognises its
sentence shapes by their verbs and returns a Plan or None:

    small talk -> bulk -> update -> reopen -> complete -> delete -> list -> add
    -> a bare task ("buy milk tomorrow") -> off-topic

The order matters where verbs overlap: "remove tag x from y" is an update before it is a
delete, "mark x as not done" a reopen before a completion, "don't forget to x" an add
although it contains "forget x". Slots (dates, priority, tags, recurrence) come from
dates.py / slots.py / queries.py; the title or reference is what is left.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import dates, replies
from .adds import parse_tasks
from .lexicon import TASK_VERBS, THANKS, base_verb, first_word, is_past_tense_verb
from .queries import query_filters, search_term
from .slots import extract_priority, extract_recurrence, extract_tags
from .text import Message, clean_message, clean_reference, strip_connectors


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What the model does with one user message: call tools, or just say something."""

    calls: tuple[ToolCall, ...] = ()
    reply: str | None = None

    @classmethod
    def call(cls, name: str, **arguments: Any) -> Plan:
        return cls(calls=(ToolCall(name, arguments),))

    @classmethod
    def say(cls, text: str) -> Plan:
        return cls(reply=text)


@dataclass(frozen=True)
class _Context:
    message: Message
    now: dt.datetime
    quoted: str | None = None

    @property
    def text(self) -> str:
        return self.message.text


def parse_command(text: str, now: dt.datetime, *, quoted: str | None = None) -> Plan:
    """What to do about one user message, ``now`` being the user's local time.

    ``quoted`` is text the user pointed at in the UI (ChatKit's quoted text); it stands in
    for "this"/"it" when the message names no task ("mark this as done").
    """
    message = clean_message(text)
    ctx = _Context(message, now, quoted)
    if not message.text:
        return Plan.say(replies.GREETING if message.greeted else replies.HELP)
    for rule in _RULES:
        plan = rule(ctx)
        if plan is not None:
            return plan
    asks_assistant = message.is_question or _is_request_to_assistant(message.text)
    return Plan.say(replies.OFF_TOPIC if asks_assistant else replies.NOT_UNDERSTOOD)


# ---------------------------------------------------------------- small talk

_HELP = re.compile(
    r"^(?:help|\?+|commands|menu|usage|how\s+(?:does\s+(?:this|it)\s+work|do\s+i\s+use\s+(?:this|you|it))|"
    r"what\s+(?:can|do|could)\s+(?:you|i)\s+(?:do|say|ask)(?:\s+(?:here|for\s+me|with\s+you))?|who\s+are\s+you|"
    r"what\s+are\s+you|what\s+is\s+this|how\s+can\s+you\s+help(?:\s+me)?|what\s+are\s+your\s+(?:features|commands|skills)|"
    r"what\s+do\s+you\s+(?:support|understand|know))$",
    re.I,
)
_HOW_ARE_YOU = re.compile(r"^(?:how\s+are\s+you(?:\s+doing)?(?:\s+today)?|how's\s+it\s+going|what's\s+up|sup|how\s+do\s+you\s+do)$", re.I)
_BYE = re.compile(r"^(?:bye|goodbye|good\s*night|see\s+(?:you|ya)(?:\s+later)?|later|cya|that's\s+all|that\s+is\s+all|i'm\s+done|nothing\s+else)$", re.I)
_ACK = re.compile(r"^(?:ok(?:ay)?|k|cool|great|nice|perfect|awesome|got\s+it|sounds\s+good|alright|sure|fine|good|no|nope|yes|yep|yeah|excellent|wonderful|lovely)$", re.I)


def _small_talk(ctx: _Context) -> Plan | None:
    text = ctx.message.plain.lower()
    if _HELP.match(text):
        return Plan.say(replies.HELP)
    if any(re.fullmatch(rf"(?:(?:ok|okay|great|awesome|perfect|cool|nice)[\s,!]*)?{re.escape(t)}(?:\s+(?:so\s+much|a\s+lot|very\s+much|again))?", text) for t in THANKS):
        return Plan.say(replies.THANKS)
    if _HOW_ARE_YOU.match(text):
        return Plan.say(replies.HOW_ARE_YOU)
    if _BYE.match(text):
        return Plan.say(replies.BYE)
    if _ACK.match(text):
        return Plan.say(replies.ACK)
    return None


# ---------------------------------------------------------------- bulk

_BULK_VERB = r"(?P<verb>delete|remove|clear(?:\s+out)?|clean\s+up|purge|erase|get\s+rid\s+of|wipe(?:\s+out)?|trash|drop|" \
    r"complete|finish|close|mark|check\s+off|tick\s+off|cross\s+off)"
_BULK_QUANTIFIER = re.compile(r"\b(?:all|every(?:thing)?|each|the\s+whole\s+list)\b", re.I)
_BULK_DONE_GROUP = re.compile(
    r"^(?:the\s+|my\s+)?(?:old\s+)?(?:completed|finished|done|checked(?:\s+off)?|ticked(?:\s+off)?|closed)(?:\s+(?:tasks|todos|to-dos|items|ones|stuff))?(?:\s+(?:from|off)\s+(?:my|the)\s+list)?$",
    re.I,
)


def _bulk(ctx: _Context) -> Plan | None:
    match = re.match(rf"^{_BULK_VERB}\s+(?P<rest>.+)$", ctx.text, re.I)
    if not match:
        return None
    verb, rest = match.group("verb").lower(), match.group("rest")
    completes = verb in ("complete", "finish", "close", "mark", "check off", "tick off", "cross off")
    if completes:
        done_tail = re.search(r"\s+(?:as\s+)?(?:done|complete(?:d)?|finished)(?:\s+off)?$", rest, re.I)
        if verb == "mark" and not done_tail:
            return None
        rest = rest[: done_tail.start()] if done_tail else rest
        if not _BULK_QUANTIFIER.search(rest):
            return None
        filters = query_filters(_BULK_QUANTIFIER.sub(" ", rest), ctx.now, default_status="open")
        filters["status"] = "open"
        return Plan.call("bulk_tasks", action="complete", **filters)
    if _BULK_DONE_GROUP.match(rest):
        return Plan.call("bulk_tasks", action="delete", status="done")
    if not _BULK_QUANTIFIER.search(rest):
        return None
    filters = query_filters(_BULK_QUANTIFIER.sub(" ", rest), ctx.now, default_status="all")
    return Plan.call("bulk_tasks", action="delete", **filters)


# ---------------------------------------------------------------- update

_RENAME = (
    re.compile(r"^(?:rename|retitle|re-name|re-title)\s+(?P<ref>.+?)\s+(?:to|as|into)\s+(?P<title>.+)$", re.I),
    re.compile(r"^(?:change|edit|update|set)\s+(?:the\s+)?(?:title|name|text|wording)\s+(?:of|for|on)\s+(?P<ref>.+?)\s+to\s+(?P<title>.+)$", re.I),
    re.compile(r"^(?:change|edit|update|set)\s+(?P<ref>.+?)(?:'s|s')\s+(?:title|name|text|wording)\s+to\s+(?P<title>.+)$", re.I),
    re.compile(r"^(?P<ref>.+?)\s+should\s+(?:be\s+called|say|read)\s+(?P<title>.+)$", re.I),
)
_CHANGE_TO = re.compile(r"^(?:change|edit|update|switch|turn)\s+(?P<ref>.+?)\s+(?:to|into)\s+(?P<value>.+)$", re.I)
_TAG_LIST = r"#?[\w][\w-]*(?:\s*(?:,|and|&)?\s*#?[\w][\w-]*)*"
_TAG_ADD = (
    re.compile(rf"^(?:tag|label)\s+(?P<ref>.+?)\s+(?:with|as|under|using)\s+(?:the\s+)?(?:tags?\s+|labels?\s+)?(?P<tags>{_TAG_LIST})(?:\s+tags?)?$", re.I),
    re.compile(r"^(?:tag|label)\s+(?P<ref>.+?)\s+(?P<tags>#[\w-]+(?:\s*(?:,|and)?\s*#[\w-]+)*)$", re.I),
    re.compile(rf"^(?:add|put|attach|apply)\s+(?:the\s+|a\s+)?(?:tags?|labels?)\s+(?P<tags>{_TAG_LIST})\s+(?:to|on)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:add|put|attach|apply)\s+(?:the\s+|a\s+)?(?P<tags>#?[\w-]+)\s+(?:tag|label)\s+(?:to|on)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:add|put|attach|apply)\s+(?P<tags>#[\w-]+(?:\s*(?:,|and)?\s*#[\w-]+)*)\s+(?:to|on)\s+(?P<ref>.+)$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s+should\s+be\s+tagged\s+(?:as\s+|with\s+)?(?P<tags>{_TAG_LIST})$", re.I),
)
_TAG_REMOVE = (
    re.compile(rf"^(?:untag|unlabel)\s+(?P<tags>{_TAG_LIST})\s+from\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:untag|unlabel)\s+(?P<ref>.+?)\s+(?P<tags>#[\w-]+(?:\s*(?:,|and)?\s*#[\w-]+)*)$", re.I),
    re.compile(rf"^(?:remove|delete|drop|take|clear|strip)\s+(?:the\s+)?(?:tags?|labels?)\s+(?P<tags>{_TAG_LIST})\s+(?:from|off|on)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:remove|delete|drop|take|clear|strip)\s+(?:the\s+)?(?P<tags>#?[\w-]+)\s+(?:tag|label)\s+(?:from|off|on)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:remove|delete|drop|take)\s+(?P<tags>#[\w-]+(?:\s*(?:,|and)?\s*#[\w-]+)*)\s+(?:from|off)\s+(?P<ref>.+)$", re.I),
)
_UNTAG_UNSPECIFIED = re.compile(r"^(?:untag|unlabel)\s+(?P<ref>.+)$", re.I)
_NOTE = (
    re.compile(r"^(?:add|put|attach|write|append)\s+(?:a\s+|the\s+)?(?:note|comment|description)\s+(?:to|on|for)\s+(?P<ref>.+?)\s*(?::|saying|that\s+says|-)\s*(?P<note>.+)$", re.I),
    re.compile(r"^(?:set|change|update)\s+(?:the\s+)?(?:notes?|description)\s+(?:of|for|on)\s+(?P<ref>.+?)\s+to\s+(?P<note>.+)$", re.I),
    re.compile(r"^(?:notes?|comment)\s+(?:for|on|to)\s+(?P<ref>.+?)\s*:\s*(?P<note>.+)$", re.I),
)
_DUE_WORD = r"(?:due\s+date|deadline|due|date|reminder|schedule)"
_CLEAR_DUE = (
    re.compile(rf"^(?:remove|clear|delete|drop|take|unset|get\s+rid\s+of|wipe)\s+(?:off\s+)?(?:the\s+)?{_DUE_WORD}\s+(?:from|of|on|for|off)\s+(?P<ref>.+)$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s+(?:has|have|has\s+got|needs|should\s+have|gets)\s+no\s+(?:more\s+)?{_DUE_WORD}(?:\s+anymore)?$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s+(?:doesn't|does\s+not|don't|no\s+longer)\s+(?:have|has|need|needs)\s+(?:a\s+|any\s+)?{_DUE_WORD}(?:\s+anymore)?$", re.I),
    re.compile(r"^(?P<ref>.+?)\s+(?:is\s+not|isn't|is\s+no\s+longer)\s+due(?:\s+anymore)?$", re.I),
    re.compile(rf"^(?:no\s+{_DUE_WORD}\s+(?:for|on)|unschedule|undate)\s+(?P<ref>.+)$", re.I),
    re.compile(rf"^(?:make|set|leave)\s+(?P<ref>.+?)\s+(?:undated|unscheduled|without\s+(?:a\s+)?{_DUE_WORD}|with\s+no\s+{_DUE_WORD})$", re.I),
)
_RULE_WORDS = r"(?:daily|weekly|monthly|yearly|annual|weekday)"
_STOP_REPEAT = (
    re.compile(r"^(?:stop\s+repeating|don't\s+repeat|do\s+not\s+repeat|unrepeat|stop\s+recurring)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?P<ref>.+?)\s+(?:should(?:n't|\s+not)\s+(?:repeat|recur)|(?:does(?:n't|\s+not)|no\s+longer|won't|will\s+not)\s+(?:repeat|recur)s?|(?:is(?:n't|\s+not)|is\s+no\s+longer)\s+(?:recurring|repeating))(?:\s+anymore)?$", re.I),
    re.compile(r"^(?:make|set|turn)\s+(?P<ref>.+?)\s+(?:into\s+)?(?:a\s+)?(?:one[\s-]?(?:off|time)|non[\s-]?(?:recurring|repeating)|not\s+(?:recurring|repeating)|never\s+repeat|single|once)(?:\s+(?:task|thing|event))?$", re.I),
    re.compile(r"^(?:remove|clear|delete|turn\s+off|stop|cancel)\s+(?:the\s+)?(?:recurrence|repeat|repetition|recurring|repeating)\s+(?:from|of|on|for)\s+(?P<ref>.+)$", re.I),
)
_SET_REPEAT = (
    re.compile(r"^(?:make|set|turn|change)\s+(?P<rest>.+)$", re.I),
    re.compile(r"^(?:repeat|recur)\s+(?P<rest>.+)$", re.I),
    re.compile(r"^(?P<rest>.+?\s+(?:should|must|needs\s+to|has\s+to|will)?\s*(?:repeats?|recurs?|happens?)\s+.+)$", re.I),
)
_PRIORITY_LEVELS = {
    "high": "high", "top": "high", "highest": "high", "max": "high", "urgent": "high", "important": "high",
    "critical": "high", "asap": "high", "p1": "high", "p0": "high", "medium": "medium", "normal": "medium",
    "mid": "medium", "average": "medium", "p2": "medium", "low": "low", "lowest": "low", "unimportant": "low",
    "p3": "low", "p4": "low",
}
_PRIORITY_TAIL = re.compile(
    r"(?:^|\s+)(?:(?:to|as|at|be|into|is|a|an|the|:)\s+)*(?:(?:a|an)\s+)?"
    r"(?P<level>high(?:est)?|top|max|urgent|important|critical|asap|p[0-4]|medium|normal|mid|average|low(?:est)?|unimportant|"
    r"not\s+(?:very\s+|that\s+)?(?:important|urgent)|no\s+rush|less\s+important|more\s+important)"
    r"(?:[\s-]+(?:priority|prio|pri))?\s*$",
    re.I,
)
_PRIORITY_REF_SCAFFOLDING = re.compile(
    r"^(?:the\s+)?(?:priority|prio|importance)\s+(?:of|for|on)\s+|(?:'s|s')\s+(?:priority|prio|importance)$|\s+(?:priority|prio)$", re.I
)
_RESCHEDULE_VERB = re.compile(
    r"^(?:move|reschedule|re-schedule|push(?:\s+back)?|postpone|delay|defer|shift|bump|put\s+off|put\s+back|"
    r"change|set|make|update|snooze|schedule)\s+(?P<rest>.+)$",
    re.I,
)
_POSTPONE_VERB = re.compile(r"^(?:postpone|delay|defer|push\s+back|put\s+off|snooze)\s+(?P<ref>.+)$", re.I)
_DUE_REF_SCAFFOLDING = re.compile(
    rf"^(?:the\s+)?{_DUE_WORD}\s+(?:of|for|on)\s+|(?:'s|s')\s+{_DUE_WORD}$|\s+(?:due|due\s+date|deadline)$", re.I
)
_IS_DUE = re.compile(r"^(?P<ref>.+?)\s+(?:is|'s|should\s+be|must\s+be|needs\s+to\s+be|has\s+to\s+be)\s+(?:now\s+|actually\s+)?(?:due|done|finished|ready|completed)\s+(?P<when>.+)$", re.I)


def _update(ctx: _Context) -> Plan | None:
    for rule in (_rename, _tags_update, _note_update, _clear_due, _recurrence_update, _priority_update, _reschedule, _change_to):
        plan = rule(ctx)
        if plan is not None:
            return plan
    return None


def _update_call(ref: str, ctx: _Context, **changes: Any) -> Plan:
    reference = _reference(ref, ctx)
    if not reference:
        return Plan.say(replies.WHICH_TASK)
    return Plan.call("update_task", reference=reference, **changes)


def _rename(ctx: _Context) -> Plan | None:
    for pattern in _RENAME:
        match = pattern.match(ctx.text)
        if match:
            title = match.group("title").strip(" \"'")
            return _update_call(match.group("ref"), ctx, title=title) if title else None
    return None


def _tags_update(ctx: _Context) -> Plan | None:
    for pattern, key in [(p, "add_tags") for p in _TAG_ADD] + [(p, "remove_tags") for p in _TAG_REMOVE]:
        match = pattern.match(ctx.text)
        if match:
            return _update_call(match.group("ref"), ctx, **{key: _tag_words(match.group("tags"))})
    if _UNTAG_UNSPECIFIED.match(ctx.text):
        return Plan.say(replies.WHICH_TAG)
    match = re.match(r"^tag\s+(?P<ref>.+)\s+(?P<tag>[\w-]+)$", ctx.text, re.I)
    if match:  # "tag book flights travel": the last word is the tag
        return _update_call(match.group("ref"), ctx, add_tags=[match.group("tag").lower()])
    return None


def _tag_words(text: str) -> list[str]:
    words = re.split(r"[\s,&]+|\band\b", text)
    return [w.lstrip("#").lower() for w in words if w.strip("#") and w.lower() not in ("and", "tag", "tags")]


def _note_update(ctx: _Context) -> Plan | None:
    for pattern in _NOTE:
        match = pattern.match(ctx.text)
        if match:
            return _update_call(match.group("ref"), ctx, notes=match.group("note").strip(" \"'"))
    return None


def _clear_due(ctx: _Context) -> Plan | None:
    for pattern in _CLEAR_DUE:
        match = pattern.match(ctx.text)
        if match:
            return _update_call(match.group("ref"), ctx, clear_due=True)
    return None


def _recurrence_update(ctx: _Context) -> Plan | None:
    for pattern in _STOP_REPEAT:
        match = pattern.match(ctx.text)
        if match:
            return _update_call(match.group("ref"), ctx, clear_recurrence=True)
    for pattern in _SET_REPEAT:
        match = pattern.match(ctx.text)
        if not match:
            continue
        recurrence, rest = extract_recurrence(match.group("rest"))
        if recurrence is None:
            continue
        changes: dict[str, Any] = {"recurrence": recurrence.rule}
        due = dates.find_due(rest, ctx.now)
        if due and due.end >= len(rest.rstrip()):
            changes["due"] = due.iso
            rest = rest[: due.start]
        rest = re.sub(r"\s+(?:(?:should|must|needs\s+to|has\s+to|will|to)\s+)?(?:repeat|recur|happen)s?$|\s+(?:an?\s+)?(?:task|thing|habit|chore)$", "", rest.strip(), flags=re.I)
        rest = re.sub(r"\s+(?:an?|into)$", "", strip_connectors(rest), flags=re.I)
        return _update_call(rest, ctx, **changes)
    match = re.match(rf"^(?:make|set|turn)\s+(?P<ref>.+?)\s+(?:into\s+)?(?:an?\s+)?(?P<rule>{_RULE_WORDS})\s+(?:task|thing|habit|chore|event)$", ctx.text, re.I)
    if match:
        rule = {"annual": "yearly", "weekday": "weekdays"}.get(match.group("rule").lower(), match.group("rule").lower())
        return _update_call(match.group("ref"), ctx, recurrence=rule)
    return None


def _priority_update(ctx: _Context) -> Plan | None:
    text = ctx.text
    match = re.match(r"^(?P<verb>prioriti[sz]e|deprioriti[sz]e|de-prioriti[sz]e)\s+(?P<ref>.+)$", text, re.I)
    if match:
        level = "high" if match.group("verb").lower().startswith("prior") else "low"
        return _update_call(match.group("ref"), ctx, priority=level)
    match = re.match(r"^(?P<verb>raise|increase|bump\s+up|lower|decrease|reduce|drop)\s+(?:the\s+)?(?:priority|importance)\s+(?:of|for|on)\s+(?P<ref>.+)$", text, re.I)
    if match:
        level = "high" if match.group("verb").lower() in ("raise", "increase", "bump up") else "low"
        return _update_call(match.group("ref"), ctx, priority=level)

    verb = re.match(r"^(?:make|mark|set|flag|change|switch|bump|put|move|turn|update|raise|lower)\s+", text, re.I)
    being = re.match(r"^(?P<ref>.+?)\s+(?:is|are|should\s+be|must\s+be|needs\s+to\s+be|'s)\s+(?:now\s+|actually\s+|really\s+|very\s+)?(?P<rest>.+)$", text, re.I)
    if verb:
        rest = text[verb.end() :]
    elif being and _PRIORITY_TAIL.fullmatch(" " + being.group("rest")):
        rest = text
    else:
        return None
    tail = _PRIORITY_TAIL.search(rest)
    if not tail:
        return None
    level_words = " ".join(tail.group("level").lower().split())
    level = _PRIORITY_LEVELS.get(level_words)
    if level is None:
        level = "high" if level_words == "more important" else "low"
    ref = rest[: tail.start()]
    if not verb:
        ref = being.group("ref")
    ref = _PRIORITY_REF_SCAFFOLDING.sub("", strip_connectors(ref)).strip()
    return _update_call(ref, ctx, priority=level) if ref else None


def _reschedule(ctx: _Context) -> Plan | None:
    match = _IS_DUE.match(ctx.text)
    if match:
        due = dates.resolve(match.group("when"), ctx.now)
        if due is not None:
            return _update_call(match.group("ref"), ctx, due=dates.format_due(due))
    match = _RESCHEDULE_VERB.match(ctx.text)
    if not match:
        return None
    rest = match.group("rest")
    shift = dates.find_trailing_shift(rest, ctx.now)
    if shift is not None:
        start, day = shift
        return _update_call(_due_reference(rest[:start]), ctx, due=day.isoformat())
    due = dates.find_due(rest, ctx.now)
    if due and not rest[due.end :].strip(" .,!"):
        ref = _due_reference(rest[: due.start])
        if ref:
            return _update_call(ref, ctx, due=due.iso)
    postpone = _POSTPONE_VERB.match(ctx.text)
    if postpone:  # "postpone X" with no date: to tomorrow
        return _update_call(_due_reference(postpone.group("ref")), ctx, due=(ctx.now.date() + dt.timedelta(days=1)).isoformat())
    return None


def _due_reference(text: str) -> str:
    ref = strip_connectors(text)
    ref = re.sub(r"\s+(?:to|until|till|'til|for|back|out|forward|over|off)$", "", ref, flags=re.I)
    return _DUE_REF_SCAFFOLDING.sub("", ref).strip()


def _change_to(ctx: _Context) -> Plan | None:
    """"change X to Y": Y decides — a date reschedules, anything else renames."""
    match = _CHANGE_TO.match(ctx.text)
    if not match:
        return None
    value = match.group("value").strip(" \"'")
    due = dates.resolve(value, ctx.now)
    if due is not None:
        return _update_call(match.group("ref"), ctx, due=dates.format_due(due))
    return _update_call(match.group("ref"), ctx, title=value)


# ---------------------------------------------------------------- reopen / complete / delete

_DONE_WORD = r"(?:done|complete|completed|finished|checked|ticked|resolved|closed|handled|sorted|taken\s+care\s+of)"
_REOPEN = (
    re.compile(r"^(?:reopen|re-open|unmark|uncheck|untick|uncomplete|un-complete|unfinish|undo|undelete|restore|revive|resurrect|unarchive)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:mark|set|put)\s+(?P<ref>.+?)\s+(?:as\s+|back\s+(?:to|as)\s+)?(?:not\s+(?:yet\s+)?done|undone|not\s+complete(?:d)?|incomplete|unfinished|not\s+finished|open|pending|to\s*-?\s*do|active|unchecked|uncompleted|outstanding)(?:\s+again)?$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s+(?:is\s+not|isn't|isnt|was\s+not|wasn't|wasnt|'s\s+not|hasn't\s+been|has\s+not\s+been|is\s+no\s+longer|aren't|are\s+not)\s+(?:actually\s+|really\s+|quite\s+)?{_DONE_WORD}(?:\s+yet)?(?:\s+after\s+all)?$", re.I),
    re.compile(r"^(?P<ref>.+?)\s+(?:is\s+still\s+(?:open|pending|to\s+do|not\s+done)|still\s+needs\s+(?:to\s+be\s+)?(?:done|doing|finishing))$", re.I),
    re.compile(r"^(?:i\s+)?(?:didn't|did\s+not|didnt|haven't|have\s+not|havent|never)\s+(?:actually\s+|really\s+|yet\s+)?(?:(?:finish|complete|do|finished|completed|done)\s+)?(?P<ref>.+?)(?:\s+yet)?(?:\s+after\s+all)?$", re.I),
)
_COMPLETE = (
    re.compile(rf"^(?:mark|set|put)\s+(?P<ref>.+?)\s+(?:as\s+)?{_DONE_WORD}$", re.I),
    re.compile(r"^(?:mark|check|tick|cross|strike)\s+off\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:mark|check|tick|cross|strike)\s+(?P<ref>.+?)\s+off(?:\s+(?:my|the)\s+list)?$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s+(?:is|are|was|were|has\s+been|have\s+been|'s|got)\s+(?:now\s+|all\s+|finally\s+|already\s+)?{_DONE_WORD}$", re.I),
    re.compile(r"^(?:i(?:'m|\s+am)\s+)?(?:all\s+)?(?:done|finished|through)\s+with\s+(?P<ref>.+)$", re.I, ),
    re.compile(r"^(?:i\s+(?:just\s+|already\s+|finally\s+)?|i've\s+(?:just\s+|already\s+|finally\s+)?|i\s+have\s+(?:just\s+|already\s+|finally\s+)?|just\s+|already\s+|finally\s+)?(?:finished|completed|done|did|accomplished)\s+(?P<gerund_ref>.+)$", re.I),
    re.compile(r"^(?:done|finished|completed|complete|check|tick|✓|✔)\s*[:\-]\s*(?P<ref>.+)$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s*[:\-]?\s+{_DONE_WORD}$|^(?P<ref2>.+?)\s*(?:✓|✔|✅)$", re.I),
)
# Imperatives that complete: "complete walk the dog". With a date they are new tasks
# instead ("finish the report by friday"), handled by the bare-task rule.
_COMPLETE_IMPERATIVE = re.compile(r"^(?:complete|finish|close|resolve|tick)\s+(?P<ref>.+)$", re.I)
_PAST_TENSE = re.compile(
    r"^(?:(?:i|we)\s+(?:just\s+|already\s+|finally\s+|have\s+|'ve\s+)?|i've\s+|we've\s+|just\s+|already\s+|finally\s+)?(?P<verb>[a-z]+)(?:\s+(?P<object>.+))?$",
    re.I,
)
_DELETE = (
    re.compile(r"^(?:delete|remove|erase|del|trash|discard|scrap|ditch|drop|cancel|nix|axe|bin|scratch|kill|dump)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:get\s+rid\s+of|forget\s+about|forget|never\s*mind(?:\s+about)?|throw\s+(?:away|out)|take\s+off|wipe\s+out|cross\s+out|rm)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:take|get)\s+(?P<ref>.+?)\s+off\s+(?:of\s+)?(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?(?:list|tasks)$", re.I),
    re.compile(r"^(?P<ref>.+?)\s+(?:is|was|has\s+been|got)\s+(?:cancell?ed|called\s+off|no\s+longer\s+(?:needed|necessary|relevant)|not\s+needed(?:\s+anymore)?|irrelevant|obsolete)(?:\s+anymore)?$", re.I),
    re.compile(r"^(?:i\s+)?(?:don't|do\s+not|no\s+longer)\s+(?:need|have|want)\s+to\s+(?P<ref>.+?)(?:\s+anymore|\s+any\s+more)?$", re.I),
    re.compile(r"^no\s+need\s+to\s+(?P<ref>.+?)(?:\s+anymore|\s+any\s+more)?$", re.I),
)


def _reopen(ctx: _Context) -> Plan | None:
    if re.fullmatch(r"undo(?:\s+that|\s+it|\s+the\s+last\s+(?:one|change|action))?", ctx.text, re.I):
        return Plan.say(replies.CANNOT_UNDO)
    for pattern in _REOPEN:
        match = pattern.match(ctx.text)
        if match:
            ref = re.sub(r"^(?:completing|finishing|marking|checking|ticking)\s+(?:off\s+)?", "", match.group("ref"), flags=re.I)
            ref = re.sub(r"\s+(?:as\s+)?(?:done|complete(?:d)?|finished)$", "", ref, flags=re.I)
            return _task_call("reopen_task", ref, ctx, gerund=True)
    return None


def _complete(ctx: _Context) -> Plan | None:
    for pattern in _COMPLETE:
        match = pattern.match(ctx.text)
        if match:
            groups = {k: v for k, v in match.groupdict().items() if v}
            return _task_call("complete_task", groups.get("ref") or groups.get("ref2") or groups["gerund_ref"], ctx, gerund=True)
    match = _COMPLETE_IMPERATIVE.match(ctx.text)
    if match and not _has_task_attributes(match.group("ref"), ctx.now):
        return _task_call("complete_task", match.group("ref"), ctx)
    match = _PAST_TENSE.match(ctx.text)
    if match and is_past_tense_verb(match.group("verb")) and match.group("verb").lower() not in _NOT_COMPLETIONS:
        verb = base_verb(match.group("verb")) or match.group("verb")
        return _task_call("complete_task", f"{verb} {match.group('object') or ''}", ctx)
    return None


# Past tenses that do not report a task as done.
_NOT_COMPLETIONS = {"added", "created", "forgot", "missed", "needed", "wanted", "skipped", "failed", "postponed", "moved", "delayed", "rescheduled", "left"}


def _delete(ctx: _Context) -> Plan | None:
    for pattern in _DELETE:
        match = pattern.match(ctx.text)
        if match:
            return _task_call("delete_task", match.group("ref"), ctx)
    return None


def _task_call(tool: str, ref: str, ctx: _Context, *, gerund: bool = False) -> Plan:
    reference = _reference(ref, ctx, gerund=gerund)
    if not reference:
        return Plan.say(replies.WHICH_TASK)
    return Plan.call(tool, reference=reference)


def _reference(words: str, ctx: _Context, *, gerund: bool = False) -> str:
    """The task reference: date words dropped (the tools match titles), "it"/"this"
    replaced by the text the user quoted, if any."""
    due = dates.find_due(words, ctx.now)
    if due and (words[: due.start] + words[due.end :]).strip():
        words = words[: due.start] + " " + words[due.end :]
    ref = clean_reference(strip_connectors(" ".join(words.split())), gerund=gerund)
    if ref.lower() in ("it", "this", "that", "this one", "that one", "them") and ctx.quoted:
        ref = clean_reference(ctx.quoted)
    return ref


def _has_task_attributes(text: str, now: dt.datetime) -> bool:
    return (
        dates.find_due(text, now) is not None
        or extract_priority(text)[0] is not None
        or bool(extract_tags(text)[0])
        or extract_recurrence(text)[0] is not None
    )


# ---------------------------------------------------------------- list / search

_LIST_OPENING = re.compile(
    r"^(?:show|list|display|view|see|give|get|pull\s+up|bring\s+up|open|print|read|tell\s+me|what|what's|whats|"
    r"which|do\s+i|did\s+i|have\s+i|am\s+i|any|anything|is\s+there|are\s+there|how\s+many|find|search|look\s+(?:for|up)|"
    r"lookup|locate|check|my|all|tasks|todos|to-dos|overdue|pending|open|upcoming|remaining|outstanding|completed|finished|done|"
    r"let\s+me\s+see|let's\s+see|can\s+i\s+see|i\s+want\s+to\s+see|where|when)\b",
    re.I,
)
_TASK_CONTEXT = re.compile(
    r"\b(?:tasks?|todos?|to-dos?|to\s+do|list|agenda|plate|schedule|due|overdue|pending|left|remaining|outstanding|"
    r"finished|completed|done|open|have|got|need\s+to|planned|priority|urgent|important|tagged|deadlines?|"
    r"reminders?|items?|chores?|things|anything|everything|late|upcoming|scheduled|coming\s+up|about|containing|"
    r"mentioning|called|named|complete|next|up\s+next|coming\s+up|did\s+i\s+\w+)\b|#\w",
    re.I,
)
_HOW_MANY = re.compile(r"^how\s+many\b", re.I)


def _list(ctx: _Context) -> Plan | None:
    text = ctx.text
    if not _LIST_OPENING.match(text) or not _TASK_CONTEXT.search(text):
        if not re.match(r"^(?:find|search|look\s+(?:for|up)|lookup|locate)\s+\S", text, re.I):
            return None
    filters = query_filters(text, ctx.now)
    if "search" not in filters:
        term = search_term(text)
        if term:
            filters["search"] = term
    return Plan.call("list_tasks", **filters)


# ---------------------------------------------------------------- add

_ADD_OPENING = re.compile(
    r"^(?:"
    r"(?:add|create|make|new|put|insert|enter|log|record|jot\s+down|write\s+down|note\s+down|note|set\s+up|schedule\s+a\s+task)"
    r"(?:\s+(?:a|an|the|another|one\s+more))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|reminder|entry|note)s?)?"
    r"(?:\s*(?::|-|called|named|titled|to|for|that\s+says|saying)\s*|\s+)"
    r"|(?:new\s+)?(?:task|todo|to-do|to\s+do|reminder|note\s+to\s+self)\s*[:\-]\s*"
    r"|(?:set\s+(?:a|an)\s+reminder|remind\s+me|reminder)\s+(?:to|about|of|that\s+i\s+(?:need|have)\s+to)\s+"
    r"|(?:please\s+)?remind\s+me\s+"
    r"|(?:i|we)\s+(?:need|have|want|ought|got|gotta|must|should|'ve\s+got|have\s+got|'d\s+like|would\s+like|plan|intend)(?:\s+to)?\s+"
    r"|(?:i|we)\s+(?:must|should|gotta)\s+|(?:need|have|got|gotta)\s+to\s+|gotta\s+|(?:i|we)\s+(?:will|'ll)\s+have\s+to\s+"
    r"|(?:don't|dont|do\s+not)\s+(?:let\s+me\s+)?forget\s+(?:to|about)\s+|(?:remember|make\s+sure)\s+(?:to|i)\s+|"
    r"(?:can\s+you\s+)?(?:help\s+me\s+)?remember\s+to\s+"
    r")",
    re.I,
)
_MY_LIST = r"(?:my|the)\s+(?:todo\s+|to-do\s+|to\s+do\s+|task\s+|shopping\s+|grocery\s+|groceries\s+)?(?:list|tasks|todos|todo|to-dos)"
_ON_MY_LIST = re.compile(rf"^(?:put|add|stick|throw|pop|get)\s+(?P<body>.+?)\s+(?:on|to|onto|in|into)\s+{_MY_LIST}$", re.I)
_LIST_SUFFIX = re.compile(
    rf"\s+(?:to|on|onto|in|into)\s+{_MY_LIST}$|\s+as\s+an?\s+(?:new\s+)?(?:task|todo|reminder)$", re.I
)


_ADD_ALONE = re.compile(r"^(?:add|create|new|make)(?:\s+(?:a|an|another))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|reminder))?$", re.I)


def _add(ctx: _Context) -> Plan | None:
    if _ADD_ALONE.match(ctx.text):
        return Plan.say(replies.WHAT_TASK)
    match = _ON_MY_LIST.match(ctx.text)
    if match:
        return _add_plan(match.group("body"), ctx)
    match = _ADD_OPENING.match(ctx.text)
    if match and match.end() < len(ctx.text):
        return _add_plan(ctx.text[match.end() :], ctx)
    return None


def _bare_task(ctx: _Context) -> Plan | None:
    """Text with no command verb: a task if it reads like one ("buy milk tomorrow",
    "urgent: file taxes"), never a question or a request to the assistant."""
    if ctx.message.is_question:
        return None
    text = ctx.text
    if _is_request_to_assistant(text):
        return None
    if _has_task_attributes(text, ctx.now) or first_word(text) in TASK_VERBS:
        return _add_plan(text, ctx)
    return None


_CHAT_VERBS = {"tell", "explain", "translate", "sing", "say", "describe", "define", "summarize", "calculate", "compute", "imagine", "pretend"}


def _is_request_to_assistant(text: str) -> bool:
    """"tell me a joke", "write me a poem", "explain quantum physics": chat, not tasks."""
    return bool(re.match(r"^\w+\s+(?:me|us)\b", text, re.I)) or first_word(text) in _CHAT_VERBS


def _add_plan(body: str, ctx: _Context) -> Plan:
    body = _LIST_SUFFIX.sub("", body.strip())
    drafts = parse_tasks(body, ctx.now)
    if not drafts:
        return Plan.say(replies.WHAT_TASK)
    return Plan.call("add_tasks", tasks=[draft.as_arguments() for draft in drafts])


_UNMISTAKABLE_ADD = re.compile(
    r"^(?:(?:don't|dont|do\s+not)\s+(?:let\s+me\s+)?forget|remind\s+me|add\s+(?!(?:the\s+|a\s+)?(?:tags?|labels?|notes?|comments?|#)))",
    re.I,
)


def _explicit_add(ctx: _Context) -> Plan | None:
    """"add ...", "remind me ...", "don't forget ...": an add whatever verbs follow
    ("remind me to delete old photos" must not delete anything)."""
    return _add(ctx) if _UNMISTAKABLE_ADD.match(ctx.text) else None


_QUESTION_OPENING = re.compile(
    r"^(?:what|what's|whats|which|how\s+many|do\s+i|did\s+i|have\s+i|am\s+i|any|anything|is\s+there|are\s+there|when|where)\b",
    re.I,
)


# "did I call mom?", "when is the dentist due?": questions about one task -> look it up.
_ABOUT_ONE_TASK = (
    re.compile(r"^(?:did|have)\s+i\s+(?:already\s+|ever\s+)?(?!(?:finish|finished|complete|completed|do|done|get|got)\b)(?P<verb>[a-z]+)\s+(?P<object>.+)$", re.I),
    re.compile(r"^when\s+(?:is|was|are|'s)\s+(?P<object>.+?)(?:\s+due)?$", re.I),
    re.compile(r"^when\s+(?:do|did|should|must)\s+i\s+(?:need\s+to\s+|have\s+to\s+)?(?P<verb>[a-z]+)\s+(?P<object>.+)$", re.I),
)


def _question(ctx: _Context) -> Plan | None:
    """A question never changes anything: "which tasks have I finished?" lists done tasks,
    "did I call mom?" looks the task up, anything else is off-topic."""
    if not _QUESTION_OPENING.match(ctx.text):
        return None
    for pattern in _ABOUT_ONE_TASK:
        match = pattern.match(ctx.text)
        if match:
            verb = match.groupdict().get("verb")
            words = f"{base_verb(verb) or verb} {match.group('object')}" if verb else match.group("object")
            return Plan.call("list_tasks", status="all", search=clean_reference(words))
    return _list(ctx) or Plan.say(replies.OFF_TOPIC)


_RULES: tuple[Callable[[_Context], Plan | None], ...] = (
    _small_talk,
    _question,
    _bulk,
    _explicit_add,
    _update,
    _reopen,
    _complete,
    _delete,
    _list,
    _add,
    _bare_task,
)
