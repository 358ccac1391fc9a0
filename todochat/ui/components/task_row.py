"""One task in the list: its view, and its inline editor."""

from __future__ import annotations

import reflex as rx

from todochat.ui.components.fields import PRIORITY_OPTIONS, RECURRENCE_OPTIONS, FIELD_STYLE, select, text_input
from todochat.ui.task_state import TaskRow, TaskState

PRIORITY_COLOR = {"high": "red", "medium": "amber", "low": "gray"}


def priority_badge(priority) -> rx.Component:
    return rx.match(
        priority,
        ("high", rx.badge("High", color_scheme="red", variant="soft")),
        ("low", rx.badge("Low", color_scheme="gray", variant="soft")),
        rx.badge("Medium", color_scheme="amber", variant="soft"),
    )


def _view(row: TaskRow) -> rx.Component:
    return rx.flex(
        rx.checkbox(
            checked=row.completed,
            on_change=lambda _checked: TaskState.toggle(row.id),
            aria_label=rx.cond(row.completed, "Reopen ", "Complete ") + row.title,
            size="3",
            margin_top="0.15rem",
        ),
        rx.flex(
            rx.el.button(
                row.title,
                on_click=TaskState.start_edit(row.id),
                aria_label="Edit " + row.title,
                class_name="task-title",
                style={
                    "all": "unset",
                    "cursor": "text",
                    "overflow_wrap": "anywhere",
                    "font_weight": "500",
                    "text_decoration": rx.cond(row.completed, "line-through", "none"),
                    "color": rx.cond(row.completed, "var(--gray-10)", "var(--gray-12)"),
                },
            ),
            rx.flex(
                priority_badge(row.priority),
                rx.cond(
                    row.due_label != "",
                    rx.text(
                        rx.icon("calendar", size=12),
                        row.due_label,
                        size="1",
                        color=rx.cond(row.overdue, "var(--red-11)", "var(--gray-11)"),
                        weight=rx.cond(row.overdue, "bold", "regular"),
                        display="inline-flex",
                        align_items="center",
                        gap="0.25rem",
                        class_name="task-due",
                    ),
                ),
                rx.cond(row.overdue, rx.text("Overdue", size="1", color="var(--red-11)", weight="bold")),
                rx.cond(
                    row.recurrence != "",
                    rx.text(rx.icon("repeat", size=12), row.recurrence, size="1", color="var(--gray-11)",
                            display="inline-flex", align_items="center", gap="0.25rem"),
                ),
                rx.foreach(row.tags, lambda tag: rx.badge("#" + tag, variant="outline", color_scheme="blue")),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            rx.cond(row.notes != "", rx.text(row.notes, size="1", color="var(--gray-11)", white_space="pre-wrap")),
            direction="column",
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.icon_button(
            rx.icon("trash-2", size=16),
            on_click=TaskState.delete(row.id),
            variant="ghost",
            color_scheme="gray",
            aria_label="Delete " + row.title,
            title="Delete",
        ),
        spacing="3",
        align="start",
        width="100%",
    )


def _editor(row: TaskRow) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(
                name="title",
                default_value=row.title,
                aria_label="Title",
                required=True,
                max_length=500,
                auto_focus=True,
                on_key_down=TaskState.edit_key,
                style={**FIELD_STYLE, "flex": "1 1 14rem", "font_size": "1rem"},
            ),
            rx.flex(
                text_input("due_date", "Due date", type="date", default_value=row.due.split("T")[0]),
                text_input("due_time", "Due time", type="time",
                           default_value=rx.cond(row.due.contains("T"), row.due.split("T")[1], "")),
                select("priority", "Priority", PRIORITY_OPTIONS, default=row.priority),
                text_input("tags", "Tags", default_value=row.tags.join(", "), placeholder="tags", max_length=400),
                select("recurrence", "Repeats", RECURRENCE_OPTIONS, default=row.recurrence),
                spacing="2",
                wrap="wrap",
            ),
            rx.el.textarea(
                name="notes",
                default_value=row.notes,
                aria_label="Notes",
                placeholder="Notes",
                rows=2,
                style={**FIELD_STYLE, "height": "auto", "padding": "0.5rem", "width": "100%"},
            ),
            rx.flex(
                rx.button("Save", type="submit", size="2"),
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray", size="2",
                          on_click=TaskState.cancel_edit),
                spacing="2",
            ),
            direction="column",
            spacing="2",
            width="100%",
        ),
        on_submit=TaskState.save_edit,
        width="100%",
        aria_label="Edit task",
    )


def task_row(row: TaskRow) -> rx.Component:
    return rx.el.li(
        rx.cond(TaskState.editing_id == row.id, _editor(row), _view(row)),
        class_name="task-row",
        data_task_id=row.id,
        style={
            "list_style": "none",
            "padding": "0.75rem 0.5rem",
            "border_bottom": "1px solid var(--gray-a5)",
        },
    )
