"""The browser chat holds a ten-turn conversation with a real-model API (Chat Completions and
Responses), served by the fake OpenAI-compatible server, including "it" from the history."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, page_for, sign_up
from tests.fake_openai import reply
from tests.ten_turns import REPLIES, TURNS


@pytest.fixture
def model_page(browser: Browser, real_model_app, request):
    yield from page_for(browser, real_model_app[0], request)


def test_ten_turns_in_the_browser(model_page: Page, real_model_app, request):
    page, (_, fake) = model_page, real_model_app
    api = request.node.callspec.params["real_model_app"]
    sign_up(page, "Rosa", f"rosa-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_role("link", name="Chat").click()
    page.wait_for_url("**/chat")
    box = page.get_by_role("textbox", name="Message")
    for turn, ((text, steps), expected_reply) in enumerate(zip(TURNS, REPLIES), start=1):
        if turn == 1:
            # The model thinks a moment after its tool ran: the tool's progress stays in view.
            tool, answer = steps
            steps = [tool, lambda request: time.sleep(2) or answer]
        fake.script(*steps)
        expect(box).to_be_enabled()
        box.fill(text)
        box.press("Enter")
        if turn == 1:
            expect(page.locator(".chat-progress")).to_contain_text("Adding a task…")
        expect(page.locator(".bubble-assistant")).to_have_count(turn)
        expect(page.locator(".bubble-assistant").last).to_contain_text(expected_reply)
    assert fake.pending == 0 and fake.unexpected == []

    # The task list beside the chat shows where the ten turns left things.
    panel = page.get_by_role("complementary", name="Your tasks")
    expect(panel.locator(".task-counts")).to_have_text("1 open · 0 done")
    expect(panel.get_by_role("button", name="Edit pay rent")).to_be_visible()
    expect(panel.get_by_text("call mom")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"real-model-{api}.png"), full_page=True)

    # A model that writes a Markdown image (issue 9, finding 15): the chat shows a
    # placeholder and the browser never fetches the picture.
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "pixel.png" in request.url else None)
    fake.script(reply("Here it is: ![tracker](http://127.0.0.1:9/pixel.png)"))
    box.fill("show me a picture")
    box.press("Enter")
    picture = page.locator(".bubble-assistant").last
    expect(picture.locator(".md-image-blocked")).to_have_text("[image not shown]")
    expect(page.locator(".chat-log img")).to_have_count(0)
    assert fetched == []

    # A reload brings back every reply, each under its own id.
    page.reload()
    expect(page.locator(".bubble-assistant")).to_have_count(len(TURNS) + 1)
    expect(page.locator(".bubble-error")).to_have_count(0)


@pytest.mark.parametrize("real_model_app", ["chat_completions"], indirect=True)
def test_a_reload_mid_reply_reattaches_to_it(model_page: Page, real_model_app):
    """Issue 13, "a reply survives its client": the reply runs on in the server while the
    tab reloads, and the reloaded page shows it streaming on from where it is."""
    page, (_, fake) = model_page, real_model_app
    story = "Once upon a time a task was written down. " * 3 + "And it was done, the end."
    fake.script(reply(story, chunk=6, delay=0.25))
    sign_up(page, "Rosa", f"rosa-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_role("link", name="Chat").click()
    page.wait_for_url("**/chat")
    box = page.get_by_role("textbox", name="Message")
    box.fill("tell me a story")
    box.press("Enter")
    expect(page.get_by_text("Once upon a time").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/chat\?thread=thr_"))

    page.reload()
    # Still being written after the reload: Stop is offered, then the end arrives.
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    expect(page.locator(".bubble-assistant").last).to_contain_text("And it was done, the end.", timeout=30_000)
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    page.reload()
    expect(page.locator(".bubble-assistant")).to_have_count(1)
    expect(page.locator(".bubble-assistant").last).to_contain_text("And it was done, the end.")
    assert fake.pending == 0
