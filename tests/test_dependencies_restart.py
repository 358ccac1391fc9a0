"""PostgreSQL or Redis restarted under a running app (issue 13, "Recovers from its
dependencies"): while one is down, requests fail cleanly (503 with a message, nothing
half-written) and /health says which one; once it is back, requests succeed without
restarting the app. Each test owns the service it restarts (tests/throwaway_services.py).
"""

from __future__ import annotations

import pytest

from todochat import migrate
from todochat.auth.accounts import Auth
from todochat.db import get_engine

from tests.conftest import sign_up
from tests.throwaway_services import OwnPostgres, OwnRedis


@pytest.fixture
def own_postgres():
    cluster = OwnPostgres()
    cluster.start()
    yield cluster
    get_engine(cluster.url).dispose()
    cluster.remove()


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


# Runs on a cluster of its own, not on the parametrized databases.
@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
async def test_postgresql_restarted_under_the_app(own_postgres, make_settings, client_for):
    migrate.upgrade(own_postgres.url)
    auth = Auth(get_engine(own_postgres.url), make_settings(DATABASE_URL=own_postgres.url))
    client = client_for(auth)
    ada = await sign_up(client)
    assert (await client.post("/api/tasks", json={"title": "before"}, headers=ada.headers)).status_code == 201

    own_postgres.stop()
    listed = await client.get("/api/tasks", headers=ada.headers)
    added = await client.post("/api/tasks", json={"title": "while it was down"}, headers=ada.headers)
    for answer in (listed, added):
        assert answer.status_code == 503, answer.text
        assert answer.json()["code"] == "DATABASE_UNAVAILABLE"
        assert "Try again" in answer.json()["message"] and int(answer.headers["retry-after"]) > 0
    health = await client.get("/health")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": False, "redis": None}

    own_postgres.start()  # the same app object: no restart of ours
    listed = await client.get("/api/tasks", headers=ada.headers)
    assert listed.status_code == 200, listed.text
    assert [task["title"] for task in listed.json()["items"]] == ["before"]
    assert (await client.post("/api/tasks", json={"title": "after"}, headers=ada.headers)).status_code == 201
    assert (await client.get("/health")).json() == {"status": "ok", "database": True, "redis": None}


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)
async def test_health_reports_redis_down_and_back(own_redis, make_settings, engine, client_for):
    client = client_for(Auth(engine, make_settings(REDIS_URL=own_redis.url)))
    assert (await client.get("/health")).json() == {"status": "ok", "database": True, "redis": True}

    own_redis.stop()
    down = await client.get("/health")
    assert down.status_code == 503
    assert down.json() == {"status": "unavailable", "database": True, "redis": False}

    own_redis.start()
    assert (await client.get("/health")).json() == {"status": "ok", "database": True, "redis": True}
