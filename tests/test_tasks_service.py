"""TaskService on real databases (SQLite and PostgreSQL): validation, filters, sorting,
keyset pages, recurrence, undo and the per-user boundary."""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from todochat.models import Task, User
from todochat.tasks import (
    InvalidCursor,
    InvalidRepeat,
    TaskFilter,
    TaskNotFound,
    TaskService,
    encode_cursor,
    task_to_json,
)

UTC = dt.timezone.utc
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # the fixtures' clock


class Clock:
    """An injectable clock that only moves when told to."""

    def __init__(self, now: dt.datetime = MONDAY) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        session.add(User(id="user-a", name="Ada", email="a@example.com"))
        session.add(User(id="user-b", name="Bob", email="b@example.com"))
        session.commit()
        yield session


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(session, clock) -> TaskService:
    return TaskService(session, "user-a", clock=clock)


@pytest.fixture
def svc_b(session, clock) -> TaskService:
    return TaskService(session, "user-b", clock=clock)


def stored(engine, task_id: int) -> Task | None:
    """The task as a fresh session sees it (i.e. what was committed)."""
    with Session(engine) as other:
        return other.get(Task, task_id)


def titles(page_or_tasks) -> list[str]:
    items = page_or_tasks.items if hasattr(page_or_tasks, "items") else page_or_tasks
    return [t.title for t in items]


def listed(svc: TaskService, **filters) -> list[str]:
    sort = filters.pop("sort", "due")
    return titles(svc.list(TaskFilter(**filters), sort=sort, limit=200))


# ---------------------------------------------------------------- create + validation


def test_needs_an_acting_user(session):
    with pytest.raises(ValueError):
        TaskService(session, "")


def test_create_stores_a_task_with_defaults(svc, session, engine):
    task = svc.create({"title": "Pay rent"})
    session.commit()

    saved = stored(engine, task.id)
    assert saved.user_id == "user-a"
    assert saved.title == "Pay rent"
    assert (saved.notes, saved.completed, saved.priority) == ("", False, "medium")
    assert (saved.due_date, saved.due_time, saved.recurrence, saved.tag_list) == (None, None, None, [])
    assert saved.created_at == MONDAY.replace(tzinfo=None)
    assert saved.completed_at is None


def test_title_is_trimmed(svc, session, engine):
    task = svc.create({"title": "   Pay \t rent \n "})
    session.commit()
    assert stored(engine, task.id).title == "Pay rent"


@pytest.mark.parametrize("title", ["", "   ", "\n\t ", None, 123])
def test_empty_or_non_text_title_is_rejected(svc, title):
    with pytest.raises(ValidationError):
        svc.create({"title": title})
    assert svc.count() == 0


def test_title_length_limit_is_500(svc, session, engine):
    with pytest.raises(ValidationError, match="500"):
        svc.create({"title": "x" * 501})
    assert svc.count() == 0

    ascii_task = svc.create({"title": "x" * 500})
    accented = svc.create({"title": "é" * 500})  # characters, not bytes
    session.commit()
    assert stored(engine, ascii_task.id).title == "x" * 500
    assert stored(engine, accented.id).title == "é" * 500


@pytest.mark.parametrize("field,value", [("priority", "urgent"), ("priority", ""), ("recurrence", "hourly"),
                                         ("recurrence", "biweekly")])
def test_unknown_priority_or_recurrence_is_rejected(svc, field, value):
    with pytest.raises(ValidationError):
        svc.create({"title": "t", field: value})
    assert svc.count() == 0


def test_unknown_fields_are_rejected(svc):
    with pytest.raises(ValidationError):
        svc.create({"title": "t", "user_id": "user-b"})
    assert svc.count() == 0


@pytest.mark.parametrize("tags", ["#Work, work, Home", ["#Work", "work", "Home"], ["  #work ", "WORK", "home"]])
def test_tags_are_normalized(svc, session, engine, tags):
    task = svc.create({"title": "t", "tags": tags})
    session.commit()
    assert stored(engine, task.id).tag_list == ["work", "home"]
    assert task_to_json(task)["tags"] == ["work", "home"]


@pytest.mark.parametrize("tags", [[1, 2], {"x": 1}, ["a/b"], ["x" * 41]])
def test_bad_tags_are_rejected(svc, tags):
    with pytest.raises(ValidationError):
        svc.create({"title": "t", "tags": tags})


@pytest.mark.parametrize(
    "due,expected_date,expected_time,as_json",
    [
        ("2026-11-30", dt.date(2026, 11, 30), None, "2026-11-30"),
        ("2026-11-30T15:30", dt.date(2026, 11, 30), dt.time(15, 30), "2026-11-30T15:30"),
        ("2026-11-30T15:30:59", dt.date(2026, 11, 30), dt.time(15, 30), "2026-11-30T15:30"),
        (" 2026-02-28 ", dt.date(2026, 2, 28), None, "2026-02-28"),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 1), None, "2026-12-01"),
        (dt.datetime(2026, 12, 1, 8, 5), dt.date(2026, 12, 1), dt.time(8, 5), "2026-12-01T08:05"),
        (None, None, None, None),
        ("", None, None, None),
    ],
)
def test_due_parsing(svc, session, engine, due, expected_date, expected_time, as_json):
    task = svc.create({"title": "t", "due": due})
    session.commit()
    saved = stored(engine, task.id)
    assert (saved.due_date, saved.due_time) == (expected_date, expected_time)
    assert task_to_json(saved)["due"] == as_json


