"""SQLModelStore — ChatKit's Store on todochat's database — as its callers see it.

One contract, run on SQLite and (with TEST_DATABASE_URL) on PostgreSQL: threads and items
round-trip, keyset pages in both orders with ties in ``created_at``, upserts where the SDK
says save, and a hard per-user boundary: another user's thread or item is NotFoundError
and stays untouched.

Decided here: ``after`` that is not an item of the same thread of the same user (another
thread's, another user's, unknown, deleted) is NotFoundError, as is a thread ``after`` that
is not the user's. ``add_thread_item`` of an id the thread already holds replaces it.
A page's ``after`` is its last id while ``has_more``, and None on the last page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
import uuid

import pytest
import sqlalchemy as sa
from chatkit.actions import ActionConfig
from chatkit.server import ChatKitServer, NonStreamingResult, StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    ClientToolCallItem,
    ClosedStatus,
    FileAttachment,
    HiddenContextItem,
    InferenceOptions,
    LockedStatus,
    Page,
    SDKHiddenContextItem,
    ThreadItem,
    ThreadItemDoneEvent,
    ThreadMetadata,
    ToolChoice,
    UserMessageItem,
    UserMessageTagContent,
    UserMessageTextContent,
    WidgetItem,
)
from sqlmodel import Session, func, select

from todochat.chat.context import RequestContext
from todochat.chat.store import MAX_PAGE_SIZE, SQLModelStore
from todochat.chat.store_rows import item_row
from todochat.models import ChatItem, ChatThread, User

from chatkit.widgets import Button, Card, Row, Text, Title

# Named widget classes (Card, Text, ...) warn that .widget templates are preferred; the JSON
# is the same. Validating a stored widget instantiates them too, so every load warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Direct usage of named widget classes:DeprecationWarning"
)

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 11, 23, 10, 0, 0, 123456)  # naive, like the SDK's datetime.now()
MAX_PAGES = 1000  # bound every paging loop: a keyset bug fails instead of hanging


class Clock:
    """The request's clock (aware UTC), moved by hand."""

    def __init__(self, now: dt.datetime = dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def users(engine) -> None:
    with Session(engine) as session:
        session.add(User(id="user-a", name="Ada", email="a@example.com"))
        session.add(User(id="user-b", name="Bob", email="b@example.com"))
        session.commit()


@pytest.fixture
def store() -> SQLModelStore:
    return SQLModelStore()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx_a(engine, users, clock) -> RequestContext:
    return RequestContext(user_id="user-a", engine=engine, clock=clock)


@pytest.fixture
def ctx_b(engine, users, clock) -> RequestContext:
    return RequestContext(user_id="user-b", engine=engine, clock=clock)


# ---------------------------------------------------------------- builders


def thread(thread_id: str | None = None, created_at: dt.datetime = T0, **fields) -> ThreadMetadata:
    return ThreadMetadata(id=thread_id or f"thr_{uuid.uuid4().hex}", created_at=created_at, **fields)


def message(
    thread_id: str, item_id: str | None = None, created_at: dt.datetime = T0, text: str = "hi"
) -> UserMessageItem:
    return UserMessageItem(
        id=item_id or f"msg_{uuid.uuid4().hex}",
        thread_id=thread_id,
        created_at=created_at,
        content=[UserMessageTextContent(text=text)],
        inference_options=InferenceOptions(),
    )


def reply(thread_id: str, item_id: str | None = None, created_at: dt.datetime = T0, text: str = "ok"):
    return AssistantMessageItem(
        id=item_id or f"msg_{uuid.uuid4().hex}",
        thread_id=thread_id,
        created_at=created_at,
        content=[AssistantMessageContent(text=text)],
    )


def task_card(thread_id: str, item_id: str, title: str, done: bool = False) -> WidgetItem:
    widget = Card(
        id="task_42_card",
        children=[
            Title(value=title),
            Row(
                children=[
                    Text(value="Done" if done else "Open", color="secondary"),
                    Button(
                        id="complete_task_42_button",
                        label="Complete",
                        disabled=done,
                        onClickAction=ActionConfig(type="task.complete", payload={"task_id": 42}),
                    ),
                ]
            ),
        ],
    )
    return WidgetItem(
        id=item_id, thread_id=thread_id, created_at=T0, widget=widget, copy_text=title
    )


async def all_pages(load, limit: int) -> tuple[list[str], list[Page]]:
    """Follow ``after`` from page to page; every id seen, and every page."""
    ids: list[str] = []
    pages: list[Page] = []
    after = None
    for _ in range(MAX_PAGES):
        page = await load(after, limit)
        pages.append(page)
        ids += [entry.id for entry in page.data]
        if not page.has_more:
            return ids, pages
        after = page.after
    raise AssertionError("paging did not end")


def dumps(items) -> list[dict]:
    return [item.model_dump() for item in items]


# ---------------------------------------------------------------- ids


def test_generated_ids_keep_the_sdk_prefixes_and_carry_128_random_bits(store):
    context = RequestContext(user_id="anyone", engine=None)  # ids touch no database
    meta = thread()
    thread_ids = {store.generate_thread_id(context) for _ in range(1000)}
    message_id = store.generate_item_id("message", meta, context)
    hidden_id = store.generate_item_id("sdk_hidden_context", meta, context)

    assert len(thread_ids) == 1000
    for thread_id in thread_ids:
        prefix, _, rest = thread_id.partition("_")
        assert prefix == "thr" and len(rest) == 32 and int(rest, 16) >= 0
    assert message_id.startswith("msg_") and len(message_id) == 36
    assert hidden_id.startswith("shcx_") and len(hidden_id) == 37


# ---------------------------------------------------------------- threads


async def test_a_saved_thread_loads_back_with_every_field(store, ctx_a):
    saved = thread(
        "thr_1",
        created_at=dt.datetime(2026, 11, 23, 10, 0, 0, 999999),
        title="Groceries ✓ — Über",
        status=LockedStatus(reason="archived"),
        metadata={"previous_response_id": "resp_1", "nested": {"list": [1, 2.5, None, "ä"]}},
    )

    await store.save_thread(saved, ctx_a)
    loaded = await store.load_thread("thr_1", ctx_a)

    assert loaded.model_dump() == saved.model_dump()
    assert loaded.created_at.microsecond == 999999


async def test_saving_a_thread_again_updates_it_in_place(store, ctx_a):
    original = thread("thr_1", title="Draft")
    await store.save_thread(original, ctx_a)

    renamed = original.model_copy(
        update={"title": "Final", "status": ClosedStatus(reason="done"), "metadata": {"k": "v"}}
    )
    await store.save_thread(renamed, ctx_a)

    loaded = await store.load_thread("thr_1", ctx_a)
    assert (loaded.title, loaded.status, loaded.metadata) == ("Final", ClosedStatus(reason="done"), {"k": "v"})
    page = await store.load_threads(10, None, "asc", ctx_a)
    assert [t.id for t in page.data] == ["thr_1"]


async def test_an_aware_created_at_is_stored_as_naive_utc(store, ctx_a):
    zone = dt.timezone(dt.timedelta(hours=-5))
    await store.save_thread(thread("thr_1", created_at=dt.datetime(2026, 11, 23, 5, 0, 1, 42, tzinfo=zone)), ctx_a)

    loaded = await store.load_thread("thr_1", ctx_a)

    assert loaded.created_at == dt.datetime(2026, 11, 23, 10, 0, 1, 42)


async def test_a_missing_thread_is_not_found(store, ctx_a):
    with pytest.raises(NotFoundError):
        await store.load_thread("thr_missing", ctx_a)
    with pytest.raises(NotFoundError):
        await store.delete_thread("thr_missing", ctx_a)
    with pytest.raises(NotFoundError):
        await store.load_thread_items("thr_missing", None, 10, "asc", ctx_a)
    with pytest.raises(NotFoundError):
        await store.add_thread_item("thr_missing", message("thr_missing"), ctx_a)
    with pytest.raises(NotFoundError):
        await store.save_item("thr_missing", message("thr_missing"), ctx_a)
    with pytest.raises(NotFoundError):
        await store.delete_thread_item("thr_missing", "msg_1", ctx_a)


async def test_deleting_a_thread_removes_it_and_only_its_items(store, ctx_a, engine):
    await store.save_thread(thread("thr_gone"), ctx_a)
    await store.save_thread(thread("thr_kept"), ctx_a)
    for n in range(3):
        await store.add_thread_item("thr_gone", message("thr_gone", f"msg_gone_{n}"), ctx_a)
    await store.add_thread_item("thr_kept", message("thr_kept", "msg_kept"), ctx_a)

    await store.delete_thread("thr_gone", ctx_a)

    with pytest.raises(NotFoundError):
        await store.load_thread("thr_gone", ctx_a)
    with pytest.raises(NotFoundError):
        await store.load_item("thr_gone", "msg_gone_0", ctx_a)
    assert [t.id for t in (await store.load_threads(10, None, "asc", ctx_a)).data] == ["thr_kept"]
    assert [i.id for i in (await store.load_thread_items("thr_kept", None, 10, "asc", ctx_a)).data] == ["msg_kept"]
    with Session(engine) as session:  # no orphans left behind
        assert session.exec(select(func.count()).select_from(ChatItem).where(ChatItem.thread_id == "thr_gone")).one() == 0
    # A thread id freed by deletion can be used again from scratch.
    await store.save_thread(thread("thr_gone", title="again"), ctx_a)
    assert (await store.load_thread_items("thr_gone", None, 10, "asc", ctx_a)).data == []


async def test_threads_page_in_both_orders_without_gaps_or_repeats_across_equal_timestamps(store, ctx_a):
    # 23 threads on 5 timestamps: most share their created_at with others.
    stamps = [T0 + dt.timedelta(microseconds=n) for n in (0, 1, 1000, 1001, 10**6)]
    threads = [thread(f"thr_{uuid.uuid4().hex}", created_at=stamps[n % 5]) for n in range(23)]
    for meta in random.Random(7).sample(threads, len(threads)):
        await store.save_thread(meta, ctx_a)
    ascending = [t.id for t in sorted(threads, key=lambda t: (t.created_at, t.id))]

    async def load(order):
        return lambda after, limit: store.load_threads(limit, after, order, ctx_a)

    for order, expected in (("asc", ascending), ("desc", ascending[::-1])):
        for limit in (1, 4, 5, 23, 50):
            ids, pages = await all_pages(await load(order), limit)
            assert ids == expected, (order, limit)
            assert all(len(p.data) == limit and p.has_more and p.after == p.data[-1].id for p in pages[:-1])
            assert not pages[-1].has_more and len(pages[-1].data) <= limit
            assert pages[-1].after is None  # the last page points nowhere, as in the SDK's stores

    # Starting after any thread gives exactly the threads beyond it.
    middle = ascending[11]
    assert [t.id for t in (await store.load_threads(100, middle, "asc", ctx_a)).data] == ascending[12:]
    assert [t.id for t in (await store.load_threads(100, middle, "desc", ctx_a)).data] == ascending[:11][::-1]


async def test_an_empty_thread_list_is_an_empty_last_page(store, ctx_a):
    page = await store.load_threads(20, None, "desc", ctx_a)
    assert (page.data, page.has_more, page.after) == ([], False, None)


async def test_items_page_in_both_orders_without_gaps_or_repeats_across_equal_timestamps(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    await store.save_thread(thread("thr_other"), ctx_a)
    items = [
        message("thr_1", f"msg_{uuid.uuid4().hex}", created_at=T0 + dt.timedelta(microseconds=n // 4))
        for n in range(17)
    ]
    for item in random.Random(3).sample(items, len(items)):
        await store.add_thread_item("thr_1", item, ctx_a)
    await store.add_thread_item("thr_other", message("thr_other", created_at=T0), ctx_a)
    ascending = [i.id for i in sorted(items, key=lambda i: (i.created_at, i.id))]

    for order, expected in (("asc", ascending), ("desc", ascending[::-1])):
        for limit in (1, 3, 4, 17, 100):
            ids, pages = await all_pages(
                lambda after, limit: store.load_thread_items("thr_1", after, limit, order, ctx_a), limit
            )
            assert ids == expected, (order, limit)
            assert all(p.has_more and len(p.data) == limit for p in pages[:-1])
            assert not pages[-1].has_more

    page = await store.load_thread_items("thr_1", ascending[5], 3, "asc", ctx_a)
    assert [i.id for i in page.data] == ascending[6:9] and page.has_more and page.after == ascending[8]
    page = await store.load_thread_items("thr_1", ascending[5], 10, "desc", ctx_a)
    assert [i.id for i in page.data] == ascending[:5][::-1] and not page.has_more
    page = await store.load_thread_items("thr_1", ascending[-1], 10, "asc", ctx_a)
    assert (page.data, page.has_more, page.after) == ([], False, None)


async def test_a_middle_page_points_at_its_last_thread_and_the_last_page_at_nothing(store, ctx_a):
    for n in range(5):
        await store.save_thread(thread(f"thr_{n}", created_at=T0 + dt.timedelta(seconds=n)), ctx_a)
    middle = await store.load_threads(2, "thr_0", "asc", ctx_a)
    assert ([t.id for t in middle.data], middle.has_more, middle.after) == (["thr_1", "thr_2"], True, "thr_2")
    last = await store.load_threads(2, middle.after, "asc", ctx_a)
    assert ([t.id for t in last.data], last.has_more, last.after) == (["thr_3", "thr_4"], False, None)
    whole = await store.load_threads(5, None, "desc", ctx_a)
    assert (len(whole.data), whole.has_more, whole.after) == (5, False, None)


async def test_a_middle_page_points_at_its_last_item_and_the_last_page_at_nothing(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    for n in range(5):
        await store.add_thread_item("thr_1", message("thr_1", f"msg_{n}", T0 + dt.timedelta(seconds=n)), ctx_a)
    middle = await store.load_thread_items("thr_1", "msg_4", 2, "desc", ctx_a)
    assert ([i.id for i in middle.data], middle.has_more, middle.after) == (["msg_3", "msg_2"], True, "msg_2")
    last = await store.load_thread_items("thr_1", middle.after, 2, "desc", ctx_a)
    assert ([i.id for i in last.data], last.has_more, last.after) == (["msg_1", "msg_0"], False, None)
    stored = await store.load_stored_items("thr_1", None, 5, "asc", ctx_a)
    assert (len(stored.data), stored.has_more, stored.after) == (5, False, None)


async def test_after_must_be_an_item_of_the_same_thread_of_the_same_user(store, ctx_a, ctx_b):
    await store.save_thread(thread("thr_1"), ctx_a)
    await store.save_thread(thread("thr_2"), ctx_a)
    await store.save_thread(thread("thr_b"), ctx_b)
    await store.add_thread_item("thr_1", message("thr_1", "msg_1"), ctx_a)
    await store.add_thread_item("thr_2", message("thr_2", "msg_2"), ctx_a)
    await store.add_thread_item("thr_b", message("thr_b", "msg_b"), ctx_b)

    for foreign in ("msg_2", "msg_b", "msg_unknown"):
        for order in ("asc", "desc"):
            with pytest.raises(NotFoundError):
                await store.load_thread_items("thr_1", foreign, 10, order, ctx_a)
    await store.delete_thread_item("thr_1", "msg_1", ctx_a)
    with pytest.raises(NotFoundError):
        await store.load_thread_items("thr_1", "msg_1", 10, "asc", ctx_a)

    # Threads likewise: paging after another user's thread reveals nothing.
    with pytest.raises(NotFoundError):
        await store.load_threads(10, "thr_b", "asc", ctx_a)
    with pytest.raises(NotFoundError):
        await store.load_threads(10, "thr_unknown", "desc", ctx_a)


async def test_an_unknown_order_is_refused(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    with pytest.raises(ValueError):
        await store.load_threads(10, None, "newest", ctx_a)
    with pytest.raises(ValueError):
        await store.load_thread_items("thr_1", None, 10, "ASC", ctx_a)


# ---------------------------------------------------------------- items


async def test_save_item_replaces_an_item_in_place_and_inserts_a_new_one(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    await store.add_thread_item("thr_1", message("thr_1", "msg_1"), ctx_a)
    await store.add_thread_item("thr_1", task_card("thr_1", "wid_1", "Pay rent"), ctx_a)

    done = task_card("thr_1", "wid_1", "Pay rent", done=True)
    await store.save_item("thr_1", done, ctx_a)
    await store.save_item("thr_1", reply("thr_1", "msg_2", created_at=T0 + dt.timedelta(seconds=1)), ctx_a)

    assert (await store.load_item("thr_1", "wid_1", ctx_a)).model_dump() == done.model_dump()
    page = await store.load_thread_items("thr_1", None, 10, "asc", ctx_a)
    assert sorted(i.id for i in page.data) == ["msg_1", "msg_2", "wid_1"]
    assert [i for i in page.data if i.id == "wid_1"][0].model_dump() == done.model_dump()


async def test_a_completed_client_tool_call_replaces_the_pending_one(store, ctx_a):
    # The SDK's threads.add_client_tool_output: load the last item, complete it, save_item.
    await store.save_thread(thread("thr_1"), ctx_a)
    await store.add_thread_item("thr_1", message("thr_1", "msg_1"), ctx_a)
    pending = ClientToolCallItem(
        id="tc_1", thread_id="thr_1", created_at=T0 + dt.timedelta(microseconds=1),
        call_id="call_1", name="get_location", arguments={"precise": True},
    )
    await store.add_thread_item("thr_1", pending, ctx_a)

    last = (await store.load_thread_items("thr_1", None, 1, "desc", ctx_a)).data[0]
    assert last.model_dump() == pending.model_dump()
    last.status, last.output = "completed", {"city": "Lisbon"}
    await store.save_item("thr_1", last, ctx_a)

    loaded = await store.load_item("thr_1", "tc_1", ctx_a)
    assert (loaded.status, loaded.output) == ("completed", {"city": "Lisbon"})


async def test_adding_an_item_twice_keeps_one_copy_of_the_latest(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    await store.add_thread_item("thr_1", reply("thr_1", "msg_1", text="first"), ctx_a)
    await store.add_thread_item("thr_1", reply("thr_1", "msg_1", text="second"), ctx_a)

    page = await store.load_thread_items("thr_1", None, 10, "asc", ctx_a)
    assert [(i.id, i.content[0].text) for i in page.data] == [("msg_1", "second")]


async def test_an_item_id_cannot_move_to_another_thread(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    await store.save_thread(thread("thr_2"), ctx_a)
    original = message("thr_1", "msg_1", text="stays")
    await store.add_thread_item("thr_1", original, ctx_a)

    for write in (store.add_thread_item, store.save_item):
        with pytest.raises(NotFoundError):
            await write("thr_2", message("thr_2", "msg_1", text="moved"), ctx_a)

    assert (await store.load_item("thr_1", "msg_1", ctx_a)).model_dump() == original.model_dump()
    with pytest.raises(NotFoundError):
        await store.load_item("thr_2", "msg_1", ctx_a)
    assert (await store.load_thread_items("thr_2", None, 10, "asc", ctx_a)).data == []


async def test_deleting_an_item_removes_only_it_and_a_missing_item_is_no_error(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    await store.add_thread_item("thr_1", message("thr_1", "msg_1"), ctx_a)
    await store.add_thread_item("thr_1", reply("thr_1", "msg_2"), ctx_a)

    await store.delete_thread_item("thr_1", "msg_1", ctx_a)
    # The SDK deletes items it streamed but never saved (ThreadItemRemovedEvent).
    await store.delete_thread_item("thr_1", "msg_never_saved", ctx_a)

    with pytest.raises(NotFoundError):
        await store.load_item("thr_1", "msg_1", ctx_a)
    assert [i.id for i in (await store.load_thread_items("thr_1", None, 10, "asc", ctx_a)).data] == ["msg_2"]


async def test_adding_or_saving_an_item_bumps_the_threads_updated_at(store, ctx_a, clock, engine):
    def updated_at() -> dt.datetime:
        with Session(engine) as session:
            return session.get(ChatThread, "thr_1").updated_at

    await store.save_thread(thread("thr_1"), ctx_a)
    assert updated_at() == dt.datetime(2026, 11, 23, 9, 0)

    clock.now += dt.timedelta(minutes=5, microseconds=7)
    await store.add_thread_item("thr_1", message("thr_1", "msg_1"), ctx_a)
    assert updated_at() == dt.datetime(2026, 11, 23, 9, 5, 0, 7)

    clock.now += dt.timedelta(hours=1)
    await store.save_item("thr_1", message("thr_1", "msg_1", text="edited"), ctx_a)
    assert updated_at() == dt.datetime(2026, 11, 23, 10, 5, 0, 7)
    # created_at is the SDK's and never moves.
    assert (await store.load_thread("thr_1", ctx_a)).created_at == T0


def every_kind_of_item(thread_id: str) -> list[ThreadItem]:
    """Each ThreadItem kind todochat stores, with awkward text and microsecond timestamps."""
    at = [T0 + dt.timedelta(seconds=n, microseconds=n * 111) for n in range(7)]
    return [
        UserMessageItem(
            id="msg_user", thread_id=thread_id, created_at=at[0],
            content=[
                UserMessageTextContent(text="add “pay rent” tomorrow 3pm 🏠\nnul:\u0000 tab:\t"),
                UserMessageTagContent(id="task_42", text="#42", data={"task_id": 42}),
            ],
            quoted_text="earlier reply",
            inference_options=InferenceOptions(tool_choice=ToolChoice(id="add_task"), model="local"),
        ),
        AssistantMessageItem(
            id="msg_assistant", thread_id=thread_id, created_at=at[1],
            content=[AssistantMessageContent(text="Added **Pay rent** for tomorrow at 15:00.")],
        ),
        task_card(thread_id, "wid_card", "Pay rent").model_copy(update={"created_at": at[2]}),
        HiddenContextItem(
            id="hcx_1", thread_id=thread_id, created_at=at[3],
            content={"task_ids": [42, 43], "filter": {"completed": False}},
        ),
        SDKHiddenContextItem(
            id="shcx_1", thread_id=thread_id, created_at=at[4],
            content="The user cancelled the stream. Stop responding to the prior request.",
        ),
        ClientToolCallItem(
            id="tc_1", thread_id=thread_id, created_at=at[5], status="completed",
            call_id="call_1", name="open_task", arguments={"task_id": 42, "tags": ["home"]},
            output={"ok": True, "value": 1.5},
        ),
        AssistantMessageItem(
            id="msg_aware", thread_id=thread_id,
            created_at=(at[6]).replace(tzinfo=UTC),  # an aware timestamp stays aware in the item
            content=[AssistantMessageContent(text="")],
        ),
    ]


async def test_every_kind_of_item_round_trips_exactly(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    items = every_kind_of_item("thr_1")
    for item in items:
        await store.add_thread_item("thr_1", item, ctx_a)

    for item in items:
        loaded = await store.load_item("thr_1", item.id, ctx_a)
        assert type(loaded) is type(item)
        assert loaded.model_dump() == item.model_dump()
        assert loaded.model_dump_json() == item.model_dump_json()
    page = await store.load_thread_items("thr_1", None, 100, "asc", ctx_a)
    assert dumps(page.data) == dumps(items)


async def test_concurrent_writers_to_one_thread_all_land(store, ctx_a):
    await store.save_thread(thread("thr_1"), ctx_a)
    items = [message("thr_1", f"msg_{n:02}", created_at=T0 + dt.timedelta(microseconds=n)) for n in range(20)]

    await asyncio.gather(*(store.add_thread_item("thr_1", item, ctx_a) for item in items))
    await asyncio.gather(*(store.save_item("thr_1", item, ctx_a) for item in items))

    page = await store.load_thread_items("thr_1", None, 100, "asc", ctx_a)
    assert [i.id for i in page.data] == [i.id for i in items]


# ---------------------------------------------------------------- the user boundary


async def test_another_users_thread_and_items_are_not_found_and_stay_unchanged(store, ctx_a, ctx_b, engine):
    original = thread("thr_a", title="Ada's", metadata={"k": 1})
    await store.save_thread(original, ctx_a)
    await store.add_thread_item("thr_a", message("thr_a", "msg_a1", text="mine"), ctx_a)
    await store.add_thread_item("thr_a", task_card("thr_a", "wid_a", "Ada's task"), ctx_a)
    await store.save_thread(thread("thr_b"), ctx_b)

    async def snapshot():
        meta = await store.load_thread("thr_a", ctx_a)
        items = await store.load_thread_items("thr_a", None, 100, "asc", ctx_a)
        return meta.model_dump(), dumps(items.data)

    before = await snapshot()

    attempts = {
        "load_thread": store.load_thread("thr_a", ctx_b),
        "load_item": store.load_item("thr_a", "msg_a1", ctx_b),
        "load_thread_items": store.load_thread_items("thr_a", None, 10, "asc", ctx_b),
        "load_thread_items after": store.load_thread_items("thr_b", "msg_a1", 10, "asc", ctx_b),
        "save_thread over A's id": store.save_thread(thread("thr_a", title="Bob's now"), ctx_b),
        "add_thread_item into A's thread": store.add_thread_item("thr_a", message("thr_a", text="bob"), ctx_b),
        "save_item into A's thread": store.save_item("thr_a", message("thr_a", "msg_a1", text="bob"), ctx_b),
        "add A's item id into B's thread": store.add_thread_item("thr_b", message("thr_b", "msg_a1", text="bob"), ctx_b),
        "save A's item id into B's thread": store.save_item("thr_b", task_card("thr_b", "wid_a", "Bob's"), ctx_b),
        "delete_thread_item": store.delete_thread_item("thr_a", "msg_a1", ctx_b),
        "delete_thread": store.delete_thread("thr_a", ctx_b),
        "load_threads after A's thread": store.load_threads(10, "thr_a", "asc", ctx_b),
    }
    for name, attempt in attempts.items():
        with pytest.raises(NotFoundError):
            await attempt
            pytest.fail(f"{name} reached user A's data")

    assert await snapshot() == before
    assert (await store.load_thread_items("thr_b", None, 10, "asc", ctx_b)).data == []
    with Session(engine) as session:  # nothing of B's was slipped into A's thread either
        rows = session.exec(select(ChatItem.id, ChatItem.user_id).where(ChatItem.thread_id == "thr_a")).all()
        assert sorted(rows) == [("msg_a1", "user-a"), ("wid_a", "user-a")]


async def test_listing_threads_shows_only_the_users_own(store, ctx_a, ctx_b):
    for n in range(7):
        await store.save_thread(thread(f"thr_a{n}", created_at=T0), ctx_a)
    for n in range(3):
        await store.save_thread(thread(f"thr_b{n}", created_at=T0), ctx_b)

    for order in ("asc", "desc"):
        ids_b, _ = await all_pages(lambda after, limit: store.load_threads(limit, after, order, ctx_b), 2)
        ids_a, _ = await all_pages(lambda after, limit: store.load_threads(limit, after, order, ctx_a), 2)
        assert sorted(ids_b) == ["thr_b0", "thr_b1", "thr_b2"]
        assert sorted(ids_a) == [f"thr_a{n}" for n in range(7)]


async def test_deleting_a_user_deletes_their_threads_and_items(store, ctx_a, ctx_b, engine):
    await store.save_thread(thread("thr_a"), ctx_a)
    await store.add_thread_item("thr_a", message("thr_a"), ctx_a)
    await store.save_thread(thread("thr_b"), ctx_b)
    await store.add_thread_item("thr_b", message("thr_b", "msg_b"), ctx_b)

    with Session(engine) as session:
        session.delete(session.get(User, "user-a"))
        session.commit()

    with Session(engine) as session:
        assert session.exec(select(ChatThread.id)).all() == ["thr_b"]
        assert session.exec(select(ChatItem.id)).all() == ["msg_b"]


# ---------------------------------------------------------------- attachments


async def test_attachments_are_not_supported(store, ctx_a):
    attachment = FileAttachment(id="atc_1", name="notes.txt", mime_type="text/plain")
    with pytest.raises(NotFoundError):
        await store.load_attachment("atc_1", ctx_a)
    with pytest.raises(ValueError, match="not supported"):
        await store.save_attachment(attachment, ctx_a)
    with pytest.raises(ValueError, match="not supported"):
        await store.delete_attachment("atc_1", ctx_a)


# ---------------------------------------------------------------- a long thread


async def test_a_10000_item_thread_pages_completely_in_both_orders(store, ctx_a, engine):
    await store.save_thread(thread("thr_long"), ctx_a)
    rng = random.Random(10_000)
    # Runs of up to 5 items share a timestamp, as fast tool output can.
    items, at = [], T0
    for n in range(10_000):
        if rng.random() < 0.3:
            at += dt.timedelta(microseconds=rng.randint(1, 2_000_000))
        make = message if n % 2 else reply
        items.append(make("thr_long", f"msg_{uuid.UUID(int=rng.getrandbits(128)).hex}", created_at=at))
    # Setup in bulk, with exactly the rows the store writes.
    with Session(engine) as session:
        session.execute(sa.insert(ChatItem.__table__), [item_row("thr_long", i, "user-a") for i in items])
        session.commit()
    ascending = [i.id for i in sorted(items, key=lambda i: (i.created_at, i.id))]

    started = time.perf_counter()
    for order, expected in (("asc", ascending), ("desc", ascending[::-1])):
        ids, pages = await all_pages(
            lambda after, limit: store.load_thread_items("thr_long", after, limit, order, ctx_a), 100
        )
        assert len(pages) == 100 and ids == expected
        assert len(set(ids)) == 10_000
    elapsed = time.perf_counter() - started

    # A client asking for everything at once still gets a bounded page.
    page = await store.load_thread_items("thr_long", None, 50_000, "desc", ctx_a)
    assert len(page.data) == MAX_PAGE_SIZE and page.has_more
    assert [i.id for i in page.data] == ascending[::-1][:MAX_PAGE_SIZE]
    # The newest item, as the SDK reads it (limit 1, desc), is the last one written.
    newest = (await store.load_thread_items("thr_long", None, 1, "desc", ctx_a)).data[0]
    assert newest.model_dump() == max(items, key=lambda i: (i.created_at, i.id)).model_dump()
    print(f"\n200 pages of 100 over 10,000 items on {engine.dialect.name}: {elapsed:.2f} s")


# ---------------------------------------------------------------- under the SDK's own server


class EchoServer(ChatKitServer[RequestContext]):
    """The smallest ChatKit server: answers every message with its text, reversed."""

    async def respond(self, thread, input_user_message, context):
        text = input_user_message.content[0].text
        yield ThreadItemDoneEvent(
            item=AssistantMessageItem(
                id=self.store.generate_item_id("message", thread, context),
                thread_id=thread.id,
                created_at=dt.datetime.now(),
                content=[AssistantMessageContent(text=text[::-1])],
            )
        )


async def _call(server: EchoServer, context: RequestContext, request: dict) -> list[dict] | dict:
    result = await server.process(json.dumps(request), context)
    if isinstance(result, StreamingResult):
        return [json.loads(chunk[len(b"data: ") :]) async for chunk in result]
    assert isinstance(result, NonStreamingResult)
    return json.loads(result.json)


async def test_the_sdk_server_keeps_a_conversation_in_this_store(store, ctx_a, ctx_b):
    server = EchoServer(store)
    user_input = {"content": [{"type": "input_text", "text": "abc"}], "attachments": [], "inference_options": {}}

    events = await _call(server, ctx_a, {"type": "threads.create", "params": {"input": user_input}})
    thread_id = events[0]["thread"]["id"]
    await _call(server, ctx_a, {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": {**user_input, "content": [{"type": "input_text", "text": "xyz"}]}}})
    await _call(server, ctx_a, {"type": "threads.update", "params": {"thread_id": thread_id, "title": "Echoes"}})

    listed = await _call(server, ctx_a, {"type": "threads.list", "params": {"limit": 10}})
    assert [(t["id"], t["title"]) for t in listed["data"]] == [(thread_id, "Echoes")]
    items = await _call(server, ctx_a, {"type": "items.list", "params": {"thread_id": thread_id, "order": "asc"}})
    texts = [(i["type"], i["content"][0]["text"]) for i in items["data"]]
    assert texts == [("user_message", "abc"), ("assistant_message", "cba"), ("user_message", "xyz"), ("assistant_message", "zyx")]
    assert (await _call(server, ctx_b, {"type": "threads.list", "params": {}}))["data"] == []
    with pytest.raises(NotFoundError):
        await _call(server, ctx_b, {"type": "items.list", "params": {"thread_id": thread_id}})

    await _call(server, ctx_a, {"type": "threads.delete", "params": {"thread_id": thread_id}})
    with pytest.raises(NotFoundError):
        await store.load_thread(thread_id, ctx_a)
