"""@-mentions of tasks (issue 15) through ``server.process()`` with the offline model: a
message's ``input_tag`` naming one of the sender's tasks acts on exactly that task, with no
"which one?" question; a tag naming anything else is its plain text. Also what the model is
told (``history_for_model``), the search the pickers use (``mentions.search``) and the
limits preflight puts on tags.

Runs on SQLite and PostgreSQL. The clock is Monday 2026-11-23 10:00 UTC (chat_helpers.NOW).
"""

from __future__ import annotations

import json

import pytest

from tests.chat_helpers import collect, context, replies, tasks_of, tree, widget_items
from tests.test_chat_protocol import ada, bob, server  # noqa: F401 (fixtures)
from todochat.chat import mentions
from todochat.chat.client import ChatClient
from todochat.chat.history import MENTION_NOTE, history_for_model
from todochat.chat.preflight import MessageTooLong, TooManyMentions
from todochat.db import session_scope
from todochat.limits import MENTIONS_MAX_PER_MESSAGE
from todochat.tasks import TaskService

FRIDAY = "2026-11-27"


@pytest.fixture
def chat(server, engine, ada) -> ChatClient:
    # test_chat_protocol's, with preflight: the checks POST /chatkit and the native chat run first
    return ChatClient(server, context(engine, ada), preflight=True)


def seed(engine, user_id, title, **fields) -> int:
    with session_scope(engine) as session:
        return TaskService(session, user_id).create({"title": title, **fields}).id


def tag(task_id, text: str, data: dict | None = None) -> dict:
    """An ``input_tag`` part as both chat clients send it (mentions.entity's shape)."""
    return {
        "type": "input_tag",
        "id": f"task_{task_id}",
        "text": text,
        "data": {"task_id": str(task_id)} if data is None else data,
        "group": "Open",
        "interactive": False,
    }


def text(words: str) -> dict:
    return {"type": "input_text", "text": words}


def due_of(engine, user_id) -> dict[int, str | None]:
    return {t.id: t.due_date.isoformat() if t.due_date else None for t in tasks_of(engine, user_id)}


def asked_which(events) -> bool:
    return any("Which" in " ".join(json.dumps(tree(card)).split()) for card in widget_items(events)) or (
        "which one" in replies(events).lower()
    )


# ---------------------------------------------------------------- acting on exactly the tagged task


async def test_move_at_pay_rent_moves_exactly_the_tagged_one_of_two_same_titles(chat, engine, ada):
    first = seed(engine, ada, "pay rent", due="2026-11-23")
    second = seed(engine, ada, "pay rent")
    events = await collect(chat.create_thread([text("move "), tag(second, "pay rent"), text(" to friday")]))
    assert not asked_which(events), replies(events)
    assert due_of(engine, ada) == {first: "2026-11-23", second: FRIDAY}
    # Without the tag the same words ask which one, as before: the tag is what decides.
    events = await collect(chat.create_thread("move pay rent to monday"))
    assert asked_which(events)
    assert due_of(engine, ada) == {first: "2026-11-23", second: FRIDAY}


async def test_a_tag_names_the_shorter_title_when_a_longer_one_contains_it(chat, engine, ada):
    short = seed(engine, ada, "pay rent")
    longer = seed(engine, ada, "pay rent to landlord")
    await collect(chat.create_thread([text("move "), tag(longer, "pay rent to landlord"), text(" to friday")]))
    assert due_of(engine, ada) == {short: None, longer: FRIDAY}
    await collect(chat.create_thread([text("move "), tag(short, "pay rent"), text(" to friday 3pm")]))
    tasks = {t.id: t for t in tasks_of(engine, ada)}
    assert tasks[short].due_date.isoformat() == FRIDAY and tasks[short].due_time.isoformat() == "15:00:00"


