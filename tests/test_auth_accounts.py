"""Email + password accounts through the Better Auth–shaped routes, on both databases."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

import jwt
import pytest
from sqlmodel import Session, func, select

from todochat.auth.passwords import verify_password
from todochat.models import Account, User

INVALID_CREDENTIALS = {"message": "Invalid email or password", "code": "INVALID_EMAIL_OR_PASSWORD"}


def _parse_iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


async def _sign_in(client, email: str, password: str):
    return await client.post("/api/auth/sign-in/email", json={"email": email, "password": password})


async def test_sign_up_returns_a_token_and_the_user(client, auth_headers):
    response = await client.post(
        "/api/auth/sign-up/email",
        json={"name": "Ada Lovelace", "email": "ada@example.com", "password": "analytical-engine"},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["name"] == "Ada Lovelace"
    assert body["user"]["emailVerified"] is False
    assert {"id", "createdAt", "updatedAt", "image"} <= set(body["user"])
    # Better Auth's jwt plugin also hands the token over in this header.
    assert response.headers["set-auth-jwt"] == body["token"]
    assert _claims(body["token"])["sub"] == body["user"]["id"]

    session = await client.get("/api/auth/get-session", headers=auth_headers(body["token"]))
    assert session.status_code == 200
    assert session.json()["user"]["id"] == body["user"]["id"]


async def test_sign_up_then_sign_in(client, signup, auth_headers):
    token, user = await signup(client, "grace@example.com", "hopper-1906-cobol", "Grace")

    response = await _sign_in(client, "grace@example.com", "hopper-1906-cobol")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["id"] == user["id"]
    assert _claims(body["token"])["sub"] == user["id"]
    tasks = await client.get("/api/tasks", headers=auth_headers(body["token"]))
    assert tasks.status_code == 200


async def test_sign_in_ignores_email_case_and_surrounding_spaces(client, signup):
    _, user = await signup(client, "Mixed.Case@Example.com", "pass-word-123")
    assert user["email"] == "mixed.case@example.com"

    response = await _sign_in(client, "  MIXED.case@example.COM ", "pass-word-123")

    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == user["id"]


async def test_wrong_password_is_401_with_a_message(client, signup):
    await signup(client, "ada@example.com", "analytical-engine")

    response = await _sign_in(client, "ada@example.com", "analytical-engine!")

    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS
    assert "set-auth-jwt" not in response.headers


async def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, signup):
    await signup(client, "ada@example.com", "analytical-engine")

    response = await _sign_in(client, "nobody@example.com", "analytical-engine")

    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS


async def test_duplicate_email_is_422_case_insensitively(client, signup, engine):
    await signup(client, "dup@example.com")

    for email in ("dup@example.com", "DUP@Example.COM", " dup@example.com "):
        response = await client.post(
            "/api/auth/sign-up/email",
            json={"name": "Again", "email": email, "password": "another-password"},
        )
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "USER_ALREADY_EXISTS"
        assert response.json()["message"]

    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 1
        assert session.exec(select(func.count()).select_from(Account)).one() == 1


@pytest.mark.parametrize("password", ["", "short", "7chars!"])
async def test_short_password_is_400(client, engine, password):
    response = await client.post(
        "/api/auth/sign-up/email",
        json={"name": "A", "email": "short@example.com", "password": password},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "PASSWORD_TOO_SHORT"
    assert "8" in response.json()["message"]
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []


async def test_eight_character_password_is_enough_and_too_long_is_400(client):
    ok = await client.post(
        "/api/auth/sign-up/email", json={"email": "eight@example.com", "password": "8charsOK"}
    )
    assert ok.status_code == 200, ok.text

    too_long = await client.post(
        "/api/auth/sign-up/email", json={"email": "long@example.com", "password": "x" * 129}
    )
    assert too_long.status_code == 400
    assert too_long.json()["code"] == "PASSWORD_TOO_LONG"


@pytest.mark.parametrize(
    "email", ["not-an-email", "missing-at.example.com", "a@b", "two words@example.com", "@example.com", ""]
)
async def test_bad_email_is_400(client, engine, email):
    response = await client.post(
        "/api/auth/sign-up/email", json={"name": "A", "email": email, "password": "long-enough-pw"}
    )

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "INVALID_EMAIL"
    assert response.json()["message"]
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []


async def test_missing_fields_are_422_json(client):
    response = await client.post("/api/auth/sign-up/email", json={"email": "a@example.com"})
    assert response.status_code == 422
    assert "password" in response.json()["message"]

    response = await client.post("/api/auth/sign-in/email", json={"password": "whatever-pw"})
    assert response.status_code == 422
    assert "email" in response.json()["message"]


async def test_blank_name_defaults_to_the_email_local_part(client):
    response = await client.post(
        "/api/auth/sign-up/email", json={"name": "   ", "email": "lin@example.com", "password": "long-enough-pw"}
    )
    assert response.status_code == 200
    assert response.json()["user"]["name"] == "lin"


def _import_fixture_users(engine, better_auth) -> None:
    """Copy issuer A's user and account rows into our tables, as a shared database would hold them."""
    issuer = better_auth["issuer_a"]
    with Session(engine) as session:
        for row in issuer["users"]:
            session.add(
                User(
                    id=row["id"],
                    name=row["name"],
                    email=row["email"],
                    email_verified=row["emailVerified"],
                    created_at=_parse_iso(row["createdAt"]),
                    updated_at=_parse_iso(row["updatedAt"]),
                )
            )
        session.flush()
        for row in issuer["accounts"]:
            session.add(
                Account(
                    id=row["id"],
                    account_id=row["accountId"],
                    provider_id=row["providerId"],
                    user_id=row["userId"],
                    password=row["password"],
                    created_at=_parse_iso(row["createdAt"]),
                    updated_at=_parse_iso(row["updatedAt"]),
                )
            )
        session.commit()


