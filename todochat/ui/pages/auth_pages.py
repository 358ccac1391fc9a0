"""Sign-in and sign-up pages."""

from __future__ import annotations

import reflex as rx

from todochat.ui.auth_state import AuthState


def _field(label: str, name: str, type_: str = "text", **props) -> rx.Component:
    return rx.flex(
        rx.el.label(label, html_for=name, style={"font_size": "0.875rem", "font_weight": "500"}),
        rx.input(name=name, id=name, type=type_, size="3", **props),
        direction="column",
        spacing="1",
        width="100%",
    )


def _card(title: str, form: rx.Component, footer: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.flex(
                rx.flex(
                    rx.icon("square-check-big", size=28, color="var(--accent-9)"),
                    rx.heading("todochat", size="6"),
                    spacing="2",
                    align="center",
                ),
                rx.heading(title, size="4", as_="h1"),
                rx.cond(
                    AuthState.auth_error != "",
                    rx.callout(AuthState.auth_error, icon="triangle-alert", color_scheme="red", role="alert",
                               width="100%"),
                ),
                rx.cond(
                    AuthState.auth_notice != "",
                    rx.callout(AuthState.auth_notice, icon="log-out", color_scheme="green", role="status",
                               width="100%"),
                ),
                form,
                footer,
                direction="column",
                spacing="4",
            ),
            width="100%",
            max_width="24rem",
            size="3",
        ),
        rx.box(rx.color_mode.button(aria_label="Toggle light and dark mode", variant="ghost"),
               position="fixed", top="0.75rem", right="0.75rem"),
        min_height="100vh",
        padding="1rem",
    )


def sign_in_page() -> rx.Component:
    return _card(
        "Sign in",
        rx.form(
            rx.flex(
                _field("Email", "email", "email", required=True, auto_complete="email"),
                _field("Password", "password", "password", required=True, auto_complete="current-password"),
                rx.button("Sign in", type="submit", size="3", width="100%", loading=AuthState.auth_busy),
                direction="column",
                spacing="3",
            ),
            on_submit=AuthState.sign_in,
        ),
        rx.text("New here? ", rx.link("Create an account", href="/sign-up"), size="2"),
    )


def sign_up_page() -> rx.Component:
    return _card(
        "Create your account",
        rx.form(
            rx.flex(
                _field("Name", "name", required=True, auto_complete="name", max_length=200),
                _field("Email", "email", "email", required=True, auto_complete="email"),
                _field("Password", "password", "password", required=True, min_length=8, max_length=128,
                       auto_complete="new-password"),
                rx.text("At least 8 characters.", size="1", color="var(--gray-11)"),
                rx.button("Create account", type="submit", size="3", width="100%", loading=AuthState.auth_busy),
                direction="column",
                spacing="3",
            ),
            on_submit=AuthState.sign_up,
        ),
        rx.text("Already have an account? ", rx.link("Sign in", href="/sign-in"), size="2"),
    )