@pytest.mark.parametrize(
    ("before", "after", "check"),
    [
        ("complete ", "", lambda t: t.completed),
        ("mark ", " as done", lambda t: t.completed),
        ("make ", " high priority", lambda t: t.priority == "high"),
        ("tag ", " with home", lambda t: t.tag_list == ["home"]),
        ("rename ", " to pay the rent", lambda t: t.title == "pay the rent"),
        ("push ", " back 2 days", lambda t: t.due_date is not None and t.due_date.isoformat() == "2026-11-25"),
        ("", " is due tomorrow", lambda t: t.due_date is not None and t.due_date.isoformat() == "2026-11-24"),
        ("", " tomorrow", lambda t: t.due_date is not None and t.due_date.isoformat() == "2026-11-24"),
        ("add a note to ", ": call the landlord first", lambda t: t.notes == "call the landlord first"),
        ("delete ", "", None),
    ],
)
async def test_every_sentence_shape_acts_on_the_tagged_task_only(chat, engine, ada, before, after, check):
    other = seed(engine, ada, "pay rent")
    tagged = seed(engine, ada, "pay rent")
    untouched = {t.id: t.model_dump() for t in tasks_of(engine, ada)}[other]
    content = ([text(before)] if before else []) + [tag(tagged, "pay rent")] + ([text(after)] if after else [])
    events = await collect(chat.create_thread(content))
    assert not asked_which(events), replies(events)
    tasks = {t.id: t for t in tasks_of(engine, ada)}
    assert tasks[other].model_dump() == untouched
    if check is None:
        assert tagged not in tasks
    else:
        assert check(tasks[tagged]), replies(events)


async def test_the_title_comes_from_the_database_not_from_the_tag(chat, engine, ada):
    """A tag says "pay rent" but the task is now called "pay the rent" (renamed since, or a
    client that lies): the tag's task is acted on, by its id."""
    decoy = seed(engine, ada, "pay rent")
    renamed = seed(engine, ada, "pay the rent")
    await collect(chat.create_thread([text("move "), tag(renamed, "pay rent"), text(" to friday")]))
    assert due_of(engine, ada) == {decoy: None, renamed: FRIDAY}


# ---------------------------------------------------------------- tags that name no task of the sender's


async def test_a_tag_naming_another_users_task_is_plain_text_and_never_reveals_it(server, chat, engine, ada, bob):
    mine = seed(engine, ada, "pay rent")
    theirs = seed(engine, bob, "bob's secret plan")
    events = await collect(chat.create_thread([text("move "), tag(theirs, "pay rent"), text(" to friday")]))
    thread_id = events[0].thread.id
    # Read as the words "move pay rent to friday": Ada's own "pay rent" moves, Bob's nothing.
    assert due_of(engine, ada) == {mine: FRIDAY}
    assert due_of(engine, bob) == {theirs: None}
    told = json.dumps(await _model_input(server, engine, ada, thread_id))
    assert "secret plan" not in told and f"#{theirs}" not in told


@pytest.mark.parametrize(
    "data",
    [
        {"task_id": "0"},
        {"task_id": "-3"},
        {"task_id": "12abc"},
        {"task_id": "99999999999999999999"},
        {"task_id": None},
        {"task_id": ["1"]},
        {"task_id": {"$gt": 0}},
        {"task": "1"},
        {},
    ],
    ids=repr,
)
async def test_a_tag_with_garbage_data_is_its_plain_text(server, chat, engine, ada, data):
    mine = seed(engine, ada, "pay rent")
    events = await collect(chat.create_thread([text("complete "), tag(mine, "pay rent", data)]))
    assert [t.completed for t in tasks_of(engine, ada)] == [True]  # by its words, one match
    told = json.dumps(await _model_input(server, engine, ada, events[0].thread.id))
    assert "complete pay rent" in told and MENTION_NOTE not in told


async def test_a_tag_naming_a_deleted_task_is_plain_text(server, chat, engine, ada):
    gone = seed(engine, ada, "pay rent")
    with session_scope(engine) as session:
        TaskService(session, ada).delete(gone)
    events = await collect(chat.create_thread([text("complete "), tag(gone, "pay rent")]))
    assert "couldn't find" in replies(events)
    told = json.dumps(await _model_input(server, engine, ada, events[0].thread.id))
    assert f"#{gone}" not in told


