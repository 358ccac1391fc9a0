"""TODOCHAT_MODEL=openai:<model> end to end, on both OpenAI APIs, against a fake model server.

The fake (tests/fake_openai.py) is a real HTTP server on 127.0.0.1 that streams what
OpenAI streams, so the openai client, its retries, SSE parsing and the Agents SDK's
Chat Completions and Responses models all run. Each test asserts on what the database
holds and on what the model was sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

import pytest

from tests.chat_helpers import (
    NOW,
    collect,
    context,
    find,
    make_user,
    replies,
    tasks_of,
    texts,
    tree,
    widget_items,
)
from tests.fake_openai import FakeOpenAI, calls, error, hang, reply, tool_call
from tests.ten_turns import FINAL, REPLIES, TURNS, final_state
from todochat.chat.client import ChatClient
from todochat.chat.factory import build_chatkit_server
from todochat.chat.llm import choose_model
from todochat.chat.tools import TOOLS
from todochat.tasks import task_to_json

APIS = ["chat_completions", "responses"]
ITEM_ID = re.compile(r"^[a-z]+_[0-9a-f]{32}$")  # the store's ids: prefix, 128 random bits


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(params=APIS)
def api(request) -> str:
    return request.param


@pytest.fixture
def model_settings(make_settings, fake, api):
    def build(**overrides):
        values = dict(
            TODOCHAT_MODEL="openai:gpt-test",
            OPENAI_API_KEY="sk-test",
            OPENAI_BASE_URL=fake.base_url,
            OPENAI_API=api,
            MODEL_TIMEOUT_SECONDS=10,
        )
        return make_settings(**{**values, **overrides})

    return build


@pytest.fixture
def server(model_settings):
    return build_chatkit_server(model_settings())


def chat_for(server, engine, email: str) -> ChatClient:
    return ChatClient(server, context(engine, make_user(engine, email)))


def state(engine, chat: ChatClient) -> list[dict]:
    return final_state([task_to_json(t) for t in tasks_of(engine, chat.context.user_id)])


def errors_in(events) -> list:
    return [e for e in events if e.type == "error"]


async def all_items(chat: ChatClient, thread_id: str) -> list[dict]:
    return (await chat.list_items(thread_id, limit=200))["data"]


# ---------------------------------------------------------------- conversations


async def test_ten_turns_with_it_references_two_threads_and_two_users(server, fake, engine, api):
    ada = chat_for(server, engine, "ada@example.com")
    thread_id = None
    for text, steps in TURNS:
        fake.script(*steps)
        events = await collect(ada.send(thread_id, text) if thread_id else ada.create_thread(text))
        assert not errors_in(events), (text, errors_in(events), [r.text[-300:] for r in fake.requests[-2:]])
        thread_id = thread_id or events[0].thread.id
    assert state(engine, ada) == FINAL
    assert fake.pending == 0 and fake.unexpected == []

    # What the model was sent: today's date and zone, our tools, and a compact history.
    first, last = fake.requests[0], fake.requests[-1]
    assert all(r.api == api for r in fake.requests)
    assert "2026-11-23T10:00 (Monday), time zone: UTC" in first.instructions
    assert sorted(first.tool_names) == sorted(tool.name for tool in TOOLS)
    assert "Moved it to Friday." in last.text, "earlier replies are in the history"
    assert re.search(r"#\d+ pay rent — due Fri 2026-11-27, high, #home, open", last.text)
    sent = json.dumps(last.body)
    assert '"Card"' not in sent and "graphical UI widget" not in sent, "cards go as text, not widget JSON"
    assert "output_text" not in sent or api == "responses"
    assert "update_task" in json.dumps(last.messages), "earlier tool calls are part of the history"

    # A second thread and a second user, over the same server and model.
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "water plants"}]}), reply("Added."))
    second = await collect(ada.create_thread("add water plants"))
    ben = chat_for(server, engine, "ben@example.com")
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "buy milk"}]}), reply("Added buy milk."))
    bens = await collect(ben.create_thread("add buy milk"))
    assert not errors_in(second) and not errors_in(bens)
    assert "Added buy milk." in replies(bens)
    assert [t["title"] for t in state(engine, ben)] == ["buy milk"]
    assert "Moved it to Friday" not in fake.requests[-2].text, "a new thread starts without the old one's history"

    # Every stored id is the store's own: no model placeholder, none repeated anywhere.
    ids = []
    for chat, thread in ((ada, thread_id), (ada, second[0].thread.id), (ben, bens[0].thread.id)):
        items = await all_items(chat, thread)
        ids += [item["id"] for item in items]
        said = [item for item in items if item["type"] == "assistant_message"]
        assert said, "the replies were saved"
    assert len(ids) == len(set(ids))
    assert all(ITEM_ID.match(item_id) for item_id in ids), [i for i in ids if not ITEM_ID.match(i)]
    assert [m["content"][0]["text"] for m in await all_items(ada, thread_id) if m["type"] == "assistant_message"] == REPLIES


async def test_a_card_button_between_turns_is_what_the_model_sees_next(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "pay rent", "due": "2026-11-24"}]}), reply("Added."))
    events = await collect(ada.create_thread("add pay rent tomorrow"))
    thread_id = events[0].thread.id
    [card] = widget_items(events)
    [task] = tasks_of(engine, ada.context.user_id)
    button = find(tree(card), f"complete_task_{task.id}_checkbox")["onChangeAction"]
    await ada.sync_action(thread_id, card.id, button)

    fake.script(reply("It is done already."))
    await collect(ada.send(thread_id, "is pay rent done?"))
    seen = fake.requests[-1].text
    # The card as it is now, with an absolute date: not "Due Tomorrow", not widget JSON.
    assert f"#{task.id} pay rent — due Tue 2026-11-24, medium, done" in seen
    assert "Tomorrow" not in seen


async def test_a_retry_after_429_is_honoured(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(
        error(429, message="slow down", headers={"retry-after-ms": "10"}, type="rate_limit_error"),
        tool_call("add_tasks", {"tasks": [{"title": "pay rent"}]}),
        reply("Added."),
    )
    events = await collect(ada.create_thread("add pay rent"))
    assert not errors_in(events)
    assert [t.title for t in tasks_of(engine, ada.context.user_id)] == ["pay rent"]
    assert len(fake.requests) == 3 and fake.pending == 0


async def test_a_refused_key_says_so_and_offers_no_retry(server, fake, engine, caplog):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(error(401, message="Incorrect API key provided", type="invalid_request_error"))
    with caplog.at_level(logging.WARNING, logger="todochat"):
        events = await collect(ada.create_thread("add pay rent"))
    [failure] = errors_in(events)
    assert "API key" in failure.message and not failure.allow_retry
    assert [i["type"] for i in await all_items(ada, events[0].thread.id)] == ["user_message"]
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("todochat")]
    assert len(lines) == 1 and "refused the API key" in lines[0] and "\n" not in lines[0]


async def test_retry_after_a_failed_turn_answers_the_same_message(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(error(500, type="server_error"), error(503, type="server_error"))  # the client retries once
    failed = await collect(ada.create_thread("add pay rent"))
    [failure] = errors_in(failed)
    assert failure.allow_retry
    thread_id = failed[0].thread.id
    [asked] = await all_items(ada, thread_id)

    fake.script(tool_call("add_tasks", {"tasks": [{"title": "pay rent"}]}), reply("Added pay rent."))
    retried = await collect(ada.retry(thread_id, asked["id"]))
    assert not errors_in(retried) and "Added pay rent." in replies(retried)
    assert [i["type"] for i in await all_items(ada, thread_id)] == ["user_message", "widget", "assistant_message"]
    assert [t.title for t in tasks_of(engine, ada.context.user_id)] == ["pay rent"]
    assert "add pay rent" in fake.requests[-2].text


async def test_a_silent_model_times_out_and_keeps_the_message(model_settings, fake, engine):
    server = build_chatkit_server(model_settings(MODEL_TIMEOUT_SECONDS=0.5))
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(hang(5), hang(5))  # the client's one retry meets a silent model too
    events = await collect(ada.create_thread("add pay rent"))
    [failure] = errors_in(events)
    assert "took too long" in failure.message and failure.allow_retry
    assert [i["type"] for i in await all_items(ada, events[0].thread.id)] == ["user_message"]
    assert tasks_of(engine, ada.context.user_id) == []


async def test_a_slow_model_writing_a_long_tool_call_is_not_cut_off(model_settings, fake, engine):
    server = build_chatkit_server(model_settings(MODEL_TIMEOUT_SECONDS=1))
    ada = chat_for(server, engine, "ada@example.com")
    # About three seconds of arguments, a piece every 0.15 s: slow, never silent for 1 s.
    slow = calls(tool_call("add_tasks", {"tasks": [{"title": "pay the rent for december"}]}), delay=0.15)
    fake.script(slow, reply("Added."))
    events = await collect(ada.create_thread("add pay the rent for december"))
    assert not errors_in(events)
    assert [t.title for t in tasks_of(engine, ada.context.user_id)] == ["pay the rent for december"]


async def test_a_long_retry_after_is_busy_at_once_not_a_timeout(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(error(429, message="quota", headers={"retry-after": "120"}, type="rate_limit_error"))
    started = asyncio.get_running_loop().time()
    events = await collect(ada.create_thread("add pay rent"))
    [failure] = errors_in(events)
    assert "busy" in failure.message and failure.allow_retry
    assert asyncio.get_running_loop().time() - started < 5, "no two-minute wait for a doomed retry"
    assert len(fake.requests) == 1


async def test_an_empty_answer_is_an_error_not_silence(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(reply(""))
    events = await collect(ada.create_thread("add pay rent"))
    [failure] = errors_in(events)
    assert "no answer" in failure.message and failure.allow_retry


async def test_a_refused_request_says_retrying_will_not_help(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(error(400, message="This model's maximum context length is 8192 tokens"))
    [failure] = errors_in(await collect(ada.create_thread("add pay rent")))
    assert "refused this conversation" in failure.message and not failure.allow_retry


def test_openai_without_a_key_is_refused_at_start(make_settings):
    from todochat.chat.llm import ModelConfigError

    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        choose_model(make_settings(TODOCHAT_MODEL="openai:gpt-test", OPENAI_API_KEY=None, OPENAI_BASE_URL=None))


# ---------------------------------------------------------------- tools a model can recover from


async def test_a_bad_tool_call_is_explained_and_the_model_corrects_it(server, fake, engine, caplog):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(
        tool_call("add_tasks", raw='{"tasks": [{"title": "pay rent", "priority": "urgent"}]}'),
        tool_call("add_tasks", raw='{"tasks": [{"title": "pay rent"'),
        tool_call("add_task", {"title": "pay rent"}),
        tool_call("add_tasks", {"tasks": [{"title": "pay rent", "priority": "high"}]}),
        reply("Added pay rent, high priority."),
    )
    with caplog.at_level(logging.WARNING, logger="todochat"):
        events = await collect(ada.create_thread("add pay rent, urgent"))
    assert not errors_in(events)
    assert [(t.title, t.priority) for t in tasks_of(engine, ada.context.user_id)] == [("pay rent", "high")]
    told = [r.text for r in fake.requests[1:4]]
    assert "priority" in told[0] and "'low', 'medium' or 'high'" in told[0] and '"urgent"' in told[0]
    assert "not valid JSON" in told[1]
    assert "no tool named 'add_task'" in told[2] and "add_tasks" in told[2]
    assert "An error occurred while running the tool" not in " ".join(told)
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("todochat")]
    assert len(logged) == 3 and all("\n" not in line for line in logged)


async def test_a_bad_repeat_rule_is_explained_and_the_model_corrects_it(server, fake, engine):
    """Issue 11: a rule dateutil would choke on, or one that never happens, is told back to
    the model in words it can act on; nothing is stored until the rule is right."""
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(
        tool_call("add_tasks", {"tasks": [{"title": "standup", "due": "2026-11-24", "recurrence": "FREQ=WEEKLY;BYDAY=TUESDAY"}]}),
        tool_call("add_tasks", {"tasks": [{"title": "standup", "due": "2026-11-24",
                                           "recurrence": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}]}),
        tool_call("add_tasks", {"tasks": [{"title": "standup", "due": "2026-11-24", "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"}]}),
        reply("Added standup, every other Tuesday."),
    )
    events = await collect(ada.create_thread("add standup every other tuesday"))
    assert not errors_in(events)
    told = [r.text for r in fake.requests[1:3]]
    assert "recurrence: BYDAY 'TUESDAY' is not a weekday like TU" in told[0] and "Fix the arguments" in told[0]
    assert "This repeat never happens" in told[1]
    assert [(t.title, t.recurrence) for t in tasks_of(engine, ada.context.user_id)] == [
        ("standup", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")]


async def test_a_tool_that_fails_on_our_side_is_not_retried(server, fake, engine, monkeypatch, caplog):
    import todochat.chat.tools.adding as tools

    async def broken_database(ctx, work):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tools, "in_db", broken_database)
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "pay rent"}]}), reply("Sorry, that failed."))
    with caplog.at_level(logging.WARNING, logger="todochat"):
        events = await collect(ada.create_thread("add pay rent"))
    assert "Sorry, that failed." in replies(events)
    told = fake.requests[-1].text
    assert "add_tasks failed on our side (RuntimeError)" in told and "Stop calling tools" in told
    assert "Fix the arguments" not in told
    [line] = [r.getMessage() for r in caplog.records if r.name.startswith("todochat")]
    assert "database went away" in line


async def test_a_model_that_never_fixes_its_call_is_stopped_with_a_clear_reply(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(*[tool_call("add_tasks", raw='{"tasks": "pay rent"}')] * 8)
    events = await collect(ada.create_thread("add pay rent"))
    [failure] = errors_in(events)
    assert "couldn't finish" in failure.message
    assert "Stop calling tools" in fake.requests[3].text, "after three failures the model is told to stop"
    assert fake.pending == 0 and fake.unexpected == [], "the loop is bounded: eight model calls, no more"
    assert tasks_of(engine, ada.context.user_id) == []


async def test_many_calls_at_once_run_one_by_one_in_order_and_are_bounded(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    many = [tool_call("add_tasks", {"tasks": [{"title": f"task {n}"}]}) for n in range(25)]
    fake.script(calls(*many), reply("Added them."))
    events = await collect(ada.create_thread("add 25 tasks"))
    assert not errors_in(events)
    titles = [t.title for t in tasks_of(engine, ada.context.user_id)]
    assert titles == [f"task {n}" for n in range(20)], "twenty calls a turn, run in the order given"
    told = fake.requests[-1].text
    assert told.count("this turn already made 20 tool calls") == 5 and "Stop calling tools" in told


async def test_one_call_may_not_add_thousands(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(tool_call("add_tasks", {"tasks": [{"title": f"t{n}"} for n in range(51)]}), reply("Sorry."))
    await collect(ada.create_thread("add a lot"))
    assert tasks_of(engine, ada.context.user_id) == []
    assert "add at most 50 tasks per call" in fake.requests[-1].text


async def test_a_date_filter_at_the_calendars_ends_is_no_failure(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(
        tool_call("add_tasks", {"tasks": [{"title": "pay rent", "due": "2026-11-24"}]}),
        tool_call("list_tasks", {"due_from": "0001-01-01", "due_to": "9999-12-31"}),
        reply("Here."),
    )
    events = await collect(ada.create_thread("everything, ever"))
    assert not errors_in(events)
    assert "You have 1 open task:" in fake.requests[-1].text


async def test_a_real_model_hears_that_a_title_is_already_open(server, fake, engine):
    """The note about a namesake is in the tool's result, so any model can pass it on."""
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "pay rent"}]}), reply("Added."))
    await collect(ada.create_thread("add pay rent"))
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "Pay rent"}]}), reply("Added again."))
    events = await collect(ada.create_thread("add Pay rent"))
    assert not errors_in(events)
    assert [t.title for t in tasks_of(engine, ada.context.user_id)] == ["pay rent", "Pay rent"]
    assert "you already have an open “pay rent” (#1)" in fake.requests[-1].text
    [card] = widget_items(events)
    assert any("you already have an open “pay rent” (#1)" in text for text in texts(tree(card)))


