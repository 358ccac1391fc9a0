"""The official ChatKit UI: the embed page, its token hand-over, and the fallback to native chat.

No machine here reaches OpenAI's CDN, so one test lets the real request fail; the other
answers it with a test double of the web component that records what it is given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import httpx
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import ARTIFACTS, new_email, sign_up

CDN = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js"
NOTICE = "Using the built-in chat; the ChatKit UI could not be loaded"

# Stands in for chatkit.js: defines <openai-chatkit> and keeps the options it is given.
CHATKIT_DOUBLE = """
customElements.define("openai-chatkit", class extends HTMLElement {
  setOptions(options) { window.__chatkitOptions = options; this.textContent = "ChatKit test double"; }
});
"""


def test_blocked_cdn_falls_back_to_the_native_chat_with_a_notice(embed_page: Page):
    page = embed_page
    sign_up(page, "Ken", f"ken-{uuid.uuid4().hex[:8]}@example.com")
    page.goto("/chat")
    # Within the 5 s the embed is given (plus the page's own load), the native chat takes over.
    expect(page.get_by_text(NOTICE)).to_be_visible(timeout=8_000)
    expect(page.locator("#chatkit-embed")).to_have_count(0)
    box = page.get_by_role("textbox", name="Message")
    box.fill("add pay rent tomorrow high priority")
    box.press("Enter")
    expect(page.locator(".bubble-widget").last.get_by_text("pay rent", exact=True)).to_be_visible()


def test_the_embed_gets_the_chatkit_url_domain_key_and_a_bearer_fetch(embed_page: Page):
    page = embed_page
    urls: list[str] = []
    chatkit_calls = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("request", lambda request: chatkit_calls.append(request) if request.url.endswith("/chatkit") else None)

    def serve_double(route: Route) -> None:
        route.fulfill(status=200, content_type="application/javascript", body=CHATKIT_DOUBLE)

    page.route(CDN, serve_double)
    sign_up(page, "Barbara", f"barbara-{uuid.uuid4().hex[:8]}@example.com")
    token = page.evaluate("localStorage.getItem('todochat_token')")
    assert token
    page.goto("/chat")

    frame_element = page.locator("iframe#chatkit-embed")
    expect(frame_element).to_be_visible()
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    expect(page.get_by_role("textbox", name="Message")).to_have_count(0)  # the official UI replaces it
    frame = page.frame_locator("iframe#chatkit-embed")
    expect(frame.get_by_text("ChatKit test double")).to_be_visible()

    embed = next(f for f in page.frames if f.url.endswith("/chatkit/embed.html"))
    options = embed.evaluate(
        "({url: window.__chatkitOptions.api.url, domainKey: window.__chatkitOptions.api.domainKey,"
        " fetchIsFunction: typeof window.__chatkitOptions.api.fetch === 'function'})"
    )
    assert options["url"] == page.url.split("/chat")[0] + "/chatkit"
    assert options["domainKey"] == "domain_pk_e2e_test"
    assert options["fetchIsFunction"]

    # The component's fetch reaches /chatkit as this user: a real ChatKit request answers 200.
    result = embed.evaluate(
        """async () => {
            const r = await window.__chatkitOptions.api.fetch(window.__chatkitOptions.api.url, {
                method: "POST", headers: {"Content-Type": "application/json"},
                body: JSON.stringify({type: "threads.list", params: {limit: 5}})});
            return {status: r.status, body: await r.json()};
        }"""
    )
    assert result["status"] == 200
    assert result["body"]["data"] == []
    assert chatkit_calls, "the fetch did not go to /chatkit"
    frame_auth = chatkit_calls[-1].headers["authorization"]
    assert frame_auth.startswith("Bearer ") and frame_auth != f"Bearer {token}", "never the session token"
    narrowed = frame_auth.removeprefix("Bearer ")
    # The frame's token is good for /chatkit only: every other route refuses it.
    base = page.url.split("/chat")[0]
    assert httpx.get(f"{base}/api/tasks", headers={"Authorization": frame_auth}).status_code == 401
    assert httpx.get(f"{base}/api/auth/token", headers={"Authorization": frame_auth}).status_code == 401
    assert httpx.post(f"{base}/api/auth/revoke-sessions", headers={"Authorization": frame_auth}).status_code == 401
    assert narrowed not in (frame_element.get_attribute("src") or "")

    # Through the whole server (Reflex's own CORS included), the frame's opaque origin may
    # call /chatkit and nothing else (found by the hostile review: Reflex refused it first).
    preflight = {"Origin": "null", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    allowed = httpx.options(f"{base}/chatkit", headers=preflight)
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "null"
    posted = httpx.post(f"{base}/chatkit", headers={"Origin": "null", "Authorization": frame_auth},
                        json={"type": "threads.list", "params": {"limit": 5}})
    assert posted.status_code == 200 and posted.headers["access-control-allow-origin"] == "null"
    for path in ("/api/tasks", "/api/auth/token"):
        refused = httpx.options(f"{base}{path}", headers={**preflight, "Access-Control-Request-Method": "GET"})
        assert refused.headers.get("access-control-allow-origin") != "null", path

    # A script inside the frame (OpenAI's would run there) cannot reach the app's session.
    isolation = embed.evaluate(
        """() => {
            const tryIt = (f) => { try { return String(f()); } catch (e) { return "blocked:" + e.name; } };
            return {
                storage: tryIt(() => localStorage.getItem("todochat_token")),
                parentDom: tryIt(() => window.parent.document.body.innerHTML.length),
                cookie: tryIt(() => document.cookie),
            };
        }"""
    )
    assert isolation["storage"].startswith("blocked:"), isolation
    assert isolation["parentDom"].startswith("blocked:"), isolation
    assert token not in str(isolation)

    # The token never appears in any address: not the iframe's, not any request's.
    assert token not in (frame_element.get_attribute("src") or "")
    assert all(token not in url for url in urls)
    assert any(re.search(r"/chatkit/embed\.html$", url) for url in urls)


# ---------------------------------------------------------------- cards in the embed

# Stands in for chatkit.js: records setOptions and every fetchUpdates() call.
CHATKIT_DOUBLE_WITH_UPDATES = """
customElements.define("openai-chatkit", class extends HTMLElement {
  setOptions(options) { window.__chatkitOptions = options; window.__fetchUpdates = 0;
                        this.textContent = "ChatKit test double"; }
  fetchUpdates() { window.__fetchUpdates += 1; return Promise.resolve(); }
});
"""


def _embed(page: Page):
    return next(f for f in page.frames if f.url.endswith("/chatkit/embed.html"))


def _chatkit(embed, request: dict):
    """One ChatKit request through the component's own (authorized) fetch."""
    return embed.evaluate(
        """async (body) => {
            const r = await window.__chatkitOptions.api.fetch(window.__chatkitOptions.api.url, {
                method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
            return await r.text();
        }""",
        request,
    )


