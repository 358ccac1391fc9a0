"""A reply that no process is writing any more: what the page says, and whether it offers
Retry. Pure functions on the page's messages; ChatTurn (chat_turn.py) decides when a turn
is lost (live_processes.py) and applies the outcome. See docs/architecture.md, "Running
several workers".
"""

from __future__ import annotations

from dataclasses import dataclass

from todochat.ui.chat_items import ChatMessage

LOST_TURN = "The server stopped before the reply was finished."
LOST_AFTER_A_CARD = "The server stopped before the reply was finished; the cards above show how far it got."


def is_about_a_lost_turn(error: str) -> bool:
    return error in (LOST_TURN, LOST_AFTER_A_CARD)


@dataclass(frozen=True)
class LostTurn:
    """What is known of a turn when it is declared lost."""

    thread: str  # the conversation it was writing into ("" before one was made)
    question: str  # the user message it answered, as its stream recorded it ("": none, e.g. a button)
    waiting: str  # messages queued behind it, handed back to the message box


@dataclass(frozen=True)
class Outcome:
    error: str  # shown under the conversation, with Retry when ``retry_item``
    retry_item: str
    notice: str  # shown instead of an error when the conversation on screen is another one


def what_to_say(lost: LostTurn, thread_on_screen: str, messages: list[ChatMessage]) -> Outcome:
    """Retry answers the lost turn's own question again (the server drops what was stored of
    the reply first), only when that conversation is on screen and no card came after the
    question: a card means a tool ran, committed whole by the dead worker, and answering
    again could do it twice."""
    if not lost.thread or lost.thread != thread_on_screen:
        return Outcome(error="", retry_item="", notice=LOST_TURN)
    at = next((i for i, m in enumerate(messages) if m.id == lost.question), None) if lost.question else None
    if at is None:
        return Outcome(error=LOST_TURN, retry_item="", notice="")
    if any(m.role == "widget" for m in messages[at + 1:]):
        return Outcome(error=LOST_AFTER_A_CARD, retry_item="", notice="")
    return Outcome(error=LOST_TURN, retry_item=lost.question, notice="")
