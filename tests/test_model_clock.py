"""The offline model is handed each request's clock as a value: the user's zone decides
"today" and "tomorrow", and nothing is read back out of the instructions' text."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.chat_helpers import collect, make_user, tasks_of
from todochat.chat.client import ChatClient
from todochat.chat.context import RequestContext
from todochat.chat.local_model import LocalModel
from todochat.chat.server import TodoChatKitServer, on_user_clock
from todochat.chat.silence import SilenceLimit
from todochat.chat.store import SQLModelStore

# Tuesday 04:30 in UTC is still Monday 23:30 in New York.
TUESDAY_EARLY_UTC = dt.datetime(2026, 11, 24, 4, 30, tzinfo=ZoneInfo("UTC"))


async def test_the_server_hands_the_model_the_users_clock_and_zone(engine) -> None:
    user_id = make_user(engine, "ny@example.com")
    context = RequestContext(
        user_id=user_id, tz=ZoneInfo("America/New_York"), clock=lambda: TUESDAY_EARLY_UTC, engine=engine
    )
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    await collect(ChatClient(server, context).create_thread("add pay rent tomorrow at 9"))
    [task] = tasks_of(engine, user_id)
    assert (task.due_date, task.due_time) == (dt.date(2026, 11, 24), dt.time(9, 0))


def test_only_a_model_that_reads_a_clock_is_changed() -> None:
    def clock() -> dt.datetime:
        return TUESDAY_EARLY_UTC

    timed = SilenceLimit(LocalModel(), 5)
    clocked = on_user_clock(timed, clock)
    assert isinstance(clocked, SilenceLimit) and clocked.seconds == 5
    assert clocked.inner.clock is clock and timed.inner.clock is not clock  # the shared model is left as it was
    other = SilenceLimit(object(), 5)
    assert on_user_clock(other, clock) is other
    assert on_user_clock("gpt-4o", clock) == "gpt-4o"
