"""Phrase cases nobody on this team wrote: public test corpora of two date parsers (issue 11).

Writes ``tests/fixtures/corpora/<source>.jsonl`` in our phrase-case format (see
``tests/phrase_cases.py``), read by ``bench/corpus_score.py``. A score, not a gate: only the
cases a fix was made for are copied into ``tests/fixtures/phrases/corpora_regressions.jsonl`` and
tested (``tests/test_phrases_corpora.py``).

Sources (fetched as git snapshots; run with their git dirs as arguments, e.g.
``python bench/corpus_cases.py /work/.mirror/facebook+duckling/repo /work/.mirror/wanasit+chrono/repo``):

- duckling — github.com/facebook/duckling, ``Duckling/Time/EN/Corpus.hs`` at commit
  2c226585af5b9f4985d9c7151d7191603bb2add7. BSD license (Facebook). Expected values are
  relative to Tuesday 2013-02-12 04:30; we read ``allExamples`` and the US ``custom`` ones.
- chrono — github.com/wanasit/chrono, ``test/en/*.test.ts`` at commit
  82c0e5bc0e4db19eb402423baf1b558850947b2b. MIT license (Wanasit Tanakitrungruang).
  ``testSingleCase(chrono[.casual], "text", new Date(...), check)``; expected values from
  ``result.start.get(...)``/``toBeDate``, the phrase from ``expect(result.text)``.

Each phrase is placed after a task title ("call the bank <phrase>"), the way people write
a todo; chrono's sentences are cut to the phrase it expects to find.

Kept: one instant of day, hour or minute grain, today or later (a due date is ahead).
Dropped, and counted in the printout: intervals and ranges ("from 3 to 5", "this
weekend" as a span, "the week"), open intervals ("after 5pm"), second, week, month,
quarter and year grains ("now", "next week" as a week, "March", "2014", "the 80s"), values
before the reference day ("yesterday", "last Monday", "3 days ago"), time zones
(chrono's en_timezone_exp, "at 3pm CET"), chrono cases whose ``result.end`` is set
(ranges), chrono cases without a reference date (they run at the test's own "now"),
duckling's latent and negative corpora (no date meant: kept as ``negative``).

``DIFFERS`` marks corpus values that contradict a product decision documented in
``todochat/chat/local_model`` (e.g. "next friday" = Friday of next calendar week): the
bench reports those apart, as "decision differs", not as wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "corpora"
TITLE = "call the bank"

# phrase (lowercase) -> the product decision it contradicts; the case stays, scored apart.
PARTS = "parts of the day: morning 09:00, evening 19:00, tonight 20:00 (local_model/__init__)"
SAME_DAY = "a weekday said on that day is a week ahead (local_model/__init__)"
DAY_OFFSETS = "an offset of days or more is a date, not a time (offsets.py)"
WEEK_MONTH = "'this week' = Sunday, 'next week' = next Monday, 'this month' = its last day, 'next month' = its first (local_model/__init__)"
NOON = "'at 12' in the afternoon is noon (times_of_day.py)"
THIS_MORNING = "'this morning' is today even when its time has passed: overdue (times_of_day.py)"
LOOSE_TIME = "a loose time beside a firm day sets the day only and says the time was not set (adds.py)"
SHORT_WEEKDAY = "a bare abbreviated weekday is no date ('sat nav'): only after 'on', 'by', 'next'... (dates.py)"
WEEKDAY_CLASH = "a weekday that is not its date's weekday sets no date ('Fri, Jul 18' when Jul 18 is a Thursday) (dates.py)"
NUMERIC_ORDER = "a numeric date whose day/month order is unknown sets no date ('8/10', '03/04/2027') (dates.py)"
PART_HOURS = "an hour that is not of the part of the day said sets no time ('at 1 tonight', '12 in the morning') (times_of_day.py)"
VAGUE = "vague amounts set no date ('in a few hours', 'in a couple of days') (offsets.py)"
SPAN = "'in the next 2 days' is a span, too loose for one day (offsets.py)"
MIDNIGHT = "midnight with a day ('friday at midnight': its start or its end?) sets nothing (times_of_day.py)"
KEEP_DAY = "'in 4 years' keeps the day of the month (duckling counts years at month grain: Feb 1st)"
DIFFERS: dict[str, str] = {
    "this evening": PARTS,
    "tonight": PARTS,
    "tomorrow morning": PARTS,
    "on tuesday morning": PARTS,
    "thursday": SAME_DAY,
    "this week": WEEK_MONTH,
    "this month": WEEK_MONTH,
    "next week": WEEK_MONTH,
    "next month": WEEK_MONTH,
    "in one day": DAY_OFFSETS,
    "within 3 days": DAY_OFFSETS,
    "within 12 month": DAY_OFFSETS,
    "in a day": DAY_OFFSETS,
    "a day from now": DAY_OFFSETS,
    "in 7 days": DAY_OFFSETS,
    "7 days hence": DAY_OFFSETS,
    "14 days hence": DAY_OFFSETS,
    "a fortnight hence": DAY_OFFSETS,
    "this afternoon at 12": NOON,
    "this morning at 3": THIS_MORNING,
    "tomorrow at 150ish": LOOSE_TIME,
    "in 4 years at 5pm": KEEP_DAY,
    "after a year": DAY_OFFSETS,
    **{w: SPAN for w in ("next 2 weeks", "next 2 days", "next two years", "next 2 weeks 3 days")},
    "at midnight on 12th august": MIDNIGHT,
    **{w: PART_HOURS for w in ("this evening at 2", "tonight at 2", "tonight @ 3:20", "this morning at 12", "this evening at 12", "this afternoon at 11")},
    **{w: VAGUE for w in ("in a few hours", "in few hours", "within a few months", "in several hours", "in a couple of days", "in a few year")},
    "+2 months, 5 days": DAY_OFFSETS,
    **{w: SHORT_WEEKDAY for w in ("mon", "mon.", "tue", "tue.", "wed", "wed.", "thu", "thu.", "fri", "fri.", "sat", "sat.", "sun", "sun.")},
    **{w.lower(): WEEKDAY_CLASH for w in ("Fri, Jul 18", "Jul 18, Fri", "Tuesday, January 10", "Tue, 10 January", "Tuesday, 10 January")},
    **{w: NUMERIC_ORDER for w in ("8/10/2012", "8/10", "sunday 12/7/2014")},
}


def git_show(git_dir: str, path: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"HEAD:{path}"], check=True, capture_output=True, text=True
    ).stdout


def git_files(git_dir: str, under: str) -> list[str]:
    out = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", "HEAD", under],
        check=True, capture_output=True, text=True,
    ).stdout
    return out.split()


NUMBER_WORDS = r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight)\b"


def classify(phrase: str, holiday: bool, has_time: bool) -> str:
    """Our class names, for a per-class score; a guess from the wording."""
    p = phrase.lower()
    if holiday:
        return "holiday"
    if re.search(r"\b(?:quarter|half)\b|\b(?:past|to|till|before|after) (?:the hour|\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight)", p):
        return "minutes_words"
    if re.search(r"\bin\b.*\b(?:minutes?|hours?|days?|weeks?|months?|years?|mins?|hrs?)\b|from (?:now|today)|\blater\b|\bhence\b|\bafter\b", p):
        return "relative"
    if has_time and re.search(NUMBER_WORDS, p) and not re.search(r"\d", p):
        return "spelled_time"
    date_word = re.search(
        r"\d+[/.-]\d+|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d+(?:st|nd|rd|th)\b|\bthe \w+(?:st|nd|rd|th)\b|\b(?:19|20)\d\d\b",
        p,
    )
    day_word = re.search(r"\b(?:today|tomorrow|tonight|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\bweek|\bmonth|\byear", p)
    if has_time and (date_word or day_word):
        return "compound"
    if date_word:
        return "explicit"
    return "basic"


def case(text_phrase: str, now: dt.datetime, due: str | None, cls: str, source: str) -> dict:
    phrase = " ".join(text_phrase.split())
    # no date meant: every word stays in the title
    title = f"{TITLE} {phrase}".rstrip(".") if cls == "negative" else TITLE  # titles lose a final stop
    item = {
        "class": cls,
        "text": f"{TITLE} {phrase}",
        "now": now.strftime("%Y-%m-%dT%H:%M"),
        "tz": "UTC",
        "due": due,
        "repeat": None,
        "title": title,
    }
    if phrase.lower() in DIFFERS:
        item["differs"] = DIFFERS[phrase.lower()]
    item["source"] = source
    return item


# --- duckling ---------------------------------------------------------------------------

DUCKLING_EXAMPLE = re.compile(
    r"examples\s*\((datetime|datetimeHoliday|datetimeInterval|datetimeIntervalHoliday|datetimeOpenInterval)\b"
    r"(.*?)\)\s*\[(.*?)\]",
    re.S,
)


def duckling(git_dir: str, dropped: dict) -> list[dict]:
    source = "facebook/duckling Duckling/Time/EN/Corpus.hs"
    text = git_show(git_dir, "Duckling/Time/EN/Corpus.hs")
    start = text.index("defaultCorpus = ")
    end = text.index("negativeCorpus ::")
    body = text[start:end] + text[text.index("allExamples = concat") :]
    now = dt.datetime(2013, 2, 12, 4, 30)
    cases = []
    for kind, args, phrases in DUCKLING_EXAMPLE.findall(body):
        strings = re.findall(r'"((?:[^"\\]|\\.)*)"', phrases)
        if kind != "datetime" and kind != "datetimeHoliday":
            dropped[f"duckling {kind} (a span, not one instant)"] = dropped.get(f"duckling {kind} (a span, not one instant)", 0) + len(strings)
            continue
        m = re.match(r"\s*\((-?\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)\s*(\w+)", args)
        if not m:
            continue
        y, mo, d, h, mi, _s = map(int, m.groups()[:6])
        grain = m.group(7)
        if grain not in ("Day", "Hour", "Minute"):
            key = f"duckling {grain} grain"
            dropped[key] = dropped.get(key, 0) + len(strings)
            continue
        value = dt.datetime(y, mo, d, h, mi)
        if (grain == "Day" and value.date() < now.date()) or (grain != "Day" and value < now):
            dropped["duckling: before the reference (past)"] = dropped.get("duckling: before the reference (past)", 0) + len(strings)
            continue
        due = value.strftime("%Y-%m-%d") if grain == "Day" else value.strftime("%Y-%m-%dT%H:%M")
        for phrase in strings:
            if re.search(r"\b[A-Z]{2,4}T\b|[+-]\d\d:?\d\d\b", phrase) or re.search(r"\b(?:utc|gmt|pst|est|cet|ist)\b", phrase, re.I):
                dropped["duckling: time zone"] = dropped.get("duckling: time zone", 0) + 1
                continue
            cases.append(case(phrase, now, due, classify(phrase, kind == "datetimeHoliday", grain != "Day"), source))
    neg = text[text.index("negativeCorpus = ") : text.index("latentCorpus ::")]
    for phrase in re.findall(r'"((?:[^"\\]|\\.)*)"', neg):
        cases.append(case(phrase, now, None, "negative", source + " negativeCorpus"))
    return cases


# --- chrono -----------------------------------------------------------------------------

CHRONO_CALL = re.compile(r"testSingleCase\(\s*chrono(?:\.casual|\.en\.casual|\.en)?\s*,\s*")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')


def _eval_ints(args: str) -> list[int] | None:
    parts = [p.strip() for p in args.split(",")]
    values = []
    for p in parts:
        if not re.fullmatch(r"[\d\s+\-]+", p):
            return None
        values.append(eval(p))  # noqa: S307 - digits and +/- only (checked above)
    return values


def chrono(git_dir: str, dropped: dict) -> list[dict]:
    cases = []
    for path in git_files(git_dir, "test/en"):
        if not path.endswith(".test.ts"):
            continue
        name = path.rsplit("/", 1)[-1]
        if name in ("en_timezone_exp.test.ts", "en_time_units_ago.test.ts", "en_performance.test.ts"):
            dropped[f"chrono {name} (time zones / past / timing)"] = git_show(git_dir, path).count("testSingleCase")
            continue
        source_text = git_show(git_dir, path)
        calls = list(CHRONO_CALL.finditer(source_text))
        for i, call in enumerate(calls):
            block = source_text[call.end() : calls[i + 1].start() if i + 1 < len(calls) else len(source_text)]
            m = STRING.match(block)
            if not m:
                dropped["chrono: not a plain string"] = dropped.get("chrono: not a plain string", 0) + 1
                continue
            text = m.group(1) if m.group(1) is not None else m.group(2)
            rest = block[m.end() :]
            ref = re.match(r"\s*,\s*new Date\(([^)]*)\)", rest)
            if not ref or not _eval_ints(ref.group(1)):
                dropped["chrono: no fixed reference date"] = dropped.get("chrono: no fixed reference date", 0) + 1
                continue
            r = _eval_ints(ref.group(1)) + [0, 0, 0, 0]
            now = dt.datetime(r[0], r[1] + 1, r[2], r[3], r[4])
            if re.search(r"result\.end\)\.not\.toBeNull|result\.end\.get|result\.end\)\.toBeDate", block):
                dropped["chrono: a range (result.end)"] = dropped.get("chrono: a range (result.end)", 0) + 1
                continue
            if re.search(r"timezoneOffset|toBeNull\(\)\s*;\s*$", block[:200]) and "timezoneOffset" in block:
                dropped["chrono: time zone"] = dropped.get("chrono: time zone", 0) + 1
                continue
            got = {k: int(v) for k, v in re.findall(r'result\.start\.get\("(year|month|day|hour|minute|second)"\)\)\.toBe\((\d+)\)', block)}
            date = re.search(r"result\.start\)\.toBeDate\(new Date\(([^)]*)\)\)", block)
            whole = _eval_ints(date.group(1)) if date else None
            if whole:
                whole = whole + [0, 0, 0, 0]
            if not got and not whole:
                dropped["chrono: no expected value"] = dropped.get("chrono: no expected value", 0) + 1
                continue
            year = got.get("year", whole[0] if whole else now.year)
            month = got.get("month", whole[1] + 1 if whole else now.month)
            day = got.get("day", whole[2] if whole else now.day)
            if "second" in got and got["second"]:
                dropped["chrono: seconds grain"] = dropped.get("chrono: seconds grain", 0) + 1
                continue
            phrase_m = re.search(r'expect\(result\.text\)\.toBe\("((?:[^"\\]|\\.)*)"\)', block)
            phrase = phrase_m.group(1) if phrase_m else text
            if not phrase_m and len(text.split()) > 5:
                dropped["chrono: a sentence with no expected phrase"] = dropped.get("chrono: a sentence with no expected phrase", 0) + 1
                continue
            if phrase.strip().lower() == "now":
                dropped["chrono: 'now' (seconds grain)"] = dropped.get("chrono: 'now' (seconds grain)", 0) + 1
                continue
            if "hour" not in got and whole and re.search(r"\b(?:min|mins|minutes?|hours?|hrs?|h)\b", phrase):
                got.update(hour=whole[3], minute=whole[4])  # "in 5 minutes": a time, given by toBeDate
            try:
                if "hour" in got:
                    value = dt.datetime(year, month, day, got["hour"], got.get("minute", 0))
                    due = value.strftime("%Y-%m-%dT%H:%M")
                    past = value < now
                else:
                    value = dt.datetime(year, month, day)
                    due = value.strftime("%Y-%m-%d")
                    past = value.date() < now.date()
            except ValueError:
                dropped["chrono: not a date"] = dropped.get("chrono: not a date", 0) + 1
                continue
            if past:
                dropped["chrono: before the reference (past)"] = dropped.get("chrono: before the reference (past)", 0) + 1
                continue
            if re.search(r"\b(?:[A-Z]{2,4}T|UTC|GMT|Z)\b|[+-]\d\d:?\d\d\b|T\d\d:", phrase):
                dropped["chrono: time zone / ISO stamp"] = dropped.get("chrono: time zone / ISO stamp", 0) + 1
                continue
            cases.append(case(phrase, now, due, classify(phrase, False, "hour" in got), f"wanasit/chrono {path}"))
    return cases


def write(name: str, cases: list[dict]) -> int:
    seen, kept = set(), []
    for c in cases:
        key = (c["text"].lower(), c["now"])
        if key not in seen:
            seen.add(key)
            kept.append(c)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.jsonl").write_text("".join(json.dumps(c) + "\n" for c in kept))
    return len(kept)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        # `make bench` runs every script here: with no corpora given there is nothing to
        # convert (the converted files are committed), and that is not a failure.
        print("usage: corpus_cases.py <duckling git dir> <chrono git dir>; nothing converted")
        return 0
    duckling_dir, chrono_dir = argv[1], argv[2]
    for name, reader, git_dir in (("duckling", duckling, duckling_dir), ("chrono", chrono, chrono_dir)):
        dropped: dict[str, int] = {}
        kept = write(name, reader(git_dir, dropped))
        print(f"{name}: kept {kept} (after removing duplicates)")
        for why, count in sorted(dropped.items(), key=lambda kv: -kv[1]):
            print(f"  dropped {count:>4}  {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
