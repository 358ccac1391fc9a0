"""`make serve`'s backend takes the client's address from nginx, and from nobody else
(todochat/serve/behind_proxy.py): the sign-in throttle counts by it."""

from __future__ import annotations

import httpx
import pytest

from todochat.serve.behind_proxy import behind_nginx


async def _client_seen(app_client: tuple[str, int], headers: dict[str, str]) -> str:
    seen = {}

    async def app(scope, receive, send):
        seen["client"] = scope["client"][0]
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    transport = httpx.ASGITransport(app=behind_nginx(app), client=app_client)
    async with httpx.AsyncClient(transport=transport, base_url="http://todochat") as client:
        assert (await client.get("/", headers=headers)).status_code == 204
    return seen["client"]


async def test_the_address_nginx_passes_on_is_the_clients():
    assert await _client_seen(("127.0.0.1", 40000), {"X-Forwarded-For": "203.0.113.7"}) == "203.0.113.7"


@pytest.mark.parametrize("connected_from", ["203.0.113.9", "10.0.0.2", "127.0.0.2"])
async def test_anyone_else_claiming_an_address_is_not_believed(connected_from):
    assert await _client_seen((connected_from, 40000), {"X-Forwarded-For": "203.0.113.7"}) == connected_from


async def test_without_the_header_the_connection_is_the_client():
    assert await _client_seen(("127.0.0.1", 40000), {}) == "127.0.0.1"