# ---------------------------------------------------------------- stop, progress, privacy


async def test_a_stopped_reply_keeps_its_text_and_the_model_hears_of_it(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(reply("Here is a long answer that the user will stop halfway through, " * 4, chunk=6, delay=0.03))
    heard = asyncio.Event()
    seen: list[str] = []

    async def read() -> None:  # the native chat's reader task
        async for event in ada.create_thread("tell me about my tasks"):
            if event.type == "thread.item.updated" and getattr(event.update, "delta", None):
                seen.append(event.update.delta)
                if len("".join(seen)) >= 30:
                    heard.set()

    reader = asyncio.create_task(read())
    await asyncio.wait_for(heard.wait(), 10)
    reader.cancel()  # what Stop does: the reader is cancelled, and with it the run
    with pytest.raises(asyncio.CancelledError):
        await reader
    thread_id = (await ada.list_threads())["data"][0]["id"]

    [kept] = [i for i in await all_items(ada, thread_id) if i["type"] == "assistant_message"]
    text = kept["content"][0]["text"]
    assert text.startswith("Here is a long answer") and 30 <= len(text) < len("Here is a long answer") * 8
    assert ITEM_ID.match(kept["id"])

    fake.script(reply("Sorry, I stopped."))
    await collect(ada.send(thread_id, "ok, just list them"))
    told = fake.requests[-1].text
    assert text in told and "The user cancelled the stream" in told


async def test_stopping_while_a_tool_runs_leaves_a_note_for_the_next_turn(model_settings, fake, engine, monkeypatch):
    import todochat.chat.tools.adding as tools

    server = build_chatkit_server(model_settings())
    ada = chat_for(server, engine, "ada@example.com")
    real_in_db, slow_started = tools.in_db, asyncio.Event()

    async def slow_in_db(ctx, work):  # the tool's database write takes a moment
        slow_started.set()
        await asyncio.sleep(0.3)
        return await real_in_db(ctx, work)

    monkeypatch.setattr(tools, "in_db", slow_in_db)
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "pay rent"}]}), reply("Added."))
    reader = asyncio.create_task(collect(ada.create_thread("add pay rent")))
    await asyncio.wait_for(slow_started.wait(), 10)
    reader.cancel()  # Stop, while the tool runs
    with pytest.raises(asyncio.CancelledError):
        await reader
    monkeypatch.setattr(tools, "in_db", real_in_db)
    thread_id = (await ada.list_threads())["data"][0]["id"]

    fake.script(reply("Let me check."))
    await collect(ada.send(thread_id, "did you add it?"))
    told = fake.requests[-1].text
    assert "add_tasks" in told and "stopped the reply while this call ran" in told
    assert "The user cancelled the stream" in told


