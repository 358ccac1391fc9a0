"""Issue 9, finding 5 in the browser: a tab whose session was ended elsewhere ("sign out
everywhere") stops acting at once: its next change is refused, with a message. And the "Sign out
everywhere" menu item that does it."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import sign_up

PASSWORD = "correct horse 1"


def test_a_tab_signed_out_elsewhere_changes_nothing(page: Page, app_url: str):
    email = f"gone-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, "Gone", email, PASSWORD)
    token = page.evaluate("localStorage.getItem('todochat_token')")
    ended = httpx.post(f"{app_url}/api/auth/revoke-sessions", headers={"Authorization": f"Bearer {token}"})
    assert ended.status_code == 200

    form = page.get_by_role("form", name="Add a task")
    form.get_by_label("New task title").fill("written after sign-out")
    form.get_by_role("button", name="Add task").click()
    expect(page.get_by_text("You were signed out. Sign in again to keep going.")).to_be_visible()

    fresh = httpx.post(f"{app_url}/api/auth/sign-in/email", json={"email": email, "password": PASSWORD}).json()
    tasks = httpx.get(f"{app_url}/api/tasks?status=all", headers={"Authorization": f"Bearer {fresh['token']}"})
    assert tasks.json()["items"] == []


def test_sign_out_everywhere_ends_every_other_session(page: Page, browser: Browser, app_url: str):
    email = f"everywhere-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, "Everywhere", email, PASSWORD)
    # The same person signed in on a second computer, and through the API (the CLI's way).
    other = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=app_url)
    try:
        laptop = other.new_page()
        laptop.goto("/sign-in")
        laptop.get_by_label("Email").fill(email)
        laptop.get_by_label("Password").fill(PASSWORD)
        laptop.get_by_role("button", name="Sign in").click()
        expect(laptop.get_by_text("No tasks yet. Add your first one above.")).to_be_visible()
        api_token = httpx.post(
            f"{app_url}/api/auth/sign-in/email", json={"email": email, "password": PASSWORD}
        ).json()["token"]

        page.get_by_role("button", name="More account options").click()
        page.get_by_role("menuitem", name="Sign out everywhere").click()
        page.wait_for_url("**/sign-in")
        expect(page.get_by_role("status").filter(has_text="You are signed out on every device.")).to_be_visible()
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "sign-out-everywhere.png"))

        listed = httpx.get(f"{app_url}/api/tasks", headers={"Authorization": f"Bearer {api_token}"})
        assert listed.status_code == 401
        form = laptop.get_by_role("form", name="Add a task")
        form.get_by_label("New task title").fill("typed on the laptop afterwards")
        form.get_by_role("button", name="Add task").click()
        expect(laptop.get_by_text("You were signed out. Sign in again to keep going.")).to_be_visible()
    finally:
        other.close()

    # Signing in again works, and nothing was written by the ended sessions.
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("No tasks yet. Add your first one above.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="signed out on every device")).to_have_count(0)
