"""Every error leaves the API as JSON with a ``message`` (and a ``code``), never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from todochat.auth.accounts import AuthError
from todochat.auth.tokens import InvalidToken
from todochat.tasks import InvalidCursor, TaskNotFound

logger = logging.getLogger(__name__)


def error(status: int, code: str, message: str, **extra) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"message": message, "code": code, **extra}, status_code=status, headers=headers)


def unauthorized() -> JSONResponse:
    # Whatever was wrong with the token, the client learns only that it was not accepted.
    return error(401, "UNAUTHORIZED", "Unauthorized")


def _field_errors(exc: RequestValidationError) -> list[dict]:
    out = []
    for item in exc.errors():
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")]
        msg = str(item.get("msg", "Invalid value")).removeprefix("Value error, ")
        out.append({"field": ".".join(loc) or None, "message": msg})
    return out


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
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 401:
            return unauthorized()
        codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        return error(exc.status_code, codes.get(exc.status_code, "HTTP_ERROR"), message)

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

    @app.exception_handler(TaskNotFound)
    async def _not_found(_: Request, __: TaskNotFound) -> JSONResponse:
        return error(404, "NOT_FOUND", "Task not found")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unhandled error", exc_info=exc)
        return error(500, "INTERNAL_ERROR", "Something went wrong on our side; nothing was changed")

    @app.exception_handler(InvalidCursor)
    async def _cursor(_: Request, exc: InvalidCursor) -> JSONResponse:
        return error(400, "INVALID_CURSOR", str(exc))
