"""A person's first session with todochat, clicked through in headless Chromium."""

from __future__ import annotations

import datetime as dt
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_up



def _rows(page: Page):
    return page.locator("li.task-row")


def _row(page: Page, title: str):
    return _rows(page).filter(has=page.get_by_role("button", name=f"Edit {title}", exact=True))


def _add(page: Page, title: str, *, due: str = "", priority: str = "medium", tags: str = "") -> None:
    form = page.get_by_role("form", name="Add a task")
    form.get_by_label("New task title").fill(title)
    if due:
        form.get_by_label("Due date").fill(due)
    form.get_by_label("Priority").select_option(priority)
    if tags:
        form.get_by_label("Tags").fill(tags)
    form.get_by_role("button", name="Add task").click()
    expect(_row(page, title)).to_be_visible()


def test_first_session(page: Page):
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, "Ada Lovelace", email)
    expect(page.get_by_text("No tasks yet")).to_be_visible()

    today = dt.date.today()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    next_week = (today + dt.timedelta(days=7)).isoformat()
    _add(page, "Pay rent", due=yesterday, priority="high", tags="home, #Money")
    _add(page, "Write report", due=next_week, priority="low", tags="work")
    _add(page, "Call mom", priority="medium")
    expect(_rows(page)).to_have_count(3)
    expect(page.locator(".task-counts")).to_have_text("3 open · 0 done")

    # What a row tells: priority, tags, and a red overdue date.
    rent = _row(page, "Pay rent")
    expect(rent.get_by_text("High")).to_be_visible()
    expect(rent.get_by_text("#money")).to_be_visible()
    expect(rent.get_by_text("Overdue")).to_be_visible()
    # Sorted by due date: overdue first, undated last.
    expect(page.locator("li.task-row .task-title")).to_have_text(["Pay rent", "Write report", "Call mom"])

    # Complete one: it leaves the open list and shows under Done.
    page.get_by_role("checkbox", name="Complete Call mom").click()
    expect(_row(page, "Call mom")).to_have_count(0)
    expect(page.locator(".task-counts")).to_have_text("2 open · 1 done")
    page.get_by_role("radio", name="Done").click()
    expect(page.locator("li.task-row .task-title")).to_have_text(["Call mom"])
    page.get_by_role("radio", name="All").click()
    expect(_rows(page)).to_have_count(3)

    # Filter by priority, by tag, by due date.
    page.get_by_label("Filter by priority").select_option("high")
    expect(page.locator("li.task-row .task-title")).to_have_text(["Pay rent"])
    page.get_by_label("Filter by priority").select_option("any")
    page.get_by_label("Filter by tag").select_option("work")
    expect(page.locator("li.task-row .task-title")).to_have_text(["Write report"])
    page.get_by_label("Filter by tag").select_option("any")
    page.get_by_label("Filter by due date").select_option("overdue")
    expect(page.locator("li.task-row .task-title")).to_have_text(["Pay rent"])
    page.get_by_label("Filter by due date").select_option("any")
    expect(_rows(page)).to_have_count(3)

    # Search.
    page.get_by_label("Search tasks").fill("repo")
    expect(page.locator("li.task-row .task-title")).to_have_text(["Write report"])
    page.get_by_label("Search tasks").fill("")
    expect(_rows(page)).to_have_count(3)

    # Edit a title inline; Enter saves.
    page.get_by_role("button", name="Edit Write report", exact=True).click()
    title = page.get_by_role("form", name="Edit task").get_by_label("Title")
    title.fill("Write quarterly report")
    title.press("Enter")
    expect(_row(page, "Write quarterly report")).to_be_visible()
    expect(_row(page, "Write report")).to_have_count(0)

    # Delete, then undo.
    page.get_by_role("button", name="Delete Pay rent").click()
    expect(_row(page, "Pay rent")).to_have_count(0)
    page.get_by_role("status").get_by_role("button", name="Undo").click()
    expect(_row(page, "Pay rent")).to_be_visible()
    expect(_row(page, "Pay rent").get_by_text("#home")).to_be_visible()

    # Reload: everything is still there.
    page.reload()
    page.get_by_role("radio", name="All").click()
    expect(page.locator("li.task-row .task-title")).to_have_text(
        ["Pay rent", "Write quarterly report", "Call mom"]
    )

    # Sign out, sign back in: the same tasks.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    page.goto("/tasks")
    page.wait_for_url("**/sign-in")  # signed out means signed out
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Invalid email or password")
    page.get_by_label("Password").fill("correct horse 1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/tasks")
    expect(page.locator(".task-counts")).to_have_text("2 open · 1 done")
    expect(page.locator("li.task-row .task-title")).to_have_text(["Pay rent", "Write quarterly report"])


def test_users_see_only_their_tasks(browser, app_url):
    first = browser.new_context(base_url=app_url).new_page()
    sign_up(first, "Grace", f"grace-{uuid.uuid4().hex[:8]}@example.com")
    _add(first, "Grace's secret plan")
    second = browser.new_context(base_url=app_url).new_page()
    sign_up(second, "Alan", f"alan-{uuid.uuid4().hex[:8]}@example.com")
    expect(second.get_by_text("No tasks yet")).to_be_visible()
    expect(second.get_by_text("Grace's secret plan")).to_have_count(0)
    first.context.close()
    second.context.close()


def test_phone_width_and_keyboard(browser, app_url):
    context = browser.new_context(base_url=app_url, viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    sign_up(page, "Phone", f"phone-{uuid.uuid4().hex[:8]}@example.com")
    # Keyboard only: type a title and press Enter.
    page.get_by_label("New task title").focus()
    page.keyboard.type("Buy milk")
    page.keyboard.press("Enter")
    expect(_row(page, "Buy milk")).to_be_visible()
    # Nothing wider than the phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a 390px phone"
    # Tab reaches the row's checkbox and Space completes it.
    page.get_by_role("checkbox", name="Complete Buy milk").focus()
    page.keyboard.press("Space")
    expect(page.locator(".task-counts")).to_have_text("0 open · 1 done")
    context.close()


def test_long_list_is_paged_and_api_changes_show(browser, app_url):
    """1,000 tasks arrive a page at a time; a token from the API signs the browser in."""
    import httpx

    email = f"busy-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=app_url, timeout=30) as api:
        token = api.post(
            "/api/auth/sign-up/email", json={"name": "Busy", "email": email, "password": "correct horse 1"}
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for i in range(120):
            assert api.post("/api/tasks", json={"title": f"Chore {i:03d}"}, headers=headers).status_code == 201

    context = browser.new_context(base_url=app_url)
    context.add_init_script(f"localStorage.setItem('todochat_token', {token!r})")
    page = context.new_page()
    page.goto("/tasks")
    expect(page.locator(".task-counts")).to_have_text("120 open · 0 done")
    expect(_rows(page)).to_have_count(50)
    page.get_by_role("button", name="Show more").click()
    expect(_rows(page)).to_have_count(100)
    page.get_by_role("button", name="Show more").click()
    expect(_rows(page)).to_have_count(120)
    expect(page.get_by_role("button", name="Show more")).to_have_count(0)
    context.close()
