"""A reply whose worker died is noticed without the user doing anything.

The worker that runs a turn pushes its changes to the page; when it dies, nothing more
comes and the page would show "Thinking…" forever. While a reply is being written, this
invisible button is on the page and ``TURN_WATCH_JS`` (chat_scripts.py) presses it every
few seconds: ``ChatState.check_turn`` asks Redis whether the turn's process is still alive
(live_processes.py) and, if not, ends the turn with its error and Retry.
"""

from __future__ import annotations

import reflex as rx

from todochat.ui.chat_state import ChatState


def turn_watch() -> rx.Component:
    return rx.cond(
        ChatState.sending,
        rx.el.button(id="turn-watch", type="button", tab_index=-1, aria_hidden="true",
                     style={"display": "none"}, on_click=ChatState.check_turn),
    )
