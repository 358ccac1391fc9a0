"""The native composer's @-mentions, run as Reflex runs the chat page's handlers on a real
state tree (the browser half is in tests/e2e/test_chat_mentions.py): what the picker
offers, what a pick remembers, what a message is sent as, and what tampered events do
(nothing). Also how a sent message with tags reads back (``message_of``'s chips)."""

from __future__ import annotations

import pytest

import todochat.todochat  # noqa: F401  (registers every page's state)
import todochat.ui.auth_state as auth_state
from tests.test_ui_states import tab
from todochat.chat import mentions
from todochat.db import session_scope
from todochat.limits import MENTIONS_MAX_PER_MESSAGE
from todochat.tasks import TaskService
from todochat.ui.chat_items import MessagePart, message_of
from todochat.ui.chat_state import ChatState


@pytest.fixture
def chat_tab(auth, monkeypatch):
    """A chat page state signed in as Ada, who has two tasks called "pay rent" (one due
    today) and a done one; Bob has one too."""
    monkeypatch.setattr(auth_state, "get_auth", lambda: auth)
    ada = auth.sign_up("Ada", "ada@example.com", "correct horse 1")
    bob = auth.sign_up("Bob", "bob@example.com", "correct horse 1")
    with session_scope(auth.engine) as session:
        tasks = TaskService(session, ada.id)
        ids = [
            tasks.create({"title": "pay rent", "due": tasks.now_local().date().isoformat()}).id,
            tasks.create({"title": "pay  rent\tlater"}).id,
            tasks.create({"title": "pay rent in march"}).id,
        ]
        tasks.complete(ids[2])
        TaskService(session, bob.id).create({"title": "pay rent for bob"})
    state = tab(ChatState)
    state.token = auth.token_for(ada)
    return state, ids, auth


def test_the_picker_offers_open_tasks_first_and_picks_by_the_keyboard(chat_tab):
    state, (today, later, done), _ = chat_tab
    ChatState.search_mentions.fn(state, "@pay")
    assert [(o.task_id, o.title, o.group, o.due) for o in state.mention_options] == [
        (str(today), "pay rent", "Open", "Today"),
        (str(later), "pay rent later", "Open", ""),  # on one line, as the box will hold it
        (str(done), "pay rent in march", "Done", ""),
    ]
    assert state.mention_active == 0 and state.mention_searched
    ChatState.move_mention.fn(state, 1)
    ChatState.move_mention.fn(state, 1)
    ChatState.move_mention.fn(state, 1)  # round to the first again
    ChatState.move_mention.fn(state, -1)  # and back to the last
    assert state.mention_active == 2
    ChatState.move_mention.fn(state, -1)
    script = ChatState.pick_active_mention.fn(state)  # Enter: the option the keys made active
    assert '"@pay rent later "' in str(script)
    assert not state.mention_options and not state.mention_searched
    assert [m.task_id for m in state.chosen_mentions] == [str(later)]

    content = state._message_content("move @pay rent later to friday")
    assert content == [
        {"type": "input_text", "text": "move "},
        {"type": "input_tag", "id": f"task_{later}", "text": "pay rent later", "data": {"task_id": str(later)},
         "group": "Open", "interactive": False},
        {"type": "input_text", "text": " to friday"},
    ]
    assert state.chosen_mentions == []  # used up: the next message starts with none


def test_nothing_typed_after_the_at_offers_the_open_tasks_and_a_closed_search_clears(chat_tab):
    state, (today, later, _), _ = chat_tab
    ChatState.search_mentions.fn(state, "@")
    assert [o.task_id for o in state.mention_options] == [str(today), str(later)]
    ChatState.search_mentions.fn(state, "@nothing like it")
    assert state.mention_options == [] and state.mention_searched  # "No matching tasks"
    ChatState.search_mentions.fn(state, "")
    assert not state.mention_searched


