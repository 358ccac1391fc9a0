"""Small form controls shared by the add form and the inline editor.

Native <select>/<input> elements: they submit with the form, work with the keyboard
and screen readers as-is, and send nothing to the server while the user types.
"""

from __future__ import annotations

import reflex as rx

from todochat.recurrence import LEGACY_WORDS

PRIORITY_OPTIONS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
# The add form's priority: left at "Priority", the text decides ("!high"), else medium.
ADD_PRIORITY_OPTIONS = [("", "Priority"), *PRIORITY_OPTIONS]

# A phone held upright: below this, extra fields and filters fold, and touch targets are 44 px.
SMALL_SCREEN = "@media (max-width: 639px)"
TOUCH = "2.75rem"  # 44 px: the smallest target a finger hits reliably
# The presets, as the rules a task stores (so the editor's select finds a task's own);
# any other rule is added to the editor's select as its own option (task_row._editor).
RECURRENCE_OPTIONS = [
    ("", "Does not repeat"),
    (LEGACY_WORDS["daily"], "Every day"),
    (LEGACY_WORDS["weekdays"], "Every weekday"),
    (LEGACY_WORDS["weekly"], "Every week"),
    (LEGACY_WORDS["monthly"], "Every month"),
    (LEGACY_WORDS["yearly"], "Every year"),
]
RECURRENCE_PRESETS = frozenset(value for value, _ in RECURRENCE_OPTIONS)

FIELD_STYLE = {
    "height": "2.25rem",
    "padding": "0 0.5rem",
    "border_radius": "var(--radius-2)",
    "border": "1px solid var(--gray-a7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "font_size": "0.875rem",
    "min_width": "0",
    "max_width": "100%",  # a long repeat rule in words wraps the row instead of widening it
}


def select(name: str, label: str, options: list[tuple[str, str]], default=None, extra=(), **props) -> rx.Component:
    """A native select of ``options`` (value, text); ``extra``: option components decided per row."""
    return rx.el.select(
        *[rx.el.option(text, value=value) for value, text in options],
        *extra,
        name=name,
        aria_label=label,
        title=label,
        default_value=default,
        style=FIELD_STYLE,
        **props,
    )


def text_input(name: str, label: str, **props) -> rx.Component:
    return rx.el.input(name=name, aria_label=label, style=FIELD_STYLE, **props)
