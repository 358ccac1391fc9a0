"""LocalModel: the Agents SDK ``Model`` that runs offline, with no key and no network.

Each call looks at the conversation's current turn (conversation.py):
- the user's latest message has not been acted on -> tool calls from the parser, or a
  plain reply when no tool applies (greetings, help, off-topic). The turns before it are
  read too (references.py), so "it", "the first two" and answers to a question ("the
  second one", "yes", "never mind") mean what the thread showed;
- tools already ran for it -> a short final reply built from their outputs.
So a run is at most two model calls and can never loop: once outputs are seen, it answers.

"Now" is a value, not text: the model is given the user's clock (``LocalModel(clock)``; the
chat server hands each request's in with ``on_user_clock``), and every date it emits is
local to that clock's zone.

``stream_response`` yields the same Responses API events a real model streams (created,
output item added, content part added, text deltas a few words at a time, done events, completed
with the full Response), because Runner.run_streamed reads tool calls from
``ResponseCompletedEvent.response.output`` and ChatKit's stream_agent_response turns the
message events into assistant message items and deltas.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator

from agents.agent_output import AgentOutputSchemaBase
from agents.handoffs import Handoff
from agents.items import ModelResponse, TResponseInputItem, TResponseOutputItem, TResponseStreamEvent
from agents.model_settings import ModelSettings
from agents.models.interface import Model, ModelTracing
from agents.tool import Tool
from agents.usage import Usage
from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseFunctionToolCall,
    ResponseInProgressEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseUsage,
)
from openai.types.responses.response_prompt_param import ResponsePromptParam
from openai.types.responses.response_usage import InputTokensDetails, OutputTokensDetails

from todochat.limits import MESSAGE_MAX_CHARS

from . import replies
from .conversation import Turn, read_exchanges, read_turn
from .parser import parse_command
from .plan import Plan, ToolCall
from .references import Context

MODEL_NAME = "todochat-local"
logger = logging.getLogger(__name__)
_ARGUMENT_CHUNK = 24  # characters per function-call arguments delta


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class LocalModel(Model):
    """An offline model for the todo assistant: understands task commands in English.

    ``clock`` gives the user's time now in their zone (without one: UTC).
    """

    def __init__(self, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self.model = MODEL_NAME
        self.clock = clock

    def on_user_clock(self, clock: Callable[[], dt.datetime]) -> LocalModel:
        """This model reading ``clock``: the chat server gives each request the user's own."""
        model = copy.copy(self)
        model.clock = clock
        return model

    def local_now(self) -> dt.datetime:
        """The user's wall-clock time to the minute, naive: dates are written without a zone."""
        return self.clock().replace(tzinfo=None, second=0, microsecond=0)

    async def get_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None = None,
        conversation_id: str | None = None,
        prompt: ResponsePromptParam | None = None,
    ) -> ModelResponse:
        # In a worker thread: a slow parse must never stall the server's other requests.
        output, usage = await asyncio.to_thread(self._respond_and_count, input, tools)
        return ModelResponse(output=output, usage=usage, response_id=_new_id("resp"))

    async def stream_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None = None,
        conversation_id: str | None = None,
        prompt: ResponsePromptParam | None = None,
    ) -> AsyncIterator[TResponseStreamEvent]:
        # In a worker thread: a slow parse must never stall the server's other requests. An
        # await in this generator, not a task of its own: the SDK's context stays as it is.
        output, usage = await asyncio.to_thread(self._respond_and_count, input, tools)
        for event in stream_events(output, usage):
            yield event
            await asyncio.sleep(0)  # let consumers render each delta as it comes

    def respond(self, input: str | list[TResponseInputItem], tools: list[Tool]) -> list[TResponseOutputItem]:
        """The output items for this call: tool calls, or one assistant message."""
        turn = read_turn(input)
        now = self.local_now()
        if not turn.needs_tool_calls:
            return [_message(_closing_reply(turn, now, input))]
        # Bounded like every message the server accepts, whatever reached the model.
        text = (turn.user_text or "")[:MESSAGE_MAX_CHARS]
        quoted = turn.quoted_text[:MESSAGE_MAX_CHARS] if turn.quoted_text else turn.quoted_text
        try:
            plan = parse_command(text, now, quoted=quoted, context=_thread_before(input, now))
        except Exception:  # a parser bug must cost one reply, not the conversation
            logger.exception("offline model could not parse %r", text[:200])
            plan = Plan.say(replies.NOT_UNDERSTOOD)
        return _plan_output(plan, {getattr(tool, "name", None) for tool in tools})

    def _respond_and_count(
        self, input: str | list[TResponseInputItem], tools: list[Tool]
    ) -> tuple[list[TResponseOutputItem], Usage]:
        """``respond`` and its usage, both in the worker thread: counting reads the whole conversation."""
        output = self.respond(input, tools)
        return output, _usage(input, output)


