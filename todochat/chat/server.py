"""TodoChatKitServer: the ChatKit protocol on top of our store, agent and widget actions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from agents import Model, RunConfig, Runner
from chatkit.agents import AgentContext, ThreadItemConverter, stream_agent_response
from chatkit.errors import CustomStreamError
from chatkit.server import ChatKitServer
from chatkit.store import Store
from chatkit.types import (
    Action,
    ErrorEvent,
    FeedbackKind,
    SyncCustomActionResponse,
    ThreadMetadata,
    ThreadStreamEvent,
    UserMessageItem,
    UserMessageTagContent,
    WidgetItem,
)
from openai.types.responses import ResponseInputTextParam

from todochat.chat import actions
from todochat.chat.agent import build_agent
from todochat.chat.context import RequestContext

logger = logging.getLogger(__name__)

# How much of the conversation the model sees: enough for "move it to friday", bounded cost.
HISTORY_ITEMS = 30
MAX_TURNS = 8
TITLE_LENGTH = 48


class TodoItemConverter(ThreadItemConverter):
    """The SDK's converter, plus plain text for @-tags (the SDK leaves them unimplemented)."""

    async def tag_to_message_content(self, tag: UserMessageTagContent) -> ResponseInputTextParam:
        return ResponseInputTextParam(type="input_text", text=tag.text)


def title_from(message: UserMessageItem) -> str:
    text = " ".join(
        " ".join(getattr(part, "text", "") for part in message.content).split()
    )
    if len(text) <= TITLE_LENGTH:
        return text or "New chat"
    cut = text[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return (cut or text[:TITLE_LENGTH]) + "…"


class TodoChatKitServer(ChatKitServer[RequestContext]):
    def __init__(self, store: Store[RequestContext], *, model: Model, model_timeout: float = 60.0):
        super().__init__(store)
        self.agent = build_agent(model)
        self.model_timeout = model_timeout
        self.converter = TodoItemConverter()

    # -- a user message

    async def respond(
        self, thread: ThreadMetadata, input_user_message: UserMessageItem | None, context: RequestContext
    ) -> AsyncIterator[ThreadStreamEvent]:
        if input_user_message is not None and not thread.title:
            thread.title = title_from(input_user_message)  # saved and announced by the SDK

        recent = await self.store.load_thread_items(thread.id, None, HISTORY_ITEMS, "desc", context)
        agent_input = await self.converter.to_agent_input(list(reversed(recent.data)))
        agent_context = AgentContext(thread=thread, store=self.store, request_context=context)
        result = Runner.run_streamed(
            self.agent,
            agent_input,
            context=agent_context,
            max_turns=MAX_TURNS,
            run_config=RunConfig(tracing_disabled=True, workflow_name="todochat"),
        )
        events = stream_agent_response(agent_context, result).__aiter__()
        try:
            while True:
                # The timeout is per event: a long answer that keeps streaming is fine,
                # a model that goes silent is not.
                try:
                    event = await asyncio.wait_for(anext(events), self.model_timeout)
                except StopAsyncIteration:
                    break
                yield event
        except TimeoutError:
            raise CustomStreamError(
                "The assistant took too long to answer. Your message is saved; try again.", allow_retry=True
            ) from None
        except CustomStreamError:
            raise
        except Exception:
            logger.exception("The model failed during a chat turn")
            raise CustomStreamError(
                "The assistant is unavailable right now. Your message is saved; try again in a moment.",
                allow_retry=True,
            ) from None
        finally:
            # Stopped, disconnected or failed: the run must not go on changing tasks unseen.
            if not result.is_complete:
                result.cancel()

    # -- widget buttons

    async def action(
        self, thread: ThreadMetadata, action: Action[str, Any], sender: WidgetItem | None, context: RequestContext
    ) -> AsyncIterator[ThreadStreamEvent]:
        try:
            outcome = await actions.run(context, action, sender)
        except actions.ActionError as exc:
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
        """Kept in the thread's metadata: item id -> "positive" | "negative"."""
        thread = await self.store.load_thread(thread_id, context=context)
        for item_id in item_ids:
            await self.store.load_item(thread_id, item_id, context=context)  # must exist, must be theirs
        recorded = dict(thread.metadata.get("feedback", {}))
        recorded.update({item_id: feedback for item_id in item_ids})
        thread.metadata = {**thread.metadata, "feedback": recorded}
        await self.store.save_thread(thread, context=context)
