"""Brute force and floods against sign-in and sign-up: throttled, and bounded in cost.

- Per account and address: after ``ACCOUNT_FAILURES`` wrong passwords within
  ``ACCOUNT_WINDOW`` from one client address, that email is refused to that address (429,
  with when to try again) until the oldest failure leaves the window. A right password
  clears the count. Counting per address means a stranger cannot lock the owner out by
  typing five wrong passwords: the owner's own network is still let in.
- Per account, from every address together: ``ACCOUNT_FAILURES_ANYWHERE`` wrong passwords
  within the window lock the email everywhere. Only a guesser spread over many addresses
  gets there, and that is the attack this stops.
- Per client address: at most ``client_attempts`` sign-ins and sign-ups per ``CLIENT_WINDOW``
  (the SIGN_IN_ATTEMPTS_PER_ADDRESS setting, CLIENT_ATTEMPTS unless set).
- Password hashing (scrypt, 16 MiB and tens of milliseconds each) runs ``HASH_SLOTS`` at a
  time. Requests waiting for a slot hold no worker thread, so a flood never starves other
  routes; past ``MAX_WAITING`` they are told to try again (503) instead of queueing.

The counts live in this process. With several workers each keeps its own, so the
effective limits are that many times higher, and still bounded.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from todochat.auth.accounts import AuthError
from todochat.limits import (
    ACCOUNT_FAILURES,
    ACCOUNT_FAILURES_ANYWHERE,
    ACCOUNT_WINDOW_SECONDS,
    CLIENT_ATTEMPTS,
    CLIENT_WINDOW_SECONDS,
    HASH_SLOTS,
    MAX_HASHES_WAITING,
)

T = TypeVar("T")
# Keys (emails, addresses) remembered at most: a spray of made-up emails cannot grow memory.
_MAX_KEYS = 50_000


class TooMany(AuthError):
    def __init__(self, message: str, retry_after: float):
        super().__init__(429, "TOO_MANY_REQUESTS", message)
        self.retry_after = max(1, math.ceil(retry_after))


class SignInGuard:
    def __init__(self, clock: Callable[[], float] = time.monotonic, *, client_attempts: int = CLIENT_ATTEMPTS):
        self.clock = clock
        self.client_attempts = client_attempts
        self._failures: dict[str, deque[float]] = {}
        self._attempts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._slots = asyncio.Semaphore(HASH_SLOTS)
        self._in_flight = 0

    async def run(self, email: str, client: str | None, work: Callable[[], T], *, signing_in: bool) -> T:
        """``work`` (a sign-in or sign-up that hashes a password), throttled and bounded."""
        self._admit(email if signing_in else None, client)
        if self._in_flight >= HASH_SLOTS + MAX_HASHES_WAITING:
            raise AuthError(503, "BUSY", "Too many sign-ins at this moment. Try again in a few seconds.")
        self._in_flight += 1
        try:
            async with self._slots:  # waiting here holds no thread
                result = await asyncio.to_thread(work)
        except AuthError as exc:
            if signing_in and exc.status == 401:
                self._record(self._failures, _from(email, client))
                self._record(self._failures, email)
            raise
        finally:
            self._in_flight -= 1
        if signing_in:
            with self._lock:
                self._failures.pop(_from(email, client), None)
        return result

    def _admit(self, email: str | None, client: str | None) -> None:
        now = self.clock()
        with self._lock:
            if client:
                recent = _recent(self._attempts, client, now - CLIENT_WINDOW_SECONDS)
                if len(recent) >= self.client_attempts:
                    raise TooMany(
                        "Too many attempts from your network. Try again in a minute.",
                        recent[0] + CLIENT_WINDOW_SECONDS - now,
                    )
            if email:
                since = now - ACCOUNT_WINDOW_SECONDS
                for key, most in ((_from(email, client), ACCOUNT_FAILURES), (email, ACCOUNT_FAILURES_ANYWHERE)):
                    failures = _recent(self._failures, key, since)
                    if len(failures) >= most:
                        wait = failures[-most] + ACCOUNT_WINDOW_SECONDS - now
                        raise TooMany(
                            f"Too many wrong passwords for this account. Try again in {_minutes(wait)}.", wait
                        )
        if client:
            self._record(self._attempts, client)

    def _record(self, table: dict[str, deque[float]], key: str) -> None:
        with self._lock:
            if len(table) >= _MAX_KEYS and key not in table:
                table.clear()  # rather forget everyone than grow without bound
            table.setdefault(key, deque()).append(self.clock())


def _from(email: str, client: str | None) -> str:
    """The key of one account's failures from one address."""
    return f"{email}\n{client or ''}"


def _recent(table: dict[str, deque[float]], key: str, since: float) -> deque[float]:
    """The key's times after ``since``, older ones dropped."""
    times = table.get(key)
    if times is None:
        return deque()
    while times and times[0] <= since:
        times.popleft()
    if not times:
        del table[key]
    return times


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"