def _find(node, component_id: str):
    if isinstance(node, dict):
        if node.get("id") == component_id:
            return node
        for child in node.get("children") or []:
            found = _find(child, component_id)
            if found:
                return found
    return None


def test_the_embed_refetches_and_gets_cards_as_the_tasks_are_now(embed_page: Page, embed_app_url: str):
    page = embed_page
    page.route(CDN, lambda route: route.fulfill(status=200, content_type="application/javascript",
                                                 body=CHATKIT_DOUBLE_WITH_UPDATES))
    sign_up(page, "Barbara", new_email("barbara"))
    page.goto("/chat")
    expect(page.frame_locator("iframe#chatkit-embed").get_by_text("ChatKit test double")).to_be_visible()
    embed = _embed(page)

    # A conversation made through the component's fetch, as the real UI would.
    stream = _chatkit(embed, {"type": "threads.create", "params": {"input": {
        "content": [{"type": "input_text", "text": "add pay rent"}], "attachments": [], "inference_options": {}}}})
    events = [json.loads(line[6:]) for line in stream.splitlines() if line.startswith("data: ")]
    thread_id = events[0]["thread"]["id"]
    card = next(e["item"] for e in events if e["type"] == "thread.item.done" and e["item"]["type"] == "widget")
    task_id = int(card["widget"]["id"].removeprefix("task_").removesuffix("_card"))

    # Completed through the API: what the component reads next shows it done.
    token = page.evaluate("localStorage.getItem('todochat_token')")
    done = httpx.post(f"{embed_app_url}/api/tasks/{task_id}/complete", headers={"Authorization": f"Bearer {token}"})
    assert done.status_code == 200
    page_of_items = json.loads(_chatkit(embed, {"type": "items.list", "params": {"thread_id": thread_id, "limit": 20}}))
    [widget] = [i["widget"] for i in page_of_items["data"] if i["type"] == "widget"]
    assert _find(widget, f"reopen_task_{task_id}_checkbox")["defaultChecked"] is True
    assert _find(widget, f"undo_task_{task_id}_button") is None  # undoing the add would lose the completion

    # Coming back to the page asks the component to fetch its updates.
    embed.wait_for_function("window.__fetchUpdates !== undefined")
    before = embed.evaluate("window.__fetchUpdates")
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    embed.wait_for_function(f"window.__fetchUpdates > {before}")

    # So does a change in the panel beside it.
    page.reload()
    expect(page.frame_locator("iframe#chatkit-embed").get_by_text("ChatKit test double")).to_be_visible()
    embed = _embed(page)
    embed.wait_for_function("window.__fetchUpdates !== undefined")
    panel = page.get_by_role("complementary", name="Your tasks")
    page.get_by_role("button", name="Tasks").click() if not panel.is_visible() else None
    before = embed.evaluate("window.__fetchUpdates")
    panel.get_by_role("radio", name="Done").click()  # the list changes: so does the refresh count
    embed.wait_for_function(f"window.__fetchUpdates > {before}")
    before = embed.evaluate("window.__fetchUpdates")
    panel.get_by_role("checkbox", name="Reopen pay rent").click()
    embed.wait_for_function(f"window.__fetchUpdates > {before}")


