"""The native chat's composer, keyboard and look (issue 10, points 6, 7, 8 and 12), clicked
through in Chromium as a person would: example prompts, focus after Enter, typing while a
reply runs, Stop, the phone drawers, timestamp contrast, the offline notice, the 404 page."""

from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, _serve_a_copy, new_email, open_chat, reply_finished, sign_up, task_panel
from todochat.ui.chat_turn import QUEUE_MAX

PHONE = {"width": 390, "height": 844}


def _box(page: Page):
    return page.get_by_role("textbox", name="Message")


@pytest.fixture(scope="module")
def slow_model_app():
    """An instance whose assistant is a real-model client of the fake OpenAI server, so a
    test decides when each reply comes (the offline model answers in a blink)."""
    from tests.fake_openai import FakeOpenAI

    with FakeOpenAI() as fake:
        env = {
            "TODOCHAT_MODEL": "openai:gpt-test",
            "OPENAI_API_KEY": "sk-e2e",
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API": "chat_completions",
        }
        for url in _serve_a_copy(env):
            yield url, fake


def _held_reply(gate: threading.Event, text: str):
    """A model step that answers ``text`` only once the test opens ``gate``."""
    from tests.fake_openai import reply

    def step(_request):
        gate.wait(60)
        return reply(text)

    return step


# -- 6. example prompts


def test_an_example_prompt_fills_the_box_and_adds_nothing(page: Page):
    sign_up(page, "Nia", new_email("nia"))
    open_chat(page)
    page.get_by_role("button", name="add pay rent tomorrow high priority").click()

    # The example is in the box, ready to change; nothing was sent.
    box = _box(page)
    expect(box).to_have_value("add pay rent tomorrow high priority")
    expect(box).to_be_focused()
    expect(page.locator(".bubble")).to_have_count(0)
    # A reload proves it: no conversation, no task.
    page.reload()
    expect(page.get_by_text("No conversations yet.")).to_be_visible()
    expect(task_panel(page).locator(".task-counts")).to_have_text("0 open · 0 done")

    # Changed and sent, it is the person's own message that adds the task.
    page.get_by_role("button", name="add pay rent tomorrow high priority").click()
    expect(box).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" #home")
    page.keyboard.press("Enter")
    expect(page.locator(".bubble-user")).to_have_text("add pay rent tomorrow high priority #home")
    expect(task_panel(page).locator(".task-counts")).to_have_text("1 open · 0 done")


# -- 7. focus, the next message, the box's size


def test_focus_stays_in_the_box_and_a_long_message_shrinks_it_back(page: Page):
    sign_up(page, "Omar", new_email("omar"))
    open_chat(page)
    box = _box(page)
    one_line = box.evaluate("el => el.offsetHeight")

    box.click()
    page.keyboard.type("add water the plants friday")
    page.keyboard.press("Enter")
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    # The next message goes straight in, without clicking the box again.
    page.keyboard.type("add call mom saturday")
    page.keyboard.press("Enter")
    expect(page.locator(".bubble-user")).to_have_text(["add water the plants friday", "add call mom saturday"])
    expect(page.locator(".bubble-widget")).to_have_count(2)
    expect(box).to_be_focused()

    # A long message grows the box; once sent, the box is one line again.
    for line in ["add a packing list for the trip:", "passport", "charger", "tickets", "sunscreen"]:
        page.keyboard.type(line)
        page.keyboard.press("Shift+Enter")
    assert box.evaluate("el => el.offsetHeight") > one_line * 2
    page.keyboard.press("Enter")
    expect(page.locator(".bubble-user")).to_have_count(3)
    expect(box).to_have_value("")
    page.wait_for_function("h => document.getElementById('composer').offsetHeight === h", arg=one_line)
    expect(box).to_be_focused()


