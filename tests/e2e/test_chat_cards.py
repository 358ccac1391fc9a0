"""Task cards in the chat (issue 10, points 1, 2 and the cards of 11), clicked through in Chromium.

1. A card's Undo undoes the card's newest change (after its tick: reopen, never delete).
2. Cards on screen follow changes made elsewhere: the panel beside the chat, the Tasks
   page, the REST API (seen when the page is looked at again) — in the native chat, and
   in the ChatKit embed (its fetchUpdates is called; the server re-renders the cards).
11. One check control (a checkbox, as in the task list) on the title's line; choices that
   look like choices; every card control at least 44 px to touch on a 390 px phone.
"""

from __future__ import annotations


import datetime as dt

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, new_email, reply_finished, sign_up, task_panel



def _say(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_enabled()
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".bubble-user").last).to_have_text(text)
    reply_finished(page)


def _card(page: Page, title: str):
    return page.locator(".bubble-widget").filter(has=page.get_by_text(title, exact=True)).last


def _task_id(card) -> int:
    row_id = card.locator("[id^=task_][id$=_row]").first.get_attribute("id")
    return int(row_id.removeprefix("task_").removesuffix("_row"))


def test_undo_on_a_card_undoes_its_newest_change_not_the_add(page: Page):
    sign_up(page, "Ada", new_email("ada"))
    page.goto("/chat")
    _say(page, "add pay rent")
    card = _card(page, "pay rent")
    expect(card.get_by_role("button", name="Undo")).to_be_visible()

    card.get_by_role("checkbox", name="Complete pay rent").click()
    expect(card.get_by_role("checkbox", name="Reopen pay rent")).to_be_checked()
    card.get_by_role("button", name="Undo").click()

    reply = page.locator(".bubble-assistant").last
    expect(reply).to_contain_text("“pay rent” is back as it was")
    expect(reply).not_to_contain_text("removed")
    expect(card.get_by_role("checkbox", name="Complete pay rent")).not_to_be_checked()
    expect(card.get_by_role("button", name="Undo")).to_have_count(0)  # done its job
    expect(task_panel(page).get_by_role("button", name="Edit pay rent")).to_be_visible()
    expect(task_panel(page).locator(".task-counts")).to_have_text("1 open · 0 done")


def test_the_add_undo_goes_away_once_the_task_changed_elsewhere(page: Page):
    sign_up(page, "Grace", new_email("grace"))
    page.goto("/chat")
    _say(page, "add call mom")
    card = _card(page, "call mom")
    expect(card.get_by_role("button", name="Undo")).to_be_visible()
    # Completed in the panel: undoing the add now would silently delete a task that moved on.
    task_panel(page).get_by_role("checkbox", name="Complete call mom").click()
    expect(card.get_by_role("checkbox", name="Reopen call mom")).to_be_checked()
    expect(card.get_by_role("button", name="Undo")).to_have_count(0)
    expect(task_panel(page).locator(".task-counts")).to_have_text("0 open · 1 done")


