"""Issue 9, finding 6: the ChatKit embed ran OpenAI's script same-origin with the session,
whose token sat in localStorage. Now the frame is sandboxed (tests/e2e/test_chatkit_embed.py
proves a script in it cannot read the app's storage) and holds only a 10-minute token
that POST /chatkit and its @-mention search (GET /chatkit/mentions) accept and every other
route refuses."""

from __future__ import annotations

import jwt

from tests.conftest import bearer
from todochat.auth.accounts import Auth
from todochat.chat.client import user_input
from todochat.limits import CHATKIT_TOKEN_TTL_SECONDS

LIST_THREADS = {"type": "threads.list", "params": {"limit": 5}}


async def narrowed_token(client, session_token: str) -> str:
    response = await client.post("/api/auth/chatkit-token", headers=bearer(session_token))
    assert response.status_code == 200
    return response.json()["token"]


async def test_the_embed_token_opens_chatkit_and_nothing_else(client, signup):
    session_token, _ = await signup(client)
    token = await narrowed_token(client, session_token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["scope"] == "chatkit" and claims["exp"] - claims["iat"] <= CHATKIT_TOKEN_TTL_SECONDS

    assert (await client.post("/chatkit", json=LIST_THREADS, headers=bearer(token))).status_code == 200
    create = {"type": "threads.create", "params": {"input": user_input("add pay rent")}}
    assert (await client.post("/chatkit", json=create, headers=bearer(token))).status_code == 200
    assert (await client.get("/chatkit/mentions", params={"q": "pay"}, headers=bearer(token))).status_code == 200
    for method, path in [
        ("GET", "/api/tasks"),
        ("POST", "/api/tasks"),
        ("GET", "/api/auth/token"),
        ("GET", "/api/auth/get-session"),
        ("POST", "/api/auth/chatkit-token"),
        ("POST", "/api/auth/sign-out"),
        ("POST", "/api/auth/revoke-sessions"),
    ]:
        response = await client.request(method, path, headers=bearer(token), json={"title": "x"})
        assert response.status_code == 401, (method, path, response.text)


async def test_the_embed_token_ends_with_its_session(client, signup):
    session_token, _ = await signup(client)
    token = await narrowed_token(client, session_token)
    await client.post("/api/auth/sign-out", headers=bearer(session_token))
    assert (await client.post("/chatkit", json=LIST_THREADS, headers=bearer(token))).status_code == 401


async def test_only_chatkit_and_its_search_answer_the_sandboxed_frame(client_for, engine, make_settings):
    client = client_for(Auth(engine, make_settings(CHATKIT_DOMAIN_KEY="domain_pk_test")))
    preflight = {"Origin": "null", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    chatkit = await client.options("/chatkit", headers=preflight)
    assert chatkit.status_code == 200 and chatkit.headers["access-control-allow-origin"] == "null"
    tasks = await client.options("/api/tasks", headers=preflight)
    assert tasks.headers.get("access-control-allow-origin") != "null"
    # The search is the frame's too, and no other origin's.
    search = await client.options("/chatkit/mentions", headers={**preflight, "Access-Control-Request-Method": "GET"})
    assert search.status_code == 200 and search.headers["access-control-allow-origin"] == "null"
    for origin in ("https://evil.example", "null "):
        elsewhere = await client.options("/chatkit/mentions", headers={**preflight, "Origin": origin,
                                                                       "Access-Control-Request-Method": "GET"})
        assert elsewhere.headers.get("access-control-allow-origin") in (None, ""), origin
    refused = await client.get("/chatkit/mentions", headers={"Origin": "null"})  # no token: the 401 reaches it
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == "null"
    # The one header of ours the frame may read: whether a JSON answer changed tasks.
    posted = await client.post("/chatkit", headers={"Origin": "null"}, json={})
    assert "x-tasks-changed" in posted.headers["access-control-expose-headers"].lower()
