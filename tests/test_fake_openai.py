"""tests/fake_openai.py against the real ``openai`` client and the Agents SDK's models.

If these pass, what the fake streams is what the real client parses: SSE framing, chunk
and event shapes, tool-call argument accumulation, errors, retries and timeouts.
"""

from __future__ import annotations

import json
import time

import openai
import pytest
from agents import Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, Runner, function_tool, set_tracing_disabled
from openai import AsyncOpenAI
from openai.types.responses import Response

from tests.fake_openai import FakeOpenAI, calls, error, hang, reply, tool_call

set_tracing_disabled(True)
USER = [{"role": "user", "content": "hi there"}]


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def client_for(fake: FakeOpenAI, **kwargs) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=fake.base_url, api_key="sk-test", **kwargs)


# ---------------------------------------------------------------- chat completions


async def test_chat_streams_text_in_deltas(fake):
    fake.script(reply("Hello, this is the fake model.", chunk=5))
    stream = await client_for(fake).chat.completions.create(
        model="gpt-x", messages=USER, stream=True, stream_options={"include_usage": True}
    )
    chunks = [c async for c in stream]
    deltas = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert deltas[0] == "Hello" and "".join(deltas) == "Hello, this is the fake model."
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens > 0
    assert all(c.model == "gpt-x" and c.id.startswith("chatcmpl-") for c in chunks)

    (request,) = fake.requests
    assert request.api == "chat_completions" and request.path == "/v1/chat/completions"
    assert request.messages == USER and request.text == "hi there"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert fake.pending == 0 and fake.unexpected == []


async def test_chat_streams_tool_call_arguments_in_pieces(fake):
    args = {"title": "pay rent", "due": "2026-12-01", "tags": ["home", "money"]}
    fake.script(tool_call("add_task", args), calls(tool_call("a", {"x": 1}), tool_call("b", raw="{oops"), text="two"))
    tools = [{"type": "function", "function": {"name": "add_task", "parameters": {"type": "object"}}}]
    messages = [{"role": "system", "content": "be brief"}, *USER]
    client = client_for(fake)

    stream = await client.chat.completions.create(model="m", messages=messages, tools=tools, stream=True)
    pieces, finish = [], None
    async for chunk in stream:
        for call in chunk.choices[0].delta.tool_calls or []:
            pieces.append(call.function.arguments)
        finish = chunk.choices[0].finish_reason or finish
    assert len(pieces) > 3 and "".join(pieces) == json.dumps(args) and finish == "tool_calls"

    # The client's own accumulator (what the Agents SDK relies on) agrees.
    async with client.chat.completions.stream(model="m", messages=messages) as stream:
        final = await stream.get_final_completion()
    message = final.choices[0].message
    assert message.content == "two"
    assert [(c.function.name, c.function.arguments) for c in message.tool_calls] == [("a", '{"x": 1}'), ("b", "{oops")]
    assert message.tool_calls[0].id.startswith("call_") and message.tool_calls[0].id != message.tool_calls[1].id

    assert fake.requests[0].instructions == "be brief" and fake.requests[0].tool_names == ["add_task"]


async def test_chat_without_streaming(fake):
    fake.script(reply("plain"), tool_call("f", {"k": "v"}))
    client = client_for(fake)
    done = await client.chat.completions.create(model="m", messages=USER)
    assert done.choices[0].message.content == "plain" and done.choices[0].finish_reason == "stop"
    assert done.usage.total_tokens == done.usage.prompt_tokens + done.usage.completion_tokens
    done = await client.chat.completions.create(model="m", messages=USER)
    (call,) = done.choices[0].message.tool_calls
    assert (call.function.name, json.loads(call.function.arguments)) == ("f", {"k": "v"})


# ---------------------------------------------------------------- responses


async def test_responses_stream_text_and_function_calls(fake):
    fake.script(calls(tool_call("add", {"a": 1, "b": 2}), text="Adding those."))
    stream = await client_for(fake).responses.create(
        model="gpt-r", input="add 1 and 2", instructions="you add", stream=True,
        tools=[{"type": "function", "name": "add", "parameters": {"type": "object"}, "strict": False}],
    )
    events = [e async for e in stream]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"] and kinds[-1] == "response.completed"
    assert events[0].response.status == "in_progress" and events[0].response.output == []
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    arguments = [e.delta for e in events if e.type == "response.function_call_arguments.delta"]
    assert text == "Adding those." and len(arguments) > 1 and "".join(arguments) == '{"a": 1, "b": 2}'
    added = [e.item for e in events if e.type == "response.output_item.added"]
    assert [(i.type, i.status) for i in added] == [("message", "in_progress"), ("function_call", "in_progress")]
    assert added[0].id.startswith("msg_") and added[1].id.startswith("fc_") and added[1].call_id.startswith("call_")

    final = Response.model_validate(events[-1].response.model_dump(mode="json", by_alias=True))
    message, call = final.output
    assert final.status == "completed" and final.model == "gpt-r" and final.usage.total_tokens > 0
    assert message.content[0].text == "Adding those." and (call.name, call.arguments) == ("add", '{"a": 1, "b": 2}')

    (request,) = fake.requests
    assert request.api == "responses" and request.instructions == "you add" and request.tool_names == ["add"]
    assert request.text == "add 1 and 2"


