"""Found by the hostile review of issue 9 (findings 9, 10 and 2): a NUL in any id a ChatKit
request names was a 500 on PostgreSQL (it cannot hold NUL even in a query), a title set by
threads.update kept NUL and escapes, and a tag's data was not counted toward the message
limit (1 MB per message went in)."""

from __future__ import annotations

import pytest

from tests.security.test_long_messages import thread_of
from todochat.chat.client import user_input
from todochat.limits import MESSAGE_MAX_CHARS

BAD_IDS = ["thr_\x00", "thr_\x1b[2J", "x" * 101, "thr_é"]


def requests_naming(bad: str, thread_id: str) -> list[dict]:
    return [
        {"type": "threads.get_by_id", "params": {"thread_id": bad}},
        {"type": "threads.delete", "params": {"thread_id": bad}},
        {"type": "threads.update", "params": {"thread_id": bad, "title": "t"}},
        {"type": "items.list", "params": {"thread_id": bad}},
        {"type": "items.list", "params": {"thread_id": thread_id, "after": bad}},
        {"type": "threads.list", "params": {"after": bad}},
        {"type": "items.feedback", "params": {"thread_id": thread_id, "item_ids": [bad], "kind": "positive"}},
        {"type": "threads.custom_action", "params": {"thread_id": thread_id, "item_id": bad,
                                                      "action": {"type": "task.complete", "payload": {}}}},
        {"type": "threads.retry_after_item", "params": {"thread_id": thread_id, "item_id": bad}},
        {"type": "threads.add_user_message", "params": {"thread_id": bad, "input": user_input("hi")}},
    ]


@pytest.mark.parametrize("bad", BAD_IDS, ids=["nul", "escape", "too long", "not ascii"])
async def test_an_id_no_thread_can_have_is_a_404_on_every_request(client, signup, bad):
    ada = await signup(client)
    created = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": user_input("hi")}}, headers=ada.headers
    )
    thread_id = thread_of(created)
    for request in requests_naming(bad, thread_id):
        response = await client.post("/chatkit", json=request, headers=ada.headers)
        assert response.status_code == 404, (request, response.status_code, response.text)
    # Nothing changed: the thread and its items are as they were.
    kept = await client.post("/chatkit", json={"type": "threads.get_by_id", "params": {"thread_id": thread_id}},
                             headers=ada.headers)
    assert kept.status_code == 200 and kept.json()["id"] == thread_id


async def test_a_conversation_title_is_cleaned_and_nul_refused(client, signup):
    ada = await signup(client)
    created = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": user_input("hi")}}, headers=ada.headers
    )
    thread_id = thread_of(created)

    def rename(title: str) -> dict:
        return {"type": "threads.update", "params": {"thread_id": thread_id, "title": title}}

    refused = await client.post("/chatkit", json=rename("rent\x00"), headers=ada.headers)
    assert refused.status_code == 400 and "NUL" in refused.json()["message"]
    renamed = await client.post("/chatkit", json=rename("rent\x1b[2J \u202eplan\x07"), headers=ada.headers)
    assert renamed.status_code == 200
    shown = await client.post("/chatkit", json={"type": "threads.get_by_id", "params": {"thread_id": thread_id}},
                              headers=ada.headers)
    assert shown.json()["title"] == "rent[2J plan"


async def test_a_tags_data_counts_toward_the_message_limit(client, signup):
    ada = await signup(client)
    message = {
        "content": [{"type": "input_text", "text": "hello"},
                    {"type": "input_tag", "id": "x", "text": "x", "data": {"d": "A" * MESSAGE_MAX_CHARS}}],
        "attachments": [], "inference_options": {},
    }
    response = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": message}}, headers=ada.headers
    )
    assert response.status_code == 400 and response.json()["code"] == "MESSAGE_TOO_LONG"
    listed = await client.post("/chatkit", json={"type": "threads.list", "params": {}}, headers=ada.headers)
    assert listed.json()["data"] == []
