"""What schemathesis found against the OpenAPI document (tests/test_api_fuzz.py), each
kept fixed by a plain test: bad input gets a 4xx and changes nothing."""

from __future__ import annotations

import pytest


async def _task_ids(client, user) -> list[int]:
    response = await client.get("/api/tasks", headers=user.headers)
    assert response.status_code == 200
    return sorted(task["id"] for task in response.json()["items"])


@pytest.mark.parametrize("value", ["0", "1700000000", "20261130", "2026-11-30T00:00"])
async def test_date_filters_are_dates_not_unix_times(client, signup, value):
    """`due_on=0` was read as 1970-01-01 (a Unix time) and answered 200."""
    ada = await signup(client)
    for name in ("due_on", "due_before", "due_after"):
        response = await client.get("/api/tasks", params={name: value}, headers=ada.headers)
        assert response.status_code == 422, (name, response.text)
        assert response.json()["code"] == "VALIDATION_ERROR"
    ok = await client.get("/api/tasks", params={"due_on": "2026-11-30"}, headers=ada.headers)
    assert ok.status_code == 200


@pytest.mark.parametrize("bad_id", [False, True, 1.0, 0, -1, 2**31])
async def test_bulk_ids_are_task_ids_and_a_bad_one_changes_nothing(client, signup, bad_id):
    """`{"action": "delete", "ids": [false]}` was read as id 0 and answered 200."""
    ada = await signup(client)
    created = (await client.post("/api/tasks", json={"title": "keep me"}, headers=ada.headers)).json()
    for action in ("delete", "complete"):
        response = await client.post(
            "/api/tasks/bulk", json={"action": action, "ids": [created["id"], bad_id]}, headers=ada.headers
        )
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "VALIDATION_ERROR"
    assert await _task_ids(client, ada) == [created["id"]]
    task = (await client.get(f"/api/tasks/{created['id']}", headers=ada.headers)).json()
    assert task["completed"] is False


async def test_405_says_which_methods_are_allowed(client, signup):
    """A 405 came without its `Allow` header (RFC 9110), and a path served by several
    routes (GET, PATCH, DELETE /api/tasks/{id}) named only the first one's method."""
    ada = await signup(client)
    response = await client.put("/api/tasks/1", json={}, headers=ada.headers)
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"
    assert set(response.headers["allow"].split(", ")) == {"GET", "PATCH", "DELETE"}

    response = await client.request("TRACE", "/api/auth/sign-up/email")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
