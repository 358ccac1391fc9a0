"""Better Auth–shaped routes of the embedded issuer."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from todochat.api.deps import bearer_token, current_user, declared_bearer, get_auth
from todochat.api.errors import error_responses
from todochat.auth.accounts import Auth, normalize_email
from todochat.auth.passwords import MAX_LENGTH
from todochat.limits import CHATKIT_TOKEN_TTL_SECONDS
from todochat.models import User

router = APIRouter(prefix="/api/auth", tags=["auth"])


class SignUpBody(BaseModel):
    model_config = ConfigDict(extra="ignore")  # Better Auth clients send extras (callbackURL, image)
    name: str = Field(default="", max_length=200)
    email: str = Field(max_length=254)
    password: str = Field(max_length=MAX_LENGTH * 4)


class SignInBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    email: str = Field(max_length=254)
    password: str = Field(max_length=MAX_LENGTH * 4)


class UserOut(BaseModel):
    """A user as Better Auth shows one (camelCase, as its clients expect)."""

    id: str
    name: str
    email: str
    emailVerified: bool
    image: str | None
    createdAt: str = Field(description="ISO 8601")
    updatedAt: str = Field(description="ISO 8601")


class SignedInOut(BaseModel):
    token: str = Field(description="A JWT (also sent in the set-auth-jwt header, as Better Auth's jwt plugin does)")
    user: UserOut


class SessionOut(BaseModel):
    user: UserOut


class TokenOut(BaseModel):
    token: str


class ChatKitTokenOut(BaseModel):
    token: str = Field(description="Accepted by POST /chatkit and GET /chatkit/mentions only")
    expiresIn: int = Field(description="Seconds until it expires")


class JwkOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    alg: str
    crv: str
    x: str
    kty: str
    kid: str


class JwksOut(BaseModel):
    keys: list[JwkOut]


class SuccessOut(BaseModel):
    success: bool


class StatusOut(BaseModel):
    status: bool


def user_json(user: User) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "emailVerified": user.email_verified,
        "image": user.image,
        "createdAt": user.created_at.isoformat(),
        "updatedAt": user.updated_at.isoformat(),
    }


def _signed_in(auth: Auth, user: User, response: Response) -> SignedInOut:
    token = auth.token_for(user)
    # Better Auth's jwt plugin hands the JWT over in this header; we also put it in the body.
    response.headers["set-auth-jwt"] = token
    return SignedInOut(token=token, user=UserOut(**user_json(user)))


_SET_AUTH_JWT = {
    "description": "Signed in",
    "headers": {"set-auth-jwt": {"description": "The same JWT as in the body", "schema": {"type": "string"}}},
}


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post(
    "/sign-up/email",
    summary="Create an account with email and password",
    responses={200: _SET_AUTH_JWT, **error_responses(400, 413, 422, 429, 503)},
)
async def sign_up(body: SignUpBody, request: Request, response: Response, auth: Auth = Depends(get_auth)) -> SignedInOut:
    user = await auth.guard.run(
        normalize_email(body.email), client_of(request),
        lambda: auth.sign_up(body.name, body.email, body.password), signing_in=False,
    )
    return await asyncio.to_thread(_signed_in, auth, user, response)  # a session row is written: off the loop


@router.post(
    "/sign-in/email",
    summary="Sign in with email and password; returns a JWT",
    responses={200: _SET_AUTH_JWT, **error_responses(400, 401, 413, 422, 429, 503)},
)
async def sign_in(body: SignInBody, request: Request, response: Response, auth: Auth = Depends(get_auth)) -> SignedInOut:
    user = await auth.guard.run(
        normalize_email(body.email), client_of(request), lambda: auth.sign_in(body.email, body.password), signing_in=True
    )
    return await asyncio.to_thread(_signed_in, auth, user, response)


@router.get("/jwks", summary="Public keys that verify this app's tokens")
def jwks(auth: Auth = Depends(get_auth)) -> JwksOut:
    return JwksOut(**auth.jwks())


# Routes that read the bearer token themselves declare it (and their 401) for the document.
_BEARER = [Depends(declared_bearer)]


@router.get(
    "/token",
    summary="A fresh JWT for the bearer of a valid one (same session, never past its end)",
    dependencies=_BEARER,
    responses=error_responses(401),
)
async def token(request: Request, auth: Auth = Depends(get_auth)) -> TokenOut:
    return TokenOut(token=await auth.refresh_any(bearer_token(request)))


@router.post(
    "/chatkit-token",
    summary="A 10-minute token for the ChatKit embed: POST /chatkit accepts it, no other route",
    dependencies=_BEARER,
    responses=error_responses(401, 413),
)
def chatkit_token(request: Request, auth: Auth = Depends(get_auth)) -> ChatKitTokenOut:
    return ChatKitTokenOut(token=auth.chatkit_token(bearer_token(request)), expiresIn=CHATKIT_TOKEN_TTL_SECONDS)


@router.post(
    "/sign-out",
    summary="End this token's session: it and every token refreshed from it stop working",
    dependencies=_BEARER,
    responses=error_responses(401, 413),
)
def sign_out(request: Request, auth: Auth = Depends(get_auth)) -> SuccessOut:
    auth.sign_out(bearer_token(request))
    return SuccessOut(success=True)


@router.post(
    "/revoke-sessions",
    summary="Sign out everywhere: end every session of this user",
    dependencies=_BEARER,
    responses=error_responses(401, 413),
)
def revoke_sessions(request: Request, auth: Auth = Depends(get_auth)) -> StatusOut:
    auth.sign_out(bearer_token(request), everywhere=True)
    return StatusOut(status=True)


@router.get("/get-session", summary="The signed-in user", responses=error_responses(401))
def get_session(user: User = Depends(current_user)) -> SessionOut:
    return SessionOut(user=UserOut(**user_json(user)))
