"""LocalModel inside the real Agents SDK (Runner.run / run_streamed) and ChatKit's
stream_agent_response: real function tools, whose signatures follow the tool contract,
record what they were called with and answer with a short string.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from agents import Agent, FunctionTool, RunContextWrapper, Runner, function_tool, set_tracing_disabled
from chatkit.agents import AgentContext, simple_to_agent_input, stream_agent_response
from chatkit.store import Store
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    InferenceOptions,
    Page,
    ThreadItem,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemUpdatedEvent,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTextContent,
    WidgetItem,
)
from chatkit.widgets import Card, Text
from openai.types.responses import ResponseCompletedEvent, ResponseTextDeltaEvent

from todochat.chat.local_model import LocalModel
from todochat.chat.local_model.model import WORDS_PER_DELTA, stream_events
from todochat.chat.tool_errors import argument_problem
from todochat.chat.tools import TOOLS

set_tracing_disabled(True)

INSTRUCTIONS = "You manage the user's tasks with the tools.\n"
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("UTC"))


def on_monday() -> dt.datetime:
    return MONDAY

# What each recording tool answers: the real tools' wording, for a list that holds "buy milk".
ANSWERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "add_tasks": lambda a: " ".join(f"Added “{t['title']}”." for t in a["tasks"]),
    "list_tasks": lambda a: "You have 1 task: “buy milk”.",
    "complete_task": lambda a: f"Marked “{a['reference']}” as done.",
    "reopen_task": lambda a: f"Reopened “{a['reference']}”.",
    "delete_task": lambda a: f"I couldn't find a task matching “{a['reference']}”.",
    "update_task": lambda a: f"Updated “{a['reference']}”.",
    "bulk_tasks": lambda a: "Please confirm: delete 2 completed tasks?",
}


class Recorder:
    """The task tools with the real tools' names and schemas, recording their calls (each one
    checked as the real tool checks its arguments) instead of touching a database."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def tools(self) -> list[FunctionTool]:
        return [self._recording(tool) for tool in TOOLS if tool.name in ANSWERS]

    def _recording(self, real: FunctionTool) -> FunctionTool:
        async def invoke(_ctx: Any, raw_arguments: str) -> str:
            assert argument_problem(real.name, raw_arguments) is None, argument_problem(real.name, raw_arguments)
            arguments = json.loads(raw_arguments)
            self.calls.append((real.name, arguments))
            return ANSWERS[real.name](arguments)

        return FunctionTool(
            name=real.name,
            description=real.description,
            params_json_schema=real.params_json_schema,
            on_invoke_tool=invoke,
            strict_json_schema=real.strict_json_schema,
        )


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def agent(recorder: Recorder) -> Agent:
    return Agent(name="todochat", instructions=INSTRUCTIONS, model=LocalModel(on_monday), tools=recorder.tools())


# ---------------------------------------------------------------- Runner.run


@pytest.mark.parametrize(
    ("say", "tool", "arguments", "reply"),
    [
        ("add pay rent tomorrow, high priority", "add_tasks",
         {"tasks": [{"title": "pay rent", "due": "2026-11-24", "priority": "high"}]}, "Added “pay rent”."),
        ("add eggs, bread and butter", "add_tasks",
         {"tasks": [{"title": "eggs"}, {"title": "bread"}, {"title": "butter"}]}, "Added “eggs”. Added “bread”. Added “butter”."),
        ("what's due today?", "list_tasks", {"status": "open", "due": "today"}, "You have 1 task: “buy milk”."),
        ("I called mom", "complete_task", {"reference": "call mom"}, "Marked “call mom” as done."),
        ("reopen buy milk", "reopen_task", {"reference": "buy milk"}, "Reopened “buy milk”."),
        ("delete walk the dog", "delete_task", {"reference": "walk dog"}, "I couldn't find a task matching “walk dog”."),
        ("move dentist to december 4", "update_task", {"reference": "dentist", "due": "2026-12-04"}, "Updated “dentist”."),
        ("tag book flights with travel", "update_task", {"reference": "book flights", "add_tags": ["travel"]}, "Updated “book flights”."),
        ("delete all completed tasks", "bulk_tasks", {"action": "delete", "status": "done"}, "Please confirm: delete 2 completed tasks?"),
    ],
)
async def test_run_calls_the_tool_then_replies_with_its_output(
    agent: Agent, recorder: Recorder, say: str, tool: str, arguments: dict[str, Any], reply: str
) -> None:
    result = await Runner.run(agent, say)
    assert recorder.calls == [(tool, arguments)]
    assert result.final_output == reply


