"""The "add a task" form: submitting it is the only event it sends."""

from __future__ import annotations

import reflex as rx

from todochat.ui.components.fields import PRIORITY_OPTIONS, RECURRENCE_OPTIONS, select, text_input
from todochat.ui.task_state import TaskState


def add_task_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(
                name="title",
                placeholder="Add a task…",
                aria_label="New task title",
                required=True,
                max_length=500,
                auto_complete="off",
                style={
                    "flex": "1 1 16rem",
                    "height": "2.5rem",
                    "padding": "0 0.75rem",
                    "border_radius": "var(--radius-3)",
                    "border": "1px solid var(--gray-a7)",
                    "background": "var(--color-surface)",
                    "color": "var(--gray-12)",
                    "font_size": "1rem",
                    "min_width": "0",
                },
            ),
            rx.button(rx.icon("plus", size=16), "Add", type="submit", size="3", aria_label="Add task"),
            spacing="2",
            width="100%",
            wrap="wrap",
        ),
        rx.flex(
            text_input("due_date", "Due date", type="date"),
            text_input("due_time", "Due time", type="time"),
            select("priority", "Priority", PRIORITY_OPTIONS, default="medium"),
            text_input("tags", "Tags", placeholder="tags, comma separated", max_length=400),
            select("recurrence", "Repeats", RECURRENCE_OPTIONS, default=""),
            spacing="2",
            wrap="wrap",
            margin_top="0.5rem",
        ),
        on_submit=TaskState.add_task,
        reset_on_submit=True,
        width="100%",
        aria_label="Add a task",
    )
