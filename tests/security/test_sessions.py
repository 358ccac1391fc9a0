"""Issue 9, finding 5: sessions never ended. GET /api/auth/token minted a fresh 7-day token
each call and the old one stayed valid, so a stolen token lived forever; there was no
sign-out on the server. Now every token belongs to a session with a hard end, which
signing out (here or everywhere) ends at once."""

from __future__ import annotations

import datetime as dt

import jwt
from sqlmodel import Session, select

from tests.conftest import DEFAULT_PASSWORD, bearer
from todochat.auth.accounts import Auth
from todochat.auth.tokens import issue_token
from todochat.chat.client import user_input
from todochat.models import AuthSession, User


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


async def works(client, token: str) -> bool:
    return (await client.get("/api/tasks", headers=bearer(token))).status_code == 200


async def test_refreshing_never_outlives_the_session(client_for, engine, make_settings, signup):
    client = client_for(Auth(engine, make_settings(SESSION_MAX_AGE_SECONDS=600, TOKEN_TTL_SECONDS=3600)))
    token, _ = await signup(client)
    assert claims(token)["exp"] - claims(token)["iat"] <= 600
    fresh = (await client.get("/api/auth/token", headers=bearer(token))).json()["token"]
    assert claims(fresh)["sid"] == claims(token)["sid"]
    assert claims(fresh)["exp"] <= claims(token)["iat"] + 600

    with Session(engine) as session:  # the session reaches its end
        row = session.get(AuthSession, claims(token)["sid"])
        row.expires_at = dt.datetime.utcnow() - dt.timedelta(seconds=1)
        session.add(row)
        session.commit()
    assert not await works(client, fresh)
    assert (await client.get("/api/auth/token", headers=bearer(fresh))).status_code == 401


async def test_signing_out_ends_the_token_and_its_refreshes(client, signup):
    token, user = await signup(client)
    refreshed = (await client.get("/api/auth/token", headers=bearer(token))).json()["token"]
    other = (
        await client.post("/api/auth/sign-in/email", json={"email": user["email"], "password": DEFAULT_PASSWORD})
    ).json()["token"]

    assert (await client.post("/api/auth/sign-out", headers=bearer(token))).json() == {"success": True}
    assert not await works(client, token) and not await works(client, refreshed)
    assert (await client.get("/api/auth/token", headers=bearer(refreshed))).status_code == 401
    chat = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": user_input("hi")}}, headers=bearer(token)
    )
    assert chat.status_code == 401
    assert await works(client, other), "another sign-in of the same user is its own session"


async def test_sign_out_everywhere(client, signup):
    token, user = await signup(client)
    other = (
        await client.post("/api/auth/sign-in/email", json={"email": user["email"], "password": DEFAULT_PASSWORD})
    ).json()["token"]
    assert (await client.post("/api/auth/revoke-sessions", headers=bearer(other))).json() == {"status": True}
    assert not await works(client, token) and not await works(client, other)


async def test_a_token_without_a_session_is_refused(client, auth, signup, engine):
    _, user = await signup(client)
    with Session(engine) as session:
        row = session.exec(select(User).where(User.id == user["id"])).one()
    sessionless = issue_token(auth.keys, row, origin="http://testserver", ttl_seconds=3600)
    assert not await works(client, sessionless)
