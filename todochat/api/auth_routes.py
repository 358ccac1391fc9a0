"""Better Auth–shaped routes of the embedded issuer."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from todochat.api.deps import bearer_token, current_user, get_auth
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


def _signed_in(auth: Auth, user: User, status: int = 200) -> JSONResponse:
    token = auth.token_for(user)
    # Better Auth's jwt plugin hands the JWT over in this header; we also put it in the body.
    return JSONResponse(
        {"token": token, "user": user_json(user)},
        status_code=status,
        headers={"set-auth-jwt": token},
    )


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post("/sign-up/email", summary="Create an account with email and password")
async def sign_up(body: SignUpBody, request: Request, auth: Auth = Depends(get_auth)) -> JSONResponse:
    user = await auth.guard.run(
        normalize_email(body.email), client_of(request),
        lambda: auth.sign_up(body.name, body.email, body.password), signing_in=False,
    )
    return await asyncio.to_thread(_signed_in, auth, user)  # a session row is written: off the loop


@router.post("/sign-in/email", summary="Sign in with email and password; returns a JWT")
async def sign_in(body: SignInBody, request: Request, auth: Auth = Depends(get_auth)) -> JSONResponse:
    user = await auth.guard.run(
        normalize_email(body.email), client_of(request), lambda: auth.sign_in(body.email, body.password), signing_in=True
    )
    return await asyncio.to_thread(_signed_in, auth, user)


@router.get("/jwks", summary="Public keys that verify this app's tokens")
def jwks(auth: Auth = Depends(get_auth)) -> dict:
    return auth.jwks()


@router.get("/token", summary="A fresh JWT for the bearer of a valid one (same session, never past its end)")
async def token(request: Request, auth: Auth = Depends(get_auth)) -> dict:
    return {"token": await auth.refresh_any(bearer_token(request))}


@router.post("/chatkit-token", summary="A 10-minute token for the ChatKit embed: POST /chatkit accepts it, no other route")
def chatkit_token(request: Request, auth: Auth = Depends(get_auth)) -> dict:
    return {"token": auth.chatkit_token(bearer_token(request)), "expiresIn": CHATKIT_TOKEN_TTL_SECONDS}


@router.post("/sign-out", summary="End this token's session: it and every token refreshed from it stop working")
def sign_out(request: Request, auth: Auth = Depends(get_auth)) -> dict:
    auth.sign_out(bearer_token(request))
    return {"success": True}


@router.post("/revoke-sessions", summary="Sign out everywhere: end every session of this user")
def revoke_sessions(request: Request, auth: Auth = Depends(get_auth)) -> dict:
    auth.sign_out(bearer_token(request), everywhere=True)
    return {"status": True}


@router.get("/get-session", summary="The signed-in user")
def get_session(user: User = Depends(current_user)) -> dict:
    return {"user": user_json(user)}
