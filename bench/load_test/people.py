"""One simulated person using todochat over HTTP, and what a run records."""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from todochat.chat.client import user_input

REQUEST_TIMEOUT = 60.0  # every request, connect to last byte
ROUNDS_PER_THREAD = 3  # then the next message starts a new thread
MAX_ROUNDS = 10_000  # never an endless loop, whatever the clock says
# Sign-up and sign-in answer 503 BUSY (or 429) with Retry-After when too many hash at once:
# a person waits and tries again, so does this (each refusal is still counted as such).
SIGN_IN_TRIES = 10
PASSWORD = "load test password 1"
CHORES = ["water plants", "call the bank", "renew passport", "pay the phone bill", "buy birthday card",
          "clean the garage", "email the landlord", "book dentist"]
# "Added #12 water plants u3k8 — ..." / "Updated #12 ..."
ADDED_CAPTION = "Added"
UPDATED = re.compile(r"^Updated #(\d+) ")
TITLE_ID = re.compile(r"^task_(\d+)_title_text$")


@dataclass
class User:
    n: int
    email: str
    headers: dict = field(default_factory=dict)
    thread: str | None = None
    rounds_in_thread: int = 0
    threads: set = field(default_factory=set)
    sent: Counter = field(default_factory=Counter)  # texts the server answered 200 to
    uncertain: Counter = field(default_factory=Counter)  # sent, but no answer (timeout, cut off)
    added: dict = field(default_factory=dict)  # task id -> title, from the "Added" cards
    rest_created: dict = field(default_factory=dict)  # task id -> title, from POST /api/tasks
    completed: set = field(default_factory=set)  # ticked on a card, and the card said so
    moved: set = field(default_factory=set)  # "move ... to friday" answered "Updated #id"
    patched: set = field(default_factory=set)  # PATCH priority=high answered 200
    listed: set = field(default_factory=set)  # ids GET /api/tasks returned
    notes: list = field(default_factory=list)  # what the assistant did not do as asked



@dataclass
class Stats:
    requests: list = field(default_factory=list)  # (kind, status or None, seconds)
    ttfe: list = field(default_factory=list)
    turn: list = field(default_factory=list)
    bad: list = field(default_factory=list)  # (kind, status, what) for every non-2xx / error
    stream_errors: list = field(default_factory=list)  # ChatKit "error" events in a 200 stream
    unseen_writes: list = field(default_factory=list)  # 404 for a task this user was just told it made
    elapsed: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    machine_cpu: float = 0.0  # every process on the machine: others' too, PostgreSQL's
    signed_in: int = 0

    def record(self, kind: str, status: int | None, seconds: float, what: str = "") -> None:
        self.requests.append((kind, status, seconds))
        if status is None or not 200 <= status < 300:
            self.bad.append((kind, status, what[:300]))



def pct(samples: list[float], q: int) -> float:
    if not samples:
        return float("nan")
    if len(samples) == 1:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000



def walk(node):
    if isinstance(node, dict):
        yield node
        for child in node.get("children") or []:
            yield from walk(child)



def find(node, component_id: str) -> dict | None:
    return next((n for n in walk(node) if n.get("id") == component_id), None)



@dataclass
class Turn:
    widgets: list  # (item id, widget tree)
    reply: str



