"""Does `make serve` hold 50 people at once, and do two workers do more than one? (issue 13)

For each worker count (--workers, default "1,2"): `make serve` exactly as the production
test starts it (tests/e2e/test_production.py: the command `make -s -n serve` prints, in a
copy of the project, behind Debian's nginx, on a PostgreSQL schema and a Redis database of
its own, the offline model), then --users simulated people (default 50) for --seconds
(default 120), all at once, each with its own HTTP client, as fast as the server answers:

  sign up, sign in again with the password, then rounds of
    chat   "add <A>"  (a task card arrives)       chat  "add <B> tomorrow"
    chat   "show my tasks"                        press A's card's checkbox (complete)
    chat   "move <B> to friday"                   chat  "what is due this week?"
    REST   GET /api/tasks, POST /api/tasks, PATCH it, GET it
  with a new thread every few rounds.

Prints per worker count: requests/s, chat turns/s, p50/p99 time to first event and turn
time over POST /chatkit (nginx in between), 5xx and other non-2xx counts, CPU used, and
what the serve log holds (tracebacks, respawned workers). Then checks the database: every
message each user sent is stored once, in that user's thread; every task the assistant
said it added (its "Added" card) exists once, owned by that user, and so does every task
created over REST; completed and moved tasks are so; no thread, item or task that a user
saw belongs to someone else (and over HTTP: another user's task and thread are 404).
At the end, the throughput ratio of the largest worker count to one worker
(goal for 2 workers: >= 1.3x on a 2-core machine).

Exit status 1 if a consistency check failed or any response was a 5xx; a missed ratio is
only a figure. Run from the project root:

    .venv/bin/python bench/load.py [--users 50] [--seconds 120] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from tests.db_templates import new_schema_name, postgres_schema_url  # noqa: E402
from tests.e2e.conftest import _free_port, copy_project, reflex_env  # noqa: E402
from todochat.chat.client import user_input  # noqa: E402
from todochat.db import normalize_url  # noqa: E402

REQUEST_TIMEOUT = 60.0  # every request, connect to last byte
START_TIMEOUT = 600  # make serve: migrate, build the UI (reflex export), start the workers
REDIS_DB = 11  # a Redis database of its own
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


# ---------------------------------------------------------------- what one run records


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


# ---------------------------------------------------------------- one simulated person


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


# ---------------------------------------------------------------- make serve


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log_path: Path
    log: object

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(copy: Path, workers: int, env: dict, log_path: Path) -> Server:
    port = _free_port()
    backend_port = next(p for p in iter(_free_port, None) if p != port)
    printed = subprocess.run(
        ["make", "-s", "-n", "serve", f"PORT={port}", f"BACKEND_PORT={backend_port}", f"WORKERS={workers}"],
        cwd=copy, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()
    command = printed[-1]
    if "-m todochat.serve" not in command:
        raise RuntimeError(f"make -n serve printed no serve command: {printed}")
    log = open(log_path, "w")
    process = subprocess.Popen(["bash", "-c", command], cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", log_path, log)
    deadline = time.time() + START_TIMEOUT
    try:
        while "make serve: serving" not in server.text():
            if process.poll() is not None:
                raise RuntimeError(f"make serve exited early:\n{server.text()[-4000:]}")
            if time.time() > deadline:
                raise RuntimeError(f"make serve was not serving after {START_TIMEOUT} s:\n{server.text()[-4000:]}")
            time.sleep(1)
    except BaseException:
        stop_server(server)
        raise
    return server


def stop_server(server: Server) -> None:
    """SIGTERM to the whole process group (make serve stops nginx and granian), then SIGKILL."""
    process = server.process
    try:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever it left behind
        except ProcessLookupError:
            pass
        process.wait()
        server.log.close()


def machine_cpu_seconds() -> float:
    """CPU time every process on this machine has used (/proc/stat: all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every live process in this process group."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # after "pid (comm) ": state, ppid, pgrp, ...; utime, stime at 11, 12
            total += int(fields[11]) + int(fields[12])
    return total / tick


# ---------------------------------------------------------------- one run


async def warm_up(url: str) -> None:
    """A few turns that are not measured: every worker imports the model and tools once."""
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        people = []
        for n in range(4):
            user = User(-1 - n, f"warm-up-{n}@load.example")
            person = Person(user, client, Stats())
            if not await person.sign_up_and_in():
                raise RuntimeError("warm-up: could not sign up")
            people.append(person)
        await asyncio.gather(*(p.chat("add warm up task") for p in people))
        await asyncio.gather(*(p.chat("show my tasks") for p in people))


async def load(url: str, users: list[User], seconds: float, stats: Stats, server: Server) -> None:
    await warm_up(url)
    cpu_before, server_before = time.process_time(), group_cpu_seconds(server.process.pid)
    machine_before = machine_cpu_seconds()
    started = time.perf_counter()
    deadline = time.monotonic() + seconds

    async def one(user: User) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
            await Person(user, client, stats).run(deadline)

    # Every request has its timeout: this bound is only a guard against a bug here.
    async with asyncio.timeout(seconds + 10 * REQUEST_TIMEOUT):
        await asyncio.gather(*(one(u) for u in users))
    stats.elapsed = time.perf_counter() - started
    stats.client_cpu = time.process_time() - cpu_before
    stats.server_cpu = group_cpu_seconds(server.process.pid) - server_before
    stats.machine_cpu = machine_cpu_seconds() - machine_before


async def cross_checks(url: str, users: list[User]) -> list[str]:
    """Over HTTP, after the load: user A asks for user B's task and thread; both must be 404."""
    problems = []
    usable = [u for u in users if u.headers and (u.added or u.rest_created) and u.threads]

    async def check(a: User, b: User, client: httpx.AsyncClient) -> None:
        task = min([*b.added, *b.rest_created])
        thread = min(b.threads)
        for method, path, body in (("GET", f"/api/tasks/{task}", None),
                                   ("PATCH", f"/api/tasks/{task}", {"title": "not yours"}),
                                   ("POST", "/chatkit", {"type": "threads.get_by_id", "params": {"thread_id": thread}}),
                                   ("POST", "/chatkit", {"type": "items.list", "params": {"thread_id": thread}})):
            try:
                answer = await client.request(method, path, json=body, headers=a.headers)
            except httpx.HTTPError as exc:
                problems.append(f"user {a.n} {method} {path} of user {b.n}: {type(exc).__name__}")
                continue
            if answer.status_code != 404:
                problems.append(f"user {a.n} {method} {path} (user {b.n}'s): {answer.status_code}, not 404")

    if len(usable) < 2:
        return ["fewer than two users got far enough to check that they cannot see each other's data"]
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        for start in range(0, len(usable), 10):
            await asyncio.gather(*(check(a, usable[(i + 1) % len(usable)], client)
                                   for i, a in enumerate(usable[start:start + 10], start)))
    return problems


def database_checks(db_url: str, users: list[User]) -> list[str]:
    engine = sa.create_engine(normalize_url(db_url), poolclass=sa.NullPool)
    try:
        with engine.connect() as c:
            accounts = dict(c.execute(sa.text('SELECT email, id FROM "user"')).all())
            tasks = {row.id: row for row in c.execute(sa.text(
                "SELECT id, user_id, title, completed, priority, due_date FROM task"))}
            threads = dict(c.execute(sa.text("SELECT id, user_id FROM chat_thread")).all())
            items = c.execute(sa.text(
                "SELECT thread_id, user_id, data FROM chat_item WHERE type = 'user_message'")).all()
            strays = c.execute(sa.text(
                "SELECT count(*) FROM chat_item i JOIN chat_thread t ON t.id = i.thread_id WHERE i.user_id <> t.user_id"
            )).scalar_one()
    finally:
        engine.dispose()

    problems = []
    if strays:
        problems.append(f"{strays} chat items are owned by someone other than their thread's owner")
    stored: dict[str, Counter] = defaultdict(Counter)  # user id -> texts in that user's threads
    for thread_id, owner, data in items:
        if isinstance(data, str):
            data = json.loads(data)
        text = "".join(part.get("text", "") for part in data.get("content", []))
        if threads.get(thread_id) == owner:
            stored[owner][text] += 1
    titles: dict[str, Counter] = defaultdict(Counter)
    for row in tasks.values():
        titles[row.user_id][row.title] += 1

    for user in users:
        who = f"user {user.n}"
        uid = accounts.get(user.email)
        if uid is None:
            if user.sent or user.added:
                problems.append(f"{who}: no account in the database")
            continue
        for thread in user.threads:
            if threads.get(thread) != uid:
                problems.append(f"{who}: thread {thread} is {'missing' if thread not in threads else 'owned by another user'}")
        mine = stored[uid]
        for text, count in user.sent.items():
            extra = user.uncertain.get(text, 0)
            if not count <= mine[text] <= count + extra:
                problems.append(f"{who}: sent {text!r} {count} time(s) (+{extra} unanswered), stored {mine[text]}")
        for text in set(mine) - set(user.sent) - set(user.uncertain):
            problems.append(f"{who}: stored {text!r} ({mine[text]}x), which this user never sent")
        for source, made in (("the assistant said it added", user.added), ("POST /api/tasks created", user.rest_created)):
            for task_id, title in made.items():
                row = tasks.get(task_id)
                if row is None:
                    problems.append(f"{who}: task #{task_id} {title!r} that {source} does not exist")
                elif row.user_id != uid:
                    problems.append(f"{who}: task #{task_id} that {source} belongs to another user")
                elif row.title != title:
                    problems.append(f"{who}: task #{task_id} that {source} as {title!r} is {row.title!r}")
                elif titles[uid][title] != 1:
                    problems.append(f"{who}: {titles[uid][title]} tasks titled {title!r} ({source} one)")
        for task_id in user.completed:
            if task_id in tasks and not tasks[task_id].completed:
                problems.append(f"{who}: task #{task_id} was ticked complete on its card but is open")
        for task_id in user.moved:
            if task_id in tasks and (tasks[task_id].due_date is None or tasks[task_id].due_date.weekday() != 4):
                problems.append(f"{who}: task #{task_id} was moved to friday but is due {tasks[task_id].due_date}")
        for task_id in user.patched:
            if task_id in tasks and tasks[task_id].priority != "high":
                problems.append(f"{who}: task #{task_id} was PATCHed to high priority but is {tasks[task_id].priority}")
        for task_id in user.listed:
            if task_id in tasks and tasks[task_id].user_id != uid:
                problems.append(f"{who}: GET /api/tasks listed task #{task_id}, another user's")
    return problems


def serve_log_findings(text: str, workers: int) -> tuple[int, int, list[str]]:
    """(tracebacks, workers spawned beyond the first ones, a few lines worth reading)."""
    lines = text.splitlines()
    tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
    spawned = len(re.findall(r"Spawning worker-\d+ with PID", text))
    worth = [line for line in lines if line.startswith("Traceback") or re.search(r"\b(ERROR|CRITICAL)\b|\[error\]|\[crit\]|\[alert\]", line)]
    return tracebacks, max(0, spawned - workers), worth[:20]


def run_once(copy: Path, workers: int, args, logs: Path) -> dict:
    schema = new_schema_name("load")
    admin = sa.create_engine(normalize_url(args.database_url), poolclass=sa.NullPool)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    db_url = postgres_schema_url(args.database_url, schema)
    env = {
        **reflex_env(),
        "DATABASE_URL": db_url,
        "REDIS_URL": args.redis_url,
        "TODOCHAT_SECRET": secrets.token_urlsafe(24),
        "SIGN_IN_ATTEMPTS_PER_ADDRESS": "100000",  # 50 people, one address (127.0.0.1)
        "TODOCHAT_MODEL": "local",
    }
    for name in ("APP_URL", "CORS_ORIGINS", "CHATKIT_DOMAIN_KEY", "WORKERS", "DATABASE_POOL_SIZE",
                 "DATABASE_MAX_OVERFLOW", "MAKEFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    stats = Stats()
    tag = secrets.token_hex(3)
    users = [User(n, f"load-{tag}-{n}@load.example") for n in range(args.users)]
    log_path = logs / f"serve-{workers}w.log"
    try:
        print(f"\n== {workers} worker{'s' if workers != 1 else ''}: starting make serve (builds the UI; minutes)",
              flush=True)
        t0 = time.monotonic()
        server = start_server(copy, workers, env, log_path)
        print(f"   serving {server.url} after {time.monotonic() - t0:.0f} s; {args.users} users for {args.seconds:g} s",
              flush=True)
        try:
            asyncio.run(load(server.url, users, args.seconds, stats, server))
            leaks = asyncio.run(cross_checks(server.url, users))
        finally:
            stop_server(server)
        problems = leaks + database_checks(db_url, users)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    tracebacks, respawned, worth = serve_log_findings(log_path.read_text(errors="replace"), workers)
    return report(workers, args, stats, users, problems, tracebacks, respawned, worth, log_path)


def report(workers, args, stats: Stats, users, problems, tracebacks, respawned, worth, log_path) -> dict:
    by_kind = Counter(kind for kind, _, _ in stats.requests)
    server_errors = [b for b in stats.bad if b[1] is not None and b[1] >= 500]
    other = [b for b in stats.bad if b[1] is not None and b[1] < 500]
    failed = [b for b in stats.bad if b[1] is None]
    turns = len(stats.turn)
    rps, tps = len(stats.requests) / stats.elapsed, turns / stats.elapsed
    button = [s for kind, status, s in stats.requests if kind == "button" and status == 200]
    rest = [s for kind, status, s in stats.requests if kind == "rest" and status is not None and status < 300]
    notes = [note for u in users for note in u.notes]
    busy = [b for b in server_errors if b[0] in ("sign-up", "sign-in") and b[1] == 503]
    print(f"== {workers} worker{'s' if workers != 1 else ''}, {args.users} users ({stats.signed_in} signed in), "
          f"{stats.elapsed:.1f} s (nginx, PostgreSQL, Redis, offline model)")
    print(f"requests        {len(stats.requests):6d}   {rps:7.1f} requests/s   "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_kind.items()))})")
    print(f"chat turns      {turns:6d}   {tps:7.1f} turns/s")
    print(f"first event     p50 {pct(stats.ttfe, 50):7.1f} ms   p99 {pct(stats.ttfe, 99):7.1f} ms")
    print(f"turn            p50 {pct(stats.turn, 50):7.1f} ms   p99 {pct(stats.turn, 99):7.1f} ms")
    print(f"button press    p50 {pct(button, 50):7.1f} ms   p99 {pct(button, 99):7.1f} ms")
    print(f"REST request    p50 {pct(rest, 50):7.1f} ms   p99 {pct(rest, 99):7.1f} ms")
    print(f"5xx {len(server_errors)} ({len(busy)} of them 503 BUSY on sign-up/sign-in, tried again after "
          f"Retry-After)   other non-2xx {len(other)}   no answer (timeout, connection) {len(failed)}   "
          f"ChatKit error events {len(stats.stream_errors)}")
    shown = Counter((kind, status, what) for kind, status, what in server_errors + other + failed)
    for (kind, status, what), times in list(shown.items())[:10]:
        print(f"  {kind} {status}{f' ({times}x)' if times > 1 else ''}: {what}")
    for line in stats.stream_errors[:5]:
        print(f"  error event: {line}")
    if stats.unseen_writes:
        print(f"read-your-writes: {len(stats.unseen_writes)} requests for a task the API had just answered "
              "201 for were 404 (answered before its commit?)")
        for line in stats.unseen_writes[:5]:
            print(f"  {line}")
    added = sum(len(u.added) for u in users)
    print(f"assistant       {added} tasks added by chat, {sum(len(u.completed) for u in users)} completed by button, "
          f"{sum(len(u.moved) for u in users)} moved; {len(notes)} replies not as asked")
    for note in notes[:5]:
        print(f"  {note}")
    print(f"CPU             make serve {stats.server_cpu / stats.elapsed:.2f} cores, "
          f"this load generator {stats.client_cpu / stats.elapsed:.2f} cores, whole machine "
          f"{stats.machine_cpu / stats.elapsed:.2f} of {os.cpu_count()} (PostgreSQL and anything else running too)")
    print(f"serve log       {tracebacks} tracebacks, {respawned} workers respawned ({log_path})")
    for line in worth[:10]:
        print(f"  {line[:300]}")
    if problems:
        print(f"consistency: FAILED ({len(problems)} problems)")
        for problem in problems[:30]:
            print(f"  {problem}")
        if len(problems) > 30:
            print(f"  ... and {len(problems) - 30} more")
    else:
        print("consistency: OK")
    sys.stdout.flush()
    return {"rps": rps, "tps": tps, "ok": not problems and not server_errors, "log_kept": bool(problems or stats.bad or tracebacks or respawned)}


