"""Times of day in what people type: "3pm", "17:30", "noon", "at 5", "tomorrow evening",
"a quarter past 3", "half three", "ten thirty", "1030", "15h30", "at about 5".
The date finder in ``dates`` asks this module for its time pieces (``PIECE_PATTERNS``,
kinds in ``KINDS``) and for the clock a phrase's time pieces name (``clock_of``, which
clock_reading.py works out; the words times are said with are time_words.py's).

Clock times are read here by hand rather than by dateparser: it knows neither "quarter
to six" nor "half three" nor "15h30", and the half of the day has to follow our rules.

Decisions:
- Morning 09:00, afternoon 15:00, evening 19:00, tonight/night 20:00; "first thing
  (tomorrow)" 09:00; "in the am/pm" 09:00/15:00 and the half of the day. "Early morning",
  "late afternoon", "mid-morning" set no time (nor the day said with them): no hour is
  theirs. "in afternoon" (no "the") is "in the afternoon". "this morning/afternoon/evening"
  is today, even when its time has passed ("at 8 this morning" said at 10 is today 08:00,
  overdue). "this time next week", "same time
  tomorrow" is now's clock on that day (with no day, nothing). "at 5 sharp" is 17:00.
- An hour with no am/pm: 12 is noon; 1-6 are pm ("at 5" is 17:00); 9-11 are am ("at 9"
  is 09:00); 7 and 8 are read only with a half of the day ("at 8 tonight", "7am"): alone
  they are as often the morning as the evening, so "at seven", "at 7:30" and "half past 8"
  set no time (the words stay in the title).
- "evening", "tonight", "night" or "afternoon" in the phrase make the hour pm; "morning"
  makes it am ("at 3 in the morning" is 03:00). Hours that are not of that part of the
  day set no time: "at 1 tonight" (1am, or 13:00?), "12 tonight", "at 9 this afternoon",
  "12 in the morning"; "12:30 this afternoon" is 12:30. Evening hours are 5-11, afternoon
  ones 12-6. An am/pm that contradicts them ("9pm tomorrow morning") sets no time.
- "midnight tonight" (or today) is the coming midnight; "midnight" with another day
  ("friday at midnight": the start of Friday or its end?) sets nothing; "by midnight"
  alone is the next midnight.
- 24-hour forms are as written: "17:45", "07:30", "0800", "1030", "15h30", "20h" ("15h30"
  and "3:15p" need no "at"); three digits with am/pm are h:mm ("330 pm" is 15:30). "5:30"
  (no leading zero, 1-12) follows the rule of its hour.
- Minutes in words count from the hour named, which follows the rule above: "quarter to
  six" is 17:45, "20 to 5" 16:40, "ten to twelve" 11:50, "quarter to noon" 11:45, "half
  past midnight" 00:30, "quarter of 6" (American) 17:45. Counted from an hour with am/pm
  or from noon they need no "at": "20 minutes past 3pm", "twenty after 3pm", "15 to noon". British "half three" is half past
  three, so 15:30 by the bare-hour rule.
- A bare hour or a spelled one ("5", "four", "ten thirty", "1030", "3p", "20h", "20 to
  5", "half three") needs "at"/"@" before it, or "around"/"about"/"approximately"/"roughly"
  right before a day ("around 11 tomorrow"; "around 5" also at the very end), since "buy 5
  boards" or "chapter 11" are not times. "around"/"about"/... are part of the time and
  leave the title: "at about 5" is 17:00.
- A time right after "the", "my", "this"... names a thing, not when it is due: "prepare
  the 9am meeting notes", "take the 5:15 train home" set no time.
- "at 3" followed by a noun is a count, not a time: "look at 3 houses", "stay at 5 star
  hotels" (only the end, a stop or a word like "and", "to", "with", "on", a day may follow).
- A lone digit hour right before a day or part of the day with no "at" ("call the plumber
  9 tomorrow", "feed the baby 3 in the morning"), or minutes in words there ("meet Jo half
  4 tomorrow" 16:30, "call Al ten past 9 tomorrow" 09:10) and a four-digit 24-hour time right after
  a day ("tomorrow 0930") are read only there (a spelled hour too: "eight tonight"), and never after a task verb, a number or
  a word that labels numbers ("buy 2 tomorrow", "read chapter 11 tomorrow", "room 1030").
"""

from __future__ import annotations

import datetime as dt
import re