@pytest.mark.parametrize("say", ["hi there", "hello", "what can you do?", "thanks!", "what's the capital of France?", "tell me a joke"])
async def test_small_talk_and_off_topic_call_no_tool(agent: Agent, recorder: Recorder, say: str) -> None:
    result = await Runner.run(agent, say)
    assert recorder.calls == []
    assert isinstance(result.final_output, str) and result.final_output
    assert not any(item.type == "tool_call_item" for item in result.new_items)


async def test_off_topic_reply_says_it_only_manages_tasks(agent: Agent) -> None:
    result = await Runner.run(agent, "what's the capital of France?")
    assert "only help with your tasks" in result.final_output
    assert "Paris" not in result.final_output


async def test_dates_follow_the_users_clock(recorder: Recorder) -> None:
    late_in_new_york = dt.datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    model = LocalModel(lambda: late_in_new_york)
    agent = Agent(name="todochat", instructions=INSTRUCTIONS, model=model, tools=recorder.tools())
    await Runner.run(agent, "add call mom tomorrow at 9")
    assert recorder.calls == [("add_tasks", {"tasks": [{"title": "call mom", "due": "2026-11-24T09:00"}]})]


async def test_a_missing_tool_is_said_not_called() -> None:
    agent = Agent(name="todochat", instructions=INSTRUCTIONS, model=LocalModel(on_monday), tools=[])
    result = await Runner.run(agent, "delete buy milk")
    assert "delete_task" in result.final_output
    assert not any(item.type == "tool_call_item" for item in result.new_items)


# ---------------------------------------------------------------- conversations with history


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": [{"type": "input_text", "text": text}]}


def assistant(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "assistant", "status": "completed", "id": "msg_old",
            "content": [{"type": "output_text", "text": text, "annotations": []}]}


async def test_only_the_latest_message_is_acted_on(agent: Agent, recorder: Recorder) -> None:
    history = [
        user("add buy milk"),
        {"type": "function_call", "call_id": "call_1", "name": "add_tasks",
         "arguments": json.dumps({"tasks": [{"title": "buy milk"}]})},
        {"type": "function_call_output", "call_id": "call_1", "output": "Added “buy milk”."},
        assistant("Added “buy milk”."),
        {"role": "user", "content": "hi"},
        assistant("Hi! I'm your task assistant."),
        user("mark buy milk as done"),
    ]
    result = await Runner.run(agent, history)
    assert recorder.calls == [("complete_task", {"reference": "buy milk"})]
    assert result.final_output == "Marked “buy milk” as done."


async def test_second_turn_through_to_input_list(agent: Agent, recorder: Recorder) -> None:
    first = await Runner.run(agent, "add call mom")
    second = await Runner.run(agent, first.to_input_list() + [user("what's on my list?")])
    assert [name for name, _ in recorder.calls] == ["add_tasks", "list_tasks"]
    assert second.final_output == "You have 1 task: “buy milk”."


async def test_outputs_already_present_get_a_text_answer_not_more_calls() -> None:
    model = LocalModel(on_monday)
    conversation = [
        user("delete buy milk"),
        {"type": "function_call", "call_id": "c1", "name": "delete_task", "arguments": '{"reference": "buy milk"}'},
        {"type": "function_call_output", "call_id": "c1", "output": "Deleted “buy milk”."},
    ]
    output = model.respond(conversation, [])
    assert [item.type for item in output] == ["message"]
    assert output[0].content[0].text == "Deleted “buy milk”."


async def test_plain_string_input_and_list_output_items(agent: Agent, recorder: Recorder) -> None:
    model = LocalModel(on_monday)
    tools = recorder.tools()
    response = await model.get_response(INSTRUCTIONS, "add buy milk and call mom", None, tools, None, [], None)
    calls = [item for item in response.output if item.type == "function_call"]
    assert len(calls) == 1 and calls[0].name == "add_tasks"
    assert json.loads(calls[0].arguments) == {"tasks": [{"title": "buy milk"}, {"title": "call mom"}]}
    assert response.usage.requests == 1 and response.usage.output_tokens > 0
    other = await model.get_response(INSTRUCTIONS, "add buy milk", None, tools, None, [], None)
    assert other.output[0].call_id != calls[0].call_id