class Person:
    def __init__(self, user: User, client: httpx.AsyncClient, stats: Stats):
        self.user, self.client, self.stats = user, client, stats

    async def call(self, kind: str, method: str, path: str, tries: int = 1, **kwargs) -> httpx.Response | None:
        for attempt in range(1, tries + 1):
            started = time.perf_counter()
            try:
                response = await self.client.request(method, path, headers=self.user.headers, **kwargs)
            except httpx.HTTPError as exc:
                self.stats.record(kind, None, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
                return None
            self.stats.record(kind, response.status_code, time.perf_counter() - started,
                              f"{method} {path}: {response.text}")
            if 200 <= response.status_code < 300:
                return response
            if response.status_code not in (429, 503) or attempt == tries:
                return None
            await asyncio.sleep(min(30.0, float(response.headers.get("retry-after") or 2)))
        return None

    async def sign_up_and_in(self) -> bool:
        body = {"name": f"Load {self.user.n}", "email": self.user.email, "password": PASSWORD}
        if await self.call("sign-up", "POST", "/api/auth/sign-up/email", SIGN_IN_TRIES, json=body) is None:
            return False
        answer = await self.call("sign-in", "POST", "/api/auth/sign-in/email", SIGN_IN_TRIES,
                                 json={"email": self.user.email, "password": PASSWORD})
        if answer is None:
            return False
        self.user.headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        self.stats.signed_in += 1
        return True

    async def chat(self, text: str) -> Turn | None:
        user = self.user
        if user.thread is None:
            request = {"type": "threads.create", "params": {"input": user_input(text)}}
        else:
            request = {"type": "threads.add_user_message", "params": {"thread_id": user.thread, "input": user_input(text)}}
        started = time.perf_counter()
        first = None
        events = []
        try:
            async with self.client.stream("POST", "/chatkit", json=request, headers=user.headers) as response:
                if response.status_code != 200:
                    body = (await response.aread()).decode(errors="replace")
                    self.stats.record("chat", response.status_code, time.perf_counter() - started, f"{text!r}: {body}")
                    if response.status_code >= 500:
                        user.uncertain[text] += 1
                    return None
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        if first is None:
                            first = time.perf_counter() - started
                        events.append(json.loads(line[len("data: "):]))
        except httpx.HTTPError as exc:
            self.stats.record("chat", None, time.perf_counter() - started, f"{text!r}: {type(exc).__name__}: {exc}")
            user.uncertain[text] += 1
            return None
        took = time.perf_counter() - started
        self.stats.record("chat", 200, took)
        self.stats.ttfe.append(first if first is not None else took)
        self.stats.turn.append(took)
        user.sent[text] += 1
        widgets, replies = [], []
        for event in events:
            kind = event.get("type")
            if kind == "thread.created":
                user.thread = event["thread"]["id"]
                user.threads.add(user.thread)
                user.rounds_in_thread = 0
            elif kind == "error":
                self.stats.stream_errors.append(f"user {user.n} {text!r}: {json.dumps(event)[:300]}")
            elif kind == "thread.item.done":
                item = event["item"]
                if item["type"] == "widget":
                    widgets.append((item["id"], item["widget"]))
                elif item["type"] == "assistant_message":
                    replies.append("".join(part.get("text", "") for part in item["content"]))
        return Turn(widgets, "\n".join(replies))

    async def add(self, title: str, text: str) -> tuple[int, str, dict] | None:
        """Ask for one task; what its "Added" card says: (task id, card item id, checkbox action)."""
        turn = await self.chat(text)
        if turn is None:
            return None
        for item_id, widget in turn.widgets:
            captions = [n for n in walk(widget) if str(n.get("id", "")).endswith("_heading_caption")]
            if not any(n.get("value") == ADDED_CAPTION for n in captions):
                continue
            added = {int(m.group(1)): n.get("value") for n in walk(widget) if (m := TITLE_ID.match(str(n.get("id", ""))))}
            self.user.added.update(added)
            for task_id, shown in added.items():
                if shown == title:
                    checkbox = find(widget, f"complete_task_{task_id}_checkbox")
                    return task_id, item_id, checkbox["onChangeAction"] if checkbox else None
            self.user.notes.append(f"asked to add {title!r}, the card added {sorted(added.values())}")
            return None
        self.user.notes.append(f"asked to add {title!r}: no Added card; reply {turn.reply[:120]!r}")
        return None

    async def press(self, task_id: int, item_id: str, action: dict) -> None:
        """Tick a card's checkbox as the ChatKit UI does: the control declares streaming=false,
        so it is a threads.sync_custom_action, answered with the updated card as JSON."""
        params = {"thread_id": self.user.thread, "item_id": item_id, "action": action}
        answer = await self.call("button", "POST", "/chatkit",
                                 json={"type": "threads.sync_custom_action", "params": params})
        if answer is None:
            return
        updated = (answer.json().get("updated_item") or {}).get("widget")
        if updated and find(updated, f"reopen_task_{task_id}_checkbox"):
            self.user.completed.add(task_id)
        else:
            self.user.notes.append(f"ticked task {task_id}: the card did not show it done: {answer.text[:200]!r}")

    async def rest(self, k: int) -> None:
        user = self.user
        listed = await self.call("rest", "GET", "/api/tasks", params={"status": "all", "limit": 100})
        if listed is not None:
            user.listed.update(t["id"] for t in listed.json()["items"])
        title = f"rest note u{user.n}k{k}"
        created = await self.call("rest", "POST", "/api/tasks", json={"title": title, "priority": "low", "tags": ["load"]})
        if created is None:
            return
        task_id = created.json()["id"]
        user.rest_created[task_id] = title
        for method, body in (("PATCH", {"priority": "high", "notes": f"round {k}"}), ("GET", None)):
            answer = await self.call("rest", method, f"/api/tasks/{task_id}", json=body)
            if answer is not None and method == "PATCH" and answer.json().get("priority") == "high":
                user.patched.add(task_id)
            if self.stats.requests[-1][1] == 404:
                self.stats.unseen_writes.append(f"user {user.n}: {method} /api/tasks/{task_id} after its "
                                                f"POST answered {created.status_code}: 404")

    async def run(self, deadline: float) -> None:
        if not await self.sign_up_and_in():
            return
        user = self.user
        for k in range(1, MAX_ROUNDS + 1):
            chore = CHORES[(user.n + k) % len(CHORES)]
            a, b = f"{chore} u{user.n}k{k}", f"{CHORES[(user.n + k + 3) % len(CHORES)]} u{user.n}j{k}"
            if user.rounds_in_thread >= ROUNDS_PER_THREAD:
                user.thread = None  # the next message starts a new thread
            user.rounds_in_thread += 1
            steps = [
                lambda: self.add(a, f"add {a}"),
                lambda: self.add(b, f"add {b} tomorrow"),
                lambda: self.chat("show my tasks"),
                "press",
                lambda: self.chat(f"move {b} to friday"),
                lambda: self.chat("what is due this week?"),
                lambda: self.rest(k),
            ]
            results = {}
            for n, step in enumerate(steps):
                if time.monotonic() > deadline:
                    return
                if step == "press":
                    if results.get(0) and results[0][2] and user.thread:
                        await self.press(*results[0])
                    continue
                results[n] = result = await step()
                if n == 4 and result is not None:
                    moved = UPDATED.match(result.reply)
                    if moved:
                        user.moved.add(int(moved.group(1)))
                    else:
                        user.notes.append(f"move {b!r}: {result.reply[:120]!r}")
