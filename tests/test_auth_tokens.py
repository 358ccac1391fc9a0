"""Bearer tokens through the HTTP API: Better Auth's (external issuer) and our own (embedded).

The external issuer's JWKS is served by a real HTTP server on 127.0.0.1, so the code
under test fetches it over a socket exactly as it would from a Better Auth server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from sqlmodel import Session, select

from todochat.auth.accounts import Auth
from todochat.auth.keys import KeyDecryptionError, decrypt_private_key
from todochat.auth.tokens import RemoteJWKS, issue_token
from todochat.models import Jwks, Task, User

UNAUTHORIZED = {"message": "Unauthorized", "code": "UNAUTHORIZED"}
BETTER_AUTH_ORIGIN = "http://localhost:3000"
JWKS_PATH = "/api/auth/jwks"
ADA_ID = "FCs3kEI6jrt6HkNZfqcPbJ8zW9RXvOQr"
GRACE_ID = "wqXU0dDlovZSjVrFcqigszySCThlWgsK"


# ---------------------------------------------------------------- a real JWKS server


class JWKSServer:
    """Serves JSON documents on 127.0.0.1 from a thread and records every request path."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.hits.append(self.path)
                document = server.documents.get(self.path)
                body = json.dumps(document if document is not None else {"error": "not found"}).encode()
                self.send_response(200 if document is not None else 404)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = JWKS_PATH) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def serve_keys(self, *keys: dict, path: str = JWKS_PATH) -> None:
        self.documents[path] = {"keys": list(keys)}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def _jwks_httpd():
    server = JWKSServer()
    yield server
    server.close()


@pytest.fixture
def jwks_server(_jwks_httpd: JWKSServer, better_auth) -> JWKSServer:
    """The JWKS server, serving issuer A's keys (as Better Auth at localhost:3000 would)."""
    _jwks_httpd.documents.clear()
    _jwks_httpd.hits.clear()
    _jwks_httpd.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"])
    return _jwks_httpd


@pytest.fixture
def remote_jwks(jwks_server: JWKSServer) -> RemoteJWKS:
    return RemoteJWKS(jwks_server.url())


@pytest.fixture
def ext_auth(engine, make_settings, remote_jwks) -> Auth:
    """An Auth that trusts the external Better Auth server at localhost:3000 as well as itself."""
    return Auth(engine, make_settings(BETTER_AUTH_URL=BETTER_AUTH_ORIGIN), external_jwks=remote_jwks)


@pytest.fixture
def ext_client(client_for, ext_auth):
    return client_for(ext_auth)


