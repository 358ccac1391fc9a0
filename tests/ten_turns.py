"""A ten-turn conversation with a scripted model, for every client: in-process, HTTP, CLI, browser.

The fake model answers each user message with tool calls and a reply, the way a real
model would. Turns that say "it" are answered only from what the model was sent: a
step looks for the task's id in the request ("#12 pay rent — …"); if the history
does not carry it, the step fails and so does the test.
"""

from __future__ import annotations

import re

from tests.fake_openai import Recorded, error, reply, tool_call


def task_id(request: Recorded, title: str) -> int:
    """The id the model was told for ``title`` (in a tool result or a card note)."""
    found = re.findall(rf"#(\d+) {re.escape(title)} —", request.text)
    if not found:
        raise LookupError(f"the model was never told the id of {title!r}")
    return int(found[-1])


def using_id(title: str, name: str, **arguments):
    """A tool call on ``#<id of title>``, the id read from the model's own input."""

    def step(request: Recorded):
        try:
            return tool_call(name, {"reference": f"#{task_id(request, title)}", **arguments})
        except LookupError as exc:
            # 400, not 500: the client does not retry it, so no later step is consumed.
            return error(400, message=str(exc))

    return step


TURNS: list[tuple[str, list]] = [
    (
        "add pay rent tomorrow, high priority",
        [tool_call("add_tasks", {"tasks": [{"title": "pay rent", "due": "2026-11-24", "priority": "high"}]}),
         reply("Added pay rent for tomorrow, high priority.")],
    ),
    ("move it to friday", [using_id("pay rent", "update_task", due="2026-11-27"), reply("Moved it to Friday.")]),
    (
        "also add call mom on saturday",
        [tool_call("add_tasks", {"tasks": [{"title": "call mom", "due": "2026-11-28"}]}), reply("Added call mom.")],
    ),
    ("what's on my list?", [tool_call("list_tasks", {}), reply("You have 2 open tasks.")]),
    ("make it high priority too", [using_id("call mom", "update_task", priority="high"), reply("Done.")]),
    ("I paid the rent", [using_id("pay rent", "complete_task"), reply("Marked pay rent as done.")]),
    ("oops, it isn't paid yet", [using_id("pay rent", "reopen_task"), reply("Reopened pay rent.")]),
    ("tag it home", [using_id("pay rent", "update_task", add_tags=["home"]), reply("Tagged it #home.")]),
    ("delete call mom", [using_id("call mom", "delete_task"), reply("Deleted call mom.")]),
    ("what's left?", [tool_call("list_tasks", {}), reply("Just pay rent, due Friday.")]),
]

# What the user's list holds after the ten turns (Task JSON fields).
FINAL = [{"title": "pay rent", "due": "2026-11-27", "priority": "high", "tags": ["home"], "completed": False}]
REPLIES = [steps[-1].text for _, steps in TURNS]


def final_state(tasks: list[dict]) -> list[dict]:
    return [{key: task[key] for key in FINAL[0]} for task in tasks]