async def test_progress_is_shown_while_a_tool_runs(server, fake, engine):
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(
        tool_call("add_tasks", {"tasks": [{"title": "a"}, {"title": "b"}]}),
        tool_call("list_tasks", {"search": "a"}),
        reply("Done."),
    )
    events = await collect(ada.create_thread("add a and b, then find a"))
    progress = [e.text for e in events if e.type == "progress_update"]
    assert progress == ["Adding 2 tasks…", "Searching for “a”…"]


async def test_responses_keep_nothing_at_the_provider(make_settings, fake, engine):
    server = build_chatkit_server(
        make_settings(TODOCHAT_MODEL="openai:gpt-test", OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake.base_url,
                      OPENAI_API="responses")
    )
    fake.script(reply("Hi!"))
    await collect(chat_for(server, engine, "ada@example.com").create_thread("hi"))
    assert fake.requests[0].body["store"] is False


@pytest.mark.parametrize(
    ("overrides", "api", "store"),
    [
        ({}, "responses", False),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, "chat_completions", None),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API": "responses"}, "responses", False),
        ({"OPENAI_API": "chat_completions"}, "chat_completions", False),
        ({"OPENAI_BASE_URL": "https://api.openai.com/v1", "OPENAI_API": "chat_completions"}, "chat_completions", False),
        ({"OPENAI_BASE_URL": ""}, "responses", False),
    ],
)
def test_the_api_follows_the_settings_and_openai_never_stores(make_settings, overrides, api, store):
    chosen = choose_model(make_settings(TODOCHAT_MODEL="openai:gpt-test", OPENAI_API_KEY="sk-test", **overrides))
    assert (chosen.api, chosen.settings.store) == (api, store)


