"""Issue 9, finding 15: titles echoed in the assistant's markdown could embed external
images (``![x](http://…)``) that every reader's browser loaded. Images are never loaded:
the offline model's replies quote titles inert, and the chat never renders a Markdown image
(tests/e2e/test_real_model_chat.py has a model write one)."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_up

TRACKER = "http://127.0.0.1:9/pixel.png"


def test_an_image_in_a_task_title_is_not_loaded(page: Page):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "pixel.png" in request.url else None)
    sign_up(page, "Pix", f"pix-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_role("link", name="Chat").click()
    page.wait_for_url("**/chat")
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_enabled()
    box.fill(f"add look at ![tracker]({TRACKER}) friday")
    box.press("Enter")
    reply = page.locator(".bubble-assistant").last
    expect(reply).to_contain_text("look at")
    # The offline model quotes the title inert: the image syntax shows as the words typed.
    expect(reply).to_contain_text("![tracker](")
    expect(page.locator(".chat-log img")).to_have_count(0)
    page.wait_for_timeout(300)
    assert fetched == []
