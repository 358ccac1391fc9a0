"""Request -> User, once, at the edge; and a database session per request."""

from __future__ import annotations

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from todochat.auth.accounts import CHATKIT_SCOPE, Auth
from todochat.auth.tokens import InvalidToken
from todochat.models import User
from todochat.request_log import note_user


def get_auth(request: Request) -> Auth:
    return request.app.state.auth


# Declares "Authorization: Bearer <jwt>" in the OpenAPI document. It refuses nothing itself
# (auto_error=False): ``bearer_token`` reads the header and every refusal is the same 401.
bearer_scheme = HTTPBearer(auto_error=False, description="A JWT from sign-up, sign-in or /api/auth/token")


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken()
    return token.strip()


def declared_bearer(_: HTTPAuthorizationCredentials | None = Security(bearer_scheme)) -> None:
    """For routes that read the token themselves: only puts the scheme in the document."""


async def current_user(
    request: Request,
    auth: Auth = Depends(get_auth),
    _: HTTPAuthorizationCredentials | None = Security(bearer_scheme),
) -> User:
    user = await auth.user_from_token(bearer_token(request))
    note_user(request.scope, user.id)
    return user


async def current_chat_user(
    request: Request,
    auth: Auth = Depends(get_auth),
    _: HTTPAuthorizationCredentials | None = Security(bearer_scheme),
) -> User:
    """/chatkit and its @-mention search also take the ChatKit embed's narrowed token; every other route refuses it."""
    user = await auth.user_from_token(bearer_token(request), scope=CHATKIT_SCOPE)
    note_user(request.scope, user.id)
    return user
