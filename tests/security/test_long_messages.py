"""Issue 9, finding 2: a long chat message froze the server. /chatkit had no length limit
(only the browser composer stopped at 4,000), and the offline model parsed on the event
loop: one 40,000-character message stopped /health for 14 s for everyone.

The parser itself was the root: its tag scan searched the message once per tag, other
loops re-read it once per word, some searches entered a run of commas or spaces at every
character, and the tag-list patterns could split a word or a gap in exponentially many
ways ("untag call the bank about the loan today", 40 characters, took 22 s; a regex holds
the interpreter lock, so no worker thread helps against that). Each step is linear now:
the tests below count what the parser asks of the regex engine and of Python, at two
sizes, on the hostile inputs of the report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from agents.model_settings import ModelSettings
from agents.models.interface import ModelTracing

from tests.chat_helpers import collect, context, make_user
from todochat.chat import preflight
from todochat.chat.client import ChatClient, user_input
from todochat.chat.local_model import LocalModel, Plan, parse_command
from todochat.chat.local_model import adds, dates, lexicon, parser, plan, queries, repeats, slots, text, updates
from todochat.chat.local_model import calendar_phrases, calendar_words, holiday_dates, title_dates, vague
from todochat.chat.local_model import add_sentences, query_sentences, state_sentences, update_dates  # parser.py's rules
from todochat.chat.local_model import date_pieces, date_values, numeric_dates  # dates.py and calendar_phrases.py
from todochat.chat.local_model import repeat_ends, repeat_grammar, repeat_words  # repeats.py's grammar
from todochat.chat.local_model import model as local_model
from todochat.chat.server import TodoChatKitServer
from todochat.chat.store import SQLModelStore
from todochat.limits import MESSAGE_MAX_CHARS


async def test_a_message_over_the_limit_is_a_400_before_anything_streams(client, signup):
    ada = await signup(client)
    too_long = {"type": "threads.create", "params": {"input": user_input("#a" * 20_000)}}
    response = await client.post("/chatkit", json=too_long, headers=ada.headers)
    assert response.status_code == 400
    assert response.json() == {
        "message": f"Messages can be at most {MESSAGE_MAX_CHARS} characters", "code": "MESSAGE_TOO_LONG"
    }
    listed = await client.post("/chatkit", json={"type": "threads.list", "params": {}}, headers=ada.headers)
    assert listed.json()["data"] == [], "no thread was created"

    fits = {"type": "threads.create", "params": {"input": user_input("a" * MESSAGE_MAX_CHARS)}}
    assert (await client.post("/chatkit", json=fits, headers=ada.headers)).status_code == 200
    thread_id = (await client.post("/chatkit", json={"type": "threads.list", "params": {}},
                                   headers=ada.headers)).json()["data"][0]["id"]
    more = {"type": "threads.add_user_message",
            "params": {"thread_id": thread_id, "input": user_input("b" * (MESSAGE_MAX_CHARS + 1))}}
    assert (await client.post("/chatkit", json=more, headers=ada.headers)).status_code == 400


async def test_the_in_process_clients_enforce_it_too(engine):
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")), preflight=True)
    with pytest.raises(preflight.MessageTooLong):
        await collect(chat.create_thread("x" * (MESSAGE_MAX_CHARS + 1)))


async def test_the_offline_model_parses_off_the_event_loop(engine, monkeypatch):
    release, parsing, parsed = threading.Event(), threading.Event(), threading.Event()
    real_parse = local_model.parse_command

    def blocking_parse(text, now, **kwargs):
        parsing.set()
        release.wait(3)  # a parse that takes its time (on the loop, it would hold it 3 s)
        parsed.set()
        return real_parse(text, now, **kwargs)

    monkeypatch.setattr(local_model, "parse_command", blocking_parse)
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")))
    turn = asyncio.create_task(collect(chat.create_thread("add pay rent")))
    while not parsing.is_set():
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # other work on the event loop ...
    served_during_parse = not parsed.is_set()  # ... got done while the parse still ran
    release.set()
    assert served_during_parse
    assert not [e for e in await turn if e.type == "error"]


async def test_the_parser_never_sees_more_than_the_limit(engine, monkeypatch):
    seen: list[int] = []
    real_parse = local_model.parse_command

    def measuring_parse(text, now, **kwargs):
        seen.append(len(text))
        return real_parse(text, now, **kwargs)

    monkeypatch.setattr(local_model, "parse_command", measuring_parse)
    server = TodoChatKitServer(SQLModelStore(), model=LocalModel(), model_timeout=20)
    chat = ChatClient(server, context(engine, make_user(engine, "ada@example.com")))  # no preflight
    await collect(chat.create_thread("add " + "#a" * 10_000))
    assert seen and max(seen) <= MESSAGE_MAX_CHARS


# ---------------------------------------------------------------- more of the limit


def thread_of(response) -> str:
    return response.text.split('"thread":{')[1].split('"id":"')[1].split('"')[0]


async def test_a_refused_message_is_not_stored_and_one_at_the_limit_is_answered(client, signup):
    ada = await signup(client)
    created = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": user_input("hi")}}, headers=ada.headers
    )
    thread_id = thread_of(created)
    items = {"type": "items.list", "params": {"thread_id": thread_id, "limit": 100}}
    before = (await client.post("/chatkit", json=items, headers=ada.headers)).json()["data"]

    def message(text: str) -> dict:
        return {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": user_input(text)}}

    refused = await client.post("/chatkit", json=message("#a" * (MESSAGE_MAX_CHARS // 2) + "!"), headers=ada.headers)
    assert refused.status_code == 400 and refused.json()["code"] == "MESSAGE_TOO_LONG"
    assert (await client.post("/chatkit", json=items, headers=ada.headers)).json()["data"] == before

    answered = await client.post("/chatkit", json=message("#a" * (MESSAGE_MAX_CHARS // 2)), headers=ada.headers)
    assert answered.status_code == 200 and answered.headers["content-type"].startswith("text/event-stream")
    after = (await client.post("/chatkit", json=items, headers=ada.headers)).json()["data"]
    assert len(after) > len(before)


@pytest.mark.parametrize(
    "message",
    [
        {"content": [{"type": "input_text", "text": "a" * (MESSAGE_MAX_CHARS - 3)},
                     {"type": "input_tag", "id": "t1", "text": "home", "data": {}}],
         "attachments": [], "inference_options": {}},
        {**user_input("mark this as done"), "quoted_text": "q" * MESSAGE_MAX_CHARS},
    ],
    ids=["tag parts", "quoted text"],
)
async def test_tags_and_quoted_text_count_toward_the_limit(client, signup, message):
    ada = await signup(client)
    response = await client.post(
        "/chatkit", json={"type": "threads.create", "params": {"input": message}}, headers=ada.headers
    )
    assert response.status_code == 400 and response.json()["code"] == "MESSAGE_TOO_LONG"


# ---------------------------------------------------------------- the offline model

NOW = dt.datetime(2026, 11, 23, 10, 0)


def test_the_parser_reads_at_most_the_limit_of_text_and_of_quoted_text(monkeypatch):
    seen: list[tuple[int, int]] = []
    real_parse = parser._parse

    def measuring_parse(text: str, now: dt.datetime, quoted: str | None, context=None) -> Plan:
        seen.append((len(text), len(quoted or "")))
        return real_parse(text, now, quoted, context)

    monkeypatch.setattr(parser, "_parse", measuring_parse)
    parse_command("add " + "#a" * 30_000, NOW, quoted="q" * 50_000)
    parse_command("add milk", NOW)
    assert seen == [(MESSAGE_MAX_CHARS, MESSAGE_MAX_CHARS), (len("add milk"), 0)]


def test_the_model_hands_the_parser_at_most_the_limit_of_quoted_text_too(monkeypatch):
    seen: list[tuple[int, int]] = []

    def measuring_parse(text: str, now: dt.datetime, *, quoted: str | None = None, context=None) -> Plan:
        seen.append((len(text), len(quoted or "")))
        return Plan.say("ok")

    monkeypatch.setattr(local_model, "parse_command", measuring_parse)
    conversation = [  # ChatKit puts the quoted text right after the message
        {"role": "user", "content": "mark this as done " + "x" * 50_000},
        {"role": "user", "content": "The user is referring to this in particular: " + "q" * 50_000},
    ]
    LocalModel().respond(conversation, [])
    assert seen == [(MESSAGE_MAX_CHARS, MESSAGE_MAX_CHARS)]


async def test_get_response_parses_in_a_worker_thread_too(monkeypatch):
    """The parse blocks until a coroutine on the event loop releases it: that can only
    happen if the parse is not holding the loop (on it, ``wait`` would time out)."""
    parsing, release = threading.Event(), threading.Event()
    released: list[bool] = []

    def blocking_parse(text: str, now: dt.datetime, *, quoted: str | None = None, context=None) -> Plan:
        parsing.set()
        released.append(release.wait(5))
        return Plan.say("done")

    monkeypatch.setattr(local_model, "parse_command", blocking_parse)
    model = LocalModel()
    call = asyncio.create_task(
        model.get_response(None, "add milk", ModelSettings(), [], None, [], ModelTracing.DISABLED)
    )
    while not parsing.is_set():
        await asyncio.sleep(0.001)
    release.set()  # runs on the event loop, while the parse waits for it
    response = await call
    assert released == [True]
    assert response.output[0].content[0].text == "done"


# ---------------------------------------------------------------- linear parsing

_PACKAGE = Path(parser.__file__).parent
_PARSER_MODULES = (
    adds, dates, lexicon, parser, plan, queries, repeats, slots, text, updates,
    calendar_phrases, calendar_words, holiday_dates, title_dates, vague,
    add_sentences, query_sentences, state_sentences, update_dates, date_pieces, date_values, numeric_dates,
    repeat_ends, repeat_grammar, repeat_words,
)


class Work:
    """What one parse asks for: the characters its regex searches may read (a ``search``,
    ``sub``, ``finditer``, ``split``... reads from ``pos`` to ``endpos``; an anchored
    ``match`` counts as a call), its regex calls, and the lines of parser code it runs.
    All three are counts, the same on every machine: no clock is read."""

    def __init__(self) -> None:
        self.chars = self.calls = self.lines = 0


class _MeteredPattern:
    def __init__(self, pattern: re.Pattern[str], work: Work) -> None:
        self._pattern, self._work = pattern, work

    def __getattr__(self, name: str):
        return getattr(self._pattern, name)

    def _reads(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> None:
        self._work.calls += 1
        self._work.chars += max(0, min(endpos, len(string)) - pos)

    def search(self, string, pos=0, endpos=sys.maxsize):
        self._reads(string, pos, endpos)
        return self._pattern.search(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        self._reads(string, pos, endpos)
        return self._pattern.finditer(string, pos, endpos)

    def findall(self, string, pos=0, endpos=sys.maxsize):
        self._reads(string, pos, endpos)
        return self._pattern.findall(string, pos, endpos)

    def sub(self, repl, string, count=0):
        self._reads(string)
        return self._pattern.sub(repl, string, count)

    def split(self, string, maxsplit=0):
        self._reads(string)
        return self._pattern.split(string, maxsplit)

    def match(self, string, pos=0, endpos=sys.maxsize):
        self._work.calls += 1
        return self._pattern.match(string, pos, endpos)

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        self._work.calls += 1
        return self._pattern.fullmatch(string, pos, endpos)


class _MeteredRe:
    """Stands in for ``re`` in the parser's modules: every pattern it compiles is metered."""

    def __init__(self, work: Work) -> None:
        self._work = work

    def __getattr__(self, name: str):
        return getattr(re, name)

    def compile(self, pattern, flags=0):
        return _MeteredPattern(re.compile(pattern, flags), self._work)

    def search(self, pattern, string, flags=0):
        return self.compile(pattern, flags).search(string)

    def match(self, pattern, string, flags=0):
        return self.compile(pattern, flags).match(string)

    def fullmatch(self, pattern, string, flags=0):
        return self.compile(pattern, flags).fullmatch(string)

    def finditer(self, pattern, string, flags=0):
        return self.compile(pattern, flags).finditer(string)

    def findall(self, pattern, string, flags=0):
        return self.compile(pattern, flags).findall(string)

    def sub(self, pattern, repl, string, count=0, flags=0):
        return self.compile(pattern, flags).sub(repl, string, count)

    def split(self, pattern, string, maxsplit=0, flags=0):
        return self.compile(pattern, flags).split(string, maxsplit)


