"""What the load test checks after a run: nobody sees another's data, nothing the
users were told was written is missing or doubled, what the serve log holds."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter, defaultdict

import httpx
import sqlalchemy as sa

from bench.load_test.people import REQUEST_TIMEOUT, User
from todochat.db import normalize_url


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
