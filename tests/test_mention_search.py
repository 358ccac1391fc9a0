"""GET /chatkit/mentions (issue 15): the tasks the official ChatKit UI offers after "@",
over HTTP as its frame asks (the embed's narrowed token, from the opaque origin "null").
The search itself (open first, every word, only the user's) is tests/test_chat_mentions.py's."""

from __future__ import annotations

import pytest

from tests.conftest import bearer
from tests.security.test_embed_token import narrowed_token
from todochat.chat.mentions import MENTIONS_MAX
from todochat.limits import SEARCH_MAX_CHARS


async def add(client, headers, title: str, **fields) -> int:
    response = await client.post("/api/tasks", json={"title": title, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_the_frames_token_finds_the_users_tasks_as_chatkit_entities(client, signup):
    ada = await signup(client)
    bob = await signup(client)
    rent = await add(client, ada.headers, "pay rent", due="2026-12-01")
    paid = await add(client, ada.headers, "pay the plumber")
    await client.post(f"/api/tasks/{paid}/complete", headers=ada.headers)
    await add(client, ada.headers, "call mom")
    await add(client, bob.headers, "pay bob's rent")

    token = await narrowed_token(client, ada.token)
    found = await client.get("/chatkit/mentions", params={"q": "pay"}, headers=bearer(token))
    assert found.status_code == 200
    assert found.json() == {"data": [
        {"id": f"task_{rent}", "title": "pay rent", "group": "Open", "interactive": False,
         "data": {"task_id": str(rent)}},
        {"id": f"task_{paid}", "title": "pay the plumber", "group": "Done", "interactive": False,
         "data": {"task_id": str(paid)}},
    ]}
    # Nothing typed yet: the open ones. The session token works as well.
    everything = await client.get("/chatkit/mentions", headers=ada.headers)
    assert [e["title"] for e in everything.json()["data"]] == ["pay rent", "call mom"]
    assert (await client.get("/chatkit/mentions", params={"q": "zebra"}, headers=ada.headers)).json() == {"data": []}


async def test_a_picker_gets_at_most_a_screenful(client, signup):
    ada = await signup(client)
    for n in range(MENTIONS_MAX + 5):
        await add(client, ada.headers, f"errand {n}")
    found = (await client.get("/chatkit/mentions", params={"q": "errand"}, headers=ada.headers)).json()["data"]
    assert len(found) == MENTIONS_MAX


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
async def test_no_valid_token_is_401(client, headers):
    response = await client.get("/chatkit/mentions", params={"q": "pay"}, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized", "code": "UNAUTHORIZED"}


@pytest.mark.parametrize("q, says", [("x" * (SEARCH_MAX_CHARS + 1), f"at most {SEARCH_MAX_CHARS} characters"),
                                     ("pay\x00rent", "must not contain NUL characters")])
async def test_an_overlong_or_nul_query_is_a_422_that_says_why(client, signup, q, says):
    ada = await signup(client)
    response = await client.get("/chatkit/mentions", params={"q": q}, headers=ada.headers)
    assert response.status_code == 422
    assert says in response.json()["message"], response.json()


async def test_odd_and_foreign_queries_are_searched_as_words(client, signup):
    ada = await signup(client)
    task = await add(client, ada.headers, "Überweisung 家賃 💸")
    for q in ("über", "家賃", "💸", "%", "_", "'; drop table task; --", "  ", "\u202e"):
        response = await client.get("/chatkit/mentions", params={"q": q}, headers=ada.headers)
        assert response.status_code == 200, q
        expected = [task] if q in ("über", "家賃", "💸", "  ") else []
        assert [int(e["data"]["task_id"]) for e in response.json()["data"]] == expected, q


async def test_look_alike_tasks_are_told_apart_in_the_menu(client, signup):
    """Found by a walk-through: the tag menu shows titles only, and two "pay rent" read the
    same. They are worded as the "which one?" question words them."""
    ada = await signup(client)
    dated = await add(client, ada.headers, "pay rent", due="2030-03-01")
    first = await add(client, ada.headers, "call mom")
    second = await add(client, ada.headers, "call mom")
    undated = await add(client, ada.headers, "pay rent")
    found = (await client.get("/chatkit/mentions", headers={**ada.headers, "X-Timezone": "Europe/Berlin"})).json()["data"]
    titles = {int(e["data"]["task_id"]): e["title"] for e in found}
    assert titles[dated].startswith("pay rent, due ") and titles[undated] == "pay rent"
    assert titles[first] == f"call mom (#{first})" and titles[second] == f"call mom (#{second})"
