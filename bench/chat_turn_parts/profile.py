"""Reading py-spy's raw output (one line per distinct stack: ``frame;frame;... count``)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

TOP = 15
# "function (path/to/module.py:123)" -> "function (module.py)": lines of a function add up.
_FRAME = re.compile(r"^(?P<name>.*?) \((?P<path>[^:()]*)(?::\d+)?\)$")


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


def read(path: Path) -> tuple[Counter, Counter, int]:
    own, below, total = Counter(), Counter(), 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [short(f) for f in stack.split(";") if f]
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            below[frame] += samples
    return own, below, total


def print_profile(path: Path) -> None:
    own, below, total = read(path)
    if not total:
        print("  no samples")
        return
    print(f"  {total} samples. By own time:")
    for frame, samples in own.most_common(TOP):
        print(f"    {100 * samples / total:5.1f}%  {frame}")
    print("  By time below, todochat's own functions:")
    ours = [(frame, samples) for frame, samples in below.most_common() if "todochat/" in frame]
    for frame, samples in ours[:TOP]:
        print(f"    {100 * samples / total:5.1f}%  {frame}")
