"""Everything the offline model says in its own words, and how it words tool results.

After tools ran, the reply is built only from what they returned: the model never claims
a change the tools did not report.
"""

from __future__ import annotations

import datetime as dt

# A Markdown list, after a blank line: both chat clients render replies as Markdown, where
# lines that are not list items ("• x" lines were not) are one paragraph, so the examples
# ran together into one line.
EXAMPLES = (
    "- “add pay rent tomorrow, high priority”\n"
    "- “what's due this week?”\n"
    "- “mark pay rent as done”\n"
    "- “move dentist to december 4”\n"
    "- “delete buy milk”"
)

HELP = (
    "I can manage your tasks: add them (with due dates, priorities, tags and repeats), "
    "list and search them, complete, reopen, update or delete them. Try:\n\n" + EXAMPLES
)
GREETING = "Hi! I'm your task assistant. " + HELP
THANKS = "You're welcome! Anything else on your list?"
HOW_ARE_YOU = "I'm doing well, thanks! Want to add or review some tasks?"
BYE = "Bye! Your tasks will be here when you come back."
ACK = "Okay. Tell me if there's anything else you'd like to do with your tasks."
OFF_TOPIC = (
    "Sorry, I can only help with your tasks — adding, listing, completing, updating or deleting them. "
    "For example: “add pay rent tomorrow” or “what's due today?”"
)
NOT_UNDERSTOOD = (
    "I'm not sure what you'd like me to do. I can add, list, complete, update or delete tasks, e.g.:\n\n"
    + EXAMPLES
)
WHICH_TASK = "Which task do you mean? Tell me its title, e.g. “mark buy milk as done”."
WHAT_TASK = "What should the task say? For example: “add buy milk tomorrow”."
WHICH_TAG = "Which tag should I remove? For example: “remove tag work from book flights”."
WHICH_REPEAT = (
    "I can't read that repeat exactly, so I changed nothing. Say it like "
    "“every 3 days”, “every mon, wed and fri” or “every month on the 15th”."
)
NOTHING_NEW = "Is there anything else you'd like to do with your tasks?"
NO_TOOL_RESULT = "I ran that, but the tool didn't report anything back."
MISSING_TOOL = "Sorry, I can't do that here: the {tool} tool isn't available."


def after_tools(outputs: list[str], notes: tuple[str, ...] | list[str] = ()) -> str:
    """The final reply once tools ran: their own words, condensed into one message, then
    the model's ``notes`` (a date it did not set) in a paragraph of their own.

    A tool's result opens with a sentence for the user; what follows a blank line is
    detail for a language model (every task's facts), which the cards already show.
    """
    said = [output.split("\n\n", 1)[0].strip() for output in outputs if output and output.strip()]
    unique = list(dict.fromkeys(said)) or [NO_TOOL_RESULT]
    if notes:
        unique.append(" ".join(dict.fromkeys(notes)))
    return "\n\n".join(unique)  # a paragraph each: in Markdown one newline would join them


# Why no date (or time) was set from a phrase, by the kind of trouble (``vague.Unclear``).
_UNCLEAR = {
    "days": "I didn't set a date: “{words}” could be several days — tell me which day.",
    "readings": "I didn't set a date: “{words}” could mean more than one day — tell me which day.",
    "regional": "I didn't set a date: {detail} is on different days in different countries — tell me the date.",
    "contradiction": "I didn't set a date: {detail} — tell me which day you meant.",
    "order": "I didn't set a date: “{words}” could be {detail} — tell me which.",
    "time": "I didn't set a time: “{words}” could be more than one time — tell me the exact time.",
}


def unclear_note(kind: str, words: str, detail: str = "", *, change: bool = False) -> str:
    """One plain sentence saying why a phrase set no date (``change``: why a task's date
    was not changed)."""
    note = _UNCLEAR.get(kind, _UNCLEAR["days"]).format(words=" ".join(words.split()), detail=detail)
    if change:
        note = note.replace("I didn't set a date", "I didn't change the date").replace("I didn't set a time", "I didn't change the time")
    return note


# ---------------------------------------------------------------- a conversation
#
# Questions about which task(s) words point at. Each contains "do you mean": a message
# after one of them is read as its answer (references.Context.pending).

WHICH_TASKS = "Which tasks do you mean? Tell me their titles, e.g. “complete buy milk and call mom”."
NO_LIST = (
    "I haven't shown you a list in this conversation yet, so I can't tell which one that is. "
    "Which task do you mean? Tell me its title, or say “show my tasks” first."
)
EMPTY_LIST = "That list was empty, so there's nothing to pick from. Which task do you mean?"
NOTHING_CHANGED = "Okay, I've left everything as it was — nothing was changed."
NOTHING_PENDING = "Okay — I wasn't waiting on an answer, so there's nothing to call off. What would you like to do with your tasks?"
NOTHING_TO_CONFIRM = "There's nothing waiting for a yes from me. What would you like to do with your tasks?"
PICK_ONE = "Which one? Say e.g. “the first one” or “the second one”, or tap it on the card — or “never mind”."
_QUESTION_MARK = "do you mean"
_FIRST_FEW = 6


