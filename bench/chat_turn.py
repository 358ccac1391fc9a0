"""How much does todochat add to a chat turn? (target: a/b <= 1.25)

8 concurrent clients each send 20 messages over HTTP to POST /chatkit, against
  (a) todochat as it runs: bearer-token auth, SQLModelStore and tasks in a SQLite file;
  (b) a reference: a bare ChatKitServer with an in-memory store, the same offline model
      and the same tools, its tasks in an in-memory SQLite database, no auth.
Each server runs in its own process (uvicorn, one worker); the clients run here.
Prints p50/p99 time to first event, p50 turn time and turns/s for each, and a/b.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLIENTS = 8
MESSAGES = 20
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


# ---------------------------------------------------------------- the reference server


def reference_app():
    """A bare ChatKitServer: in-memory store, same model and tools, no auth."""
    from agents import RunConfig, Runner
    from chatkit.agents import AgentContext, ThreadItemConverter, stream_agent_response
    from chatkit.server import ChatKitServer, StreamingResult
    from chatkit.store import NotFoundError, Store
    from chatkit.types import Page
    from sqlmodel import SQLModel

    from todochat.chat.agent import build_agent
    from todochat.chat.context import RequestContext
    from todochat.chat.local_model import LocalModel
    from todochat.db import get_engine, session_scope
    from todochat.models import User

    class MemoryStore(Store):
        def __init__(self):
            self.threads, self.items = {}, {}

        async def load_thread(self, thread_id, context):
            if thread_id not in self.threads:
                raise NotFoundError(thread_id)
            return self.threads[thread_id]

        async def save_thread(self, thread, context):
            self.threads[thread.id] = thread
            self.items.setdefault(thread.id, [])

        async def load_thread_items(self, thread_id, after, limit, order, context):
            items = sorted(self.items.get(thread_id, []), key=lambda i: (i.created_at, i.id), reverse=order == "desc")
            start = next((n + 1 for n, i in enumerate(items) if i.id == after), 0) if after else 0
            page = items[start : start + limit]
            return Page(data=page, has_more=start + limit < len(items), after=page[-1].id if page else None)

        async def add_thread_item(self, thread_id, item, context):
            self.items.setdefault(thread_id, []).append(item)

        async def save_item(self, thread_id, item, context):
            items = self.items.setdefault(thread_id, [])
            self.items[thread_id] = [item if i.id == item.id else i for i in items]
            if all(i.id != item.id for i in items):
                items.append(item)

        async def load_item(self, thread_id, item_id, context):
            for item in self.items.get(thread_id, []):
                if item.id == item_id:
                    return item
            raise NotFoundError(item_id)

        async def delete_thread(self, thread_id, context):
            self.threads.pop(thread_id, None)
            self.items.pop(thread_id, None)

        async def delete_thread_item(self, thread_id, item_id, context):
            self.items[thread_id] = [i for i in self.items.get(thread_id, []) if i.id != item_id]

        async def load_threads(self, limit, after, order, context):
            return Page(data=list(self.threads.values())[:limit], has_more=False)

        async def save_attachment(self, attachment, context):
            raise ValueError("no attachments")

        async def load_attachment(self, attachment_id, context):
            raise NotFoundError(attachment_id)

        async def delete_attachment(self, attachment_id, context):
            raise NotFoundError(attachment_id)

    class ReferenceServer(ChatKitServer):
        def __init__(self):
            super().__init__(MemoryStore())
            self.agent = build_agent(LocalModel())
            self.converter = ThreadItemConverter()

        async def respond(self, thread, input_user_message, context):
            recent = await self.store.load_thread_items(thread.id, None, 30, "desc", context)
            agent_input = await self.converter.to_agent_input(list(reversed(recent.data)))
            agent_context = AgentContext(thread=thread, store=self.store, request_context=context)
            result = Runner.run_streamed(
                self.agent, agent_input, context=agent_context, run_config=RunConfig(tracing_disabled=True)
            )
            async for event in stream_agent_response(agent_context, result):
                yield event

    # The tools' tasks live in an in-memory database: no file, no fsync.
    engine = get_engine(f"sqlite:////dev/shm/todochat-bench-{os.getpid()}.db")
    SQLModel.metadata.create_all(engine)
    with session_scope(engine) as session:
        session.add(User(id="bench", name="bench", email="bench@bench"))
    server = ReferenceServer()
    app = FastAPI()

    @app.post("/chatkit")
    async def chatkit(request: Request):
        result = await server.process(await request.body(), RequestContext(user_id="bench", engine=engine))
        if isinstance(result, StreamingResult):
            return StreamingResponse(result, media_type="text/event-stream")
        return Response(result.json, media_type="application/json")

    return app


def todochat_app(folder: Path):
    from todochat import migrate
    from todochat.api import create_api
    from todochat.auth.accounts import Auth
    from todochat.db import get_engine
    from todochat.settings import Settings

    url = f"sqlite:///{folder}/bench.db"
    migrate.upgrade(url)
    config = Settings(DATABASE_URL=url, TODOCHAT_SECRET="bench-secret-of-16+chars", APP_URL="http://127.0.0.1")
    return create_api(Auth(get_engine(url), config))


def serve(which: str, port: int, folder: str) -> None:
    import uvicorn

    app = reference_app() if which == "reference" else todochat_app(Path(folder))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# ---------------------------------------------------------------- the clients


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(which: str, folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", which, "--port", str(port), "--folder", str(folder)],
        cwd=ROOT,
        env={**os.environ, "TODOCHAT_MODEL": "local"},
    )
    return proc, f"http://127.0.0.1:{port}"


async def wait_up(url: str) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        for _ in range(300):
            try:
                await client.get(f"{url}/openapi.json")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


async def one_client(url: str, n: int, headers: dict, stats: dict) -> None:
    import httpx

    thread_id = None
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for i in range(MESSAGES):
            text = SCRIPT[(i + n) % len(SCRIPT)]
            content = {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}
            if thread_id is None:
                request = {"type": "threads.create", "params": {"input": content}}
            else:
                request = {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": content}}
            started = time.perf_counter()
            first = None
            async with client.stream("POST", "/chatkit", json=request, headers=headers) as response:
                assert response.status_code == 200, await response.aread()
                async for line in response.aiter_lines():
                    if not line.startswith("data: "):
                        continue
                    if first is None:
                        first = time.perf_counter() - started
                    if thread_id is None and '"thread.created"' in line:
                        thread_id = line.split('"id":"', 1)[1].split('"', 1)[0]
            stats["ttfe"].append(first)
            stats["turn"].append(time.perf_counter() - started)


async def token_for(url: str, n: int) -> dict:
    import httpx

    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.post(
            "/api/auth/sign-up/email", json={"name": f"c{n}", "email": f"c{n}@bench.example", "password": "benchmark-pw"}
        )
        return {"Authorization": f"Bearer {response.json()['token']}"}


async def measure(which: str, folder: Path) -> dict:
    proc, url = start(which, folder)
    try:
        await wait_up(url)
        headers = [await token_for(url, n) if which == "todochat" else {} for n in range(CLIENTS)]
        stats = {"ttfe": [], "turn": []}
        started = time.perf_counter()
        await asyncio.gather(*(one_client(url, n, headers[n], stats) for n in range(CLIENTS)))
        stats["elapsed"] = time.perf_counter() - started
        return stats
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] * 1000 if len(samples) > 1 else samples[0] * 1000


def report(name: str, stats: dict) -> float:
    turns = len(stats["turn"])
    rate = turns / stats["elapsed"]
    print(
        f"{name:<10} p50 first event {pct(stats['ttfe'], 50):7.1f} ms   p99 {pct(stats['ttfe'], 99):7.1f} ms   "
        f"p50 turn {pct(stats['turn'], 50):7.1f} ms   {rate:6.1f} turns/s   ({turns} turns)"
    )
    return statistics.median(stats["turn"])


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="todochat-bench-"))
    a = await measure("todochat", folder)
    b = await measure("reference", folder)
    print(f"{CLIENTS} clients x {MESSAGES} messages, offline model, {dt.date.today()}")
    turn_a = report("todochat", a)
    turn_b = report("reference", b)
    print(f"a/b p50 turn time: {turn_a / turn_b:.2f}   (target <= 1.25)")
    rate_a, rate_b = len(a["turn"]) / a["elapsed"], len(b["turn"]) / b["elapsed"]
    print(f"b/a throughput:    {rate_b / rate_a:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=["todochat", "reference"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.folder)
    else:
        asyncio.run(main())
