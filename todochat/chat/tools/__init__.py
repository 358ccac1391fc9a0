"""The assistant's tools: every task change it makes goes through here, then TaskService.

The acting user comes from the request context (``ctx.context.request_context``), never
from the model's arguments. Each tool shows its progress, streams a card and returns what
happened for the model: a sentence first (what the offline model says back), then, after a
blank line, details only a model needs. Tasks appear there as ``task_facts`` lines, with
ids and absolute dates, since tool results stay in the history for later turns and days.

One module per kind of tool; what they share lives beside them in ``todochat.chat``:
which tasks a query means (``task_query``), how replies word things (``phrasing``), one
change to one task (``intents``, ``task_changes``) and the cards that show results
(``result_cards``). See docs/architecture.md, "One chat message".
"""

from todochat.chat.tools.acting import complete_task, delete_task, reopen_task, update_task
from todochat.chat.tools.adding import add_tasks
from todochat.chat.tools.bulk import bulk_tasks
from todochat.chat.tools.listing import list_tasks
from todochat.chat.tools.undoing import undo_last_change

TOOLS = [add_tasks, list_tasks, complete_task, reopen_task, delete_task, update_task, bulk_tasks, undo_last_change]