def redis_url(base: str) -> str:
    return urlunsplit(urlsplit(base)._replace(path=f"/{REDIS_DB}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", default="1,2", help="worker counts to run in turn, e.g. 1,2")
    parser.add_argument("--database-url",
                        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
                        help="PostgreSQL; each run gets a schema of its own, dropped afterwards")
    parser.add_argument("--redis-url", default=redis_url(os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")),
                        help=f"Redis, a database number of its own (default /{REDIS_DB})")
    parser.add_argument("--keep-logs", action="store_true", help="keep make serve's logs even when all went well")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",") if w.strip()]

    # SIGTERM as Ctrl-C: the finally blocks stop make serve and drop the schema.
    def interrupted(*_):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)

    print(f"todochat load test: {args.users} users x {args.seconds:g} s, workers {counts}, {os.cpu_count()} CPUs")
    copy = copy_project("todochat-load-")
    logs = Path(tempfile.mkdtemp(prefix="todochat-load-logs-"))
    results: dict[int, dict] = {}
    try:
        for workers in counts:
            results[workers] = run_once(copy, workers, args, logs)
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
        if args.keep_logs or any(r["log_kept"] for r in results.values()) or len(results) < len(counts):
            print(f"\nmake serve's logs: {logs}")
        else:
            shutil.rmtree(logs, ignore_errors=True)

    if 1 in results and len(results) > 1:
        most = max(results)
        turns = results[most]["tps"] / results[1]["tps"]
        reqs = results[most]["rps"] / results[1]["rps"]
        verdict = "meets" if turns >= 1.3 and reqs >= 1.3 else "misses"
        print(f"\nthroughput {most} workers / 1 worker: chat turns/s {turns:.2f}x, requests/s {reqs:.2f}x "
              f"({verdict} the goal of >= 1.3x)")
    ok = all(r["ok"] for r in results.values())
    print("result: OK" if ok else "result: FAILED (5xx or a consistency problem above)")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: make serve stopped, schema dropped", file=sys.stderr)
        sys.exit(130)
