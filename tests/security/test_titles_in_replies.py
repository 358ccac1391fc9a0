"""Found by the hostile review of issue 9 (finding 15 on the server's side): the offline
model quoted titles into its Markdown replies as written, so "![y](http://…)" or "<img …>"
in a title became an image for any ChatKit client that renders replies (the official
embed, others). The native chat never loads images; the reply itself is now inert."""

from __future__ import annotations

import re

from tests.chat_helpers import collect, context, make_user
from todochat.chat.client import ChatClient
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.db import session_scope
from todochat.tasks import TaskCreate, TaskService

TRACKER = "pay ![y](http://127.0.0.1:9/z.png) <img src=http://127.0.0.1:9/i.png>"


def replies(events) -> list[str]:
    return ["".join(part.text for part in e.item.content) for e in events
            if e.type == "thread.item.done" and e.item.type == "assistant_message"]


async def test_a_title_quoted_in_a_reply_is_text_not_an_image(engine):
    user_id = make_user(engine, "ada@example.com")
    with session_scope(engine) as session:
        task = TaskService(session, user_id).create(TaskCreate(title=TRACKER))
    chat = ChatClient(TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20), context(engine, user_id))
    [reply] = replies(await collect(chat.create_thread(f"complete task #{task.id}")))
    assert "![" not in reply and not re.search(r"(?<!\\)<img", reply)  # no image syntax left unescaped
    assert "pay !\\[y](http://127.0.0.1:9/z.png) \\<img" in reply  # the same words, escaped