def is_question(reply: str) -> bool:
    """Whether one of our own replies asked which task(s) the user meant (or what to add)."""
    return _QUESTION_MARK in reply


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}.get(n, f"{n}th")


def _day(due: str) -> str:
    """"2026-11-27T15:00" -> "Fri Nov 27, 15:00": a hint that tells namesakes apart."""
    try:
        day = dt.date.fromisoformat(due[:10])
    except ValueError:
        return due
    time = f", {due[11:16]}" if len(due) > 10 else ""
    return f"{day:%a %b} {day.day}{time}"


def _named(task) -> str:
    extra = f" (due {_day(task.due)})" if getattr(task, "due", None) else ""
    return f"#{task.id} “{task.title}”{extra}"


def which_one(tasks) -> str:
    """"Which one do you mean: #3 “buy milk”, due 2026-11-27 or #4 “buy milk”? …" (ids, so the answer can be read back)."""
    named = [_named(task) for task in tasks[:_FIRST_FEW]]
    listed = ", ".join(named[:-1]) + " or " + named[-1] if len(named) > 1 else named[0]
    more = f" (and {len(tasks) - _FIRST_FEW} more)" if len(tasks) > _FIRST_FEW else ""
    return f"Which one do you mean: {listed}{more}? Say e.g. “the first one”, or its title."


def count_mismatch(wanted: int, tasks) -> str:
    return f"That list has {len(tasks)} task{'' if len(tasks) == 1 else 's'}, not {wanted} — which ones do you mean?"


def out_of_range(position: int, count: int, size: int) -> str:
    """"I showed you 3 tasks, so there's no fifth one." (a question: it keeps "do you mean")."""
    if position < 0:
        asked = f"last {count}" if count > 1 else "such task"
    else:
        asked = f"first {count}" if count > 1 and position == 1 else f"{_ordinal(position)} one"
    has = f"{size} task{'' if size == 1 else 's'}"
    return f"I showed you {has}, so there's no {asked}. Which one do you mean?"


def none_fits(description: str) -> str:
    return f"None of the tasks I showed you is “{description}”. Which one do you mean?"


def was_deleted(tasks, *, undo: bool = False) -> str:
    """A task pointed at was deleted since; "undo" offered only when it would bring it back."""
    names = ", ".join(f"“{task.title}”" for task in tasks[:3] if task.title) or "Those tasks"
    one = len(tasks) == 1
    said = f"{names} {'was' if one else 'were'} deleted, so I left {'it' if one else 'them'} alone."
    if undo:
        said += f" Say “undo” if you want {'it' if one else 'them'} back."
    return said


def nothing_left(tool: str | None) -> str:
    if tool == "complete_task":
        return "They're all done already — nothing to change."
    if tool == "reopen_task":
        return "None of them is done — nothing to reopen."
    return "Those tasks are gone already — nothing to change."


def too_many(total: int, limit: int) -> str:
    return (
        f"That's {total} tasks — more than the {limit} I change at once by pointing at a list. "
        "Name a filter instead, e.g. “complete all tasks tagged work”, and I'll ask you to confirm."
    )


def what_to_do_with(names: str) -> str:
    return f"What should I do with {names}? Say e.g. “mark it done”, “move it to friday” or “delete it”."


def confirm_on_the_card(action: str) -> str:
    verb = "Delete" if action == "delete" else "Complete"
    return f"That's more tasks than I change by words — press “{verb} …” on the card to confirm."


def _quoted(text: str, limit: int = 80) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def edit_not_understood(text: str) -> str:
    """An edit ("move dentist to 4") no rule understood: said, and no task added."""
    return (
        f"I couldn't tell which task “{_quoted(text)}” should change or how, so I changed nothing — "
        "say e.g. “move dentist to december 4”, or “add …” for a new task."
    )


def question_not_understood(text: str) -> str:
    """A question put as "remind me what/when …": never a reminder called by its words."""
    return (
        f"I can't answer “{_quoted(text)}”, so I changed nothing — "
        "ask e.g. “when is dentist due?”, or say “remind me to …” for a new reminder."
    )


def already_done(kind: str, tasks) -> str:
    """"no" / "never mind" after a change already made: it stands; "undo" takes it back."""
    names = ", ".join(f"“{task.title}”" for task in tasks[:3] if task.title) or "those tasks"
    if len(tasks) > 3:
        names += f" and {len(tasks) - 3} more"
    one = len(tasks) == 1
    verb = {"deleted": "deleted", "added": "added", "reopened": "reopened"}.get(kind, "changed")
    back = {"deleted": "bring {0} back", "added": "remove {0} again"}.get(kind, "take that back").format("it" if one else "them")
    if kind == "completed":
        return f"I've already marked {names} as done — say “undo” to take that back."
    return f"I've already {verb} {names} — say “undo” to {back}."


def only_one(task) -> str:
    """"all of them" when the last turn showed one task: ask, never guess."""
    return f"I only showed you one task just now. Do you mean #{task.id} “{task.title}”? If so, say e.g. “delete it”."