@pytest.mark.parametrize("value", [None, 5, ["@pay"], {"q": "@pay"}, "pay", "\x00@pay"])
def test_a_tampered_search_closes_the_picker(chat_tab, value):
    state, _, _ = chat_tab
    ChatState.search_mentions.fn(state, "@pay")
    ChatState.search_mentions.fn(state, value)
    assert state.mention_options == [] and not state.mention_searched


def test_a_long_or_nul_filled_search_is_bounded_and_harmless(chat_tab):
    state, _, _ = chat_tab
    ChatState.search_mentions.fn(state, "@" + "pay \x00" * 5_000)
    assert state.mention_searched  # answered (nothing matches every word), no error


@pytest.mark.parametrize("index", [-1, 3, 99, "0", None, 1.5, True])
def test_a_tampered_pick_picks_nothing(chat_tab, index):
    state, _, _ = chat_tab
    ChatState.search_mentions.fn(state, "@pay")
    assert ChatState.pick_mention.fn(state, index) is None
    assert state.chosen_mentions == []


def test_enter_with_the_list_closed_picks_nothing(chat_tab):
    state, _, _ = chat_tab
    ChatState.search_mentions.fn(state, "@pay")
    ChatState.close_mentions.fn(state)
    assert ChatState.pick_active_mention.fn(state) is None
    assert state.chosen_mentions == []


def test_a_task_deleted_between_the_search_and_the_pick_is_not_mentioned(chat_tab):
    state, (today, _, _), auth = chat_tab
    ChatState.search_mentions.fn(state, "@pay")
    with session_scope(auth.engine) as session:
        TaskService(session, state._user_id).delete(today)
    assert ChatState.pick_mention.fn(state, 0) is None
    assert state.chosen_mentions == [] and state.notice == "That task no longer exists."


def test_a_message_mentions_at_most_the_limit_of_those_still_written(chat_tab):
    """Found by a walk-through: mentions deleted from the box still counted, so after 20
    picks no more could be made until something was sent."""
    state, (today, later, _), _ = chat_tab
    for _ in range(MENTIONS_MAX_PER_MESSAGE):
        ChatState.search_mentions.fn(state, "@pay")
        ChatState.pick_mention.fn(state, 0)
    # At the limit the pick asks the box what it holds before deciding.
    ChatState.search_mentions.fn(state, "@pay")
    asked = ChatState.pick_mention.fn(state, 1)
    assert "composer" in str(asked) and "pick_after_reading_box" in str(asked)
    all_written = " ".join(["@pay rent"] * MENTIONS_MAX_PER_MESSAGE) + " @pay"
    assert ChatState.pick_after_reading_box.fn(state, all_written) is None
    assert len(state.chosen_mentions) == MENTIONS_MAX_PER_MESSAGE
    assert str(MENTIONS_MAX_PER_MESSAGE) in state.notice

    # The box emptied (or all but two deleted): the pick goes through.
    ChatState.search_mentions.fn(state, "@pay")
    ChatState.pick_mention.fn(state, 1)
    script = ChatState.pick_after_reading_box.fn(state, "move @pay rent and @pay rent to friday, @pay")
    assert '"@pay rent later "' in str(script)
    assert [m.task_id for m in state.chosen_mentions] == [str(today), str(today), str(later)]
    # A box text that comes back with no pick waiting, or tampered, changes nothing.
    assert ChatState.pick_after_reading_box.fn(state, "") is None
    assert ChatState.pick_after_reading_box.fn(state, 5) is None
    assert len(state.chosen_mentions) == 3


def test_look_alike_options_show_their_numbers(chat_tab, auth):
    state, (today, _, _), _ = chat_tab
    assert state._resolve_user()
    with session_scope(auth.engine) as session:
        twin = TaskService(session, state._user_id).create({"title": "pay rent", "due": "2030-01-01"}).id
        same = TaskService(session, state._user_id).create({"title": "pay  rent\tlater"}).id
    ChatState.search_mentions.fn(state, "@pay")
    refs = {o.task_id: o.ref for o in state.mention_options}
    assert refs[str(today)] == "" and refs[str(twin)] == ""  # the same title, told apart by the date
    assert refs[str(same)] == f"#{same}" and list(refs.values()).count("") == len(refs) - 2