def test_the_next_message_waits_its_turn_while_a_reply_runs_and_stop_takes_sends_place(
        browser: Browser, slow_model_app):
    url, fake = slow_model_app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    first, stopped = threading.Event(), threading.Event()
    try:
        sign_up(page, "Ravi", new_email("ravi"))
        open_chat(page)
        box = _box(page)
        send = page.get_by_role("button", name="Send")
        send_place = send.bounding_box()

        fake.script(_held_reply(first, "First answer."), _held_reply(first, "Second answer."))
        box.fill("what can you do?")
        box.press("Enter")
        expect(page.locator(".bubble-user")).to_have_text("what can you do?")
        # For as long as the reply runs, Stop is where Send was, and Send is gone.
        stop = page.get_by_role("button", name="Stop")
        expect(stop).to_be_visible()
        expect(send).to_have_count(0)
        assert stop.bounding_box() == send_place
        # The box keeps focus and takes the next message while the reply runs.
        expect(box).to_be_focused()
        page.keyboard.type("and what is due today?")
        page.keyboard.press("Enter")
        waiting = page.get_by_role("region", name="Waiting to send")
        expect(waiting).to_contain_text("and what is due today?")
        expect(box).to_have_value("")
        expect(box).to_be_focused()
        # A third one, then taken back to change it: it returns to the box, not lost.
        page.keyboard.type("and tomorrow")
        page.keyboard.press("Enter")
        expect(waiting.get_by_role("listitem")).to_have_count(2)
        waiting.get_by_role("button", name="Edit waiting message: and tomorrow").click()
        expect(box).to_have_value("and tomorrow")
        expect(box).to_be_focused()
        expect(waiting.get_by_role("listitem")).to_have_count(1)
        expect(stop).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "chat-composer-waiting.png"))

        # The reply ends; the waiting message goes by itself, in order, and Stop stays.
        first.set()
        expect(page.locator(".bubble-assistant").first).to_contain_text("First answer.")
        expect(page.locator(".bubble-user")).to_have_text(["what can you do?", "and what is due today?"])
        expect(page.locator(".bubble-assistant")).to_have_text(["First answer.", "Second answer."])
        expect(waiting).to_have_count(0)
        expect(page.get_by_role("button", name="Send")).to_be_visible()
        expect(stop).to_have_count(0)
        # What was taken back is still in the box, to send when ready.
        expect(box).to_have_value("and tomorrow")

        # At most QUEUE_MAX wait; one more goes back into the box with a word.
        fake.script(_held_reply(stopped, "Never shown."))
        box.press("Enter")
        expect(page.locator(".bubble-user")).to_have_count(3)
        for n in range(QUEUE_MAX):
            box.press_sequentially(f"waiting {n}")
            box.press("Enter")
            expect(waiting.get_by_role("listitem")).to_have_count(n + 1)
        box.press_sequentially("one too many")
        box.press("Enter")
        expect(page.get_by_text(f"{QUEUE_MAX} messages are already waiting")).to_be_visible()
        expect(box).to_have_value("one too many")
        expect(waiting.get_by_role("listitem")).to_have_count(QUEUE_MAX)

        # Stop ends the reply and sends nothing more: what waited comes back into the box.
        stop.click()
        expect(page.get_by_text("Stopped.")).to_be_visible()
        expect(page.get_by_role("button", name="Send")).to_be_visible()
        expect(page.get_by_text("Never shown.")).to_have_count(0)
        expect(waiting).to_have_count(0)
        expect(box).to_have_value("\n".join([f"waiting {n}" for n in range(QUEUE_MAX)] + ["one too many"]))
        expect(page.locator(".bubble-user")).to_have_count(3)
        assert fake.unexpected == []
    finally:
        first.set()
        stopped.set()
        context.close()


# -- 8. the phone drawers


