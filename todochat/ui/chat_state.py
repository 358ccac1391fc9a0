"""State of the chat page: a ChatKit client talking to the app's server in-process.

Requests go through ``ChatClient`` (the same protocol POST /chatkit speaks) with the
signed-in user as context. Streams run in background events so the page stays
responsive, and the reply being written lives in ``live``, apart from the finished
``messages``: a text delta re-sends only the in-flight items, never the conversation.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import reflex as rx
from chatkit.store import NotFoundError
from chatkit.types import ThreadStreamEvent

from todochat.chat.client import ChatClient
from todochat.chat.context import RequestContext
from todochat.chat.factory import shared_chatkit_server
from todochat.chat.preflight import UnsupportedRequest
from todochat.db import get_engine
from todochat.limits import MESSAGE_MAX_CHARS
from todochat.settings import settings
from todochat.ui.auth_state import SIGN_IN, AuthState
from todochat.ui.chat_items import ChatMessage, ThreadEntry, apply_update, message_of
from todochat.ui.task_state import TaskState
from todochat.zones import from_naive_utc, zone_or_none

log = logging.getLogger(__name__)

THREADS_PAGE = 20
ITEMS_PAGE = 40
# Deltas are pushed to the browser at most this often; structural events go at once.
FLUSH_SECONDS = 0.05
EMBED_TIMEOUT_MS = 5000
EXAMPLE_PROMPTS = [
    "add pay rent tomorrow high priority",
    "show my tasks",
    "what is due this week?",
]

# Puts a waiting message back in the message box, before anything typed since, and
# grows the box to fit (the input event is what the box's auto height listens to).
# Messages that may wait for the running reply (typed during it); more go back into the box.
QUEUE_MAX = 5

TAKE_BACK_JS = """(() => {
  const box = document.getElementById("composer");
  if (!box) return;
  const text = %s;
  box.value = box.value.trim() ? text + "\\n" + box.value : text;
  box.dispatchEvent(new Event("input", {bubbles: true}));
  box.focus();
  box.setSelectionRange(text.length, text.length);
})()"""

# The parent half of the ChatKit embed, installed into the page by ``load``.
BRIDGE_JS = (Path(__file__).resolve().parents[2] / "assets" / "chatkit" / "bridge.js").read_text()

# The cards are refreshed when the page is looked at again (tab shown, window focused: a
# task may have changed on another page, device or through the API) and when the task
# list beside the chat changes (components/card_refresh.py). Installed once per tab.
REFRESH_ON_RETURN_JS = """
if (!window.__todochatCardRefresh) {
  window.__todochatCardRefresh = true;
  const refresh = () => document.getElementById("refresh-cards")?.click();
  // Coming back fires both focus and visibilitychange: one refresh for the two.
  let returned = 0;
  const onReturn = () => { if (Date.now() - returned > 1000) { returned = Date.now(); refresh(); } };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") onReturn(); });
  window.addEventListener("focus", onReturn);
  new MutationObserver((changes) => {
    if (changes.some((c) => c.target.id === "task-list-signature")) refresh();
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-signature"] });
}
"""

# Stop buttons of the turns this process is streaming, by browser tab.
_STOPS: dict[str, asyncio.Event] = {}
# Browser tabs whose turn this process is running (changed only under the state's lock).
# Without Redis the state lives in this process alone, so a tab whose state says "sending"
# and is not here had its turn cut off by a backend restart (`make dev` restarts on every
# source change, and keeps the state on disk): its next page load ends that turn.
_TURNS: set[str] = set()


def _thread_entry(thread: dict, tz: dt.tzinfo) -> ThreadEntry:
    created = thread.get("created_at") or ""
    when = ""
    try:
        stamp = dt.datetime.fromisoformat(created)
        stamp = from_naive_utc(stamp)
        local = stamp.astimezone(tz)
        today = dt.datetime.now(tz).date()
        when = local.strftime("%H:%M") if local.date() == today else f"{local:%b} {local.day}"
    except ValueError:
        pass
    return ThreadEntry(id=thread["id"], title=thread.get("title") or "New conversation", when=when)


class ChatState(AuthState):
    threads: list[ThreadEntry] = []
    threads_after: str = ""
    thread_id: str = ""
    thread_title: str = ""
    messages: list[ChatMessage] = []
    live: list[ChatMessage] = []
    earlier_after: str = ""
    loading_thread: bool = False
    sending: bool = False
    progress: str = ""
    turn_error: str = ""
    can_retry: bool = False
    notice: str = ""
    announce: str = ""
    # Messages sent while a reply was still being written, in order; each goes when the
    # turn before it ends.
    queued: list[str] = []
    busy_uid: str = ""
    busy_item: str = ""
    renaming_id: str = ""
    deleting_id: str = ""
    show_threads: bool = False
    show_tasks: bool = False
    # "native" (no domain key), "waiting" (the embed has 5 s), "ready" or "failed".
    embed: str = "native"
    chatkit_domain_key: str = ""
    _retry_item: str = ""

    # -- plumbing

    async def _zone(self) -> dt.tzinfo:
        """The browser's zone (the task page asks for it), so "tomorrow" is the user's."""
        tasks = await self.get_state(TaskState)
        return zone_or_none(tasks.tz) or ZoneInfo("UTC")

    async def _client(self) -> ChatClient:
        context = RequestContext(user_id=self._user_id, engine=get_engine(), tz=await self._zone())
        return ChatClient(shared_chatkit_server(), context, preflight=True)

    def _url_script(self) -> rx.event.EventSpec:
        path = f"/chat?thread={self.thread_id}" if self.thread_id else "/chat"
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(path)})")

    async def _load_threads(self, more: bool = False) -> None:
        client = await self._client()
        page = await client.list_threads(limit=THREADS_PAGE, after=self.threads_after if more else None)
        zone = await self._zone()
        entries = [_thread_entry(t, zone) for t in page["data"]]
        self.threads = (self.threads + entries) if more else entries
        self.threads_after = page["data"][-1]["id"] if page.get("has_more") and page["data"] else ""

    async def _open(self, thread_id: str) -> bool:
        client = await self._client()
        try:
            thread = await client.get_thread(thread_id)
            page = await client.list_items(thread_id, limit=ITEMS_PAGE, order="desc")
        except NotFoundError:
            return False
        self.thread_id, self.thread_title = thread["id"], thread.get("title") or "New conversation"
        items = list(reversed(page["data"]))
        self.messages = [m for m in (message_of(i) for i in items) if m is not None]
        self.earlier_after = page["data"][-1]["id"] if page.get("has_more") and page["data"] else ""
        self.live, self.turn_error, self.can_retry, self.progress, self.notice = [], "", False, "", ""
        self._retry_item = ""
        return True

    def _end_lost_turn(self) -> None:
        self.sending, self.progress, self.live, self.queued = False, "", [], []
        self.busy_uid = self.busy_item = ""

    def _start_blank(self) -> None:
        self.thread_id, self.thread_title, self.messages, self.live = "", "", [], []
        self.earlier_after, self.turn_error, self.can_retry, self.progress, self.notice = "", "", False, "", ""
        self._retry_item = ""

    # -- page lifecycle

    @rx.event
    async def load(self):
        if not self._resolve_user():
            return rx.redirect(SIGN_IN)
        self.show_threads = self.show_tasks = False
        self.renaming_id = self.deleting_id = ""
        # A turn cut off by a restart: what was stored shows below, reopened from the database.
        lost = self.sending and not settings.REDIS_URL and self.router.session.client_token not in _TURNS
        if lost:
            self._end_lost_turn()
        self.loading_thread = True
        wanted = self.router.url.query_parameters.get("thread", "")
        await self._load_threads()
        if wanted and wanted != self.thread_id:
            if not await self._open(wanted):
                self._start_blank()
                self.notice = "That conversation was not found."
        elif not wanted:
            self._start_blank()
        elif wanted == self.thread_id:
            await self._open(wanted)  # same thread, fresh from the database
        if lost:
            self.notice = "The server restarted before the reply was finished."
        self.loading_thread = False
        events = [rx.call_script(REFRESH_ON_RETURN_JS)]
        self.chatkit_domain_key = settings.CHATKIT_DOMAIN_KEY or ""
        if self.chatkit_domain_key and self.embed != "failed":
            self.embed = "waiting"
            # The embed page has EMBED_TIMEOUT_MS to say "ready"; the bridge answers either way.
            events.append(rx.call_script(
                f"{BRIDGE_JS}\nwindow.todochatChatkit.whenReady({EMBED_TIMEOUT_MS})",
                callback=ChatState.embed_result,
            ))
        elif not self.chatkit_domain_key:
            self.embed = "native"
        return events

    # -- cards kept current

    @rx.event
    async def refresh_cards(self):
        """Cards on screen show their tasks as they are now.

        Run when the task list beside the chat changes and when the page comes back into
        view (a task may have changed on the Tasks page, in another tab or through the
        API). The server re-renders the cards from the database; nothing the browser
        holds is trusted. The ChatKit embed is asked to fetch its updates instead.
        """
        if self.embed == "ready":
            return rx.call_script("window.todochatChatkit && window.todochatChatkit.refresh()")
        if not self.thread_id or self.sending or self.loading_thread:
            return
        shown = [m.id for m in self.messages if m.role == "widget"]
        if not shown or not self._resolve_user():
            return
        context = RequestContext(user_id=self._user_id, engine=get_engine(), tz=await self._zone())
        try:
            items = await shared_chatkit_server().store.load_current_items(self.thread_id, shown, context)
        except NotFoundError:
            return
        current = {m.id: m for m in (message_of(i.model_dump(mode="json")) for i in items) if m is not None}
        if any(m.id in current and current[m.id].widget != m.widget for m in self.messages):
            self.messages = [
                current[m.id] if m.id in current and current[m.id].widget != m.widget else m for m in self.messages
            ]

    @rx.event
    def embed_result(self, status: str):
        self.embed = "ready" if status == "ready" else "failed"

    # -- conversations

    @rx.event
    async def open_thread(self, thread_id: str):
        if not isinstance(thread_id, str):
            return  # a tampered event: ids from the browser are strings
        if not self._resolve_user():
            return rx.redirect(SIGN_IN)
        if self.sending:
            return
        self.loading_thread, self.show_threads = True, False
        if not await self._open(thread_id):
            self.notice = "That conversation was not found."
            await self._load_threads()
        self.loading_thread = False
        return self._url_script()

    @rx.event
    def new_thread(self):
        if self.sending:
            return
        self._start_blank()
        self.show_threads = False
        return [self._url_script(), rx.set_focus("composer")]

    @rx.event
    async def more_threads(self):
        if self.threads_after and self._resolve_user():
            await self._load_threads(more=True)

    @rx.event
    async def load_earlier(self):
        if not (self.thread_id and self.earlier_after and self._resolve_user()):
            return
        client = await self._client()
        page = await client.list_items(self.thread_id, limit=ITEMS_PAGE, after=self.earlier_after, order="desc")
        older = [m for m in (message_of(i) for i in reversed(page["data"])) if m is not None]
        self.messages = older + self.messages
        self.earlier_after = page["data"][-1]["id"] if page.get("has_more") and page["data"] else ""

    @rx.event
    def start_rename(self, thread_id: str):
        self.renaming_id = thread_id if isinstance(thread_id, str) else ""

    @rx.event
    def cancel_rename(self):
        self.renaming_id = ""

    @rx.event
    async def save_rename(self, form: dict):
        title = " ".join(str(_field(form, "title")).split())[:100]
        thread_id = self.renaming_id
        self.renaming_id = ""
        if not title or not thread_id or not self._resolve_user():
            return
        client = await self._client()
        try:
            await client.rename_thread(thread_id, title)
        except NotFoundError:
            self.notice = "That conversation was not found."
        await self._load_threads()
        if thread_id == self.thread_id:
            self.thread_title = title

    @rx.event
    def ask_delete(self, thread_id: str):
        self.deleting_id = thread_id if isinstance(thread_id, str) else ""

    @rx.event
    def cancel_delete(self):
        self.deleting_id = ""

    @rx.event
    async def confirm_delete(self):
        thread_id = self.deleting_id
        self.deleting_id = ""
        if not thread_id or not self._resolve_user():
            return
        client = await self._client()
        try:
            await client.delete_thread(thread_id)
        except NotFoundError:
            pass  # already gone: the list below shows the truth
        await self._load_threads()
        if thread_id == self.thread_id:
            self._start_blank()
            return self._url_script()

    @rx.event
    def toggle_threads(self):
        self.show_threads, self.show_tasks = not self.show_threads, False

    @rx.event
    def toggle_tasks(self):
        self.show_tasks, self.show_threads = not self.show_tasks, False

    @rx.event
    def close_drawers(self):
        self.show_threads = self.show_tasks = False

    @rx.event
    def dismiss_notice(self):
        self.notice = ""

    # -- a turn

    @rx.event(background=True)
    async def send(self, form: dict):
        # The form empties the box itself (reset_on_submit), so what is typed next is
        # never wiped by a late server reply; this text is the only copy from here on.
        text = _field(form, "message").strip()
        refused = ""
        async with self:
            if not text:
                return
            signed_in = self._resolve_user()
            if signed_in and len(text) > MESSAGE_MAX_CHARS:
                self.turn_error = f"That message is too long (over {MESSAGE_MAX_CHARS} characters)."
                self.can_retry = False
                return
            if signed_in and self.sending:
                # A reply is still being written: this message goes as soon as it ends.
                # A few at most: each is a turn of its own (a paid one, with a real model).
                if len(self.queued) < QUEUE_MAX:
                    self.queued.append(text)
                    return
                self.notice = f"{QUEUE_MAX} messages are already waiting; this one is back in the box."
                refused = text
            elif signed_in:
                self._begin_turn()
                client = await self._client()
                thread_id = self.thread_id
        if refused:
            yield rx.call_script(TAKE_BACK_JS % json.dumps(refused))
            return
        if not signed_in:
            yield rx.redirect(SIGN_IN)
            return
        stream = client.send(thread_id, text) if thread_id else client.create_thread(text)
        async for update in self._run(stream):
            yield update

    @rx.event
    def unqueue(self, index: int, text: str):
        """Take a waiting message back into the box to change it (if it has not gone yet)."""
        if isinstance(index, int) and 0 <= index < len(self.queued) and self.queued[index] == text:
            del self.queued[index]
            return rx.call_script(TAKE_BACK_JS % json.dumps(text))

    @rx.event(background=True)
    async def retry(self):
        async with self:
            if self.sending or not self._retry_item or not self._resolve_user():
                return
            item_id = self._retry_item
            # The server drops everything after the question and answers it again.
            keep = next((i for i, m in enumerate(self.messages) if m.id == item_id), None)
            if keep is not None:
                self.messages = self.messages[: keep + 1]
            self._begin_turn()
            client = await self._client()
            thread_id = self.thread_id
        async for update in self._run(client.retry(thread_id, item_id)):
            yield update

    @rx.event
    def stop(self):
        stop = _STOPS.get(self.router.session.client_token)
        if stop is not None:
            stop.set()

    @rx.event(background=True)
    async def widget_action(self, action_json: str, uid: str, handler: str, loading: str, values: dict):
        if not action_json:
            return  # a control without an action (e.g. a plain checkbox in a form)
        try:
            spec = json.loads(action_json)
            item_id, action = str(spec["item_id"]), dict(spec["action"])
        except (ValueError, KeyError, TypeError):
            return
        if isinstance(values, dict) and values:
            payload = action.get("payload") if isinstance(action.get("payload"), dict) else {}
            action["payload"] = {**{str(k): v for k, v in values.items()}, **payload}
        if handler == "client":
            async with self:
                await self._client_hook(action)
            return
        async with self:
            if self.sending or not self.thread_id:
                return
            signed_in = self._resolve_user()
            if signed_in:
                self._begin_turn(progress="")
                if loading == "container":
                    self.busy_item = item_id
                elif loading != "none":
                    self.busy_uid = uid
                client = await self._client()
                thread_id = self.thread_id
        if not signed_in:
            yield rx.redirect(SIGN_IN)
            return
        async for update in self._run(client.custom_action(thread_id, item_id, action)):
            yield update

    async def _client_hook(self, action: dict) -> None:
        """Buttons whose ActionConfig says handler="client": named hooks run here, not on the server."""
        kind = action.get("type")
        payload = action.get("payload") or {}
        if kind == "tasks.refresh":
            (await self.get_state(TaskState))._reload()
        elif kind == "chat.new":
            self._start_blank()
        elif kind == "chat.notice" and isinstance(payload.get("text"), str):
            self.notice = payload["text"][:300]
        else:
            self.notice = "That button does nothing here."

    def _begin_turn(self, progress: str = "Thinking…") -> None:
        _TURNS.add(self.router.session.client_token)
        self.sending = True
        self.turn_error, self.can_retry, self.notice = "", False, ""
        self.progress = progress
        self.announce = ""

    async def _run(self, stream: AsyncIterator[ThreadStreamEvent]):
        """Consume one stream, pushing changes to the browser; always ends the turn."""
        live: dict[str, dict] = {}  # in-flight items, raw protocol JSON, in arrival order
        finished: list[ChatMessage] = []
        replaced: dict[str, ChatMessage | None] = {}  # history items replaced (None: removed)
        thread: dict | None = None
        thread_touched = False  # created or renamed: the conversation list must be re-read
        retry_item: str | None = None
        progress: str | None = None
        error: tuple[str, bool] | None = None
        notice: str | None = None
        next_turn: tuple[ChatClient, str, str] | None = None  # a waiting message, started as this turn ends
        take_back = ""  # waiting messages handed back to the box after a Stop or a failure
        # A new conversation goes into the address as soon as it exists, not when the reply
        # ends: a reload (or a backend restart) in the middle of a turn reopens it.
        url_due = False
        async with self:
            token = self.router.session.client_token
        stop = _STOPS[token] = asyncio.Event()
        stopped = False
        last_flush = 0.0
        # One task reads the whole stream: the SDK's generator sets context variables
        # that must be reset in the context that set them, and cancelling this task is
        # how Stop cancels the server's run (and its tools).
        queue: asyncio.Queue = asyncio.Queue()

        async def pump() -> None:
            try:
                async for streamed in stream:
                    await queue.put(streamed)
            except Exception as exc:  # handed to the reader below
                await queue.put(exc)
            finally:
                await queue.put(None)

        reader = asyncio.create_task(pump())
        stop_wait = asyncio.ensure_future(stop.wait())

        async def flush(final: bool = False) -> None:
            nonlocal finished, replaced, thread, retry_item, progress, error, notice, last_flush, next_turn, take_back
            nonlocal url_due
            async with self:
                if retry_item is not None:
                    self._retry_item = retry_item
                if thread is not None:
                    if not self.thread_id:
                        self.thread_id = thread["id"]
                        url_due = not final
                    self.thread_title = thread.get("title") or self.thread_title or "New conversation"
                if finished:
                    self.messages.extend(finished)
                for item_id, message in replaced.items():
                    index = next((i for i, m in enumerate(self.messages) if m.id == item_id), None)
                    if index is None:
                        continue
                    if message is None:
                        del self.messages[index]
                    else:
                        self.messages[index] = message
                self.live = [m for m in (message_of(i, streaming=True) for i in live.values()) if m is not None]
                if progress is not None:
                    self.progress = progress
                if notice is not None:
                    self.notice = notice
                if error is not None:
                    self.turn_error, self.can_retry = error
                if final:
                    await self._end_turn(stopped, reload_threads=thread_touched)
                    if stopped or self.turn_error:
                        # Stop means stop, and a failed reply stays in view with its Retry:
                        # the waiting messages go back into the box, unsent, nothing lost.
                        waiting, self.queued = self.queued, []
                        if waiting:
                            take_back = "\n".join(waiting)
                    else:
                        # Under the same lock, so nothing sent meanwhile can overtake a waiting message.
                        next_turn = await self._start_queued_turn()
            finished, replaced, thread, retry_item, progress, error, notice = [], {}, None, None, None, None, None
            last_flush = time.monotonic()

        try:
            while True:
                next_event = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({next_event, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
                if next_event not in done:
                    next_event.cancel()
                    reader.cancel()
                    await asyncio.gather(reader, return_exceptions=True)
                    stopped = True
                    break
                event = next_event.result()
                if event is None:
                    break
                if isinstance(event, Exception):
                    raise event
                urgent = True
                kind = event.type
                if kind in ("thread.created", "thread.updated"):
                    thread = event.thread.model_dump(mode="json")
                    thread_touched = True
                elif kind == "thread.item.added":
                    live[event.item.id] = event.item.model_dump(mode="json")
                    progress = "" if event.item.type != "user_message" else progress
                elif kind == "thread.item.updated":
                    if event.item_id in live:
                        live[event.item_id] = apply_update(live[event.item_id], event.update.model_dump(mode="json"))
                        urgent = False
                elif kind == "thread.item.done":
                    live.pop(event.item.id, None)
                    message = message_of(event.item.model_dump(mode="json"))
                    if event.item.type == "user_message":
                        retry_item = event.item.id
                    if message is not None:
                        finished.append(message)
                elif kind == "thread.item.replaced":
                    raw = event.item.model_dump(mode="json")
                    if event.item.id in live:
                        live[event.item.id] = raw
                    else:
                        replaced[event.item.id] = message_of(raw)
                elif kind == "thread.item.removed":
                    if live.pop(event.item_id, None) is None:
                        replaced[event.item_id] = None
                elif kind == "progress_update":
                    progress = event.text
                elif kind == "notice":
                    notice = event.message
                elif kind == "error":
                    error = (event.message or "Something went wrong. Try again.", bool(event.allow_retry))
                if urgent or time.monotonic() - last_flush >= FLUSH_SECONDS:
                    await flush()
                    if url_due:
                        url_due = False
                        yield ChatState.sync_url
        except NotFoundError:
            error = ("That conversation or card no longer exists.", False)
        except UnsupportedRequest as exc:
            error = (str(exc), False)
        except Exception:  # the server failed outside the protocol: say so, keep the page
            log.exception("chat stream failed")
            error = ("The assistant could not answer. Try again.", True)
        finally:
            stop_wait.cancel()
            _STOPS.pop(token, None)
            if not reader.done():
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)
        # Whatever was still being written stays on the page, as written so far.
        for raw in live.values():
            message = message_of(raw)
            if message is not None:
                finished.append(message)
        live.clear()
        await flush(final=True)
        yield ChatState.sync_url
        if take_back:
            yield rx.call_script(TAKE_BACK_JS % json.dumps(take_back))
        if next_turn is not None:
            client, thread_id, text = next_turn
            stream = client.send(thread_id, text) if thread_id else client.create_thread(text)
            async for update in self._run(stream):
                yield update

    async def _start_queued_turn(self) -> tuple[ChatClient, str, str] | None:
        """Begin the turn of the first waiting message, if any (the state lock is held)."""
        if not self.queued:
            return None
        if not self._resolve_user():
            self.queued = []
            return None
        text = self.queued.pop(0)
        announce = self.announce  # the reply that just ended is still read out
        self._begin_turn()
        self.announce = announce
        return await self._client(), self.thread_id, text

    @rx.event
    def sync_url(self):
        return self._url_script()

    async def _end_turn(self, stopped: bool, reload_threads: bool) -> None:
        _TURNS.discard(self.router.session.client_token)
        self.sending = False
        self.progress = ""
        self.busy_uid = self.busy_item = ""
        if stopped:
            self.notice = "Stopped."
        last = next((m for m in reversed(self.messages) if m.role in ("assistant", "widget")), None)
        self.announce = (self.turn_error or (last.text if last else ""))[:500]
        # What the assistant changed shows in the task list without a reload.
        (await self.get_state(TaskState))._reload()
        if reload_threads:
            await self._load_threads()


def _field(form: object, name: str) -> str:
    """A submitted form's text field; anything else (a tampered event) reads as empty."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""
