"""Issue 9, finding 3: completing old repeating tasks held the write lock for minutes.

``next_occurrence`` stepped one day at a time, so 60 weekday tasks due in year 1,
completed in one bulk call, ran 82 s holding SQLite's write lock while everyone
else's writes failed. Now the next date costs constant work whatever the gap (issue 11:
``recurrence.next_occurrence`` moves a rule's start forward by whole periods before
dateutil iterates), due dates are bounded to DUE_YEAR_MIN..DUE_YEAR_MAX, a series ends
quietly at the end of that range, and month-end / Feb 29 tasks keep their day.

The "fast" tests count steps, not seconds: ``StepBudget`` counts the Python lines run
in the recurrence code (todochat.tasks, todochat.recurrence and dateutil) and stops the
test as soon as a day-by-day loop would blow past it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from todochat.validation_text import first_message
from todochat.limits import DUE_YEAR_MAX, DUE_YEAR_MIN
from todochat.models import Task, User
from todochat.recurrence import next_occurrence
from todochat.tasks import LAST_DUE, TaskCreate, TaskPatch, TaskService

UTC = dt.timezone.utc
TODAY = dt.date(2026, 11, 23)  # a Monday
RANGE_MESSAGE = "Due dates must be between 1900-01-01 and 2999-12-31"


class StepBudgetExceeded(AssertionError):
    pass


class StepBudget:
    """Fail once more than ``budget`` lines of the todochat/tasks package, todochat/recurrence.py or
    dateutil have run."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.steps = 0

    def __enter__(self) -> StepBudget:
        self._previous = sys.gettrace()
        sys.settrace(self._enter_frame)
        return self

    def __exit__(self, *_exc: object) -> None:
        sys.settrace(self._previous)

    @staticmethod
    def _counted(filename: str) -> bool:
        return "/todochat/tasks/" in filename or filename.endswith("todochat/recurrence.py") or "/dateutil/" in filename

    def _enter_frame(self, frame, _event, _arg):
        return self._line if self._counted(frame.f_code.co_filename) else None

    def _line(self, _frame, event, _arg):
        if event == "line":
            self.steps += 1
            if self.steps > self.budget:
                # Raised inside the traced code: a day-by-day loop stops right here.
                raise StepBudgetExceeded(f"recurrence code ran more than {self.budget} lines")
        return self._line


