"""Manual order: a moved task takes a position between its new neighbours, through TaskService."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from todochat.limits import POSITION_MAX
from todochat.models import User
from todochat.tasks.order import between, place_between
from todochat.tasks import TaskFilter, TaskNotFound, TaskService


@pytest.fixture
def tasks(engine):
    with Session(engine, expire_on_commit=False) as session:
        session.add(User(id="user-a", name="Ada", email="a@example.com"))
        session.add(User(id="user-b", name="Bob", email="b@example.com"))
        session.commit()
        yield TaskService(session, "user-a")


def order(tasks: TaskService) -> list[str]:
    return [t.title for t in tasks.list(TaskFilter(status="all"), sort="position").items]


def test_between():
    assert between(None, None) == 1.0
    assert between(None, 3.0) == 2.0
    assert between(3.0, None) == 4.0
    assert between(1.0, 2.0) == 1.5
    assert between(1.0, 1.0) is None
    assert between(1.0, 1.0000000000000002) is None  # neighbouring floats: no room
    assert between(None, -POSITION_MAX) is None  # would leave the allowed range


def test_moves_only_the_moved_task(tasks):
    a, b, c, d = (tasks.create({"title": t}) for t in "abcd")
    place_between(tasks, d.id, None, a.id)
    assert order(tasks) == ["d", "a", "b", "c"]
    place_between(tasks, a.id, c.id, None)
    assert order(tasks) == ["d", "b", "c", "a"]
    place_between(tasks, a.id, b.id, c.id)
    assert order(tasks) == ["d", "b", "a", "c"]
    assert (b.position, c.position) == (2.0, 3.0)  # the others kept theirs


def test_numbers_again_when_floats_run_out(tasks):
    a, b, c = (tasks.create({"title": t}) for t in "abc")
    tasks.update(b.id, {"position": 1.0000000000000002})  # no float between a and b
    place_between(tasks, c.id, a.id, b.id)
    assert order(tasks) == ["a", "c", "b"]
    assert [t.position for t in (a, c, b)] == [1.0, 2.0, 3.0]


def test_another_users_task_is_not_found(tasks):
    mine = tasks.create({"title": "mine"})
    theirs = TaskService(tasks.session, "user-b").create({"title": "theirs"})
    with pytest.raises(TaskNotFound):
        place_between(tasks, theirs.id, mine.id, None)
    with pytest.raises(TaskNotFound):
        place_between(tasks, mine.id, theirs.id, None)
