"""Issue 15's "done when": another assistant, connected over MCP with the user's token, adds
a task, and the person sees it on the Tasks page."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from playwright.sync_api import Page, expect

from tests.e2e.conftest import new_email, sign_up


async def _add_over_mcp(app_url: str, token: str, task: dict) -> dict:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
    async with http, streamable_http_client(f"{app_url}/mcp", http_client=http) as (read, write, *_):
        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("add_tasks", {"tasks": [task]})
            assert not result.is_error, result.content
            return result.structured_content["tasks"][0]


def test_a_task_added_over_mcp_shows_on_the_tasks_page(page: Page, app_url: str):
    sign_up(page, "Grace Hopper", new_email("grace"))
    # What README says to do: the app keeps the session token in localStorage.
    token = page.evaluate("window.localStorage.getItem('todochat_token')")
    assert token

    # The other assistant is another program: its own event loop, in its own thread.
    task = {"title": "Renew the passport", "due": "2027-03-01", "priority": "high", "tags": ["travel"]}
    with ThreadPoolExecutor(1) as other_program:
        added = other_program.submit(asyncio.run, _add_over_mcp(app_url, token, task)).result(timeout=60)
    assert added["title"] == "Renew the passport"

    # The person reloads the page. (Coming back to the tab refreshes the list too, on the
    # window's focus; headless Chromium never sends a background tab that focus.)
    page.reload()
    row = page.locator("li.task-row").filter(has=page.get_by_role("button", name="Edit Renew the passport"))
    expect(row).to_be_visible()
    expect(row.get_by_text("High")).to_be_visible()
    expect(row.get_by_text("#travel")).to_be_visible()
    page.screenshot(path="/tmp/mcp-task-in-browser.png", full_page=True)
