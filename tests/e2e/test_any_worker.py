"""Issue 13, "any worker can serve any request": one browser tab whose requests land on
two backends in turn, sharing PostgreSQL and Redis, behind nginx.

With granian's workers on one port, which worker gets a connection is the kernel's
choice; here the test chooses. The UI is built and backend A started by `make serve
NGINX=external WORKERS=1` (README, "In an existing nginx"), backend B is a second
`python -m todochat.serve.backend` in the same project (a second host, as far as the app
can tell), and nginx serves deploy/nginx.conf with one change: the upstream is picked by
the ``todochat_worker`` cookie (``b``: backend B, anything else: A), and each request's
backend is logged. A chat turn runs on the backend that holds the tab's websocket when
it is sent; the tests then move the tab to the other one:

- a reload onto the other backend re-attaches to the reply, which streams on to its end;
  the task it added shows in the list beside the chat, and its card's button works;
- Stop pressed on the other backend stops the reply;
- the backend running a reply is killed: the page, reconnected to the other one, says so
  within seconds and offers Retry, which the other one answers; the thread is whole.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

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
    task_panel,
)
from tests.e2e.serving import model_at, postgres_schema, serve_command, serve_env
from tests.fake_openai import FakeOpenAI, reply, tool_call
from tests.throwaway_services import OwnRedis
from todochat.serve import nginx

pytestmark = pytest.mark.postgresql  # and Redis: `.ci/run` starts both

START_TIMEOUT = 420  # copies the project, builds the UI, starts a backend
SPAWNED = re.compile(r"Spawning worker-1 with PID: (\d+)")
COOKIE = "todochat_worker"
STORY = "Once upon a time a task was written down and never forgotten. " * 4 + "And it was done, the end."

# Requests go where the cookie says; each one's backend is logged (upstream address, URI).
ROUTED_BY_COOKIE = """
map $cookie_todochat_worker $todochat_worker {
    b       127.0.0.1:%(b)d;
    default 127.0.0.1:%(a)d;
}
log_format todochat_routes '$upstream_addr $request_uri';
"""


@dataclass
class Backend:
    port: int
    log: Path

    def worker_pid(self) -> int:
        """The newest pid of the backend's one worker, from granian's log."""
        found = SPAWNED.findall(self.log.read_text(errors="replace"))
        assert found, self.log.read_text(errors="replace")[-3000:]
        return int(found[-1])


@dataclass
class TwoBackends:
    url: str
    a: Backend
    b: Backend
    routes: Path

    def websockets_closed_on(self, backend: Backend) -> int:
        """How many of the tabs' event channels (websockets) to ``backend`` have ended
        (nginx logs a request when it ends)."""
        lines = self.routes.read_text().splitlines() if self.routes.exists() else []
        return sum(1 for line in lines if line.startswith(f"127.0.0.1:{backend.port} /_event"))


def _connections_to(port: int) -> int:
    """Established TCP connections to 127.0.0.1:``port`` (the kernel's table). nginx keeps
    no idle connections to a backend chosen by a variable: an open one is a websocket or a
    request in flight."""
    total = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            total += state == "01" and int(local.rsplit(":", 1)[1], 16) == port
    return total


def _wait_for(what: str, ready, seconds: float, *processes: subprocess.Popen, logs: list[Path]) -> None:
    deadline = time.time() + seconds
    while not ready():
        died = [p for p in processes if p.poll() is not None]
        if died or time.time() > deadline:
            tails = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs)
            pytest.fail(f"{what}: {'a process exited' if died else f'not after {seconds} s'}\n{tails}")
        time.sleep(0.5)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def redis():
    """A Redis server of this file's own: the last test restarts it."""
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def two_backends(slow_model: FakeOpenAI, redis: OwnRedis):
    with postgres_schema(os.environ["TEST_DATABASE_URL"], "workers") as database_url:
        yield from _serving(database_url, slow_model, redis)


def _serving(database_url: str, slow_model: FakeOpenAI, redis: OwnRedis):
    copy = copy_project("todochat-workers-")
    base = copy.parent
    port, port_a, port_b = _free_port(), _free_port(), _free_port()
    assert len({port, port_a, port_b}) == 3
    env = serve_env(database_url, redis.url, APP_URL=f"http://localhost:{port}", **model_at(slow_model.base_url))
    a = Backend(port_a, base / "a.log")
    b = Backend(port_b, base / "b.log")
    started: list[subprocess.Popen] = []
    nginx_dir = base / "nginx"
    nginx_dir.mkdir()
    try:
        # Backend A, and the UI: as README's "In an existing nginx" says.
        command = serve_command(copy, env, f"PORT={port}", f"BACKEND_PORT={port_a}", "WORKERS=1", "NGINX=external")
        started.append(subprocess.Popen(["bash", "-c", command], cwd=copy, env=env, stdout=a.log.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for("backend A", lambda: "make serve: serving" in a.log.read_text(errors="replace"),
                  START_TIMEOUT, *started, logs=[a.log])
        # Backend B: the same app and settings, another process (another host, for the app).
        started.append(subprocess.Popen(
            [str(copy / ".venv" / "bin" / "python"), "-m", "todochat.serve.backend", "--port", str(port_b), "--workers", "1"],
            cwd=copy, env=env, stdout=b.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for("backend B", lambda: _answers(f"http://127.0.0.1:{port_b}/health"), START_TIMEOUT, *started,
                  logs=[a.log, b.log])

        site = nginx.site_values(port=port, app_url=env["APP_URL"], static_dir=copy / ".web" / "build" / "client",
                                 backend_port=port_a)
        nginx.write_config(nginx_dir, site, copy)
        routes = nginx_dir / "routes.log"
        site_conf = nginx_dir / "site.conf"
        text, upstreams = re.subn(r"upstream todochat_backend \{.*?\n\}\n", ROUTED_BY_COOKIE % {"a": port_a, "b": port_b},
                                  site_conf.read_text(), flags=re.S)
        text, proxied = re.subn(r"proxy_pass http://todochat_backend;", "proxy_pass http://$todochat_worker;", text)
        assert upstreams == 1 and proxied > 3, text
        text = text.replace("server_tokens off;", f"server_tokens off;\n    access_log {routes} todochat_routes;")
        site_conf.write_text(text)
        binary = nginx.find_nginx()
        nginx.check_config(binary, nginx_dir)
        nginx_log = nginx_dir / "nginx.out"
        started.append(subprocess.Popen(nginx.command(binary, nginx_dir), stdout=nginx_log.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for("nginx", lambda: _answers(f"http://localhost:{port}/health"), 30, *started,
                  logs=[a.log, b.log, nginx_log])
        yield TwoBackends(f"http://localhost:{port}", a, b, routes)
    finally:
        for process in reversed(started):
            stop_process_group(process, seconds=40)
        if os.environ.get("KEEP_SERVE_LOG"):
            for log in (a.log, b.log):
                shutil.copy(log, ARTIFACTS / f"workers-{log.name}")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def tab(browser: Browser, two_backends: TwoBackends, request):
    yield from page_for(browser, two_backends.url, request, timeout_ms=20_000)


def _go_to(page: Page, servers: TwoBackends, name: str) -> None:
    """From now on this tab's requests (its websocket too, when it next connects) go to
    backend ``name``."""
    page.context.add_cookies([{"name": COOKIE, "value": name, "url": servers.url}])


def _reload_onto(page: Page, servers: TwoBackends, leaving: Backend, going_to: Backend, name: str) -> None:
    closed = servers.websockets_closed_on(leaving)
    _go_to(page, servers, name)
    page.reload()
    deadline = time.time() + 30
    # The old websocket ended, and the page's new one is open on the other backend.
    while servers.websockets_closed_on(leaving) == closed or not _connections_to(going_to.port):
        assert time.time() < deadline, "the tab's websocket never moved to the other backend"
        time.sleep(0.2)


def _a_long_reply_started_on(page: Page, servers: TwoBackends, name: str, model: FakeOpenAI, *steps) -> None:
    """Signed up on backend ``name``, a reply (``steps``, then a long story) being written there."""
    _go_to(page, servers, name)
    sign_up(page, "Wanda", new_email("wanda"))
    open_chat(page)
    model.script(*steps, reply(STORY, chunk=4, delay=0.25))
    say(page, "tell me a long story")
    expect(page.get_by_text("Once upon a time").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/chat\?thread=thr_"))


def test_a_reload_onto_the_other_backend_reattaches_to_the_reply(tab: Page, two_backends: TwoBackends,
                                                                  slow_model: FakeOpenAI):
    page = tab
    _a_long_reply_started_on(page, two_backends, "a", slow_model,
                             tool_call("add_tasks", {"tasks": [{"title": "pay rent", "due": "2026-12-01"}]}))
    _reload_onto(page, two_backends, two_backends.a, two_backends.b, "b")
    # Backend A writes the reply on; backend B's tab sees it stream to its end.
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    expect(page.locator(".bubble-assistant").last).to_contain_text("And it was done, the end.", timeout=60_000)
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    # The task the reply added is in the list beside the chat, and its card's button works
    # (both now through backend B).
    panel = task_panel(page)
    expect(panel.get_by_text("pay rent", exact=True)).to_be_visible()
    card = cards(page).filter(has=page.get_by_text("pay rent", exact=True)).last
    card.get_by_role("checkbox", name="Complete pay rent").click()
    expect(card.get_by_role("checkbox", name="Reopen pay rent")).to_be_checked()
    expect(panel.get_by_text("0 open · 1 done")).to_be_visible()
    # The database has it all once: the card, the whole story, what the button did.
    page.reload()
    expect(page.locator(".bubble-assistant")).to_have_count(2)
    expect(page.locator(".bubble-assistant").first).to_contain_text("And it was done, the end.")
    expect(page.locator(".bubble-assistant").last).to_contain_text("as done")
    expect(cards(page)).to_have_count(1)
    assert slow_model.pending == 0 and slow_model.unexpected == []


def test_stop_pressed_on_the_other_backend_stops_the_reply(tab: Page, two_backends: TwoBackends,
                                                            slow_model: FakeOpenAI):
    page = tab
    _a_long_reply_started_on(page, two_backends, "a", slow_model)
    _reload_onto(page, two_backends, two_backends.a, two_backends.b, "b")
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_text("Stopped.")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    time.sleep(3)  # the story would have gone on meanwhile
    expect(page.get_by_text("And it was done, the end.")).to_have_count(0)
    page.reload()
    expect(page.get_by_text("And it was done, the end.")).to_have_count(0)
    assert slow_model.pending == 0 and slow_model.unexpected == []


def test_the_backend_running_a_reply_is_killed(tab: Page, two_backends: TwoBackends, slow_model: FakeOpenAI):
    page = tab
    _a_long_reply_started_on(page, two_backends, "b", slow_model)
    victim = two_backends.b.worker_pid()
    _go_to(page, two_backends, "a")  # where the tab reconnects
    os.kill(victim, signal.SIGKILL)
    # The page notices by itself (no reload, no click): within its watch's few seconds of
    # the dead worker's last beat expiring (15 s).
    expect(page.get_by_text("The server stopped before the reply was finished.")).to_be_visible(timeout=45_000)
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "worker-killed-mid-reply.png"))
    slow_model.script(reply("Here it is again, briefly."))
    page.get_by_role("button", name="Retry").click()
    expect(page.locator(".bubble-assistant").last).to_have_text("Here it is again, briefly.", timeout=30_000)
    # The thread, as the database has it: the question once, then the new answer only.
    page.reload()
    expect(page.locator(".bubble-user")).to_have_count(1)
    expect(page.locator(".bubble-user").first).to_have_text("tell me a long story")
    expect(page.locator(".bubble-assistant")).to_have_count(1)
    expect(page.locator(".bubble-assistant").last).to_have_text("Here it is again, briefly.")
    expect(page.locator(".bubble-error")).to_have_count(0)


def test_redis_restarted_under_the_running_app(tab: Page, two_backends: TwoBackends, redis: OwnRedis,
                                               slow_model: FakeOpenAI):
    """Redis restarted with nothing saved: every tab's page state is gone, yet the people
    using the app stay signed in and go on where they were, without restarting the app."""
    page = tab
    _go_to(page, two_backends, "a")
    sign_up(page, "Rhea", new_email("rhea"))
    open_chat(page)
    slow_model.script(reply("First answer."), reply("Second answer."))
    say(page, "hello")
    expect(page.locator(".bubble-assistant").last).to_have_text("First answer.")
    conversation = page.url

    redis.stop()
    redis.start()
    # The next thing the tab does meets a blank page state: the page connects again,
    # hands over the token it holds, and shows the same conversation.
    history = page.get_by_role("navigation", name="Conversation history")
    with page.expect_navigation():  # the reload that hands the token over
        history.get_by_role("button", name=re.compile(r"^hello")).click()
    expect(page.locator(".bubble-assistant").last).to_have_text("First answer.", timeout=30_000)
    expect(page).to_have_url(conversation)
    say(page, "and again")
    expect(page.locator(".bubble-assistant").last).to_have_text("Second answer.", timeout=30_000)
    assert page.evaluate("localStorage.getItem('todochat_token')")
    assert slow_model.pending == 0
