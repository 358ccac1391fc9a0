"""Issue 9, finding 4 in the browser: after too many wrong passwords the sign-in page says
why it refuses and when to come back, and a locked account stays locked to the right
password too."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, sign_up
from todochat.limits import ACCOUNT_FAILURES


def test_too_many_wrong_passwords_are_refused_with_a_clear_message(page: Page):
    email = f"lock-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, "Lock", email)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    page.get_by_label("Email").fill(email)
    alert = page.get_by_role("alert")
    for attempt in range(ACCOUNT_FAILURES):
        page.get_by_label("Password").fill(f"wrong password {attempt}")
        page.get_by_role("button", name="Sign in").click()
        expect(alert).to_contain_text("Invalid email or password")
        expect(page.get_by_role("button", name="Sign in")).to_be_enabled()
    page.get_by_label("Password").fill("correct horse 1")
    page.get_by_role("button", name="Sign in").click()
    expect(alert).to_contain_text("Too many wrong passwords for this account. Try again in 15 minutes.")
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sign-in-throttled.png"))
