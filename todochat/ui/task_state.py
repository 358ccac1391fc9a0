"""State of the tasks page and the chat's task panel.

TaskState is put together from parts, each a Reflex state mixin in a module of its own:
the list with its filters (task_list.py), the add form (task_adding.py) and changes to
tasks (task_editing.py). This module adds the page's load. See docs/architecture.md,
"Layers" and "Tasks".
"""

from __future__ import annotations

import reflex as rx

from todochat.ui.auth_state import AuthState, to_sign_in
from todochat.ui.task_adding import TaskAdding
from todochat.ui.task_editing import TaskEditing
from todochat.ui.task_list import REFRESH_LIST_ON_RETURN_JS


class TaskState(TaskAdding, TaskEditing, AuthState):
    # Whose tasks this tab shows: a different user (sign-out, then in) starts afresh.
    _shown_user: str = ""

    @rx.event
    def load(self):
        self.loading = True
        if not self._resolve_user():
            return to_sign_in()
        if self._shown_user != self._user_id:  # another user signed in in this tab
            self._start_fresh()
        self.editing_id = -1  # an editor left open on another page does not follow the user here
        self._reload()
        # Ask the browser for its zone, so "today" and "overdue" mean the user's today.
        return [self._ask_zone(TaskState.set_timezone), rx.call_script(REFRESH_LIST_ON_RETURN_JS)]

    def _start_fresh(self) -> None:
        self.rows, self.next_cursor, self.error, self.notice = [], "", "", ""
        self.status_filter, self.priority_filter, self.tag_filter = "open", "any", "any"
        self.due_filter, self.search, self.sort = "any", "", "due"
        self.editing_id, self.undo_message, self._undo = -1, "", {}
        self.quick_title, self.quick_chips, self.quick_dropped, self._quick_text = "", [], [], ""
        self.show_add_options = self.show_filters = False
        self._shown_user = self._user_id
