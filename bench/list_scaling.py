"""Does a long task list or a long thread cost more? It must not (target: each ratio <= 1.5).

Prints, for 10 vs 10,000 tasks, the bytes of the list card the assistant streams and
the server time to build it (query + count + widget); and for a 10-item vs a
10,000-item thread, the time of an ``items.list`` request through ``server.process``.
Runs on a throwaway SQLite file; nothing is asserted, the figures are printed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chatkit.types import AssistantMessageContent, AssistantMessageItem  # noqa: E402

from todochat import migrate  # noqa: E402
from todochat.chat.client import ChatClient  # noqa: E402
from todochat.chat.context import RequestContext  # noqa: E402
from todochat.chat.factory import build_chatkit_server  # noqa: E402
from todochat.chat.db_work import in_db  # noqa: E402
from todochat.chat.result_cards import list_card  # noqa: E402
from todochat.chat.store_rows import item_row  # noqa: E402
from todochat.chat.task_query import ListQuery, list_page  # noqa: E402
from todochat.db import get_engine, session_scope  # noqa: E402
from todochat.models import ChatItem, ChatThread, Task, User  # noqa: E402
from todochat.settings import Settings  # noqa: E402

RUNS = 30


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def make_user(engine, email: str, n_tasks: int) -> str:
    with session_scope(engine) as session:
        user = User(name=email, email=email)
        session.add(user)
        session.flush()
        now = dt.datetime(2026, 11, 23, 10, 0)
        session.add_all(
            Task(user_id=user.id, title=f"task number {i}", tags=" bench ", due_date=(now + dt.timedelta(days=i % 90)).date(),
                 position=float(i), created_at=now, updated_at=now)
            for i in range(n_tasks)
        )
        return user.id


def make_thread(engine, user_id: str, n_items: int) -> str:
    thread_id = f"thr_bench_{n_items}"
    start = dt.datetime(2026, 11, 23, 10, 0)
    with session_scope(engine) as session:
        session.add(ChatThread(id=thread_id, user_id=user_id, title="bench", created_at=start, updated_at=start))
        session.flush()
        rows = []
        for i in range(n_items):
            item = AssistantMessageItem(
                id=f"msg_{n_items}_{i:06d}", thread_id=thread_id, created_at=start + dt.timedelta(seconds=i),
                content=[AssistantMessageContent(text=f"reply {i}", annotations=[])],
            )
            rows.append(ChatItem(**item_row(thread_id, item, user_id)))
        session.add_all(rows)
    return thread_id


async def list_card_figures(ctx: RequestContext) -> tuple[int, float]:
    query = ListQuery(status="all")
    samples, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        items, total, more = await in_db(ctx, lambda tasks: list_page(tasks, query))
        card = list_card(query, items, total, more, ctx.now_local())
        size = len(card.model_dump_json(exclude_none=True))
        samples.append(time.perf_counter() - started)
    return size, median_ms(samples)


async def items_list_ms(client: ChatClient, thread_id: str) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        page = await client.list_items(thread_id, limit=20, order="desc")
        samples.append(time.perf_counter() - started)
        assert len(page["data"]) == 20
    return median_ms(samples)


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="todochat-bench-"))
    url = f"sqlite:///{folder}/bench.db"
    migrate.upgrade(url)
    engine = get_engine(url)
    small = make_user(engine, "small@bench", 10)
    page = make_user(engine, "page@bench", 20)
    large = make_user(engine, "large@bench", 10_000)
    server = build_chatkit_server(Settings(DATABASE_URL=url, TODOCHAT_SECRET="bench-secret-of-16+chars"))

    figures = {}
    for name, user in (("10 tasks", small), ("20 tasks", page), ("10,000 tasks", large)):
        figures[name] = await list_card_figures(RequestContext(user_id=user, engine=engine))
    short_thread = make_thread(engine, small, 10 + 10)  # >= one page of 20
    long_thread = make_thread(engine, small, 10_000)
    client = ChatClient(server, RequestContext(user_id=small, engine=engine))
    short_ms = await items_list_ms(client, short_thread)
    long_ms = await items_list_ms(client, long_thread)

    (b10, t10), (b20, t20), (b10k, t10k) = figures["10 tasks"], figures["20 tasks"], figures["10,000 tasks"]
    print(f"list card, 10 tasks:       {b10:>7} bytes  {t10:7.2f} ms (median of {RUNS})")
    print(f"list card, 20 tasks:       {b20:>7} bytes  {t20:7.2f} ms")
    print(f"list card, 10,000 tasks:   {b10k:>7} bytes  {t10k:7.2f} ms")
    print(f"items.list, 20-item thread:        {short_ms:7.2f} ms")
    print(f"items.list, 10,000-item thread:    {long_ms:7.2f} ms")
    print(f"ratio bytes 10k/10:   {b10k / b10:5.2f}  (10 tasks fill half a page: 10 rows against 20)")
    print(f"ratio bytes 10k/20:   {b10k / b20:5.2f}  (target <= 1.5: one full page against 10,000 tasks)")
    print(f"ratio time 10k/10:    {t10k / t10:5.2f}  (10 rows rendered against 20)")
    print(f"ratio time 10k/20:    {t10k / t20:5.2f}  (target <= 1.5: the same page, 500x the tasks)")
    print(f"ratio items.list:     {long_ms / short_ms:5.2f}  (target <= 1.5)")


if __name__ == "__main__":
    asyncio.run(main())