# ---------------------------------------------------- @-mentions and a live task list (issue 15)

# Stands in for chatkit.js as far as these tests need: keeps its options, and sends a request
# the way the component does (through options.api.fetch) between "chatkit.response.start"
# and "chatkit.response.end", reading the stream and firing each client effect at itself as
# a "chatkit.effect" event, as the real one does; counts fetchUpdates() calls during and
# after a response.
CHATKIT_DOUBLE_THAT_STREAMS = """
customElements.define("openai-chatkit", class extends HTMLElement {
  setOptions(options) { window.__chatkitOptions = options; window.__effects = [];
                        window.__fetches = {during: 0, after: 0}; this.responding = false;
                        this.textContent = "ChatKit test double"; }
  fetchUpdates() { window.__fetches[this.responding ? "during" : "after"] += 1; return Promise.resolve(); }
  async send(body) {
    const api = window.__chatkitOptions.api;
    this.responding = true;
    this.dispatchEvent(new CustomEvent("chatkit.response.start"));
    const response = await api.fetch(api.url, {method: "POST", headers: {"Content-Type": "application/json"},
                                               body: JSON.stringify(body)});
    const text = await response.text();
    if (!response.headers.get("content-type").startsWith("text/event-stream")) {
      this.responding = false;
      this.dispatchEvent(new CustomEvent("chatkit.response.end"));
      return JSON.parse(text);
    }
    const events = text.split("\\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)));
    for (const event of events) {
      if (event.type !== "client_effect") continue;
      window.__effects.push(event.name);
      this.dispatchEvent(new CustomEvent("chatkit.effect", {detail: {name: event.name, data: event.data}}));
    }
    // The real component ends the response after its last event is shown: here a while
    // later, so that anything the page does meanwhile happens while it still responds.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    this.responding = false;
    this.dispatchEvent(new CustomEvent("chatkit.response.end"));
    return events;
  }
});
"""


def _embed_with_double(page: Page, name: str):
    page.route(CDN, lambda route: route.fulfill(status=200, content_type="application/javascript",
                                                 body=CHATKIT_DOUBLE_THAT_STREAMS))
    sign_up(page, name, new_email(name.lower()))


def _open_embed(page: Page):
    page.goto("/chat")
    expect(page.frame_locator("iframe#chatkit-embed").get_by_text("ChatKit test double")).to_be_visible()
    panel = page.get_by_role("complementary", name="Your tasks")
    if not panel.is_visible():
        page.get_by_role("button", name="Tasks").click()
    expect(panel).to_be_visible()
    return _embed(page), panel


def _send(embed, body: dict):
    return embed.evaluate("(body) => document.querySelector('openai-chatkit').send(body)", body)


def _message(*parts) -> dict:
    content = [{"type": "input_text", "text": p} if isinstance(p, str) else p for p in parts]
    return {"content": content, "attachments": [], "inference_options": {}}


def _api(base: str, token: str, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{base}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30, **kwargs)


