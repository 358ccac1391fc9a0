"""The tools as an MCP server (the SDK's low-level ``Server``) acting for one user.

Who acts is decided before the server exists: ``Caller`` comes from the bearer token
(http.py) or from ``--user`` (__main__.py), and every tool runs in a ``TaskService``
opened for that user. No argument can name another user; another user's task id is
simply not found.

Every failure of a call is an MCP tool error (``isError``, with a reason the model can act
on), never a protocol error or a crash: arguments that do not validate, a task that is not
found or not meant clearly, a value a task may not hold, the database being away. The low
level server is used, not ``MCPServer``, so that those reasons are ours, in the words the
REST API and the assistant use, and never echo a megabyte of the caller's input back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from mcp.server import Server, ServerRequestContext
from mcp.types import CallToolRequestParams, CallToolResult, ListToolsResult, PaginatedRequestParams, TextContent
from mcp.types import Tool as McpTool
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from todochat.mcp.tools import TOOLS, Answer, Refusal, Tool
from todochat.models import utcnow
from todochat.tasks import TaskError, open_tasks
from todochat.validation_text import error_field, error_message

logger = logging.getLogger(__name__)

INSTRUCTIONS = (
    "These tools read and change the user's own todo list in todochat. Find a task's id with "
    "list_tasks before changing it when the user's words could mean several tasks. Dates are "
    "YYYY-MM-DD (or YYYY-MM-DDTHH:MM, the user's local time); work out relative dates "
    "(\"tomorrow\") yourself from today's date in the user's time zone."
)
# Problems of one call's arguments that an error names; the rest are left for the next try.
PROBLEMS_SHOWN = 3


@dataclass(frozen=True)
class Caller:
    """Who the tools act for: their database, their id, and their clock and zone (what
    "today", "overdue" and "this week" mean)."""

    engine: Engine
    user_id: str
    tz: dt.tzinfo = dt.timezone.utc
    clock: Callable[[], dt.datetime] = field(default=utcnow)


def _listing(tool: Tool) -> McpTool:
    return McpTool(
        name=tool.name,
        title=tool.title,
        description=tool.description,
        input_schema=tool.arguments.model_json_schema(),
        annotations=tool.hints,
    )


# The same for every caller: built once.
LISTED = ListToolsResult(tools=[_listing(tool) for tool in TOOLS.values()])


def build_server(caller: Caller) -> Server:
    """An MCP server whose tools act for ``caller``; cheap, so HTTP builds one per request."""

    async def list_tools(_: ServerRequestContext, __: PaginatedRequestParams | None) -> ListToolsResult:
        return LISTED

    async def call_tool(_: ServerRequestContext, params: CallToolRequestParams) -> CallToolResult:
        return await call(caller, params.name, params.arguments)

    return Server(
        "todochat",
        version="1.0",
        title="todochat",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


async def call(caller: Caller, name: str, arguments: dict[str, Any] | None) -> CallToolResult:
    """Run one tool call for ``caller``: its answer, or an MCP tool error saying why not."""
    tool = TOOLS.get(name)
    if tool is None:
        return refused(f"There is no tool named {name[:80]!r}. The tools are: {', '.join(TOOLS)}.")
    try:
        args = tool.arguments.model_validate(arguments or {})
    except ValidationError as exc:
        return refused(argument_problems(name, exc))
    try:
        answer = await anyio.to_thread.run_sync(_run, caller, tool, args)
    except Refusal as exc:
        return refused(str(exc))
    except ValidationError as exc:  # a value a task may not hold (TaskCreate, TaskPatch)
        return refused(argument_problems(name, exc))
    except (TaskError, ValueError) as exc:  # a repeat that cannot repeat, a bad cursor
        return refused(f"{exc}. Nothing was changed.")
    except (OperationalError, InterfaceError, PoolTimeout) as exc:
        logger.warning("mcp %s: database unavailable: %s", name, getattr(exc, "orig", None) or exc)
        return refused("The database cannot be reached right now. Nothing was changed; try again in a moment.")
    except Exception:
        logger.exception("mcp tool %s failed", name)
        return refused("Something went wrong on our side. Nothing was changed.")
    return CallToolResult(content=[TextContent(type="text", text=answer.text)], structured_content=answer.data)


def _run(caller: Caller, tool: Tool, args: Any) -> Answer:
    # One transaction: committed when the tool returns, rolled back if it raises.
    with open_tasks(caller.engine, caller.user_id, tz=caller.tz, clock=caller.clock) as tasks:
        return tool.run(tasks, args)


def refused(reason: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=reason)], is_error=True)


def argument_problems(tool_name: str, exc: ValidationError) -> str:
    """What is wrong with a call's arguments, in a line or three, without the values sent."""
    problems = []
    for error in exc.errors()[:PROBLEMS_SHOWN]:
        where = error_field(error) or "arguments"
        kind = error.get("type", "")
        if kind == "missing":
            problems.append(f"{where} is required")
        elif kind == "extra_forbidden":
            problems.append(f"{where} is not an argument of {tool_name}")
        else:
            problems.append(f"{where}: {error_message(error)}")
    more = len(exc.errors()) - len(problems)
    tail = f" (and {more} more)" if more > 0 else ""
    return f"Invalid arguments for {tool_name}: " + "; ".join(problems) + f"{tail}. Nothing was changed."
