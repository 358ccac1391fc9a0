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


def after_tools(outputs: list[str]) -> str:
    """The final reply once tools ran: their own words, condensed into one message.

    A tool's result opens with a sentence for the user; what follows a blank line is
    detail for a language model (every task's facts), which the cards already show.
    """
    said = [output.split("\n\n", 1)[0].strip() for output in outputs if output and output.strip()]
    if not said:
        return NO_TOOL_RESULT
    unique = list(dict.fromkeys(said))
    return "\n\n".join(unique)  # a paragraph each: in Markdown one newline would join them
