"""The operator's log (issue 13): one JSON line per request and per chat turn, with who,
what, how long and how it ended; never what people wrote, nor their tokens."""

from __future__ import annotations

import json
import logging
import os

import pytest

from todochat.chat.client import decode_sse, user_input


@pytest.fixture
def log_lines(caplog):
    caplog.set_level(logging.INFO, logger="todochat.requests")

    def lines() -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "todochat.requests"]

    return lines


async def test_each_request_and_chat_turn_is_one_line_without_what_was_written(client, signup, log_lines):
    ada = await signup(client)
    secret_words = "dentist about my tooth"
    added = await client.post("/api/tasks", json={"title": secret_words}, headers=ada.headers)
    assert added.status_code == 201
    await client.get("/api/tasks?q=tooth", headers=ada.headers)
    refused = await client.get("/api/tasks", headers={"Authorization": "Bearer forged"})
    assert refused.status_code == 401
    chat = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": user_input(f"add {secret_words} friday")}},
        headers=ada.headers,
    )
    thread_id = decode_sse(chat.content)[0].thread.id

    lines = log_lines()
    requests = [line for line in lines if line["event"] == "request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("POST", "/api/auth/sign-up/email", 200),
        ("POST", "/api/tasks", 201),
        ("GET", "/api/tasks", 200),
        ("GET", "/api/tasks", 401),
        ("POST", "/chatkit", 200),
    ]
    assert [r["user_id"] for r in requests] == [None, ada.user["id"], ada.user["id"], None, ada.user["id"]]
    assert all(r["ms"] >= 0 and r["pid"] == os.getpid() for r in requests)

    [turn] = [line for line in lines if line["event"] == "chat_turn"]
    assert turn["user_id"] == ada.user["id"] and turn["thread_id"] == thread_id
    assert turn["outcome"] == "answered" and turn["tool_calls"] == 1 and turn["ms"] > 0

    everything = json.dumps(lines)
    for private in ("dentist", "tooth", ada.token, ada.user["email"], "forged"):
        assert private not in everything


async def test_a_hostile_path_is_cut(client, log_lines):
    await client.get("/" + "x" * 60_000)  # httpx sends at most 65,536 characters
    [line] = log_lines()
    assert line["status"] == 404 and len(line["path"]) == 200
