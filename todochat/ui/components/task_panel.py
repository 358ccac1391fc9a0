"""The task list beside the chat: the same rows as the tasks page, refreshed after each turn."""

from __future__ import annotations

import reflex as rx

from todochat.ui.components.list_refresh import list_refresh
from todochat.ui.components.task_counts import task_counts
from todochat.ui.components.task_row import task_row
from todochat.ui.components.undo_bar import undo_bar
from todochat.ui.task_state import TaskState
from todochat.ui.chat_state import ChatState


def task_panel() -> rx.Component:
    return rx.el.aside(
        rx.flex(
            rx.heading("Tasks", size="3", as_="h2"),
            rx.spacer(),
            task_counts(size="1"),
            rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost", color_scheme="gray",
                           aria_label="Close tasks", on_click=ChatState.toggle_tasks, class_name="chat-toggle tasks-toggle"),
            align="center",
            spacing="2",
        ),
        rx.segmented_control.root(
            rx.segmented_control.item("Open", value="open"),
            rx.segmented_control.item("Done", value="done"),
            rx.segmented_control.item("All", value="all"),
            value=TaskState.status_filter,
            on_change=TaskState.set_status_filter,
            size="1",
            width="100%",
            margin_y="0.5rem",
            aria_label="Show tasks",
        ),
        rx.cond(
            TaskState.rows.length() == 0,
            rx.text(rx.cond(TaskState.loading, "Loading tasks…", "No tasks here yet."), size="2",
                    color="var(--gray-11)", padding="1rem 0"),
            rx.el.ul(rx.foreach(TaskState.rows, lambda row, i: task_row(row, i)), aria_label="Tasks",
                     style={"padding": "0", "margin": "0"}),
        ),
        rx.cond(
            TaskState.next_cursor != "",
            rx.button("Show more", variant="soft", size="1", width="100%", on_click=TaskState.load_more),
        ),
        undo_bar(),
        list_refresh(),
        rx.link("Open the full task list", href="/tasks", size="2", margin_top="0.75rem", display="block"),
        class_name="chat-tasks",
        data_open=ChatState.show_tasks.to_string(),
        aria_label="Your tasks",
    )
