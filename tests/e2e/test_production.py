"""`make serve` (issue 13, "A production mode, one command" and "A real reverse proxy"):
the app as it runs in production, used through nginx.

One instance for this file (module scope; `make test` gives pytest-xdist a whole file per
process), started with the command `make -n serve` prints, in a
copy of the project (its UI build must not touch the one the other browser tests serve):
two workers, on a PostgreSQL schema and a Redis database of its own, behind nginx on a
free port, with a model that takes its time (tests/fake_openai.py) so that streaming can
be seen. The tests, in order: a person's session in Chromium (sign-up, a chat turn whose
card's button works, a reload); the reply streamed through nginx as it is written; the
static pages, the 404 page and the body limit; client addresses as the app sees them;
a worker killed and respawned while the app keeps answering; SIGTERM stopping it all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    ARTIFACTS,
    _free_port,
    cards,
    copy_project,
    new_email,
    open_chat,
    page_for,
    say,
    sign_up,
    stop_process_group,
)
from tests.e2e.serving import model_at, postgres_schema, serve_command, serve_env
from tests.fake_openai import FakeOpenAI, reply, tool_call
from todochat.chat.client import user_input
from todochat.limits import BODY_MAX_BYTES

pytestmark = pytest.mark.postgresql  # and Redis: `.ci/run` starts both

START_TIMEOUT = 420  # copies the project, builds the UI, starts two workers
WORKERS = 2
# A Redis database of its own, so its page states never meet another instance's.
REDIS_DB = 9
# Sign-ins and sign-ups per client address (all workers together): small, so the throttle shows.
ATTEMPTS_PER_ADDRESS = 6
SPAWNED = re.compile(r"Spawning worker-(\d+) with PID: (\d+)")


@dataclass
class Production:
    url: str
    process: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self) -> str:
        return self.text()[-5000:]

    def worker_pids(self) -> dict[int, int]:
        """Each worker's newest pid, from granian's log."""
        return {int(n): int(pid) for n, pid in SPAWNED.findall(self.text())}


def _redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0"))
    return urlunsplit(parts._replace(path=f"/{REDIS_DB}"))


@pytest.fixture(scope="module")
def production(slow_model: FakeOpenAI):
    with postgres_schema(os.environ["TEST_DATABASE_URL"], "serve") as database_url:
        yield from _serving(database_url, slow_model)


def _serving(database_url: str, slow_model: FakeOpenAI):
    copy = copy_project("todochat-serve-")
    base = copy.parent
    port = _free_port()
    backend_port = next(p for p in iter(_free_port, None) if p != port)
    env = serve_env(database_url, _redis_url(), SIGN_IN_ATTEMPTS_PER_ADDRESS=str(ATTEMPTS_PER_ADDRESS),
                    **model_at(slow_model.base_url))
    command = serve_command(copy, env, f"PORT={port}", f"BACKEND_PORT={backend_port}", f"WORKERS={WORKERS}")
    assert f'--workers "{WORKERS}"' in command, command

    log_path = base / "serve.log"
    log = open(log_path, "w")
    process = subprocess.Popen(["bash", "-c", command], cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Production(f"http://localhost:{port}", process, log_path)
    try:
        deadline = time.time() + START_TIMEOUT
        while "make serve: serving" not in server.text():
            if process.poll() is not None:
                pytest.fail(f"make serve exited early:\n{server.tail()}")
            if time.time() > deadline:
                pytest.fail(f"make serve was not serving after {START_TIMEOUT} s:\n{server.tail()}")
            time.sleep(1)
        yield server
    finally:
        stop_process_group(process, seconds=60)
        log.close()
        if os.environ.get("KEEP_SERVE_LOG"):
            shutil.copy(log_path, ARTIFACTS / "serve.log")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def production_page(browser: Browser, production: Production, request):
    yield from page_for(browser, production.url, request, timeout_ms=20_000)


def _sign_up_over_http(url: str) -> dict[str, str]:
    answer = httpx.post(f"{url}/api/auth/sign-up/email", timeout=30,
                        json={"name": "Ada", "email": new_email("ada"), "password": "correct horse 1"})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_a_session_in_the_browser_through_nginx(production_page: Page, production: Production,
                                                slow_model: FakeOpenAI):
    page = production_page
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    slow_model.script(
        tool_call("add_tasks", {"tasks": [{"title": "pay rent", "due": "2026-12-01"}]}),
        reply("Added pay rent for tomorrow."),
    )
    sign_up(page, "Rosa", new_email("rosa"))
    open_chat(page)
    say(page, "add pay rent tomorrow")
    card = cards(page).filter(has=page.get_by_text("pay rent", exact=True)).last
    expect(card).to_be_visible()
    expect(page.locator(".bubble-assistant").last).to_contain_text("Added pay rent")

    # The card's button acts (through the websocket, on whichever worker holds the page).
    card.get_by_role("checkbox", name="Complete pay rent").click()
    expect(card.get_by_role("checkbox", name="Reopen pay rent")).to_be_checked()

    page.reload()
    expect(page.locator(".bubble-user").first).to_have_text("add pay rent tomorrow")
    expect(page.locator(".bubble-assistant").first).to_contain_text("Added pay rent")
    card = cards(page).filter(has=page.get_by_text("pay rent", exact=True)).last
    expect(card.get_by_role("checkbox", name="Reopen pay rent")).to_be_checked()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "production-chat.png"), full_page=True)

    # The event channel went through nginx, at the public address: the build was made for it.
    port = urlsplit(production.url).port
    assert sockets and all(re.match(rf"ws://localhost:{port}/_event", url) for url in sockets), sockets
    # nginx logged those websockets (the first one closed on reload) without the tab's token.
    assert "/_event" in production.text() and "token=" not in production.text()
    assert slow_model.pending == 0


def test_a_reply_streams_through_nginx_as_it_is_written(production: Production, slow_model: FakeOpenAI):
    headers = _sign_up_over_http(production.url)
    story = "Once upon a time a task was written down and never forgotten. " * 2
    slow_model.script(reply(story, chunk=8, delay=0.25))  # about 4 s in all
    arrived: list[tuple[float, str]] = []
    with httpx.Client(timeout=60) as client, client.stream(
        "POST", f"{production.url}/chatkit", headers=headers,
        json={"type": "threads.create", "params": {"input": user_input("tell me a story")}},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                arrived.append((time.monotonic(), json.loads(line[6:])["type"]))
    deltas = [at for at, kind in arrived if kind == "thread.item.updated"]
    assert len(deltas) > 5, arrived
    # Buffered, every event would arrive at the end, together.
    assert arrived[-1][0] - deltas[0] > 2, arrived


def test_pages_the_404_page_api_docs_and_the_body_limit(production: Production):
    with httpx.Client(base_url=production.url, timeout=30) as client:
        for route in ("/", "/sign-in", "/sign-up", "/tasks", "/chat", "/chatkit/embed.html", "/chat.css"):
            answer = client.get(route)
            assert answer.status_code == 200, route
            assert answer.headers["cache-control"] == "no-cache", route
        gone = client.get("/no-such-page")
        assert gone.status_code == 404 and "<html" in gone.text.lower()

        page = client.get("/chat", headers={"Accept-Encoding": "gzip"})
        assert page.headers.get("content-encoding") == "gzip"  # the build's .gz, as it is
        bundle = re.search(r'/assets/[^"]+\.js', page.text).group(0)
        assert "immutable" in client.get(bundle).headers["cache-control"]

        assert client.get("/health").json() == {"status": "ok", "database": True, "redis": True}  # through nginx, on PostgreSQL and Redis
        assert client.get("/ping").status_code == 200
        assert client.get("/docs").status_code == 200
        assert client.get("/openapi.json").json()["info"]["title"] == "todochat API"
        assert client.get("/api/tasks").status_code == 401  # the API's own answer, as JSON
        assert client.get("/api/tasks").json()["code"]
        # Every route the app documents reaches it through nginx: the app's own JSON answer
        # (401, 405, 422 ...), never nginx's 404 page (a route added without its location).
        # Asked with no token and no body, so nothing changes.
        for path, methods in client.get("/openapi.json").json()["paths"].items():
            for method in methods:
                answer = client.request(method.upper(), re.sub(r"\{[^}]+\}", "1", path))
                assert answer.headers["content-type"].startswith("application/json"), (method, path, answer.status_code)
        # And MCP, mounted beside the API (its own document): the app's 401 without a token.
        mcp = client.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                          headers={"Accept": "application/json, text/event-stream"})
        assert mcp.status_code == 401 and mcp.json()["code"] == "UNAUTHORIZED", mcp.text
        refused = client.get("/mcp", headers={"Accept": "text/event-stream"})
        assert refused.status_code == 405 and refused.headers["allow"] == "POST", refused.text

        # Over the app's limit: nginx refuses it before buffering it, with the app's answer.
        too_big = client.post("/api/tasks", content=b"x" * (BODY_MAX_BYTES + 1),
                              headers={"content-type": "application/json"})
        assert too_big.status_code == 413
        assert too_big.json() == {"message": f"Request body is larger than {BODY_MAX_BYTES} bytes",
                                  "code": "PAYLOAD_TOO_LARGE"}


def _from(address: str) -> httpx.Client:
    """A client whose connections come from ``address`` (any 127.x address is this machine)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