@pytest.mark.parametrize(
    "due",
    ["tomorrow", "20261130", "2026-13-01", "2026-02-30", "30/11/2026", "2026-11-30T25:00", "2026-11-30T15:30+01:00",
     "2026-11-30T15:30Z", 20261130, ["2026-11-30"],
     # Outside DUE_YEAR_MIN..DUE_YEAR_MAX (todochat.limits).
     "1899-12-31", "3000-01-01", "0001-01-01", "9999-12-31T23:59", dt.date(1, 1, 1)],
)
def test_invalid_due_is_rejected(svc, due):
    with pytest.raises(ValidationError):
        svc.create({"title": "t", "due": due})
    assert svc.count() == 0


def test_create_completed_sets_completed_at(svc, clock):
    task = svc.create({"title": "already done", "completed": True})
    assert task.completed is True
    assert task.completed_at == clock.now.replace(tzinfo=None)


# ---------------------------------------------------------------- filters


def test_status_filter(svc):
    svc.create({"title": "open 1"})
    done = svc.create({"title": "done"})
    svc.create({"title": "open 2"})
    svc.complete(done.id)

    assert sorted(listed(svc, status="open")) == ["open 1", "open 2"]
    assert listed(svc, status="done") == ["done"]
    assert sorted(listed(svc, status="all")) == ["done", "open 1", "open 2"]
    assert svc.count(TaskFilter(status="open")) == 2
    assert svc.count(TaskFilter(status="done")) == 1
    assert svc.count() == 3


def test_priority_filter(svc):
    for priority in ("low", "medium", "high", "high"):
        svc.create({"title": priority, "priority": priority})
    assert listed(svc, priority="high") == ["high", "high"]
    assert listed(svc, priority="low") == ["low"]
    assert listed(svc, priority="medium") == ["medium"]


def test_tag_filter_matches_whole_tags(svc):
    svc.create({"title": "work only", "tags": ["work"]})
    svc.create({"title": "work and home", "tags": ["work", "home"]})
    svc.create({"title": "homework", "tags": ["homework"]})
    svc.create({"title": "untagged"})

    assert sorted(listed(svc, tag="work")) == ["work and home", "work only"]
    assert sorted(listed(svc, tag="#Work")) == ["work and home", "work only"]
    assert listed(svc, tag="home") == ["work and home"]
    assert listed(svc, tag="wor") == []
    assert svc.tags() == ["home", "homework", "work"]


def test_tag_filter_treats_like_wildcards_literally(svc):
    svc.create({"title": "underscore", "tags": ["a_b"]})
    svc.create({"title": "lookalike", "tags": ["axb"]})
    assert listed(svc, tag="a_b") == ["underscore"]


def test_due_filters(svc):
    svc.create({"title": "22nd", "due": "2026-11-22"})
    svc.create({"title": "23rd", "due": "2026-11-23"})
    svc.create({"title": "23rd 9am", "due": "2026-11-23T09:00"})
    svc.create({"title": "24th", "due": "2026-11-24T18:00"})
    svc.create({"title": "undated"})

    assert listed(svc, due_before=dt.date(2026, 11, 23)) == ["22nd"]  # strictly before
    assert listed(svc, due_after=dt.date(2026, 11, 23)) == ["24th"]  # strictly after
    assert listed(svc, due_on=dt.date(2026, 11, 23)) == ["23rd 9am", "23rd"]
    assert listed(svc, due_after=dt.date(2026, 11, 21), due_before=dt.date(2026, 11, 24)) == [
        "22nd", "23rd 9am", "23rd"
    ]
    assert listed(svc, due_on=dt.date(2026, 11, 25)) == []


def _overdue_fixture(svc: TaskService) -> None:
    svc.create({"title": "yesterday", "due": "2026-11-22"})
    svc.create({"title": "earlier today", "due": "2026-11-23T09:00"})
    svc.create({"title": "later today", "due": "2026-11-23T11:00"})
    svc.create({"title": "today, no time", "due": "2026-11-23"})
    svc.create({"title": "tomorrow", "due": "2026-11-24T08:00"})
    svc.create({"title": "undated"})
    done = svc.create({"title": "done last week", "due": "2026-11-16"})
    svc.complete(done.id)


def test_overdue_uses_the_clock_and_the_users_zone(session):
    # 15:00 UTC is 10:00 in New York.
    ny = TaskService(session, "user-a", clock=lambda: dt.datetime(2026, 11, 23, 15, 0, tzinfo=UTC), tz=NEW_YORK)
    _overdue_fixture(ny)

    assert listed(ny, overdue=True) == ["yesterday", "earlier today"]
    assert ny.count(TaskFilter(overdue=True)) == 2

    # The same moment in UTC: 11:00 has passed too.
    utc = TaskService(session, "user-a", clock=lambda: dt.datetime(2026, 11, 23, 15, 0, tzinfo=UTC), tz=UTC)
    assert listed(utc, overdue=True) == ["yesterday", "earlier today", "later today"]


