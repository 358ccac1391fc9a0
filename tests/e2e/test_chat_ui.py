"""The assistant in the browser: the native Reflex ChatKit client, clicked through in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, cards, new_email, open_chat, say, sign_up, task_panel


def test_add_a_task_by_chat_then_complete_it_from_the_card(page: Page):
    sign_up(page, "Ada", new_email("ada"))
    open_chat(page)
    # No domain key: the native chat at once, with its start screen and no fallback notice.
    expect(page.get_by_role("button", name="add pay rent tomorrow high priority")).to_be_visible()
    expect(page.locator(".chatkit-fallback")).to_have_count(0)

    say(page, "add pay rent tomorrow high priority")
    expect(page.locator(".bubble-user")).to_have_text("add pay rent tomorrow high priority")
    card = cards(page).last
    expect(card.get_by_text("pay rent", exact=True)).to_be_visible()
    expect(card.get_by_text("High", exact=True)).to_be_visible()
    expect(card.get_by_text("Due Tomorrow")).to_be_visible()
    expect(page.locator(".bubble-assistant").last).to_contain_text("Added")
    # The composer was emptied and is ready for the next message.
    expect(page.get_by_role("textbox", name="Message")).to_have_value("")
    # The task list beside the chat shows it, without a reload.
    panel = task_panel(page)
    expect(panel.get_by_role("button", name="Edit pay rent")).to_be_visible()
    expect(panel.locator(".task-counts")).to_have_text("1 open · 0 done")
    # Screen readers hear the reply.
    expect(page.locator("[aria-live=polite].sr-only")).to_contain_text("pay rent")

    # The card's checkbox completes it: the card changes in place, the list follows.
    card.get_by_role("checkbox", name="Complete pay rent").click()
    expect(card.get_by_role("checkbox", name="Reopen pay rent")).to_be_checked()
    expect(card.get_by_text("pay rent", exact=True)).to_have_css("text-decoration-line", "line-through")
    expect(cards(page)).to_have_count(1)
    expect(panel.locator(".task-counts")).to_have_text("0 open · 1 done")
    page.get_by_role("link", name="Tasks").first.click()
    page.get_by_role("radio", name="Done").click()
    expect(page.get_by_role("checkbox", name="Reopen pay rent")).to_be_checked()


def test_conversations_survive_a_reload_and_can_be_renamed_and_deleted(page: Page):
    sign_up(page, "Grace", new_email("grace"))
    open_chat(page)
    say(page, "add water the plants friday")
    card = cards(page).last
    expect(card.get_by_text("water the plants", exact=True)).to_be_visible()
    card.get_by_role("checkbox", name="Complete water the plants").click()
    expect(card.get_by_role("checkbox", name="Reopen water the plants")).to_be_checked()
    expect(page).to_have_url(re.compile(r"/chat/?\?thread=\w+"))

    page.reload()
    threads = page.get_by_role("list", name="Conversations")
    expect(threads.get_by_role("button", name=re.compile("^add water the plants friday"))).to_be_visible()
    expect(page.locator(".bubble-user")).to_have_text("add water the plants friday")
    card = cards(page).last
    # The card comes back as it was last left: done, struck through, its box ticked.
    expect(card.get_by_role("checkbox", name="Reopen water the plants")).to_be_checked()
    expect(card.get_by_text("water the plants", exact=True)).to_have_css("text-decoration-line", "line-through")

    # Rename.
    page.get_by_role("button", name="Rename add water the plants friday").click()
    name = page.get_by_role("textbox", name="Conversation name")
    name.fill("Garden")
    name.press("Enter")
    expect(threads.get_by_role("button", name=re.compile("^Garden"))).to_be_visible()
    expect(page.get_by_role("heading", name="Garden")).to_be_visible()
    page.reload()
    expect(threads.get_by_role("button", name=re.compile("^Garden"))).to_be_visible()
    expect(page.locator(".bubble-user")).to_have_text("add water the plants friday")

    # A second conversation, then delete the first (asked first, cancel keeps it).
    page.get_by_role("button", name="New conversation").first.click()
    # The empty conversation is on screen before anything is typed (typing sooner went
    # into Garden once, in CI).
    expect(page.locator(".bubble-user")).to_have_count(0)
    say(page, "add buy seeds saturday")
    expect(cards(page).last.get_by_text("buy seeds", exact=True)).to_be_visible()
    expect(threads.get_by_role("listitem")).to_have_count(2)
    page.get_by_role("button", name="Delete Garden").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete this conversation?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(threads.get_by_role("listitem")).to_have_count(2)
    page.get_by_role("button", name="Delete Garden").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(threads.get_by_role("listitem")).to_have_count(1)
    expect(threads.get_by_role("button", name=re.compile("^Garden"))).to_have_count(0)
    page.reload()
    expect(threads.get_by_role("listitem")).to_have_count(1)
    # The task itself is untouched by deleting the conversation.
    expect(task_panel(page).locator(".task-counts")).to_have_text("1 open · 1 done")


def test_list_card_pages_with_show_more(page: Page):
    sign_up(page, "Linus", new_email("linus"))
    # 30 tasks, added through the REST API with the browser's own session.
    page.evaluate(
        """async () => {
            const token = localStorage.getItem("todochat_token");
            for (let i = 1; i <= 30; i++) {
                const r = await fetch("/api/tasks", {method: "POST", headers: {
                    "Authorization": "Bearer " + token, "Content-Type": "application/json"},
                    body: JSON.stringify({title: "chore " + String(i).padStart(2, "0")})});
                if (r.status !== 201) throw new Error("create failed: " + r.status);
            }
        }"""
    )
    open_chat(page)
    # The start screen's example prompt goes into the box; Enter sends it.
    page.get_by_role("button", name="show my tasks").click()
    expect(page.get_by_role("textbox", name="Message")).to_have_value("show my tasks")
    page.get_by_role("textbox", name="Message").press("Enter")
    expect(page.locator(".bubble-user")).to_have_text("show my tasks")
    card = cards(page).last
    rows = card.locator("[id^=task_][id$=_row]")
    expect(rows).to_have_count(20)
    expect(card.get_by_text("30 tasks", exact=True)).to_be_visible()
    card.get_by_role("button", name="Show more").click()
    expect(cards(page).locator("[id^=task_][id$=_row]")).to_have_count(30)
    expect(cards(page).get_by_text("chore 30", exact=True)).to_be_visible()


def test_a_task_ticked_in_the_list_does_not_leave_the_card_lying(page: Page):
    sign_up(page, "Edsger", new_email("edsger"))
    open_chat(page)
    # Shift+Enter starts a new line; Enter sends.
    box = page.get_by_role("textbox", name="Message")
    box.type("add renew passport")
    box.press("Shift+Enter")
    expect(box).to_have_value("add renew passport\n")
    expect(page.locator(".bubble-user")).to_have_count(0)
    box.press("Backspace")
    box.type(" next week")
    box.press("Enter")
    expect(page.locator(".bubble-user")).to_have_text("add renew passport next week")
    card = cards(page).last
    expect(card.get_by_role("checkbox", name="Complete renew passport")).not_to_be_checked()
    # Done from the task list: the card on screen follows without being touched.
    task_panel(page).get_by_role("checkbox", name="Complete renew passport").click()
    expect(task_panel(page).locator(".task-counts")).to_have_text("0 open · 1 done")
    expect(card.get_by_role("checkbox", name="Reopen renew passport")).to_be_checked()

    # Markup in what people type is shown as text, never run as HTML.
    say(page, "add <img src=x onerror=alert(1)> fix <b>the</b> gate friday")
    expect(page.locator(".bubble-assistant").last).to_contain_text("<b>the</b>")
    expect(page.locator(".chat-log img, .chat-log b")).to_have_count(0)


def test_a_second_user_never_sees_the_first_users_conversations(browser: Browser, page: Page, app_url: str):
    sign_up(page, "Alice", new_email("alice"))
    open_chat(page)
    say(page, "add secret plan saturday")
    expect(cards(page).last.get_by_text("secret plan", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"thread="))
    alice_thread = page.url.split("thread=")[1]

    other = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=app_url)
    bob = other.new_page()
    try:
        sign_up(bob, "Bob", new_email("bob"))
        open_chat(bob)
        expect(bob.get_by_text("No conversations yet.")).to_be_visible()
        # Even with Alice's thread id in the address, Bob gets nothing of hers.
        bob.goto(f"/chat?thread={alice_thread}")
        expect(bob.get_by_text("That conversation was not found.")).to_be_visible()
        expect(bob.locator(".bubble")).to_have_count(0)
        expect(bob.get_by_text("secret plan")).to_have_count(0)
    finally:
        other.close()

    # Alice signs out; Carol signs up in the same tab and finds nothing of Alice's.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    sign_up(page, "Carol", new_email("carol"))
    open_chat(page)
    expect(page.get_by_text("No conversations yet.")).to_be_visible()
    expect(page.get_by_text("secret plan")).to_have_count(0)
    expect(page.locator(".bubble")).to_have_count(0)


def test_chat_at_desktop_and_phone_widths(browser: Browser, app_url: str):
    """The screenshots we look at; a 390 px phone has no sideways scrolling and reaches every panel."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=app_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, "Barbara", new_email("barbara"))
        open_chat(page)
        say(page, "add pay rent tomorrow high priority")
        expect(cards(page).last.get_by_text("pay rent", exact=True)).to_be_visible()
        say(page, "add call the plumber friday #home")
        expect(cards(page).last.get_by_text("call the plumber", exact=True)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "chat-desktop.png"))

        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        expect(cards(page).last.get_by_text("call the plumber", exact=True)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page.get_by_role("textbox", name="Message")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "chat-phone.png"))
        # Every control of the chat's own is at least 44 px to touch on a phone (found by a
        # walk through the app: the toolbar was 32 px, the drawers' close buttons 24 px).
        for name in ("Conversations", "Tasks", "New conversation"):
            box = page.get_by_role("button", name=name, exact=True).bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, (name, box)
        # The side panels open from the toolbar and close again, by keyboard too.
        page.get_by_role("button", name="Conversations").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("navigation", name="Conversation history")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "chat-phone-threads.png"))
        close = page.get_by_role("button", name="Close conversations").bounding_box()
        assert close["width"] >= 44 and close["height"] >= 44, close
        page.get_by_role("button", name="Close conversations").click()
        expect(page.get_by_role("navigation", name="Conversation history")).to_be_hidden()
        page.get_by_role("button", name="Tasks", exact=True).click()
        expect(task_panel(page).get_by_role("button", name="Edit pay rent")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "chat-phone-tasks.png"))
        page.get_by_role("button", name="Close tasks").click()
        expect(task_panel(page)).to_be_hidden()
    finally:
        context.close()
