"""@-mentions in the native composer: the picker's options, the active one, and the tasks
chosen for the message being written.

A part of ChatState (a Reflex state mixin; chat_state.py puts the parts together). The
browser half is assets/chat_mentions.js: it watches the message box for "@words" before
the caret and asks for matches (``search_mentions``, debounced, through the hidden
``mention-query`` field); while the list is open it turns ArrowDown/ArrowUp into
``move_mention``, Enter or Tab into ``pick_active_mention`` and Escape into closing it,
before the box's own Enter (send) sees the key. Enter goes through the state, not a click
on the option the page shows as active: an ArrowDown pressed just before may not have come
back yet, and the state takes events in the order they were pressed. The options live
here, so the listbox and the box's ARIA attributes are rendered from one place.

A chosen task goes into the box as "@<title>" and is remembered (``chosen_mentions``,
checked as the user's when chosen, read again from the database); on send, each one still
written so becomes an ``input_tag`` part (``mentions.message_content``). A title edited
away drops its mention: the words go as typed. The server trusts none of it: it checks
every tag's task again (history.py).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import reflex as rx

from todochat.chat import mentions
from todochat.formatting import due_label
from todochat.limits import MENTIONS_MAX_PER_MESSAGE, MESSAGE_MAX_CHARS, SEARCH_MAX_CHARS
from todochat.tasks import open_tasks
from todochat.ui.auth_state import AuthState

# What the message box holds now, for a pick at the limit (pick_after_reading_box).
BOX_TEXT_JS = 'document.getElementById("composer")?.value ?? ""'
# Replaces the "@words" the picker was opened for with the chosen "@title " (assets/chat_mentions.js).
PUT_MENTION_JS = "window.todochatMentions && window.todochatMentions.put(%s)"


@dataclasses.dataclass
class MentionOption:
    """A task the picker offers."""

    task_id: str = ""
    title: str = ""
    group: str = ""  # mentions.GROUP_OPEN or GROUP_DONE
    due: str = ""  # "Fri", "Today 3:00 PM"; empty without a due date
    ref: str = ""  # "#12" when another option has the same title and date: what tells them apart


@dataclasses.dataclass
class ChosenMention:
    """A task chosen for the message being written (``entity`` is what its tag carries)."""

    task_id: str = ""
    title: str = ""
    entity: dict[str, Any] = dataclasses.field(default_factory=dict)


class ChatMentions(AuthState, mixin=True):
    mention_options: list[MentionOption] = []
    mention_active: int = 0
    # A search has answered for the "@words" being typed (with no options: "No matching tasks").
    mention_searched: bool = False
    chosen_mentions: list[ChosenMention] = []
    # A pick waiting for the box's text (at the limit): its task id.
    _waiting_pick: str = ""

    @rx.event
    def search_mentions(self, value: str):
        """``value``: "@" and the words after it (the picker opens), or "" (it closes)."""
        if not isinstance(value, str) or not value.startswith("@") or not self._resolve_user():
            self._close_mentions()
            return
        with open_tasks(self._engine(), self._user_id, tz=self._zone()) as tasks:
            found = mentions.search(tasks, value[1:][:SEARCH_MAX_CHARS])
            today = tasks.now_local().date()
            self.mention_options = [
                MentionOption(
                    task_id=str(task.id),
                    title=_one_line(task.title),
                    group=mentions.GROUP_DONE if task.completed else mentions.GROUP_OPEN,
                    due=due_label(task.due_date, task.due_time, today),
                )
                for task in found
            ]
        looks = [(option.title, option.due) for option in self.mention_options]
        for option in self.mention_options:
            if looks.count((option.title, option.due)) > 1:
                option.ref = f"#{option.task_id}"
        self.mention_active = 0
        self.mention_searched = True

    @rx.event
    def move_mention(self, step: int):
        """ArrowDown (+1) / ArrowUp (-1): the next or previous option, wrapping round."""
        if _is_int(step) and self.mention_options:
            self.mention_active = (self.mention_active + (1 if step > 0 else -1)) % len(self.mention_options)

    @rx.event
    def close_mentions(self):
        self._close_mentions()

    @rx.event
    def pick_active_mention(self):
        """Enter or Tab: the active option, as the keys pressed before made it."""
        return self._pick_option(self.mention_active)

    @rx.event
    def pick_mention(self, index: int):
        """An option clicked: its "@title" goes into the box."""
        return self._pick_option(index)

    def _pick_option(self, index: int):
        if not _is_int(index) or not 0 <= index < len(self.mention_options) or not self._resolve_user():
            return
        option = self.mention_options[index]
        self._close_mentions()
        if len(self.chosen_mentions) >= MENTIONS_MAX_PER_MESSAGE:
            # Some may have been deleted from the box since they were chosen: the box says.
            self._waiting_pick = option.task_id
            return rx.call_script(BOX_TEXT_JS, callback=type(self).pick_after_reading_box)
        return self._pick(option.task_id)

    @rx.event
    def pick_after_reading_box(self, text: str):
        """At the limit: the chosen mentions no longer written in the box are dropped, then
        the waiting pick goes on if there is room."""
        task_id, self._waiting_pick = self._waiting_pick, ""
        if not isinstance(text, str) or not task_id:
            return
        self.chosen_mentions = _still_written(self.chosen_mentions, text[: MESSAGE_MAX_CHARS * 2])
        if len(self.chosen_mentions) >= MENTIONS_MAX_PER_MESSAGE:
            self.notice = f"A message can mention at most {MENTIONS_MAX_PER_MESSAGE} tasks."
            return
        return self._pick(task_id)

    def _pick(self, task_id: str):
        if not self._resolve_user():
            return
        with open_tasks(self._engine(), self._user_id, tz=self._zone()) as tasks:
            found = tasks.get_many([int(task_id)])  # still the user's, as it is now
        if not found:
            self.notice = "That task no longer exists."
            return
        entity = mentions.entity(found[0])
        entity["title"] = _one_line(entity["title"])
        self.chosen_mentions.append(ChosenMention(task_id=str(found[0].id), title=entity["title"], entity=entity))
        return rx.call_script(PUT_MENTION_JS % json.dumps(f"@{entity['title']} "))

    def _close_mentions(self) -> None:
        self.mention_options, self.mention_active, self.mention_searched = [], 0, False

    def _message_content(self, text: str) -> list[dict[str, Any]]:
        """What ``text`` is sent as: its parts, with a tag for each chosen mention still in it.
        The chosen mentions are used up (the next message starts with none)."""
        content = mentions.message_content(text, [m.entity for m in self.chosen_mentions])
        self.chosen_mentions = []
        self._close_mentions()
        return content

    def _remember_mentions(self, content: list[dict[str, Any]]) -> None:
        """A message handed back to the box (a waiting one taken back to edit, or after a
        Stop): its tags are chosen mentions again, so sending it as it is tags the same tasks."""
        for part in content:
            if part.get("type") == "input_tag" and len(self.chosen_mentions) < MENTIONS_MAX_PER_MESSAGE:
                entity = {key: part[key] for key in ("id", "data", "group")} | {"title": part["text"], "interactive": False}
                task_id = str(mentions.task_id_of(part["data"]) or "")
                self.chosen_mentions.append(ChosenMention(task_id=task_id, title=part["text"], entity=entity))


def _still_written(chosen: list[ChosenMention], text: str) -> list[ChosenMention]:
    """The chosen mentions whose "@title" is still in ``text``, each as many times as written."""
    left: dict[str, int] = {}
    kept = []
    for mention in chosen:
        written = f"@{mention.title}"
        left.setdefault(written, text.count(written))
        if left[written] > 0:
            left[written] -= 1
            kept.append(mention)
    return kept


def _one_line(title: str) -> str:
    return " ".join(title.split())


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