# ---------------------------------------------------------------- Runner.run_streamed


async def test_streamed_run_calls_tools_and_streams_the_reply_in_pieces(agent: Agent, recorder: Recorder) -> None:
    result = Runner.run_streamed(agent, "add team meeting tomorrow at 3pm")
    deltas: list[str] = []
    completed: list[ResponseCompletedEvent] = []
    async for event in result.stream_events():
        if event.type == "raw_response_event":
            if isinstance(event.data, ResponseTextDeltaEvent):
                deltas.append(event.data.delta)
            if isinstance(event.data, ResponseCompletedEvent):
                completed.append(event.data)
    assert recorder.calls == [("add_tasks", {"tasks": [{"title": "team meeting", "due": "2026-11-24T15:00"}]})]
    assert len(completed) == 2  # one response with the call, one with the reply
    assert completed[0].response.output[0].type == "function_call"
    assert "".join(deltas) == "Added “team meeting”." == result.final_output
    assert_streamed_in_pieces(deltas)


async def test_streamed_greeting_is_text_only(agent: Agent, recorder: Recorder) -> None:
    result = Runner.run_streamed(agent, "good morning!")
    deltas = [
        event.data.delta
        async for event in result.stream_events()
        if event.type == "raw_response_event" and isinstance(event.data, ResponseTextDeltaEvent)
    ]
    assert recorder.calls == []
    assert "".join(deltas) == result.final_output
    assert len(result.final_output.split()) > WORDS_PER_DELTA and len(deltas) > 1  # a long reply comes in pieces
    assert_streamed_in_pieces(deltas)


def assert_streamed_in_pieces(deltas: list[str]) -> None:
    """Every delta a few words, every one but the last full: as a reader sees text arrive."""
    words = [len(delta.split()) for delta in deltas]
    assert all(0 < count <= WORDS_PER_DELTA for count in words), deltas
    assert all(count == WORDS_PER_DELTA for count in words[:-1]), deltas


def test_stream_event_sequence_is_well_formed() -> None:
    output = LocalModel(on_monday).respond("hello", [])
    events = list(stream_events(output, _usage()))
    types = [event.type for event in events]
    assert types[:4] == ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]
    assert types[-4:] == ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]
    assert [event.sequence_number for event in events] == list(range(len(events)))
    assert events[-1].response.output == output

    calls = LocalModel(on_monday).respond("add buy milk", [_named("add_tasks")])
    types = [event.type for event in stream_events(calls, _usage())]
    assert "response.function_call_arguments.delta" in types
    assert types[-3:] == ["response.function_call_arguments.done", "response.output_item.done", "response.completed"]


def _usage():
    from agents.usage import Usage

    return Usage(requests=1, input_tokens=1, output_tokens=1, total_tokens=2)


def _named(name: str) -> Any:
    return type("Tool", (), {"name": name})()


# ---------------------------------------------------------------- through ChatKit


class MemoryStore(Store[dict]):
    """The smallest ChatKit store: enough for stream_agent_response."""

    def __init__(self) -> None:
        self.threads: dict[str, ThreadMetadata] = {}
        self.items: dict[str, list[ThreadItem]] = {}

    async def load_thread(self, thread_id: str, context: dict) -> ThreadMetadata:
        return self.threads[thread_id]

    async def save_thread(self, thread: ThreadMetadata, context: dict) -> None:
        self.threads[thread.id] = thread

    async def load_thread_items(self, thread_id: str, after: str | None, limit: int, order: str, context: dict) -> Page[ThreadItem]:
        items = list(self.items.get(thread_id, []))
        if order == "desc":
            items.reverse()
        return Page(data=items[:limit], has_more=len(items) > limit)

    async def add_thread_item(self, thread_id: str, item: ThreadItem, context: dict) -> None:
        self.items.setdefault(thread_id, []).append(item)

    async def save_item(self, thread_id: str, item: ThreadItem, context: dict) -> None:
        items = self.items.setdefault(thread_id, [])
        items[:] = [item if existing.id == item.id else existing for existing in items]

    async def load_item(self, thread_id: str, item_id: str, context: dict) -> ThreadItem:
        return next(item for item in self.items[thread_id] if item.id == item_id)

    async def delete_thread(self, thread_id: str, context: dict) -> None:
        self.threads.pop(thread_id, None)

    async def delete_thread_item(self, thread_id: str, item_id: str, context: dict) -> None:
        self.items[thread_id] = [item for item in self.items[thread_id] if item.id != item_id]

    async def load_threads(self, limit: int, after: str | None, order: str, context: dict) -> Page[ThreadMetadata]:
        return Page(data=list(self.threads.values())[:limit])

    async def save_attachment(self, attachment: Any, context: dict) -> None:
        raise NotImplementedError("attachments are not used here")

    async def load_attachment(self, attachment_id: str, context: dict) -> Any:
        raise NotImplementedError("attachments are not used here")

    async def delete_attachment(self, attachment_id: str, context: dict) -> None:
        raise NotImplementedError("attachments are not used here")


