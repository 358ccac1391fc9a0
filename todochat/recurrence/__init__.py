"""Repeating tasks as RFC 5545 recurrence rules (the value of an ``RRULE`` line).

A task's ``recurrence`` is a rule such as ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270331``
("every other Tuesday until 31 Mar 2027"). The task's due date is the rule's start: it is
not stored in the rule, so moving a task moves its series. ``dateutil.rrule`` computes the
occurrences; this module decides which rules we accept, keeps them in one spelling, finds
the next occurrence in bounded work and says a rule in plain English.

What is accepted (anything else is refused with a sentence a person can act on):
- FREQ: HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY (no minutely or secondly: a task list
  is not a timer). INTERVAL 1-1000.
- BYDAY: weekdays; with MONTHLY or YEARLY also with a position (``3FR``, ``-1FR``).
  BYMONTHDAY (1..31, -31..-1) with MONTHLY or YEARLY; BYMONTH (1-12) with YEARLY, and
  needed there with BYMONTHDAY or a BYDAY weekday without position (else RFC 5545 means
  every month, or every week);
  BYSETPOS with BYDAY or BYMONTHDAY; WKST.
- COUNT 1-1000 or UNTIL (a date), not both (RFC 5545 forbids both). COUNT counts the
  occurrences left, this one included: completing a task whose rule says COUNT=8 schedules
  the next with COUNT=7, and completing COUNT=1 ends the series. Each completion is one
  step of constant work, instead of counting from a first date nobody stores.
- The five words the first version stored (``daily``, ``weekdays``, ``weekly``,
  ``monthly``, ``yearly``) are read as the rules they meant.

Monthly and yearly rules that name no day repeat on the start's day of month, clamped to
shorter months: a task first due Jan 31 repeats on the last day of each month, one due on
the 30th on Feb 28/29 in February and the 30th elsewhere (see ``anchored``).
"""

from todochat.limits import RULE_MAX

from .occurrences import Occurrence, anchored, check, first_on_or_after, is_month_end, next_occurrence
from .rules import COUNT_MAX, INTERVAL_MAX, LEGACY_WORDS, UNTIL_FIRST, UNTIL_LAST, Rule, RuleError, normalize, parse
from .wording import describe

__all__ = [
    "COUNT_MAX", "INTERVAL_MAX", "LEGACY_WORDS", "RULE_MAX", "UNTIL_FIRST", "UNTIL_LAST", "Occurrence", "Rule",
    "RuleError", "anchored", "check", "describe", "first_on_or_after", "is_month_end", "next_occurrence", "normalize",
    "parse",
]
