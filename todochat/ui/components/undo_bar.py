"""The undo bar: after a delete or a completion, on the tasks page and beside the chat alike,
"Deleted “pay rent” · Undo" until the next change or until it is dismissed."""

from __future__ import annotations

import reflex as rx

from todochat.ui.components.fields import SMALL_SCREEN, TOUCH
from todochat.ui.task_state import TaskState


def undo_bar() -> rx.Component:
    return rx.cond(
        TaskState.undo_message != "",
        rx.flex(
            rx.text(TaskState.undo_message, size="2", flex="1", min_width="0", style={"overflow_wrap": "anywhere"}),
            rx.button("Undo", size="2", on_click=TaskState.undo, style={SMALL_SCREEN: {"height": TOUCH}}),
            rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost", color_scheme="gray",
                           on_click=TaskState.dismiss_undo, aria_label="Dismiss",
                           style={"margin": "0", "padding": "0", "box_sizing": "border-box", SMALL_SCREEN: {"width": TOUCH, "height": TOUCH}}),
            role="status",
            align="center",
            spacing="3",
            padding="0.75rem 1rem",
            border_radius="var(--radius-3)",
            background="var(--gray-3)",
            position="sticky",
            bottom="1rem",
            box_shadow="var(--shadow-4)",
            z_index="2",
            class_name="undo-bar",
        ),
    )
