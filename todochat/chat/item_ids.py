"""Every stored item gets an id from our store, whatever id the model gave its message.

ChatKit's ``stream_agent_response`` reuses the model's message id as the item id. Over
Chat Completions the Agents SDK has no id to give and passes the placeholder
``__fake_id__`` for every message: the first reply ever saved owned that id, and every
later reply, in any thread of any user, failed to save after its tools had already run.
OpenAI's own ``msg_…`` ids are not ours to key our rows on either.
"""

from __future__ import annotations

from collections.abc import Callable

from chatkit.types import (
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemRemovedEvent,
    ThreadItemUpdatedEvent,
    ThreadStreamEvent,
)


class OwnItemIds:
    """Rewrites one turn's events so assistant messages carry ids from ``new_id``.

    A message is added, updated, then done under the model's id; the same model id can
    come back for the next message of the turn (``__fake_id__`` always does), so an id
    is mapped from its "added" event to its "done" event and no further.
    """

    def __init__(self, new_id: Callable[[], str]):
        self._new_id = new_id
        self._ours: dict[str, str] = {}

    def __call__(self, event: ThreadStreamEvent) -> ThreadStreamEvent:
        if isinstance(event, ThreadItemAddedEvent) and event.item.type == "assistant_message":
            ours = self._ours[event.item.id] = self._new_id()
            return event.model_copy(update={"item": event.item.model_copy(update={"id": ours})})
        if isinstance(event, ThreadItemUpdatedEvent) and event.item_id in self._ours:
            return event.model_copy(update={"item_id": self._ours[event.item_id]})
        if isinstance(event, ThreadItemDoneEvent) and event.item.type == "assistant_message":
            ours = self._ours.pop(event.item.id, None) or self._new_id()
            return event.model_copy(update={"item": event.item.model_copy(update={"id": ours})})
        if isinstance(event, ThreadItemRemovedEvent) and event.item_id in self._ours:
            return event.model_copy(update={"item_id": self._ours.pop(event.item_id)})
        return event
