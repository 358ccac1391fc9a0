"""Issue 9, finding 12: with BETTER_AUTH_URL, an external token whose ``sub`` equals a
local user's id signed in as that local user. An external token now stands for one of
our users only when it names the same account (same id and same email)."""

from __future__ import annotations

import pytest

from tests.test_auth_tokens import (  # noqa: F401 (fixtures)
    SigningKey,
    _jwks_httpd,
    assert_unauthorized,
    claims_for,
    ext_auth,
    ext_client,
    jwks_server,
    remote_jwks,
)


async def test_an_external_token_cannot_take_over_a_local_account(ext_client, jwks_server, better_auth, signup):
    victim = await signup(ext_client, email="victim@example.com")
    key = SigningKey("ext-key-takeover")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    forged = key.sign(claims_for(sub=victim.user["id"], email="attacker@example.com"))
    await assert_unauthorized(ext_client, forged)
    # The victim's own token still works.
    assert (await ext_client.get("/api/tasks", headers=victim.headers)).status_code == 200


async def test_the_same_account_from_a_shared_database_still_signs_in(ext_client, jwks_server, better_auth, signup):
    shared = await signup(ext_client, email="shared@example.com")
    key = SigningKey("ext-key-shared")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    token = key.sign(claims_for(sub=shared.user["id"], email="Shared@Example.com"))
    response = await ext_client.get("/api/tasks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "ext\x00user"},
        {"sub": "x" * 100_000},
        {"sub": 12345},
        {"email": "nul\x00@example.com"},
        {"email": "esc\x1b[2J@example.com"},
    ],
    ids=["nul in sub", "huge sub", "number sub", "nul in email", "escape in email"],
)
async def test_an_external_tokens_claims_are_checked_like_any_input(ext_client, jwks_server, better_auth, claims):
    """Found by the hostile review: NUL in sub or email was a 500 on PostgreSQL, a 100,000
    character sub became a user id, control characters were stored."""
    key = SigningKey("ext-key-claims")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    token = key.sign({**claims_for(sub="ext-odd-1", email="odd@example.com"), **claims})
    await assert_unauthorized(ext_client, token)


async def test_an_external_name_is_cleaned(ext_client, jwks_server, better_auth):
    key = SigningKey("ext-key-name")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    token = key.sign({**claims_for(sub="ext-named-1", email="named@example.com"), "name": "Eve\x1b[31m \u202eevil\x00"})
    session = await ext_client.get("/api/auth/get-session", headers={"Authorization": f"Bearer {token}"})
    assert session.status_code == 200 and session.json()["user"]["name"] == "Eve[31m evil"
