"""POST /chatkit over HTTP (httpx.ASGITransport): auth, parsing, ownership, streaming, CORS."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from tests.chat_helpers import find
from tests.conftest import ALLOWED_ORIGIN
from todochat.chat.client import decode_sse, user_input


def create(text: str) -> dict:
    return {"type": "threads.create", "params": {"input": user_input(text)}}


async def stream(client, headers, request) -> list:
    response = await client.post("/chatkit", json=request, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    return decode_sse(response.content)


async def test_a_client_can_add_press_and_reload(client, signup):
    ada = await signup(client)
    events = await stream(client, ada.headers, create("add pay rent tomorrow high priority"))
    thread_id = events[0].thread.id
    [card] = [e.item for e in events if e.type == "thread.item.done" and e.item.type == "widget"]
    widget = card.widget.model_dump(mode="json", exclude_none=True)
    task_id = widget["id"].removeprefix("task_").removesuffix("_card")
    button = find(widget, f"complete_task_{task_id}_checkbox")["onChangeAction"]

    pressed = await client.post(
        "/chatkit",
        json={"type": "threads.sync_custom_action", "params": {"thread_id": thread_id, "item_id": card.id, "action": button}},
        headers=ada.headers,
    )
    assert pressed.status_code == 200 and pressed.headers["content-type"] == "application/json"
    assert find(pressed.json()["updated_item"]["widget"], f"reopen_task_{task_id}_checkbox")

    tasks = (await client.get("/api/tasks?status=all", headers=ada.headers)).json()["items"]
    assert [(t["title"], t["completed"], t["priority"]) for t in tasks] == [("pay rent", True, "high")]

    thread = await client.post(
        "/chatkit", json={"type": "threads.get_by_id", "params": {"thread_id": thread_id}}, headers=ada.headers
    )
    widgets = [i for i in thread.json()["items"]["data"] if i["type"] == "widget"]
    assert find(widgets[0]["widget"], f"reopen_task_{task_id}_checkbox")


async def test_the_time_zone_header_decides_what_tomorrow_is(client, signup):
    ada = await signup(client)
    await stream(client, {**ada.headers, "X-Timezone": "Pacific/Kiritimati"}, create("add call home tomorrow"))
    [task] = (await client.get("/api/tasks", headers=ada.headers)).json()["items"]
    tomorrow_there = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date() + dt.timedelta(days=1)
    assert task["due"] == tomorrow_there.isoformat()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
async def test_no_valid_token_is_401(client, headers):
    response = await client.post("/chatkit", json=create("hi"), headers=headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized", "code": "UNAUTHORIZED"}


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"type": "threads.explode", "params": {}}', b'{"type": "threads.create"}', b"[]"],
)
async def test_malformed_requests_are_400_json(client, signup, body):
    ada = await signup(client)
    response = await client.post(
        "/chatkit", content=body, headers={**ada.headers, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["message"]


async def test_oversized_body_is_413(client, signup):
    ada = await signup(client)
    huge = create("x" * (1024 * 1024 + 10))
    response = await client.post("/chatkit", json=huge, headers=ada.headers)
    assert response.status_code == 413


async def test_another_users_thread_is_404_before_any_stream(client, signup):
    ada, bob = await signup(client), await signup(client)
    events = await stream(client, ada.headers, create("add ada's thing"))
    thread_id = events[0].thread.id
    user_item = [e.item.id for e in events if e.type == "thread.item.done" and e.item.type == "user_message"][0]
    for request in (
        {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": user_input("delete all")}},
        {"type": "threads.retry_after_item", "params": {"thread_id": thread_id, "item_id": user_item}},
        {"type": "threads.get_by_id", "params": {"thread_id": thread_id}},
        {"type": "items.list", "params": {"thread_id": thread_id}},
        {"type": "threads.update", "params": {"thread_id": thread_id, "title": "mine"}},
        {"type": "threads.delete", "params": {"thread_id": thread_id}},
        {"type": "threads.custom_action", "params": {"thread_id": thread_id, "item_id": user_item,
                                                     "action": {"type": "task.complete", "payload": {"task_id": 1}}}},
    ):
        response = await client.post("/chatkit", json=request, headers=bob.headers)
        assert response.status_code == 404, request["type"]
        assert response.headers["content-type"] == "application/json"
        assert "ada" not in response.text
    again = await client.post(
        "/chatkit", json={"type": "threads.get_by_id", "params": {"thread_id": thread_id}}, headers=ada.headers
    )
    assert again.json()["title"] == "add ada's thing"


async def test_cors_preflight_for_configured_origins(client):
    ok = await client.options(
        "/chatkit",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    denied = await client.options(
        "/chatkit",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in denied.headers


async def test_sync_action_on_a_missing_task_is_a_json_error(client, signup):
    ada = await signup(client)
    events = await stream(client, ada.headers, create("hi"))
    thread_id = events[0].thread.id
    response = await client.post(
        "/chatkit",
        json={"type": "threads.sync_custom_action",
              "params": {"thread_id": thread_id, "item_id": None,
                         "action": {"type": "task.complete", "payload": {"task_id": 424242}}}},
        headers=ada.headers,
    )
    assert response.status_code == 404
    assert json.loads(response.text)["message"]


async def test_a_zone_folder_name_falls_back_to_utc(client, signup):
    ada = await signup(client)
    events = await stream(client, {**ada.headers, "X-Timezone": "America"}, create("add stretch"))
    assert not [e for e in events if e.type == "error"]


@pytest.mark.parametrize(
    "request_",
    [
        {"type": "threads.create", "params": {"input": {**user_input("hi"), "attachments": ["att_1"]}}},
        {"type": "attachments.delete", "params": {"attachment_id": "att_1"}},
    ],
)
async def test_what_todochat_does_not_do_is_400_before_streaming(client, signup, request_):
    ada = await signup(client)
    response = await client.post("/chatkit", json=request_, headers=ada.headers)
    assert response.status_code == 400
    listed = await client.post("/chatkit", json={"type": "threads.list", "params": {}}, headers=ada.headers)
    assert listed.json()["data"] == [], "no orphan thread was left behind"


async def test_retrying_something_that_is_not_a_question_is_400(client, signup):
    ada = await signup(client)
    events = await stream(client, ada.headers, create("add stretch"))
    widget = [e.item.id for e in events if e.type == "thread.item.done" and e.item.type == "widget"][0]
    response = await client.post(
        "/chatkit",
        json={"type": "threads.retry_after_item", "params": {"thread_id": events[0].thread.id, "item_id": widget}},
        headers=ada.headers,
    )
    assert response.status_code == 400