async def test_responses_without_streaming(fake):
    fake.script(reply("fine"))
    response = await client_for(fake).responses.create(model="m", input=[{"role": "user", "content": "how?"}])
    Response.model_validate(response.model_dump(mode="json", by_alias=True))
    assert response.output_text == "fine" and fake.requests[0].text == "how?"


# ---------------------------------------------------------------- the Agents SDK


def adder(seen: list) -> object:
    @function_tool
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        seen.append((a, b))
        return a + b

    return add


MODELS = {"chat_completions": OpenAIChatCompletionsModel, "responses": OpenAIResponsesModel}


@pytest.mark.parametrize("api", MODELS)
@pytest.mark.parametrize("streamed", [False, True], ids=["run", "run_streamed"])
async def test_agents_sdk_runs_a_tool_then_answers(fake, api, streamed):
    fake.script(tool_call("add", {"a": 1, "b": 2}), reply("3"))
    seen: list = []
    model = MODELS[api](model="m", openai_client=client_for(fake))
    agent = Agent(name="calc", instructions="You add numbers.", model=model, tools=[adder(seen)])
    if streamed:
        result = Runner.run_streamed(agent, "what is 1 + 2?")
        async for _ in result.stream_events():
            pass
    else:
        result = await Runner.run(agent, "what is 1 + 2?")

    assert seen == [(1, 2)] and result.final_output == "3"
    first, second = fake.requests
    assert first.api == second.api == api and bool(first.body.get("stream")) is streamed
    assert first.instructions == "You add numbers." and first.tool_names == ["add"]
    assert "what is 1 + 2?" in first.text
    assert '{"a": 1, "b": 2}' in second.text and "3" in second.text.splitlines()  # the call and its output


# ---------------------------------------------------------------- errors, hangs, scripting


async def test_rate_limit_is_retried_then_succeeds(fake):
    fake.script(error(429, message="slow down", type="rate_limit_error", headers={"retry-after": "0"}), reply("ok"))
    done = await client_for(fake, max_retries=1).chat.completions.create(model="m", messages=USER)
    assert done.choices[0].message.content == "ok" and len(fake.requests) == 2


async def test_errors_carry_openais_error_body(fake):
    fake.script(error(401, message="bad key", type="invalid_api_key"))
    with pytest.raises(openai.AuthenticationError) as raised:
        await client_for(fake, max_retries=0).responses.create(model="m", input="hi")
    assert raised.value.status_code == 401 and raised.value.body["message"] == "bad key"
    assert raised.value.body["type"] == "invalid_api_key"


async def test_a_hanging_model_times_out_and_close_is_prompt():
    fake = FakeOpenAI().start()
    fake.script(hang(5))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        await client_for(fake, timeout=0.5, max_retries=0).chat.completions.create(model="m", messages=USER)
    assert time.monotonic() - started < 2
    started = time.monotonic()
    fake.close()
    assert time.monotonic() - started < 1


async def test_close_releases_a_slow_stream():
    fake = FakeOpenAI().start()
    fake.script(reply("a slow and long answer", chunk=1, delay=2))
    stream = await client_for(fake).chat.completions.create(model="m", messages=USER, stream=True)
    first = await stream.__anext__()
    assert first.choices[0].delta.role == "assistant"
    started = time.monotonic()
    fake.close()
    with pytest.raises(openai.APIConnectionError):  # the stream ended mid-reply
        async for _ in stream:
            pass
    assert time.monotonic() - started < 1


async def test_nothing_answers_after_close():
    fake = FakeOpenAI().start()
    fake.script(reply("one"), reply("two"))
    client = client_for(fake, max_retries=0)
    assert (await client.chat.completions.create(model="m", messages=USER)).choices[0].message.content == "one"
    fake.close()  # also the kept-alive connection the client would reuse
    with pytest.raises(openai.APIConnectionError):
        await client.chat.completions.create(model="m", messages=USER)
    assert fake.pending == 1


async def test_a_callable_step_sees_the_request(fake):
    fake.script(lambda req: reply(f"saw {len(req.messages)} messages in {req.api}"))
    messages = [{"role": "developer", "content": [{"type": "text", "text": "rules"}]}, *USER]
    done = await client_for(fake).chat.completions.create(model="m", messages=messages)
    assert done.choices[0].message.content == "saw 2 messages in chat_completions"
    assert fake.requests[0].instructions == "rules"


async def test_an_unscripted_request_is_a_500_and_recorded(fake):
    with pytest.raises(openai.InternalServerError) as raised:
        await client_for(fake, max_retries=0).chat.completions.create(model="m", messages=USER)
    assert raised.value.body["message"] == "fake: no scripted step"
    assert fake.unexpected == fake.requests and len(fake.requests) == 1


async def test_unknown_paths_are_404(fake):
    with pytest.raises(openai.NotFoundError):
        await client_for(fake, max_retries=0).embeddings.create(model="m", input="x")
    assert fake.requests == []
