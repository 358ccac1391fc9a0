"""How long does the offline model take to read a hostile message? (issue 9: it must grow
linearly, and a message at the server's limit must cost milliseconds, not seconds)

Parses messages of the shapes that were quadratic or exponential before ("#a" repeated,
"please" repeated, "untag" followed by plain words...) at a quarter, half and all of
MESSAGE_MAX_CHARS, and prints the best of 3 times and the ratio full/half (linear: ~2,
quadratic: ~4).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from todochat.chat.local_model import parse_command  # noqa: E402
from todochat.limits import MESSAGE_MAX_CHARS  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 10, 0)


def repeat(prefix: str, unit: str, suffix: str = ""):
    return lambda size: prefix + unit * ((size - len(prefix) - len(suffix)) // len(unit)) + suffix


SHAPES = {
    "hashtags": repeat("", "#a"),
    "add + hashtags": repeat("add pay rent ", "#a"),
    "tag phrases": repeat("add x ", "tagged a "),
    "please": repeat("", "please "),
    "dates": repeat("", "tomorrow "),
    "references": repeat("delete ", "the task "),
    "untag + words": repeat("untag ", "call the bank ", "!"),
    "commas": repeat("", ","),
    "everyday": repeat("add ", "buy milk and eggs tomorrow at 5pm #home, "),
}


def best_of(message: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_command(message, NOW)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    sizes = (MESSAGE_MAX_CHARS // 4, MESSAGE_MAX_CHARS // 2, MESSAGE_MAX_CHARS)
    print(f"{'shape':<16}" + "".join(f"{size:>10,} ch" for size in sizes) + "   full/half")
    worst = 0.0
    for name, make in SHAPES.items():
        ms = [best_of(make(size)) * 1000 for size in sizes]
        ratio = ms[2] / ms[1] if ms[1] else float("nan")
        worst = max(worst, ms[2])
        print(f"{name:<16}" + "".join(f"{value:>10.1f} ms" for value in ms) + f"   {ratio:9.2f}")
    print(f"slowest message at the limit: {worst:.1f} ms")


if __name__ == "__main__":
    main()