async def test_users_created_by_better_auth_sign_in_with_their_passwords(
    client, engine, better_auth, auth_headers
):
    _import_fixture_users(engine, better_auth)
    issuer = better_auth["issuer_a"]
    ids = {row["email"]: row["id"] for row in issuer["users"]}

    for email, password in issuer["passwords"].items():
        response = await _sign_in(client, email, password)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["user"]["id"] == ids[email]
        assert _claims(body["token"])["sub"] == ids[email]
        assert _claims(body["token"])["email"] == email

        created = await client.post(
            "/api/tasks", json={"title": f"task of {email}"}, headers=auth_headers(body["token"])
        )
        assert created.status_code == 201

        wrong = await _sign_in(client, email, password + "?")
        assert wrong.status_code == 401
        assert wrong.json() == INVALID_CREDENTIALS


async def test_imported_user_cannot_sign_up_again(client, engine, better_auth):
    _import_fixture_users(engine, better_auth)

    response = await client.post(
        "/api/auth/sign-up/email",
        json={"name": "Ada", "email": "Ada@Example.com", "password": "a-new-password"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "USER_ALREADY_EXISTS"


def _better_auth_scrypt(password: str, salt_hex: str) -> str:
    """Better Auth's password hash, written out independently of todochat's code."""
    key = hashlib.scrypt(
        unicodedata.normalize("NFKC", password).encode(),
        salt=salt_hex.encode(),
        n=16384,
        r=16,
        p=1,
        dklen=64,
        maxmem=64 * 1024 * 1024,
    )
    return key.hex()


async def test_accounts_we_create_are_verifiable_by_better_auth(client, signup, engine):
    _, user = await signup(client, "new@example.com", "ﬁne-password-1")

    with Session(engine) as session:
        account = session.exec(select(Account).where(Account.user_id == user["id"])).one()

    assert account.provider_id == "credential"
    assert account.account_id == user["id"]
    assert re.fullmatch(r"[0-9a-f]{32}:[0-9a-f]{128}", account.password), account.password
    assert "password" not in account.password
    assert verify_password(account.password, "ﬁne-password-1")
    assert verify_password(account.password, "fine-password-1")  # NFKC, as Better Auth does
    salt_hex, key_hex = account.password.split(":")
    assert _better_auth_scrypt("fine-password-1", salt_hex) == key_hex


async def test_stored_mixed_case_email_still_matches(client, engine, better_auth):
    # A shared database may hold an email with capitals (written by another tool or an
    # older version): sign-in and the duplicate check still treat it as the same address.
    account = better_auth["issuer_a"]["accounts"][0]
    with Session(engine) as session:
        session.add(User(id="mixed", name="Mixed", email="Mixed.Case@Example.com"))
        session.flush()
        session.add(Account(account_id="mixed", provider_id="credential", user_id="mixed",
                            password=account["password"]))
        session.commit()

    response = await _sign_in(client, "mixed.case@example.com", better_auth["issuer_a"]["passwords"]["ada@example.com"])
    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == "mixed"

    duplicate = await client.post(
        "/api/auth/sign-up/email", json={"email": "mixed.case@example.com", "password": "long-enough-pw"}
    )
    assert duplicate.status_code == 422
