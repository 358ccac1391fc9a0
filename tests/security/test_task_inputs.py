"""Issue 9, findings 7 to 10 on tasks: cursors, positions, NUL and control characters.

7. A cursor holding a huge number or Infinity was a 500; now 400 INVALID_CURSOR.
8. PATCH position: Infinity was stored as null (breaking manual order), NaN a 500; now 422.
9. NUL in a title, notes or q was a 500 on PostgreSQL; now 422.
10. ESC, BEL and bidi overrides in titles were stored and printed raw by the CLI.
"""

from __future__ import annotations

import base64
import io
import json

import pytest

from todochat import cli


def cursor_of(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "keys"),
    [
        ("due", ["2026-01-01T00:00:00", 10**30]),
        ("due", ["2026-01-01T00:00:00", float("inf")]),
        ("position", [float("inf"), 1]),
        ("position", [float("nan"), 1]),
        ("priority", [10**20, "2026-01-01T00:00:00", 1]),
        ("created", ["x" * 100, 1]),
        ("due", ["2026-01-01T00:00:00", True]),
    ],
)
async def test_a_hostile_cursor_is_a_400(client, signup, sort, keys):
    ada = await signup(client)
    cursor = cursor_of({"s": sort, "k": keys})
    response = await client.get(f"/api/tasks?sort={sort}&cursor={cursor}", headers=ada.headers)
    assert response.status_code == 400 and response.json()["code"] == "INVALID_CURSOR", response.text


@pytest.mark.parametrize("position", ["Infinity", "-Infinity", "NaN", "1e300"])
async def test_a_position_that_is_not_a_sane_number_is_a_422(client, signup, position):
    ada = await signup(client)
    task = (await client.post("/api/tasks", json={"title": "t"}, headers=ada.headers)).json()
    response = await client.patch(
        f"/api/tasks/{task['id']}", content=f'{{"position": {position}}}',
        headers={**ada.headers, "content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    after = (await client.get(f"/api/tasks/{task['id']}", headers=ada.headers)).json()
    assert after == task


@pytest.mark.parametrize("field", ["title", "notes"])
async def test_nul_in_a_task_is_a_422(client, signup, field):
    ada = await signup(client)
    body = {"title": "ok", field: "pay\x00rent"}
    assert (await client.post("/api/tasks", json=body, headers=ada.headers)).status_code == 422
    task = (await client.post("/api/tasks", json={"title": "ok"}, headers=ada.headers)).json()
    patched = await client.patch(f"/api/tasks/{task['id']}", json={field: "a\x00b"}, headers=ada.headers)
    assert patched.status_code == 422
    searched = await client.get("/api/tasks?q=a%00b", headers=ada.headers)
    assert searched.status_code == 422


async def test_control_characters_never_reach_a_title_or_the_terminal(client, signup, db_url):
    ada = await signup(client)
    body = {"title": "pay\x1b[31m rent\x07 \u202eevil", "notes": "line one\nline\x1b]0;pwned\x07 two"}
    task = (await client.post("/api/tasks", json=body, headers=ada.headers)).json()
    assert task["title"] == "pay[31m rent evil"
    assert task["notes"] == "line one\nline]0;pwned two"
    out = io.StringIO()
    assert cli.main(["--db", db_url, "--user", ada.user["email"], "tasks"], out=out) == 0
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue() and "pay[31m rent evil" in out.getvalue()


async def test_a_task_at_the_last_position_leaves_paging_and_new_tasks_working(client, signup):
    """Found by the hostile review: after PATCH position 1e12 (allowed), new tasks went to
    1e12+1 and up, past the range, so the server refused its own next_cursor and a task's
    own position sent back unchanged."""
    ada = await signup(client)
    last = (await client.post("/api/tasks", json={"title": "last"}, headers=ada.headers)).json()
    moved = await client.patch(f"/api/tasks/{last['id']}", json={"position": 1e12}, headers=ada.headers)
    assert moved.status_code == 200
    new = [(await client.post("/api/tasks", json={"title": f"new {i}"}, headers=ada.headers)).json() for i in range(3)]
    for task in new:
        same = await client.patch(f"/api/tasks/{task['id']}", json={"position": task["position"]}, headers=ada.headers)
        assert same.status_code == 200, same.text
    seen, cursor = [], ""
    while True:
        page = await client.get(f"/api/tasks?sort=position&limit=1{cursor}", headers=ada.headers)
        assert page.status_code == 200, page.text
        seen += [t["title"] for t in page.json()["items"]]
        if not page.json()["next_cursor"]:
            break
        cursor = f"&cursor={page.json()['next_cursor']}"
    assert seen == ["last", "new 0", "new 1", "new 2"]
