"""One conversation: messages (finished and in flight), progress, errors, the composer."""

from __future__ import annotations

import reflex as rx

from todochat.limits import MESSAGE_MAX_CHARS
from todochat.ui.chat_items import ChatMessage, MessagePart
from todochat.ui.chat_mentions import MentionOption
from todochat.ui.chat_state import EXAMPLE_PROMPTS, ChatState
from todochat.ui.components.safe_markdown import safe_markdown
from todochat.ui.components.widget_renderer import widget


def _copy_button(message: ChatMessage) -> rx.Component:
    return rx.icon_button(
        rx.icon("copy", size=12),
        size="1",
        variant="ghost",
        color_scheme="gray",
        aria_label="Copy text",
        title="Copy text",
        on_click=[rx.set_clipboard(message.text), rx.toast("Copied", duration=1500)],
        class_name="msg-tools",
    )


def message_bubble(message: ChatMessage) -> rx.Component:
    return rx.match(
        message.role,
        ("user", rx.box(
            rx.cond(message.parts.length() > 0, rx.foreach(message.parts, _user_part), message.text),
            class_name="bubble bubble-user msg",
            data_role="user",
        )),
        ("assistant", rx.flex(
            rx.box(safe_markdown(message.text), class_name="bubble-body"),
            rx.cond(message.streaming, rx.fragment(), _copy_button(message)),
            class_name="bubble bubble-assistant msg",
            data_role="assistant",
            direction="column",
            align="start",
        )),
        ("widget", rx.flex(
            rx.box(
                widget(message.widget),
                opacity=rx.cond(ChatState.busy_item == message.id, "0.55", "1"),
                aria_busy=(ChatState.busy_item == message.id).to_string(),
                width="100%",
            ),
            rx.cond(message.streaming, rx.fragment(), _copy_button(message)),
            class_name="bubble bubble-widget msg",
            data_role="widget",
            data_item_id=message.id,
            direction="column",
            align="start",
            spacing="1",
        )),
        rx.box(message.text, class_name="bubble bubble-note msg"),
    )


def _user_part(part: MessagePart) -> rx.Component:
    """Words of a user's message, or an @-mentioned task as a chip."""
    return rx.cond(
        part.mention,
        rx.el.span(
            "@" + part.text,
            class_name="mention-chip",
            title=rx.cond(part.task_id != "", "Task #" + part.task_id, "Mentioned task"),
            data_task_id=part.task_id,
        ),
        rx.el.span(part.text),
    )


def _empty_state() -> rx.Component:
    return rx.center(
        rx.flex(
            rx.icon("message-square-text", size=32, color="var(--accent-9)"),
            rx.heading("What needs doing?", size="4", as_="h2"),
            rx.text("Tell the assistant about a task, or ask what is due. An example goes into the "
                    "message box for you to change and send.", color="var(--gray-11)", size="2"),
            rx.flex(
                *[
                    # Into the box, not sent: a click on an example must never add a task unasked.
                    rx.button(prompt, variant="outline", size="2", class_name="example-prompt",
                              on_click=[rx.set_value("composer", prompt), rx.set_focus("composer")])
                    for prompt in EXAMPLE_PROMPTS
                ],
                direction="column",
                spacing="2",
                width="100%",
            ),
            direction="column",
            align="center",
            spacing="3",
            max_width="22rem",
            text_align="center",
        ),
        flex="1",
        padding="2rem 0.5rem",
        class_name="chat-empty",
    )


def _error_bubble() -> rx.Component:
    return rx.cond(
        ChatState.turn_error != "",
        rx.flex(
            rx.icon("triangle-alert", size=16),
            rx.text(ChatState.turn_error, size="2", flex="1", min_width="12rem"),
            rx.cond(ChatState.can_retry, rx.button("Retry", size="1", variant="soft", color_scheme="red",
                                                  on_click=ChatState.retry)),
            class_name="bubble bubble-error",
            role="alert",
            align="center",
            spacing="2",
            wrap="wrap",
        ),
    )


def message_list() -> rx.Component:
    return rx.box(
        rx.box(
            rx.cond(
                ChatState.earlier_after != "",
                rx.center(rx.button("Show earlier messages", size="1", variant="soft",
                                    on_click=ChatState.load_earlier)),
            ),
            rx.foreach(ChatState.messages, message_bubble),
            rx.foreach(ChatState.live, message_bubble),
            rx.cond(
                ChatState.progress != "",
                rx.flex(rx.spinner(size="1"), rx.text(ChatState.progress, size="1"), class_name="chat-progress",
                        align="center", spacing="2", color="var(--gray-11)"),
            ),
            _error_bubble(),
            class_name="chat-log",
            role="log",
            aria_label="Messages",
        ),
        class_name="chat-scroll",
    )


def _queued_message(text: str, index: int) -> rx.Component:
    return rx.el.li(
        rx.icon("clock", size=14, flex_shrink="0"),
        rx.text(text, size="2", class_name="queued-text"),
        rx.button("Edit", size="1", variant="soft", color_scheme="gray", type="button",
                  aria_label="Edit waiting message: " + text, on_click=ChatState.unqueue(index, text)),
        class_name="queued-message",
    )


