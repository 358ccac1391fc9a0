"""/api/tasks and the rest of the HTTP surface, through httpx.ASGITransport, on both databases."""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
import pytest

from todochat.api import create_api

UNAUTHORIZED = {"message": "Unauthorized", "code": "UNAUTHORIZED"}
NOT_FOUND = {"message": "Task not found", "code": "NOT_FOUND"}
TASK_FIELDS = {"id", "title", "notes", "completed", "priority", "due", "tags", "recurrence", "recurrence_text",
               "created_at", "completed_at"}
MiB = 1024 * 1024


@pytest.fixture
async def alice(client, signup):
    return await signup(client, "alice@example.com", name="Alice")


@pytest.fixture
async def bob(client, signup):
    return await signup(client, "bob@example.com", name="Bob")


async def create(client, user, **fields) -> dict:
    response = await client.post("/api/tasks", json=fields, headers=user.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def list_tasks(client, user, **params) -> dict:
    response = await client.get("/api/tasks", params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def titles(client, user, **params) -> list[str]:
    return [t["title"] for t in (await list_tasks(client, user, limit=200, **params))["items"]]


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    if code:
        assert body["code"] == code
    return body


# ---------------------------------------------------------------- CRUD


async def test_crud_happy_path(client, alice):
    h = alice.headers
    response = await client.post(
        "/api/tasks",
        json={"title": "  Pay rent ", "notes": "by transfer", "priority": "high", "due": "2099-11-30T09:00",
              "tags": ["#Home", "money"], "recurrence": "monthly"},
        headers=h,
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    task = response.json()
    assert TASK_FIELDS <= set(task)
    assert isinstance(task["id"], int)
    assert {k: task[k] for k in TASK_FIELDS - {"id", "created_at"}} == {
        "title": "Pay rent", "notes": "by transfer", "completed": False, "priority": "high",
        "due": "2099-11-30T09:00", "tags": ["home", "money"], "recurrence": "FREQ=MONTHLY",
        "recurrence_text": "every month", "completed_at": None,
    }
    created_at = dt.datetime.fromisoformat(task["created_at"])
    assert created_at.utcoffset() == dt.timedelta(0), "timestamps say they are UTC"
    assert abs(created_at - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
    url = f"/api/tasks/{task['id']}"

    got = await client.get(url, headers=h)
    assert got.status_code == 200
    assert got.json() == task

    page = await client.get("/api/tasks", headers=h)
    assert page.status_code == 200
    assert page.json() == {"items": [task], "next_cursor": None}

    patched = await client.patch(url, json={"title": "Pay the rent", "notes": "", "tags": ["bills"]}, headers=h)
    assert patched.status_code == 200, patched.text
    assert (patched.json()["title"], patched.json()["notes"], patched.json()["tags"]) == ("Pay the rent", "", ["bills"])
    assert patched.json()["due"] == "2099-11-30T09:00"  # untouched
    assert (await client.get(url, headers=h)).json() == patched.json()

    completed = await client.post(f"{url}/complete", headers=h)
    assert completed.status_code == 200, completed.text
    body = completed.json()
    assert body["task"]["id"] == task["id"]
    assert body["task"]["completed"] is True
    assert body["task"]["completed_at"] is not None
    assert body["next"]["title"] == "Pay the rent"
    # Nov 30 is the last day of its month, so a monthly task due then repeats at month end.
    assert body["next"]["due"] == "2099-12-31T09:00"
    assert body["next"]["completed"] is False
    assert len((await list_tasks(client, alice))["items"]) == 2

    reopened = await client.post(f"{url}/reopen", headers=h)
    assert reopened.status_code == 200
    assert reopened.json()["completed"] is False
    assert reopened.json()["completed_at"] is None
    assert [t["id"] for t in (await list_tasks(client, alice))["items"]] == [task["id"]]

    deleted = await client.delete(url, headers=h)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert_error(await client.get(url, headers=h), 404, "NOT_FOUND")
    assert (await client.get(url, headers=h)).json() == NOT_FOUND
    assert_error(await client.delete(url, headers=h), 404, "NOT_FOUND")
    assert (await list_tasks(client, alice))["items"] == []


async def test_complete_a_plain_task_has_no_next(client, alice):
    task = await create(client, alice, title="One-off")
    response = await client.post(f"/api/tasks/{task['id']}/complete", headers=alice.headers)
    assert response.status_code == 200
    assert response.json()["next"] is None
    assert response.json()["task"]["completed"] is True


async def test_patch_with_a_date_only_due_drops_the_time(client, alice):
    """The REST API is explicit: unlike the assistant's update_task, a date-only due is date-only."""
    task = await create(client, alice, title="dentist", due="2099-01-01T15:00")
    moved = await client.patch(f"/api/tasks/{task['id']}", json={"due": "2099-01-02"}, headers=alice.headers)
    assert moved.status_code == 200 and moved.json()["due"] == "2099-01-02"


async def test_patch_can_clear_due_and_recurrence_and_complete(client, alice):
    task = await create(client, alice, title="t", due="2099-01-01", recurrence="daily")
    url = f"/api/tasks/{task['id']}"
    cleared = await client.patch(url, json={"due": None, "recurrence": None}, headers=alice.headers)
    assert cleared.status_code == 200
    assert (cleared.json()["due"], cleared.json()["recurrence"], cleared.json()["recurrence_text"]) == (None, None, None)

    done = await client.patch(url, json={"completed": True}, headers=alice.headers)
    assert done.json()["completed"] is True
    assert done.json()["completed_at"]


async def test_bulk_complete_and_delete(client, alice):
    ids = [(await create(client, alice, title=f"t{i}"))["id"] for i in range(4)]

    response = await client.post("/api/tasks/bulk", json={"action": "complete", "ids": ids[:2]}, headers=alice.headers)
    assert response.status_code == 200
    assert sorted(response.json()["completed"]) == sorted(ids[:2])
    assert sorted(await titles(client, alice, status="done")) == ["t0", "t1"]

    response = await client.post("/api/tasks/bulk", json={"action": "delete", "ids": [ids[0], ids[3]]},
                                 headers=alice.headers)
    assert response.status_code == 200
    assert sorted(response.json()["deleted"]) == sorted([ids[0], ids[3]])
    assert sorted(await titles(client, alice)) == ["t1", "t2"]

    for body in ({"action": "archive", "ids": ids}, {"action": "delete", "ids": []}, {"action": "delete"},
                 {"action": "delete", "ids": ["x"]}, {"action": "delete", "ids": ids, "extra": 1}):
        assert_error(await client.post("/api/tasks/bulk", json=body, headers=alice.headers), 422)
    assert sorted(await titles(client, alice)) == ["t1", "t2"]


# ---------------------------------------------------------------- filters and pages


async def test_filters_via_query_parameters(client, alice):
    await create(client, alice, title="Pay rent", priority="high", tags=["home", "money"], due="2000-01-01")
    await create(client, alice, title="Gym", priority="low", tags=["health"], due="2999-01-02T07:00")
    await create(client, alice, title="Call mom", notes="about the RENT", tags=["home"], due="2999-01-01")
    done = await create(client, alice, title="Old chore", due="2000-01-01")
    await client.post(f"/api/tasks/{done['id']}/complete", headers=alice.headers)
    await create(client, alice, title="Someday")

    assert await titles(client, alice, status="done") == ["Old chore"]
    assert await titles(client, alice, status="open") == ["Pay rent", "Call mom", "Gym", "Someday"]
    assert await titles(client, alice, priority="high") == ["Pay rent"]
    assert await titles(client, alice, tag="home") == ["Pay rent", "Call mom"]
    assert await titles(client, alice, tag="#Home") == ["Pay rent", "Call mom"]
    assert await titles(client, alice, due_before="2999-01-01") == ["Pay rent", "Old chore"]
    assert await titles(client, alice, due_after="2999-01-01") == ["Gym"]
    assert await titles(client, alice, due_on="2999-01-02") == ["Gym"]
    assert await titles(client, alice, q="rent") == ["Pay rent", "Call mom"]
    assert await titles(client, alice, q="100%") == []
    assert await titles(client, alice, overdue="true") == ["Pay rent"]
    assert await titles(client, alice, overdue="true", tz="Pacific/Kiritimati") == ["Pay rent"]
    assert await titles(client, alice, sort="priority", status="open") == ["Pay rent", "Call mom", "Someday", "Gym"]
    assert await titles(client, alice, tag="home", q="mom", status="open") == ["Call mom"]


@pytest.mark.parametrize(
    "params",
    [{"status": "bogus"}, {"priority": "urgent"}, {"due_on": "not-a-date"}, {"due_before": "2026-02-30"},
     {"limit": "0"}, {"limit": "201"}, {"limit": "many"}, {"sort": "title"}, {"overdue": "perhaps"},
     {"tag": "a/b"}],
)
async def test_invalid_query_parameters_are_422(client, alice, params):
    assert_error(await client.get("/api/tasks", params=params, headers=alice.headers), 422)


@pytest.mark.parametrize("sort", ["due", "priority", "created", "position"])
async def test_pagination_follows_next_cursor(client, alice, sort):
    for i in range(23):
        await create(client, alice, title=f"t{i:02d}", priority=["low", "medium", "high"][i % 3],
                     due=None if i % 5 == 0 else f"2099-03-{1 + i % 4:02d}")
    whole = await list_tasks(client, alice, sort=sort, limit=200)
    assert whole["next_cursor"] is None
    assert len(whole["items"]) == 23

    seen, cursor = [], None
    while True:
        assert len(seen) <= 23, "pagination does not end"
        params = {"sort": sort, "limit": 5, **({"cursor": cursor} if cursor else {})}
        page = await list_tasks(client, alice, **params)
        seen.extend(t["id"] for t in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [t["id"] for t in whole["items"]]
    assert len(set(seen)) == 23


async def test_bad_cursor_is_400(client, alice):
    for i in range(3):
        await create(client, alice, title=f"t{i}")
    first = await list_tasks(client, alice, limit=1)
    assert first["next_cursor"]

    for cursor in ("garbage", first["next_cursor"] + "xx", "e30"):
        assert_error(await client.get("/api/tasks", params={"cursor": cursor}, headers=alice.headers),
                     400, "INVALID_CURSOR")
    # A cursor from one sort does not fit another.
    response = await client.get("/api/tasks", params={"cursor": first["next_cursor"], "sort": "created"},
                                headers=alice.headers)
    assert_error(response, 400, "INVALID_CURSOR")


async def test_time_zone_parameter(client, alice):
    assert (await client.get("/api/tasks", params={"tz": "America/New_York"}, headers=alice.headers)).status_code == 200
    for tz in ("Not/AZone", "../../etc/passwd", "", "x" * 65):
        assert_error(await client.get("/api/tasks", params={"tz": tz}, headers=alice.headers), 422)


# ---------------------------------------------------------------- another user's tasks


async def test_another_user_gets_404_for_everything(client, alice, bob):
    task = await create(client, alice, title="Alice's diary", recurrence="daily", due="2099-01-01")
    url = f"/api/tasks/{task['id']}"
    await client.post(f"{url}/complete", headers=alice.headers)
    before = (await client.get(url, headers=alice.headers)).json()
    alice_list = await list_tasks(client, alice)

    attempts = [
        client.get(url, headers=bob.headers),
        client.patch(url, json={"title": "pwned"}, headers=bob.headers),
        client.delete(url, headers=bob.headers),
        client.post(f"{url}/complete", headers=bob.headers),
        client.post(f"{url}/reopen", headers=bob.headers),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 404, response.text
        assert response.json() == NOT_FOUND
        assert "diary" not in response.text

    bob_list = await list_tasks(client, bob, limit=200)
    assert bob_list["items"] == []
    for params in ({"status": "done"}, {"q": "diary"}, {"sort": "created"}, {"overdue": "true"}):
        assert (await list_tasks(client, bob, **params))["items"] == []

    for action in ("complete", "delete"):
        response = await client.post("/api/tasks/bulk", json={"action": action, "ids": [task["id"]]},
                                     headers=bob.headers)
        assert response.status_code == 200
        assert response.json() in ({"completed": []}, {"deleted": []})
    assert (await client.get(url, headers=alice.headers)).json() == before
    assert await list_tasks(client, alice) == alice_list


# ---------------------------------------------------------------- authentication on every route

ROUTES = [
    ("GET", "/api/tasks", None),
    ("POST", "/api/tasks", {"title": "t"}),
    ("POST", "/api/tasks/bulk", {"action": "delete", "ids": [1]}),
    ("GET", "/api/tasks/1", None),
    ("PATCH", "/api/tasks/1", {"title": "t"}),
    ("DELETE", "/api/tasks/1", None),
    ("POST", "/api/tasks/1/complete", None),
    ("POST", "/api/tasks/1/reopen", None),
    ("GET", "/api/auth/token", None),
    ("GET", "/api/auth/get-session", None),
]


@pytest.mark.parametrize("method,path,body", ROUTES)
async def test_every_route_needs_a_token(client, alice, method, path, body):
    await create(client, alice, title="exists")
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Basic {alice.token}"}):
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.json() == UNAUTHORIZED
        assert response.headers["www-authenticate"] == "Bearer"
    assert await titles(client, alice) == ["exists"]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": ""},
        {"title": "   "},
        {"title": None},
        {"title": 123},
        {"title": ["a"]},
        {"title": "x" * 501},
        {"title": "t", "priority": "urgent"},
        {"title": "t", "recurrence": "hourly"},
        {"title": "t", "recurrence": "FREQ=DAILY\u0000"},
        {"title": "t", "recurrence": "FREQ=DAILY;" + "INTERVAL=1;" * 1000},
        {"title": "t", "recurrence": "FREQ=DAILY;INTERVAL=1e9"},
        {"title": "t", "recurrence": "FREQ=DAILY;COUNT=0"},
        {"title": "t", "recurrence": "FREQ=DAILY;UNTIL=99991231"},
        {"title": "t", "recurrence": "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0"},
        {"title": "t", "recurrence": 7},
        {"title": "t", "tags": {"x": 1}},
        {"title": "t", "tags": [1, 2]},
        {"title": "t", "due": "tomorrow"},
        {"title": "t", "due": 20991130},
        {"title": "t", "due": "1899-12-31"},
        {"title": "t", "due": "3000-01-01T09:00"},
        {"title": "t", "completed": "maybe"},
        {"title": "t", "notes": "n" * 10_001},
        {"title": "t", "unknown": 1},
        {"title": "t", "id": 5},
        [],
        "a string",
    ],
)
async def test_invalid_task_bodies_are_422_with_a_message(client, alice, body):
    response = await client.post("/api/tasks", json=body, headers=alice.headers)
    assert_error(response, 422, "VALIDATION_ERROR")
    assert await titles(client, alice) == []


@pytest.mark.parametrize(
    "patch",
    [{"title": ""}, {"title": None}, {"title": 123}, {"priority": "urgent"}, {"notes": None}, {"tags": "x" * 41},
     {"due": "soon"}, {"due": "0001-01-01"}, {"due": "3000-01-01"}, {"completed": None}, {"position": "top"}, {"owner": "bob"}, []],
)
async def test_invalid_patches_are_422_and_change_nothing(client, alice, patch):
    task = await create(client, alice, title="keep me", priority="low")
    response = await client.patch(f"/api/tasks/{task['id']}", json=patch, headers=alice.headers)
    assert_error(response, 422, "VALIDATION_ERROR")
    assert (await client.get(f"/api/tasks/{task['id']}", headers=alice.headers)).json() == task


async def test_validation_message_names_the_problem(client, alice):
    body = assert_error(await client.post("/api/tasks", json={"title": "t", "priority": "urgent"},
                                          headers=alice.headers), 422)
    assert "priority" in body["message"]
    body = assert_error(await client.post("/api/tasks", json={"title": " "}, headers=alice.headers), 422)
    assert "empty" in body["message"].lower()


@pytest.mark.parametrize("content", [b'{"title": ', b'{"title": "x",}', b"{'title': 'x'}", b"\xff\xfe"])
async def test_malformed_json_is_400(client, alice, content):
    headers = {**alice.headers, "content-type": "application/json"}
    assert_error(await client.post("/api/tasks", content=content, headers=headers), 400, "MALFORMED_JSON")
    task = await create(client, alice, title="keep me")
    response = await client.patch(f"/api/tasks/{task['id']}", content=content, headers=headers)
    assert_error(response, 400, "MALFORMED_JSON")
    assert await titles(client, alice) == ["keep me"]


async def test_body_over_one_mebibyte_is_413_and_nothing_is_created(client, alice):
    body = json.dumps({"title": "huge", "notes": "n" * (MiB + 1)}).encode()
    headers = {**alice.headers, "content-type": "application/json"}

    response = await client.post("/api/tasks", content=body, headers=headers)

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert await titles(client, alice) == []
    # Just under the limit is parsed (and then refused for its notes' length).
    small = json.dumps({"title": "big", "notes": "n" * (MiB - 100)}).encode()
    assert_error(await client.post("/api/tasks", content=small, headers=headers), 422)


async def test_chunked_body_over_one_mebibyte_is_413(client, alice):
    async def chunks():
        yield b'{"title": "huge", "notes": "'
        for _ in range(20):
            yield b"n" * 65536
        yield b'"}'

    headers = {**alice.headers, "content-type": "application/json"}
    response = await client.post("/api/tasks", content=chunks(), headers=headers)

    assert await titles(client, alice) == []
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


async def test_unknown_task_is_404_json(client, alice):
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(method, "/api/tasks/987654", json={"title": "x"} if method == "PATCH" else None,
                                        headers=alice.headers)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    for action in ("complete", "reopen"):
        response = await client.post(f"/api/tasks/987654/{action}", headers=alice.headers)
        assert response.json() == NOT_FOUND


async def test_out_of_range_task_id_is_a_client_error_not_500(auth, alice):
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_api(auth), raise_app_exceptions=False),
        base_url="http://testserver",
    )
    async with client:
        for task_id in (2**31, 10**30):
            response = await client.get(f"/api/tasks/{task_id}", headers=alice.headers)
            assert response.status_code in (404, 422), (task_id, response.status_code, response.text)
            assert response.json()["message"]


# "1.0", "+1", "01", " 1" and "1_0" were read as 1 (or 10): one task had many addresses.
@pytest.mark.parametrize("task_id", ["abc", "1.5", "1e3", "%20", "1.0", "+1", "01", "%201", "1_0", "-1", "0"])
async def test_non_integer_task_id_is_422(client, alice, task_id):
    body = assert_error(await client.get(f"/api/tasks/{task_id}", headers=alice.headers), 422, "VALIDATION_ERROR")
    assert "task_id" in body["message"]


async def test_unknown_routes_and_methods_are_json(client, alice):
    assert_error(await client.get("/api/nothing-here", headers=alice.headers), 404, "NOT_FOUND")
    assert_error(await client.put("/api/tasks/1", json={}, headers=alice.headers), 405, "METHOD_NOT_ALLOWED")


# ---------------------------------------------------------------- CORS


async def test_cors_preflight_from_an_allowed_origin(client):
    response = await client.options(
        "/api/tasks",
        headers={
            "Origin": "http://allowed.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://allowed.example"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers and "content-type" in allowed_headers


async def test_cors_preflight_from_another_origin_is_not_allowed(client):
    response = await client.options(
        "/api/tasks",
        headers={
            "Origin": "http://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert "access-control-allow-origin" not in response.headers


async def test_cors_headers_on_real_responses(client, alice):
    ok = await client.get("/api/tasks", headers={**alice.headers, "Origin": "http://allowed.example"})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "http://allowed.example"
    # The browser must be able to read a 401 to send the user to sign-in.
    denied = await client.get("/api/tasks", headers={"Origin": "http://allowed.example"})
    assert denied.status_code == 401
    assert denied.headers["access-control-allow-origin"] == "http://allowed.example"

    evil = await client.get("/api/tasks", headers={**alice.headers, "Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in evil.headers


# ---------------------------------------------------------------- health and docs


async def test_health(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_docs_are_served_without_a_cdn(client):
    response = await client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "swagger" in html.lower()
    for cdn in ("cdn.jsdelivr", "unpkg", "cdnjs", "googleapis"):
        assert cdn not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), asset
        assert (await client.get(asset)).status_code == 200, asset


async def test_openapi_lists_the_task_routes(client):
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/tasks"])
    assert {"get", "patch", "delete"} <= set(paths["/api/tasks/{task_id}"])
    assert "/api/auth/sign-in/email" in paths


# ---------------------------------------------------------------- repeat rules (issue 11)


async def test_a_repeat_rule_is_stored_in_one_spelling_and_said_in_words(client, alice):
    task = await create(client, alice, title="Team sync", due="2099-03-03",  # a Tuesday
                        recurrence="rrule:freq=weekly;byday=tu;interval=2;until=20990331")
    assert task["recurrence"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20990331"
    assert task["recurrence_text"] == "every other Tuesday until 31 Mar 2099"

    done = (await client.post(f"/api/tasks/{task['id']}/complete", headers=alice.headers)).json()
    assert (done["next"]["due"], done["next"]["recurrence_text"]) == ("2099-03-17", "every other Tuesday until 31 Mar 2099")
    last = (await client.post(f"/api/tasks/{done['next']['id']}/complete", headers=alice.headers)).json()
    assert last["next"]["due"] == "2099-03-31"
    ended = (await client.post(f"/api/tasks/{last['next']['id']}/complete", headers=alice.headers)).json()
    assert ended["next"] is None  # the next Tuesday is past UNTIL


async def test_count_counts_down_and_the_last_one_ends_the_series(client, alice):
    task = await create(client, alice, title="Physio", due="2099-01-05", recurrence="FREQ=WEEKLY;COUNT=2")
    assert task["recurrence_text"] == "every week, 2 times"
    done = (await client.post(f"/api/tasks/{task['id']}/complete", headers=alice.headers)).json()
    assert (done["next"]["due"], done["next"]["recurrence"]) == ("2099-01-12", "FREQ=WEEKLY;COUNT=1")
    assert done["next"]["recurrence_text"] == "every week, last time"
    assert (await client.post(f"/api/tasks/{done['next']['id']}/complete", headers=alice.headers)).json()["next"] is None


@pytest.mark.parametrize(
    "body,message",
    [
        ({"recurrence": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "due": "2099-01-01"}, "This repeat never happens"),
        ({"recurrence": "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6"}, "This repeat never happens"),  # undated: from today
        ({"recurrence": "FREQ=DAILY;UNTIL=20000101"}, "This repeat ends (UNTIL) before it first happens"),
        ({"recurrence": "FREQ=HOURLY;INTERVAL=4", "due": "2099-01-01"},
         "An hourly repeat needs a due time to count the hours from"),
        ({"recurrence": "FREQ=HOURLY"}, "An hourly repeat needs a due time to count the hours from"),
        ({"recurrence": "FREQ=WEEKLY;BYDAY=TU;UNTIL=20990101", "due": "2099-02-01"},
         "This repeat ends (UNTIL) before it first happens"),
        ({"recurrence": "FREQ=DAILY;UNTIL=99991231"}, "UNTIL must be between 19000101 and 29991231"),
        ({"recurrence": "FREQ=DAILY;COUNT=0"}, "COUNT must be a whole number from 1 to 1000"),
        ({"recurrence": "FREQ=DAILY;INTERVAL=1e9"}, "INTERVAL must be a whole number from 1 to 1000"),
        ({"recurrence": "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=0"}, "BYSETPOS values cannot be 0"),
        ({"recurrence": "FREQ=MINUTELY"}, "A repeat rule needs FREQ=HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY"),
    ],
)
async def test_a_rule_that_cannot_repeat_is_422_and_changes_nothing(client, alice, body, message):
    response = await client.post("/api/tasks", json={"title": "t", **body}, headers=alice.headers)
    assert_error(response, 422, "VALIDATION_ERROR")
    assert response.json()["message"] == f"recurrence: {message}"
    assert await titles(client, alice) == []

    task = await create(client, alice, title="keep", due="2099-01-05", recurrence="weekly")
    response = await client.patch(f"/api/tasks/{task['id']}", json={"title": "changed", **body}, headers=alice.headers)
    assert_error(response, 422, "VALIDATION_ERROR")
    assert response.json()["message"] == f"recurrence: {message}"
    assert (await client.get(f"/api/tasks/{task['id']}", headers=alice.headers)).json() == task


async def test_moving_or_untiming_a_task_is_checked_against_its_rule(client, alice):
    task = await create(client, alice, title="Meds", due="2099-01-05T08:00", recurrence="FREQ=HOURLY;INTERVAL=8")
    assert task["recurrence_text"] == "every 8 hours"
    response = await client.patch(f"/api/tasks/{task['id']}", json={"due": "2099-01-06"}, headers=alice.headers)
    assert response.json()["message"] == "recurrence: An hourly repeat needs a due time to count the hours from"
    assert (await client.get(f"/api/tasks/{task['id']}", headers=alice.headers)).json()["due"] == "2099-01-05T08:00"
