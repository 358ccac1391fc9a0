"""A reply asked for over POST /chatkit is written to its end even when the client goes
away mid-reply (issue 13, "a reply survives its client"), so the official ChatKit UI finds
it whole after a reload. Over real HTTP: the API served by uvicorn on 127.0.0.1, a model
server streaming slowly (tests/fake_openai.py), a client that hangs up.
"""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from todochat.api import create_api
from todochat.auth.accounts import Auth
from todochat.chat import detached_turns
from todochat.chat.client import user_input

from tests.fake_openai import FakeOpenAI, reply
from tests.live_server import serving

STORY = "Once upon a time a task was written down, and the end came. " * 3


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def live_api(engine, make_settings, fake):
    """The API on a real port, its assistant on the fake model server."""
    settings = make_settings(
        TODOCHAT_MODEL="openai:gpt-test", OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake.base_url,
        OPENAI_API="chat_completions", MODEL_TIMEOUT_SECONDS=10,
    )
    with serving(create_api(Auth(engine, settings))) as url:
        yield url


async def signed_up(client: httpx.AsyncClient) -> dict[str, str]:
    answer = await client.post("/api/auth/sign-up/email",
                               json={"name": "Ada", "email": "ada@example.com", "password": "correct-horse-42"})
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def create(text: str) -> dict:
    return {"type": "threads.create", "params": {"input": user_input(text)}}


async def thread_items(client, headers, thread_id: str) -> list[dict]:
    answer = await client.post("/chatkit", json={"type": "threads.get_by_id", "params": {"thread_id": thread_id}},
                               headers=headers)
    return answer.json()["items"]["data"]


async def assistant_text(client, headers, thread_id: str) -> str:
    items = await thread_items(client, headers, thread_id)
    return "".join(part["text"] for item in items if item["type"] == "assistant_message" for part in item["content"])


async def test_a_client_that_hangs_up_mid_reply_finds_it_whole_later(live_api, fake):
    fake.script(reply(STORY, chunk=6, delay=0.05))  # about two seconds of writing
    async with httpx.AsyncClient(base_url=live_api, timeout=30) as client:
        headers = await signed_up(client)
        thread_id = None
        async with client.stream("POST", "/chatkit", json=create("tell me a story"), headers=headers) as stream:
            async for line in stream.aiter_lines():
                if '"thread.created"' in line:
                    thread_id = line.split('"id":"', 1)[1].split('"', 1)[0]
                if "text_delta" in line:
                    break  # the tab closes: the first words were shown, the rest never read
        assert thread_id
        written_when_hung_up = await assistant_text(client, headers, thread_id)
        assert written_when_hung_up != STORY

        deadline = time.time() + 20
        while await assistant_text(client, headers, thread_id) != STORY:
            assert time.time() < deadline, await thread_items(client, headers, thread_id)
            await asyncio.sleep(0.1)
        assert fake.pending == 0


async def test_replies_left_running_are_bounded_per_user(live_api, fake):
    fake.script(*[reply(STORY, chunk=2, delay=0.2) for _ in range(detached_turns.PER_USER)])
    async with httpx.AsyncClient(base_url=live_api, timeout=30) as client:
        headers = await signed_up(client)
        for _ in range(detached_turns.PER_USER):  # each hung up at once, each left writing
            async with client.stream("POST", "/chatkit", json=create("tell me a story"), headers=headers) as stream:
                assert stream.status_code == 200
        refused = await client.post("/chatkit", json=create("and another"), headers=headers)
        assert refused.status_code == 429 and refused.json()["code"] == "TOO_MANY_REPLIES"
        assert int(refused.headers["retry-after"]) > 0


async def test_a_reply_that_fails_before_it_begins_ends_with_an_error_event():
    async def refused():
        yield b'data: {"type":"thread.created"}\n\n'
        raise OperationalError("INSERT", None, Exception("database is locked"))

    received = [chunk async for chunk in detached_turns.start("user-failing", refused())]

    events = [json.loads(line[6:]) for chunk in received for line in chunk.decode().splitlines() if line.startswith("data: ")]
    assert [e["type"] for e in events] == ["thread.created", "error"]
    assert events[-1]["allow_retry"] is True
    assert detached_turns.running("user-failing") == 0
