"""Sign-in sessions: every token this app signs belongs to one, and a session can end.

A session starts at sign-in (or sign-up) and lasts at most ``SESSION_MAX_AGE_SECONDS``.
Refreshing a token keeps its session and never outlives it, so a stolen token dies with
its session at the latest. Signing out revokes the session; "sign out everywhere"
revokes all of the user's. Tokens are checked against their session on every request.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlmodel import Session, col, update

from todochat.models import AuthSession


def start(session: Session, user_id: str, now: dt.datetime, max_age_seconds: int) -> AuthSession:
    row = AuthSession(
        id=secrets.token_urlsafe(24),
        user_id=user_id,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=max_age_seconds),
    )
    session.add(row)
    session.flush()
    return row


def live(session: Session, sid: object, user_id: str, now: dt.datetime) -> AuthSession | None:
    """The user's session ``sid`` if it is neither revoked nor past its end."""
    if not isinstance(sid, str) or not sid or len(sid) > 64:
        return None
    row = session.get(AuthSession, sid)
    if row is None or row.user_id != user_id or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def revoke(session: Session, sid: str, user_id: str, now: dt.datetime) -> None:
    session.exec(
        update(AuthSession)
        .where(col(AuthSession.id) == sid, col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def revoke_all(session: Session, user_id: str, now: dt.datetime) -> int:
    ended = session.exec(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return ended.rowcount or 0


__all__ = ["live", "revoke", "revoke_all", "start"]
