"""What keeps a task list current when the user comes back to the tab: an invisible button
that the page's listener presses (``REFRESH_LIST_ON_RETURN_JS`` in task_list), on the
Tasks page and in the task panel beside the chat."""

from __future__ import annotations

import reflex as rx

from todochat.ui.task_state import TaskState


def list_refresh() -> rx.Component:
    return rx.el.button(id="refresh-task-list", type="button", tab_index=-1, aria_hidden="true",
                        style={"display": "none"}, on_click=TaskState.refresh_list)