from .calendar_words import ONE_WEEKDAY, WEEKDAY_STEMS
from .clock_reading import half_of_day, read_clock
from .lexicon import TASK_VERBS, UP_TO_TWELVE, base_verb, one_of
from .time_words import AMPM, APPROX, AT, COUNTED_FROM, HOUR12, HOUR_WORD, MINUTE_WORD, MINUTES, NUMBER_WORD, OCLOCK

# What may follow "around 11" with no "at": a day, a part of the day.
_DAY_FOLLOWS = (
    r"\s+(?:today|tonight|tomorrow|tomorow|tommorow|tmrw?|tmr"
    r"|(?:this|in\s+the)\s+(?:morning|afternoon|evening)|at\s+night|in\s+the\s+[ap]\.?m"
    rf"|on\s+\w|{ONE_WEEKDAY})\b"
)

# Read anywhere: an am/pm, a colon, o'clock, noon, a quarter or half past.
_STRONG = "|".join((
    rf"(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*{AMPM}",  # 3pm, 5.30pm, 9:15 am
    rf"[1-9][0-5]\d\s*{AMPM}",  # 330 pm
    rf"{HOUR_WORD}(?:[\s-]+{MINUTE_WORD})?\s+{AMPM}",  # three am, five thirty pm
    r"(?:[01]?\d|2[0-3]):[0-5]\d",  # 17:45, 5:30
    r"(?:(?:twelve|12)\s+)?(?:noon|midday|midnight)",
    rf"{HOUR12}\s*{OCLOCK}(?:\s*{AMPM})?",  # 3 o'clock
    rf"(?:a\s+)?quarter\s+(?:past|after|to)\s+{COUNTED_FROM}|half\s+past\s+{COUNTED_FROM}",
    # minutes counted from an hour with am/pm or noon: "20 minutes past 3pm", "15 to noon"
    rf"{MINUTES}\s+(?:past|after|to|till|til|before|of)\s+(?:{HOUR12}\s*{AMPM}|noon|midday|midnight)",
    r"(?:[01]?\d|2[0-3])h[0-5]\d",  # 15h30, 3h18: as written
    r"(?:1[0-2]|0?[1-9]):[0-5]\d[ap](?!\w)",  # 3:15p
))
# Read only after "at"/"@" (or "around" before a day): a number alone is rarely a time.
_WEAK = "|".join((
    rf"(?:{MINUTES}|(?:a\s+)?quarter)\s+(?:past|after|to|till|til|before|of)\s+{COUNTED_FROM}",  # 20 to 5
    rf"half\s+{HOUR12}",  # half three (British)
    rf"{HOUR_WORD}[\s-]+{MINUTE_WORD}",  # ten thirty
    r"(?:[01]\d|2[0-3])[0-5]\d",  # 1030, 0800
    r"(?:[01]?\d|2[0-3])\.[0-5]\d",  # 5.30 (British)
    r"(?:[01]?\d|2[0-3])h(?:[0-5]\d)?",  # 15h30, 20h
    r"(?:1[0-2]|[1-9])[ap]",  # 3p
    HOUR12,  # 5, four
))

# Not a time: part of a range ("3-4pm", "11am-12pm": which end?) or of a choice ("at 3 or
# 4", "at 9am and 5pm"), of a longer number ("at 3:75pm" is not 3pm), or "noon-ish".
_NOT_AFTER = r"(?<![-–])(?<![-–]\s)(?<!\bor\s)(?<!\band\s)"
_NOT_BEFORE = (
    rf"(?![:.]?\d|\s?[-–]\s?\d|[-\s]?ish\b|\s+(?:or|and)\s+(?:(?:at|@)\s*)?(?:\d|{HOUR_WORD}\b|noon|midnight))"
)

# What may follow "at 5" for it to be a time: not a noun ("look at 3 houses", "stay at 5
# star hotels"), so the end, a stop, or a word that can follow a time.
_NO_NOUN_FOLLOWS = (
    r"\s*(?:$|[,.;:!?()\[\]\-–])|\s+(?:and|or|but|to|with|for|about|then|please|pls|on|this|next|in|at|by"
    r"|from|until|till|before|after|so|if|when|re|via|sharp|every|each|latest|today|tonight|tomorrow|tomorow"
    rf"|tommorow|tmrw?|tmr|{one_of(WEEKDAY_STEMS)}[a-z]*"
    # the task itself, when the time comes first: "tuesday at 4 pick up the car"
    r"|" + "|".join(sorted(TASK_VERBS, key=len, reverse=True)) + r")\b"
)