def test_an_unknown_api_is_refused(make_settings):
    with pytest.raises(ValueError, match="OPENAI_API"):
        make_settings(OPENAI_API="completions")


async def test_the_clock_in_the_instructions_is_the_users(model_settings, fake, engine):
    import datetime as dt
    from zoneinfo import ZoneInfo

    server = build_chatkit_server(model_settings())
    user = make_user(engine, "ada@example.com")
    berlin = context(engine, user)
    berlin.tz = ZoneInfo("Europe/Berlin")
    berlin.clock = lambda: NOW + dt.timedelta(hours=14)  # 00:00 on Tuesday in Berlin
    fake.script(reply("Hi!"))
    await collect(ChatClient(server, berlin).create_thread("hi"))
    assert "2026-11-24T01:00 (Tuesday), time zone: Europe/Berlin" in fake.requests[0].instructions


# ---------------------------------------------------------------- the history budget


async def fill_thread(chat: ChatClient, thread_id: str, exchanges: int) -> None:
    """``exchanges`` earlier user messages and replies, written straight into the store."""
    import datetime as dt

    from chatkit.types import (
        AssistantMessageContent,
        AssistantMessageItem,
        UserMessageItem,
        UserMessageTextContent,
    )

    store, thread = chat.server.store, await chat.server.store.load_thread(thread_id, chat.context)
    start = dt.datetime(2026, 11, 1)
    for n in range(exchanges):
        at = start + dt.timedelta(minutes=n)
        asked = UserMessageItem(
            id=store.generate_item_id("message", thread, chat.context), thread_id=thread_id, created_at=at,
            content=[UserMessageTextContent(text=f"question {n}: " + "words " * 30)], inference_options={},
        )
        answered = AssistantMessageItem(
            id=store.generate_item_id("message", thread, chat.context), thread_id=thread_id,
            created_at=at + dt.timedelta(seconds=1),
            content=[AssistantMessageContent(text=f"answer {n}: " + "more " * 30)],
        )
        await store.add_thread_item(thread_id, asked, chat.context)
        await store.add_thread_item(thread_id, answered, chat.context)


