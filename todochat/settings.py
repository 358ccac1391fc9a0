"""Every setting todochat reads, taken from the environment once (README, "Settings").

No other module reads ``os.environ``: import ``settings`` from here instead, so a
newcomer sees every knob in one place and tests can build their own ``Settings``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from todochat.limits import CLIENT_ATTEMPTS, SECRET_MIN_CHARS

# Where a development machine keeps the generated secret when TODOCHAT_SECRET is unset.
INSTANCE_DIR = Path("instance")
# What the app can run on (todochat.db.normalize_url picks the PostgreSQL driver).
DATABASE_SCHEMES = ("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=True, extra="ignore")

    DATABASE_URL: str = "sqlite:///todochat.db"
    REDIS_URL: str | None = None
    # PostgreSQL connections each process may hold: DATABASE_POOL_SIZE kept open, up to
    # DATABASE_MAX_OVERFLOW more under load. Every worker has its own pool, so workers x
    # (both) must stay under the server's max_connections (100 by default).
    DATABASE_POOL_SIZE: int = Field(default=8, ge=1, le=200)
    DATABASE_MAX_OVERFLOW: int = Field(default=8, ge=0, le=200)
    TODOCHAT_MODEL: str = "local"
    OPENAI_API_KEY: str | None = None
    OPENAI_BASE_URL: str | None = None
    # Which OpenAI API to speak. Unset: Responses against OpenAI itself, Chat Completions
    # against a custom OPENAI_BASE_URL (what most compatible servers speak).
    OPENAI_API: Literal["responses", "chat_completions"] | None = None
    # How much earlier conversation the model is sent each turn, in characters (about four
    # per token). A budget, not an item count: a long thread costs what a short one does.
    HISTORY_BUDGET_CHARS: int = Field(default=24_000, ge=1_000, le=2_000_000)
    # Sign-ins and sign-ups one client address may make per 10 minutes (todochat/auth/guard.py).
    # Raise it when many people share one address (an office behind NAT).
    SIGN_IN_ATTEMPTS_PER_ADDRESS: int = Field(default=CLIENT_ATTEMPTS, ge=1, le=1_000_000)
    # Encrypts the JWT signing key at rest. Unset: a random one is generated once and
    # kept in instance/secret, so restarts keep every issued token valid.
    TODOCHAT_SECRET: str | None = None
    # The public origin of this app: issuer and audience of the tokens it signs.
    APP_URL: str = "http://localhost:3000"
    # An external Better Auth server whose tokens are accepted (its origin).
    BETTER_AUTH_URL: str | None = None
    # Comma-separated origins allowed to call the API from a browser.
    CORS_ORIGINS: str | None = None
    CHATKIT_DOMAIN_KEY: str | None = None
    # How long the assistant may stay silent before its turn ends with an error.
    MODEL_TIMEOUT_SECONDS: float = Field(default=60.0, gt=0)
    # Lifetime of the tokens this app signs, in seconds (Better Auth's default is 15 min;
    # ours doubles as the browser session, so it lasts a week).
    TOKEN_TTL_SECONDS: int = Field(default=7 * 24 * 3600, gt=0)
    # How long a sign-in lasts at most: refreshing tokens never extends it past this.
    SESSION_MAX_AGE_SECONDS: int = Field(default=30 * 24 * 3600, gt=0, le=366 * 24 * 3600)

    @field_validator("OPENAI_API", "OPENAI_BASE_URL", "OPENAI_API_KEY", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        # `OPENAI_BASE_URL=` in a shell or .env file means "not set", not "the empty URL".
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("TODOCHAT_SECRET")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value.strip()) < SECRET_MIN_CHARS:
            raise ValueError(
                f"TODOCHAT_SECRET must be at least {SECRET_MIN_CHARS} characters "
                "(e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return value

    @field_validator("APP_URL", "BETTER_AUTH_URL")
    @classmethod
    def _strip_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @field_validator("APP_URL")
    @classmethod
    def _an_address(cls, value: str) -> str:
        # The tokens' issuer, the allowed origin and the address the UI's websocket is
        # built for: anything but a web address would make a UI that cannot connect.
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be the public web address, e.g. https://todo.example.com, not {value[:100]!r}")
        return value

    @field_validator("DATABASE_URL")
    @classmethod
    def _a_supported_database(cls, value: str) -> str:
        if not value.startswith(DATABASE_SCHEMES):
            raise ValueError(f"must be sqlite:///<file> or postgresql://user@host/db, not a {value.split(':', 1)[0][:40]!r} URL")
        return value

    @cached_property
    def app_origin(self) -> str:
        return origin_of(self.APP_URL)

    @cached_property
    def cors_origins(self) -> list[str]:
        if self.CORS_ORIGINS:
            return [o.strip().rstrip("/") for o in self.CORS_ORIGINS.split(",") if o.strip()]
        # The same app reached as localhost or 127.0.0.1 is one app to its user.
        origins = [self.app_origin]
        for a, b in (("//localhost", "//127.0.0.1"), ("//127.0.0.1", "//localhost")):
            if a in self.app_origin:
                origins.append(self.app_origin.replace(a, b))
        return origins

    @cached_property
    def secret(self) -> str:
        if self.TODOCHAT_SECRET:
            return self.TODOCHAT_SECRET
        path = INSTANCE_DIR / "secret"
        if not path.exists():
            INSTANCE_DIR.mkdir(mode=0o700, exist_ok=True)
            _create_once(path, secrets.token_urlsafe(32))
        secret = path.read_text().strip()
        if len(secret) < SECRET_MIN_CHARS:
            raise RuntimeError(f"{path} is damaged (under {SECRET_MIN_CHARS} characters): restore it, or set TODOCHAT_SECRET")
        return secret


def _create_once(path: Path, content: str) -> None:
    """Create ``path`` holding ``content``, unless another process already did.

    Workers started together all come here. Each writes a private file (mkstemp: owner
    only from the first byte) and links it into place in one step, which fails if another
    linked first; so every process reads the same, complete secret, never an empty file.
    """
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
    try:
        with os.fdopen(fd, "w") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        except OSError:  # a filesystem without hard links: create-if-absent, then write
            with contextlib.suppress(FileExistsError), os.fdopen(
                os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w"
            ) as file:
                file.write(content)
    finally:
        os.unlink(draft)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


settings = Settings()