# Minutes in words before a day, as a lone hour is: "meet Jo half 4 tomorrow" (16:30, not
# "half" left in the title and 16:00), "call Al ten past 9 tomorrow" (09:10).
_WORDED_MINUTES = (
    rf"half\s+{HOUR12}|(?:{MINUTES}|(?:a\s+)?quarter)\s+(?:past|after|to|till|til|before|of)\s+{HOUR12}"
    rf"|{HOUR_WORD}[\s-]+{MINUTE_WORD}"  # "call dad ten thirty tomorrow"
)

# A spelled hour before a day, as a digit is ("call the bank eight tonight"); not "one",
# which counts more often than it tells the time ("pick one tomorrow").
_LOOSE_HOUR_WORD = one_of(w for w in UP_TO_TWELVE if w != "one")

# (kind, pattern) pairs for the date finder.
PIECE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("time", rf"{_NOT_AFTER}(?:{AT}|{APPROX}\s+)?(?:{_STRONG})(?:\s+sharp)?{_NOT_BEFORE}"),
    (
        "time",
        rf"{_NOT_AFTER}(?:{AT}(?:{_WEAK})(?={_NO_NOUN_FOLLOWS})|{APPROX}\s+(?:{_WEAK})(?={_DAY_FOLLOWS})"
        rf"|around\s+(?:{_WEAK})(?=\s*(?:[,.;!?]|$)))(?:\s+sharp)?{_NOT_BEFORE}",
    ),
    # Only beside a day or a part of the day (see ``needs_partner``), never alone.
    (
        "loose_time",
        rf"(?<![-–.,:£$€])(?:(?:1[0-2]|[1-9]|{_LOOSE_HOUR_WORD}|{_WORDED_MINUTES})(?={_DAY_FOLLOWS})|(?:[01]\d|2[0-3])[0-5]\d){_NOT_BEFORE}",
    ),
    # "this time next week": the clock of now, on the day said with it (never alone).
    ("same_time", r"(?:at\s+)?(?:this|the\s+same|same)\s+time"),
    # "late afternoon" is found whole so that it sets no time (see ``clock_of``).
    (
        "part",
        r"(?:(?:this|in(?:\s+the)?)\s+)?(?:(?:early|late|mid)[\s-]?)?(?:morning|afternoon|evening)|(?:at\s+)?night"
        r"|in\s+the\s+[ap]\.?m\.?"
        r"|first\s+thing(?:\s+in\s+the\s+morning|(?=\s+(?:today|tomorrow|tmrw?|tmr"
        rf"|(?:on\s+)?{ONE_WEEKDAY})\b))",  # not "the first thing on the list"
    ),
)
KINDS = frozenset(kind for kind, _ in PIECE_PATTERNS)
LOOSE_KINDS = frozenset({"loose_time", "same_time"})
# Phrases that name a time too loosely to set one ("6ish", "late afternoon"): no time is
# set from them; they stay in the title and the reply says so (see dates).
_CLOCKISH = rf"(?:\d{{1,2}}(?:[:.][0-5]\d)?(?:\s*{AMPM})?|{HOUR_WORD}(?:\s+{AMPM})?|noon|midday|midnight)"
VAGUE_PATTERNS: tuple[str, ...] = (
    rf"(?:{AT})?(?:\d{{1,2}}(?:[:.][0-5]\d)?|{HOUR_WORD}|noon|midday|midnight)\s*(?:{AMPM}\s*)?-?ish",
    r"(?:early|late|mid)[\s-]?(?:morning|afternoon|evening)",
    # a choice or a range: "at 3 or 4", "at 9am and 5pm", "between 2 and 4", "3-4pm"
    rf"(?:(?:at|@)\s*|around\s+|about\s+){_CLOCKISH}\s*(?:or|and|[-–])\s*(?:(?:at|@)\s*)?{_CLOCKISH}",
    rf"(?:between|from)\s+{_CLOCKISH}\s*(?:and|to|till|until|[-–])\s*{_CLOCKISH}",
    rf"\d{{1,2}}(?:[:.][0-5]\d)?\s*(?:{AMPM})?\s*[-–]\s*\d{{1,2}}(?:[:.][0-5]\d)?\s*{AMPM}",
)