def _focus_is_inside(page: Page, selector: str) -> bool:
    return page.evaluate("s => document.querySelector(s).contains(document.activeElement)", selector)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_drawers_take_focus_keep_it_and_give_it_back(browser: Browser, app_url: str, scheme: str):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, base_url=app_url, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, "Mei", new_email("mei"))
        open_chat(page)
        _box(page).fill("add pay rent tomorrow")
        _box(page).press("Enter")
        expect(page.locator(".bubble-widget")).to_have_count(1)

        # Conversations, opened by keyboard: focus goes in, Tab and Shift+Tab stay in.
        opener = page.get_by_role("button", name="Conversations")
        opener.focus()
        page.keyboard.press("Enter")
        drawer = page.get_by_role("navigation", name="Conversation history")
        expect(drawer).to_be_visible()
        page.wait_for_function("() => document.querySelector('.chat-threads').contains(document.activeElement)")
        for _ in range(8):
            page.keyboard.press("Tab")
            assert _focus_is_inside(page, ".chat-threads")
        for _ in range(8):
            page.keyboard.press("Shift+Tab")
            assert _focus_is_inside(page, ".chat-threads")
        # The chat behind it is out of reach while it is open.
        assert page.evaluate("document.querySelector('.chat-main').inert") is True
        page.screenshot(path=str(ARTIFACTS / f"chat-phone-threads-drawer-{scheme}.png"))
        # Escape closes it, and focus is back on the button that opened it.
        page.keyboard.press("Escape")
        expect(drawer).to_be_hidden()
        expect(opener).to_be_focused()
        assert page.evaluate("document.querySelector('.chat-main').inert") is False

        # Tasks, opened by a tap: the same, and Escape inside it closes it too.
        tasks_button = page.get_by_role("button", name="Tasks", exact=True)
        tasks_button.click()
        expect(task_panel(page)).to_be_visible()
        page.wait_for_function("() => document.querySelector('.chat-tasks').contains(document.activeElement)")
        for _ in range(12):
            page.keyboard.press("Tab")
            assert _focus_is_inside(page, ".chat-tasks")
        page.screenshot(path=str(ARTIFACTS / f"chat-phone-tasks-drawer-{scheme}.png"))
        page.keyboard.press("Escape")
        expect(task_panel(page)).to_be_hidden()
        expect(tasks_button).to_be_focused()

        # A tap beside an open drawer closes it as well.
        tasks_button.click()
        expect(task_panel(page)).to_be_visible()
        page.mouse.click(195, 25)
        expect(task_panel(page)).to_be_hidden()
        # Starting a new conversation from the drawer closes it and leaves focus in the box.
        opener.click()
        drawer.get_by_role("button", name="New conversation").click()
        expect(drawer).to_be_hidden()
        expect(_box(page)).to_be_focused()
        page.keyboard.type("hello")
        expect(_box(page)).to_have_value("hello")
    finally:
        context.close()


def test_escape_in_the_rename_field_cancels_the_rename_not_the_drawer(browser: Browser, app_url: str):
    context = browser.new_context(viewport=PHONE, base_url=app_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, "Ivo", new_email("ivo"))
        open_chat(page)
        _box(page).fill("add buy milk")
        _box(page).press("Enter")
        expect(page.locator(".bubble-widget")).to_have_count(1)
        page.get_by_role("button", name="Conversations").click()
        drawer = page.get_by_role("navigation", name="Conversation history")
        drawer.get_by_role("button", name="Rename add buy milk").click()
        expect(drawer.get_by_role("textbox", name="Conversation name")).to_be_focused()
        page.keyboard.press("Escape")
        expect(drawer.get_by_role("textbox", name="Conversation name")).to_have_count(0)
        expect(drawer).to_be_visible()
        page.keyboard.press("Escape")
        expect(drawer).to_be_hidden()
    finally:
        context.close()


# -- 12. contrast, the offline notice, the 404 page

