"""Tool failures a model can recover from, and a bound on how long it may keep trying.

The Agents SDK answers a failed tool call with a fixed "An error occurred while running
the tool. Please try again.": the model repeats the same call until the run hits its turn
limit. Here the model is told what was wrong and what is accepted ("priority: must be one
of 'low', 'medium' or 'high'"), the server logs one line with the reason, and after a few
failures in one turn the model is told to stop calling tools and explain.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from agents import FunctionTool, RunContextWrapper, function_tool
from agents.function_schema import function_schema
from agents.run_config import ToolErrorFormatterArgs
from pydantic import BaseModel, ValidationError

from todochat.validation_text import error_message, first_message

logger = logging.getLogger(__name__)

# After this many failed tool calls in one turn the model is asked to stop and explain.
FAILURES_BEFORE_GIVING_UP = 3
# Tool calls one turn may make, however many a model sends at once.
MAX_CALLS_PER_TURN = 20
_MAX_REPORTED_PROBLEMS = 3
_PARAMS: dict[str, type[BaseModel]] = {}


def task_tool(func: Callable[..., Awaitable[str]]) -> FunctionTool:
    """``@function_tool``, with failures explained to the model and calls per turn bounded."""
    _PARAMS[func.__name__] = function_schema(func).params_pydantic_model

    @functools.wraps(func)  # the signature and docstring make the tool's schema
    async def bounded(ctx: RunContextWrapper[Any], *args: Any, **kwargs: Any) -> str:
        request = ctx.context.request_context
        request.tool_calls += 1
        if request.tool_calls > MAX_CALLS_PER_TURN:
            logger.warning("tool %s refused: over %d tool calls in one turn", func.__name__, MAX_CALLS_PER_TURN)
            return f"Error: this turn already made {MAX_CALLS_PER_TURN} tool calls, the most it may. {STOP}"
        return await func(ctx, *args, **kwargs)

    return function_tool(bounded, failure_error_function=explain_tool_failure)


def explain_tool_failure(ctx: RunContextWrapper[Any], error: Exception) -> str:
    """What the model reads back after a failed call (the SDK's ``failure_error_function``)."""
    name = getattr(ctx, "tool_name", "tool")
    problem = argument_problem(name, getattr(ctx, "tool_arguments", "") or "")
    if problem is None:
        # The arguments were fine: the tool itself failed. Not the model's to fix.
        logger.warning("tool %s failed: %s: %s", name, type(error).__name__, _one_line(str(error)))
        _count_failure(ctx)
        return f"Error: {name} failed on our side ({type(error).__name__}). {STOP}"
    logger.warning("tool %s called with bad arguments: %s", name, problem)
    return _with_advice(ctx, f"Error: {problem}.")


def argument_problem(tool_name: str, raw_arguments: str) -> str | None:
    """What is wrong with these arguments for this tool, in a sentence; None if nothing is."""
    params = _PARAMS.get(tool_name)
    try:
        arguments = json.loads(raw_arguments) if raw_arguments.strip() else {}
    except json.JSONDecodeError as exc:
        return f"the arguments to {tool_name} are not valid JSON ({exc.msg} at character {exc.pos}); send one JSON object"
    if not isinstance(arguments, dict):
        return f"the arguments to {tool_name} must be one JSON object, not {type(arguments).__name__}"
    if params is None:
        return None
    try:
        params.model_validate(arguments)
    except ValidationError as exc:
        problems = [_describe(error, params) for error in exc.errors()[:_MAX_REPORTED_PROBLEMS]]
        return f"{tool_name} was called with invalid arguments: " + "; ".join(problems)
    return None


def _describe(error: dict[str, Any], params: type[BaseModel]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())) or "arguments"
    kind = error.get("type", "")
    if kind == "missing":
        return f"{where} is required"
    if kind == "extra_forbidden":
        return f"{where} is not an argument of this tool (accepted: {', '.join(params.model_fields)})"
    return f"{where}: {error_message(error)}, got {_short(error.get('input'))}"


STOP = "Stop calling tools now and tell the user, in one sentence, what you could not do."


def _with_advice(ctx: RunContextWrapper[Any], message: str) -> str:
    """A fixable mistake: try again, until a few have failed this turn."""
    if _count_failure(ctx) >= FAILURES_BEFORE_GIVING_UP:
        return f"{message} Several tool calls have failed this turn. {STOP}"
    return message + " Fix the arguments and call the tool again."


def _count_failure(ctx: RunContextWrapper[Any]) -> int:
    """Failures so far in this request; kept on the request context, which lives one turn."""
    request = getattr(ctx.context, "request_context", None)
    if request is None:
        return 1
    request.tool_failures += 1
    return request.tool_failures


def format_tool_error(args: ToolErrorFormatterArgs[Any]) -> str | None:
    """The run's ``tool_error_formatter``: a model that calls a tool we do not have learns which we do."""
    if args.kind != "tool_not_found":
        return None
    logger.warning("model called a tool that does not exist: %s", _one_line(args.tool_name)[:80])
    known = ", ".join(sorted(_PARAMS))
    return _with_advice(args.run_context, f"Error: there is no tool named {args.tool_name!r}. The tools are: {known}.")


def first_error(exc: Exception) -> str:
    """A failure the user or model can act on, in one line: a validation error's first
    message (``validation_text``), any other error's own words ("That task no longer exists")."""
    return first_message(exc) if isinstance(exc, ValidationError) else str(exc)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
