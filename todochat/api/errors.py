"""Every error leaves the API as JSON with a ``message`` (and a ``code``), never a stack trace."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from todochat.auth.accounts import AuthError
from todochat.auth.keys import KeyDecryptionError
from todochat.auth.tokens import InvalidToken
from todochat.tasks import InvalidCursor, InvalidRepeat, TaskNotFound
from todochat.validation_text import error_field, error_message

logger = logging.getLogger(__name__)


class ErrorOut(BaseModel):
    """Every error the API answers with: a sentence for people and a code for programs."""

    message: str
    code: str


class FieldErrorOut(BaseModel):
    field: str | None = Field(description="Dotted path of the offending field; null for the body as a whole")
    message: str


class ValidationErrorOut(ErrorOut):
    """A 422: ``errors`` lists each field that was refused (absent when the refusal is not about one field)."""

    errors: list[FieldErrorOut] | None = None


_RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}
}
_WWW_AUTHENTICATE = {"WWW-Authenticate": {"description": "Always `Bearer`", "schema": {"type": "string"}}}
_DESCRIPTIONS = {
    400: "Bad request (malformed JSON, or a value the server refuses)",
    401: "Missing, invalid, expired or revoked token",
    404: "Not found (or not yours)",
    409: "Conflict",
    413: "Request body larger than the limit",
    422: "Validation error",
    429: "Too many attempts: wait `Retry-After` seconds",
    503: "Busy: try again after `Retry-After` seconds",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, all in the shape ``error()`` sends."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "model": ValidationErrorOut if status == 422 else ErrorOut,
            "description": _DESCRIPTIONS.get(status, "Error"),
        }
        if status in (429, 503):
            entry["headers"] = _RETRY_AFTER
        elif status == 401:
            entry["headers"] = _WWW_AUTHENTICATE
        out[status] = entry
    return out


def error(status: int, code: str, message: str, **extra) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"message": message, "code": code, **extra}, status_code=status, headers=headers)


def unauthorized() -> JSONResponse:
    # Whatever was wrong with the token, the client learns only that it was not accepted.
    return error(401, "UNAUTHORIZED", "Unauthorized")


def _field_errors(exc: RequestValidationError) -> list[dict]:
    out = []
    for item in exc.errors():
        field = error_field(item, skip=("body", "query", "path"))
        out.append({"field": field or None, "message": error_message(item)})
    return out


def _allowed_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document lists for this path (a literal path before templates)."""
    path = request.url.path
    paths = request.app.openapi().get("paths", {})
    if path in paths:
        return sorted(m.upper() for m in paths[path] if m in _HTTP_METHODS)
    methods: set[str] = set()
    for template, operations in paths.items():
        if "{" in template and re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path):
            methods.update(m.upper() for m in operations if m in _HTTP_METHODS)
    return sorted(methods)


_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return error(400, "MALFORMED_JSON", "The request body is not valid JSON")
        errors = _field_errors(exc)
        first = errors[0] if errors else {"field": None, "message": "Invalid request"}
        summary = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return error(422, "VALIDATION_ERROR", summary, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 401:
            return unauthorized()
        codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        response = error(exc.status_code, codes.get(exc.status_code, "HTTP_ERROR"), message)
        # Keep what the exception says about itself: a 405's Allow header (RFC 9110) above all.
        for name, value in (exc.headers or {}).items():
            response.headers.setdefault(name, value)
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; every method of
            # every route at this path is allowed.
            allowed = _allowed_methods(request)
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.exception_handler(InvalidToken)
    async def _token(_: Request, __: InvalidToken) -> JSONResponse:
        return unauthorized()

    @app.exception_handler(AuthError)
    async def _auth(_: Request, exc: AuthError) -> JSONResponse:
        response = error(exc.status, exc.code, exc.message)
        if exc.status in (429, 503):
            # When to come back: the throttle's own wait, or a moment for a busy server.
            response.headers["Retry-After"] = str(getattr(exc, "retry_after", 2))
        return response

    @app.exception_handler(KeyDecryptionError)
    async def _key(_: Request, exc: KeyDecryptionError) -> JSONResponse:
        # The operator's problem, said to the operator; the user learns it is not theirs.
        logger.error("%s", exc)
        response = error(503, "SIGNING_KEY_UNAVAILABLE", "Signing in is unavailable: the server is misconfigured")
        response.headers["Retry-After"] = "60"
        return response

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(SATimeoutError)
    async def _database_down(_: Request, exc: Exception) -> JSONResponse:
        # PostgreSQL restarting, a network cut, SQLite locked for too long, every pooled
        # connection busy: the transaction was rolled back (session_scope), and the pool
        # reconnects on a later request.
        logger.warning("database unavailable: %s", getattr(exc, "orig", None) or exc)
        response = error(503, "DATABASE_UNAVAILABLE", "The database cannot be reached right now. Try again in a moment")
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(TaskNotFound)
    async def _not_found(_: Request, __: TaskNotFound) -> JSONResponse:
        return error(404, "NOT_FOUND", "Task not found")

    @app.exception_handler(InvalidRepeat)
    async def _repeat(_: Request, exc: InvalidRepeat) -> JSONResponse:
        # A rule that cannot repeat this task (never lands on a day, hourly without a time):
        # refused like any invalid field, before anything changed.
        return error(422, "VALIDATION_ERROR", f"recurrence: {exc}", errors=[{"field": "recurrence", "message": str(exc)}])

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unhandled error", exc_info=exc)
        return error(500, "INTERNAL_ERROR", "Something went wrong on our side; nothing was changed")

    @app.exception_handler(InvalidCursor)
    async def _cursor(_: Request, exc: InvalidCursor) -> JSONResponse:
        return error(400, "INVALID_CURSOR", str(exc))
