"""Issue 9, finding 12: with BETTER_AUTH_URL, an external token whose ``sub`` equals a
local user's id signed in as that local user. An external token now stands for one of
our users only when it names the same account (same id and same email)."""

from __future__ import annotations

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
