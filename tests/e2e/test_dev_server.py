"""`make dev` (issue 12, "The Reflex dev server"): Reflex's dev server, used as a person
working on todochat uses it, restarts only when the source changes.

It used to watch the whole project directory, the SQLite -wal/-shm files among them, so
every write restarted the backend ("Killing worker-1 after it refused to gracefully stop"),
a chat reply never arrived, and a reload showed an empty conversation.

A reply cut off by a restart (a source change in the middle of it, with a slow model)
stays in the conversation: the address already names it, and the page is not left
waiting for a reply no process is writing.

The dev server runs the command `make -n dev` prints, in a copy of the project (its UI
build must not touch the one the other browser tests' instance serves), with
LOGLEVEL=debug so that each backend start ("Spawning worker-1") and each restart
("Changes detected" and the file) is in its log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
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
    reflex_env,
    say,
    sign_up,
    stop_process_group,
)
from tests.fake_openai import FakeOpenAI, reply

START_TIMEOUT = 400  # the first start builds the UI
RESTART_TIMEOUT = 120
SOURCE = Path("todochat") / "formatting.py"  # any module of the app
# A process that opens the database as the app does (WAL) and dies without closing it:
# SQLite leaves the -wal and -shm files.
STALE_WAL = """
import os, sqlite3
db = sqlite3.connect("todochat.db")
db.execute("pragma journal_mode=wal").fetchone()
db.execute("select count(*) from user").fetchone()
os._exit(0)
"""


class DevServer:
    def __init__(self, root: Path, log: Path, url: str, backend: str):
        self.root, self.log, self.url, self.backend = root, log, url, backend

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def starts(self) -> int:
        """How many times a backend worker has started."""
        return self.text().count("Spawning worker")

    def restarts(self) -> list[str]:
        """The files granian restarted the backend for."""
        return [line for line in self.text().splitlines() if "Modified:" in line or "Added:" in line
                or "Deleted:" in line or "Changes detected" in line]

    def tail(self) -> str:
        return self.text()[-4000:]


def _ready(server: DevServer) -> bool:
    try:
        return httpx.get(f"{server.backend}/health", timeout=2).status_code == 200 and \
            httpx.get(f"{server.url}/sign-in", timeout=10).status_code == 200
    except httpx.HTTPError:
        return False


def _serve_dev(extra_env: dict[str, str]):
    copy = copy_project("todochat-dev-")
    base = copy.parent
    port = _free_port()
    backend_port = next(p for p in iter(_free_port, None) if p != port)
    url = f"http://localhost:{port}"
    env = {
        **reflex_env(),
        "TODOCHAT_SECRET": "e2e-secret-of-16+chars",
        "SIGN_IN_ATTEMPTS_PER_ADDRESS": "100000",
    }
    # What the copy's rxconfig.py decides, not whatever this process was given.
    for name in ("DATABASE_URL", "CORS_ORIGINS", "CHATKIT_DOMAIN_KEY", "APP_URL", "TODOCHAT_MODEL", "REDIS_URL",
                 "REFLEX_HOT_RELOAD_OVERRIDE_PATHS", "REFLEX_HOT_RELOAD_INCLUDE_PATHS",
                 "REFLEX_HOT_RELOAD_EXCLUDE_PATHS", "MAKEFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    env.update(extra_env)
    printed = subprocess.run(
        ["make", "-s", "-n", "dev", f"PORT={port}", f"BACKEND_PORT={backend_port}", "LOGLEVEL=debug"],
        cwd=copy, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()
    command = printed[-1]
    assert "reflex run --env dev" in command and f"--backend-port {backend_port}" in command, printed
    subprocess.run([sys.executable, "-m", "todochat.migrate"], cwd=copy, env=env, check=True)
    # The database is todochat.db in the project, as with `make dev`, and its -wal and -shm
    # files are there when the server starts, as after a session that was killed (or while
    # the CLI or `make run` has it open): Reflex used to watch them.
    subprocess.run([sys.executable, "-c", STALE_WAL], cwd=copy, env=env, check=True)
    assert (copy / "todochat.db-wal").exists()
    log_path = base / "dev.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(["bash", "-c", command], cwd=copy, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    server = DevServer(copy, log_path, url, f"http://localhost:{backend_port}")
    try:
        deadline = time.time() + START_TIMEOUT
        while not _ready(server):
            if proc.poll() is not None:
                pytest.fail(f"the dev server exited early:\n{server.tail()}")
            if time.time() > deadline:
                pytest.fail(f"the dev server did not start in {START_TIMEOUT} s:\n{server.tail()}")
            time.sleep(1)
        yield server
    finally:
        stop_process_group(proc)
        log.close()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def dev_server():
    """The dev server with the offline model, as `make dev` runs it."""
    yield from _serve_dev({})


@pytest.fixture(scope="module")
def slow_dev_server(slow_model: FakeOpenAI):
    yield from _serve_dev({"TODOCHAT_MODEL": "openai:gpt-test", "OPENAI_API_KEY": "sk-e2e",
                           "OPENAI_BASE_URL": slow_model.base_url, "OPENAI_API": "chat_completions"})


@pytest.fixture
def dev_page(browser: Browser, dev_server: DevServer, request):
    yield from _page_on(browser, dev_server, request)


@pytest.fixture
def slow_dev_page(browser: Browser, slow_dev_server: DevServer, request):
    yield from _page_on(browser, slow_dev_server, request)


def _page_on(browser: Browser, server: DevServer, request):
    # Vite builds each page the first time it is asked for: slower than the prod build.
    yield from page_for(browser, server.url, request, timeout_ms=60_000)


def _wait_until_on_disk(server: DevServer, text: str) -> None:
    """Until the dev server's page states on disk (.states/) hold ``text``."""
    def on_disk() -> bool:
        for path in (server.root / ".states").rglob("*"):
            try:
                if text.encode() in path.read_bytes():
                    return True
            except (IsADirectoryError, FileNotFoundError):  # a directory, or a file replaced meanwhile
                pass
        return False

    deadline = time.time() + 60
    while not on_disk():
        if time.time() > deadline:
            pytest.fail(f"{text!r} was not in the page state on disk after 60 s")
        time.sleep(0.2)