def test_at_in_the_official_ui_offers_the_users_tasks_and_the_tag_edits_exactly_that_one(
        embed_page: Page, embed_app_url: str):
    page = embed_page
    _embed_with_double(page, "Tess")
    token = page.evaluate("localStorage.getItem('todochat_token')")
    first = _api(embed_app_url, token, "POST", "/api/tasks", json={"title": "pay rent"}).json()["id"]
    second = _api(embed_app_url, token, "POST", "/api/tasks", json={"title": "pay rent"}).json()["id"]
    done = _api(embed_app_url, token, "POST", "/api/tasks", json={"title": "pay rent (october)"}).json()["id"]
    _api(embed_app_url, token, "POST", f"/api/tasks/{done}/complete")
    long_one = _api(embed_app_url, token, "POST", "/api/tasks", json={"title": "x" * 200}).json()["id"]
    embed, panel = _open_embed(page)

    # The component is told to offer tasks after "@", with its composer button for it.
    assert embed.evaluate("window.__chatkitOptions.entities.showComposerMenu") is True
    offered = embed.evaluate("window.__chatkitOptions.entities.onTagSearch('pay')")
    # The two open "pay rent" read the same: the menu tells them apart by their numbers.
    assert [(e["title"], e["group"]) for e in offered] == [(f"pay rent (#{first})", "Open"),
                                                          (f"pay rent (#{second})", "Open"),
                                                          ("pay rent (october)", "Done")]
    # What the endpoint would refuse is cut to what it takes: 200 characters, no NUL, no
    # lone surrogate.
    search = "(q) => window.__chatkitOptions.entities.onTagSearch(q)"
    assert [e["data"]["task_id"] for e in embed.evaluate(search, "\x00" + "x" * 5000)] == [str(long_one)]
    assert [e["title"] for e in embed.evaluate("() => window.__chatkitOptions.entities.onTagSearch('pay\\ud800')")] \
        == [e["title"] for e in offered]

    # The second "pay rent", chosen and sent as the component sends a tag.
    [chosen] = [e for e in offered if e["data"]["task_id"] == str(second)]
    tag = {"type": "input_tag", "id": chosen["id"], "text": chosen["title"], "data": chosen["data"],
           "group": chosen["group"], "interactive": chosen["interactive"]}
    events = _send(embed, {"type": "threads.create", "params": {"input": _message("move ", tag, " to friday")}})
    assert not [e for e in events if e["type"] == "thread.item.done" and e["item"]["type"] == "structured_input"]
    tasks = {t["id"]: t for t in _api(embed_app_url, token, "GET", "/api/tasks?status=all").json()["items"]}
    assert tasks[second]["due"] and dt.date.fromisoformat(tasks[second]["due"][:10]).weekday() == 4
    assert tasks[first]["due"] is None and tasks[done]["due"] is None
    # The list beside the chat shows the move without a reload.
    expect(panel.locator("li.task-row .task-due")).to_have_count(1)


def test_the_task_list_beside_the_official_ui_follows_turns_ticks_and_answers(
        embed_page: Page, embed_app_url: str):
    page = embed_page
    _embed_with_double(page, "Lars")
    embed, panel = _open_embed(page)
    rows = panel.locator("li.task-row")
    expect(rows).to_have_count(0)

    # A turn that adds: the server's effect reaches the page, and the list reads it.
    events = _send(embed, {"type": "threads.create", "params": {"input": _message("add buy milk")}})
    thread_id = events[0]["thread"]["id"]
    expect(rows.filter(has_text="buy milk")).to_have_count(1)
    assert embed.evaluate("window.__effects") == ["tasks_changed"]

    # A turn that only reads changes nothing and says nothing.
    _send(embed, {"type": "threads.add_user_message",
                  "params": {"thread_id": thread_id, "input": _message("show my tasks")}})
    assert embed.evaluate("window.__effects") == ["tasks_changed"]

    # A ticked row on a card: a JSON answer whose header says tasks changed.
    card = next(e["item"] for e in events if e["type"] == "thread.item.done" and e["item"]["type"] == "widget")
    task_id = int(card["widget"]["id"].removeprefix("task_").removesuffix("_card"))
    tick = _find(card["widget"], f"complete_task_{task_id}_checkbox")["onChangeAction"]
    _send(embed, {"type": "threads.sync_custom_action",
                  "params": {"thread_id": thread_id, "item_id": card["id"], "action": tick}})
    expect(rows.filter(has_text="buy milk")).to_have_count(0)  # the list shows open tasks

    # "Which one?" asked as a form and answered: the answer's change shows too.
    _send(embed, {"type": "threads.add_user_message",
                  "params": {"thread_id": thread_id, "input": _message("add water the plants")}})
    _send(embed, {"type": "threads.add_user_message",
                  "params": {"thread_id": thread_id, "input": _message("add water the garden")}})
    expect(rows).to_have_count(2)
    asked = _send(embed, {"type": "threads.add_user_message",
                          "params": {"thread_id": thread_id, "input": _message("complete water")}})
    question = next(e["item"] for e in asked if e["type"] == "thread.item.done"
                    and e["item"]["type"] == "structured_input")
    [field] = question["inputs"]
    assert sorted(o["value"] for o in field["options"]) == ["water the garden", "water the plants"]
    _send(embed, {"type": "threads.add_structured_input", "params": {
        "thread_id": thread_id, "item_id": question["id"],
        "input": {"status": "answered", "answers": {field["id"]: {"values": ["water the garden"]}}}}})
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("water the plants")
    # The component was asked to read the thread again (the list changed beside it), but
    # never while a reply was still streaming.
    embed.wait_for_function("window.__fetches.after > 0")
    assert embed.evaluate("window.__fetches.during") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embed-live-task-list.png"))
