"""The attacks that already failed when issue 9's review ran, kept failing: forged tokens,
one user reaching another's tasks on every REST route and every ChatKit request type, and
forged widget actions."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from sqlmodel import Session

from tests.conftest import bearer
from todochat.auth.tokens import issue_token
from todochat.chat.client import decode_sse, user_input
from todochat.models import User


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def own_task(client, headers, title: str = "ada's secret") -> int:
    response = await client.post("/api/tasks", json={"title": title}, headers=headers)
    assert response.status_code == 201
    return response.json()["id"]


# ---------------------------------------------------------------- forged tokens


async def test_forged_tokens_are_refused(client, auth, signup, engine):
    token, user = await signup(client)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    public = auth.jwks()["keys"][0]
    forged = {
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "HS256 keyed with the public key": jwt.encode(claims, public["x"], algorithm="HS256",
                                                       headers={"kid": public["kid"]}),
        "tampered subject": f"{header}.{b64({**claims, 'sub': 'someone-else'})}.{signature}",
        "unknown kid": f"{b64({'alg': 'EdDSA', 'kid': 'nope'})}.{payload}.{signature}",
        "expired": "",
        "garbage": "not.a.token",
    }
    with Session(engine) as session:
        row = session.get(User, user["id"])
    forged["expired"] = issue_token(auth.keys, row, origin="http://testserver", ttl_seconds=60,
                                    now=time.time() - 3600, sid=claims["sid"])
    for name, bad in forged.items():
        response = await client.get("/api/tasks", headers=bearer(bad))
        assert response.status_code == 401, name
        assert response.json() == {"message": "Unauthorized", "code": "UNAUTHORIZED"}, name


# ---------------------------------------------------------------- cross-user REST


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/tasks/{id}", None),
        ("PATCH", "/api/tasks/{id}", {"title": "mine now"}),
        ("POST", "/api/tasks/{id}/complete", None),
        ("POST", "/api/tasks/{id}/reopen", None),
        ("DELETE", "/api/tasks/{id}", None),
    ],
)
async def test_another_users_task_is_not_found_on_every_route(client, signup, method, path, body):
    ada, bob = await signup(client), await signup(client)
    task_id = await own_task(client, ada.headers)
    response = await client.request(method, path.format(id=task_id), json=body, headers=bob.headers)
    assert response.status_code == 404
    still = (await client.get(f"/api/tasks/{task_id}", headers=ada.headers)).json()
    assert (still["title"], still["completed"]) == ("ada's secret", False)


async def test_bulk_and_lists_never_reach_another_users_tasks(client, signup):
    ada, bob = await signup(client), await signup(client)
    task_id = await own_task(client, ada.headers)
    for action in ("complete", "delete"):
        await client.post("/api/tasks/bulk", json={"action": action, "ids": [task_id]}, headers=bob.headers)
    assert (await client.get(f"/api/tasks/{task_id}", headers=ada.headers)).json()["completed"] is False
    assert (await client.get("/api/tasks?status=all&q=secret", headers=bob.headers)).json()["items"] == []


# ---------------------------------------------------------------- cross-user ChatKit


async def adas_thread(client, headers) -> tuple[str, str]:
    response = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": user_input("add ada's plan")}}, headers=headers
    )
    events = decode_sse(response.content)
    widget = next(e.item for e in events if e.type == "thread.item.done" and e.item.type == "widget")
    return events[0].thread.id, widget.id


@pytest.mark.parametrize(
    "request_for",
    [
        lambda t, i: {"type": "threads.get_by_id", "params": {"thread_id": t}},
        lambda t, i: {"type": "threads.update", "params": {"thread_id": t, "title": "pwned"}},
        lambda t, i: {"type": "threads.delete", "params": {"thread_id": t}},
        lambda t, i: {"type": "items.list", "params": {"thread_id": t}},
        lambda t, i: {"type": "items.feedback", "params": {"thread_id": t, "item_ids": [i], "kind": "negative"}},
        lambda t, i: {"type": "threads.add_user_message", "params": {"thread_id": t, "input": user_input("hi")}},
        lambda t, i: {"type": "threads.retry_after_item", "params": {"thread_id": t, "item_id": i}},
        lambda t, i: {"type": "threads.custom_action", "params": {"thread_id": t, "item_id": i,
                                                                   "action": {"type": "tasks.bulk_cancel", "payload": {}}}},
        lambda t, i: {"type": "threads.sync_custom_action", "params": {"thread_id": t, "item_id": i,
                                                                        "action": {"type": "tasks.bulk_cancel", "payload": {}}}},
    ],
    ids=["get", "update", "delete", "items", "feedback", "message", "retry", "action", "sync_action"],
)
async def test_another_users_thread_is_not_found_for_every_request_type(client, signup, request_for):
    ada, bob = await signup(client), await signup(client)
    thread_id, item_id = await adas_thread(client, ada.headers)
    response = await client.post("/chatkit", json=request_for(thread_id, item_id), headers=bob.headers)
    assert response.status_code == 404
    mine = await client.post("/chatkit", json={"type": "threads.get_by_id", "params": {"thread_id": thread_id}},
                             headers=ada.headers)
    assert mine.status_code == 200 and mine.json()["title"] != "pwned"


async def test_forged_widget_actions_cannot_touch_another_users_task(client, signup):
    ada, bob = await signup(client), await signup(client)
    task_id = await own_task(client, ada.headers)
    bobs_thread, bobs_item = await adas_thread(client, bob.headers)
    for action in [
        {"type": "task.complete", "payload": {"task_id": task_id}},
        {"type": "task.delete", "payload": {"task_id": task_id}},
        {"type": "task.choose", "payload": {"intent": "update", "task_id": task_id, "changes": {"title": "mine"}}},
        {"type": "tasks.bulk_confirm", "payload": {"action": "delete", "ids": [task_id], "query": {"status": "all"}}},
    ]:
        await client.post(
            "/chatkit",
            json={"type": "threads.custom_action", "params": {"thread_id": bobs_thread, "item_id": None, "action": action}},
            headers=bob.headers,
        )
    still = (await client.get(f"/api/tasks/{task_id}", headers=ada.headers)).json()
    assert (still["title"], still["completed"]) == ("ada's secret", False)