# 7 or 8 with no half of the day ("call dad at 8", "tomorrow at half past 8"): morning or
# evening? No time, and the reply says so (it said nothing). ``vague`` reads it unless a
# half of the day comes before it ("tonight at 8", "friday evening at 8": ``HALF_OF_DAY_BEFORE``).
SEVEN_OR_EIGHT = (
    rf"{AT}(?:(?:half|(?:a\s+)?quarter|\d{{1,2}}|{NUMBER_WORD})\s+(?:past|after|to)\s+)?(?:[78]|seven|eight)(?:[:.][0-5]\d)?"
    rf"(?![:.]?\d|\s*(?:{AMPM}|{OCLOCK}|tonight|(?:(?:in\s+the|this|tomorrow|today|{ONE_WEEKDAY})\s+)?"
    rf"(?:morning|afternoon|evening|night)|at\s+night)(?!\w))"
    rf"(?={_NO_NOUN_FOLLOWS})"
)
HALF_OF_DAY_BEFORE = re.compile(r"\b(?:tonight|morning|afternoon|evening|night|[ap]\.?m\.?)[\s,]*$", re.I)

PART_TIMES = {
    "morning": dt.time(9), "afternoon": dt.time(15), "evening": dt.time(19), "night": dt.time(20),
    "thing": dt.time(9),  # "first thing"
    "am": dt.time(9), "pm": dt.time(15),  # "in the am", "in the pm"
}


def clock_of(pieces: list[tuple[str, str]], phrase: list[str], now: dt.datetime) -> dt.time | None:
    """The clock time that a phrase's time pieces (``(kind, text)``, in order) name, or
    ``None`` when one of them means no time. ``phrase`` is the text of every piece of the
    phrase, dates included: "tonight at 9" is 21:00, "at 3 in the morning" 03:00."""
    half = half_of_day(phrase)
    if half == "both":
        return None
    clock: dt.time | None = None
    part: dt.time | None = None
    for kind, text in pieces:
        if kind == "part":
            if re.search(r"early|late|mid", text, re.I):  # "late afternoon": which hour?
                return None
            part = PART_TIMES[re.split(r"[\s-]", text.lower().replace(".", ""))[-1]]
            continue
        clock = now.time().replace(second=0, microsecond=0) if kind == "same_time" else read_clock(text, half)
        if clock is None:
            return None
    return clock or part


def says_today(texts: list[str]) -> bool:
    """Whether a phrase's time pieces name today ("this morning", "this afternoon"): then a
    time already past is today's, overdue, not tomorrow's ("at 8 this morning" said at 10)."""
    return any(re.match(r"this\s", text, re.I) for text in texts)


def day_of(day: dt.date, clock: dt.time, phrase: list[str], today: dt.date) -> dt.date | None:
    """The day a time past midnight falls on: "midnight tonight" (or today) is the coming
    midnight, tomorrow's 00:00; "friday at midnight" could start or end Friday: no date."""
    if clock.hour >= 12 or not any("midnight" in text.lower() for text in phrase):
        return day
    return day + dt.timedelta(days=1) if day == today else None


def needs_partner(kinds: list[str]) -> bool:
    """Whether a phrase's time is a loose number that is a time only beside a day or a
    part of the day ("9 tomorrow"), and the phrase has nothing else."""
    return bool(kinds) and all(kind in LOOSE_KINDS for kind in kinds)


_WORD_BEFORE = re.compile(r"([^\s]+)\s+$")
# Words that count or label the number after them: "chapter 11 tomorrow" is no time.
_LABELS = frozenset(
    """
    a an the of x by and or to from per no nr num number # page pages p pg pp chapter chapters ch
    ch. section sec part step steps item items lesson lessons unit units level levels room rm
    suite apt flat floor gate platform track bus route line aisle table seat row desk box
    locker episode episodes ep season series issue vol volume question questions q exercise
    exercises task tasks ticket case order invoice bill grade year years size top first last
    next about around over under than only just all those these my our your his her their
    """.split()
)


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|my|our|your|his|her|their|this|that|these|those)\s+$", re.I)


def is_time_here(text: str, kind: str, start: int) -> bool:
    """Whether a piece of this module found at ``text[start:]`` may be a time here: not
    after "the"/"my"/... ("the 3pm slot", "take the 5:15 train": part of the title), and a
    loose number only where ``loose_is_time`` allows it."""
    if kind == "part":
        return True
    if _DETERMINER_BEFORE.search(text, max(0, start - 12), start):
        return False
    return kind != "loose_time" or loose_is_time(text, start)


def is_task_verb(word: str) -> bool:
    word = word.lower()
    return word in TASK_VERBS or bool(base_verb(word))


def loose_is_time(text: str, start: int) -> bool:
    """Whether a number with no "at" before it (``text[start:]``) may be a time: not at the
    start, nor after a task verb ("buy 2 tomorrow"), a number or a labelling word."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group(1).lower().strip("\"'()[],;:")
    if not word.isalpha() or word in _LABELS or word in TASK_VERBS or base_verb(word):
        return False
    return True