# ---------------------------------------------------------------- what the model is told


async def _model_input(server, engine, user_id, thread_id) -> list:
    ctx = context(engine, user_id)
    thread = await server.store.load_thread(thread_id, ctx)
    return (await history_for_model(server.store, thread, ctx, 24_000)).input


async def test_the_model_gets_the_tag_as_id_and_title_with_its_facts(server, chat, engine, ada):
    task_id = seed(engine, ada, "pay rent", due="2026-11-23", priority="high")
    events = await collect(chat.create_thread([text("when is "), tag(task_id, "pay rent"), text(" due?")]))
    told = await _model_input(server, engine, ada, events[0].thread.id)
    message, note = told[0], told[1]
    assert message["content"][0]["text"] == f"when is #{task_id} pay rent due?"
    assert note["role"] == "user" and note["content"].startswith(MENTION_NOTE)
    assert f"#{task_id} pay rent — due Mon 2026-11-23, high" in note["content"]
    # Said once per message however often it is tagged.
    events = await collect(chat.create_thread([tag(task_id, "a"), text(" and "), tag(task_id, "b")]))
    told = await _model_input(server, engine, ada, events[0].thread.id)
    message, note = told[:2]
    assert message["content"][0]["text"] == f"#{task_id} pay rent and #{task_id} pay rent"
    assert note["content"].count(f"#{task_id} pay rent —") == 1


async def test_history_reads_mentioned_tasks_with_the_page_not_one_query_each(server, chat, engine, ada):
    ids = [seed(engine, ada, f"task number {n}") for n in range(5)]
    events = await collect(chat.create_thread([part for i in ids for part in (tag(i, "x"), text(" "))] + [text("?")]))
    ctx = context(engine, ada)
    page = await server.store.load_history_page(events[0].thread.id, None, 100, ctx, lambda tree: [])
    assert sorted(page.tasks) == ids


# ---------------------------------------------------------------- limits on tags


async def test_too_many_tags_are_refused_before_anything_is_stored(chat, engine, ada):
    task_id = seed(engine, ada, "pay rent")
    with pytest.raises(TooManyMentions):
        await collect(chat.create_thread([tag(task_id, "p")] * (MENTIONS_MAX_PER_MESSAGE + 1)))
    assert not (await chat.list_threads())["data"]
    events = await collect(chat.create_thread([tag(task_id, "p")] * MENTIONS_MAX_PER_MESSAGE))
    assert events[0].type == "thread.created"


async def test_a_tag_with_a_huge_data_dict_is_refused(chat, engine, ada):
    task_id = seed(engine, ada, "pay rent")
    with pytest.raises(MessageTooLong):
        await collect(chat.create_thread([tag(task_id, "pay rent", {"task_id": str(task_id), "junk": "x" * 5000})]))
    assert not (await chat.list_threads())["data"]


async def test_post_chatkit_answers_too_many_tags_with_a_400_that_says_so(client, signup):
    ada = await signup(client)
    tags = [tag(n, "x") for n in range(1, MENTIONS_MAX_PER_MESSAGE + 2)]
    message = {"content": tags, "attachments": [], "inference_options": {}}
    response = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": message}}, headers=ada.headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": f"A message can mention at most {MENTIONS_MAX_PER_MESSAGE} tasks", "code": "TOO_MANY_MENTIONS"
    }
    listed = await client.post("/chatkit", json={"type": "threads.list", "params": {}}, headers=ada.headers)
    assert listed.json()["data"] == []


# ---------------------------------------------------------------- the search both pickers use


