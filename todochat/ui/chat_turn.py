"""A turn on the chat page: a message sent (or queued behind the running reply), a Retry,
a card's button, and Stop.

A part of ChatState (a Reflex state mixin; chat_state.py puts the parts together). Each
turn runs in a background event so the page stays responsive. ``TurnStream`` keeps the
stream's bookkeeping and ``drive`` decides when the page is told (chat_stream.py).

Stop works whichever worker receives it: its handler only sets ``_stop_requested`` in the
tab's state, which Reflex's state manager keeps (in Redis when several workers run). The
turn reads that flag each time it pushes changes, and every STOP_POLL_SECONDS while the
stream is quiet, then cancels the server's run. See docs/architecture.md, "One chat
message" and "Running several workers".
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import reflex as rx
from chatkit.types import ThreadStreamEvent

from todochat.chat.client import ChatClient
from todochat.limits import MESSAGE_MAX_CHARS
from todochat.live_processes import is_alive, this_process
from todochat.request_log import log_line
from todochat.ui.auth_state import to_sign_in
from todochat.ui.chat_conversation import form_field
from todochat.ui.chat_items import ANSWER, SKIP
from todochat.ui.chat_lost_turn import LostTurn, what_to_say
from todochat.ui.chat_mentions import ChatMentions
from todochat.ui.chat_scripts import TAKE_BACK_JS
from todochat.ui.chat_stream import Changes, TurnStream, drive
from todochat.ui.chat_threads import ChatThreads
from todochat.ui.task_state import TaskState

# Messages that may wait for the running reply (typed during it); more go back into the box.
QUEUE_MAX = 5


class ChatTurn(ChatMentions, ChatThreads, mixin=True):
    # The last finished reply (or the error), read out once by screen readers.
    announce: str = ""
    # Messages sent while a reply was still being written, in order; each goes when the
    # turn before it ends. ``_queued_content``: what each is sent as (its @-mention tags).
    queued: list[str] = []
    _queued_content: list[list[dict]] = []
    busy_uid: str = ""
    busy_item: str = ""
    # Set by Stop, read by the running turn (possibly on another worker).
    _stop_requested: bool = False
    # The process running this tab's turn (``this_process()`` there). A turn whose process is
    # gone was cut off: by a restart (`make dev` restarts on every source change and keeps
    # the state on disk), or by a worker that died (live_processes.py).
    _turn_process: str = ""
    # Which turn owns the page now (made by ``_begin_turn``), and the conversation it writes
    # into. A turn that finds another id here was ended meanwhile (taken for lost): it stops
    # and leaves the page alone.
    _turn_id: str = ""
    _turn_thread: str = ""

    @rx.event(background=True)
    async def send(self, form: dict):
        # The form empties the box itself (reset_on_submit), so what is typed next is
        # never wiped by a late server reply; this text is the only copy from here on.
        text = form_field(form, "message").strip()
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
                    self._queued_content.append(self._message_content(text))
                    return
                self.notice = f"{QUEUE_MAX} messages are already waiting; this one is back in the box."
                refused = text  # its chosen mentions stay chosen: it is back in the box
            elif signed_in:
                content = self._message_content(text)  # "@pay rent" chosen in the picker: a tag
                turn_id = self._begin_turn()
                client = self._client()
                thread_id = self.thread_id
        if refused:
            yield rx.call_script(TAKE_BACK_JS % json.dumps(refused))
            return
        if not signed_in:
            yield to_sign_in()
            return
        stream = client.send(thread_id, content) if thread_id else client.create_thread(content)
        async for update in self._run(stream, turn_id):
            yield update

    @rx.event
    def unqueue(self, index: int, text: str):
        """Take a waiting message back into the box to change it (if it has not gone yet)."""
        if isinstance(index, int) and 0 <= index < len(self.queued) and self.queued[index] == text:
            _, content = self._take_queued(index)
            self._remember_mentions(content)
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
            turn_id = self._begin_turn()
            self._retry_item = item_id  # asked again if this answer fails too
            client = self._client()
            thread_id = self.thread_id
        async for update in self._run(client.retry(thread_id, item_id), turn_id):
            yield update

    @rx.event
    async def stop(self):
        if self.sending:
            self._stop_requested = True
            # A turn no process is writing would never read the flag: end it here.
            if await turn_was_lost(self.sending, self._turn_process):
                return self._say_turn_was_lost(self._end_lost_turn())

    @rx.event
    async def check_turn(self):
        """Asked every few seconds while a reply is being written (components/turn_watch.py):
        a reply whose worker died gets no more updates, so the page would wait for it forever."""
        if await turn_was_lost(self.sending, self._turn_process):
            return self._say_turn_was_lost(self._end_lost_turn())

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
        if handler == "client" and action.get("type") in (ANSWER, SKIP):
            # A question's option (or "None of these"): the answer goes to the server as
            # threads.add_structured_input, which answers it like a turn. The server checks
            # that the item is a question of this user's that still waits, and which task
            # the value means.
            answers = _answers_of(action)
            if answers is False:
                return
            request = lambda client, thread_id: client.answer(thread_id, item_id, answers)  # noqa: E731
            loading = "container"
        elif handler == "client":
            async with self:
                refresh_tasks = self._client_hook(action)
            if refresh_tasks:
                yield TaskState.refresh
            return
        else:
            request = lambda client, thread_id: client.custom_action(thread_id, item_id, action)  # noqa: E731
        async with self:
            if self.sending or not self.thread_id:
                return
            signed_in = self._resolve_user()
            if signed_in:
                turn_id = self._begin_turn(progress="")
                if loading == "container":
                    self.busy_item = item_id
                elif loading != "none":
                    self.busy_uid = uid
                client = self._client()
                thread_id = self.thread_id
        if not signed_in:
            yield to_sign_in()
            return
        async for update in self._run(request(client, thread_id), turn_id):
            yield update

    def _client_hook(self, action: dict) -> bool:
        """Buttons whose ActionConfig says handler="client": named hooks run here, not on
        the server. True when the task list beside the chat must be read again."""
        kind = action.get("type")
        payload = action.get("payload") or {}
        if kind == "tasks.refresh":
            return True
        if kind == "chat.new":
            self._start_blank()
        elif kind == "chat.notice" and isinstance(payload.get("text"), str):
            self.notice = payload["text"][:300]
        else:
            self.notice = "That button does nothing here."
        return False

    def _begin_turn(self, progress: str = "Thinking…") -> str:
        """The page is this turn's now; returns the id its ``_run`` checks it by."""
        self.sending = True
        self._turn_process = this_process()
        self._turn_id, self._turn_thread = uuid.uuid4().hex, self.thread_id
        self._retry_item = ""  # until this turn's stream records the message it answers
        self._stop_requested = False
        self.turn_error, self.can_retry, self.notice = "", False, ""
        self.progress = progress
        self.announce = ""
        return self._turn_id

    async def _run(self, stream: AsyncIterator[ThreadStreamEvent], turn_id: str):
        """Consume one stream, pushing changes to the browser; always ends the turn, unless
        the page ended it meanwhile (taken for lost: then it only stops)."""
        turn = TurnStream()
        thread_created = asyncio.Event()

        async def flush() -> bool:
            async with self:
                if self._turn_id != turn_id:
                    return True  # stop: the page is no longer this turn's
                had_thread = bool(self.thread_id)
                self._show(turn.take())
                if self.thread_id and not had_thread:
                    thread_created.set()
                return self._stop_requested

        driving = asyncio.ensure_future(drive(stream, turn, flush))
        created = asyncio.ensure_future(thread_created.wait())
        try:
            await asyncio.wait({driving, created}, return_when=asyncio.FIRST_COMPLETED)
            if created.done() and not driving.done():
                # A new conversation goes into the address as soon as it exists, not when
                # the reply ends: a reload or a backend restart mid-reply reopens it.
                async with self:
                    url = self._url_script()
                yield url
            await driving
        finally:
            created.cancel()
            driving.cancel()  # a no-op once it has ended; stops the stream if we are cancelled
        turn.cut()
        take_back = ""  # waiting messages handed back to the box after a Stop or a failure
        next_turn = None  # a waiting message, started as this turn ends
        async with self:
            if self._turn_id != turn_id:
                return
            self._show(turn.take())
            self._end_turn(turn.stopped)
            if turn.thread_touched:  # created or renamed: the conversation list is re-read
                await self._load_threads()
            if turn.stopped or self.turn_error:
                # Stop means stop, and a failed reply stays in view with its Retry: the
                # waiting messages go back into the box, unsent, nothing lost.
                taken = [self._take_queued(0) for _ in list(self.queued)]
                for _, content in taken:
                    self._remember_mentions(content)
                take_back = "\n".join(text for text, _ in taken)
            else:
                # Under the same lock, so nothing sent meanwhile can overtake a waiting message.
                next_turn = self._start_queued_turn()
            url = self._url_script()
        yield url
        # What the assistant changed shows in the task list beside the chat.
        yield TaskState.refresh
        if take_back:
            yield rx.call_script(TAKE_BACK_JS % json.dumps(take_back))
        if next_turn is not None:
            client, thread_id, content, next_id = next_turn
            stream = client.send(thread_id, content) if thread_id else client.create_thread(content)
            async for update in self._run(stream, next_id):
                yield update

    def _show(self, changes: Changes) -> None:
        """Put a stream's changes on the page (the state lock is held)."""
        if changes.retry_item is not None:
            self._retry_item = changes.retry_item
        if changes.thread is not None:
            if not self.thread_id:
                self.thread_id = self._turn_thread = changes.thread["id"]
            self.thread_title = changes.thread.get("title") or self.thread_title or "New conversation"
        if changes.touches_messages():
            self.messages = changes.applied_to(self.messages)
        if changes.live is not None:
            self.live = changes.live
        if changes.progress is not None:
            self.progress = changes.progress
        if changes.notice is not None:
            self.notice = changes.notice
        if changes.error is not None:
            self.turn_error, self.can_retry = changes.error

    def _take_queued(self, index: int) -> tuple[str, list[dict]]:
        """Take a waiting message out of the queue: its text and what it is sent as. Taken
        back into the box, its tags are chosen mentions again (``_remember_mentions``)."""
        text = self.queued.pop(index)
        content = self._queued_content.pop(index) if index < len(self._queued_content) else None
        if not self.queued:
            self._queued_content = []
        return text, content or [{"type": "input_text", "text": text}]

    def _start_queued_turn(self) -> tuple[ChatClient, str, list[dict], str] | None:
        """Begin the turn of the first waiting message, if any (the state lock is held)."""
        if not self.queued:
            return None
        if not self._resolve_user():
            self.queued, self._queued_content = [], []
            return None
        _, content = self._take_queued(0)
        announce = self.announce  # the reply that just ended is still read out
        turn_id = self._begin_turn()
        self.announce = announce
        return self._client(), self.thread_id, content, turn_id

    def _end_lost_turn(self) -> LostTurn:
        """End a turn no process is writing; what it leaves for ``_say_turn_was_lost``."""
        lost = LostTurn(thread=self._turn_thread, question=self._retry_item, waiting="\n".join(self.queued))
        # The process that ran it could not log its end: this one does (request_log.py).
        log_line("chat_turn", user_id=self._user_id, thread_id=lost.thread, outcome="lost", lost_process=self._turn_process)
        while self.queued:  # handed back to the box (``_say_turn_was_lost``), tags with them
            self._remember_mentions(self._take_queued(0)[1])
        self.sending, self.progress, self.live = False, "", []
        self.busy_uid = self.busy_item = self._turn_process = self._turn_id = ""
        self._stop_requested = False
        return lost

    def _say_turn_was_lost(self, lost: LostTurn):
        """Under the conversation on screen (chat_lost_turn.what_to_say); the messages that
        were waiting go back into the box."""
        outcome = what_to_say(lost, self.thread_id, self.messages)
        self.turn_error, self._retry_item = outcome.error, outcome.retry_item
        self.can_retry = bool(outcome.retry_item)
        if outcome.notice:
            self.notice = outcome.notice
        if lost.waiting:
            return rx.call_script(TAKE_BACK_JS % json.dumps(lost.waiting))
        return None

    def _end_turn(self, stopped: bool) -> None:
        self.sending = False
        self._turn_process = self._turn_id = ""
        self.progress = ""
        self.busy_uid = self.busy_item = ""
        if stopped:
            self.notice = "Stopped."
        last = next((m for m in reversed(self.messages) if m.role in ("assistant", "widget")), None)
        self.announce = (self.turn_error or (last.text if last else ""))[:500]


def _answers_of(action: dict) -> dict[str, list[str]] | None | bool:
    """What a question's button answers: {input id: [value]}, None for "None of these", or
    False for a payload that names no answer (a tampered event: nothing is sent)."""
    if action.get("type") == SKIP:
        return None
    payload = action.get("payload") if isinstance(action.get("payload"), dict) else {}
    input_id, value = payload.get("input_id"), payload.get("value")
    return {input_id: [value]} if isinstance(input_id, str) and isinstance(value, str) else False


async def turn_was_lost(sending: bool, turn_process: str) -> bool:
    """A reply the state says is running, that no process is writing: cut off by a restart
    or by a worker that died."""
    return sending and not await is_alive(turn_process)