def _queue() -> rx.Component:
    """Messages sent while a reply runs: shown until their turn comes, and editable until then."""
    return rx.cond(
        ChatState.queued.length() > 0,
        rx.box(
            rx.text("Sends when the reply is done", size="1", weight="medium", color="var(--gray-11)"),
            rx.el.ul(rx.foreach(ChatState.queued, _queued_message), class_name="queued-list"),
            class_name="composer-queue",
            role="region",
            aria_label="Waiting to send",
        ),
    )


def _mention_option(option: MentionOption, index: rx.Var[int]) -> rx.Component:
    return rx.el.li(
        rx.el.span(option.title, class_name="mention-title"),
        rx.cond(option.due != "", rx.el.span(option.due, class_name="mention-due")),
        rx.cond(option.ref != "", rx.el.span(option.ref, class_name="mention-due mention-ref")),
        rx.el.span(option.group, class_name="mention-group", data_group=option.group),
        id="mention-option-" + index.to_string(),
        data_task_id=option.task_id,
        role="option",
        aria_selected=rx.cond(index == ChatState.mention_active, "true", "false"),
        class_name="mention-option",
        on_click=ChatState.pick_mention(index),
    )


def _mention_picker() -> rx.Component:
    """The tasks an "@" in the box offers (chat_mentions.py; keys in assets/chat_mentions.js).
    The listbox is always there, empty while closed, so the box's aria-controls names it."""
    return rx.box(
        rx.el.ul(
            rx.foreach(ChatState.mention_options, _mention_option),
            id="mention-listbox",
            role="listbox",
            aria_label="Tasks to mention",
            class_name="mention-list",
        ),
        rx.cond(
            ChatState.mention_options.length() == 0,
            rx.text("No matching tasks", size="2", class_name="mention-empty", role="status"),
        ),
        rx.text("↑↓ to choose · Enter to mention · Esc to close", size="1", class_name="mention-hint",
                aria_hidden="true"),
        class_name="mention-popup",
        data_open=ChatState.mention_searched.to_string(),
    )


def _mention_controls() -> rx.Component:
    """What assets/chat_mentions.js drives the picker with: the words to search (a hidden
    field's change), ArrowDown/ArrowUp and Enter (hidden buttons). Outside the form: never sent."""
    return rx.box(
        rx.el.input(id="mention-query", type="text", tab_index=-1, aria_hidden="true",
                    on_change=ChatState.search_mentions),
        rx.el.button(id="mention-next", type="button", tab_index=-1, aria_hidden="true",
                     on_click=ChatState.move_mention(1)),
        rx.el.button(id="mention-previous", type="button", tab_index=-1, aria_hidden="true",
                     on_click=ChatState.move_mention(-1)),
        rx.el.button(id="mention-pick", type="button", tab_index=-1, aria_hidden="true",
                     on_click=ChatState.pick_active_mention),
        style={"display": "none"},
    )


def composer() -> rx.Component:
    picking = ChatState.mention_options.length() > 0
    return rx.fragment(rx.form(
        _queue(),
        rx.flex(
            rx.box(
                _mention_picker(),
                # Never disabled: the box keeps focus after Enter, and the next message can be
                # typed (and sent, to wait its turn) while a reply is being written. A textbox
                # that suggests tasks after "@" (aria-autocomplete), whose list it controls.
                rx.el.textarea(
                    name="message",
                    id="composer",
                    placeholder=rx.cond(ChatState.sending, "Type your next message…", "Message the assistant…"),
                    title="Enter sends; Shift+Enter starts a new line; @ mentions a task",
                    aria_label="Message",
                    aria_autocomplete="list",
                    aria_haspopup="listbox",
                    aria_controls="mention-listbox",
                    aria_expanded=rx.cond(picking, "true", "false"),
                    aria_activedescendant=rx.cond(
                        picking, "mention-option-" + ChatState.mention_active.to_string(), ""
                    ),
                    enter_key_submit=True,
                    auto_height=True,
                    rows=1,
                    max_length=MESSAGE_MAX_CHARS,
                    auto_focus=True,
                ),
                class_name="composer-box",
            ),
            # One slot: Stop takes the place of Send for exactly as long as the reply runs.
            rx.box(
                rx.cond(
                    ChatState.sending,
                    rx.icon_button(rx.icon("square", size=14, fill="currentColor"), type="button", size="3",
                                   color_scheme="gray", variant="solid", high_contrast=True,
                                   aria_label="Stop", title="Stop the reply", on_click=ChatState.stop),
                    rx.icon_button(rx.icon("arrow-up", size=18), type="submit", size="3", aria_label="Send",
                                   title="Send"),
                ),
                class_name="composer-action",
            ),
            align="end",
            spacing="2",
        ),
        on_submit=ChatState.send,
        # Emptied in the browser the moment it is sent (which also shrinks the box back),
        # so nothing typed after Enter can be wiped by the server.
        reset_on_submit=True,
        class_name="composer",
        aria_label="Send a message",
        padding_top="0.5rem",
    ), _mention_controls())


def conversation() -> rx.Component:
    return rx.flex(
        rx.cond(
            ChatState.loading_thread,
            rx.center(rx.spinner(size="3"), flex="1", role="status", aria_label="Loading conversation"),
            rx.cond(
                (ChatState.messages.length() == 0) & (ChatState.live.length() == 0) & ~ChatState.sending
                & (ChatState.turn_error == ""),
                _empty_state(),
                message_list(),
            ),
        ),
        composer(),
        direction="column",
        flex="1",
        min_height="0",
    )