def _thread_before(input: str | list[TResponseInputItem], now: dt.datetime) -> Context:
    """The turns before the user's latest message: what "it" and "the first one" point at."""
    return Context(read_exchanges(input)[:-1], now)


def _closing_reply(turn: Turn, now: dt.datetime, input: str | list) -> str:
    if turn.tools_called or turn.tool_outputs:
        return replies.after_tools(turn.tool_outputs, _plan_notes(turn, now, input))
    return replies.NOTHING_NEW


def _plan_notes(turn: Turn, now: dt.datetime, input: str | list) -> tuple[str, ...]:
    """What the plan for the user's message said beside its tool calls (a date it did not
    set, and why). The plan is a pure function of the message and the clock, so it is read
    again rather than carried between the two model calls of a turn."""
    if not turn.user_text:
        return ()
    text = turn.user_text[:MESSAGE_MAX_CHARS]
    quoted = turn.quoted_text[:MESSAGE_MAX_CHARS] if turn.quoted_text else turn.quoted_text
    try:
        return parse_command(text, now, quoted=quoted, context=_thread_before(input, now)).notes
    except Exception:  # the calls were made; a parser bug must not cost their reply
        logger.exception("offline model could not parse %r", text[:200])
        return ()


def _plan_output(plan: Plan, available_tools: set[str | None]) -> list[TResponseOutputItem]:
    if not plan.calls:
        return [_message(plan.reply or replies.NOTHING_NEW)]
    missing = [call.name for call in plan.calls if call.name not in available_tools]
    if missing:
        return [_message(replies.MISSING_TOOL.format(tool=missing[0]))]
    return [_function_call(call) for call in plan.calls]


# ---------------------------------------------------------------- output items


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


# Replies quote task titles, which users write: "![x](http://tracker/...)" or "<img ...>"
# in a title must not become an image a ChatKit client loads when it renders the reply as
# Markdown. Escaped, they read the same and render as text.
_IMAGE_OR_TAG = re.compile(r"!\[|<(?=[A-Za-z/!?])")


def _inert_markdown(text: str) -> str:
    return _IMAGE_OR_TAG.sub(lambda match: "!\\[" if match.group() == "![" else "\\<", text)


def _message(text: str) -> ResponseOutputMessage:
    text = _inert_markdown(text)
    return ResponseOutputMessage(
        id=_new_id("msg"),
        type="message",
        role="assistant",
        status="completed",
        content=[ResponseOutputText(type="output_text", text=text, annotations=[], logprobs=[])],
    )


def _function_call(call: ToolCall) -> ResponseFunctionToolCall:
    return ResponseFunctionToolCall(
        id=_new_id("fc"),
        call_id=_new_id("call"),
        type="function_call",
        name=call.name,
        arguments=json.dumps(call.arguments, ensure_ascii=False),
        status="completed",
    )


def _usage(input: str | list[TResponseInputItem], output: list[TResponseOutputItem]) -> Usage:
    """Word counts stand in for tokens: there is no tokenizer, but usage must be filled."""
    input_tokens = len(json.dumps(input, default=str).split())
    output_tokens = sum(len(item.model_dump_json().split()) for item in output)
    return Usage(
        requests=1, input_tokens=input_tokens, output_tokens=output_tokens, total_tokens=input_tokens + output_tokens
    )


# ---------------------------------------------------------------- streaming


def stream_events(output: list[TResponseOutputItem], usage: Usage) -> Iterator[TResponseStreamEvent]:
    """The Responses API event sequence a server would stream for ``output``."""
    response = _response(output, usage)
    in_progress = response.model_copy(update={"output": [], "status": "in_progress", "usage": None})
    sequence = _Sequence()
    yield ResponseCreatedEvent(type="response.created", response=in_progress, sequence_number=sequence.next())
    yield ResponseInProgressEvent(type="response.in_progress", response=in_progress, sequence_number=sequence.next())
    for index, item in enumerate(output):
        if isinstance(item, ResponseOutputMessage):
            yield from _message_events(item, index, sequence)
        elif isinstance(item, ResponseFunctionToolCall):
            yield from _function_call_events(item, index, sequence)
    yield ResponseCompletedEvent(type="response.completed", response=response, sequence_number=sequence.next())


