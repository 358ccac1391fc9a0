"""The FastAPI app: routes (/mcp among them), error shapes, body limit and CORS."""

from __future__ import annotations

from typing import Literal

from chatkit.server import ChatKitServer
from fastapi import Depends, Response
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field, ValidationError
from starlette.middleware.cors import CORSMiddleware

from todochat.api import auth_routes, chatkit_route, mention_route, task_routes
from todochat.api.deps import get_auth
from todochat.api.embed_cors import ChatKitFrameCORS
from todochat.api.errors import error, install_error_handlers
from todochat.api.limits import BodySizeLimit
from todochat.auth.accounts import Auth
from todochat.auth.accounts import get_auth as default_auth
from todochat.chat.factory import build_chatkit_server
from todochat.health import database_answers, redis_answers
from todochat.mcp.http import MCP_PATH, McpEndpoint
from todochat.request_log import RequestLog
from todochat.settings import Settings
from todochat.validation_text import first_message


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    database: bool
    redis: bool | None = Field(description="Whether Redis answers; null when the app runs without it")


def create_api(auth: Auth | None = None, chatkit_server: ChatKitServer | None = None) -> FastAPIOffline:
    """Build the API for one ``Auth`` (its database and settings); tests pass their own."""
    auth = auth or default_auth()
    api = api_for_settings(auth.config)
    bind_api(api, auth, chatkit_server)
    return api


def bind_api(api: FastAPIOffline, auth: Auth, chatkit_server: ChatKitServer | None = None) -> None:
    """Give an app from ``api_for_settings`` its database and users: all it holds of an ``Auth``."""
    api.state.auth = auth
    api.state.chatkit_server = chatkit_server or build_chatkit_server(auth.config)


def api_for_settings(config: Settings) -> FastAPIOffline:
    """The app before ``bind_api``: routes, error shapes, body limit, CORS.

    It reads ``config`` here and never its DATABASE_URL, so one app can be bound to one
    ``Auth`` after another with equal settings. The tests do that: FastAPI prepares a new
    app's routes on its first request, which costs more than most tests.
    """
    # FastAPIOffline serves the /docs assets itself: no CDN, works behind a firewall.
    api = FastAPIOffline(
        title="todochat API",
        version="1.0",
        description="Tasks and Better Auth–compatible sign-in for todochat.",
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(api)

    @api.exception_handler(ValidationError)
    async def _invalid(_, exc: ValidationError) -> JSONResponse:
        return error(422, "VALIDATION_ERROR", first_message(exc))

    api.include_router(auth_routes.router)
    api.include_router(task_routes.router)
    api.include_router(chatkit_route.router)
    api.include_router(mention_route.router)
    # The tools for other assistants (Model Context Protocol); its own protocol, not in OpenAPI.
    api.add_route(MCP_PATH, McpEndpoint(), methods=None, include_in_schema=False)  # it refuses all but POST

    @api.get(
        "/health",
        tags=["health"],
        summary="Each dependency reachable",
        responses={503: {"model": HealthOut, "description": "The database or Redis cannot be reached"}},
    )
    def health(response: Response, auth: Auth = Depends(get_auth)) -> HealthOut:
        database = database_answers(auth.engine)
        redis = redis_answers(auth.config.REDIS_URL)
        if not database or redis is False:
            response.status_code = 503
            return HealthOut(status="unavailable", database=database, redis=redis)
        return HealthOut(status="ok", database=database, redis=redis)

    # An oversized body is refused before anything reads it ...
    api.add_middleware(BodySizeLimit)
    # ... and CORS wraps even that refusal, so a browser can read why.
    api.add_middleware(
        CORSMiddleware,
        allow_origins=config.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["authorization", "content-type", "x-timezone"],
        expose_headers=["set-auth-jwt"],
        max_age=600,
    )
    if config.CHATKIT_DOMAIN_KEY:
        api.add_middleware(ChatKitFrameCORS)
    # Outermost: every request is logged, refused ones too.
    api.add_middleware(RequestLog)

    return api
