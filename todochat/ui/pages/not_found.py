"""The page for an address the app does not have: the app's look, and a way back."""

from __future__ import annotations

import reflex as rx


def not_found_page() -> rx.Component:
    # No user state here: the page must render the same signed in or out, and "/" sends
    # each person on to their tasks or to sign-in.
    return rx.box(
        rx.flex(
            rx.link(
                rx.flex(
                    rx.icon("square-check-big", size=22, color="var(--accent-9)"),
                    rx.heading("todochat", size="5", as_="div", color="var(--gray-12)"),
                    spacing="2",
                    align="center",
                ),
                href="/",
                underline="none",
                aria_label="todochat home",
            ),
            rx.spacer(),
            rx.color_mode.button(aria_label="Toggle light and dark mode", variant="ghost"),
            as_="header",
            align="center",
            padding_y="0.75rem",
        ),
        rx.el.main(
            rx.flex(
                rx.icon("map-pin-off", size=40, color="var(--accent-9)"),
                rx.heading("Page not found", as_="h1", size="6"),
                rx.text("There is nothing at this address. The link may be mistyped, or the page may have moved.",
                        color="var(--gray-11)", size="3"),
                rx.link("Back to todochat", href="/", class_name="not-found-home"),
                direction="column",
                align="center",
                spacing="4",
                text_align="center",
                max_width="28rem",
                margin="0 auto",
                padding_top=["3rem", "6rem"],
            ),
        ),
        max_width="52rem",
        margin="0 auto",
        padding_x=["0.75rem", "1.5rem"],
        min_height="100vh",
    )
