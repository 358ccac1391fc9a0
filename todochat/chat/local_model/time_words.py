"""The words and pattern pieces times are said with: hours and minutes in words ("ten",
"twenty five", "oh five"), am/pm, o'clock, "about"/"around", and the hour minutes are
counted from ("past 3pm", "to six", "after noon"). times_of_day.py finds time phrases with
them, clock_reading.py reads their clock."""

from __future__ import annotations

from .lexicon import ONES, TEENS, TENS, UP_TO_TWELVE, one_of

MINUTE_TENS = {word: n for word, n in TENS.items() if n < 60}  # minutes


_UNIT = one_of(ONES)
HOUR_WORD = one_of(UP_TO_TWELVE)
# 1-59 in words: "five", "fifteen", "twenty five", "forty-five"; after an hour also "oh five".
NUMBER_WORD = rf"(?:{one_of(MINUTE_TENS)}(?:[\s-]?{_UNIT})?|{one_of(TEENS)}|{_UNIT})"
MINUTE_WORD = rf"(?:{one_of(MINUTE_TENS)}(?:[\s-]?{_UNIT})?|{one_of(TEENS)}|o[h']?[\s-]?{_UNIT})"

AMPM = r"(?:a\.?m\.?|p\.?m\.?)"
OCLOCK = r"o['’]?\s?clock"
HOUR12 = rf"(?:1[0-2]|0?[1-9]|{HOUR_WORD})"
APPROX = r"(?:about|around|approximately|approx\.?|roughly|circa|ca\.)"
AT = rf"(?:(?:at|@)\s*(?:{APPROX}\s+)?)"
# The hour a count of minutes is counted from: "past 3pm", "to six", "after noon".
COUNTED_FROM = rf"(?:{HOUR12}(?:\s*{OCLOCK})?(?:\s*{AMPM})?|noon|midday|midnight)"
MINUTES = rf"(?:\d{{1,2}}|{NUMBER_WORD})(?:\s+min(?:ute)?s?)?"
