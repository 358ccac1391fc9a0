"""TodoChatKitServer: the ChatKit protocol on top of our store, agent and widget actions."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from agents import Agent, Model, ModelSettings, RunConfig, Runner, RunResultStreaming, ToolExecutionConfig
from chatkit.agents import AgentContext, stream_agent_response
from chatkit.errors import CustomStreamError
from chatkit.server import ChatKitServer, NonStreamingResult, StreamingResult
from chatkit.store import NotFoundError, Store
from chatkit.types import (
    Action,
    ChatKitReq,
    ClientEffectEvent,
    ErrorEvent,
    FeedbackKind,
    StreamOptions,
    SyncCustomActionResponse,
    ThreadItemDoneEvent,
    ThreadMetadata,
    ThreadsAddStructuredInputReq,
    ThreadStreamEvent,
    UserMessageItem,
    WidgetItem,
    is_streaming_req,
)
from pydantic import TypeAdapter

from todochat.chat import actions, model_errors, which_task
from todochat.chat.action_outcome import ActionError
from todochat.chat.agent import build_agent
from todochat.chat.context import RequestContext
from todochat.chat.history import ToolCallRecorder, history_for_model
from todochat.chat.item_ids import OwnItemIds
from todochat.chat.llm import without_unstored_reasoning
from todochat.chat.silence import SilenceLimit
from todochat.chat.tool_errors import format_tool_error
from todochat.chat.turn_store import TurnStore
from todochat.clean_text import strip_controls
from todochat.limits import FEEDBACK_MAX_ITEMS
from todochat.request_log import log_line

logger = logging.getLogger(__name__)

# Model calls in one turn: a few tool rounds and the reply. A model that keeps failing
# is told to stop after tool_errors.FAILURES_BEFORE_GIVING_UP; this is the hard stop.
MAX_TURNS = 8
TITLE_LENGTH = 48
DEFAULT_HISTORY_BUDGET = 24_000
REPLY_NOT_SAVED = "This reply could not be saved, so it will be gone when the page reloads. Try again."
# Built once: the SDK's own ``process`` builds this adapter for every request (~4 ms of
# schema generation, a tenth of a turn's CPU).
CHATKIT_REQUEST: TypeAdapter[ChatKitReq] = TypeAdapter(ChatKitReq)
# The last event of a stream that committed a change to a task (a tool, a card's button,
# an answered question): the official ChatKit UI's page then reads its task list again
# (assets/chatkit/embed.html). The native client re-reads it after every turn anyway.
TASKS_CHANGED = ClientEffectEvent(name="tasks_changed")


def title_from(message: UserMessageItem) -> str:
    # Control characters (NUL included, which PostgreSQL text cannot hold) never reach a title.
    text = " ".join(
        strip_controls(" ".join(getattr(part, "text", "") for part in message.content)).split()
    )
    if len(text) <= TITLE_LENGTH:
        return text or "New chat"
    cut = text[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return (cut or text[:TITLE_LENGTH]) + "…"


# The same for every run; built once (its checks cost more than a model call of the offline model).
RUN_CONFIG = RunConfig(
    tracing_disabled=True,
    workflow_name="todochat",
    # A model that names a tool we lack is told which exist, and tries again.
    tool_not_found_behavior="return_error_to_model",
    tool_error_formatter=format_tool_error,
    call_model_input_filter=without_unstored_reasoning,
    # One call at a time, in the order the model gave them, even when it sends several at
    # once despite parallel_tool_calls=False: cards stay in order.
    tool_execution=ToolExecutionConfig(max_function_tool_concurrency=1),
)


class CaughtRun:
    """The run as ``stream_agent_response`` reads it, with a failure kept for afterwards.

    A run that raises inside ChatKit's event merger leaves its other reader pending
    ("Task was destroyed but it is pending!"); ending the events normally lets ChatKit
    finish its own bookkeeping, and ``respond`` raises the failure after.
    """

    def __init__(self, result: RunResultStreaming):
        self.result = result
        self.error: Exception | None = None

    async def stream_events(self) -> AsyncIterator[Any]:
        try:
            async for event in self.result.stream_events():
                yield event
        except Exception as exc:
            self.error = exc


def shows_an_answer(event: ThreadStreamEvent) -> bool:
    """A card, or a reply with words in it: what a turn must end with."""
    if not isinstance(event, ThreadItemDoneEvent):
        return False
    if event.item.type == "widget":
        return True
    return event.item.type == "assistant_message" and any(part.text.strip() for part in event.item.content)


def on_user_clock(model: Model | str | None, clock: Callable[[], dt.datetime]) -> Model | str | None:
    """``model`` reading the user's ``clock`` if it is one that reads a clock (the offline
    model offers ``on_user_clock``), also inside a ``SilenceLimit``; any other, unchanged."""
    if isinstance(model, SilenceLimit):
        inner = on_user_clock(model.inner, clock)
        return model if inner is model.inner else SilenceLimit(inner, model.seconds)
    reads_clock = getattr(model, "on_user_clock", None)
    return model if reads_clock is None else reads_clock(clock)


class TodoChatKitServer(ChatKitServer[RequestContext]):
    def __init__(
        self,
        store: Store[RequestContext],
        *,
        model: Model,
        model_settings: ModelSettings | None = None,
        model_timeout: float = 60.0,
        history_budget: int = DEFAULT_HISTORY_BUDGET,
    ):
        super().__init__(store)
        self.agent = build_agent(SilenceLimit(model, model_timeout), model_settings)
        self.history_budget = history_budget

    async def process(
        self, request: str | bytes | bytearray | ChatKitReq, context: RequestContext
    ) -> StreamingResult | NonStreamingResult:
        """The SDK's ``process``, parsing with an adapter built once; a request the caller
        has parsed already (POST /chatkit checks it first) is not parsed again. It routes
        as the SDK does, through its ``_process_streaming`` and ``_process_non_streaming``
        (openai-chatkit is pinned; every request type's test goes through here)."""
        parsed = CHATKIT_REQUEST.validate_json(request) if isinstance(request, (str, bytes, bytearray)) else request
        if isinstance(parsed, ThreadsAddStructuredInputReq):
            # The SDK records the answer on the question, then calls respond(): ours answers it.
            context.answering = await which_task.claim(self.store, parsed.params, context)
        if is_streaming_req(parsed):
            return StreamingResult(self._items_written_by_the_end(self._process_streaming(parsed, context), context))
        try:
            return NonStreamingResult(await self._process_non_streaming(parsed, context))
        finally:
            context.checked_thread = context.answering = None  # this request's, never the next one's

    async def _items_written_by_the_end(self, chunks: AsyncIterator[bytes], context: RequestContext) -> AsyncIterator[bytes]:
        """The stream, its items written by its transactions rather than each by its own
        (pending_items.py); what is left is written before the stream ends, however it ends.
        A stream that committed a change to a task ends with TASKS_CHANGED."""
        context.pending.deferring = True
        try:
            async for chunk in chunks:
                yield chunk
        except BaseException:
            # Stopped, or failed: what was produced is written all the same, then it goes on.
            await self._write_what_is_left(context)
            raise
        else:
            if not await self._write_what_is_left(context):
                # The client has seen a reply that is not stored: it must not think it is.
                failed = ErrorEvent(code="custom", message=REPLY_NOT_SAVED, allow_retry=True)
                yield b"data: " + self._serialize(failed) + b"\n\n"
            if context.tasks_changed:
                # Last, once everything is stored: a client that reads the thread again
                # on it finds the whole reply; and once, however many changes it made.
                context.tasks_changed = False
                yield b"data: " + self._serialize(TASKS_CHANGED) + b"\n\n"
        finally:
            context.checked_thread = context.answering = None  # this request's, never the next one's

    async def _write_what_is_left(self, context: RequestContext) -> bool:
        """Write the items the stream still holds; whether they are stored (or had nowhere to go)."""
        context.pending.deferring = False
        try:
            await self.store.write_pending(context)
        except NotFoundError:
            # The conversation was deleted while its reply was written (another tab).
            logger.info("items of a conversation that is gone were dropped")
        except Exception:
            logger.exception("the end of a chat reply could not be stored")
            return False
        return True

    def agent_for(self, context: RequestContext) -> Agent[AgentContext[RequestContext]]:
        """The agent for one request. A model that works dates out itself (the offline one)
        is handed the user's clock as a value; a real model reads the time from the
        instructions, and the agent is shared as it is."""
        model = on_user_clock(self.agent.model, context.now_local)
        return self.agent if model is self.agent.model else self.agent.clone(model=model)

    def get_stream_options(self, thread: ThreadMetadata, context: RequestContext) -> StreamOptions:
        # Over HTTP a reply runs to its end whoever reads it (api/chatkit_route.py): the
        # ChatKit UI must not offer a Stop that would only stop it being shown.
        return StreamOptions(allow_cancel=False)

    # -- a user message

    async def respond(
        self, thread: ThreadMetadata, input_user_message: UserMessageItem | None, context: RequestContext
    ) -> AsyncIterator[ThreadStreamEvent]:
        if input_user_message is not None and not thread.title:
            thread.title = title_from(input_user_message)  # saved and announced by the SDK
        if context.answering is not None:
            answering, context.answering = context.answering, None
            new_id = lambda kind: self.store.generate_item_id(kind, thread, context)  # noqa: E731
            async for event in which_task.answer(self.store, thread, answering, context, new_id):
                yield event
            log_line("chat_turn", user_id=context.user_id, thread_id=thread.id, outcome="answered_question")
            return

        context.tool_calls = context.tool_failures = 0
        history = await history_for_model(self.store, thread, context, self.history_budget)
        store = TurnStore(self.store, thread.id, history.newest)
        agent_context = AgentContext(thread=thread, store=store, request_context=context)
        result = Runner.run_streamed(
            self.agent_for(context),
            history.input,
            context=agent_context,
            max_turns=MAX_TURNS,
            hooks=ToolCallRecorder(),
            run_config=RUN_CONFIG,
        )
        own_ids = OwnItemIds(lambda: self.store.generate_item_id("message", thread, context))
        run = CaughtRun(result)
        answered = False
        started, outcome = time.perf_counter(), "stopped"  # unless it ends otherwise
        try:
            async for event in stream_agent_response(agent_context, run):
                event = own_ids(event)
                answered = answered or shows_an_answer(event)
                yield event
            if run.error is not None:
                raise run.error
            if not answered:
                model_errors.log_reason(thread.id, "the model answered with nothing")
                raise CustomStreamError(f"The assistant gave no answer. {model_errors.SAVED}; try again.", allow_retry=True)
            outcome = "answered"
        except CustomStreamError:
            outcome = "error"
            raise
        except Exception as exc:
            outcome = "error"
            message, allow_retry = model_errors.explain(exc, thread.id)
            raise CustomStreamError(message, allow_retry=allow_retry) from None
        finally:
            # Stopped, disconnected or failed: the run must not go on changing tasks unseen.
            if not result.is_complete:
                result.cancel()
            log_line("chat_turn", user_id=context.user_id, thread_id=thread.id, outcome=outcome,
                     tool_calls=context.tool_calls, ms=round((time.perf_counter() - started) * 1000, 1))

    # -- widget buttons

    async def action(
        self, thread: ThreadMetadata, action: Action[str, Any], sender: WidgetItem | None, context: RequestContext
    ) -> AsyncIterator[ThreadStreamEvent]:
        try:
            outcome = await actions.run(context, action, sender)
        except ActionError as exc:
            yield ErrorEvent(code="custom", message=exc.message, allow_retry=False)
            return
        new_id = lambda kind: self.store.generate_item_id(kind, thread, context)  # noqa: E731
        async for event in actions.events_for(outcome, thread, sender, new_id):
            yield event

    async def sync_action(
        self, thread: ThreadMetadata, action: Action[str, Any], sender: WidgetItem | None, context: RequestContext
    ) -> SyncCustomActionResponse:
        """Buttons that need no reply (tick a row) answer at once, even mid-stream."""
        outcome = await actions.run(context, action, sender)  # ActionError: the caller reports it
        if sender is None or outcome.tree is None:
            return SyncCustomActionResponse()
        item = actions.replaced(sender, outcome.tree)
        # The SDK does not persist sync results itself.
        await self.store.save_item(thread.id, item, context=context)
        return SyncCustomActionResponse(updated_item=item)

    # -- feedback

    async def add_feedback(
        self, thread_id: str, item_ids: list[str], feedback: FeedbackKind, context: RequestContext
    ) -> None:
        """Kept in the thread's metadata: item id -> "positive" | "negative".

        At most ``FEEDBACK_MAX_ITEMS`` items, all checked in one query (ValueError: a 400).
        """
        item_ids = list(dict.fromkeys(item_ids))
        if not item_ids or len(item_ids) > FEEDBACK_MAX_ITEMS:
            raise ValueError(f"Feedback names 1 to {FEEDBACK_MAX_ITEMS} items")
        thread = await self.store.load_thread(thread_id, context=context)
        found = await self.store.existing_item_ids(thread_id, item_ids, context)
        if len(found) != len(item_ids):
            raise NotFoundError("Item not found")  # must exist, must be theirs
        recorded = dict(thread.metadata.get("feedback", {}))
        recorded.update({item_id: feedback for item_id in item_ids})
        thread.metadata = {**thread.metadata, "feedback": recorded}
        await self.store.save_thread(thread, context=context)