def _metered(value, work: Work):
    if value is re:
        return _MeteredRe(work)
    if isinstance(value, re.Pattern):
        return _MeteredPattern(value, work)
    if isinstance(value, tuple) and any(isinstance(item, (re.Pattern, tuple)) for item in value):
        return tuple(_metered(item, work) for item in value)
    return value


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Turns a parse that never ends into a failure instead of a stuck test run. Not a
    timing check: these parses take milliseconds, and before the fix they ran for hours
    (a regex cannot be interrupted otherwise: it holds the interpreter lock)."""

    def stop(signum, frame):
        raise TimeoutError(f"the parse was still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def work_of(message: str, monkeypatch: pytest.MonkeyPatch) -> Work:
    """Parse ``message`` with every pattern of the parser metered and its lines counted."""
    work = Work()
    with monkeypatch.context() as patched:
        for module in _PARSER_MODULES:
            for name, value in list(vars(module).items()):
                metered = _metered(value, work)
                if metered is not value:
                    patched.setattr(module, name, metered)

        def count_lines(frame, event, arg):
            if event == "line":
                work.lines += 1
            return count_lines

        def in_the_parser(frame, event, arg):
            return count_lines if frame.f_code.co_filename.startswith(str(_PACKAGE)) else None

        previous = sys.gettrace()
        sys.settrace(in_the_parser)
        try:
            with hang_guard(60):
                plan = parse_command(message, NOW)
        finally:
            sys.settrace(previous)
    assert plan.calls or plan.reply
    return work


def shape(prefix: str, unit: str, suffix: str = "") -> Callable[[int], str]:
    """A message of about ``size`` characters: ``unit`` repeated between prefix and suffix."""
    return lambda size: prefix + unit * ((size - len(prefix) - len(suffix)) // len(unit)) + suffix


# The report's inputs ("#a" * 20000 and the like) and the other shapes that were
# super-linear: a word, tag, date, connector or filler repeated, runs of one character.
HOSTILE = {
    "hashtags": shape("", "#a"),
    "hashtags after add": shape("add pay rent ", "#a"),
    "spaced hashtags": shape("", "#a "),
    "tag phrases": shape("add x ", "tagged a "),
    "words": shape("", "a "),
    "dates": shape("", "tomorrow "),
    "holidays": shape("add x ", "the day after christmas "),
    "times": shape("add x ", "at 5 "),
    "weekdays": shape("add ", "monday x "),
    "ands": shape("", "and "),
    "commas": shape("", ","),
    "digits": shape("", "1"),
    "at signs": shape("", "@"),
    "unicode": shape("", "é😀 "),
    "politeness": shape("", "please "),
    "thanks": shape("a", " thanks"),
    "references": shape("delete ", "the task "),
    "articles": shape("mark ", "a ", "as done"),
    "connectors": shape("add call mom", " to"),
    "title fillers": shape("add ", "task "),
    "priority fillers": shape("change x ", "to a "),
    "quantifiers": shape("delete ", "every "),
    "tag list": shape("untag x ", "#a ", "!"),
    "untagged words": shape("untag ", "call the bank ", "!"),
    # Issue 10: each line of a message is its own request, and "and" can join references.
    "lines": shape("", "a\n"),
    "task lines": shape("add x\n", "buy eggs\n"),
    "blank lines": shape("buy eggs", "\n \n", "add milk"),
    "references joined by and": shape("complete ", "item 05 and "),
    "a bulleted list": shape("add these:\n", "- buy eggs\n"),
    # Issue 11: calendar phrases, loose dates, names in capitals, dates of unknown order.
    "numeric dates": shape("add x ", "4/5 "),
    "fractions": shape("add mix ", "1/2 cup "),
    "loose dates": shape("add x ", "early next week "),
    "weekdays of a month": shape("add x ", "the first monday of next month "),
    "dated weekdays": shape("add x ", "Fri, Dec 4 "),
    "names in capitals": shape("add watch ", "Friday Night Lights "),
    "weekday openings": shape("", "monday call the bank "),
    "list marks": shape("", "- \n"),
    # Issue 11: repeats ("every mon, wed and fri", "until", "for 8 weeks") read forward.
    "repeats": shape("add x ", "every day "),
    "repeat modifiers": shape("add x every day ", "until friday "),
    "weekday lists": shape("add gym every ", "mon, "),
    "ordinal lists": shape("add x every ", "1st and "),
    "plural weekdays": shape("add ", "mondays "),
    "adverbs": shape("add ", "weekly "),
    "half-read repeats": shape("add ", "every few days "),
    "counted weekdays": shape("add x ", "3 fridays from now "),
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_parser_does_linear_work(make, monkeypatch):
    """Twice the message, at most about twice the work (quadratic work would be four
    times): the characters searched, the regex calls and the lines run."""
    half, full = work_of(make(MESSAGE_MAX_CHARS // 2), monkeypatch), work_of(make(MESSAGE_MAX_CHARS), monkeypatch)
    for measure in ("chars", "calls", "lines"):
        assert getattr(full, measure) <= 2.5 * getattr(half, measure) + 50, measure


# Exponential backtracking in the tag-list patterns: a word or a gap could be split in
# many ways, and every split was tried before giving up.
BACKTRACKING = {
    "a sentence after untag": "untag call the bank about the loan today",
    "a long word after untag": "untag " + "a" * 60 + " !",
    "hashtags then a date": "untag x " + "#a " * 40 + "tomorrow",
    "words after tag with": "tag x with " + "a " * 40 + "!",
    "words after add tags": "add tags " + "a " * 40 + "! to x",
    "hashtags after add": "add " + "#a " * 40 + "! to x",
}
AT_THE_LIMIT = {f"{name} at the limit": make(MESSAGE_MAX_CHARS) for name, make in HOSTILE.items()}


@pytest.mark.parametrize("message", [*BACKTRACKING.values(), *AT_THE_LIMIT.values()], ids=[*BACKTRACKING, *AT_THE_LIMIT])
def test_hostile_messages_get_an_answer(message):
    with hang_guard(60):
        plan = parse_command(message, NOW)
    assert plan.calls or plan.reply
