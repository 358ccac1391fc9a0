"""Page chrome: header with the user's name, color-mode toggle, sign-out and sign-out everywhere."""

from __future__ import annotations

import reflex as rx

from todochat.ui.auth_state import AuthState


def header() -> rx.Component:
    return rx.flex(
        rx.flex(
            rx.icon("square-check-big", size=22, color="var(--accent-9)"),
            rx.heading("todochat", size="5"),
            spacing="2",
            align="center",
        ),
        rx.el.nav(
            rx.flex(
                rx.link("Tasks", href="/tasks", size="2", weight="medium"),
                rx.link("Chat", href="/chat", size="2", weight="medium"),
                spacing="3",
            ),
            aria_label="Main",
            margin_left=["0.25rem", "1rem"],
        ),
        rx.spacer(),
        rx.text(AuthState.user_name, size="2", color="var(--gray-11)", display=["none", "block"]),
        rx.color_mode.button(aria_label="Toggle light and dark mode", variant="ghost"),
        # Icon only on phones: with the words, the header was 8 px wider than a 390 px screen.
        rx.button(rx.icon("log-out", size=16), rx.el.span("Sign out", class_name="sign-out-label"),
                  on_click=AuthState.sign_out, variant="soft", size="2", aria_label="Sign out", title="Sign out"),
        rx.menu.root(
            rx.menu.trigger(
                rx.icon_button(rx.icon("ellipsis-vertical", size=18), variant="ghost", aria_label="More account options"),
            ),
            rx.menu.content(
                # For a lost phone or a shared computer: every other browser, the CLI and
                # any copied token stop working at once.
                rx.menu.item("Sign out everywhere", on_click=AuthState.sign_out_everywhere, color="red"),
                align="end",
            ),
        ),
        as_="header",
        align="center",
        spacing=rx.breakpoints(initial="1", sm="2"),  # narrower gaps on a phone: the header fits 390 px
        width="100%",
        padding_y="0.75rem",
    )


def page_frame(*children: rx.Component) -> rx.Component:
    return rx.box(
        rx.box(*children, max_width="52rem", margin="0 auto", padding_x=["0.75rem", "1.5rem"]),
        min_height="100vh",
    )
