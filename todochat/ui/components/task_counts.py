"""The "3 open · 1 done" line, on the tasks page and beside the chat."""

from __future__ import annotations

import reflex as rx

from todochat.ui.task_state import TaskState


def task_counts(size: str = "2") -> rx.Component:
    return rx.text(
        TaskState.open_count.to_string() + " open · " + TaskState.done_count.to_string() + " done",
        size=size,
        color="var(--gray-11)",
        class_name="task-counts",
    )