CONTRAST_JS = """el => {
  // The text's colour against what is really behind it: translucent backgrounds are
  // composited up from the first opaque one (canvas turns any CSS colour into sRGB).
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const bg = rgba(getComputedStyle(node).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] === 1) break;
  }
  let back = [255, 255, 255, 1];
  if (!layers.length || layers[layers.length - 1][3] < 1) {
    back = document.documentElement.classList.contains("dark") ? [0, 0, 0, 1] : back;
  }
  for (const layer of layers.reverse()) back = over(layer, back);
  const text = over(rgba(getComputedStyle(el).color), back);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(text), lum(back)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_conversation_timestamps_are_readable(browser: Browser, app_url: str, scheme: str):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=app_url, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, "Lena", new_email("lena"))
        open_chat(page)
        expect(page.locator("html")).to_have_class(re.compile(scheme))
        # Two conversations: one is the current (tinted) row, one is not.
        for text in ["add buy stamps", "add book a table"]:
            page.get_by_role("button", name="New conversation").first.click()
            _box(page).fill(text)
            _box(page).press("Enter")
            expect(page.locator(".bubble-widget")).to_have_count(1)
            reply_finished(page)  # the conversation list is read again as a reply ends
        stamps = page.locator(".thread-when")
        expect(stamps).to_have_count(2)
        for i in range(2):
            expect(stamps.nth(i)).to_have_text(re.compile(r"\d\d:\d\d"))
            ratio = stamps.nth(i).evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"timestamp {i} has contrast {ratio:.2f}:1 in {scheme} mode"
        # The titles beside them too.
        assert page.locator(".thread-title").first.evaluate(CONTRAST_JS) >= 4.5
        page.screenshot(path=str(ARTIFACTS / f"chat-desktop-{scheme}.png"))
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(ARTIFACTS / f"chat-phone-{scheme}.png"))
    finally:
        context.close()


# The page's live connection (the websocket to /_event) can be cut from the test: while
# ``window.todochatTestOffline`` is set, new connections go to a port nothing listens on and
# fail in the browser as they would with the server or the network gone. (Chromium's
# offline mode neither closes an open websocket nor lets a close finish, so it cannot be
# used to cut one that is open.)
CUTTABLE_WEBSOCKET = """(() => {
  const Native = window.WebSocket;
  const open = [];
  window.todochatTestOffline = false;
  window.todochatTestCut = () => { window.todochatTestOffline = true; open.forEach((s) => s.close()); };
  window.WebSocket = class extends Native {
    constructor(url, ...rest) {
      const cut = window.todochatTestOffline && String(url).includes("/_event");
      super(cut ? "ws://127.0.0.1:9/_event/" : url, ...rest);
      open.push(this);
    }
  };
})()"""


def test_the_offline_notice_says_it_plainly_and_says_when_the_app_is_back(page: Page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.add_init_script(CUTTABLE_WEBSOCKET)
    sign_up(page, "Tomas", new_email("tomas"))
    open_chat(page)
    notice = page.locator(".connection-notice")
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_have_text("")

    page.evaluate("window.todochatTestCut()")
    expect(notice).to_have_text("Can't reach todochat — retrying…")
    # No websocket address or raw error is put in front of the person.
    expect(page.locator("body")).not_to_contain_text("ws://")
    expect(page.locator("body")).not_to_contain_text("Cannot connect")
    page.screenshot(path=str(ARTIFACTS / "offline-notice.png"))

    page.evaluate("window.todochatTestOffline = false")
    expect(notice).to_have_text("Back online")
    page.screenshot(path=str(ARTIFACTS / "offline-notice-back.png"))
    # And the app works again.
    _box(page).fill("add renew library card")
    _box(page).press("Enter")
    expect(page.locator(".bubble-widget")).to_have_count(1)
    # The notice goes away by itself once it has been said.
    expect(notice).to_have_text("", timeout=15_000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_unknown_address_shows_a_page_with_a_way_home(browser: Browser, app_url: str, scheme: str):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=app_url, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, "Yara", new_email("yara"))
        page.goto("/no-such-page")
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page).to_have_title(re.compile("Page not found"))
        page.screenshot(path=str(ARTIFACTS / f"not-found-{scheme}.png"))
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(ARTIFACTS / f"not-found-phone-{scheme}.png"))
        page.get_by_role("link", name="Back to todochat").click()
        # Home sends a signed-in person on to their tasks.
        page.wait_for_url("**/tasks")
        expect(page.get_by_text("No tasks yet. Add your first one above.")).to_be_visible()
    finally:
        context.close()