def test_overdue_date_boundary_is_the_users_midnight(session):
    # 02:00 UTC on the 24th is still 21:00 on the 23rd in New York.
    moment = dt.datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    ny = TaskService(session, "user-a", clock=lambda: moment, tz=NEW_YORK)
    _overdue_fixture(ny)
    assert listed(ny, overdue=True) == ["yesterday", "earlier today", "later today"]

    utc = TaskService(session, "user-a", clock=lambda: moment, tz=UTC)
    assert listed(utc, overdue=True) == ["yesterday", "earlier today", "later today", "today, no time"]


def test_search_title_and_notes_case_insensitively(svc):
    svc.create({"title": "Pay RENT", "notes": ""})
    svc.create({"title": "Call mom", "notes": "about the rent increase"})
    svc.create({"title": "Buy milk", "notes": "skimmed"})

    assert sorted(listed(svc, search="rent")) == ["Call mom", "Pay RENT"]
    assert sorted(listed(svc, search="RENT")) == ["Call mom", "Pay RENT"]
    assert listed(svc, search="SKIM") == ["Buy milk"]
    # Every word must match, in title or notes.
    assert listed(svc, search="mom increase") == ["Call mom"]
    assert listed(svc, search="milk rent") == []
    assert len(listed(svc, search="   ")) == 3


def test_search_treats_like_wildcards_literally(svc):
    svc.create({"title": "100% done"})
    svc.create({"title": "100 done"})
    svc.create({"title": "snake_case"})
    svc.create({"title": "snakeXcase"})
    svc.create({"title": r"C:\temp"})
    svc.create({"title": "C:temp"})

    assert listed(svc, search="%") == ["100% done"]
    assert listed(svc, search="100%") == ["100% done"]
    assert listed(svc, search="_") == ["snake_case"]
    assert listed(svc, search="e_c") == ["snake_case"]
    assert listed(svc, search="\\") == [r"C:\temp"]
    assert listed(svc, search=r":\t") == [r"C:\temp"]


def test_search_is_case_insensitive_beyond_ascii(svc, engine, request):
    svc.create({"title": "Über café"})
    svc.create({"title": "ÉCOLE"})
    assert listed(svc, search="über") == ["Über café"]
    assert listed(svc, search="école") == ["ÉCOLE"]
    assert listed(svc, search="CAFÉ") == ["Über café"]


def test_filters_combine(svc):
    svc.create({"title": "Pay rent", "priority": "high", "tags": ["home"], "due": "2026-11-20"})
    svc.create({"title": "Pay gym", "priority": "low", "tags": ["home"], "due": "2026-11-20"})
    svc.create({"title": "Pay taxes", "priority": "high", "tags": ["work"], "due": "2026-11-20"})
    assert listed(svc, priority="high", tag="home", search="pay", due_on=dt.date(2026, 11, 20)) == ["Pay rent"]


# ---------------------------------------------------------------- sorting


def test_sort_by_due_dated_first_by_date_then_time_undated_last(svc):
    for title, due in [
        ("25th", "2026-11-25"),
        ("24th 18:00", "2026-11-24T18:00"),
        ("undated 1", None),
        ("24th 09:00", "2026-11-24T09:00"),
        ("24th, any time", "2026-11-24"),
        ("undated 2", None),
        ("1st", "2026-11-01T23:00"),
    ]:
        svc.create({"title": title, "due": due})

    assert listed(svc, sort="due") == [
        "1st", "24th 09:00", "24th 18:00", "24th, any time", "25th", "undated 1", "undated 2"
    ]


def test_sort_by_priority_high_to_low_then_due(svc):
    for title, priority, due in [
        ("low early", "low", "2026-11-01"),
        ("high undated", "high", None),
        ("medium", "medium", "2026-11-20"),
        ("high 25th", "high", "2026-11-25"),
        ("high 24th 10:00", "high", "2026-11-24T10:00"),
        ("medium undated", "medium", None),
    ]:
        svc.create({"title": title, "priority": priority, "due": due})

    assert listed(svc, sort="priority") == [
        "high 24th 10:00", "high 25th", "high undated", "medium", "medium undated", "low early"
    ]


def test_sort_by_created_newest_first(svc, clock):
    svc.create({"title": "first"})
    clock.advance(minutes=1)
    svc.create({"title": "second"})
    svc.create({"title": "second, same instant"})
    clock.advance(minutes=1)
    svc.create({"title": "third"})

    assert listed(svc, sort="created") == ["third", "second, same instant", "second", "first"]


def test_sort_by_position(svc):
    a = svc.create({"title": "a"})
    b = svc.create({"title": "b"})
    c = svc.create({"title": "c"})
    assert listed(svc, sort="position") == ["a", "b", "c"]  # new tasks go to the end

    svc.update(c.id, {"position": 0.5})
    svc.update(a.id, {"position": 2.5})
    svc.update(b.id, {"position": 2.5})
    assert listed(svc, sort="position") == ["c", "a", "b"]


