"""Issue 10, points 4 and 5, as a person sees them in the native chat: a message of two
lines makes two tasks, "What's due this week?" lists the overdue task marked overdue, an
add that repeats an open title says so on its card, two tasks named with "and" are both
completed, and the help reply's examples are separate bullet points.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, cards, new_email, open_chat, reply_finished, say, sign_up, task_panel


def _create_tasks(page: Page, tasks: list[dict]) -> None:
    """Tasks made through the REST API with the browser's own session."""
    page.evaluate(
        """async (tasks) => {
            const token = localStorage.getItem("todochat_token");
            for (const task of tasks) {
                const r = await fetch("/api/tasks", {method: "POST", headers: {
                    "Authorization": "Bearer " + token, "Content-Type": "application/json"},
                    body: JSON.stringify(task)});
                if (r.status !== 201) throw new Error("create failed: " + r.status);
            }
        }""",
        tasks,
    )


def test_a_message_of_two_lines_makes_two_tasks(page: Page):
    sign_up(page, "Grace", new_email("grace"))
    open_chat(page)
    box = page.get_by_role("textbox", name="Message")
    box.type("buy eggs")
    box.press("Shift+Enter")
    box.type("add buy bread")
    box.press("Enter")
    expect(page.locator(".bubble-user")).to_have_text("buy eggs\nadd buy bread")
    card = cards(page).last
    expect(card.get_by_text("Added 2 tasks")).to_be_visible()
    expect(card.get_by_text("buy eggs", exact=True)).to_be_visible()
    expect(card.get_by_text("buy bread", exact=True)).to_be_visible()
    panel = task_panel(page)
    expect(panel.get_by_role("button", name="Edit buy eggs")).to_be_visible()
    expect(panel.get_by_role("button", name="Edit buy bread")).to_be_visible()
    expect(panel.locator(".task-counts")).to_have_text("2 open · 0 done")


def test_due_this_week_lists_the_overdue_task_marked_overdue(page: Page):
    sign_up(page, "Ken", new_email("ken"))
    today = dt.date.today()
    # A week ago is overdue whatever the time zone; today is always in "this week".
    _create_tasks(page, [
        {"title": "file taxes", "due": (today - dt.timedelta(days=7)).isoformat()},
        {"title": "pay rent", "due": (today + dt.timedelta(days=1)).isoformat()},
        {"title": "renew passport", "due": (today + dt.timedelta(days=30)).isoformat()},
    ])
    open_chat(page)
    say(page, "What's due this week?")
    card = cards(page).last
    expect(card.get_by_text("Open tasks due this week")).to_be_visible()
    expect(card.get_by_text("file taxes", exact=True)).to_be_visible()
    expect(card.get_by_text("renew passport", exact=True)).to_have_count(0)
    overdue = card.locator("[id$=_due_caption]").filter(has_text="Overdue")
    expect(overdue).to_have_count(1)
    expect(page.locator(".bubble-assistant").last).to_contain_text("1 of them overdue")


def test_adding_a_title_already_open_says_so_on_the_card(page: Page):
    sign_up(page, "Alan", new_email("alan"))
    open_chat(page)
    say(page, "add pay rent")
    expect(cards(page).last.get_by_text("pay rent", exact=True)).to_be_visible()
    say(page, "add pay rent")
    expect(cards(page)).to_have_count(2)
    card = cards(page).last
    expect(card.get_by_text("you already have an open “pay rent”", exact=False)).to_be_visible()
    expect(page.locator(".bubble-assistant").last).to_contain_text("you already have an open “pay rent”")
    # Still added: the user asked; the card's Undo takes the second one back.
    expect(task_panel(page).locator(".task-counts")).to_have_text("2 open · 0 done")
    card.get_by_role("button", name="Undo").click()
    expect(task_panel(page).locator(".task-counts")).to_have_text("1 open · 0 done")


def test_two_tasks_named_with_and_are_both_completed(page: Page):
    sign_up(page, "Mary", new_email("mary"))
    _create_tasks(page, [{"title": "Item 04"}, {"title": "Item 05"}, {"title": "Item 06"}])
    open_chat(page)
    say(page, "complete Item 05 and Item 06")
    panel = task_panel(page)
    expect(panel.locator(".task-counts")).to_have_text("1 open · 2 done")
    expect(page.locator(".bubble-assistant").last).to_contain_text("Item 05")
    expect(page.locator(".bubble-assistant").last).to_contain_text("Item 06")


def test_the_help_reply_shows_separate_bullet_points(page: Page):
    sign_up(page, "Hedy", new_email("hedy"))
    open_chat(page)
    say(page, "help")
    reply = page.locator(".bubble-assistant").last
    bullets = reply.locator("li")
    expect(bullets).to_have_count(5)
    expect(bullets.first).to_have_text("“add pay rent tomorrow, high priority”")
    reply_finished(page)  # measured once drawn for good, not while the reply still streams
    # Each example on a line of its own, one under the other.
    tops = [bullets.nth(i).bounding_box()["y"] for i in range(5)]
    assert tops == sorted(tops) and len(set(tops)) == 5, tops


def test_screenshots_of_the_replies(browser: Browser, app_url: str):
    """The help reply, a week's list with an overdue task and a namesake's card, at 1280
    and 390 px, light and dark: the pictures we look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    email = new_email("shots")
    for scheme in ("light", "dark"):
        for width, height in ((1280, 900), (390, 844)):
            context = browser.new_context(
                viewport={"width": width, "height": height}, base_url=app_url, color_scheme=scheme
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            try:
                if scheme == "light" and width == 1280:
                    sign_up(page, "Shots", email)
                    today = dt.date.today()
                    _create_tasks(page, [
                        {"title": "file taxes", "due": (today - dt.timedelta(days=7)).isoformat()},
                        {"title": "pay rent", "due": today.isoformat()},
                    ])
                else:
                    page.goto("/sign-in")
                    page.get_by_label("Email").fill(email)
                    page.get_by_label("Password").fill("correct horse 1")
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_url("**/tasks")
                open_chat(page)
                say(page, "help")
                expect(page.locator(".bubble-assistant").last.locator("li")).to_have_count(5)
                page.screenshot(path=str(ARTIFACTS / f"chat-help-{width}-{scheme}.png"))
                say(page, "What's due this week?")
                expect(cards(page).last.get_by_text("file taxes", exact=True)).to_be_visible()
                say(page, "add pay rent")
                expect(cards(page).last.get_by_text("you already have an open", exact=False)).to_be_visible()
                page.screenshot(path=str(ARTIFACTS / f"chat-replies-{width}-{scheme}.png"))
            finally:
                context.close()
