"""State of the chat page: a ChatKit client talking to the app's server in-process.

ChatState is put together from parts, each a Reflex state mixin in a module of its own:
the conversation on screen (chat_conversation.py), the conversation list
(chat_threads.py) and a turn (chat_turn.py). This module adds the page's lifecycle, the
ChatKit embed, keeping cards current and the drawers. See docs/architecture.md,
"One chat message".
"""

from __future__ import annotations

import reflex as rx
from chatkit.store import NotFoundError

from todochat.chat.factory import shared_chatkit_server
from todochat.settings import settings
from todochat.ui.auth_state import AuthState, to_sign_in
from todochat.ui.chat_items import message_of
from todochat.ui.chat_scripts import BRIDGE_JS, REFRESH_ON_RETURN_JS, TURN_WATCH_JS
from todochat.ui.chat_lost_turn import is_about_a_lost_turn
from todochat.ui.chat_turn import ChatTurn, turn_was_lost

EMBED_TIMEOUT_MS = 5000
EXAMPLE_PROMPTS = [
    "add pay rent tomorrow high priority",
    "show my tasks",
    "what is due this week?",
]


class ChatState(ChatTurn, AuthState):
    show_tasks: bool = False  # the task list's drawer, on narrow screens
    # "native" (no domain key), "waiting" (the embed has 5 s), "ready" or "failed".
    embed: str = "native"
    chatkit_domain_key: str = ""

    # -- page lifecycle

    @rx.event
    async def load(self):
        if not self._resolve_user():
            return to_sign_in()
        self.show_threads = self.show_tasks = False
        self.renaming_id = self.deleting_id = ""
        # A turn cut off by a restart or a dead worker: what was stored shows below,
        # reopened from the database.
        lost = self._end_lost_turn() if await turn_was_lost(self.sending, self._turn_process) else None
        self.loading_thread = True
        wanted = self.router.url.query_parameters.get("thread", "")
        await self._load_threads()
        if self.sending:
            # A reply is being written into this tab's conversation (a reload mid-reply, or a
            # message sent before this load ran): it stays as the turn keeps it.
            pass
        elif wanted and wanted != self.thread_id:
            if not await self._open(wanted):
                self._start_blank()
                self.notice = "That conversation was not found."
        elif not wanted:
            self._start_blank()
        elif wanted == self.thread_id:
            # Same thread, fresh from the database. A lost turn's error stays: the turn
            # watch may have ended that turn just before this load ran.
            kept = (self.turn_error, self.can_retry, self._retry_item)
            await self._open(wanted)
            if lost is None and is_about_a_lost_turn(kept[0]):
                self.turn_error, self.can_retry, self._retry_item = kept
        take_back = self._say_turn_was_lost(lost) if lost else None  # under the conversation as stored
        self.loading_thread = False
        # The browser's zone, so "tomorrow" is the user's and the list's times are local.
        events = [self._ask_zone(ChatState.set_timezone), rx.call_script(REFRESH_ON_RETURN_JS),
                  rx.call_script(TURN_WATCH_JS), *([take_back] if take_back else [])]
        if self.sending and self.thread_id:
            events.append(self._url_script())  # the running reply's conversation, in the address
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

    @rx.event
    async def set_timezone(self, tz: str):
        """The browser's zone (asked for by ``load``); the list's times follow it."""
        self._take_zone(tz)
        if self._threads_zone != self._zone_name and self._resolve_user():
            await self._load_threads()

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
        try:
            items = await shared_chatkit_server().store.load_current_items(self.thread_id, shown, self._context())
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

    # -- drawers (narrow screens)

    @rx.event
    def toggle_threads(self):
        self.show_threads, self.show_tasks = not self.show_threads, False

    @rx.event
    def toggle_tasks(self):
        self.show_tasks, self.show_threads = not self.show_tasks, False

    @rx.event
    def close_drawers(self):
        self.show_threads = self.show_tasks = False
