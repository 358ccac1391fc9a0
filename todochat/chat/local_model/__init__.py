"""The offline language model: the Agents SDK ``Model`` that needs no key and no network.

- ``LocalModel`` (model.py) — the Model: reads the turn, emits tool calls, then a reply.
  "Now" is the user's clock, a value the model is given, never read from the prompt.
- ``parse_command`` (parser.py) — pure: one user message + local "now" (+ the thread so
  far, a ``references.Context``) -> ``Plan`` (tool calls or a reply, plan.py). parser.py
  tries the sentence rules in order: state_sentences.py (bulk, reopen, complete, delete),
  query_sentences.py (list, questions), add_sentences.py (adds), updates.py and
  update_dates.py (update_task sentences), answers.py and thread_rules.py (answers,
  "undo", follow-ups).
- What the rules read: text.py (cleaning), adds.py (task drafts), slots.py (priority,
  tags), queries.py (list filters), dates.py (date phrases: date_pieces.py finds them,
  date_values.py resolves them, with calendar_phrases.py, numeric_dates.py, offsets.py,
  times_of_day.py / time_words.py / clock_reading.py, holiday_dates.py, partial_dates.py,
  title_dates.py and vague.py), repeats.py (repeats as RFC 5545 rules: repeat_words.py,
  repeat_grammar.py, repeat_ends.py).
- The thread: conversation.py (reading SDK input: tool calls, their results, card notes),
  thread_shown.py (what a turn showed), pointing.py (the words: "it", "them", "the first
  two", "the dentist one"), references.py (what they mean in the thread).
- Words: lexicon.py (verbs, number words, the hashtag, polite fillers, "done" words,
  priority words) and calendar_words.py (weekday and month names and every spelling of
  them the readers take, ordinals); replies.py (what it says).
- Questions and show/find commands never change anything; a weekday used as an adjective
  ("monday meeting notes") or a possessive ("monday's review") stays in the title.

Decisions on ambiguous phrasings (tests pin each one):
- "friday"/"on friday": the next Friday after today; "this friday": this week's (today
  included); "next friday": the Friday of next calendar week (Mon-Sun). "monday" said on a
  Monday is a week ahead. "next week" = next Monday; "next month" = its first day;
  "this week" = Sunday; "end of the week" = Friday; "this weekend" = Saturday.
- "12/4", "5/12", "4/5": when both numbers could be the month and differ there is no date
  (May 12 to an American, 5 December to a Briton): the words stay, the reply asks which.
  "31/12" (a number > 12) and "5/5" decide it; so does a weekday that fits one reading
  ("Fri 11/12"). A four-digit year is that year ("1/1/0027" is out of range: no date).
  "feb 30" sets no date and says so. A month/day with no year is the next one, today
  included. Times: morning 09:00, afternoon 15:00, evening 19:00, tonight 20:00 ("tonight"
  said after 20:00: today, no time); bare "at 1".."at 6" (and "5:30") are pm, "at 9"..
  "at 11" am, "at 7"/"at 8" need am/pm or a part of the day (without one: no time, nor the
  day beside it, and the reply says so); "05:30" and 24-hour times are as written, but a
  compact "1030" with no "at" only right after its day ("flight BA 1030 on friday" is a
  title). A short weekday is a date beside a clock time ("Thu at 2pm"), not in "sat nav";
  "after christmas" sets no date (it says when to start) and says so. A time alone is
  today if still ahead, else tomorrow. Vague amounts ("in a few days") set no date.
  times_of_day.py, offsets.py, vague.py and repeats.py list the rest.
- Several tasks in one sentence split at commas and "and" — unless the first item starts
  with a verb and a later one doesn't ("buy milk and eggs" is one task), unless each item
  has its own date ("call mom tomorrow and dad friday": "call mom", "call dad"). A trailing date,
  priority or tag applies to every item that has none of its own ("call mom and pay rent
  tomorrow": both due tomorrow).
- Repeats are RFC 5545 rules, read as Todoist reads them (repeats.py's docstring lists
  the grammar and its decisions). A repeating task's first due date is the first day its
  rule lands on from the start said, or today ("every tuesday": the next Tuesday, today
  included; "every 3rd friday": the next third Friday), at the time said ("every morning"
  09:00; a time already past today counts from tomorrow). "the weekly report" is a title;
  a repeat only partly understood ("every day except sunday") sets nothing.
- "show my tasks" lists open tasks; "show all tasks" lists all; "what have I finished"
  lists done ones.
- Bare text with no command verb is a new task only if it reads like one (starts with a
  common task verb, or carries a date/priority/tag/repeat); questions never are. Text that
  opens with an edit verb (move, reschedule, postpone, push, change, clear, rename, …) or
  "remind me what/when …" and that no rule understood is never a task: the reply says so
  and nothing changes ("add move the couch …" and "remind me to …" still add).
- "postpone X by a week", "push it back 2 days", "move it 1 day earlier", "bring it forward
  a week" shift the task's own due date, keeping its time (update_task's ``shift_due``,
  applied by the tool, which knows the date; a task without one is shifted from today, and
  the reply says so). "postpone X" with no amount is a day later than its date. "Forward"
  is earlier after "bring" only; "move it forward a week" is asked, as is a direction
  against the verb ("postpone it a day earlier"). "move X to friday" keeps X's time (the
  tool does: a date without a time keeps the task's).
- References drop articles and "the task about"-style scaffolding ("I paid the rent" ->
  "pay rent", "remove the task about calling mom" -> "call mom"); a title in quotes is
  sent as written. Leading past tenses and verbal gerunds go back to the base verb.

In a conversation (everything read from the input of each call: the model keeps no state):
- "it"/"that" is the task the latest turn that showed tasks added, changed or showed.
  Several tasks (an add of several, a list, a choice) make "it" a question naming them ("#3 “buy milk” or #4 …?"); a turn whose tools found nothing makes
  it unknown. A task deleted since is never acted on: the reply says so.
- "the first two", "the last one", "both", "all of them", "the one due friday" pick from
  the latest list shown (a list card, a choice card, a confirmation, any turn with two or
  more tasks), in its order. Out of range or nothing shown: said, nothing called. Plural
  words skip tasks already in the wanted state ("complete all of them": the open ones); more
  than references.MAX_DIRECT tasks go to bulk_tasks with the list's filter (a confirmation).
- A choice card answered in words repeats the tool on the pick (update changes kept); "yes"
  to a bulk confirmation acts on the tasks it listed; "no"/"never mind" changes nothing and
  says so; with no question pending, "no" after a change says the change stands and that
  "undo" takes it back. Our own questions ("Which task do you mean?") are answered by reading the asking
  message again with the answer for its "it".
- "also due friday", "and high priority" right after a turn that added or changed tasks:
  those attributes for them. "undo"/"undo that"/"take that back" call undo_last_change.
"""

from .model import LocalModel
from .parser import parse_command
from .plan import Plan, ToolCall

__all__ = ["LocalModel", "Plan", "ToolCall", "parse_command"]