async def test_chatkit_thread_history_and_streamed_assistant_message(recorder: Recorder) -> None:
    now = dt.datetime(2026, 11, 23, 10, 0)
    store = MemoryStore()
    thread = ThreadMetadata(id="thr_1", created_at=now)
    await store.save_thread(thread, {})
    history: list[ThreadItem] = [
        _user_item("u1", "show my tasks", now),
        WidgetItem(id="w1", thread_id="thr_1", created_at=now, widget=Card(children=[Text(value="delete all of these")])),
        AssistantMessageItem(id="a1", thread_id="thr_1", created_at=now, content=[AssistantMessageContent(text="Here they are.")]),
        _user_item("u2", "mark this as done", now, quoted="buy milk"),
    ]
    for item in history:
        await store.add_thread_item("thr_1", item, {})

    widget_shown: list[str] = []

    @function_tool
    async def complete_task(ctx: RunContextWrapper[AgentContext], reference: str) -> str:
        """Mark a task done, showing a card."""
        recorder.calls.append(("complete_task", {"reference": reference}))
        await ctx.context.stream_widget(Card(children=[Text(value=f"✓ {reference}")]))
        widget_shown.append(reference)
        return f"Marked “{reference}” as done."

    agent = Agent(name="todochat", instructions=INSTRUCTIONS, model=LocalModel(on_monday), tools=[complete_task])
    context = AgentContext(thread=thread, store=store, request_context={})
    agent_input = await simple_to_agent_input(history)
    result = Runner.run_streamed(agent, agent_input, context=context)
    events = [event async for event in stream_agent_response(context, result)]

    assert recorder.calls == [("complete_task", {"reference": "buy milk"})]
    assert widget_shown == ["buy milk"]
    shown = [e.item for e in events if isinstance(e, (ThreadItemAddedEvent, ThreadItemDoneEvent))]
    assert [item.type for item in shown] == ["widget", "assistant_message", "assistant_message"]
    added = [e.item for e in events if isinstance(e, ThreadItemAddedEvent)]
    assert [item.type for item in added] == ["assistant_message"]
    deltas = [e.update.delta for e in events if isinstance(e, ThreadItemUpdatedEvent) and e.update.type == "assistant_message.content_part.text_delta"]
    assert "".join(deltas) == "Marked “buy milk” as done." and len(deltas) == 2  # 5 words, in pieces of 4
    done = [e.item for e in events if isinstance(e, ThreadItemDoneEvent) and e.item.type == "assistant_message"]
    assert len(done) == 1 and done[0].content[0].text == "Marked “buy milk” as done."
    assert done[0].id == added[0].id


async def test_chatkit_greeting_streams_a_message_and_no_tool(agent: Agent, recorder: Recorder) -> None:
    now = dt.datetime(2026, 11, 23, 10, 0)
    store = MemoryStore()
    thread = ThreadMetadata(id="thr_2", created_at=now)
    context = AgentContext(thread=thread, store=store, request_context={})
    agent_input = await simple_to_agent_input([_user_item("u1", "hello there", now, thread_id="thr_2")])
    events = [event async for event in stream_agent_response(context, Runner.run_streamed(agent, agent_input, context=context))]
    assert recorder.calls == []
    done = [e.item for e in events if isinstance(e, ThreadItemDoneEvent)]
    assert len(done) == 1 and done[0].type == "assistant_message"
    assert "add pay rent tomorrow" in done[0].content[0].text


def _user_item(item_id: str, text: str, now: dt.datetime, *, quoted: str | None = None, thread_id: str = "thr_1") -> UserMessageItem:
    return UserMessageItem(
        id=item_id,
        thread_id=thread_id,
        created_at=now,
        content=[UserMessageTextContent(text=text)],
        quoted_text=quoted,
        inference_options=InferenceOptions(),
    )
