"""Email + password accounts and the one place a token becomes a ``User``."""

from __future__ import annotations

import asyncio
import re
from functools import lru_cache

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from todochat.auth import sessions
from todochat.auth.keys import KeyStore
from todochat.auth.sign_in_counts import MemoryCounts, RedisCounts
from todochat.auth.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    hash_password,
    verify_password,
)
from todochat.auth.tokens import (
    InvalidToken,
    RemoteJWKS,
    TokenVerifier,
    VerifiedToken,
    issue_token,
)
from todochat.clean_text import has_controls, strip_controls
from todochat.db import get_engine, session_scope
from todochat.limits import CHATKIT_TOKEN_TTL_SECONDS
from todochat.models import Account, User, naive_utcnow, utcnow
from todochat.settings import Settings, origin_of, settings
from todochat.zones import from_naive_utc

# Deliberately loose: the real check is that mail arrives. Rejects what is surely not one.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_MAX = 200
EMAIL_MAX = 254
_SUBJECT = re.compile(r"[\w-]{1,100}", re.ASCII)
CREDENTIAL = "credential"


# The scope of the ChatKit embed's tokens: POST /chatkit and GET /chatkit/mentions only.
CHATKIT_SCOPE = "chatkit"


class AuthError(Exception):
    """A sign-up or sign-in problem the user can fix; ``code`` mirrors Better Auth's codes."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


class Auth:
    """Accounts and tokens for one database and one set of settings."""

    def __init__(self, engine: Engine, config: Settings, *, external_jwks: RemoteJWKS | None = None):
        self.engine = engine
        self.config = config
        self.keys = KeyStore(engine, config.secret)
        # Imported here: the guard raises this module's AuthError.
        from todochat.auth.guard import SignInGuard

        # Several workers share REDIS_URL: they must count the same attempts.
        counts = RedisCounts(config.REDIS_URL, config.secret) if config.REDIS_URL else MemoryCounts()
        self.guard = SignInGuard(client_attempts=config.SIGN_IN_ATTEMPTS_PER_ADDRESS, counts=counts)
        external_origin = origin_of(config.BETTER_AUTH_URL) if config.BETTER_AUTH_URL else None
        if external_origin and external_jwks is None:
            external_jwks = RemoteJWKS(f"{config.BETTER_AUTH_URL}/api/auth/jwks")
        self.verifier = TokenVerifier(
            self.keys,
            origin=config.app_origin,
            external_origin=external_origin,
            external_jwks=external_jwks,
        )

    # -- accounts

    def sign_up(self, name: str, email: str, password: str) -> User:
        if "\x00" in (name or ""):
            raise AuthError(400, "INVALID_NAME", "A name cannot contain NUL characters")
        name = " ".join(strip_controls(name or "").split())
        email = normalize_email(email)
        if not _EMAIL_RE.match(email) or len(email) > EMAIL_MAX or has_controls(email):
            raise AuthError(400, "INVALID_EMAIL", "Enter a valid email address")
        if not name:
            name = email.split("@")[0]
        if len(name) > NAME_MAX:
            raise AuthError(400, "NAME_TOO_LONG", f"Name must be at most {NAME_MAX} characters")
        if len(password or "") < MIN_LENGTH:
            raise AuthError(400, "PASSWORD_TOO_SHORT", f"Password must be at least {MIN_LENGTH} characters")
        if len(password) > MAX_LENGTH:
            raise AuthError(400, "PASSWORD_TOO_LONG", f"Password must be at most {MAX_LENGTH} characters")
        # A server whose secret cannot open its signing key could make the account but never
        # sign it in: it refuses (KeyDecryptionError, a 503) before writing anything.
        self.keys.signing_key()
        hashed = hash_password(password)
        try:
            with session_scope(self.engine) as session:
                if self._find_user(session, email) is not None:
                    raise AuthError(422, "USER_ALREADY_EXISTS", "An account with this email already exists")
                user = User(name=name, email=email)
                session.add(user)
                session.flush()
                session.add(
                    Account(account_id=user.id, provider_id=CREDENTIAL, user_id=user.id, password=hashed)
                )
        except IntegrityError:  # a concurrent sign-up with the same email won the race
            raise AuthError(422, "USER_ALREADY_EXISTS", "An account with this email already exists") from None
        return user

    def sign_in(self, email: str, password: str) -> User:
        email = normalize_email(email)
        with session_scope(self.engine) as session:
            # No stored email has control characters (sign-up refuses them); PostgreSQL
            # could not even compare one with NUL.
            user = None if has_controls(email) else self._find_user(session, email)
            account = None
            if user is not None:
                account = session.exec(
                    select(Account).where(Account.user_id == user.id, Account.provider_id == CREDENTIAL)
                ).first()
            if account is None or not account.password:
                # Same work and same answer whether or not the email exists.
                verify_password(_DUMMY_HASH, password or "")
                raise AuthError(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password")
            if not verify_password(account.password, password or ""):
                raise AuthError(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password")
            return user

    @staticmethod
    def _find_user(session, email: str) -> User | None:
        return session.exec(select(User).where(func.lower(User.email) == email)).first()

    # -- tokens

    def token_for(self, user: User) -> str:
        """A token for a new sign-in: it starts a session (auth/sessions.py)."""
        with session_scope(self.engine) as session:
            started = sessions.start(session, user.id, naive_utcnow(), self.config.SESSION_MAX_AGE_SECONDS)
        # Signed after the commit: the first signing key is created in a transaction of its own.
        return self._sign(user, started)

    def refresh(self, token: str) -> str:
        """A fresh token for a valid one: the same session, never past its end.

        A token from the external issuer has no session of ours: it gets a new one.
        """
        return self._sign(*self._session_of(token))

    def _session_of(self, token: str):
        """The user of one of our full tokens, and its live session; InvalidToken otherwise."""
        verified = self.verifier.verify_local(token)
        user = self._user_for(verified)  # InvalidToken once the session has ended
        with session_scope(self.engine) as session:
            current = sessions.live(session, verified.claims.get("sid"), user.id, naive_utcnow())
        if current is None:
            raise InvalidToken()
        return user, current

    async def refresh_any(self, token: str) -> str:
        """``refresh`` for our tokens; an external issuer's valid token starts a session of ours."""
        verified = await self.verifier.verify(token)
        if not verified.external:
            return await asyncio.to_thread(self.refresh, token)
        user = await asyncio.to_thread(self._user_for, verified)
        return await asyncio.to_thread(self.token_for, user)

    def sign_out(self, token: str, *, everywhere: bool = False) -> None:
        """End the token's session (``everywhere``: every session of its user)."""
        verified = self.verifier.verify_local(token)
        user = self._user_for(verified)
        with session_scope(self.engine) as session:
            if everywhere:
                sessions.revoke_all(session, user.id, naive_utcnow())
            else:
                sessions.revoke(session, str(verified.claims.get("sid")), user.id, naive_utcnow())

    def _sign(self, user: User, session_row, *, ttl_seconds: int | None = None, scope: str | None = None) -> str:
        """A token of ``session_row``'s, ending with it at the latest."""
        not_after = from_naive_utc(session_row.expires_at).timestamp()
        return issue_token(
            self.keys,
            user,
            origin=self.config.app_origin,
            ttl_seconds=ttl_seconds or self.config.TOKEN_TTL_SECONDS,
            sid=session_row.id,
            not_after=not_after,
            scope=scope,
        )

    def jwks(self) -> dict:
        return self.keys.public_jwks()

    async def user_from_token(self, token: str, *, scope: str | None = None) -> User:
        """The user a bearer token stands for; ``InvalidToken`` for anything else.

        A scoped token (the ChatKit embed's) is accepted only where its ``scope`` is.
        """
        verified = await self.verifier.verify(token)
        return await asyncio.to_thread(self._user_for, verified, scope)

    def user_from_local_token(self, token: str) -> User:
        """Like ``user_from_token`` for tokens this app issued (sync; used by the UI)."""
        return self._user_for(self.verifier.verify_local(token))

    def chatkit_token(self, token: str) -> str:
        """A short-lived token for the ChatKit embed, good for POST /chatkit and its @-mention search only, same session."""
        return self._sign(*self._session_of(token), ttl_seconds=CHATKIT_TOKEN_TTL_SECONDS, scope=CHATKIT_SCOPE)

    def _user_for(self, verified: VerifiedToken, scope: str | None = None) -> User:
        claims = verified.claims
        if claims.get("scope") is not None and claims.get("scope") != scope:
            raise InvalidToken()  # a narrowed token, used outside what it was narrowed to
        subject, email = claims.get("sub"), normalize_email(str(claims.get("email") or ""))
        # What another issuer signs is still input: a user id is a short word (PostgreSQL
        # cannot even look up one holding NUL), an email has no control characters.
        if not isinstance(subject, str) or not _SUBJECT.fullmatch(subject):
            raise InvalidToken()
        if len(email) > EMAIL_MAX or "\x00" in email or has_controls(email):
            raise InvalidToken()
        with session_scope(self.engine) as session:
            user = session.get(User, subject)
            if user is not None and not verified.external:
                # Our own tokens live as long as their session: signed out means refused.
                if sessions.live(session, claims.get("sid"), user.id, naive_utcnow()) is None:
                    raise InvalidToken()
                return user
            if user is not None:
                # An external issuer names its own users: its token stands for one of ours
                # only when it names the same account (a shared Better Auth database, or the
                # row kept below), never a local user whose id it happens to carry.
                if verified.external and user.email != email:
                    raise InvalidToken()
                return user
            if not verified.external:
                raise InvalidToken()  # a deleted user's token
            # First request from a user of the external Better Auth server whose database
            # is not shared with ours: keep a local row so their tasks have an owner.
            if not email or self._find_user(session, email) is not None:
                raise InvalidToken()
            user = User(
                id=claims["sub"],
                name=" ".join(strip_controls(str(claims.get("name") or "")).split())[:NAME_MAX] or email.split("@")[0],
                email=email,
                email_verified=bool(claims.get("emailVerified", False)),
                created_at=utcnow(),
                updated_at=utcnow(),
            )
            session.add(user)
            return user


_DUMMY_HASH = hash_password("todochat-timing-equalizer")


@lru_cache(maxsize=None)
def get_auth() -> Auth:
    """The process-wide ``Auth`` for the configured database."""
    return Auth(get_engine(), settings)


__all__ = ["Auth", "AuthError", "InvalidToken", "get_auth", "normalize_email"]
