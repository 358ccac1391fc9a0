"""Clients that time chat turns over HTTP: each its own thread, one message after another."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import httpx

SCRIPT = [
    "add buy milk tomorrow",
    "add pay rent on friday, high priority #home",
    "show my tasks",
    "mark buy milk as done",
    "what's due this week?",
    "move pay rent to next monday",
    "add call mom and water the plants",
    "find tasks about rent",
    "I called mom",
    "show my tasks",
]


def pct(samples: list[float], q: int) -> float:
    """The q-th percentile in milliseconds."""
    if len(samples) == 1:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


@dataclass
class Run:
    first: list[float] = field(default_factory=list)  # seconds to the first event of each turn
    turn: list[float] = field(default_factory=list)  # seconds to the end of each turn's stream
    failed: int = 0  # turns whose stream held an error event
    elapsed: float = 0.0
    cpu: float = 0.0  # the server's CPU seconds over the run

    @property
    def cpu_per_turn(self) -> float:
        """Milliseconds of server CPU per turn."""
        return self.cpu / len(self.turn) * 1000

    @property
    def turn_p50(self) -> float:
        return pct(self.turn, 50)

    @property
    def turn_p99(self) -> float:
        return pct(self.turn, 99)

    @property
    def first_p50(self) -> float:
        return pct(self.first, 50)

    @property
    def rate(self) -> float:
        return len(self.turn) / self.elapsed

    @staticmethod
    def best(a: Run | None, b: Run) -> Run:
        return b if a is None or b.turn_p50 < a.turn_p50 else a

    def line(self, name: str) -> str:
        failed = f"   {self.failed} FAILED" if self.failed else ""
        return (f"  {name:<20} turn p50 {self.turn_p50:6.1f} ms  p99 {self.turn_p99:6.1f} ms   "
                f"first event p50 {self.first_p50:6.1f} ms  p99 {pct(self.first, 99):6.1f} ms   "
                f"{self.rate:5.1f} turns/s ({len(self.turn)})   server CPU {self.cpu_per_turn:5.1f} ms/turn{failed}")


def request_for(text: str, thread_id: str | None) -> dict:
    content = {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}
    if thread_id is None:
        return {"type": "threads.create", "params": {"input": content}}
    return {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": content}}


async def one_client(base: str, n: int, messages: int, headers: dict, run: Run) -> None:
    thread_id = None
    async with httpx.AsyncClient(base_url=base, timeout=120, headers=headers) as client:
        for i in range(messages):
            started = time.perf_counter()
            first = None
            failed = False
            request = request_for(SCRIPT[(i + n) % len(SCRIPT)], thread_id)
            async with client.stream("POST", "/chatkit", json=request) as response:
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {(await response.aread())[:300]!r}")
                async for line in response.aiter_lines():
                    if not line.startswith("data: "):
                        continue
                    if first is None:
                        first = time.perf_counter() - started
                    event = json.loads(line[6:])
                    if event["type"] == "thread.created":
                        thread_id = event["thread"]["id"]
                    failed = failed or event["type"] == "error"
            run.first.append(first)
            run.turn.append(time.perf_counter() - started)
            run.failed += failed


async def sign_up(base: str, n: int) -> dict:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/api/auth/sign-up/email", json={
            "name": f"client {n}", "email": f"client{n}@bench.example", "password": "benchmark-password"})
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}


async def wait_up(base: str, path: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(600):
            try:
                await client.get(path)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


async def run_clients(base: str, clients: int, messages: int, *, signed_in: bool,
                      timed: Callable[[], AbstractContextManager] = nullcontext,
                      cpu_seconds: Callable[[], float] = lambda: 0.0) -> Run:
    """``clients`` at once, each sending ``messages`` in a thread of its own, inside ``timed()``;
    sign-up and a warm-up client are not timed."""
    await wait_up(base, "/openapi.json")
    headers = [await sign_up(base, n) if signed_in else {} for n in range(clients + 1)]
    # One untimed client first: a process's first turn pays for imports and route set-up.
    await one_client(base, clients, 3, headers[clients], Run())
    run = Run()
    with timed():
        started, cpu = time.perf_counter(), cpu_seconds()
        await asyncio.gather(*(one_client(base, n, messages, headers[n], run) for n in range(clients)))
        run.elapsed = time.perf_counter() - started
        run.cpu = cpu_seconds() - cpu
    return run