class _Sequence:
    def __init__(self) -> None:
        self._value = -1

    def next(self) -> int:
        self._value += 1
        return self._value


def _message_events(item: ResponseOutputMessage, index: int, sequence: _Sequence) -> Iterator[TResponseStreamEvent]:
    yield ResponseOutputItemAddedEvent(
        type="response.output_item.added",
        item=item.model_copy(update={"content": [], "status": "in_progress"}),
        output_index=index,
        sequence_number=sequence.next(),
    )
    for content_index, part in enumerate(item.content):
        assert isinstance(part, ResponseOutputText)
        yield ResponseContentPartAddedEvent(
            type="response.content_part.added",
            item_id=item.id,
            output_index=index,
            content_index=content_index,
            part=part.model_copy(update={"text": ""}),
            sequence_number=sequence.next(),
        )
        for delta in _pieces(part.text):
            yield ResponseTextDeltaEvent(
                type="response.output_text.delta",
                item_id=item.id,
                output_index=index,
                content_index=content_index,
                delta=delta,
                logprobs=[],
                sequence_number=sequence.next(),
            )
        yield ResponseTextDoneEvent(
            type="response.output_text.done",
            item_id=item.id,
            output_index=index,
            content_index=content_index,
            text=part.text,
            logprobs=[],
            sequence_number=sequence.next(),
        )
        yield ResponseContentPartDoneEvent(
            type="response.content_part.done",
            item_id=item.id,
            output_index=index,
            content_index=content_index,
            part=part,
            sequence_number=sequence.next(),
        )
    yield ResponseOutputItemDoneEvent(
        type="response.output_item.done", item=item, output_index=index, sequence_number=sequence.next()
    )


def _function_call_events(
    item: ResponseFunctionToolCall, index: int, sequence: _Sequence
) -> Iterator[TResponseStreamEvent]:
    item_id = item.id or item.call_id
    yield ResponseOutputItemAddedEvent(
        type="response.output_item.added",
        item=item.model_copy(update={"arguments": "", "status": "in_progress"}),
        output_index=index,
        sequence_number=sequence.next(),
    )
    for start in range(0, len(item.arguments), _ARGUMENT_CHUNK):
        yield ResponseFunctionCallArgumentsDeltaEvent(
            type="response.function_call_arguments.delta",
            item_id=item_id,
            output_index=index,
            delta=item.arguments[start : start + _ARGUMENT_CHUNK],
            sequence_number=sequence.next(),
        )
    # Older openai models require ``name`` here; newer ones keep it as an extra field.
    yield ResponseFunctionCallArgumentsDoneEvent.model_validate(
        {
            "type": "response.function_call_arguments.done",
            "item_id": item_id,
            "output_index": index,
            "arguments": item.arguments,
            "name": item.name,
            "sequence_number": sequence.next(),
        }
    )
    yield ResponseOutputItemDoneEvent(
        type="response.output_item.done", item=item, output_index=index, sequence_number=sequence.next()
    )


WORDS_PER_DELTA = 4


def _pieces(text: str) -> list[str]:
    """Deltas of a few words that join back to exactly ``text``. The whole reply is ready at
    once: a delta per word only multiplied the events every layer handles (a tenth of a
    turn's time), for a difference no reader sees."""
    words = re.findall(r"\S+\s*|\s+", text) or [text]
    return ["".join(words[i : i + WORDS_PER_DELTA]) for i in range(0, len(words), WORDS_PER_DELTA)]


def _response(output: list[TResponseOutputItem], usage: Usage) -> Response:
    return Response(
        id=_new_id("resp"),
        created_at=time.time(),
        model=MODEL_NAME,
        object="response",
        output=output,
        tool_choice="auto",
        tools=[],
        top_p=None,
        parallel_tool_calls=True,
        status="completed",
        usage=ResponseUsage(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            total_tokens=usage.total_tokens,
            input_tokens_details=InputTokensDetails(cached_tokens=0, cache_write_tokens=0),
            output_tokens_details=OutputTokensDetails(reasoning_tokens=0),
        ),
    )


__all__ = ["LocalModel", "MODEL_NAME", "stream_events"]
