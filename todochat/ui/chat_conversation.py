"""The conversation on the chat page: which thread is open and what it shows.

A part of ChatState (a Reflex state mixin; ChatState in chat_state.py puts the parts
together). Requests go through ``ChatClient`` (the same protocol POST /chatkit speaks)
with the signed-in user as context; see docs/architecture.md, "One chat message".
"""

from __future__ import annotations

import json

import reflex as rx
from chatkit.store import NotFoundError

from todochat.chat.client import ChatClient
from todochat.chat.context import RequestContext
from todochat.chat.factory import shared_chatkit_server
from todochat.ui.auth_state import AuthState
from todochat.ui.chat_items import ChatMessage, message_of

ITEMS_PAGE = 40


class ChatConversation(AuthState, mixin=True):
    thread_id: str = ""
    thread_title: str = ""
    # The finished messages; the reply being written lives in ``live``, so a text delta
    # re-sends only the in-flight items, never the conversation.
    messages: list[ChatMessage] = []
    live: list[ChatMessage] = []
    earlier_after: str = ""
    loading_thread: bool = False
    # A reply is being written: the conversation cannot be switched meanwhile.
    sending: bool = False
    progress: str = ""
    turn_error: str = ""
    can_retry: bool = False
    notice: str = ""
    # The user message a Retry answers again.
    _retry_item: str = ""

    def _context(self) -> RequestContext:
        return RequestContext(user_id=self._user_id, engine=self._engine(), tz=self._zone())

    def _client(self) -> ChatClient:
        return ChatClient(shared_chatkit_server(), self._context(), preflight=True)

    def _url_script(self) -> rx.event.EventSpec:
        path = f"/chat?thread={self.thread_id}" if self.thread_id else "/chat"
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(path)})")

    async def _open(self, thread_id: str) -> bool:
        client = self._client()
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

    def _start_blank(self) -> None:
        self.thread_id, self.thread_title, self.messages, self.live = "", "", [], []
        self.earlier_after, self.turn_error, self.can_retry, self.progress, self.notice = "", "", False, "", ""
        self._retry_item = ""

    @rx.event
    async def load_earlier(self):
        if not (self.thread_id and self.earlier_after and self._resolve_user()):
            return
        client = self._client()
        page = await client.list_items(self.thread_id, limit=ITEMS_PAGE, after=self.earlier_after, order="desc")
        older = [m for m in (message_of(i) for i in reversed(page["data"])) if m is not None]
        self.messages = older + self.messages
        self.earlier_after = page["data"][-1]["id"] if page.get("has_more") and page["data"] else ""

    @rx.event
    def dismiss_notice(self):
        self.notice = ""


def form_field(form: object, name: str) -> str:
    """A submitted form's text field; anything else (a tampered event) reads as empty."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""