@pytest.mark.parametrize("api", ["chat_completions"], indirect=True)
async def test_a_long_thread_costs_what_a_short_one_does(model_settings, fake, engine):
    server = build_chatkit_server(model_settings(HISTORY_BUDGET_CHARS=5_000))
    sizes = {}
    for exchanges in (25, 250):
        chat = chat_for(server, engine, f"user{exchanges}@example.com")
        fake.script(reply("ok"))
        thread_id = (await collect(chat.create_thread("start")))[0].thread.id
        await fill_thread(chat, thread_id, exchanges)
        fake.script(reply("ok"))
        await collect(chat.send(thread_id, "and now?"))
        messages = fake.requests[-1].messages
        sizes[exchanges] = len(json.dumps(messages[1:]))  # the history, without the instructions
        # The history opens with a message the user typed, and ends with the one being answered.
        assert messages[1]["role"] == "user" and '"question' in json.dumps(messages[1]), messages[1]
        assert "and now?" in json.dumps(messages[-1])
        assert f"answer {exchanges - 1}:" in json.dumps(messages), "the newest history is kept"
    # Both threads are longer than the budget: each turn sends about the budget, no more.
    assert all(4_000 <= size <= 5_500 for size in sizes.values()), sizes
    assert abs(sizes[250] - sizes[25]) < 600, sizes


