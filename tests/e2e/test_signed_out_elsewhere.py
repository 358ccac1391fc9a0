"""Issue 9, finding 5 in the browser: a tab whose session was ended elsewhere ("sign out
everywhere") stops acting at once: its next change is refused, with a message."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import Page, expect

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
