"""What keeps the chat's cards current: two invisible hooks on the chat page.

- A button that the page's listeners press (``REFRESH_ON_RETURN_JS`` in chat_scripts):
  when the user comes back to the tab, and when the task list beside the chat changes.
- A marker whose ``data-signature`` is the task list beside the chat: a task completed,
  edited or deleted in that panel changes it, and the listener sees the change. The
  panel's code needs no knowledge of the chat.
"""

from __future__ import annotations

import reflex as rx

from todochat.ui.chat_state import ChatState
from todochat.ui.task_state import TaskState


def card_refresh() -> rx.Component:
    hidden = {"display": "none"}
    return rx.fragment(
        rx.el.button(id="refresh-cards", type="button", tab_index=-1, aria_hidden="true", style=hidden,
                     on_click=ChatState.refresh_cards),
        rx.el.span(
            id="task-list-signature",
            data_signature=TaskState.rows.to_string() + TaskState.open_count.to_string()
            + TaskState.done_count.to_string(),
            aria_hidden="true",
            style=hidden,
        ),
    )
