"""The offline model reading the thread: what earlier turns showed (conversation.py), what
"it", "the first two" and "both" point at (references.py), and answers to a question
(answers.py). Inputs are built as history.py writes them: tool calls with their results,
card notes, replies. The conversations end to end are in test_conversations.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.security import test_long_messages as security
from todochat.chat.history import CARD_NOTE
from todochat.chat.local_model import LocalModel, answers, conversation, parse_command, pointing, references, replies
from todochat.chat.local_model.conversation import ShownTask, read_exchanges, read_fact
from todochat.chat.local_model.references import Context

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("UTC"))  # a Monday
TOOLS = ["add_tasks", "list_tasks", "complete_task", "reopen_task", "delete_task", "update_task", "bulk_tasks", "undo_last_change"]


class Tool:
    def __init__(self, name: str):
        self.name = name


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "type": "message", "content": [{"type": "input_text", "text": text}]}


def called(name: str, arguments: dict, output: str, *cards: str) -> list[dict[str, Any]]:
    call_id = f"call_{abs(hash((name, json.dumps(arguments), output))) % 10**9}"
    items: list[dict[str, Any]] = [
        {"type": "function_call", "call_id": call_id, "name": name, "arguments": json.dumps(arguments)},
        {"type": "function_call_output", "call_id": call_id, "output": output},
    ]
    return items + [{"role": "user", "content": f"{CARD_NOTE} {card}"} for card in cards]


def said(text: str) -> dict[str, Any]:
    return {"role": "assistant", "content": text}


def flat(*items: Any) -> list[Any]:
    out: list[Any] = []
    for item in items:
        out.extend(flat(*item) if isinstance(item, list) else [item])
    return out


def respond(*items: Any, tools: list[str] = TOOLS) -> list[tuple[str, dict] | str]:
    """What the model does next: [(tool, arguments), ...] or [reply]."""
    output = LocalModel(lambda: NOW).respond(flat(*items), [Tool(name) for name in tools])
    return [
        (item.name, json.loads(item.arguments)) if item.type == "function_call" else item.content[0].text
        for item in output
    ]


MILK = "#1 buy milk — due Wed 2026-11-25, medium, open\n#2 buy milk — no due date, medium, open"
CHOICE = [
    user("delete milk"),
    called(
        "delete_task", {"reference": "milk"},
        f"Several tasks match “milk”: “buy milk”, “buy milk”. Which one did you mean?\n\n{MILK}",
        f"Which “milk” should I delete?\n{MILK}",
    ),
    said("Several tasks match “milk”: “buy milk”, “buy milk”. Which one did you mean?"),
]
THREE = "#1 pay rent — no due date, medium, open\n#2 call mom — due Fri 2026-11-27, high, #family, open\n#3 buy milk — no due date, medium, done"
LIST = [
    user("show all my tasks"),
    called("list_tasks", {"status": "all"}, f"You have 3 tasks: …\n\n{THREE}", f"All tasks (3 tasks)\n{THREE}"),
    said("You have 3 tasks."),
]
ADDED = [
    user("add call the plumber"),
    called(
        "add_tasks", {"tasks": [{"title": "call the plumber"}]}, "Added #7 call the plumber — no due date, medium, open.",
        "Added\n#7 call the plumber — no due date, medium, open",
    ),
    said("Added #7 call the plumber — no due date, medium, open."),
]


# ---------------------------------------------------------------- reading the thread


def test_task_lines_read_back_with_every_fact() -> None:
    task = read_fact("#12 pay — the rent — due Fri 2026-12-04 15:00, high, #home #bills, repeats every month, notes: a, b, open")
    assert task == ShownTask(
        id=12, title="pay — the rent", due="2026-12-04T15:00", priority="high", tags=("home", "bills"), done=False
    )
    assert read_fact("#3 call the plumber — deleted") == ShownTask(id=3, title="call the plumber", deleted=True)
    assert read_fact("#4 eggs — no due date, low, done").done
    assert read_fact("Added 2 tasks") is None and read_fact("#5 no facts here") is None


def test_exchanges_pair_each_card_with_the_call_that_showed_it() -> None:
    exchanges = read_exchanges(flat(ADDED, CHOICE, user("the first one")))
    assert [e.user_text for e in exchanges] == ["add call the plumber", "delete milk", "the first one"]
    add, choice, current = exchanges
    assert add.calls[0].name == "add_tasks" and add.calls[0].cards[0].kind == "added"
    assert [t.id for t in add.calls[0].cards[0].tasks] == [7]
    assert choice.calls[0].cards[0].kind == "choice" and choice.calls[0].arguments == {"reference": "milk"}
    assert choice.reply.startswith("Several tasks match") and not current.calls


# ---------------------------------------------------------------- it, them, the first one


def test_it_is_the_task_just_added() -> None:
    assert respond(*ADDED, user("move it to friday")) == [("update_task", {"reference": "#7", "due": "2026-11-27"})]
    assert respond(*ADDED, user("and tag it home")) == [("update_task", {"reference": "#7", "add_tags": ["home"]})]
    assert respond(*ADDED, user("also due friday")) == [("update_task", {"reference": "#7", "due": "2026-11-27"})]
    assert respond(*ADDED, user("delete that")) == [("delete_task", {"reference": "#7"})]


def test_it_among_several_shown_is_asked_never_guessed() -> None:
    [reply] = respond(*LIST, user("mark it done"))
    assert reply.startswith("Which one do you mean: #1 “pay rent”, #2 “call mom” (due Fri Nov 27) or #3 “buy milk”?")
    # The question is answered in words; the request that asked it is read again.
    answered = [*LIST, user("mark it done"), said(reply), user("the second one")]
    assert respond(*answered) == [("complete_task", {"reference": "#2"})]


def test_positions_pick_from_the_latest_list_in_its_order() -> None:
    assert respond(*LIST, user("complete the first two")) == [
        ("complete_task", {"reference": "#1"}), ("complete_task", {"reference": "#2"}),
    ]
    assert respond(*LIST, user("delete the last one")) == [("delete_task", {"reference": "#3"})]
    assert respond(*LIST, user("delete the first and the third")) == [
        ("delete_task", {"reference": "#1"}), ("delete_task", {"reference": "#3"}),
    ]
    assert respond(*LIST, user("make the last 2 on that list high priority")) == [
        ("update_task", {"reference": "#2", "priority": "high"}), ("update_task", {"reference": "#3", "priority": "high"}),
    ]
    [reply] = respond(*LIST, user("complete the fifth one"))
    assert "I showed you 3 tasks" in reply


def test_all_of_them_means_the_list_shown_and_skips_what_is_done() -> None:
    assert respond(*LIST, user("complete all of them")) == [
        ("complete_task", {"reference": "#1"}), ("complete_task", {"reference": "#2"}),
    ]
    assert respond(*LIST, user("reopen them")) == [("reopen_task", {"reference": "#3"})]
    [reply] = respond(*LIST, user("delete both"))
    assert "has 3 tasks, not 2" in reply
    # "them all" is the list shown, not a bulk delete of every task.
    assert [name for name, _ in respond(*LIST, user("delete them all"))] == ["delete_task"] * 3
    assert respond(*LIST, user("complete these 3 tasks")) == [
        ("complete_task", {"reference": "#1"}), ("complete_task", {"reference": "#2"}),
    ]
    # "#2" and "number 2" are task ids, whatever a list showed.
    assert respond(*LIST, user("delete #3")) == [("delete_task", {"reference": "#3"})]
    assert respond(*LIST, user("delete number 3")) == [("delete_task", {"reference": "#3"})]


def test_a_description_picks_the_one_task_it_fits() -> None:
    assert respond(*LIST, user("delete the family one")) == [("delete_task", {"reference": "#2"})]
    assert respond(*LIST, user("complete the one due friday")) == [("complete_task", {"reference": "#2"})]
    assert respond(*LIST, user("reopen the done one")) == [("reopen_task", {"reference": "#3"})]
    assert respond(*LIST, user("make the rent one low priority")) == [
        ("update_task", {"reference": "#1", "priority": "low"})
    ]


def test_a_long_list_goes_to_bulk_with_its_own_filter() -> None:
    rows = "\n".join(f"#{n} chore {n} — no due date, medium, #home, open" for n in range(1, 21))
    long_list = [
        user("show my home tasks"),
        called("list_tasks", {"status": "open", "tag": "home"}, f"You have 25 …\n\n{rows}", f"Open tasks tagged #home (25 tasks)\n{rows}"),
        said("You have 25 open tasks tagged #home (showing the first 20)."),
    ]
    assert respond(*long_list, user("delete all of them")) == [
        ("bulk_tasks", {"action": "delete", "status": "open", "tag": "home"})
    ]
    [reply] = respond(*long_list, user("make them high priority"))
    assert "That's 25 tasks" in reply


def test_nothing_to_point_at_is_said_plainly() -> None:
    assert respond(user("mark it done")) == [replies.WHICH_TASK]
    assert respond(user("complete the first two")) == [replies.NO_LIST]
    [reply] = respond(user("delete all of them"))
    assert reply == replies.WHICH_TASKS  # not a bulk delete of everything
    deleted = [
        user("delete call the plumber"),
        called("delete_task", {"reference": "call the plumber"}, "Deleted #7 call the plumber — no due date, medium.",
               "Deleted\n#7 call the plumber — deleted"),
        said("Deleted #7 call the plumber — no due date, medium."),
    ]
    [reply] = respond(*deleted, user("mark it done"))
    assert "“call the plumber” was deleted" in reply


def test_text_the_user_quoted_still_stands_for_this() -> None:
    items = [*ADDED, user("mark this as done"), user("The user is referring to this in particular: pay rent")]
    assert respond(*items) == [("complete_task", {"reference": "pay rent"})]


# ---------------------------------------------------------------- answers


def test_a_choice_answered_in_words_repeats_the_tool_on_the_pick() -> None:
    assert respond(*CHOICE, user("the first one")) == [("delete_task", {"reference": "#1"})]
    assert respond(*CHOICE, user("the one without a date")) == [("delete_task", {"reference": "#2"})]
    assert respond(*CHOICE, user("the one due wednesday")) == [("delete_task", {"reference": "#1"})]
    assert respond(*CHOICE, user("both")) == [("delete_task", {"reference": "#1"}), ("delete_task", {"reference": "#2"})]
    for no in ("no", "never mind", "none of them", "cancel", "forget it"):
        assert respond(*CHOICE, user(no)) == [replies.NOTHING_CHANGED], no
    assert respond(*CHOICE, user("yes")) == [replies.PICK_ONE]
    # A request of its own is no answer.
    assert respond(*CHOICE, user("show my tasks")) == [("list_tasks", {"status": "open"})]


def test_an_update_choice_keeps_its_changes() -> None:
    choice = [
        user("move milk to friday"),
        called("update_task", {"reference": "milk", "due": "2026-11-27"}, f"Several tasks match “milk” …\n\n{MILK}",
               f"Which “milk” should I change?\n{MILK}"),
        said("Several tasks match “milk”."),
    ]
    assert respond(*choice, user("the second")) == [("update_task", {"reference": "#2", "due": "2026-11-27"})]


def test_yes_to_a_bulk_confirmation_acts_on_the_tasks_it_listed() -> None:
    rows = "#1 write report — no due date, medium, #work, open\n#2 email boss — no due date, medium, #work, done"
    confirm = [
        user("delete all my work tasks"),
        called("bulk_tasks", {"action": "delete", "status": "all", "tag": "work"},
               f"Please confirm: delete 2 tasks tagged #work? …\n\n{rows}", f"Delete 2 tasks?\n{rows}"),
        said("Please confirm: delete 2 tasks tagged #work?"),
    ]
    assert respond(*confirm, user("yes")) == [("delete_task", {"reference": "#1"}), ("delete_task", {"reference": "#2"})]
    assert respond(*confirm, user("no thanks")) == [replies.NOTHING_CHANGED]


def test_undo_calls_the_undo_tool_or_says_it_is_missing() -> None:
    assert respond(*ADDED, user("undo that")) == [("undo_last_change", {})]
    assert respond(*ADDED, user("cancel that")) == [("undo_last_change", {})]
    assert respond(*LIST, user("cancel that")) == [replies.NOTHING_CHANGED]  # nothing was just changed
    [reply] = respond(*ADDED, user("undo"), tools=TOOLS[:-1])
    assert "undo_last_change tool isn't available" in reply
    # While a question waits, "undo" is still a request of its own, not a task called "undo".
    assert respond(user("mark it done"), said(replies.WHICH_TASK), user("undo")) == [("undo_last_change", {})]
    assert respond(user("mark it done"), said(replies.WHICH_TASK), user("thanks")) == [replies.THANKS]
    assert respond(user("mark it done"), said(replies.WHICH_TASK), user("pay rent")) == [
        ("complete_task", {"reference": "pay rent"})
    ]


def test_parse_command_alone_reads_one_message_as_before() -> None:
    # Without a conversation the parser is what it was: pointing words are no task.
    assert parse_command("mark it done", NOW).reply == replies.WHICH_TASK
    assert parse_command("complete all of them", NOW).calls[0].name == "bulk_tasks"
    empty = Context([], NOW)
    assert parse_command("complete all of them", NOW, context=empty).reply == replies.WHICH_TASKS


# ---------------------------------------------------------------- linear work with a thread


@pytest.mark.parametrize("name", list(security.HOSTILE))
def test_reading_the_thread_keeps_the_parse_linear(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The security suite's hostile messages, answered in a conversation (a list shown, a
    choice pending): the work still grows linearly with the message."""

    context = Context(read_exchanges(flat(LIST, CHOICE, user("x")))[:-1], NOW)
    monkeypatch.setattr(security, "parse_command", functools.partial(parse_command, context=context))
    monkeypatch.setattr(
        security, "_PARSER_MODULES", (*security._PARSER_MODULES, answers, conversation, pointing, references)
    )
    make = security.HOSTILE[name]
    half = security.work_of(make(security.MESSAGE_MAX_CHARS // 2), monkeypatch)
    full = security.work_of(make(security.MESSAGE_MAX_CHARS), monkeypatch)
    for measure in ("chars", "calls", "lines"):
        assert getattr(full, measure) <= 2.5 * getattr(half, measure) + 50, measure


PHRASES = [
    "it", "mark it done", "delete that", "move it to friday", "make it high priority", "tag it home", "also due friday",
    "and high priority", "the first one", "the second", "the last one", "the first two", "the last 3", "both", "all of them",
    "them all", "the dentist one", "the one due friday", "the one without a date", "yes", "no", "never mind", "undo",
    "undo that", "take that back", "cancel that", "complete the first two on that list", "delete the fifth one",
    "complete all of them", "it isn't paid yet", "make it urgent too", "the first one and buy milk", "buy milk",
    "show my tasks", "thanks", "add", "what's due today?",
]


@pytest.mark.parametrize("history", ["nothing", "added", "list", "choice", "question"])
def test_every_pointing_phrase_gets_a_plan_in_every_thread(history: str) -> None:
    """Straight through parse_command (the model would hide a crash behind "not sure")."""
    items = {
        "nothing": [],
        "added": ADDED,
        "list": LIST,
        "choice": CHOICE,
        "question": [user("mark it done"), said(replies.WHICH_TASK)],
    }[history]
    context = Context(read_exchanges(flat(items, user("x")))[:-1], NOW)
    for phrase in PHRASES:
        plan = parse_command(phrase, NOW, context=context)
        assert plan.calls or plan.reply, phrase


def test_a_follow_up_needs_a_task_just_added_or_changed() -> None:
    assert respond(*ADDED, user("tomorrow")) == [("update_task", {"reference": "#7", "due": "2026-11-24"})]
    # After a list nothing was just added: "tomorrow" is no change to a guessed task.
    [reply] = respond(*LIST, user("high priority"))
    assert reply == replies.WHAT_TASK