def test_unknown_sort_is_rejected(svc):
    with pytest.raises(ValueError):
        svc.list(sort="title")


# ---------------------------------------------------------------- keyset pages

_NO_DATE = dt.date(9999, 12, 31)
_END = dt.time(23, 59, 59)
_RANK = {"high": 3, "medium": 2, "low": 1}
EXPECTED_ORDER = {
    "due": lambda t: (t.due_date or _NO_DATE, t.due_time or _END, t.id),
    "priority": lambda t: (-_RANK[t.priority], t.due_date or _NO_DATE, t.due_time or _END, t.id),
    "created": lambda t: (-t.created_at.timestamp(), -t.id),
    "position": lambda t: (t.position, t.id),
}


@pytest.fixture
def many_tasks(svc, session, clock) -> list[Task]:
    """120 tasks with plenty of ties in every sort key."""
    rng = random.Random(1234)
    tasks = []
    for i in range(120):
        roll = rng.random()
        if roll < 0.2:
            due = None
        elif roll < 0.6:
            due = f"2026-12-{rng.randint(1, 6):02d}"
        else:
            due = f"2026-12-{rng.randint(1, 6):02d}T{rng.choice(['08:00', '12:30', '17:45'])}"
        tasks.append(
            svc.create(
                {
                    "title": f"task {i:03d}",
                    "priority": rng.choice(["low", "medium", "high"]),
                    "due": due,
                    "completed": rng.random() < 0.25,
                }
            )
        )
        clock.advance(seconds=rng.choice([0, 0, 1, 0.25]))
    for task in tasks:
        if rng.random() < 0.5:
            svc.update(task.id, {"position": rng.choice([1.0, 2.0, 2.5, 3.0])})
    session.commit()
    return tasks


