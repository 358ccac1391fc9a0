"""The FastAPI app: routes, error shapes, body limit and CORS."""

from __future__ import annotations

from typing import Literal

from chatkit.server import ChatKitServer
from fastapi import Depends, Response
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ValidationError
from sqlalchemy import text
from starlette.middleware.cors import CORSMiddleware

from todochat.api import auth_routes, chatkit_route, task_routes
from todochat.api.deps import get_auth
from todochat.api.embed_cors import ChatKitFrameCORS
from todochat.api.errors import error, install_error_handlers
from todochat.api.limits import BodySizeLimit
from todochat.auth.accounts import Auth
from todochat.auth.accounts import get_auth as default_auth
from todochat.chat.factory import build_chatkit_server
from todochat.validation_text import first_message


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    database: bool


def create_api(auth: Auth | None = None, chatkit_server: ChatKitServer | None = None) -> FastAPIOffline:
    """Build the API for one ``Auth`` (its database and settings); tests pass their own."""
    auth = auth or default_auth()
    # FastAPIOffline serves the /docs assets itself: no CDN, works behind a firewall.
    api = FastAPIOffline(
        title="todochat API",
        version="1.0",
        description="Tasks and Better Auth–compatible sign-in for todochat.",
        docs_url="/docs",
        redoc_url=None,
    )
    api.state.auth = auth
    api.state.chatkit_server = chatkit_server or build_chatkit_server(auth.config)
    install_error_handlers(api)

    @api.exception_handler(ValidationError)
    async def _invalid(_, exc: ValidationError) -> JSONResponse:
        return error(422, "VALIDATION_ERROR", first_message(exc))

    api.include_router(auth_routes.router)
    api.include_router(task_routes.router)
    api.include_router(chatkit_route.router)

    @api.get(
        "/health",
        tags=["health"],
        summary="Database reachable",
        responses={503: {"model": HealthOut, "description": "The database cannot be reached"}},
    )
    def health(response: Response, auth: Auth = Depends(get_auth)) -> HealthOut:
        try:
            with auth.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            response.status_code = 503
            return HealthOut(status="unavailable", database=False)
        return HealthOut(status="ok", database=True)

    # An oversized body is refused before anything reads it ...
    api.add_middleware(BodySizeLimit)
    # ... and CORS wraps even that refusal, so a browser can read why.
    api.add_middleware(
        CORSMiddleware,
        allow_origins=auth.config.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["authorization", "content-type", "x-timezone"],
        expose_headers=["set-auth-jwt"],
        max_age=600,
    )
    if auth.config.CHATKIT_DOMAIN_KEY:
        api.add_middleware(ChatKitFrameCORS)

    return api