def test_the_app_counts_sign_ins_by_the_clients_address_not_nginxs(production: Production):
    """Behind nginx every request comes from 127.0.0.1: unless the app takes the address
    nginx passes on, one client using up the sign-in attempts locks out everyone.
    (tests/test_serve_behind_proxy.py shows whose word the app takes for it.)"""
    attempt = {"email": "nobody@example.com", "password": "wrong password 1"}
    answers = []
    with _from("127.0.0.2") as greedy:
        # The workers count together (in Redis), wherever nginx sends each attempt.
        for _ in range(ATTEMPTS_PER_ADDRESS + 1):
            answers.append(greedy.post(f"{production.url}/api/auth/sign-in/email",
                                       json={**attempt, "email": new_email("x")}).status_code)
    assert answers == [401] * ATTEMPTS_PER_ADDRESS + [429], answers
    with _from("127.0.0.3") as other:
        answer = other.post(f"{production.url}/api/auth/sign-in/email", json=attempt)
        assert answer.status_code == 401, answer.text


def test_a_killed_worker_is_respawned_and_the_app_keeps_answering(production: Production):
    before = production.worker_pids()
    assert sorted(before) == list(range(1, WORKERS + 1)), production.tail()
    victim = before[2]
    os.kill(victim, signal.SIGKILL)

    answers: list[int] = []
    deadline = time.time() + 60
    with httpx.Client(timeout=10) as client:
        while time.time() < deadline:
            try:
                answers.append(client.get(f"{production.url}/health").status_code)
            except httpx.HTTPError:
                answers.append(0)
            now = production.worker_pids()
            if now.get(2) not in (None, victim) and _alive(now[2]) and answers[-10:] == [200] * 10:
                break
            time.sleep(0.2)
    after = production.worker_pids()
    assert after[2] != victim and _alive(after[2]), production.tail()
    assert after[1] == before[1] and _alive(after[1])
    assert "Respawning worker-2" in production.text()
    assert production.process.poll() is None, production.tail()
    # From then on every request is answered (a request may have failed during the kill).
    with httpx.Client(timeout=10) as client:
        later = [client.get(f"{production.url}/health").status_code for _ in range(40)]
        headers = _sign_up_over_http(production.url)
        assert client.get(f"{production.url}/api/tasks", headers=headers).status_code == 200
    assert later == [200] * 40, (answers, later)


def test_sigterm_stops_nginx_and_every_worker(production: Production):
    pids = [*production.worker_pids().values()]
    group = production.process.pid
    [launcher] = [pid for pid in _group_members(group) if _command(pid)[1:3] == ["-m", "todochat.serve"]]
    os.kill(launcher, signal.SIGTERM)  # the launcher alone: it stops what it started
    production.process.wait(timeout=60)
    deadline = time.time() + 30
    while _group_members(group) and time.time() < deadline:
        time.sleep(0.5)
    assert _group_members(group) == [], production.tail()
    assert not any(_alive(pid) for pid in pids)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{production.url}/health", timeout=5)
    assert "Traceback" not in production.text(), production.tail()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is not alive.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _command(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return []


def _group_members(group: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            except (FileNotFoundError, IndexError, ProcessLookupError):
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
    return members

