"""Natural language -> what to do: tool calls for the task tools, or a plain reply.

``parse_command(text, now)`` is a pure function. A message of several lines is several
requests, one a line (``_parse_lines``). Each is cleaned (text.py), then intent rules are
tried in order; each rule is a small function that recognises its
sentence shapes by their verbs and returns a Plan or None:

    small talk -> questions -> bulk -> explicit add -> update (updates.py) -> reopen -> complete -> delete -> list -> add
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
from dataclasses import replace

from todochat.limits import MESSAGE_MAX_CHARS

from . import answers, replies
from .adds import has_task_attributes, parse_tasks, unclear_notes
from .lexicon import TASK_VERBS, THANKS, base_verb, first_word, is_past_tense_verb
from .plan import Plan, Request, ToolCall
from .queries import query_filters, search_term
from .pointing import is_plural, is_singular, points_at_tasks
from .references import Context
from .text import clean_message, clean_reference
from .thread_rules import follow_up, not_done_after_all, pointing_alone, undo, without_following_on
from .updates import update_plan

__all__ = ["Plan", "ToolCall", "parse_command"]


def parse_command(
    text: str, now: dt.datetime, *, quoted: str | None = None, context: Context | None = None
) -> Plan:
    """What to do about one user message, ``now`` being the user's local time.

    ``quoted`` is text the user pointed at in the UI (ChatKit's quoted text); it stands in
    for "this"/"it" when the message names no task ("mark this as done").

    ``context`` is the conversation so far (references.Context): with it, "it", "the
    first two", "both" point at tasks the thread showed, and a message can answer the
    assistant's last question ("the second one", "yes", "never mind"). Without it the
    message is read alone.

    Only the first MESSAGE_MAX_CHARS characters of each are read: the server accepts no
    longer message, and every step of the parse is linear in what it reads.
    """
    return _parse(text[:MESSAGE_MAX_CHARS], now, quoted[:MESSAGE_MAX_CHARS] if quoted else quoted, context)


def _parse(text: str, now: dt.datetime, quoted: str | None, context: Context | None = None) -> Plan:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return _parse_lines(lines, now, quoted, context)
    return _parse_line(text, now, quoted, context)


# A list's bullet or number in front of a line: "- buy milk", "2. call mom", "[ ] pay rent".
_LIST_MARKER = re.compile(r"^\s*+(?:[-*•·–]|\d{1,3}[.)]|\[\s?\])\s++")
# A first line that announces the lines below as tasks: "add these:", "add the following
# tasks to my list", "todo:", "shopping list:".
_LIST_HEADER = re.compile(
    r"^(?:(?:add|create|new|put|insert|note|jot\s+down)(?:\s+(?:these|this|them|the\s+following|following|all\s+(?:of\s+)?these))?"
    r"(?:\s+(?:new\s+)?(?:tasks?|todos?|to-dos?|items?|things|reminders?))?"
    r"(?:\s+(?:to|on|onto)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+|shopping\s+|grocery\s+)?(?:list|tasks|todos))?"
    r"|(?:my\s+|the\s+)?(?:new\s+)?(?:todos?|to-dos?|tasks?|to\s+do|to\s+do\s+list|todo\s+list|shopping(?:\s+list)?|groceries|grocery\s+list|list)"
    r"|the\s+following(?:\s+tasks)?)\s*:?$",
    re.I,
)


def _parse_lines(lines: list[str], now: dt.datetime, quoted: str | None, context: Context | None = None) -> Plan:
    """A message of several lines is several requests, one a line ("buy eggs" / "add buy
    bread": two tasks, never one task "buy eggs add buy bread"); a line that is a command
    is read whole, as if sent alone.

    When no line asks for anything, the lines are read as one message (a question typed
    over two lines). Next to lines that add tasks, a line read as nothing ("milk") is a
    task too: several lines with one add among them are a list. Other lines that ask for
    nothing (a greeting, a thanks) need no answer next to commands. Each line is parsed
    once, so the work stays linear.
    """
    lines = [_LIST_MARKER.sub("", line, count=1) for line in lines]
    if _LIST_HEADER.match(clean_message(lines[0]).text):
        # "add these:" / "shopping list:" over lines of tasks: each line is a task, even one
        # that reads like a command ("delete old photos" is something to do).
        line_plans = [_add_plan(line, Request(clean_message(line), now, quoted, context)) for line in lines[1:]]
        tasks = [task for plan in line_plans for call in plan.calls for task in call.arguments["tasks"]]
        notes = tuple(note for plan in line_plans for note in plan.notes)
        return Plan(calls=(ToolCall("add_tasks", {"tasks": tasks}),), notes=notes) if tasks else Plan.say(replies.WHAT_TASK)
    plans = [_parse_line(line, now, quoted, context) for line in lines]
    if not any(plan.calls for plan in plans):
        return _parse_line(" ".join(lines), now, quoted, context)
    adds = any(call.name == "add_tasks" for plan in plans for call in plan.calls)
    calls: list[ToolCall] = []
    notes: list[str] = []
    for line, plan in zip(lines, plans):
        if not plan.calls and adds and plan.reply == replies.NOT_UNDERSTOOD:
            plan = _add_plan(clean_message(line).text, Request(clean_message(line), now, quoted, context))
        notes += plan.notes
        for call in plan.calls:
            if call.name == "add_tasks" and calls and calls[-1].name == "add_tasks":
                # Consecutive added lines make one card ("Added 2 tasks") with one Undo.
                merged = calls[-1].arguments["tasks"] + call.arguments["tasks"]
                calls[-1] = ToolCall("add_tasks", {"tasks": merged})
            else:
                calls.append(call)
    return Plan(calls=tuple(calls), notes=tuple(notes))


def _parse_line(text: str, now: dt.datetime, quoted: str | None, context: Context | None = None) -> Plan:
    message = clean_message(text)
    if context is not None:
        message = without_following_on(message)
    request = Request(message, now, quoted, context)
    if not message.text:
        return Plan.say(replies.GREETING if message.greeted else replies.HELP)
    for rule in _RULES:
        plan = rule(request)
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
_ACK = re.compile(
    r"^(?:ok(?:ay)?|k|cool|great|nice|perfect|awesome|got\s+it|sounds\s+good|alright|sure|fine|good|no|nope|yes|yep|yeah|"
    r"excellent|wonderful|lovely|all\s+done|done|that's\s+it|never\s*mind)$",
    re.I,
)


def _small_talk(request: Request) -> Plan | None:
    text = request.message.plain.lower()
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
# A bulk request starts with its quantifier ("delete all done tasks", "complete every
# overdue task"); one later in the words is part of a title: "delete gym every monday"
# named one task and offered to delete all of them.
_BULK_START = re.compile(r"^(?:(?:of\s+)?(?:my|the|your)\s+)?(?:all|every(?:thing)?|each|the\s+whole\s+list)\b", re.I)
_BULK_DONE_GROUP = re.compile(
    r"^(?:the\s+|my\s+)?(?:old\s+)?(?:completed|finished|done|checked(?:\s+off)?|ticked(?:\s+off)?|closed)(?:\s+(?:tasks|todos|to-dos|items|ones|stuff))?(?:\s+(?:from|off)\s+(?:my|the)\s+list)?$",
    re.I,
)


def _bulk(request: Request) -> Plan | None:
    match = re.match(rf"^{_BULK_VERB}\s+(?P<rest>.+)$", request.text, re.I)
    if not match:
        return None
    verb, rest = match.group("verb").lower(), match.group("rest")
    completes = verb in ("complete", "finish", "close", "mark", "check off", "tick off", "cross off")
    if completes:
        done_tail = re.search(r"(?<!\s)\s+(?:as\s+)?(?:done|complete(?:d)?|finished)(?:\s+off)?$", rest, re.I)
        if verb == "mark" and not done_tail:
            return None
        rest = rest[: done_tail.start()] if done_tail else rest
        if request.context is not None and is_plural(rest):
            return request.task_call("complete_task", rest)  # "complete all of them": the ones shown
        if not _BULK_START.match(rest):
            return None
        filters = query_filters(_BULK_QUANTIFIER.sub(" ", rest), request.now, default_status="open")
        filters["status"] = "open"
        return Plan.call("bulk_tasks", action="complete", **filters)
    if request.context is not None and is_plural(rest):
        return request.task_call("delete_task", rest)  # "delete all of those": the ones shown
    if _BULK_DONE_GROUP.match(rest):
        return Plan.call("bulk_tasks", action="delete", status="done")
    if not _BULK_START.match(rest):
        return None
    filters = query_filters(_BULK_QUANTIFIER.sub(" ", rest), request.now, default_status="all")
    return Plan.call("bulk_tasks", action="delete", **filters)


# ---------------------------------------------------------------- reopen / complete / delete

_DONE_WORD = r"(?:done|complete|completed|finished|checked|ticked|resolved|closed|handled|sorted|taken\s+care\s+of)"
_REOPEN = (
    re.compile(r"^(?:reopen|re-open|unmark|uncheck|untick|uncomplete|un-complete|unfinish|undo|undelete|restore|revive|resurrect|unarchive)\s+(?P<ref>.+)$", re.I),
    re.compile(r"^(?:mark|set|put)\s+(?P<ref>.+?)\s+(?:as\s+|back\s+(?:to|as)\s+)?(?:not\s+(?:yet\s+)?done|undone|not\s+complete(?:d)?|incomplete|unfinished|not\s+finished|open|pending|to\s*-?\s*do|active|unchecked|uncompleted|outstanding)(?:\s+again)?$", re.I),
    re.compile(rf"^(?P<ref>.+?)\s+(?:is\s+not|isn't|isnt|was\s+not|wasn't|wasnt|'s\s+not|hasn't\s+been|has\s+not\s+been|is\s+no\s+longer|aren't|are\s+not)\s+(?:actually\s+|really\s+|quite\s+)?{_DONE_WORD}(?:\s+yet)?(?:\s+after\s+all)?$", re.I),
    re.compile(r"^(?P<ref>.+?)\s+(?:is\s+still\s+(?:open|pending|to\s+do|not\s+done)|still\s+needs\s+(?:to\s+be\s+)?(?:done|doing|finishing))$", re.I),
    re.compile(r"^(?:i\s+)?(?:didn't|did\s+not|didnt|haven't|have\s+not|havent)\s+(?:actually\s+|really\s+|yet\s+)?(?:(?:finish|complete|do|finished|completed|done)\s+)?(?P<ref>.+?)(?:\s+yet)?(?:\s+after\s+all)?$", re.I),
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


def _reopen(request: Request) -> Plan | None:
    plan = not_done_after_all(request)
    if plan is not None:
        return plan
    for pattern in _REOPEN:
        match = pattern.match(request.text)
        if match:
            ref = re.sub(r"^(?:completing|finishing|marking|checking|ticking)\s+(?:off\s+)?", "", match.group("ref"), flags=re.I)
            ref = re.sub(r"(?<!\s)\s+(?:as\s+)?(?:done|complete(?:d)?|finished)$", "", ref, flags=re.I)
            return request.task_call("reopen_task", ref, gerund=True)
    return None


def _complete(request: Request) -> Plan | None:
    for pattern in _COMPLETE:
        match = pattern.match(request.text)
        if match:
            groups = {k: v for k, v in match.groupdict().items() if v}
            return request.task_call("complete_task", groups.get("ref") or groups.get("ref2") or groups["gerund_ref"], gerund=True)
    match = _COMPLETE_IMPERATIVE.match(request.text)
    if match and (not has_task_attributes(match.group("ref"), request.now) or _points(request, match.group("ref"))):
        return request.task_call("complete_task", match.group("ref"))
    match = _PAST_TENSE.match(request.text)
    if match and is_past_tense_verb(match.group("verb")) and match.group("verb").lower() not in _NOT_COMPLETIONS:
        verb = base_verb(match.group("verb")) or match.group("verb")
        return request.task_call("complete_task", f"{verb} {match.group('object') or ''}")
    return None


# Past tenses that do not report a task as done.
_NOT_COMPLETIONS = {"added", "created", "forgot", "missed", "needed", "wanted", "skipped", "failed", "postponed", "moved", "delayed", "rescheduled", "left"}


def _points(request: Request, words: str) -> bool:
    """Whether words point at tasks the conversation showed ("the one due friday")."""
    return request.context is not None and points_at_tasks(words)


def _delete(request: Request) -> Plan | None:
    for pattern in _DELETE:
        match = pattern.match(request.text)
        if match:
            return request.task_call("delete_task", match.group("ref"))
    return None


# ---------------------------------------------------------------- list / search

# Commands that only ever ask to see tasks.
_QUERY_COMMAND = re.compile(
    r"^(?:show|list|display|view|see|give\s+me|pull\s+up|bring\s+up|print|let\s+me\s+see|let's\s+see|can\s+i\s+see|"
    r"i\s+want\s+to\s+see|find|search|look\s+(?:for|up)|lookup|locate|check\s+(?:my|the)\s+(?:list|tasks|todos|agenda))\b",
    re.I,
)
_LIST_OPENING = re.compile(
    rf"{_QUERY_COMMAND.pattern}|^(?:tell\s+me|what|what's|whats|which|do\s+i|did\s+i|have\s+i|am\s+i|any|anything|"
    r"is\s+there|are\s+there|how\s+many|my|all|tasks|todos|to-dos|overdue|pending|upcoming|remaining|outstanding|"
    r"completed|finished|where|when)\b",
    re.I,
)
# A query that names nothing ("show me", "list", "my list"): the open tasks.
_JUST_THE_LIST = re.compile(
    r"^(?:(?:show|list|display|view|see|give|print|pull\s+up|bring\s+up)(?:\s+(?:me|us))?(?:\s+(?:my|the|all))?"
    r"(?:\s+(?:list|tasks|todos|to-dos|to\s+do\s+list|todo\s+list))?|my\s+(?:list|tasks|todos|todo\s+list))$",
    re.I,
)
_TASK_CONTEXT = re.compile(
    r"\b(?:tasks?|todos?|to-dos?|to\s+do|list|agenda|plate|schedule|due|overdue|pending|left|remaining|outstanding|"
    r"finished|completed|done|open|have|got|need\s+to|planned|priority|urgent|important|tagged|deadlines?|"
    r"reminders?|items?|chores?|things|anything|everything|late|upcoming|scheduled|coming\s+up|about|containing|"
    r"mentioning|called|named|complete|next|up\s+next|coming\s+up|did\s+i\s+\w+|i\s+(?:should|must|can|could)?\s*do)\b|#\w",
    re.I,
)


def _list(request: Request) -> Plan | None:
    text = request.text
    if _JUST_THE_LIST.match(text):
        return Plan.call("list_tasks", status="open")
    if not _LIST_OPENING.match(text) or not _TASK_CONTEXT.search(text):
        if not re.match(r"^(?:find|search|look\s+(?:for|up)|lookup|locate)\s+\S", text, re.I):
            return None
    filters = query_filters(text, request.now)
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
    r"(?:\s*[:\-]\s*|\s+(?:(?:called|named|titled|to|for|that\s+says|saying)\s+)?)"
    r"|(?:new\s+)?(?:task|todo|to-do|to\s+do|reminder|note\s+to\s+self)\s*[:\-]\s*"
    r"|(?:set\s+(?:a|an|me\s+a)\s+reminder|remind\s+me|reminder)\s+(?:to|about|of|for|that\s+i\s+(?:need|have)\s+to)\s+"
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
    rf"(?<!\s)\s+(?:to|on|onto|in|into)\s+{_MY_LIST}\b|(?<!\s)\s+as\s+an?\s+(?:new\s+)?(?:task|todo|reminder)$", re.I
)


_ADD_ALONE = re.compile(r"^(?:add|create|new|make)(?:\s+(?:a|an|another))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|reminder))?$", re.I)


# "remind me what the dentist is", "remind me when the dentist is": a question, not a reminder.
_REMIND_QUESTION = re.compile(r"^(?:please\s+)?remind\s+me\s+(?:what|when|where|which|who|whom|whose|how|whether|if|why)\b", re.I)


def _add(request: Request) -> Plan | None:
    if _REMIND_QUESTION.match(request.text):
        return Plan.say(replies.question_not_understood(request.message.plain or request.text))
    if _ADD_ALONE.match(request.text):
        return Plan.say(replies.WHAT_TASK)
    match = _ON_MY_LIST.match(request.text)
    if match:
        return _add_plan(match.group("body"), request)
    match = _ADD_OPENING.match(request.text)
    if match and match.end() < len(request.text):
        return _add_plan(request.text[match.end() :], request)
    return None


def _bare_task(request: Request) -> Plan | None:
    """Text with no command verb: a task if it reads like one ("buy milk tomorrow",
    "urgent: file taxes"), never a question or a request to the assistant."""
    if request.message.is_question:
        return None
    text = request.text
    if _is_request_to_assistant(text):
        return None
    if first_word(text) in _EDIT_VERBS:
        # "move dentist to 4", "clear the due date": an edit not understood is never a new
        # task called by its words ("add move the couch to the garage" still adds).
        return Plan.say(replies.edit_not_understood(request.message.plain or text))
    if has_task_attributes(text, request.now) or first_word(text) in TASK_VERBS:
        return _add_plan(text, request)
    return None


# Verbs that open an edit of a task: a message starting with one that no rule understood
# gets a plain sentence back, never a task titled with its words.
_EDIT_VERBS = frozenset({"move", "reschedule", "postpone", "push", "change", "clear", "rename", "delay", "shift", "bump", "edit"})


_CHAT_VERBS = {"tell", "explain", "translate", "sing", "say", "describe", "define", "summarize", "calculate", "compute", "imagine", "pretend"}


def _is_request_to_assistant(text: str) -> bool:
    """"tell me a joke", "write me a poem", "explain quantum physics": chat, not tasks."""
    return bool(re.match(r"^\w+\s+(?:me|us)\b", text, re.I)) or first_word(text) in _CHAT_VERBS


def _add_plan(body: str, request: Request) -> Plan:
    body = _LIST_SUFFIX.sub("", body.strip())  # "add x to my list for tomorrow"
    drafts = parse_tasks(body, request.now)
    if not drafts:
        return Plan.say(replies.WHAT_TASK)
    if request.context is not None and any(is_singular(draft.title) or is_plural(draft.title) for draft in drafts):
        return Plan.say(replies.WHAT_TASK)  # "make it urgent-ish": never a task called "it"
    notes = tuple(replies.unclear_note(u.kind, u.words, u.detail) for d in drafts for u in unclear_notes(d))
    return Plan(calls=(ToolCall("add_tasks", {"tasks": [draft.as_arguments() for draft in drafts]}),), notes=notes)


_UNMISTAKABLE_ADD = re.compile(
    r"^(?:(?:don't|dont|do\s+not)\s+(?:let\s+me\s+)?forget|remind\s+me|set\s+(?:a|an|me\s+a)\s+reminder|add\s+(?!(?:the\s+|a\s+)?(?:tags?|labels?|notes?|comments?|#)))",
    re.I,
)


def _explicit_add(request: Request) -> Plan | None:
    """"add ...", "remind me ...", "don't forget ...": an add whatever verbs follow
    ("remind me to delete old photos" must not delete anything)."""
    return _add(request) if _UNMISTAKABLE_ADD.match(request.text) else None


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


# "is walk the dog done?", "has the rent been paid yet?" (asked with a question mark).
_IS_IT_DONE = re.compile(
    r"^(?:is|are|was|were|has|have)\s+(?P<object>.+?)\s+(?:been\s+|already\s+|really\s+)?"
    r"(?:done|completed|complete|finished|checked\s+off|ticked\s+off)(?:\s+(?:yet|already))?$",
    re.I,
)


def _question(request: Request) -> Plan | None:
    """Questions and show/find commands never change anything: "which tasks have I
    finished?" lists done tasks, "did I call mom?" looks the task up, "show completed" is
    not a completion; whatever is not about tasks is off-topic."""
    done_yet = _IS_IT_DONE.match(request.text) if request.message.is_question else None
    if done_yet:
        # "is walk the dog done?": look the task up (its card says done or open), never complete it.
        return Plan.call("list_tasks", status="all", search=clean_reference(done_yet.group("object")))
    if not (_QUESTION_OPENING.match(request.text) or _QUERY_COMMAND.match(request.text)):
        return None
    for pattern in _ABOUT_ONE_TASK:
        match = pattern.match(request.text)
        if match:
            verb = match.groupdict().get("verb")
            words = f"{base_verb(verb) or verb} {match.group('object')}" if verb else match.group("object")
            return Plan.call("list_tasks", status="all", search=clean_reference(words))
    return _list(request) or Plan.say(replies.OFF_TOPIC)


# ---------------------------------------------------------------- a conversation

def _answer(request: Request) -> Plan | None:
    """A message that answers the assistant's last question ("the second one", "yes", "no")."""
    if request.context is None:
        return None
    return answers.answer(request, lambda text, context: _parse(text, request.now, None, context), _is_request)


def _is_request(request: Request) -> bool:
    """Whether a message asks for something on its own (a command, a question, small talk)."""
    plain = replace(request, context=None)
    return any(rule(plain) is not None for rule in _REQUEST_RULES)



_RULES: tuple[Callable[[Request], Plan | None], ...] = (
    _answer,
    undo,
    _small_talk,
    _question,
    _bulk,
    _explicit_add,
    update_plan,
    _reopen,
    _complete,
    _delete,
    follow_up,
    _list,
    _add,
    pointing_alone,
    _bare_task,
)
# The rules that read a message as a request of its own: all but those that need the
# thread (answers, follow-ups, pointing words) and the catch-all bare task.
_REQUEST_RULES = tuple(rule for rule in _RULES if rule not in (_answer, follow_up, pointing_alone, _bare_task))