def test_cards_follow_changes_made_in_the_panel_the_tasks_page_and_the_api(page: Page, app_url: str):
    sign_up(page, "Linus", new_email("linus"))
    page.goto("/chat")
    _say(page, "add renew passport")
    _say(page, "add buy stamps")
    _say(page, "add call the bank")
    cards = page.locator(".bubble-widget")
    expect(cards).to_have_count(3)
    passport, stamps = cards.nth(0), cards.nth(1)  # by place: a deleted task's title leaves its card
    expect(passport.get_by_role("checkbox", name="Complete renew passport")).not_to_be_checked()

    # The panel beside the chat: the card follows at once, untouched.
    task_panel(page).get_by_role("checkbox", name="Complete renew passport").click()
    expect(passport.get_by_role("checkbox", name="Reopen renew passport")).to_be_checked()
    expect(passport.get_by_text("renew passport", exact=True)).to_have_css("text-decoration-line", "line-through")

    # The REST API (another device, the CLI): the card catches up when the page is looked at again.
    token = page.evaluate("localStorage.getItem('todochat_token')")
    gone = httpx.delete(f"{app_url}/api/tasks/{_task_id(stamps)}", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 204
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(stamps).to_contain_text("This task no longer exists.")
    expect(stamps.get_by_role("checkbox")).to_have_count(0)

    # The Tasks page, then back to the conversation.
    page.get_by_role("link", name="Tasks").first.click()
    page.wait_for_url("**/tasks")
    expect(page.get_by_role("log", name="Messages")).to_have_count(0)
    page.get_by_role("checkbox", name="Complete call the bank").click()
    expect(page.get_by_role("checkbox", name="Complete call the bank")).to_have_count(0)
    page.go_back()
    bank = page.locator(".bubble-widget").nth(2)
    expect(bank.get_by_role("checkbox", name="Reopen call the bank")).to_be_checked()


def test_which_task_is_asked_with_a_question_whose_option_acts_on_that_task(page: Page, app_url: str):
    sign_up(page, "Hedy", new_email("hedy"))
    page.goto("/chat")
    _say(page, "add buy milk tomorrow")
    _say(page, "add buy milk")
    _say(page, "move milk to friday")
    question = page.locator(".bubble-widget [id^=question_]").last
    expect(question).to_contain_text("Which “milk” should I change?")
    options = question.get_by_role("button")
    expect(options).to_have_count(3)  # two tasks and "None of these"
    expect(options.nth(1)).to_have_text("buy milk")  # the one without a date
    _look(page, "which-task-question")
    options.nth(1).click()
    expect(question).to_contain_text("→ buy milk")
    expect(question.get_by_role("button")).to_have_count(0)
    expect(page.locator(".bubble-assistant").last).to_contain_text("buy milk")
    token = page.evaluate("localStorage.getItem('todochat_token')")
    tasks = httpx.get(f"{app_url}/api/tasks", headers={"Authorization": f"Bearer {token}"}).json()["items"]
    # The one without a date got Friday; the other kept tomorrow.
    assert len(tasks) == 2 and all(t["due"] for t in tasks), tasks
    assert any(dt.date.fromisoformat(t["due"][:10]).weekday() == 4 for t in tasks), tasks
    expect(task_panel(page).get_by_role("checkbox")).to_have_count(2)
    page.reload()  # the answer is stored with the question
    expect(page.locator(".bubble-widget [id^=question_]").last).to_contain_text("→ buy milk")


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def _look(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(ARTIFACTS / f"cards-{name}-{scheme}.png"), full_page=False)
    page.emulate_media(color_scheme="light")


def test_card_controls_match_the_task_list_and_fit_a_phone(browser: Browser, app_url: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=app_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, "Mo", new_email("mo"))
        page.goto("/chat")
        _say(page, "add water the plants")
        _say(page, "add water the garden")
        card = _card(page, "water the garden")

        # One check control, the task list's: a checkbox, no circle button.
        tick = card.get_by_role("checkbox", name="Complete water the garden")
        expect(tick).to_be_visible()
        expect(card.locator("svg.lucide-circle")).to_have_count(0)
        # On the title's line: the box's middle is within the title's first line.
        title = _box(card.get_by_text("water the garden", exact=True))
        box = _box(tick)
        middle = box["y"] + box["height"] / 2
        assert title["y"] <= middle <= title["y"] + 22, (box, title)

        # 44 px to touch, every control in the card.
        for control in [card.locator("label.wk-checkbox").first, card.get_by_role("button", name="Delete water the garden"),
                        card.get_by_role("button", name="Undo")]:
            b = _box(control)
            assert b["height"] >= 44 and b["width"] >= 44, b
        b = _box(page.get_by_role("button", name="Copy text").last)
        assert b["height"] >= 44 and b["width"] >= 44, b
        _look(page, "phone-task")

        # "Which one?" choices look like choices, and "None of these" is a real button.
        _say(page, "complete water")
        choices = page.locator(".bubble-widget [id^=question_]").last
        expect(choices).to_be_visible()
        options = choices.get_by_role("button")
        expect(options).to_have_count(3)
        none = choices.get_by_role("button", name="None of these")
        for i in range(3):
            b = _box(options.nth(i))
            assert b["height"] >= 44 and b["width"] >= 200, b
        background = none.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
        first_option = options.first.evaluate("e => getComputedStyle(e).color")
        assert first_option != none.evaluate("e => getComputedStyle(e).color")  # choices in the accent colour
        _look(page, "phone-choices")
        none.click()
        expect(page.locator(".bubble-assistant").last).to_contain_text("I left them as they are")
        expect(choices).to_contain_text("→ None of these")  # answered: no buttons any more
        expect(choices.get_by_role("button")).to_have_count(0)

        page.set_viewport_size({"width": 1280, "height": 900})
        _say(page, "show my tasks")
        _look(page, "desktop")
    finally:
        context.close()