class Clock:
    def __init__(self, today: dt.date = TODAY) -> None:
        self.now = dt.datetime.combine(today, dt.time(12), tzinfo=UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        session.add(User(id="user-a", name="Ada", email="a@example.com"))
        session.commit()
        yield session


def old_row(session: Session, user_id: str, due: dt.date, recurrence: str | None, **fields) -> Task:
    """A row written before due dates were bounded: straight into the table, no validation."""
    task = Task(user_id=user_id, title=fields.pop("title", f"old {due}"), due_date=due,
                recurrence=recurrence, **fields)
    session.add(task)
    session.commit()
    return task


def complete_chain(svc: TaskService, first: Task, times: int) -> list[dt.date]:
    """Complete the task, then the occurrence it scheduled, and so on; the due dates in order."""
    dates, task = [first.due_date], first
    for _ in range(times):
        _, task = svc.complete(task.id)
        dates.append(task.due_date)
    return dates


# ---------------------------------------------------------------- constant work


def next_due(rule: str, due: dt.date, today: dt.date) -> dt.date:
    return next_occurrence(rule, due, None, dt.datetime.combine(today, dt.time(12)), last_day=LAST_DUE).due_date


def test_next_occurrence_from_year_one_is_constant_work():
    # Day by day these would be 739,000 steps each; a few thousand lines is dateutil
    # working through one or two periods.
    with StepBudget(5 * 5000):
        assert next_due("daily", dt.date(1, 1, 1), TODAY) == TODAY
        assert next_due("weekdays", dt.date(1, 1, 1), dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)
        assert next_due("weekly", dt.date(1, 1, 1), TODAY).weekday() == dt.date(1, 1, 1).weekday()
        assert next_due("monthly", dt.date(1, 1, 31), TODAY) == dt.date(2026, 11, 30)
        assert next_due("yearly", dt.date(4, 2, 29), TODAY) == dt.date(2027, 2, 28)


def test_bulk_completing_sixty_ancient_weekday_tasks_does_constant_work_each(session):
    svc = TaskService(session, "user-a", clock=Clock())
    ids = [old_row(session, "user-a", dt.date(1, 1, 1), "weekdays", title=f"t{i}").id for i in range(60)]

    # Day by day: 739,000 steps per task. One period of dateutil work each is about 2,000 lines.
    with StepBudget(60 * 3000):
        done = svc.complete_many(ids)
    session.commit()

    assert sorted(t.id for t in done) == sorted(ids)
    open_dates = session.exec(select(Task.due_date).where(Task.completed == False)).all()  # noqa: E712
    assert open_dates == [TODAY] * 60  # the first weekday on or after today


# ---------------------------------------------------------------- the due range


@pytest.mark.parametrize("due", ["1899-12-31", "3000-01-01", "0001-01-01", "9999-12-31T10:00"])
async def test_due_outside_the_range_is_422_on_create_and_patch(client, signup, due):
    user = await signup(client)
    response = await client.post("/api/tasks", json={"title": "t", "due": due}, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["message"] == f"due: {RANGE_MESSAGE}"

    task = (await client.post("/api/tasks", json={"title": "t", "due": "2026-01-01"}, headers=user.headers)).json()
    response = await client.patch(f"/api/tasks/{task['id']}", json={"due": due}, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["message"] == f"due: {RANGE_MESSAGE}"
    assert (await client.get(f"/api/tasks/{task['id']}", headers=user.headers)).json()["due"] == "2026-01-01"

    # The first and the last day of the range are fine.
    for edge in (f"{DUE_YEAR_MIN}-01-01", f"{DUE_YEAR_MAX}-12-31T23:59"):
        response = await client.patch(f"/api/tasks/{task['id']}", json={"due": edge}, headers=user.headers)
        assert response.status_code == 200, response.text


@pytest.mark.parametrize("model", [TaskCreate, TaskPatch])
def test_the_assistant_reads_the_same_clear_message(model):
    with pytest.raises(ValidationError) as caught:
        model(title="t", due=dt.date(3000, 1, 1))
    assert first_message(caught.value) == RANGE_MESSAGE


# ---------------------------------------------------------------- the end of the range


async def test_completing_a_daily_task_due_on_the_last_day_ends_the_series(client, signup):
    user = await signup(client)
    task = (await client.post("/api/tasks", json={"title": "t", "due": "2999-12-31", "recurrence": "daily"},
                              headers=user.headers)).json()

    response = await client.post(f"/api/tasks/{task['id']}/complete", headers=user.headers)

    assert response.status_code == 200, response.text
    assert response.json()["task"]["completed"] is True
    assert response.json()["next"] is None


async def test_old_rows_outside_the_range_read_list_and_complete(client, signup, engine):
    user = await signup(client)
    with Session(engine, expire_on_commit=False) as session:
        ancient = old_row(session, user.user["id"], dt.date(1, 1, 1), "daily")
        far = old_row(session, user.user["id"], dt.date(9999, 12, 31), "daily")

    listed = await client.get("/api/tasks", headers=user.headers)
    assert listed.status_code == 200, listed.text
    assert [t["due"] for t in listed.json()["items"]] == ["0001-01-01", "9999-12-31"]
    assert (await client.get(f"/api/tasks/{far.id}", headers=user.headers)).json()["due"] == "9999-12-31"

    response = await client.post(f"/api/tasks/{far.id}/complete", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.json()["next"] is None

    response = await client.post(f"/api/tasks/{ancient.id}/complete", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.json()["next"]["due"] >= dt.datetime.now(UTC).date().isoformat()


# ---------------------------------------------------------------- month ends and Feb 29


@pytest.mark.parametrize(
    "recurrence,due,expected",
    [
        # The 31st stays on the last day of every month.
        ("monthly", dt.date(2026, 1, 31), ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]),
        ("monthly", dt.date(2028, 1, 31), ["2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31"]),
        # The 30th and 29th come back after February (the task it was scheduled from says so).
        ("monthly", dt.date(2026, 1, 30), ["2026-02-28", "2026-03-30", "2026-04-30", "2026-05-30"]),
        ("monthly", dt.date(2026, 1, 29), ["2026-02-28", "2026-03-29", "2026-04-29", "2026-05-29"]),
        # Feb 29 falls back to Feb 28 and returns in the next leap year.
        ("yearly", dt.date(2024, 2, 29), ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"]),
    ],
)
def test_repeating_tasks_keep_their_day_of_month(session, recurrence, due, expected):
    svc = TaskService(session, "user-a", clock=Clock(due))
    task = svc.create({"title": "r", "due": due, "recurrence": recurrence})
    assert [d.isoformat() for d in complete_chain(svc, task, len(expected))[1:]] == expected


def test_a_month_end_due_date_with_no_history_means_the_last_day(session):
    # Nothing says which day was meant, so the documented rule applies: last day of month.
    svc = TaskService(session, "user-a", clock=Clock(dt.date(2026, 2, 1)))
    task = svc.create({"title": "r", "due": "2026-02-28", "recurrence": "monthly"})
    assert [d.isoformat() for d in complete_chain(svc, task, 2)[1:]] == ["2026-03-31", "2026-04-30"]


def test_a_monthly_task_years_overdue_lands_on_the_right_day(session):
    svc = TaskService(session, "user-a", clock=Clock())
    task = svc.create({"title": "r", "due": "2019-01-31", "recurrence": "monthly"})
    _, spawned = svc.complete(task.id)
    assert spawned.due_date == dt.date(2026, 11, 30)
