"""Markdown for chat text that never makes the browser fetch anything.

Assistant replies (and Markdown widgets) echo what users and models wrote: a task titled
``![x](https://tracker.example/pixel.png)`` would otherwise have every reader's browser
load that address. Raw HTML is already off; images show as a placeholder instead.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

IMAGE_PLACEHOLDER = "[image not shown]"


def _no_image(*_children: Any, **_props: Any) -> rx.Component:
    # The image's own props (src included) are spread onto this span, where they load nothing.
    return rx.el.span(IMAGE_PLACEHOLDER, class_name="md-image-blocked")


def safe_markdown(text: Any) -> rx.Component:
    return rx.markdown(text, use_raw=False, component_map={"img": _no_image})