@pytest.mark.parametrize("sort", ["due", "priority", "created", "position"])
@pytest.mark.parametrize("status", ["all", "open"])
def test_keyset_pages_return_every_task_once_in_order(svc, many_tasks, sort, status):
    flt = TaskFilter(status=status)
    whole = svc.list(flt, sort=sort, limit=200)
    assert whole.next_cursor is None

    expected = sorted(
        (t for t in many_tasks if status == "all" or not t.completed), key=EXPECTED_ORDER[sort]
    )
    assert [t.id for t in whole.items] == [t.id for t in expected]

    paged, cursor, pages = [], None, 0
    while True:
        assert pages < 10, "pagination does not end"
        page = svc.list(flt, sort=sort, limit=25, cursor=cursor)
        assert len(page.items) <= 25
        paged.extend(page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
        assert len(page.items) == 25
    assert [t.id for t in paged] == [t.id for t in whole.items]
    assert len({t.id for t in paged}) == len(paged)
    assert pages == -(-len(whole.items) // 25)


def test_last_full_page_has_no_next_cursor(svc):
    for i in range(4):
        svc.create({"title": f"t{i}"})
    first = svc.list(limit=2)
    assert first.next_cursor
    second = svc.list(limit=2, cursor=first.next_cursor)
    assert len(second.items) == 2
    assert second.next_cursor is None


def _cursor(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_tampered_cursors_raise_invalid_cursor(svc):
    tasks = [svc.create({"title": f"t{i}", "due": "2026-12-01"}) for i in range(3)]
    good = svc.list(limit=1).next_cursor
    assert good
    bad = [
        "!!!not-base64!!!",
        "e30",  # {}
        good[:-4],
        good + "AAAA",
        _cursor([]),
        _cursor(None),
        _cursor("due"),
        _cursor({"s": "due"}),
        _cursor({"s": "due", "k": ["2026-12-01", "23:59:59"]}),  # a key short
        _cursor({"s": "due", "k": ["not a date", "23:59:59", 1]}),
        _cursor({"s": "due", "k": [None, None, None]}),
        _cursor({"s": "due", "k": ["2026-12-01", "23:59:59", "one"]}),
        _cursor({"s": "priority", "k": [3, "2026-12-01", "23:59:59", tasks[0].id]}),  # another sort's
        "é",
    ]
    for cursor in bad:
        with pytest.raises(InvalidCursor):
            svc.list(sort="due", cursor=cursor)
    # A cursor made for one sort is refused by another.
    with pytest.raises(InvalidCursor):
        svc.list(sort="created", cursor=encode_cursor("due", tasks[0]))


# ---------------------------------------------------------------- update


def test_update_each_field(svc, session, engine, clock):
    task = svc.create({"title": "Draft", "notes": "n", "tags": ["a"], "due": "2026-11-30"})
    session.commit()
    created_at = task.created_at

    changes = [
        ({"title": "  Final   draft "}, lambda t: t.title == "Final draft"),
        ({"notes": "more notes"}, lambda t: t.notes == "more notes"),
        ({"priority": "high"}, lambda t: t.priority == "high"),
        ({"due": "2026-12-02T07:15"}, lambda t: (t.due_date, t.due_time) == (dt.date(2026, 12, 2), dt.time(7, 15))),
        ({"due": "2026-12-03"}, lambda t: (t.due_date, t.due_time) == (dt.date(2026, 12, 3), None)),
        ({"due": None}, lambda t: (t.due_date, t.due_time) == (None, None)),
        ({"tags": ["#Errands", "home"]}, lambda t: t.tag_list == ["errands", "home"]),
        ({"tags": []}, lambda t: t.tag_list == []),
        ({"recurrence": "monthly"}, lambda t: t.recurrence == "FREQ=MONTHLY"),
        ({"recurrence": None}, lambda t: t.recurrence is None),
        ({"position": 7.25}, lambda t: t.position == 7.25),
        ({"completed": True}, lambda t: t.completed and t.completed_at == clock.now.replace(tzinfo=None)),
        ({"completed": False}, lambda t: not t.completed and t.completed_at is None),
    ]
    for patch, check in changes:
        clock.advance(minutes=1)
        svc.update(task.id, patch)
        session.commit()
        saved = stored(engine, task.id)
        assert check(saved), (patch, task_to_json(saved))
        assert saved.updated_at == clock.now.replace(tzinfo=None)
        assert saved.created_at == created_at


def test_update_leaves_other_fields_alone(svc, session, engine):
    task = svc.create({"title": "t", "notes": "keep", "priority": "low", "tags": ["x"], "due": "2026-11-30T10:00",
                       "recurrence": "weekly"})
    session.commit()
    before = task_to_json(stored(engine, task.id))

    svc.update(task.id, {"title": "renamed"})
    session.commit()

    after = task_to_json(stored(engine, task.id))
    assert after["title"] == "renamed"
    for field in ("notes", "priority", "tags", "due", "recurrence", "completed", "position", "created_at"):
        assert after[field] == before[field], field


@pytest.mark.parametrize(
    "patch",
    [{"title": ""}, {"title": None}, {"notes": None}, {"priority": "urgent"}, {"priority": None},
     {"tags": None}, {"due": "soon"}, {"completed": None}, {"user_id": "user-b"}, {"title": "x" * 501}],
)
def test_invalid_updates_are_rejected_and_change_nothing(svc, session, engine, patch):
    task = svc.create({"title": "unchanged", "priority": "low"})
    session.commit()
    with pytest.raises(ValidationError):
        svc.update(task.id, patch)
    session.rollback()
    saved = stored(engine, task.id)
    assert (saved.title, saved.priority, saved.user_id) == ("unchanged", "low", "user-a")


def test_update_unknown_task_is_not_found(svc):
    with pytest.raises(TaskNotFound):
        svc.update(987654, {"title": "x"})


# ---------------------------------------------------------------- complete / reopen


def test_complete_and_reopen(svc, session, engine, clock):
    task = svc.create({"title": "Ship it"})
    clock.advance(hours=1)

    done, spawned = svc.complete(task.id)
    session.commit()
    assert spawned is None
    saved = stored(engine, task.id)
    assert saved.completed is True
    assert saved.completed_at == clock.now.replace(tzinfo=None)

    # Completing again changes nothing.
    clock.advance(hours=1)
    again, spawned = svc.complete(task.id)
    assert spawned is None
    assert again.completed_at == saved.completed_at

    svc.reopen(task.id)
    session.commit()
    saved = stored(engine, task.id)
    assert saved.completed is False
    assert saved.completed_at is None
    assert svc.count() == 1


# ---------------------------------------------------------------- recurrence


def test_completing_a_weekly_task_schedules_the_next_one(svc, session, engine):
    task = svc.create({"title": "Water plants", "notes": "the fern too", "priority": "high",
                       "tags": ["home", "plants"], "due": "2026-11-23T09:30", "recurrence": "weekly"})

    done, spawned = svc.complete(task.id)
    session.commit()

    assert done.completed
    assert spawned is not None and spawned.id != task.id
    saved = stored(engine, spawned.id)
    assert saved.completed is False
    assert saved.completed_at is None
    assert (saved.due_date, saved.due_time) == (dt.date(2026, 11, 30), dt.time(9, 30))
    assert (saved.title, saved.notes, saved.priority, saved.tag_list, saved.recurrence) == (
        "Water plants", "the fern too", "high", ["home", "plants"], "FREQ=WEEKLY"
    )
    assert listed(svc, status="open") == ["Water plants"]
    assert svc.count(TaskFilter(status="done")) == 1


@pytest.mark.parametrize(
    "recurrence,due,today,expected",
    [
        ("monthly", "2026-01-31", dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        ("monthly", "2028-01-31", dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        ("weekdays", "2026-11-27", dt.date(2026, 11, 27), dt.date(2026, 11, 30)),  # Friday -> Monday
        ("weekdays", "2026-11-23", dt.date(2026, 11, 23), dt.date(2026, 11, 24)),
        ("daily", "2026-11-23", dt.date(2026, 11, 23), dt.date(2026, 11, 24)),
        ("yearly", "2028-02-29", dt.date(2028, 2, 29), dt.date(2029, 2, 28)),
        ("weekly", "2026-12-31", dt.date(2026, 12, 31), dt.date(2027, 1, 7)),
        # The last day of a month means month end (recurrence.anchored).
        ("monthly", "2026-04-30", dt.date(2026, 4, 30), dt.date(2026, 5, 31)),
        ("monthly", "2026-02-28", dt.date(2026, 2, 28), dt.date(2026, 3, 31)),
        ("yearly", "2027-02-28", dt.date(2027, 2, 28), dt.date(2028, 2, 29)),
        # Every step is counted from the first due date, so none drifts.
        ("monthly", "2026-01-31", dt.date(2026, 6, 15), dt.date(2026, 6, 30)),
        ("weekly", "2020-01-06", dt.date(2026, 11, 25), dt.date(2026, 11, 30)),
    ],
)
def test_next_occurrence_dates(session, recurrence, due, today, expected):
    clock = Clock(dt.datetime.combine(today, dt.time(12), tzinfo=UTC))
    svc = TaskService(session, "user-a", clock=clock)
    task = svc.create({"title": "r", "due": due, "recurrence": recurrence})
    _, spawned = svc.complete(task.id)
    assert spawned.due_date == expected


@pytest.mark.parametrize("recurrence", ["daily", "weekdays", "weekly", "monthly", "yearly"])
def test_a_series_ends_at_the_last_due_date(session, recurrence):
    # The next occurrence would be in year 3000: the task is done and nothing is scheduled.
    svc = TaskService(session, "user-a", clock=Clock(dt.datetime(2999, 12, 31, 12, tzinfo=UTC)))
    task = svc.create({"title": "r", "due": "2999-12-31T09:00", "recurrence": recurrence})
    done, spawned = svc.complete(task.id)
    assert done.completed and spawned is None
    assert svc.count(TaskFilter(status="open")) == 0


@pytest.mark.parametrize(
    ("given", "stored_as"),
    [("weekly", "FREQ=WEEKLY"), ("RRULE:freq=monthly;byday=+3fr", "FREQ=MONTHLY;BYDAY=3FR"),
     ("FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;UNTIL=20270331T000000Z", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270331")],
)
def test_a_rule_is_stored_in_one_spelling_on_create_and_update(svc, session, engine, given, stored_as):
    task = svc.create({"title": "r", "due": "2026-11-24", "recurrence": given})
    other = svc.create({"title": "s", "due": "2026-11-24"})
    svc.update(other.id, {"recurrence": given})
    session.commit()
    assert stored(engine, task.id).recurrence == stored(engine, other.id).recurrence == stored_as


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due": "2026-11-24", "recurrence": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "This repeat never happens"),
        ({"due": "2026-11-24", "recurrence": "FREQ=HOURLY"}, "An hourly repeat needs a due time"),
        ({"due": "2026-11-27", "recurrence": "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261130"}, "ends (UNTIL) before it first happens"),
    ],
)
def test_a_rule_that_cannot_repeat_the_task_is_refused_and_nothing_changes(svc, session, engine, fields, message):
    with pytest.raises(InvalidRepeat) as refused:
        svc.create({"title": "new", **fields})
    assert message in str(refused.value)
    task = svc.create({"title": "kept", "due": "2026-11-24T09:00", "recurrence": "weekly"})
    session.commit()
    with pytest.raises(InvalidRepeat):
        svc.update(task.id, {"title": "changed", **fields})
    session.rollback()
    assert svc.count() == 1
    saved = stored(engine, task.id)
    assert (saved.title, saved.due_date, saved.recurrence) == ("kept", dt.date(2026, 11, 24), "FREQ=WEEKLY")


def test_a_series_by_rule_counts_down_and_ends(svc):
    task = svc.create({"title": "Physio", "due": "2026-11-24", "recurrence": "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=3"})
    dates, rules = [], []
    while task is not None:
        _, task = svc.complete(task.id)
        if task is not None:
            dates.append(task.due_date.isoformat())
            rules.append(task.recurrence)
    assert dates == ["2026-11-27", "2026-12-01"]
    assert rules == ["FREQ=WEEKLY;BYDAY=TU,FR;COUNT=2", "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=1"]
    assert svc.count(TaskFilter(status="open")) == 0


def test_an_hourly_task_repeats_on_the_hour_it_counts_from(session):
    clock = Clock(dt.datetime(2026, 11, 23, 15, 30, tzinfo=UTC))
    svc = TaskService(session, "user-a", clock=clock, tz=NEW_YORK)  # 10:30 in New York
    task = svc.create({"title": "Meds", "due": "2026-11-23T06:00", "recurrence": "FREQ=HOURLY;INTERVAL=8"})
    _, spawned = svc.complete(task.id)
    assert (spawned.due_date, spawned.due_time) == (dt.date(2026, 11, 23), dt.time(14, 0))


def test_task_json_says_the_rule_in_words(svc):
    task = svc.create({"title": "Book club", "due": "2026-12-18", "recurrence": "FREQ=MONTHLY;BYDAY=3FR"})
    assert task_to_json(task)["recurrence_text"] == "every month on the third Friday"
    assert task_to_json(svc.create({"title": "once"}))["recurrence_text"] is None


def test_overdue_recurring_task_skips_to_the_next_future_occurrence(session):
    # Due on Monday 5 October, completed on Wednesday 25 November.
    today = dt.date(2026, 11, 25)
    svc = TaskService(session, "user-a", clock=Clock(dt.datetime(2026, 11, 25, 12, tzinfo=UTC)))
    task = svc.create({"title": "Weekly review", "due": "2026-10-05", "recurrence": "weekly"})

    _, spawned = svc.complete(task.id)

    assert spawned.due_date == dt.date(2026, 11, 30)
    assert spawned.due_date >= today
    assert spawned.due_date.weekday() == 0  # still a Monday
    assert svc.count(TaskFilter(status="open")) == 1


def test_next_occurrence_is_not_before_today_in_the_users_zone(session):
    # 02:00 UTC on the 24th is the 23rd in New York: "today" there is the 23rd.
    svc = TaskService(session, "user-a", clock=Clock(dt.datetime(2026, 11, 24, 2, tzinfo=UTC)), tz=NEW_YORK)
    task = svc.create({"title": "Stretch", "due": "2026-11-20", "recurrence": "daily"})
    _, spawned = svc.complete(task.id)
    assert spawned.due_date == dt.date(2026, 11, 23)


def test_undated_recurring_task_is_next_due_after_today(svc):
    task = svc.create({"title": "Floss", "recurrence": "daily"})
    _, spawned = svc.complete(task.id)
    assert spawned.due_date == dt.date(2026, 11, 24)


@pytest.mark.parametrize("how", ["update", "complete_many"])
def test_other_ways_of_completing_also_schedule(svc, how):
    task = svc.create({"title": "Pay rent", "due": "2026-11-23", "recurrence": "monthly"})
    if how == "update":
        svc.update(task.id, {"completed": True})
    else:
        assert [t.id for t in svc.complete_many([task.id])] == [task.id]
    open_tasks = svc.list(TaskFilter(status="open")).items
    assert [(t.title, t.due_date) for t in open_tasks] == [("Pay rent", dt.date(2026, 12, 23))]


def test_reopening_withdraws_the_untouched_next_occurrence(svc, session, engine, clock):
    task = svc.create({"title": "Water plants", "due": "2026-11-23", "recurrence": "weekly"})
    _, spawned = svc.complete(task.id)
    session.commit()
    clock.advance(minutes=5)

    svc.reopen(task.id)
    session.commit()

    assert stored(engine, spawned.id) is None
    with pytest.raises(TaskNotFound):
        svc.get(spawned.id)
    assert [t.id for t in svc.list().items] == [task.id]
    assert not svc.get(task.id).completed

    # Completing again schedules a new occurrence, exactly once.
    _, again = svc.complete(task.id)
    assert again.due_date == dt.date(2026, 11, 30)
    assert svc.count(TaskFilter(status="open")) == 1


def test_reopening_keeps_a_next_occurrence_the_user_already_changed(svc, session, engine, clock):
    task = svc.create({"title": "Water plants", "due": "2026-11-23", "recurrence": "weekly"})
    _, spawned = svc.complete(task.id)
    clock.advance(minutes=5)
    svc.update(spawned.id, {"notes": "use the blue can"})
    clock.advance(minutes=5)

    svc.reopen(task.id)
    session.commit()

    assert stored(engine, spawned.id).notes == "use the blue can"
    assert svc.count(TaskFilter(status="open")) == 2


# ---------------------------------------------------------------- delete, undo, bulk


def test_delete_then_restore_brings_the_task_back_with_its_id(svc, session, engine, clock):
    task = svc.create({"title": "Call the bank", "notes": "ask about fees", "priority": "high",
                       "tags": ["money"], "due": "2026-11-25T14:00", "recurrence": "monthly"})
    svc.update(task.id, {"position": 4.5})
    session.commit()
    before = task_to_json(stored(engine, task.id))

    snapshot = svc.delete(task.id).model_dump()
    session.commit()
    assert stored(engine, task.id) is None
    assert svc.count() == 0

    clock.advance(minutes=1)
    restored = svc.restore(snapshot)
    session.commit()

    assert restored.id == task.id
    assert task_to_json(stored(engine, task.id)) == before
    assert [t.id for t in svc.list().items] == [task.id]


def test_complete_many_and_delete_many(svc, session, engine):
    a, b, c = (svc.create({"title": name}) for name in ("a", "b", "c"))
    svc.complete(c.id)

    done = svc.complete_many([a.id, b.id, a.id, c.id, 999999])
    assert sorted(t.id for t in done) == sorted([a.id, b.id])  # c was already done
    assert svc.count(TaskFilter(status="open")) == 0

    d = svc.create({"title": "d"})
    deleted = svc.delete_many([a.id, c.id, 999999])
    session.commit()
    assert sorted(deleted) == sorted([a.id, c.id])
    assert sorted(listed(svc)) == ["b", "d"]
    assert stored(engine, d.id) is not None
    assert svc.complete_many([]) == []
    assert svc.delete_many([]) == []


# ---------------------------------------------------------------- one user's tasks only


def test_another_user_cannot_touch_a_task(svc, svc_b, session, engine):
    task = svc.create({"title": "Ada's secret", "due": "2026-11-22", "tags": ["private"], "recurrence": "daily"})
    session.commit()
    before = task_to_json(stored(engine, task.id))

    for attempt in (
        lambda: svc_b.get(task.id),
        lambda: svc_b.update(task.id, {"title": "pwned"}),
        lambda: svc_b.complete(task.id),
        lambda: svc_b.reopen(task.id),
        lambda: svc_b.delete(task.id),
    ):
        with pytest.raises(TaskNotFound):
            attempt()
    session.commit()

    assert task_to_json(stored(engine, task.id)) == before
    with Session(engine) as other:
        assert other.exec(select(Task).where(Task.user_id == "user-b")).all() == []


def test_another_users_lists_and_counts_never_include_the_task(svc, svc_b):
    svc.create({"title": "Ada's secret", "notes": "secret", "priority": "high", "tags": ["private"],
                "due": "2026-11-22"})
    done = svc.create({"title": "Ada's done"})
    svc.complete(done.id)
    svc_b.create({"title": "Bob's"})

    for flt in (
        TaskFilter(),
        TaskFilter(status="open"),
        TaskFilter(status="done"),
        TaskFilter(priority="high"),
        TaskFilter(tag="private"),
        TaskFilter(due_on=dt.date(2026, 11, 22)),
        TaskFilter(due_before=dt.date(2030, 1, 1)),
        TaskFilter(overdue=True),
        TaskFilter(search="secret"),
        TaskFilter(search="Ada"),
    ):
        for sort in ("due", "priority", "created", "position"):
            assert all(t.user_id == "user-b" for t in svc_b.list(flt, sort=sort, limit=200).items)
        assert svc_b.count(flt) == (1 if flt == TaskFilter() or flt == TaskFilter(status="open") else 0)
    assert svc_b.tags() == []


def test_bulk_actions_with_another_users_ids_change_nothing(svc, svc_b, session, engine):
    mine = [svc.create({"title": f"Ada {i}", "recurrence": "daily"}) for i in range(3)]
    session.commit()
    before = [task_to_json(stored(engine, t.id)) for t in mine]

    assert svc_b.complete_many([t.id for t in mine]) == []
    assert svc_b.delete_many([t.id for t in mine]) == []
    session.commit()

    assert [task_to_json(stored(engine, t.id)) for t in mine] == before
    assert svc.count() == 3
    assert svc_b.count() == 0


def test_restore_belongs_to_the_restoring_user(svc, svc_b, session):
    snapshot = svc.create({"title": "Ada's"}).model_dump()
    restored = svc_b.restore(snapshot)  # the id is taken: a new task, owned by B
    assert restored.id != snapshot["id"]
    assert restored.user_id == "user-b"
    assert svc.get(snapshot["id"]).title == "Ada's"


def test_a_deleted_tasks_id_is_never_given_to_a_new_task(svc, session, engine, request):
    # Chat cards and undo refer to tasks by id: a reused id would make a stale
    # "complete task 42" button complete somebody's newer task.
    svc.create({"title": "older"})
    newest = svc.create({"title": "newest"})
    session.commit()
    snapshot = svc.delete(newest.id).model_dump()
    session.commit()

    replacement = svc.create({"title": "replacement"})
    session.commit()

    assert replacement.id != newest.id
    assert svc.restore(snapshot).id == newest.id


# Row locks are PostgreSQL's (SQLite serialises writers), so this runs there only.
@pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)
def test_a_locked_read_holds_the_row_until_its_transaction_ends(engine):
    """The card Undo and the list's tick decide on what they read and then write: with
    ``lock=True`` another writer must wait for them."""
    import sqlalchemy as sa
    from sqlalchemy.exc import OperationalError

    from tests.chat_helpers import make_user
    from todochat.db import session_scope as scope

    user_id = make_user(engine, "lock@example.com")
    with scope(engine) as session:
        task_id = TaskService(session, user_id).create({"title": "pay rent"}).id
    with scope(engine) as holder:
        TaskService(holder, user_id).get(task_id, lock=True)
        with engine.connect() as other:
            other.execute(sa.text("SET lock_timeout = '200ms'"))
            with pytest.raises(OperationalError, match="lock"):
                other.execute(sa.text("UPDATE task SET title = 'changed' WHERE id = :id"), {"id": task_id})
            other.rollback()
    with scope(engine) as session:  # and once it is done, the other writer goes through
        session.exec(sa.text("UPDATE task SET title = 'changed' WHERE id = :id").bindparams(id=task_id))
        assert TaskService(session, user_id).get(task_id).title == "changed"


def test_undo_puts_a_rule_back_and_reads_snapshots_from_before_rules(svc, session):
    """A card's Undo restores a deleted task's rule; snapshots kept from before issue 11
    (7 days of them) carry the old words, which are read as their rules."""
    from todochat.chat.snapshots import restore_deleted, revert_to, snapshot_of

    task = svc.create({"title": "Team sync", "due": "2026-11-24", "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"})
    snapshot = snapshot_of(task)
    svc.delete(task.id)
    assert restore_deleted(svc, snapshot).recurrence == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"

    old = {**snapshot_of(task), "recurrence": "weekdays"}
    old.pop("recurrence_text")
    assert revert_to(svc, task.id, old).recurrence == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    with pytest.raises(ValidationError):
        revert_to(svc, task.id, {**old, "recurrence": "FREQ=DAILY;INTERVAL=1e9"})
