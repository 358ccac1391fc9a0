"""Issue 10's look at the app: the chat, the tasks page, the editor and a card, at 1280 and
390 px, light and dark, written to test-artifacts/ (named <screen>-<width>-<scheme>.png) for
a person to look at. Each shot waits for what it shows, so a blank or half-loaded screen
fails here instead of being saved."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, cards, open_chat, say, sign_up

SIZES = {1280: 900, 390: 844}


def _shot(page: Page, name: str, width: int, scheme: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}-{scheme}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a real screen, not an empty page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(SIZES))
def test_screens_for_review(browser: Browser, app_url: str, width: int, scheme: str):
    context = browser.new_context(viewport={"width": width, "height": SIZES[width]}, base_url=app_url,
                                  color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, "Robin", f"shots-{uuid.uuid4().hex[:8]}@example.com")
        # The app follows the system's scheme: Radix marks the root "dark" or "light".
        expect(page.locator("html")).to_have_class(re.compile(rf"\b{scheme}\b"))

        box = page.get_by_label("New task title")
        for text in ("water plants tomorrow #home !high", "pay rent friday", "call mom"):
            box.fill(text)
            box.press("Enter")
            expect(page.get_by_role("list", name="Tasks").get_by_text(text.split(" ")[0], exact=False).first).to_be_visible()
        expect(page.get_by_role("list", name="Tasks").get_by_role("listitem")).to_have_count(3)
        _shot(page, "tasks", width, scheme)

        page.get_by_role("button", name="Edit water plants").click()
        expect(page.get_by_role("form", name="Edit task")).to_be_visible()
        _shot(page, "editor", width, scheme)

        # Through the header's link, as a person goes (a fresh page load could take the
        # typing before the page is connected, and the message would go nowhere).
        open_chat(page)
        say(page, "add renew passport next monday #admin")
        expect(page.locator(".bubble-user").last).to_have_text("add renew passport next monday #admin")
        card = cards(page).last
        expect(card.get_by_text("renew passport", exact=True)).to_be_visible()
        _shot(page, "chat", width, scheme)
        card.screenshot(path=str(ARTIFACTS / f"card-{width}-{scheme}.png"))
    finally:
        context.close()
