"""Issue and verify JWTs in Better Auth's format (EdDSA / Ed25519, header ``kid``).

Two issuers can be trusted at once: this app (keys in our ``jwks`` table, iss/aud =
APP_URL's origin) and, when BETTER_AUTH_URL is set, an external Better Auth server
(keys from its ``/api/auth/jwks``, iss/aud = its origin). Anything else is rejected
with one error that says nothing about why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from jwt.algorithms import OKPAlgorithm

from todochat.auth.keys import KeyStore
from todochat.models import User
from todochat.zones import from_naive_utc

ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]


class InvalidToken(Exception):
    """The token is not one we accept. Deliberately carries no detail for the client."""


def _iso(value: dt.datetime) -> str:
    return from_naive_utc(value).astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def issue_token(
    keys: KeyStore,
    user: User,
    *,
    origin: str,
    ttl_seconds: int,
    now: float | None = None,
    sid: str | None = None,
    not_after: float | None = None,
    scope: str | None = None,
) -> str:
    """A token shaped like Better Auth's jwt plugin output, so its clients accept ours.

    ``sid`` names the session it belongs to; it expires at ``not_after`` at the latest.
    ``scope`` narrows it to one use (``"chatkit"``: POST /chatkit and nothing else).
    """
    key = keys.signing_key()
    iat = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iat": iat,
        "name": user.name,
        "email": user.email,
        "emailVerified": user.email_verified,
        "image": user.image,
        "createdAt": _iso(user.created_at),
        "updatedAt": _iso(user.updated_at),
        "id": user.id,
        "sub": user.id,
        "exp": iat + ttl_seconds if not_after is None else min(iat + ttl_seconds, int(not_after)),
        "iss": origin,
        "aud": origin,
    }
    if sid is not None:
        claims["sid"] = sid
    if scope is not None:
        claims["scope"] = scope
    if claims["image"] is None:
        del claims["image"]
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})


@dataclass
class VerifiedToken:
    claims: dict[str, Any]
    external: bool  # issued by BETTER_AUTH_URL rather than by this app


class RemoteJWKS:
    """An external issuer's JWKS: fetched with httpx, cached, refetched on an unknown kid."""

    # A token with a made-up kid must not make us hammer the issuer.
    REFETCH_INTERVAL = 10.0

    def __init__(self, jwks_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        self.jwks_url = jwks_url
        self.transport = transport
        self._keys: dict[str, dict] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> dict | None:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at >= self.REFETCH_INTERVAL:
                await self._fetch()
        return self._keys.get(kid)

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            async with httpx.AsyncClient(transport=self.transport, timeout=5.0) as client:
                response = await client.get(self.jwks_url)
                response.raise_for_status()
                keys = response.json().get("keys", [])
        except (httpx.HTTPError, ValueError, AttributeError):
            return  # keep the keys we had; an unreachable issuer means "unknown kid"
        self._keys = {k["kid"]: k for k in keys if isinstance(k, dict) and "kid" in k}


class TokenVerifier:
    def __init__(
        self,
        keys: KeyStore,
        *,
        origin: str,
        external_origin: str | None = None,
        external_jwks: RemoteJWKS | None = None,
        leeway: int = 0,
    ):
        self.keys = keys
        self.origin = origin
        self.external_origin = external_origin
        self.external_jwks = external_jwks
        self.leeway = leeway

    def verify_local(self, token: str) -> VerifiedToken:
        """Verify a token this app issued (no network; usable from sync code)."""
        kid = self._kid(token)
        jwk = self.keys.public_key(kid)
        if jwk is None:
            raise InvalidToken()
        return VerifiedToken(self._decode(token, jwk, self.origin), external=False)

    async def verify(self, token: str) -> VerifiedToken:
        kid = self._kid(token)
        # Known keys answer from memory; only an unknown kid costs a database read.
        jwk = self.keys.cached_public_key(kid) or await asyncio.to_thread(self.keys.public_key, kid)
        if jwk is not None:
            return VerifiedToken(self._decode(token, jwk, self.origin), external=False)
        if self.external_jwks is not None and self.external_origin:
            jwk = await self.external_jwks.get(kid)
            if jwk is not None:
                return VerifiedToken(self._decode(token, jwk, self.external_origin), external=True)
        raise InvalidToken()

    @staticmethod
    def _kid(token: str) -> str:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken() from None
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid:
            raise InvalidToken()
        return kid

    def _decode(self, token: str, jwk: dict, origin: str) -> dict[str, Any]:
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            raise InvalidToken()
        try:
            key = OKPAlgorithm.from_jwk(jwk)
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=origin,
                issuer=origin,
                leeway=self.leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except (jwt.PyJWTError, ValueError, TypeError):
            raise InvalidToken() from None
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise InvalidToken()
        return claims
