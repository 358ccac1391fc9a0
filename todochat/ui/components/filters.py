"""Filter, search and sort controls above the task list."""

from __future__ import annotations

import reflex as rx

from todochat.ui.components.fields import FIELD_STYLE
from todochat.ui.task_state import TaskState


def _native_select(label: str, value, on_change, options) -> rx.Component:
    return rx.el.select(
        *options,
        value=value,
        on_change=on_change,
        aria_label=label,
        title=label,
        style=FIELD_STYLE,
    )


def _options(pairs: list[tuple[str, str]]) -> list[rx.Component]:
    return [rx.el.option(text, value=value) for value, text in pairs]


def filter_bar() -> rx.Component:
    return rx.flex(
        rx.segmented_control.root(
            rx.segmented_control.item("Open", value="open"),
            rx.segmented_control.item("Done", value="done"),
            rx.segmented_control.item("All", value="all"),
            value=TaskState.status_filter,
            on_change=TaskState.set_status_filter,
            aria_label="Show",
            size="2",
        ),
        _native_select(
            "Filter by priority",
            TaskState.priority_filter,
            TaskState.set_priority_filter,
            _options([("any", "Any priority"), ("high", "High"), ("medium", "Medium"), ("low", "Low")]),
        ),
        _native_select(
            "Filter by due date",
            TaskState.due_filter,
            TaskState.set_due_filter,
            _options([("any", "Any date"), ("overdue", "Overdue"), ("today", "Today"), ("upcoming", "Upcoming")]),
        ),
        _native_select(
            "Filter by tag",
            TaskState.tag_filter,
            TaskState.set_tag_filter,
            [rx.el.option("Any tag", value="any"), rx.foreach(TaskState.all_tags, lambda t: rx.el.option("#" + t, value=t))],
        ),
        _native_select(
            "Sort by",
            TaskState.sort,
            TaskState.set_sort,
            _options([("due", "Sort: due date"), ("priority", "Sort: priority"), ("created", "Sort: newest"), ("position", "Sort: manual")]),
        ),
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            placeholder="Search tasks",
            aria_label="Search tasks",
            type="search",
            default_value=TaskState.search,
            # Debounced: typing sends one query after a pause, not one per keystroke.
            on_change=TaskState.set_search.debounce(300),
            max_length=200,
            flex="1 1 10rem",
            min_width="0",
        ),
        spacing="2",
        wrap="wrap",
        align="center",
        width="100%",
    )
