"""Every size and range limit todochat enforces, in one place (README, "Limits").

Inputs are hostile until checked: each limit here bounds what one request can make the
server store, compute or send on. Modules import these names instead of writing numbers.
"""

from __future__ import annotations

# A request body, refused (413) before anything reads it, chunked bodies included.
BODY_MAX_BYTES = 1024 * 1024

# Bulk actions: ids one REST call may name, and tasks one confirmation in chat may act on.
REST_BULK_MAX_IDS = 1_000
CHAT_BULK_MAX_TASKS = 500
# Tasks one add_tasks call of the assistant may create.
CHAT_ADD_MAX_TASKS = 50
# Items one page of a ChatKit list (threads, items) may hold, whatever the client asks.
CHAT_PAGE_MAX_ITEMS = 1_000
# Query words (search) and a tag filter, on the REST API and in the assistant's tools.
SEARCH_MAX_CHARS = 200
TAG_FILTER_MAX_CHARS = 40

# A chat message (the text of one user message, with its @-tags), checked before any
# stream starts. The browser's composer stops at the same length.
MESSAGE_MAX_CHARS = 4_000
# Tasks one message may @-mention (input_tag parts); a message with more is refused.
MENTIONS_MAX_PER_MESSAGE = 20

# PostgreSQL's integer column. A number from a client that the database compares with
# one (a task id, an integer in a page cursor) must lie in this range: outside it the
# database raises, and that would be a 500 instead of a 4xx.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
# Task ids: they fit that integer column; a larger id is a client error (4xx).
TASK_ID_MAX = INT_MAX

# A task: its title and notes (characters), its tags (how many, how long each), and how
# many tasks one page of the REST API holds.
TITLE_MAX = 500
NOTES_MAX = 10_000
TAG_MAX = 40
TAGS_MAX = 20
PAGE_MAX = 200

# A task's manual position: finite, and within this range either way.
POSITION_MAX = 1e12

# Due dates: anything outside these years is refused (422) rather than stored, so date
# arithmetic (the next occurrence of a repeating task) always has room on both sides.
DUE_YEAR_MIN = 1900
DUE_YEAR_MAX = 2999

# A conversation's title (threads.update), and the items one feedback request may name.
THREAD_TITLE_MAX_CHARS = 200
FEEDBACK_MAX_ITEMS = 100

# Sign-in and sign-up (todochat/auth/guard.py): wrong passwords per account, attempts per
# client address, and how many password hashes (scrypt: 16 MiB each) run at once.
ACCOUNT_FAILURES = 5  # from one client address
ACCOUNT_FAILURES_ANYWHERE = 50  # from all addresses together
ACCOUNT_WINDOW_SECONDS = 15 * 60
CLIENT_ATTEMPTS = 60
CLIENT_WINDOW_SECONDS = 10 * 60
HASH_SLOTS = 2
MAX_HASHES_WAITING = 16

# The ChatKit embed's token: good for POST /chatkit and GET /chatkit/mentions only, and only this long.
CHATKIT_TOKEN_TTL_SECONDS = 10 * 60

# TODOCHAT_SECRET encrypts the signing key: a short one is guessable.
SECRET_MIN_CHARS = 16

# A repeat rule (RFC 5545 RRULE, todochat.recurrence): its length in characters, and the
# largest INTERVAL and COUNT it may say.
RULE_MAX = 200
RULE_INTERVAL_MAX = 1_000
RULE_COUNT_MAX = 1_000
