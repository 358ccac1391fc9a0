"""Natural language -> what to do: tool calls for the task tools, or a plain reply.

``parse_command(text, now)`` is a pure function. A message of several lines is several
requests, one a line (``_parse_lines``). Each is cleaned (text.py), then intent rules are
tried in order; each rule is a small function that recognises its
sentence shapes by their verbs and returns a Plan or None:

    small talk -> questions -> bulk -> explicit add -> update (updates.py) -> reopen -> complete -> delete -> list -> add
    -> a bare task ("buy milk tomorrow") -> off-topic

Where the rules live: small talk and the order here; questions and list commands in
query_sentences.py; bulk, reopen, complete and delete in state_sentences.py; adds in
add_sentences.py; updates in updates.py; rules that need the thread (answers, "undo",
follow-ups, "it" alone) in answers.py and thread_rules.py.

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
from .add_sentences import add_plan, add_sentence, bare_task, explicit_add, is_request_to_assistant
from .lexicon import THANKS
from .plan import Plan, Request, ToolCall
from .query_sentences import list_sentence, question_sentence
from .references import Context
from .state_sentences import bulk_sentence, complete_sentence, delete_sentence, reopen_sentence
from .text import clean_message
from .thread_rules import follow_up, pointing_alone, undo, without_following_on
from .updates import update_plan


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
    r"""
    # "shopping list:", "todo:", "tasks for today:": a header line, not a task
    ^
    (?:(?:add|create|new|put|insert|note|jot\s+down)
        (?:\s+(?:these|this|them|the\s+following|following|all\s+(?:of\s+)?these))?
        (?:\s+(?:new\s+)?(?:tasks?|todos?|to-dos?|items?|things|reminders?))?
        (?:\s+(?:to|on|onto)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+|shopping\s+|grocery\s+)?(?:list|tasks|todos))?
        |(?:my\s+|the\s+)?(?:new\s+)?
        (?:todos?|to-dos?|tasks?|to\s+do|to\s+do\s+list|todo\s+list|shopping(?:\s+list)?|groceries|grocery\s+list|list)
        |the\s+following(?:\s+tasks)?)
    \s*:?$
    """,
    re.I | re.X,
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
        line_plans = [add_plan(line, Request(clean_message(line), now, quoted, context)) for line in lines[1:]]
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
            plan = add_plan(clean_message(line).text, Request(clean_message(line), now, quoted, context))
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
    asks_assistant = message.is_question or is_request_to_assistant(message.text)
    return Plan.say(replies.OFF_TOPIC if asks_assistant else replies.NOT_UNDERSTOOD)


# ---------------------------------------------------------------- small talk

_HELP = re.compile(
    r"""
    # "help", "what can you do?"
    ^
    (?:help|\?+|commands|menu|usage
        |how\s+(?:does\s+(?:this|it)\s+work|do\s+i\s+use\s+(?:this|you|it))
        |what\s+(?:can|do|could)\s+(?:you|i)\s+(?:do|say|ask)
        (?:\s+(?:here|for\s+me|with\s+you))?
        |who\s+are\s+you|what\s+are\s+you|what\s+is\s+this
        |how\s+can\s+you\s+help(?:\s+me)?
        |what\s+are\s+your\s+(?:features|commands|skills)
        |what\s+do\s+you\s+(?:support|understand|know))
    $
    """,
    re.I | re.X,
)
_HOW_ARE_YOU = re.compile(
    r"""
    # "how are you?", "what's up"
    ^
    (?:how\s+are\s+you(?:\s+doing)?(?:\s+today)?|how's\s+it\s+going|what's\s+up|sup
        |how\s+do\s+you\s+do)
    $
    """,
    re.I | re.X,
)
_BYE = re.compile(
    r"""
    # "bye", "that's all"
    ^
    (?:bye|goodbye|good\s*night|see\s+(?:you|ya)(?:\s+later)?|later|cya|that's\s+all
        |that\s+is\s+all|i'm\s+done|nothing\s+else)
    $
    """,
    re.I | re.X,
)
_ACK = re.compile(
    r"""
    # "ok", "cool", "got it"
    ^
    (?:ok(?:ay)?|k|cool|great|nice|perfect|awesome|got\s+it|sounds\s+good|alright
        |sure|fine|good|no|nope|yes|yep|yeah|excellent|wonderful|lovely|all\s+done|done
        |that's\s+it|never\s*mind)
    $
    """,
    re.I | re.X,
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
    question_sentence,
    bulk_sentence,
    explicit_add,
    update_plan,
    reopen_sentence,
    complete_sentence,
    delete_sentence,
    follow_up,
    list_sentence,
    add_sentence,
    pointing_alone,
    bare_task,
)
# The rules that read a message as a request of its own: all but those that need the
# thread (answers, follow-ups, pointing words) and the catch-all bare task.
_REQUEST_RULES = tuple(rule for rule in _RULES if rule not in (_answer, follow_up, pointing_alone, bare_task))
