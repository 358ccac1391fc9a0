"""Issue 9, finding 4: no brute-force protection, and password hashing starving the server.

30 wrong passwords in 6 s met no lockout; 40 concurrent bad sign-ins filled the thread pool
every sync route shares (memory 165 → 618 MiB, /health 6.6 s).
"""

from __future__ import annotations

import asyncio
import threading

import pytest

import todochat.auth.accounts as accounts
from tests.conftest import DEFAULT_PASSWORD
from todochat.limits import ACCOUNT_FAILURES, ACCOUNT_WINDOW_SECONDS, CLIENT_ATTEMPTS, HASH_SLOTS


# Throttling lives in the process, not the database: SQLite is enough (hashing is slow).
pytestmark = pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sign_in(client, email: str, password: str):
    return client.post("/api/auth/sign-in/email", json={"email": email, "password": password})


async def test_wrong_passwords_lock_the_account_for_a_while(client, auth, signup):
    clock = auth.guard.clock = Clock()
    ada = await signup(client)
    email = ada.user["email"]
    for _ in range(ACCOUNT_FAILURES):
        assert (await sign_in(client, email, "wrong password 1")).status_code == 401
    # Now even the right password waits: a guesser cannot tell it was right.
    locked = await sign_in(client, email, DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "TOO_MANY_REQUESTS" and "Try again in 15 minutes" in locked.json()["message"]
    assert 0 < int(locked.headers["retry-after"]) <= ACCOUNT_WINDOW_SECONDS
    # Other accounts are not locked by it.
    bob = await signup(client)
    assert (await sign_in(client, bob.user["email"], DEFAULT_PASSWORD)).status_code == 200

    clock.now += ACCOUNT_WINDOW_SECONDS + 1
    assert (await sign_in(client, email, DEFAULT_PASSWORD)).status_code == 200


async def test_one_client_address_is_throttled(client, auth):
    auth.guard.clock = Clock()
    statuses = [
        (await sign_in(client, f"nobody{n}@example.com", "wrong password 1")).status_code
        for n in range(CLIENT_ATTEMPTS + 1)
    ]
    assert statuses[:CLIENT_ATTEMPTS] == [401] * CLIENT_ATTEMPTS
    assert statuses[-1] == 429


async def test_a_flood_of_sign_ins_runs_few_hashes_at_once_and_others_are_served(client, auth, monkeypatch):
    running, most = 0, 0
    lock = threading.Lock()
    real_verify = accounts.verify_password

    def counted_verify(stored, password):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return real_verify(stored, password)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(accounts, "verify_password", counted_verify)
    flood = [
        asyncio.create_task(
            client.post(
                "/api/auth/sign-in/email",
                json={"email": f"x{n}@example.com", "password": "wrong password 1"},
                headers={"x-test": str(n)},
            )
        )
        for n in range(25)
    ]
    await asyncio.sleep(0.05)
    health = await client.get("/health")  # answered during the flood
    answers = await asyncio.gather(*flood)
    assert health.status_code == 200
    assert most <= HASH_SLOTS
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {401, 503} and 401 in statuses
    busy = [a for a in answers if a.status_code == 503]
    assert all(a.headers.get("retry-after") for a in busy)


@pytest.mark.parametrize("route", ["sign-in", "sign-up"])
async def test_throttled_answers_say_when_to_come_back(client, auth, route):
    auth.guard.clock = Clock()
    body = {"email": "someone@example.com", "password": "wrong password 1", "name": "S"}
    answers = [await client.post(f"/api/auth/{route}/email", json=body) for _ in range(CLIENT_ATTEMPTS + 1)]
    last = answers[-1]
    assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1
