"""A conversation in the native chat page (issue 11, "a conversation, not single commands"):
"it" means the task just added, and "undo that" takes back the assistant's last change —
seen in the reply, on the card, and in the task panel beside the chat."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, cards, new_email, open_chat, reply_finished, say, sign_up, task_panel


def _say(page: Page, text: str) -> None:
    say(page, text)
    expect(page.locator(".bubble-user").last).to_have_text(text)
    reply_finished(page)


def test_make_it_high_priority_then_undo_that(page: Page):
    sign_up(page, "Ada", new_email("ada"))
    open_chat(page)
    panel = task_panel(page)
    row = panel.locator("li").filter(has=page.get_by_role("button", name="Edit call the plumber"))

    _say(page, "add call the plumber")
    expect(row).to_contain_text("Medium")

    _say(page, "make it high priority")
    expect(page.locator(".bubble-assistant").last).to_contain_text("Updated #")
    updated = cards(page).last
    expect(updated).to_contain_text("High")
    expect(updated.get_by_role("button", name="Undo")).to_be_visible()
    expect(row).to_contain_text("High")

    _say(page, "undo that")
    expect(page.locator(".bubble-assistant").last).to_have_text("Undone: “call the plumber” is back as it was.")
    # The change's card shows the task as it is now, its Undo spent; the panel follows.
    expect(updated).to_contain_text("Medium")
    expect(updated.get_by_role("button", name="Undo")).to_have_count(0)
    expect(row).to_contain_text("Medium")
    expect(row).not_to_contain_text("High")
    expect(panel.locator(".task-counts")).to_have_text("1 open · 0 done")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "conversation-undo-that.png"), full_page=True)
