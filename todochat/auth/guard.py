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

The counts live in Redis when REDIS_URL is set, so every worker and host counts the same
attempts (``sign_in_counts.RedisCounts``); in this process otherwise (one worker).
The hash slots are per process: they bound this process's memory and CPU.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from todochat.auth.accounts import AuthError
from todochat.auth.sign_in_counts import Counts, CountsUnavailable, MemoryCounts
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
# Enough for every sign-in a process lets in at once (HASH_SLOTS + MAX_HASHES_WAITING).
_COUNTING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sign-in-counts")


class TooMany(AuthError):
    def __init__(self, message: str, retry_after: float):
        super().__init__(429, "TOO_MANY_REQUESTS", message)
        self.retry_after = max(1, math.ceil(retry_after))


class SignInGuard:
    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        *,
        client_attempts: int = CLIENT_ATTEMPTS,
        counts: Counts | None = None,
    ):
        # Wall-clock time: with Redis, times recorded by one process are read by others.
        self.clock = clock
        self.client_attempts = client_attempts
        self.counts = counts or MemoryCounts()
        self._slots = asyncio.Semaphore(HASH_SLOTS)
        self._in_flight = 0

    async def run(self, email: str, client: str | None, work: Callable[[], T], *, signing_in: bool) -> T:
        """``work`` (a sign-in or sign-up that hashes a password), throttled and bounded."""
        # Bounded first: counting (a Redis round trip) and hashing together.
        if self._in_flight >= HASH_SLOTS + MAX_HASHES_WAITING:
            raise AuthError(503, "BUSY", "Too many sign-ins at this moment. Try again in a few seconds.")
        self._in_flight += 1
        try:
            await self._counted(self._admit, email if signing_in else None, client)
            try:
                async with self._slots:  # waiting here holds no thread
                    result = await asyncio.to_thread(work)
            except AuthError as exc:
                if signing_in and exc.status == 401:
                    await self._counted(self._failed, email, client)
                raise
            if signing_in:
                await self._counted(self.counts.forget, _from(email, client))
            return result
        finally:
            self._in_flight -= 1

    async def _counted(self, step: Callable[..., None], *args) -> None:
        # Off the event loop (with Redis each step is a network round trip), on threads of
        # its own: a slow Redis holds up sign-ins, never the threads every other route uses.
        try:
            await asyncio.get_running_loop().run_in_executor(_COUNTING, step, *args)
        except CountsUnavailable:
            raise AuthError(503, "BUSY", "Signing in is unavailable for a moment. Try again in a few seconds.") from None

    def _admit(self, email: str | None, client: str | None) -> None:
        now = self.clock()
        if email:
            since = now - ACCOUNT_WINDOW_SECONDS
            for key, most in ((_from(email, client), ACCOUNT_FAILURES), (_failures(email), ACCOUNT_FAILURES_ANYWHERE)):
                failures = self.counts.recent(key, since)
                if len(failures) >= most:
                    wait = failures[-most] + ACCOUNT_WINDOW_SECONDS - now
                    raise TooMany(f"Too many wrong passwords for this account. Try again in {_minutes(wait)}.", wait)
        if client:
            # Counted and checked in one step, so attempts at once (on any worker) cannot all
            # see room for one more. A refused attempt counts too.
            recent = self.counts.add(_attempts(client), now, CLIENT_WINDOW_SECONDS)
            if len(recent) > self.client_attempts:
                wait = recent[0] + CLIENT_WINDOW_SECONDS - now
                raise TooMany(f"Too many attempts from your network. Try again in {_minutes(wait)}.", wait)

    def _failed(self, email: str, client: str | None) -> None:
        now = self.clock()
        self.counts.record(_from(email, client), now, ACCOUNT_WINDOW_SECONDS)
        self.counts.record(_failures(email), now, ACCOUNT_WINDOW_SECONDS)


# Three kinds of count, each its own key.
def _from(email: str, client: str | None) -> str:
    """One account's failures from one address."""
    return f"failures-from\n{email}\n{client or ''}"


def _failures(email: str) -> str:
    return f"failures\n{email}"


def _attempts(client: str) -> str:
    return f"attempts\n{client}"


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"
