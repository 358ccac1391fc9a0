"""The base state: who is signed in, and in which time zone. Page states inherit from it
(one owner of the session); see docs/architecture.md, "Layers"."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from zoneinfo import ZoneInfo

import reflex as rx
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError

from todochat.auth.accounts import AuthError, get_auth, normalize_email
from todochat.auth.keys import KeyDecryptionError
from todochat.auth.tokens import InvalidToken
from todochat.zones import zone_or_none

logger = logging.getLogger(__name__)

SIGN_IN = "/sign-in"
HOME = "/tasks"
# What the browser answers when asked for its zone (an IANA name such as "Europe/Berlin").
ASK_ZONE_JS = "Intl.DateTimeFormat().resolvedOptions().timeZone"
TOKEN_STORAGE_NAME = "todochat_token"


class AuthState(rx.State):
    # The JWT lives in the browser's localStorage so a reload (or a new tab) stays signed in.
    token: str = rx.LocalStorage("", name=TOKEN_STORAGE_NAME, sync=True)
    user_name: str = ""
    user_email: str = ""
    auth_error: str = ""
    auth_notice: str = ""  # shown on the sign-in page after "Sign out everywhere"
    auth_busy: bool = False
    # Backend-only (leading underscore): the browser can never set whose data we load.
    _user_id: str = ""
    # The browser's zone, so "today", "tomorrow" and "overdue" are the user's. Each signed-in
    # page asks for it on load (``_ask_zone``); until it answers, UTC.
    _zone_name: str = "UTC"

    def _zone(self) -> dt.tzinfo:
        return zone_or_none(self._zone_name) or ZoneInfo("UTC")

    def _ask_zone(self, callback) -> rx.event.EventSpec:
        """Ask the browser for its zone; ``callback`` gets the answer (see ``_take_zone``)."""
        return rx.call_script(ASK_ZONE_JS, callback=callback)

    def _take_zone(self, name: object) -> None:
        """Keep the zone the browser named; anything else (an unknown name, a tampered
        event) leaves the zone as it was."""
        if isinstance(name, str) and zone_or_none(name) is not None:
            self._zone_name = name

    def _resolve_user(self) -> bool:
        """Check the stored token; remember the user it names, or forget it."""
        if not self.token:
            # Nothing to check, and nothing written to the browser: it may hold a token
            # this page state never got (see ``to_sign_in``).
            self._user_id = self.user_name = self.user_email = ""
            return False
        try:
            user = get_auth().user_from_local_token(self.token)
        except InvalidToken:
            self._forget()
            return False
        self._user_id, self.user_name, self.user_email = user.id, user.name, user.email
        return True

    def _engine(self) -> Engine:
        """The signed-in session's database: the one that checked its token."""
        return get_auth().engine

    def _forget(self) -> None:
        self.token = ""
        self._user_id = self.user_name = self.user_email = ""

    @rx.event
    def skip_if_signed_in(self):
        """on_load of the sign-in and sign-up pages."""
        self.auth_error = ""
        if self._resolve_user():
            return rx.redirect(HOME)

    @rx.event
    async def sign_in(self, form: dict):
        async for update in self._enter(
            lambda auth: auth.sign_in(form.get("email", ""), form.get("password", "")),
            form.get("email", ""),
            signing_in=True,
        ):
            yield update

    @rx.event
    async def sign_up(self, form: dict):
        if form.get("password", "") != form.get("confirm", form.get("password", "")):
            self.auth_error = "The passwords do not match"
            return
        async for update in self._enter(
            lambda auth: auth.sign_up(form.get("name", ""), form.get("email", ""), form.get("password", "")),
            form.get("email", ""),
            signing_in=False,
        ):
            yield update

    async def _enter(self, action, email: str, *, signing_in: bool):
        self.auth_busy, self.auth_error, self.auth_notice = True, "", ""
        yield
        auth = get_auth()
        try:
            # Throttled like the API's routes; scrypt runs off the event loop, a few at a time.
            user = await auth.guard.run(
                normalize_email(email), self.router.session.client_ip or None, lambda: action(auth), signing_in=signing_in
            )
            self.token = await asyncio.to_thread(auth.token_for, user)  # writes the session row
        except AuthError as exc:
            self.auth_error = exc.message
            self.auth_busy = False
            return
        except (KeyDecryptionError, DBAPIError, SATimeoutError) as exc:
            # As the API answers 503: the operator's problem, logged; the form usable again.
            logger.error("sign-in unavailable: %s", exc)
            self.auth_error = "Signing in is unavailable at the moment. Try again in a little while."
            self.auth_busy = False
            return
        self._user_id, self.user_name, self.user_email = user.id, user.name, user.email
        self.auth_busy = False
        yield rx.redirect(HOME)

    @rx.event
    def sign_out(self):
        # End the session on the server too: a copy of the token stops working everywhere.
        return self._sign_out(everywhere=False)

    @rx.event
    def sign_out_everywhere(self):
        """End every session of this user: other browsers, the CLI, a stolen token."""
        return self._sign_out(everywhere=True)

    def _sign_out(self, *, everywhere: bool):
        if self.token:
            with contextlib.suppress(InvalidToken):  # already ended elsewhere: nothing left to end
                get_auth().sign_out(self.token, everywhere=everywhere)
        # Wipe everything this tab held (rows, conversations, undo) along with the token,
        # so the next person to sign in here never glimpses it.
        _reset_tree(self)
        self._forget()
        if everywhere:
            self.auth_notice = "You are signed out on every device."
        return rx.redirect(SIGN_IN)

    @rx.event
    def reload_or_sign_in(self, holds_a_token: object):
        """``to_sign_in``'s answer from the browser."""
        if holds_a_token is True:
            return rx.call_script("window.location.reload()")
        return rx.redirect(SIGN_IN)

    @rx.event
    def require_user_home(self):
        """on_load of "/": to the tasks if signed in, else to sign-in."""
        return rx.redirect(HOME) if self._resolve_user() else to_sign_in()


# True when the browser holds a token (and has not just reloaded to hand it over).
_HOLDS_A_TOKEN_JS = """(() => {
  const held = window.localStorage.getItem(%s);
  const last = Number(window.sessionStorage.getItem("todochat_token_resent_at") || 0);
  if (!held || Date.now() - last <= %d) return false;
  window.sessionStorage.setItem("todochat_token_resent_at", String(Date.now()));
  return true;
})()"""
RESEND_AT_MOST_EVERY_MS = 30_000


def to_sign_in() -> rx.event.EventSpec:
    """Where a page goes when its state names no signed-in user.

    Usually to the sign-in page. But the browser sends its stored token only when it
    connects; a page state made afresh meanwhile (Redis restarted and lost every state,
    or the state expired) has none, although the browser still holds one. Then a reload
    connects again and hands it over: the person stays signed in, on the same page. At
    most once in RESEND_AT_MOST_EVERY_MS, so a token the server keeps refusing never
    loops.
    """
    return rx.call_script(_HOLDS_A_TOKEN_JS % (json.dumps(TOKEN_STORAGE_NAME), RESEND_AT_MOST_EVERY_MS),
                          callback=AuthState.reload_or_sign_in)


def _reset_tree(state: rx.State) -> None:
    state.reset()
    for substate in state.substates.values():
        _reset_tree(substate)
