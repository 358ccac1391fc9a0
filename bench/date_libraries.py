"""How well do date/time parsers read the dates people type? (issue 11, first research step)

Runs every case of tests/fixtures/date_phrases.jsonl through

- ``project``: the offline model's own reading, ``parse_command("add " + text)`` — the due
  date, repeat and title of the first task it adds;
- ``project-find_due``: ``dates.find_due(text)`` alone (the date finder, no repeat words);
- each candidate library that is installed (a missing one is skipped with a note):
  dateparser (``search.search_dates``), parsedatetime (``Calendar.nlp``), recurrent
  (``RecurringEvent.parse``: dates and RRULEs), ctparse, quickadd (a fork of ctparse that
  installs the same ``ctparse`` module: run it from its own venv), timefhuman, dateutil
  (``parser.parse(fuzzy=True)``) and datefinder.

Each case has a fixed clock (``now``, naive local time; every case is in UTC) and the
answer a person would expect: ``due`` ("YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or null), ``repeat``
(an RFC 5545 RRULE without DTSTART: the first occurrence is ``due``) and ``title``.

Per parser, a case is
- right: the due date is the expected one (a library that always returns a datetime is
  judged on the date alone when the case has no time of day);
- wrong: a date was set and it is not the expected one, or a date was set where none must
  be (the negatives): the worst outcome, a wrong due date in silence;
- missed: no date where one was said;
- guessed: a date set on a case marked ``ambiguous`` (the right answer there is none: ask,
  or leave the words in the title). Ambiguous cases count as right only when no date is set.
Repeats are scored for the parsers that read them (the project, recurrent): the rules are
compared after filling what DTSTART implies (FREQ=WEEKLY without BYDAY repeats on the due
date's weekday, and so on) and without BYHOUR/BYMINUTE (the time of day is the due date's).
recurrent's due date is the first occurrence of its rule, from today or the start it read. Titles are scored for ``project`` only.

    .venv/bin/python bench/date_libraries.py                 # the project + what is installed
    /tmp/datevenv/bin/python bench/date_libraries.py         # with the candidates
    ... --failures project                                   # every miss of one parser
    ... --only project,dateparser --class repeat             # a subset

When the project cannot be imported in the running interpreter (a venv with only the
candidates), its two rows are computed by the project's own ``.venv/bin/python`` running
this script with ``--json``. A score, not a gate: exit 0 whatever it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CASES = ROOT / "tests" / "fixtures" / "date_phrases.jsonl"
PER_CASE_SECONDS = 2  # a parser that takes longer on one phrase has "missed" it


@dataclass(frozen=True)
class Reading:
    due: str | None  # "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"
    repeat: str | None = None
    title: str | None = None
    exact: bool = True  # False: a datetime whose time may be a default (judged on the date alone)


Adapter = Callable[[str, dt.datetime], Reading]


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


# ---------------------------------------------------------------- the project

_PROJECT_RULES = {
    "daily": "FREQ=DAILY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
}


def project_adapters() -> dict[str, Adapter]:
    from todochat.chat.local_model import parse_command
    from todochat.chat.local_model.dates import find_due

    def project(text: str, now: dt.datetime) -> Reading:
        plan = parse_command("add " + text, now)
        tasks = [task for call in plan.calls if call.name == "add_tasks" for task in call.arguments["tasks"]]
        if not tasks:
            return Reading(None, title="")
        first = tasks[0]
        rule = first.get("recurrence")
        return Reading(
            first.get("due"),
            _PROJECT_RULES.get(rule, rule) if rule else None,
            " / ".join(task["title"] for task in tasks),  # several tasks: the sentence was split
        )

    def project_find_due(text: str, now: dt.datetime) -> Reading:
        span = find_due(text, now)
        return Reading(span.iso if span else None)

    return {"project": project, "project-find_due": project_find_due}


# ---------------------------------------------------------------- candidates


@contextmanager
def _time_limit(seconds: int):
    def give_up(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _dateparser() -> Adapter:
    from dateparser.search import search_dates

    def read(text: str, now: dt.datetime) -> Reading:
        settings = {"RELATIVE_BASE": now, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}
        found = search_dates(text, languages=["en"], settings=settings)
        return Reading(_iso(found[-1][1]) if found else None, exact=False)  # the last one, as the project does

    return read


def _parsedatetime() -> Adapter:
    import parsedatetime

    calendar = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)

    def read(text: str, now: dt.datetime) -> Reading:
        found = calendar.nlp(text, sourceTime=now)
        if not found:
            return Reading(None)
        value, context, *_ = found[-1]
        return Reading(_iso(value) if context.hasTime else value.date().isoformat())

    return read


def _recurrent() -> Adapter:
    from dateutil.rrule import rrulestr
    from recurrent.event_parser import RecurringEvent

    def read(text: str, now: dt.datetime) -> Reading:
        event = RecurringEvent(now_date=now)
        value = event.parse(text)
        if value is None:
            return Reading(None)
        if isinstance(value, dt.datetime):
            return Reading(_iso(value), exact=False)
        # An RRULE (with a DTSTART when one was said): its first occurrence is the due date.
        rule = ";".join(line for line in value.splitlines() if line.startswith("RRULE:"))[len("RRULE:") :]
        start = event.get_params().get("dtstart")
        start = dt.datetime.strptime(start[:8], "%Y%m%d") if start else now.replace(hour=0, minute=0)
        timed = "BYHOUR" in rule or "FREQ=HOURLY" in rule or "FREQ=MINUTELY" in rule
        first = rrulestr(rule, dtstart=start).after(max(start, now) if timed else start, inc=not timed)
        if first is None:
            return Reading(None, rule)
        return Reading(_iso(first) if timed else first.date().isoformat(), rule)

    return read


def _ctparse() -> Adapter:
    import logging

    from ctparse import ctparse

    logging.getLogger("ctparse").setLevel(logging.CRITICAL)  # "Failed to produce result for ..."
    from ctparse.types import Interval, Time

    def read(text: str, now: dt.datetime) -> Reading:
        parsed = ctparse(text, ts=now, timeout=1)
        value = parsed.resolution if parsed else None
        if isinstance(value, Interval):
            value = value.t_from or value.t_to
        if not isinstance(value, Time) or value.year is None or value.month is None or value.day is None:
            if isinstance(value, Time) and value.hour is not None:  # a time alone: the next one
                moment = now.replace(hour=value.hour, minute=value.minute or 0)
                return Reading(_iso(moment if moment > now else moment + dt.timedelta(days=1)))
            return Reading(None)
        day = dt.date(value.year, value.month, value.day)
        if value.hour is None:
            return Reading(day.isoformat())
        return Reading(_iso(dt.datetime.combine(day, dt.time(value.hour, value.minute or 0))))

    return read


def _timefhuman() -> Adapter:
    from timefhuman import tfhConfig, timefhuman

    def read(text: str, now: dt.datetime) -> Reading:
        found = timefhuman(text, config=tfhConfig(now=now, return_matched_text=True))
        if not found:
            return Reading(None)
        value = found[0][2]
        while isinstance(value, (tuple, list)):  # a range or a list: its first moment
            value = value[0] if value else None
        if isinstance(value, dt.datetime):
            return Reading(_iso(value), exact=False)
        if isinstance(value, dt.date):
            return Reading(value.isoformat())
        return Reading(None)

    return read


def _dateutil() -> Adapter:
    from dateutil import parser

    def read(text: str, now: dt.datetime) -> Reading:
        try:
            value = parser.parse(text, fuzzy=True, default=now.replace(hour=0, minute=0))
        except (ValueError, OverflowError, parser.ParserError):
            return Reading(None)
        return Reading(_iso(value), exact=False)

    return read


def _datefinder() -> Adapter:
    import datefinder

    def read(text: str, now: dt.datetime) -> Reading:
        found = list(datefinder.find_dates(text, base_date=now))
        return Reading(_iso(found[-1]) if found else None, exact=False)

    return read


def _ctparse_flavour() -> str:
    """quickadd installs the module ``ctparse`` too: name the row after what is installed."""
    try:
        from importlib.metadata import packages_distributions

        names = packages_distributions().get("ctparse", [])
    except Exception:  # noqa: BLE001
        names = []
    return "quickadd" if "quickadd" in names else "ctparse"


CANDIDATES: dict[str, Callable[[], Adapter]] = {
    "dateparser": _dateparser,
    "parsedatetime": _parsedatetime,
    "recurrent": _recurrent,
    "ctparse": _ctparse,
    "timefhuman": _timefhuman,
    "dateutil-fuzzy": _dateutil,
    "datefinder": _datefinder,
}


# ---------------------------------------------------------------- scoring


def _rule_parts(rule: str | None, due: str | None) -> dict[str, str] | None:
    """An RRULE as a dict, with what its first occurrence implies written out."""
    if not rule:
        return None
    parts = dict(part.split("=", 1) for part in rule.upper().removeprefix("RRULE:").split(";") if "=" in part)
    for key in ("DTSTART", "WKST", "BYHOUR", "BYMINUTE", "BYSECOND"):  # the time of day is in the due date
        parts.pop(key, None)
    if parts.get("INTERVAL") == "1":
        del parts["INTERVAL"]
    if "UNTIL" in parts:
        parts["UNTIL"] = parts["UNTIL"][:8]
    if due:
        start = dt.date.fromisoformat(due[:10])
        freq = parts.get("FREQ")
        if freq == "WEEKLY" and "BYDAY" not in parts:
            parts["BYDAY"] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
        if freq == "MONTHLY" and "BYDAY" not in parts and "BYMONTHDAY" not in parts:
            parts["BYMONTHDAY"] = str(start.day)
        if freq == "YEARLY" and "BYMONTH" not in parts:
            parts.setdefault("BYMONTH", str(start.month))
            parts.setdefault("BYMONTHDAY", str(start.day))
    if "BYDAY" in parts:
        parts["BYDAY"] = ",".join(sorted(day.lstrip("+") for day in parts["BYDAY"].split(",")))
    return parts


def due_outcome(case: dict, reading: Reading) -> str:
    expected, got = case["due"], reading.due
    if case.get("ambiguous"):
        return "right" if got is None else "guessed"
    if got is None:
        return "right" if expected is None else "missed"
    if expected is None:
        return "wrong"
    if not reading.exact and "T" not in expected:
        return "right" if got[:10] == expected else "wrong"
    return "right" if got == expected else "wrong"


def repeat_outcome(case: dict, reading: Reading) -> str:
    expected = _rule_parts(case["repeat"], case["due"])
    got = _rule_parts(reading.repeat, reading.due or case["due"])
    if expected is None:
        return "right" if got is None else "wrong"
    if got is None:
        return "missed"
    return "right" if got == expected else "wrong"


def _norm_title(title: str | None) -> str:
    return " ".join((title or "").lower().replace(",", " ").split())


def title_outcome(case: dict, reading: Reading) -> str:
    return "right" if _norm_title(reading.title) == _norm_title(case["title"]) else "wrong"


# ---------------------------------------------------------------- running


def load_cases(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run(adapter: Adapter, cases: list[dict]) -> list[Reading | str]:
    readings: list[Reading | str] = []
    for case in cases:
        now = dt.datetime.fromisoformat(case["now"])
        try:
            with _time_limit(PER_CASE_SECONDS):
                readings.append(adapter(case["text"], now))
        except TimeoutError:
            readings.append(Reading(None, title="(timed out)"))
        except Exception as error:  # noqa: BLE001 - a library that raises has missed the case
            readings.append(Reading(None, title=f"(raised {type(error).__name__})"))
    return readings


def _project_in_subprocess(cases_path: Path, only: set[str] | None) -> dict[str, list[Reading]]:
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        print(f"note: the project cannot be imported here and {python} is missing: project rows skipped")
        return {}
    names = ",".join(sorted({"project", "project-find_due"} & only)) if only else "project,project-find_due"
    output = subprocess.run(
        [str(python), __file__, "--json", "--only", names, "--cases", str(cases_path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout
    return {name: [Reading(**r) for r in rows] for name, rows in json.loads(output).items()}


def adapters(only: set[str] | None, notes: list[str]) -> dict[str, Adapter]:
    found: dict[str, Adapter] = {}
    try:
        found.update(project_adapters())
    except ImportError as error:
        notes.append(f"project not importable here ({error.name}): read with the project's .venv")
    for name, make in CANDIDATES.items():
        if only and name not in only and not (name == "ctparse" and "quickadd" in only):
            continue
        try:
            adapter = make()
        except ImportError:
            notes.append(f"{name}: not installed, skipped")
            continue
        found[_ctparse_flavour() if name == "ctparse" else name] = adapter
    return {name: a for name, a in found.items() if not only or name in only}


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "   - "


def report(cases: list[dict], results: dict[str, list[Reading]], seconds: dict[str, float]) -> None:
    classes = sorted({c["class"] for c in cases}, key=[c["class"] for c in cases].index)
    print(f"{len(cases)} cases from {CASES.relative_to(ROOT)}, now={cases[0]['now']} {cases[0]['tz']}\n")
    header = f"{'parser':<17} {'right':>12} {'WRONG(silent)':>14} {'missed':>7} {'guessed':>8} {'ms/case':>8}"
    print("due dates (guessed = a date set on one of the ambiguous cases)")
    print(header)
    for name, readings in results.items():
        outcomes = Counter(due_outcome(c, r) for c, r in zip(cases, readings))
        ms = 1000 * seconds.get(name, 0) / len(cases)
        print(
            f"{name:<17} {outcomes['right']:>4} {_pct(outcomes['right'], len(cases))} {outcomes['wrong']:>14}"
            f" {outcomes['missed']:>7} {outcomes['guessed']:>8} {ms:>8.1f}"
        )
    print("\nright / wrong / missed (+guessed) per class")
    width = max(17, *(len(n) + 1 for n in results))
    print(f"{'class':<14}{'n':>4}  " + "".join(f"{name:>{width}}" for name in results))
    for cls in classes:
        idx = [i for i, c in enumerate(cases) if c["class"] == cls]
        cells = []
        for readings in results.values():
            o = Counter(due_outcome(cases[i], readings[i]) for i in idx)
            guessed = f"+{o['guessed']}" if o["guessed"] else ""
            cells.append(f"{o['right']}/{o['wrong']}/{o['missed']}{guessed}")
        print(f"{cls:<14}{len(idx):>4}  " + "".join(f"{cell:>{width}}" for cell in cells))
    repeat_cases = [i for i, c in enumerate(cases) if c["repeat"]]
    print("\nrepeats (the parsers that read them): right / wrong / missed on the repeat cases;"
          " false = a repeat set on a case with none")
    for name in ("project", "recurrent"):
        if name in results:
            readings = results[name]
            o = Counter(repeat_outcome(cases[i], readings[i]) for i in repeat_cases)
            false = sum(1 for c, r in zip(cases, readings) if not c["repeat"] and r.repeat)
            print(f"  {name:<15} {o['right']}/{o['wrong']}/{o['missed']} of {len(repeat_cases)}, false {false}")
    if "project" in results:
        o = Counter(title_outcome(c, r) for c, r in zip(cases, results["project"]))
        both = sum(
            1 for c, r in zip(cases, results["project"])
            if title_outcome(c, r) == "right" and due_outcome(c, r) == "right"
            and (not c["repeat"] or repeat_outcome(c, r) == "right")
        )
        print(f"\nproject titles right: {o['right']}/{len(cases)}; due, repeat and title all right: {both}/{len(cases)}")


def print_failures(name: str, cases: list[dict], readings: list[Reading]) -> None:
    print(f"\nfailures of {name}:")
    for case, reading in zip(cases, readings):
        due = due_outcome(case, reading)
        repeat = repeat_outcome(case, reading) if name in ("project", "recurrent") else "right"
        title = title_outcome(case, reading) if name == "project" else "right"
        if (due, repeat, title) != ("right", "right", "right"):
            print(
                f"  [{case['class']}] {case['text']!r}: {due}"
                f" (expected {case['due']}, got {reading.due})"
                + (f" repeat {repeat}: {reading.repeat} vs {case['repeat']}" if repeat != "right" else "")
                + (f" title {reading.title!r} vs {case['title']!r}" if title != "right" else "")
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated parser names")
    parser.add_argument("--class", dest="cls", help="only the cases of this class")
    parser.add_argument("--failures", action="append", default=[], help="print the failures of this parser")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    only = set(args.only.split(",")) if args.only else None
    cases = load_cases(args.cases)
    if args.cls:
        cases = [c for c in cases if c["class"] == args.cls]
    notes: list[str] = []
    found = adapters(only, notes)
    results: dict[str, list[Reading]] = {}
    seconds: dict[str, float] = {}
    if args.json:
        out = {n: [r.__dict__ for r in run(a, cases)] for n, a in found.items() if n.startswith("project")}
        print(json.dumps(out))
        return 0
    if "project" not in found and (not only or only & {"project", "project-find_due"}):
        started = time.perf_counter()
        if args.cls:
            import tempfile

            with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as subset:
                subset.write("".join(json.dumps(c) + "\n" for c in cases))
            results.update(_project_in_subprocess(Path(subset.name), only))
        else:
            results.update(_project_in_subprocess(args.cases, only))
        for name in results:
            seconds[name] = (time.perf_counter() - started) / max(1, len(results))
    for name, adapter in found.items():
        started = time.perf_counter()
        results[name] = run(adapter, cases)
        seconds[name] = time.perf_counter() - started
    for note in notes:
        print(f"note: {note}")
    report(cases, results, seconds)
    for name in args.failures:
        if name in results:
            print_failures(name, cases, results[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
