""""Which task did you mean?" asked as a ChatKit structured input, on SQLite and PostgreSQL:
what the question offers, what each kind of answer does, and what it refuses."""

from __future__ import annotations

import asyncio

import pytest
from chatkit.store import NotFoundError

from tests.chat_helpers import collect, context, replies, tasks_of, texts, tree, widget_items
from tests.test_chat_protocol import ada, bob, chat, seed, server  # noqa: F401 (fixtures)
from todochat.chat.client import ChatClient
from todochat.chat.preflight import AlreadyAnswered, MessageTooLong, UnsupportedRequest


def question_of(events):
    [item] = [e.item for e in events if e.type == "thread.item.done" and e.item.type == "structured_input"]
    return item


async def ask(chat, text):
    events = await collect(chat.create_thread(text))
    return events[0].thread.id, question_of(events), events


async def test_an_ambiguous_reference_asks_which_task_with_one_option_each(chat, engine, ada):
    seed(engine, ada, "buy milk", "buy milk powder", "call mom")
    _, question, events = await ask(chat, "delete milk")
    [asked] = question.inputs
    assert question.status == "pending" and asked.type == "multiple_choice" and not asked.multiple
    assert asked.question == "Which “milk” should I delete?"
    assert [option.value for option in asked.options] == ["buy milk", "buy milk powder"]
    assert not widget_items(events)  # no choice card any more
    assert "which one" in replies(events).lower()
    assert len(tasks_of(engine, ada)) == 3  # nothing done before the answer


async def test_picking_an_option_does_what_was_asked_to_that_task(chat, engine, ada):
    milk, powder = seed(engine, ada, "buy milk", "buy milk powder")
    thread_id, question, _ = await ask(chat, "move milk to friday")
    [asked] = question.inputs
    events = await collect(chat.answer(thread_id, question.id, {asked.id: ["buy milk powder"]}))
    by_id = {t.id: t for t in tasks_of(engine, ada)}
    assert by_id[powder].due_date.isoformat() == "2026-11-27" and by_id[milk].due_date is None
    [card] = widget_items(events)
    assert "buy milk powder" in texts(tree(card))
    # The question now shows its answer, for this page and after a reload.
    replaced = [e.item for e in events if e.type == "thread.item.replaced"]
    assert replaced and replaced[0].status == "answered"
    stored = (await chat.list_items(thread_id, limit=50))["data"]
    [again] = [i for i in stored if i["type"] == "structured_input"]
    assert again["status"] == "answered" and again["inputs"][0]["answer"]["values"] == ["buy milk powder"]


@pytest.mark.parametrize("typed, picked", [("the second one", 1), ("1", 0), ("last", 1), ("powder", 1)])
async def test_a_typed_answer_is_read_against_the_options_only(chat, engine, ada, typed, picked):
    ids = seed(engine, ada, "buy milk", "buy milk powder")
    thread_id, question, _ = await ask(chat, "complete milk")
    await collect(chat.answer(thread_id, question.id, {question.inputs[0].id: [typed]}))
    assert [t.id for t in tasks_of(engine, ada) if t.completed] == [ids[picked]]


@pytest.mark.parametrize("typed", ["the fifth one", "call mom", "#999999"])
async def test_an_answer_that_fits_no_option_changes_nothing_and_says_so(chat, engine, ada, typed):
    seed(engine, ada, "buy milk", "buy milk powder", "call mom")
    thread_id, question, _ = await ask(chat, "complete milk")
    events = await collect(chat.answer(thread_id, question.id, {question.inputs[0].id: [typed]}))
    assert not any(t.completed for t in tasks_of(engine, ada))
    assert "changed nothing" in replies(events)


async def test_skipping_changes_nothing(chat, engine, ada):
    seed(engine, ada, "buy milk", "buy milk powder")
    thread_id, question, _ = await ask(chat, "delete milk")
    events = await collect(chat.answer(thread_id, question.id, None))
    assert len(tasks_of(engine, ada)) == 2
    assert "left them as they are" in replies(events)


async def test_a_question_is_answered_once_even_from_two_tabs_at_once(server, engine, ada):
    seed(engine, ada, "water plants", "water plants", recurrence="FREQ=DAILY", due="2026-11-23")
    tab1 = ChatClient(server, context(engine, ada), preflight=True)
    tab2 = ChatClient(server, context(engine, ada))  # no checks: the record alone decides
    thread_id, question, _ = await ask(tab1, "complete water plants")
    value = question.inputs[0].options[0].value
    answers = {question.inputs[0].id: [value]}
    results = await asyncio.gather(collect(tab1.answer(thread_id, question.id, answers)),
                                   collect(tab2.answer(thread_id, question.id, answers)), return_exceptions=True)
    # One acts; the other is told before anything streams.
    assert sorted(type(r).__name__ for r in results) == ["AlreadyAnswered", "list"], results
    # A daily task completed twice would have moved on two days.
    dues = sorted(t.due_date.isoformat() for t in tasks_of(engine, ada) if not t.completed)
    assert dues == ["2026-11-23", "2026-11-24"]
    with pytest.raises(AlreadyAnswered):
        await collect(tab1.answer(thread_id, question.id, answers))


async def test_answers_are_checked_before_anything_streams(server, engine, ada, bob):
    seed(engine, ada, "buy milk", "buy milk powder")
    checked = ChatClient(server, context(engine, ada), preflight=True)
    thread_id, question, events = await ask(checked, "delete milk")
    key = question.inputs[0].id
    message = next(e.item for e in events if e.type == "thread.item.done" and e.item.type == "user_message")
    with pytest.raises(UnsupportedRequest):  # not a question
        await collect(checked.answer(thread_id, message.id, {key: ["buy milk"]}))
    with pytest.raises(MessageTooLong):
        await collect(checked.answer(thread_id, question.id, {key: ["x" * 5000]}))
    with pytest.raises(UnsupportedRequest):
        await collect(checked.answer(thread_id, question.id, {key: ["buy milk"] * 11}))
    bobs = ChatClient(server, context(engine, bob), preflight=True)
    with pytest.raises(NotFoundError):  # another user's thread and question
        await collect(bobs.answer(thread_id, question.id, {key: ["buy milk"]}))
    assert len(tasks_of(engine, ada)) == 2


async def test_the_question_and_its_answer_stay_in_what_the_model_reads(chat, engine, ada):
    """A typed follow-up ("the second one") still works: the question reads like a card."""
    seed(engine, ada, "buy milk", "buy milk powder")
    thread_id, _, _ = await ask(chat, "complete milk")
    events = await collect(chat.send(thread_id, "the second one"))
    assert [t.title for t in tasks_of(engine, ada) if t.completed] == ["buy milk powder"]
    assert widget_items(events)
