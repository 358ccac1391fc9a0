"""ChatKit thread items as the chat page shows them, and stream updates applied to them.

Pure functions on the protocol's JSON (no Reflex, no database), so the native client's
bookkeeping is tested on its own: ``message_of`` turns a stored or streamed item into a
``ChatMessage``; ``apply_update`` applies a ``thread.item.updated`` payload to an item.
"""

from __future__ import annotations

import dataclasses

from todochat.chat import mentions, widget_tree
from todochat.chat.widgets import widget_text
from todochat.ui.widget_view import widget_view


@dataclasses.dataclass
class MessagePart:
    """A piece of a user's message: words, or an @-mentioned task (shown as a chip)."""

    text: str = ""
    mention: bool = False
    task_id: str = ""  # the task a mention's tag names, if any (not checked: it is only shown)


@dataclasses.dataclass
class ChatMessage:
    """One bubble: a user's words, the assistant's reply (markdown), or a widget."""

    id: str = ""
    role: str = ""  # "user" | "assistant" | "widget" | "note"
    text: str = ""  # the words (for widgets: their copy text)
    widget: dict = dataclasses.field(default_factory=dict)  # view tree (widget_view)
    streaming: bool = False
    # A user's message with @-mentions, piece by piece (empty without any: ``text`` says it all).
    parts: list[MessagePart] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ThreadEntry:
    """A row of the conversation list."""

    id: str = ""
    title: str = ""
    when: str = ""


def _user_text(item: dict) -> str:
    parts = []
    for part in item.get("content") or []:
        if part.get("type") == "input_text":
            parts.append(part.get("text", ""))
        elif part.get("type") == "input_tag":
            parts.append(f"@{part.get('text', '')}")
    return "".join(parts)


def _user_parts(item: dict) -> list[MessagePart]:
    """A message's words and mention chips, in order; none when it mentions nothing. Sent
    by either chat client, the same ``input_tag`` parts."""
    content = [part for part in item.get("content") or [] if isinstance(part, dict)]
    if not any(part.get("type") == "input_tag" for part in content):
        return []
    parts = []
    for part in content:
        if part.get("type") == "input_tag":
            task_id = mentions.task_id_of(part.get("data"))
            parts.append(MessagePart(text=str(part.get("text", "")), mention=True, task_id=str(task_id or "")))
        elif part.get("type") == "input_text" and part.get("text"):
            parts.append(MessagePart(text=str(part["text"])))
    return parts


def _assistant_text(item: dict) -> str:
    return "".join(part.get("text", "") for part in item.get("content") or [] if isinstance(part, dict))


def message_of(item: dict, *, streaming: bool = False) -> ChatMessage | None:
    """What the page shows for one thread item; None for items it does not show."""
    kind = item.get("type")
    item_id = str(item.get("id", ""))
    if kind == "user_message":
        return ChatMessage(id=item_id, role="user", text=_user_text(item), parts=_user_parts(item))
    if kind == "assistant_message":
        return ChatMessage(id=item_id, role="assistant", text=_assistant_text(item), streaming=streaming)
    if kind == "widget":
        widget = item.get("widget") or {}
        text = item.get("copy_text") or widget_text(widget)
        return ChatMessage(id=item_id, role="widget", text=text, widget=widget_view(item_id, widget),
                           streaming=streaming)
    if kind == "structured_input":
        tree = question_tree(item)
        return ChatMessage(id=item_id, role="widget", text=widget_text(tree), widget=widget_view(item_id, tree))
    if kind == "task":
        task = item.get("task") or {}
        text = task.get("title") or task.get("content") or ""
        return ChatMessage(id=item_id, role="note", text=text) if text else None
    # end_of_turn, hidden context, client tool calls: nothing to show.
    return None


ANSWER, SKIP = "question.answer", "question.skip"  # handled by the page (chat_turn.answer_question)


def question_tree(item: dict) -> dict:
    """A question (a structured input item) drawn as a card: while it waits, one button per
    option and "None of these"; once answered, the answer. The buttons' actions are the
    page's own (handler "client"): the page sends the answer as threads.add_structured_input."""
    children: list[dict] = []
    for question in item.get("inputs") or []:
        input_id = str(question.get("id", ""))
        children.append({"type": "Text", "value": str(question.get("question", "")), "weight": "medium"})
        answer = question.get("answer")
        if item.get("status") != "pending" or answer:
            said = "None of these" if not answer or answer.get("skipped") else ", ".join(map(str, answer.get("values", [])))
            children.append({"type": "Text", "value": f"→ {said}", "color": "secondary", "size": "sm"})
            continue
        options = [
            {"type": "Button", "label": str(option.get("value", "")), "variant": "outline", "color": "primary",
             "block": True, "onClickAction": _page_action(ANSWER, {"input_id": input_id, "value": str(option.get("value", ""))})}
            for option in question.get("options") or []
        ]
        options.append({"type": "Button", "label": "None of these", "variant": "soft", "color": "secondary",
                        "block": True, "onClickAction": _page_action(SKIP, {})})
        children.append({"type": "Col", "gap": 2, "children": options})
    return {"type": "Card", "id": f"question_{item.get('id', '')}", "size": "md", "gap": 3, "children": children}


def _page_action(kind: str, payload: dict) -> dict:
    return {"type": kind, "payload": payload, "handler": "client", "loadingBehavior": "container"}


def apply_update(item: dict, update: dict) -> dict:
    """The item after one ``thread.item.updated`` payload (a new dict; unknown updates change nothing)."""
    kind = update.get("type", "")
    item = dict(item)
    if kind.startswith("assistant_message.content_part."):
        content = list(item.get("content") or [])
        index = int(update.get("content_index", 0))
        while len(content) <= index:
            content.append({"type": "output_text", "text": "", "annotations": []})
        if kind == "assistant_message.content_part.text_delta":
            content[index] = {**content[index], "text": content[index].get("text", "") + update.get("delta", "")}
        elif kind in ("assistant_message.content_part.added", "assistant_message.content_part.done"):
            content[index] = update.get("content") or content[index]
        item["content"] = content
    elif kind == "widget.root.updated":
        item["widget"] = update.get("widget") or item.get("widget")
    elif kind == "widget.component.updated":
        item["widget"] = widget_tree.replace_id(
            item.get("widget"), update.get("component_id", ""), update.get("component") or {}
        )
    elif kind == "widget.streaming_text.value_delta":
        component = widget_tree.find(item.get("widget"), update.get("component_id", ""))
        if component is not None:
            grown = {**component, "value": str(component.get("value", "")) + update.get("delta", ""),
                     "streaming": not update.get("done", False)}
            item["widget"] = widget_tree.replace_id(item.get("widget"), component["id"], grown)
    elif kind in ("workflow.task.added", "workflow.task.updated"):
        pass  # todochat's server sends no workflows; nothing to draw
    return item
