"""The floor under a chat turn: what the ChatKit protocol itself costs (issue 14).

A bare ``ChatKitServer`` from the SDK with nothing of todochat's: no sign-in, no database
(threads and items in a dict), and a scripted model that does no work. Every message gets
the shape of a todochat "add" turn: the model calls one tool, the tool streams a small
card, the model streams a one-sentence reply. A turn on todochat cannot cost less than
this, so ``bench/chat_turn.py`` divides by it.

The model streams the same Responses events the offline model does (its ``stream_events``):
the SDK's parsing of them is protocol cost, the same on both sides.
"""

from __future__ import annotations

import asyncio
import json
import uuid

from agents import Agent, RunConfig, RunContextWrapper, Runner, function_tool
from agents.models.interface import Model
from agents.usage import Usage
from chatkit.agents import AgentContext, ThreadItemConverter, stream_agent_response
from chatkit.server import ChatKitServer, StreamingResult
from chatkit.store import NotFoundError, Store
from chatkit.types import Page
from chatkit.widgets import Card, Text
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText

from todochat.chat.local_model.model import stream_events


class MemoryStore(Store):
    """The SDK's store contract over dicts: nothing is written anywhere."""

    def __init__(self):
        self.threads, self.items = {}, {}

    async def load_thread(self, thread_id, context):
        if thread_id not in self.threads:
            raise NotFoundError(thread_id)
        return self.threads[thread_id]

    async def save_thread(self, thread, context):
        self.threads[thread.id] = thread
        self.items.setdefault(thread.id, {})

    async def load_thread_items(self, thread_id, after, limit, order, context):
        items = sorted(self.items.get(thread_id, {}).values(), key=lambda i: (i.created_at, i.id), reverse=order == "desc")
        start = next((n + 1 for n, i in enumerate(items) if i.id == after), 0) if after else 0
        page = items[start : start + limit]
        more = start + limit < len(items)
        return Page(data=page, has_more=more, after=page[-1].id if more else None)

    async def add_thread_item(self, thread_id, item, context):
        self.items.setdefault(thread_id, {})[item.id] = item

    async def save_item(self, thread_id, item, context):
        self.items.setdefault(thread_id, {})[item.id] = item

    async def load_item(self, thread_id, item_id, context):
        try:
            return self.items[thread_id][item_id]
        except KeyError:
            raise NotFoundError(item_id) from None

    async def delete_thread(self, thread_id, context):
        self.threads.pop(thread_id, None)
        self.items.pop(thread_id, None)

    async def delete_thread_item(self, thread_id, item_id, context):
        self.items.get(thread_id, {}).pop(item_id, None)

    async def load_threads(self, limit, after, order, context):
        return Page(data=list(self.threads.values())[:limit], has_more=False)

    async def save_attachment(self, attachment, context):
        raise ValueError("no attachments")

    async def load_attachment(self, attachment_id, context):
        raise NotFoundError(attachment_id)

    async def delete_attachment(self, attachment_id, context):
        raise NotFoundError(attachment_id)


@function_tool
async def add_task(ctx: RunContextWrapper[AgentContext], title: str) -> str:
    """Add a task."""
    await ctx.context.stream_widget(Card(children=[Text(value=title)]), copy_text=title)
    return f"Added {title}"


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


class ScriptedModel(Model):
    """First call of a turn: one ``add_task`` call with the user's words. Second: a reply."""

    async def get_response(self, *args, **kwargs):
        raise NotImplementedError("the floor only streams")

    async def stream_response(self, system_instructions, input, *args, **kwargs):
        last = input[-1] if isinstance(input, list) else {"content": input}
        if last.get("type") == "function_call_output":
            text = "Added it to your list."
            output = [ResponseOutputMessage(
                id=_id("msg"), type="message", role="assistant", status="completed",
                content=[ResponseOutputText(type="output_text", text=text, annotations=[], logprobs=[])],
            )]
        else:
            words = last.get("content")
            title = words if isinstance(words, str) else " ".join(part.get("text", "") for part in words)
            output = [ResponseFunctionToolCall(
                id=_id("fc"), call_id=_id("call"), type="function_call", name="add_task",
                arguments=json.dumps({"title": title.strip()[:80]}), status="completed",
            )]
        for event in stream_events(output, Usage(requests=1)):
            yield event
            await asyncio.sleep(0)  # as a model on the wire: one event at a time, as the offline model does


class FloorServer(ChatKitServer):
    def __init__(self):
        super().__init__(MemoryStore())
        self.agent = Agent(name="floor", instructions="Add tasks.", model=ScriptedModel(), tools=[add_task])
        self.converter = ThreadItemConverter()

    async def respond(self, thread, input_user_message, context):
        recent = await self.store.load_thread_items(thread.id, None, 30, "desc", context)
        agent_input = await self.converter.to_agent_input(list(reversed(recent.data)))
        agent_context = AgentContext(thread=thread, store=self.store, request_context=context)
        result = Runner.run_streamed(self.agent, agent_input, context=agent_context,
                                     run_config=RunConfig(tracing_disabled=True))
        async for event in stream_agent_response(agent_context, result):
            yield event


def floor_app() -> FastAPI:
    server = FloorServer()
    app = FastAPI()

    @app.post("/chatkit")
    async def chatkit(request: Request):
        result = await server.process(await request.body(), {})
        if isinstance(result, StreamingResult):
            return StreamingResponse(result, media_type="text/event-stream")
        return Response(result.json, media_type="application/json")

    return app
