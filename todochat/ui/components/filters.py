"""Filter, search and sort controls above the task list.

On a phone only Open/Done/All and a "Filters" button show; the rest unfolds from it, so the
first task is near the top of the screen. Tag names are cut with "…" so a long one never
stretches the row.
"""

from __future__ import annotations

import reflex as rx

from todochat.ui.components.fields import FIELD_STYLE, SMALL_SCREEN, TOUCH
from todochat.ui.task_state import TaskState

# A select is as wide as its longest option: capped, so a long tag cannot widen the row.
SELECT_STYLE = {**FIELD_STYLE, "max_width": "12rem", "text_overflow": "ellipsis",
                SMALL_SCREEN: {"height": TOUCH, "max_width": "100%", "flex": "1 1 9rem"}}


def _native_select(label: str, value, on_change, options) -> rx.Component:
    return rx.el.select(
        *options,
        value=value,
        on_change=on_change,
        aria_label=label,
        title=label,
        style=SELECT_STYLE,
    )


def _options(pairs: list[tuple[str, str]]) -> list[rx.Component]:
    return [rx.el.option(text, value=value) for value, text in pairs]


def _fold_button() -> rx.Component:
    return rx.button(
        rx.icon("list-filter", size=16),
        "Filters",
        rx.cond(TaskState.active_filter_count > 0,
                rx.badge(TaskState.active_filter_count.to_string(), variant="solid", radius="full", size="1")),
        type="button",
        variant="soft",
        color_scheme="gray",
        on_click=TaskState.toggle_filters,
        aria_expanded=TaskState.show_filters.to_string(),
        aria_controls="task-filters",
        class_name="filters-toggle",
        style={"display": "none", SMALL_SCREEN: {"display": "inline-flex", "height": TOUCH, "margin_left": "auto"}},
    )


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
            style={SMALL_SCREEN: {"height": TOUCH}},
        ),
        _fold_button(),
        rx.flex(
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
                [rx.el.option("Any tag", value="any"),
                 rx.foreach(TaskState.tag_options, lambda t: rx.el.option("#" + t[1], value=t[0], title="#" + t[0]))],
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
                style={SMALL_SCREEN: {"height": TOUCH, "flex": "1 1 100%"}},
            ),
            id="task-filters",
            class_name="task-filters",
            data_open=TaskState.show_filters.to_string(),
            spacing="2",
            wrap="wrap",
            align="center",
            flex="1 1 20rem",
            min_width="0",
            style={SMALL_SCREEN: {"display": "none", "&[data-open='true']": {"display": "flex"}, "flex": "1 1 100%"}},
        ),
        spacing="2",
        wrap="wrap",
        align="center",
        width="100%",
    )