async def test_a_shift_moves_the_tasks_own_date_and_hostile_shifts_change_nothing(server, fake, engine):
    """Issue 11: "push it back 2 days" is update_task's shift_due, applied to the task's own
    due date, keeping its time; a shift too far, out of the due range or not a duration is
    refused in words the model can act on, and nothing changes."""
    ada = chat_for(server, engine, "ada@example.com")
    fake.script(tool_call("add_tasks", {"tasks": [{"title": "dentist", "due": "2026-11-27T15:00"}]}), reply("Added."))
    events = await collect(ada.create_thread("add dentist friday at 3pm"))
    thread_id = events[0].thread.id
    assert "P2D (push back 2 days)" in json.dumps(fake.requests[0].body["tools"]).replace('\\"', "")  # documented
    fake.script(
        tool_call("update_task", {"reference": "dentist", "shift_due": "P1000000000D"}),
        tool_call("update_task", {"reference": "dentist", "shift_due": "NaN"}),
        tool_call("update_task", {"reference": "dentist", "shift_due": "-P11Y"}),
        tool_call("update_task", {"reference": "dentist", "shift_due": "P2D", "due": "2026-12-01"}),
        tool_call("update_task", raw='{"reference": "dentist", "shift_due": {"days": 2}}'),
        tool_call("update_task", {"reference": "dentist", "shift_due": "P2D"}),
        reply("Moved to Sunday at 3 PM."),
    )
    events = await collect(ada.send(thread_id, "push it back 2 days"))
    assert not errors_in(events)
    told = [r.text for r in fake.requests[-6:-1]]
    assert "is not a duration" in told[0] and "Nothing was changed" in told[0]
    assert "is not a duration" in told[1]
    assert "is too far" in told[2] and "at most 3650 days" in told[2]
    assert "not two of them" in told[3]
    assert "shift_due" in told[4]
    assert [task_to_json(t)["due"] for t in tasks_of(engine, ada.context.user_id)] == ["2026-11-29T15:00"]
    assert "due Sun 2026-11-29 15:00" in fake.requests[-1].text

    fake.script(tool_call("update_task", {"reference": "dentist", "due": "2026-12-04"}), reply("Moved."))
    await collect(ada.send(thread_id, "move it to friday next week"))
    assert [task_to_json(t)["due"] for t in tasks_of(engine, ada.context.user_id)] == ["2026-12-04T15:00"]
    fake.script(tool_call("update_task", {"reference": "dentist", "clear_time": True}), reply("No time now."))
    await collect(ada.send(thread_id, "remove the time"))
    assert [task_to_json(t)["due"] for t in tasks_of(engine, ada.context.user_id)] == ["2026-12-04"]


def test_a_shift_out_of_the_due_range_is_refused():
    import datetime as dt

    from todochat.chat.task_changes import patch_from_changes
    from todochat.models import Task

    old = Task(user_id="u", title="old", due_date=dt.date(1901, 3, 1))
    with pytest.raises(ValueError, match="would leave the due range: Due dates must be between 1900-01-01"):
        patch_from_changes(old, {"shift_due": "-P2Y"}, old.due_date)
    patch, note = patch_from_changes(old, {"shift_due": "-P1Y"}, old.due_date)
    assert patch.due == "1900-03-01" and note == ""
    undated = Task(user_id="u", title="undated")
    patch, note = patch_from_changes(undated, {"shift_due": "P1W"}, dt.date(2026, 11, 23))
    assert patch.due == "2026-11-30" and "from today" in note
