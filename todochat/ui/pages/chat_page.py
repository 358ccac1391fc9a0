"""The chat page: conversations on the left, the assistant in the middle, tasks on the right.

Below 1100 px the task list and below 760 px the conversation list become drawers opened
from the toolbar, so the chat works on a 390 px phone. A drawer is a modal dialog while it is
open (assets/chat_drawers.js): focus moves in and stays in, Escape or a tap beside it closes
it, and focus goes back to the button that opened it.
"""

from __future__ import annotations

import reflex as rx

from todochat.ui.chat_state import ChatState
from todochat.ui.components.card_refresh import card_refresh
from todochat.ui.components.turn_watch import turn_watch
from todochat.ui.components.chatkit_embed import chatkit_frame, embed_waiting, fallback_notice
from todochat.ui.components.conversation import conversation
from todochat.ui.components.layout import header
from todochat.ui.components.task_panel import task_panel
from todochat.ui.components.thread_list import delete_dialog, thread_list


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.icon_button(rx.icon("messages-square", size=16), variant="soft", size="2", on_click=ChatState.toggle_threads,
                       aria_label="Conversations", aria_expanded=ChatState.show_threads.to_string(),
                       class_name="chat-toggle threads-toggle"),
        rx.heading(rx.cond(ChatState.thread_title != "", ChatState.thread_title, "New conversation"),
                   size="3", as_="h1", class_name="thread-heading",
                   style={"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap", "min_width": "0"}),
        rx.spacer(),
        rx.button(rx.icon("list-todo", size=16), "Tasks", variant="soft", size="2", on_click=ChatState.toggle_tasks,
                  aria_expanded=ChatState.show_tasks.to_string(), class_name="chat-toggle tasks-toggle"),
        rx.icon_button(rx.icon("square-pen", size=16), variant="soft", size="2", on_click=ChatState.new_thread,
                       aria_label="New conversation", title="New conversation"),
        align="center",
        spacing="2",
        padding_bottom="0.5rem",
        class_name="chat-toolbar",
    )


def _notice() -> rx.Component:
    return rx.cond(
        ChatState.notice != "",
        rx.callout(
            rx.flex(
                rx.text(ChatState.notice),
                rx.spacer(),
                rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", color_scheme="gray",
                               aria_label="Dismiss", on_click=ChatState.dismiss_notice),
                align="center",
                width="100%",
            ),
            icon="info",
            size="1",
            role="status",
            class_name="chat-notice",
            margin_bottom="0.5rem",
        ),
    )


def _main() -> rx.Component:
    return rx.el.main(
        _toolbar(),
        fallback_notice(),
        card_refresh(),
        turn_watch(),
        _notice(),
        chatkit_frame(),
        rx.match(
            ChatState.embed,
            ("waiting", embed_waiting()),
            ("ready", rx.fragment()),
            conversation(),
        ),
        # Screen readers hear each finished reply once, not every streamed word.
        rx.box(ChatState.announce, aria_live="polite", role="status", class_name="sr-only",
               style={"position": "absolute", "left": "-9999px", "width": "1px", "height": "1px", "overflow": "hidden"}),
        class_name="chat-main",
        position="relative",
    )


def _backdrop() -> rx.Component:
    """Dims the chat behind an open drawer; a tap on it closes the drawer (CSS shows it
    only at the widths where that panel is a drawer)."""
    return rx.cond(
        ChatState.show_threads | ChatState.show_tasks,
        rx.box(class_name="chat-backdrop", data_for=rx.cond(ChatState.show_tasks, "tasks", "threads"),
               on_click=ChatState.close_drawers, aria_hidden="true"),
    )


def chat_page() -> rx.Component:
    return rx.box(
        rx.box(
            header(),
            rx.box(thread_list(), _main(), task_panel(), _backdrop(), class_name="chat-grid"),
            delete_dialog(),
            max_width="90rem",
            margin="0 auto",
            padding_x=["0.5rem", "1rem"],
            class_name="chat-page",
        ),
        min_height="100vh",
    )
