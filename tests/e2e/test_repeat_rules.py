"""Issue 11 in the browser: a task repeating by an RFC 5545 rule that none of the editor's
presets is ("every other Tuesday until ..."), made through the REST API with the page's own
session, reads in words on the Tasks page, keeps its rule when another field is edited, and
ticking it off schedules the occurrence two weeks later. Then a screenshot of a few rules."""

from __future__ import annotations

import datetime as dt

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, new_email, sign_up


def _row(page: Page, title: str):
    return page.locator("li.task-row").filter(has=page.get_by_role("button", name=f"Edit {title}", exact=True))


def _api(page: Page, app_url: str, method: str, path: str, **kwargs) -> httpx.Response:
    token = page.evaluate("localStorage.getItem('todochat_token')")
    return httpx.request(method, f"{app_url}{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs)


def _day(day: dt.date, today: dt.date) -> str:
    """A date as the rule's words say it: "31 Mar", with the year when it is not this one."""
    return f"{day.day} {day:%b}" + ("" if day.year == today.year else f" {day.year}")


def test_a_rule_without_a_preset_reads_in_words_survives_an_edit_and_repeats(page: Page, app_url: str):
    sign_up(page, "Rule", new_email("rule"))
    today = dt.date.today()
    tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)  # the next Tuesday, not today
    until = tuesday + dt.timedelta(weeks=10)
    rule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL={until:%Y%m%d}"
    made = _api(page, app_url, "POST", "/api/tasks", json={"title": "team sync", "due": tuesday.isoformat(),
                                                           "recurrence": rule})
    assert made.status_code == 201, made.text
    page.reload()

    words = f"every other Tuesday until {_day(until, today)}"
    row = _row(page, "team sync")
    expect(row.locator(".task-repeat")).to_have_text(words)

    # The editor's Repeats shows the rule, selected, beside the presets; saving a new title keeps it.
    row.get_by_role("button", name="Edit team sync", exact=True).click()
    editor = page.get_by_role("form", name="Edit task")
    repeats = editor.get_by_label("Repeats")
    expect(repeats).to_have_value(rule)
    expect(repeats.locator("option:checked")).to_have_text(words[0].upper() + words[1:])
    expect(repeats.locator("option")).to_have_text(
        ["Does not repeat", "Every day", "Every weekday", "Every week", "Every month", "Every year",
         words[0].upper() + words[1:]])
    title = editor.get_by_label("Title")
    title.fill("team sync, room 4")
    title.press("Enter")
    row = _row(page, "team sync, room 4")
    expect(row.locator(".task-repeat")).to_have_text(words)
    stored = _api(page, app_url, "GET", f"/api/tasks/{made.json()['id']}").json()
    assert (stored["title"], stored["recurrence"]) == ("team sync, room 4", rule)

    # Ticked off: the next one is due two weeks later, on a Tuesday, with the same rule.
    page.get_by_role("checkbox", name="Complete team sync, room 4").click()
    following = tuesday + dt.timedelta(weeks=2)
    label = f"{following:%b} {following.day}" + ("" if following.year == today.year else f", {following.year}")
    expect(page.get_by_role("status").filter(has_text="Completed “team sync, room 4”")).to_contain_text(
        f"next one {label}")
    row = _row(page, "team sync, room 4")
    expect(row).to_have_count(1)
    expect(row.locator(".task-due")).to_have_text(label)
    expect(row.locator(".task-repeat")).to_have_text(words)

    # A few more rules, for a person to look at (test-artifacts/tasks-repeat-rules.png).
    for title, due, repeat in (
        ("book club", None, "FREQ=MONTHLY;BYDAY=3FR"),
        ("invoice clients", None, "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("stretch", None, "FREQ=DAILY;COUNT=10"),
        ("meds", f"{today.isoformat()}T20:00", "FREQ=HOURLY;INTERVAL=8"),
        ("standup", None, "weekdays"),
    ):
        body = {"title": title, "recurrence": repeat, **({"due": due} if due else {})}
        assert _api(page, app_url, "POST", "/api/tasks", json=body).status_code == 201
    page.reload()
    expect(page.locator("li.task-row")).to_have_count(6)
    expect(_row(page, "book club").locator(".task-repeat")).to_have_text("every month on the third Friday")
    expect(_row(page, "stretch").locator(".task-repeat")).to_have_text("every day, 10 times")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tasks-repeat-rules.png"), full_page=True)
    _row(page, "team sync, room 4").get_by_role("button", name="Edit team sync, room 4", exact=True).click()
    expect(page.get_by_role("form", name="Edit task").get_by_label("Repeats")).to_have_value(rule)
    page.screenshot(path=str(ARTIFACTS / "tasks-repeat-rules-editor.png"), full_page=True)
