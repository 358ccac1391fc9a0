"""The Agents SDK agent: instructions (telling a real model the user's time; the offline model
is given the clock as a value, see chat/server.py), tools, and a model."""

from __future__ import annotations

from agents import Agent, Model, ModelSettings, RunContextWrapper
from chatkit.agents import AgentContext

from todochat.chat.context import RequestContext
from todochat.chat.tools import TOOLS

INSTRUCTIONS = """\
You are todochat's assistant. You manage the user's to-do list with your tools and nothing else.
Current local time: {now} ({weekday}), time zone: {zone}

- Use the tools for every change; never claim a change a tool did not report.
- Dates you pass are local: "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM" when a time was given.
- A reference is "#<id>" when you know the task's id (tool results and cards show ids, e.g.
  "#12 pay rent — due Fri 2026-12-04, high, open"), else the words of its title the user used.
  "It" or "that" means the task just talked about: use its id.
- "Undo that" / "take that back": call undo_last_change (it finds the change itself).
- When a tool says several tasks match, ask which one; when it finds none, say so.
- Keep replies to one or two short sentences: the cards show the details.
- For anything that is not about the user's tasks, say politely that you only manage tasks.
"""


def instructions(run: RunContextWrapper[AgentContext[RequestContext]], _agent: Agent) -> str:
    now = run.context.request_context.now_local()
    zone = getattr(now.tzinfo, "key", None) or now.tzname() or "UTC"
    return INSTRUCTIONS.format(now=now.strftime("%Y-%m-%dT%H:%M"), weekday=now.strftime("%A"), zone=zone)


def build_agent(model: Model, model_settings: ModelSettings | None = None) -> Agent[AgentContext[RequestContext]]:
    # One change at a time keeps the cards in the order the user asked for.
    settings = ModelSettings(parallel_tool_calls=False).resolve(model_settings)
    return Agent[AgentContext[RequestContext]](
        name="todochat", instructions=instructions, model=model, tools=list(TOOLS), model_settings=settings
    )
