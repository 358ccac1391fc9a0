"""The conversation list beside the chat: open, start, page through, rename and delete.

A part of ChatState (a Reflex state mixin; chat_state.py puts the parts together).
"""

from __future__ import annotations

import datetime as dt

import reflex as rx
from chatkit.store import NotFoundError

from todochat.ui.auth_state import to_sign_in
from todochat.ui.chat_conversation import ChatConversation, form_field
from todochat.ui.chat_items import ThreadEntry
from todochat.zones import from_naive_utc

THREADS_PAGE = 20


def thread_entry(thread: dict, tz: dt.tzinfo, today: dt.date | None = None) -> ThreadEntry:
    """A row of the list: the title, and when it was started (the time today, else the date)."""
    created = thread.get("created_at") or ""
    when = ""
    try:
        local = from_naive_utc(dt.datetime.fromisoformat(created)).astimezone(tz)
        today = today or dt.datetime.now(tz).date()
        when = local.strftime("%H:%M") if local.date() == today else f"{local:%b} {local.day}"
    except ValueError:
        pass
    return ThreadEntry(id=thread["id"], title=thread.get("title") or "New conversation", when=when)


class ChatThreads(ChatConversation, mixin=True):
    threads: list[ThreadEntry] = []
    threads_after: str = ""
    renaming_id: str = ""
    deleting_id: str = ""
    show_threads: bool = False  # the list's drawer, on narrow screens
    # The zone the list's times were written in: the browser's answer may come later.
    _threads_zone: str = ""

    async def _load_threads(self, more: bool = False) -> None:
        page = await self._client().list_threads(limit=THREADS_PAGE, after=self.threads_after if more else None)
        entries = [thread_entry(t, self._zone()) for t in page["data"]]
        self.threads = (self.threads + entries) if more else entries
        self.threads_after = page["data"][-1]["id"] if page.get("has_more") and page["data"] else ""
        self._threads_zone = self._zone_name

    @rx.event
    async def open_thread(self, thread_id: str):
        if not isinstance(thread_id, str):
            return  # a tampered event: ids from the browser are strings
        if not self._resolve_user():
            return to_sign_in()
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
    def start_rename(self, thread_id: str):
        self.renaming_id = thread_id if isinstance(thread_id, str) else ""

    @rx.event
    def cancel_rename(self):
        self.renaming_id = ""

    @rx.event
    async def save_rename(self, form: dict):
        title = " ".join(str(form_field(form, "title")).split())[:100]
        thread_id = self.renaming_id
        self.renaming_id = ""
        if not title or not thread_id or not self._resolve_user():
            return
        try:
            await self._client().rename_thread(thread_id, title)
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
        try:
            await self._client().delete_thread(thread_id)
        except NotFoundError:
            pass  # already gone: the list below shows the truth
        await self._load_threads()
        if thread_id == self.thread_id:
            self._start_blank()
            return self._url_script()
