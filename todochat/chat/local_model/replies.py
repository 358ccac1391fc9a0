"""Everything the offline model says in its own words, and how it words tool results.

After tools ran, the reply is built only from what they returned: the model never claims
a change the tools did not report.
"""

from __future__ import annotations

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
CANNOT_UNDO = (
    "I can't undo the last change by myself, but I can reopen, restore details or delete a task: "
    "e.g. “reopen buy milk”."
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
