"""The official ChatKit UI in an iframe (assets/chatkit/embed.html), when it can load.

The page asks the bridge (assets/chatkit/bridge.js) whether the embed became ready
within 5 s; until then a spinner shows, and on failure the native chat takes over with
a notice. With no CHATKIT_DOMAIN_KEY none of this renders.
"""

from __future__ import annotations

import reflex as rx

from todochat.ui.chat_state import ChatState

FALLBACK_NOTICE = "Using the built-in chat; the ChatKit UI could not be loaded"


def chatkit_frame() -> rx.Component:
    return rx.cond(
        (ChatState.embed == "waiting") | (ChatState.embed == "ready"),
        rx.el.iframe(
            src="/chatkit/embed.html",
            title="ChatKit assistant",
            id="chatkit-embed",
            class_name="chat-embed",
            # No allow-same-origin: the frame (and OpenAI's script in it) gets an opaque
            # origin, so it can read none of this app's storage, cookies or pages.
            sandbox="allow-scripts allow-forms allow-popups",
            data_state=ChatState.embed,
            data_domain_key=ChatState.chatkit_domain_key,
        ),
    )


def embed_waiting() -> rx.Component:
    return rx.center(rx.spinner(size="3"), rx.text("Loading chat…", margin_left="0.5rem"), flex="1", role="status")


def fallback_notice() -> rx.Component:
    return rx.cond(
        ChatState.embed == "failed",
        rx.callout(FALLBACK_NOTICE, icon="info", size="1", color_scheme="gray", class_name="chatkit-fallback",
                   role="status", margin_bottom="0.5rem"),
    )