def test_search_offers_open_tasks_first_then_done_ones_and_only_the_users(engine, ada, bob):
    done = seed(engine, ada, "pay rent (october)")
    later = seed(engine, ada, "pay rent", due="2026-12-01")
    sooner = seed(engine, ada, "pay rent to landlord", due="2026-11-24")
    seed(engine, ada, "call mom")
    seed(engine, bob, "pay rent for bob")
    with session_scope(engine) as session:
        service = TaskService(session, ada)
        service.complete(done)
    with session_scope(engine) as session:
        service = TaskService(session, ada)
        found = mentions.search(service, "pay")
        assert [t.id for t in found] == [sooner, later, done]
        assert [mentions.entity(t)["group"] for t in found] == ["Open", "Open", "Done"]
        assert [t.title for t in mentions.search(service, "")] == ["pay rent to landlord", "pay rent", "call mom"]
        assert mentions.search(service, "\x00" * 5000) == mentions.search(service, "")


# ---------------------------------------------------------------- "#12 pay rent" as a reference


def test_find_tasks_takes_an_id_with_its_title_as_that_task_and_a_numbered_title_by_words(engine, ada, bob):
    from todochat.chat.matching import find_tasks

    rent = seed(engine, ada, "pay rent")
    twin = seed(engine, ada, "pay rent")
    landlord = seed(engine, ada, "pay rent to landlord")
    pencils = seed(engine, ada, "buy #2 pencils")
    theirs = seed(engine, bob, "pay rent")
    with session_scope(engine) as session:
        tasks = TaskService(session, ada)

        def found(reference: str) -> list[int]:
            return [t.id for t in find_tasks(tasks, reference)]

        assert found(f"#{twin} pay rent") == [twin]
        assert found(f"#{rent}") == [rent]
        assert found(f"#{landlord} pay rent to landlord") == [landlord]
        assert found(f"#{landlord} pay rent") == [landlord]  # the words a sentence left of its title
        assert found(f"#{landlord} Pay  Rent to landlord") == [landlord]
        # The id's title disagrees: the words are a title of their own, never task 2 or 12 unasked.
        assert found(f"#{rent} call mom") == []
        assert found("#2 pencils") == [pencils]
        # Another user's id: read as words, never their task.
        assert theirs not in found(f"#{theirs} pay rent")


# ---------------------------------------------------------------- several tags in one message


async def test_two_tags_in_a_move_move_both_and_nothing_else(chat, engine, ada):
    """Found by a walk-through: "move @a and @b to friday" said no task matched
    "#11 call mom and #5 pay rent"."""
    mom, rent, other = seed(engine, ada, "call mom"), seed(engine, ada, "pay rent"), seed(engine, ada, "pay rent")
    await collect(chat.create_thread([text("move "), tag(mom, "call mom"), text(" and "), tag(rent, "pay rent"),
                                      text(" to friday")]))
    due = due_of(engine, ada)
    assert due[mom] == FRIDAY and due[rent] == FRIDAY and due[other] is None


async def test_two_tags_with_nothing_between_delete_both(chat, engine, ada):
    first, second, kept = seed(engine, ada, "call mom"), seed(engine, ada, "call mom"), seed(engine, ada, "call mom")
    events = await collect(chat.create_thread([text("delete "), tag(first, "call mom"), text(" "), tag(second, "call mom")]))
    assert not asked_which(events)
    assert [t.id for t in tasks_of(engine, ada)] == [kept]


async def test_a_tagged_title_holding_a_number_is_one_task(chat, engine, ada):
    pencils = seed(engine, ada, "buy #2 pencils")
    two = seed(engine, ada, "pencils")  # a task whose number the first one's title names
    assert two == 2 and pencils == 1
    await collect(chat.create_thread([text("move "), tag(pencils, "buy #2 pencils"), text(" to friday")]))
    due = due_of(engine, ada)
    assert due[pencils] == FRIDAY and due[two] is None


async def test_a_rename_of_two_tagged_tasks_renames_neither(chat, engine, ada):
    mom, rent = seed(engine, ada, "call mom"), seed(engine, ada, "pay rent")
    await collect(chat.create_thread([text("rename "), tag(mom, "call mom"), text(" and "), tag(rent, "pay rent"),
                                      text(" to call dad")]))
    assert sorted(t.title for t in tasks_of(engine, ada)) == ["call mom", "pay rent"]
