"""Browser tests: the real app (``reflex run --env prod``) driven by headless Chromium.

The app runs once per session on a free port with its own SQLite file and secret.
Chromium comes from Debian (/usr/bin/chromium); Playwright never downloads a browser.
"""

from __future__ import annotations

import os
import signal
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.throwaway_services import free_port as _free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def reflex_env() -> dict[str, str]:
    """This process's environment, plus what makes Reflex work offline (as the Makefile
    sets it): bun from tools/, no telemetry, no version checks, npm's registry only."""
    return {
        **os.environ,
        "PATH": f"{ROOT}/tools/node_modules/.bin:{os.environ['PATH']}",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "NPM_CONFIG_REGISTRY": "https://registry.npmjs.org",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _not_copied(directory: str, names: list[str]) -> set[str]:
    # Not .web: another process may be building it, and the copy sets up its own faster
    # (from bun's cache) than 200 MB of node_modules are copied. tools/ (bun) is linked.
    skip = {".git", ".venv", ".web", ".states", "test-artifacts", "instance", "__pycache__", ".pytest_cache"}
    if Path(directory) == ROOT:
        skip.add("tools")
    return {n for n in names if n in skip or n.endswith((".db", ".db-wal", ".db-shm", ".db-journal"))}


def copy_project(prefix: str) -> Path:
    """A copy of the project to build and run an app in, so its UI build never touches
    another instance's; remove its parent directory afterwards."""
    copy = Path(tempfile.mkdtemp(prefix=prefix)) / "app"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=_not_copied)
    os.symlink(ROOT / ".venv", copy / ".venv")
    os.symlink(ROOT / "tools", copy / "tools")
    return copy


def _serve(root: Path, extra_env: dict[str, str]):
    """Start todochat from ``root`` as a user would run it, on a fresh SQLite database."""
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="todochat-e2e-"))
    url = f"http://localhost:{port}"
    env = {
        **reflex_env(),
        "DATABASE_URL": f"sqlite:///{workdir}/e2e.db",
        "TODOCHAT_SECRET": "e2e-secret-of-16+chars",
        # Every browser test signs up from 127.0.0.1: one address, many people, like an office.
        "SIGN_IN_ATTEMPTS_PER_ADDRESS": "100000",
        "APP_URL": url,
        **extra_env,
    }
    env.pop("CORS_ORIGINS", None)
    if "CHATKIT_DOMAIN_KEY" not in extra_env:
        env.pop("CHATKIT_DOMAIN_KEY", None)
    subprocess.run([sys.executable, "-m", "todochat.migrate"], cwd=root, env=env, check=True)
    log = open(workdir / "app.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
         "--frontend-port", str(port), "--backend-port", str(port)],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.time() + 400
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{(workdir / 'app.log').read_text()[-4000:]}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200 and \
                        httpx.get(f"{url}/sign-in", timeout=5, follow_redirects=True).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            raise RuntimeError(f"the app did not start:\n{(workdir / 'app.log').read_text()[-4000:]}")
        yield url
    finally:
        stop_process_group(proc)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def stop_process_group(proc: subprocess.Popen, seconds: float = 20) -> None:
    """Stop a server started with ``start_new_session`` and everything it started (Reflex
    runs bun and workers, make serve nginx and granian): politely, then, after ``seconds``,
    whatever is left of its group for good."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


@pytest.fixture(scope="session")
def app_url():
    """The app as `make run` serves it: no ChatKit domain key, so the native chat.

    `make test` runs these tests in two processes (pytest-xdist, a test file to a
    process: tests that start an app of another kind are kept in one file, so each kind
    is built once); each process has its own app, and only the first builds in the
    project itself.
    """
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0":
        yield from _serve(ROOT, {})
    else:
        yield from _serve_a_copy({})


def _serve_a_copy(extra_env: dict[str, str]):
    """Another instance, built in a copy of the project."""
    copy = copy_project("todochat-copy-")
    try:
        yield from _serve(copy, extra_env)
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def embed_app_url():
    """A second instance with CHATKIT_DOMAIN_KEY set."""
    yield from _serve_a_copy({"CHATKIT_DOMAIN_KEY": "domain_pk_e2e_test"})


@pytest.fixture(scope="session", params=["chat_completions", "responses"])
def real_model_app(request):
    """An instance whose assistant is ``openai:gpt-test`` on a fake OpenAI-compatible server
    (tests/fake_openai.py) speaking one API; yields (app url, the fake)."""
    from tests.fake_openai import FakeOpenAI

    with FakeOpenAI() as fake:
        env = {
            "TODOCHAT_MODEL": "openai:gpt-test",
            "OPENAI_API_KEY": "sk-e2e",
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API": request.param,
        }
        for url in _serve_a_copy(env):
            yield url, fake


@pytest.fixture(scope="module")
def slow_model():
    """A model server the test scripts to take its time (tests/fake_openai.py), for a
    module's app of its own: streaming can be seen, a restart can cut a reply off."""
    from tests.fake_openai import FakeOpenAI

    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        # `make test` installs it first (tools/ensure-chromium.sh); pytest run alone says so.
        pytest.exit(f"Chromium is missing at {CHROMIUM}: run `make browser` (or "
                    "`sudo apt-get install chromium`, or set CHROMIUM_PATH) and retry", returncode=1)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_for(browser: Browser, url: str, request, *, timeout_ms: int = 15_000):
    """A fresh browser context on ``url`` (a fixture's body); a failed test leaves a
    screenshot in test-artifacts/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=url)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser: Browser, app_url: str, request):
    yield from page_for(browser, app_url, request)


@pytest.fixture
def embed_page(browser: Browser, embed_app_url: str, request):
    yield from page_for(browser, embed_app_url, request)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_up(page: Page, name: str, email: str, password: str = "correct horse 1") -> None:
    page.goto("/sign-up")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/tasks")
    # The URL changes before the page's on_load has run; a new account's empty list is the
    # sign that it has, so the test acts on a loaded page, as a person would.
    expect(page.get_by_text("No tasks yet. Add your first one above.")).to_be_visible()


# Helpers the browser tests share: what a person does and looks at on the pages.


def new_email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


def open_chat(page: Page) -> None:
    page.get_by_role("link", name="Chat").click()
    page.wait_for_url("**/chat")
    expect(page.get_by_role("textbox", name="Message")).to_be_editable()


def say(page: Page, text: str) -> None:
    """Type a message and send it (not waiting for the reply)."""
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_enabled()
    box.fill(text)
    box.press("Enter")


def reply_finished(page: Page) -> None:
    """Wait for the reply to end: Send is back in Stop's place. (The box stays editable
    while a reply runs, since a message typed meanwhile waits its turn.)"""
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()


def cards(page: Page):
    return page.locator(".bubble-widget")


def task_panel(page: Page):
    return page.get_by_role("complementary", name="Your tasks")
