"""The tasks page: add form, filters, the list (one page at a time), undo and errors."""

from __future__ import annotations

import reflex as rx

from todochat.ui.components.fields import SMALL_SCREEN
from todochat.ui.components.filters import filter_bar
from todochat.ui.components.layout import header, page_frame
from todochat.ui.components.task_counts import task_counts
from todochat.ui.components.task_form import add_task_form
from todochat.ui.components.task_row import task_row
from todochat.ui.components.list_refresh import list_refresh
from todochat.ui.components.undo_bar import undo_bar
from todochat.ui.task_state import TaskState


def _error() -> rx.Component:
    return rx.cond(
        TaskState.error != "",
        rx.callout(
            rx.flex(
                rx.text(TaskState.error),
                rx.spacer(),
                rx.button("Retry", size="1", variant="soft", on_click=TaskState.retry),
                rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost", on_click=TaskState.dismiss_error,
                               aria_label="Dismiss error"),
                spacing="2",
                align="center",
                width="100%",
            ),
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            width="100%",
        ),
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.flex(
            rx.icon("list-todo", size=32, color="var(--gray-9)"),
            rx.cond(
                (TaskState.open_count + TaskState.done_count) == 0,
                rx.text("No tasks yet. Add your first one above.", color="var(--gray-11)"),
                rx.flex(
                    rx.text("No tasks match these filters.", color="var(--gray-11)"),
                    rx.button("Show all tasks", variant="soft", on_click=TaskState.clear_filters),
                    direction="column",
                    align="center",
                    spacing="2",
                ),
            ),
            direction="column",
            align="center",
            spacing="2",
        ),
        padding="2.5rem 0",
        class_name="empty-state",
    )


def _list() -> rx.Component:
    return rx.cond(
        TaskState.loading,
        rx.center(rx.spinner(size="3"), rx.text("Loading tasks…", margin_left="0.5rem"), padding="2rem",
                  role="status"),
        rx.cond(
            TaskState.rows.length() == 0,
            _empty(),
            rx.box(
                rx.el.ul(rx.foreach(TaskState.rows, lambda row, i: task_row(row, i)), aria_label="Tasks", style={"padding": "0", "margin": "0"}),
                rx.cond(
                    TaskState.next_cursor != "",
                    rx.center(rx.button("Show more", variant="soft", on_click=TaskState.load_more), padding="1rem"),
                ),
            ),
        ),
    )


def tasks_page() -> rx.Component:
    return page_frame(
        header(),
        rx.flex(
            add_task_form(),
            filter_bar(),
            task_counts(),
            _error(),
            rx.box(TaskState.notice, class_name="sr-only", aria_live="polite", style={"position": "absolute", "left": "-9999px"}),
            _list(),
            undo_bar(),
            list_refresh(),
            direction="column",
            spacing="4",
            padding_bottom="3rem",
            style={SMALL_SCREEN: {"gap": "0.75rem"}},
        ),
    )