def test_a_waiting_message_keeps_its_tags_and_hands_them_back_when_taken_back(chat_tab):
    state, (today, _, _), _ = chat_tab
    ChatState.search_mentions.fn(state, "@pay")
    ChatState.pick_mention.fn(state, 0)
    state.queued.append("complete @pay rent")
    state._queued_content.append(state._message_content("complete @pay rent"))
    assert state._queued_content[0][1]["data"] == {"task_id": str(today)}
    assert state.chosen_mentions == []
    ChatState.unqueue.fn(state, 0, "complete @pay rent")  # "Edit": back into the box
    assert state.queued == [] and state._queued_content == []
    assert [m.task_id for m in state.chosen_mentions] == [str(today)]
    # Sent again as it was: the same tag.
    assert state._message_content("complete @pay rent")[1]["data"] == {"task_id": str(today)}


# ---------------------------------------------------------------- message_content


def _entity(task_id: int, title: str) -> dict:
    return {"id": f"task_{task_id}", "title": title, "group": "Open", "interactive": False,
            "data": {"task_id": str(task_id)}}


def _shape(content: list[dict]) -> list[str]:
    return [part["text"] if part["type"] == "input_text" else f"<{part['data']['task_id']}>" for part in content]


def test_message_content_tags_each_chosen_title_still_written_in_order():
    rent, rent_twin, landlord, pay = _entity(1, "pay rent"), _entity(2, "pay rent"), _entity(3, "pay rent to landlord"), _entity(4, "pay")
    content = mentions.message_content
    assert _shape(content("move @pay rent to friday", [rent_twin])) == ["move ", "<2>", " to friday"]
    # Twins in the order chosen; the longest title where two could start; a word's end.
    assert _shape(content("@pay rent and @pay rent", [rent_twin, rent])) == ["<2>", " and ", "<1>"]
    assert _shape(content("@pay rent to landlord, @pay rent", [rent, landlord])) == ["<3>", ", ", "<1>"]
    assert _shape(content("@payment @pay", [pay])) == ["@payment ", "<4>"]
    # Edited away, or never chosen: words as typed.
    assert _shape(content("move @pay the rent", [rent])) == ["move @pay the rent"]
    assert _shape(content("move @pay rent", [])) == ["move @pay rent"]
    assert _shape(content("@pay rent @pay rent", [rent])) == ["<1>", " @pay rent"]
    assert mentions.text_of(content("move @pay rent to friday", [rent])) == "move @pay rent to friday"


# ---------------------------------------------------------------- chips in the sent message


def test_a_sent_message_with_tags_reads_back_as_words_and_chips():
    item = {
        "type": "user_message",
        "id": "msg_1",
        "content": [
            {"type": "input_text", "text": "move "},
            {"type": "input_tag", "id": "task_12", "text": "pay rent", "data": {"task_id": "12"}},
            {"type": "input_text", "text": " to friday"},
            {"type": "input_tag", "id": "x", "text": "<b>odd</b>", "data": {"task_id": "nope"}},
        ],
    }
    message = message_of(item)
    assert message.text == "move @pay rent to friday@<b>odd</b>"
    assert message.parts == [
        MessagePart(text="move "),
        MessagePart(text="pay rent", mention=True, task_id="12"),
        MessagePart(text=" to friday"),
        MessagePart(text="<b>odd</b>", mention=True, task_id=""),
    ]
    plain = message_of({"type": "user_message", "id": "m", "content": [{"type": "input_text", "text": "hi"}]})
    assert plain.parts == [] and plain.text == "hi"
