"""Reading py-spy's raw output (one line per distinct stack: ``frame;frame;... count``).

Only samples that held the GIL are recorded (``--gil``), so the figures are Python at work,
per turn: ``samples / rate / turns``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

RATE = 250  # samples per second (chat_turn.profiling)
TOP = 15
# "function (path/to/module.py:123)" -> "function (module.py)": lines of a function add up.
_FRAME = re.compile(r"^(?P<name>.*?) \((?P<path>[^:()]*)(?::\d+)?\)$")

# Where a sample's time goes: the innermost frame of the stack that matches, in this order.
CATEGORIES = (
    (("sqlalchemy/", "sqlite3", "psycopg"), "database (SQLAlchemy, drivers)"),
    (("todochat/chat/local_model/",), "offline model"),
    (("todochat/chat/widgets.py", "todochat/chat/widget_tree.py", "chatkit/widgets.py", "todochat/chat/live_cards.py"),
     "cards: build, walk, serialize"),
    (("todochat/auth/", "jwt/"), "sign-in check"),
    (("todochat/",), "todochat, other"),
    (("chatkit/",), "ChatKit SDK"),
    (("agents/",), "Agents SDK"),
    (("pydantic", "openai/"), "pydantic models"),
    (("uvicorn/", "h11/", "starlette/", "fastapi/", "anyio/"), "HTTP server"),
    (("json/",), "json"),
    (("asyncio/", "selectors", "concurrent/", "threading"), "event loop, threads"),
)


def short(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["path"]
    for marker in ("site-packages/", "todochat/", "bench/", "lib/python"):
        if marker in path:
            path = path.split(marker, 1)[1] if marker != "todochat/" else "todochat/" + path.split(marker, 1)[1]
            break
    return f"{match['name']} ({path})"


def category(frames: list[str]) -> str:
    for frame in reversed(frames):
        for markers, name in CATEGORIES:
            if any(marker in frame for marker in markers):
                return name
    return "other"


def read(path: Path) -> tuple[Counter, Counter, Counter, int]:
    """Samples by innermost function, by every function on the stack, by category; and the total."""
    own, below, kinds, total = Counter(), Counter(), Counter(), 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        raw = [f for f in stack.split(";") if f]
        frames = [short(f) for f in raw]
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        kinds[category(raw)] += samples
        for frame in set(frames):
            below[frame] += samples
    return own, below, kinds, total


def print_profile(ours: Path, floor: Path, turns: int) -> None:
    """Where a todochat turn's time goes next to the floor's, then todochat's top entries."""
    own, below, kinds, total = read(ours)
    _, _, floor_kinds, floor_total = read(floor)
    per_turn = lambda samples: samples / RATE / turns * 1000  # noqa: E731
    print("  ms of Python per turn     todochat    floor")
    for name in sorted(set(kinds) | set(floor_kinds), key=lambda n: -kinds[n]):
        print(f"    {name:<30} {per_turn(kinds[name]):6.2f}   {per_turn(floor_kinds[name]):6.2f}")
    print(f"    {'total':<30} {per_turn(total):6.2f}   {per_turn(floor_total):6.2f}")
    if not total:
        return
    print("  todochat, by own time:")
    for frame, samples in own.most_common(TOP):
        print(f"    {100 * samples / total:5.1f}%  {frame}")
    print("  todochat, by time below, its own functions:")
    mine = [(frame, samples) for frame, samples in below.most_common() if "todochat/" in frame]
    for frame, samples in mine[:TOP]:
        print(f"    {100 * samples / total:5.1f}%  {frame}")
