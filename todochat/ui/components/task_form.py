"""The "add a task" form: a quick-add box that shows what it understood, as chips, before
anything is stored; the plain fields stay beside it (folded behind a button on a phone)."""

from __future__ import annotations

import reflex as rx

from todochat.limits import TITLE_MAX
from todochat.quick_add import Chip
from todochat.ui.components.fields import (
    ADD_PRIORITY_OPTIONS,
    RECURRENCE_OPTIONS,
    SMALL_SCREEN,
    TOUCH,
    select,
    text_input,
)
from todochat.ui.task_state import TaskState

CHIP_ICON = {"due": "calendar", "repeat": "repeat", "priority": "flag", "tag": "hash"}
CHIP_COLOR = {"due": "blue", "repeat": "violet", "priority": "amber", "tag": "gray"}


def _chip(chip: Chip) -> rx.Component:
    return rx.badge(
        rx.match(chip.kind, *[(kind, rx.icon(icon, size=12)) for kind, icon in CHIP_ICON.items()], rx.fragment()),
        rx.text(chip.label, as_="span", class_name="quick-chip-label"),
        rx.el.button(
            rx.icon("x", size=12),
            type="button",
            on_click=TaskState.drop_chip(chip.key),
            aria_label="Don't use " + chip.label,
            title="Remove",
            class_name="quick-chip-remove",
        ),
        color_scheme=rx.match(chip.kind, *CHIP_COLOR.items(), "gray"),
        variant="soft",
        size="2",
        radius="full",
        class_name="quick-chip",
        data_kind=chip.kind,
        style={"gap": "0.3rem", "max_width": "100%", "padding_right": "0.15rem"},
    )


def _understood() -> rx.Component:
    """What the box will store: the title, then one removable chip per attribute. The
    wrapper stays in the page so screen readers hear the chips change."""
    return rx.box(_chips(), aria_live="polite")


def _chips() -> rx.Component:
    return rx.cond(
        TaskState.quick_chips.length() > 0,
        rx.flex(
            rx.text(
                "Adds ",
                rx.el.strong(rx.cond(TaskState.quick_title != "", "“" + TaskState.quick_title + "”", "(no title yet)")),
                size="2",
                color="var(--gray-11)",
                class_name="quick-title",
                style={"overflow_wrap": "anywhere", "min_width": "0"},
            ),
            rx.foreach(TaskState.quick_chips, _chip),
            role="group",
            aria_label="Understood from what you typed",
            class_name="quick-chips",
            spacing="2",
            wrap="wrap",
            align="center",
            margin_top="0.5rem",
        ),
    )


def add_task_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(
                name="title",
                placeholder="Add a task…",
                aria_label="New task title",
                aria_describedby="quick-add-help",
                required=True,
                max_length=TITLE_MAX,
                auto_complete="off",
                # Read after a short pause, not per keystroke; the chips show what was understood.
                on_change=TaskState.read_quick_add.debounce(250),
                style={
                    "flex": "1 1 12rem",
                    "height": "2.5rem",
                    "padding": "0 0.75rem",
                    "border_radius": "var(--radius-3)",
                    "border": "1px solid var(--gray-a7)",
                    "background": "var(--color-surface)",
                    "color": "var(--gray-12)",
                    "font_size": "1rem",
                    "min_width": "0",
                    SMALL_SCREEN: {"height": TOUCH},
                },
            ),
            rx.icon_button(
                rx.icon("sliders-horizontal", size=18),
                type="button",
                variant="soft",
                color_scheme="gray",
                size="3",
                on_click=TaskState.toggle_add_options,
                aria_label="More fields",
                title="Date, time, priority, tags, repeat",
                aria_expanded=TaskState.show_add_options.to_string(),
                aria_controls="add-options",
                class_name="add-options-toggle",
                style={"display": "none", SMALL_SCREEN: {"display": "inline-flex", "width": TOUCH, "height": TOUCH}},
            ),
            rx.button(rx.icon("plus", size=16), "Add", type="submit", size="3", aria_label="Add task",
                      style={SMALL_SCREEN: {"height": TOUCH}}),
            spacing="2",
            width="100%",
            align="center",
        ),
        rx.text(
            "Try “water plants tomorrow 9am #home !high”: dates, times, repeats, #tags and !high or p1 are read as you type.",
            id="quick-add-help",
            size="1",
            color="var(--gray-11)",
            margin_top="0.35rem",
            style={SMALL_SCREEN: {"display": "none"}},
        ),
        _understood(),
        rx.flex(
            text_input("due_date", "Due date", type="date"),
            text_input("due_time", "Due time", type="time"),
            select("priority", "Priority", ADD_PRIORITY_OPTIONS, default=""),
            text_input("tags", "Tags", placeholder="tags, comma separated", max_length=400),
            select("recurrence", "Repeats", RECURRENCE_OPTIONS, default=""),
            id="add-options",
            class_name="add-options",
            data_open=TaskState.show_add_options.to_string(),
            spacing="2",
            wrap="wrap",
            margin_top="0.5rem",
            style={SMALL_SCREEN: {"display": "none", "&[data-open='true']": {"display": "flex"},
                                  "& > *": {"height": TOUCH, "flex": "1 1 9rem"}}},
        ),
        on_submit=TaskState.add_task,
        reset_on_submit=False,  # emptied by add_task once stored: a refused add keeps its text
        width="100%",
        aria_label="Add a task",
        style={
            "& .quick-chip-remove": {
                "all": "unset",
                "display": "inline-flex",
                "align_items": "center",
                "justify_content": "center",
                "width": "1.5rem",
                "height": "1.5rem",
                "border_radius": "9999px",
                "cursor": "pointer",
            },
            "& .quick-chip-remove:hover": {"background": "var(--accent-a5)"},
            "& .quick-chip-remove:focus-visible": {"outline": "2px solid var(--focus-8)"},
            "& .quick-chip-label": {"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap",
                                    "max_width": "16rem"},
            # On a phone the chip stays small and its × takes touches 44 px around it.
            SMALL_SCREEN: {"& .quick-chip-remove": {"position": "relative"},
                           "& .quick-chip-remove::after": {"content": "''", "position": "absolute",
                                                           "inset": "-0.625rem"},
                           "& .quick-chip-label": {"max_width": "12rem"}},
        },
    )