def _restart(server: DevServer) -> None:
    """Change a source file, as a person working on the app does, and wait for the new backend."""
    starts = server.starts()
    os.utime(server.root / SOURCE)
    deadline = time.time() + RESTART_TIMEOUT
    while server.starts() == starts or not _ready(server):
        if time.time() > deadline:
            pytest.fail(f"no restart {RESTART_TIMEOUT} s after {SOURCE} changed:\n{server.tail()}")
        time.sleep(1)
    assert any(str(SOURCE) in line for line in server.restarts()), server.tail()
    assert server.starts() == starts + 1, server.tail()


def _turn(page: Page, text: str) -> list[str]:
    """Send a message and wait for the whole reply; returns the reply's bubbles and cards."""
    replies = page.locator(".bubble-assistant, .bubble-widget")
    before = replies.count()
    say(page, text)
    # The server shows the message once the turn has begun; Send comes back when it ends.
    expect(page.locator(".bubble-user").last).to_have_text(text)
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.get_by_text("Thinking…")).to_have_count(0)
    return replies.all_inner_texts()[before:]


def _conversation_shown(page: Page) -> None:
    expect(page.locator(".bubble-user").first).to_have_text("add pay rent tomorrow")
    expect(cards(page).first).to_contain_text("pay rent")
    expect(page.locator(".bubble-assistant").first).to_contain_text("Added #")


def test_chat_in_dev_mode_without_restarts_then_a_source_change_restarts(dev_page: Page, dev_server: DevServer):
    page = dev_page
    assert dev_server.starts() == 1, dev_server.tail()
    watched = next((line for line in dev_server.text().splitlines() if "Reload paths" in line), "")
    assert "(override)" in watched, dev_server.tail()

    sign_up(page, "Dev", new_email("dev"))
    open_chat(page)
    _turn(page, "add pay rent tomorrow")
    _conversation_shown(page)
    expect(page).to_have_url(re.compile(r"/chat\?thread=thr_"))

    page.reload()
    _conversation_shown(page)
    reply = _turn(page, "show my tasks")
    assert any("pay rent" in r for r in reply), reply

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dev-server-chat.png"), full_page=True)
    # Sign-up, two turns and a reload wrote the database many times: nothing restarted.
    assert dev_server.restarts() == [], dev_server.tail()
    assert dev_server.starts() == 1, dev_server.tail()
    assert "refused to gracefully stop" not in dev_server.text()

    # Editing the source does restart the backend, and the conversation is still there.
    _restart(dev_server)
    page.reload()
    _conversation_shown(page)
    reply = _turn(page, "add water plants friday")
    assert any("water plants" in r for r in reply), reply
    assert dev_server.starts() == 2, dev_server.tail()


def test_a_reply_cut_off_by_a_restart_is_in_the_conversation_after_a_reload(
        slow_dev_page: Page, slow_dev_server: DevServer, slow_model: FakeOpenAI):
    page = slow_dev_page
    story = "Once upon a time a task was written down and never forgotten. " * 4
    slow_model.script(reply(story, chunk=4, delay=0.3), reply("Here it is again, briefly."))
    sign_up(page, "Dev", new_email("dev"))
    open_chat(page)
    say(page, "tell me a long story")
    expect(page.get_by_text("Once upon a time").first).to_be_visible()
    # The new conversation is in the address while its first reply is still being written.
    expect(page).to_have_url(re.compile(r"/chat\?thread=thr_"))
    # Dev mode writes page state to disk at most 2 s after it changes (Reflex's debounce):
    # what was written by then outlives a restart.
    _wait_until_on_disk(slow_dev_server, "Once upon a time")

    _restart(slow_dev_server)  # in the middle of the reply
    # The page reconnects to the new backend, which says what happened to the reply.
    expect(page.get_by_text("The server stopped before the reply was finished.")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="Send")).to_be_visible()  # not waiting for a lost reply
    page.reload()
    expect(page.locator(".bubble-user").first).to_have_text("tell me a long story", timeout=60_000)
    expect(page.get_by_text("Once upon a time").first).to_be_visible()  # as far as it was written
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    assert any("Here it is again" in r for r in _turn(page, "again, briefly")), slow_model.requests
