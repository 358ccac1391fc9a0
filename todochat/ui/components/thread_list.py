"""The conversation list: newest first, paged, with rename and delete (confirmed)."""

from __future__ import annotations

import reflex as rx

from todochat.ui.chat_items import ThreadEntry
from todochat.ui.chat_state import ChatState


def _rename_form(entry: ThreadEntry) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(name="title", default_value=entry.title, aria_label="Conversation name", max_length=100,
                        auto_focus=True, required=True, class_name="wk-input",
                        # Escape cancels the rename; the phone drawer around it stays open.
                        custom_attrs={"data-own-escape": "true"},
                        on_key_down=lambda key: rx.cond(key == "Escape", ChatState.cancel_rename, rx.noop())),
            rx.icon_button(rx.icon("check", size=14), type="submit", size="1", aria_label="Save name"),
            rx.icon_button(rx.icon("x", size=14), type="button", size="1", variant="ghost", color_scheme="gray",
                           aria_label="Cancel rename", on_click=ChatState.cancel_rename),
            spacing="1",
            align="center",
        ),
        on_submit=ChatState.save_rename,
        aria_label="Rename conversation",
    )


def _entry(entry: ThreadEntry) -> rx.Component:
    return rx.el.li(
        rx.cond(
            ChatState.renaming_id == entry.id,
            _rename_form(entry),
            rx.flex(
                rx.el.button(
                    rx.el.span(entry.title, class_name="thread-title"),
                    rx.el.span(entry.when, class_name="thread-when"),
                    on_click=ChatState.open_thread(entry.id),
                    class_name="thread-open",
                    aria_current=rx.cond(ChatState.thread_id == entry.id, "page", "false"),
                ),
                rx.icon_button(rx.icon("pencil", size=14), size="1", variant="ghost", color_scheme="gray",
                               aria_label="Rename " + entry.title, on_click=ChatState.start_rename(entry.id)),
                rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="ghost", color_scheme="gray",
                               aria_label="Delete " + entry.title, on_click=ChatState.ask_delete(entry.id)),
                align="center",
                spacing="1",
            ),
        ),
        class_name="thread-item",
        data_current=(ChatState.thread_id == entry.id).to_string(),
        style={"list_style": "none"},
    )


def delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this conversation?"),
            rx.alert_dialog.description("Its messages and cards are deleted. Your tasks stay as they are."),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray",
                                                 on_click=ChatState.cancel_delete)),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=ChatState.confirm_delete)),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
        open=ChatState.deleting_id != "",
        on_open_change=lambda is_open: rx.cond(is_open, rx.noop(), ChatState.cancel_delete),
    )


def thread_list() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            rx.heading("Conversations", size="3", as_="h2"),
            rx.spacer(),
            rx.button(rx.icon("plus", size=14), "New", size="1", on_click=ChatState.new_thread,
                      aria_label="New conversation"),
            rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost", color_scheme="gray",
                           aria_label="Close conversations", on_click=ChatState.toggle_threads,
                           class_name="chat-toggle threads-toggle"),
            align="center",
            spacing="2",
            margin_bottom="0.5rem",
        ),
        rx.cond(
            ChatState.threads.length() == 0,
            rx.text("No conversations yet.", size="2", color="var(--gray-11)"),
            rx.el.ul(rx.foreach(ChatState.threads, _entry), style={"padding": "0", "margin": "0"},
                     aria_label="Conversations"),
        ),
        rx.cond(
            ChatState.threads_after != "",
            rx.button("Show older", variant="soft", size="1", width="100%", margin_top="0.5rem",
                      on_click=ChatState.more_threads),
        ),
        class_name="chat-threads",
        data_open=ChatState.show_threads.to_string(),
        aria_label="Conversation history",
    )