# ---------------------------------------------------------------- token crafting


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64json(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def segments(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


class SigningKey:
    """A fresh Ed25519 key pair and its public JWK (Better Auth's JWKS format)."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.private = Ed25519PrivateKey.generate()
        self.jwk = {
            **json.loads(OKPAlgorithm.to_jwk(self.private.public_key())),
            "alg": "EdDSA",
            "kid": kid,
        }

    def sign(self, claims: dict, **header: Any) -> str:
        return jwt.encode(claims, self.private, algorithm="EdDSA", headers={"kid": self.kid, **header})


def claims_for(
    sub: str = "ext-user-1",
    email: str = "ext1@example.com",
    origin: str = BETTER_AUTH_ORIGIN,
    **overrides: Any,
) -> dict:
    now = int(time.time())
    claims = {
        "iat": now,
        "name": "External User",
        "email": email,
        "emailVerified": False,
        "id": sub,
        "sub": sub,
        "exp": now + 3600,
        "iss": origin,
        "aud": origin,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


async def assert_unauthorized(client, token: str | None = None, headers: dict | None = None) -> None:
    if headers is None:
        # Bytes, so a non-ASCII "token" reaches the server as a client could send it.
        headers = {"Authorization": f"Bearer {token}".encode()}
    response = await client.get("/api/tasks", headers=headers)
    assert response.status_code == 401, response.text
    assert response.json() == UNAUTHORIZED
    created = await client.post("/api/tasks", json={"title": "should not exist"}, headers=headers)
    assert created.status_code == 401
    assert created.json() == UNAUTHORIZED


def task_titles(engine) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(Task.title)).all())


def user_ids(engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(User.id)).all())


# ---------------------------------------------------------------- external issuer: accepted


async def test_issuer_a_token_lists_and_creates_tasks_and_creates_the_user(
    ext_client, engine, better_auth, auth_headers
):
    headers = auth_headers(better_auth["issuer_a"]["tokens"]["ada"])

    listed = await ext_client.get("/api/tasks", headers=headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []

    created = await ext_client.post("/api/tasks", json={"title": "Write the first program"}, headers=headers)
    assert created.status_code == 201, created.text
    listed = await ext_client.get("/api/tasks", headers=headers)
    assert [t["title"] for t in listed.json()["items"]] == ["Write the first program"]

    with Session(engine) as session:
        ada = session.get(User, ADA_ID)
        assert ada is not None
        assert ada.email == "ada@example.com"
        assert ada.name == "Ada Lovelace"
        assert ada.email_verified is False
        task = session.exec(select(Task)).one()
        assert task.user_id == ADA_ID

    # Later requests reuse the row rather than making another.
    again = await ext_client.get("/api/tasks", headers=headers)
    assert again.status_code == 200
    assert user_ids(engine) == {ADA_ID}


async def test_grace_token_works_and_ada_cannot_see_graces_tasks(ext_client, better_auth, auth_headers):
    tokens = better_auth["issuer_a"]["tokens"]
    ada, grace = auth_headers(tokens["ada"]), auth_headers(tokens["grace"])

    created = await ext_client.post("/api/tasks", json={"title": "Find the moth"}, headers=grace)
    assert created.status_code == 201, created.text
    task_id = created.json()["id"]
    await ext_client.post("/api/tasks", json={"title": "Notes on the engine"}, headers=ada)

    grace_list = (await ext_client.get("/api/tasks", headers=grace)).json()["items"]
    ada_list = (await ext_client.get("/api/tasks", headers=ada)).json()["items"]
    assert [t["title"] for t in grace_list] == ["Find the moth"]
    assert [t["title"] for t in ada_list] == ["Notes on the engine"]

    response = await ext_client.get(f"/api/tasks/{task_id}", headers=ada)
    assert response.status_code == 404
    assert "moth" not in response.text


async def test_external_keys_are_cached_between_requests(ext_client, jwks_server, better_auth, auth_headers):
    headers = auth_headers(better_auth["issuer_a"]["tokens"]["ada"])
    for _ in range(3):
        assert (await ext_client.get("/api/tasks", headers=headers)).status_code == 200
    assert jwks_server.hits == [JWKS_PATH]


async def test_own_test_key_is_accepted_when_served_with_the_right_iss_and_aud(
    ext_client, jwks_server, better_auth, auth_headers, engine
):
    # The control for the wrong-iss/aud tests below: the same key and claims, done right.
    key = SigningKey("test-key-ok")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)

    response = await ext_client.get("/api/tasks", headers=auth_headers(key.sign(claims_for())))

    assert response.status_code == 200, response.text
    assert "ext-user-1" in user_ids(engine)


async def test_a_rotated_key_is_picked_up_on_an_unknown_kid(
    ext_client, remote_jwks, jwks_server, better_auth, auth_headers
):
    assert (
        await ext_client.get("/api/tasks", headers=auth_headers(better_auth["issuer_a"]["tokens"]["ada"]))
    ).status_code == 200
    rotated = SigningKey("rotated-key")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], rotated.jwk)
    remote_jwks.REFETCH_INTERVAL = 0  # the cool-down has passed

    response = await ext_client.get("/api/tasks", headers=auth_headers(rotated.sign(claims_for())))

    assert response.status_code == 200, response.text
    assert jwks_server.hits == [JWKS_PATH, JWKS_PATH]


async def test_made_up_kids_do_not_hammer_the_issuer(ext_client, jwks_server, better_auth, auth_headers):
    assert (
        await ext_client.get("/api/tasks", headers=auth_headers(better_auth["issuer_a"]["tokens"]["ada"]))
    ).status_code == 200
    for i in range(5):
        await assert_unauthorized(ext_client, SigningKey(f"made-up-{i}").sign(claims_for()))
    assert jwks_server.hits == [JWKS_PATH]


async def test_embedded_tokens_still_work_next_to_the_external_issuer(ext_client, signup, auth_headers):
    token, _ = await signup(ext_client, "local@example.com")
    response = await ext_client.get("/api/tasks", headers=auth_headers(token))
    assert response.status_code == 200


# ---------------------------------------------------------------- external issuer: rejected


async def test_issuer_b_expired_token_is_rejected(ext_client, engine, better_auth):
    await assert_unauthorized(ext_client, better_auth["issuer_b_expired"]["tokens"]["alan"])
    assert task_titles(engine) == []
    assert user_ids(engine) == set()


async def test_issuer_b_expired_token_is_rejected_even_with_its_key_served(
    ext_client, jwks_server, engine, better_auth
):
    # Same origin, key known: only the expiry is wrong.
    jwks_server.serve_keys(
        *better_auth["issuer_a"]["jwks"]["keys"], *better_auth["issuer_b_expired"]["jwks"]["keys"]
    )
    await assert_unauthorized(ext_client, better_auth["issuer_b_expired"]["tokens"]["alan"])
    assert user_ids(engine) == set()


async def test_issuer_c_token_with_an_unknown_kid_is_rejected(ext_client, engine, better_auth):
    await assert_unauthorized(ext_client, better_auth["issuer_c_foreign"]["tokens"]["mallory"])
    assert user_ids(engine) == set()


async def test_issuer_c_token_is_rejected_even_when_its_key_is_served(
    ext_client, jwks_server, engine, better_auth
):
    # Signature checks out, but iss/aud are http://evil.example.
    jwks_server.serve_keys(
        *better_auth["issuer_a"]["jwks"]["keys"], *better_auth["issuer_c_foreign"]["jwks"]["keys"]
    )
    await assert_unauthorized(ext_client, better_auth["issuer_c_foreign"]["tokens"]["mallory"])
    assert user_ids(engine) == set()


async def test_alg_none_is_rejected(ext_client, engine, better_auth):
    header, payload, _ = segments(better_auth["issuer_a"]["tokens"]["ada"])
    for alg in ("none", "None", "NONE"):
        unsigned = f"{b64json({**header, 'alg': alg})}.{b64json(payload)}."
        await assert_unauthorized(ext_client, unsigned)
    without_kid = f"{b64json({'alg': 'none', 'typ': 'JWT'})}.{b64json(payload)}."
    await assert_unauthorized(ext_client, without_kid)
    assert user_ids(engine) == set()


async def test_hs256_signed_with_the_issuers_public_key_is_rejected(ext_client, engine, better_auth):
    # The classic key-confusion attack: the public key used as an HMAC secret.
    issuer = better_auth["issuer_a"]
    public_jwk = issuer["jwks"]["keys"][0]
    raw_public = b64url_decode(public_jwk["x"])
    pem = (
        OKPAlgorithm.from_jwk(public_jwk)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header, payload, _ = segments(issuer["tokens"]["ada"])
    for secret in (raw_public, public_jwk["x"].encode(), json.dumps(public_jwk).encode(), pem):
        signing_input = f"{b64json({**header, 'alg': 'HS256'})}.{b64json(payload)}"
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        await assert_unauthorized(ext_client, f"{signing_input}.{b64url(signature)}")
    assert user_ids(engine) == set()


async def test_wrong_issuer_is_rejected(ext_client, jwks_server, engine, better_auth):
    key = SigningKey("test-key-iss")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    for iss in ("http://evil.example", "http://localhost:3001", "https://localhost:3000", None):
        await assert_unauthorized(ext_client, key.sign(claims_for(iss=iss)))
    assert user_ids(engine) == set()


async def test_wrong_audience_is_rejected(ext_client, jwks_server, engine, better_auth):
    key = SigningKey("test-key-aud")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    for aud in ("http://evil.example", "http://testserver", ["http://other.example"], None):
        await assert_unauthorized(ext_client, key.sign(claims_for(aud=aud)))
    assert user_ids(engine) == set()


async def test_external_key_cannot_mint_tokens_for_our_own_origin(ext_client, jwks_server, engine, better_auth):
    key = SigningKey("test-key-ours")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    await assert_unauthorized(ext_client, key.sign(claims_for(origin="http://testserver")))
    assert user_ids(engine) == set()


async def test_missing_required_claims_are_rejected(ext_client, jwks_server, engine, better_auth):
    key = SigningKey("test-key-claims")
    jwks_server.serve_keys(*better_auth["issuer_a"]["jwks"]["keys"], key.jwk)
    for missing in ("exp", "sub", "iat"):
        await assert_unauthorized(ext_client, key.sign(claims_for(**{missing: None})))
    await assert_unauthorized(ext_client, key.sign(claims_for(sub="")))
    await assert_unauthorized(ext_client, key.sign(claims_for(exp=int(time.time()) - 5)))
    assert user_ids(engine) == set()


async def test_unknown_kid_is_rejected(ext_client, jwks_server, engine):
    key = SigningKey("kid-nobody-serves")
    await assert_unauthorized(ext_client, key.sign(claims_for()))
    await assert_unauthorized(ext_client, key.sign(claims_for(), kid=""))
    assert user_ids(engine) == set()


async def test_known_kid_with_someone_elses_signature_is_rejected(ext_client, engine, better_auth):
    a_kid = better_auth["issuer_a"]["jwks"]["keys"][0]["kid"]
    forger = SigningKey(a_kid)
    await assert_unauthorized(ext_client, forger.sign(claims_for(sub=ADA_ID, email="ada@example.com")))
    assert user_ids(engine) == set()


async def test_tampered_payload_is_rejected(ext_client, engine, better_auth):
    header, payload, signature = better_auth["issuer_a"]["tokens"]["ada"].split(".")
    claims = json.loads(b64url_decode(payload))
    claims.update(sub=GRACE_ID, id=GRACE_ID, email="grace@example.com")
    await assert_unauthorized(ext_client, f"{header}.{b64json(claims)}.{signature}")
    assert user_ids(engine) == set()


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "a.b.c",
        "...",
        "eyJhbGciOiJFZERTQSJ9.e30.",
        "eyJ.eyJ.eyJ",
        "Bearer",
        "\u00e9\u00e9\u00e9.\u00e9.\u00e9",
        "x" * 3000,
    ],
)
async def test_garbage_tokens_are_rejected(ext_client, token):
    await assert_unauthorized(ext_client, token)


async def test_truncated_issuer_a_token_is_rejected(ext_client, better_auth):
    token = better_auth["issuer_a"]["tokens"]["ada"]
    await assert_unauthorized(ext_client, token[:-3])
    await assert_unauthorized(ext_client, token.rsplit(".", 1)[0])


async def test_missing_or_wrong_authorization_header_is_rejected(ext_client, better_auth):
    token = better_auth["issuer_a"]["tokens"]["ada"]
    await assert_unauthorized(ext_client, headers={})
    await assert_unauthorized(ext_client, headers={"Authorization": ""})
    await assert_unauthorized(ext_client, headers={"Authorization": "Bearer "})
    await assert_unauthorized(ext_client, headers={"Authorization": "Basic xxx"})
    await assert_unauthorized(
        ext_client, headers={"Authorization": "Basic " + base64.b64encode(b"ada:pw").decode()}
    )
    await assert_unauthorized(ext_client, headers={"Authorization": f"Basic {token}"})
    await assert_unauthorized(ext_client, headers={"Authorization": f"Token {token}"})
    await assert_unauthorized(ext_client, headers={"Authorization": token})


async def test_unreachable_issuer_means_401_not_500(client_for, engine, make_settings, jwks_server, better_auth):
    # The JWKS URL answers 404 (e.g. Better Auth down or misconfigured).
    auth = Auth(
        engine,
        make_settings(BETTER_AUTH_URL=BETTER_AUTH_ORIGIN),
        external_jwks=RemoteJWKS(jwks_server.url("/nothing-here")),
    )
    await assert_unauthorized(client_for(auth), better_auth["issuer_a"]["tokens"]["ada"])


# ---------------------------------------------------------------- embedded issuer only


async def test_embedded_only_auth_rejects_issuer_a_tokens(client, engine, better_auth):
    for token in better_auth["issuer_a"]["tokens"].values():
        await assert_unauthorized(client, token)
    assert user_ids(engine) == set()


async def test_external_jwks_without_better_auth_url_is_not_trusted(
    client_for, engine, settings, remote_jwks, jwks_server, better_auth
):
    assert settings.BETTER_AUTH_URL is None
    auth = Auth(engine, settings, external_jwks=remote_jwks)
    await assert_unauthorized(client_for(auth), better_auth["issuer_a"]["tokens"]["ada"])
    assert jwks_server.hits == []
    assert user_ids(engine) == set()


# ---------------------------------------------------------------- embedded issuer


async def test_sign_up_token_works(client, signup, auth_headers):
    token, _ = await signup(client)
    response = await client.get("/api/tasks", headers=auth_headers(token))
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


async def test_jwks_endpoint_publishes_the_signing_key_in_better_auth_format(client, signup):
    token, _ = await signup(client)

    response = await client.get("/api/auth/jwks")

    assert response.status_code == 200
    keys = response.json()["keys"]
    assert len(keys) == 1
    (key,) = keys
    assert set(key) == {"alg", "crv", "kty", "x", "kid"}
    assert (key["alg"], key["crv"], key["kty"]) == ("EdDSA", "Ed25519", "OKP")
    assert len(b64url_decode(key["x"])) == 32
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    assert header["kid"] == key["kid"]
    # Anyone holding the JWKS can verify our tokens, as Better Auth clients do.
    claims = jwt.decode(
        token, OKPAlgorithm.from_jwk(key), algorithms=["EdDSA"], audience="http://testserver"
    )
    assert claims["iss"] == "http://testserver"


async def test_jwks_is_available_before_anyone_signs_up(client):
    response = await client.get("/api/auth/jwks")
    assert response.status_code == 200
    assert len(response.json()["keys"]) == 1


async def test_token_claims_are_better_auths(client, signup):
    token, user = await signup(client, "claims@example.com", name="Claire Claims")

    claims = jwt.decode(token, options={"verify_signature": False})

    assert {"sub", "id", "email", "name", "iat", "exp", "iss", "aud"} <= set(claims)
    assert claims["sub"] == claims["id"] == user["id"]
    assert claims["email"] == "claims@example.com"
    assert claims["name"] == "Claire Claims"
    assert claims["iss"] == claims["aud"] == "http://testserver"
    assert claims["exp"] - claims["iat"] == 3600  # TOKEN_TTL_SECONDS of the test settings
    assert abs(claims["iat"] - time.time()) < 60


async def test_private_key_is_stored_encrypted(client, signup, engine):
    await signup(client)
    served = (await client.get("/api/auth/jwks")).json()["keys"][0]

    with Session(engine) as session:
        row = session.exec(select(Jwks)).one()

    assert row.id == served["kid"]
    private_jwk = json.loads(decrypt_private_key(row.private_key, "test-secret-of-16+chars"))
    assert private_jwk["x"] == served["x"]  # it really is the signing key...
    d = private_jwk["d"]
    # ...and neither form of the secret half is readable in the table.
    assert d not in row.private_key
    assert b64url_decode(d).hex() not in row.private_key
    assert d not in row.public_key
    assert "d" not in json.loads(row.public_key)


async def test_a_different_secret_cannot_sign(client, signup, engine, make_settings):
    _, user_json = await signup(client)
    with Session(engine) as session:
        user = session.get(User, user_json["id"])

    other = Auth(engine, make_settings(TODOCHAT_SECRET="a-different-secret"))

    with pytest.raises(KeyDecryptionError):
        other.token_for(user)


async def test_token_endpoint_returns_a_fresh_valid_token(client, auth, signup, engine, auth_headers):
    signed_up, user_json = await signup(client)
    with Session(engine) as session:
        user = session.get(User, user_json["id"])
    sid = jwt.decode(signed_up, options={"verify_signature": False})["sid"]  # the sign-up's session
    old = issue_token(auth.keys, user, origin="http://testserver", ttl_seconds=3600, now=time.time() - 600, sid=sid)

    response = await client.get("/api/auth/token", headers=auth_headers(old))

    assert response.status_code == 200, response.text
    fresh = response.json()["token"]
    old_claims = jwt.decode(old, options={"verify_signature": False})
    fresh_claims = jwt.decode(fresh, options={"verify_signature": False})
    assert fresh_claims["sub"] == user.id
    assert fresh_claims["iat"] > old_claims["iat"]
    assert fresh_claims["exp"] > old_claims["exp"]
    assert (await client.get("/api/tasks", headers=auth_headers(fresh))).status_code == 200


async def test_expired_embedded_token_is_rejected(client, auth, signup, engine):
    _, user_json = await signup(client)
    with Session(engine) as session:
        user = session.get(User, user_json["id"])
    expired = issue_token(auth.keys, user, origin="http://testserver", ttl_seconds=60, now=time.time() - 3600)

    await assert_unauthorized(client, expired)
    refreshed = await client.get("/api/auth/token", headers={"Authorization": f"Bearer {expired}"})
    assert refreshed.status_code == 401
    assert refreshed.json() == UNAUTHORIZED


async def test_embedded_token_for_another_origin_is_rejected(client, auth, signup, engine):
    _, user_json = await signup(client)
    with Session(engine) as session:
        user = session.get(User, user_json["id"])
    foreign = issue_token(auth.keys, user, origin="http://localhost:3000", ttl_seconds=600)

    await assert_unauthorized(client, foreign)


async def test_token_of_a_deleted_user_is_rejected(client, signup, engine):
    token, user_json = await signup(client)
    with Session(engine) as session:
        session.delete(session.get(User, user_json["id"]))
        session.commit()

    await assert_unauthorized(client, token)
    assert user_ids(engine) == set()


async def test_tokens_of_another_todochat_instance_are_rejected(
    client, client_for, signup, tmp_path, make_settings
):
    # A second app with its own database and keys: same origin, different signing key.
    from todochat import migrate
    from todochat.db import get_engine

    other_url = f"sqlite:///{tmp_path}/other.db"
    migrate.upgrade(other_url)
    other_engine = get_engine(other_url)
    try:
        other_client = client_for(Auth(other_engine, make_settings(DATABASE_URL=other_url)))
        token, _ = await signup(other_client, "twin@example.com")
        await signup(client, "twin@example.com")

        await assert_unauthorized(client, token)
    finally:
        other_engine.dispose()
