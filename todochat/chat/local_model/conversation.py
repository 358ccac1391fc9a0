"""Reading the conversation the Agents SDK hands the model: what is being asked right now.

The input is either a string or a list of Responses API input items (dicts, or pydantic
models when a caller passes output items back). ChatKit's ThreadItemConverter adds user-role
messages the user never typed — widget descriptions, hidden context, quoted text — so those
are recognised and skipped when looking for the user's latest words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Openings of the user-role messages that ChatKit's converter (and our history.py) write themselves.
_CONTEXT_NOTE_OPENINGS = (
    "Card shown to the user",  # todochat.chat.history.CARD_NOTE
    "Hidden context for the agent",
    "The following graphical UI widget",
    "A message was displayed to the user",
    "A structured input request was displayed",
    "The following image was generated",
    "# User-provided context for @-mentions",
)
_QUOTED_TEXT_OPENING = "The user is referring to this in particular:"
_TOOL_CALL_TYPES = {"function_call", "custom_tool_call", "computer_call", "shell_call", "apply_patch_call"}
_TOOL_OUTPUT_TYPES = {"function_call_output", "custom_tool_call_output", "computer_call_output"}


@dataclass(frozen=True)
class Turn:
    """The current turn: the user's latest message and what tools already answered it."""

    user_text: str | None = None
    tool_outputs: list[str] = field(default_factory=list)
    tools_called: bool = False
    quoted_text: str | None = None

    @property
    def needs_tool_calls(self) -> bool:
        """Nothing has been done about the latest message yet: decide what to call."""
        return self.user_text is not None and not self.tools_called


def read_turn(input: str | Sequence[Any]) -> Turn:
    if isinstance(input, str):
        return Turn(user_text=input)
    outputs: list[str] = []
    tools_called = False
    quoted: str | None = None
    for item in reversed(list(input)):
        kind = _get(item, "type") or ("message" if _get(item, "role") else None)
        if kind in _TOOL_OUTPUT_TYPES:
            outputs.append(_output_text(_get(item, "output")))
            continue
        if kind in _TOOL_CALL_TYPES:
            tools_called = True
            continue
        if kind != "message":
            continue  # reasoning items and the like say nothing about the turn
        role = _get(item, "role")
        text = _content_text(_get(item, "content"))
        if role == "assistant":
            # The latest user message was already answered; nothing new to act on.
            return Turn(tool_outputs=outputs[::-1], tools_called=tools_called)
        if role != "user":
            continue  # system/developer notes are instructions, not requests
        if text.startswith(_QUOTED_TEXT_OPENING):
            quoted = quoted or text[len(_QUOTED_TEXT_OPENING) :].strip()
            continue
        if text.startswith(_CONTEXT_NOTE_OPENINGS):
            continue
        return Turn(user_text=text, tool_outputs=outputs[::-1], tools_called=tools_called, quoted_text=quoted)
    return Turn(tool_outputs=outputs[::-1], tools_called=tools_called)


def _get(item: Any, key: str) -> Any:
    if isinstance(item, dict):
        return item.get(key)
    return getattr(item, key, None)


def _content_text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content.strip()
    parts = []
    for part in content:
        text = _get(part, "text") if _get(part, "type") in ("input_text", "output_text", "text") else None
        if text:
            parts.append(text)
    return "\n".join(parts).strip()


def _output_text(output: Any) -> str:
    if isinstance(output, str):
        return output.strip()
    if isinstance(output, list):
        return _content_text(output)
    return str(output or "").strip()
