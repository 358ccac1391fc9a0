"""An in-process ChatKit client: builds protocol requests, calls ``server.process``, decodes.

The CLI, the native Reflex chat and the tests all speak to the server through this, so
they exercise exactly what POST /chatkit does, minus HTTP.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from chatkit.server import StreamingResult
from chatkit.types import ThreadStreamEvent
from pydantic import TypeAdapter

from todochat.chat.context import RequestContext
from todochat.chat.preflight import check_request
from todochat.chat.server import CHATKIT_REQUEST, TodoChatKitServer

EVENT = TypeAdapter(ThreadStreamEvent)


def user_input(message: str | list[dict[str, Any]]) -> dict[str, Any]:
    """A user message: plain text, or its content parts (``input_text`` and ``input_tag``
    parts, in order: a message with @-mentions)."""
    content = [{"type": "input_text", "text": message}] if isinstance(message, str) else message
    return {"content": content, "attachments": [], "inference_options": {}}


def decode_sse(chunk: bytes) -> list[ThreadStreamEvent]:
    return [
        EVENT.validate_json(line[len("data: "):])
        for line in chunk.decode().splitlines()
        if line.startswith("data: ")
    ]


class ChatClient:
    """``preflight=True`` runs POST /chatkit's checks first, so a missing thread or another
    user's item raises (NotFoundError, UnsupportedRequest) before anything streams."""

    def __init__(self, server: TodoChatKitServer, context: RequestContext, *, preflight: bool = False):
        self.server = server
        self.context = context
        self.preflight = preflight

    async def _process(self, request: dict[str, Any]):
        parsed = CHATKIT_REQUEST.validate_json(json.dumps(request))  # as POST /chatkit reads a body
        if self.preflight:
            await check_request(self.server, parsed, self.context)
        return await self.server.process(parsed, self.context)

    # -- streaming requests

    async def stream(self, request: dict[str, Any]) -> AsyncIterator[ThreadStreamEvent]:
        result = await self._process(request)
        if not isinstance(result, StreamingResult):
            raise TypeError(f"{request['type']} is not a streaming request")
        async for chunk in result:
            for event in decode_sse(chunk):
                yield event

    def create_thread(self, text: str | list[dict[str, Any]]) -> AsyncIterator[ThreadStreamEvent]:
        return self.stream({"type": "threads.create", "params": {"input": user_input(text)}})

    def send(self, thread_id: str, text: str | list[dict[str, Any]]) -> AsyncIterator[ThreadStreamEvent]:
        return self.stream(
            {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": user_input(text)}}
        )

    def custom_action(self, thread_id: str, item_id: str | None, action: dict) -> AsyncIterator[ThreadStreamEvent]:
        params = {"thread_id": thread_id, "item_id": item_id, "action": action}
        return self.stream({"type": "threads.custom_action", "params": params})

    def answer(self, thread_id: str, item_id: str, answers: dict[str, list[str]] | None) -> AsyncIterator[ThreadStreamEvent]:
        """Answer a question (a structured input item): its inputs' ids -> the values given;
        None skips it."""
        submission = (
            {"status": "skipped", "answers": {}}
            if answers is None
            else {"status": "answered", "answers": {key: {"values": values} for key, values in answers.items()}}
        )
        params = {"thread_id": thread_id, "item_id": item_id, "input": submission}
        return self.stream({"type": "threads.add_structured_input", "params": params})

    def retry(self, thread_id: str, item_id: str) -> AsyncIterator[ThreadStreamEvent]:
        params = {"thread_id": thread_id, "item_id": item_id}
        return self.stream({"type": "threads.retry_after_item", "params": params})

    # -- non-streaming requests

    async def call(self, request: dict[str, Any]) -> Any:
        result = await self._process(request)
        if isinstance(result, StreamingResult):
            raise TypeError(f"{request['type']} is a streaming request")
        return json.loads(result.json)

    def sync_action(self, thread_id: str, item_id: str | None, action: dict):
        params = {"thread_id": thread_id, "item_id": item_id, "action": action}
        return self.call({"type": "threads.sync_custom_action", "params": params})

    def list_threads(self, limit: int = 20, after: str | None = None, order: str = "desc"):
        return self.call({"type": "threads.list", "params": {"limit": limit, "after": after, "order": order}})

    def get_thread(self, thread_id: str):
        return self.call({"type": "threads.get_by_id", "params": {"thread_id": thread_id}})

    def list_items(self, thread_id: str, limit: int = 50, after: str | None = None, order: str = "asc"):
        params = {"thread_id": thread_id, "limit": limit, "after": after, "order": order}
        return self.call({"type": "items.list", "params": params})

    def rename_thread(self, thread_id: str, title: str):
        return self.call({"type": "threads.update", "params": {"thread_id": thread_id, "title": title}})

    def delete_thread(self, thread_id: str):
        return self.call({"type": "threads.delete", "params": {"thread_id": thread_id}})

    def feedback(self, thread_id: str, item_ids: list[str], kind: str):
        params = {"thread_id": thread_id, "item_ids": item_ids, "kind": kind}
        return self.call({"type": "items.feedback", "params": params})
